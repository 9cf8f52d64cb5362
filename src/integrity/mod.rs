//! Integrity: digests of what a build read and wrote, the git commit it came from,
//! ed25519 signatures over the manifest, and the check of a published folder against its
//! manifest (`evidentia verify`).

pub mod digest;
pub mod git;
pub mod keys;
pub mod manifest;
pub mod verify;

pub use digest::FileDigest;
pub use keys::{KeyFiles, SignatureCheck};
pub use manifest::{FORMAT, MANIFEST, Manifest, ManifestEntry, Provenance, SIGNATURE};
pub use verify::{Changed, Report, verify};

use std::path::PathBuf;

/// Why a manifest, key or signature could not be used at all (exit 2), as opposed to a
/// folder that does not match its manifest (a [`Report`], exit 1).
#[derive(Debug, thiserror::Error)]
pub enum IntegrityError {
    /// The folder has no manifest.json.
    #[error("{0} has no manifest.json: it was not built by Evidentia, or the manifest was removed")]
    ManifestMissing(PathBuf),
    /// manifest.json is not JSON.
    #[error("{path} is not JSON: {detail}")]
    ManifestNotJson {
        /// The manifest.
        path: PathBuf,
        /// The parser's message.
        detail: String,
    },
    /// manifest.json is JSON but not a manifest this version reads.
    #[error("{path} is not an Evidentia manifest: {detail}")]
    NotAManifest {
        /// The manifest.
        path: PathBuf,
        /// What is wrong with it.
        detail: String,
    },
    /// A key file is not a key of the expected kind.
    #[error("{path} is not a usable key: {reason}")]
    NotAKey {
        /// The key file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// keygen would overwrite a key.
    #[error("{0} already exists; keygen never overwrites a key (choose another prefix with -o)")]
    KeyExists(PathBuf),
    /// Reading or writing a file failed.
    #[error("cannot read or write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl IntegrityError {
    /// The diagnostic code, for `evidentia explain`.
    pub fn code(&self) -> &'static str {
        match self {
            IntegrityError::ManifestMissing(_)
            | IntegrityError::ManifestNotJson { .. }
            | IntegrityError::NotAManifest { .. } => "E0603",
            IntegrityError::NotAKey { .. } => "E0606",
            IntegrityError::KeyExists(_) => "E0607",
            IntegrityError::Io { .. } => "E0609",
        }
    }
}
