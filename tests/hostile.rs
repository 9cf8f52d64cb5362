//! A hostile or careless user (issue 17): each test runs the binary the way such a user
//! would and asserts the behaviour that replaced a crash.
//!
//! Output: a closed stdout stops the output quietly, and the exit status stays the
//! command's verdict on the site; a full stdout is one line of error and exit 2; a full
//! or closed stderr hides the messages and changes nothing else.

mod common;

use common::{Fixture, item};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_evidentia");

/// A site with one error (an open critical threat) and something for every printing
/// command to print.
fn site() -> Fixture {
    let site = Fixture::new();
    site.file(
        "evidence/tm.yaml",
        &format!(
            "{}threats:\n  - id: T1\n    title: Poisoned data\n    category: data-poisoning\n    impact: critical\n    status: open\n",
            item("threat-model", "tm-a")
        ),
    );
    site
}

/// Every command that writes to stdout, with its arguments (the site root appended where
/// it takes one).
fn printing_commands(root: &str) -> Vec<Vec<String>> {
    let with_root = |args: &[&str]| {
        let mut v: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        v.push(root.to_owned());
        v
    };
    let plain = |args: &[&str]| args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    vec![
        plain(&["explain"]),
        plain(&["explain", "E0401"]),
        plain(&["schema"]),
        plain(&["schema", "scan"]),
        with_root(&["check", "--today", "2026-12-01", "--format", "json"]),
        with_root(&["check", "--today", "2026-12-01", "--format", "sarif"]),
        with_root(&["check", "--today", "2026-12-01", "--format", "github"]),
        with_root(&["coverage", "--today", "2026-12-01", "--format", "csv"]),
        with_root(&["coverage", "--today", "2026-12-01", "--format", "json"]),
        with_root(&["coverage", "--today", "2026-12-01", "--format", "table"]),
        {
            let mut v = plain(&["show", "tm-a"]);
            v.push(root.to_owned());
            v
        },
    ]
}

fn run(args: &[String], stdout: Stdio, stderr: Stdio) -> Output {
    Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(stdout)
        .stderr(stderr)
        .output()
        .expect("run the binary")
}

fn no_panic(args: &[String], out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(101), "{args:?} panicked:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{args:?}:\n{stderr}");
}

#[test]
fn a_closed_stdout_ends_every_command_quietly_with_its_verdict() {
    let site = site();
    let root = site.root().display().to_string();
    for args in printing_commands(&root) {
        // The reading end is closed before the command starts, so its first write fails
        // with a broken pipe however little it prints (`| head -0`).
        let out = run(&args, closed_pipe(), Stdio::piped());
        no_panic(&args, &out);
        // The status is the command's verdict, as if everything had been read; a command
        // without one succeeds.
        let verdict = run(&args, Stdio::null(), Stdio::null()).status.code();
        assert_eq!(out.status.code(), verdict, "{args:?}");
        // The site has an error: both gates say so with 1.
        let gate = matches!(args[0].as_str(), "check" | "coverage");
        assert_eq!(verdict, Some(i32::from(gate)), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        // `check` and `coverage` still report the site on stderr; nothing about stdout.
        assert!(!stderr.contains("stdout"), "{args:?}:\n{stderr}");
    }
}

/// The writing end of a pipe whose reading end is already closed.
fn closed_pipe() -> Stdio {
    use std::os::fd::{FromRawFd, OwnedFd};
    let mut fds = [0; 2];
    // SAFETY: `pipe` fills both descriptors on success; each is owned exactly once below.
    let (reader, writer) = unsafe {
        assert_eq!(libc::pipe(fds.as_mut_ptr()), 0, "pipe");
        (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1]))
    };
    drop(reader);
    Stdio::from(writer)
}

#[test]
fn a_full_stdout_is_a_one_line_error_and_exit_2() {
    let site = site();
    let root = site.root().display().to_string();
    for args in printing_commands(&root) {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let out = run(&args, Stdio::from(full), Stdio::piped());
        no_panic(&args, &out);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let about: Vec<&str> = stderr.lines().filter(|l| l.contains("stdout")).collect();
        assert_eq!(about.len(), 1, "{args:?}:\n{stderr}");
        assert!(
            about[0].starts_with("error: cannot write to stdout: No space left on device"),
            "{args:?}: {}",
            about[0]
        );
    }
}

#[test]
fn a_full_or_closed_stderr_changes_nothing_but_what_is_shown() {
    let site = site();
    let root = site.root().display().to_string();
    let commands: Vec<Vec<String>> = [
        vec!["check", "--today", "2026-12-01"],
        vec!["build", "--today", "2026-12-01"],
        vec!["coverage", "--today", "2026-12-01"],
        vec!["explain", "E9999"],
    ]
    .into_iter()
    .map(|args| {
        let mut v: Vec<String> = args.into_iter().map(str::to_owned).collect();
        if v[0] != "explain" {
            v.push(root.clone());
        }
        v
    })
    .collect();
    for args in &commands {
        // The open critical threat is an error (exit 1); an unknown code is exit 2.
        let want = if args[0] == "explain" { 2 } else { 1 };
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let out = run(args, Stdio::null(), Stdio::from(full));
        assert_eq!(out.status.code(), Some(want), "{args:?} with stderr full");
        // A closed stderr: the shell closes descriptor 2 before the binary starts.
        let closed = Command::new("sh")
            .arg("-c")
            .arg("exec \"$0\" \"$@\" 2>&-")
            .arg(BIN)
            .args(args)
            .stdout(Stdio::null())
            .status()
            .expect("sh");
        assert_eq!(closed.code(), Some(want), "{args:?} with stderr closed");
    }
}

/// `evidentia show ID` on `site` as JSON.
fn show(site: &Fixture, id: &str) -> serde_json::Value {
    let out = site.run(&["show", id, "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("show prints JSON")
}

#[test]
fn ids_made_unique_are_unique_and_the_ids_a_tool_wrote_keep_their_names() {
    let site = Fixture::new();
    site.file(
        "evidence/bom.cdx.json",
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
  "components": [
    {"type": "library", "name": "left", "version": "1", "bom-ref": "a"},
    {"type": "library", "name": "right", "version": "1", "bom-ref": "a"},
    {"type": "library", "name": "third", "version": "1", "bom-ref": "a-2"}
  ],
  "vulnerabilities": [
    {"id": "CVE-1", "ratings": [{"severity": "low"}], "affects": [{"ref": "a"}]},
    {"id": "CVE-1", "ratings": [{"severity": "low"}], "affects": [{"ref": "a"}]},
    {"id": "CVE-1-2", "ratings": [{"severity": "low"}], "affects": [{"ref": "a-2"}]}
  ]}"#,
    );
    let bom = show(&site, "bom");
    let ids = |list: &str| -> Vec<String> {
        bom[list]
            .as_array()
            .expect(list)
            .iter()
            .map(|x| x["id"].as_str().expect("id").to_owned())
            .collect()
    };
    // Before: `a, a-2, a-2` and `CVE-1, CVE-1-2, CVE-1-2` (two anchors, two targets).
    assert_eq!(ids("components"), ["a", "a-3", "a-2"]);
    assert_eq!(ids("findings"), ["CVE-1", "CVE-1-3", "CVE-1-2"]);
}
