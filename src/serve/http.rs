//! The HTTP side of `serve`: the built folder through tower-http's `ServeDir` (content
//! types, index.html for folders, no directory listing, the site's 404 page), behind a
//! guard that refuses anything but GET and HEAD, traversal in any spelling, and files that
//! resolve outside the site; and an injector that adds the live-reload script and, while
//! the sources have errors, the overlay to every HTML response. The script and the overlay
//! style are files served under `/__evidentia/`, because the pages' Content-Security-Policy
//! (`script-src 'self'`, `style-src 'self'`) forbids inline code; tower-livereload injects
//! an inline `<script>`, which that policy blocks, so the reload is done here over
//! Server-Sent Events.

use super::site::SiteState;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{self, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tower_http::services::{ServeDir, ServeFile};

/// Where serve's own files live; a site cannot have a page there (`__` is not a slug).
const PREFIX: &str = "/__evidentia/";
const SCRIPT: &str = include_str!("assets/livereload.js");
const STYLE: &str = include_str!("assets/overlay.css");
/// HTML pages larger than this are served without injection rather than buffered.
const MAX_HTML: usize = 64 * 1024 * 1024;
/// Requests carry no body worth having; anything larger is refused.
const MAX_BODY: usize = 16 * 1024;
/// A request that takes longer than this (a stuck disk) gets 408.
const TIMEOUT: Duration = Duration::from_secs(15);
/// Requests handled at once; more wait their turn.
const CONCURRENCY: usize = 64;

#[derive(Clone)]
struct AppState {
    site: Arc<SiteState>,
    stop: tokio::sync::watch::Receiver<bool>,
}

/// The whole application: serve's own routes, the site, and the guards around them.
pub(super) fn router(site: Arc<SiteState>, stop: tokio::sync::watch::Receiver<bool>) -> Router {
    let out = site.out().to_path_buf();
    let files = ServeDir::new(&out)
        .append_index_html_on_directories(true)
        .not_found_service(ServeFile::new(out.join("404.html")));
    let state = AppState { site, stop };
    Router::new()
        .route("/__evidentia/livereload.js", get(script))
        .route("/__evidentia/overlay.css", get(style))
        .route("/__evidentia/events", get(events))
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(state.clone(), inject))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            TIMEOUT,
        ))
        .layer(tower::limit::ConcurrencyLimitLayer::new(CONCURRENCY))
        .with_state(state)
}

async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

async fn style() -> Response {
    asset("text/css; charset=utf-8", STYLE)
}

