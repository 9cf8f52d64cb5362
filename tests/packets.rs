//! Packets (DESIGN 3.7, issue 6 items 1-3): inheritance through `extends` three deep with
//! an override, the cycle diagnostic, every derived status, bad references, and the pages
//! that show inherited entries, reuse, control pages through a crosswalk and coverage.

mod common;

use common::{Fixture, item};
use evidentia::link::packets::Status;
use scraper::{ElementRef, Html, Selector};

const TODAY: &str = "2027-01-15";

fn options() -> evidentia::Options {
    evidentia::Options {
        today: jiff::civil::date(2027, 1, 15),
    }
}

fn packet(id: &str, body: &str) -> String {
    format!("{}audience: [auditors]\n{body}", item("packet", id))
}

/// Two catalogs with a crosswalk (`other:O1` is equivalent to `cat:C3`), three evidence
/// items, and packets `p-a` extends `p-b` extends `p-c`, where `p-b` restates `cat:C2`.
fn inheritance() -> Fixture {
    let site = Fixture::new();
    site.file(
        "evidence/cat.yaml",
        &format!(
            "{}controls:\n  - {{id: C1, title: First}}\n  - {{id: C2, title: Second}}\n  - {{id: C3, title: Third, description: The third control's text}}\n",
            item("catalog", "cat")
        ),
    )
    .file(
        "evidence/other.yaml",
        &format!(
            "{}controls:\n  - id: O1\n    title: Other one\n    maps:\n      - {{to: \"cat:C3\", relation: equivalent-to}}\n  - {{id: O2, title: Other two}}\n",
            item("catalog", "other")
        ),
    );
    for id in ["ev-a", "ev-b", "ev-c"] {
        site.file(&format!("evidence/{id}.yaml"), &item("threat-model", id));
    }
    site.file(
        "evidence/p-c.yaml",
        &packet(
            "p-c",
            "evidence: [ev-a]\ncontrols:\n  - {control: \"cat:C1\", evidence: [ev-a]}\n  - {control: \"cat:C2\", evidence: [ev-a]}\nsignoffs:\n  - {role: security-lead, by: Dan, on: 2026-11-01, decision: approved}\n",
        ),
    )
    .file(
        "evidence/p-b.yaml",
        &packet(
            "p-b",
            "extends: [p-c]\nevidence: [ev-b]\ncontrols:\n  - {control: \"cat:C2\", evidence: [ev-b]}\nsignoffs:\n  - {role: compliance, by: Gia, on: 2026-11-02, decision: approved}\n",
        ),
    )
    .file(
        "evidence/p-a.yaml",
        "kind: packet\nid: p-a\ntitle: Packet A\naudience: [auditors, architects]\nextends: [p-b]\nevidence: [ev-c]\ncontrols:\n  - {control: \"other:O1\", evidence: [ev-c]}\nsignoffs:\n  - role: product\n    by: Sam\n    on: 2026-11-03\n    decision: approved-with-conditions\n    conditions: [Drift alerts are live]\n",
    );
    site
}

fn checked(site: &Fixture) -> evidentia::Checked {
    evidentia::check_site(site.root(), &options()).expect("site loads")
}

