//! `cargo bench --bench serve -- [SIZE] [--runs N]`: how long `evidentia serve` takes
//! from a saved file to the served page showing the change, on the benchmark site of
//! SIZE pages and SIZE evidence items (default 10,000) that `cargo bench --bench build --
//! SIZE` generates under target/bench-sites. Each run changes the title of one evidence
//! item (a different one each time) and waits, as an open page does, for serve's reload
//! event (`/__evidentia/events`); the time is taken when the item's page, fetched right
//! after that event, shows the new title. That is what a learner sees: the browser reloads
//! when told to, not when the file lands. The baseline, measured in the same run, is
//! serve's first (whole) build. The site's files are restored afterwards.
//! `EVIDENTIA_BENCH_BIN=PATH` measures another build of evidentia on the same site, for
//! comparing two versions run after run.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_evidentia");

fn main() {
    let (size, runs) = parse_args();
    let site = Path::new(BIN)
        .ancestors()
        .nth(2)
        .expect("binary has a target folder")
        .join("bench-sites")
        .join(size.to_string());
    if !site.join("site.toml").is_file() {
        eprintln!(
            "{} does not exist: generate it with `cargo bench --bench build -- {size} --runs 1`",
            site.display()
        );
        std::process::exit(2);
    }
    // Another build of evidentia to measure (a baseline), the site staying this one's.
    let bin =
        std::env::var_os("EVIDENTIA_BENCH_BIN").map_or_else(|| PathBuf::from(BIN), PathBuf::from);
    let mut child = Command::new(&bin)
        .args(["serve", "--port", "0", "--today", "2026-11-27"])
        .arg(&site)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start evidentia serve");
    // The address goes to stdout, what each rebuild did to stderr.
    let (tx, lines) = mpsc::channel::<String>();
    let stdout = child.stdout.take().expect("piped stdout");
    let stderr = child.stderr.take().expect("piped stderr");
    for stream in [Box::new(stdout) as Box<dyn Read + Send>, Box::new(stderr)] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
    }
    let started = Instant::now();
    let mut first_build = None;
    let addr = loop {
        let Ok(line) = lines.recv_timeout(Duration::from_secs(300)) else {
            panic!("serve stopped before it served: {:?}", child.wait());
        };
        if std::env::var_os("EVIDENTIA_BENCH_VERBOSE").is_some() {
            eprintln!("serve: {line}");
        }
        if line.starts_with("built ") {
            first_build = Some(started.elapsed());
        }
        if let Some(rest) = line.strip_prefix("serving http://") {
            break rest.split('/').next().expect("an address").to_owned();
        }
    };
    let first_build = first_build.unwrap_or_else(|| started.elapsed());
    println!(
        "serve, {size} pages + {size} items: first build {:.2} s",
        first_build.as_secs_f64()
    );
    let verbose = std::env::var_os("EVIDENTIA_BENCH_VERBOSE").is_some();
    let reloads = subscribe(&addr);
    let mut restore: Vec<(PathBuf, String)> = Vec::new();
    let mut times = Vec::new();
    for run in 0..runs {
        let n = 1 + (run * 37 + 11) % size;
        let file = site.join(format!("evidence/items/item-{n}.yaml"));
        let text = std::fs::read_to_string(&file).expect("read the item");
        if !restore.iter().any(|(p, _)| *p == file) {
            restore.push((file.clone(), text.clone()));
        }
        let marker = format!("Bench{run}x{}", std::process::id());
        let edited = text.replacen("title: ", &format!("title: {marker} "), 1);
        // Let the watcher settle after the last rebuild's messages.
        std::thread::sleep(Duration::from_millis(300));
        while reloads.try_recv().is_ok() {}
        while let Ok(line) = lines.try_recv() {
            if verbose {
                eprintln!("serve: {line}");
            }
        }
        let t0 = Instant::now();
        std::fs::write(&file, edited).expect("write the item");
        let page = format!("/evidence/item-{n}/");
        // A save that the watcher sees as two changes brings two reloads; the page
        // counts once a reload brings the change.
        let took = loop {
            let Ok(()) = reloads.recv_timeout(Duration::from_secs(120)) else {
                panic!("no reload event in 120 s");
            };
            if fetch(&addr, &page).is_some_and(|body| body.contains(&marker)) {
                break t0.elapsed();
            }
        };
        let said = loop {
            let line = lines.recv_timeout(Duration::from_secs(5));
            if let (true, Ok(l)) = (verbose, &line) {
                eprintln!("serve: {l}");
            }
            match line {
                Ok(l) if l.starts_with("updated ") || l.starts_with("built ") => break l,
                Ok(_) => continue,
                Err(_) => break String::new(),
            }
        };
        println!(
            "run {}: item-{n}: change to reloaded page {:.0} ms ({said})",
            run + 1,
            took.as_secs_f64() * 1000.0
        );
        times.push(took);
    }
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    let _ = child.wait();
    for (file, text) in restore {
        std::fs::write(file, text).expect("restore the item");
    }
    times.sort();
    if let Some(median) = times.get(times.len() / 2) {
        println!(
            "median change to reloaded page {:.0} ms over {runs} runs = {:.3}x the first build ({:.2} s)",
            median.as_secs_f64() * 1000.0,
            median.as_secs_f64() / first_build.as_secs_f64(),
            first_build.as_secs_f64()
        );
    }
}

/// Opens serve's reload stream; each `reload` event it sends arrives as a message.
fn subscribe(addr: &str) -> mpsc::Receiver<()> {
    let mut stream = TcpStream::connect(addr).expect("connect to serve");
    write!(
        stream,
        "GET /__evidentia/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("ask for the reload stream");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if line.trim_end() == "event: reload" && tx.send(()).is_err() {
                break;
            }
        }
    });
    rx
}

/// The body of GET `path`, when the server answers 200.
fn fetch(addr: &str, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let text = String::from_utf8_lossy(&response);
    text.starts_with("HTTP/1.1 200").then(|| text.into_owned())
}

fn parse_args() -> (usize, usize) {
    let mut size = 10_000;
    let mut runs = 5;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--bench" {
            continue;
        } else if arg == "--runs" {
            runs = args
                .next()
                .and_then(|v| v.parse().ok())
                .expect("--runs takes a number");
        } else if let Ok(n) = arg.parse() {
            size = n;
        } else {
            eprintln!("usage: cargo bench --bench serve -- [SIZE] [--runs N]; not `{arg}`");
            std::process::exit(2);
        }
    }
    (size, runs)
}
