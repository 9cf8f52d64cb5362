//! What each check of DESIGN 3.6 means for one evidence item. Every outcome carries a
//! reason that names the item and the sub-items that decided it (threat T3, finding
//! CVE-...), because a verdict a learner cannot trace back to their evidence is useless.

use crate::model::Item;
use crate::model::decode::Choice;
use crate::model::kinds::Body;
use crate::model::kinds::checks::Test;
use crate::model::kinds::common::{Category, Severity};
use crate::model::kinds::packet::Decision;
use crate::model::kinds::scan::FindingStatus;
use crate::model::kinds::tabletop::ActionStatus;
use crate::model::kinds::threat_model::{MitigationStatus, ThreatStatus};
use jiff::civil::Date;
use std::collections::{BTreeSet, HashMap, HashSet};

/// What the checks need besides the item: the date and the site's current exceptions.
pub(super) struct Facts<'a> {
    /// The date expiries and cadences are compared against.
    pub today: Date,
    /// `(item, sub)` pairs a current exception covers, with the exception's id.
    pub covered: &'a HashMap<(&'a str, &'a str), &'a str>,
    /// Every item by id, for packets' `extends`.
    pub items: &'a HashMap<&'a str, &'a Item>,
}

/// The outcome of one check on one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Outcome {
    /// Whether it passed.
    pub passed: bool,
    /// Why, naming the item and sub-items.
    pub detail: String,
}

fn pass(detail: String) -> Outcome {
    Outcome {
        passed: true,
        detail,
    }
}

fn fail(detail: String) -> Outcome {
    Outcome {
        passed: false,
        detail,
    }
}