#[test]
fn inheritance_three_deep_with_an_override() {
    let site = inheritance();
    let c = checked(&site);
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let a = c.graph.packets().get("p-a").expect("p-a resolved");
    let evidence: Vec<(&str, Vec<&str>)> = a
        .evidence
        .iter()
        .map(|e| {
            (
                e.evidence.as_str(),
                e.via.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        evidence,
        [
            ("ev-c", vec![]),
            ("ev-b", vec!["p-b"]),
            ("ev-a", vec!["p-b", "p-c"]),
        ]
    );
    // The override in p-b replaces p-c's cat:C2 (evidence ev-b, not ev-a) all the way down.
    let controls: Vec<(&str, Vec<&str>, Option<&str>)> = a
        .controls
        .iter()
        .map(|x| {
            (
                x.control.as_str(),
                x.evidence.iter().map(String::as_str).collect(),
                x.via.last().map(String::as_str),
            )
        })
        .collect();
    assert_eq!(
        controls,
        [
            ("other:O1", vec!["ev-c"], None),
            ("cat:C2", vec!["ev-b"], Some("p-b")),
            ("cat:C1", vec!["ev-a"], Some("p-c")),
        ]
    );
    let b = c.graph.packets().get("p-b").expect("p-b resolved");
    let c2 = b.controls.iter().find(|x| x.control == "cat:C2").unwrap();
    assert_eq!(c2.overrides.as_deref(), Some("p-c"));
    assert!(c2.via.is_empty());
    let roles: Vec<(&str, Option<&str>)> = a
        .signoffs
        .iter()
        .map(|s| {
            (
                s.signoff.role.value.as_str(),
                s.via.last().map(String::as_str),
            )
        })
        .collect();
    assert_eq!(
        roles,
        [
            ("product", None),
            ("compliance", Some("p-b")),
            ("security-lead", Some("p-c")),
        ]
    );
    assert_eq!(a.status, Status::Conditional, "{:?}", a.reasons);
    assert_eq!(b.status, Status::Approved, "{:?}", b.reasons);
    // Reuse: ev-a is used by p-c directly, by p-b through p-c, by p-a through p-b -> p-c.
    let uses: Vec<(&str, Vec<&str>)> = c
        .graph
        .packets()
        .used_in("ev-a")
        .iter()
        .map(|u| {
            (
                u.packet.as_str(),
                u.via.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        uses,
        [
            ("p-c", vec![]),
            ("p-b", vec!["p-c"]),
            ("p-a", vec!["p-b", "p-c"]),
        ]
    );
}

fn json(out: &common::Outcome) -> serde_json::Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

fn diags_with(v: &serde_json::Value, code: &str) -> Vec<serde_json::Value> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == code)
        .cloned()
        .collect()
}

#[test]
fn a_cycle_is_one_error_naming_it_at_the_entry_that_closes_it() {
    let site = Fixture::new();
    site.file("evidence/x.yaml", &packet("x", "extends: [y]\n"))
        .file("evidence/y.yaml", &packet("y", "extends: [z]\n"))
        .file(
            "evidence/z.yaml",
            &packet("z", "extends:\n  - x-other\n  - x\n"),
        )
        .file("evidence/x-other.yaml", &packet("x-other", ""));
    let out = site.run(&["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let v = json(&out);
    let cycles = diags_with(&v, "E0309");
    assert_eq!(cycles.len(), 1, "{cycles:#?}");
    let d = &cycles[0];
    assert_eq!(d["message"], "`extends` makes a cycle: x -> y -> z -> x");
    assert_eq!(d["file"], "evidence/z.yaml");
    // item() writes 6 header lines, then `audience`, `extends:`, `- x-other`, `- x`.
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(10), Some(5))
    );
    assert_eq!(d["path"], "extends[1]");
    assert!(d["help"].as_str().unwrap().contains("remove `x`"));
    // Nothing hangs or overflows resolving the cycle: every packet still resolves.
    let c = checked(&site);
    assert!(c.graph.packets().get("x").is_some());
}

#[test]
fn two_cycles_are_two_errors_and_extending_itself_is_e0308() {
    let site = Fixture::new();
    site.file("evidence/a.yaml", &packet("a", "extends: [b]\n"))
        .file("evidence/b.yaml", &packet("b", "extends: [a]\n"))
        .file("evidence/c.yaml", &packet("c", "extends: [d]\n"))
        .file("evidence/d.yaml", &packet("d", "extends: [c]\n"))
        .file("evidence/e.yaml", &packet("e", "extends: [e]\n"));
    let v = json(&site.run(&["check", "--format", "json"]));
    let messages: Vec<String> = diags_with(&v, "E0309")
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        messages,
        [
            "`extends` makes a cycle: a -> b -> a",
            "`extends` makes a cycle: c -> d -> c"
        ]
    );
    assert_eq!(diags_with(&v, "E0308").len(), 1);
}

#[test]
fn bad_references_in_a_packet_are_diagnostics() {
    let site = Fixture::new();
    site.file(
        "evidence/cat.yaml",
        &format!("{}controls:\n  - {{id: C1}}\n", item("catalog", "cat")),
    )
    .file(
        "evidence/p.yaml",
        &packet(
            "p",
            "extends: [no-such-packet]\ncontrols:\n  - {control: \"nocat:C1\", evidence: []}\n  - {control: \"cat:C9\", evidence: []}\n",
        ),
    );
    let v = json(&site.run(&["check", "--format", "json"]));
    let unknown = diags_with(&v, "E0305");
    assert_eq!(unknown.len(), 1, "{v:#}");
    assert_eq!(unknown[0]["message"], "unknown packet `no-such-packet`");
    assert_eq!(unknown[0]["path"], "extends[0]");
    let controls: Vec<String> = diags_with(&v, "E0306")
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        controls,
        ["unknown catalog `nocat`", "`cat` has no control `C9`"]
    );
}

