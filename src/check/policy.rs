//! Policy: the rules a security reviewer applies (DESIGN 3.1 to 3.4b), thresholds from
//! site.toml `[policy]`, dates compared against `today`.

use crate::config;
use crate::diag::{Diagnostic, Pos};
use crate::model::decode::{At, Choice};
use crate::model::kinds::Body;
use crate::model::kinds::common::{Rating, Severity};
use crate::model::kinds::scan::FindingStatus;
use crate::model::kinds::tabletop::ActionStatus;
use crate::model::kinds::threat_model::{MitigationStatus, ThreatStatus};
use crate::model::{Item, Site};
use jiff::civil::Date;
use std::collections::HashSet;

struct Ctx<'a> {
    today: Date,
    warn_days: i64,
    fail_severity: Severity,
    fail_impact: Rating,
    /// `(item, sub)` pairs covered by an exception that has not expired.
    covered: HashSet<(&'a str, &'a str)>,
    diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn push<T>(
        &mut self,
        item: &Item,
        code: &'static str,
        at: &At<T>,
        len: usize,
        message: String,
        help: &str,
    ) {
        let d = if code.starts_with('W') {
            Diagnostic::warning(code, &item.file, message)
        } else {
            Diagnostic::error(code, &item.file, message)
        };
        self.diags.push(
            d.at(at.pos)
                .spanning(len)
                .with_path(at.path.clone())
                .with_help(help),
        );
    }

    fn is_covered(&self, item: &str, sub: &str) -> bool {
        self.covered.contains(&(item, sub))
    }

    fn days_left(&self, date: Date) -> i64 {
        i64::from((date - self.today).get_days())
    }
}

fn parse_threshold<C: Choice>(
    value: &str,
    key: &str,
    diags: &mut Vec<Diagnostic>,
    default: C,
) -> C {
    match C::NAMES
        .iter()
        .position(|n| *n == value.trim().to_ascii_lowercase())
    {
        Some(i) => C::from_index(i),
        None => {
            diags.push(
                Diagnostic::error(
                    "E0107",
                    config::FILE,
                    format!("[policy] {key} = \"{value}\" is not a valid level"),
                )
                .at(Pos::FILE)
                .with_path(format!("policy.{key}"))
                .with_help(format!("use one of: {}", C::NAMES.join(", "))),
            );
            default
        }
    }
}

pub(super) fn check(site: &Site, today: Date) -> Vec<Diagnostic> {
    let policy = &site.config.policy;
    let mut diags = Vec::new();
    let fail_severity = parse_threshold(
        &policy.fail_on_severity,
        "fail_on_severity",
        &mut diags,
        Severity::High,
    );
    let fail_impact = parse_threshold(
        &policy.fail_on_impact,
        "fail_on_impact",
        &mut diags,
        Rating::High,
    );
    let mut covered = HashSet::new();
    for item in &site.items {
        if let Body::Exception(e) = &item.body
            && e.expires.as_ref().is_some_and(|x| x.value >= today)
        {
            for c in &e.covers {
                if let Some((id, sub)) = c.value.trim().split_once('#') {
                    covered.insert((id, sub));
                }
            }
        }
    }
    let mut ctx = Ctx {
        today,
        warn_days: i64::from(policy.expiry_warning_days),
        fail_severity,
        fail_impact,
        covered,
        diags,
    };
    for item in &site.items {
        match &item.body {
            Body::ThreatModel(_) => threats(&mut ctx, item),
            Body::Scan(_) | Body::Sbom(_) => findings(&mut ctx, item),
            Body::Exception(_) => exception(&mut ctx, item),
            Body::Fairness(_) => fairness(&mut ctx, item),
            Body::Tabletop(_) => tabletop(&mut ctx, item),
            _ => {}
        }
    }
    ctx.diags
}

fn threats(ctx: &mut Ctx<'_>, item: &Item) {
    let Body::ThreatModel(tm) = &item.body else {
        return;
    };
    let id = item.header.id.as_str();
    for t in &tm.threats {
        let Some(status) = &t.status else { continue };
        let covered = ctx.is_covered(id, &t.id.value);
        match status.value {
            ThreatStatus::Open => {
                if let Some(impact) = &t.impact
                    && impact.value.rank() >= ctx.fail_impact.rank()
                    && !covered
                {
                    ctx.push(
                        item,
                        "E0401",
                        status,
                        4,
                        format!("threat {} is open with {} impact", t.id.value, impact.value),
                        "mitigate it (status: mitigated), accept it with a current `acceptance`, or cover it with a current exception",
                    );
                }
            }
            ThreatStatus::Accepted if !covered => match &t.acceptance {
                None => ctx.push(
                    item,
                    "E0402",
                    status,
                    8,
                    format!("threat {} is accepted without an `acceptance`", t.id.value),
                    "add `acceptance:` with `by`, `on`, `expires` and `rationale`",
                ),
                Some(a) => {
                    if let Some(expires) = &a.expires {
                        expiry(
                            ctx,
                            item,
                            expires,
                            &format!("the acceptance of threat {}", t.id.value),
                            "E0402",
                            "W0401",
                        );
                    }
                }
            },
            _ => {}
        }
        for m in &t.mitigations {
            let done = m
                .status
                .as_ref()
                .is_some_and(|s| s.value == MitigationStatus::Done);
            overdue(
                ctx,
                item,
                m.due.as_ref(),
                done,
                &format!("a mitigation of threat {}", t.id.value),
            );
        }
    }
}

