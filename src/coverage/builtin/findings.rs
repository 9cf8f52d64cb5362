//! Checks that read findings, of a scan or an SBOM's vulnerabilities.

use super::{Facts, Outcome, fail, list, pass};
use crate::model::Item;
use crate::model::kinds::common::Severity;
use crate::model::kinds::scan::FindingStatus;
use std::collections::HashMap;

/// `max-open-findings`: at most so many open findings per severity. A finding a current
/// exception covers (by its id or its rule) is not counted, and is named when its
/// severity is limited.
pub(super) fn max_open(item: &Item, limits: &[(Severity, u32)], facts: &Facts<'_>) -> Outcome {
    let id = item.header.id.as_str();
    let mut open: HashMap<Severity, Vec<String>> = HashMap::new();
    let mut covered = Vec::new();
    for f in item.body.findings() {
        if f.status() != FindingStatus::Open {
            continue;
        }
        let Some(sev) = f.severity else {
            continue;
        };
        let fid = f.id.as_str();
        let by = facts
            .covered
            .get(&(id, &*fid))
            .or_else(|| f.rule.as_ref().and_then(|r| facts.covered.get(&(id, &**r))));
        match by {
            Some(exc) if limits.iter().any(|(s, _)| *s == sev) => {
                covered.push(format!("{} by {exc}", f.id));
            }
            Some(_) => {}
            None => open.entry(sev).or_default().push(f.id.to_string()),
        }
    }
    let mut over = Vec::new();
    let mut within = Vec::new();
    for (sev, max) in limits {
        let ids = open.get(sev).map_or(&[][..], Vec::as_slice);
        if ids.len() > *max as usize {
            over.push(format!(
                "{} open {sev} ({}), at most {max} allowed",
                ids.len(),
                list(ids)
            ));
        } else {
            within.push(format!("{} open {sev} (at most {max})", ids.len()));
        }
    }
    let covered = if covered.is_empty() {
        String::new()
    } else {
        format!("; covered by a current exception: {}", list(&covered))
    };
    if over.is_empty() {
        pass(format!("{id}: {}{covered}", within.join(", ")))
    } else {
        fail(format!("{id}: {}{covered}", over.join("; ")))
    }
}
