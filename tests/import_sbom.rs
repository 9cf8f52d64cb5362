//! SBOMs: CycloneDX JSON (1.4 to 1.7, VEX included) and SPDX 2.3 JSON become `sbom`
//! items. Small fixtures in each version's shape pin the quirks (tools as an array or an
//! object, nested components, licence id/name/expression, every VEX state, refs to
//! unknown components, SPDX purls and NOASSERTION), and a conformance test imports every
//! file of ../shared/corpus/cyclonedx and ../shared/corpus/spdx and compares what `show`
//! lists with what the file holds, counted here from its JSON.

mod common;

use common::Fixture;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A site holding `files` (relative path, text) and a home page.
fn site(files: &[(&str, &str)]) -> Fixture {
    let f = Fixture::new();
    f.file("content/index.md", "# Home\n");
    for (rel, text) in files {
        f.file(rel, text);
    }
    f
}

/// `evidentia show ID --format json`, parsed.
fn show(site: &Fixture, id: &str) -> Value {
    let out = site.run(&["show", id, "--format", "json"]);
    assert_eq!(out.code, 0, "show {id}: {}", out.stderr);
    serde_json::from_str(&out.stdout).expect("show prints JSON")
}

/// `evidentia check --format json`: the diagnostics.
fn diagnostics(site: &Fixture) -> Vec<Value> {
    let out = site.run(&["check", "--format", "json"]);
    let v: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", out.stdout, out.stderr));
    v["diagnostics"].as_array().cloned().unwrap_or_default()
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("?").to_owned())
        .collect()
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The finding with `id` in a show output.
fn finding<'v>(item: &'v Value, id: &str) -> &'v Value {
    item["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["id"] == id))
        .unwrap_or_else(|| panic!("no finding {id} in {item:#}"))
}

const CDX_14: &str = r#"{
  "bomFormat": "CycloneDX", "specVersion": "1.4", "version": 1,
  "metadata": {
    "timestamp": "2023-04-05T10:00:00Z",
    "tools": [{"vendor": "cyclonedx", "name": "cyclonedx-php-composer", "version": "3.10.1"}],
    "component": {"bom-ref": "app", "type": "application", "name": "shop", "version": "1.0.0"}
  },
  "components": [
    {"bom-ref": "pkg:composer/laravel/framework@7.12.0", "type": "framework", "group": "laravel",
     "name": "framework", "version": "7.12.0", "purl": "pkg:composer/laravel/framework@7.12.0",
     "licenses": [{"license": {"id": "MIT"}}],
     "supplier": {"name": "Laravel LLC"},
     "components": [
       {"bom-ref": "laravel-support", "type": "library", "name": "support", "version": "7.12.0",
        "licenses": [{"license": {"name": "Laravel Custom Licence"}}],
        "components": [{"type": "file", "name": "helpers.php"}]}
     ]},
    {"type": "library", "name": "left-pad", "version": "1.3.0",
     "licenses": [{"expression": "MIT OR Apache-2.0"}]},
    {"type": "library", "name": "left-pad", "version": "1.3.0"}
  ]
}"#;

#[test]
fn cyclonedx_1_4_tools_array_nested_components_and_licences() {
    let s = site(&[("evidence/sbom/shop.cdx.json", CDX_14)]);
    assert!(diagnostics(&s).is_empty(), "{:#?}", diagnostics(&s));
    let v = show(&s, "sbom-shop");
    assert_eq!(v["kind"], "sbom");
    assert_eq!(v["format"], "CycloneDX");
    assert_eq!(v["spec_version"], "1.4");
    assert_eq!(v["tool"], "cyclonedx-php-composer 3.10.1");
    assert_eq!(v["subject"], "shop@1.0.0");
    assert_eq!(v["updated"], "2023-04-05");
    let comps = v["components"].as_array().unwrap();
    let names: Vec<&str> = comps.iter().map(|c| c["name"].as_str().unwrap()).collect();
    // Nested components follow their parent, depth first; a group prefixes the name.
    assert_eq!(
        names,
        [
            "laravel/framework",
            "support",
            "helpers.php",
            "left-pad",
            "left-pad"
        ]
    );
    assert_eq!(comps[0]["id"], "pkg:composer/laravel/framework@7.12.0");
    assert_eq!(comps[0]["purl"], "pkg:composer/laravel/framework@7.12.0");
    assert_eq!(comps[0]["type"], "framework");
    assert_eq!(comps[0]["supplier"], "Laravel LLC");
    assert_eq!(strs(&comps[0]["licences"]), ["MIT"]);
    assert_eq!(strs(&comps[1]["licences"]), ["Laravel Custom Licence"]);
    assert!(strs(&comps[2]["licences"]).is_empty());
    assert_eq!(strs(&comps[3]["licences"]), ["MIT OR Apache-2.0"]);
    // Without a bom-ref the id is name@version (or the name), made unique.
    assert_eq!(comps[2]["id"], "helpers.php");
    assert_eq!(comps[3]["id"], "left-pad@1.3.0");
    assert_eq!(comps[4]["id"], "left-pad@1.3.0-2");
    assert_eq!(v["findings"], json!([]));
}

