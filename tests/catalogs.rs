//! Control catalogs: the demo's framework catalogs hold exactly the frameworks' ids, every
//! crosswalk resolves, and control ids with spaces and colons (`nist-ai-rmf:GOVERN 1.1`,
//! `owasp-llm-2025:LLM01:2025`) resolve in fields and wiki links, with a did-you-mean
//! when misspelt.

mod common;

use common::{Fixture, evidentia};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A demo catalog file, read independently of Evidentia.
fn demo_catalog(name: &str) -> (String, Value) {
    let text = std::fs::read_to_string(repo().join("evidence/catalogs").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let v: Value = serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    (text, v)
}

/// The control ids of a catalog, in file order.
fn ids(v: &Value) -> Vec<String> {
    v["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect()
}

/// `^(GOVERN|MAP|MEASURE|MANAGE) \d\.\d+$`, without a regex crate.
fn nist_shape(id: &str) -> Option<(&str, &str)> {
    let (function, number) = id.split_once(' ')?;
    let (cat, sub) = number.split_once('.')?;
    let ok = ["GOVERN", "MAP", "MEASURE", "MANAGE"].contains(&function)
        && cat.len() == 1
        && cat.bytes().all(|b| b.is_ascii_digit())
        && !sub.is_empty()
        && sub.bytes().all(|b| b.is_ascii_digit());
    ok.then_some((function, cat))
}

/// `^AML\.T\d{4}(\.\d{3})?$`.
fn atlas_shape(id: &str) -> bool {
    let Some(rest) = id.strip_prefix("AML.T") else {
        return false;
    };
    let (tech, sub) = match rest.split_once('.') {
        Some((t, s)) => (t, Some(s)),
        None => (rest, None),
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    digits(tech, 4) && sub.is_none_or(|s| digits(s, 3))
}

#[test]
fn every_demo_catalog_has_its_source_note_and_schema_line() {
    for name in [
        "nist-ai-rmf.yaml",
        "owasp-llm-2025.yaml",
        "owasp-ml-2023.yaml",
        "mitre-atlas.yaml",
    ] {
        let (text, v) = demo_catalog(name);
        assert_eq!(
            text.lines().next(),
            Some("# yaml-language-server: $schema=../../schemas/catalog.schema.json"),
            "{name}"
        );
        for field in ["source", "license", "version", "url"] {
            let value = v[field].as_str().unwrap_or_default();
            assert!(!value.trim().is_empty(), "{name} has no {field}");
        }
        assert!(v["url"].as_str().unwrap().starts_with("https://"), "{name}");
        assert!(
            text.contains("checked"),
            "{name} says where its ids were checked"
        );
        let all = ids(&v);
        let unique: BTreeSet<&String> = all.iter().collect();
        assert_eq!(unique.len(), all.len(), "{name} repeats an id");
        for c in v["controls"].as_array().unwrap() {
            assert!(
                c["title"].as_str().is_some_and(|t| !t.is_empty()),
                "{name}: {c}"
            );
        }
    }
}

#[test]
fn nist_ai_rmf_holds_every_subcategory_of_nist_ai_100_1() {
    let (_, v) = demo_catalog("nist-ai-rmf.yaml");
    let all = ids(&v);
    assert_eq!(all.len(), 72);
    // Subcategories per category in NIST AI 100-1, Tables 1 to 4.
    let sizes: [(&str, &[u32]); 4] = [
        ("GOVERN", &[7, 3, 2, 3, 2, 2]),
        ("MAP", &[6, 3, 5, 2, 2]),
        ("MEASURE", &[3, 13, 3, 3]),
        ("MANAGE", &[4, 4, 2, 3]),
    ];
    let mut expected = BTreeSet::new();
    for (function, counts) in sizes {
        for (c, n) in counts.iter().enumerate() {
            for s in 1..=*n {
                expected.insert(format!("{function} {}.{s}", c + 1));
            }
        }
    }
    let got: BTreeSet<String> = all.iter().cloned().collect();
    assert_eq!(got, expected);
    let mut per_function: BTreeMap<&str, usize> = BTreeMap::new();
    for c in v["controls"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let (function, cat) = nist_shape(id).unwrap_or_else(|| panic!("`{id}` is not NIST-shaped"));
        *per_function.entry(function).or_default() += 1;
        assert_eq!(
            c["family"].as_str(),
            Some(format!("{function} {cat}").as_str()),
            "{id}"
        );
    }
    assert_eq!(
        per_function,
        BTreeMap::from([("GOVERN", 19), ("MANAGE", 13), ("MAP", 18), ("MEASURE", 22)])
    );
}

#[test]
fn owasp_catalogs_hold_their_ten_entries() {
    let (_, llm) = demo_catalog("owasp-llm-2025.yaml");
    let expected: Vec<String> = (1..=10).map(|i| format!("LLM{i:02}:2025")).collect();
    assert_eq!(ids(&llm), expected);
    let names: Vec<&str> = llm["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Prompt Injection",
            "Sensitive Information Disclosure",
            "Supply Chain",
            "Data and Model Poisoning",
            "Improper Output Handling",
            "Excessive Agency",
            "System Prompt Leakage",
            "Vector and Embedding Weaknesses",
            "Misinformation",
            "Unbounded Consumption",
        ]
    );
    let (_, ml) = demo_catalog("owasp-ml-2023.yaml");
    let expected: Vec<String> = (1..=10).map(|i| format!("ML{i:02}:2023")).collect();
    assert_eq!(ids(&ml), expected);
    assert_eq!(ml["controls"][5]["title"], "AI Supply Chain Attacks");
}

#[test]
fn mitre_atlas_subset_has_twenty_or_more_techniques_by_tactic() {
    let (_, v) = demo_catalog("mitre-atlas.yaml");
    let all = ids(&v);
    assert!(all.len() >= 20, "{}", all.len());
    for id in &all {
        assert!(atlas_shape(id), "`{id}` is not an ATLAS technique id");
    }
    for c in v["controls"].as_array().unwrap() {
        assert!(c["family"].as_str().is_some_and(|f| !f.is_empty()), "{c}");
    }
    // A sub-technique sits next to its technique.
    for id in all.iter().filter(|i| i.len() > "AML.T0000".len()) {
        assert!(
            all.contains(&id[.."AML.T0000".len()].to_owned()),
            "{id} without its parent"
        );
    }
}

#[test]
fn every_demo_crosswalk_target_is_a_control_of_a_demo_catalog() {
    let dir = repo().join("evidence/catalogs");
    let mut controls: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut maps = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let v: Value = serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let id = v["id"].as_str().unwrap().to_owned();
        for c in v["controls"].as_array().unwrap() {
            let cid = c["id"].as_str().unwrap().to_owned();
            for m in c["maps"].as_array().into_iter().flatten() {
                maps.push((format!("{id}:{cid}"), m["to"].as_str().unwrap().to_owned()));
            }
            controls.entry(id.clone()).or_default().insert(cid);
        }
    }
    assert!(maps.len() >= 40, "{}", maps.len());
    let mut targets_per_catalog: BTreeMap<&str, usize> = BTreeMap::new();
    for (from, to) in &maps {
        let (cat, ctl) = to
            .split_once(':')
            .unwrap_or_else(|| panic!("{from} -> {to}"));
        assert!(
            controls.get(cat).is_some_and(|c| c.contains(ctl)),
            "{from} maps to `{to}`, which no demo catalog has"
        );
        if from.starts_with("guardrails:") {
            *targets_per_catalog.entry(cat).or_default() += 1;
        }
    }
    // The guardrails map onto all four frameworks.
    assert_eq!(
        targets_per_catalog.keys().copied().collect::<Vec<_>>(),
        [
            "mitre-atlas",
            "nist-ai-rmf",
            "owasp-llm-2025",
            "owasp-ml-2023"
        ]
    );
}

#[test]
fn demo_cites_spaced_and_colon_control_ids() {
    let tm =
        std::fs::read_to_string(repo().join("evidence/threat-models/tm-credit-scoring-api.yaml"))
            .unwrap();
    assert!(tm.contains("control: nist-ai-rmf:MEASURE 2.11"));
    let pkt = std::fs::read_to_string(repo().join("evidence/packets/pkt-credit-scoring-rai.yaml"))
        .unwrap();
    assert!(pkt.contains("control: owasp-llm-2025:LLM01:2025"));
    let dir = tempfile::tempdir().unwrap();
    let out = evidentia(&[
        "build",
        repo().to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
        "--today",
        "2026-11-27",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let nist = std::fs::read_to_string(dir.path().join("controls/nist-ai-rmf/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&nist);
    let row = scraper::Selector::parse(r#"tr[id="MEASURE-2.11"]"#).unwrap();
    let row = doc.select(&row).next().expect("MEASURE 2.11 row");
    let text: String = row.text().collect();
    assert!(text.contains("tm-credit-scoring-api"), "{text}");
    assert!(text.contains("superset of"), "{text}");
    assert!(text.contains("guardrails:GR-BIAS"), "{text}");
}

const CATALOG: &str = "kind: catalog\nid: nist\ntitle: NIST\nsource: NIST AI 100-1\nversion: \"1.0\"\nlicense: public domain\nurl: https://example.org/nist.pdf\ncontrols:\n  - {id: GOVERN 1.1, title: Legal duties}\n  - {id: \"LLM01:2025\", title: Prompt injection}\n";

const OTHER: &str = "kind: catalog\nid: gr\ntitle: Guardrails\ncontrols:\n  - id: GR-1\n    title: One\n    maps:\n      - {to: \"nist:GOVERN 1.1\", relation: subset-of}\n      - {to: \"nist:LLM01:2025\", relation: intersects-with}\n";

fn tm(control: &str) -> String {
    format!(
        "kind: threat-model\nid: tm\ntitle: TM\nsystem: API\nassets:\n  - id: db\nthreats:\n  - id: T1\n    title: Injection\n    affects: [db]\n    status: mitigated\n    mitigations:\n      - control: \"{control}\"\n        status: done\n"
    )
}

fn packet(control: &str, summary: &str) -> String {
    format!(
        "kind: packet\nid: pk\ntitle: Packet\nsummary: \"{summary}\"\ncontrols:\n  - control: \"{control}\"\n    evidence: [tm]\n"
    )
}

/// `(code, help)` of every diagnostic.
fn diagnostics(site: &Fixture) -> Vec<(String, String, String)> {
    let out = site.run(&["check", "--today", "2026-11-27", "--format", "json"]);
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["path"].as_str().unwrap_or_default().to_owned(),
                d["help"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn spaced_and_colon_ids_resolve_in_fields_and_wiki_links() {
    let site = Fixture::new();
    site.file("evidence/nist.yaml", CATALOG)
        .file("evidence/gr.yaml", OTHER)
        .file("evidence/tm.yaml", &tm("nist:GOVERN 1.1"))
        .file(
            "evidence/pk.yaml",
            &packet(
                "nist: LLM01:2025 ",
                "See [[nist:GOVERN 1.1]] and [[nist:LLM01:2025|injection]].",
            ),
        )
        .file(
            "content/notes.md",
            "# Notes\n\nWe meet [[nist:GOVERN 1.1]] and [[nist:LLM01:2025|the LLM risk]].\n",
        );
    assert_eq!(diagnostics(&site), []);
    let out = site.run(&["build", "--today", "2026-11-27"]);
    assert_eq!(out.code, 0, "{}", out.stderr);

    // The catalog page's rows carry the anchors that links use.
    let page = site.read("public/controls/nist/index.html");
    assert!(page.contains(r#"<tr id="GOVERN-1.1">"#), "{page}");
    assert!(page.contains(r#"<tr id="LLM01:2025">"#), "{page}");
    assert!(!page.contains(r#"id="GOVERN 1.1""#));
    // Its source note, with the URL as a link.
    assert!(
        page.contains("NIST AI 100-1") && page.contains(r#"href="https://example.org/nist.pdf""#)
    );
    // Crosswalk from the other side, relation turned round.
    assert!(page.contains("superset of"), "{page}");
    let gr = site.read("public/controls/gr/index.html");
    assert!(
        gr.contains(r#"href="../../controls/nist/index.html#GOVERN-1.1""#),
        "{gr}"
    );
    assert!(gr.contains("subset of"), "{gr}");

    // Fields: the threat's mitigation and the packet's control.
    let tm = site.read("public/evidence/tm/index.html");
    assert!(
        tm.contains(r#"href="../../controls/nist/index.html#GOVERN-1.1""#),
        "{tm}"
    );
    let pk = site.read("public/packets/pk/index.html");
    assert!(
        pk.contains(r#"href="../../controls/nist/index.html#LLM01:2025""#),
        "{pk}"
    );
    // Wiki links in a packet summary and in a page.
    assert!(
        pk.contains(r#"<a href="../../controls/nist/index.html#LLM01:2025">injection</a>"#),
        "{pk}"
    );
    let notes = site.read("public/notes/index.html");
    assert!(
        notes.contains(
            r#"<a href="../controls/nist/index.html#GOVERN-1.1">GOVERN 1.1 Legal duties</a>"#
        ),
        "{notes}"
    );
    assert!(
        notes.contains(r#"<a href="../controls/nist/index.html#LLM01:2025">the LLM risk</a>"#),
        "{notes}"
    );
}

#[test]
fn misspelt_spaced_ids_get_an_error_with_a_suggestion() {
    let site = Fixture::new();
    site.file("evidence/nist.yaml", CATALOG)
        .file("evidence/tm.yaml", &tm("nist:GOVREN 1.1"))
        .file(
            "evidence/pk.yaml",
            &packet("nsit:LLM01:2025", "See [[nist:GOVERN 1.2]]."),
        )
        .file("content/notes.md", "# Notes\n\n[[nist:LLM01:2024]]\n");
    let all = diagnostics(&site);
    assert!(
        all.contains(&(
            "E0306".to_owned(),
            "threats[0].mitigations[0].control".to_owned(),
            "did you mean `GOVERN 1.1`?".to_owned()
        )),
        "{all:#?}"
    );
    assert!(
        all.contains(&(
            "E0306".to_owned(),
            "controls[0].control".to_owned(),
            "did you mean `nist`?".to_owned()
        )),
        "{all:#?}"
    );
    assert!(
        all.contains(&(
            "E0302".to_owned(),
            "summary".to_owned(),
            "did you mean `[[nist:GOVERN 1.1]]`?".to_owned()
        )),
        "{all:#?}"
    );
    assert!(
        all.iter()
            .any(|d| d.0 == "E0302" && d.2 == "did you mean `[[nist:LLM01:2025]]`?"),
        "{all:#?}"
    );
    assert_eq!(all.len(), 4, "{all:#?}");
}

#[test]
fn prose_with_a_colon_stays_prose() {
    // Spaced text becomes a control link only when it is exactly `CATALOG:CONTROL` of a
    // control that exists: a mitigation text that starts with a catalog id is prose.
    let site = Fixture::new();
    site.file("evidence/nist.yaml", CATALOG).file(
        "evidence/tm.yaml",
        "kind: threat-model\nid: tm\ntitle: TM\nsystem: API\nassets:\n  - id: db\nthreats:\n  - id: T1\n    title: Injection\n    affects: [db]\n    status: mitigated\n    mitigations:\n      - text: \"nist: GOVERN 1.1 is covered by the legal review\"\n        status: done\n",
    );
    assert_eq!(diagnostics(&site), []);
    let out = site.run(&["build", "--today", "2026-11-27"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let tm = site.read("public/evidence/tm/index.html");
    assert!(
        tm.contains("nist: GOVERN 1.1 is covered by the legal review"),
        "{tm}"
    );
    assert!(!tm.contains("controls/nist/index.html#"), "{tm}");
}

#[test]
fn duplicate_controls_and_clashing_anchors_are_diagnosed() {
    let site = Fixture::new();
    site.file(
        "evidence/c.yaml",
        "kind: catalog\nid: c\ntitle: C\ncontrols:\n  - {id: A 1}\n  - {id: \"A 1 \"}\n  - {id: A-1}\n  - {id: B 2}\n",
    );
    let all = diagnostics(&site);
    let codes: Vec<(&str, &str)> = all.iter().map(|d| (d.0.as_str(), d.1.as_str())).collect();
    assert_eq!(
        codes,
        [
            ("E0313", "controls[1].id"),
            ("E0303", "controls[2].id"),
            ("W0305", "controls[2].id")
        ],
        "{all:#?}"
    );
}
