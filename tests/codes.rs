//! Every diagnostic code of `evidentia explain` is produced by the program from an input.
//!
//! A table holds one case or more per code: a minimal fixture site and the command that
//! runs on it. Each case runs the binary and passes only when the output names the code
//! with its severity (in the JSON diagnostics of `check`, or as `error[E0601]` /
//! `warning[W0101]` on stderr for the commands that print no JSON), so a code counts as
//! emitted because a user can meet it, not because its text appears in the source. The
//! table and `explain` must list the same codes: a new code without a case fails, and so
//! does a case for a code nobody can look up.

mod common;

use common::{Fixture, Outcome, evidentia, item};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The date every case checks on, so expiry and cadence cases do not age.
const TODAY: &str = "2026-12-01";

/// One way to meet a code.
struct Case {
    /// The code the case must produce.
    code: &'static str,
    /// The file the diagnostic must name (`check` cases only).
    file: &'static str,
    /// Lays out the fixture site.
    setup: fn(&Fixture),
    /// Runs the binary on it.
    run: Run,
}

enum Run {
    /// `check --format json --today TODAY ROOT`: the code is read from the JSON.
    Check,
    /// Any other command: the code is read from stderr.
    Command(fn(&Fixture) -> Outcome),
}

/// A case read from `check`'s JSON, which must point at `file`.
fn check(code: &'static str, file: &'static str, setup: fn(&Fixture)) -> Case {
    Case {
        code,
        file,
        setup,
        run: Run::Check,
    }
}

/// A case read from what `run` printed on stderr.
fn command(code: &'static str, setup: fn(&Fixture), run: fn(&Fixture) -> Outcome) -> Case {
    Case {
        code,
        file: "",
        setup,
        run: Run::Command(run),
    }
}

/// Codes no input can produce, with why and where they are emitted. Each one here is a
/// code `explain` documents that no test shows a user can meet: keep it empty.
const UNREACHABLE_FROM_INPUT: &[(&str, &str)] = &[];

