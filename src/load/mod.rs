//! Load: finds a site's files and reads them as text.
//!
//! Discovery walks content/ and evidence/ (dotfiles skipped, `ignore` globs honoured,
//! symbolic links followed only while they stay inside the site). Every file found ends
//! up either as a [`SourceFile`] with its text, as an [`OtherFile`] (images, attachments),
//! or as a diagnostic that says why it could not be read: nothing is dropped silently.

pub mod frontmatter;
pub mod json;
pub mod yaml;

use crate::config::{self, SiteConfig};
use crate::diag::{Diagnostic, Pos};
use crate::integrity::FileDigest;
use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The top-level folder a file was found in; it decides how the file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    /// content/: Markdown pages and the files they show.
    Content,
    /// evidence/: structured items and their attachments.
    Evidence,
}

/// How a source file's text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// `.md`
    Markdown,
    /// `.yaml` or `.yml`
    Yaml,
    /// `.json`
    Json,
}

/// A text file of the site, read and decoded.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, `/`-separated: how diagnostics and pages name it.
    pub rel: String,
    /// content/ or evidence/.
    pub area: Area,
    /// How to parse it.
    pub format: Format,
    /// The text, without a byte-order mark.
    pub text: String,
}

/// A file that is not parsed: copied next to the pages (content/) or published as an
/// attachment (evidence/).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherFile {
    /// Path relative to the site root, `/`-separated.
    pub rel: String,
    /// Where to read it from.
    pub abs: PathBuf,
    /// content/ or evidence/.
    pub area: Area,
}

/// Everything the load stage found.
#[derive(Debug)]
pub struct Loaded {
    /// The absolute site root.
    pub root: PathBuf,
    /// site.toml, or the defaults when it is broken.
    pub config: SiteConfig,
    /// site.toml's text, kept so diagnostics can show snippets of it.
    pub config_text: String,
    /// Text files, sorted by path.
    pub files: Vec<SourceFile>,
    /// Other files, sorted by path.
    pub others: Vec<OtherFile>,
    /// Problems found while loading.
    pub diagnostics: Vec<Diagnostic>,
    /// The digest of every file read (site.toml, sources and other files), sorted by
    /// path: the manifest's inputs, hashed from the very bytes the build used.
    pub inputs: Vec<FileDigest>,
}

/// Failures that stop the pipeline before any file is read: the root itself is unusable.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The root does not exist or is not a folder.
    #[error("{0} is not a folder")]
    NotADirectory(PathBuf),
    /// There is no site.toml at the root.
    #[error("{0} has no site.toml: it is not an Evidentia site (create one with `evidentia init`)")]
    NoConfig(PathBuf),
    /// The root or site.toml could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// The folders walked for sources, in order.
pub const AREAS: [(&str, Area); 2] = [("content", Area::Content), ("evidence", Area::Evidence)];