fn status_site(required: &str) -> Fixture {
    let site = Fixture::new();
    site.file(
        "site.toml",
        &format!("title = \"S\"\n[packets]\nrequired_signoffs = {required}\n"),
    )
    .file(
        "evidence/cat.yaml",
        &format!("{}controls:\n  - {{id: C1}}\n", item("catalog", "cat")),
    )
    .file("evidence/ev.yaml", &item("threat-model", "ev"))
    // An open high finding is an error (fail_on_severity = high): evidence with errors.
    .file(
        "evidence/bad.yaml",
        &format!(
            "{}tool: trivy\ntarget: api\nscanned: 2027-01-01\nfindings:\n  - {{id: F1, severity: high, title: Bad, status: open}}\n",
            item("scan", "bad")
        ),
    );
    site
}

fn signoff(role: &str, decision: &str) -> String {
    format!(
        "  - {{role: {role}, by: X, on: 2026-12-01, decision: {decision}, conditions: [Watch it]}}\n"
    )
}

fn status_packet(site: &Fixture, id: &str, evidence: &str, signoffs: &[(&str, &str)]) {
    let mut body = format!(
        "evidence: [{evidence}]\ncontrols:\n  - {{control: \"cat:C1\", evidence: [{evidence}]}}\n"
    );
    if !signoffs.is_empty() {
        body.push_str("signoffs:\n");
        for (role, decision) in signoffs {
            body.push_str(&signoff(role, decision));
        }
    }
    site.file(&format!("evidence/{id}.yaml"), &packet(id, &body));
}

#[test]
fn statuses_are_derived_from_required_signoffs_evidence_and_controls() {
    let site = status_site("[\"security-lead\", \"compliance\"]");
    let both = [("security-lead", "approved"), ("compliance", "approved")];
    status_packet(&site, "s-approved", "ev", &both);
    status_packet(
        &site,
        "s-conditional",
        "ev",
        &[
            ("security-lead", "approved"),
            ("compliance", "approved-with-conditions"),
        ],
    );
    status_packet(
        &site,
        "s-rejected",
        "ev",
        &[("security-lead", "approved"), ("compliance", "rejected")],
    );
    status_packet(&site, "s-missing", "ev", &[("security-lead", "approved")]);
    status_packet(&site, "s-errors", "bad", &both);
    // A control restated without evidence leaves the packet incomplete.
    site.file(
        "evidence/s-noevidence.yaml",
        &packet(
            "s-noevidence",
            &format!(
                "controls:\n  - {{control: \"cat:C1\", evidence: []}}\nsignoffs:\n{}{}",
                signoff("security-lead", "approved"),
                signoff("compliance", "approved")
            ),
        ),
    );
    // A role that is not required does not decide: its rejection is not the packet's.
    status_packet(
        &site,
        "s-extra",
        "ev",
        &[
            ("security-lead", "approved"),
            ("compliance", "approved"),
            ("intern", "rejected"),
        ],
    );
    let c = checked(&site);
    let status = |id: &str| {
        let r = c.graph.packets().get(id).unwrap_or_else(|| panic!("{id}"));
        (r.status, r.reasons.clone())
    };
    assert_eq!(status("s-approved").0, Status::Approved);
    assert_eq!(status("s-extra").0, Status::Approved);
    let (s, reasons) = status("s-conditional");
    assert_eq!(s, Status::Conditional);
    assert_eq!(
        reasons,
        ["compliance approved with 1 condition by X on 2026-12-01"]
    );
    let (s, reasons) = status("s-rejected");
    assert_eq!(s, Status::Rejected);
    assert_eq!(reasons, ["compliance rejected it by X on 2026-12-01"]);
    assert_eq!(
        status("s-missing"),
        (
            Status::Incomplete,
            vec!["missing sign-off: compliance".to_owned()]
        )
    );
    assert_eq!(
        status("s-errors"),
        (
            Status::Incomplete,
            vec!["evidence `bad` has errors".to_owned()]
        )
    );
    assert_eq!(
        status("s-noevidence"),
        (
            Status::Incomplete,
            vec!["control `cat:C1` has no evidence".to_owned()]
        )
    );
}

