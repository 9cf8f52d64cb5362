//! A bundle as one zip file: entries sorted, timestamps fixed at the zip epoch so two
//! bundles of the same sources are byte-identical, written beside the target and renamed
//! over it only when complete.

use super::BundleError;
use crate::output::{MANIFEST, Manifest, OutputError, Provenance};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

/// Resolves the zip's path and refuses places a build would not write: a folder, or
/// inside the site's sources (where the next build would read it).
pub(super) fn check_dest(root: &Path, dest: &Path) -> Result<PathBuf, crate::Error> {
    let refuse = |reason: &str| OutputError::Refused {
        path: dest.to_path_buf(),
        reason: reason.to_owned(),
    };
    if dest.is_dir() {
        return Err(refuse("it is a folder").into());
    }
    let absolute = if dest.is_absolute() {
        dest.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|source| OutputError::Io {
                path: dest.to_path_buf(),
                source,
            })?
            .join(dest)
    };
    let parent = absolute
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .ok_or_else(|| refuse("its folder does not exist"))?;
    for source in ["content", "evidence", "themes"] {
        if parent.starts_with(root.join(source)) {
            return Err(refuse(&format!("it is inside the site's {source}/ folder")).into());
        }
    }
    let name = absolute
        .file_name()
        .ok_or_else(|| refuse("it has no file name"))?;
    Ok(parent.join(name))
}

/// Writes `files` and their manifest to the zip at `dest`.
pub(super) fn write(
    dest: &Path,
    files: &BTreeMap<String, Vec<u8>>,
    provenance: Provenance,
) -> Result<Manifest, crate::Error> {
    let entries = files
        .iter()
        .map(|(p, b)| crate::integrity::FileDigest::of_bytes(p, b))
        .collect();
    let manifest = Manifest::new(entries, provenance);
    let mut all: BTreeMap<&str, &[u8]> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let text = manifest.to_json();
    all.insert(MANIFEST, text.as_bytes());

    let fail = |detail: String| BundleError::Write {
        path: dest.to_path_buf(),
        detail,
    };
    let mut tmp_name = dest.as_os_str().to_owned();
    tmp_name.push(format!(".evidentia-tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp_name);
    let result = (|| -> Result<(), BundleError> {
        let file = std::fs::File::create(&tmp).map_err(|e| fail(e.to_string()))?;
        let mut zip = zip::ZipWriter::new(file);
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        for (path, bytes) in all {
            zip.start_file(path, options)
                .map_err(|e| fail(e.to_string()))?;
            zip.write_all(bytes).map_err(|e| fail(e.to_string()))?;
        }
        let file = zip.finish().map_err(|e| fail(e.to_string()))?;
        file.sync_all().map_err(|e| fail(e.to_string()))?;
        std::fs::rename(&tmp, dest).map_err(|e| fail(e.to_string()))
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.into());
    }
    Ok(manifest)
}