/// Loads a site: site.toml, then every file under content/ and evidence/, read in parallel.
pub fn load(root: &Path) -> Result<Loaded, LoadError> {
    if !root.is_dir() {
        return Err(LoadError::NotADirectory(root.to_path_buf()));
    }
    let root = root.canonicalize().map_err(|source| LoadError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let config_path = root.join(config::FILE);
    if !config_path.is_file() {
        return Err(LoadError::NoConfig(root));
    }
    let config_text = std::fs::read_to_string(&config_path).map_err(|source| LoadError::Io {
        path: config_path.clone(),
        source,
    })?;
    let (config, mut diagnostics) = SiteConfig::parse(&config_text);
    let ignore = ignore_set(&config, &mut diagnostics);

    let mut found = Vec::new();
    for (dir, area) in AREAS {
        walk(&root, dir, area, &ignore, &mut found, &mut diagnostics);
    }
    found.sort_by(|a, b| a.rel.cmp(&b.rel));

    let read: Vec<(Read, Option<FileDigest>)> = found.par_iter().map(read_one).collect();
    let mut files = Vec::new();
    let mut others = Vec::new();
    let mut inputs = vec![FileDigest::of_bytes(config::FILE, config_text.as_bytes())];
    for (f, (r, digest)) in found.into_iter().zip(read) {
        inputs.extend(digest);
        match r {
            Read::Source(s) => files.push(s),
            Read::Other => others.push(f),
            Read::Failed(d) => diagnostics.push(d),
        }
    }
    inputs.sort();
    Ok(Loaded {
        root,
        config,
        config_text,
        files,
        others,
        diagnostics,
        inputs,
    })
}

/// Loads again only what changed since `previous` was loaded: every path in `changed`
/// (absolute, under the root; a file or a folder, present or deleted) is forgotten, then
/// read again if it is still there, with the same rules as [`load`] (dotfiles skipped,
/// `ignore` honoured, symbolic links out of the site refused). Why: `serve` rebuilds on
/// every save, and reading the 20,000 files of a large site again costs more than the
/// rest of a small change. A change to site.toml needs [`load`]: it changes every rule.
pub fn reload(mut previous: Loaded, changed: &[PathBuf]) -> Loaded {
    let root = previous.root.clone();
    let ignore = ignore_set(&previous.config, &mut Vec::new());
    let mut forget: Vec<String> = changed
        .iter()
        .filter_map(|p| p.strip_prefix(&root).ok())
        .map(|p| relative(Path::new(""), p))
        .filter(|rel| area_of(rel).is_some())
        .collect();
    forget.sort();
    forget.dedup();
    let gone = |rel: &str| {
        forget.iter().any(|f| {
            rel == f
                || rel
                    .strip_prefix(f.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        })
    };
    previous.files.retain(|f| !gone(&f.rel));
    previous.others.retain(|f| !gone(&f.rel));
    previous.inputs.retain(|d| !gone(&d.path));
    previous.diagnostics.retain(|d| !gone(&d.file));

    let mut found = Vec::new();
    for rel in &forget {
        let Some(area) = area_of(rel) else { continue };
        let path = root.join(rel);
        if !path.exists() || !admitted(rel, &ignore) {
            continue;
        }
        let inside = path
            .canonicalize()
            .map(|t| t.starts_with(&root))
            .unwrap_or(false);
        if !inside {
            if path.is_symlink() {
                previous.diagnostics.push(escaped_link(rel.clone()));
            }
            continue;
        }
        // A folder that appeared (or was renamed into place) is walked like a whole area.
        walk(
            &root,
            rel,
            area,
            &ignore,
            &mut found,
            &mut previous.diagnostics,
        );
    }
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    found.dedup_by(|a, b| a.rel == b.rel);
    let read: Vec<(Read, Option<FileDigest>)> = found.par_iter().map(read_one).collect();
    for (f, (r, digest)) in found.into_iter().zip(read) {
        previous.inputs.extend(digest);
        match r {
            Read::Source(s) => previous.files.push(s),
            Read::Other => previous.others.push(f),
            Read::Failed(d) => previous.diagnostics.push(d),
        }
    }
    previous.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    previous.others.sort_by(|a, b| a.rel.cmp(&b.rel));
    previous.inputs.sort();
    previous
}

/// The area a relative path is in, from its first component.
fn area_of(rel: &str) -> Option<Area> {
    let first = rel.split('/').next()?;
    AREAS.iter().find(|(d, _)| *d == first).map(|(_, a)| *a)
}

/// Whether [`walk`] would reach `rel` from its area's folder by name: no hidden
/// component, no `ignore` match on it or a folder above it.
fn admitted(rel: &str, ignore: &GlobSet) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    (2..=parts.len())
        .all(|n| !parts[n - 1].starts_with('.') && !ignore.is_match(parts[..n].join("/")))
}

fn ignore_set(config: &SiteConfig, diagnostics: &mut Vec<Diagnostic>) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in &config.ignore {
        match Glob::new(pattern) {
            Ok(glob) => {
                builder.add(glob);
            }
            Err(e) => diagnostics.push(
                Diagnostic::error(
                    "E0107",
                    config::FILE,
                    format!(
                        "ignore pattern `{pattern}` is not a valid glob: {}",
                        e.kind()
                    ),
                )
                .with_path("ignore")
                .with_help("use globs such as `**/drafts/**` or `evidence/*.tmp`"),
            ),
        }
    }
    builder.build().unwrap_or_default()
}

