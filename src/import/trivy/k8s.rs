//! The Kubernetes report (`trivy k8s`): every finding placed in its resource.

use super::types::K8sResource;
use super::{Found, scan_report};
use crate::import::Report;
use crate::import::common::text::opt;
use crate::import::finding::at;

/// A `trivy k8s --format json` report: `--report all` lists `Resources`, `--report
/// summary` the same resources merged per workload as `Findings`. Every finding's
/// location starts with the resource it was found in (`NAMESPACE/KIND/NAME`).
pub(super) fn import_k8s(
    cluster: String,
    resources: Option<Vec<K8sResource<'_>>>,
    merged: Option<Vec<K8sResource<'_>>>,
) -> Report {
    let (key, list) = match (resources, merged) {
        (Some(r), _) => ("Resources", r),
        (None, Some(f)) => ("Findings", f),
        (None, None) => ("Resources", Vec::new()),
    };
    let mut found = Found::default();
    for (i, res) in list.into_iter().enumerate() {
        let name = [opt(&res.namespace), opt(&res.kind), opt(&res.name)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("/");
        let name = if name.is_empty() {
            format!("resource {}", i + 1)
        } else {
            name
        };
        found.collect(
            res.results.unwrap_or_default(),
            Some(&name),
            &format!("{key}[{i}].Results"),
        );
    }
    let what = format!("cluster {cluster}");
    let report = scan_report(None, Some(at(what.clone(), "ClusterName")), None, found);
    Report {
        title: format!(
            "Trivy scan of {what} ({} findings)",
            report.body.findings().len()
        ),
        ..report
    }
}

/// Where a finding of a Kubernetes resource is: the resource, then the place inside it
/// unless that only repeats the resource (`KIND/NAME`, Trivy's target for manifests).
pub(super) fn in_resource(resource: Option<&str>, target: Option<&str>) -> Option<String> {
    match (resource, target) {
        (Some(r), Some(t)) if r.ends_with(t) => Some(r.to_owned()),
        (Some(r), Some(t)) => Some(format!("{r}: {t}")),
        (Some(r), None) => Some(r.to_owned()),
        (None, t) => t.map(str::to_owned),
    }
}
