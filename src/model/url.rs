//! Where every page lives in the output (DESIGN section 5.1), and relative links between
//! pages. URLs here are site-relative folder paths (`evidence/scan-a/`, `` for the home
//! page); a page is written to URL + `index.html`, and links name that file explicitly so
//! the site works from file:// as well as from any web server sub-path.

use super::header::slugify;
use super::kind::Kind;
use std::fmt::Write as _;

/// The URL of a content page from its path under the site root (`content/guides/a.md`).
pub fn page_url(rel: &str) -> String {
    let inner = rel.strip_prefix("content/").unwrap_or(rel);
    let stem = inner.strip_suffix(".md").unwrap_or(inner);
    let mut segments: Vec<String> = stem.split('/').map(slugify).collect();
    if matches!(
        segments.last().map(String::as_str),
        Some("index" | "_index")
    ) {
        segments.pop();
    }
    segments.into_iter().map(|s| s + "/").collect()
}

/// The id of a content page without an `id` in its front matter: its path under content/
/// without the extension, `/` turned into `-` (content/guides/learners.md: `guides-learners`).
pub fn page_id(rel: &str) -> String {
    let inner = rel.strip_prefix("content/").unwrap_or(rel);
    let stem = inner.strip_suffix(".md").unwrap_or(inner);
    slugify(&stem.replace('/', "-"))
}

/// The URL of an item's page.
pub fn item_url(kind: Kind, id: &str) -> String {
    let dir = match kind {
        Kind::Packet => "packets",
        Kind::Rubric => "rubrics",
        Kind::Catalog => "controls",
        Kind::Module => "modules",
        _ => "evidence",
    };
    format!("{dir}/{}/", slugify(id))
}

/// The URL of a learner's page, where all their portfolios are gathered (DESIGN 5.1).
pub fn learner_url(handle: &str) -> String {
    format!("learners/{}/", slugify(handle))
}

/// The index of packets, grouped by audience, with their status.
pub const PACKETS_URL: &str = "packets/";

/// The index of catalogs, with how many of each catalog's controls have evidence.
pub const CONTROLS_URL: &str = "controls/";

/// The page of one control of a catalog (DESIGN 5.1), beside its catalog's page.
pub fn control_url(catalog: &str, control: &str) -> String {
    format!("{CONTROLS_URL}{}/{}/", slugify(catalog), slugify(control))
}

/// The grader's learners x criteria matrix.
pub const COVERAGE_URL: &str = "coverage/";

/// Where the site-wide backlog of open mitigations and actions is written. Why here: the
/// URL check reserves it and the renderer writes it, and both read the one constant.
pub const BACKLOG_URL: &str = "backlog/";

/// The URL of the list page of one kind.
pub fn kind_url(kind: Kind) -> String {
    format!("kinds/{}/", kind.name())
}

/// A URL fragment, and the HTML id of the element it names, for a sub-item `id` (a
/// threat, a finding, a control). Runs of whitespace become one `-`, so that a spaced
/// control id (`GOVERN 1.1`) gets a valid HTML id (`GOVERN-1.1`) and the link to it reads
/// well; characters a fragment may not hold are percent-encoded. Every anchor and every
/// link to one is made here, so they agree.
pub fn fragment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for (i, word) in id.split_whitespace().enumerate() {
        if i > 0 {
            out.push('-');
        }
        for b in word.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b) {
                out.push(char::from(b));
            } else {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// The file a page URL is written to, relative to the output folder.
pub fn output_file(url: &str) -> String {
    format!("{url}index.html")
}

/// The prefix that leads from the page at `from` back to the site root (`../../`).
pub fn root_prefix(from: &str) -> String {
    "../".repeat(from.matches('/').count())
}

/// A relative link from the page at `from` to the page at `to`.
pub fn href(from: &str, to: &str) -> String {
    format!("{}{}", root_prefix(from), output_file(to))
}

/// The site-relative path of an attachment written in `item_file`, or `None` when it would
/// leave the site (absolute, or `..` above the root).
pub fn attachment_path(item_file: &str, attachment: &str) -> Option<String> {
    if attachment.starts_with('/') || attachment.contains('\\') || attachment.contains(':') {
        return None;
    }
    let dir = item_file.rsplit_once('/').map_or("", |(dir, _)| dir);
    join(dir, attachment)
}

/// `base/rel` with `.` and `..` resolved; `None` when it would climb above the root. Why
/// one function: attachments and tool reports' file locations must leave the site by no
/// other rule than this one.
pub fn join(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in base.split('/').chain(rel.split('/')) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_of_spaced_and_colon_ids() {
        assert_eq!(fragment("GOVERN 1.1"), "GOVERN-1.1");
        assert_eq!(fragment(" MEASURE  2.11 "), "MEASURE-2.11");
        assert_eq!(fragment("LLM01:2025"), "LLM01:2025");
        assert_eq!(fragment("AML.T0051.001"), "AML.T0051.001");
        assert_eq!(fragment("a\"b#c"), "a%22b%23c");
    }

    #[test]
    fn page_urls_and_ids() {
        assert_eq!(page_url("content/index.md"), "");
        assert_eq!(page_url("content/guides/learners.md"), "guides/learners/");
        assert_eq!(page_url("content/guides/_index.md"), "guides/");
        assert_eq!(page_url("content/My Notes/Week 1.md"), "my-notes/week-1/");
        assert_eq!(page_id("content/guides/learners.md"), "guides-learners");
        assert_eq!(page_id("content/index.md"), "index");
    }

    #[test]
    fn relative_links() {
        assert_eq!(href("", "evidence/a/"), "evidence/a/index.html");
        assert_eq!(href("guides/learners/", ""), "../../index.html");
        assert_eq!(
            href("evidence/a/", "packets/p/"),
            "../../packets/p/index.html"
        );
        assert_eq!(
            item_url(Kind::Catalog, "nist-ai-rmf"),
            "controls/nist-ai-rmf/"
        );
        assert_eq!(item_url(Kind::Module, "MOD-559"), "modules/mod-559/");
        assert_eq!(
            control_url("nist-ai-rmf", "MEASURE-2.11"),
            "controls/nist-ai-rmf/measure-2.11/"
        );
        assert_eq!(kind_url(Kind::ThreatModel), "kinds/threat-model/");
        assert_eq!(learner_url("Amara Okafor"), "learners/amara-okafor/");
    }

    #[test]
    fn attachment_paths_stay_inside() {
        assert_eq!(
            attachment_path("evidence/tm/a.yaml", "diagram.png").as_deref(),
            Some("evidence/tm/diagram.png")
        );
        assert_eq!(
            attachment_path("evidence/tm/a.yaml", "../shots/x.png").as_deref(),
            Some("evidence/shots/x.png")
        );
        assert_eq!(
            attachment_path("evidence/a.yaml", "../../../etc/passwd"),
            None
        );
        assert_eq!(attachment_path("evidence/a.yaml", "/etc/passwd"), None);
        assert_eq!(attachment_path("evidence/a.yaml", "C:\\x"), None);
    }
}
