//! Browser tests (issue 7 part 6): builds the demo site with the test binary, then
//! `node tests/browser/run.mjs` opens every page in headless Chromium (console errors,
//! internal links, search, axe-core on five pages, screenshots under
//! $CARGO_TARGET_DIR/screenshots). Needs node, tests/browser/node_modules (`npm ci`) and
//! /usr/bin/chromium: without them the test skips with a note, except under CI=true,
//! where it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn missing(what: &str) {
    common::unavailable(&format!(
        "{what} (run `npm ci` in tests/browser and install chromium)"
    ));
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

#[test]
fn demo_site_in_headless_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = root.join("tests/browser");
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node_ok {
        return missing("node");
    }
    if !browser_dir.join("node_modules/playwright-core").is_dir()
        || !browser_dir.join("node_modules/axe-core").is_dir()
    {
        return missing("tests/browser/node_modules");
    }
    if !chromium().is_file() {
        return missing("chromium");
    }

    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("public");
    let build = Command::new(env!("CARGO_BIN_EXE_evidentia"))
        .args(["build", "--today", "2026-11-27", "-o"])
        .arg(&site)
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "demo site build failed:\n{}{}",
        String::from_utf8_lossy(&build.stdout),
        String::from_utf8_lossy(&build.stderr)
    );

    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let target = if target.is_absolute() {
        target
    } else {
        root.join(target)
    };
    let shots = target.join("screenshots");
    let run = Command::new("node")
        .arg(browser_dir.join("run.mjs"))
        .arg(&site)
        .arg(&shots)
        .env("CHROMIUM", chromium())
        .current_dir(&browser_dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    eprintln!("{stdout}{stderr}");
    assert!(
        run.status.success(),
        "browser checks failed:\n{stdout}{stderr}"
    );
    for page in ["home", "packet", "learner", "coverage", "evidence"] {
        for scheme in ["light", "dark"] {
            let png = shots.join(format!("{page}-{scheme}.png"));
            assert!(png.is_file(), "no screenshot {}", png.display());
        }
    }
}