fn cases() -> Vec<Case> {
    [
        parse_cases(),
        schema_cases(),
        module_cases(),
        reference_cases(),
        policy_cases(),
        rubric_cases(),
        output_cases(),
        serve_cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

// ---------------------------------------------------------------------------------------
// E01xx: reading files

/// A symbolic link at `rel` in the site to `target`.
fn symlink(f: &Fixture, target: &Path, rel: &str) {
    let link = f.path(rel);
    std::fs::create_dir_all(link.parent().expect("parent")).expect("mkdir");
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

fn parse_cases() -> Vec<Case> {
    vec![
        check("E0101", "evidence/dangling.yaml", |f| {
            symlink(f, &f.path("nowhere"), "evidence/dangling.yaml");
        }),
        check("E0102", "content/latin1.md", |f| {
            f.bytes("content/latin1.md", b"# Caf\xe9\n");
        }),
        check("E0103", "evidence/s.yaml", |f| {
            f.file("evidence/s.yaml", "kind: scan\nid: s\ntitle: [unclosed\n");
        }),
        check("E0103", "evidence/s.yaml", |f| {
            f.file("evidence/s.yaml", "kind: scan\nid: s\ntitle: S\ntitle: T\n");
        }),
        check("E0104", "evidence/s.json", |f| {
            f.file("evidence/s.json", "{\n  \"kind\": \"scan\",\n}\n");
        }),
        check("E0105", "content/unclosed.md", |f| {
            f.file("content/unclosed.md", "---\ntitle: x\n");
        }),
        check("E0106", "evidence/empty.yaml", |f| {
            f.file("evidence/empty.yaml", "\n");
        }),
        check("E0106", "content/empty.md", |f| {
            f.file("content/empty.md", "");
        }),
        check("E0107", "site.toml", |f| {
            f.file("site.toml", "title = \"x\"\noutput_dri = \"out\"\n");
        }),
        check("E0108", "themes/mine/templates/page.html", |f| {
            f.file("site.toml", "title = \"x\"\ntheme = \"mine\"\n")
                .file("themes/mine/templates/page.html", "{% if %}\n");
        }),
        check("E0109", "site.toml", |f| {
            f.file("site.toml", "title = \"x\"\ntheme = \"nope\"\n");
        }),
        check("E0110", "evidence/huge.yaml", |f| {
            f.file("evidence/huge.yaml", "");
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(f.path("evidence/huge.yaml"))
                .expect("open");
            // Sparse: 65 MiB of size, no disk used.
            file.set_len(65 * 1024 * 1024).expect("set_len");
        }),
    ]
}

// ---------------------------------------------------------------------------------------
// E02xx: the shape of evidence, pages and tool reports

fn schema_cases() -> Vec<Case> {
    vec![
        check("E0201", "evidence/a.yaml", |f| {
            f.file("evidence/a.yaml", "id: a\ntitle: A\n");
        }),
        check("E0202", "evidence/a.yaml", |f| {
            f.file("evidence/a.yaml", "kind: threatmodel\nid: a\ntitle: A\n");
        }),
        check("E0203", "evidence/a.yaml", |f| {
            f.file("evidence/a.yaml", "kind: scan\ntitle: A\n");
        }),
        check("E0204", "evidence/a.yaml", |f| {
            f.file("evidence/a.yaml", "kind: scan\nid: Bad Id\ntitle: A\n");
        }),
        check("E0205", "evidence/a.yaml", |f| {
            f.file("evidence/a.yaml", "kind: scan\nid: a\n");
        }),
        check("E0206", "evidence/a.yaml", |f| {
            f.file(
                "evidence/a.yaml",
                "kind: scan\nid: a\ntitle: A\nupdated: 2026-13-45\n",
            );
        }),
        check("E0207", "content/p.md", |f| {
            f.file("content/p.md", "---\ntitel: x\n---\nbody\n");
        }),
        check("E0208", "evidence/a.yaml", |f| {
            f.file("evidence/a.yaml", "- a\n- b\n");
        }),
        check("E0209", "evidence/ex.yaml", |f| {
            f.file(
                "evidence/ex.yaml",
                "kind: exception\nid: ex\ntitle: E\nreason: r\ncovers: [x]\n",
            );
        }),
        check("E0210", "evidence/b.sarif", |f| {
            f.file("evidence/b.sarif", r#"{"version": "2.1.0", "runs": {}}"#);
        }),
        check("E0214", "evidence/card/README.md", |f| {
            f.file(
                "evidence/card/README.md",
                "---\nmodel-index:\n- name: m\n  results:\n  - task: {type: text-classification}\n    dataset: {type: imdb, name: imdb}\n    metrics:\n    - type: accuracy\n---\n",
            );
        }),
        check("E0223", "evidence/m.yaml", |f| {
            f.file("evidence/m.yaml", "kind: module\nid: mod-2\ntitle: M\n");
        }),
        check("W0101", "evidence/notes.txt", |f| {
            f.file("evidence/notes.txt", "stray");
        }),
        check("W0102", "evidence/outside.toml", |f| {
            // Not an ancestor of the site: a link to one is a loop (E0101).
            let outside = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
            symlink(f, &outside, "evidence/outside.toml");
        }),
    ]
}

// ---------------------------------------------------------------------------------------
// E022x, W021x: module roadmaps

const OVERVIEW: &str = "# Module Roadmap\n\n## Module Overview\n\n- **Module ID**: MOD-700\n- **Module Title**: Variant\n- **Target Role(s)**: Data Engineer\n- **Duration**: 12 weeks (lectures 24 h, labs 36 h)\n- **Prerequisites**: None\n- **Next Module(s)**: None\n";

const TABLE: &str = "\n## Competency Alignment\n\n| Competency | Proficiency Target | Evidence / Assessment | Role Alignment |\n|---|---|---|---|\n| data-quality | Advanced | Data contract | Data Engineer |\n";

const ROADMAP: &str = "content/modules/m.md";

fn roadmap(f: &Fixture, text: &str) {
    f.file(ROADMAP, text);
}

fn module_cases() -> Vec<Case> {
    vec![
        check("E0221", ROADMAP, |f| {
            roadmap(f, &format!("# Roadmap\n\nNo overview.\n{TABLE}"));
        }),
        check("E0221", ROADMAP, |f| {
            roadmap(f, &format!("{}{TABLE}", OVERVIEW.replace("MOD-700", "")));
        }),
        check("E0222", ROADMAP, |f| {
            roadmap(
                f,
                &format!("{}{TABLE}", OVERVIEW.replace("MOD-700", "MOD 700")),
            );
        }),
        check("W0211", ROADMAP, |f| roadmap(f, OVERVIEW)),
        check("W0212", ROADMAP, |f| {
            roadmap(
                f,
                &format!("# R\n\n## Module Overview\n\n- **Module ID**: MOD-700\n{TABLE}"),
            );
        }),
        check("W0213", ROADMAP, |f| {
            roadmap(f, &format!("{OVERVIEW}- **Colour**: blue\n{TABLE}"));
        }),
        check("W0214", ROADMAP, |f| {
            let overview = OVERVIEW.replace(
                "**Prerequisites**: None",
                "**Prerequisites**: a year of Python",
            );
            roadmap(f, &format!("{overview}{TABLE}"));
        }),
        check("W0215", ROADMAP, |f| {
            let overview = OVERVIEW.replace("12 weeks (", "about 12 weeks (");
            roadmap(f, &format!("{overview}{TABLE}"));
        }),
        check("W0215", ROADMAP, |f| {
            let overview = OVERVIEW.replace("(lectures 24 h, labs 36 h)", "(4 weeks, 4 weeks)");
            roadmap(f, &format!("{overview}{TABLE}"));
        }),
        check("W0216", ROADMAP, |f| {
            let table = TABLE
                .replace("Role Alignment |\n", "Role Alignment | Notes |\n")
                .replace("|---|\n", "|---|---|\n")
                .replace("Data Engineer |\n", "Data Engineer | n |\n");
            roadmap(f, &format!("{OVERVIEW}{table}"));
        }),
        check("W0217", ROADMAP, |f| {
            let table = TABLE
                .replace(" Role Alignment |\n", "\n")
                .replace("|---|---|---|---|", "|---|---|---|")
                .replace(" Data Engineer |\n", "\n");
            roadmap(f, &format!("{OVERVIEW}{table}"));
        }),
        check("W0218", ROADMAP, |f| {
            roadmap(
                f,
                &format!("{OVERVIEW}{}", TABLE.replace("| data-quality |", "|  |")),
            );
        }),
        check("W0219", ROADMAP, |f| {
            roadmap(f, &format!("---\nid: the-page\n---\n{OVERVIEW}{TABLE}"));
        }),
    ]
}

// ---------------------------------------------------------------------------------------
// E03xx: references between items and pages

const TM: &str = "kind: threat-model\nid: tm\ntitle: TM\nsystem: API\nassets:\n  - id: db\nflows:\n  - {id: F1, from: user, to: db}\n";

/// The threat model with one threat T1 whose remaining fields are `body`.
fn threat(f: &Fixture, body: &str) {
    f.file(
        "evidence/tm.yaml",
        &format!("{TM}threats:\n  - id: T1\n    title: Spoofing\n{body}"),
    );
}

fn packet(id: &str, body: &str) -> String {
    format!("{}{body}", item("packet", id))
}

fn reference_cases() -> Vec<Case> {
    vec![
        check("E0301", "evidence/b.yaml", |f| {
            f.file("evidence/a.yaml", &item("scan", "x"))
                .file("evidence/b.yaml", &item("scan", "x"));
        }),
        check("E0302", "content/p.md", |f| {
            f.file("content/p.md", "# P\n\nSee [[nope]].\n");
        }),
        check("E0303", "evidence/x.yaml", |f| {
            f.file("evidence/x.yaml", &packet("x", ""))
                .file("content/packets/x.md", "# X\n");
        }),
        check("E0304", "evidence/s.yaml", |f| {
            let scan = format!("{}attachments: [missing.png]\n", item("scan", "s"));
            f.file("evidence/s.yaml", &scan);
        }),
        check("E0305", "evidence/pk.yaml", |f| {
            f.file("evidence/pk.yaml", &packet("pk", "evidence: [nope]\n"));
        }),
        check("E0306", "evidence/tm.yaml", |f| {
            threat(
                f,
                "    status: mitigated\n    mitigations:\n      - control: gx:GR-1\n",
            );
        }),
        check("E0307", "evidence/tm.yaml", |f| {
            threat(f, "    affects: [dbb]\n    status: mitigated\n");
        }),
        check("E0308", "evidence/pk.yaml", |f| {
            f.file("evidence/sc.yaml", &item("scan", "sc"))
                .file("evidence/pk.yaml", &packet("pk", "extends: [sc]\n"));
        }),
        check("E0309", "evidence/b.yaml", |f| {
            f.file("evidence/a.yaml", &packet("a", "extends: [b]\n"))
                .file("evidence/b.yaml", &packet("b", "extends: [a]\n"));
        }),
        check("E0313", "evidence/c.yaml", |f| {
            f.file(
                "evidence/c.yaml",
                "kind: catalog\nid: c\ntitle: C\ncontrols:\n  - {id: A 1}\n  - {id: \"A 1 \"}\n",
            );
        }),
        check("W0305", "evidence/c.yaml", |f| {
            f.file(
                "evidence/c.yaml",
                "kind: catalog\nid: c\ntitle: C\ncontrols:\n  - {id: A 1}\n  - {id: A-1}\n",
            );
        }),
    ]
}

// ---------------------------------------------------------------------------------------
// E04xx: policy

const SCAN: &str = "kind: scan\nid: sc\ntitle: S\ntool: trivy\nfindings:\n  - id: CVE-1\n    rule: R1\n    severity: high\n";

/// The scan and an exception that covers `covers`.
fn exception(f: &Fixture, covers: &str, expires: &str) {
    f.file("evidence/sc.yaml", SCAN).file(
        "evidence/ex.yaml",
        &format!(
            "kind: exception\nid: ex\ntitle: E\nreason: r\ncovers: [{covers}]\napproved_on: 2026-01-01\nexpires: {expires}\n"
        ),
    );
}

fn fairness(f: &Fixture, review: &str) {
    f.file(
        "evidence/f.yaml",
        &format!(
            "kind: fairness\nid: fr\ntitle: F\ndisparities:\n  - metric: dpr\n    value: 0.7\n    threshold: 0.8\n    direction: at-least\n{review}"
        ),
    );
}

fn policy_cases() -> Vec<Case> {
    vec![
        check("E0401", "evidence/tm.yaml", |f| {
            threat(f, "    impact: high\n    status: open\n");
        }),
        check("E0402", "evidence/tm.yaml", |f| {
            threat(f, "    status: accepted\n");
        }),
        check("E0403", "evidence/ex.yaml", |f| {
            exception(f, "sc#CVE-1", "2026-11-01");
        }),
        check("E0405", "evidence/sc.yaml", |f| {
            f.file("evidence/sc.yaml", SCAN);
        }),
        check("E0406", "evidence/f.yaml", |f| fairness(f, "")),
        check("E0407", "evidence/f.yaml", |f| {
            fairness(
                f,
                "review:\n  reviewer: rai\n  reviewed_on: 2026-01-01\n  decision: approved-with-conditions\n  cadence_days: 90\n",
            );
        }),
        check("E0408", "evidence/f.yaml", |f| {
            fairness(
                f,
                "review:\n  reviewer: rai\n  reviewed_on: 9999-12-31\n  decision: approved\n  cadence_days: 90\n",
            );
        }),
        check("E0409", "evidence/ex.yaml", |f| {
            exception(f, "sc#CVE-1", "2025-12-31");
        }),
        check("W0401", "evidence/tm.yaml", |f| {
            threat(
                f,
                "    status: accepted\n    acceptance: {by: ciso, on: 2026-01-01, expires: 2026-12-10, rationale: r}\n",
            );
        }),
        check("W0403", "evidence/ex.yaml", |f| {
            exception(f, "sc#CVE-1", "2026-12-15");
        }),
        check("W0404", "evidence/ex.yaml", |f| {
            let ex = format!("{}covers: []\n", item("exception", "ex"));
            f.file("evidence/ex.yaml", &ex);
        }),
        check("W0408", "evidence/tt.yaml", |f| {
            f.file(
                "evidence/tt.yaml",
                "kind: tabletop\nid: tt\ntitle: T\nheld_on: 2026-10-01\nactions:\n  - {id: A1, title: x, due: 2026-11-01, status: open}\n",
            );
        }),
        check("W0614", "site.toml", |f| {
            // 5,001 pages, one more than get a search index unasked. Hard links: a new
            // inode per page takes seconds on a busy disk, a name does not.
            f.file("content/p/0.md", "# P\n");
            for i in 1..=5000 {
                std::fs::hard_link(
                    f.path("content/p/0.md"),
                    f.path(&format!("content/p/{i}.md")),
                )
                .expect("link");
            }
        }),
    ]
}

// ---------------------------------------------------------------------------------------
// E05xx: rubrics

/// A rubric whose one criterion reads scans with `checks` (YAML list entries).
fn rubric(f: &Fixture, checks: &str) {
    f.file(
        "evidence/rubric.yaml",
        &format!(
            "{}levels: [a]\ncriteria:\n  - id: c1\n    level: a\n    requires: {{kind: scan}}\n    checks:\n{checks}",
            item("rubric", "rub")
        ),
    );
}

fn rubric_cases() -> Vec<Case> {
    vec![
        check("E0501", "evidence/rubric.yaml", |f| {
            rubric(f, "      - stride-coverag\n");
        }),
        check("E0502", "evidence/rubric.yaml", |f| {
            rubric(f, "      - {min-count: lots}\n");
        }),
        check("E0503", "evidence/rubric.yaml", |f| {
            rubric(
                f,
                "      - expr: 'item.findings | length >='\n        explain: Has findings.\n",
            );
        }),
        check("E0504", "evidence/rubric.yaml", |f| {
            rubric(f, "      - stride-coverage\n");
        }),
        check("W0501", "evidence/rubric.yaml", |f| {
            rubric(
                f,
                "      - expr: '(\"y\" * 100000000) | length > 0'\n        explain: Never.\n",
            );
            f.file("evidence/scan.yaml", &item("scan", "scan")).file(
                "evidence/pf.yaml",
                "kind: portfolio\nid: pf\ntitle: P\nlearner: {handle: ada}\nclaims:\n  - {criterion: rub#c1, evidence: [scan]}\n",
            );
        }),
    ]
}

// ---------------------------------------------------------------------------------------
// E060x: build output, integrity, keys and bundles

/// A site that builds clean.
fn page(f: &Fixture) {
    f.file("content/index.md", "# Home\n");
}

fn path_arg(f: &Fixture, rel: &str) -> String {
    f.path(rel).display().to_string()
}

/// Builds the site into public/, which must succeed.
fn built(f: &Fixture) -> String {
    let out = path_arg(f, "public");
    let b = f.run(&["build", "--quiet", "--today", TODAY, "-o", &out]);
    assert_eq!(b.code, 0, "the fixture must build: {}", b.stderr);
    out
}

fn keygen(f: &Fixture, prefix: &str) -> String {
    let prefix = path_arg(f, prefix);
    let k = evidentia(&["keygen", "-o", &prefix]);
    assert_eq!(k.code, 0, "keygen must succeed: {}", k.stderr);
    prefix
}

fn output_cases() -> Vec<Case> {
    vec![
        command("E0601", page, |f| {
            f.run(&["build", "-o", &path_arg(f, "content/out")])
        }),
        command(
            "E0602",
            |f| {
                page(f);
                f.file("a-file", "x");
            },
            |f| f.run(&["build", "-o", &path_arg(f, "a-file/out")]),
        ),
        command(
            "E0603",
            |f| {
                f.file("not-built/index.html", "<p>x</p>");
            },
            |f| evidentia(&["verify", &path_arg(f, "not-built")]),
        ),
        command("E0604", page, |f| {
            let out = built(f);
            f.file("public/index.html", "changed");
            evidentia(&["verify", &out])
        }),
        command("E0605", page, |f| {
            let out = built(f);
            let key = keygen(f, "k");
            evidentia(&["verify", "--key", &format!("{key}.pub"), &out])
        }),
        command("E0606", page, |f| {
            let key = keygen(f, "k");
            let out = path_arg(f, "public");
            f.run(&["build", "--sign", &format!("{key}.pub"), "-o", &out])
        }),
        command("E0607", page, |f| {
            let key = keygen(f, "k");
            evidentia(&["keygen", "-o", &key])
        }),
        command("E0608", page, |f| f.run(&["bundle", "nope"])),
        command(
            "E0609",
            |f| {
                f.file("a-file", "x");
            },
            |f| evidentia(&["keygen", "-o", &path_arg(f, "a-file/k")]),
        ),
        command(
            "E0609",
            |f| {
                f.file("evidence/pk.yaml", &packet("pk", ""))
                    .file("a-file", "x");
            },
            |f| f.run(&["bundle", "pk", "-o", &path_arg(f, "a-file/b.zip")]),
        ),
        command("E0613", page, build_without_a_working_directory),
    ]
}

/// Pagefind resolves its paths against the working directory and cannot index without
/// one: a build run from a folder that was removed fails to index.
fn build_without_a_working_directory(f: &Fixture) -> Outcome {
    let gone = tempfile::tempdir().expect("temp dir");
    let cwd = gone.path().join("cwd");
    std::fs::create_dir(&cwd).expect("mkdir");
    let out = path_arg(f, "public");
    let root = f.root().display().to_string();
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "cd \"$0\" && rmdir \"$0\" && exec \"$@\""])
        .arg(&cwd)
        .arg(env!("CARGO_BIN_EXE_evidentia"))
        .args(["build", "--today", TODAY, "-o", &out, &root]);
    run_for(&mut cmd, Duration::from_secs(60))
}

// ---------------------------------------------------------------------------------------
// E061x: serve

fn serve_cases() -> Vec<Case> {
    vec![
        // 192.0.2.1 is reserved for documentation (RFC 5737): no machine has it.
        command("E0610", page, |f| {
            serve(f, &["--bind", "192.0.2.1", "--port", "0"], None)
        }),
        command("E0611", page, serve_without_file_descriptors_to_watch),
        command("E0612", page, |f| {
            let missing = path_arg(f, "missing");
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_evidentia"));
            cmd.args(["serve", "--port", "0", &missing]);
            run_for(&mut cmd, Duration::from_secs(20))
        }),
        command("E0612", page, |f| {
            let tmp = path_arg(f, "no-such-temp");
            serve(f, &["--port", "0"], Some(&tmp))
        }),
    ]
}

/// `serve ARGS ROOT`, with TMPDIR set to `tmp` (default: a fresh folder outside the
/// site), stopped after 20 s if it is still serving.
fn serve(f: &Fixture, args: &[&str], tmp: Option<&str>) -> Outcome {
    let own_tmp = tempfile::tempdir().expect("temp dir");
    let tmp = tmp.map_or_else(|| own_tmp.path().display().to_string(), str::to_owned);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_evidentia"));
    cmd.arg("serve").args(args).arg(f.root()).env("TMPDIR", tmp);
    run_for(&mut cmd, Duration::from_secs(20))
}

/// The watch is the first thing serve opens after its listening socket: under a limit
/// of open files that leaves room for the socket and no more, the system refuses the
/// watch as it does when the inotify limits are reached. The exact limit depends on
/// what the runtime holds open, so the limits are tried from the lowest up; a limit that
/// lets serve start ends the search.
fn serve_without_file_descriptors_to_watch(f: &Fixture) -> Outcome {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut last = None;
    for limit in 3..=64 {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "ulimit -n \"$0\" && exec \"$@\""])
            .arg(limit.to_string())
            .arg(env!("CARGO_BIN_EXE_evidentia"))
            .args(["serve", "--port", "0"])
            .arg(f.root())
            .env("TMPDIR", tmp.path());
        let out = run_for(&mut cmd, Duration::from_secs(10));
        let done = out.stderr.contains("error[E0611]") || out.stderr.contains("serving http");
        last = Some(out);
        if done {
            break;
        }
    }
    last.expect("at least one limit was tried")
}

