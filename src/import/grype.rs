//! Grype JSON (`grype -o json`): one scan item per report, with a finding for every entry
//! of `matches` and of `ignoredMatches`.
//!
//! The structure is Grype's Go types (grype/presenter/models); no JSON Schema is
//! published for the report. Mapping notes:
//! - Severity words are capitalised (Critical, High, Medium, Low); `Negligible` is info,
//!   `Unknown` leaves the finding without a severity.
//! - A match is open whatever its `fix.state`: `wont-fix` is the distribution declining to
//!   ship a fix, which leaves the package as vulnerable as before (an exception or a
//!   not-affected review is the way to close it here).
//! - `ignoredMatches` are matches an ignore rule or a VEX document took out: they become
//!   suppressed findings, or not-affected when a rule carries the VEX status
//!   `not_affected`, with the rules' reasons as justification.
//! - The title is the advisory's first description line (its own, else that of a related
//!   vulnerability), shortened to about 200 characters; with no description it is
//!   `PKG VERSION: ID`. Related vulnerability ids (the CVE of a GHSA) join the references.
//!
//! Strings are borrowed from the report where they hold no escapes.

use super::common::location::{package_at, package_title, versioned};
use super::common::text::{Text, add_reference, date_prefix, opt};
use super::detect::Probe;
use super::finding::{NewFinding, RuleSet, at, dedupe_ids, headline, severity_word, text};
use super::{Format, Report, parse_borrowed};
use crate::diag::Diagnostic;
use crate::model::Kind;
use crate::model::kinds::Body;
use crate::model::kinds::scan::{FindingStatus, Rule as ScanRule, Scan};
use serde::Deserialize;

#[derive(Deserialize)]
struct Doc<'a> {
    #[serde(borrow)]
    matches: Option<Vec<Match<'a>>>,
    #[serde(rename = "ignoredMatches", borrow)]
    ignored: Option<Vec<Ignored<'a>>>,
    #[serde(borrow)]
    source: Option<Source<'a>>,
    #[serde(borrow)]
    descriptor: Option<Descriptor<'a>>,
}

#[derive(Deserialize)]
struct Source<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Text<'a>>,
    #[serde(borrow)]
    target: Option<Target<'a>>,
}

/// `source.target`: a path or name for directories and files, an object for images.
#[derive(Deserialize)]
#[serde(untagged)]
enum Target<'a> {
    Text(#[serde(borrow)] Text<'a>),
    Object {
        #[serde(rename = "userInput", borrow)]
        user_input: Option<Text<'a>>,
        #[serde(borrow)]
        name: Option<Text<'a>>,
    },
}

#[derive(Deserialize)]
struct Descriptor<'a> {
    #[serde(borrow)]
    version: Option<Text<'a>>,
    #[serde(borrow)]
    timestamp: Option<Text<'a>>,
}

#[derive(Deserialize)]
struct Match<'a> {
    #[serde(borrow)]
    vulnerability: Vulnerability<'a>,
    #[serde(rename = "relatedVulnerabilities", borrow)]
    related: Option<Vec<Related<'a>>>,
    #[serde(borrow)]
    artifact: Artifact<'a>,
}

/// An ignored match: a match's fields and the rules that took it out (not a flattened
/// `Match`, which would buffer it and lose the field paths of errors).
#[derive(Deserialize)]
struct Ignored<'a> {
    #[serde(borrow)]
    vulnerability: Vulnerability<'a>,
    #[serde(rename = "relatedVulnerabilities", borrow)]
    related: Option<Vec<Related<'a>>>,
    #[serde(borrow)]
    artifact: Artifact<'a>,
    #[serde(rename = "appliedIgnoreRules", borrow)]
    rules: Option<Vec<IgnoreRule<'a>>>,
}