fn asset(content_type: &'static str, text: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

/// The reload stream: one `reload` event per rebuild; it ends when the server stops, so
/// that a graceful shutdown is not held open by the browsers.
async fn events(
    State(state): State<AppState>,
) -> Sse<impl futures_util::Stream<Item = Result<sse::Event, Infallible>>> {
    let rx = state.site.subscribe();
    let stream = futures_util::stream::unfold((rx, state.stop), |(mut rx, mut stop)| async move {
        use tokio::sync::broadcast::error::RecvError;
        let generation = tokio::select! {
            r = rx.recv() => match r {
                Ok(g) => g,
                // Missed some: one reload covers them all.
                Err(RecvError::Lagged(_)) => 0,
                Err(RecvError::Closed) => return None,
            },
            _ = stop.wait_for(|s| *s) => return None,
        };
        let event = sse::Event::default()
            .event("reload")
            .data(generation.to_string());
        Some((Ok(event), (rx, stop)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Refuses what a static site server must not answer: methods other than GET and HEAD
/// (405), traversal or encoded separators in the path (400), and paths that resolve, through
/// a symbolic link, outside the served folder (404). Conditional and range headers are
/// dropped, since HTML responses are rewritten and must not be answered from a cache.
async fn guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "only GET and HEAD are served\n",
        )
            .into_response();
    }
    let Some(rel) = clean_path(req.uri().path()) else {
        return (StatusCode::BAD_REQUEST, "bad request path\n").into_response();
    };
    if !req.uri().path().starts_with(PREFIX) && escapes(state.site.out(), &rel).await {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    }
    let headers = req.headers_mut();
    for h in [
        header::IF_MODIFIED_SINCE,
        header::IF_NONE_MATCH,
        header::IF_RANGE,
        header::IF_MATCH,
        header::IF_UNMODIFIED_SINCE,
        header::RANGE,
    ] {
        headers.remove(h);
    }
    next.run(req).await
}

/// The request path decoded and checked: no `.` or `..` segment, no encoded `/` or `\`,
/// no backslash, no NUL, valid UTF-8. `None` means 400.
fn clean_path(raw: &str) -> Option<String> {
    let lower = raw.to_ascii_lowercase();
    if raw.contains('\\') || ["%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) {
        return None;
    }
    let decoded = percent_decode(raw)?;
    let rel = decoded.trim_start_matches('/');
    if rel
        .split('/')
        .any(|s| s == ".." || s == "." || s.contains('\0'))
    {
        return None;
    }
    Some(rel.to_owned())
}

fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Whether `rel` names something that exists and resolves outside `out`.
async fn escapes(out: &std::path::Path, rel: &str) -> bool {
    let path: PathBuf = out.join(rel);
    if tokio::fs::symlink_metadata(&path).await.is_err() {
        return false;
    }
    match (
        tokio::fs::canonicalize(out).await,
        tokio::fs::canonicalize(&path).await,
    ) {
        (Ok(base), Ok(target)) => !target.starts_with(base),
        // A dangling link or an unreadable folder: nothing to serve either way.
        _ => true,
    }
}

/// Adds the reload script (and the overlay while there are errors) to HTML responses,
/// and marks every response as not to be cached.
async fn inject(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let overlay = state.site.overlay();
    let (mut parts, body) = response.into_parts();
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if !is_html {
        if parts.status == StatusCode::NOT_FOUND && !is_event_stream(&parts.headers) {
            // No 404.html (no good build yet): a minimal page still carries the overlay.
            let page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1></body></html>";
            return html_response(parts, &insert(page, overlay.as_deref()));
        }
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_HTML).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "page too large to serve\n",
        )
            .into_response();
    };
    let html = String::from_utf8_lossy(&bytes);
    html_response(parts, &insert(&html, overlay.as_deref()))
}

fn is_event_stream(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"))
}

fn html_response(mut parts: axum::http::response::Parts, html: &str) -> Response {
    for h in [
        header::CONTENT_LENGTH,
        header::ETAG,
        header::LAST_MODIFIED,
        header::ACCEPT_RANGES,
        header::CONTENT_RANGE,
    ] {
        parts.headers.remove(h);
    }
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Response::from_parts(parts, Body::from(html.to_owned()))
}

/// The page with serve's tags before `</head>` and the overlay after `<body ...>`.
fn insert(html: &str, overlay: Option<&str>) -> String {
    const HEAD: &str = "<link rel=\"stylesheet\" href=\"/__evidentia/overlay.css\"><script src=\"/__evidentia/livereload.js\" defer></script>";
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len() + HEAD.len() + overlay.map_or(0, str::len));
    let head_at = lower.find("</head>");
    let body_at = lower
        .find("<body")
        .and_then(|b| lower[b..].find('>').map(|e| b + e + 1));
    match (head_at, body_at) {
        (Some(h), Some(b)) if h < b => {
            out.push_str(&html[..h]);
            out.push_str(HEAD);
            out.push_str(&html[h..b]);
            out.push_str(overlay.unwrap_or(""));
            out.push_str(&html[b..]);
        }
        _ => {
            out.push_str(HEAD);
            out.push_str(overlay.unwrap_or(""));
            out.push_str(html);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_in_any_spelling_is_refused() {
        for bad in [
            "/../site.toml",
            "/%2e%2e/site.toml",
            "/%2E%2E/site.toml",
            "/..%2fsite.toml",
            "/a/%2e/b",
            "/a\\..\\b",
            "/%5c..",
            "/a%00b",
            "/%ff",
            "/%2",
        ] {
            assert_eq!(clean_path(bad), None, "{bad}");
        }
        assert_eq!(
            clean_path("/evidence/a%20b/").as_deref(),
            Some("evidence/a b/")
        );
        assert_eq!(clean_path("/").as_deref(), Some(""));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_site_are_not_served() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("page.html"), "in").unwrap();
        std::fs::write(tmp.path().join("secret"), "out").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret"), out.join("leak")).unwrap();
        std::os::unix::fs::symlink(tmp.path(), out.join("up")).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            assert!(!escapes(&out, "page.html").await);
            assert!(!escapes(&out, "missing.html").await);
            assert!(escapes(&out, "leak").await);
            assert!(escapes(&out, "up/secret").await);
        });
    }

    #[test]
    fn tags_go_into_head_and_the_overlay_after_body() {
        let page = "<html><head><title>t</title></head><BODY class=\"x\"><p>hi</p></body></html>";
        let out = insert(page, Some("<aside>o</aside>"));
        assert!(
            out.contains("livereload.js\" defer></script></head>"),
            "{out}"
        );
        assert!(
            out.contains("<BODY class=\"x\"><aside>o</aside><p>hi"),
            "{out}"
        );
        let plain = insert("no tags", None);
        assert!(plain.ends_with("no tags") && plain.contains("livereload.js"));
    }
}
