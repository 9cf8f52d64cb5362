//! `evidentia serve`: the binary on a free port, fetched over plain HTTP/1.0 sockets (no
//! client library, so the request line is sent exactly as written, `..` and all).

mod common;

use common::{Fixture, item};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `evidentia serve`; dropping it stops the server (SIGTERM, then SIGKILL), so a
/// failing assertion does not leave a process behind.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(site: &Fixture) -> Server {
        Server::start_in(site, &std::env::temp_dir())
    }

    /// Starts serve with `tmp` as its temporary folder's parent (`TMPDIR`).
    fn start_in(site: &Fixture, tmp: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_evidentia"))
            .args(["serve", "--port", "0", "--today", "2026-11-01"])
            .arg(site.root())
            .env("TMPDIR", tmp)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn evidentia serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let mut server = Server { child, port: 0 };
        // The first build comes first; a large fixture takes a while in a debug build.
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("serve prints its address");
        server.port = line
            .split("127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        server
    }

    /// GETs `path` as written; returns the status and the whole response (head and body).
    fn get(&self, path: &str) -> (u16, String) {
        self.request("GET", path)
    }

    fn request(&self, method: &str, path: &str) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(s, "{method} {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).expect("read response");
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no status in {text:?}"));
        (status, text)
    }

    /// Polls `path` until `ok` holds (at most 2 s, the promise of the issue).
    fn wait_for(&self, path: &str, what: &str, ok: impl Fn(u16, &str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (status, text) = self.get(path);
            if ok(status, &text) {
                return text;
            }
            assert!(
                start.elapsed() < Duration::from_secs(2),
                "{path} did not show {what} within 2 s; last response:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Sends SIGTERM and waits for a clean exit.
    fn stop(mut self) -> std::process::ExitStatus {
        terminate(&self.child);
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "serve did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn terminate(child: &Child) {
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill(2) on our own child's pid.
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            terminate(&self.child);
            std::thread::sleep(Duration::from_millis(200));
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn site() -> Fixture {
    let f = Fixture::new();
    f.file("evidence/scan1.yaml", &item("scan", "scan-1"));
    f.file("evidence/scan2.yaml", &item("scan", "scan-2"));
    f.file(
        "content/about.md",
        "---\ntitle: About us\n---\nSee [[scan-1]].\n",
    );
    f
}

#[test]
fn serves_the_site_with_the_reload_script() {
    let f = site();
    let server = Server::start(&f);
    let (status, page) = server.get("/evidence/scan-1/");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Item scan-1"), "{page}");
    assert!(
        page.contains("<script src=\"/__evidentia/livereload.js\" defer></script></head>"),
        "{page}"
    );
    assert!(
        !page.contains("evidentia-overlay"),
        "no overlay without errors"
    );
    let (status, js) = server.get("/__evidentia/livereload.js");
    assert_eq!(status, 200);
    assert!(js.contains("content-type: text/javascript"), "{js}");
    assert!(js.contains("EventSource"), "{js}");
    let (status, css) = server.get("/static/style.css");
    assert_eq!(status, 200);
    assert!(css.contains("content-type: text/css"), "{css}");
    let (status, missing) = server.get("/evidence/no-such-item/");
    assert_eq!(status, 404);
    assert!(
        missing.contains("text/html"),
        "the site's 404 page: {missing}"
    );
    let (status, _) = server.request("POST", "/");
    assert_eq!(status, 405);
    assert!(server.stop().success(), "serve exits cleanly on SIGTERM");
}

#[test]
fn a_change_is_served_within_two_seconds_and_announced() {
    let f = site();
    let server = Server::start(&f);
    let mut events = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    write!(
        events,
        "GET /__evidentia/events HTTP/1.0\r\nHost: x\r\n\r\n"
    )
    .unwrap();
    // The stream must be open before the change, or the event is not for it.
    let mut head = [0u8; 64];
    let n = events.read(&mut head).unwrap();
    assert!(String::from_utf8_lossy(&head[..n]).contains("200"));

    f.file(
        "evidence/scan1.yaml",
        &item("scan", "scan-1").replace("Item scan-1", "Renamed scan"),
    );
    server.wait_for("/evidence/scan-1/", "the new title", |s, t| {
        s == 200 && t.contains("Renamed scan")
    });
    let mut seen = String::new();
    let mut buf = [0u8; 256];
    while !seen.contains("event: reload") {
        let n = events.read(&mut buf).expect("a reload event within 3 s");
        assert!(n > 0, "the event stream ended: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }

    std::fs::remove_file(f.path("evidence/scan2.yaml")).unwrap();
    server.wait_for("/evidence/scan-2/", "a 404", |s, _| s == 404);
}

#[test]
fn errors_show_an_overlay_over_the_last_good_page() {
    let f = site();
    let server = Server::start(&f);
    server.wait_for("/evidence/scan-1/", "the page", |s, _| s == 200);
    f.file(
        "evidence/scan1.yaml",
        &item("scan", "scan-1").replace("id: scan-1", "id: Not An Id"),
    );
    let page = server.wait_for("/about/", "the overlay", |_, t| {
        t.contains("id=\"evidentia-overlay\"")
    });
    assert!(page.contains("evidence/scan1.yaml:2:"), "file:line: {page}");
    assert!(page.contains("E0204"), "{page}");
    assert!(
        page.contains("About us"),
        "the last good page stays: {page}"
    );
    let (status, old) = server.get("/evidence/scan-1/");
    assert_eq!(status, 200, "the last good site stays served");
    assert!(old.contains("Item scan-1") && old.contains("evidentia-overlay"));
    // No inline style or script: the overlay works under the pages' CSP.
    let overlay = &page[page.find("<aside id=\"evidentia-overlay\"").unwrap()..];
    let overlay = &overlay[..overlay.find("</aside>").unwrap()];
    assert!(
        !overlay.contains("style=") && !overlay.contains("<script"),
        "{overlay}"
    );

    f.file("evidence/scan1.yaml", &item("scan", "scan-1"));
    server.wait_for("/about/", "the overlay gone", |s, t| {
        s == 200 && !t.contains("evidentia-overlay")
    });
}

#[test]
fn traversal_is_refused() {
    let f = site();
    f.file("secret.txt", "TOP-SECRET");
    let server = Server::start(&f);
    for path in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/..%2fsite.toml",
        "/%2E%2E%2Fsite.toml",
        "/evidence/..%5c..%5csite.toml",
        "/../secret.txt",
        "/static/../../secret.txt",
    ] {
        let (status, text) = server.get(path);
        assert!(
            status == 400 || status == 404,
            "{path} gave {status}: {text}"
        );
        assert!(
            !text.contains("title = \"Fixture\"") && !text.contains("TOP-SECRET"),
            "{path} leaked a source: {text}"
        );
    }
}

#[test]
fn build_output_never_contains_the_reload_script() {
    let f = site();
    let out = f.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let files = common::tree(&f.path("public"));
    assert!(files.iter().any(|(p, _)| p.ends_with("index.html")));
    for (path, bytes) in files {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("__evidentia") && !text.contains("evidentia-overlay"),
            "{path} holds serve's injection"
        );
    }
}

#[test]
fn stopping_does_not_wait_for_a_running_rebuild() {
    // A site large enough that a rebuild (debug build) takes seconds.
    let f = site();
    for i in 0..1500 {
        f.file(
            &format!("content/s{}/p{i}.md", i / 100),
            &format!("---\ntitle: Page {i}\n---\n\n# Page {i}\n\n```rust\nfn f{i}() {{}}\n```\n"),
        );
        f.file(
            &format!("evidence/many/x{i}.yaml"),
            &item("scan", &format!("x{i}")),
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let server = Server::start_in(&f, tmp.path());
    let first_build = started.elapsed();
    f.file(
        "content/about.md",
        "---\ntitle: About us, changed\n---\nSee [[scan-1]].\n",
    );
    // The watcher's debounce, then the rebuild is under way.
    std::thread::sleep(Duration::from_millis(800));
    let stopping = Instant::now();
    let status = server.stop();
    let took = stopping.elapsed();
    assert!(status.success(), "{status:?}");
    // Without abandoning the rebuild, stopping waits out the rest of it: most of a build.
    assert!(
        took < first_build / 2,
        "stopping took {took:?}; a build takes {first_build:?}"
    );
    // And the temporary folder is gone, though the abandoned rebuild was writing into it.
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