/// What became of one file found.
enum Read {
    /// Read as a source.
    Source(SourceFile),
    /// Copied as it is.
    Other,
    /// Meant to be read, but could not be.
    Failed(Diagnostic),
}

/// Reads a file by its format, with the digest of the bytes read. Markdown under
/// evidence/ is read only when it is a Hugging Face model card (front matter with
/// `model-index`); any other Markdown there, or one that cannot be read as text, stays an
/// attachment as it always was. Other files are only hashed here (streamed, so a large
/// attachment is never held whole); one that cannot be read fails when it is copied.
fn read_one(f: &OtherFile) -> (Read, Option<FileDigest>) {
    match format_of(&f.rel, f.area) {
        None => (Read::Other, FileDigest::of_file(&f.rel, &f.abs).ok()),
        Some(Format::Markdown) if f.area == Area::Evidence => {
            match read_source(f, Format::Markdown) {
                Ok((s, d)) if frontmatter::declares(&s.text, "model-index") => {
                    (Read::Source(s), Some(d))
                }
                Ok((_, d)) => (Read::Other, Some(d)),
                Err(_) => (Read::Other, FileDigest::of_file(&f.rel, &f.abs).ok()),
            }
        }
        Some(format) => match read_source(f, format) {
            Ok((s, d)) => (Read::Source(s), Some(d)),
            Err(d) => (Read::Failed(d), None),
        },
    }
}

/// Which parser reads a file, by area and extension; `None` for files that are copied.
/// Markdown under evidence/ is a candidate model card (see [`read_one`]).
fn format_of(rel: &str, area: Area) -> Option<Format> {
    let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    match (area, ext.as_str()) {
        (_, "md") => Some(Format::Markdown),
        (Area::Evidence, "yaml" | "yml") => Some(Format::Yaml),
        // Tool reports: SARIF logs often carry their own extension; the importers
        // recognise every JSON report by content, whatever it is called.
        (Area::Evidence, "json" | "sarif") => Some(Format::Json),
        _ => None,
    }
}

fn walk(
    root: &Path,
    dir: &str,
    area: Area,
    ignore: &GlobSet,
    found: &mut Vec<OtherFile>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let base = root.join(dir);
    if !base.exists() {
        return;
    }
    let mut escaped = Vec::new();
    let walker = walkdir::WalkDir::new(&base)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if e.file_name().to_string_lossy().starts_with('.') {
                return false;
            }
            let rel = relative(root, e.path());
            if ignore.is_match(&rel) {
                return false;
            }
            if e.path_is_symlink() {
                let inside = e
                    .path()
                    .canonicalize()
                    .map(|t| t.starts_with(root))
                    .unwrap_or(true);
                if !inside {
                    escaped.push(rel);
                    return false;
                }
            }
            true
        });
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => found.push(OtherFile {
                rel: relative(root, e.path()),
                abs: e.path().to_path_buf(),
                area,
            }),
            Ok(_) => {}
            Err(e) => {
                let rel = e
                    .path()
                    .map_or_else(|| dir.to_owned(), |p| relative(root, p));
                let why = if e.loop_ancestor().is_some() {
                    "a symbolic link loop".to_owned()
                } else {
                    e.io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string)
                };
                diagnostics.push(
                    Diagnostic::error("E0101", rel, format!("cannot read: {why}"))
                        .with_help("make it readable, or add it to `ignore` in site.toml"),
                );
            }
        }
    }
    diagnostics.extend(escaped.into_iter().map(escaped_link));
}

