//! Integrity (issue 6, items 4-5): manifest.json's inputs, outputs and git commit;
//! `verify` on intact and tampered folders; keygen, `build --sign` and `verify --key`;
//! packet digests; and `bundle`, whose every link must resolve inside the bundle.

mod common;

use common::{Fixture, evidentia, item, tree};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::Path;

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn manifest(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

fn entry<'a>(list: &'a Value, path: &str) -> Option<&'a Value> {
    list.as_array().unwrap().iter().find(|e| e["path"] == path)
}

/// A site with a packet that extends another, evidence with an attachment, a catalog,
/// and an item no packet cites.
fn packet_site() -> Fixture {
    let site = Fixture::new();
    site.file("content/index.md", "# Home\n\nSee [[p-child]].\n")
        .file(
            "evidence/catalog.yaml",
            &format!(
                "{}controls:\n  - id: C-1\n    title: One\n  - id: C-2\n    title: Two\n",
                item("catalog", "cat")
            ),
        )
        .file(
            "evidence/tm.yaml",
            &format!(
                "{}attachments: [diagram.svg]\nthreats:\n  - id: T1\n    title: Spoofing\n    category: spoofing\n    status: open\n",
                item("threat-model", "tm")
            ),
        )
        .file("evidence/diagram.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n")
        .file("evidence/scan.yaml", &item("scan", "scan-a"))
        .file("evidence/other.yaml", &item("scan", "unrelated"))
        .file(
            "evidence/parent.yaml",
            &format!("{}evidence: [scan-a]\n", item("packet", "p-parent")),
        )
        .file(
            "evidence/child.yaml",
            &format!(
                "{}summary: \"Read [[unrelated]] and <https://example.org/x>.\"\nextends: [p-parent]\nevidence: [tm]\ncontrols:\n  - control: cat:C-1\n    evidence: [tm#T1]\n",
                item("packet", "p-child")
            ),
        );
    site
}

#[test]
fn manifest_records_inputs_outputs_and_version() {
    let site = packet_site();
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let public = site.path("public");
    let m = manifest(&public);
    assert_eq!(m["format"], 1);
    assert_eq!(m["generator"], "evidentia");
    assert_eq!(m["version"], env!("CARGO_PKG_VERSION"));
    assert!(m.get("git_commit").is_none(), "no git checkout, no commit");

    let inputs = &m["inputs"];
    for rel in [
        "site.toml",
        "evidence/tm.yaml",
        "evidence/diagram.svg",
        "content/index.md",
    ] {
        let bytes = std::fs::read(site.path(rel)).unwrap();
        let e = entry(inputs, rel).unwrap_or_else(|| panic!("{rel} is not an input"));
        assert_eq!(e["sha256"], sha(&bytes), "{rel}");
        assert_eq!(e["bytes"], bytes.len() as u64, "{rel}");
    }
    let paths: Vec<&str> = inputs
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted);

    // Every file written is an output with its digest, and nothing else is.
    let outputs = &m["outputs"];
    let written = tree(&public);
    assert_eq!(outputs.as_array().unwrap().len(), written.len() - 1);
    for (rel, bytes) in &written {
        if rel == "manifest.json" {
            assert!(entry(outputs, rel).is_none());
            continue;
        }
        let e = entry(outputs, rel).unwrap_or_else(|| panic!("{rel} is not an output"));
        assert_eq!(e["sha256"], sha(bytes), "{rel}");
    }
}

#[test]
fn a_sites_own_theme_files_are_inputs() {
    let site = Fixture::new();
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for (rel, bytes) in tree(&theme) {
        site.bytes(&format!("themes/default/{rel}"), &bytes);
    }
    assert_eq!(site.run(&["build"]).code, 0);
    let m = manifest(&site.path("public"));
    let css = std::fs::read(site.path("themes/default/static/style.css")).unwrap();
    let e = entry(&m["inputs"], "themes/default/static/style.css").expect("theme input");
    assert_eq!(e["sha256"], sha(&css));
}

#[test]
fn git_commit_is_recorded_in_a_checkout() {
    let site = Fixture::new();
    let id = "3f786850e387550fdab836ed7e6dc881de23001b";
    site.file(".git/HEAD", "ref: refs/heads/main\n")
        .file(".git/refs/heads/main", &format!("{id}\n"));
    assert_eq!(site.run(&["build"]).code, 0);
    assert_eq!(manifest(&site.path("public"))["git_commit"], id);
}

