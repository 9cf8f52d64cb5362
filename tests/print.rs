//! The print theme (issue 7 part 4): one printable page per packet at
//! /packets/ID/print/, rendered by Tera from the same context as the packet page, with
//! everything the packet resolves; a site's own themes/print/ overrides the built-in one.

mod common;

use common::{Fixture, item};
use scraper::{ElementRef, Html, Selector};

const TODAY: &str = "2026-11-27";

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn text(el: ElementRef<'_>) -> String {
    el.text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn texts(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&sel(s)).map(text).collect()
}

/// `p-child` extends `p-base`: one evidence item, control and sign-off each.
fn site() -> Fixture {
    let site = Fixture::new();
    site.file(
        "evidence/cat.yaml",
        &format!("{}controls:\n  - {{id: C1, title: First}}\n  - {{id: C2, title: Second}}\n", item("catalog", "cat")),
    )
    .file(
        "evidence/tm.yaml",
        &format!(
            "{}threats:\n  - {{id: T1, title: Spoofed caller, category: spoofing, likelihood: low, impact: low, status: mitigated}}\n",
            item("threat-model", "tm")
        ),
    )
    .file("evidence/tt.yaml", &item("tabletop", "tt"))
    .file(
        "evidence/p-base.yaml",
        &format!(
            "{}audience: [auditors]\nevidence: [tm]\ncontrols:\n  - {{control: \"cat:C1\", evidence: [tm]}}\nsignoffs:\n  - {{role: security-lead, by: Dan, on: 2026-11-01, decision: approved}}\n",
            item("packet", "p-base")
        ),
    )
    .file(
        "evidence/p-child.yaml",
        "kind: packet\nid: p-child\ntitle: \"Child <script>alert(1)</script> packet\"\naudience: [auditors]\nextends: [p-base]\nsummary: \"Read **this** first.\"\nevidence: [tt]\ncontrols:\n  - {control: \"cat:C2\", evidence: [tt]}\nsignoffs:\n  - {role: product, by: Sam, on: 2026-11-03, decision: approved}\n",
    );
    site
}

fn build(site: &Fixture) {
    let out = site.run(&["build", "--today", TODAY]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn print_page_holds_the_whole_packet_with_what_it_inherits() {
    let site = site();
    build(&site);
    let html = site.read("public/packets/p-child/print/index.html");
    let doc = Html::parse_document(&html);
    // Untrusted text is escaped by Tera as by MiniJinja.
    assert!(!html.contains("<script>alert"), "the title is escaped");
    assert_eq!(
        texts(&doc, "h1"),
        ["Child <script>alert(1)</script> packet"]
    );
    assert_eq!(
        texts(&doc, ".summary strong"),
        ["this"],
        "the summary as Markdown"
    );
    // Own and inherited evidence, each with its key facts.
    assert_eq!(texts(&doc, ".evidence h3 a"), ["tt", "tm"]);
    let facts = texts(&doc, ".evidence dl");
    assert!(facts[0].contains("Held on 2026-10-01"), "{facts:?}");
    assert!(facts[1].contains("Threats 1: 1 mitigated"), "{facts:?}");
    assert!(facts[1].contains("Inherited from p-base"), "{facts:?}");
    // Controls and sign-offs, own and inherited.
    let rows: Vec<String> = texts(&doc, "#s-controls ~ table tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[1].contains("from p-base"), "{rows:?}");
    let signoffs = texts(&doc, "#s-signoffs ~ table tbody th");
    assert_eq!(signoffs, ["product", "security-lead"]);
    // Digests of both evidence files.
    assert_eq!(texts(&doc, ".digests tbody th"), ["tt", "tm"]);
    assert_eq!(doc.select(&sel(".digests code.digest")).count(), 2);
    // Links lead back into the site and show where they go when printed.
    let link = doc.select(&sel(".evidence h3 a")).next().unwrap();
    assert_eq!(
        link.value().attr("href"),
        Some("../../../evidence/tt/index.html")
    );
    assert_eq!(link.value().attr("data-url"), Some("/evidence/tt/"));
    // Its stylesheet is published and holds the print rules.
    let css = site.read("public/static/print/print.css");
    assert!(css.contains("a[href]::after"));
    assert!(css.contains("break-before: page"));
    assert!(!html.contains("style=\""), "no inline style under the CSP");
}

#[test]
fn packet_page_links_to_its_print_page() {
    let site = site();
    build(&site);
    let doc = Html::parse_document(&site.read("public/packets/p-child/index.html"));
    let a = doc
        .select(&sel(".print-link a"))
        .next()
        .expect("a Print / PDF link");
    assert_eq!(text(a), "Print / PDF");
    let href = a.value().attr("href").unwrap();
    assert!(
        site.path(&format!("public/packets/p-child/{href}"))
            .is_file(),
        "{href}"
    );
    // Only packets get one.
    assert!(!site.path("public/evidence/tm/print/index.html").exists());
}

#[test]
fn a_sites_own_print_theme_wins() {
    let site = site();
    site.file("themes/print/theme.toml", "engine = \"tera\"\n").file(
        "themes/print/templates/packet.html",
        "<p>{{ page.id }}: {{ page.view.status }}, {{ page.evidence_facts | length }} items</p>\n",
    );
    build(&site);
    assert_eq!(
        site.read("public/packets/p-child/print/index.html"),
        "<p>p-child: approved, 2 items</p>\n"
    );
}

#[test]
fn a_broken_print_template_is_a_diagnostic_at_its_line() {
    let site = site();
    site.file("themes/print/theme.toml", "engine = \"tera\"\n")
        .file("themes/print/templates/packet.html", "ok\n{% if %}\n");
    let out = site.run(&["check", "--today", TODAY, "--format", "json"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "E0108");
    assert_eq!(d["file"], "themes/print/templates/packet.html");
    assert_eq!(d["line"], 2);
}
