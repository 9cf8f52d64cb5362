//! A serve session: what the last check found and what the served folder holds, so that
//! a rebuild after a save reads, parses and renders only what the change reaches.
//!
//! A change to site.toml or a theme, a watch error, a changed attachment or asset, or a
//! change to what every page shows (navigation, title) builds the whole site into a new
//! folder swapped in at once, as `build` does. Any other change reloads the changed
//! files only ([`crate::check_site_again`]), renders the pages of the things it reaches
//! through the link graph ([`crate::link::affected::affected`]) and the site-wide pages
//! whose context changed, and patches the served folder file by file
//! ([`crate::output::patch`]).

use crate::diag::Diagnostic;
use crate::output::{self, Manifest, OutputError, patch::Patch};
use crate::render::{self, Artifact, RenderError};
use crate::{Built, Checked, Error, Options, Written};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// What changed since the last rebuild, as the watcher saw it.
#[derive(Debug, Default, Clone)]
pub struct Changed {
    /// Changed, added or removed files and folders (absolute).
    pub paths: Vec<PathBuf>,
    /// Everything must be read again (site.toml, a theme, a lost watch event).
    pub whole: bool,
}

/// What a rebuild did.
#[derive(Debug)]
pub struct Rebuilt {
    /// The check and what was written.
    pub built: Built,
    /// Pages rendered of the pages the site has, when only what changed was rendered.
    pub rendered: Option<(usize, usize)>,
}

/// The session: the last check (the next one starts from it) and the served build.
#[derive(Debug)]
pub struct Session {
    root: PathBuf,
    out: PathBuf,
    options: Options,
    checked: Option<Checked>,
    last: Option<Last>,
    /// What the last patch leaves to do once open pages have been told to reload
    /// ([`Session::settle`]).
    pending: Option<Pending>,
    /// What the last rebuild replaced, freed by [`Session::settle`].
    garbage: crate::Garbage,
}

/// A patched folder's bookkeeping, done after the reader has the new pages: the
/// manifest.json to write and what the next rebuild needs to know of this one.
#[derive(Debug)]
struct Pending {
    report: render::Report,
    fingerprints: HashMap<String, u64>,
    manifest: Arc<Manifest>,
}

/// What the served folder holds, as far as the next rebuild needs to know.
#[derive(Debug)]
struct Last {
    graph: crate::link::Graph,
    /// Per file read: a hash of its content and of every diagnostic about it.
    fingerprints: HashMap<String, u64>,
    /// The files that were parsed (the rest of the inputs are copied).
    sources: HashSet<String>,
    /// Per file: the ids of the pages and items it made.
    ids: HashMap<String, Vec<String>>,
    /// Per content page id: its URL.
    page_urls: HashMap<String, String>,
    peers: crate::link::affected::Peers,
    hashes: HashMap<String, u64>,
    records: HashMap<String, crate::search::Record>,
    shape: (u64, u64),
    manifest: Arc<Manifest>,
}

impl Session {
    /// A session serving `out`, built from `root`; nothing is built yet.
    pub fn new(root: PathBuf, out: PathBuf, options: Options) -> Session {
        Session {
            root,
            out,
            options,
            checked: None,
            last: None,
            pending: None,
            garbage: crate::Garbage::default(),
        }
    }

    /// Rebuilds after `changed`. The check is handed back in the result; give it back
    /// with [`Session::keep`] so the next rebuild can start from it, then call
    /// [`Session::settle`] once readers have been told. After a patch, the manifest in
    /// the result lists the folder's files but not yet what the build read: `settle`
    /// adds that and writes manifest.json.
    pub fn rebuild(
        &mut self,
        changed: &Changed,
        cancel: &Arc<AtomicBool>,
    ) -> Result<Rebuilt, Error> {
        crate::with_pool(|| {
            // Normally done already, after the last rebuild's pages were served. When it
            // fails the folder is forgotten and this rebuild is whole, which says why if
            // the folder is still unwritable.
            let _ = self.settle();
            let previous = self.checked.take();
            match previous {
                Some(previous) if !changed.whole && self.last.is_some() => {
                    let (checked, garbage) =
                        crate::check_site_again(previous, &changed.paths, &self.options);
                    self.garbage.extend(garbage);
                    self.patch(checked, cancel)
                }
                _ => {
                    let checked = crate::check_site(&self.root, &self.options)?;
                    self.whole(checked, cancel)
                }
            }
        })
    }

    /// Makes `last` the served build. The one it replaces is large (a graph, maps of
    /// every file) and is freed later: freeing it is no part of what the reader waits
    /// for ([`Session::settle`]).
    fn retire(&mut self, last: Last) {
        if let Some(old) = self.last.replace(last) {
            self.garbage.push(old);
        }
    }

