//! Threagile: the model YAML (`threagile.yaml`: technical assets, data assets,
//! communication links, risk tracking) and the `risks.json` the tool writes.
//!
//! The model is parsed by the one YAML reader (crate::load::yaml) into a positioned tree
//! and read leniently, so every imported value keeps the line it was written on. The risks
//! output is a bare JSON array, parsed once with serde.

use super::common::ids::unique;
use super::common::severity::threagile_rating;
use super::common::text::{Loose, date_prefix};
use super::detect::Probe;
use super::finding::{at, text};
use super::{Format, Report, parse_json};
use crate::diag::{Diagnostic, Pos};
use crate::model::decode::At;
use crate::model::kinds::Body;
use crate::model::kinds::common::{Category, Rating};
use crate::model::kinds::threat_model::{
    Asset, Flow, Mitigation, MitigationStatus, Threat, ThreatModel, ThreatStatus,
};
use crate::model::{Entry, Kind, Node, Value, slugify};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// A Threagile model YAML has a `threagile_version:` line; its risks output is a JSON
/// array whose first objects carry `synthetic_id`.
pub(super) fn detects(p: &Probe<'_>) -> bool {
    if !p.keys.is_empty() {
        return false;
    }
    let text = p.text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('[') {
        let head = &text.as_bytes()[..text.len().min(4096)];
        return head
            .windows(b"\"synthetic_id\"".len())
            .any(|w| w == b"\"synthetic_id\"");
    }
    p.text.lines().any(|l| {
        l.trim_start_matches('\u{feff}')
            .starts_with("threagile_version:")
    })
}

pub(super) fn import(report: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    if report
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('[')
    {
        risks(report, rel)
    } else {
        let root = crate::load::yaml::parse(report, rel, 0).map_err(|d| vec![d])?;
        model(&root, rel)
    }
}

/// Threagile's risk tracking status onto ours (`None` for a word it does not use).
fn status(word: &str) -> Option<ThreatStatus> {
    match word.trim().to_ascii_lowercase().as_str() {
        "" | "unchecked" | "in-discussion" | "in-progress" => Some(ThreatStatus::Open),
        "accepted" => Some(ThreatStatus::Accepted),
        "mitigated" => Some(ThreatStatus::Mitigated),
        "false-positive" => Some(ThreatStatus::FalsePositive),
        _ => None,
    }
}

/// Threagile's exploitation likelihood on our scale.
fn likelihood(word: &str) -> Option<Rating> {
    match word.trim().to_ascii_lowercase().as_str() {
        "unlikely" => Some(Rating::Low),
        "likely" => Some(Rating::Medium),
        "very-likely" => Some(Rating::High),
        "frequent" => Some(Rating::Critical),
        _ => None,
    }
}

/// A STRIDE word as Threagile writes it (`information-disclosure`).
fn stride(word: &str) -> Option<Category> {
    match word.trim().to_ascii_lowercase().as_str() {
        "spoofing" => Some(Category::Spoofing),
        "tampering" => Some(Category::Tampering),
        "repudiation" => Some(Category::Repudiation),
        "information-disclosure" => Some(Category::InformationDisclosure),
        "denial-of-service" => Some(Category::DenialOfService),
        "elevation-of-privilege" => Some(Category::ElevationOfPrivilege),
        _ => None,
    }
}

/// `missing-authentication` as "Missing authentication".
fn humanise(category: &str) -> String {
    let words = category.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => "Unnamed risk".to_owned(),
    }
}

/// Threagile's HTML titles (`<b>Missing Authentication</b> of ...`) as plain text.
fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------
// The model YAML
// ---------------------------------------------------------------------------------------

