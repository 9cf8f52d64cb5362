//! Navigation and search (issue 7): breadcrumbs, paginated kind lists with status, tag
//! pages, the problems page, sitemap.xml and atom.xml, and the Pagefind index.

mod common;

use common::{Fixture, item, tree};
use scraper::{Html, Selector};
use std::path::Path;

const TODAY: &str = "2026-11-27";

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn html(site: &Fixture, rel: &str) -> Html {
    Html::parse_document(&site.read(rel))
}

fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

/// Every relative link, stylesheet and script of every page under `out` names a file
/// that exists (so the site works from file://).
fn assert_links_resolve(out: &Path) -> usize {
    let links = sel("a[href], link[href], script[src], img[src]");
    let mut checked = 0;
    for (rel, bytes) in tree(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8(bytes).unwrap());
        for el in doc.select(&links) {
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
            let resolved = out.join(&rel).parent().unwrap().join(path);
            assert!(resolved.is_file(), "{rel}: {target} does not resolve");
            checked += 1;
        }
    }
    checked
}

fn scan(n: usize) -> String {
    format!(
        "kind: scan\nid: scan-{n:03}\ntitle: Scan {n:03}\ntags: [bulk, \"Team {}\"]\nupdated: 2026-10-{:02}\nfindings:\n  - {{id: F1, severity: low, title: Lint, status: {}}}\n",
        n % 3,
        n % 28 + 1,
        if n % 2 == 0 { "open" } else { "fixed" }
    )
}

