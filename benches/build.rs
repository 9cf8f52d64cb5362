//! End-to-end benchmark of `evidentia build` and `evidentia check` on synthetic sites.
//!
//! Why it exists: Evidentia must stay fast and close to linear as a site grows from one
//! course portfolio to an organisation's whole evidence library. This bench runs the real
//! release binary as a user would, so it measures everything a user waits for (process
//! start, loading, YAML and Markdown parsing, checks, syntax highlighting, templates,
//! writing the output), and reports wall time, CPU time, peak memory and a linearity
//! factor between the smallest and the largest size.
//!
//! How to run it:
//!
//! ```text
//! cargo bench --bench build                        # sizes 1000 and 10000, and the imports
//! cargo bench --bench build -- 500 5000 --runs 5   # choose the sizes and the runs
//! cargo bench --bench build -- imports             # only the 100 MB imports
//! cargo bench --bench build -- versus --runs 3      # side by side with Hugo, 10000 pages
//! cargo bench --bench build -- tiny --runs 1        # 100,000 tiny evidence files
//! EVIDENTIA_BENCH_RUNS=1 cargo bench --bench build # or the runs from the environment
//! ```
//!
//! The imports (see [`imports`]) time `evidentia check` on sites holding one ~100 MB tool
//! report each, against a baseline measured in the same run (reading the file and parsing
//! it with `serde_json::from_slice` into a `serde_json::Value`), and give peak memory as a
//! multiple of the report's size: the budget is 2 s and 3x on the 2-core machine.
//!
//! For each size N a site with N Markdown pages and N evidence items (cycling through
//! threat-model, scan, exception and fairness) is generated deterministically under
//! `target/bench-sites/N`, and reused while its stamp file matches [`GENERATOR_VERSION`].
//! Each command gets one untimed warm-up run, then `--runs` timed runs; CPU time and peak
//! RSS come from `wait4(2)` on the child. The generated site has no errors, so a non-zero
//! exit fails the bench and prints the child's stderr.

use std::fmt::Write as _;
use std::fs;
use std::io::{Read, Seek};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// Bump when the generated site changes, so cached sites are regenerated.
const GENERATOR_VERSION: u32 = 2;
const STAMP: &str = ".bench-stamp";
const BIN: &str = env!("CARGO_BIN_EXE_evidentia");
const PAGES_PER_SECTION: usize = 100;
const TEAMS: [&str; 4] = ["security", "ml-platform", "data-eng", "risk"];
const CONTROLS: [&str; 5] = ["GR-RBAC", "GR-SECRETS", "GR-NETPOL", "GR-LOGS", "GR-DATA"];

fn main() {
    if std::env::args()
        .nth(1)
        .is_some_and(|a| a == imports::BASELINE_ARG)
    {
        imports::baseline_child();
        return;
    }
    let (sizes, runs, imports_too, mode) = parse_args();
    // The binary is target/<profile>/evidentia; the sites go to target/bench-sites.
    let target = Path::new(BIN)
        .ancestors()
        .nth(2)
        .expect("binary has a target folder");
    let sites = target.join("bench-sites");
    fs::create_dir_all(&sites).expect("create target/bench-sites");
    match mode {
        Mode::Versus => return versus::run(&sites, &sizes, runs),
        Mode::Tiny => return tiny::run(&sites, &sizes, runs),
        Mode::Sizes => {}
    }
    let mut rows = Vec::new();
    let mut imported = Vec::new();
    if imports_too {
        imported = imports::run(&sites, runs);
    }
    for &n in &sizes {
        let site = sites.join(n.to_string());
        ensure_site(&site, n);
        let out = tempfile::Builder::new()
            .prefix(&format!(".out-{n}-"))
            .tempdir_in(&sites)
            .expect("create an output folder under target/bench-sites");
        let (site_s, out_s) = (path_str(&site), path_str(out.path()));
        let build = ["build", site_s, "-o", out_s, "--quiet"];
        // Every timed build starts from nothing: no output folder, no build cache.
        rows.push(measure(n, "build", &build, runs, Some(out.path())));
        // Then the same build again with nothing changed (the build cache's case).
        rows.push(measure(n, "rebuild", &build, runs, None));
        rows.push(measure(
            n,
            "check",
            &["check", site_s, "--quiet"],
            runs,
            None,
        ));
    }
    if !sizes.is_empty() {
        report(&rows, &sizes, runs);
    }
    if imports_too {
        imports::report(&imported, runs);
    }
}

/// What the sizes are sizes of.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// N pages and N items.
    Sizes,
    /// N pages with Hugo and with Evidentia (`versus`, 10000 by default).
    Versus,
    /// N tiny evidence files (`tiny`, 100000 by default).
    Tiny,
}

/// The sizes, the runs, whether to time the imports (`imports` alone skips the sizes), and
/// what to time.
fn parse_args() -> (Vec<usize>, usize, bool, Mode) {
    let mut runs = std::env::var("EVIDENTIA_BENCH_RUNS")
        .ok()
        .map(|v| v.parse().expect("EVIDENTIA_BENCH_RUNS must be a number"));
    let mut sizes = Vec::new();
    let mut imports_only = false;
    let mut mode = Mode::Sizes;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--bench" {
            continue; // cargo bench passes it to every bench binary.
        } else if let Some(v) = arg.strip_prefix("--runs=") {
            runs = Some(v.parse().expect("--runs takes a number"));
        } else if arg == "--runs" {
            let v = args.next().expect("--runs takes a number");
            runs = Some(v.parse().expect("--runs takes a number"));
        } else if arg == "imports" {
            imports_only = true;
        } else if arg == "versus" {
            mode = Mode::Versus;
        } else if arg == "tiny" {
            mode = Mode::Tiny;
        } else if let Ok(n) = arg.parse::<usize>() {
            sizes.push(n);
        } else {
            eprintln!(
                "usage: cargo bench --bench build -- [SIZE ...] [imports | versus | tiny] [--runs N]; not `{arg}`"
            );
            std::process::exit(2);
        }
    }
    if sizes.is_empty() {
        match mode {
            Mode::Versus => sizes = vec![10000],
            Mode::Tiny => sizes = vec![100_000],
            Mode::Sizes => {}
        }
    }
    let imports_too = mode == Mode::Sizes && (imports_only || sizes.is_empty());
    if sizes.is_empty() && !imports_only {
        sizes = vec![1000, 10000];
    }
    sizes.sort_unstable();
    sizes.dedup();
    let runs = runs.unwrap_or(3);
    assert!(
        runs > 0 && sizes.first().is_none_or(|&n| n > 0),
        "sizes and --runs must be at least 1"
    );
    (sizes, runs, imports_too, mode)
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("bench paths are UTF-8")
}