/// Runs `cmd` to its end, or kills it after `limit` (a server that started).
fn run_for(cmd: &mut Command, limit: Duration) -> Outcome {
    let mut child = cmd
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > limit {
            // It may have exited since: killing a reaped child is an error to ignore.
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().expect("output");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

// ---------------------------------------------------------------------------------------
// The tests

fn severity(code: &str) -> &'static str {
    if code.starts_with('W') {
        "warning"
    } else {
        "error"
    }
}

/// Every code an output names: the JSON diagnostics' codes and every `[E0123]` or
/// `[W0123]` on stderr.
fn codes_named(out: &Outcome) -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&out.stdout)
        && let Some(list) = v["diagnostics"].as_array()
    {
        codes.extend(
            list.iter()
                .filter_map(|d| d["code"].as_str().map(str::to_owned)),
        );
    }
    let bytes = out.stderr.as_bytes();
    for w in bytes.windows(7) {
        if w[0] == b'['
            && (w[1] == b'E' || w[1] == b'W')
            && w[2..6].iter().all(u8::is_ascii_digit)
            && w[6] == b']'
        {
            codes.insert(String::from_utf8_lossy(&w[1..6]).into_owned());
        }
    }
    codes
}

/// Runs one case; `Err` says what it printed instead of its code.
fn produce(case: &Case) -> Result<BTreeSet<String>, String> {
    let site = Fixture::new();
    (case.setup)(&site);
    let sev = severity(case.code);
    let out = match case.run {
        Run::Check => site.run(&["check", "--format", "json", "--today", TODAY]),
        Run::Command(run) => run(&site),
    };
    let found = match case.run {
        Run::Check => serde_json::from_str::<serde_json::Value>(&out.stdout)
            .ok()
            .and_then(|v| v["diagnostics"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .any(|d| d["code"] == case.code && d["severity"] == sev && d["file"] == case.file),
        Run::Command(_) => out.stderr.contains(&format!("{sev}[{}]", case.code)),
    };
    // An error fails the command. (A warning may come with errors: W0305's controls
    // also clash at one URL, E0303.)
    let status_ok = sev == "warning" || out.code != 0;
    if found && status_ok {
        Ok(codes_named(&out))
    } else {
        let at = if case.file.is_empty() {
            String::new()
        } else {
            format!(" at {}", case.file)
        };
        Err(format!(
            "{sev}[{}]{at} not produced (exit {}):\n--- stdout\n{}\n--- stderr\n{}",
            case.code, out.code, out.stdout, out.stderr
        ))
    }
}

#[test]
fn every_explained_code_is_produced_from_an_input() {
    let cases = cases();
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut named = BTreeSet::new();
    for case in &cases {
        match produce(case) {
            Ok(codes) => named.extend(codes),
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let explained: BTreeSet<String> = evidentia::diag::explain()
        .iter()
        .map(|c| c.code.to_owned())
        .collect();
    let unexplained: Vec<_> = named.difference(&explained).collect();
    assert!(
        unexplained.is_empty(),
        "codes printed without an explanation: {unexplained:?}"
    );
    eprintln!("{} cases in {:?}", cases.len(), started.elapsed());
}

#[test]
fn the_cases_cover_exactly_the_explained_codes() {
    let explained: BTreeSet<&str> = evidentia::diag::explain().iter().map(|c| c.code).collect();
    let produced: BTreeSet<&str> = cases().iter().map(|c| c.code).collect();
    let unreachable: BTreeSet<&str> = UNREACHABLE_FROM_INPUT.iter().map(|u| u.0).collect();
    assert_eq!(
        unreachable.len(),
        UNREACHABLE_FROM_INPUT.len(),
        "a code listed twice as unreachable"
    );
    let both: Vec<_> = produced.intersection(&unreachable).collect();
    assert!(
        both.is_empty(),
        "codes both produced and listed as unreachable: {both:?}"
    );
    let covered: BTreeSet<&str> = produced.union(&unreachable).copied().collect();
    let missing: Vec<_> = explained.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "explained codes without a case: {missing:?}"
    );
    let unknown: Vec<_> = covered.difference(&explained).collect();
    assert!(
        unknown.is_empty(),
        "cases for codes `explain` does not know: {unknown:?}"
    );
}

#[test]
fn explain_prints_every_codes_title() {
    for c in evidentia::diag::explain() {
        let out = evidentia(&["explain", c.code]);
        assert_eq!(out.code, 0, "{}: {}", c.code, out.stderr);
        assert!(out.stdout.contains(c.title), "{}: {}", c.code, out.stdout);
    }
}

#[test]
fn helpers_read_codes_from_both_outputs() {
    let out = Outcome {
        code: 1,
        stdout: r#"{"diagnostics": [{"code": "E0202"}]}"#.to_owned(),
        stderr: "error[E0601]: x\nwarning[W0101]: y\n".to_owned(),
    };
    let got: Vec<String> = codes_named(&out).into_iter().collect();
    assert_eq!(got, ["E0202", "E0601", "W0101"]);
}
