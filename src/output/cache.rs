//! The build cache: a build whose inputs are all unchanged since the last one renders and
//! writes nothing. The output is a pure function of what is hashed into the key (every
//! input file's digest, the theme, `--today`, the git commit, the signing key, and the
//! very binary that builds), so when the key matches and the output folder still holds
//! what that build wrote, the site is already up to date.
//!
//! The cache is one small file beside the output folder (`.NAME.evidentia-cache`), never
//! inside it; deleting it only costs one full build. It is written just before the new
//! site is swapped in and stamps that folder (every file's path, size and modification
//! time), so a cache whose site never made it in (a kill between the two), or a folder
//! changed since, does not match and is ignored.

use crate::integrity::FileDigest;
use crate::integrity::digest::hex;
use crate::integrity::manifest::{MANIFEST, Manifest, SIGNATURE};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// First line of the cache file; a file with any other is ignored.
const HEADER: &str = "evidentia build cache 1";

/// What a build's output depends on, hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildKey(String);

/// The parts of a [`BuildKey`].
#[derive(Debug)]
pub struct KeyParts<'a> {
    /// Every input file (site and theme), any order.
    pub inputs: &'a [FileDigest],
    /// The date checks and pages are computed against.
    pub today: jiff::civil::Date,
    /// The git commit recorded in the manifest.
    pub git_commit: Option<&'a str>,
    /// The public key the manifest is signed with, if it is.
    pub signer: Option<[u8; 32]>,
}

impl BuildKey {
    /// The key of a build of `parts` by this binary.
    pub fn new(parts: &KeyParts<'_>) -> BuildKey {
        let mut h = Sha256::new();
        h.update(HEADER);
        h.update(env!("CARGO_PKG_VERSION"));
        h.update(binary_identity());
        h.update(format!("\ntoday {}\n", parts.today));
        h.update(format!("commit {:?}\n", parts.git_commit));
        h.update(format!("signer {:?}\n", parts.signer.map(|k| hex(&k))));
        let mut inputs: Vec<&FileDigest> = parts.inputs.iter().collect();
        inputs.sort_by(|a, b| a.path.cmp(&b.path));
        for i in inputs {
            h.update(format!("{} {} {}\n", i.path, i.sha256, i.bytes).as_bytes());
        }
        BuildKey(hex(&h.finalize()))
    }
}

/// The running executable's size and modification time: a rebuilt binary (new templates
/// compiled in, a renderer fix) never reuses a site an older one wrote.
fn binary_identity() -> String {
    let meta = std::env::current_exe().and_then(std::fs::metadata);
    match meta {
        Ok(m) => {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("\nbinary {} {modified}", m.len())
        }
        // Unknown: never match a cache (the build is merely not skipped).
        Err(_) => format!("\nbinary unknown {:?}", std::time::SystemTime::now()),
    }
}

/// Where the cache of the output folder `out` lives: beside it.
pub fn cache_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "public".to_owned(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.evidentia-cache"))
}

/// What the last build left in an output folder, read once per build: the key it was
/// built with and its manifest. Only given when the folder is exactly as that build left
/// it: every file has the path, size and modification time stamped just before the swap
/// (a file added, deleted, resized or rewritten since means there is nothing to go on).
#[derive(Debug)]
pub struct Previous {
    key: String,
    manifest: Manifest,
}

impl Previous {
    /// The last build of `out`, if its cache is there and the folder is untouched.
    pub fn read(out: &Path) -> Option<Previous> {
        let text = std::fs::read_to_string(cache_path(out)).ok()?;
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return None;
        }
        let key = lines.next()?.strip_prefix("key ")?.to_owned();
        let stamp = lines.next()?.strip_prefix("folder ")?;
        if tree_stamp(out)? != stamp {
            return None;
        }
        let manifest = serde_json::from_slice(&std::fs::read(out.join(MANIFEST)).ok()?).ok()?;
        Some(Previous { key, manifest })
    }

    /// The folder's manifest if it is the very build of `key` (and signed, when the new
    /// build would be): then there is nothing to write.
    pub fn up_to_date(&self, out: &Path, key: &BuildKey, signed: bool) -> Option<&Manifest> {
        let signature_ok = !signed || out.join(SIGNATURE).is_file();
        (self.key == key.0 && signature_ok).then_some(&self.manifest)
    }

    /// The folder's files a new build may hard-link instead of writing again, each with
    /// its SHA-256 and size: a page whose new bytes have the same digest is linked.
    pub fn reusable(self) -> HashMap<String, (String, u64)> {
        self.manifest
            .files
            .into_iter()
            .filter(|f| crate::integrity::verify::is_clean(&f.path))
            .map(|f| (f.path, (f.sha256, f.bytes)))
            .collect()
    }
}

