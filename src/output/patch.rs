//! Patching a served folder in place: `serve`'s rebuilds after a small change render a
//! few pages, and swapping in a whole new folder for them would mean linking or writing
//! every other file again. Changed files are held until the render has succeeded, then
//! each is written beside its place and renamed over it (a reader sees the old file or
//! the new one, never half of one), files the build no longer makes are removed, and
//! manifest.json is rewritten to match (last, by [`write_manifest`]). Never used by
//! `build`, whose output must change all at once ([`super::Staging`]).

use super::{MANIFEST, Manifest, OutputError, Provenance, SIGNATURE, inside, io};
use crate::integrity::FileDigest;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Changes to a served folder, collected while a rebuild renders.
#[derive(Debug)]
pub struct Patch<'a> {
    out: PathBuf,
    /// The folder's files as its manifest lists them (sorted by path).
    previous: &'a [FileDigest],
    /// Every file of the rebuild, with its bytes when they differ from the folder's.
    files: Mutex<Vec<(FileDigest, Option<Vec<u8>>)>>,
    cancel: Option<std::sync::Arc<AtomicBool>>,
}

/// What [`Patch::apply`] changed.
#[derive(Debug)]
pub struct Applied {
    /// The folder's new manifest.
    pub manifest: Manifest,
    /// Files written (new or changed), sorted.
    pub written: Vec<String>,
    /// Files removed, sorted.
    pub removed: Vec<String>,
}

impl<'a> Patch<'a> {
    /// A patch of `out`, which holds the build `manifest` describes.
    pub fn new(out: &Path, manifest: &'a Manifest) -> Patch<'a> {
        Patch {
            out: out.to_path_buf(),
            previous: &manifest.files,
            files: Mutex::new(Vec::new()),
            cancel: None,
        }
    }

    /// Ends the rebuild when `cancel` is set (serve stopping): later calls fail.
    pub fn with_cancel(mut self, cancel: std::sync::Arc<AtomicBool>) -> Patch<'a> {
        self.cancel = Some(cancel);
        self
    }

    fn previous(&self, rel: &str) -> Option<&'a FileDigest> {
        find(self.previous, rel)
    }

    /// Fails once the owner has said stop.
    fn running(&self) -> Result<(), OutputError> {
        if self
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::SeqCst))
        {
            return Err(OutputError::Io {
                path: self.out.clone(),
                source: std::io::Error::new(
                    std::io::ErrorKind::Interrupted,
                    "the build was stopped while it ran",
                ),
            });
        }
        Ok(())
    }

    fn push(&self, entry: FileDigest, bytes: Option<Vec<u8>>) -> Result<(), OutputError> {
        inside(&entry.path)?;
        self.running()?;
        if let Ok(mut files) = self.files.lock() {
            files.push((entry, bytes));
        }
        Ok(())
    }

    /// One file of the rebuild (safe to call from many threads); held in memory only
    /// when it differs from the folder's.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let entry = FileDigest::of_bytes(rel, bytes);
        let same = self
            .previous(rel)
            .is_some_and(|p| p.sha256 == entry.sha256 && p.bytes == entry.bytes);
        self.push(entry, (!same).then(|| bytes.to_vec()))
    }

    /// A copied file. The caller rebuilds whole when a copied source changes, so one the
    /// folder holds already is kept as it is.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<(), OutputError> {
        match self.previous(rel) {
            Some(p) => self.push(p.clone(), None),
            None => {
                let bytes = std::fs::read(from).map_err(io(from))?;
                self.write(rel, &bytes)
            }
        }
    }

    /// Writes the changed files, keeps `kept` (files the rebuild did not make again but
    /// still has, such as pages it did not render), removes every other file of the old
    /// build, and returns the folder's new manifest ([`write_manifest`] writes it).
    /// `None` when a kept file is not in the folder: the caller must then build whole.
    pub fn apply(
        self,
        kept: &[String],
        provenance: Provenance,
    ) -> Result<Option<Applied>, OutputError> {
        self.running()?;
        let previous = self.previous;
        let files = self
            .files
            .into_inner()
            .map_err(|_| OutputError::Clash(MANIFEST.to_owned()))?;
        let made: HashSet<&str> = files.iter().map(|(e, _)| e.path.as_str()).collect();
        let produced: HashSet<&str> = kept.iter().map(String::as_str).collect();
        // One pass over the folder's files, which are sorted: what the build made again
        // is kept, what it no longer makes is removed.
        let mut entries: Vec<FileDigest> = Vec::with_capacity(previous.len() + files.len());
        let mut removed: Vec<String> = Vec::new();
        for p in previous {
            if made.contains(p.path.as_str()) {
                continue;
            }
            if produced.contains(p.path.as_str()) {
                entries.push(p.clone());
            } else {
                removed.push(p.path.clone());
            }
        }
        // A kept file the folder lacks: only a whole build knows what it holds.
        let both = made.iter().filter(|m| produced.contains(*m)).count();
        if entries.len() != produced.len() - both {
            return Ok(None);
        }
        if let Some((entry, _)) = files
            .iter()
            .find(|(e, _)| e.path == MANIFEST || e.path == SIGNATURE)
        {
            return Err(OutputError::Clash(entry.path.clone()));
        }
        // Each file is its own write and rename: side by side, they take half the time.
        let mut written: Vec<String> = files
            .par_iter()
            .filter_map(|(entry, bytes)| bytes.as_ref().map(|b| (entry, b)))
            .map(|(entry, bytes)| {
                replace(&self.out, &entry.path, bytes)?;
                Ok(entry.path.clone())
            })
            .collect::<Result<_, OutputError>>()?;
        entries.extend(files.into_iter().map(|(e, _)| e));
        // The folder's files in order, then the few made: one merge.
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        if let Some(w) = entries.windows(2).find(|w| w[0].path == w[1].path) {
            return Err(OutputError::Clash(w[0].path.clone()));
        }
        for rel in &removed {
            let path = self.out.join(rel);
            match std::fs::remove_file(&path) {
                Ok(()) => prune(&self.out, &path),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(&path)(e)),
            }
        }
        written.sort();
        let manifest = Manifest::new(entries, provenance);
        Ok(Some(Applied {
            manifest,
            written,
            removed,
        }))
    }
}

