//! The small formatting helpers every view shares, so that a date, a count or a number
//! reads the same on every page.

use crate::model::decode::{At, Choice};
use jiff::civil::Date;
use serde::Serialize;

/// "1 day", "12 days".
pub(super) fn days(n: i64) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

/// A web address as a short label: its host and last path segment
/// (`nvd.nist.gov › CVE-2024-1135`).
pub(super) fn short_url(u: &str) -> String {
    let rest = u.split_once("://").map_or(u, |(_, r)| r);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.strip_prefix("www.").unwrap_or(host);
    match path.rsplit('/').find(|s| !s.is_empty()) {
        Some(last) => format!("{host} › {last}"),
        None => host.to_owned(),
    }
}

pub(super) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub(super) fn text(x: &Option<At<String>>) -> Option<String> {
    x.as_ref().map(|t| t.value.clone())
}

pub(super) fn texts(xs: &[At<String>]) -> Vec<String> {
    xs.iter().map(|x| x.value.clone()).collect()
}

pub(super) fn date(x: &Option<At<Date>>) -> Option<String> {
    x.as_ref().map(|d| d.value.to_string())
}

pub(super) fn word<C: Choice>(x: &Option<At<C>>) -> Option<&'static str> {
    x.as_ref().map(|c| c.value.name())
}

/// Text split into paragraphs at blank lines (or single line breaks, as YAML folds them).
pub(super) fn paragraphs(x: &Option<At<String>>) -> Vec<String> {
    x.as_ref()
        .map(|t| {
            t.value
                .split('\n')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A number as it reads best: no trailing zeros, no exponent for ordinary values.
pub(super) fn number(x: f64) -> String {
    if !x.is_finite() {
        crate::render::charts::not_a_number(x).to_owned()
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        x.to_string()
    }
}

#[derive(Debug, Serialize)]
pub(super) struct ExternalLink {
    text: String,
    /// Only http and https references become links.
    href: Option<String>,
}

/// A web reference as a short link; anything else as plain text.
pub(super) fn external_link(r: &str) -> ExternalLink {
    let t = r.trim();
    let lower = t.to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    ExternalLink {
        text: if web { short_url(t) } else { t.to_owned() },
        href: web.then(|| t.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_urls() {
        assert_eq!(
            short_url("https://nvd.nist.gov/vuln/detail/CVE-2024-1135"),
            "nvd.nist.gov › CVE-2024-1135"
        );
        assert_eq!(short_url("https://www.example.org/"), "example.org");
        assert_eq!(short_url("http://a.b/x/?q=1"), "a.b › x");
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(number(21904.0), "21904");
        assert_eq!(number(0.612), "0.612");
        assert_eq!(number(-3.0), "-3");
        // Tables name what a chart leaves out.
        assert_eq!(number(f64::NAN), "not a number");
        assert_eq!(number(f64::NEG_INFINITY), "minus infinity");
    }
}
