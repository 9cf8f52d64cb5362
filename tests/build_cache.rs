//! The build cache: a build with nothing changed leaves the output folder as it is, and
//! any change to an input, to `--today`, or to the folder itself means a full build.

mod common;

use common::{Fixture, item, tree};

fn site() -> Fixture {
    let f = Fixture::new();
    f.file("content/index.md", "# Home\n\nSee [[scan-a]].\n");
    f.file("evidence/scan-a.yaml", &item("scan", "scan-a"));
    f
}

fn build(f: &Fixture, today: &str) -> common::Outcome {
    let out = f.path("public");
    f.run(&["build", "--today", today, "-o", out.to_str().unwrap()])
}

#[test]
fn nothing_changed_means_nothing_written() {
    let f = site();
    let out = f.path("public");
    let out_s = out.to_str().unwrap();
    let first = f.run(&["build", "--today", "2026-11-27", "-o", out_s]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stderr.contains("built "), "{}", first.stderr);
    let before = tree(&out);
    let inode =
        |p: &std::path::Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
    let index_inode = inode(&out.join("index.html"));

    let again = f.run(&["build", "--today", "2026-11-27", "-o", out_s]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stderr.contains("is up to date"), "{}", again.stderr);
    assert_eq!(tree(&out), before);
    assert_eq!(
        inode(&out.join("index.html")),
        index_inode,
        "the file was not rewritten"
    );

    // A changed input: a full build, with the change in it. Files whose bytes did not
    // change are linked from the previous folder, not written again.
    let schema = out.join("schemas/scan.schema.json");
    let schema_inode = inode(&schema);
    let scan_inode = inode(&out.join("evidence/scan-a/index.html"));
    f.file(
        "evidence/scan-a.yaml",
        &item("scan", "scan-a").replace("Item scan-a", "Renamed scan"),
    );
    let changed = f.run(&["build", "--today", "2026-11-27", "-o", out_s]);
    assert!(changed.stderr.contains("built "), "{}", changed.stderr);
    assert!(
        std::fs::read_to_string(out.join("evidence/scan-a/index.html"))
            .unwrap()
            .contains("Renamed scan")
    );
    assert_eq!(
        inode(&schema),
        schema_inode,
        "an unchanged file is linked, not rewritten"
    );
    assert_ne!(inode(&out.join("evidence/scan-a/index.html")), scan_inode);
    let v = common::evidentia(&["verify", out_s]);
    assert_eq!(v.code, 0, "{}{}", v.stdout, v.stderr);

    // Another --today: a full build (expiries and due dates are shown against it).
    let later = f.run(&["build", "--today", "2026-11-28", "-o", out_s]);
    assert!(later.stderr.contains("built "), "{}", later.stderr);

    // A file deleted from the output folder: a full build puts it back.
    std::fs::remove_file(out.join("index.html")).unwrap();
    let repaired = f.run(&["build", "--today", "2026-11-28", "-o", out_s]);
    assert!(repaired.stderr.contains("built "), "{}", repaired.stderr);
    assert!(out.join("index.html").is_file());

    // The cache lives beside the folder, never in it, and deleting it costs one build.
    assert!(f.path(".public.evidentia-cache").is_file());
    assert!(!tree(&out).iter().any(|(p, _)| p.contains("cache")));
    std::fs::remove_file(f.path(".public.evidentia-cache")).unwrap();
    let rebuilt = f.run(&["build", "--today", "2026-11-28", "-o", out_s]);
    assert!(rebuilt.stderr.contains("built "), "{}", rebuilt.stderr);
    let cached = f.run(&["build", "--today", "2026-11-28", "-o", out_s]);
    assert!(cached.stderr.contains("is up to date"), "{}", cached.stderr);
}

#[test]
fn warnings_are_still_reported_when_up_to_date() {
    let f = site();
    // An exception that expires within days is a warning on every build.
    f.file(
        "evidence/old.yaml",
        &item("exception", "old").replace("2099-12-31", "2026-12-01"),
    );
    let first = build(&f, "2026-11-27");
    let again = build(&f, "2026-11-27");
    assert_eq!(first.code, again.code);
    assert!(again.stderr.contains("is up to date"), "{}", again.stderr);
    let warnings = |s: &str| s.lines().filter(|l| l.starts_with("warning")).count();
    assert!(warnings(&first.stderr) > 0, "{}", first.stderr);
    assert_eq!(
        warnings(&first.stderr),
        warnings(&again.stderr),
        "{}\n---\n{}",
        first.stderr,
        again.stderr
    );
}
