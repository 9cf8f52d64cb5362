//! The one normalised finding every scanner importer produces. The severity mappings and
//! id rules they share live in `common` and are named here too, so that a "high" means
//! the same whatever tool said it.

use super::common::text::trimmed;
use crate::diag::Pos;
use crate::model::decode::At;
use crate::model::kinds::common::Severity;
use crate::model::kinds::scan::{
    Finding, FindingAt, FindingId, FindingStatus, Location, Rule, SeverityKey,
};
use std::collections::{HashMap, HashSet};
use std::num::NonZeroU32;
use std::sync::Arc;

pub use super::common::ids::{dedupe_ids, unique_finding_ids, unique_ids};
pub use super::common::severity::{severity_score, severity_word};
pub use super::common::text::headline;

/// A value placed at the report file as a whole, with its path in the report.
pub fn at<T>(value: T, path: impl Into<String>) -> At<T> {
    At {
        value,
        pos: Pos::FILE,
        path: path.into(),
    }
}

/// Optional text, dropping empty strings.
pub fn text(value: Option<&str>, path: &str) -> Option<At<String>> {
    value
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| at(s.to_owned(), path))
}

/// A finding under construction; fill the fields, then [`NewFinding::build`] (or
/// [`NewFinding::build_shared`] for a report that may hold a million of them).
#[derive(Debug, Default)]
pub struct NewFinding {
    /// Unique in the report (made unique by [`dedupe_ids`] when the tool repeats ids).
    pub id: String,
    /// Rule or advisory id.
    pub rule: Option<String>,
    /// Normalised severity.
    pub severity: Option<Severity>,
    /// One-line title.
    pub title: Option<String>,
    /// A file (with `line`), or package@version.
    pub location: Option<String>,
    /// The line in the `location` file, kept apart so the file name is shared.
    pub line: Option<u64>,
    /// Fixing version.
    pub fixed_version: Option<String>,
    /// Advisory links.
    pub references: Vec<String>,
    /// Normalised status (open when `None`).
    pub status: Option<FindingStatus>,
    /// Why suppressed or not affected.
    pub justification: Option<String>,
    /// The field of the report the severity was read from.
    pub severity_key: SeverityKey,
}

/// Text the findings of one report share: each distinct string (rule id, title, file,
/// link, list path) and list of links is allocated once.
#[derive(Debug, Default)]
pub struct Shared {
    strings: HashSet<Arc<str>>,
    links: HashMap<Vec<Arc<str>>, Arc<[Arc<str>]>>,
}

impl Shared {
    /// The shared copy of `s`.
    pub fn text(&mut self, s: &str) -> Arc<str> {
        if let Some(x) = self.strings.get(s) {
            return x.clone();
        }
        let x: Arc<str> = Arc::from(s);
        self.strings.insert(x.clone());
        x
    }

    fn links(&mut self, refs: &[String]) -> Option<Arc<[Arc<str>]>> {
        let refs: Vec<Arc<str>> = refs
            .iter()
            .map(|r| r.trim())
            .filter(|r| !r.is_empty())
            .map(|r| self.text(r))
            .collect();
        if refs.is_empty() {
            return None;
        }
        if let Some(x) = self.links.get(&refs) {
            return Some(x.clone());
        }
        let x: Arc<[Arc<str>]> = Arc::from(refs.as_slice());
        self.links.insert(refs, x.clone());
        Some(x)
    }
}

/// A report's findings as they are built, with the text they share.
#[derive(Debug, Default)]
pub struct Findings {
    /// The findings so far.
    pub list: Vec<Finding>,
    /// Their shared text.
    pub shared: Shared,
}

impl Findings {
    /// Adds item `index` of the list at `list`.
    pub fn push(&mut self, f: NewFinding, list: &Arc<str>, index: usize) {
        let f = f.build_shared(list, index, &mut self.shared);
        self.list.push(f);
    }

    /// Adds the finding at `path` (`Results[2].Secrets[3]`).
    pub fn push_at(&mut self, f: NewFinding, path: &str) {
        let (list, index) = split_path(path);
        let list = self.shared.text(list);
        self.push(f, &list, index);
    }

    /// The findings with their ids made unique.
    pub fn finish(mut self) -> Vec<Finding> {
        dedupe_ids(&mut self.list);
        self.list
    }
}

/// `runs[0].results[3]` as the list's path and the index.
fn split_path(path: &str) -> (&str, usize) {
    match path.rsplit_once('[') {
        Some((list, i)) => (list, i.trim_end_matches(']').parse().unwrap_or_default()),
        None => (path, 0),
    }
}

/// The rules a report describes, each id once (the first description wins).
#[derive(Debug, Default)]
pub struct RuleSet {
    /// The rules, in the order first seen.
    pub list: Vec<Rule>,
    seen: HashSet<String>,
}

impl RuleSet {
    /// Whether `id` is new (and now seen); describe it only then.
    pub fn fresh(&mut self, id: &str) -> bool {
        !id.trim().is_empty() && self.seen.insert(id.trim().to_owned())
    }

    /// Adds a rule whose id is fresh.
    pub fn add(&mut self, rule: Rule) {
        if self.fresh(&rule.id.value) {
            self.list.push(rule);
        }
    }
}

impl NewFinding {
    /// The finding, addressed by `path` (`results[3]`); for small reports.
    pub fn build(self, path: &str) -> Finding {
        let (list, index) = split_path(path);
        let mut shared = Shared::default();
        let list = shared.text(list);
        self.build_shared(&list, index, &mut shared)
    }

    /// The finding, item `index` of the list at `list` (`runs[0].results`), its text
    /// shared with the report's other findings through `shared`.
    pub fn build_shared(self, list: &Arc<str>, index: usize, shared: &mut Shared) -> Finding {
        let location = trimmed(self.location.as_deref()).map(|l| Location {
            text: shared.text(l),
            line: self
                .line
                .and_then(|n| u32::try_from(n).ok())
                .and_then(NonZeroU32::new),
        });
        Finding {
            id: FindingId::new(shared.text(&self.id)),
            rule: trimmed(self.rule.as_deref()).map(|r| shared.text(r)),
            severity: self.severity,
            title: trimmed(self.title.as_deref()).map(|t| shared.text(t)),
            location,
            fixed_version: trimmed(self.fixed_version.as_deref()).map(Box::from),
            references: shared.links(&self.references),
            status: self.status,
            justification: trimmed(self.justification.as_deref()).map(Box::from),
            at: FindingAt {
                list: list.clone(),
                index: u32::try_from(index).unwrap_or(u32::MAX),
                severity: Pos::FILE,
                severity_key: self.severity_key,
            },
        }
    }
}