const CDX_15: &str = r#"{
  "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
  "metadata": {
    "tools": {"components": [{"type": "application", "group": "aquasecurity", "name": "trivy", "version": "0.50.0"}],
              "services": [{"name": "osv-api"}]},
    "component": {"bom-ref": "img", "type": "container", "name": "alpine:3.19"}
  },
  "components": [
    {"bom-ref": "pkg:apk/alpine/openssl@3.1.4", "type": "library", "name": "openssl", "version": "3.1.4",
     "purl": "pkg:apk/alpine/openssl@3.1.4", "licenses": [{"license": {"id": "Apache-2.0"}}]},
    {"bom-ref": "pkg:apk/alpine/zlib@1.3", "type": "library", "name": "zlib", "version": "1.3"}
  ],
  "vulnerabilities": [
    {"id": "CVE-2024-0727", "source": {"name": "nvd", "url": "https://nvd.nist.gov/vuln/detail/CVE-2024-0727"},
     "ratings": [{"source": {"name": "alpine"}, "severity": "medium"},
                 {"source": {"name": "nvd"}, "score": 5.5, "severity": "medium", "method": "CVSSv31"},
                 {"source": {"name": "ghsa"}, "score": 7.4, "method": "CVSSv3"}],
     "description": "Processing a maliciously formatted PKCS12 file may lead OpenSSL to crash.\nMore.",
     "recommendation": "Upgrade openssl to version 3.1.4-r5",
     "advisories": [{"url": "https://www.openssl.org/news/secadv/20240125.txt"}],
     "references": [{"id": "GHSA-9v9h-cgj8-h64p", "source": {"url": "https://github.com/advisories/GHSA-9v9h-cgj8-h64p"}}],
     "affects": [{"ref": "pkg:apk/alpine/openssl@3.1.4",
                  "versions": [{"version": "3.1.4", "status": "affected"}, {"version": "3.1.4-r5", "status": "unaffected"}]},
                 {"ref": "pkg:apk/alpine/zlib@1.3"}]},
    {"id": "CVE-2023-1", "ratings": [{"severity": "unknown"}, {"score": 9.1}],
     "affects": [{"ref": "urn:cdx:not-in-this-bom/1#pkg:npm/x@1"}]},
    {"id": "CVE-2023-1", "ratings": [], "affects": []}
  ]
}"#;

