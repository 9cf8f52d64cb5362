//! The served site: the folder the last good build was swapped into, and what every page
//! must show on top of it (the error overlay). Rebuilds go to a fresh staging folder that
//! replaces the served one whole ([`crate::output::Staging`]), so a request never sees a
//! half-written site and a failed build leaves the last good one in place.

use super::session::{Changed, Session};
use super::{Event, Reporter};
use crate::diag::Diagnostic;
use crate::{Built, Options};
use std::path::{Path, PathBuf};
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// The state shared by the server and the rebuilds.
#[derive(Debug)]
pub struct SiteState {
    out: PathBuf,
    /// The overlay's HTML while the sources have errors.
    overlay: RwLock<Option<String>>,
    /// Bumped after every rebuild, good or bad; open pages reload when it changes.
    generation: AtomicU64,
    reload: tokio::sync::broadcast::Sender<u64>,
    /// Set when serve stops: a rebuild still running stops writing.
    stopping: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// What the last rebuild found and wrote (one rebuild runs at a time).
    session: std::sync::Mutex<Session>,
}

impl SiteState {
    /// A state serving `out` (which need not exist yet), built from `root`.
    pub fn new(root: PathBuf, out: PathBuf, options: Options) -> SiteState {
        let (reload, _) = tokio::sync::broadcast::channel(16);
        SiteState {
            session: std::sync::Mutex::new(Session::new(root, out.clone(), options)),
            out,
            overlay: RwLock::new(None),
            generation: AtomicU64::new(0),
            reload,
            stopping: std::sync::Arc::default(),
        }
    }

    /// The folder being served.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// The overlay to put on every page, if the sources have errors.
    pub fn overlay(&self) -> Option<String> {
        self.overlay.read().ok().and_then(|o| o.clone())
    }

    /// Makes a rebuild still running stop writing (serve is stopping and removes the
    /// folder it writes into).
    pub fn stop_rebuilds(&self) {
        self.stopping
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// A receiver of rebuild notifications (the generation number).
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<u64> {
        self.reload.subscribe()
    }

    /// Rebuilds after `changed` ([`Session::rebuild`]: only what the change reaches,
    /// when it can) and puts the result in place when it has no errors; otherwise keeps
    /// the last good site and sets the overlay. Tells open pages to reload either way.
    /// `since` is when the change was seen.
    pub(crate) fn rebuild(&self, report: &Reporter, since: Instant, changed: &Changed) {
        let Ok(mut session) = self.session.lock() else {
            return;
        };
        let overlay = match session.rebuild(changed, &self.stopping) {
            Ok(rebuilt) => {
                report(Event::Built {
                    built: &rebuilt.built,
                    elapsed: since.elapsed(),
                    rendered: rebuilt.rendered,
                });
                let overlay = overlay_for(&rebuilt.built);
                session.keep(rebuilt.built.checked);
                overlay
            }
            Err(e) => {
                report(Event::Failed(&e));
                Some(overlay_html(&[], Some(&e.to_string())))
            }
        };
        drop(session);
        if let Ok(mut o) = self.overlay.write() {
            *o = overlay;
        }
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        // No receiver (no open page) is not an error.
        let _ = self.reload.send(generation);
        // Open pages are reloading: now the bookkeeping, and the replaced model can go.
        if let Ok(mut session) = self.session.lock()
            && let Err(e) = session.settle()
        {
            report(Event::Failed(&e));
        }
    }
}

fn overlay_for(built: &Built) -> Option<String> {
    if built.written.is_some() {
        return None;
    }
    let errors: Vec<&Diagnostic> = built
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    Some(overlay_html(&errors, None))
}

/// The overlay: a list of the errors with file:line:column, code, message and help. Every
/// string is escaped (messages quote learners' text); it needs no inline style or script,
/// so it works under the pages' Content-Security-Policy.
pub fn overlay_html(errors: &[&Diagnostic], failure: Option<&str>) -> String {
    let mut html = String::from("<aside id=\"evidentia-overlay\" role=\"alert\">");
    let count = errors.len();
    let title = match (count, failure) {
        (_, Some(_)) => "The site cannot be built".to_owned(),
        (1, None) => "1 error: showing the last good build".to_owned(),
        (n, None) => format!("{n} errors: showing the last good build"),
    };
    html.push_str(&format!("<h2>{}</h2><ol>", escape(&title)));
    if let Some(f) = failure {
        html.push_str(&format!("<li>{}</li>", escape(f)));
    }
    for d in errors {
        let mut place = d.file.clone();
        if d.line > 0 {
            place.push_str(&format!(":{}:{}", d.line, d.column.max(1)));
        }
        html.push_str("<li><span class=\"evidentia-where\">");
        html.push_str(&escape(&place));
        html.push_str("</span> <strong>");
        html.push_str(&escape(d.code));
        html.push_str("</strong> ");
        html.push_str(&escape(&d.message));
        if !d.help.is_empty() {
            html.push_str("<span class=\"evidentia-help\">help: ");
            html.push_str(&escape(&d.help));
            html.push_str("</span>");
        }
        html.push_str("</li>");
    }
    html.push_str("</ol></aside>");
    html
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overlay_escapes_what_it_quotes() {
        let d = Diagnostic::error("E0201", "evidence/a.yaml", "bad <script>x</script>")
            .with_help("use \"quotes\"");
        let html = overlay_html(&[&d], None);
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("1 error"), "{html}");
        assert!(html.contains("evidence/a.yaml"), "{html}");
    }
}
