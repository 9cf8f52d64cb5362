//! A scan's view: its findings counted by severity and status, grouped most severe
//! first, and the rules they name; the grouping serves SBOM vulnerabilities too.

use super::Local;
use super::figures;
use super::format::{ExternalLink, date, external_link, paragraphs, text, texts, word};
use super::index::{CoveredBy, Index};
use crate::model::decode::Choice;
use crate::model::kinds::common::Severity;
use crate::model::kinds::scan::{Finding, FindingStatus, Scan};
use crate::model::{Item, slugify};
use crate::render::charts::Chart;
use crate::render::markdown;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Serialize)]
pub(crate) struct ScanView {
    pub(super) tool: Option<String>,
    target: Option<String>,
    pub(super) scanned: Option<String>,
    report: Option<String>,
    pub(super) total: usize,
    pub(super) summary: ScanSummary,
    /// The summary as a stacked bar chart.
    chart: Chart,
    /// Open findings over the scans of the same target, when there are several.
    trend: Option<figures::TrendView>,
    /// Findings by severity, most severe first; empty groups left out.
    groups: Vec<SeverityGroup>,
    /// Findings not listed because the page shows at most [`FINDINGS_SHOWN`].
    hidden: usize,
    /// The rules the findings name that the scan describes, each shown once.
    rules: Vec<RuleView>,
}

/// The most findings a scan (or SBOM) page lists: a 100 MB report holds a million, which
/// no browser shows; the rest are counted, and the item's JSON keeps them all.
const FINDINGS_SHOWN: usize = 1000;

#[derive(Debug, Serialize)]
pub(super) struct ScanSummary {
    /// Column headings.
    pub(super) columns: Vec<&'static str>,
    pub(super) rows: Vec<SummaryRow>,
    pub(super) totals: SummaryRow,
}

#[derive(Debug, Serialize)]
pub(super) struct SummaryRow {
    pub(super) severity: &'static str,
    pub(super) counts: Vec<usize>,
    total: usize,
}

#[derive(Debug, Serialize)]
pub(super) struct SeverityGroup {
    severity: &'static str,
    /// How many findings have this severity (more than are listed when capped).
    total: usize,
    findings: Vec<FindingView>,
}

#[derive(Debug, Serialize)]
struct FindingView {
    id: String,
    /// An extra anchor for `SCAN#RULE` links, on the first finding of a rule whose name
    /// is not itself a finding id.
    rule_anchor: Option<String>,
    rule: Option<String>,
    /// The anchor of the rule's help on this page, when the scan describes the rule.
    rule_help: Option<String>,
    title: Option<String>,
    location: Option<String>,
    /// A link to the located file (and line) when the site holds it.
    location_href: Option<String>,
    fixed_version: Option<String>,
    references: Vec<ExternalLink>,
    status: &'static str,
    justification: Option<String>,
    covered_by: Vec<CoveredBy>,
    /// What an SBOM says beyond the finding (empty for a scan's).
    #[serde(flatten)]
    extra: FindingExtra,
}

/// An SBOM vulnerability's fields beyond the finding.
#[derive(Debug, Default, Serialize)]
pub(super) struct FindingExtra {
    /// The affected components, linked to their rows when the bill lists them.
    pub(super) affects: Vec<Local>,
    /// "9.8 (CVSSv31)".
    pub(super) score: Option<String>,
    /// The VEX state, in words (not affected, in triage, ...).
    pub(super) vex_state: Option<String>,
    /// The VEX responses, in words.
    pub(super) response: Vec<String>,
    pub(super) recommendation: Option<String>,
}
#[derive(Debug, Serialize)]
struct RuleView {
    id: String,
    /// The rule's anchor on the page (`rule-` and the slug of its id).
    anchor: String,
    name: Option<String>,
    description: Option<String>,
    /// The help rendered by the safe Markdown renderer.
    help_html: Option<String>,
    /// Plain-text help, as paragraphs, when there is no Markdown.
    help_text: Vec<String>,
    help_uri: Option<ExternalLink>,
    severity: Option<&'static str>,
    tags: Vec<String>,
    /// How many of the scan's findings name it.
    findings: usize,
}

/// The order of the summary's columns: open findings split by whether a current
/// exception covers them, then the other statuses.
const SUMMARY_COLUMNS: [&str; 5] = [
    "open",
    "open, excepted",
    "suppressed",
    "fixed",
    "not affected",
];

fn summary_column(f: &Finding, excepted: bool) -> usize {
    match f.status() {
        FindingStatus::Open if excepted => 1,
        FindingStatus::Open => 0,
        FindingStatus::Suppressed => 2,
        FindingStatus::Fixed => 3,
        FindingStatus::NotAffected => 4,
    }
}

pub(super) fn view(index: &Index<'_>, item: &Item, s: &Scan, from: &str) -> ScanView {
    let findings: Vec<&Finding> = s.findings.iter().collect();
    let g = finding_groups(index, item, from, &findings, &s.rules, |_| {
        FindingExtra::default()
    });
    ScanView {
        tool: text(&s.tool),
        target: text(&s.target),
        scanned: date(&s.scanned),
        report: text(&s.report),
        total: s.findings.len(),
        chart: figures::summary_chart(&g.summary),
        trend: figures::trend_view(index, &item.header.id, s, from),
        summary: g.summary,
        groups: g.groups,
        hidden: g.hidden,
        rules: g.rules,
    }
}
/// Findings of a scan or an SBOM, as its page shows them.
pub(super) struct Grouped {
    pub(super) summary: ScanSummary,
    /// By severity, most severe first; empty groups left out.
    pub(super) groups: Vec<SeverityGroup>,
    /// How many findings the page does not list ([`FINDINGS_SHOWN`]).
    pub(super) hidden: usize,
    /// The described rules the findings name, each with its count.
    rules: Vec<RuleView>,
}