#[test]
fn cyclonedx_1_5_tools_object_ratings_affects_and_fix_information() {
    let s = site(&[("evidence/sbom/image.json", CDX_15)]);
    let v = show(&s, "sbom-image");
    assert_eq!(v["tool"], "trivy 0.50.0, osv-api");
    assert_eq!(v["subject"], "alpine:3.19");
    let f = finding(&v, "CVE-2024-0727");
    // The highest of the ratings: 7.4 by score alone is high, above the medium words.
    assert_eq!(f["severity"], "high");
    assert_eq!(f["score"], 7.4);
    assert_eq!(f["method"], "CVSSv3");
    assert_eq!(f["rule"], "CVE-2024-0727");
    assert_eq!(
        f["title"],
        "Processing a maliciously formatted PKCS12 file may lead OpenSSL to crash."
    );
    assert_eq!(f["location"], "openssl@3.1.4, zlib@1.3");
    assert_eq!(
        strs(&f["affects"]),
        ["pkg:apk/alpine/openssl@3.1.4", "pkg:apk/alpine/zlib@1.3"]
    );
    assert_eq!(f["fixed_version"], "3.1.4-r5");
    assert_eq!(f["recommendation"], "Upgrade openssl to version 3.1.4-r5");
    assert_eq!(
        strs(&f["references"]),
        [
            "https://www.openssl.org/news/secadv/20240125.txt",
            "GHSA-9v9h-cgj8-h64p",
            "https://github.com/advisories/GHSA-9v9h-cgj8-h64p",
            "https://nvd.nist.gov/vuln/detail/CVE-2024-0727"
        ]
    );
    assert_eq!(f["status"], Value::Null);
    // A ref to no component of the bill is kept as written, not a panic.
    let u = finding(&v, "CVE-2023-1");
    assert_eq!(u["severity"], "critical");
    assert_eq!(u["location"], "urn:cdx:not-in-this-bom/1#pkg:npm/x@1");
    assert_eq!(
        strs(&u["affects"]),
        ["urn:cdx:not-in-this-bom/1#pkg:npm/x@1"]
    );
    // Repeated ids get suffixes; no ratings leaves the severity unset.
    let r = finding(&v, "CVE-2023-1-2");
    assert_eq!(r["severity"], Value::Null);
    assert_eq!(r["location"], Value::Null);
    assert_eq!(r["title"], Value::Null);
    // The open high and critical ones fail the policy like a scan's findings.
    let d = diagnostics(&s);
    let mut e0405: Vec<&str> = d
        .iter()
        .filter(|d| d["code"] == "E0405")
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    e0405.sort_unstable();
    assert_eq!(
        e0405,
        ["vulnerabilities[0].ratings", "vulnerabilities[1].ratings"]
    );
}

/// A VEX with one vulnerability per analysis state, all rated critical.
fn vex(spec: &str) -> String {
    let states = [
        (
            "CVE-1",
            r#"{"state": "not_affected", "justification": "code_not_reachable", "response": ["will_not_fix"], "detail": "The parser is never called."}"#,
        ),
        ("CVE-2", r#"{"state": "false_positive"}"#),
        (
            "CVE-3",
            r#"{"state": "resolved", "detail": "Fixed in 2.4.0"}"#,
        ),
        ("CVE-4", r#"{"state": "resolved_with_pedigree"}"#),
        (
            "CVE-5",
            r#"{"state": "exploitable", "response": ["update"], "detail": "Update to 2.4.0"}"#,
        ),
        ("CVE-6", r#"{"state": "in_triage"}"#),
        ("CVE-7", "null"),
    ];
    let vulns: Vec<String> = states
        .iter()
        .map(|(id, analysis)| {
            format!(
                r#"{{"id": "{id}", "ratings": [{{"severity": "critical"}}], "analysis": {analysis}, "affects": [{{"ref": "acme"}}]}}"#
            )
        })
        .collect();
    format!(
        r#"{{"bomFormat": "CycloneDX", "specVersion": "{spec}", "version": 1,
  "metadata": {{"component": {{"bom-ref": "acme", "type": "application", "name": "Acme", "version": "2.2.0"}}}},
  "vulnerabilities": [{}]}}"#,
        vulns.join(",\n")
    )
}

#[test]
fn vex_states_map_onto_finding_status() {
    for spec in ["1.4", "1.5", "1.6", "1.7"] {
        let s = site(&[("evidence/vex.json", &vex(spec))]);
        let v = show(&s, "vex");
        assert_eq!(v["spec_version"], spec);
        let status: BTreeMap<&str, Value> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["id"].as_str().unwrap(), f["status"].clone()))
            .collect();
        let want: BTreeMap<&str, Value> = [
            ("CVE-1", json!("not-affected")),
            ("CVE-2", json!("not-affected")),
            ("CVE-3", json!("fixed")),
            ("CVE-4", json!("fixed")),
            ("CVE-5", Value::Null),
            ("CVE-6", Value::Null),
            ("CVE-7", Value::Null),
        ]
        .into_iter()
        .collect();
        assert_eq!(status, want, "spec {spec}");
        let f1 = finding(&v, "CVE-1");
        assert_eq!(f1["vex_state"], "not_affected");
        assert_eq!(
            f1["justification"],
            "code not reachable: The parser is never called."
        );
        assert_eq!(strs(&f1["response"]), ["will_not_fix"]);
        // The subject is a valid target of affects.
        assert_eq!(f1["location"], "Acme@2.2.0");
        assert_eq!(finding(&v, "CVE-2")["justification"], "false positive");
        assert_eq!(finding(&v, "CVE-5")["vex_state"], "exploitable");
        assert_eq!(finding(&v, "CVE-7")["vex_state"], Value::Null);
        // Only the open ones (exploitable, in triage, no analysis) fail the policy.
        let d = diagnostics(&s);
        let mut open: Vec<String> = d
            .iter()
            .filter(|d| d["code"] == "E0405")
            .map(|d| {
                d["message"]
                    .as_str()
                    .unwrap()
                    .split(' ')
                    .nth(1)
                    .unwrap()
                    .to_owned()
            })
            .collect();
        open.sort();
        assert_eq!(open, ["CVE-5", "CVE-6", "CVE-7"], "spec {spec}");
    }
}

