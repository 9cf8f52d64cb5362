//! `evidentia verify`: recomputes every output digest of a built folder and compares it
//! with manifest.json, and with `--key` checks the manifest's signature. The manifest is
//! untrusted input here: a path in it that would leave the folder is refused, not read.

use super::keys::{self, SignatureCheck};
use super::manifest::{FORMAT, MANIFEST, Manifest, SIGNATURE};
use super::{FileDigest, IntegrityError};
use ed25519_dalek::VerifyingKey;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The code of a folder that differs from its manifest.
pub const TAMPERED: &str = "E0604";
/// The code of a missing, malformed or mismatched signature.
pub const BAD_SIGNATURE: &str = "E0605";

/// A file whose content differs from the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// Path relative to the folder.
    pub path: String,
    /// Size the manifest records.
    pub expected_bytes: u64,
    /// Size found.
    pub actual_bytes: u64,
}

/// What verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The manifest that was checked.
    pub manifest: Manifest,
    /// Files whose digest differs, sorted.
    pub changed: Vec<Changed>,
    /// Files in the manifest that are gone, sorted.
    pub missing: Vec<String>,
    /// Files present but not in the manifest, sorted.
    pub added: Vec<String>,
    /// The signature check, when a key was given.
    pub signature: Option<SignatureCheck>,
}

impl Report {
    /// Whether every file matches and the signature (if checked) is good.
    pub fn is_intact(&self) -> bool {
        self.changed.is_empty()
            && self.missing.is_empty()
            && self.added.is_empty()
            && self.signature.is_none_or(|s| s == SignatureCheck::Good)
    }
}

/// Verifies `dir` against its manifest.json, and the signature with `key`.
pub fn verify(dir: &Path, key: Option<&VerifyingKey>) -> Result<Report, IntegrityError> {
    let manifest_path = dir.join(MANIFEST);
    let text = match std::fs::read(&manifest_path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(IntegrityError::ManifestMissing(dir.to_path_buf()));
        }
        Err(source) => {
            return Err(IntegrityError::Io {
                path: manifest_path,
                source,
            });
        }
    };
    let manifest = parse(&manifest_path, &text)?;
    let signature = key.map(|key| match std::fs::read(dir.join(SIGNATURE)) {
        Ok(sig) => keys::check(key, &text, &String::from_utf8_lossy(&sig)),
        Err(_) => SignatureCheck::Missing,
    });

    let mut changed = Vec::new();
    let mut missing = Vec::new();
    for entry in &manifest.files {
        let path = dir.join(&entry.path);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => {}
            Ok(_) => {
                changed.push(Changed {
                    path: entry.path.clone(),
                    expected_bytes: entry.bytes,
                    actual_bytes: 0,
                });
                continue;
            }
            Err(_) => {
                missing.push(entry.path.clone());
                continue;
            }
        }
        let found = FileDigest::of_file(entry.path.clone(), &path)
            .map_err(|source| IntegrityError::Io { path, source })?;
        if found.sha256 != entry.sha256 || found.bytes != entry.bytes {
            changed.push(Changed {
                path: entry.path.clone(),
                expected_bytes: entry.bytes,
                actual_bytes: found.bytes,
            });
        }
    }
    let listed: BTreeSet<&str> = manifest.files.iter().map(|e| e.path.as_str()).collect();
    let mut added = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| IntegrityError::Io {
            path: e
                .path()
                .map_or_else(|| dir.to_path_buf(), Path::to_path_buf),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("loop")),
        })?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = super::digest::relative(dir, entry.path());
        if rel != MANIFEST && rel != SIGNATURE && !listed.contains(rel.as_str()) {
            added.push(rel);
        }
    }
    Ok(Report {
        manifest,
        changed,
        missing,
        added,
        signature,
    })
}

/// Reads manifest text, refusing anything but a manifest of [`FORMAT`] whose paths stay
/// inside the folder.
fn parse(path: &Path, text: &[u8]) -> Result<Manifest, IntegrityError> {
    let not_manifest = |detail: String| IntegrityError::NotAManifest {
        path: path.to_path_buf(),
        detail,
    };
    let value: serde_json::Value =
        serde_json::from_slice(text).map_err(|e| IntegrityError::ManifestNotJson {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
    let format = value.get("format").and_then(serde_json::Value::as_u64);
    if format != Some(u64::from(FORMAT)) {
        return Err(not_manifest(match format {
            Some(f) => format!("format {f}; this version reads format {FORMAT}"),
            None => format!(
                "no `format` field (built by an older Evidentia; rebuild the site to get a format {FORMAT} manifest)"
            ),
        }));
    }
    let manifest: Manifest =
        serde_json::from_value(value).map_err(|e| not_manifest(e.to_string()))?;
    if manifest.generator != "evidentia" {
        return Err(not_manifest(format!(
            "its generator is `{}`",
            manifest.generator
        )));
    }
    if let Some(bad) = manifest.files.iter().find(|e| !is_clean(&e.path)) {
        return Err(not_manifest(format!(
            "the path `{}` would leave the folder",
            bad.path
        )));
    }
    Ok(manifest)
}

/// A relative `/`-separated path with no `.`, `..`, empty or backslashed segment.
pub(crate) fn is_clean(rel: &str) -> bool {
    !rel.is_empty()
        && rel
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && !s.contains('\\'))
        && !PathBuf::from(rel).is_absolute()
}