/// The value under `key`, looking through a YAML merge key (`<<: *base`) if the parser
/// kept it as a plain entry.
fn get<'a>(n: &'a Node, key: &str) -> Option<&'a Node> {
    if let Some(v) = n.get(key) {
        return Some(v);
    }
    match n.get("<<") {
        Some(
            m @ Node {
                value: Value::Map(_),
                ..
            },
        ) => get(m, key),
        Some(Node {
            value: Value::Seq(items),
            ..
        }) => items.iter().find_map(|i| get(i, key)),
        _ => None,
    }
}

/// Non-empty scalar text under `key`.
fn scalar<'a>(n: &'a Node, key: &str) -> Option<(String, &'a Node)> {
    let v = get(n, key)?;
    let t = v.scalar_text()?;
    let t = t.trim();
    (!t.is_empty()).then(|| (t.to_owned(), v))
}

/// A value placed where the YAML wrote it.
fn placed<T>(value: T, node: &Node, path: impl Into<String>) -> At<T> {
    At {
        value,
        pos: node.pos,
        path: path.into(),
    }
}

/// Reads the model's mappings, collecting a diagnostic for each that has the wrong shape.
struct Reader<'a> {
    rel: &'a str,
    diags: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn broken(&mut self, pos: Pos, path: &str, message: String) {
        self.diags.push(
            Diagnostic::error(
                "E0210",
                self.rel,
                format!("not a valid {} report: {message}", Format::Threagile.label()),
            )
            .at(pos)
            .with_path(path)
            .with_help(
                "the file looks like a Threagile model but does not match its format; check it with `threagile -verbose`, or add it to `ignore`",
            ),
        );
    }

    /// The entries of the mapping under `key` (none when it is absent or empty).
    fn entries<'n>(&mut self, parent: &'n Node, key: &str, path: &str) -> &'n [Entry] {
        match get(parent, key) {
            None => &[],
            Some(Node {
                value: Value::Map(entries),
                ..
            }) => entries,
            Some(Node {
                value: Value::Null, ..
            }) => &[],
            Some(other) => {
                self.broken(
                    other.pos,
                    path,
                    format!("`{key}` should be a mapping, found {}", other.shape()),
                );
                &[]
            }
        }
    }

    /// Whether an entry's value is a mapping (or empty); a diagnostic when it is not.
    fn is_map(&mut self, e: &Entry, path: &str, what: &str) -> bool {
        match e.node.value {
            Value::Map(_) | Value::Null => true,
            _ => {
                self.broken(
                    e.node.pos,
                    path,
                    format!(
                        "{what} `{}` should be a mapping, found {}",
                        e.key,
                        e.node.shape()
                    ),
                );
                false
            }
        }
    }
}

