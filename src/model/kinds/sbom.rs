//! sbom (DESIGN 3.2): a software bill of materials, imported from CycloneDX or SPDX or
//! written natively: the components a product is made of, their licences, and the
//! vulnerabilities known in them. The vulnerabilities are the scan's [`Finding`]s, so
//! policy, exceptions and the backlog treat them exactly as they treat a scan's.

use super::scan::Finding;
use crate::model::Node;
use crate::model::decode::{At, Decoder};
use serde::Serialize;
use std::sync::Arc;

/// A bill of materials.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Sbom {
    /// The tool that made it (cyclonedx-php-composer, trivy, ...).
    pub tool: Option<At<String>>,
    /// The format it was written in (CycloneDX, SPDX).
    pub format: Option<At<String>>,
    /// The format's version (1.4 ... 1.7 for CycloneDX, 2.3 for SPDX).
    pub spec_version: Option<At<String>>,
    /// What the bill describes (a product, an image, a repository).
    pub subject: Option<At<String>>,
    /// Every component, nested ones included, in document order.
    pub components: Vec<Component>,
    /// The vulnerabilities, each a finding against the components it affects.
    pub findings: Vec<SbomFinding>,
}

/// One component (CycloneDX) or package (SPDX).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Component {
    /// Unique in the bill: the CycloneDX `bom-ref` or SPDX `SPDXID`; `SBOM#ID` refers to
    /// it (defaults to the name).
    pub id: At<String>,
    /// The component's name.
    pub name: At<String>,
    /// Its version.
    pub version: Option<At<String>>,
    /// Its package URL (pkg:npm/jquery@3.3.1).
    pub purl: Option<At<String>>,
    /// Its licences: SPDX ids, names or expressions.
    pub licences: Vec<At<String>>,
    /// library, application, framework, operating-system, container, ...
    #[serde(rename = "type")]
    #[schemars(rename = "type")]
    pub kind: Option<At<String>>,
    /// Who supplies it.
    pub supplier: Option<At<String>>,
}

impl Component {
    /// `name@version`, or the name alone: how a finding names what it affects.
    pub fn label(&self) -> String {
        match &self.version {
            Some(v) => format!("{}@{}", self.name.value, v.value),
            None => self.name.value.clone(),
        }
    }
}

/// A vulnerability: a finding plus what a bill of materials says beyond it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SbomFinding {
    /// The finding (its location names the affected components as `name@version`).
    #[serde(flatten)]
    pub finding: Finding,
    /// Ids of the components it affects.
    pub affects: Vec<At<String>>,
    /// The highest score of its ratings (CVSS).
    pub score: Option<At<f64>>,
    /// How that score was rated (CVSSv31, ...).
    pub method: Option<At<String>>,
    /// The VEX analysis state as written (not_affected, exploitable, in_triage, ...).
    pub vex_state: Option<At<String>>,
    /// The VEX responses (update, will_not_fix, ...).
    pub response: Vec<At<String>>,
    /// What to do about it ("Upgrade x to version y").
    pub recommendation: Option<At<String>>,
}

/// Fields of an SBOM vulnerability beyond a finding's.
const EXTRA: &[&str] = &[
    "affects",
    "score",
    "method",
    "vex_state",
    "response",
    "recommendation",
];

/// Fields of an sbom beyond the header.
pub const FIELDS: &[&str] = &[
    "tool",
    "format",
    "spec_version",
    "subject",
    "components",
    "findings",
];

impl Sbom {
    /// Decodes the kind's fields from the document.
    pub fn decode(d: &mut Decoder<'_>, doc: &Node) -> Option<Sbom> {
        let components = d.list(doc, "components", |d, n| {
            d.fields(
                n,
                "a component",
                &[
                    "id", "name", "version", "purl", "licences", "type", "supplier",
                ],
            );
            let name = d.req_text(n, "name", "give the component its `name`")?;
            Some(Component {
                id: d.text(n, "id").unwrap_or_else(|| name.clone()),
                name,
                version: d.text(n, "version"),
                purl: d.text(n, "purl"),
                licences: d.texts(n, "licences"),
                kind: d.text(n, "type"),
                supplier: d.text(n, "supplier"),
            })
        });
        let list: Arc<str> = Arc::from("findings");
        let findings = d.list(doc, "findings", |d, n| {
            let finding = Finding::decode(d, n, &list, EXTRA)?;
            Some(SbomFinding {
                finding,
                affects: d.texts(n, "affects"),
                score: d.number(n, "score"),
                method: d.text(n, "method"),
                vex_state: d.text(n, "vex_state"),
                response: d.texts(n, "response"),
                recommendation: d.text(n, "recommendation"),
            })
        });
        Some(Sbom {
            tool: d.text(doc, "tool"),
            format: d.text(doc, "format"),
            spec_version: d.text(doc, "spec_version"),
            subject: d.text(doc, "subject"),
            components,
            findings,
        })
    }
}
