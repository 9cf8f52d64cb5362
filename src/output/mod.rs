//! Output: writes a rendered site so that readers never see half of one. Files go to a
//! staging folder beside the output folder; when every file is written, the staging
//! folder replaces the output in two renames. A failed or interrupted build leaves the
//! previous site whole, and only a folder Evidentia wrote is ever replaced.

pub mod cache;
mod guard;
pub mod patch;

pub use crate::integrity::manifest::{
    FORMAT, MANIFEST, Manifest, ManifestEntry, Provenance, SIGNATURE,
};
pub use guard::check_output_dir;

use crate::integrity::FileDigest;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output folder is one Evidentia must not replace.
    #[error("refusing to write to {path}: {reason}")]
    Refused {
        /// The folder.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Two files were rendered to one path.
    #[error("two files were rendered to {0}")]
    Clash(String),
    /// Writing failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// What failed.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl OutputError {
    /// The diagnostic code of this failure (E06xx), for `evidentia explain`.
    pub fn code(&self) -> &'static str {
        match self {
            OutputError::Refused { .. } => "E0601",
            OutputError::Clash(_) | OutputError::Io { .. } => "E0602",
        }
    }
}

/// Refuses an output path that would leave the output folder.
fn inside(rel: &str) -> Result<(), OutputError> {
    let clean = !rel.is_empty()
        && rel
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && !s.contains('\\'));
    if clean {
        Ok(())
    } else {
        Err(OutputError::Refused {
            path: PathBuf::from(rel),
            reason: "an output path must stay inside the output folder".to_owned(),
        })
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A staging folder being filled. Dropping it without [`Staging::commit`] removes it.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    entries: Mutex<Vec<ManifestEntry>>,
    provenance: Provenance,
    signer: Option<ed25519_dalek::SigningKey>,
    cache_key: Option<cache::BuildKey>,
    /// Files of the current output that may be linked instead of written: path to digest
    /// and size ([`cache::reusable`]).
    previous: std::collections::HashMap<String, (String, u64)>,
    /// Delete the replaced site on a thread of its own instead of before `commit`
    /// returns (for `serve`, which lives on: its pages reload sooner).
    background_cleanup: bool,
    /// Set by the owner (serve, stopping) to end this build: every later write fails.
    cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// Top-level folders being filled under a temporary name ([`Spread`]), when the
    /// staging folder spreads its children.
    spread: Option<Spread>,
    committed: bool,
}

/// Top-level folders of the staging folder, created under a name unique to this build
/// and renamed to their own at commit.
///
/// Why: on ext4 most of a build's system time was the kernel looking for a free inode.
/// Without a journal (as on the 2-core benchmark machine) ext4 skips every inode freed
/// in the last few minutes, one buffer lookup each, so creating the 20,000 files and
/// folders of a site just after the previous copy was deleted scanned the same freed
/// inodes again for every new one (quadratic: the longer the site, the slower each
/// file). The staging folder is marked as the top of a hierarchy (`FS_TOPDIR_FL`), which
/// makes ext4 place each child folder in a block group of its own choosing, picked by a
/// hash of the child's name; a name unique to the build lands it in a fresh group
/// instead of the one the previous site just left full of freed inodes. Everything
/// below a top-level folder follows it there. Elsewhere the flag is refused or ignored
/// and this costs one rename per top-level folder.
#[derive(Debug)]
struct Spread {
    /// Unique to this build: process id and clock.
    salt: String,
    /// Final name to temporary name.
    tops: Mutex<std::collections::HashMap<String, String>>,
}

impl Staging {
    /// Creates a fresh staging folder beside `out` (same filesystem, so the swap is a
    /// rename), after removing any left by an interrupted build.
    pub fn create(out: &Path) -> Result<Staging, OutputError> {
        let parent = out.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(io(parent))?;
        Staging::create_in(out, parent)
    }

