//! Risks, which assessment results and POA&Ms relate their findings to: their status
//! and the facets that rate them.

use crate::import::common::severity::{highest, severity_word};
use crate::model::kinds::common::Severity;
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct Risk {
    pub(super) uuid: String,
    pub(super) title: Option<String>,
    /// open, investigating, remediating, deviation-requested, deviation-approved, closed.
    pub(super) status: Option<String>,
    #[serde(default)]
    characterizations: Vec<Characterization>,
}

#[derive(Deserialize)]
struct Characterization {
    #[serde(default)]
    facets: Vec<Facet>,
}

#[derive(Deserialize)]
struct Facet {
    name: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RelatedRisk {
    pub(super) risk_uuid: String,
}

/// The highest `severity`, `impact` or `likelihood` facet of some risks (a judgement
/// call: the highest overstates a likely-but-minor risk, which errs on the side of
/// review).
pub(super) fn facet_severity<'r>(risks: impl Iterator<Item = &'r Risk>) -> Option<Severity> {
    highest(
        risks
            .flat_map(|x| x.characterizations.iter())
            .flat_map(|c| c.facets.iter())
            .filter(|x| {
                matches!(
                    x.name.trim().to_ascii_lowercase().as_str(),
                    "severity" | "impact" | "likelihood"
                )
            })
            .filter_map(|x| severity_word(&x.value)),
    )
}