#[test]
fn without_required_roles_every_signoff_decides_and_one_is_needed() {
    let site = status_site("[]");
    status_packet(&site, "none", "ev", &[]);
    status_packet(
        &site,
        "one-rejects",
        "ev",
        &[("a", "approved"), ("b", "rejected")],
    );
    status_packet(
        &site,
        "all-approve",
        "ev",
        &[("a", "approved"), ("b", "approved")],
    );
    let c = checked(&site);
    let status = |id: &str| {
        c.graph
            .packets()
            .get(id)
            .map(|r| (r.status, r.reasons.clone()))
    };
    assert_eq!(
        status("none"),
        Some((Status::Incomplete, vec!["no sign-offs yet".to_owned()]))
    );
    assert_eq!(status("one-rejects").map(|s| s.0), Some(Status::Rejected));
    assert_eq!(status("all-approve").map(|s| s.0), Some(Status::Approved));
}

// ---------------------------------------------------------------------------------------
// pages

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// An element's text with its text nodes (`a<br>b`) apart and spaces normalised.
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

/// Each row matching `s` as the text of its cells joined by spaces.
fn rows(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&sel(s))
        .map(|r| {
            r.select(&sel("th, td"))
                .map(text)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn page(site: &Fixture, rel: &str) -> Html {
    Html::parse_document(&site.read(&format!("public/{rel}")))
}

fn built() -> Fixture {
    let site = inheritance();
    let out = site.run(&["build", "--today", TODAY]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    site
}

#[test]
fn packet_page_marks_inherited_entries_and_overrides() {
    let site = built();
    let a = page(&site, "packets/p-a/index.html");
    assert_eq!(
        texts(&a, "#sec-status .badge"),
        ["conditional"],
        "the status badge"
    );
    assert_eq!(
        texts(&a, ".status-reasons li"),
        ["product approved with 1 condition by Sam on 2026-11-03"]
    );
    assert_eq!(
        texts(&a, "#sec-evidence ~ ul li"),
        [
            "ev-c Item ev-c",
            "ev-b Item ev-b from p-b",
            "ev-a Item ev-a from p-c"
        ]
    );
    let through = a
        .select(&sel("li.inherited .from-packet[title]"))
        .map(|e| e.value().attr("title").unwrap_or_default().to_owned())
        .collect::<Vec<_>>();
    assert_eq!(through, ["through p-b -> p-c"]);
    let origin = a
        .select(&sel("li.inherited .from-packet a"))
        .next()
        .expect("a link to the origin");
    assert_eq!(
        origin.value().attr("href"),
        Some("../../packets/p-b/index.html")
    );
    assert_eq!(
        texts(&a, "table.packet-controls tbody tr td:nth-child(3)"),
        ["this packet", "from p-b", "from p-c"]
    );
    assert_eq!(
        texts(&a, "table.signoffs tbody tr td:nth-child(6)"),
        ["this packet", "from p-b", "from p-c"]
    );
    let b = page(&site, "packets/p-b/index.html");
    let c2 = rows(&b, "table.packet-controls tbody tr")
        .into_iter()
        .find(|r| r.starts_with("cat:C2"))
        .expect("cat:C2 row");
    assert_eq!(c2, "cat:C2 Second ev-b this packet overrides p-c");
}

#[test]
fn item_pages_list_the_packets_they_are_used_in_through_extends() {
    let site = built();
    let ev = page(&site, "evidence/ev-a/index.html");
    assert_eq!(
        texts(&ev, "section.used-in li"),
        [
            "p-c approved directly",
            "p-b approved through p-c",
            "p-a conditional through p-b → p-c"
        ]
    );
    let cat = page(&site, "controls/cat/index.html");
    assert_eq!(texts(&cat, "section.used-in li").len(), 3, "catalogs too");
    let unused = page(&site, "evidence/ev-c/index.html");
    assert_eq!(
        texts(&unused, "section.used-in li"),
        ["p-a conditional directly"]
    );
}

#[test]
fn control_pages_show_evidence_directly_and_through_a_crosswalk() {
    let site = built();
    let c3 = page(&site, "controls/cat/c3/index.html");
    assert!(text(c3.root_element()).contains("The third control's text"));
    assert_eq!(
        texts(&c3, "ul.mappings li"),
        ["other:O1 is equivalent to this control equivalent-to"]
    );
    assert!(
        texts(&c3, "#sec-direct ~ p")
            .iter()
            .any(|t| t.starts_with("No packet"))
    );
    assert_eq!(
        rows(&c3, "#sec-cross ~ div table tbody tr"),
        ["p-a conditional other:O1 is equivalent to this control equivalent-to ev-c"]
    );
    let o1 = page(&site, "controls/other/o1/index.html");
    assert_eq!(
        texts(&o1, "ul.mappings li"),
        ["this control is equivalent to cat:C3 equivalent-to"]
    );
    assert_eq!(
        rows(&o1, "#sec-direct ~ div table tbody tr"),
        ["p-a conditional ev-c"]
    );
    // Inherited entries say where they come from.
    let c1 = page(&site, "controls/cat/c1/index.html");
    assert_eq!(
        rows(&c1, "#sec-direct ~ div table tbody tr"),
        [
            "p-a from p-c conditional ev-a",
            "p-b from p-c approved ev-a",
            "p-c approved ev-a"
        ]
    );
    // Packet pages link controls to their pages.
    let a = page(&site, "packets/p-a/index.html");
    let link = a
        .select(&sel("table.packet-controls a"))
        .next()
        .expect("a control link");
    assert_eq!(
        link.value().attr("href"),
        Some("../../controls/other/o1/index.html")
    );
}

#[test]
fn indexes_group_packets_by_audience_and_count_coverage() {
    let site = built();
    let controls = page(&site, "controls/index.html");
    assert_eq!(
        texts(&controls, "table.catalogs-coverage tbody td:nth-child(2)"),
        ["3 of 3", "1 of 2"],
        "cat: C1, C2 directly and C3 through the crosswalk; other: O1 only"
    );
    assert_eq!(
        texts(&controls, "table.catalogs-coverage tbody td:nth-child(4)"),
        ["2", "1"]
    );
    assert_eq!(
        texts(
            &controls,
            "table.catalogs-coverage tbody td:nth-child(5) li"
        ),
        ["O2"]
    );
    let packets = page(&site, "packets/index.html");
    assert_eq!(
        texts(&packets, "main h2"),
        ["For architects", "For auditors"]
    );
    let rows: Vec<Vec<String>> = packets
        .select(&sel("table.packets"))
        .map(|t| {
            t.select(&sel("tbody tr td:first-child code"))
                .map(text)
                .collect()
        })
        .collect();
    // By title: "Item p-b", "Item p-c", "Packet A".
    assert_eq!(rows, [vec!["p-a"], vec!["p-b", "p-c", "p-a"]]);
    assert!(text(packets.root_element()).contains("3 packets"));
}

#[test]
fn a_page_at_a_generated_packets_or_control_url_clashes() {
    let site = inheritance();
    site.file("content/packets.md", "# Mine\n")
        .file("content/controls/cat/c1.md", "# Mine too\n");
    let v = json(&site.run(&["check", "--format", "json"]));
    let clashes: Vec<String> = diags_with(&v, "E0303")
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(clashes.len(), 2, "{clashes:#?}");
    assert!(clashes.iter().any(|m| m.contains("the index of packets")));
    assert!(clashes.iter().any(|m| m.contains("/controls/cat/c1/")));
}