    /// Finishes the last rebuild once the reader has the new pages: writes the patched
    /// folder's manifest.json, notes what the next rebuild needs (from the check given
    /// back with [`Session::keep`]), and frees what the rebuild replaced. Why apart:
    /// at 20,000 files this takes a tenth of a second that no open page needs to wait
    /// for. The next rebuild does it first when it was not done.
    pub fn settle(&mut self) -> Result<(), Error> {
        if let Some(pending) = self.pending.take() {
            let mut manifest =
                Arc::try_unwrap(pending.manifest).unwrap_or_else(|shared| (*shared).clone());
            // Without the check (not given back), what the folder holds is not known:
            // the next rebuild builds it whole.
            let Some(checked) = self.checked.as_mut() else {
                self.forget();
                return Ok(());
            };
            manifest.set_provenance(checked.provenance());
            if let Err(e) = output::patch::write_manifest(&self.out, &manifest) {
                self.forget();
                return Err(e.into());
            }
            let last = Last::of(
                checked,
                pending.report,
                pending.fingerprints,
                Arc::new(manifest),
            );
            self.retire(last);
        }
        self.garbage = crate::Garbage::default();
        Ok(())
    }

    /// Forgets what the served folder holds, so that the next rebuild is whole.
    fn forget(&mut self) {
        if let Some(old) = self.last.take() {
            self.garbage.push(old);
        }
    }

    /// Keeps the check a rebuild returned, for the next rebuild.
    pub fn keep(&mut self, checked: Checked) {
        self.checked = Some(checked);
    }

    /// Renders everything into a new folder and swaps it in.
    fn whole(&mut self, mut checked: Checked, cancel: &Arc<AtomicBool>) -> Result<Rebuilt, Error> {
        if checked.theme.is_none() || checked.has_errors() {
            return Ok(not_written(checked));
        }
        let reuse = self
            .last
            .as_ref()
            .map(|l| {
                l.manifest
                    .files
                    .iter()
                    .map(|f| (f.path.clone(), (f.sha256.clone(), f.bytes)))
                    .collect()
            })
            .unwrap_or_default();
        let staging = output::Staging::create_in_existing(&self.out)?
            .with_provenance(checked.provenance())
            .with_reuse(reuse)
            .with_background_cleanup()
            .with_cancel(cancel.clone());
        let result = crate::render_site_since(&checked, &self.options, None, true, &|a| match a {
            Artifact::Bytes { path, bytes } => staging.write(&path, &bytes),
            Artifact::Copy { path, from } => staging.copy(&path, &from),
        });
        match result {
            Ok(report) => {
                let manifest = Arc::new(staging.commit()?);
                let fingerprints = fingerprints(&checked);
                self.retire(Last::of(
                    &mut checked,
                    report,
                    fingerprints,
                    manifest.clone(),
                ));
                Ok(written(checked, &self.out, manifest, None))
            }
            Err(e) => failed(checked, e),
        }
    }

    /// Renders what the change reaches and patches the served folder; renders
    /// everything when the change reaches every page.
    fn patch(&mut self, checked: Checked, cancel: &Arc<AtomicBool>) -> Result<Rebuilt, Error> {
        if checked.theme.is_none() || checked.has_errors() {
            return Ok(not_written(checked));
        }
        let Some(last) = self.last.as_ref() else {
            return self.whole(checked, cancel);
        };
        let mut t = crate::timings::Timings::start();
        let fingerprints = fingerprints(&checked);
        let mut files: HashSet<&str> = fingerprints
            .iter()
            .filter(|(f, h)| last.fingerprints.get(*f) != Some(h))
            .map(|(f, _)| f.as_str())
            .collect();
        files.extend(
            last.fingerprints
                .keys()
                .filter(|f| !fingerprints.contains_key(*f))
                .map(String::as_str),
        );
        let site = &checked.site;
        // An asset, an attachment or site.toml: copied files and site-wide settings are
        // not tracked page by page.
        if files.iter().any(|f| {
            site.sources
                .binary_search_by(|s| s.rel.as_str().cmp(f))
                .is_err()
                && !last.sources.contains(*f)
        }) {
            return self.whole(checked, cancel);
        }
        let mut ids: HashSet<String> = HashSet::new();
        let mut urls: Vec<String> = Vec::new();
        // Pages and items are sorted by file: each changed file's are found by search.
        for file in &files {
            for page in crate::model::run_of_file(&site.pages, |p| &p.file, file) {
                ids.insert(page.id.clone());
                urls.push(page.url.clone());
            }
            for item in crate::model::run_of_file(&site.items, |i| &i.file, file) {
                ids.insert(item.header.id.clone());
            }
        }
        for file in &files {
            for id in last.ids.get(*file).into_iter().flatten() {
                urls.extend(last.page_urls.get(id).cloned());
                ids.insert(id.clone());
            }
        }
        let entities = crate::link::affected::affected(
            &ids,
            &urls,
            &last.graph,
            &checked.graph,
            &last.peers,
            &checked.site,
        );
        t.lap("affected");
        let since = render::Since {
            entities: &entities,
            hashes: &last.hashes,
            records: &last.records,
            shape: last.shape,
            counts_everywhere: checked.theme.as_ref().is_some_and(|t| !t.inputs.is_empty()),
        };
        let patch = Patch::new(&self.out, &last.manifest).with_cancel(cancel.clone());
        let result =
            crate::render_site_since(&checked, &self.options, Some(&since), true, &|a| match a {
                Artifact::Bytes { path, bytes } => patch.write(&path, &bytes),
                Artifact::Copy { path, from } => patch.copy(&path, &from),
            });
        let report = match result {
            Ok(report) if report.restart => return self.whole(checked, cancel),
            Ok(report) => report,
            Err(e) => return failed(checked, e),
        };
        t.lap("render");
        // What the build read goes into the manifest once the pages are served.
        let Some(applied) = patch.apply(&report.pages, output::Provenance::default())? else {
            return self.whole(checked, cancel);
        };
        t.lap("apply");
        let rendered = (report.rendered, report.pages.len());
        let manifest = Arc::new(applied.manifest);
        self.pending = Some(Pending {
            report,
            fingerprints,
            manifest: manifest.clone(),
        });
        Ok(written(checked, &self.out, manifest, Some(rendered)))
    }
}