#[derive(Deserialize)]
struct Vulnerability<'a> {
    #[serde(borrow)]
    id: Text<'a>,
    #[serde(rename = "dataSource", borrow)]
    data_source: Option<Text<'a>>,
    #[serde(borrow)]
    severity: Option<Text<'a>>,
    #[serde(borrow)]
    description: Option<Text<'a>>,
    #[serde(borrow)]
    urls: Option<Vec<Text<'a>>>,
    #[serde(borrow)]
    fix: Option<Fix<'a>>,
}

#[derive(Deserialize)]
struct Fix<'a> {
    #[serde(borrow)]
    versions: Option<Vec<Text<'a>>>,
}

#[derive(Deserialize)]
struct Related<'a> {
    #[serde(borrow)]
    id: Option<Text<'a>>,
    #[serde(borrow)]
    description: Option<Text<'a>>,
}

#[derive(Deserialize)]
struct Artifact<'a> {
    #[serde(borrow)]
    name: Option<Text<'a>>,
    #[serde(borrow)]
    version: Option<Text<'a>>,
}

#[derive(Deserialize)]
struct IgnoreRule<'a> {
    #[serde(borrow)]
    vulnerability: Option<Text<'a>>,
    #[serde(borrow)]
    reason: Option<Text<'a>>,
    #[serde(rename = "fix-state", borrow)]
    fix_state: Option<Text<'a>>,
    #[serde(rename = "vex-status", borrow)]
    vex_status: Option<Text<'a>>,
    #[serde(rename = "vex-justification", borrow)]
    vex_justification: Option<Text<'a>>,
    #[serde(borrow)]
    package: Option<IgnorePackage<'a>>,
}

#[derive(Deserialize)]
struct IgnorePackage<'a> {
    #[serde(borrow)]
    name: Option<Text<'a>>,
    #[serde(borrow)]
    version: Option<Text<'a>>,
}

/// Grype's report has `matches` with `descriptor` or `source` at the top level.
pub(super) fn detects(p: &Probe<'_>) -> bool {
    p.has("matches") && (p.has("descriptor") || p.has("source"))
}

pub(super) fn import(text: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let doc: Doc<'_> = parse_borrowed(Format::Grype, text, rel)?;
    let target = doc.source.as_ref().and_then(|s| {
        let t = match s.target.as_ref()? {
            Target::Text(t) => Some(t.as_str().trim()),
            Target::Object { user_input, name } => opt(user_input).or(opt(name)),
        };
        t.filter(|t| !t.is_empty()).map(str::to_owned)
    });
    let source_kind = doc.source.as_ref().and_then(|s| opt(&s.kind));
    let version = doc
        .descriptor
        .as_ref()
        .and_then(|d| opt(&d.version))
        .filter(|v| !v.starts_with('['));
    let scanned = doc
        .descriptor
        .as_ref()
        .and_then(|d| opt(&d.timestamp))
        .and_then(date_prefix);
    let mut findings = Vec::new();
    let mut rules = RuleSet::default();
    for (i, m) in doc.matches.into_iter().flatten().enumerate() {
        describe(
            &mut rules,
            &m.vulnerability,
            &format!("matches[{i}].vulnerability"),
        );
        findings.push(finding(m).build(&format!("matches[{i}]")));
    }
    let mut rule_set = rules;
    for (i, ig) in doc.ignored.into_iter().flatten().enumerate() {
        let rules = ig.rules.unwrap_or_default();
        let not_affected = rules
            .iter()
            .any(|r| opt(&r.vex_status) == Some("not_affected"));
        let reasons: Vec<String> = rules.iter().map(reason).collect();
        let path = format!("ignoredMatches[{i}].vulnerability");
        describe(&mut rule_set, &ig.vulnerability, &path);
        findings.push(
            NewFinding {
                status: Some(if not_affected {
                    FindingStatus::NotAffected
                } else {
                    FindingStatus::Suppressed
                }),
                justification: Some(if reasons.is_empty() {
                    "ignored by Grype".to_owned()
                } else {
                    reasons.join("; ")
                }),
                ..finding(Match {
                    vulnerability: ig.vulnerability,
                    related: ig.related,
                    artifact: ig.artifact,
                })
            }
            .build(&format!("ignoredMatches[{i}]")),
        );
    }
    dedupe_ids(&mut findings);
    let title = match &target {
        Some(t) => format!("Grype scan of {t} ({} findings)", findings.len()),
        None => format!("Grype scan ({} findings)", findings.len()),
    };
    Ok(Report {
        kind: Kind::Scan,
        title,
        updated: scanned,
        body: Body::Scan(Scan {
            rules: rule_set.list,
            tool: Some(at(
                match version {
                    Some(v) => format!("grype {v}"),
                    None => "grype".to_owned(),
                },
                "descriptor",
            )),
            target: target.map(|t| {
                at(
                    match source_kind {
                        Some(k) => format!("{t} ({k})"),
                        None => t,
                    },
                    "source.target",
                )
            }),
            scanned: scanned.map(|d| at(d, "descriptor.timestamp")),
            report: None,
            findings,
        }),
    })
}

