//! SHA-256 digests of files, as the manifest records them: hex, with the size beside it so
//! a truncated file is named as such without reading a digest by eye.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

/// One file and its digest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FileDigest {
    /// Path relative to the site root (inputs) or the output folder (outputs), `/`-separated.
    pub path: String,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
}

impl FileDigest {
    /// The digest of bytes already in memory.
    pub fn of_bytes(path: impl Into<String>, bytes: &[u8]) -> FileDigest {
        FileDigest {
            path: path.into(),
            sha256: hex(&Sha256::digest(bytes)),
            bytes: bytes.len() as u64,
        }
    }

    /// The digest of a file on disk, read in chunks so a large attachment is never held
    /// in memory whole.
    pub fn of_file(path: impl Into<String>, file: &Path) -> std::io::Result<FileDigest> {
        let mut hasher = Sha256::new();
        let mut reader = std::fs::File::open(file)?;
        let bytes = std::io::copy(&mut reader, &mut hasher)?;
        Ok(FileDigest {
            path: path.into(),
            sha256: hex(&hasher.finalize()),
            bytes,
        })
    }

    /// The first 12 hex digits: enough to tell files apart on a page, with the full
    /// digest beside it.
    pub fn short(&self) -> &str {
        self.sha256.get(..12).unwrap_or(&self.sha256)
    }
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The bytes of a hex string (either case), or `None` when it is not hex.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// `path` relative to `root`, `/`-separated, the way every diagnostic and URL names files.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_of_known_bytes() {
        let d = FileDigest::of_bytes("a", b"abc");
        assert_eq!(
            d.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!((d.bytes, d.short()), (3, "ba7816bf8f01"));
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("f"), b"abc").unwrap();
        assert_eq!(FileDigest::of_file("a", &tmp.path().join("f")).unwrap(), d);
    }

    #[test]
    fn hex_round_trip() {
        assert_eq!(
            unhex(&hex(&[0, 1, 254, 255])).unwrap(),
            vec![0, 1, 254, 255]
        );
        assert_eq!(unhex("AbCd").unwrap(), vec![0xab, 0xcd]);
        assert!(unhex("abc").is_none());
        assert!(unhex("zz").is_none());
        assert!(unhex("é1").is_none());
    }
}
