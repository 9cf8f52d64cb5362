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
//! cargo bench --bench build                        # sizes 1000 and 10000, 3 runs each
//! cargo bench --bench build -- 500 5000 --runs 5   # choose the sizes and the runs
//! EVIDENTIA_BENCH_RUNS=1 cargo bench --bench build # or the runs from the environment
//! ```
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
    let (sizes, runs) = parse_args();
    // The binary is target/<profile>/evidentia; the sites go to target/bench-sites.
    let target = Path::new(BIN)
        .ancestors()
        .nth(2)
        .expect("binary has a target folder");
    let sites = target.join("bench-sites");
    fs::create_dir_all(&sites).expect("create target/bench-sites");
    let mut rows = Vec::new();
    for &n in &sizes {
        let site = sites.join(n.to_string());
        ensure_site(&site, n);
        let out = tempfile::Builder::new()
            .prefix(&format!(".out-{n}-"))
            .tempdir_in(&sites)
            .expect("create an output folder under target/bench-sites");
        let (site_s, out_s) = (path_str(&site), path_str(out.path()));
        rows.push(measure(
            n,
            "build",
            &["build", site_s, "-o", out_s, "--quiet"],
            runs,
        ));
        rows.push(measure(n, "check", &["check", site_s, "--quiet"], runs));
    }
    report(&rows, &sizes, runs);
}

fn parse_args() -> (Vec<usize>, usize) {
    let mut runs = std::env::var("EVIDENTIA_BENCH_RUNS")
        .ok()
        .map(|v| v.parse().expect("EVIDENTIA_BENCH_RUNS must be a number"));
    let mut sizes = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--bench" {
            continue; // cargo bench passes it to every bench binary.
        } else if let Some(v) = arg.strip_prefix("--runs=") {
            runs = Some(v.parse().expect("--runs takes a number"));
        } else if arg == "--runs" {
            let v = args.next().expect("--runs takes a number");
            runs = Some(v.parse().expect("--runs takes a number"));
        } else if let Ok(n) = arg.parse::<usize>() {
            sizes.push(n);
        } else {
            eprintln!("usage: cargo bench --bench build -- [SIZE ...] [--runs N]; not `{arg}`");
            std::process::exit(2);
        }
    }
    if sizes.is_empty() {
        sizes = vec![1000, 10000];
    }
    sizes.sort_unstable();
    sizes.dedup();
    let runs = runs.unwrap_or(3);
    assert!(
        runs > 0 && sizes[0] > 0,
        "sizes and --runs must be at least 1"
    );
    (sizes, runs)
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

fn measure(size: usize, command: &'static str, args: &[&str], runs: usize) -> Row {
    eprintln!("timing `evidentia {command}` at size {size} ...");
    run_once(args); // Warm-up: page cache, binary loading.
    let runs = (0..runs).map(|_| run_once(args)).collect();
    Row {
        size,
        command,
        runs,
    }
}

/// Runs the binary once; returns wall seconds, user+sys CPU seconds and peak RSS (KiB).
/// Exits the bench, printing the child's stderr, if the child fails.
#[allow(clippy::zombie_processes, reason = "the child is reaped by wait4")]
fn run_once(args: &[&str]) -> (f64, f64, i64) {
    let mut stderr = tempfile::tempfile().expect("create a temporary file for stderr");
    let started = Instant::now();
    let child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr.try_clone().expect("clone the stderr file"))
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {BIN}: {e}"));
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
        eprintln!("`evidentia {cmd}` failed (wait status {status:#x}); its stderr:\n{text}");
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
