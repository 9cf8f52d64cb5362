//! The key facts of a packet's evidence, for its printable page: a reader of the PDF
//! cannot click through to each item, so the page states what each one shows (its
//! kind, owner, date and a line or two of counts from its own view).

use super::index::{Index, Link};
use super::{View, view};
use crate::model::Item;
use serde::Serialize;

/// One evidence item of a packet, as the print page summarises it.
#[derive(Debug, Serialize)]
pub(crate) struct EvidenceFacts {
    link: Link,
    kind: &'static str,
    owner: Option<String>,
    updated: Option<String>,
    file: String,
    /// The packet it is inherited from, when it is.
    from: Option<Link>,
    facts: Vec<Fact>,
}

/// A labelled fact (`Findings`: `12: 3 open, 9 fixed`).
#[derive(Debug, Serialize)]
struct Fact {
    label: &'static str,
    value: String,
}

fn fact(label: &'static str, value: Option<String>) -> Option<Fact> {
    value
        .filter(|v| !v.trim().is_empty())
        .map(|value| Fact { label, value })
}

/// The evidence of packet `own`, own and inherited, each with its key facts, linked
/// from the page at `from`.
pub(crate) fn evidence_facts(index: &Index<'_>, own: &str, from: &str) -> Vec<EvidenceFacts> {
    let Some(resolved) = index.graph.packets().get(own) else {
        return Vec::new();
    };
    resolved
        .evidence
        .iter()
        .filter_map(|e| {
            let id = e.evidence.split('#').next().unwrap_or(&e.evidence).trim();
            let target = index.site.registry.get(id)?;
            let item = index.site.items.get(target.index)?;
            Some(EvidenceFacts {
                link: index.link(from, &e.evidence),
                kind: item.header.kind.label(),
                owner: item.header.owner.clone(),
                updated: item.header.updated.map(|d| d.to_string()),
                file: item.file.clone(),
                from: e.via.last().map(|p| index.link(from, p)),
                facts: facts(index, item, from),
            })
        })
        .collect()
}

/// Counts and dates from the item's own view, so the print page and the item's page
/// never disagree.
fn facts(index: &Index<'_>, item: &Item, from: &str) -> Vec<Fact> {
    let mut out: Vec<Option<Fact>> = Vec::new();
    match view(index, item, from) {
        View::ThreatModel(v) => {
            out.push(fact("System", Some(v.system.clone())));
            out.push(fact(
                "Threats",
                Some(counted(v.threats.len(), &v.status_counts)),
            ));
        }
        View::Scan(v) => {
            out.push(fact("Tool", v.tool.clone()));
            out.push(fact("Scanned", v.scanned.clone()));
            out.push(fact("Findings", Some(findings(v.total, &v.summary))));
        }
        View::Sbom(v) => {
            out.push(fact("Components", Some(v.component_count.to_string())));
            out.push(fact("Findings", Some(findings(v.total, &v.summary))));
        }
        View::Exception(v) => {
            out.push(fact(
                "Expires",
                v.validity
                    .as_ref()
                    .map(|x| format!("{} ({}, {})", x.expires, x.label, x.text)),
            ));
            out.push(fact("Approved by", Some(v.approved_by.join(", "))));
            out.push(fact("Covers", Some(v.covers.len().to_string())));
        }
        View::Fairness(v) => {
            out.push(fact("Model", v.model.clone()));
            out.push(fact(
                "Disparities",
                Some(format!(
                    "{}, {} past threshold",
                    v.disparities.len(),
                    v.past
                )),
            ));
            out.push(fact(
                "Review",
                v.review.as_ref().map(|r| {
                    let mut s = r.decision.clone().unwrap_or_else(|| "no decision".into());
                    if let Some(on) = &r.reviewed_on {
                        s.push_str(&format!(" on {on}"));
                    }
                    s
                }),
            ));
        }
        View::Tabletop(v) => {
            out.push(fact("Held on", v.held_on.clone()));
            out.push(fact(
                "Actions",
                Some(format!("{}, {} open", v.actions.len(), v.open_actions)),
            ));
        }
        _ => {}
    }
    out.into_iter().flatten().collect()
}

/// `12: 8 mitigated, 4 open`.
fn counted(total: usize, counts: &[super::threat_model::Count]) -> String {
    let parts: Vec<String> = counts
        .iter()
        .filter(|c| c.count > 0)
        .map(|c| format!("{} {}", c.count, c.name))
        .collect();
    if parts.is_empty() {
        total.to_string()
    } else {
        format!("{total}: {}", parts.join(", "))
    }
}

/// `12: 3 open, 9 fixed`, from a scan's summary totals.
fn findings(total: usize, summary: &super::scan::ScanSummary) -> String {
    let parts: Vec<String> = summary
        .columns
        .iter()
        .zip(&summary.totals.counts)
        .filter(|(_, n)| **n > 0)
        .map(|(c, n)| format!("{n} {c}"))
        .collect();
    if parts.is_empty() {
        total.to_string()
    } else {
        format!("{total}: {}", parts.join(", "))
    }
}