/// Generates the site of size `n` unless an up-to-date copy is already there.
fn ensure_site(site: &Path, n: usize) {
    let stamp = format!("evidentia bench site, generator v{GENERATOR_VERSION}, size {n}\n");
    if fs::read_to_string(site.join(STAMP)).is_ok_and(|s| s == stamp) {
        eprintln!("reusing {}", site.display());
        return;
    }
    eprintln!("generating {} ...", site.display());
    if site.exists() {
        fs::remove_dir_all(site).expect("remove the stale bench site");
    }
    write(&site.join("site.toml"), &format!("title = \"Bench {n}\"\n"));
    for i in 1..=n {
        let section = (i - 1) / PAGES_PER_SECTION + 1;
        let page_path = site.join(format!("content/section-{section}/page-{i}.md"));
        write(&page_path, &page(i, n));
        write(
            &site.join(format!("evidence/items/item-{i}.yaml")),
            &item(i),
        );
    }
    write(&site.join(STAMP), &stamp); // Last, so that an interrupted run regenerates.
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    }
    fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Content page `i` of `n`: about 45 lines, with two wiki links to existing items.
fn page(i: usize, n: usize) -> String {
    let (j1, j2) = ((i * 7) % n + 1, (i * 13 + 5) % n + 1);
    let (team, section) = (TEAMS[i % TEAMS.len()], (i - 1) / PAGES_PER_SECTION + 1);
    let (month, day, prev) = (i % 12 + 1, i % 28 + 1, (i - 1).max(1));
    let prev_section = (prev - 1) / PAGES_PER_SECTION + 1;
    let mut s = format!(
        "---\ntitle: \"Control narrative {i}\"\ndate: 2026-{month:02}-{day:02}\n\
         tags: [bench, section-{section}, {team}]\nweight: {i}\n---\n\n\
         # Control narrative {i}\n\n\
         This page explains how service {i} meets the access-control and logging\n\
         requirements of the baseline. It is owned by {team} and reviewed every\n\
         quarter, together with the evidence items it cites.\n\n\
         The threat model and scan results in [[item-{j1}]] back the claims below;\n\
         every *open* question is tracked in the backlog with an owner and a due date.\n\n\
         ## Evidence summary\n\n| Control | Owner | Status | Evidence |\n|---|---|---|---|\n"
    );
    for (r, control) in CONTROLS.iter().enumerate() {
        let (status, cited) = (["done", "in progress"][(i + r) % 2], (i + r) % n + 1);
        let _ = writeln!(s, "| {control} | {team} | {status} | item-{cited} |");
    }
    let _ = write!(
        s,
        "\n## Implementation\n\n```rust\n\
         /// Rejects a request whose token lacks the scope of service {i}.\n\
         pub fn authorize(token: &Token, scope: &str) -> Result<(), Denied> {{\n\
         \x20   if token.expired() {{\n\
         \x20       return Err(Denied::Expired);\n\
         \x20   }}\n\
         \x20   let ok = token.scopes().iter().any(|s| s == scope);\n\
         \x20   if ok {{ Ok(()) }} else {{ Err(Denied::Scope(scope.to_owned())) }}\n\
         }}\n\
         const MAX_AGE_SECS: u64 = {max_age};\n```\n\n\
         ## Related\n\n\
         - [[item-{j2}]]\n\
         - [Runbook for service {i}](https://runbooks.example.org/service-{i})\n\
         - [Previous narrative](../section-{prev_section}/page-{prev}.md)\n\
         - [Baseline controls](https://example.org/baseline#access)\n\n\
         Questions about this page go to the {team} channel; changes follow the usual\n\
         pull-request review with one approval from the control owner.\n",
        max_age = 300 + i % 600,
    );
    s
}