/// Records that the folder `staged` (about to be swapped in as `out`) is the build of
/// `key`. Best effort: a cache that cannot be written costs a full build next time,
/// nothing else. The swap is a rename, which keeps every file's modification time.
pub fn record(out: &Path, staged: &Path, key: &BuildKey) {
    let Some(stamp) = tree_stamp(staged) else {
        return;
    };
    let path = cache_path(out);
    let text = format!("{HEADER}\nkey {}\nfolder {stamp}\n", key.0);
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, &path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// A digest of every file under `dir`: relative path, size and modification time, in
/// path order. `None` if the folder cannot be read whole.
fn tree_stamp(dir: &Path) -> Option<String> {
    let mut h = Sha256::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.ok()?;
        if entry.file_type().is_dir() {
            continue;
        }
        let meta = entry.metadata().ok()?;
        let modified = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        let rel = entry.path().strip_prefix(dir).ok()?;
        h.update(format!("{}\0{}\0{modified}\n", rel.display(), meta.len()).as_bytes());
    }
    Some(hex(&h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(inputs: &[FileDigest]) -> KeyParts<'_> {
        KeyParts {
            inputs,
            today: jiff::civil::date(2026, 11, 27),
            git_commit: None,
            signer: None,
        }
    }

    #[test]
    fn the_key_changes_with_every_part() {
        let a = [FileDigest::of_bytes("evidence/a.yaml", b"one")];
        let b = [FileDigest::of_bytes("evidence/a.yaml", b"two")];
        let base = BuildKey::new(&parts(&a));
        assert_eq!(base, BuildKey::new(&parts(&a)));
        assert_ne!(base, BuildKey::new(&parts(&b)));
        let mut p = parts(&a);
        p.today = jiff::civil::date(2026, 11, 28);
        assert_ne!(base, BuildKey::new(&p));
        let mut p = parts(&a);
        p.git_commit = Some("abc");
        assert_ne!(base, BuildKey::new(&p));
        let mut p = parts(&a);
        p.signer = Some([7; 32]);
        assert_ne!(base, BuildKey::new(&p));
        // Input order does not matter.
        let two = [
            FileDigest::of_bytes("x", b"1"),
            FileDigest::of_bytes("y", b"2"),
        ];
        let swapped = [two[1].clone(), two[0].clone()];
        assert_eq!(BuildKey::new(&parts(&two)), BuildKey::new(&parts(&swapped)));
    }

    fn up_to_date(out: &Path, key: &BuildKey, signed: bool) -> Option<Manifest> {
        Previous::read(out)?.up_to_date(out, key, signed).cloned()
    }

    #[test]
    fn a_cache_holds_only_for_the_folder_it_describes() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("index.html"), "hi").unwrap();
        let manifest = Manifest::new(
            vec![FileDigest::of_bytes("index.html", b"hi")],
            super::super::Provenance::default(),
        );
        std::fs::write(out.join(MANIFEST), manifest.to_json()).unwrap();
        let inputs = [FileDigest::of_bytes("site.toml", b"")];
        let key = BuildKey::new(&parts(&inputs));
        assert!(up_to_date(&out, &key, false).is_none(), "no cache yet");
        record(&out, &out, &key);
        assert_eq!(up_to_date(&out, &key, false), Some(manifest));
        let reusable = Previous::read(&out).unwrap().reusable();
        assert_eq!(reusable["index.html"].1, 2);
        assert!(up_to_date(&out, &key, true).is_none(), "no signature there");
        let other = BuildKey::new(&parts(&[]));
        assert!(up_to_date(&out, &other, false).is_none());
        assert!(cache_path(&out).ends_with(".public.evidentia-cache"));

        // A file planted in the folder: no longer the build that was recorded.
        std::fs::write(out.join("planted.html"), "x").unwrap();
        assert!(up_to_date(&out, &key, false).is_none());
        std::fs::remove_file(out.join("planted.html")).unwrap();
        assert!(up_to_date(&out, &key, false).is_some());
        // A file rewritten, even to the same size, or removed.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(out.join("index.html"), "HI").unwrap();
        assert!(up_to_date(&out, &key, false).is_none());
        record(&out, &out, &key);
        std::fs::remove_file(out.join("index.html")).unwrap();
        assert!(up_to_date(&out, &key, false).is_none());
    }
}
