//! What each check of DESIGN 3.6 means for one evidence item. Every outcome carries a
//! reason that names the item and the sub-items that decided it (threat T3, finding
//! CVE-...), because a verdict a learner cannot trace back to their evidence is useless.
//! One file per kind the checks read; [`evaluate`] only picks the check.

mod exception;
mod fairness;
mod findings;
mod packet;
mod tabletop;
mod threat_model;

use crate::link::packets::Packets;
use crate::model::Item;
use crate::model::kinds::Body;
use crate::model::kinds::checks::Test;
use jiff::civil::Date;
use std::collections::HashMap;

/// What the checks need besides the item: the date, the site's current exceptions and its
/// resolved packets.
pub(super) struct Facts<'a> {
    /// The date expiries and cadences are compared against.
    pub today: Date,
    /// `(item, sub)` pairs a current exception covers, with the exception's id.
    pub covered: &'a HashMap<(&'a str, &'a str), &'a str>,
    /// Every item by id, for the evidence claims cite.
    pub items: &'a HashMap<&'a str, &'a Item>,
    /// Every packet with what it inherits, for the checks on sign-offs.
    pub packets: &'a Packets,
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
        (Test::StrideCoverage, Body::ThreatModel(tm)) => threat_model::stride_coverage(id, tm),
        (Test::ThreatCategories(wanted), Body::ThreatModel(tm)) => {
            threat_model::categories(id, tm, wanted, "each required category")
        }
        (Test::AtlasMapped(n), Body::ThreatModel(tm)) => threat_model::atlas_mapped(id, tm, *n),
        (Test::AllThreatsResolved, Body::ThreatModel(tm)) => {
            threat_model::all_threats_resolved(id, tm, facts)
        }
        (Test::MitigationsOwned, Body::ThreatModel(tm)) => threat_model::mitigations_owned(id, tm),
        (Test::MitigationsOwned, Body::Tabletop(tt)) => tabletop::actions_owned(id, tt),
        (Test::MaxOpenFindings(limits), Body::Scan(_) | Body::Sbom(_)) => {
            findings::max_open(item, limits, facts)
        }
        (Test::DisparitiesWithinThreshold, Body::Fairness(f)) => {
            fairness::disparities_within_threshold(id, f)
        }
        (Test::HasExplainability, Body::Fairness(f)) => fairness::has_explainability(id, f),
        (Test::ReviewCurrent(days), Body::Fairness(f)) => {
            fairness::review_current(id, f, *days, facts)
        }
        (Test::ReviewCurrent(days), Body::Packet(_)) => packet::review_current(id, *days, facts),
        (Test::SignedOffBy(role), Body::Packet(_)) => packet::signed_off_by(id, role, facts),
        (Test::MinApprovers(n), Body::Exception(e)) => exception::min_approvers(id, e, *n),
        (Test::TimeBoxed(n), Body::Exception(e)) => exception::time_boxed(id, e, *n, facts),
        (test, _) => fail(format!(
            "{id}: a {} cannot be checked with `{}`",
            item.header.kind.name(),
            test.name()
        )),
    }
}

/// Open mitigations or actions: each needs an owner and a due date.
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

/// A review or sign-off on `on` is current while it is at most `cadence` days old.
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
