//! Serve: builds the site into a private temporary folder, serves it over HTTP, watches
//! the sources and rebuilds on every change, and makes open pages reload themselves.
//! While the sources have errors the last good site stays served, with an overlay on
//! every page listing the diagnostics. Nothing here ever writes to the site's own
//! output folder, and nothing of it (reload script, overlay) is ever part of `build`.
//!
//! One concern per module: [`site`] owns the built folder and what the pages must show,
//! [`session`] decides what a rebuild reads, renders and writes, `http` serves the
//! folder, `watch` turns file-system events into rebuild requests.

mod http;
pub mod session;
pub mod site;
mod watch;

use crate::Options;
use site::SiteState;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The port `serve` tries first.
pub const DEFAULT_PORT: u16 = 1111;

/// How many ports after the asked one are tried when it is taken.
const PORT_TRIES: u16 = 20;

/// Settings of `evidentia serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root.
    pub root: PathBuf,
    /// The first port to try (0: any free port the system picks).
    pub port: u16,
    /// The address to listen on; anything but loopback exposes the drafts to the network.
    pub bind: IpAddr,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// The pipeline's options (`--today`).
    pub options: Options,
}

impl ServeOptions {
    /// The defaults for a root: 127.0.0.1:1111, no browser.
    pub fn new(root: PathBuf) -> ServeOptions {
        ServeOptions {
            root,
            port: DEFAULT_PORT,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            open: false,
            options: Options::default(),
        }
    }
}

/// What `serve` tells its caller about, so that the binary decides how to print it.
#[derive(Debug)]
pub enum Event<'a> {
    /// The server listens at this address.
    Listening(SocketAddr),
    /// A warning about how the server runs (a non-loopback address, a browser that did
    /// not open).
    Warning(String),
    /// The site was rebuilt (`written` is set) or kept because of errors (then the
    /// diagnostics say why).
    Built {
        /// What the build found and did.
        built: &'a crate::Built,
        /// How long it took, from the change to the swapped-in folder.
        elapsed: Duration,
        /// Pages rendered of the pages the site has, when only what the change reached
        /// was rendered (`None`: the whole site was).
        rendered: Option<(usize, usize)>,
    },
    /// The site could not be built at all (unreadable root, unwritable temporary folder).
    Failed(&'a crate::Error),
}

/// A callback for [`Event`]s, called from several threads.
pub type Reporter = Arc<dyn Fn(Event<'_>) + Send + Sync>;

/// Why `serve` stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// No port could be listened on.
    #[error("cannot listen on {addr} (nor on the {tries} ports after it)")]
    Bind {
        /// The first address tried.
        addr: SocketAddr,
        /// How many further ports were tried.
        tries: u16,
        /// Why the last try failed.
        source: std::io::Error,
    },
    /// The sources cannot be watched.
    #[error("cannot watch {path} for changes")]
    Watch {
        /// What could not be watched.
        path: PathBuf,
        /// Why.
        source: notify::Error,
    },
    /// The site root, the temporary folder or the runtime could not be set up.
    #[error("cannot use {path}")]
    Io {
        /// What failed.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl ServeError {
    /// The diagnostic code of this failure, for `evidentia explain`.
    pub fn code(&self) -> &'static str {
        match self {
            ServeError::Bind { .. } => "E0610",
            ServeError::Watch { .. } => "E0611",
            ServeError::Io { .. } => "E0612",
        }
    }
}

