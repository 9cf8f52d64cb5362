//! Snapshots of rendered pages and of diagnostics as users see them. A change to the
//! theme or to a message shows up here as a diff to review (`cargo insta review`).

mod common;

use common::{Fixture, item};

fn fixture() -> Fixture {
    let site = Fixture::new();
    site.file("site.toml", "title = \"Snapshot site\"\n")
        .file(
            "content/index.md",
            "# Welcome\n\nStart with [[guides-one]] or the [[tm-a|threat model]].\n",
        )
        .file(
            "content/guides/one.md",
            "---\ntitle: Guide one\ndate: 2026-10-01\ntags: [guide]\nweight: 1\n---\n# Guide one\n\n| Step | Command |\n|:-----|:-------:|\n| 1 | `evidentia build` |\n\n```yaml\nkind: scan\nid: s\n```\n\n- [x] done\n- [ ] todo\n\nA footnote.[^1]\n\n[^1]: The note.\n\nSee [[tm-a]].\n",
        )
        .file(
            "evidence/tm.yaml",
            &format!(
                "{}assets:\n  - {{id: db, title: Database}}\n  - {{id: api, title: API}}\nthreats:\n  - id: T1\n    title: Spoofing\n    category: spoofing\n    affects: [api]\n    impact: high\n    status: mitigated\n    mitigations:\n      - text: mTLS\n        evidence: [scan-a]\n        status: done\n",
                item("threat-model", "tm-a")
            ),
        )
        .file(
            "evidence/scan.json",
            "{\n  \"kind\": \"scan\",\n  \"id\": \"scan-a\",\n  \"title\": \"Dependency scan\",\n  \"tool\": \"trivy\"\n}\n",
        );
    site
}

fn page(site: &Fixture, rel: &str) -> String {
    site.read(&format!("public/{rel}"))
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({filters => vec![(r"Evidentia \d+\.\d+\.\d+", "Evidentia [VERSION]")]}, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

#[test]
fn rendered_pages() {
    let site = fixture();
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    snapshot!("home", page(&site, "index.html"));
    snapshot!("content_page", page(&site, "guides/one/index.html"));
    snapshot!("item_page_yaml", page(&site, "evidence/tm-a/index.html"));
    snapshot!("item_page_json", page(&site, "evidence/scan-a/index.html"));
    snapshot!("kind_list", page(&site, "kinds/threat-model/index.html"));
}

#[test]
fn human_diagnostics() {
    let site = fixture();
    site.file(
        "evidence/bad.yaml",
        "kind: threatmodel\nid: Bad Id\ntitle: x\nupdated: 2026-02-30\n",
    )
    .file("content/broken.md", "---\ntitel: x\n---\nSee [[tm-b]].\n");
    let out = site.run(&["check"]);
    assert_eq!(out.code, 1);
    snapshot!("diagnostics", out.stderr);
}

#[test]
fn module_page_and_roadmap_warnings() {
    let site = fixture();
    site.file(
        "content/modules/mod-2.md",
        "# Module Roadmap\n\n> Lead.\n\n## Module Overview\n\n- **Module ID**: MOD-2\n- **Module Title**: Second module\n- **Target Role(s)**: ML Engineer\n- **Duration**: 6 hours (2 lecture, 3 lab)\n- **Prerequisites**: MOD-1, MOD-901–910\n- **Next Module(s)**: the capstone\n\n## Competency Alignment\n\n| Competency | Level | Evidence | Role | Weight |\n|---|---|---|---|---|\n| threat-modelling | Expert | [[tm-a]] | ML Engineer | 40% |\n\n## Learning Objectives\n\n- Model threats ([[tm-a]]).\n",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    snapshot!("module_page", page(&site, "modules/mod-2/index.html"));
    // The last line says how long the build took: not part of the snapshot.
    let warnings: String = out
        .stderr
        .lines()
        .filter(|l| !l.starts_with("built "))
        .map(|l| format!("{l}\n"))
        .collect();
    snapshot!("roadmap_warnings", warnings);
}
