//! `plan-of-action-and-milestones`: one finding per POA&M item, its status from the
//! risks it relates to.

use super::metadata::{Metadata, date_of, finding_id};
use super::risk::{RelatedRisk, Risk, facet_severity};
use crate::import::Report;
use crate::import::finding::{NewFinding, at, dedupe_ids};
use crate::model::Kind;
use crate::model::kinds::Body;
use crate::model::kinds::common::Severity;
use crate::model::kinds::scan::{FindingStatus, Scan};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Poam {
    metadata: Metadata,
    system_id: Option<SystemId>,
    #[serde(default)]
    risks: Vec<Risk>,
    #[serde(default)]
    findings: Vec<PoamFinding>,
    #[serde(default)]
    poam_items: Vec<PoamItem>,
}

#[derive(Deserialize)]
struct SystemId {
    id: String,
}

#[derive(Deserialize)]
struct PoamFinding {
    uuid: String,
    target: Option<PoamTarget>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct PoamTarget {
    target_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct PoamItem {
    uuid: Option<String>,
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    related_risks: Vec<RelatedRisk>,
    #[serde(default)]
    related_findings: Vec<RelatedFinding>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RelatedFinding {
    finding_uuid: String,
}

/// One finding per `poam-items[]`:
/// - id: the first 8 characters of its uuid (made unique), else its title's slug;
/// - title: its title, else its description;
/// - rule and location: the `target-id` of the first related finding that has one
///   (the control or objective the weakness is against), else the location is the
///   system id;
/// - status, from the risks it relates to (the least settled wins): any `open`,
///   `investigating`, `remediating` or `deviation-requested` risk keeps it open; else a
///   `deviation-approved` risk suppresses it (justified by the risk); only when every
///   risk is `closed` is it fixed. An item with no related risk is open: a POA&M lists
///   weaknesses still to address;
/// - severity: the highest severity, impact or likelihood facet of those risks, else
///   medium when open and info otherwise.
pub(super) fn poam(p: &Poam) -> Report {
    let system = p
        .system_id
        .as_ref()
        .map(|s| s.id.trim())
        .filter(|s| !s.is_empty());
    let mut findings = Vec::new();
    for (i, item) in p.poam_items.iter().enumerate() {
        let risks: Vec<&Risk> = item
            .related_risks
            .iter()
            .filter_map(|rr| p.risks.iter().find(|x| x.uuid == rr.risk_uuid))
            .collect();
        let states: Vec<String> = risks
            .iter()
            .map(|r| {
                r.status
                    .as_deref()
                    .unwrap_or("open")
                    .trim()
                    .to_ascii_lowercase()
            })
            .collect();
        let (status, justification) = if states.is_empty()
            || states
                .iter()
                .any(|s| s != "closed" && s != "deviation-approved")
        {
            (FindingStatus::Open, None)
        } else if let Some(r) = risks
            .iter()
            .zip(&states)
            .find(|(_, s)| *s == "deviation-approved")
        {
            let why = match r
                .0
                .title
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
            {
                Some(t) => format!("deviation approved for risk: {t}"),
                None => "deviation approved".to_owned(),
            };
            (FindingStatus::Suppressed, Some(why))
        } else {
            (FindingStatus::Fixed, None)
        };
        let target = item
            .related_findings
            .iter()
            .filter_map(|rf| p.findings.iter().find(|f| f.uuid == rf.finding_uuid))
            .filter_map(|f| f.target.as_ref())
            .map(|t| t.target_id.trim())
            .find(|t| !t.is_empty());
        let title = [item.title.as_deref(), item.description.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .find(|t| !t.is_empty());
        let id =
            finding_id(item.uuid.as_deref(), title).unwrap_or_else(|| format!("poam-{}", i + 1));
        let open = status == FindingStatus::Open;
        findings.push(
            NewFinding {
                id,
                rule: target.map(str::to_owned),
                severity: Some(facet_severity(risks.iter().copied()).unwrap_or(if open {
                    Severity::Medium
                } else {
                    Severity::Info
                })),
                title: title.map(str::to_owned),
                location: target.or(system).map(str::to_owned),
                status: Some(status),
                justification,
                ..NewFinding::default()
            }
            .build(&format!("plan-of-action-and-milestones.poam-items[{i}]")),
        );
    }
    dedupe_ids(&mut findings);
    let updated = date_of(p.metadata.last_modified.as_deref());
    Report {
        kind: Kind::Scan,
        title: p.metadata.title.trim().to_owned(),
        updated,
        body: Body::Scan(Scan {
            rules: Vec::new(),
            tool: Some(at("OSCAL plan-of-action-and-milestones".to_owned(), "tool")),
            target: system.map(|s| at(s.to_owned(), "plan-of-action-and-milestones.system-id")),
            scanned: None,
            report: None,
            findings,
        }),
    }
}
