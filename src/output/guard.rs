//! Which output folders a build may replace. Replacing a folder deletes what was in it,
//! so the rules are strict: never the site itself, its sources, /, a home folder, or a
//! folder of someone else's files.

use super::{MANIFEST, Manifest, OutputError};
use std::path::{Component, Path, PathBuf};

/// Resolves `out` (absolute, or relative to the current folder) and checks that a build
/// may replace it. `root` is the canonical site root.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<PathBuf, OutputError> {
    let refuse = |path: &Path, reason: &str| OutputError::Refused {
        path: path.to_path_buf(),
        reason: reason.to_owned(),
    };
    let absolute = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|source| OutputError::Io {
                path: out.to_path_buf(),
                source,
            })?
            .join(out)
    };
    let out = resolve(&absolute);
    if out.parent().is_none() {
        return Err(refuse(&out, "it is the filesystem root"));
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && resolve(&home) == out
    {
        return Err(refuse(&out, "it is your home folder"));
    }
    if out == root {
        return Err(refuse(&out, "it is the site root"));
    }
    if root.starts_with(&out) {
        return Err(refuse(&out, "it contains the site"));
    }
    for source in ["content", "evidence", "themes"] {
        if out.starts_with(root.join(source)) {
            return Err(refuse(
                &out,
                &format!("it is inside the site's {source}/ folder"),
            ));
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(refuse(&out, "it is a file, not a folder"));
        }
        let empty = std::fs::read_dir(&out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        let ours = std::fs::read_to_string(out.join(MANIFEST)).is_ok_and(|t| Manifest::is_ours(&t));
        if !empty && !ours {
            return Err(refuse(
                &out,
                "it holds files Evidentia did not write (no Evidentia manifest.json); empty it or choose another folder",
            ));
        }
    }
    Ok(out)
}

/// Normalises `.` and `..` lexically, then resolves symbolic links in the longest prefix
/// that exists, so that `public -> /` style links are caught.
fn resolve(path: &Path) -> PathBuf {
    let mut lexical = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => {
                rest.push(name.to_owned());
                existing.pop();
            }
            None => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site").canonicalize().unwrap_or_else(|_| {
            std::fs::create_dir_all(tmp.path().join("site/content")).unwrap();
            tmp.path().join("site").canonicalize().unwrap()
        });
        (tmp, root)
    }

    #[test]
    fn refuses_dangerous_folders() {
        let (_tmp, root) = site();
        for bad in [
            PathBuf::from("/"),
            root.clone(),
            root.join("."),
            root.parent().unwrap().to_path_buf(),
            root.join("content"),
            root.join("content/x"),
            root.join("evidence/out"),
            root.join("themes"),
        ] {
            assert!(check_output_dir(&root, &bad).is_err(), "{bad:?} accepted");
        }
        if let Some(home) = std::env::var_os("HOME") {
            assert!(check_output_dir(&root, Path::new(&home)).is_err());
        }
    }

    #[test]
    fn refuses_folders_of_other_files_but_accepts_ours() {
        let (_tmp, root) = site();
        let out = root.join("public");
        assert!(
            check_output_dir(&root, &out).is_ok(),
            "missing folder is fine"
        );
        std::fs::create_dir(&out).unwrap();
        assert!(
            check_output_dir(&root, &out).is_ok(),
            "empty folder is fine"
        );
        std::fs::write(out.join("thesis.docx"), b"precious").unwrap();
        assert!(check_output_dir(&root, &out).is_err());
        std::fs::write(
            out.join(MANIFEST),
            Manifest::new(vec![], Default::default()).to_json(),
        )
        .unwrap();
        assert!(check_output_dir(&root, &out).is_ok());
        let file = root.join("file.txt");
        std::fs::write(&file, b"x").unwrap();
        assert!(check_output_dir(&root, &file).is_err());
    }

    #[test]
    fn symlinked_output_to_the_root_is_caught() {
        let (_tmp, root) = site();
        let link = root.join("public");
        std::os::unix::fs::symlink(&root, &link).unwrap();
        assert!(check_output_dir(&root, &link).is_err());
    }
}