#[test]
fn git_commit_matches_git_itself() {
    let site = Fixture::new();
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
            .args(args)
            .current_dir(site.root())
            .output()
    };
    let Ok(init) = git(&["init", "-q"]) else {
        common::unavailable("the git program");
        return;
    };
    assert!(init.status.success());
    assert!(git(&["add", "site.toml"]).unwrap().status.success());
    assert!(
        git(&["commit", "-q", "-m", "one"])
            .unwrap()
            .status
            .success()
    );
    let head = git(&["rev-parse", "HEAD"]).unwrap();
    let head = String::from_utf8(head.stdout).unwrap();
    assert!(git(&["pack-refs", "--all"]).unwrap().status.success());
    assert_eq!(site.run(&["build"]).code, 0);
    assert_eq!(manifest(&site.path("public"))["git_commit"], head.trim());
}

fn verify(dir: &Path, extra: &[&str]) -> common::Outcome {
    let mut args = vec!["verify", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    evidentia(&args)
}

#[test]
fn verify_names_every_changed_missing_and_added_file() {
    let site = packet_site();
    let public = site.path("public");
    let rebuild = || assert_eq!(site.run(&["build"]).code, 0);
    rebuild();
    let out = verify(&public, &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.starts_with("intact: "), "{}", out.stdout);

    let page = public.join("evidence/tm/index.html");
    let original = std::fs::read(&page).unwrap();
    let mut edited = original.clone();
    edited[10] ^= 1;
    std::fs::write(&page, &edited).unwrap();
    let out = verify(&public, &[]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "changed: evidence/tm/index.html\n");
    assert!(out.stderr.contains("E0604"), "{}", out.stderr);

    std::fs::write(&page, &original[..original.len() / 2]).unwrap();
    let out = verify(&public, &[]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stdout,
        format!(
            "changed: evidence/tm/index.html ({} bytes, the manifest says {})\n",
            original.len() / 2,
            original.len()
        )
    );

    rebuild();
    std::fs::write(public.join("evidence/extra.html"), "<p>planted</p>").unwrap();
    let out = verify(&public, &[]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (1, "added: evidence/extra.html\n")
    );

    rebuild();
    std::fs::remove_file(public.join("static/style.css")).unwrap();
    let out = verify(&public, &[]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (1, "missing: static/style.css\n")
    );
}

#[test]
fn a_manifest_that_is_missing_or_not_json_is_exit_2() {
    let site = Fixture::new();
    assert_eq!(site.run(&["build"]).code, 0);
    let public = site.path("public");
    std::fs::write(public.join("manifest.json"), "{ not json").unwrap();
    let out = verify(&public, &[]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.starts_with("error[E0603]: "), "{}", out.stderr);
    assert!(
        out.stderr.contains("manifest.json is not JSON"),
        "{}",
        out.stderr
    );

    std::fs::write(public.join("manifest.json"), "{\"format\": 1, \"generator\": \"evidentia\", \"version\": \"0\", \"inputs\": [], \"outputs\": [{\"path\": \"../../etc/passwd\", \"sha256\": \"00\", \"bytes\": 1}]}").unwrap();
    let out = verify(&public, &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("would leave the folder"),
        "{}",
        out.stderr
    );

    std::fs::remove_file(public.join("manifest.json")).unwrap();
    let out = verify(&public, &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("has no manifest.json"),
        "{}",
        out.stderr
    );
}

#[test]
fn keygen_sign_and_verify_round_trip_and_tampering() {
    let site = packet_site();
    let keys = tempfile::tempdir().unwrap();
    let prefix = keys.path().join("site");
    let out = evidentia(&["keygen", "-o", prefix.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (private, public_key) = (keys.path().join("site.key"), keys.path().join("site.pub"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&private).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let before = std::fs::read(&private).unwrap();
    let again = evidentia(&["keygen", "-o", prefix.to_str().unwrap()]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(
        std::fs::read(&private).unwrap(),
        before,
        "never overwritten"
    );

    let out = site.run(&["build", "--sign", private.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let public = site.path("public");
    let key = public_key.to_str().unwrap();
    let out = verify(&public, &["--key", key]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("signature good"));

    // Tampered manifest: still valid JSON, every file still matches, the signature fails.
    let manifest_path = public.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path).unwrap();
    std::fs::write(
        &manifest_path,
        text.replacen("\"evidentia\"", "\"evidentia\" ", 1),
    )
    .unwrap();
    assert_eq!(verify(&public, &[]).code, 0, "unsigned check still passes");
    let out = verify(&public, &["--key", key]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("E0605"), "{}", out.stderr);
    std::fs::write(&manifest_path, &text).unwrap();
    assert_eq!(verify(&public, &["--key", key]).code, 0);

    // Tampered signature.
    let sig_path = public.join("manifest.sig");
    let sig = std::fs::read_to_string(&sig_path).unwrap();
    let (head, hex) = sig.split_once('\n').unwrap();
    let flipped = if hex.starts_with('0') { "1" } else { "0" };
    std::fs::write(&sig_path, format!("{head}\n{flipped}{}", &hex[1..])).unwrap();
    let out = verify(&public, &["--key", key]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    std::fs::write(&sig_path, "not a signature\n").unwrap();
    assert_eq!(verify(&public, &["--key", key]).code, 1);
    std::fs::remove_file(&sig_path).unwrap();
    let out = verify(&public, &["--key", key]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("no manifest.sig"), "{}", out.stderr);
    std::fs::write(&sig_path, &sig).unwrap();

    // Another key pair.
    let other = keys.path().join("other");
    assert_eq!(
        evidentia(&["keygen", "-o", other.to_str().unwrap()]).code,
        0
    );
    let out = verify(
        &public,
        &["--key", keys.path().join("other.pub").to_str().unwrap()],
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("signed with another key"),
        "{}",
        out.stderr
    );

    // Files that are not public keys: exit 2, one clear line.
    let out = verify(&public, &["--key", private.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("E0606") && out.stderr.contains("private key"),
        "{}",
        out.stderr
    );
    let junk = keys.path().join("junk.pub");
    std::fs::write(&junk, "hello\n").unwrap();
    let out = verify(&public, &["--key", junk.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("is not a usable key"), "{}", out.stderr);
    let out = site.run(&["build", "--sign", junk.to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn signed_builds_stay_byte_identical() {
    let site = packet_site();
    let keys = tempfile::tempdir().unwrap();
    let prefix = keys.path().join("k");
    assert_eq!(
        evidentia(&["keygen", "-o", prefix.to_str().unwrap()]).code,
        0
    );
    let key = keys.path().join("k.key");
    let (one, two) = (site.path("one"), site.path("two"));
    for dir in [&one, &two] {
        let out = site.run(&[
            "build",
            "-o",
            dir.to_str().unwrap(),
            "--sign",
            key.to_str().unwrap(),
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    assert_eq!(tree(&one), tree(&two));
}

#[test]
fn a_packet_page_shows_the_digests_of_its_evidence() {
    let site = packet_site();
    assert_eq!(site.run(&["build"]).code, 0);
    let html = site.read("public/packets/p-child/index.html");
    let doc = scraper::Html::parse_document(&html);
    let rows = scraper::Selector::parse("table.digests tbody tr").unwrap();
    let found: Vec<String> = doc
        .select(&rows)
        .map(|r| r.text().collect::<String>())
        .collect();
    // Its own evidence and what it inherits from the packet it extends.
    for (id, rel) in [("tm", "evidence/tm.yaml"), ("scan-a", "evidence/scan.yaml")] {
        let digest = sha(&std::fs::read(site.path(rel)).unwrap());
        let row = found
            .iter()
            .find(|r| r.starts_with(id))
            .unwrap_or_else(|| panic!("no digest row for {id}: {found:?}"));
        assert!(
            row.contains(rel) && row.contains(&digest[..12]) && row.contains(&digest),
            "{row}"
        );
    }
    assert_eq!(found.len(), 2, "{found:?}");
}

/// Every href and src of every HTML file under `dir` resolves to a file of `dir`, is a
/// fragment of its own page, or (for links turned into text) is gone.
fn assert_self_contained(dir: &Path) {
    let files: Vec<(String, Vec<u8>)> = tree(dir);
    let names: BTreeSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    let any = scraper::Selector::parse("[href], [src], [srcset], [action]").unwrap();
    let mut checked = 0;
    for (rel, bytes) in &files {
        if !rel.ends_with(".html") {
            continue;
        }
        let doc = scraper::Html::parse_document(std::str::from_utf8(bytes).unwrap());
        for el in doc.select(&any) {
            for attr in ["href", "src", "srcset", "action"] {
                let Some(value) = el.value().attr(attr) else {
                    continue;
                };
                checked += 1;
                assert!(
                    !matches!(attr, "srcset" | "action"),
                    "{rel}: {attr}={value}"
                );
                if value.starts_with('#') {
                    continue;
                }
                // A scheme (`https:`, `file:`) leaves the bundle; a colon after the path
                // (a control id such as `LLM02:2025` in a fragment) does not.
                let before_path = value.split(['/', '#', '?']).next().unwrap_or_default();
                assert!(
                    !before_path.contains(':'),
                    "{rel}: {attr}={value} leaves the bundle"
                );
                let path = value.split(['#', '?']).next().unwrap();
                let mut parts: Vec<&str> = rel.split('/').collect();
                parts.pop();
                for s in path.split('/') {
                    match s {
                        ".." => assert!(parts.pop().is_some(), "{rel}: {value} climbs out"),
                        "." | "" => {}
                        s => parts.push(s),
                    }
                }
                let target = parts.join("/").replace("%20", " ");
                assert!(
                    names.contains(target.as_str()),
                    "{rel}: {attr}={value} -> {target} is not in the bundle"
                );
            }
        }
    }
    assert!(checked > 10, "only {checked} links checked");
}

#[test]
fn a_bundle_holds_the_packet_and_links_nowhere_else() {
    let site = packet_site();
    let dest = site.path("out/bundle");
    let out = site.run(&["bundle", "p-child", "-o", dest.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        !site.path("public").exists(),
        "bundle never touches public/"
    );
    let names: BTreeSet<String> = tree(&dest).into_iter().map(|(p, _)| p).collect();
    for want in [
        "index.html",
        "manifest.json",
        "packets/p-child/index.html",
        "packets/p-parent/index.html",
        "evidence/tm/index.html",
        "evidence/tm/diagram.svg",
        "evidence/scan-a/index.html",
        "controls/cat/index.html",
        "static/style.css",
    ] {
        assert!(names.contains(want), "{want} missing from {names:?}");
    }
    assert!(!names.iter().any(|n| n.contains("unrelated")), "{names:?}");
    assert!(!names.iter().any(|n| n.starts_with("kinds/")), "{names:?}");
    assert_self_contained(&dest);

    // Links out of the bundle are text; external addresses stay readable.
    let page = std::fs::read_to_string(dest.join("packets/p-child/index.html")).unwrap();
    assert!(
        page.contains("(https://example.org/x)"),
        "external address shown as text"
    );
    assert!(
        std::fs::read_to_string(dest.join("index.html"))
            .unwrap()
            .contains("packets/p-child/index.html")
    );

    // Its own manifest, which verify accepts; inputs are the bundled evidence only.
    let out = verify(&dest, &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let m = manifest(&dest);
    assert!(entry(&m["inputs"], "evidence/tm.yaml").is_some());
    assert!(entry(&m["inputs"], "evidence/diagram.svg").is_some());
    assert!(entry(&m["inputs"], "evidence/other.yaml").is_none());

    // The zip holds the same files, byte for byte.
    let zip_path = site.path("out/bundle.zip");
    let out = site.run(&["bundle", "p-child", "-o", zip_path.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut in_zip = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        in_zip.push((f.name().to_owned(), bytes));
    }
    in_zip.sort();
    assert_eq!(in_zip, tree(&dest));
}

#[test]
fn the_demo_packet_bundles_self_contained() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("b");
    let out = evidentia(&[
        "bundle",
        "pkt-credit-scoring-rai",
        root.to_str().unwrap(),
        "-o",
        dest.to_str().unwrap(),
        "--today",
        "2026-11-27",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        dest.join("packets/pkt-ml-security-baseline/index.html")
            .is_file()
    );
    assert_self_contained(&dest);
}

#[test]
fn bundling_an_unknown_packet_is_exit_2() {
    let site = packet_site();
    let out = site.run(&["bundle", "nope", "-o", site.path("b").to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("no packet nope; packets: p-child, p-parent"),
        "{}",
        out.stderr
    );
    assert!(!site.path("b").exists());
    let out = site.run(&["bundle", "tm", "-o", site.path("b").to_str().unwrap()]);
    assert_eq!(out.code, 2, "a threat model is not a packet");
}