/// Evidence item `i`, cycling through four kinds; every threat is mitigated, every
/// finding low, every exception current, so the site has no policy errors.
fn item(i: usize) -> String {
    let team = TEAMS[i % TEAMS.len()];
    let (kind, title) = match (i - 1) % 4 {
        0 => ("threat-model", format!("Service {i} threat model")),
        1 => ("scan", format!("Service {i} image scan")),
        2 => (
            "exception",
            format!("Exception for the scan item-{}", i - 1),
        ),
        _ => ("fairness", format!("Model {i} fairness evaluation")),
    };
    let header = format!(
        "kind: {kind}\nid: item-{i}\ntitle: {title}\nowner: {team}\n\
         tags: [bench, {kind}, {team}]\nupdated: 2026-10-02\n\n"
    );
    let (a, b, minor) = (20000 + i, 30000 + i, i % 20);
    let body = match kind {
        "threat-model" => format!(
            "system: >-\n  Service {i}: an HTTP API in front of a Postgres database and a\n  \
             model-serving sidecar, deployed on the shared Kubernetes cluster.\n\
             methodology: stride\nassets:\n\
             \x20 - id: api\n    title: Public API of service {i}\n    sensitivity: confidential\n\
             \x20 - id: db\n    title: Customer database\n    sensitivity: restricted\n\
             flows:\n  - id: F1\n    from: clients\n    to: api\n    crosses: internet-to-cluster\n\
             threats:\n\
             \x20 - id: T1\n    title: Stolen client tokens are replayed against the API\n\
             \x20   category: spoofing\n    affects: [api, F1]\n    likelihood: medium\n\
             \x20   impact: high\n    status: mitigated\n    mitigations:\n\
             \x20     - text: Tokens are short-lived and bound to mTLS client certificates.\n\
             \x20       owner: {team}\n        status: done\n\
             \x20 - id: T2\n    title: Crafted inputs extract training data from the model\n\
             \x20   category: model-inversion\n    affects: [api]\n    likelihood: low\n\
             \x20   impact: medium\n    status: mitigated\n    mitigations:\n\
             \x20     - text: Responses return only the decision and rounded scores.\n\
             \x20       owner: {team}\n        status: done\n"
        ),
        "scan" => format!(
            "tool: trivy 0.57.1\ntarget: registry.internal/bench/service-{i}:1.{minor}.0\n\
             scanned: 2026-10-02\nfindings:\n\
             \x20 - id: AVD-DS-0026\n    rule: AVD-DS-0026\n    severity: low\n\
             \x20   title: Dockerfile defines no HEALTHCHECK\n    location: Dockerfile:1\n\
             \x20   references:\n      - https://avd.aquasec.com/misconfig/ds026\n    status: open\n\
             \x20 - id: CVE-2024-{a}\n    rule: CVE-2024-{a}\n    severity: low\n\
             \x20   title: libexpat mishandles a crafted XML declaration\n\
             \x20   location: libexpat@2.5.0\n    fixed_version: 2.6.0\n\
             \x20   references:\n      - https://nvd.nist.gov/vuln/detail/CVE-2024-{a}\n\
             \x20   status: fixed\n\
             \x20 - id: CVE-2023-{b}\n    rule: CVE-2023-{b}\n    severity: low\n\
             \x20   title: zlib inflate reads past a crafted header\n    location: zlib@1.2.13\n\
             \x20   status: not-affected\n"
        ),
        "exception" => format!(
            "covers:\n  - item-{}#AVD-DS-0026\nreason: >-\n  \
             The image runs under the cluster's liveness probes, which call the\n  \
             service's /healthz endpoint every ten seconds, so a Dockerfile HEALTHCHECK\n  \
             would duplicate them. The base image is rebuilt monthly and rescanned, and\n  \
             this exception is reviewed whenever the deployment manifests change.\n\
             approved_by:\n  - Daniel Osei (Security Lead)\n  - Marta Kowalczyk (Platform Lead)\n\
             approved_on: 2026-10-02\nexpires: 2099-12-31\n",
            i - 1
        ),
        _ => format!(
            "model: credit-scoring-gbm {i}.0.0\ndataset: Out-of-time holdout {i}, 46,281 rows\n\
             sensitive_features: [sex]\nmetrics:\n  - feature: sex\n    groups:\n\
             \x20     female:\n        count: 21904\n        selection_rate: 0.612\n        auc: 0.781\n\
             \x20     male:\n        count: 24377\n        selection_rate: 0.648\n        auc: 0.776\n\
             disparities:\n  - metric: demographic_parity_ratio\n    feature: sex\n\
             \x20   value: 0.944\n    threshold: 0.8\n    direction: at-least\n\
             explainability:\n  method: SHAP (TreeExplainer)\n  global_importance:\n\
             \x20   debt_to_income: 0.412\n    revolving_utilisation: 0.337\n\
             review:\n  reviewer: Model Risk Management\n  reviewed_on: 2026-10-02\n\
             \x20 decision: approved\n  cadence_days: 3650\n"
        ),
    };
    header + &body
}

/// One command at one size: (wall s, CPU s, peak RSS KiB) of each timed run.
struct Row {
    size: usize,
    command: &'static str,
    runs: Vec<(f64, f64, i64)>,
}

impl Row {
    fn wall(&self) -> f64 {
        median(self.runs.iter().map(|r| r.0).collect())
    }
}

/// Times `args`; with `fresh`, that output folder and its build cache are deleted before
/// each run (untimed), so every run is a full build.
fn measure(
    size: usize,
    command: &'static str,
    args: &[&str],
    runs: usize,
    fresh: Option<&Path>,
) -> Row {
    eprintln!("timing `evidentia {command}` at size {size} ...");
    let clear = || {
        if let Some(out) = fresh {
            let _ = fs::remove_dir_all(out);
            let name = out.file_name().map(|n| n.to_string_lossy().into_owned());
            let cache =
                out.with_file_name(format!(".{}.evidentia-cache", name.unwrap_or_default()));
            let _ = fs::remove_file(cache);
        }
    };
    clear();
    run_once(args); // Warm-up: page cache, binary loading.
    let runs = (0..runs)
        .map(|_| {
            clear();
            run_once(args)
        })
        .collect();
    Row {
        size,
        command,
        runs,
    }
}

/// Runs the binary once; returns wall seconds, user+sys CPU seconds and peak RSS (KiB).
/// Exits the bench, printing the child's stderr, if the child fails.
fn run_once(args: &[&str]) -> (f64, f64, i64) {
    run_program(BIN, args)
}

