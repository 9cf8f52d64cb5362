//! OSCAL JSON (NIST's Open Security Controls Assessment Language, 1.x): catalogs (and
//! resolved-profile catalogs), profiles, component definitions, system security plans,
//! assessment plans, assessment results and plans of action and milestones.
//!
//! Each OSCAL document has one root key naming its model; the importer parses the file
//! once into the structs of each model's file, which read only the fields used (params, props, links,
//! back-matter text and the like are skipped without being built).
//!
//! How each model maps onto Evidentia's (DESIGN 3.8 and 3.2):
//! - `catalog` (also a resolved profile, which is a catalog): a catalog item. Every
//!   control and enhancement (controls nested in controls) becomes a control, in document
//!   order, with OSCAL's id exactly as written (`ac-1`, `ac-2.1`). Its family is the title
//!   of the innermost group holding it (enhancements take their parent's), and its
//!   description is the prose of its `statement` part with every sub-part flattened into
//!   one text, each item prefixed by its label (`a.`, `1.`, `(a)`) and joined with spaces.
//!   Parameter insertions (`{{ insert: param, ac-1_prm_1 }}`) are left as written.
//! - `profile`: a catalog item listing the controls the profile selects
//!   (`imports[].include-controls[].with-ids[]`), titled by their ids and in the family
//!   `profile`; its source names what it imports. Resolving a profile (fetching the
//!   imported catalog, applying `exclude-controls`, `merge` and `modify`) needs that
//!   catalog and is out of scope: import a resolved-profile catalog for the control text.
//! - `component-definition`: a catalog item of control implementations, so a packet can
//!   cite `ID:control-id`. A control implemented by several components is one control
//!   (the id stays citable); its title lists the components, and its description joins
//!   each component's implementation text (the requirement's description followed by its
//!   statements' descriptions).
//! - `system-security-plan`: a catalog item of control implementations, the same shape
//!   as a component definition's (see [`ssp::system_security_plan`]).
//! - `assessment-plan`: a catalog item of the controls it reviews, with its tasks in the
//!   source; no findings (see [`assessment::assessment_plan`]).
//! - `assessment-results`: a scan item with one finding per `results[].findings[]`.
//! - `plan-of-action-and-milestones`: a scan item with one finding per `poam-items[]`,
//!   its status from the risks it relates to (see [`poam::poam`]).

mod assessment;
mod catalog;
mod component;
mod metadata;
mod poam;
mod profile;
mod risk;
mod ssp;
#[cfg(test)]
mod tests;

use super::detect::Probe;
use super::{Format, Report, parse_json};
use crate::diag::Diagnostic;
use assessment::{AssessmentPlan, AssessmentResults, assessment_plan, assessment_results};
use catalog::{OscalCatalog, catalog};
use component::{ComponentDefinition, component_definition};
use poam::{Poam, poam};
use profile::{Profile, profile};
use serde::Deserialize;
use ssp::{Ssp, system_security_plan};

/// The document: exactly one of the roots is present in a valid file.
#[derive(Deserialize)]
struct Doc {
    catalog: Option<OscalCatalog>,
    profile: Option<Profile>,
    #[serde(rename = "component-definition")]
    component_definition: Option<ComponentDefinition>,
    #[serde(rename = "assessment-results")]
    assessment_results: Option<AssessmentResults>,
    #[serde(rename = "system-security-plan")]
    system_security_plan: Option<Ssp>,
    #[serde(rename = "assessment-plan")]
    assessment_plan: Option<AssessmentPlan>,
    #[serde(rename = "plan-of-action-and-milestones")]
    poam: Option<Poam>,
}

/// The model roots this importer reads.
pub(super) const ROOTS: &[&str] = &[
    "catalog",
    "profile",
    "component-definition",
    "assessment-results",
    "system-security-plan",
    "assessment-plan",
    "plan-of-action-and-milestones",
];

/// An OSCAL document has one of the model roots at the top level.
pub(super) fn detects(p: &Probe<'_>) -> bool {
    ROOTS.iter().any(|k| p.has(k))
}

pub(super) fn import(text: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let doc: Doc = parse_json(Format::Oscal, text, rel)?;
    if let Some(c) = doc.catalog {
        Ok(catalog(&c))
    } else if let Some(p) = doc.profile {
        Ok(profile(&p))
    } else if let Some(c) = doc.component_definition {
        Ok(component_definition(&c))
    } else if let Some(a) = doc.assessment_results {
        Ok(assessment_results(&a))
    } else if let Some(s) = doc.system_security_plan {
        Ok(system_security_plan(&s))
    } else if let Some(a) = doc.assessment_plan {
        Ok(assessment_plan(&a))
    } else if let Some(p) = doc.poam {
        Ok(poam(&p))
    } else {
        Err(vec![
            Diagnostic::error(
                "E0210",
                rel,
                "not a valid OSCAL JSON report: its model root is null",
            )
            .with_help(
                "give the model root (`catalog`, `system-security-plan`, `plan-of-action-and-milestones`, ...) an object, or add the file to `ignore`",
            ),
        ])
    }
}