fn model(root: &Node, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let mut r = Reader {
        rel,
        diags: Vec::new(),
    };
    if !matches!(root.value, Value::Map(_)) {
        r.broken(
            root.pos,
            "",
            format!("the model should be a mapping, found {}", root.shape()),
        );
        return Err(r.diags);
    }
    let title = scalar(root, "title").map(|(t, n)| placed(t, n, "title"));
    let updated = scalar(root, "date").and_then(|(d, _)| date_prefix(&d));

    let mut taken = HashSet::new();
    let mut assets = Vec::new();
    // Threagile ids of technical and data assets, and of links, onto ours.
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut flows = Vec::new();

    let technical = r.entries(root, "technical_assets", "technical_assets");
    // Asset ids first, so links can name targets written further down.
    let mut tech_ids = Vec::new();
    for e in technical {
        let path = format!("technical_assets.{}", e.key);
        if !r.is_map(e, &path, "technical asset") {
            tech_ids.push(None);
            continue;
        }
        let (raw, id_node) = scalar(&e.node, "id").unwrap_or_else(|| (slugify(&e.key), &e.node));
        let id = unique(&mut taken, slugify(&raw));
        ids.entry(raw.clone()).or_insert_with(|| id.clone());
        assets.push(Asset {
            id: placed(id.clone(), id_node, format!("{path}.id")),
            title: Some(placed(e.key.trim().to_owned(), &e.node, path.clone())),
            sensitivity: scalar(&e.node, "confidentiality")
                .map(|(c, n)| placed(c, n, format!("{path}.confidentiality"))),
        });
        tech_ids.push(Some((raw, id)));
    }
    for e in r.entries(root, "data_assets", "data_assets") {
        let path = format!("data_assets.{}", e.key);
        if !r.is_map(e, &path, "data asset") {
            continue;
        }
        let (raw, id_node) = scalar(&e.node, "id").unwrap_or_else(|| (slugify(&e.key), &e.node));
        let id = unique(&mut taken, slugify(&raw));
        ids.entry(raw).or_insert_with(|| id.clone());
        assets.push(Asset {
            id: placed(id, id_node, format!("{path}.id")),
            title: Some(placed(e.key.trim().to_owned(), &e.node, path.clone())),
            sensitivity: scalar(&e.node, "confidentiality")
                .map(|(c, n)| placed(c, n, format!("{path}.confidentiality"))),
        });
    }
    for (e, asset) in technical.iter().zip(&tech_ids) {
        let Some((raw, from)) = asset else { continue };
        let path = format!("technical_assets.{}.communication_links", e.key);
        for link in r.entries(&e.node, "communication_links", &path) {
            let lpath = format!("{path}.{}", link.key);
            if !r.is_map(link, &lpath, "communication link") {
                continue;
            }
            let id = unique(&mut taken, slugify(&link.key));
            // Threagile names a link `SOURCE>link-title` in risk ids.
            ids.entry(format!("{raw}>{}", slugify(&link.key)))
                .or_insert_with(|| id.clone());
            let to = match scalar(&link.node, "target") {
                Some((t, n)) => placed(
                    ids.get(&t).cloned().unwrap_or(t),
                    n,
                    format!("{lpath}.target"),
                ),
                None => placed(
                    "(unconnected)".to_owned(),
                    &link.node,
                    format!("{lpath}.target"),
                ),
            };
            flows.push(Flow {
                id: placed(id, &link.node, lpath.clone()),
                title: Some(placed(
                    link.key.trim().to_owned(),
                    &link.node,
                    lpath.clone(),
                )),
                from: placed(
                    from.clone(),
                    &e.node,
                    format!("technical_assets.{}.id", e.key),
                ),
                to,
                crosses: None,
            });
        }
    }

    // Custom risk categories say which STRIDE category they belong to.
    let mut categories: HashMap<String, Category> = HashMap::new();
    for e in r.entries(
        root,
        "individual_risk_categories",
        "individual_risk_categories",
    ) {
        if let Some((id, _)) = scalar(&e.node, "id")
            && let Some(c) = scalar(&e.node, "stride").and_then(|(s, _)| stride(&s))
        {
            categories.insert(id, c);
        }
    }

    let mut threats = Vec::new();
    for e in r.entries(root, "risk_tracking", "risk_tracking") {
        let path = format!("risk_tracking.{}", e.key);
        if !r.is_map(e, &path, "tracked risk") {
            continue;
        }
        threats.push(tracked(e, &path, threats.len() + 1, &ids, &categories));
    }
    if !r.diags.is_empty() {
        return Err(r.diags);
    }
    let title = title.unwrap_or_else(|| at("Threagile model".to_owned(), "title"));
    Ok(Report {
        kind: Kind::ThreatModel,
        title: title.value.clone(),
        updated,
        body: Body::ThreatModel(ThreatModel {
            system: title,
            methodology: Some(at("threagile".to_owned(), "threagile_version")),
            assets,
            flows,
            threats,
        }),
    })
}

