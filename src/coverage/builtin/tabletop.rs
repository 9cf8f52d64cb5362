//! Checks that read a tabletop exercise: its open actions.

use super::{Outcome, owned};
use crate::model::kinds::tabletop::{ActionStatus, Tabletop};

/// `mitigations-owned` on a tabletop: every action not done has an owner and a due date.
pub(super) fn actions_owned(id: &str, tt: &Tabletop) -> Outcome {
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