/// Builds, serves and rebuilds the site until Ctrl-C (or SIGTERM); then stops accepting
/// requests, closes the live-reload streams and removes the temporary folder.
pub fn serve(opts: ServeOptions, report: Reporter) -> Result<(), ServeError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ServeError::Io { path, source }
    };
    let root = opts.root.canonicalize().map_err(io(&opts.root))?;
    let temp = tempfile::Builder::new()
        .prefix("evidentia-serve-")
        .tempdir()
        .map_err(io(&std::env::temp_dir()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(io(&root))?;
    let state = Arc::new(SiteState::new(
        root.clone(),
        temp.path().join("site"),
        opts.options.clone(),
    ));
    let started = Instant::now();
    state.rebuild(&report, started, &session::Changed::default());
    let result = runtime.block_on(run(&opts, &root, state.clone(), report));
    state.stop_rebuilds();
    // Streams and the watcher are gone. A rebuild still running on a blocking thread is
    // not waited for (Ctrl-C must not wait out a full build of a large site): it is left
    // to die with the process, and the folder it writes into goes now.
    runtime.shutdown_timeout(Duration::from_millis(100));
    remove_temp(temp);
    result
}

/// Removes serve's temporary folder, retrying for up to a second while an abandoned
/// rebuild notices that its staging folder is gone (its next write fails).
fn remove_temp(temp: tempfile::TempDir) {
    let path = temp.keep();
    // A write that began before the rebuild was told to stop finishes first.
    std::thread::sleep(Duration::from_millis(50));
    for _ in 0..50 {
        if std::fs::remove_dir_all(&path).is_ok() || !path.exists() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

async fn run(
    opts: &ServeOptions,
    root: &Path,
    state: Arc<SiteState>,
    report: Reporter,
) -> Result<(), ServeError> {
    let listener = bind(opts.bind, opts.port).await?;
    let addr = listener.local_addr().map_err(|source| ServeError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    if !opts.bind.is_loopback() {
        report(Event::Warning(format!(
            "listening on {} exposes the site and its drafts to every machine that can reach it; \
             use the default 127.0.0.1 unless you mean to",
            opts.bind
        )));
    }
    // Watch before announcing the address: a change made as soon as the address is
    // printed must not be missed.
    let (changes, watcher) = watch::Watcher::start(root)?;
    report(Event::Listening(addr));
    if opts.open {
        open_browser(addr, &report);
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let rebuilds = tokio::spawn(watch::rebuild_loop(
        changes,
        watcher,
        state.clone(),
        report.clone(),
        stop_rx.clone(),
    ));
    let app = http::router(state, stop_rx.clone());
    let mut stop_for_server = stop_rx.clone();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        let _ = stop_for_server.wait_for(|s| *s).await;
    });
    let mut stop_for_grace = stop_rx;
    tokio::select! {
        r = server.into_future() => r.map_err(|source| ServeError::Io { path: root.to_path_buf(), source })?,
        () = async {
            shutdown_signal().await;
            let _ = stop_tx.send(true);
            // Connections get a moment to finish; a stuck one does not hold the exit.
            let _ = stop_for_grace.wait_for(|s| *s).await;
            tokio::time::sleep(Duration::from_secs(2)).await;
        } => {}
    }
    rebuilds.abort();
    Ok(())
}

/// Listens on `port` or, when it is taken, the next free one; port 0 lets the system pick.
async fn bind(ip: IpAddr, port: u16) -> Result<tokio::net::TcpListener, ServeError> {
    let first = SocketAddr::new(ip, port);
    let tries = if port == 0 { 0 } else { PORT_TRIES };
    let mut last = None;
    for offset in 0..=tries {
        let Some(p) = port.checked_add(offset) else {
            break;
        };
        match tokio::net::TcpListener::bind(SocketAddr::new(ip, p)).await {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => {
                last = Some(e);
                break;
            }
        }
    }
    Err(ServeError::Bind {
        addr: first,
        tries,
        source: last.unwrap_or_else(|| std::io::Error::other("no port left to try")),
    })
}

/// Resolves on Ctrl-C, or on SIGTERM where there is one.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

fn open_browser(addr: SocketAddr, report: &Reporter) {
    let url = format!("http://{addr}/");
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(opener)
        .arg(&url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        // Reaped in the background, so it does not linger as a zombie.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => report(Event::Warning(format!(
            "cannot open a browser ({opener}: {e}); open {url} yourself"
        ))),
    }
}