#[test]
fn kind_lists_and_tag_pages_paginate_with_prev_and_next() {
    let site = Fixture::new();
    for n in 0..205 {
        site.file(&format!("evidence/scans/s{n:03}.yaml"), &scan(n));
    }
    site.file("content/guide.md", "---\ntags: [bulk]\n---\n# Guide\n");
    let run = site.run(&["build", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // Three pages of 100, 100 and 5, chained by prev/next links.
    let first = html(&site, "public/kinds/scan/index.html");
    assert_eq!(first.select(&sel("table.list tbody tr")).count(), 100);
    assert!(site.path("public/kinds/scan/page/2/index.html").is_file());
    let last = html(&site, "public/kinds/scan/page/3/index.html");
    assert_eq!(last.select(&sel("table.list tbody tr")).count(), 5);
    assert!(!site.path("public/kinds/scan/page/4").exists());
    let next: Vec<_> = first
        .select(&sel("nav.pager a[rel=next]"))
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    assert_eq!(next[0], "../../kinds/scan/page/2/index.html");
    let prev: Vec<_> = last
        .select(&sel("nav.pager a[rel=prev]"))
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    assert_eq!(prev[0], "../../../../kinds/scan/page/2/index.html");
    assert!(last.select(&sel("nav.pager a[rel=next]")).next().is_none());
    assert!(texts(&last, "nav.pager .pager-at")[0].contains("201–205 of 205"));

    // Each row has the item's status and links its tags to their pages.
    let row = first.select(&sel("table.list tbody tr")).next().unwrap();
    let row_text: String = row.text().collect();
    assert!(row_text.contains("1 of 1 findings open"), "{row_text}");
    let tag_hrefs: Vec<_> = row
        .select(&sel("a[rel=tag]"))
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert!(
        tag_hrefs.contains(&"../../tags/bulk/index.html"),
        "{tag_hrefs:?}"
    );
    assert!(
        tag_hrefs.contains(&"../../tags/team-0/index.html"),
        "{tag_hrefs:?}"
    );

    // The tag index counts each tag; a tag's pages list pages and items, 100 at a time.
    let tags = html(&site, "public/tags/index.html");
    let entries = texts(&tags, ".tag-index li");
    assert!(entries.contains(&"bulk 206".to_owned()), "{entries:?}");
    assert!(entries.contains(&"Team 0 69".to_owned()), "{entries:?}");
    let bulk3 = html(&site, "public/tags/bulk/page/3/index.html");
    assert_eq!(bulk3.select(&sel("ul.links li")).count(), 6);
    let bulk1 = site.read("public/tags/bulk/index.html");
    assert!(
        bulk1.contains("href=\"../../guide/index.html\">Guide</a>"),
        "{bulk1}"
    );

    // No list page grows with the site: the 205-item list's pages are all about one size.
    let size = |rel: &str| std::fs::metadata(site.path(rel)).unwrap().len();
    assert!(
        size("public/kinds/scan/index.html")
            < 3 * size("public/kinds/scan/page/3/index.html") + 60_000
    );

    assert!(assert_links_resolve(&site.path("public")) > 1000);
}

#[test]
fn breadcrumbs_are_an_ordered_trail_ending_at_the_page() {
    let site = Fixture::new();
    site.file("content/guides/index.md", "# Guides\n")
        .file("content/guides/deep.md", "# Deep guide\n")
        .file("evidence/tm.yaml", &item("threat-model", "tm-a"));
    assert_eq!(site.run(&["build", "--today", TODAY]).code, 0);
    let trail = |rel: &str| {
        let doc = html(&site, rel);
        let crumbs = sel("nav[aria-label=Breadcrumb] ol li");
        let items: Vec<(String, Option<String>, bool)> = doc
            .select(&crumbs)
            .map(|li| {
                let a = li.select(&sel("a")).next();
                (
                    li.text().collect::<String>(),
                    a.map(|a| a.value().attr("href").unwrap().to_owned()),
                    li.select(&sel("[aria-current=page]")).next().is_some(),
                )
            })
            .collect();
        items
    };
    let deep = trail("public/guides/deep/index.html");
    assert_eq!(
        deep,
        vec![
            ("Home".into(), Some("../../index.html".into()), false),
            (
                "Guides".into(),
                Some("../../guides/index.html".into()),
                false
            ),
            ("Deep guide".into(), None, true),
        ]
    );
    let tm = trail("public/evidence/tm-a/index.html");
    assert_eq!(tm[1].0, "Threat models");
    assert_eq!(
        tm[1].1.as_deref(),
        Some("../../kinds/threat-model/index.html")
    );
    assert_eq!(tm[2], ("tm-a".into(), None, true));
    for rel in [
        "public/tags/a/index.html",
        "public/search/index.html",
        "public/404.html",
    ] {
        assert!(trail(rel).last().unwrap().2, "{rel}: no aria-current crumb");
    }
}

#[test]
fn problems_page_lists_every_warning_with_a_link_to_its_page() {
    let site = Fixture::new();
    let soon = |id: &str| {
        format!(
            "kind: exception\nid: {id}\ntitle: Exception {id}\nreason: <b>bold</b> reason\nexpires: 2026-12-10\ncovers: [tm-a#T1]\n"
        )
    };
    site.file(
        "evidence/tm.yaml",
        &format!(
            "{}threats:\n  - {{id: T1, title: Spoofing, category: spoofing, impact: low, status: open}}\n",
            item("threat-model", "tm-a")
        ),
    )
    .file("evidence/exc-a.yaml", &soon("exc-a"))
    .file("evidence/exc-b.yaml", &soon("exc-b"));
    let run = site.run(&["build", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = site.run(&["check", "--today", TODAY, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let warnings = json["warnings"].as_u64().unwrap() as usize;
    assert!(warnings >= 2, "{}", check.stdout);

    let doc = html(&site, "public/problems/index.html");
    let rows: Vec<_> = doc.select(&sel("table.problems tbody tr")).collect();
    assert_eq!(rows.len(), warnings);
    let row: String = rows
        .iter()
        .find(|r| {
            r.text()
                .collect::<String>()
                .contains("evidence/exc-a.yaml:5:")
        })
        .expect("a row for exc-a at its line")
        .html();
    assert!(row.contains("W0403"), "{row}");
    assert!(
        row.contains("href=\"../evidence/exc-a/index.html#diag-h\""),
        "{row}"
    );
    // The nav links the page while there are problems.
    let home = site.read("public/index.html");
    assert!(home.contains("href=\"problems/index.html\""), "{home}");
    assert_links_resolve(&site.path("public"));
}

/// Parses XML with quick-xml, failing on anything malformed, and returns the text of
/// every element named `name`, unescaped.
fn xml_texts(xml: &str, name: &[u8]) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut out = Vec::new();
    let mut inside = false;
    let mut depth = 0i32;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                depth += 1;
                inside = e.name().as_ref() == name;
                if inside {
                    out.push(String::new());
                }
            }
            Event::End(_) => {
                depth -= 1;
                inside = false;
            }
            Event::Text(t) if inside => {
                out.last_mut().unwrap().push_str(&t.decode().unwrap());
            }
            Event::GeneralRef(r) if inside => {
                let name = r.decode().unwrap();
                let c = match name.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                };
                out.last_mut().unwrap().push_str(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "unbalanced XML");
    out
}

#[test]
fn sitemap_and_feed_are_well_formed_with_every_string_escaped() {
    let site = Fixture::new();
    site.file(
        "site.toml",
        "title = \"Q&A <course> \\\"x\\\"\"\nbase_url = \"https://example.test/course/\"\n",
    );
    let hostile = "<script>alert(1)</script> & \"quoted\" 'x' ]]>";
    site.file(
        "evidence/tm.yaml",
        &format!(
            "kind: threat-model\nid: tm-a\ntitle: '{}'\nowner: a&b\nupdated: 2026-11-02\nsystem: S\n",
            hostile.replace('\'', "''")
        ),
    );
    for n in 0..60 {
        site.file(&format!("evidence/s{n}.yaml"), &scan(n));
    }
    assert_eq!(site.run(&["build", "--today", TODAY]).code, 0);
    let out = site.path("public");

    let sitemap = site.read("public/sitemap.xml");
    let locs = xml_texts(&sitemap, b"loc");
    assert!(locs.len() > 60, "{}", locs.len());
    for loc in &locs {
        let rel = loc
            .strip_prefix("https://example.test/course/")
            .unwrap_or_else(|| panic!("{loc} is not under base_url"));
        assert!(out.join(rel).join("index.html").is_file(), "{loc}");
    }
    assert!(locs.contains(&"https://example.test/course/evidence/tm-a/".to_owned()));
    assert!(
        !sitemap.contains("404"),
        "the 404 page is not a page to index"
    );

    let atom = site.read("public/atom.xml");
    let titles = xml_texts(&atom, b"title");
    assert_eq!(titles[0], "Q&A <course> \"x\"");
    assert_eq!(titles.len(), 1 + 50, "the newest 50 entries");
    assert_eq!(titles[1], hostile, "newest first, text intact");
    let updated = xml_texts(&atom, b"updated");
    assert_eq!(updated[0], "2026-11-02T00:00:00Z");
    assert!(updated[1..].windows(2).all(|w| w[0] >= w[1]), "{updated:?}");
    assert!(!atom.contains("<script>"));

    let home = site.read("public/index.html");
    assert!(
        home.contains("<link rel=\"alternate\" type=\"application/atom+xml\""),
        "{home}"
    );
    assert!(home.contains("href=\"atom.xml\""));
}

#[test]
fn without_base_url_there_is_no_sitemap_or_feed() {
    let site = Fixture::new();
    site.file("evidence/tm.yaml", &item("threat-model", "tm-a"));
    assert_eq!(site.run(&["build", "--today", TODAY]).code, 0);
    assert!(!site.path("public/sitemap.xml").exists());
    assert!(!site.path("public/atom.xml").exists());
    assert!(
        !site
            .read("public/index.html")
            .contains("application/atom+xml")
    );
}

#[test]
fn search_index_holds_every_page_and_the_page_has_a_stable_dom() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let run = common::evidentia(&[
        "build",
        env!("CARGO_MANIFEST_DIR"),
        "-o",
        public.to_str().unwrap(),
        "--today",
        TODAY,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for f in [
        "pagefind.js",
        "pagefind-worker.js",
        "pagefind-entry.json",
        "wasm.en.pagefind",
    ] {
        assert!(public.join("pagefind").join(f).is_file(), "{f}");
    }
    let files = tree(&public);
    assert!(
        files
            .iter()
            .any(|(p, _)| p.starts_with("pagefind/fragment/"))
    );
    assert!(files.iter().any(|(p, _)| p.starts_with("pagefind/filter/")));
    // One record per published page, except pages that only lead elsewhere: the search
    // page itself, the problems and tag index pages, later pages of a list, a packet's
    // print page (the packet page is indexed), and 404.
    let expected = files
        .iter()
        .filter(|(p, _)| p.ends_with("index.html"))
        .filter(|(p, _)| {
            !(p.starts_with("search/")
                || p.starts_with("problems/")
                || p.as_str() == "tags/index.html"
                || p.starts_with("tags/page/")
                || p.contains("/page/")
                || p.ends_with("/print/index.html"))
        })
        .count();
    let entry: serde_json::Value = serde_json::from_slice(
        &std::fs::read(public.join("pagefind/pagefind-entry.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(entry["languages"]["en"]["page_count"], expected);
    // The manifest covers the index like every other output.
    let manifest = std::fs::read_to_string(public.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"pagefind/pagefind.js\""));

    let page = std::fs::read_to_string(public.join("search/index.html")).unwrap();
    let doc = Html::parse_document(&page);
    assert_eq!(doc.select(&sel("input#search-input")).count(), 1);
    assert_eq!(doc.select(&sel("#search-results")).count(), 1);
    let kinds = texts(&doc, "select#search-kind option");
    assert!(kinds.contains(&"Threat model".to_owned()), "{kinds:?}");
    assert!(page.contains("<script type=\"module\" src=\"../static/search.js\"></script>"));
    assert!(page.contains("script-src 'self' 'wasm-unsafe-eval';"));
    assert!(page.contains("needs JavaScript"), "fallback text");
    assert!(!page.contains(" style="), "CSP forbids inline style");
    assert!(public.join("static/search.js").is_file());
    assert!(assert_links_resolve(&public) > 1000);
}

#[test]
fn search_can_be_turned_off() {
    let site = Fixture::new();
    site.file(
        "site.toml",
        "title = \"Quiet\"\n[search]\nenabled = false\n",
    )
    .file("evidence/tm.yaml", &item("threat-model", "tm-a"));
    assert_eq!(site.run(&["build", "--today", TODAY]).code, 0);
    assert!(!site.path("public/pagefind").exists());
    assert!(!site.path("public/search").exists());
    assert!(!site.read("public/index.html").contains("search/index.html"));
}
