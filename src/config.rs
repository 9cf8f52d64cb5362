//! site.toml: the settings of one site.

use crate::diag::{Diagnostic, Pos, did_you_mean};
use serde::Deserialize;

/// The file name of a site's settings, at the site root.
pub const FILE: &str = "site.toml";

/// A site's settings. Every field has a default, so a site.toml that only sets `title`
/// is complete.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// Shown in the header and the browser tab.
    pub title: String,
    /// Absolute URL the site is published at; only used where a link must be absolute
    /// (sitemaps, feeds). Pages link relatively whatever it says.
    pub base_url: Option<String>,
    /// A folder under themes/, or `default` for the built-in theme.
    pub theme: String,
    /// Where `build` writes, relative to the site root unless absolute.
    pub output_dir: String,
    /// Globs (relative to the site root) of files and folders never read.
    pub ignore: Vec<String>,
    /// Policy settings, read by the check stage.
    pub policy: Policy,
    /// How packets' status is derived.
    pub packets: Packets,
    /// The full-text search index.
    pub search: Search,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Evidentia site".to_owned(),
            base_url: None,
            theme: "default".to_owned(),
            output_dir: "public".to_owned(),
            ignore: Vec::new(),
            policy: Policy::default(),
            packets: Packets::default(),
            search: Search::default(),
        }
    }
}

/// The `[policy]` table. Its thresholds are read by the policy checks; until those land,
/// it is parsed so that a site can already state them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Lowest severity of an open finding that is an error (critical, high, medium, low).
    pub fail_on_severity: String,
    /// Lowest impact of an open threat that is an error.
    pub fail_on_impact: String,
    /// Days before an expiry that a warning starts.
    pub expiry_warning_days: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            fail_on_severity: "high".to_owned(),
            fail_on_impact: "high".to_owned(),
            expiry_warning_days: 30,
        }
    }
}

/// The `[packets]` table: what a packet needs before it counts as approved.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Packets {
    /// Roles that must sign every packet off (`security-lead`, `model-risk`), directly or
    /// through `extends`. Empty (the default) means no fixed list: a packet then needs at
    /// least one sign-off, and every sign-off it has must approve.
    pub required_signoffs: Vec<String>,
}

/// The `[search]` table.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Search {
    /// Whether the build writes the search index and page: `true`, `false`, or unset
    /// (automatic: on for sites of up to [`Search::AUTO_MAX_PAGES`] pages). Turning it off
    /// saves the indexing time, or suits pages read offline from file://, where the index
    /// cannot load anyway.
    pub enabled: Option<bool>,
}

impl Search {
    /// The largest site that gets a search index without asking. Pagefind keeps every
    /// record in memory until it writes the index, about 50 KiB a page (1.3 GB for the
    /// 20,000 pages of the benchmark site against 0.3 GB without it), so a larger site
    /// asks for it with `enabled = true`.
    pub const AUTO_MAX_PAGES: usize = 5000;

    /// Whether a site of `pages` pages gets the search index.
    pub fn wanted(&self, pages: usize) -> bool {
        self.enabled.unwrap_or(pages <= Self::AUTO_MAX_PAGES)
    }

    /// Whether the automatic setting leaves a site of `pages` pages without search (the
    /// build says so, and how to turn it on).
    pub fn skipped_automatically(&self, pages: usize) -> bool {
        self.enabled.is_none() && pages > Self::AUTO_MAX_PAGES
    }
}

const KEYS: &[&str] = &[
    "title",
    "base_url",
    "theme",
    "output_dir",
    "ignore",
    "policy",
    "packets",
    "search",
];
const POLICY_KEYS: &[&str] = &["fail_on_severity", "fail_on_impact", "expiry_warning_days"];
const PACKETS_KEYS: &[&str] = &["required_signoffs"];
const SEARCH_KEYS: &[&str] = &["enabled"];

impl SiteConfig {
    /// Parses site.toml; on error returns the defaults with a diagnostic, so the rest of
    /// the site is still checked and every problem is reported in one run.
    pub fn parse(text: &str) -> (SiteConfig, Vec<Diagnostic>) {
        match toml::from_str::<SiteConfig>(text) {
            Ok(mut config) => {
                let diags = config.refuse_unsafe_base_url(text);
                (config, diags)
            }
            Err(e) => {
                let pos = e
                    .span()
                    .map_or(Pos::new(1, 1), |span| Pos::of_offset(text, span.start));
                let len = e.span().map_or(1, |s| text[s.clone()].chars().count());
                let message = e.message().trim().to_owned();
                let help = unknown_key_help(&message).unwrap_or_else(|| {
                    "see `evidentia explain E0107` for the settings site.toml takes".to_owned()
                });
                let diag = Diagnostic::error("E0107", FILE, format!("site.toml: {message}"))
                    .at(pos)
                    .spanning(len)
                    .with_help(help);
                (SiteConfig::default(), vec![diag])
            }
        }
    }
}

