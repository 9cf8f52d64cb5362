//! Checks that read a packet's sign-offs: how recent the latest approval is, and whether
//! a role approved.

use super::{Facts, Outcome, age, fail, list, pass};
use crate::model::Item;
use crate::model::decode::Choice;
use crate::model::kinds::Body;
use crate::model::kinds::packet::{Decision, Signoff};
use std::collections::HashSet;

/// `review-current` on a packet: its latest dated approving sign-off is at most `days`
/// (else a year) old.
pub(super) fn review_current(item: &Item, days: Option<u32>, facts: &Facts<'_>) -> Outcome {
    let id = item.header.id.as_str();
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

/// `signed-off-by: ROLE`: the role approved, without or else with conditions.
pub(super) fn signed_off_by(item: &Item, role: &str, facts: &Facts<'_>) -> Outcome {
    let id = item.header.id.as_str();
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
        let conditions: Vec<String> = s.conditions.iter().map(|c| c.value.clone()).collect();
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

fn approving(s: &Signoff) -> bool {
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
fn signoffs<'a>(item: &'a Item, facts: &Facts<'a>) -> Vec<(&'a str, &'a Signoff)> {
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