/// Writes `manifest` as the manifest.json of `out`, the folder a patch changed. Why
/// apart from [`Patch::apply`]: the pages are what a reader waits for, and at 20,000
/// files the manifest takes longer to write than they do, so serve writes it after
/// telling open pages to reload.
pub fn write_manifest(out: &Path, manifest: &Manifest) -> Result<(), OutputError> {
    replace(out, MANIFEST, manifest.to_json().as_bytes())
}

/// The entry of `rel` in `files` (sorted by path).
fn find<'a>(files: &'a [FileDigest], rel: &str) -> Option<&'a FileDigest> {
    files
        .binary_search_by(|f| f.path.as_str().cmp(rel))
        .ok()
        .map(|i| &files[i])
}

/// Writes `rel` under `out` beside its place, then renames it over the old file.
fn replace(out: &Path, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
    let path = out.join(rel);
    let parent = path.parent().unwrap_or(out);
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = parent.join(format!(".{name}.evidentia-new-{}", std::process::id()));
    std::fs::write(&temp, bytes).map_err(io(&temp))?;
    std::fs::rename(&temp, &path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        io(&path)(e)
    })
}

/// Removes the folders above a removed file that are left empty, up to `out`.
fn prune(out: &Path, removed: &Path) {
    let mut dir = removed.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || std::fs::remove_dir(d).is_err() {
            return;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(out: &Path, files: &[(&str, &str)]) -> Manifest {
        let mut entries: Vec<FileDigest> = files
            .iter()
            .map(|(p, t)| {
                let path = out.join(p);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, t).unwrap();
                FileDigest::of_bytes(*p, t.as_bytes())
            })
            .collect();
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        Manifest::new(entries, Provenance::default())
    }

    #[test]
    fn writes_what_changed_keeps_the_rest_and_removes_the_gone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let before = build(
            &out,
            &[
                ("index.html", "home"),
                ("a/index.html", "a"),
                ("b/index.html", "b"),
                ("gone/deep/index.html", "x"),
            ],
        );
        let patch = Patch::new(&out, &before);
        patch.write("index.html", b"home").unwrap();
        patch.write("a/index.html", b"a2").unwrap();
        patch.write("new/index.html", b"n").unwrap();
        let applied = patch
            .apply(&["b/index.html".to_owned()], Provenance::default())
            .unwrap()
            .unwrap();
        assert_eq!(applied.written, ["a/index.html", "new/index.html"]);
        assert_eq!(applied.removed, ["gone/deep/index.html"]);
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a2"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("b/index.html")).unwrap(),
            "b"
        );
        assert!(!out.join("gone").exists(), "empty folders go too");
        let paths: Vec<&str> = applied
            .manifest
            .files
            .iter()
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(
            paths,
            [
                "a/index.html",
                "b/index.html",
                "index.html",
                "new/index.html"
            ]
        );
        assert!(
            !out.join(MANIFEST).exists(),
            "the manifest is written apart"
        );
        write_manifest(&out, &applied.manifest).unwrap();
        let on_disk = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
        assert_eq!(on_disk, applied.manifest.to_json());
        let leftovers: Vec<_> = walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains("evidentia-new"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_kept_file_the_folder_lacks_asks_for_a_whole_build() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let before = build(&out, &[("index.html", "home")]);
        let patch = Patch::new(&out, &before);
        patch.write("index.html", b"home2").unwrap();
        let applied = patch
            .apply(&["missing/index.html".to_owned()], Provenance::default())
            .unwrap();
        assert!(applied.is_none());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "home",
            "nothing written"
        );
    }

    #[test]
    fn paths_out_of_the_folder_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let empty = Manifest::new(Vec::new(), Provenance::default());
        let patch = Patch::new(tmp.path(), &empty);
        assert!(patch.write("../x", b"x").is_err());
        assert!(patch.write("a/../../x", b"x").is_err());
    }
}
