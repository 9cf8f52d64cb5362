//! Ids made unique within one report. Tools repeat ids (a rule that fires twice, two
//! components with the same name), but an item's parts are cited by id, so each must
//! name one thing. Two rules are kept, each where it is wanted:
//! - [`Suffixes`] (and [`dedupe_ids`], [`unique_finding_ids`], [`unique_ids`]) numbers
//!   the repeats of each id as written (`B101`, `B101-2`, `B101-3`), so that a finding's
//!   id still starts with its rule's, stepping over every id the report writes itself;
//! - [`unique`] also steps over ids already taken by another name (a slug `a-2` written
//!   as such), for ids made from titles, where such clashes happen.

use crate::model::decode::At;
use crate::model::kinds::scan::{Finding, FindingId};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Gives each id its text the first time and `ID-n` on a repeat, with `n` the lowest number
/// that names nothing else: not an id given before, and not one the report writes
/// anywhere ([`Suffixes::written`]). Why both: a tool that writes `a, a, a-2` must get
/// `a, a-3, a-2`, never two `a-2`s (two parts with one anchor, and an exception naming
/// `a-2` with two targets), and the id a tool wrote keeps naming what it wrote.
#[derive(Debug, Default)]
pub(crate) struct Suffixes {
    /// Every id the report writes, repeats included.
    written: HashSet<String>,
    /// Every id given so far.
    given: HashSet<String>,
    /// The last suffix given to each base, so a long run of repeats stays linear.
    last: HashMap<String, usize>,
}

impl Suffixes {
    /// Suffixes that step over every id in `written` (all the ids of the report).
    pub(crate) fn written(written: impl IntoIterator<Item = String>) -> Suffixes {
        Suffixes {
            // Only an id ending in `-N` can be a suffix given later; a report of 100,000
            // findings keeps those few, not every id.
            written: written.into_iter().filter(|id| numbered(id)).collect(),
            ..Suffixes::default()
        }
    }

    /// `base` the first time it is seen; on a repeat, the suffix of `base` that is free.
    pub(crate) fn claim(&mut self, base: String) -> String {
        if self.given.insert(base.clone()) {
            return base;
        }
        let n = self.last.entry(base.clone()).or_insert(1);
        loop {
            *n += 1;
            let candidate = format!("{base}-{n}");
            if !self.written.contains(&candidate) && self.given.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// Whether `id` ends in `-` and digits, the shape of a suffix [`Suffixes`] gives.
fn numbered(id: &str) -> bool {
    id.rsplit_once('-')
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Makes ids unique within a report by suffixing repeats (`B101`, `B101-2`, ...), keeping
/// the first occurrence as the tool wrote it.
pub fn dedupe_ids(findings: &mut [Finding]) {
    unique_finding_ids(findings.iter_mut().map(|f| &mut f.id));
}

/// Makes finding ids unique, as [`dedupe_ids`] does, for findings held in other types
/// (an SBOM's vulnerabilities).
pub fn unique_finding_ids<'a>(ids: impl IntoIterator<Item = &'a mut FindingId>) {
    let ids: Vec<&mut FindingId> = ids.into_iter().collect();
    let mut suffixes = Suffixes::written(
        ids.iter()
            .filter(|id| numbered(&id.as_str()))
            .map(|id| id.as_str().into_owned()),
    );
    for id in ids {
        let written = id.as_str().into_owned();
        let given = suffixes.claim(written.clone());
        if given != written {
            // `given` is `WRITTEN-n`: keep the base apart when the id is as the tool wrote
            // it, so that it still starts with its rule's.
            let n = given
                .strip_prefix(written.as_str())
                .and_then(|rest| rest.strip_prefix('-'))
                .and_then(|n| n.parse().ok());
            *id = match n {
                Some(n) if written == **id.base() => FindingId::nth(id.base().clone(), n),
                _ => FindingId::nth(Arc::from(given), 1),
            };
        }
    }
}

/// Makes ids unique by suffixing repeats, as [`dedupe_ids`] does, for any list of ids
/// (an SBOM's components).
pub fn unique_ids<'a>(ids: impl IntoIterator<Item = &'a mut At<String>>) {
    let ids: Vec<&mut At<String>> = ids.into_iter().collect();
    let mut suffixes = Suffixes::written(ids.iter().map(|id| id.value.clone()));
    for id in ids {
        id.value = suffixes.claim(std::mem::take(&mut id.value));
    }
}

/// `base`, or `base-2`, `base-3`, ... if already taken.
pub(crate) fn unique(taken: &mut HashSet<String>, base: String) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    let mut n = 2;
    loop {
        let candidate = format!("{base}-{n}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::finding::NewFinding;

    #[test]
    fn duplicate_ids_get_suffixes() {
        let mut f: Vec<Finding> = ["B101", "B101", "B102", "B101"]
            .iter()
            .enumerate()
            .map(|(i, id)| {
                NewFinding {
                    id: (*id).to_owned(),
                    ..NewFinding::default()
                }
                .build(&format!("results[{i}]"))
            })
            .collect();
        dedupe_ids(&mut f);
        let ids: Vec<String> = f.iter().map(|x| x.id.to_string()).collect();
        assert_eq!(ids, ["B101", "B101-2", "B102", "B101-3"]);
    }

    #[test]
    fn suffixes_count_repeats_and_unique_steps_over_taken_ids() {
        let mut s = Suffixes::default();
        let ids: Vec<String> = ["a", "a-2", "a"].map(|x| s.claim(x.to_owned())).into();
        assert_eq!(ids, ["a", "a-2", "a-3"]);
        // Written later in the report, `a-2` keeps its name and the repeat steps over it.
        let written = ["a", "a", "a-2", "a"];
        let mut s = Suffixes::written(written.map(str::to_owned));
        let ids: Vec<String> = written.map(|x| s.claim(x.to_owned())).into();
        assert_eq!(ids, ["a", "a-3", "a-2", "a-4"]);
        let mut taken = HashSet::new();
        let ids: Vec<String> = ["a", "a-2", "a"]
            .map(|x| unique(&mut taken, x.to_owned()))
            .into();
        assert_eq!(ids, ["a", "a-2", "a-3"]);
    }
}
