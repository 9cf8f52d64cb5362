//! `evidentia check --format json|sarif|github`: golden files of each document, the JSON
//! shape of DESIGN section 4, SARIF validated against the official 2.1.0 schema, and
//! GitHub workflow commands line by line.
//!
//! Golden files live in tests/golden/; `UPDATE_GOLDEN=1 cargo test --test formats`
//! rewrites them from the current output (review the diff before committing).

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

/// A site in a temporary folder.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// A site with nothing but `site.toml`.
    fn clean() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.file("site.toml", "title = \"F\"\n");
        site
    }

    /// A site with two errors and a warning: E0302 at content/p.md:1:5, E0202 at
    /// evidence/bad.yaml:1:7 and W0101 on the whole of evidence/notes.txt.
    fn with_problems() -> Site {
        let site = Site::clean();
        site.file("evidence/bad.yaml", "kind: threatmodel\nid: x\ntitle: X\n");
        site.file("content/p.md", "See [[nope]].\n");
        site.file("evidence/notes.txt", "stray notes\n");
        site
    }

    fn file(&self, rel: &str, text: &str) {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `evidentia check ROOT --format FORMAT`.
    fn check(&self, format: &str) -> Outcome {
        let out = Command::cargo_bin("evidentia")
            .expect("binary")
            .arg("check")
            .arg(self.root())
            .args(["--format", format])
            .env("NO_COLOR", "1")
            .output()
            .expect("run");
        Outcome {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `text` with the site root replaced by `[ROOT]` and the crate version by
    /// `[VERSION]`, so golden files do not depend on the temp folder or the release.
    fn normalise(&self, text: &str) -> String {
        let mut text = text.to_owned();
        let raw = self.root().display().to_string();
        if let Ok(canonical) = std::fs::canonicalize(self.root()) {
            // The canonical root first: the raw one may be a suffix of it (macOS /private).
            text = text.replace(&canonical.display().to_string(), "[ROOT]");
        }
        text = text.replace(&raw, "[ROOT]");
        // Only the driver's version: the log's own `"version": "2.1.0"` comes before it.
        let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
        if let Some(driver) = text.find("\"driver\"") {
            if let Some(at) = text[driver..].find(&version) {
                let at = driver + at;
                text.replace_range(at..at + version.len(), "\"version\": \"[VERSION]\"");
            }
        }
        text
    }
}

#[derive(Debug)]
struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Compares `actual` with tests/golden/NAME (see [`common::golden`]).
fn golden(name: &str, actual: &str) {
    common::golden(&format!("tests/golden/{name}"), actual);
}

#[test]
fn json_matches_golden_file() {
    let site = Site::with_problems();
    let out = site.check("json");
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.stderr, "", "json keeps stderr quiet");
    golden("check.json", &site.normalise(&out.stdout));
}

#[test]
fn sarif_matches_golden_file() {
    let site = Site::with_problems();
    let out = site.check("sarif");
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.stderr, "", "sarif keeps stderr quiet");
    golden("check.sarif", &site.normalise(&out.stdout));
}

#[test]
fn github_matches_golden_file() {
    let site = Site::with_problems();
    let out = site.check("github");
    assert_eq!(out.code, 1, "{out:?}");
    golden("check.github.txt", &site.normalise(&out.stdout));
}

#[test]
fn json_has_the_design_shape() {
    let out = Site::with_problems().check("json");
    let doc: Value = serde_json::from_str(&out.stdout).expect("stdout is one JSON document");
    assert_eq!(doc["errors"], 2);
    assert_eq!(doc["warnings"], 1);
    let diags = doc["diagnostics"].as_array().expect("diagnostics array");
    assert_eq!(diags.len(), 3);
    let first = &diags[0];
    assert_eq!(first["code"], "E0302");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "content/p.md");
    assert_eq!(first["line"], 1);
    assert_eq!(first["column"], 5);
    let keys: Vec<&str> = first
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "code", "severity", "file", "line", "column", "path", "message", "help"
        ]
    );
    assert_eq!(diags[2]["severity"], "warning");
}