fn escaped_link(rel: String) -> Diagnostic {
    Diagnostic::warning(
        "W0102",
        rel,
        "symbolic link points outside the site; not followed",
    )
    .with_help("copy the file into the site instead of linking to it")
}

pub use crate::integrity::digest::relative;

/// The largest Markdown or YAML source read (64 MiB): far above any hand-written file,
/// and a bound on the memory one file can take.
pub const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;

/// The largest JSON source read (256 MiB): tool reports (SARIF, Trivy) reach 100 MB and
/// their importers parse them into typed structs at under 3x their size. A JSON file
/// that turns out to be native evidence is still held to [`MAX_SOURCE_BYTES`].
pub const MAX_REPORT_BYTES: u64 = 256 * 1024 * 1024;

fn read_source(f: &OtherFile, format: Format) -> Result<(SourceFile, FileDigest), Diagnostic> {
    let size = std::fs::metadata(&f.abs).map(|m| m.len()).unwrap_or(0);
    let limit = if format == Format::Json {
        MAX_REPORT_BYTES
    } else {
        MAX_SOURCE_BYTES
    };
    if size > limit {
        return Err(too_large(&f.rel, size, limit));
    }
    let bytes = std::fs::read(&f.abs).map_err(|e| {
        Diagnostic::error("E0101", &f.rel, format!("cannot read: {e}"))
            .with_help("make it readable, or add it to `ignore` in site.toml")
    })?;
    let digest = FileDigest::of_bytes(&f.rel, &bytes);
    let text = decode(bytes, &f.rel)?;
    if text.trim().is_empty() {
        return Err(
            Diagnostic::error("E0106", &f.rel, "file is empty").with_help(
                "write the file's content, or delete it: an empty file is never skipped silently",
            ),
        );
    }
    let source = SourceFile {
        rel: f.rel.clone(),
        area: f.area,
        format,
        text,
    };
    Ok((source, digest))
}

/// The diagnostic for a file over its size limit.
pub fn too_large(rel: &str, size: u64, limit: u64) -> Diagnostic {
    Diagnostic::error(
        "E0110",
        rel,
        format!(
            "file is too large: {} MiB, the limit is {} MiB",
            size / (1024 * 1024),
            limit / (1024 * 1024)
        ),
    )
    .with_help("split the file, or add it to `ignore` in site.toml if it is not evidence")
}

/// Decodes UTF-8 (dropping a byte-order mark); otherwise a diagnostic at the first bad byte.
pub fn decode(bytes: Vec<u8>, rel: &str) -> Result<String, Diagnostic> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
        let pos = Pos::of_offset(prefix, good);
        Diagnostic::error(
            "E0102",
            rel,
            format!(
                "file is not UTF-8 text (byte 0x{:02X} at offset {good})",
                bytes[good]
            ),
        )
        .at(pos)
        .with_help("re-save the file with UTF-8 encoding")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_reports_first_bad_byte() {
        let d = decode(b"ok\nab\xFFc".to_vec(), "x.md").unwrap_err();
        assert_eq!(d.code, "E0102");
        assert_eq!((d.line, d.column), (2, 3));
        assert_eq!(decode(b"\xEF\xBB\xBFhi".to_vec(), "x").unwrap(), "hi");
    }

    #[test]
    fn formats_by_area_and_extension() {
        assert_eq!(
            format_of("content/a.md", Area::Content),
            Some(Format::Markdown)
        );
        assert_eq!(
            format_of("evidence/a.YML", Area::Evidence),
            Some(Format::Yaml)
        );
        assert_eq!(
            format_of("evidence/a.json", Area::Evidence),
            Some(Format::Json)
        );
        assert_eq!(format_of("content/a.png", Area::Content), None);
        assert_eq!(
            format_of("evidence/a.md", Area::Evidence),
            Some(Format::Markdown)
        );
        assert_eq!(format_of("evidence/noext", Area::Evidence), None);
    }
}
