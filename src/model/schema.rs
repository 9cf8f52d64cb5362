//! JSON Schemas of the native kinds, for editors (yaml-language-server, VS Code): they
//! autocomplete field names and flag unknown fields before Evidentia runs. Generated with
//! schemars from the typed models, then given the common header and the required fields
//! the decoders enforce, so the schema and the checker agree.

use super::Kind;
use super::kinds::{
    catalog, exception, fairness, packet, portfolio, rubric, sbom, scan, tabletop, threat_model,
};
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

/// Fields each typed struct requires, by its schema name (the decoders' E0209 rules).
const REQUIRED: &[(&str, &[&str])] = &[
    ("ThreatModel", &["system"]),
    ("Asset", &["id"]),
    ("Flow", &["id", "from", "to"]),
    ("Threat", &["id", "title", "status"]),
    ("Acceptance", &["by", "on", "expires"]),
    ("Exception", &["reason", "expires"]),
    ("Disparity", &["metric", "value", "threshold"]),
    ("MetricFrame", &["feature"]),
    ("Review", &["reviewed_on"]),
    ("Tabletop", &["held_on"]),
    ("Participant", &["name"]),
    ("Action", &["id"]),
    ("Portfolio", &["learner"]),
    ("Learner", &["handle"]),
    ("Claim", &["criterion"]),
    ("Criterion", &["id"]),
    ("ControlEvidence", &["control"]),
    ("Signoff", &["role", "decision"]),
    ("Control", &["id"]),
    ("Component", &["name"]),
];

fn body_schema(kind: Kind) -> Value {
    let generator = SchemaSettings::draft07().into_generator();
    let schema = match kind {
        Kind::ThreatModel => generator.into_root_schema_for::<threat_model::ThreatModel>(),
        Kind::Scan => generator.into_root_schema_for::<scan::Scan>(),
        Kind::Sbom => generator.into_root_schema_for::<sbom::Sbom>(),
        Kind::Exception => generator.into_root_schema_for::<exception::Exception>(),
        Kind::Fairness => generator.into_root_schema_for::<fairness::Fairness>(),
        Kind::Tabletop => generator.into_root_schema_for::<tabletop::Tabletop>(),
        Kind::Portfolio => generator.into_root_schema_for::<portfolio::Portfolio>(),
        Kind::Rubric => generator.into_root_schema_for::<rubric::Rubric>(),
        Kind::Packet => generator.into_root_schema_for::<packet::Packet>(),
        Kind::Catalog => generator.into_root_schema_for::<catalog::Catalog>(),
        Kind::Module => return json!({"not": {}}),
    };
    schema.to_value()
}

/// Sets `required` and `additionalProperties: false` on every struct schema.
fn tighten(name: &str, schema: &mut Value) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if !obj.contains_key("properties") {
        return;
    }
    obj.remove("required");
    if let Some((_, req)) = REQUIRED.iter().find(|(n, _)| *n == name) {
        obj.insert("required".to_owned(), json!(req));
    }
    obj.insert("additionalProperties".to_owned(), json!(false));
}

/// The JSON Schema of a whole native document of `kind`: header and body.
pub fn schema(kind: Kind) -> Value {
    if kind == Kind::Module {
        // Modules are Markdown roadmaps: no evidence file may be one (E0223).
        return json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "https://evidentia.invalid/schemas/module.schema.json",
            "title": "Evidentia module",
            "description": "Modules are written as Markdown roadmaps under content/modules/ (DESIGN section 3.9), never as evidence files.",
            "not": {}
        });
    }
    let mut root = body_schema(kind);
    let title = root
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if let Some(defs) = root.get_mut("definitions").and_then(Value::as_object_mut) {
        for (name, def) in defs.iter_mut() {
            tighten(name, def);
        }
    }
    tighten(&title, &mut root);
    let Some(obj) = root.as_object_mut() else {
        return root;
    };
    obj.insert(
        "$id".to_owned(),
        json!(format!(
            "https://evidentia.invalid/schemas/{}.schema.json",
            kind.name()
        )),
    );
    obj.insert(
        "title".to_owned(),
        json!(format!("Evidentia {}", kind.name())),
    );
    obj.insert(
        "description".to_owned(),
        json!(format!(
            "A native Evidentia {} file (DESIGN section 3).",
            kind.label().to_lowercase()
        )),
    );
    let mut required = vec![json!("kind"), json!("id"), json!("title")];
    if let Some(Value::Array(r)) = obj.remove("required") {
        required.extend(r);
    }
    obj.insert("required".to_owned(), Value::Array(required));
    let props = obj.entry("properties").or_insert_with(|| json!({}));
    if let Some(props) = props.as_object_mut() {
        let mut all = serde_json::Map::new();
        all.insert(
            "kind".to_owned(),
            json!({"const": kind.name(), "description": "What the item is."}),
        );
        all.insert(
            "id".to_owned(),
            json!({"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]*$", "description": "Unique in the site: the item's URL and link target."}),
        );
        all.insert(
            "title".to_owned(),
            json!({"type": "string", "minLength": 1, "description": "Human title."}),
        );
        all.insert(
            "owner".to_owned(),
            json!({"type": "string", "description": "Team or person responsible."}),
        );
        all.insert(
            "tags".to_owned(),
            json!({"type": "array", "items": {"type": "string"}, "description": "Free tags."}),
        );
        all.insert("updated".to_owned(), json!({"type": "string", "format": "date", "description": "Date of the last change (YYYY-MM-DD)."}));
        all.insert(
            "attachments".to_owned(),
            json!({"type": "array", "items": {"type": "string"}, "description": "Files of the item, relative to this file."}),
        );
        for (k, v) in std::mem::take(props) {
            all.insert(k, v);
        }
        *props = all;
    }
    root
}

/// The schema as pretty JSON text with a final newline.
pub fn schema_text(kind: Kind) -> String {
    let mut s = serde_json::to_string_pretty(&schema(kind)).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_header_and_body_fields_and_no_unknown_fields() {
        for kind in Kind::ALL {
            let s = schema(kind);
            let props = s["properties"].as_object().unwrap();
            for f in super::super::HEADER_FIELDS
                .iter()
                .chain(super::super::kinds::fields(kind))
            {
                assert!(props.contains_key(*f), "{}: no {f}", kind.name());
            }
            assert_eq!(
                props.len(),
                super::super::HEADER_FIELDS.len() + super::super::kinds::fields(kind).len(),
                "{}",
                kind.name()
            );
            assert_eq!(s["additionalProperties"], json!(false));
            assert_eq!(s["properties"]["kind"]["const"], json!(kind.name()));
        }
        let tm = schema(Kind::ThreatModel);
        assert_eq!(tm["required"], json!(["kind", "id", "title", "system"]));
        assert_eq!(
            tm["definitions"]["Threat"]["required"],
            json!(["id", "title", "status"])
        );
    }
}
