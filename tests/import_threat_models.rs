//! Conformance over the real corpus: every OWASP Threat Dragon and Threagile file in
//! ../shared/corpus imports as a threat model holding exactly the threats the file holds,
//! with no parse, schema or reference error (policy errors for open high threats are
//! expected: the demo models leave threats open on purpose).

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const DIRS: &[&str] = &["threat-dragon", "threagile"];

/// The corpus folder, or `None` (after a note) when it is absent outside CI.
fn corpus() -> Option<PathBuf> {
    common::corpus("")
}

/// The threats a Threat Dragon file holds: per cell, `data.threats` plus `threats` (a
/// threat written in both places, with the same id, counts once).
fn threat_dragon_threats(doc: &Value) -> usize {
    let empty = Vec::new();
    let diagrams = doc["detail"]["diagrams"].as_array().unwrap_or(&empty);
    let mut n = 0;
    for d in diagrams {
        let cells = d["cells"]
            .as_array()
            .or_else(|| d["diagramJson"]["cells"].as_array())
            .unwrap_or(&empty);
        for c in cells {
            let in_data = c["data"]["threats"].as_array().unwrap_or(&empty);
            let ids: Vec<&str> = in_data.iter().filter_map(|t| t["id"].as_str()).collect();
            n += in_data.len();
            n += c["threats"]
                .as_array()
                .unwrap_or(&empty)
                .iter()
                .filter(|t| t["id"].as_str().is_none_or(|id| !ids.contains(&id)))
                .count();
        }
    }
    n
}

/// The entries of a Threagile model's `risk_tracking:` mapping: the keys indented two
/// spaces below it, up to the next top-level key (commented-out entries do not count).
fn threagile_tracked(text: &str) -> usize {
    let mut inside = false;
    let mut n = 0;
    for line in text.lines() {
        if !line.starts_with([' ', '#']) && !line.trim().is_empty() {
            inside = line.starts_with("risk_tracking:");
            continue;
        }
        if inside
            && let Some(rest) = line.strip_prefix("  ")
            && !rest.starts_with([' ', '#'])
            && rest.contains(':')
        {
            n += 1;
        }
    }
    n
}

/// How many threats a corpus file holds, counted from the file itself.
fn expected_threats(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
        return threagile_tracked(&text);
    }
    let doc: Value = serde_json::from_str(&text).unwrap();
    match &doc {
        // Threagile's risks.json: one threat per risk.
        Value::Array(risks) => risks.len(),
        _ => threat_dragon_threats(&doc),
    }
}

fn evidentia(args: &[&str], root: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_evidentia"))
        .args(args)
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("run evidentia");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Imports one file in a site of its own; returns the threat count, or what went wrong.
fn import_one(path: &Path) -> Result<usize, String> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("site.toml"), "title = \"T\"\n").unwrap();
    let dir = site.path().join("evidence/tm");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(path, dir.join(&name)).unwrap();
    let id = common::report_id("tm", &name);

    let (code, stdout, stderr) = evidentia(&["show", &id, "--format", "json"], site.path());
    if code != 0 {
        return Err(format!("`show {id}` exited {code}: {stderr}"));
    }
    let item: Value =
        serde_json::from_str(&stdout).map_err(|e| format!("`show {id}` is not JSON: {e}"))?;
    if item["kind"] != "threat-model" {
        return Err(format!(
            "`show {id}` is a {}, not a threat-model",
            item["kind"]
        ));
    }
    let threats = item["threats"]
        .as_array()
        .ok_or_else(|| format!("`show {id}` has no threats list"))?;
    for t in threats {
        if t["id"].as_str().is_none_or(str::is_empty) || t["status"].as_str().is_none() {
            return Err(format!("a threat without id or status: {t}"));
        }
    }

    let (_, stdout, stderr) = evidentia(
        &["check", "--today", "2026-11-27", "--format", "json"],
        site.path(),
    );
    let report: Value = serde_json::from_str(&stdout)
        .map_err(|e| format!("`check` printed no JSON ({e}): {stderr}"))?;
    let bad: Vec<String> = report["diagnostics"]
        .as_array()
        .ok_or("`check` JSON has no diagnostics list")?
        .iter()
        .filter(|d| {
            let code = d["code"].as_str().unwrap_or("");
            ["E01", "E02", "E03"].iter().any(|p| code.starts_with(p))
        })
        .map(|d| {
            format!(
                "{} at {} {}: {}",
                d["code"], d["path"], d["line"], d["message"]
            )
        })
        .collect();
    if !bad.is_empty() {
        return Err(format!("`check` reported:\n    {}", bad.join("\n    ")));
    }
    Ok(threats.len())
}

#[test]
fn every_threat_model_in_the_corpus_imports_with_its_threats() {
    let Some(corpus) = corpus() else { return };
    let mut failures = Vec::new();
    let mut seen = 0;
    for dir in DIRS {
        let mut files: Vec<PathBuf> = std::fs::read_dir(corpus.join(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no files in corpus/{dir}");
        for path in files {
            seen += 1;
            let name = format!("{dir}/{}", path.file_name().unwrap().to_string_lossy());
            let expected = expected_threats(&path);
            match import_one(&path) {
                Ok(n) if n == expected => eprintln!("{name}: {n} threats"),
                Ok(n) => failures.push(format!(
                    "{name}: {n} threats imported, the file holds {expected}"
                )),
                Err(e) => failures.push(format!("{name}: {e}")),
            }
        }
    }
    assert!(seen > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_risk_tracking_counter_skips_comments_and_stops_at_the_next_key() {
    let yaml = "risk_tracking:\n\n  a@b: # c\n    status: accepted\n#  x@y:\n  c@d:\n    status: x\ndate: 2020\n  not@this:\n";
    assert_eq!(threagile_tracked(yaml), 2);
}