/// The official SARIF 2.1.0 schema, from the shared corpus beside the repository.
/// `None` (after a note) when it is missing outside CI; under CI a missing schema fails.
fn sarif_schema() -> Option<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/schemas/sarif-schema-2.1.0.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("the SARIF schema is JSON")),
        Err(e) => {
            common::unavailable(&format!("the SARIF schema {} ({e})", path.display()));
            None
        }
    }
}

/// Asserts that `log` is valid against the official schema. `validator_for` takes the
/// draft from the schema's own `$schema` (the OASIS file says draft-04, the schemastore
/// copy draft-07), and with jsonschema's default features off nothing is fetched.
fn assert_valid_sarif(log: &Value) {
    let Some(schema) = sarif_schema() else {
        return;
    };
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let site = Site::with_problems();
    let out = site.check("sarif");
    let log: Value = serde_json::from_str(&out.stdout).expect("stdout is one JSON document");
    assert_valid_sarif(&log);

    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    let root = std::fs::canonicalize(site.root()).expect("canonical root");
    let root_uri = run["originalUriBaseIds"]["SITEROOT"]["uri"]
        .as_str()
        .expect("SITEROOT uri");
    assert!(
        root_uri.starts_with("file://") && root_uri.ends_with('/'),
        "{root_uri}"
    );
    assert!(
        root_uri.contains(&*root.to_string_lossy()),
        "{root_uri} names {}",
        root.display()
    );
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 3);
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{result}");
    }
    // A whole-file warning has a location but no region.
    let warning = &results[2]["locations"][0]["physicalLocation"];
    assert_eq!(warning["artifactLocation"]["uri"], "evidence/notes.txt");
    assert!(warning.get("region").is_none(), "{warning}");
}

#[test]
fn github_prints_one_workflow_command_per_diagnostic() {
    let out = Site::with_problems().check("github");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert_eq!(
        lines[1],
        "::error file=evidence/bad.yaml,line=1,col=7,title=E0202::unknown kind `threatmodel` \
         (at `kind`)%0Ahelp: did you mean `threat-model`?"
    );
    assert_eq!(
        lines[2],
        "::warning file=evidence/notes.txt,title=W0101::file under evidence/ is not evidence \
         and no item lists it as an attachment%0Ahelp: list it in the `attachments` of its \
         item, move it out of evidence/, or add it to `ignore` in site.toml"
    );
    assert_eq!(
        out.stderr.trim_end(),
        "checked 1 pages and 0 items: 2 errors, 1 warning"
    );
}

#[test]
fn a_clean_site_exits_0_with_empty_documents() {
    let site = Site::clean();

    let json = site.check("json");
    assert_eq!(json.code, 0, "{json:?}");
    assert_eq!(json.stderr, "");
    let doc: Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(
        doc,
        serde_json::json!({"diagnostics": [], "errors": 0, "warnings": 0})
    );

    let sarif = site.check("sarif");
    assert_eq!(sarif.code, 0, "{sarif:?}");
    assert_eq!(sarif.stderr, "");
    let log: Value = serde_json::from_str(&sarif.stdout).expect("SARIF");
    assert_valid_sarif(&log);
    assert_eq!(log["runs"].as_array().map(Vec::len), Some(1));
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"],
        serde_json::json!([])
    );

    let github = site.check("github");
    assert_eq!(github.code, 0, "{github:?}");
    assert_eq!(github.stdout, "");
}

#[test]
fn human_stays_the_default_on_stderr() {
    let site = Site::with_problems();
    let out = Command::cargo_bin("evidentia")
        .expect("binary")
        .arg("check")
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[E0202]"), "{stderr}");
    assert!(
        stderr.contains("checked 1 pages and 0 items: 2 errors, 1 warning"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    let site = Site::clean();
    let out = site.check("xml");
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stdout, "");
}

#[test]
fn the_schema_check_rejects_a_broken_log() {
    let Some(schema) = sarif_schema() else {
        return;
    };
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let mut log: Value =
        serde_json::from_str(&Site::with_problems().check("sarif").stdout).expect("SARIF");
    assert!(validator.is_valid(&log));
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&log), "a level SARIF does not know");
    log["runs"][0]["results"][0]["level"] = "error".into();
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator.is_valid(&log), "lines are 1-based in SARIF");
}
