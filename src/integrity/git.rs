//! The git commit a site was built from, read from the repository's files: HEAD, then the
//! branch's ref file or packed-refs, in a worktree's own folder or the common one. Reading
//! four small text files by hand costs less than a git library (gix or git2 would add
//! dozens of crates or a C library for this one lookup) and needs no `git` program.

use std::path::{Path, PathBuf};

/// The commit checked out in the git repository that holds `root` (the nearest `.git`
/// at or above it), or `None` when there is none, the branch has no commit yet, or the
/// files cannot be read.
pub fn commit(root: &Path) -> Option<String> {
    let git_dir = root.ancestors().find_map(git_dir_of)?;
    let head = std::fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let head = head.trim();
    let Some(name) = head.strip_prefix("ref:") else {
        return object_id(head);
    };
    let name = name.trim();
    if !name.starts_with("refs/") || name.split('/').any(|s| s == "..") {
        return None;
    }
    let common = common_dir(&git_dir);
    for dir in [&git_dir, &common] {
        if let Ok(text) = std::fs::read_to_string(dir.join(name)) {
            return object_id(text.trim());
        }
    }
    let packed = std::fs::read_to_string(common.join("packed-refs")).ok()?;
    packed
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('^'))
        .find_map(|l| {
            let (id, r) = l.split_once(' ')?;
            (r.trim() == name).then(|| object_id(id)).flatten()
        })
}

/// The git folder of a checkout at `dir`: `.git` itself, or the folder a `.git` file
/// points to (worktrees and submodules).
fn git_dir_of(dir: &Path) -> Option<PathBuf> {
    let dot_git = dir.join(".git");
    if dot_git.is_dir() {
        return Some(dot_git);
    }
    let text = std::fs::read_to_string(&dot_git).ok()?;
    let target = text.trim().strip_prefix("gitdir:")?.trim();
    Some(dir.join(target)).filter(|p| p.is_dir())
}

/// Where a worktree's shared refs live (its `commondir` file), else the git folder.
fn common_dir(git_dir: &Path) -> PathBuf {
    std::fs::read_to_string(git_dir.join("commondir"))
        .ok()
        .map(|t| git_dir.join(t.trim()))
        .filter(|p| p.is_dir())
        .unwrap_or_else(|| git_dir.to_path_buf())
}

/// `text` when it is a full SHA-1 or SHA-256 object id.
fn object_id(text: &str) -> Option<String> {
    let ok = matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| text.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0123456789abcdef0123456789abcdef01234567";

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn branch_ref_packed_ref_detached_and_none() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("repo/site");
        std::fs::create_dir_all(&site).unwrap();
        assert_eq!(commit(&site), None);
        let git = tmp.path().join("repo/.git");
        write(&git.join("HEAD"), "ref: refs/heads/main\n");
        assert_eq!(commit(&site), None, "a branch with no commit yet");
        write(
            &git.join("packed-refs"),
            &format!("# pack-refs with: peeled\n{ID} refs/heads/main\n"),
        );
        assert_eq!(commit(&site).as_deref(), Some(ID));
        let other = ID.replace('0', "f");
        write(&git.join("refs/heads/main"), &format!("{other}\n"));
        assert_eq!(commit(&site), Some(other), "a loose ref wins");
        write(&git.join("HEAD"), &format!("{}\n", ID.to_uppercase()));
        assert_eq!(commit(&site).as_deref(), Some(ID), "detached HEAD");
        write(&git.join("HEAD"), "ref: refs/../../etc\n");
        assert_eq!(commit(&site), None);
    }

    #[test]
    fn worktree_reads_the_common_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let main = tmp.path().join("main/.git");
        let wt_git = main.join("worktrees/wt");
        write(&wt_git.join("HEAD"), "ref: refs/heads/topic\n");
        write(&wt_git.join("commondir"), "../..\n");
        write(&main.join("refs/heads/topic"), ID);
        let wt = tmp.path().join("wt");
        write(&wt.join(".git"), &format!("gitdir: {}\n", wt_git.display()));
        assert_eq!(commit(&wt).as_deref(), Some(ID));
    }
}
