//! Checks that read a packet's sign-offs: how recent the latest approval is, and whether
//! a role approved. They read the packet as resolved by link/packets.rs, with what it
//! inherits through `extends`, so that a rubric sees the sign-offs its page and status
//! show: a role the packet signs again overrides the inherited sign-off.

use super::{Facts, Outcome, age, fail, list, pass};
use crate::link::packets::SignoffEntry;
use crate::model::decode::Choice;
use crate::model::kinds::packet::{Decision, Signoff};

/// `review-current` on a packet: its latest dated approving sign-off is at most `days`
/// (else a year) old.
pub(super) fn review_current(id: &str, days: Option<u32>, facts: &Facts<'_>) -> Outcome {
    let latest = signoffs(id, facts)
        .iter()
        .map(|e| &e.signoff)
        .filter(|s| approving(s))
        .filter_map(|s| s.on.as_ref().map(|x| x.value))
        .max();
    match latest {
        Some(on) => age(id, "signed off", on, days.unwrap_or(365), facts.today),
        None => fail(format!("{id}: has no dated approving sign-off")),
    }
}

/// `signed-off-by: ROLE`: the role approved, without or else with conditions.
pub(super) fn signed_off_by(id: &str, role: &str, facts: &Facts<'_>) -> Outcome {
    let by_role: Vec<&SignoffEntry> = signoffs(id, facts)
        .iter()
        .filter(|e| e.signoff.role.value.trim().eq_ignore_ascii_case(role))
        .collect();
    let from = |e: &SignoffEntry| {
        e.via
            .last()
            .map(|owner| format!(" (inherited from {owner})"))
            .unwrap_or_default()
    };
    if let Some(e) = by_role.iter().find(|e| {
        e.signoff
            .decision
            .as_ref()
            .is_some_and(|d| d.value == Decision::Approved)
    }) {
        let who = e
            .signoff
            .by
            .as_ref()
            .map(|b| format!(" by {}", b.value))
            .unwrap_or_default();
        return pass(format!("{id}: approved by {role}{who}{}", from(e)));
    }
    if let Some(e) = by_role.iter().find(|e| approving(&e.signoff)) {
        let conditions: Vec<String> = e
            .signoff
            .conditions
            .iter()
            .map(|c| c.value.clone())
            .collect();
        let cond = if conditions.is_empty() {
            String::new()
        } else {
            format!(": {}", list(&conditions))
        };
        return pass(format!(
            "{id}: approved with conditions by {role}{}{cond}",
            from(e)
        ));
    }
    match by_role.first() {
        Some(e) => {
            // The approval the packet would inherit no longer counts: say whose it was.
            let overriding = e
                .overrides
                .as_ref()
                .map(|o| format!(" (overriding the sign-off inherited from {o})"))
                .unwrap_or_default();
            fail(format!(
                "{id}: {role} decided {}{overriding}",
                e.signoff
                    .decision
                    .as_ref()
                    .map_or("nothing", |d| d.value.name())
            ))
        }
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

/// Packet `id`'s sign-offs, own and inherited, one per role (the nearest), own first.
fn signoffs<'a>(id: &str, facts: &Facts<'a>) -> &'a [SignoffEntry] {
    facts.packets.get(id).map_or(&[], |p| p.signoffs.as_slice())
}