/// Findings (of a scan or an SBOM) counted by severity and status, and grouped by
/// severity, most severe first, listing at most [`FINDINGS_SHOWN`]; `extra` gives what
/// the item says beyond finding `i`, asked only for the findings listed.
pub(super) fn finding_groups(
    index: &Index<'_>,
    item: &Item,
    from: &str,
    findings: &[&Finding],
    rules: &[crate::model::kinds::scan::Rule],
    extra: impl Fn(usize) -> FindingExtra,
) -> Grouped {
    let own = item.header.id.as_str();
    let mut severities: Vec<Option<Severity>> = Severity::NAMES
        .iter()
        .enumerate()
        .map(|(i, _)| Some(Severity::from_index(i)))
        .collect();
    let has_unrated = findings.iter().any(|f| f.severity.is_none());
    if has_unrated {
        severities.push(None);
    }
    let sev_name = |s: Option<Severity>| s.map_or("unrated", |x| x.name());
    let slot_of = |f: &Finding| {
        severities
            .iter()
            .position(|x| *x == f.severity)
            .unwrap_or(severities.len() - 1)
    };
    let mut rows: Vec<SummaryRow> = severities
        .iter()
        .map(|s| SummaryRow {
            severity: sev_name(*s),
            counts: vec![0; SUMMARY_COLUMNS.len()],
            total: 0,
        })
        .collect();
    let mut groups: Vec<SeverityGroup> = severities
        .iter()
        .map(|s| SeverityGroup {
            severity: sev_name(*s),
            total: 0,
            findings: Vec::new(),
        })
        .collect();
    // Rules: the described ones the findings name, counted.
    let described: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .rev()
        .map(|(i, r)| (r.id.value.as_str(), i))
        .collect();
    let mut used = vec![0usize; rules.len()];
    let ids: std::collections::HashSet<String> =
        findings.iter().map(|f| f.id.to_string()).collect();
    let mut anchored_rules: std::collections::HashSet<&str> = std::collections::HashSet::new();
    // The most severe findings are listed first, up to the cap.
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| slot_of(findings[i]));
    let mut listed = 0;
    for &i in &order {
        let f = findings[i];
        let slot = slot_of(f);
        let id = f.id.to_string();
        let mut subs = vec![id.as_str()];
        if let Some(r) = f.rule.as_deref()
            && r != id
        {
            subs.push(r);
        }
        let covered_by = index.covered_by(from, own, &subs);
        let excepted = covered_by
            .iter()
            .any(|c| c.validity.as_ref().is_some_and(|v| v.state != "expired"));
        rows[slot].counts[summary_column(f, excepted)] += 1;
        rows[slot].total += 1;
        groups[slot].total += 1;
        let rule_index = f.rule.as_deref().and_then(|r| described.get(r).copied());
        if let Some(r) = rule_index {
            used[r] += 1;
        }
        // The anchor for `SCAN#RULE` goes on the rule's first finding, listed or not.
        let rule_anchor = f.rule.as_deref().and_then(|rule| {
            (!ids.contains(rule) && anchored_rules.insert(rule)).then(|| rule.to_owned())
        });
        if listed >= FINDINGS_SHOWN {
            continue;
        }
        listed += 1;
        let location = f.location.as_ref().map(ToString::to_string);
        let location_href = location
            .as_deref()
            .and_then(|l| index.location_href(from, &item.file, l));
        groups[slot].findings.push(FindingView {
            id,
            rule_anchor,
            rule: f.rule.as_deref().map(str::to_owned),
            rule_help: rule_index.map(|r| rule_anchor_of(&rules[r].id.value)),
            title: f.title.as_deref().map(str::to_owned),
            location,
            location_href,
            fixed_version: f.fixed_version.as_deref().map(str::to_owned),
            references: f.references().iter().map(|r| external_link(r)).collect(),
            status: f.status().name(),
            justification: f.justification.as_deref().map(str::to_owned),
            covered_by,
            extra: extra(i),
        });
    }
    let mut totals = SummaryRow {
        severity: "total",
        counts: vec![0; SUMMARY_COLUMNS.len()],
        total: 0,
    };
    for r in &rows {
        for (t, c) in totals.counts.iter_mut().zip(&r.counts) {
            *t += c;
        }
        totals.total += r.total;
    }
    let rules = rules
        .iter()
        .zip(&used)
        .filter(|(_, n)| **n > 0)
        .map(|(r, n)| rule_view(index, r, *n, from))
        .collect();
    Grouped {
        summary: ScanSummary {
            columns: SUMMARY_COLUMNS.to_vec(),
            rows,
            totals,
        },
        groups: groups.into_iter().filter(|g| g.total > 0).collect(),
        hidden: findings.len() - listed,
        rules,
    }
}

/// The anchor of a rule's help on its scan's page.
fn rule_anchor_of(id: &str) -> String {
    format!("rule-{}", slugify(id))
}

fn rule_view(
    index: &Index<'_>,
    r: &crate::model::kinds::scan::Rule,
    findings: usize,
    from: &str,
) -> RuleView {
    let help_html = r
        .help
        .as_ref()
        .map(|h| markdown::to_html(&h.value, &index.site.registry, from));
    RuleView {
        id: r.id.value.clone(),
        anchor: rule_anchor_of(&r.id.value),
        name: text(&r.name).filter(|n| *n != r.id.value),
        description: text(&r.description),
        help_text: if help_html.is_some() {
            Vec::new()
        } else {
            paragraphs(&r.help_text)
        },
        help_html,
        help_uri: r.help_uri.as_ref().map(|u| external_link(&u.value)),
        severity: word(&r.severity),
        tags: texts(&r.tags),
        findings,
    }
}
