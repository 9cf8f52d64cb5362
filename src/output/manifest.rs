//! manifest.json: every file of a built site with its size and SHA-256, so a published
//! site can be checked against what was built, and so a later build knows the output
//! folder is one it may replace.

use serde::{Deserialize, Serialize};

/// The manifest's file name at the output root.
pub const MANIFEST: &str = "manifest.json";

/// The list of files of a built site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always "evidentia": marks the folder as one Evidentia wrote.
    pub generator: String,
    /// The version that wrote it.
    pub version: String,
    /// Every file but the manifest, sorted by path.
    pub files: Vec<ManifestEntry>,
}

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// Path relative to the output folder.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
}

impl Manifest {
    /// A manifest of `files` (already sorted).
    pub fn new(files: Vec<ManifestEntry>) -> Manifest {
        Manifest {
            generator: "evidentia".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            files,
        }
    }

    /// The JSON text, pretty-printed with a final newline (stable: no timestamps).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Whether `text` is a manifest Evidentia wrote.
    pub fn is_ours(text: &str) -> bool {
        serde_json::from_str::<Manifest>(text).is_ok_and(|m| m.generator == "evidentia")
    }
}