#[test]
fn exceptions_cover_sbom_findings_by_id_and_rule_and_sub_items_resolve() {
    let exception = |covers: &str| {
        format!(
            "kind: exception\nid: exc\ntitle: E\nreason: accepted\nexpires: 2099-12-31\ncovers: [{covers}]\n"
        )
    };
    let with = |covers: &str| {
        site(&[
            ("evidence/vex.json", &vex("1.6")),
            ("evidence/exc.yaml", &exception(covers)),
        ])
    };
    let d = diagnostics(&with("vex#CVE-5, vex#CVE-6, vex#CVE-7"));
    assert!(codes(&d).is_empty(), "{d:#?}");
    // A rule covers every finding of it; here each rule has one.
    let d = diagnostics(&with("vex#CVE-5, vex#CVE-6"));
    assert_eq!(codes(&d), ["E0405"]);
    let d = diagnostics(&with("vex#CVE-5, vex#CVE-6, vex#CVE-8"));
    assert!(codes(&d).contains(&"E0305".to_owned()), "{d:#?}");
    // Components are sub-items too: `SBOM#COMPONENT` in any evidence reference.
    let s = site(&[
        ("evidence/sbom/shop.cdx.json", CDX_14),
        (
            "evidence/tm.yaml",
            "kind: threat-model\nid: tm\ntitle: T\nsystem: S\nthreats:\n  - id: T1\n    title: Supply chain\n    status: mitigated\n    mitigations:\n      - text: pin it\n        evidence: [sbom-shop#laravel-support, sbom-shop#left-pad@1.3.0-2]\n",
        ),
    ]);
    assert!(codes(&diagnostics(&s)).is_empty(), "{:#?}", diagnostics(&s));
    let s = site(&[
        ("evidence/sbom/shop.cdx.json", CDX_14),
        (
            "evidence/tm.yaml",
            "kind: threat-model\nid: tm\ntitle: T\nsystem: S\nthreats:\n  - id: T1\n    title: x\n    status: mitigated\n    mitigations:\n      - text: pin it\n        evidence: [sbom-shop#nope]\n",
        ),
    ]);
    assert_eq!(codes(&diagnostics(&s)), ["E0305"]);
}

