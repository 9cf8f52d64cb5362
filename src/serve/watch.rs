//! Watching the sources: content/, evidence/ and themes/ recursively and the root itself
//! (for site.toml, and for those folders appearing later), through notify-debouncer-full,
//! which merges the bursts of events that editors' atomic saves (write a temporary file,
//! rename it over the old one), renames and deletes make into one batch. Each batch that
//! touches a source asks for one rebuild; batches that arrive during a rebuild are merged
//! into the next one.

use super::session::Changed;
use super::site::SiteState;
use super::{Reporter, ServeError};
use notify::{EventKind, RecursiveMode, event::AccessKind, event::AccessMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// The folders whose files are sources.
const SOURCE_DIRS: [&str; 3] = ["content", "evidence", "themes"];
/// How long the debouncer waits for a burst of events to settle. At 10 ms a busy
/// machine split one save into two rebuilds now and then, the second racing the next
/// save; 25 ms did not.
const DEBOUNCE: Duration = Duration::from_millis(25);

/// A batch of changes to the sources: when it was seen, and what changed.
pub(super) struct Changes {
    pub(super) at: Instant,
    pub(super) changed: Changed,
}

/// The running watcher; dropping it stops watching.
pub(super) struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    watched: BTreeSet<PathBuf>,
}

impl Watcher {
    /// Starts watching `root` (canonical); changes arrive on the returned receiver.
    pub(super) fn start(
        root: &Path,
    ) -> Result<(mpsc::UnboundedReceiver<Changes>, Watcher), ServeError> {
        let (tx, rx) = mpsc::unbounded_channel();
        let filter_root = root.to_path_buf();
        let debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
            let Ok(events) = result else {
                // A watch error (an overflowing queue): read everything again, to be safe.
                let changed = Changed {
                    paths: Vec::new(),
                    whole: true,
                };
                let _ = tx.send(Changes {
                    at: Instant::now(),
                    changed,
                });
                return;
            };
            let mut changed = Changed::default();
            for event in events.iter().filter(|e| !is_read(&e.kind)) {
                // Events were dropped: what changed is not known.
                changed.whole |= event.need_rescan();
                for path in event.paths.iter().filter(|p| is_source(&filter_root, p)) {
                    changed.whole |= !is_content(&filter_root, path);
                    changed.paths.push(path.clone());
                }
            }
            if changed.whole || !changed.paths.is_empty() {
                let _ = tx.send(Changes {
                    at: Instant::now(),
                    changed,
                });
            }
        })
        .map_err(|source| ServeError::Watch {
            path: root.to_path_buf(),
            source,
        })?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            debouncer,
            watched: BTreeSet::new(),
        };
        watcher
            .debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|source| ServeError::Watch {
                path: root.to_path_buf(),
                source,
            })?;
        watcher.watch_sources()?;
        Ok((rx, watcher))
    }

    /// Watches the source folders that exist and are not watched yet (one created after
    /// serve started is picked up by the root's watch, then added here).
    fn watch_sources(&mut self) -> Result<(), ServeError> {
        for dir in SOURCE_DIRS {
            let path = self.root.join(dir);
            if path.is_dir() && !self.watched.contains(&path) {
                self.debouncer
                    .watch(&path, RecursiveMode::Recursive)
                    .map_err(|source| ServeError::Watch {
                        path: path.clone(),
                        source,
                    })?;
                self.watched.insert(path);
            } else if !path.is_dir() && self.watched.remove(&path) {
                let _ = self.debouncer.unwatch(&path);
            }
        }
        Ok(())
    }
}

/// Reading a file (as the build does) is not a change; closing one written is.
fn is_read(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Access(a) if *a != AccessKind::Close(AccessMode::Write))
}

/// Whether `path` is a source: site.toml, or a file under content/, evidence/ or themes/
/// that is not an editor's swap or backup file.
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components();
    let Some(first) = parts.next().and_then(|c| c.as_os_str().to_str()) else {
        return false;
    };
    if parts.clone().next().is_none() && first == crate::config::FILE {
        return true;
    }
    if !SOURCE_DIRS.contains(&first) {
        return false;
    }
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    !(name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#")
        || name == "4913")
}

/// Whether `path` (a source) is under content/ or evidence/, which a rebuild can read
/// alone; site.toml and themes change how everything is read or rendered.
fn is_content(root: &Path, path: &Path) -> bool {
    let first = path
        .strip_prefix(root)
        .ok()
        .and_then(|rel| rel.components().next())
        .and_then(|c| c.as_os_str().to_str());
    matches!(first, Some("content" | "evidence"))
}

/// Rebuilds after each batch of changes until the server stops.
pub(super) async fn rebuild_loop(
    mut changes: mpsc::UnboundedReceiver<Changes>,
    mut watcher: Watcher,
    state: Arc<SiteState>,
    report: Reporter,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        let first = tokio::select! {
            c = changes.recv() => c,
            _ = stop.wait_for(|s| *s) => None,
        };
        let Some(first) = first else {
            return;
        };
        let mut at = first.at;
        let mut changed = first.changed;
        // Everything that queued up during the last rebuild goes into this one.
        while let Ok(more) = changes.try_recv() {
            at = at.min(more.at);
            changed.whole |= more.changed.whole;
            changed.paths.extend(more.changed.paths);
        }
        changed.paths.sort();
        changed.paths.dedup();
        // A source folder that appeared is read whole (watching it starts now).
        let before = watcher.watched.len();
        if let Err(e) = watcher.watch_sources() {
            let why = std::error::Error::source(&e)
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            report(super::Event::Warning(format!("{e}{why}")));
        }
        changed.whole |= watcher.watched.len() != before;
        let (s, r) = (state.clone(), report.clone());
        if tokio::task::spawn_blocking(move || s.rebuild(&r, at, &changed))
            .await
            .is_err()
        {
            report(super::Event::Warning(
                "a rebuild stopped unexpectedly; the last good site is still served".to_owned(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_count() {
        let root = Path::new("/site");
        assert!(is_source(root, Path::new("/site/site.toml")));
        assert!(is_source(root, Path::new("/site/evidence/a.yaml")));
        assert!(is_source(
            root,
            Path::new("/site/themes/t/templates/x.html")
        ));
        assert!(!is_source(root, Path::new("/site/public/index.html")));
        assert!(!is_source(root, Path::new("/site/evidence/.a.yaml.swp")));
        assert!(!is_source(root, Path::new("/site/evidence/a.yaml~")));
        assert!(!is_source(root, Path::new("/site/x/site.toml")));
        assert!(!is_source(root, Path::new("/elsewhere/evidence/a.yaml")));
    }
}
