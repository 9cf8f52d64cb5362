//! Checks that read a threat model: categories covered, ATLAS mapping, resolution and
//! owned mitigations.

use super::{Facts, Outcome, fail, list, owned, pass, plural};
use crate::model::decode::Choice;
use crate::model::kinds::common::Category;
use crate::model::kinds::threat_model::{MitigationStatus, ThreatModel, ThreatStatus};

/// `stride-coverage`: a threat in each STRIDE category.
pub(super) fn stride_coverage(id: &str, tm: &ThreatModel) -> Outcome {
    let stride: Vec<Category> = Category::NAMES
        .iter()
        .enumerate()
        .map(|(i, _)| Category::from_index(i))
        .filter(|c| c.is_stride())
        .collect();
    categories(id, tm, &stride, "each STRIDE category")
}

/// `threat-categories` (and `stride-coverage`): a threat in each of `wanted`.
pub(super) fn categories(id: &str, tm: &ThreatModel, wanted: &[Category], what: &str) -> Outcome {
    let mut found: Vec<String> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for c in wanted {
        match tm
            .threats
            .iter()
            .find(|t| t.category.as_ref().is_some_and(|x| x.value == *c))
        {
            Some(t) => found.push(format!("{c} {}", t.id.value)),
            None => missing.push(c.to_string()),
        }
    }
    if missing.is_empty() {
        pass(format!("{id}: a threat in {what} ({})", found.join(", ")))
    } else {
        fail(format!("{id}: no threat for {}", missing.join(", ")))
    }
}

/// `atlas-mapped: N`: at least `n` threats cite a MITRE ATLAS technique.
pub(super) fn atlas_mapped(id: &str, tm: &ThreatModel, n: u32) -> Outcome {
    let mapped: Vec<String> = tm
        .threats
        .iter()
        .filter(|t| !t.atlas.is_empty())
        .map(|t| t.id.value.clone())
        .collect();
    let got = mapped.len();
    let which = if mapped.is_empty() {
        String::new()
    } else {
        format!(" ({})", list(&mapped))
    };
    if got >= n as usize {
        pass(format!(
            "{id}: {} a MITRE ATLAS technique{which}",
            plural(got, "threat cites", "threats cite")
        ))
    } else {
        fail(format!(
            "{id}: {} a MITRE ATLAS technique{which}; {n} needed",
            plural(got, "threat cites", "threats cite")
        ))
    }
}

/// `all-threats-resolved`: every threat mitigated, transferred, a false positive,
/// accepted with a current acceptance, or covered by a current exception.
pub(super) fn all_threats_resolved(id: &str, tm: &ThreatModel, facts: &Facts<'_>) -> Outcome {
    let mut unresolved = Vec::new();
    for t in &tm.threats {
        let tid = &t.id.value;
        // A threat a current exception covers is handled, like an accepted one.
        if facts.covered.contains_key(&(id, tid.as_str())) {
            continue;
        }
        match t.status.as_ref().map(|s| s.value) {
            Some(
                ThreatStatus::Mitigated | ThreatStatus::Transferred | ThreatStatus::FalsePositive,
            ) => {}
            Some(ThreatStatus::Accepted) => {
                match t.acceptance.as_ref().and_then(|a| a.expires.as_ref()) {
                    Some(e) if e.value >= facts.today => {}
                    Some(e) => unresolved.push(format!(
                        "{tid} accepted, but its acceptance expired on {}",
                        e.value
                    )),
                    None => unresolved.push(format!("{tid} accepted without a current acceptance")),
                }
            }
            Some(ThreatStatus::Open) => unresolved.push(format!("{tid} open")),
            None => unresolved.push(format!("{tid} has no status")),
        }
    }
    if tm.threats.is_empty() {
        fail(format!("{id}: records no threats"))
    } else if unresolved.is_empty() {
        pass(format!(
            "{id}: {} resolved or accepted with a current acceptance",
            plural(tm.threats.len(), "threat", "threats")
        ))
    } else {
        fail(format!("{id}: {}", list(&unresolved)))
    }
}

/// `mitigations-owned` on a threat model: every mitigation not done has an owner and a
/// due date.
pub(super) fn mitigations_owned(id: &str, tm: &ThreatModel) -> Outcome {
    let mut missing = Vec::new();
    let mut total = 0;
    for t in &tm.threats {
        for (i, m) in t.mitigations.iter().enumerate() {
            if m.status
                .as_ref()
                .is_some_and(|s| s.value == MitigationStatus::Done)
            {
                continue;
            }
            total += 1;
            if m.owner.is_none() || m.due.is_none() {
                missing.push(format!("{} mitigation {}", t.id.value, i + 1));
            }
        }
    }
    owned(id, total, &missing, ("mitigation", "mitigations"))
}
