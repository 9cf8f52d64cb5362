//! Navigation pages: breadcrumbs, paginated per-kind lists with each item's status, tag
//! pages and the site-wide problems page. Everything a page shows here is one page's
//! worth (at most [`PER_PAGE`] entries), so no page grows with the site.

use crate::diag::Diagnostic;
use crate::model::kinds::Body;
use crate::model::slugify;
use crate::model::{Item, Site};

use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Entries per page of a list, a tag page or the problems page.
pub(crate) const PER_PAGE: usize = 100;

/// The index of tags.
pub(crate) const TAGS_URL: &str = "tags/";

/// The site-wide list of warnings.
pub(crate) const PROBLEMS_URL: &str = "problems/";

/// The URL of a tag's first page.
pub(crate) fn tag_url(slug: &str) -> String {
    format!("{TAGS_URL}{slug}/")
}

/// The URL of page `n` (from 1) of a list whose first page is at `base`.
pub(crate) fn paged_url(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_owned()
    } else {
        format!("{base}page/{n}/")
    }
}

/// How many pages `len` entries take (at least one, so an empty list still has a page).
pub(crate) fn page_count(len: usize) -> usize {
    len.div_ceil(PER_PAGE).max(1)
}

/// The entries of page `n` (from 1).
pub(crate) fn page_slice<T>(all: &[T], n: usize) -> &[T] {
    let start = (n - 1) * PER_PAGE;
    all.get(start..all.len().min(start + PER_PAGE))
        .unwrap_or(&[])
}

/// One step of a breadcrumb trail; the last is the page itself.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Crumb {
    /// Label.
    pub(crate) title: String,
    /// Site-relative folder URL.
    pub(crate) url: String,
}

/// A trail from the home page through `steps` (title, URL) to the page.
pub(crate) fn crumbs<'a>(steps: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<Crumb> {
    std::iter::once(("Home", ""))
        .chain(steps)
        .map(|(t, u)| Crumb {
            title: t.to_owned(),
            url: u.to_owned(),
        })
        .collect()
}

/// Links between the pages of a paginated list.
#[derive(Debug, Serialize)]
pub(crate) struct Pager {
    /// This page's number, from 1.
    pub(crate) current: usize,
    /// How many pages.
    pub(crate) total: usize,
    /// Entries on all pages together.
    pub(crate) entries: usize,
    /// Number of the first entry on this page, from 1 (0 when there is none).
    pub(crate) first: usize,
    /// Number of the last entry on this page.
    pub(crate) last: usize,
    /// Site-relative URL of the previous page.
    pub(crate) prev: Option<String>,
    /// Site-relative URL of the next page.
    pub(crate) next: Option<String>,
}

impl Pager {
    /// The pager of page `n` of a list of `entries` whose first page is at `base`.
    pub(crate) fn new(base: &str, n: usize, entries: usize) -> Pager {
        let total = page_count(entries);
        let first = if entries == 0 {
            0
        } else {
            (n - 1) * PER_PAGE + 1
        };
        Pager {
            current: n,
            total,
            entries,
            first,
            last: entries.min(n * PER_PAGE),
            prev: (n > 1).then(|| paged_url(base, n - 1)),
            next: (n < total).then(|| paged_url(base, n + 1)),
        }
    }
}

/// One tag and what carries it.
#[derive(Debug)]
pub(crate) struct Tag<'a> {
    /// The tag as first written.
    pub(crate) name: &'a str,
    /// Pages and items with the tag, by title.
    pub(crate) entries: Vec<Tagged<'a>>,
}

/// A page or item under a tag.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Tagged<'a> {
    /// The page's or item's id, for telling whether a rebuild changed it.
    #[serde(skip)]
    pub(crate) id: &'a str,
    /// Title.
    pub(crate) title: &'a str,
    /// Site-relative URL.
    pub(crate) url: std::borrow::Cow<'a, str>,
    /// "Page" or the kind's label.
    pub(crate) kind: &'static str,
}