    /// [`Staging::create`] for an output folder whose parent must already exist (serve's
    /// temporary folder): a rebuild abandoned when serve stops must not bring back the
    /// folder being removed.
    pub fn create_in_existing(out: &Path) -> Result<Staging, OutputError> {
        let parent = out.parent().unwrap_or(Path::new("."));
        if !parent.is_dir() {
            return Err(OutputError::Io {
                path: parent.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "the folder holding the output is gone",
                ),
            });
        }
        Staging::create_in(out, parent)
    }

    fn create_in(out: &Path, parent: &Path) -> Result<Staging, OutputError> {
        let name = out
            .file_name()
            .map_or_else(|| "public".to_owned(), |n| n.to_string_lossy().into_owned());
        remove_leftovers(parent, &name);
        let dir = parent.join(format!(".{name}.evidentia-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io(&dir))?;
        }
        std::fs::create_dir(&dir).map_err(io(&dir))?;
        let spread = mark_top_of_hierarchy(&dir).then(|| Spread {
            salt: format!(
                "{}-{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos())
            ),
            tops: Mutex::new(std::collections::HashMap::new()),
        });
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            entries: Mutex::new(Vec::new()),
            provenance: Provenance::default(),
            signer: None,
            cache_key: None,
            previous: std::collections::HashMap::new(),
            background_cleanup: false,
            cancel: None,
            spread,
            committed: false,
        })
    }

    /// Records what the build read and its commit in the manifest.
    pub fn with_provenance(mut self, provenance: Provenance) -> Staging {
        self.provenance = provenance;
        self
    }

    /// Signs the manifest with `key` on commit, writing [`SIGNATURE`] beside it, so the
    /// signature is published in the same swap as the site it vouches for.
    pub fn with_signer(mut self, key: Option<ed25519_dalek::SigningKey>) -> Staging {
        self.signer = key;
        self
    }

    /// Records the build's key in the build cache on commit, so that a build with the
    /// same key can leave the site as it is.
    pub fn with_cache_key(mut self, key: cache::BuildKey) -> Staging {
        self.cache_key = Some(key);
        self
    }

    /// Lets files whose bytes are unchanged be hard-linked from the current output
    /// folder instead of written: `previous` maps each of its files to its SHA-256 and
    /// size, and must describe the folder as it is ([`cache::reusable`]). Writing
    /// thousands of files is most of a build's time on a slow disk; a link is one call and
    /// no data. The current folder is never written to, so a failed build still leaves it
    /// whole.
    pub fn with_reuse(
        mut self,
        previous: std::collections::HashMap<String, (String, u64)>,
    ) -> Staging {
        self.previous = previous;
        self
    }

    /// Deletes the replaced site in the background after the swap, so `commit` returns
    /// as soon as the new site is in place. Only for a process that keeps running (the
    /// next build removes whatever a finished process left).
    pub fn with_background_cleanup(mut self) -> Staging {
        self.background_cleanup = true;
        self
    }

    /// Ends the build when `cancel` is set: writes fail from then on, so a build
    /// abandoned by a stopping server writes nothing more into the folder being removed.
    pub fn with_cancel(mut self, cancel: std::sync::Arc<std::sync::atomic::AtomicBool>) -> Staging {
        self.cancel = Some(cancel);
        self
    }

    /// Writes one file (safe to call from many threads).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        // A build told to stop (serve stopping mid-rebuild) writes nothing more:
        // creating folders would bring back the one being removed.
        let cancelled = self
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(std::sync::atomic::Ordering::SeqCst));
        if cancelled {
            return Err(OutputError::Io {
                path: self.dir.clone(),
                source: std::io::Error::new(
                    std::io::ErrorKind::Interrupted,
                    "the build was stopped while it ran",
                ),
            });
        }
        let path = self.target(rel)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let entry = FileDigest::of_bytes(rel, bytes);
        let same = self
            .previous
            .get(rel)
            .is_some_and(|(sha, len)| *sha == entry.sha256 && *len == entry.bytes);
        if !(same && std::fs::hard_link(self.out.join(rel), &path).is_ok()) {
            std::fs::write(&path, bytes).map_err(io(&path))?;
        }
        if let Ok(mut entries) = self.entries.lock() {
            entries.push(entry);
        }
        Ok(())
    }

    /// Copies one file into the output (safe to call from many threads).
    pub fn copy(&self, rel: &str, from: &Path) -> Result<(), OutputError> {
        let bytes = std::fs::read(from).map_err(io(from))?;
        self.write(rel, &bytes)
    }

    fn target(&self, rel: &str) -> Result<PathBuf, OutputError> {
        inside(rel)?;
        let Some(spread) = &self.spread else {
            return Ok(self.dir.join(rel));
        };
        let Some((top, rest)) = rel.split_once('/') else {
            return Ok(self.dir.join(rel));
        };
        let mut tops = spread
            .tops
            .lock()
            .map_err(|_| OutputError::Clash(rel.to_owned()))?;
        let temp = match tops.get(top) {
            Some(t) => t.clone(),
            None => {
                let t = format!(".evidentia-top-{}-{}", spread.salt, tops.len());
                let path = self.dir.join(&t);
                std::fs::create_dir(&path).map_err(io(&path))?;
                tops.insert(top.to_owned(), t.clone());
                t
            }
        };
        Ok(self.dir.join(temp).join(rest))
    }

    /// Gives the top-level folders their own names, before the manifest is written.
    fn unspread(&self) -> Result<(), OutputError> {
        let Some(spread) = &self.spread else {
            return Ok(());
        };
        let tops = std::mem::take(
            &mut *spread
                .tops
                .lock()
                .map_err(|_| OutputError::Clash("staging".to_owned()))?,
        );
        for (top, temp) in tops {
            let to = self.dir.join(&top);
            std::fs::rename(self.dir.join(temp), &to).map_err(io(&to))?;
        }
        Ok(())
    }

    /// Writes the manifest and swaps the staging folder in for the output folder.
    pub fn commit(mut self) -> Result<Manifest, OutputError> {
        let mut entries = std::mem::take(
            &mut *self
                .entries
                .lock()
                .map_err(|_| OutputError::Clash("manifest".to_owned()))?,
        );
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        if let Some(w) = entries.windows(2).find(|w| w[0].path == w[1].path) {
            return Err(OutputError::Clash(w[0].path.clone()));
        }
        if let Some(e) = entries
            .iter()
            .find(|e| e.path == MANIFEST || e.path == SIGNATURE)
        {
            return Err(OutputError::Clash(e.path.clone()));
        }
        self.unspread()?;
        let manifest = Manifest::new(entries, std::mem::take(&mut self.provenance));
        let text = manifest.to_json();
        let path = self.dir.join(MANIFEST);
        std::fs::write(&path, &text).map_err(io(&path))?;
        if let Some(key) = &self.signer {
            let path = self.dir.join(SIGNATURE);
            let sig = crate::integrity::keys::sign(key, text.as_bytes());
            std::fs::write(&path, sig).map_err(io(&path))?;
        }
        // Before the swap: a cache naming a site that never got swapped in names a
        // manifest the folder does not hold, and is ignored.
        if let Some(key) = &self.cache_key {
            cache::record(&self.out, &self.dir, key);
        }
        let replaced = swap_in(&self.dir, &self.out)?;
        self.committed = true;
        if let Some(old) = replaced {
            match self.background_cleanup.then(|| trash_name(&self.out)) {
                // Renamed first, so the next build's staging folder (same name) is free.
                Some(trash) if std::fs::rename(&old, &trash).is_ok() => {
                    std::thread::spawn(move || remove_tree(&trash));
                }
                _ => remove_tree(&old),
            }
        }
        Ok(manifest)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Asks the filesystem to spread the children of `dir` over the disk (see [`Spread`]);
/// whether it took.
fn mark_top_of_hierarchy(dir: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{IFlags, ioctl_getflags, ioctl_setflags};
        let Ok(file) = std::fs::File::open(dir) else {
            return false;
        };
        let Ok(flags) = ioctl_getflags(&file) else {
            return false;
        };
        ioctl_setflags(&file, flags | IFlags::TOPDIR).is_ok()
            && ioctl_getflags(&file).is_ok_and(|f| f.contains(IFlags::TOPDIR))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        false
    }
}