/// A match as an open finding.
/// A vulnerability's advisory, described once: its description, data source and links.
fn describe(rules: &mut RuleSet, v: &Vulnerability<'_>, path: &str) {
    let id = v.id.0.trim();
    if !rules.fresh(id) {
        return;
    }
    let field = |x: Option<&str>, f: &str| text(x, &format!("{path}.{f}"));
    let first_url = v.urls.iter().flatten().map(|u| u.0.as_ref()).next();
    rules.list.push(ScanRule {
        help_text: field(opt(&v.description), "description"),
        help_uri: field(opt(&v.data_source), "dataSource").or_else(|| field(first_url, "urls[0]")),
        severity: opt(&v.severity)
            .and_then(severity_word)
            .map(|s| at(s, format!("{path}.severity"))),
        ..ScanRule::new(at(id.to_owned(), format!("{path}.id")))
    });
}

fn finding(m: Match<'_>) -> NewFinding {
    let v = m.vulnerability;
    let id = v.id.0.into_owned();
    let (pkg, version) = (opt(&m.artifact.name), opt(&m.artifact.version));
    let location = package_at(pkg, version);
    let related = m.related.unwrap_or_default();
    let title = opt(&v.description)
        .or_else(|| related.iter().find_map(|r| opt(&r.description)))
        .map(headline)
        .or_else(|| package_title(pkg, version, &id));
    let mut references: Vec<String> = Vec::new();
    let mut add = |r: &str| add_reference(&mut references, &id, r);
    for u in v.urls.iter().flatten() {
        add(u.as_str());
    }
    if let Some(d) = opt(&v.data_source) {
        add(d);
    }
    for r in &related {
        if let Some(rid) = opt(&r.id) {
            add(rid);
        }
    }
    let fixed_version = v.fix.and_then(|f| f.versions).and_then(|vs| {
        vs.into_iter()
            .find_map(|x| Some(x.0.into_owned()).filter(|s| !s.trim().is_empty()))
    });
    NewFinding {
        rule: Some(id.clone()),
        severity: opt(&v.severity).and_then(severity_word),
        title,
        location,
        fixed_version,
        references,
        id,
        ..NewFinding::default()
    }
}

