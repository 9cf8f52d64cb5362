//! The repository is the demo site: it must always check and build with no diagnostics.

mod common;

use common::evidentia;

fn repo() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

#[test]
fn demo_site_checks_with_no_diagnostics() {
    let out = evidentia(&["check", repo(), "--today", "2026-11-27"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(": 0 errors, 0 warnings"),
        "{}",
        out.stderr
    );
}

#[test]
fn demo_site_builds_every_kind_of_page() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("site");
    let out = evidentia(&[
        "build",
        repo(),
        "-o",
        out_dir.to_str().unwrap(),
        "--today",
        "2026-11-27",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for page in [
        "index.html",
        "modules/mod-559/index.html",
        "guides/learners/index.html",
        "guides/architects/index.html",
        "guides/graders/index.html",
        "evidence/tm-credit-scoring-api/index.html",
        "evidence/scan-credit-api-deps/index.html",
        "evidence/exc-gunicorn-request-smuggling/index.html",
        "evidence/fair-credit-scoring-v3/index.html",
        "evidence/tt-model-poisoning-2026/index.html",
        "learners/amara-okafor/index.html",
        "learners/li-wei/index.html",
        "coverage/index.html",
        "coverage/coverage.csv",
        "coverage/coverage.json",
        "rubrics/platform-security/index.html",
        "rubrics/responsible-ai/index.html",
        "controls/guardrails/index.html",
        "controls/nist-ai-rmf/index.html",
        "controls/owasp-llm-2025/index.html",
        "controls/owasp-ml-2023/index.html",
        "controls/mitre-atlas/index.html",
        "packets/pkt-ml-security-baseline/index.html",
        "packets/pkt-credit-scoring-rai/index.html",
    ] {
        assert!(out_dir.join(page).is_file(), "{page} missing");
    }
    // The packet that extends another links to it, and the base shows the backlink.
    let base = std::fs::read_to_string(out_dir.join("packets/pkt-ml-security-baseline/index.html"))
        .unwrap();
    assert!(
        base.contains("../../packets/pkt-credit-scoring-rai/index.html"),
        "no backlink from the extending packet"
    );
}
