//! manifest.json: what a build read and wrote, each file with its size and SHA-256, the
//! tool's version and the git commit, so a published site can be checked against what
//! was built (`evidentia verify`) and so a later build knows the output folder is one it
//! may replace. Deterministic: sorted, no timestamps, no absolute paths, so two builds of
//! the same sources are byte-identical.

use super::FileDigest;
use serde::{Deserialize, Serialize};

/// The manifest's file name at the output root.
pub const MANIFEST: &str = "manifest.json";

/// The signature's file name, beside the manifest.
pub const SIGNATURE: &str = "manifest.sig";

/// The version of the manifest's shape; a reader refuses shapes it does not know.
pub const FORMAT: u32 = 1;

/// One file of the output (kept under its older name for callers).
pub type ManifestEntry = FileDigest;

/// The record of a build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: u32,
    /// Always "evidentia": marks the folder as one Evidentia wrote.
    pub generator: String,
    /// The version that wrote it.
    pub version: String,
    /// The commit checked out when the site is a git checkout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    /// Every file the build read (site.toml, content/, evidence/, the site's theme),
    /// sorted by path relative to the site root.
    pub inputs: Vec<FileDigest>,
    /// Every file written but the manifest and its signature, sorted by path relative to
    /// the output folder.
    #[serde(rename = "outputs")]
    pub files: Vec<FileDigest>,
}

/// Where a build came from: what it read and the commit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    /// Input files, any order.
    pub inputs: Vec<FileDigest>,
    /// The git commit, if any.
    pub git_commit: Option<String>,
}

impl Manifest {
    /// A manifest of `files` (already sorted) built from `provenance`.
    pub fn new(files: Vec<FileDigest>, provenance: Provenance) -> Manifest {
        let mut manifest = Manifest {
            format: FORMAT,
            generator: "evidentia".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            git_commit: None,
            inputs: Vec::new(),
            files,
        };
        manifest.set_provenance(provenance);
        manifest
    }

    /// Says what the build read and the commit; serve's patches, whose pages are served
    /// before their manifest is written, say it last.
    pub fn set_provenance(&mut self, provenance: Provenance) {
        let mut inputs = provenance.inputs;
        inputs.sort();
        inputs.dedup_by(|a, b| a.path == b.path);
        self.inputs = inputs;
        self.git_commit = provenance.git_commit;
    }

    /// The JSON text, pretty-printed with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Whether `text` is a manifest Evidentia wrote, of this format or an older one
    /// (an old site stays replaceable by a newer build).
    pub fn is_ours(text: &str) -> bool {
        #[derive(Deserialize)]
        struct Mark {
            generator: String,
        }
        serde_json::from_str::<Mark>(text).is_ok_and(|m| m.generator == "evidentia")
    }
}