/// A short list: the first few names, then how many more.
pub(super) fn list(names: &[String]) -> String {
    const SHOWN: usize = 6;
    if names.len() <= SHOWN {
        names.join(", ")
    } else {
        format!(
            "{} and {} more",
            names[..SHOWN].join(", "),
            names.len() - SHOWN
        )
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Evaluates an item-level check (everything but `min-count` and `expr`).
pub(super) fn evaluate(test: &Test, item: &Item, facts: &Facts<'_>) -> Outcome {
    let id = item.header.id.as_str();
    match (test, &item.body) {
        (Test::StrideCoverage, Body::ThreatModel(tm)) => {
            let stride: Vec<Category> = Category::NAMES
                .iter()
                .enumerate()
                .map(|(i, _)| Category::from_index(i))
                .filter(|c| c.is_stride())
                .collect();
            categories(id, tm, &stride, "each STRIDE category")
        }
        (Test::ThreatCategories(wanted), Body::ThreatModel(tm)) => {
            categories(id, tm, wanted, "each required category")
        }
        (Test::AtlasMapped(n), Body::ThreatModel(tm)) => {
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
            if got >= *n as usize {
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
        (Test::AllThreatsResolved, Body::ThreatModel(tm)) => {
            let mut unresolved = Vec::new();
            for t in &tm.threats {
                let tid = &t.id.value;
                // A threat a current exception covers is handled, like an accepted one.
                if facts.covered.contains_key(&(id, tid.as_str())) {
                    continue;
                }
                match t.status.as_ref().map(|s| s.value) {
                    Some(
                        ThreatStatus::Mitigated
                        | ThreatStatus::Transferred
                        | ThreatStatus::FalsePositive,
                    ) => {}
                    Some(ThreatStatus::Accepted) => {
                        match t.acceptance.as_ref().and_then(|a| a.expires.as_ref()) {
                            Some(e) if e.value >= facts.today => {}
                            Some(e) => unresolved.push(format!(
                                "{tid} accepted, but its acceptance expired on {}",
                                e.value
                            )),
                            None => unresolved
                                .push(format!("{tid} accepted without a current acceptance")),
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
        (Test::MitigationsOwned, Body::ThreatModel(tm)) => {
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
        (Test::MitigationsOwned, Body::Tabletop(tt)) => {
            let open: Vec<_> = tt
                .actions
                .iter()
                .filter(|a| {
                    a.status
                        .as_ref()
                        .is_none_or(|s| s.value != ActionStatus::Done)
                })
                .collect();
            let missing: Vec<String> = open
                .iter()
                .filter(|a| a.owner.is_none() || a.due.is_none())
                .map(|a| a.id.value.clone())
                .collect();
            owned(id, open.len(), &missing, ("action", "actions"))
        }
        (Test::MaxOpenFindings(limits), Body::Scan(_) | Body::Sbom(_)) => {
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
        (Test::DisparitiesWithinThreshold, Body::Fairness(f)) => {
            if f.disparities.is_empty() {
                return fail(format!(
                    "{id}: records no disparities to compare with a threshold"
                ));
            }
            let past: Vec<String> = f
                .disparities
                .iter()
                .filter(|d| !d.within())
                .map(|d| {
                    let feature = d
                        .feature
                        .as_ref()
                        .map(|x| format!(" for {}", x.value))
                        .unwrap_or_default();
                    format!(
                        "{}{feature} is {}, past its threshold {}",
                        d.metric.value, d.value.value, d.threshold.value
                    )
                })
                .collect();
            if past.is_empty() {
                pass(format!(
                    "{id}: {} within {}",
                    plural(f.disparities.len(), "disparity", "disparities"),
                    if f.disparities.len() == 1 {
                        "its threshold"
                    } else {
                        "their thresholds"
                    }
                ))
            } else {
                fail(format!("{id}: {}", list(&past)))
            }
        }
        (Test::HasExplainability, Body::Fairness(f)) => match &f.explainability {
            Some(x) if !x.global_importance.is_empty() => {
                let method = x
                    .method
                    .as_ref()
                    .map(|m| format!(" ({})", m.value))
                    .unwrap_or_default();
                pass(format!(
                    "{id}: global importance for {}{method}",
                    plural(x.global_importance.len(), "feature", "features")
                ))
            }
            Some(_) => fail(format!(
                "{id}: its explainability section has no feature importance"
            )),
            None => fail(format!("{id}: has no explainability section")),
        },
        (Test::ReviewCurrent(days), Body::Fairness(f)) => {
            let Some(review) = &f.review else {
                return fail(format!("{id}: has no review"));
            };
            let Some(on) = review.reviewed_on.as_ref().map(|x| x.value) else {
                return fail(format!("{id}: its review has no `reviewed_on` date"));
            };
            let cadence = review
                .cadence_days
                .as_ref()
                .map(|c| c.value)
                .or(*days)
                .unwrap_or(365);
            age(id, "reviewed", on, cadence, facts.today)
        }
        (Test::ReviewCurrent(days), Body::Packet(_)) => {
            let latest = signoffs(item, facts)
                .into_iter()
                .filter(|(_, s)| approving(s))
                .filter_map(|(_, s)| s.on.as_ref().map(|x| x.value))
                .max();
            match latest {
                Some(on) => age(id, "signed off", on, days.unwrap_or(365), facts.today),
                None => fail(format!("{id}: has no dated approving sign-off")),
            }
        }
        (Test::SignedOffBy(role), Body::Packet(_)) => {
            let all = signoffs(item, facts);
            let by_role: Vec<_> = all
                .iter()
                .filter(|(_, s)| s.role.value.trim().eq_ignore_ascii_case(role))
                .collect();
            let from = |owner: &str| {
                if owner == id {
                    String::new()
                } else {
                    format!(" (inherited from {owner})")
                }
            };
            if let Some((owner, s)) = by_role.iter().find(|(_, s)| {
                s.decision
                    .as_ref()
                    .is_some_and(|d| d.value == Decision::Approved)
            }) {
                let who =
                    s.by.as_ref()
                        .map(|b| format!(" by {}", b.value))
                        .unwrap_or_default();
                return pass(format!("{id}: approved by {role}{who}{}", from(owner)));
            }
            if let Some((owner, s)) = by_role.iter().find(|(_, s)| approving(s)) {
                let conditions: Vec<String> =
                    s.conditions.iter().map(|c| c.value.clone()).collect();
                let cond = if conditions.is_empty() {
                    String::new()
                } else {
                    format!(": {}", list(&conditions))
                };
                return pass(format!(
                    "{id}: approved with conditions by {role}{}{cond}",
                    from(owner)
                ));
            }
            match by_role.first() {
                Some((_, s)) => fail(format!(
                    "{id}: {role} decided {}",
                    s.decision.as_ref().map_or("nothing", |d| d.value.name())
                )),
                None => fail(format!("{id}: has no sign-off by {role}")),
            }
        }
        (Test::MinApprovers(n), Body::Exception(e)) => {
            let people: BTreeSet<String> = e
                .approved_by
                .iter()
                .map(|a| a.value.trim().to_lowercase())
                .filter(|a| !a.is_empty())
                .collect();
            let names: Vec<String> = e.approved_by.iter().map(|a| a.value.clone()).collect();
            let who = if names.is_empty() {
                String::new()
            } else {
                format!(" ({})", list(&names))
            };
            if people.len() >= *n as usize {
                pass(format!(
                    "{id}: approved by {}{who}",
                    plural(people.len(), "person", "people")
                ))
            } else {
                fail(format!(
                    "{id}: approved by {}{who}; {n} needed",
                    plural(people.len(), "person", "people")
                ))
            }
        }
        (Test::TimeBoxed(n), Body::Exception(e)) => {
            let (Some(on), Some(expires)) = (
                e.approved_on.as_ref().map(|x| x.value),
                e.expires.as_ref().map(|x| x.value),
            ) else {
                return fail(format!("{id}: needs both `approved_on` and `expires`"));
            };
            let span = i64::from((expires - on).get_days());
            if expires < facts.today {
                fail(format!("{id}: expired on {expires}"))
            } else if span > i64::from(*n) {
                fail(format!(
                    "{id}: runs {span} days ({on} to {expires}), more than {n}"
                ))
            } else {
                pass(format!(
                    "{id}: runs {span} days ({on} to {expires}), at most {n}"
                ))
            }
        }
        (test, _) => fail(format!(
            "{id}: a {} cannot be checked with `{}`",
            item.header.kind.name(),
            test.name()
        )),
    }
}

fn categories(
    id: &str,
    tm: &crate::model::kinds::threat_model::ThreatModel,
    wanted: &[Category],
    what: &str,
) -> Outcome {
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

fn owned(id: &str, total: usize, missing: &[String], what: (&str, &str)) -> Outcome {
    let what = if total == 1 { what.0 } else { what.1 };
    if missing.is_empty() {
        pass(format!(
            "{id}: {total} open {what} with an owner and a due date"
        ))
    } else {
        fail(format!("{id}: no owner or due date for {}", list(missing)))
    }
}

fn age(id: &str, verb: &str, on: Date, cadence: u32, today: Date) -> Outcome {
    let days = i64::from((today - on).get_days());
    if days <= i64::from(cadence) {
        pass(format!(
            "{id}: {verb} on {on}, {days} days ago (cadence {cadence} days)"
        ))
    } else {
        fail(format!(
            "{id}: {verb} on {on}, {days} days ago, past its cadence of {cadence} days"
        ))
    }
}

fn approving(s: &crate::model::kinds::packet::Signoff) -> bool {
    s.decision.as_ref().is_some_and(|d| {
        matches!(
            d.value,
            Decision::Approved | Decision::ApprovedWithConditions
        )
    })
}

/// A packet's sign-offs and those it inherits through `extends` (transitively; a cycle is
/// reported by the reference checks and simply stops the walk here), each with the id of
/// the packet that holds it.
fn signoffs<'a>(
    item: &'a Item,
    facts: &Facts<'a>,
) -> Vec<(&'a str, &'a crate::model::kinds::packet::Signoff)> {
    let mut out = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut queue = vec![item];
    while let Some(it) = queue.pop() {
        if !seen.insert(it.header.id.as_str()) {
            continue;
        }
        let Body::Packet(p) = &it.body else { continue };
        out.extend(p.signoffs.iter().map(|s| (it.header.id.as_str(), s)));
        for parent in &p.extends {
            if let Some(next) = facts.items.get(parent.value.trim()) {
                queue.push(next);
            }
        }
    }
    out
}