const SPDX: &str = r#"{
  "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
  "name": "conda-env", "documentNamespace": "http://example.com/x",
  "creationInfo": {"created": "2024-02-03T04:05:06Z", "creators": ["Organization: aquasecurity", "Tool: trivy-0.49.0"]},
  "packages": [
    {"SPDXID": "SPDXRef-Package-1", "name": "openssl", "versionInfo": "1.1.1q",
     "licenseConcluded": "NOASSERTION", "licenseDeclared": "OpenSSL", "supplier": "Organization: Conda Forge",
     "primaryPackagePurpose": "LIBRARY",
     "externalRefs": [{"referenceCategory": "SECURITY", "referenceType": "cpe23Type", "referenceLocator": "cpe:2.3:a:openssl:openssl:1.1.1q:*:*:*:*:*:*:*"},
                      {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:conda/openssl@1.1.1q"}]},
    {"SPDXID": "SPDXRef-Package-2", "name": "pip", "versionInfo": "22.2.2",
     "licenseConcluded": "MIT", "licenseDeclared": "NOASSERTION", "supplier": "NOASSERTION"},
    {"SPDXID": "SPDXRef-Package-3", "name": "mystery",
     "licenseConcluded": "NOASSERTION", "licenseDeclared": "NONE", "primaryPackagePurpose": "OPERATING_SYSTEM"},
    {"SPDXID": "SPDXRef-Root", "name": "env", "versionInfo": "1"}
  ],
  "relationships": [
    {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-Root"},
    {"spdxElementId": "SPDXRef-Root", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-Package-1"}
  ]
}"#;

#[test]
fn spdx_packages_purls_and_noassertion_licences() {
    let s = site(&[("evidence/env.spdx.json", SPDX)]);
    assert!(diagnostics(&s).is_empty(), "{:#?}", diagnostics(&s));
    let v = show(&s, "env");
    assert_eq!(v["format"], "SPDX");
    assert_eq!(v["spec_version"], "2.3");
    assert_eq!(v["tool"], "trivy-0.49.0");
    assert_eq!(v["subject"], "env@1");
    assert_eq!(v["updated"], "2024-02-03");
    let c = v["components"].as_array().unwrap();
    assert_eq!(c.len(), 4);
    assert_eq!(c[0]["id"], "SPDXRef-Package-1");
    assert_eq!(c[0]["purl"], "pkg:conda/openssl@1.1.1q");
    // NOASSERTION concluded: the declared licence stands.
    assert_eq!(strs(&c[0]["licences"]), ["OpenSSL"]);
    assert_eq!(c[0]["supplier"], "Conda Forge");
    assert_eq!(c[0]["type"], "library");
    assert_eq!(strs(&c[1]["licences"]), ["MIT"]);
    assert_eq!(c[1]["purl"], Value::Null);
    assert_eq!(c[1]["supplier"], Value::Null);
    // NOASSERTION and NONE name no licence.
    assert!(strs(&c[2]["licences"]).is_empty());
    assert_eq!(c[2]["version"], Value::Null);
    assert_eq!(c[2]["type"], "operating-system");
    assert_eq!(v["findings"], json!([]));
}

#[test]
fn a_broken_bill_gets_e0210_at_its_json_path() {
    let broken = CDX_14.replace(
        r#""name": "left-pad", "version": "1.3.0","#,
        r#""name": 7,"#,
    );
    let spdx = SPDX.replace(r#""name": "pip","#, r#""name": ["pip"],"#);
    let cases = [
        (broken.as_str(), "components[1].name"),
        (
            r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": {"name": "x"}}"#,
            "components",
        ),
        (
            r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "vulnerabilities": [{"id": "X", "affects": [{"ref": 3}]}]}"#,
            "vulnerabilities[0].affects[0].ref",
        ),
        (
            r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "vulnerabilities": [{"id": "X", "ratings": [{"score": "high"}]}]}"#,
            "vulnerabilities[0].ratings[0].score",
        ),
        (spdx.as_str(), "packages[1].name"),
    ];
    for (text, path) in cases {
        let s = site(&[("evidence/bad.json", text)]);
        let d = diagnostics(&s);
        assert_eq!(codes(&d), ["E0210"], "{path}: {d:#?}");
        assert_eq!(d[0]["path"], path);
        assert_eq!(d[0]["file"], "evidence/bad.json");
        assert!(d[0]["line"].as_u64().unwrap() >= 1);
        assert!(
            d[0]["help"].as_str().unwrap().contains("regenerate"),
            "{d:#?}"
        );
    }
}

const NATIVE: &str = "kind: sbom
id: sbom-native
title: Hand-written bill
tool: by hand
format: CycloneDX
spec_version: '1.6'
subject: shop@1.0.0
components:
  - id: left-pad
    name: left-pad
    version: 1.3.0
    purl: pkg:npm/left-pad@1.3.0
    licences: [MIT]
    type: library
  - name: right-pad
findings:
  - id: CVE-2024-9
    severity: low
    location: left-pad@1.3.0
    affects: [left-pad]
    vex_state: in_triage
    score: 3.1
    method: CVSSv31
";

#[test]
fn a_native_sbom_decodes_and_has_a_schema() {
    let s = site(&[("evidence/native.yaml", NATIVE)]);
    assert!(diagnostics(&s).is_empty(), "{:#?}", diagnostics(&s));
    let v = show(&s, "sbom-native");
    assert_eq!(v["components"][1]["id"], "right-pad");
    assert_eq!(v["findings"][0]["score"], 3.1);
    assert_eq!(strs(&v["findings"][0]["affects"]), ["left-pad"]);
    let bad = NATIVE.replace("    type: library\n", "    typ: library\n");
    let d = diagnostics(&site(&[("evidence/native.yaml", &bad)]));
    assert_eq!(codes(&d), ["E0207"], "{d:#?}");
    assert_eq!(d[0]["path"], "components[0].typ");
    let out = common::evidentia(&["schema", "sbom"]);
    assert_eq!(out.code, 0);
    let schema: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(schema["properties"]["kind"]["const"], "sbom");
    let validator = jsonschema::validator_for(&schema).unwrap();
    let doc = evidentia::load::yaml::parse(NATIVE, "x", 0).unwrap();
    let instance = serde_json::to_value(&doc).unwrap();
    assert!(validator.is_valid(&instance), "{instance:#}");
    let doc = evidentia::load::yaml::parse(&bad, "x", 0).unwrap();
    assert!(!validator.is_valid(&serde_json::to_value(&doc).unwrap()));
}

#[test]
fn the_sbom_page_shows_components_licences_and_vex_status() {
    let s = site(&[
        ("evidence/vex.json", &vex("1.5")),
        ("evidence/sbom/shop.cdx.json", CDX_14),
        (
            "evidence/exc.yaml",
            "kind: exception\nid: exc\ntitle: E\nreason: accepted\nexpires: 2099-12-31\ncovers: [vex#CVE-5, vex#CVE-6, vex#CVE-7]\n",
        ),
    ]);
    let out = s.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let shop = s.read("public/evidence/sbom-shop/index.html");
    for want in [
        "<h2 id=\"sec-licences\">Licences</h2>",
        "laravel/framework",
        "pkg:composer/laravel/framework@7.12.0",
        "<code>MIT OR Apache-2.0</code>",
        "<code>Laravel Custom Licence</code>",
        "2 components name no licence",
        "id=\"laravel-support\"",
    ] {
        assert!(shop.contains(want), "no {want:?} in the shop page");
    }
    let page = s.read("public/evidence/vex/index.html");
    for want in [
        "<span class=\"badge badge-not-affected\">not-affected</span><br><span class=\"muted\">VEX not affected</span>",
        "<span class=\"badge badge-fixed\">fixed</span><br><span class=\"muted\">VEX resolved with pedigree</span>",
        "<span class=\"badge badge-open\">open</span><br><span class=\"muted\">VEX in triage</span>",
        "code not reachable: The parser is never called.",
        "<strong>Response:</strong> will not fix",
        "<code>Acme@2.2.0</code>",
    ] {
        assert!(page.contains(want), "no {want:?} in the VEX page");
    }
    assert!(page.contains(">exc</a>"), "the exception is linked");
}

#[test]
fn a_large_bill_lists_its_first_500_components() {
    let comps: Vec<String> = (0..510)
        .map(|i| {
            format!(
                r#"{{"bom-ref": "c{i}", "type": "library", "name": "lib{i}", "version": "1.{i}"}}"#
            )
        })
        .collect();
    let bom = format!(
        r#"{{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{}]}}"#,
        comps.join(",")
    );
    let s = site(&[("evidence/big.json", &bom)]);
    assert_eq!(show(&s, "big")["components"].as_array().unwrap().len(), 510);
    assert_eq!(s.run(&["build"]).code, 0);
    let page = s.read("public/evidence/big/index.html");
    assert!(page.contains("id=\"c499\""));
    assert!(!page.contains("id=\"c500\""));
    assert!(page.contains("The first 500 of 510 components; 10 more"));
}

/// Components of a CycloneDX bill, nested ones included.
fn count_components(list: &Value) -> usize {
    list.as_array().map_or(0, |cs| {
        cs.iter()
            .map(|c| 1 + count_components(&c["components"]))
            .sum()
    })
}

#[test]
fn every_corpus_sbom_imports_with_what_the_file_holds() {
    let dirs: Vec<(&str, PathBuf)> = ["cyclonedx", "spdx"]
        .into_iter()
        .filter_map(|dir| Some((dir, common::corpus(dir)?)))
        .collect();
    if dirs.len() < 2 {
        return;
    }
    let mut seen = 0;
    for (dir, path) in dirs {
        for file in common::corpus_files(&path, &["json"]) {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&file).unwrap();
            let doc: Value = serde_json::from_str(&text).unwrap();
            let s = site(&[(&format!("evidence/sbom/{name}"), &text)]);
            let d = diagnostics(&s);
            // Import and schema problems would be E01xx/E02xx; policy (E0405) may fire.
            let bad: Vec<&Value> = d.iter().filter(|d| d["code"] != "E0405").collect();
            assert!(bad.is_empty(), "{name}: {bad:#?}");
            let id = common::report_id("sbom", &name);
            let v = show(&s, &id);
            assert_eq!(v["kind"], "sbom", "{name}");
            let comps = v["components"].as_array().unwrap();
            let findings = v["findings"].as_array().unwrap();
            if dir == "cyclonedx" {
                assert_eq!(v["format"], "CycloneDX");
                assert_eq!(v["spec_version"], doc["specVersion"], "{name}");
                assert_eq!(comps.len(), count_components(&doc["components"]), "{name}");
                let vulns = doc["vulnerabilities"]
                    .as_array()
                    .map_or(&[][..], Vec::as_slice);
                assert_eq!(findings.len(), vulns.len(), "{name}");
                // Every id as the file writes it, and every VEX state onto its status.
                for (f, want) in findings.iter().zip(vulns) {
                    assert_eq!(f["rule"], want["id"], "{name}");
                    let state = want["analysis"]["state"].as_str();
                    let status = match state {
                        Some("not_affected" | "false_positive") => json!("not-affected"),
                        Some("resolved" | "resolved_with_pedigree") => json!("fixed"),
                        _ => Value::Null,
                    };
                    assert_eq!(f["status"], status, "{name} {}", f["id"]);
                    let affects = want["affects"].as_array().map_or(0, Vec::len);
                    assert_eq!(f["affects"].as_array().unwrap().len(), affects, "{name}");
                    assert!(f["location"].is_string() == (affects > 0), "{name}");
                    let rated = want["ratings"].as_array().is_some_and(|r| !r.is_empty());
                    assert_eq!(f["severity"].is_string(), rated, "{name}");
                }
                // Licences: every id, name or expression the file gives.
                let mut file_licences = 0;
                fn walk(list: &Value, n: &mut usize) {
                    for c in list.as_array().into_iter().flatten() {
                        for l in c["licenses"].as_array().into_iter().flatten() {
                            let has = l["license"]["id"].is_string()
                                || l["license"]["name"].is_string()
                                || l["expression"].is_string();
                            *n += usize::from(has);
                        }
                        walk(&c["components"], n);
                    }
                }
                walk(&doc["components"], &mut file_licences);
                let shown: usize = comps
                    .iter()
                    .map(|c| c["licences"].as_array().unwrap().len())
                    .sum();
                assert_eq!(shown, file_licences, "{name}");
                let purls = comps.iter().filter(|c| c["purl"].is_string()).count();
                let mut file_purls = 0;
                fn purls_in(list: &Value, n: &mut usize) {
                    for c in list.as_array().into_iter().flatten() {
                        *n += usize::from(c["purl"].is_string());
                        purls_in(&c["components"], n);
                    }
                }
                purls_in(&doc["components"], &mut file_purls);
                assert_eq!(purls, file_purls, "{name}");
            } else {
                assert_eq!(v["format"], "SPDX");
                let packages = doc["packages"].as_array().unwrap();
                assert_eq!(comps.len(), packages.len(), "{name}");
                assert!(findings.is_empty());
                for (c, p) in comps.iter().zip(packages) {
                    assert_eq!(c["id"], p["SPDXID"], "{name}");
                    assert_eq!(c["name"], p["name"], "{name}");
                    let purl = p["externalRefs"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .find(|r| r["referenceType"] == "purl")
                        .map(|r| r["referenceLocator"].clone())
                        .unwrap_or(Value::Null);
                    assert_eq!(c["purl"], purl, "{name}");
                    let real = |k: &str| {
                        p[k].as_str()
                            .filter(|l| !matches!(*l, "NOASSERTION" | "NONE"))
                            .map(str::to_owned)
                    };
                    let want: Vec<String> = real("licenseConcluded")
                        .or_else(|| real("licenseDeclared"))
                        .into_iter()
                        .collect();
                    assert_eq!(strs(&c["licences"]), want, "{name}");
                }
            }
            seen += 1;
        }
    }
    assert!(
        seen >= 7,
        "5 CycloneDX and 2 SPDX files at least, saw {seen}"
    );
}
