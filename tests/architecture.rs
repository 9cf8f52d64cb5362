//! The pipeline runs one way (lib.rs, README "Architecture"): a module may use the rooms
//! below it and never one above. This test reads src/ and fails when a module refers to a
//! later stage, so a shortcut that would tie two stages together is caught in review, not
//! months later when one of them has to change.

use std::collections::BTreeMap;
use std::path::Path;

/// The rooms from the bottom up. A module may refer to any module listed before it (and to
/// itself); `ROOT` stands for the pipeline functions and types in lib.rs (`check_site`,
/// `Checked`, `Options`, ...), which only the commands built on the whole pipeline use.
const ROOMS: &[&str] = &[
    // Foundations: no stage of their own.
    "diag",
    "node",
    "expr",
    "search",
    "timings",
    "config",
    "integrity",
    // The pipeline. Data flows load -> import -> model -> check -> link -> coverage ->
    // render -> output; the model sits below import because importers build model
    // values, and the model stage takes what import hands on as a type of its own.
    "load",
    "model",
    "import",
    "check",
    "link",
    "coverage",
    "render",
    "output",
    // What is built on the whole pipeline.
    ROOT,
    "bundle",
    "serve",
    "init",
];

const ROOT: &str = "<lib.rs>";

/// The top-level module a file under src/ belongs to (`render` for src/render/views/scan.rs),
/// or `None` for the crate root and the binary.
fn room_of(rel: &str) -> Option<&str> {
    let first = rel.split('/').next()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main" | "cmd")).then_some(name)
}

/// Every `crate::NAME` a source text refers to, outside its `#[cfg(test)]` part and its
/// comments, with the 1-based line of each (`use crate::{a, b::c}` names `a` and `b`).
fn references(text: &str) -> Vec<(usize, String)> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let line = line.split("//").next().unwrap_or("");
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for part in group[..end].split(',') {
                    let name: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.push((n + 1, name));
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push((n + 1, name));
            }
        }
    }
    out
}

/// The rank of what a reference names: a room, or the crate root for anything else.
fn rank(name: &str) -> usize {
    let room = if ROOMS.contains(&name) { name } else { ROOT };
    ROOMS.iter().position(|r| *r == room).unwrap_or(usize::MAX)
}

/// Every reference in `files` (path relative to src/, text) from a room to a later one.
fn violations(files: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (rel, text) in files {
        let Some(room) = room_of(rel) else { continue };
        let own = ROOMS.iter().position(|r| *r == room);
        let Some(own) = own else {
            out.push(format!(
                "src/{rel}: module `{room}` is not in ROOMS: place it in tests/architecture.rs"
            ));
            continue;
        };
        for (line, name) in references(text) {
            if name != room && rank(&name) > own {
                out.push(format!(
                    "src/{rel}:{line}: `{room}` refers to `crate::{name}`, a later stage"
                ));
            }
        }
    }
    out
}

fn sources(dir: &Path, base: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sources(&p, base, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let rel = p
                .strip_prefix(base)
                .expect("under src")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&p).expect("read source");
            out.push((rel, text));
        }
    }
}

#[test]
fn no_stage_refers_to_a_later_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &src, &mut files);
    // The reader must see the pipeline at all: a parser that finds nothing passes nothing.
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (rel, text) in &files {
        if let Some(room) = room_of(rel) {
            *seen.entry(room).or_default() += references(text).len();
        }
    }
    for room in ["render", "model", "import", "check", "output"] {
        assert!(
            seen.get(room).copied().unwrap_or(0) > 5,
            "found almost no references in `{room}`: {seen:?}"
        );
    }
    let bad = violations(&files);
    assert!(
        bad.is_empty(),
        "stages that refer to later ones (move the shared value down to the lowest room that needs it):\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_reader_catches_a_reference_upwards_in_every_spelling() {
    let files = vec![
        (
            "load/mod.rs".to_owned(),
            "use crate::diag::Diagnostic;\nuse crate::{config, render::Theme};\n".to_owned(),
        ),
        (
            "model/kinds/scan.rs".to_owned(),
            "fn f() { crate::check::attachment_path(a, b); } // crate::render in a comment\n"
                .to_owned(),
        ),
        (
            "check/mod.rs".to_owned(),
            "fn f() { crate::check_site(x); }\n".to_owned(),
        ),
        (
            "render/mod.rs".to_owned(),
            "use crate::{model, link, coverage};\n".to_owned(),
        ),
        (
            "integrity/mod.rs".to_owned(),
            "use crate::diag::Pos;\n#[cfg(test)]\nmod tests { use crate::output::X; }\n".to_owned(),
        ),
        ("newroom.rs".to_owned(), String::new()),
    ];
    assert_eq!(
        violations(&files),
        [
            "src/load/mod.rs:2: `load` refers to `crate::render`, a later stage",
            "src/model/kinds/scan.rs:1: `model` refers to `crate::check`, a later stage",
            "src/check/mod.rs:1: `check` refers to `crate::check_site`, a later stage",
            "src/newroom.rs: module `newroom` is not in ROOMS: place it in tests/architecture.rs",
        ]
    );
}
