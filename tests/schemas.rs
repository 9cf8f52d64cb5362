//! The JSON Schemas committed under schemas/ (which the demo's YAML files name in their
//! `yaml-language-server` line) match what `evidentia schema` generates, and every demo
//! evidence file validates against its kind's schema: the editor and the checker agree.

mod common;

use evidentia::model::{Kind, schema::schema_text};
use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn committed_schemas_are_current() {
    for kind in Kind::ALL {
        common::golden(
            &format!("schemas/{}.schema.json", kind.name()),
            &schema_text(kind),
        );
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

#[test]
fn demo_evidence_validates_against_its_schema_and_names_it() {
    let mut files = Vec::new();
    yaml_files(&repo().join("evidence"), &mut files);
    assert!(files.len() >= 14);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let doc = evidentia::load::yaml::parse(&text, "x", 0).unwrap();
        let kind = doc.get("kind").and_then(|k| k.as_str()).unwrap().to_owned();
        let first = text.lines().next().unwrap();
        assert_eq!(
            first,
            format!("# yaml-language-server: $schema=../../schemas/{kind}.schema.json"),
            "{}",
            f.display()
        );
        let schema: serde_json::Value =
            serde_json::from_str(&schema_text(Kind::from_name(&kind).unwrap())).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let instance = serde_json::to_value(&doc).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", f.display());
    }
}

#[test]
fn schemas_reject_what_the_checker_rejects() {
    let schema: serde_json::Value = serde_json::from_str(&schema_text(Kind::ThreatModel)).unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let good = serde_json::json!({"kind": "threat-model", "id": "tm", "title": "T", "system": "S",
        "threats": [{"id": "T1", "title": "x", "status": "open", "impact": "high"}]});
    assert!(v.is_valid(&good));
    for bad in [
        serde_json::json!({"kind": "threat-model", "id": "tm", "title": "T"}),
        serde_json::json!({"kind": "threat-model", "id": "Bad Id", "title": "T", "system": "S"}),
        serde_json::json!({"kind": "threat-model", "id": "tm", "title": "T", "system": "S", "sytem": 1}),
        serde_json::json!({"kind": "threat-model", "id": "tm", "title": "T", "system": "S", "threats": [{"id": "T1", "title": "x", "status": "opened"}]}),
        serde_json::json!({"kind": "threat-model", "id": "tm", "title": "T", "system": "S", "threats": [{"id": "T1", "title": "x"}]}),
    ] {
        assert!(!v.is_valid(&bad), "{bad}");
    }
}