/// [`run_once`] for any program.
#[allow(clippy::zombie_processes, reason = "the child is reaped by wait4")]
fn run_program(program: &str, args: &[&str]) -> (f64, f64, i64) {
    let mut stderr = tempfile::tempfile().expect("create a temporary file for stderr");
    let started = Instant::now();
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr.try_clone().expect("clone the stderr file"))
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {program}: {e}"));
    let pid = libc::pid_t::try_from(child.id()).expect("pid fits pid_t");
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data, for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: pointers to live locals; pid is our own child, not yet reaped.
        if unsafe { libc::wait4(pid, &mut status, 0, &mut usage) } == pid {
            break;
        }
        let e = std::io::Error::last_os_error();
        assert!(
            e.kind() == std::io::ErrorKind::Interrupted,
            "wait4 failed: {e}"
        );
    }
    let wall = started.elapsed().as_secs_f64();
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        let mut text = String::new();
        stderr.rewind().expect("rewind the stderr file");
        stderr
            .read_to_string(&mut text)
            .expect("read the child's stderr");
        let cmd = args.join(" ");
        eprintln!("`{program} {cmd}` failed (wait status {status:#x}); its stderr:\n{text}");
        std::process::exit(1);
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let cpu = secs(usage.ru_utime) + secs(usage.ru_stime);
    (wall, cpu, usage.ru_maxrss) // ru_maxrss is in KiB on Linux.
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

