//! `evidentia bundle`: a self-contained copy of one packet. The site is rendered in memory
//! (the published output is never touched), the packet's pages and what they cite are
//! picked out ([`select`]), every link that would leave the bundle becomes text
//! ([`rewrite`]), and the result is written to a folder (through the same staging swap as
//! a build) or a zip file, with the bundle's own manifest.json.

mod rewrite;
mod select;
mod zip_out;

use crate::integrity::FileDigest;
use crate::output::{self, Manifest, Provenance};
use crate::{Checked, Error, Options};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Why a bundle could not be made.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// No packet has the id asked for.
    #[error("no packet {id}; packets: {}", if known.is_empty() { "none in this site".to_owned() } else { known.join(", ") })]
    UnknownPacket {
        /// The id asked for.
        id: String,
        /// The site's packets.
        known: Vec<String>,
    },
    /// Writing the bundle failed.
    #[error("cannot write the bundle {path}: {detail}")]
    Write {
        /// The bundle's path.
        path: PathBuf,
        /// Why.
        detail: String,
    },
}

impl BundleError {
    /// The diagnostic code, for `evidentia explain`.
    pub fn code(&self) -> &'static str {
        match self {
            BundleError::UnknownPacket { .. } => "E0608",
            BundleError::Write { .. } => "E0609",
        }
    }
}

/// What `bundle` did.
#[derive(Debug)]
pub struct Bundled {
    /// The checked site (its diagnostics say why nothing was written).
    pub checked: Checked,
    /// The bundle, when the site had no errors.
    pub written: Option<Written>,
}

/// A written bundle.
#[derive(Debug)]
pub struct Written {
    /// The folder or zip file.
    pub dest: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
}

/// Bundles packet `id` of the site at `root` into `dest`: a folder, or a zip file when
/// the name ends in `.zip`.
pub fn bundle(root: &Path, id: &str, dest: &Path, options: &Options) -> Result<Bundled, Error> {
    crate::with_pool(|| bundle_on_pool(root, id, dest, options))
}

fn bundle_on_pool(root: &Path, id: &str, dest: &Path, options: &Options) -> Result<Bundled, Error> {
    let mut checked = crate::check_site(root, options)?;
    if checked.has_errors() || checked.theme.is_none() {
        return Ok(Bundled {
            checked,
            written: None,
        });
    }
    let site = &checked.site;
    let Some(packet) = site
        .items
        .iter()
        .find(|i| i.header.kind == crate::model::Kind::Packet && i.header.id == id)
    else {
        let mut known: Vec<String> = site
            .items
            .iter()
            .filter(|i| i.header.kind == crate::model::Kind::Packet)
            .map(|i| i.header.id.clone())
            .collect();
        known.sort();
        return Err(BundleError::UnknownPacket {
            id: id.to_owned(),
            known,
        }
        .into());
    };
    let zip = dest
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    // Check the destination before the work of rendering.
    let dest = if zip {
        zip_out::check_dest(&checked.root, dest)?
    } else {
        output::check_output_dir(&checked.root, dest)?
    };

    let rendered: Mutex<BTreeMap<String, Vec<u8>>> = Mutex::new(BTreeMap::new());
    let result = crate::render_site(&checked, options, &|artifact| {
        let (path, bytes) = match artifact {
            crate::render::Artifact::Bytes { path, bytes } => (path, bytes.into_owned()),
            crate::render::Artifact::Copy { path, from } => {
                let bytes = std::fs::read(&from).map_err(|source| output::OutputError::Io {
                    path: from.clone(),
                    source,
                })?;
                (path, bytes)
            }
        };
        if let Ok(mut map) = rendered.lock() {
            map.insert(path, bytes);
        }
        Ok::<(), output::OutputError>(())
    });
    match result {
        Ok(()) => {}
        Err(crate::render::RenderError::Diagnostics(d)) => {
            checked.diagnostics.extend(d);
            crate::diag::sort(&mut checked.diagnostics);
            return Ok(Bundled {
                checked,
                written: None,
            });
        }
        Err(crate::render::RenderError::Sink(e)) => return Err(e.into()),
    }
    let rendered = rendered.into_inner().unwrap_or_default();
    let selection = select::select(site, packet, &rendered);
    let mut present = selection.files.clone();
    present.insert(INDEX.to_owned());

    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for path in &selection.files {
        let Some(bytes) = rendered.get(path) else {
            continue;
        };
        let bytes = if path.ends_with(".html") {
            let html = String::from_utf8_lossy(bytes);
            rewrite::rewrite(path, &html, &present)
                .map_err(|detail| BundleError::Write {
                    path: dest.clone(),
                    detail: format!("cannot rewrite the links of {path}: {detail}"),
                })?
                .into_bytes()
        } else {
            bytes.clone()
        };
        files.insert(path.clone(), bytes);
    }
    files.insert(
        INDEX.to_owned(),
        index_page(packet.url_str(), &packet.header.title).into_bytes(),
    );

    let provenance = provenance(&checked, &selection.items);
    let manifest = if zip {
        zip_out::write(&dest, &files, provenance)?
    } else {
        let staging = output::Staging::create(&dest)?.with_provenance(provenance);
        for (path, bytes) in &files {
            staging.write(path, bytes)?;
        }
        staging.commit()?
    };
    Ok(Bundled {
        checked,
        written: Some(Written { dest, manifest }),
    })
}

/// The bundle's entry page.
const INDEX: &str = "index.html";

/// A page that sends the reader to the packet (a link too, for readers that do not
/// follow meta refreshes).
fn index_page(url: &str, title: &str) -> String {
    let href = crate::model::url::output_file(url);
    let title = crate::render::highlight::escape(title);
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n<title>{title}</title>\n<link rel=\"stylesheet\" href=\"static/style.css\">\n</head>\n<body>\n<main class=\"wrap\"><p>This bundle holds one packet: <a href=\"{href}\">{title}</a>.</p></main>\n</body>\n</html>\n"
    )
}

/// The bundle's inputs: the source files of the bundled items and of their attachments,
/// site.toml and the site's theme.
fn provenance(checked: &Checked, items: &[&crate::model::Item]) -> Provenance {
    let mut wanted: BTreeSet<String> = BTreeSet::new();
    wanted.insert(crate::config::FILE.to_owned());
    for item in items {
        wanted.insert(item.file.clone());
        for a in &item.header.attachments {
            if let Some(rel) = crate::model::url::attachment_path(&item.file, a) {
                wanted.insert(rel);
            }
        }
    }
    let full = checked.provenance();
    let inputs: Vec<FileDigest> = full
        .inputs
        .into_iter()
        .filter(|d| wanted.contains(&d.path) || d.path.starts_with("themes/"))
        .collect();
    Provenance {
        inputs,
        git_commit: full.git_commit,
    }
}

/// The bundle file name used when `-o` is not given.
pub fn default_dest(id: &str) -> PathBuf {
    PathBuf::from(format!("bundle-{}", crate::model::slugify(id)))
}