/// An expiry date: past is `error_code`, within the warning window is `warn_code`.
fn expiry(
    ctx: &mut Ctx<'_>,
    item: &Item,
    expires: &At<Date>,
    what: &str,
    error_code: &'static str,
    warn_code: &'static str,
) {
    let left = ctx.days_left(expires.value);
    if left < 0 {
        ctx.push(
            item,
            error_code,
            expires,
            10,
            format!("{what} expired on {} ({} days ago)", expires.value, -left),
            "renew it with a new approval and `expires` date, or resolve the risk",
        );
    } else if left <= ctx.warn_days {
        ctx.push(
            item,
            warn_code,
            expires,
            10,
            format!("{what} expires on {} (in {left} days)", expires.value),
            "plan its renewal or the fix before it lapses",
        );
    }
}

fn findings(ctx: &mut Ctx<'_>, item: &Item) {
    let id = item.header.id.as_str();
    for f in item.body.findings() {
        let Some(severity) = f.severity else {
            continue;
        };
        if f.status() != FindingStatus::Open || severity.rank() < ctx.fail_severity.rank() {
            continue;
        }
        let by_rule = f.rule.as_ref().is_some_and(|r| ctx.is_covered(id, r));
        if ctx.is_covered(id, &f.id.as_str()) || by_rule {
            continue;
        }
        let Some(severity) = f.severity_at() else {
            continue;
        };
        ctx.push(
            item,
            "E0405",
            &severity,
            severity.value.to_string().len(),
            format!("finding {} is open with {} severity and no current exception", f.id, severity.value),
            "fix it (status: fixed), mark it not-affected with a justification, or cover it with a current exception",
        );
    }
}

fn exception(ctx: &mut Ctx<'_>, item: &Item) {
    let Body::Exception(e) = &item.body else {
        return;
    };
    if let Some(expires) = &e.expires {
        expiry(
            ctx,
            item,
            expires,
            &format!("exception {}", item.header.id),
            "E0403",
            "W0403",
        );
    }
    if e.covers.is_empty() {
        let at = At {
            value: (),
            pos: item
                .data
                .entry("covers")
                .map_or(item.header.id_pos, |x| x.key_pos),
            path: "covers".to_owned(),
        };
        ctx.push(
            item,
            "W0404",
            &at,
            6,
            format!("exception {} covers nothing", item.header.id),
            "list the findings, rules, threats or disparities it covers in `covers`, or delete it",
        );
    }
}

fn fairness(ctx: &mut Ctx<'_>, item: &Item) {
    let Body::Fairness(f) = &item.body else {
        return;
    };
    let id = item.header.id.as_str();
    let decided = f.review.as_ref().is_some_and(|r| r.decision.is_some());
    for d in &f.disparities {
        if d.within() || decided || ctx.is_covered(id, &d.metric.value) {
            continue;
        }
        ctx.push(
            item,
            "E0406",
            &d.value,
            d.value.value.to_string().len(),
            format!(
                "disparity {} = {} is past its threshold {} and has no review decision or exception",
                d.metric.value, d.value.value, d.threshold.value
            ),
            "record a `review` with a `decision`, cover it with a current exception, or fix the model",
        );
    }
    if let Some(r) = &f.review
        && let (Some(on), Some(cadence)) = (&r.reviewed_on, &r.cadence_days)
    {
        let age = -ctx.days_left(on.value);
        if age > i64::from(cadence.value) {
            ctx.push(
                item,
                "E0407",
                on,
                10,
                format!(
                    "the review of {} on {} is {age} days old, past its {}-day cadence",
                    item.header.id, on.value, cadence.value
                ),
                "review the results again and update `reviewed_on`",
            );
        }
    }
}

fn tabletop(ctx: &mut Ctx<'_>, item: &Item) {
    let Body::Tabletop(t) = &item.body else {
        return;
    };
    for a in &t.actions {
        let done = a
            .status
            .as_ref()
            .is_some_and(|s| s.value == ActionStatus::Done);
        overdue(
            ctx,
            item,
            a.due.as_ref(),
            done,
            &format!("action {}", a.id.value),
        );
    }
}

/// W0408: `what` was due before today and is not done.
fn overdue(ctx: &mut Ctx<'_>, item: &Item, due: Option<&At<Date>>, done: bool, what: &str) {
    if let Some(due) = due
        && !done
        && due.value < ctx.today
    {
        ctx.push(
            item,
            "W0408",
            due,
            10,
            format!("{what} was due on {} and is not done", due.value),
            "finish it and set `status: done`, or agree a new `due` date",
        );
    }
}
