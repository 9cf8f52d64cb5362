//! Trivy's report as far as findings need it: Trivy's Go types (pkg/types/report.go);
//! no JSON Schema is published. Strings are borrowed from the report where they hold no
//! escapes.

use crate::import::common::text::Text;
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct Doc<'a> {
    #[serde(rename = "ArtifactName", borrow)]
    pub(super) artifact_name: Option<Text<'a>>,
    #[serde(rename = "ArtifactType", borrow)]
    pub(super) artifact_type: Option<Text<'a>>,
    #[serde(rename = "CreatedAt", borrow)]
    pub(super) created_at: Option<Text<'a>>,
    #[serde(rename = "Results", borrow)]
    pub(super) results: Option<Vec<TrivyResult<'a>>>,
    /// A Kubernetes report's cluster.
    #[serde(rename = "ClusterName", borrow)]
    pub(super) cluster_name: Option<Text<'a>>,
    /// A Kubernetes report's resources (`--report all`).
    #[serde(rename = "Resources", borrow)]
    pub(super) resources: Option<Vec<K8sResource<'a>>>,
    /// A Kubernetes summary report's resources, merged per workload.
    #[serde(rename = "Findings", borrow)]
    pub(super) k8s_findings: Option<Vec<K8sResource<'a>>>,
}

/// One scanned Kubernetes resource.
#[derive(Deserialize)]
pub(super) struct K8sResource<'a> {
    #[serde(rename = "Namespace", borrow)]
    pub(super) namespace: Option<Text<'a>>,
    #[serde(rename = "Kind", borrow)]
    pub(super) kind: Option<Text<'a>>,
    #[serde(rename = "Name", borrow)]
    pub(super) name: Option<Text<'a>>,
    #[serde(rename = "Results", borrow)]
    pub(super) results: Option<Vec<TrivyResult<'a>>>,
}

#[derive(Deserialize)]
pub(super) struct TrivyResult<'a> {
    #[serde(rename = "Target", borrow)]
    pub(super) target: Option<Text<'a>>,
    #[serde(rename = "Vulnerabilities", borrow)]
    pub(super) vulnerabilities: Option<Vec<Vulnerability<'a>>>,
    #[serde(rename = "Misconfigurations", borrow)]
    pub(super) misconfigurations: Option<Vec<Misconfiguration<'a>>>,
    #[serde(rename = "Secrets", borrow)]
    pub(super) secrets: Option<Vec<Secret<'a>>>,
    #[serde(rename = "ExperimentalModifiedFindings", borrow)]
    pub(super) modified: Option<Vec<Modified<'a>>>,
    /// Detected licences (`--scanners license`): same fields as a modified licence.
    #[serde(rename = "Licenses", borrow)]
    pub(super) licenses: Option<Vec<AnyFinding<'a>>>,
}

#[derive(Deserialize)]
pub(super) struct Vulnerability<'a> {
    #[serde(rename = "VulnerabilityID", borrow)]
    pub(super) id: Text<'a>,
    #[serde(rename = "PkgName", borrow)]
    pub(super) pkg_name: Option<Text<'a>>,
    #[serde(rename = "InstalledVersion", borrow)]
    pub(super) installed_version: Option<Text<'a>>,
    #[serde(rename = "FixedVersion", borrow)]
    pub(super) fixed_version: Option<Text<'a>>,
    #[serde(rename = "Status", borrow)]
    pub(super) status: Option<Text<'a>>,
    #[serde(rename = "Severity", borrow)]
    pub(super) severity: Option<Text<'a>>,
    #[serde(rename = "Title", borrow)]
    pub(super) title: Option<Text<'a>>,
    #[serde(rename = "PrimaryURL", borrow)]
    pub(super) primary_url: Option<Text<'a>>,
    #[serde(rename = "References", borrow)]
    pub(super) references: Option<Vec<Text<'a>>>,
    #[serde(rename = "Description", borrow)]
    pub(super) description: Option<Text<'a>>,
    #[serde(rename = "CweIDs", borrow)]
    pub(super) cwe_ids: Option<Vec<Text<'a>>>,
}