fn report(rows: &[Row], sizes: &[usize], runs: usize) {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let model = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            let line = t.lines().find(|l| l.starts_with("model name"))?;
            Some(line.split_once(':')?.1.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    println!("\nmachine: {cores} CPUs available, {model}");
    println!("median of {runs} timed run(s) after one warm-up; RSS is the peak of the runs;");
    println!("pages/s counts the N pages and the N items, each rendered as a page\n");
    let head = ("size", "command", "wall s", "cpu s", "RSS MiB", "pages/s");
    println!(
        "{:>7}  {:<7} {:>9} {:>9} {:>9} {:>9}",
        head.0, head.1, head.2, head.3, head.4, head.5
    );
    for r in rows {
        let (wall, cpu) = (r.wall(), median(r.runs.iter().map(|r| r.1).collect()));
        let rss = r.runs.iter().map(|r| r.2).max().unwrap_or(0) as f64 / 1024.0;
        let (size, command, pages) = (r.size, r.command, (2 * r.size) as f64 / wall);
        println!("{size:>7}  {command:<7} {wall:>9.3} {cpu:>9.3} {rss:>9.1} {pages:>9.0}");
    }
    let wall_of = |size, command| {
        rows.iter()
            .find(|r| r.size == size && r.command == command)
            .map(Row::wall)
            .expect("every size has a build and a check row")
    };
    println!();
    for &n in sizes {
        let ratio = wall_of(n, "build") / wall_of(n, "check");
        println!("build/check wall at {n:>6}: {ratio:.2}");
    }
    if let [small, .., large] = *sizes {
        let expected = wall_of(small, "build") * (large as f64 / small as f64);
        let factor = wall_of(large, "build") / expected;
        println!("linearity of build, {large} vs {small}: {factor:.2} (1.0 = linear)");
    }
}

/// Bad input at scale (`cargo bench --bench build -- tiny [N] [--runs R]`): a site of N
/// tiny evidence files (default 100,000), each an exception that covers nothing and so
/// carries a warning, in folders of 1,000. Times `check` and a `build` from an empty
/// output folder: both must finish, with bounded memory, and every file must become an
/// item page.
mod tiny {
    use super::{STAMP, measure, median, path_str, write};
    use std::fs;
    use std::path::Path;

    /// Bump when the generated site changes.
    const VERSION: u32 = 1;

    pub fn run(sites: &Path, sizes: &[usize], runs: usize) {
        let mut rows = Vec::new();
        for &n in sizes {
            let site = sites.join(format!("tiny-{n}"));
            ensure(&site, n);
            let out = tempfile::Builder::new()
                .prefix(&format!(".out-tiny-{n}-"))
                .tempdir_in(sites)
                .expect("create an output folder under target/bench-sites");
            let (site_s, out_s) = (path_str(&site), path_str(out.path()));
            rows.push(measure(
                n,
                "check",
                &["check", site_s, "--quiet"],
                runs,
                None,
            ));
            let build = ["build", site_s, "-o", out_s, "--quiet"];
            rows.push(measure(n, "build", &build, runs, Some(out.path())));
            let pages = fs::read_dir(out.path().join("evidence"))
                .map_or(0, |d| d.filter_map(Result::ok).count());
            assert_eq!(pages, n, "every tiny file has its item page");
        }
        println!("\ntiny evidence files: median of {runs} timed run(s) after one warm-up");
        println!(
            "{:>8}  {:<7} {:>9} {:>9} {:>9}",
            "files", "command", "wall s", "cpu s", "RSS MiB"
        );
        for r in &rows {
            let cpu = median(r.runs.iter().map(|r| r.1).collect());
            let rss = r.runs.iter().map(|r| r.2).max().unwrap_or(0) as f64 / 1024.0;
            println!(
                "{:>8}  {:<7} {:>9.3} {cpu:>9.3} {rss:>9.1}",
                r.size,
                r.command,
                r.wall()
            );
        }
    }

    fn ensure(site: &Path, n: usize) {
        let stamp = format!("evidentia tiny-files bench v{VERSION}, {n} files\n");
        if fs::read_to_string(site.join(STAMP)).is_ok_and(|s| s == stamp) {
            eprintln!("reusing {}", site.display());
            return;
        }
        eprintln!("generating {} ...", site.display());
        if site.exists() {
            fs::remove_dir_all(site).expect("remove the stale tiny-files site");
        }
        write(&site.join("site.toml"), "title = \"Tiny files\"\n");
        for i in 0..n {
            write(
                &site.join(format!("evidence/d{}/x{i}.yaml", i / 1000)),
                &format!(
                    "kind: exception\nid: x{i}\ntitle: X{i}\nreason: r\nexpires: 2099-12-31\n"
                ),
            );
        }
        write(&site.join(STAMP), &stamp);
    }
}

/// The 100 MB imports: one site per report shape, each timed with `evidentia check`.
mod imports {
    use super::{STAMP, median, path_str, run_once, run_program, write};
    use std::fmt::Write as _;
    use std::fs;
    use std::path::Path;

    /// The bench binary run with this argument and a file parses the file as the baseline.
    pub const BASELINE_ARG: &str = "--parse-into-value";

    /// Bump when a generated report changes.
    const VERSION: u32 = 1;
    /// Each report grows until it reaches this many bytes.
    const TARGET: usize = 100_000_000;

    /// One report shape.
    pub struct Case {
        name: &'static str,
        file: &'static str,
        generate: fn(usize) -> String,
    }

    const CASES: [Case; 3] = [
        Case {
            name: "sarif",
            file: "codeql.sarif",
            generate: sarif,
        },
        Case {
            name: "trivy",
            file: "trivy.json",
            generate: trivy,
        },
        Case {
            name: "sarif-tiny",
            file: "tiny.sarif",
            generate: sarif_tiny,
        },
    ];

    /// One case's figures: the report's bytes, the baseline's wall seconds and the runs.
    pub struct Measured {
        case: &'static Case,
        bytes: u64,
        baseline: Vec<(f64, f64, i64)>,
        runs: Vec<(f64, f64, i64)>,
    }

    pub fn run(sites: &Path, runs: usize) -> Vec<Measured> {
        CASES
            .iter()
            .map(|case| {
                let site = sites.join(format!("import-{}", case.name));
                ensure(&site, case);
                let report = site.join("evidence").join(case.file);
                let bytes = fs::metadata(&report).map_or(0, |m| m.len());
                eprintln!("timing the baseline for {} ...", case.name);
                let me = std::env::current_exe().expect("the bench binary's path");
                let args = [BASELINE_ARG, path_str(&report)];
                let baseline: Vec<_> = (0..=runs)
                    .map(|_| run_program(path_str(&me), &args))
                    .skip(1)
                    .collect();
                eprintln!("timing `evidentia check` on {} ...", case.name);
                let args = ["check", path_str(&site), "--quiet"];
                run_once(&args);
                let runs = (0..runs).map(|_| run_once(&args)).collect();
                Measured {
                    case,
                    bytes,
                    baseline,
                    runs,
                }
            })
            .collect()
    }

    /// The baseline, in a child process of its own (so that its memory is not counted
    /// in the children the bench starts later): read the file named by the second
    /// argument and parse it into a `serde_json::Value`.
    pub fn baseline_child() {
        let path = std::env::args().nth(2).expect("a file to parse");
        let bytes = fs::read(path).expect("read the generated report");
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).expect("the generated report is JSON");
        drop((value, bytes));
    }

    pub fn report(rows: &[Measured], runs: usize) {
        println!("\nimports: `evidentia check` on a site holding one report, median of {runs}");
        println!("run(s) after a warm-up; base = reading the file and serde_json::from_slice");
        println!("into a serde_json::Value, in a process of its own; peak RSS as a multiple of");
        println!("the report's size\n");
        println!(
            "{:<11} {:>6} {:>7} {:>7} {:>7} {:>8} {:>7} {:>7} {:>8} {:>7}",
            "report",
            "MB",
            "wall s",
            "cpu s",
            "base s",
            "base cpu",
            "x base",
            "RSS MiB",
            "x size",
            "base x"
        );
        for m in rows {
            let med = |v: &[(f64, f64, i64)], f: fn(&(f64, f64, i64)) -> f64| {
                median(v.iter().map(f).collect())
            };
            let (wall, cpu) = (med(&m.runs, |r| r.0), med(&m.runs, |r| r.1));
            let (base, base_cpu) = (med(&m.baseline, |r| r.0), med(&m.baseline, |r| r.1));
            let peak =
                |v: &[(f64, f64, i64)]| v.iter().map(|r| r.2).max().unwrap_or(0) as f64 * 1024.0;
            let (rss, base_rss) = (peak(&m.runs), peak(&m.baseline));
            let size = m.bytes as f64;
            println!(
                "{:<11} {:>6.1} {:>7.3} {:>7.3} {:>7.3} {:>8.3} {:>7.2} {:>7.1} {:>8.2} {:>7.2}",
                m.case.name,
                size / 1e6,
                wall,
                cpu,
                base,
                base_cpu,
                wall / base,
                rss / 1024.0 / 1024.0,
                rss / size,
                base_rss / size,
            );
        }
    }

    /// The ~100 MB CodeQL-style SARIF report, generated once under `sites`.
    pub fn sarif_report(sites: &Path) -> std::path::PathBuf {
        let site = sites.join("import-sarif");
        ensure(&site, &CASES[0]);
        site.join("evidence").join(CASES[0].file)
    }

    fn ensure(site: &Path, case: &Case) {
        let stamp = format!("evidentia import bench v{VERSION}, {}\n", case.name);
        if fs::read_to_string(site.join(STAMP)).is_ok_and(|s| s == stamp) {
            eprintln!("reusing {}", site.display());
            return;
        }
        eprintln!("generating {} ...", site.display());
        if site.exists() {
            fs::remove_dir_all(site).expect("remove the stale import site");
        }
        // Critical findings would be errors; the reports hold none, so check exits 0.
        write(
            &site.join("site.toml"),
            "title = \"Import bench\"\n\n[policy]\nfail_on_severity = \"critical\"\n",
        );
        write(
            &site.join("evidence").join(case.file),
            &(case.generate)(TARGET),
        );
        write(&site.join(STAMP), &stamp);
    }

    const LEVELS: [&str; 3] = ["error", "warning", "note"];
    const WORDS: [&str; 12] = [
        "user",
        "input",
        "flows",
        "into",
        "a",
        "query",
        "without",
        "sanitising",
        "the",
        "value",
        "request",
        "path",
    ];

    /// A CodeQL-style log: 60 described rules, one result per line, each with a message,
    /// a location with a region, fingerprints and a related location.
    fn sarif(target: usize) -> String {
        let mut s = String::with_capacity(target + 100_000);
        s.push_str(
            "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\
             \"runs\":[{\"tool\":{\"driver\":{\"name\":\"CodeQL\",\"semanticVersion\":\"2.19.0\",\
             \"rules\":[",
        );
        for r in 0..60 {
            let sev = [8.8, 6.1, 7.5, 4.3, 5.0][r % 5];
            let _ = write!(
                s,
                "{}\n{{\"id\":\"py/rule-{r}\",\"name\":\"py/rule-{r}\",\
                 \"shortDescription\":{{\"text\":\"Rule {r} finds unsafe data flow\"}},\
                 \"fullDescription\":{{\"text\":\"Building a query from user-controlled \
                 sources is vulnerable to injection (rule {r}).\"}},\
                 \"defaultConfiguration\":{{\"enabled\":true,\"level\":\"{}\"}},\
                 \"help\":{{\"text\":\"# Rule {r}\\nUse parameterised queries.\",\
                 \"markdown\":\"# Rule {r}\\n\\nUse **parameterised** queries.\"}},\
                 \"helpUri\":\"https://codeql.github.com/rules/{r}\",\
                 \"properties\":{{\"tags\":[\"security\",\"external/cwe/cwe-0{r}\"],\
                 \"precision\":\"high\",\"security-severity\":\"{sev}\"}}}}",
                if r == 0 { "" } else { "," },
                LEVELS[r % 3],
            );
        }
        s.push_str("]}},\"results\":[");
        let mut i = 0usize;
        while s.len() < target {
            let r = (i * 7) % 60;
            let (file, line, col) = (i % 4000, i % 900 + 1, i % 60 + 1);
            let mut message = String::new();
            for k in 0..(8 + i % 10) {
                message.push_str(WORDS[(i + k * 5) % WORDS.len()]);
                message.push(' ');
            }
            let _ = write!(
                s,
                "{}\n{{\"ruleId\":\"py/rule-{r}\",\"ruleIndex\":{r},\"level\":\"{}\",\
                 \"message\":{{\"text\":\"{message}at [source](1).\"}},\
                 \"locations\":[{{\"physicalLocation\":{{\"artifactLocation\":\
                 {{\"uri\":\"src/pkg{}/module_{file}.py\",\"uriBaseId\":\"%SRCROOT%\",\
                 \"index\":{file}}},\"region\":{{\"startLine\":{line},\"startColumn\":{col},\
                 \"endColumn\":{}}}}}}}],\"partialFingerprints\":\
                 {{\"primaryLocationLineHash\":\"{:016x}:1\"}},\"relatedLocations\":[{{\"id\":1,\
                 \"physicalLocation\":{{\"artifactLocation\":{{\"uri\":\"src/app_{file}.py\"}},\
                 \"region\":{{\"startLine\":{}}}}},\"message\":{{\"text\":\"source\"}}}}]}}",
                if i == 0 { "" } else { "," },
                LEVELS[r % 3],
                file % 40,
                col + 12,
                (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
                line + 3,
            );
            i += 1;
        }
        s.push_str("\n]}]}\n");
        s
    }

    /// The worst case for the importer: very many tiny results, no message, short rule
    /// ids, one location each.
    fn sarif_tiny(target: usize) -> String {
        let mut s = String::with_capacity(target + 1000);
        s.push_str(
            "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"lint\",\
             \"rules\":[",
        );
        for r in 0..20 {
            let _ = write!(s, "{}{{\"id\":\"r{r}\"}}", if r == 0 { "" } else { "," });
        }
        s.push_str("]}},\"results\":[");
        let mut i = 0usize;
        while s.len() < target {
            let _ = write!(
                s,
                "{}\n{{\"ruleId\":\"r{}\",\"locations\":[{{\"physicalLocation\":\
                 {{\"artifactLocation\":{{\"uri\":\"f{}.c\"}},\"region\":{{\"startLine\":{}}}}}}}]}}",
                if i == 0 { "" } else { "," },
                i % 20,
                i % 500,
                i % 300 + 1
            );
            i += 1;
        }
        s.push_str("\n]}]}\n");
        s
    }

    const SEVERITIES: [&str; 4] = ["HIGH", "MEDIUM", "LOW", "UNKNOWN"];

    /// A `trivy image` report as Trivy writes it (indented), with many vulnerabilities,
    /// each with a description, CVSS data and references; a CVE recurs across packages.
    fn trivy(target: usize) -> String {
        let mut s = String::with_capacity(target + 100_000);
        s.push_str(
            "{\n  \"SchemaVersion\": 2,\n  \"CreatedAt\": \"2026-11-20T10:00:00Z\",\n  \
             \"ArtifactName\": \"registry.example.org/app:1.0\",\n  \"ArtifactType\": \
             \"container_image\",\n  \"Results\": [",
        );
        let mut i = 0usize;
        let mut target_no = 0;
        while s.len() < target {
            let _ = write!(
                s,
                "{}\n    {{\n      \"Target\": \"layer-{target_no} (debian 12.5)\",\n      \
                 \"Class\": \"os-pkgs\",\n      \"Type\": \"debian\",\n      \
                 \"Vulnerabilities\": [",
                if target_no == 0 { "" } else { "," }
            );
            for k in 0..500 {
                let cve = 10000 + (i * 13) % 20000;
                let pkg = i % 700;
                let sev = SEVERITIES[i % 4];
                let mut desc = String::new();
                for w in 0..(40 + i % 40) {
                    desc.push_str(WORDS[(i + w * 7) % WORDS.len()]);
                    desc.push(' ');
                }
                let _ = write!(
                    s,
                    "{}\n        {{\n          \"VulnerabilityID\": \"CVE-2024-{cve}\",\n          \
                     \"PkgID\": \"lib{pkg}@1.{k}.0\",\n          \"PkgName\": \"lib{pkg}\",\n          \
                     \"InstalledVersion\": \"1.{k}.0\",\n          \"FixedVersion\": \"1.{k}.1\",\n          \
                     \"Status\": \"fixed\",\n          \"Layer\": {{\n            \"DiffID\": \
                     \"sha256:{:064x}\"\n          }},\n          \"SeveritySource\": \"nvd\",\n          \
                     \"PrimaryURL\": \"https://avd.aquasec.com/nvd/cve-2024-{cve}\",\n          \
                     \"DataSource\": {{\n            \"ID\": \"debian\",\n            \"Name\": \
                     \"Debian Security Tracker\",\n            \"URL\": \
                     \"https://salsa.debian.org/security-tracker-team/security-tracker\"\n          }},\n          \
                     \"Title\": \"lib{pkg}: {} in parser\",\n          \
                     \"Description\": \"{desc}\",\n          \"Severity\": \"{sev}\",\n          \
                     \"CweIDs\": [\n            \"CWE-{}\"\n          ],\n          \
                     \"VendorSeverity\": {{\n            \"debian\": 2,\n            \"nvd\": 3\n          }},\n          \
                     \"CVSS\": {{\n            \"nvd\": {{\n              \"V3Vector\": \
                     \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\",\n              \
                     \"V3Score\": 7.5\n            }}\n          }},\n          \"References\": [\n            \
                     \"https://nvd.nist.gov/vuln/detail/CVE-2024-{cve}\",\n            \
                     \"https://security-tracker.debian.org/tracker/CVE-2024-{cve}\",\n            \
                     \"https://github.com/example/lib{pkg}/issues/{k}\"\n          ],\n          \
                     \"PublishedDate\": \"2024-03-01T15:15:00Z\",\n          \
                     \"LastModifiedDate\": \"2024-06-10T12:00:00Z\"\n        }}",
                    if k == 0 { "" } else { "," },
                    i as u64 * 0x9e37_79b9,
                    WORDS[i % WORDS.len()],
                    100 + i % 700,
                );
                i += 1;
            }
            s.push_str("\n      ]\n    }");
            target_no += 1;
        }
        s.push_str("\n  ]\n}\n");
        s
    }
}

/// Side by side with Hugo (`cargo bench --bench build -- versus [SIZE] [--runs N]`): the
/// same N Markdown pages built by Hugo (minimal layouts, its default highlighting) and by
/// Evidentia (default theme, highlighting on), then Evidentia on the whole corpus (the N
/// pages, N evidence items and one ~100 MB SARIF report). Runs alternate between the
/// three so that a busy machine slows each alike; every run starts from an empty output
/// folder. Hugo is installed from Debian when it is missing.
mod versus {
    use super::{BIN, ensure_site, median, path_str, run_program, write};
    use std::fs;
    use std::path::Path;
    use std::process::Command;

    /// Hugo's site: config and layouts that do the least a real site does (a page, a
    /// paginated list, the tag pages Hugo makes by default).
    const HUGO_FILES: [(&str, &str); 4] = [
        (
            "hugo.toml",
            "baseURL = \"https://example.org/\"\ntitle = \"Bench\"\n\
             [pagination]\npagerSize = 100\n[markup.highlight]\nnoClasses = false\n",
        ),
        (
            "layouts/_default/baseof.html",
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title>\
             </head><body><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n",
        ),
        (
            "layouts/_default/single.html",
            "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}\
             <ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}\n",
        ),
        (
            "layouts/_default/list.html",
            "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}\
             <li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
        ),
    ];

    struct Tool {
        name: &'static str,
        program: String,
        args: Vec<String>,
        out: std::path::PathBuf,
        runs: Vec<(f64, f64, i64)>,
    }

    pub fn run(sites: &Path, sizes: &[usize], runs: usize) {
        let hugo = ensure_hugo();
        for &n in sizes {
            let full = sites.join(n.to_string());
            ensure_site(&full, n);
            let pages = sites.join(format!("pages-{n}"));
            let hugo_site = sites.join(format!("hugo-{n}"));
            // The pages alone cite no items: their wiki links become plain text, for Hugo
            // (which has no wiki links) and Evidentia alike.
            copy_pages(&full, &pages, &[("site.toml", "title = \"Bench pages\"\n")]);
            copy_pages(&full, &hugo_site, &HUGO_FILES);
            let with_sarif = sites.join(format!("corpus-{n}"));
            // Like the import bench: the report's findings stop short of critical.
            let corpus_toml =
                "title = \"Bench corpus\"\n\n[policy]\nfail_on_severity = \"critical\"\n";
            link_content(&full, &with_sarif, &[("site.toml", corpus_toml)]);
            link_tree(&full.join("evidence"), &with_sarif.join("evidence"));
            let sarif = super::imports::sarif_report(sites);
            let dest = with_sarif.join("evidence/codeql.sarif");
            if !dest.exists() {
                fs::hard_link(&sarif, &dest)
                    .or_else(|_| fs::copy(&sarif, &dest).map(drop))
                    .expect("put the SARIF report in the corpus site");
            }
            let outs = tempfile::Builder::new()
                .prefix(".versus-")
                .tempdir_in(sites)
                .expect("output folders");
            let tool = |name, program: &str, site: &Path, args: &[&str]| Tool {
                name,
                program: program.to_owned(),
                out: outs.path().join(name),
                args: {
                    let mut a: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
                    a.push(path_str(site).to_owned());
                    a
                },
                runs: Vec::new(),
            };
            let mut tools = [
                tool("hugo", &hugo, &hugo_site, &["--quiet", "--destination"]),
                tool("evidentia", BIN, &pages, &["build", "--quiet", "-o"]),
                tool(
                    "evidentia+corpus",
                    BIN,
                    &with_sarif,
                    &["build", "--quiet", "-o"],
                ),
            ];
            // Hugo reads `--source DIR`; Evidentia takes the root last.
            tools[0]
                .args
                .insert(tools[0].args.len() - 1, "--source".to_owned());
            for round in 0..=runs {
                for t in &mut tools {
                    eprintln!("{} {n}: run {round} of {runs} (0 = warm-up)", t.name);
                    let _ = fs::remove_dir_all(&t.out);
                    let mut args: Vec<&str> = t.args.iter().map(String::as_str).collect();
                    let dest = path_str(&t.out);
                    if t.name == "hugo" {
                        // --destination OUT --source SITE
                        args.insert(2, dest);
                    } else {
                        args.insert(3, dest);
                    }
                    let r = run_program(&t.program, &args);
                    if round > 0 {
                        t.runs.push(r);
                    }
                }
            }
            report(n, &tools);
        }
    }

    fn report(n: usize, tools: &[Tool]) {
        println!(
            "\nversus Hugo at {n} pages (evidentia+corpus adds {n} evidence items and a ~100 MB SARIF report)"
        );
        println!(
            "{:<17} {:>4} {:>9} {:>9} {:>9} {:>10}",
            "tool", "run", "wall s", "cpu s", "RSS MiB", "x hugo"
        );
        let hugo = &tools[0].runs;
        for t in tools {
            for (i, r) in t.runs.iter().enumerate() {
                println!(
                    "{:<17} {:>4} {:>9.3} {:>9.3} {:>9.1} {:>10.3}",
                    t.name,
                    i + 1,
                    r.0,
                    r.1,
                    r.2 as f64 / 1024.0,
                    r.0 / hugo[i].0
                );
            }
        }
        println!();
        for t in tools {
            let wall = median(t.runs.iter().map(|r| r.0).collect());
            let cpu = median(t.runs.iter().map(|r| r.1).collect());
            let rss = t.runs.iter().map(|r| r.2).max().unwrap_or(0) as f64 / 1024.0;
            let ratio = median(t.runs.iter().zip(hugo).map(|(r, h)| r.0 / h.0).collect());
            println!(
                "{:<17} median wall {wall:.3} s, cpu {cpu:.3} s, peak {rss:.1} MiB, {ratio:.3}x hugo (median of per-run ratios)",
                t.name
            );
        }
    }

    /// The `hugo` to run: on PATH, or installed from Debian.
    fn ensure_hugo() -> String {
        let works = |p: &str| {
            Command::new(p)
                .arg("version")
                .output()
                .is_ok_and(|o| o.status.success())
        };
        if !works("hugo") {
            eprintln!("hugo is missing: apt-get install -y hugo ...");
            let ok = Command::new("apt-get")
                .args(["install", "-y", "hugo"])
                .env("DEBIAN_FRONTEND", "noninteractive")
                .status()
                .is_ok_and(|s| s.success());
            assert!(
                ok && works("hugo"),
                "could not install hugo (apt-get install -y hugo, as root)"
            );
        }
        if let Ok(o) = Command::new("hugo").arg("version").output() {
            eprintln!("{}", String::from_utf8_lossy(&o.stdout).trim());
        }
        "hugo".to_owned()
    }

    /// A site at `to` whose content/ is hard links to `from`'s, with `files` written.
    fn link_content(from: &Path, to: &Path, files: &[(&str, &str)]) {
        for (rel, text) in files {
            let p = to.join(rel);
            if fs::read_to_string(&p).ok().as_deref() != Some(*text) {
                write(&p, text);
            }
        }
        link_tree(&from.join("content"), &to.join("content"));
    }

    /// A site at `to` with `from`'s content pages, wiki links (`[[item-7]]`) turned into
    /// plain text, and `files` written.
    fn copy_pages(from: &Path, to: &Path, files: &[(&str, &str)]) {
        for (rel, text) in files {
            let p = to.join(rel);
            if fs::read_to_string(&p).ok().as_deref() != Some(*text) {
                write(&p, text);
            }
        }
        let content = from.join("content");
        for entry in walk(&content) {
            let dest = to
                .join("content")
                .join(entry.strip_prefix(&content).expect("under content"));
            if dest.exists() {
                continue;
            }
            let text = fs::read_to_string(&entry).expect("read a bench page");
            write(&dest, &text.replace("[[", "").replace("]]", ""));
        }
    }

    fn link_tree(from: &Path, to: &Path) {
        for entry in walk(from) {
            let rel = entry.strip_prefix(from).expect("under the tree");
            let dest = to.join(rel);
            if dest.exists() {
                continue;
            }
            fs::create_dir_all(dest.parent().expect("a parent")).expect("mkdir");
            fs::hard_link(&entry, &dest)
                .or_else(|_| fs::copy(&entry, &dest).map(drop))
                .expect("link a bench file");
        }
    }

    fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in fs::read_dir(&d).expect("read a bench folder").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    files.push(p);
                }
            }
        }
        files
    }
}
