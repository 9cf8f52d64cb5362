//! Rewrites the links of a bundled page so none leaves the bundle: a link to a bundled
//! file stays, a fragment stays, and anything else (another page of the site, an
//! external address) becomes plain text. External addresses are kept visible as text
//! after the link, so a reader can still see where the evidence points.

use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, rewrite_str};
use std::collections::BTreeSet;

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// A fragment of the same page, or the page itself.
    SamePage,
    /// A `data:` URI: self-contained.
    Data,
    /// A file of the bundle, by its path.
    Inside(String),
    /// A file of the site that is not in the bundle (or a path leaving it).
    Outside,
    /// Another site: `http:`, `mailto:` and the like.
    External,
}

/// Resolves `href` written in the page at `from` (a bundle path such as
/// `packets/p/index.html`) against the bundle's `files`.
pub(crate) fn resolve(from: &str, href: &str, files: &BTreeSet<String>) -> Resolved {
    let v = href.trim();
    if v.is_empty() || v.starts_with('#') || v.starts_with('?') {
        return Resolved::SamePage;
    }
    if let Some((scheme, _)) = v.split_once(':')
        && !scheme.is_empty()
        && !scheme.contains(['/', '?', '#'])
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return if scheme.eq_ignore_ascii_case("data") {
            Resolved::Data
        } else {
            Resolved::External
        };
    }
    if v.starts_with("//") {
        return Resolved::External;
    }
    if v.starts_with('/') || v.contains('\\') {
        return Resolved::Outside;
    }
    let path = v.split(['?', '#']).next().unwrap_or_default();
    let Some(path) = percent_decode(path) else {
        return Resolved::Outside;
    };
    let mut segments: Vec<&str> = from.split('/').collect();
    segments.pop();
    for s in path.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                if segments.pop().is_none() {
                    return Resolved::Outside;
                }
            }
            s => segments.push(s),
        }
    }
    let mut joined = segments.join("/");
    if matches!(path.rsplit('/').next(), Some("" | "." | "..") | None) {
        if !joined.is_empty() {
            joined.push('/');
        }
        joined.push_str("index.html");
    }
    if files.contains(&joined) {
        Resolved::Inside(joined)
    } else {
        Resolved::Outside
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Attributes that hold one URL.
const URL_ATTRS: &[&str] = &["href", "src", "action", "formaction", "poster", "data"];
/// Attributes that hold several URLs; dropped, since none is needed offline.
const MULTI_URL_ATTRS: &[&str] = &["srcset", "ping", "imagesrcset"];

/// The page at `from` with every link that would leave the bundle turned into text.
pub(crate) fn rewrite(from: &str, html: &str, files: &BTreeSet<String>) -> Result<String, String> {
    rewrite_str(
        html,
        RewriteStrSettings::new().append_element_content_handler(element!(
            "*",
            |el: &mut lol_html::html_content::Element<'_, '_>| {
                for attr in MULTI_URL_ATTRS {
                    el.remove_attribute(attr);
                }
                let tag = el.tag_name();
                for attr in URL_ATTRS {
                    let Some(value) = el.get_attribute(attr) else {
                        continue;
                    };
                    let resolved = resolve(from, &value, files);
                    let keep = match resolved {
                        Resolved::SamePage | Resolved::Inside(_) => true,
                        Resolved::Data => *attr == "src",
                        Resolved::Outside | Resolved::External => false,
                    };
                    if keep {
                        continue;
                    }
                    match tag.as_str() {
                        "link" | "script" | "iframe" | "embed" | "object" | "base" => {
                            el.remove();
                            return Ok(());
                        }
                        "a" | "area" => {
                            el.remove_attribute(attr);
                            el.set_attribute("data-outside-bundle", "")?;
                            if resolved == Resolved::External {
                                el.set_attribute(
                                    "title",
                                    "External address: not part of this bundle",
                                )?;
                                el.after(&format!(" ({value})"), ContentType::Text);
                            } else if el.get_attribute("title").is_none() {
                                el.set_attribute("title", "Not part of this bundle")?;
                            }
                        }
                        _ => el.remove_attribute(attr),
                    }
                }
                Ok(())
            }
        )),
    )
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> BTreeSet<String> {
        [
            "index.html",
            "packets/p/index.html",
            "evidence/a/index.html",
            "evidence/a/r v.pdf",
            "static/style.css",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect()
    }

    #[test]
    fn resolves_relative_links_against_the_bundle() {
        let f = files();
        let from = "packets/p/index.html";
        assert_eq!(
            resolve(from, "../../evidence/a/index.html#T1", &f),
            Resolved::Inside("evidence/a/index.html".into())
        );
        assert_eq!(
            resolve(from, "../../evidence/a/", &f),
            Resolved::Inside("evidence/a/index.html".into())
        );
        assert_eq!(
            resolve(from, "../../evidence/a/r%20v.pdf", &f),
            Resolved::Inside("evidence/a/r v.pdf".into())
        );
        assert_eq!(resolve(from, "../../../index.html", &f), Resolved::Outside);
        assert_eq!(
            resolve(from, "../../evidence/b/index.html", &f),
            Resolved::Outside
        );
        assert_eq!(resolve(from, "/static/style.css", &f), Resolved::Outside);
        assert_eq!(resolve(from, "#x", &f), Resolved::SamePage);
        assert_eq!(
            resolve(from, "https://example.org/", &f),
            Resolved::External
        );
        assert_eq!(resolve(from, "//example.org/", &f), Resolved::External);
        assert_eq!(resolve(from, "javascript:alert(1)", &f), Resolved::External);
        assert_eq!(
            resolve(from, "data:image/png;base64,AA", &f),
            Resolved::Data
        );
        assert_eq!(
            resolve(from, "../..", &f),
            Resolved::Inside("index.html".into())
        );
    }

    #[test]
    fn outside_links_become_text() {
        let html = r#"<link rel="stylesheet" href="../../static/style.css"><link rel="icon" href="../../x.ico"><a href="../../evidence/a/index.html">a</a> <a href="../../kinds/scan/index.html">list</a> <a href="https://example.org/">ext</a> <img src="../../nope.png" alt="n">"#;
        let out = rewrite("packets/p/index.html", html, &files()).unwrap();
        assert!(out.contains(r#"href="../../static/style.css""#));
        assert!(!out.contains("x.ico"));
        assert!(out.contains(r#"<a href="../../evidence/a/index.html">a</a>"#));
        assert!(
            out.contains(r#"<a data-outside-bundle="" title="Not part of this bundle">list</a>"#),
            "{out}"
        );
        assert!(out.contains("ext</a> (https://example.org/)"), "{out}");
        assert!(out.contains(r#"<img alt="n">"#), "{out}");
    }
}