#[derive(Deserialize)]
pub(super) struct Misconfiguration<'a> {
    #[serde(rename = "ID", borrow)]
    pub(super) id: Option<Text<'a>>,
    #[serde(rename = "AVDID", borrow)]
    pub(super) avd_id: Option<Text<'a>>,
    #[serde(rename = "Title", borrow)]
    pub(super) title: Option<Text<'a>>,
    #[serde(rename = "Message", borrow)]
    pub(super) message: Option<Text<'a>>,
    #[serde(rename = "Severity", borrow)]
    pub(super) severity: Option<Text<'a>>,
    #[serde(rename = "Status", borrow)]
    pub(super) status: Option<Text<'a>>,
    #[serde(rename = "PrimaryURL", borrow)]
    pub(super) primary_url: Option<Text<'a>>,
    #[serde(rename = "References", borrow)]
    pub(super) references: Option<Vec<Text<'a>>>,
    #[serde(rename = "CauseMetadata")]
    pub(super) cause: Option<Cause>,
    #[serde(rename = "Description", borrow)]
    pub(super) description: Option<Text<'a>>,
    #[serde(rename = "Resolution", borrow)]
    pub(super) resolution: Option<Text<'a>>,
}

#[derive(Deserialize)]
pub(super) struct Cause {
    #[serde(rename = "StartLine")]
    pub(super) start_line: Option<u64>,
}

/// A detected secret. `Match` and `Code` are deliberately not fields: they can hold the
/// secret, and nothing read from them could leak into the site.
#[derive(Deserialize)]
pub(super) struct Secret<'a> {
    #[serde(rename = "RuleID", borrow)]
    pub(super) rule_id: Option<Text<'a>>,
    #[serde(rename = "Category", borrow)]
    pub(super) category: Option<Text<'a>>,
    #[serde(rename = "Severity", borrow)]
    pub(super) severity: Option<Text<'a>>,
    #[serde(rename = "Title", borrow)]
    pub(super) title: Option<Text<'a>>,
    #[serde(rename = "StartLine")]
    pub(super) start_line: Option<u64>,
}

/// A finding a VEX statement or an ignore rule modified.
#[derive(Deserialize)]
pub(super) struct Modified<'a> {
    #[serde(rename = "Type", borrow)]
    pub(super) kind: Option<Text<'a>>,
    #[serde(rename = "Status", borrow)]
    pub(super) status: Option<Text<'a>>,
    #[serde(rename = "Statement", borrow)]
    pub(super) statement: Option<Text<'a>>,
    #[serde(rename = "Source", borrow)]
    pub(super) source: Option<Text<'a>>,
    #[serde(rename = "Finding", borrow)]
    pub(super) finding: AnyFinding<'a>,
}

/// The `Finding` of a modified finding: a vulnerability, misconfiguration, secret or
/// licence, whichever `Type` says; the union of the fields this importer reads.
#[derive(Deserialize)]
pub(super) struct AnyFinding<'a> {
    #[serde(rename = "VulnerabilityID", borrow)]
    pub(super) vulnerability_id: Option<Text<'a>>,
    #[serde(rename = "ID", borrow)]
    pub(super) id: Option<Text<'a>>,
    #[serde(rename = "AVDID", borrow)]
    pub(super) avd_id: Option<Text<'a>>,
    #[serde(rename = "RuleID", borrow)]
    pub(super) rule_id: Option<Text<'a>>,
    /// A licence's name.
    #[serde(rename = "Name", borrow)]
    pub(super) name: Option<Text<'a>>,
    #[serde(rename = "PkgName", borrow)]
    pub(super) pkg_name: Option<Text<'a>>,
    #[serde(rename = "InstalledVersion", borrow)]
    pub(super) installed_version: Option<Text<'a>>,
    #[serde(rename = "FixedVersion", borrow)]
    pub(super) fixed_version: Option<Text<'a>>,
    #[serde(rename = "FilePath", borrow)]
    pub(super) file_path: Option<Text<'a>>,
    #[serde(rename = "Severity", borrow)]
    pub(super) severity: Option<Text<'a>>,
    #[serde(rename = "Title", borrow)]
    pub(super) title: Option<Text<'a>>,
    #[serde(rename = "Message", borrow)]
    pub(super) message: Option<Text<'a>>,
    #[serde(rename = "PrimaryURL", borrow)]
    pub(super) primary_url: Option<Text<'a>>,
    #[serde(rename = "Link", borrow)]
    pub(super) link: Option<Text<'a>>,
    #[serde(rename = "References", borrow)]
    pub(super) references: Option<Vec<Text<'a>>>,
    #[serde(rename = "StartLine")]
    pub(super) start_line: Option<u64>,
    #[serde(rename = "CauseMetadata")]
    pub(super) cause: Option<Cause>,
    /// A licence's category (forbidden, restricted, reciprocal, notice, ...).
    #[serde(rename = "Category", borrow)]
    pub(super) category: Option<Text<'a>>,
    /// How sure Trivy is of a licence it read from a file (0 to 1).
    #[serde(rename = "Confidence")]
    pub(super) confidence: Option<f64>,
}
