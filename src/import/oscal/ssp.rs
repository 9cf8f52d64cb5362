//! `system-security-plan`: control implementations by component, like a component
//! definition's.

use super::component::Gathered;
use super::metadata::{BackMatter, Href, Metadata, catalog_report, describe, resolve_href, short};
use crate::import::Report;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Ssp {
    metadata: Metadata,
    import_profile: Option<Href>,
    system_characteristics: Option<SystemCharacteristics>,
    system_implementation: Option<SystemImplementation>,
    control_implementation: SspControlImplementation,
    back_matter: Option<BackMatter>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct SystemCharacteristics {
    system_name: Option<String>,
}

#[derive(Deserialize)]
struct SystemImplementation {
    #[serde(default)]
    components: Vec<SspComponent>,
}

#[derive(Deserialize)]
struct SspComponent {
    uuid: String,
    title: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct SspControlImplementation {
    #[serde(default)]
    implemented_requirements: Vec<SspRequirement>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct SspRequirement {
    control_id: String,
    #[serde(default)]
    by_components: Vec<ByComponent>,
    #[serde(default)]
    statements: Vec<SspStatement>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct SspStatement {
    statement_id: Option<String>,
    #[serde(default)]
    by_components: Vec<ByComponent>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ByComponent {
    component_uuid: String,
    description: Option<String>,
    implementation_status: Option<ImplementationStatus>,
}

#[derive(Deserialize)]
struct ImplementationStatus {
    state: String,
}

/// A system security plan: like a component definition, one control per
/// implemented requirement, implemented by the components its `by-components` name
/// (requirement-wide and per statement), each component's uuid resolved to its title in
/// `system-implementation.components`. A requirement no component claims is implemented
/// by the system itself (its `system-name`). The description joins the requirement-wide
/// texts, then each statement's as `STATEMENT-ID: text`; an implementation-status other
/// than `implemented` follows in brackets.
pub(super) fn system_security_plan(s: &Ssp) -> Report {
    let system = s
        .system_characteristics
        .as_ref()
        .and_then(|c| c.system_name.as_deref())
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or("the system");
    let component = |uuid: &str| -> String {
        s.system_implementation
            .as_ref()
            .and_then(|i| i.components.iter().find(|c| c.uuid == uuid))
            .and_then(|c| c.title.as_deref())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map_or_else(|| format!("component {}", short(uuid)), str::to_owned)
    };
    let said = |b: &ByComponent| -> String {
        let mut t = b
            .description
            .as_deref()
            .map(str::trim)
            .unwrap_or("")
            .to_owned();
        if let Some(state) = b
            .implementation_status
            .as_ref()
            .map(|x| x.state.trim())
            .filter(|x| !x.is_empty() && *x != "implemented")
        {
            t = if t.is_empty() {
                format!("({state})")
            } else {
                format!("{t} ({state})")
            };
        }
        t
    };
    let mut gathered = Gathered::default();
    for (i, req) in s
        .control_implementation
        .implemented_requirements
        .iter()
        .enumerate()
    {
        let path =
            format!("system-security-plan.control-implementation.implemented-requirements[{i}]");
        // Component name -> its texts, in first-written order.
        let mut by: Vec<(String, Vec<String>)> = Vec::new();
        let mut push = |uuid: &str, t: String| {
            let name = component(uuid);
            match by.iter_mut().find(|(n, _)| *n == name) {
                Some((_, ts)) => ts.push(t),
                None => by.push((name, vec![t])),
            }
        };
        for b in &req.by_components {
            push(&b.component_uuid, said(b));
        }
        for st in &req.statements {
            for b in &st.by_components {
                let t = said(b);
                let t = match st.statement_id.as_deref().map(str::trim) {
                    Some(id) if !id.is_empty() && !t.is_empty() => format!("{id}: {t}"),
                    _ => t,
                };
                push(&b.component_uuid, t);
            }
        }
        if by.is_empty() {
            by.push((system.to_owned(), Vec::new()));
        }
        for (name, texts) in by {
            let texts: Vec<String> = texts.into_iter().filter(|t| !t.is_empty()).collect();
            gathered.add(req.control_id.trim(), path.clone(), &name, texts.join(" "));
        }
    }
    let mut source = describe("system-security-plan", &s.metadata);
    source.push_str(&format!(" of {system}"));
    if let Some(p) = &s.import_profile {
        source.push_str(&format!(
            "; implements {}",
            resolve_href(&p.href, s.back_matter.as_ref())
        ));
    }
    catalog_report(&s.metadata, source, gathered.controls())
}
