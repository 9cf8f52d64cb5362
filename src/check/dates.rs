//! Dates that must lie in the past, and periods that must run forwards. Why a rule of its
//! own: every cadence and expiry check trusts these dates, and a review dated 9999-12-31
//! made `review-current` pass ("reviewed -2912112 days ago"), as an exception approved
//! after it expired passed its `time-boxed` check. Only dates a person wrote in a native
//! file are checked; a tool report's own timestamps are the tool's.

use crate::diag::Diagnostic;
use crate::model::decode::At;
use crate::model::kinds::Body;
use crate::model::{Item, Site};
use jiff::civil::Date;

pub(super) fn check(site: &Site, today: Date) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for item in &site.items {
        let mut past = |at: &Option<At<Date>>, what: &str| {
            if let Some(at) = at.as_ref().filter(|a| a.pos.line > 0 && a.value > today) {
                diags.push(in_future(item, at, what, today));
            }
        };
        match &item.body {
            Body::ThreatModel(tm) => {
                for t in &tm.threats {
                    if let Some(a) = &t.acceptance {
                        past(&a.on, "an acceptance's date");
                    }
                }
            }
            Body::Exception(e) => past(&e.approved_on, "an approval"),
            Body::Fairness(f) => {
                if let Some(r) = &f.review {
                    past(&r.reviewed_on, "a review");
                }
            }
            Body::Packet(p) => {
                for s in &p.signoffs {
                    past(&s.on, "a sign-off");
                }
            }
            Body::Tabletop(t) => past(&t.held_on, "an exercise"),
            Body::Scan(s) => past(&s.scanned, "a scan"),
            _ => {}
        }
        diags.extend(backwards(item));
    }
    diags
}

fn in_future(item: &Item, at: &At<Date>, what: &str, today: Date) -> Diagnostic {
    Diagnostic::error(
        "E0408",
        &item.file,
        format!(
            "{} is dated {}, after today ({today}): {what} cannot have happened yet",
            at.path, at.value
        ),
    )
    .at(at.pos)
    .spanning(10)
    .with_path(at.path.clone())
    .with_help(
        "write the date it happened; a date in the future would make every cadence and expiry check pass (`--today` sets the date checks compare with)",
    )
}

/// Periods whose end comes before their start: an exception or an acceptance that
/// expires before it was approved.
fn backwards(item: &Item) -> Vec<Diagnostic> {
    let mut pairs: Vec<(&At<Date>, &At<Date>, &str)> = Vec::new();
    match &item.body {
        Body::Exception(e) => {
            if let (Some(on), Some(expires)) = (&e.approved_on, &e.expires) {
                pairs.push((on, expires, "exception"));
            }
        }
        Body::ThreatModel(tm) => {
            for a in tm.threats.iter().filter_map(|t| t.acceptance.as_ref()) {
                if let (Some(on), Some(expires)) = (&a.on, &a.expires) {
                    pairs.push((on, expires, "acceptance"));
                }
            }
        }
        _ => {}
    }
    pairs
        .into_iter()
        .filter(|(on, expires, _)| expires.pos.line > 0 && expires.value < on.value)
        .map(|(on, expires, what)| {
            Diagnostic::error(
                "E0409",
                &item.file,
                format!(
                    "the {what} expires on {}, before it was approved on {} ({})",
                    expires.value, on.value, on.path
                ),
            )
            .at(expires.pos)
            .spanning(10)
            .with_path(expires.path.clone())
            .with_help("correct one of the two dates: a period must end after it starts")
        })
        .collect()
}
