//! SPDX 2.3 JSON: one sbom item per document, with a component for every entry of
//! `packages`. SPDX carries no vulnerabilities, so the item has no findings.
//!
//! Schema: <https://github.com/spdx/spdx-spec/blob/support/2.3.1/schemas/spdx-schema.json>.
//! Mapping notes:
//! - A package's id is its `SPDXID`; its purl is the `referenceLocator` of the
//!   `externalRefs` entry whose `referenceType` is `purl`; its type is
//!   `primaryPackagePurpose`, lowercased.
//! - Its licence is `licenseConcluded`, else `licenseDeclared`; `NOASSERTION` and `NONE`
//!   name no licence, so such a package counts as one without a licence.
//! - `supplier` drops its `Organization: ` or `Person: ` prefix; `NOASSERTION` is none.
//! - The tool is every `creationInfo.creators` entry that starts with `Tool: `; the
//!   subject is what the document describes (`documentDescribes`, or `DESCRIBES`
//!   relationships of `SPDXRef-DOCUMENT`), named by package, else the document's name.

use super::common::location::versioned;
use super::common::text::date_prefix;
use super::detect::Probe;
use super::finding::{at, text, unique_ids};
use super::{Format, Report, parse_json};
use crate::diag::Diagnostic;
use crate::model::Kind;
use crate::model::kinds::Body;
use crate::model::kinds::sbom::{Component, Sbom};
use serde::Deserialize;

#[derive(Deserialize)]
struct Document {
    #[serde(rename = "spdxVersion")]
    spdx_version: Option<String>,
    name: Option<String>,
    #[serde(rename = "creationInfo")]
    creation_info: Option<CreationInfo>,
    #[serde(rename = "documentDescribes")]
    describes: Option<Vec<String>>,
    packages: Option<Vec<Package>>,
    relationships: Option<Vec<Relationship>>,
}

#[derive(Deserialize)]
struct CreationInfo {
    created: Option<String>,
    creators: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct Package {
    #[serde(rename = "SPDXID")]
    spdx_id: String,
    name: String,
    #[serde(rename = "versionInfo")]
    version: Option<String>,
    #[serde(rename = "licenseConcluded")]
    concluded: Option<String>,
    #[serde(rename = "licenseDeclared")]
    declared: Option<String>,
    supplier: Option<String>,
    #[serde(rename = "primaryPackagePurpose")]
    purpose: Option<String>,
    #[serde(rename = "externalRefs")]
    external_refs: Option<Vec<ExternalRef>>,
}

#[derive(Deserialize)]
struct ExternalRef {
    #[serde(rename = "referenceType")]
    reference_type: String,
    #[serde(rename = "referenceLocator")]
    locator: String,
}

#[derive(Deserialize)]
struct Relationship {
    #[serde(rename = "spdxElementId")]
    from: String,
    #[serde(rename = "relationshipType")]
    kind: String,
    #[serde(rename = "relatedSpdxElement")]
    to: String,
}

/// An SPDX JSON document has `spdxVersion` and `SPDXID` at the top level.
pub(super) fn detects(p: &Probe<'_>) -> bool {
    p.has("spdxVersion") && p.has("SPDXID")
}

/// Trimmed text, `None` when empty or an SPDX "no value" word.
fn value(s: &Option<String>) -> Option<&str> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "NOASSERTION" && *s != "NONE")
}

pub(super) fn import(text: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let doc: Document = parse_json(Format::Spdx, text, rel)?;
    let creation = doc.creation_info.as_ref();
    let updated = creation
        .and_then(|c| value(&c.created))
        .and_then(date_prefix);
    let tools: Vec<&str> = creation
        .and_then(|c| c.creators.as_ref())
        .into_iter()
        .flatten()
        .filter_map(|c| c.trim().strip_prefix("Tool:"))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    let packages = doc.packages.unwrap_or_default();
    let mut components: Vec<Component> = packages.iter().enumerate().map(component).collect();
    unique_ids(components.iter_mut().map(|c| &mut c.id));

    let mut described: Vec<&str> = doc.describes.iter().flatten().map(|s| s.trim()).collect();
    for r in doc.relationships.iter().flatten() {
        if r.from.trim() == "SPDXRef-DOCUMENT" && r.kind.trim() == "DESCRIBES" {
            let to = r.to.trim();
            if !described.contains(&to) {
                described.push(to);
            }
        }
    }
    let described: Vec<String> = described
        .iter()
        .filter_map(|id| packages.iter().find(|p| p.spdx_id.trim() == *id))
        .map(|p| versioned(p.name.trim(), value(&p.version)))
        .collect();
    let subject = if described.is_empty() {
        value(&doc.name).map(str::to_owned)
    } else {
        Some(described.join(", "))
    };
    let spec = value(&doc.spdx_version).map(|v| v.strip_prefix("SPDX-").unwrap_or(v).to_owned());
    let title = format!(
        "SPDX {}SBOM{} ({} packages)",
        spec.as_deref().map(|s| format!("{s} ")).unwrap_or_default(),
        subject
            .as_deref()
            .map(|s| format!(" of {s}"))
            .unwrap_or_default(),
        components.len()
    );
    Ok(Report {
        kind: Kind::Sbom,
        title,
        updated,
        body: Body::Sbom(Sbom {
            tool: (!tools.is_empty()).then(|| at(tools.join(", "), "creationInfo.creators")),
            format: Some(at("SPDX".to_owned(), "spdxVersion")),
            spec_version: spec.map(|s| at(s, "spdxVersion")),
            subject: subject.map(|s| at(s, "documentDescribes")),
            components,
            findings: Vec::new(),
        }),
    })
}

fn component((i, p): (usize, &Package)) -> Component {
    let path = format!("packages[{i}]");
    let f = |k: &str| format!("{path}.{k}");
    let purl = p
        .external_refs
        .iter()
        .flatten()
        .find(|r| r.reference_type.trim() == "purl")
        .map(|r| r.locator.as_str());
    let licence = value(&p.concluded)
        .map(|l| (l, "licenseConcluded"))
        .or_else(|| value(&p.declared).map(|l| (l, "licenseDeclared")));
    let supplier = value(&p.supplier).map(|s| {
        s.strip_prefix("Organization:")
            .or_else(|| s.strip_prefix("Person:"))
            .unwrap_or(s)
            .trim()
    });
    Component {
        id: at(p.spdx_id.trim().to_owned(), f("SPDXID")),
        name: at(p.name.trim().to_owned(), f("name")),
        version: text(value(&p.version), &f("versionInfo")),
        purl: text(purl, &f("externalRefs")),
        licences: licence
            .map(|(l, k)| at(l.to_owned(), f(k)))
            .into_iter()
            .collect(),
        kind: text(
            value(&p.purpose)
                .map(|x| x.to_ascii_lowercase().replace('_', "-"))
                .as_deref(),
            &f("primaryPackagePurpose"),
        ),
        supplier: text(supplier, &f("supplier")),
    }
}
