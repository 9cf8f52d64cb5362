//! `assessment-plan` (the controls it reviews, as a catalog) and `assessment-results`
//! (one finding per result finding, as a scan).

use super::metadata::{
    BackMatter, Href, Metadata, catalog_report, date_of, describe, finding_id, resolve_href,
};
use super::risk::{RelatedRisk, Risk, facet_severity};
use crate::import::Report;
use crate::import::finding::{NewFinding, at, dedupe_ids, text};
use crate::model::Kind;
use crate::model::kinds::Body;
use crate::model::kinds::catalog::Control;
use crate::model::kinds::common::Severity;
use crate::model::kinds::scan::{FindingStatus, Scan};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct AssessmentPlan {
    metadata: Metadata,
    import_ssp: Option<Href>,
    reviewed_controls: Option<ReviewedControls>,
    #[serde(default)]
    tasks: Vec<Task>,
    back_matter: Option<BackMatter>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ReviewedControls {
    #[serde(default)]
    control_selections: Vec<ControlSelection>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ControlSelection {
    #[serde(default)]
    include_all: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    include_controls: Vec<SelectControl>,
    #[serde(default)]
    exclude_controls: Vec<SelectControl>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct SelectControl {
    control_id: String,
    #[serde(default)]
    statement_ids: Vec<String>,
}

#[derive(Deserialize)]
struct Task {
    title: String,
    timing: Option<Timing>,
    #[serde(default)]
    tasks: Vec<Task>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Timing {
    on_date: Option<OnDate>,
    within_date_range: Option<DateRange>,
}

#[derive(Deserialize)]
struct OnDate {
    date: String,
}

#[derive(Deserialize)]
struct DateRange {
    start: String,
    end: String,
}

/// An assessment plan plans work and reports no findings: a catalog item whose controls
/// are the controls it reviews (`reviewed-controls.control-selections[].include-controls`,
/// each titled by its id, described by the statements it names, family `assessment
/// plan`), so a packet can cite what the plan covers. Its source names the SSP it
/// assesses, an `include-all` selection, the excluded controls and the tasks (sub-tasks
/// flattened) with their dates.
pub(super) fn assessment_plan(a: &AssessmentPlan) -> Report {
    let mut controls = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut all = false;
    let mut excluded = Vec::new();
    let selections = a
        .reviewed_controls
        .as_ref()
        .map(|r| r.control_selections.as_slice())
        .unwrap_or_default();
    for (i, sel) in selections.iter().enumerate() {
        all |= sel.include_all.is_some();
        for x in &sel.exclude_controls {
            excluded.push(x.control_id.trim().to_owned());
        }
        for (j, c) in sel.include_controls.iter().enumerate() {
            let id = c.control_id.trim();
            if id.is_empty() || !seen.insert(id.to_owned()) {
                continue;
            }
            let path = format!(
                "assessment-plan.reviewed-controls.control-selections[{i}].include-controls[{j}]"
            );
            let statements: Vec<&str> = c
                .statement_ids
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            let description =
                (!statements.is_empty()).then(|| format!("Statements {}", statements.join(", ")));
            controls.push(Control {
                id: at(id.to_owned(), format!("{path}.control-id")),
                title: text(Some(id), &format!("{path}.control-id")),
                description: text(description.as_deref(), &format!("{path}.statement-ids")),
                family: text(Some("assessment plan"), &path),
                maps: Vec::new(),
            });
        }
    }
    let mut source = describe("assessment-plan", &a.metadata);
    if let Some(ssp) = &a.import_ssp {
        source.push_str(&format!(
            "; assesses {}",
            resolve_href(&ssp.href, a.back_matter.as_ref())
        ));
    }
    if all {
        source.push_str("; reviews all controls");
    }
    if !excluded.is_empty() {
        source.push_str(&format!(" except {}", excluded.join(", ")));
    }
    let mut tasks = Vec::new();
    for t in &a.tasks {
        describe_task(t, &mut tasks);
    }
    if !tasks.is_empty() {
        source.push_str(&format!("; tasks: {}", tasks.join("; ")));
    }
    catalog_report(&a.metadata, source, controls)
}

/// A task as `TITLE (DATE)` or `TITLE (START to END)`, then its sub-tasks.
fn describe_task(t: &Task, out: &mut Vec<String>) {
    let day = |s: &str| s.get(..10).unwrap_or(s).to_owned();
    let when = t.timing.as_ref().and_then(|x| {
        x.on_date.as_ref().map(|d| day(&d.date)).or_else(|| {
            x.within_date_range
                .as_ref()
                .map(|r| format!("{} to {}", day(&r.start), day(&r.end)))
        })
    });
    let title = t.title.trim();
    out.push(match when {
        Some(w) => format!("{title} ({w})"),
        None => title.to_owned(),
    });
    for sub in &t.tasks {
        describe_task(sub, out);
    }
}

#[derive(Deserialize)]
pub(super) struct AssessmentResults {
    metadata: Metadata,
    #[serde(default)]
    results: Vec<ArResult>,
}

#[derive(Deserialize)]
struct ArResult {
    start: Option<String>,
    end: Option<String>,
    #[serde(default)]
    risks: Vec<Risk>,
    #[serde(default)]
    findings: Vec<ArFinding>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ArFinding {
    uuid: Option<String>,
    title: Option<String>,
    target: Target,
    #[serde(default)]
    related_risks: Vec<RelatedRisk>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Target {
    target_id: String,
    status: TargetStatus,
}

#[derive(Deserialize)]
struct TargetStatus {
    state: String,
}

/// One finding per `results[].findings[]`:
/// - id: the first 8 characters of its uuid (made unique), else its title's slug;
/// - rule and location: the target's `target-id` (the objective or control assessed);
/// - status: `satisfied` is fixed, `not-satisfied` (or anything else) open;
/// - severity: the highest `severity`, `impact` or `likelihood` facet of the risks it
///   relates to (a judgement call: the highest overstates a likely-but-minor risk, which
///   errs on the side of review); without such facets, medium when not satisfied and
///   info when satisfied.
pub(super) fn assessment_results(a: &AssessmentResults) -> Report {
    let mut findings = Vec::new();
    for (i, r) in a.results.iter().enumerate() {
        for (j, f) in r.findings.iter().enumerate() {
            let satisfied = f.target.status.state.trim() == "satisfied";
            let facet_severity = facet_severity(
                f.related_risks
                    .iter()
                    .filter_map(|rr| r.risks.iter().find(|x| x.uuid == rr.risk_uuid)),
            );
            let id = finding_id(f.uuid.as_deref(), f.title.as_deref())
                .unwrap_or_else(|| format!("finding-{}", findings.len() + 1));
            let target = f.target.target_id.trim().to_owned();
            findings.push(
                NewFinding {
                    id,
                    rule: Some(target.clone()),
                    severity: Some(facet_severity.unwrap_or(if satisfied {
                        Severity::Info
                    } else {
                        Severity::Medium
                    })),
                    title: f.title.clone(),
                    location: Some(target),
                    status: Some(if satisfied {
                        FindingStatus::Fixed
                    } else {
                        FindingStatus::Open
                    }),
                    ..NewFinding::default()
                }
                .build(&format!("assessment-results.results[{i}].findings[{j}]")),
            );
        }
    }
    dedupe_ids(&mut findings);
    let scanned = a
        .results
        .first()
        .and_then(|r| date_of(r.end.as_deref()).or_else(|| date_of(r.start.as_deref())));
    Report {
        kind: Kind::Scan,
        title: a.metadata.title.trim().to_owned(),
        updated: scanned.or_else(|| date_of(a.metadata.last_modified.as_deref())),
        body: Body::Scan(Scan {
            rules: Vec::new(),
            tool: Some(at("OSCAL assessment-results".to_owned(), "tool")),
            target: None,
            scanned: scanned.map(|d| at(d, "assessment-results.results[0].end")),
            report: None,
            findings,
        }),
    }
}
