//! The command line, run as a user runs it, on fixture sites.

mod common;

use common::{Fixture, evidentia, item, tree};

#[test]
fn version_and_help_on_every_command() {
    let v = evidentia(&["--version"]);
    assert_eq!(v.code, 0);
    assert!(v.stdout.starts_with("evidentia "), "{}", v.stdout);
    for cmd in [
        &["--help"][..],
        &["build", "--help"],
        &["check", "--help"],
        &["explain", "--help"],
    ] {
        let out = evidentia(cmd);
        assert_eq!(out.code, 0, "{cmd:?}");
        assert!(out.stdout.contains("Usage:"), "{cmd:?}: {}", out.stdout);
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(evidentia(&["frobnicate"]).code, 2);
    assert_eq!(evidentia(&["check", "--today", "2026-13-01", "."]).code, 2);
    let missing = evidentia(&["check", "/definitely/not/a/site"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("is not a folder"),
        "{}",
        missing.stderr
    );
    let no_config = tempfile::tempdir().unwrap();
    let out = evidentia(&["check", no_config.path().to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("has no site.toml"), "{}", out.stderr);
}

#[test]
fn explain_describes_codes() {
    let out = evidentia(&["explain", "E0302"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("unresolved link"), "{}", out.stdout);
    let all = evidentia(&["explain"]);
    assert!(all.stdout.lines().count() > 10);
    assert_eq!(evidentia(&["explain", "E9999"]).code, 2);
}

#[test]
fn a_good_site_builds_with_pretty_relative_urls() {
    let site = Fixture::new();
    site.file(
        "content/index.md",
        "# Home\n\nSee [[tm-a]] and [[guides-one|the guide]].\n",
    )
    .file(
        "content/guides/one.md",
        "---\ntitle: One\nweight: 1\n---\nBack to [[index]].\n",
    )
    .file("content/img/pic.png", "png")
    .file("evidence/tm.yaml", &item("threat-model", "tm-a"))
    .file(
        "evidence/scan.json",
        r#"{"kind": "scan", "id": "scan-a", "title": "Scan A", "findings": []}"#,
    );
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("0 errors, 0 warnings"),
        "{}",
        out.stderr
    );
    for page in [
        "public/index.html",
        "public/guides/one/index.html",
        "public/evidence/tm-a/index.html",
        "public/evidence/scan-a/index.html",
        "public/kinds/threat-model/index.html",
        "public/img/pic.png",
        "public/static/style.css",
        "public/static/syntax.css",
        "public/manifest.json",
        "public/404.html",
    ] {
        assert!(site.path(page).is_file(), "{page} missing");
    }
    let home = site.read("public/index.html");
    assert!(home.contains("href=\"evidence/tm-a/index.html\""), "{home}");
    assert!(home.contains(">the guide</a>"), "{home}");
    let guide = site.read("public/guides/one/index.html");
    assert!(guide.contains("href=\"../../index.html\""), "{guide}");
    assert!(guide.contains("href=\"../../static/style.css\""), "{guide}");
}

#[test]
fn every_internal_link_resolves_in_the_output() {
    let site = Fixture::new();
    site.file("content/index.md", "# Home\n[[a]] [[b]] [[guides-x]]\n")
        .file("content/guides/x.md", "# X\n[[index]] [[a]]\n")
        .file(
            "evidence/a.yaml",
            &format!("{}evidence: [b]\n", item("packet", "a")),
        )
        .file("evidence/b.yaml", &item("fairness", "b"));
    assert_eq!(site.run(&["build"]).code, 0);
    let out = site.path("public");
    let sel = scraper::Selector::parse("a[href], link[href], script[src], img[src]").unwrap();
    let mut checked = 0;
    for (rel, bytes) in tree(&out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = scraper::Html::parse_document(&String::from_utf8(bytes).unwrap());
        let base = out.join(&rel);
        for el in html.select(&sel) {
            let v = el.value();
            let target = v.attr("href").or(v.attr("src")).unwrap();
            if target.starts_with("http")
                || target.starts_with("mailto:")
                || target.starts_with('#')
            {
                continue;
            }
            assert!(!target.starts_with('/'), "{rel}: absolute link {target}");
            let path = target.split('#').next().unwrap();
            let resolved = base.parent().unwrap().join(path);
            assert!(resolved.is_file(), "{rel}: {target} does not resolve");
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} links checked");
}

#[test]
fn bad_input_gets_one_diagnostic_each_and_nothing_is_written() {
    let site = Fixture::new();
    site.file("content/ok.md", "# Fine\n")
        .file("content/unclosed.md", "---\ntitle: x\n")
        .file("content/badyaml.md", "---\ntitle: [oops\n---\nbody\n")
        .file("content/unknownkey.md", "---\ntitel: x\n---\nbody\n")
        .file("content/empty.md", "")
        .bytes("content/latin1.md", b"# Caf\xe9\n")
        .file(
            "evidence/syntax.yaml",
            "kind: scan\nid: s\ntitle: [unclosed\n",
        )
        .file("evidence/syntax.json", "{\n  \"kind\": \"scan\",\n}\n")
        .file(
            "evidence/unknown-kind.yaml",
            "kind: threatmodel\nid: u\ntitle: U\n",
        )
        .file("evidence/no-id.yaml", "kind: scan\ntitle: No id\n")
        .file("evidence/empty.yaml", "\n")
        .file(
            "evidence/bad-date.yaml",
            "kind: scan\nid: d\ntitle: D\nupdated: 2026-13-45\n",
        )
        .file("evidence/good.yaml", &item("scan", "good"));
    std::os::unix::fs::symlink(site.path("nowhere"), site.path("evidence/dangling.yaml")).unwrap();
    let out = site.run(&["build"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let expected = [
        ("E0105", "content/unclosed.md:1:1"),
        ("E0103", "content/badyaml.md:2:"),
        ("E0207", "content/unknownkey.md:2:1"),
        ("E0106", "content/empty.md"),
        ("E0102", "content/latin1.md:1:6"),
        ("E0103", "evidence/syntax.yaml:3:"),
        ("E0104", "evidence/syntax.json:3:1"),
        ("E0202", "evidence/unknown-kind.yaml:1:7"),
        ("E0203", "evidence/no-id.yaml:1:1"),
        ("E0106", "evidence/empty.yaml"),
        ("E0206", "evidence/bad-date.yaml:4:10"),
        ("E0101", "evidence/dangling.yaml"),
    ];
    for (code, place) in expected {
        let hit = out
            .stderr
            .split("\n\n")
            .chain(out.stderr.lines())
            .any(|block| block.contains(&format!("[{code}]")) && block.contains(place));
        assert!(hit, "no {code} at {place} in:\n{}", out.stderr);
    }
    let errors = out.stderr.matches("error[").count();
    assert_eq!(
        errors,
        expected.len(),
        "one diagnostic per bad file:\n{}",
        out.stderr
    );
    assert!(out.stderr.contains("help:"), "{}", out.stderr);
    assert!(
        out.stderr.contains("did you mean `threat-model`?"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `title`?"),
        "{}",
        out.stderr
    );
    assert!(
        !site.path("public").exists(),
        "a site with errors must not be written"
    );
    assert!(!out.stderr.contains("panicked"));
}

#[test]
fn check_reports_without_writing() {
    let site = Fixture::new();
    site.file("evidence/a.yaml", &item("scan", "a"));
    let out = site.run(&["check"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!site.path("public").exists());
    site.file("evidence/b.yaml", "kind: scan\n");
    assert_eq!(site.run(&["check"]).code, 1);
}

#[test]
fn duplicate_ids_name_both_files() {
    let site = Fixture::new();
    site.file("evidence/one.yaml", &item("scan", "same"))
        .file("evidence/two.yaml", &item("exception", "same"))
        .file("content/same.md", "# Page whose id is also same\n");
    let out = site.run(&["check"]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stderr.matches("[E0301]").count(), 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("content/same.md already defines it"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("evidence/two.yaml:2:5"),
        "{}",
        out.stderr
    );
}

#[test]
fn unresolved_wiki_links_are_errors_at_their_place() {
    let site = Fixture::new();
    site.file("evidence/tm.yaml", &item("threat-model", "tm-credit-api"))
        .file(
            "content/p.md",
            "---\ntitle: P\n---\nIntro.\n\nSee [[tm-credit-apo]] now.\n",
        );
    let out = site.run(&["check"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("error[E0302]: link to unknown id `tm-credit-apo`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("content/p.md:6:5"), "{}", out.stderr);
    assert!(
        out.stderr.contains("did you mean `[[tm-credit-api]]`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn dotfiles_ignore_globs_and_escaping_symlinks() {
    let site = Fixture::new();
    site.file(
        "site.toml",
        "title = \"F\"\nignore = [\"evidence/drafts/**\", \"**/*.tmp.yaml\"]\n",
    )
    .file("evidence/.hidden.yaml", "not: [valid")
    .file("evidence/.git/x.yaml", "not: [valid")
    .file("evidence/drafts/wip.yaml", "not: [valid")
    .file("evidence/x.tmp.yaml", "not: [valid")
    .file("evidence/ok.yaml", &item("scan", "ok"))
    .file("evidence/notes.txt", "stray");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), item("scan", "secret")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        site.path("evidence/secret.yaml"),
    )
    .unwrap();
    site.file("content/real.md", "# Real\n");
    std::os::unix::fs::symlink(site.path("content/real.md"), site.path("content/inside.md"))
        .unwrap();
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("warning[W0102]"), "{}", out.stderr);
    assert!(
        out.stderr.contains("evidence/secret.yaml"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("warning[W0101]"), "{}", out.stderr);
    assert!(out.stderr.contains("evidence/notes.txt"), "{}", out.stderr);
    assert!(!site.path("public/evidence/secret").exists());
    assert!(
        !site.path("public/evidence/notes.txt").exists(),
        "stray files are not published"
    );
    assert!(
        site.path("public/inside/index.html").exists(),
        "links inside the site are followed"
    );
}

#[test]
fn attachments_are_published_beside_their_item() {
    let site = Fixture::new();
    site.file("evidence/tm/diagram.svg", "<svg/>")
        .file(
            "evidence/tm/a.yaml",
            &format!("{}attachments: [diagram.svg]\n", item("threat-model", "a")),
        )
        .file(
            "evidence/b.yaml",
            &format!(
                "{}attachments: [../../etc/passwd, missing.png]\n",
                item("scan", "b")
            ),
        );
    let out = site.run(&["check"]);
    assert_eq!(out.stderr.matches("[E0304]").count(), 2, "{}", out.stderr);
    std::fs::remove_file(site.path("evidence/b.yaml")).unwrap();
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(site.path("public/evidence/a/diagram.svg").is_file());
    assert!(
        site.read("public/evidence/a/index.html")
            .contains("href=\"../../evidence/a/diagram.svg\"")
    );
}

#[test]
fn output_folders_that_must_not_be_replaced_are_refused() {
    let site = Fixture::new();
    site.file("content/index.md", "# Home\n")
        .file("evidence/a.yaml", &item("scan", "a"));
    let root = site.root().to_str().unwrap().to_owned();
    for bad in [
        root.clone(),
        format!("{root}/content/out"),
        format!("{root}/evidence"),
        format!("{root}/.."),
        "/".to_owned(),
    ] {
        let out = site.run(&["build", "-o", &bad]);
        assert_eq!(out.code, 2, "{bad}: {}", out.stderr);
        assert!(out.stderr.contains("refusing to write"), "{}", out.stderr);
    }
    site.file("mine/thesis.docx", "precious");
    let out = site.run(&["build", "-o", site.path("mine").to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert_eq!(site.read("mine/thesis.docx"), "precious");
    assert!(site.path("content/index.md").exists() && site.path("evidence/a.yaml").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_site_whole() {
    let site = Fixture::new();
    site.file("content/index.md", "# Version one\n");
    assert_eq!(site.run(&["build"]).code, 0);
    let before = tree(&site.path("public"));
    site.file("content/index.md", "# Version two\n")
        .file("evidence/broken.yaml", "kind: [");
    assert_eq!(site.run(&["build"]).code, 1);
    assert_eq!(tree(&site.path("public")), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("evidentia-staging") || n.contains("evidentia-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    std::fs::remove_file(site.path("evidence/broken.yaml")).unwrap();
    assert_eq!(site.run(&["build"]).code, 0);
    assert!(site.read("public/index.html").contains("Version two"));
}

#[test]
fn output_is_byte_identical_across_builds() {
    let site = Fixture::new();
    site.file("content/index.md", "# Home\n[[a]]\n");
    for i in 0..40 {
        site.file(
            &format!("content/p/{i}.md"),
            &format!("# Page {i}\n\n```rust\nfn f{i}() {{}}\n```\n[[a]]\n"),
        );
        site.file(
            &format!("evidence/e{i}.yaml"),
            &format!("{}evidence: [a]\n", item("packet", &format!("e{i}"))),
        );
    }
    site.file("evidence/a.yaml", &item("scan", "a"));
    let one = site.path("one");
    let two = site.path("two");
    assert_eq!(site.run(&["build", "-o", one.to_str().unwrap()]).code, 0);
    assert_eq!(site.run(&["build", "-o", two.to_str().unwrap()]).code, 0);
    let (a, b) = (tree(&one), tree(&two));
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between builds");
    }
}

#[test]
fn untrusted_markdown_and_evidence_cannot_run_script() {
    let site = Fixture::new();
    site.file(
        "content/evil-page.md",
        "---\ntitle: \"<script>alert('t')</script>\"\n---\n# Hi <img src=x onerror=alert(1)>\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) <a href=\"javascript:alert(2)\" onclick=\"alert(3)\">x</a>\n\n<iframe src=\"https://example.org\"></iframe>\n",
    )
    .file(
        "evidence/evil.yaml",
        "kind: scan\nid: evil\ntitle: \"</title><script>alert(1)</script>\"\nowner: \"<img src=x onerror=alert(1)>\"\ntarget: \"javascript:alert(1)\"\nfindings:\n  - id: F1\n    title: \"<script>x</script>\"\n",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for (rel, bytes) in tree(&site.path("public")) {
        if !rel.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        let doc = scraper::Html::parse_document(&text);
        let all = scraper::Selector::parse("*").unwrap();
        for el in doc.select(&all) {
            let v = el.value();
            // The one script is the theme's search file, loaded from static/ (the CSP
            // forbids inline script anyway); nothing a learner writes makes one.
            let theme_script = v.name() == "script"
                && v.attr("src")
                    .is_some_and(|s| s.ends_with("static/search.js"))
                && el.text().all(|t| t.trim().is_empty());
            assert!(
                theme_script || !matches!(v.name(), "script" | "iframe" | "object" | "embed"),
                "{rel} has <{}>",
                v.name()
            );
            for (name, value) in v.attrs() {
                assert!(!name.starts_with("on"), "{rel}: <{} {name}>", v.name());
                let value = value.trim().to_ascii_lowercase();
                assert!(
                    !value.starts_with("javascript:") && !value.starts_with("data:text"),
                    "{rel}: {name}={value}"
                );
            }
        }
        let lower = text.to_ascii_lowercase();
        assert!(
            lower.contains("content-security-policy"),
            "{rel} has no CSP"
        );
        assert!(
            lower.contains("script-src 'self'"),
            "{rel}: CSP allows inline script"
        );
    }
    assert!(
        site.read("public/evidence/evil/index.html")
            .contains("&lt;script&gt;")
    );
}

#[test]
fn a_site_without_themes_uses_the_built_in_theme_and_its_own_theme_wins() {
    let site = Fixture::new();
    site.file("content/index.md", "# Home\n");
    assert_eq!(site.run(&["build"]).code, 0);
    assert!(site.read("public/index.html").contains("Skip to content"));
    site.file("site.toml", "title = \"F\"\ntheme = \"mine\"\n");
    let out = site.run(&["build"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("[E0109]"), "{}", out.stderr);
    let base =
        "<!doctype html><title>{{ page.title }}</title>MY-THEME{% block main %}{% endblock %}";
    for t in ["index", "page", "item", "list", "404"] {
        site.file(
            &format!("themes/mine/templates/{t}.html"),
            "{% extends \"base.html\" %}{% block main %}{{ page.title }}{% endblock %}",
        );
    }
    site.file("themes/mine/templates/base.html", base)
        .file("themes/mine/static/x.css", "x");
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(site.read("public/index.html").contains("MY-THEME"));
    assert!(site.path("public/static/x.css").is_file());
}

#[test]
fn broken_site_toml_is_reported_with_position() {
    let site = Fixture::new();
    site.file("site.toml", "title = \"x\"\noutput_dri = \"out\"\n");
    let out = site.run(&["check"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("[E0107]"), "{}", out.stderr);
    assert!(out.stderr.contains("site.toml:2:1"), "{}", out.stderr);
    assert!(
        out.stderr.contains("did you mean `output_dir`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn quiet_hides_warnings_but_not_errors() {
    let site = Fixture::new();
    site.file("evidence/stray.txt", "x");
    let out = site.run(&["check", "--quiet"]);
    assert_eq!(out.code, 0);
    assert!(!out.stderr.contains("W0101"), "{}", out.stderr);
    site.file("evidence/bad.yaml", "kind: scan\n");
    let out = site.run(&["check", "-q"]);
    assert!(out.stderr.contains("E0203"), "{}", out.stderr);
}

#[test]
fn show_prints_an_item_as_the_model_holds_it() {
    let site = Fixture::new();
    site.file(
        "evidence/s.yaml",
        "kind: scan\nid: sc\ntitle: S\ntool: trivy\nfindings:\n  - {rule: CVE-1, severity: HIGH, status: fixed, location: a@1}\n",
    );
    let root = site.root().to_str().unwrap();
    let out = evidentia(&["show", "sc", root]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["kind"], "scan");
    assert_eq!(v["tool"], "trivy");
    assert_eq!(
        v["findings"][0]["id"], "CVE-1",
        "the rule stands in for a missing id"
    );
    assert_eq!(
        v["findings"][0]["severity"], "high",
        "severities are normalised"
    );
    assert_eq!(v["findings"][0]["status"], "fixed");
    let yaml = evidentia(&["show", "sc", root, "--format", "yaml"]);
    assert_eq!(yaml.code, 0);
    assert!(
        yaml.stdout.contains("kind: scan") && yaml.stdout.contains("- id: CVE-1"),
        "{}",
        yaml.stdout
    );
    let missing = evidentia(&["show", "nope", root]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("no item `nope`"),
        "{}",
        missing.stderr
    );
}

#[test]
fn schema_prints_json_schemas_and_builds_publish_them() {
    let list = evidentia(&["schema"]);
    assert_eq!(list.code, 0);
    assert_eq!(list.stdout.lines().count(), 10);
    let tm = evidentia(&["schema", "threat-model"]);
    assert_eq!(tm.code, 0);
    let v: serde_json::Value = serde_json::from_str(&tm.stdout).unwrap();
    assert_eq!(v["properties"]["kind"]["const"], "threat-model");
    assert_eq!(evidentia(&["schema", "threatmodel"]).code, 2);
    let site = Fixture::new();
    site.file("content/index.md", "# Home\n");
    assert_eq!(site.run(&["build"]).code, 0);
    assert_eq!(
        site.read("public/schemas/threat-model.schema.json"),
        tm.stdout
    );
}

#[test]
fn navigation_does_not_grow_with_the_site() {
    let site = Fixture::new();
    site.file("content/index.md", "# Home\n");
    for i in 0..40 {
        site.file(&format!("content/notes/n{i}.md"), &format!("# Note {i}\n"));
    }
    for i in 0..15 {
        site.file(&format!("content/top{i}.md"), &format!("# Top {i}\n"));
    }
    site.file("content/notes/pinned.md", "---\nweight: 1\n---\n# Pinned\n");
    assert_eq!(site.run(&["build"]).code, 0);
    let page = site.read("public/notes/n3/index.html");
    let doc = scraper::Html::parse_document(&page);
    let sel = scraper::Selector::parse("nav[aria-label=Site] li.nav-page").unwrap();
    let entries: Vec<String> = doc.select(&sel).map(|e| e.text().collect()).collect();
    assert_eq!(entries.len(), 12, "{entries:?}");
    assert_eq!(
        entries[0], "Pinned",
        "weighted pages come first: {entries:?}"
    );
    assert!(
        !entries.iter().any(|e| e.starts_with("Note ")),
        "{entries:?}"
    );
}

#[test]
fn a_native_scan_wraps_a_tool_report_with_metadata() {
    let site = Fixture::new();
    site.file(
        "evidence/reports/bandit.json",
        r#"{"errors": [], "generated_at": "2026-10-01T10:00:00Z", "metrics": {},
            "results": [{"test_id": "B105", "issue_severity": "LOW", "issue_text": "Hardcoded password", "filename": "app.py", "line_number": 3}]}"#,
    )
    .file(
        "evidence/scan.yaml",
        "kind: scan\nid: scan-app\ntitle: App lint\ntarget: credit-api repository\nreport: reports/bandit.json\n",
    );
    let root = site.root().to_str().unwrap();
    let out = evidentia(&["show", "scan-app", root]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["id"], "B105");
    assert_eq!(v["tool"], "bandit");
    assert_eq!(
        v["target"], "credit-api repository",
        "the scan's own metadata wins"
    );
    assert_eq!(
        evidentia(&["show", "reports-bandit", root]).code,
        2,
        "the wrapped report is not an item of its own"
    );
    site.file(
        "evidence/scan.yaml",
        "kind: scan\nid: scan-app\ntitle: App lint\nreport: reports/nope.json\n",
    );
    let out = site.run(&["check"]);
    assert!(
        out.stderr.contains("[E0304]") && out.stderr.contains("evidence/scan.yaml:4:9"),
        "{}",
        out.stderr
    );
}