impl SiteConfig {
    /// Drops a `base_url` that is not an http(s) address, with E0107. Why: it is written
    /// into every page's canonical link, atom.xml and sitemap.xml, where `javascript:` or
    /// `data:` would be a link a reader could follow into script.
    fn refuse_unsafe_base_url(&mut self, text: &str) -> Vec<Diagnostic> {
        let Some(url) = self.base_url.as_deref() else {
            return Vec::new();
        };
        if is_web_address(url) {
            return Vec::new();
        }
        // The key's own line: `base_url` may also stand in a comment or another value.
        let mut offset = 0;
        let mut pos = Pos::new(1, 1);
        for line in text.split_inclusive('\n') {
            let key = line.trim_start();
            if key.starts_with("base_url") {
                pos = Pos::of_offset(text, offset + line.len() - key.len());
                break;
            }
            offset += line.len();
        }
        let diag = Diagnostic::error(
            "E0107",
            FILE,
            format!("site.toml: base_url = {url:?} is not an http or https address"),
        )
        .at(pos)
        .spanning("base_url".len())
        .with_path("base_url")
        .with_help("write the address the site is published at, such as `https://example.org/course/`, or remove base_url");
        self.base_url = None;
        vec![diag]
    }
}

/// Whether `url` is `http://HOST...` or `https://HOST...` with no space or control
/// character in it.
fn is_web_address(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

fn unknown_key_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let key = &rest[..rest.find('`')?];
    let known = if message.contains("fail_on") || message.contains("expiry") {
        POLICY_KEYS
    } else if message.contains("required_signoffs") {
        PACKETS_KEYS
    } else if message.contains("`enabled`") {
        SEARCH_KEYS
    } else {
        KEYS
    };
    Some(match did_you_mean(key, known.iter().copied()) {
        Some(m) => format!("did you mean `{m}`?"),
        None => format!("known settings here: {}", known.join(", ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_is_on_by_default_and_a_misspelt_key_is_caught() {
        let auto = SiteConfig::parse("").0.search;
        assert!(auto.wanted(10) && auto.wanted(Search::AUTO_MAX_PAGES));
        assert!(!auto.wanted(Search::AUTO_MAX_PAGES + 1));
        assert!(auto.skipped_automatically(Search::AUTO_MAX_PAGES + 1));
        let off = SiteConfig::parse("[search]\nenabled = false\n").0.search;
        assert!(!off.wanted(10) && !off.skipped_automatically(10_000));
        let on = SiteConfig::parse("[search]\nenabled = true\n").0.search;
        assert!(on.wanted(20_000) && !on.skipped_automatically(20_000));
        let (_, d) = SiteConfig::parse("[search]\nenable = false\n");
        assert_eq!(d[0].code, "E0107");
        assert_eq!(d[0].help, "did you mean `enabled`?");
    }

    #[test]
    fn base_url_is_an_http_address_or_refused() {
        for good in [
            "https://x.org/",
            "http://localhost:8000/c/",
            "HTTPS://X.ORG",
        ] {
            let (c, d) = SiteConfig::parse(&format!("base_url = {good:?}\n"));
            assert!(d.is_empty(), "{good}: {d:?}");
            assert_eq!(c.base_url.as_deref(), Some(good));
        }
        for bad in [
            "javascript:alert(1)//",
            "data:text/html,x",
            "//evil.org/",
            "https://",
            "https://x.org/\n<script>",
            "ftp://x.org/",
        ] {
            let (c, d) = SiteConfig::parse(&format!(
                "# base_url is where the site lives\ntitle = \"the base_url\"\n  base_url = {bad:?}\n"
            ));
            assert_eq!(c.base_url, None, "{bad}");
            assert_eq!(d.len(), 1, "{bad}");
            assert_eq!(
                (d[0].code, d[0].line, d[0].column),
                ("E0107", 3, 3),
                "{bad}"
            );
        }
    }

    #[test]
    fn empty_file_gives_defaults() {
        let (c, d) = SiteConfig::parse("");
        assert!(d.is_empty());
        assert_eq!(c, SiteConfig::default());
    }

    #[test]
    fn reads_every_setting() {
        let (c, d) = SiteConfig::parse(
            "title = \"T\"\nbase_url = \"https://x.org/\"\ntheme = \"t\"\noutput_dir = \"out\"\n\
             ignore = [\"**/*.tmp\"]\n[policy]\nexpiry_warning_days = 10\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.title, "T");
        assert_eq!(c.base_url.as_deref(), Some("https://x.org/"));
        assert_eq!(c.output_dir, "out");
        assert_eq!(c.ignore, vec!["**/*.tmp"]);
        assert_eq!(c.policy.expiry_warning_days, 10);
        assert_eq!(c.policy.fail_on_severity, "high");
    }

    #[test]
    fn reads_required_signoffs() {
        let (c, d) = SiteConfig::parse("[packets]\nrequired_signoffs = [\"security-lead\"]\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.packets.required_signoffs, vec!["security-lead"]);
        let (_, d) = SiteConfig::parse("[packets]\nrequired_signof = []\n");
        assert_eq!(d[0].code, "E0107");
    }

    #[test]
    fn unknown_key_points_at_it_and_suggests() {
        let (_, d) = SiteConfig::parse("title = \"T\"\ntheem = \"x\"\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "E0107");
        assert_eq!((d[0].line, d[0].column), (2, 1));
        assert_eq!(d[0].help, "did you mean `theme`?");
    }

    #[test]
    fn syntax_error_has_position() {
        let (_, d) = SiteConfig::parse("title = \n");
        assert_eq!(d[0].code, "E0107");
        assert_eq!(d[0].line, 1);
    }
}