impl Last {
    /// What `checked`, just rendered as `report` into a folder `manifest` describes,
    /// leaves for the next rebuild (its graph moves here).
    fn of(
        checked: &mut Checked,
        report: render::Report,
        fingerprints: HashMap<String, u64>,
        manifest: Arc<Manifest>,
    ) -> Last {
        let site = &checked.site;
        let mut ids: HashMap<String, Vec<String>> = HashMap::new();
        for page in &site.pages {
            ids.entry(page.file.clone())
                .or_default()
                .push(page.id.clone());
        }
        for item in &site.items {
            ids.entry(item.file.clone())
                .or_default()
                .push(item.header.id.clone());
        }
        Last {
            fingerprints,
            sources: site.sources.iter().map(|s| s.rel.clone()).collect(),
            ids,
            page_urls: site
                .pages
                .iter()
                .map(|p| (p.id.clone(), p.url.clone()))
                .collect(),
            peers: crate::link::affected::Peers::of(site),
            graph: std::mem::take(&mut checked.graph),
            hashes: report.hashes,
            records: report.records,
            shape: report.shape,
            manifest,
        }
    }
}

/// Per file read (and per file a diagnostic names): a hash of its content and of every
/// diagnostic about it. A file whose hash differs between two checks changed, or what
/// is said of it did (a warning that appeared because another file changed).
fn fingerprints(checked: &Checked) -> HashMap<String, u64> {
    use rayon::prelude::*;
    let mut about: HashMap<&str, Vec<&Diagnostic>> = HashMap::new();
    for d in &checked.diagnostics {
        about.entry(d.file.as_str()).or_default().push(d);
    }
    let hash = |start: Option<&str>, diags: Option<&Vec<&Diagnostic>>| {
        let mut h = std::hash::DefaultHasher::new();
        if let Some(sha) = start {
            sha.hash(&mut h);
        }
        for d in diags.into_iter().flatten() {
            hash_diagnostic(d, &mut h);
        }
        h.finish()
    };
    let inputs = &checked.site.inputs;
    let mut out: HashMap<String, u64> = inputs
        .par_iter()
        .map(|d| {
            let h = hash(Some(&d.sha256), about.get(d.path.as_str()));
            (d.path.clone(), h)
        })
        .collect();
    for (file, diags) in &about {
        if !out.contains_key(*file) {
            out.insert((*file).to_owned(), hash(None, Some(diags)));
        }
    }
    out
}

fn hash_diagnostic(d: &Diagnostic, h: &mut std::hash::DefaultHasher) {
    (d.code, d.line, d.column, d.is_error(), &d.message, &d.help).hash(h);
    d.path.hash(h);
}

fn not_written(checked: Checked) -> Rebuilt {
    Rebuilt {
        built: Built {
            checked,
            written: None,
        },
        rendered: None,
    }
}

fn written(
    checked: Checked,
    out: &std::path::Path,
    manifest: Arc<Manifest>,
    rendered: Option<(usize, usize)>,
) -> Rebuilt {
    Rebuilt {
        built: Built {
            checked,
            written: Some(Written {
                out_dir: out.to_path_buf(),
                manifest,
                up_to_date: false,
            }),
        },
        rendered,
    }
}

/// A render that stopped: template errors are the site's (shown in the overlay), a
/// failed write is the rebuild's.
fn failed(mut checked: Checked, e: RenderError<OutputError>) -> Result<Rebuilt, Error> {
    match e {
        RenderError::Diagnostics(d) => {
            checked.diagnostics.extend(d);
            crate::diag::sort(&mut checked.diagnostics);
            Ok(not_written(checked))
        }
        RenderError::Sink(e) => Err(e.into()),
    }
}