/// Every tag of the site by slug, so that `API` and `api` are one tag page.
pub(crate) fn tags<'a>(
    site: &'a Site,
    learners: &HashMap<&str, String>,
) -> BTreeMap<String, Tag<'a>> {
    // Each page's and item's entries are made in parallel, then gathered in site order
    // (a tag keeps the name it first appears with); each tag's entries are then sorted
    // by title and URL, each page once, tags side by side.
    let pages = site.pages.par_iter().map(|p| {
        p.front
            .tags
            .iter()
            .map(|t| {
                let entry = Tagged {
                    id: &p.id,
                    title: &p.title,
                    url: std::borrow::Cow::Borrowed(p.url.as_str()),
                    kind: "Page",
                };
                (t.trim(), entry)
            })
            .collect::<Vec<_>>()
    });
    let items = site.items.par_iter().map(|i| {
        // Borrowed unless the item is shown on its learner's page: 60,000 entries.
        let url = match learners.get(i.header.id.as_str()) {
            Some(u) => std::borrow::Cow::Owned(u.clone()),
            None => std::borrow::Cow::Borrowed(i.url_str()),
        };
        i.header
            .tags
            .iter()
            .map(|t| {
                let entry = Tagged {
                    id: &i.header.id,
                    title: &i.header.title,
                    url: url.clone(),
                    kind: i.header.kind.label(),
                };
                (t.trim(), entry)
            })
            .collect::<Vec<_>>()
    });
    let all: Vec<Vec<(&'a str, Tagged<'a>)>> = pages.chain(items).collect();
    let mut groups: Vec<(String, Tag<'a>)> = Vec::new();
    let mut by_text: HashMap<&'a str, usize> = HashMap::new();
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    for (text, entry) in all.into_iter().flatten() {
        if text.is_empty() {
            continue;
        }
        let group = match by_text.get(text) {
            Some(g) => *g,
            None => {
                let slug = slugify(text);
                let g = *by_slug.entry(slug.clone()).or_insert_with(|| {
                    groups.push((
                        slug,
                        Tag {
                            name: text,
                            entries: Vec::new(),
                        },
                    ));
                    groups.len() - 1
                });
                by_text.insert(text, g);
                g
            }
        };
        groups[group].1.entries.push(entry);
    }
    groups.par_iter_mut().for_each(|(_, tag)| {
        tag.entries
            .sort_by(|a, b| (a.title, &a.url).cmp(&(b.title, &b.url)));
        tag.entries.dedup_by(|a, b| a.url == b.url);
    });
    groups.into_iter().collect()
}

/// Where an item is shown: its own page, or its learner's page for a portfolio when the
/// theme gathers portfolios there (`learners`: portfolio id -> learner page URL).
pub(crate) fn item_page_url(item: &Item, learners: &HashMap<&str, String>) -> String {
    match learners.get(item.header.id.as_str()) {
        Some(u) => u.clone(),
        None => item.url(),
    }
}

/// A tag in the index of tags.
#[derive(Debug, Serialize)]
pub(crate) struct TagSummary<'a> {
    /// The tag.
    pub(crate) name: &'a str,
    /// Site-relative URL of its page.
    pub(crate) url: String,
    /// How many pages and items carry it.
    pub(crate) count: usize,
}

/// A diagnostic as the problems page lists it.
#[derive(Debug, Serialize)]
pub(crate) struct Problem<'a> {
    /// "error" or "warning".
    pub(crate) severity: String,
    /// Code.
    pub(crate) code: &'static str,
    /// Source file, site-relative.
    pub(crate) file: &'a str,
    /// Line (0: the whole file).
    pub(crate) line: u32,
    /// Column.
    pub(crate) column: u32,
    /// What is wrong.
    pub(crate) message: &'a str,
    /// Site-relative URL of the page that shows the file, if any.
    pub(crate) url: Option<String>,
    /// That page's title.
    pub(crate) page: Option<&'a str>,
}

/// Which page shows each source file, for the problems page's links.
pub(crate) fn pages_by_file<'a>(
    site: &'a Site,
    learners: &HashMap<&str, String>,
) -> HashMap<&'a str, (String, &'a str)> {
    let mut map = HashMap::new();
    for p in &site.pages {
        map.insert(p.file.as_str(), (p.url.clone(), p.title.as_str()));
    }
    for i in &site.items {
        map.insert(
            i.file.as_str(),
            (item_page_url(i, learners), i.header.title.as_str()),
        );
    }
    map
}

/// One page of the problems list.
pub(crate) fn problems<'a>(
    diags: &'a [Diagnostic],
    pages: &HashMap<&str, (String, &'a str)>,
) -> Vec<Problem<'a>> {
    diags
        .iter()
        .map(|d| {
            let page = pages.get(d.file.as_str());
            Problem {
                severity: d.severity.to_string(),
                code: d.code,
                file: &d.file,
                line: d.line,
                column: d.column,
                message: &d.message,
                url: page.map(|(u, _)| u.clone()),
                page: page.map(|(_, t)| *t),
            }
        })
        .collect()
}

/// An item in its kind's list: enough to choose which to open.
#[derive(Debug, Serialize)]
pub(crate) struct ListEntry<'a> {
    /// Id.
    pub(crate) id: &'a str,
    /// Title.
    pub(crate) title: &'a str,
    /// Site-relative URL.
    pub(crate) url: String,
    /// Owner.
    pub(crate) owner: Option<&'a str>,
    /// `updated`, ISO.
    pub(crate) updated: Option<String>,
    /// Tags with their pages.
    pub(crate) tags: Vec<TagLink<'a>>,
    /// The item's status in a word, for a badge (`open`, `expired`, `approved`...).
    pub(crate) status: Option<&'static str>,
    /// The status in a few words (`2 of 5 threats open`).
    pub(crate) status_text: Option<String>,
    /// Diagnostics about the item's file.
    pub(crate) warnings: usize,
}

