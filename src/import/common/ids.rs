//! Ids made unique within one report. Tools repeat ids (a rule that fires twice, two
//! components with the same name), but an item's parts are cited by id, so each must
//! name one thing. Two rules are kept, each where it is wanted:
//! - [`Suffixes`] (and [`dedupe_ids`], [`unique_finding_ids`], [`unique_ids`]) numbers
//!   the repeats of each id as written (`B101`, `B101-2`, `B101-3`), so that a finding's
//!   id still starts with its rule's;
//! - [`unique`] also steps over ids already taken by another name (a slug `a-2` written
//!   as such), for ids made from titles, where such clashes happen.

use crate::model::decode::At;
use crate::model::kinds::scan::{Finding, FindingId};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Counts each id as it comes: the first keeps its text, the n-th becomes `ID-n`.
#[derive(Debug, Default)]
pub(crate) struct Suffixes {
    seen: HashMap<String, usize>,
}

impl Suffixes {
    /// `base` the first time it is seen, `base-N` the N-th time.
    pub(crate) fn claim(&mut self, base: String) -> String {
        let n = self.seen.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 { base } else { format!("{base}-{n}") }
    }
}

/// Makes ids unique within a report by suffixing repeats (`B101`, `B101-2`, ...), keeping
/// the first occurrence as the tool wrote it.
pub fn dedupe_ids(findings: &mut [Finding]) {
    unique_finding_ids(findings.iter_mut().map(|f| &mut f.id));
}

/// Makes finding ids unique, as [`dedupe_ids`] does, for findings held in other types
/// (an SBOM's vulnerabilities).
pub fn unique_finding_ids<'a>(ids: impl IntoIterator<Item = &'a mut FindingId>) {
    let mut seen = HashMap::<Arc<str>, u32>::new();
    for id in ids {
        let base = id.base().clone();
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            *id = FindingId::nth(base, *n);
        }
    }
}

/// Makes ids unique by suffixing repeats, as [`dedupe_ids`] does, for any list of ids
/// (an SBOM's components).
pub fn unique_ids<'a>(ids: impl IntoIterator<Item = &'a mut At<String>>) {
    let mut suffixes = Suffixes::default();
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
        assert_eq!(ids, ["a", "a-2", "a-2"]);
        let mut taken = HashSet::new();
        let ids: Vec<String> = ["a", "a-2", "a"]
            .map(|x| unique(&mut taken, x.to_owned()))
            .into();
        assert_eq!(ids, ["a", "a-2", "a-3"]);
    }
}
