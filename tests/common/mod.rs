//! A fixture-site builder for the CLI tests: lays out files in a temporary folder, runs
//! the binary on it, and hands back what it printed.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// A site in a temporary folder.
pub struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    /// An empty site with a minimal site.toml.
    pub fn new() -> Fixture {
        let f = Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        f.file("site.toml", "title = \"Fixture\"\n");
        f
    }

    /// Writes a file (creating folders).
    pub fn file(&self, rel: &str, text: &str) -> &Self {
        self.bytes(rel, text.as_bytes())
    }

    /// Writes raw bytes (creating folders).
    pub fn bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
        self
    }

    /// The absolute path of a file in the site.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `evidentia ARGS...` with the site root appended where a command takes one.
    pub fn run(&self, args: &[&str]) -> Outcome {
        let mut cmd = Command::cargo_bin("evidentia").expect("binary");
        cmd.args(args).arg(self.root()).env("NO_COLOR", "1");
        let out = cmd.output().expect("run");
        Outcome {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr)
                .replace(&self.root().display().to_string(), "[ROOT]"),
        }
    }

    /// Reads an output file as text.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

/// What a run printed and returned.
#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary with arbitrary arguments (no root appended).
pub fn evidentia(args: &[&str]) -> Outcome {
    let out = Command::cargo_bin("evidentia")
        .expect("binary")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Every file under `dir`, relative, sorted, with its bytes.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("prefix")
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read(&p).expect("read")));
            }
        }
    }
    out.sort();
    out
}

/// A valid evidence file of `kind` with `id`: the header plus the kind's required fields.
pub fn item(kind: &str, id: &str) -> String {
    let required = match kind {
        "threat-model" => "system: Credit API\n",
        "exception" => "reason: Accepted for the fixture\nexpires: 2099-12-31\n",
        "tabletop" => "held_on: 2026-10-01\n",
        "portfolio" => "learner: {name: Ada, handle: ada}\n",
        _ => "",
    };
    format!(
        "kind: {kind}\nid: {id}\ntitle: Item {id}\nowner: team-a\ntags: [a, b]\nupdated: 2026-10-02\n{required}"
    )
}

/// The folder `sub` of the real-report corpus (`../shared/corpus/SUB`; `""` for the corpus
/// itself), or `None` after a note when it is missing (a failure under CI: see
/// [`unavailable`]).
pub fn corpus(sub: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    unavailable(&format!("the corpus folder {}", dir.display()));
    None
}

/// Whether this run is CI's (`.ci/run` exports `CI=true`).
pub fn under_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// Says that a test cannot run here because `what` is missing. Why one function: a test
/// that skips must never pass silently in CI, so under `CI=true` this fails the test;
/// elsewhere (a developer without the corpus, a browser or git) it prints a note and the
/// caller returns.
pub fn unavailable(what: &str) {
    assert!(
        !under_ci(),
        "{what} is missing, and CI (CI=true) must run this test: see .ci/run"
    );
    eprintln!("note: {what} is missing; skipping this test (it fails when CI=true)");
}

/// Compares `actual` with the golden file at `path` (relative to the repository root).
/// With `UPDATE_GOLDEN=1` it rewrites the file instead and compares nothing, so a run
/// that rewrites can never pass by comparing a file with itself; any other value of the
/// variable is ignored (it does not rewrite).
pub fn golden(path: &str, actual: &str) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir golden");
        std::fs::write(&file, actual).expect("write golden");
        eprintln!("note: rewrote {path} (UPDATE_GOLDEN=1); review the diff");
        return;
    }
    let expected = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!("{path}: {e}; `UPDATE_GOLDEN=1 cargo test` creates it (review the diff)")
    });
    assert!(
        expected == actual,
        "{path} differs from what the test produced (`UPDATE_GOLDEN=1 cargo test` rewrites it after an intended change)\n\
         --- expected\n{expected}\n--- actual\n{actual}"
    );
}

/// The files of a corpus folder with one of `extensions` (any when empty), sorted; an
/// empty folder is a failure, so a conformance test never passes on nothing.
pub fn corpus_files(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file())
        .filter(|p| {
            extensions.is_empty()
                || p.extension()
                    .is_some_and(|x| extensions.iter().any(|e| x == *e))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no files in {}", dir.display());
    files
}

/// The id of a report stored at evidence/FOLDER/NAME, by the library's rule.
pub fn report_id(folder: &str, name: &str) -> String {
    evidentia::import::foreign_id(&format!("evidence/{folder}/{name}"))
}

/// The text of a seed file (`../shared/seeds/NAME`), or `None` after a note when it is
/// missing (a failure under CI, as a missing corpus is).
pub fn seed(name: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seeds")
        .join(name);
    if let Ok(text) = std::fs::read_to_string(&path) {
        return Some(text);
    }
    unavailable(&format!("the seed {}", path.display()));
    None
}