/// A tag chip's text and its page.
#[derive(Debug, Serialize)]
pub(crate) struct TagLink<'a> {
    /// The tag as written.
    pub(crate) name: &'a str,
    /// Site-relative URL of the tag's page.
    pub(crate) url: String,
}

/// Tag chips for `tags`.
pub(crate) fn tag_links(tags: &[String]) -> Vec<TagLink<'_>> {
    tags.iter()
        .filter(|t| !t.trim().is_empty())
        .map(|t| TagLink {
            name: t.as_str(),
            url: tag_url(&slugify(t.trim())),
        })
        .collect()
}

/// Whether items of `kind` have a status for [`status`] to show (so a list knows
/// whether it needs the column without looking at every item).
pub(crate) fn has_status(kind: crate::model::Kind) -> bool {
    use crate::model::Kind;
    matches!(
        kind,
        Kind::ThreatModel
            | Kind::Scan
            | Kind::Sbom
            | Kind::Tabletop
            | Kind::Exception
            | Kind::Packet
            | Kind::Fairness
    )
}

/// An item's status for its kind's list, where the kind has one: open threats, open
/// findings, an exception's validity, open tabletop actions, a packet's derived status,
/// a fairness review's decision.
pub(crate) fn status(
    item: &Item,
    graph: &crate::link::Graph,
    today: jiff::civil::Date,
) -> (Option<&'static str>, Option<String>) {
    use crate::model::kinds::scan::FindingStatus;
    use crate::model::kinds::tabletop::ActionStatus;
    use crate::model::kinds::threat_model::ThreatStatus;
    let count = |open: usize, all: usize, what: &str| {
        let word = if open > 0 { "open" } else { "closed" };
        (Some(word), Some(format!("{open} of {all} {what} open")))
    };
    let finding_open = |s: Option<FindingStatus>| matches!(s, None | Some(FindingStatus::Open));
    match &item.body {
        Body::ThreatModel(t) => {
            let open = t
                .threats
                .iter()
                .filter(|x| {
                    matches!(
                        x.status.as_ref().map(|s| s.value),
                        None | Some(ThreatStatus::Open)
                    )
                })
                .count();
            count(open, t.threats.len(), "threats")
        }
        Body::Scan(s) => {
            let open = s.findings.iter().filter(|f| finding_open(f.status)).count();
            count(open, s.findings.len(), "findings")
        }
        Body::Sbom(s) => {
            let open = s
                .findings
                .iter()
                .filter(|f| finding_open(f.finding.status))
                .count();
            count(open, s.findings.len(), "vulnerabilities")
        }
        Body::Tabletop(t) => {
            let open = t
                .actions
                .iter()
                .filter(|a| {
                    matches!(
                        a.status.as_ref().map(|s| s.value),
                        None | Some(ActionStatus::Open)
                    )
                })
                .count();
            count(open, t.actions.len(), "actions")
        }
        Body::Exception(e) => match &e.expires {
            Some(d) if d.value < today => (Some("expired"), Some(format!("expired {}", d.value))),
            Some(d) => (Some("valid"), Some(format!("expires {}", d.value))),
            None => (None, None),
        },
        Body::Packet(_) => match graph.packets().get(&item.header.id) {
            Some(r) => (Some(r.status.word()), None),
            None => (None, None),
        },
        Body::Fairness(f) => {
            let decision = f
                .review
                .as_ref()
                .and_then(|r| r.decision.as_ref())
                .map(|d| d.value.trim().to_owned());
            match decision {
                Some(d) if !d.is_empty() => (Some("reviewed"), Some(d)),
                _ => (Some("unreviewed"), None),
            }
        }
        _ => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_a_list() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(100), 1);
        assert_eq!(page_count(101), 2);
        assert_eq!(paged_url("kinds/scan/", 1), "kinds/scan/");
        assert_eq!(paged_url("kinds/scan/", 3), "kinds/scan/page/3/");
        let all: Vec<usize> = (0..250).collect();
        assert_eq!(page_slice(&all, 3), &all[200..250]);
        assert!(page_slice(&all, 4).is_empty());
        let p = Pager::new("tags/x/", 2, 250);
        assert_eq!((p.first, p.last, p.total), (101, 200, 3));
        assert_eq!(p.prev.as_deref(), Some("tags/x/"));
        assert_eq!(p.next.as_deref(), Some("tags/x/page/3/"));
        let empty = Pager::new("kinds/scan/", 1, 0);
        assert_eq!(
            (empty.first, empty.last, empty.prev, empty.next),
            (0, 0, None, None)
        );
    }
}