/// Puts the folder `new` in place of `out`. Where the system can, the two are exchanged
/// in one atomic rename (Linux `RENAME_EXCHANGE`): at every instant `out` is either the
/// whole old site or the whole new one, even if the process is killed, and a server
/// reading it never sees it missing. Elsewhere the old folder is renamed aside first.
/// Returns the folder now holding the old site, for the caller to remove (a kill before
/// it is gone leaves a staging or old folder, which the next build removes).
fn swap_in(new: &Path, out: &Path) -> Result<Option<PathBuf>, OutputError> {
    if !out.exists() {
        std::fs::rename(new, out).map_err(io(out))?;
        return Ok(None);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, new, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            return Ok(Some(new.to_path_buf()));
        }
    }
    let old = new.with_file_name(
        new.file_name()
            .map(|n| {
                n.to_string_lossy()
                    .replace("evidentia-staging", "evidentia-old")
            })
            .unwrap_or_default(),
    );
    std::fs::rename(out, &old).map_err(io(out))?;
    if let Err(e) = std::fs::rename(new, out) {
        let _ = std::fs::rename(&old, out);
        return Err(OutputError::Io {
            path: out.to_path_buf(),
            source: e,
        });
    }
    Ok(Some(old))
}

/// A fresh name beside `out` for a replaced site being deleted in the background:
/// `.NAME.evidentia-old-PID-N`, which [`remove_leftovers`] leaves alone while this
/// process runs and removes after.
fn trash_name(out: &Path) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = out
        .file_name()
        .map_or_else(|| "public".to_owned(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.evidentia-old-{}-{n}", std::process::id()))
}

/// Removes a folder and everything in it, files in parallel: deleting the old copy of a
/// 20,000-page site one file at a time was an eighth of a build's time.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let (mut dirs, mut files) = (Vec::new(), Vec::new());
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
        } else {
            files.push(entry.into_path());
        }
    }
    files.par_iter().for_each(|f| {
        let _ = std::fs::remove_file(f);
    });
    // Parents come before their children in the walk: remove in reverse.
    for d in dirs.iter().rev() {
        let _ = std::fs::remove_dir(d);
    }
    if dir.exists() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Removes the staging folders that killed builds left beside `out` (a build that finds
/// the site up to date creates none, so it clears them here).
pub fn clear_leftovers(out: &Path) {
    let parent = out.parent().unwrap_or(Path::new("."));
    if let Some(name) = out.file_name() {
        remove_leftovers(parent, &name.to_string_lossy());
    }
}

/// Removes staging and old folders that a killed build left behind, unless the process
/// that made them is still running.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(read) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in read.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file
            .strip_prefix(&format!(".{name}.evidentia-staging-"))
            .or_else(|| file.strip_prefix(&format!(".{name}.evidentia-old-")))
        else {
            continue;
        };
        // `PID-N` is a replaced site this process may still be deleting in the background.
        let (pid, in_background) = match rest.split_once('-') {
            Some((pid, _)) => (pid, true),
            None => (rest, false),
        };
        let alive = pid.parse::<u32>().is_ok_and(|pid| {
            if pid == std::process::id() {
                in_background
            } else {
                Path::new(&format!("/proc/{pid}")).exists()
            }
        });
        if !alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_the_output_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::create(&out).unwrap();
        s.write("a/index.html", b"one").unwrap();
        s.write("b.css", b"two").unwrap();
        let m = s.commit().unwrap();
        assert_eq!(m.files.len(), 2);
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");

        let s = Staging::create(&out).unwrap();
        s.write("c/index.html", b"three").unwrap();
        s.commit().unwrap();
        assert!(!out.join("a/index.html").exists());
        assert!(out.join("c/index.html").exists());
        assert!(out.join(MANIFEST).exists());
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            vec!["public"],
            "no staging or old folder is left behind"
        );
    }

    #[test]
    fn top_level_folders_get_their_own_names_at_commit() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::create(&out).unwrap();
        s.write("index.html", b"home").unwrap();
        s.write("a/b/c/index.html", b"deep").unwrap();
        s.write("a/index.html", b"a").unwrap();
        s.write("tags/x/index.html", b"x").unwrap();
        s.commit().unwrap();
        let mut names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["a", "index.html", "manifest.json", "tags"]);
        assert_eq!(
            std::fs::read(out.join("a/b/c/index.html")).unwrap(),
            b"deep"
        );
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"a");
        assert_eq!(std::fs::read(out.join("tags/x/index.html")).unwrap(), b"x");
    }

    #[test]
    fn a_file_and_a_folder_of_one_name_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Staging::create(&tmp.path().join("public")).unwrap();
        let wrote_both = s.write("a", b"1").is_ok() && s.write("a/b", b"2").is_ok();
        assert!(!wrote_both || s.commit().is_err());
    }

    #[test]
    fn an_abandoned_build_leaves_the_old_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::create(&out).unwrap();
        s.write("index.html", b"old").unwrap();
        s.commit().unwrap();
        let s = Staging::create(&out).unwrap();
        s.write("index.html", b"new").unwrap();
        drop(s);
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn leftovers_of_killed_builds_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let stale = tmp.path().join(".public.evidentia-staging-999999999");
        std::fs::create_dir(&stale).unwrap();
        let s = Staging::create(&tmp.path().join("public")).unwrap();
        assert!(!stale.exists());
        drop(s);
    }

    #[test]
    fn a_replaced_site_can_be_deleted_in_the_background() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::create(&out).unwrap();
        s.write("index.html", b"old").unwrap();
        s.commit().unwrap();
        for round in ["new", "newer"] {
            let s = Staging::create(&out).unwrap().with_background_cleanup();
            s.write("index.html", round.as_bytes()).unwrap();
            s.commit().unwrap();
            assert_eq!(
                std::fs::read(out.join("index.html")).unwrap(),
                round.as_bytes()
            );
        }
        // The deletions finish on their own; nothing but the site is left.
        let only_public = || {
            std::fs::read_dir(tmp.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .all(|n| n == "public")
        };
        let start = std::time::Instant::now();
        while !only_public() {
            assert!(
                start.elapsed().as_secs() < 10,
                "the old sites were not deleted"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        // One left by a process that is gone (pid 999999999) is removed by the next build.
        let stale = tmp.path().join(".public.evidentia-old-999999999-3");
        std::fs::create_dir(&stale).unwrap();
        drop(Staging::create(&out).unwrap());
        assert!(!stale.exists());
    }

    #[test]
    fn paths_cannot_escape() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Staging::create(&tmp.path().join("public")).unwrap();
        assert!(s.write("../x", b"").is_err());
        assert!(s.write("a/../../x", b"").is_err());
        assert!(s.write("/abs", b"").is_err());
    }

    #[test]
    fn clashing_paths_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Staging::create(&tmp.path().join("public")).unwrap();
        s.write("a", b"1").unwrap();
        s.write("a", b"2").unwrap();
        assert!(matches!(s.commit(), Err(OutputError::Clash(_))));
    }
}
