//! `evidentia init`: the starter site checks, builds and reports coverage clean as it is,
//! and init never writes over anything.

mod common;

fn evidentia(args: &[&str]) -> (i32, String, String) {
    let out = common::evidentia(args);
    (out.code, out.stdout, out.stderr)
}

#[test]
fn the_starter_site_checks_and_builds_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("ada-site");
    let dir = site.to_str().unwrap();
    let (code, _, err) = evidentia(&["init", dir, "--name", "Ada \"Byron\" Lovelace: #1"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = evidentia(&["check", dir]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("0 errors, 0 warnings"), "{err}");
    let (code, _, err) = evidentia(&["build", dir]);
    assert_eq!(code, 0, "{err}");
    assert!(
        site.join("public/learners/ada-byron-lovelace-1/index.html")
            .is_file()
    );
    assert!(site.join("public/coverage/index.html").is_file());
    // Every course criterion is claimed, none met yet.
    let (code, out, err) = evidentia(&["coverage", dir, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let learner = &doc["learners"][0];
    assert_eq!(learner["name"], "Ada \"Byron\" Lovelace: #1");
    let criteria = learner["criteria"].as_array().unwrap();
    assert_eq!(criteria.len(), 13);
    assert!(
        criteria.iter().all(|c| c["status"] == "unmet"),
        "{criteria:?}"
    );
    // Editors find the schemas the files point at.
    assert!(site.join("schemas/portfolio.schema.json").is_file());
    let pf = std::fs::read_to_string(site.join("evidence/portfolio.yaml")).unwrap();
    assert!(pf.starts_with("# yaml-language-server: $schema=../schemas/portfolio.schema.json"));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_bad_names() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let dir = tmp.path().to_str().unwrap();
    let (code, _, err) = evidentia(&["init", dir]);
    assert_eq!(code, 2);
    assert!(err.contains("is not empty"), "{err}");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);

    let fresh = tmp.path().join("new");
    let fresh = fresh.to_str().unwrap();
    let (code, _, err) = evidentia(&["init", fresh, "--handle", "Not A Handle"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot be a handle"), "{err}");
    let (code, _, err) = evidentia(&["init", fresh, "--name", "a\nb"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot be a name"), "{err}");
}