/// Why an ignore rule applied: its reason, its VEX status, or else what it matched on.
fn reason(r: &IgnoreRule<'_>) -> String {
    if let Some(reason) = opt(&r.reason) {
        return reason.to_owned();
    }
    if let Some(status) = opt(&r.vex_status) {
        return match opt(&r.vex_justification) {
            Some(j) => format!("VEX {status}: {j}"),
            None => format!("VEX {status}"),
        };
    }
    let mut on = Vec::new();
    if let Some(v) = opt(&r.vulnerability) {
        on.push(format!("vulnerability {v}"));
    }
    if let Some(f) = opt(&r.fix_state) {
        on.push(format!("fix-state {f}"));
    }
    if let Some(p) = &r.package {
        if let Some(n) = opt(&p.name) {
            on.push(format!("package {}", versioned(n, opt(&p.version))));
        }
    }
    if on.is_empty() {
        "ignore rule".to_owned()
    } else {
        format!("ignore rule on {}", on.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::detect::{Format, detect};
    use crate::model::kinds::scan::Finding;

    const REPORT: &str = r#"{
      "matches": [
        {"vulnerability": {"id": "GHSA-hv5j-3h9f-99c2", "dataSource": "https://github.com/advisories/GHSA-hv5j-3h9f-99c2",
           "namespace": "github:language:ruby", "severity": "High",
           "urls": ["https://github.com/advisories/GHSA-hv5j-3h9f-99c2"],
           "fix": {"versions": ["0.10.2", "0.11.1"], "state": "fixed"}, "advisories": []},
         "relatedVulnerabilities": [{"id": "CVE-2023-28755", "severity": "High",
           "description": "A ReDoS issue was discovered in the URI component.\nMore text."}],
         "matchDetails": [], "artifact": {"id": "1", "name": "uri", "version": "0.10.1", "type": "gem", "locations": []}},
        {"vulnerability": {"id": "CVE-2020-12413", "severity": "Negligible", "urls": null,
           "fix": {"versions": [], "state": "wont-fix"}},
         "relatedVulnerabilities": null, "artifact": {"name": "nss", "version": "3.79.0-17.el9_1"}},
        {"vulnerability": {"id": "CVE-2020-12413", "severity": "Unknown", "fix": {"versions": [], "state": ""}},
         "artifact": {"name": "nspr", "version": "4.34.0"}}
      ],
      "ignoredMatches": [
        {"vulnerability": {"id": "CVE-2024-1", "severity": "Critical", "fix": {"versions": [], "state": "not-fixed"}},
         "artifact": {"name": "openssl", "version": "3.0.0"},
         "appliedIgnoreRules": [{"vulnerability": "CVE-2024-1", "reason": "not reachable from our code"}]},
        {"vulnerability": {"id": "CVE-2024-2", "severity": "High"},
         "artifact": {"name": "zlib", "version": "1.2"},
         "appliedIgnoreRules": [{"vex-status": "not_affected", "vex-justification": "vulnerable_code_not_present"}]},
        {"vulnerability": {"id": "CVE-2024-3", "severity": "Low"},
         "artifact": {"name": "linux-headers", "version": "5.0"},
         "appliedIgnoreRules": [{"fix-state": "wont-fix", "package": {"name": "linux-headers"}}]}
      ],
      "source": {"type": "image", "target": {"userInput": "cgr.dev/chainguard/ruby:latest", "imageID": "sha256:x"}},
      "distro": {"name": "wolfi", "version": "20230201"},
      "descriptor": {"name": "grype", "version": "0.61.1", "timestamp": "2023-05-17T21:00:56.783213-04:00"}
    }"#;

    fn findings(text: &str) -> (Report, Vec<Finding>) {
        let mut r = import(text, "evidence/scans/grype.json").unwrap();
        let Body::Scan(s) = &mut r.body else { panic!() };
        let f = std::mem::take(&mut s.findings);
        (r, f)
    }

    fn value<T: ToString>(x: &Option<T>) -> Option<String> {
        x.as_ref().map(ToString::to_string)
    }

    #[test]
    fn detects_grype_by_its_keys() {
        assert_eq!(detect(REPORT), Some(Format::Grype));
        assert_eq!(
            detect(r#"{"matches": [], "source": {"type": "directory", "target": "."}}"#),
            Some(Format::Grype)
        );
        assert_eq!(detect(r#"{"matches": []}"#), None);
    }

    #[test]
    fn imports_matches_with_fix_versions_and_related_ids() {
        let (r, f) = findings(REPORT);
        assert_eq!(
            r.title,
            "Grype scan of cgr.dev/chainguard/ruby:latest (6 findings)"
        );
        assert_eq!(r.updated.unwrap().to_string(), "2023-05-17");
        let Body::Scan(s) = &r.body else { panic!() };
        assert_eq!(value(&s.tool).unwrap(), "grype 0.61.1");
        assert_eq!(
            value(&s.target).unwrap(),
            "cgr.dev/chainguard/ruby:latest (image)"
        );
        let g = &f[0];
        assert_eq!(g.id.to_string(), "GHSA-hv5j-3h9f-99c2");
        assert_eq!(value(&g.rule).unwrap(), "GHSA-hv5j-3h9f-99c2");
        assert_eq!(value(&g.severity).unwrap().to_string(), "high");
        assert_eq!(value(&g.location).unwrap(), "uri@0.10.1");
        assert_eq!(value(&g.fixed_version).unwrap(), "0.10.2");
        assert_eq!(
            value(&g.title).unwrap(),
            "A ReDoS issue was discovered in the URI component."
        );
        let refs: Vec<&str> = g.references().iter().map(|r| &**r).collect();
        assert_eq!(
            refs,
            [
                "https://github.com/advisories/GHSA-hv5j-3h9f-99c2",
                "CVE-2023-28755"
            ]
        );
        assert_eq!(g.status(), FindingStatus::Open);
    }

    #[test]
    fn severities_wont_fix_and_repeated_ids() {
        let (_, f) = findings(REPORT);
        let n = &f[1];
        assert_eq!(n.id.to_string(), "CVE-2020-12413");
        assert_eq!(value(&n.severity).unwrap().to_string(), "info");
        // wont-fix stays open: the package is still vulnerable.
        assert_eq!(n.status(), FindingStatus::Open);
        assert!(n.fixed_version.is_none());
        assert_eq!(
            value(&n.title).unwrap(),
            "nss 3.79.0-17.el9_1: CVE-2020-12413"
        );
        assert_eq!(f[2].id.to_string(), "CVE-2020-12413-2");
        assert_eq!(value(&f[2].rule).unwrap(), "CVE-2020-12413");
        assert!(f[2].severity.is_none());
    }

    #[test]
    fn ignored_matches_are_suppressed_with_their_reasons() {
        let (_, f) = findings(REPORT);
        assert_eq!(f[3].status(), FindingStatus::Suppressed);
        assert_eq!(
            value(&f[3].justification).unwrap(),
            "not reachable from our code"
        );
        assert_eq!(f[3].at.path(), "ignoredMatches[0]");
        assert_eq!(f[4].status(), FindingStatus::NotAffected);
        assert_eq!(
            value(&f[4].justification).unwrap(),
            "VEX not_affected: vulnerable_code_not_present"
        );
        assert_eq!(f[5].status(), FindingStatus::Suppressed);
        assert_eq!(
            value(&f[5].justification).unwrap(),
            "ignore rule on fix-state wont-fix, package linux-headers"
        );
    }

    #[test]
    fn a_directory_target_is_a_string() {
        let (r, f) = findings(
            r#"{"matches": [], "source": {"type": "directory", "target": "/src"},
                "descriptor": {"name": "grype", "version": "[not provided]", "timestamp": ""}}"#,
        );
        assert!(f.is_empty());
        assert_eq!(r.title, "Grype scan of /src (0 findings)");
        let Body::Scan(s) = &r.body else { panic!() };
        assert_eq!(value(&s.tool).unwrap(), "grype");
        assert!(r.updated.is_none());
    }

    #[test]
    fn long_descriptions_are_shortened_at_a_word() {
        let long = "word ".repeat(100);
        let h = headline(&long);
        assert!(h.ends_with("word ..."), "{h}");
        assert!(h.chars().count() <= 204, "{h}");
        assert_eq!(headline("  \nfirst\nsecond"), "first");
    }

    #[test]
    fn a_broken_report_names_the_field() {
        let d = import(
            r#"{"matches": [{"vulnerability": {"id": "X"}, "artifact": {"name": 3}}], "source": {}}"#,
            "evidence/g.json",
        )
        .unwrap_err();
        assert_eq!(d[0].code, "E0210");
        assert_eq!(d[0].path, "matches[0].artifact.name");
    }
}
