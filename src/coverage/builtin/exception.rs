//! Checks that read an exception: who approved it and for how long.

use super::{Facts, Outcome, fail, list, pass, plural};
use crate::model::kinds::exception::Exception;
use std::collections::BTreeSet;

/// `min-approvers: N`: at least `n` different people approved (names compared without
/// case or surrounding space).
pub(super) fn min_approvers(id: &str, e: &Exception, n: u32) -> Outcome {
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
    if people.len() >= n as usize {
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

/// `time-boxed: N`: not expired, and running at most `n` days from approval to expiry.
pub(super) fn time_boxed(id: &str, e: &Exception, n: u32, facts: &Facts<'_>) -> Outcome {
    let (Some(on), Some(expires)) = (
        e.approved_on.as_ref().map(|x| x.value),
        e.expires.as_ref().map(|x| x.value),
    ) else {
        return fail(format!("{id}: needs both `approved_on` and `expires`"));
    };
    let span = i64::from((expires - on).get_days());
    if expires < facts.today {
        fail(format!("{id}: expired on {expires}"))
    } else if span > i64::from(n) {
        fail(format!(
            "{id}: runs {span} days ({on} to {expires}), more than {n}"
        ))
    } else {
        pass(format!(
            "{id}: runs {span} days ({on} to {expires}), at most {n}"
        ))
    }
}