/// One `risk_tracking` entry as a threat.
fn tracked(
    e: &Entry,
    path: &str,
    n: usize,
    ids: &HashMap<String, String>,
    categories: &HashMap<String, Category>,
) -> Threat {
    let synthetic = e.key.trim();
    let mut parts = synthetic.split('@');
    let category = parts.next().unwrap_or_default().trim();
    let mut affects: Vec<At<String>> = Vec::new();
    for part in parts {
        if let Some(id) = ids.get(part.trim())
            && !affects.iter().any(|a| &a.value == id)
        {
            affects.push(At {
                value: id.clone(),
                pos: e.key_pos,
                path: path.to_owned(),
            });
        }
    }
    let word = scalar(&e.node, "status");
    let mapped = word
        .as_ref()
        .map_or(Some(ThreatStatus::Open), |(w, _)| status(w));
    let justification = scalar(&e.node, "justification");
    let mut lines = vec![format!("Threagile risk: {synthetic}")];
    if let Some((w, _)) = &word {
        lines.push(format!("Threagile status: {w}"));
    }
    if let Some((j, _)) = &justification {
        lines.push(format!("Justification: {j}"));
    }
    if let Some((t, _)) = scalar(&e.node, "ticket") {
        lines.push(format!("Ticket: {t}"));
    }
    match (scalar(&e.node, "checked_by"), scalar(&e.node, "date")) {
        (Some((by, _)), Some((on, _))) => lines.push(format!("Checked by {by} on {on}")),
        (Some((by, _)), None) => lines.push(format!("Checked by {by}")),
        (None, Some((on, _))) => lines.push(format!("Checked on {on}")),
        (None, None) => {}
    }
    // Work under way or done is the model's mitigation backlog.
    let progress = match word.as_ref().map(|(w, _)| w.to_ascii_lowercase()) {
        Some(w) if w == "in-progress" => Some(MitigationStatus::InProgress),
        Some(w) if w == "mitigated" => Some(MitigationStatus::Done),
        _ => None,
    };
    let mitigations = match (&justification, progress) {
        (Some((j, node)), Some(s)) => vec![Mitigation {
            control: None,
            text: Some(placed(j.clone(), node, format!("{path}.justification"))),
            evidence: Vec::new(),
            owner: None,
            due: None,
            status: Some(placed(
                s,
                word.as_ref().map_or(&e.node, |(_, n)| n),
                format!("{path}.status"),
            )),
            path: format!("{path}.justification"),
        }],
        _ => Vec::new(),
    };
    Threat {
        id: At {
            value: format!("T{n}"),
            pos: e.key_pos,
            path: path.to_owned(),
        },
        title: At {
            value: humanise(category),
            pos: e.key_pos,
            path: path.to_owned(),
        },
        description: Some(At {
            value: lines.join("\n"),
            pos: e.key_pos,
            path: path.to_owned(),
        }),
        category: categories.get(category).map(|c| At {
            value: *c,
            pos: e.key_pos,
            path: path.to_owned(),
        }),
        atlas: Vec::new(),
        owasp: Vec::new(),
        affects,
        likelihood: None,
        impact: None,
        status: Some(match &word {
            Some((_, node)) => placed(
                mapped.unwrap_or(ThreatStatus::Open),
                node,
                format!("{path}.status"),
            ),
            None => At {
                value: ThreatStatus::Open,
                pos: e.key_pos,
                path: path.to_owned(),
            },
        }),
        mitigations,
        acceptance: None,
        path: path.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------
// The risks JSON output
// ---------------------------------------------------------------------------------------

#[derive(Deserialize)]
struct Risk {
    #[serde(default)]
    category: Loose,
    #[serde(default)]
    risk_status: Loose,
    #[serde(default)]
    severity: Loose,
    #[serde(default)]
    exploitation_likelihood: Loose,
    #[serde(default)]
    exploitation_impact: Loose,
    #[serde(default)]
    title: Loose,
    #[serde(default)]
    synthetic_id: Loose,
    #[serde(default)]
    most_relevant_technical_asset: Loose,
    #[serde(default)]
    data_breach_technical_assets: Option<Vec<Loose>>,
}

fn risks(report: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let risks: Vec<Risk> = parse_json(Format::Threagile, report, rel)?;
    // The technical assets the risks name, in the order they are first named.
    let mut taken = HashSet::new();
    let mut ids: HashMap<&str, String> = HashMap::new();
    let mut assets = Vec::new();
    for (i, r) in risks.iter().enumerate() {
        let named = r
            .most_relevant_technical_asset
            .get()
            .map(|a| (a, format!("[{i}].most_relevant_technical_asset")))
            .into_iter()
            .chain(
                r.data_breach_technical_assets
                    .iter()
                    .flatten()
                    .enumerate()
                    .filter_map(|(j, a)| {
                        a.get()
                            .map(|a| (a, format!("[{i}].data_breach_technical_assets[{j}]")))
                    }),
            );
        for (raw, path) in named {
            if ids.contains_key(raw) {
                continue;
            }
            let id = unique(&mut taken, slugify(raw));
            ids.insert(raw, id.clone());
            assets.push(Asset {
                id: at(id, path.clone()),
                title: Some(at(raw.to_owned(), path)),
                sensitivity: None,
            });
        }
    }
    let threats = risks
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let p = |f: &str| format!("[{i}].{f}");
            let category = r.category.get();
            let word = r.risk_status.get();
            let mut lines = Vec::new();
            if let Some(c) = category {
                lines.push(format!("Threagile category: {c}"));
            }
            if let Some(s) = r.synthetic_id.get() {
                lines.push(format!("Threagile risk: {s}"));
            }
            if let Some(w) = word {
                lines.push(format!("Threagile status: {w}"));
            }
            if let Some(s) = r.severity.get() {
                lines.push(format!("Threagile severity: {s}"));
            }
            if let Some(x) = r.exploitation_impact.get() {
                lines.push(format!("Exploitation impact: {x}"));
            }
            let title = r
                .title
                .get()
                .map(strip_html)
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| humanise(category.unwrap_or_default()));
            Threat {
                id: at(format!("T{}", i + 1), p("synthetic_id")),
                title: at(title, p("title")),
                description: text(Some(&lines.join("\n")), &p("category")),
                category: None,
                atlas: Vec::new(),
                owasp: Vec::new(),
                affects: r
                    .most_relevant_technical_asset
                    .get()
                    .and_then(|a| ids.get(a))
                    .map(|id| at(id.clone(), p("most_relevant_technical_asset")))
                    .into_iter()
                    .collect(),
                likelihood: r
                    .exploitation_likelihood
                    .get()
                    .and_then(likelihood)
                    .map(|l| at(l, p("exploitation_likelihood"))),
                impact: r
                    .severity
                    .get()
                    .and_then(threagile_rating)
                    .map(|s| at(s, p("severity"))),
                status: Some(at(
                    word.and_then(status).unwrap_or(ThreatStatus::Open),
                    p("risk_status"),
                )),
                mitigations: Vec::new(),
                acceptance: None,
                path: format!("[{i}]"),
            }
        })
        .collect::<Vec<_>>();
    let title = format!("Threagile risks ({} risks)", threats.len());
    Ok(Report {
        kind: Kind::ThreatModel,
        title: title.clone(),
        updated: None,
        body: Body::ThreatModel(ThreatModel {
            system: at(title, ""),
            methodology: Some(at("threagile".to_owned(), "")),
            assets,
            flows: Vec::new(),
            threats,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::decode::Choice;

    fn threat_model(text: &str) -> (Report, ThreatModel) {
        let mut r = import(text, "evidence/tm/threagile.yaml").unwrap();
        assert_eq!(r.kind, Kind::ThreatModel);
        let body = std::mem::replace(
            &mut r.body,
            Body::ThreatModel(ThreatModel {
                system: at(String::new(), ""),
                methodology: None,
                assets: Vec::new(),
                flows: Vec::new(),
                threats: Vec::new(),
            }),
        );
        let Body::ThreatModel(tm) = body else {
            panic!("not a threat model")
        };
        (r, tm)
    }

    const MODEL: &str = "threagile_version: 1.0.0

# a comment
title: Small App
date: 2020-07-01

data_assets:
  Customer Data: &customer
    id: customer-data
    confidentiality: confidential
  Customer Summaries:
    <<: *customer
    id: customer-summaries

technical_assets:
  Web Server:
    id: web-server
    type: process
    confidentiality: internal
    communication_links:
      Database Traffic:
        target: sql-database
        description: Queries
      Log Shipping:
        target: log-sink
  SQL Database:
    id: sql-database
    type: datastore
    communication_links:

individual_risk_categories:
  Strange:
    id: something-strange
    stride: repudiation

risk_tracking:
  sql-nosql-injection@web-server>database-traffic@web-server@sql-database:
    status: mitigated
    justification: Prepared statements everywhere
    ticket: XYZ-1
    date: 2020-01-05
    checked_by: John Doe
  unencrypted-asset@*:
    status: accepted
    justification: Tolerable
  something-strange@sql-database:
    status: in-discussion
  missing-hardening@web-server:
    status: in-progress
    justification: Being hardened
  dos-risky-access@nowhere:
    status: false-positive
";

    #[test]
    fn detects_the_model_and_the_risks_output() {
        assert_eq!(super::super::detect(MODEL), Some(Format::Threagile));
        assert_eq!(
            super::super::detect("# header\nthreagile_version: 1.0.0\n"),
            Some(Format::Threagile)
        );
        assert_eq!(
            super::super::detect(r#"[{"category": "x", "synthetic_id": "x@y"}]"#),
            Some(Format::Threagile)
        );
        assert_eq!(super::super::detect("title: x\n"), None);
        assert_eq!(super::super::detect(r#"[{"category": "x"}]"#), None);
    }

    #[test]
    fn model_yaml_becomes_a_threat_model() {
        let (r, tm) = threat_model(MODEL);
        assert_eq!(r.title, "Small App");
        assert_eq!(r.updated.unwrap().to_string(), "2020-07-01");
        assert_eq!(tm.system.value, "Small App");
        let ids: Vec<&str> = tm.assets.iter().map(|a| a.id.value.as_str()).collect();
        assert_eq!(
            ids,
            [
                "web-server",
                "sql-database",
                "customer-data",
                "customer-summaries"
            ]
        );
        assert_eq!(tm.assets[0].title.as_ref().unwrap().value, "Web Server");
        assert_eq!(tm.assets[0].sensitivity.as_ref().unwrap().value, "internal");
        // Merged from the anchor.
        assert_eq!(
            tm.assets[3].sensitivity.as_ref().unwrap().value,
            "confidential"
        );
        // Positions survive: the id of the web server is on line 17.
        assert_eq!(tm.assets[0].id.pos.line, 17);

        assert_eq!(tm.flows.len(), 2);
        assert_eq!(tm.flows[0].id.value, "database-traffic");
        assert_eq!(tm.flows[0].from.value, "web-server");
        assert_eq!(tm.flows[0].to.value, "sql-database");
        assert_eq!(tm.flows[1].to.value, "log-sink");

        assert_eq!(tm.threats.len(), 5);
        let t = &tm.threats[0];
        assert_eq!(t.id.value, "T1");
        assert_eq!(t.title.value, "Sql nosql injection");
        let affects: Vec<&str> = t.affects.iter().map(|a| a.value.as_str()).collect();
        assert_eq!(affects, ["database-traffic", "web-server", "sql-database"]);
        let d = &t.description.as_ref().unwrap().value;
        assert!(
            d.contains("sql-nosql-injection@web-server>database-traffic@web-server@sql-database")
        );
        assert!(d.contains("Checked by John Doe on 2020-01-05"));
        assert_eq!(t.mitigations.len(), 1);
        assert_eq!(
            t.mitigations[0].status.as_ref().unwrap().value,
            MitigationStatus::Done
        );
        assert_eq!(t.status.as_ref().unwrap().pos.line, 38);

        let statuses: Vec<&str> = tm
            .threats
            .iter()
            .map(|t| t.status.as_ref().unwrap().value.name())
            .collect();
        assert_eq!(
            statuses,
            ["mitigated", "accepted", "open", "open", "false-positive"]
        );
        assert!(tm.threats[1].affects.is_empty());
        assert_eq!(
            tm.threats[2].category.as_ref().unwrap().value,
            Category::Repudiation
        );
        assert_eq!(
            tm.threats[3].mitigations[0].status.as_ref().unwrap().value,
            MitigationStatus::InProgress
        );
        assert!(tm.threats[4].affects.is_empty());
    }

    #[test]
    fn an_empty_risk_tracking_has_no_threats() {
        let (_, tm) = threat_model("threagile_version: 1.0.0\ntitle: Stub\nrisk_tracking:\n");
        assert!(tm.threats.is_empty());
        assert!(tm.assets.is_empty());
    }

    #[test]
    fn a_broken_model_is_reported_where_it_breaks() {
        let d = import(
            "threagile_version: 1.0.0\ntechnical_assets:\n  - a\nrisk_tracking:\n  x@y: 5\n",
            "evidence/tm/t.yaml",
        )
        .unwrap_err();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].code, "E0210");
        assert_eq!(d[0].path, "technical_assets");
        assert_eq!(d[0].line, 3);
        assert_eq!(d[1].path, "risk_tracking.x@y");
        assert_eq!(d[1].line, 5);
    }

    #[test]
    fn risks_output_becomes_threats() {
        let text = r#"[
          {"category": "missing-authentication", "risk_status": "in-discussion", "severity": "elevated",
           "exploitation_likelihood": "very-likely", "exploitation_impact": "medium",
           "title": "<b>Missing Authentication</b> covering <b>a &amp; b</b>",
           "synthetic_id": "missing-authentication@a>b", "most_relevant_technical_asset": "api-ta",
           "data_breach_technical_assets": ["api-ta", "db-ta"]},
          {"category": "mixed-targets", "risk_status": "false-positive", "severity": "low",
           "exploitation_likelihood": "frequent", "title": "",
           "synthetic_id": "mixed-targets@rt", "most_relevant_technical_asset": ""}
        ]"#;
        let r = import(text, "evidence/tm/risks.json").unwrap();
        let Body::ThreatModel(tm) = r.body else {
            panic!()
        };
        let ids: Vec<&str> = tm.assets.iter().map(|a| a.id.value.as_str()).collect();
        assert_eq!(ids, ["api-ta", "db-ta"]);
        assert_eq!(tm.threats.len(), 2);
        let t = &tm.threats[0];
        assert_eq!(t.title.value, "Missing Authentication covering a & b");
        assert_eq!(t.impact.as_ref().unwrap().value, Rating::High);
        assert_eq!(t.likelihood.as_ref().unwrap().value, Rating::High);
        assert_eq!(t.status.as_ref().unwrap().value, ThreatStatus::Open);
        assert_eq!(t.affects[0].value, "api-ta");
        assert!(
            t.description
                .as_ref()
                .unwrap()
                .value
                .contains("Threagile category: missing-authentication")
        );
        let t = &tm.threats[1];
        assert_eq!(t.title.value, "Mixed targets");
        assert_eq!(t.likelihood.as_ref().unwrap().value, Rating::Critical);
        assert_eq!(
            t.status.as_ref().unwrap().value,
            ThreatStatus::FalsePositive
        );
        assert!(t.affects.is_empty());
    }

    #[test]
    fn a_broken_risks_output_names_the_field() {
        let d = import(
            r#"[{"synthetic_id": "a@b", "severity": {"x": 1}}]"#,
            "evidence/tm/risks.json",
        )
        .unwrap_err();
        assert_eq!(d[0].code, "E0210");
        assert_eq!(d[0].path, "[0].severity");
    }
}
