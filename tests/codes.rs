//! Every diagnostic code the program can emit has an explanation, and every explained code
//! is emitted somewhere: `evidentia explain` never comes up empty, and the table holds no
//! dead entries.

use std::collections::BTreeSet;
use std::path::Path;

fn codes_in(text: &str) -> BTreeSet<String> {
    let bytes = text.as_bytes();
    let mut out = BTreeSet::new();
    for i in 0..bytes.len().saturating_sub(6) {
        let w = &bytes[i..i + 7];
        if w[0] == b'"'
            && (w[1] == b'E' || w[1] == b'W')
            && w[2..6].iter().all(u8::is_ascii_digit)
            && w[6] == b'"'
        {
            out.insert(String::from_utf8_lossy(&w[1..6]).into_owned());
        }
    }
    out
}

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push((
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            ));
        }
    }
}

#[test]
fn every_emitted_code_is_explained_and_every_explained_code_is_emitted() {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let table: BTreeSet<String> = evidentia::diag::explain()
        .iter()
        .map(|c| c.code.to_owned())
        .collect();
    let mut emitted = BTreeSet::new();
    for (path, text) in &files {
        if path.ends_with("codes.rs") {
            continue;
        }
        // Test modules mention codes in assertions; only code outside them emits.
        let code_part = text.split("#[cfg(test)]").next().unwrap_or(text);
        emitted.extend(codes_in(code_part));
    }
    let unexplained: Vec<_> = emitted.difference(&table).collect();
    assert!(
        unexplained.is_empty(),
        "codes emitted without an explanation: {unexplained:?}"
    );
    let dead: Vec<_> = table.difference(&emitted).collect();
    assert!(
        dead.is_empty(),
        "codes explained but never emitted: {dead:?}"
    );
    for c in evidentia::diag::explain() {
        let out = assert_cmd::Command::cargo_bin("evidentia")
            .unwrap()
            .args(["explain", c.code])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains(c.title));
    }
}
