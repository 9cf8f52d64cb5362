//! Hostile input: each gets a diagnostic in bounded time and memory, never a panic, a hang
//! or a silent drop.

mod common;

use common::Fixture;

fn codes(site: &Fixture) -> String {
    let out = site.run(&["check"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    out.stderr
}

#[test]
fn billion_laughs_is_refused() {
    let site = Fixture::new();
    let mut bomb = String::from(
        "kind: scan\nid: b\ntitle: B\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = "a".to_owned();
    for c in ["b", "c", "d", "e", "f", "g", "h", "i"] {
        bomb.push_str(&format!(
            "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
        prev = c.to_owned();
    }
    site.file("evidence/bomb.yaml", &bomb);
    let err = codes(&site);
    assert!(
        err.contains("[E0103]") && err.contains("evidence/bomb.yaml"),
        "{err}"
    );
}

#[test]
fn documents_nested_100000_deep_are_refused() {
    let site = Fixture::new();
    let deep =
        |open: &str, close: &str| format!("{}{}", open.repeat(100_000), close.repeat(100_000));
    site.file(
        "evidence/deep.yaml",
        &format!("kind: scan\nid: d\ntitle: D\nx: {}\n", deep("[", "]")),
    )
    .file(
        "evidence/deep.json",
        &format!("{{\"kind\": \"scan\", \"x\": {}}}", deep("[", "]")),
    )
    .file(
        "evidence/deepmap.yaml",
        &format!("kind: scan\nid: m\ntitle: M\nx: {}\n", deep("{a: ", "}")),
    );
    let err = codes(&site);
    assert!(
        err.contains("[E0103]") && err.contains("evidence/deep.yaml"),
        "{err}"
    );
    assert!(
        err.contains("[E0104]") && err.contains("evidence/deep.json"),
        "{err}"
    );
    assert!(err.contains("evidence/deepmap.yaml"), "{err}");
}

#[test]
fn files_over_the_size_limit_are_refused_without_reading_them() {
    let site = Fixture::new();
    site.file("evidence/huge.json", "");
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(site.path("evidence/huge.json"))
        .unwrap();
    f.set_len(100 * 1024 * 1024).unwrap();
    let err = codes(&site);
    assert!(err.contains("[E0110]") && err.contains("100 MiB"), "{err}");
}

#[test]
fn duplicate_keys_and_scalars_where_lists_belong() {
    let site = Fixture::new();
    site.file(
        "evidence/dup.yaml",
        "kind: scan\nid: d\ntitle: D\ntool: a\ntool: b\n",
    )
    .file(
        "evidence/shape.yaml",
        "kind: threat-model\nid: s\ntitle: S\nsystem: x\nthreats: not-a-list\n",
    );
    let err = codes(&site);
    assert!(
        err.contains("[E0103]") && err.contains("evidence/dup.yaml:5"),
        "{err}"
    );
    assert!(
        err.contains("[E0206]") && err.contains("evidence/shape.yaml:5:10"),
        "{err}"
    );
}
