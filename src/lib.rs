//! Evidentia turns a folder of compliance evidence into a validated, cross-linked static
//! site. The pipeline runs one way, a module per stage:
//! [`load`] -> [`import`] -> [`model`] -> [`check`] -> [`link`] -> [`coverage`] -> [`render`]
//! -> [`output`].
//! [`check_site`] runs everything but writing; [`build_site`] writes the site only when
//! no error was found.
#![warn(missing_docs, unreachable_pub)]
// A `Diagnostic` is the error value of most readers. It is large (four strings) but only
// built on the cold path, once per problem; boxing it would cost every caller a `Box`.
#![allow(clippy::result_large_err)]

pub mod bundle;
pub mod check;
pub mod config;
pub mod coverage;
pub mod diag;
pub mod expr;
pub mod import;
pub mod init;
pub mod integrity;
pub mod link;
pub mod load;
pub mod model;
pub mod node;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
mod timings;

use diag::{Diagnostic, SourceLookup};
use std::path::{Path, PathBuf};

/// Settings of one run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The date expiry and cadence checks compare against (`--today`).
    pub today: jiff::civil::Date,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            today: jiff::ZonedDateTime::now().date(),
        }
    }
}

/// Failures that are not about the site's content: a missing root, an unwritable output.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The site could not be loaded at all.
    #[error(transparent)]
    Load(#[from] load::LoadError),
    /// The output could not be written.
    #[error(transparent)]
    Output(#[from] output::OutputError),
    /// A bundle could not be made.
    #[error(transparent)]
    Bundle(#[from] bundle::BundleError),
}

impl Error {
    /// The diagnostic code of a failure that has one (E06xx), for `evidentia explain`.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Error::Load(_) => None,
            Error::Output(o) => Some(o.code()),
            Error::Bundle(b) => Some(b.code()),
        }
    }
}

/// A site after every check: the model, its graph, and every diagnostic.
#[derive(Debug)]
pub struct Checked {
    /// The canonical site root.
    pub root: PathBuf,
    /// The model.
    pub site: model::Site,
    /// The reference graph.
    pub graph: link::Graph,
    /// Every problem found, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Every learner's verdicts on the rubrics.
    pub coverage: coverage::Coverage,
    config_text: String,
    /// The load stage's own diagnostics, for a check that reloads only what changed.
    load_diagnostics: Vec<Diagnostic>,
    theme: Option<render::Theme>,
}

impl Checked {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

impl SourceLookup for Checked {
    fn source(&self, file: &str) -> Option<&str> {
        if file == config::FILE {
            Some(&self.config_text)
        } else {
            self.site.source_text(file)
        }
    }
}

/// The worker threads of the pipeline. Parsing a hostile document recurses up to the
/// nesting limit before it is refused; rayon's default 2 MiB worker stacks are too small
/// for that in debug builds, so the pipeline runs on workers with 64 MiB stacks (virtual
/// memory, touched only when used).
pub(crate) fn with_pool<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(64 * 1024 * 1024)
            .thread_name(|i| format!("evidentia-{i}"))
            .build()
            .ok()
    });
    match pool {
        Some(p) => p.install(f),
        None => f(),
    }
}

/// Loads, models, checks and links the site at `root`, and compiles its theme.
pub fn check_site(root: &Path, options: &Options) -> Result<Checked, Error> {
    with_pool(|| check_site_on_pool(root, options))
}

fn check_site_on_pool(root: &Path, options: &Options) -> Result<Checked, Error> {
    let mut t = timings::Timings::start();
    let loaded = load::load(root)?;
    t.lap("load");
    Ok(check_loaded(
        loaded,
        model::Reuse::default(),
        None,
        options,
        t,
    ))
}

/// Checks the site again after the files or folders in `changed` (absolute paths under
/// content/ or evidence/) changed, reading and parsing only those: `previous` is the
/// last check of the same root, taken apart. Why: `serve` does this on every save. A
/// change to site.toml or a theme needs [`check_site`], which reads everything.
///
/// What is left of `previous` (its registry, graph, coverage and diagnostics) comes back
/// as [`Garbage`], for the caller to free once the new site is served.
pub(crate) fn check_site_again(
    previous: Checked,
    changed: &[PathBuf],
    options: &Options,
) -> (Checked, Garbage) {
    with_pool(|| {
        let mut t = timings::Timings::start();
        let parts = previous.site.into_parts(&previous.diagnostics);
        t.lap("into-parts");
        let garbage = Garbage(vec![
            Box::new(parts.registry),
            Box::new(previous.graph),
            Box::new(previous.coverage),
            Box::new(previous.diagnostics),
        ]);
        let loaded = load::reload(
            load::Loaded {
                root: previous.root,
                config: parts.config,
                config_text: previous.config_text,
                files: parts.sources,
                others: parts.others,
                diagnostics: previous.load_diagnostics,
                inputs: parts.inputs,
            },
            changed,
        );
        t.lap("reload");
        let checked = check_loaded(loaded, parts.reuse, Some(previous.theme), options, t);
        (checked, garbage)
    })
}

/// Large values a rebuild no longer needs. Why: glibc takes a tenth of a second to free
/// the maps of a 20,000-file site, and `serve` frees them after the reader has the new
/// page, not before.
#[derive(Default)]
pub(crate) struct Garbage(Vec<Box<dyn std::any::Any + Send>>);

impl Garbage {
    /// Adds `value`.
    pub(crate) fn push<T: Send + 'static>(&mut self, value: T) {
        self.0.push(Box::new(value));
    }

    /// Adds everything `other` holds.
    pub(crate) fn extend(&mut self, other: Garbage) {
        self.0.extend(other.0);
    }
}

impl std::fmt::Debug for Garbage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Garbage({} values)", self.0.len())
    }
}

/// The stages after loading. `theme` is the theme already compiled, when it cannot
/// have changed.
fn check_loaded(
    loaded: load::Loaded,
    reuse: model::Reuse,
    theme: Option<Option<render::Theme>>,
    options: &Options,
    mut t: timings::Timings,
) -> Checked {
    let root = loaded.root.clone();
    let config_text = loaded.config_text.clone();
    let load_diagnostics = loaded.diagnostics.clone();
    let imported = import::import(loaded);
    t.lap("import");
    let (site, mut diagnostics) = model::build_reusing(imported, reuse);
    t.lap("model");
    diagnostics.extend(check::check(&site, options.today));
    let pages = site.pages.len() + site.items.len();
    if site.config.search.skipped_automatically(pages) {
        diagnostics.push(
            diag::Diagnostic::warning(
                "W0614",
                config::FILE,
                format!(
                    "no search index: the site has {pages} pages, more than the {} that get one without asking",
                    config::Search::AUTO_MAX_PAGES
                ),
            )
            .with_help(
                "set `[search] enabled = true` in site.toml to index it anyway (Pagefind holds about 50 KiB of memory per page while it indexes), or `enabled = false` to say you want none",
            ),
        );
    }
    t.lap("check");
    // Link before coverage: rubric checks on packets read them resolved. The graph reads
    // only the checks' errors, and coverage adds only warnings, so neither order changes
    // what the other sees.
    let graph = link::Graph::build(&site, &diagnostics);
    t.lap("link");
    let (coverage, rubric_warnings) =
        coverage::evaluate(&site, &diagnostics, graph.packets(), options.today);
    diagnostics.extend(rubric_warnings);
    t.lap("coverage");
    let theme = match theme {
        Some(Some(theme)) => Some(theme),
        _ => match render::Theme::load(&root, &site.config.theme) {
            Ok(t) => Some(t),
            Err(d) => {
                diagnostics.extend(d);
                None
            }
        },
    };
    diag::sort(&mut diagnostics);
    Checked {
        root,
        site,
        graph,
        diagnostics,
        coverage,
        config_text,
        load_diagnostics,
        theme,
    }
}

/// What a build did.
#[derive(Debug)]
pub struct Built {
    /// The checked site (its diagnostics include any template errors).
    pub checked: Checked,
    /// Where the site was written, if it was.
    pub written: Option<Written>,
}

/// A written site.
#[derive(Debug)]
pub struct Written {
    /// The output folder.
    pub out_dir: PathBuf,
    /// Its manifest (shared: serve keeps it for the next rebuild).
    pub manifest: std::sync::Arc<output::Manifest>,
    /// Nothing was written: the folder already held this very build (the build cache).
    pub up_to_date: bool,
}

/// Checks the site and, when it has no errors, renders it into `out` (or site.toml's
/// `output_dir`, relative to the root). The previous output stays whole unless the new
/// site is complete.
pub fn build_site(root: &Path, out: Option<&Path>, options: &Options) -> Result<Built, Error> {
    build_site_signed(root, out, options, None)
}

/// [`build_site`], signing manifest.json with `key` (manifest.sig beside it).
pub fn build_site_signed(
    root: &Path,
    out: Option<&Path>,
    options: &Options,
    key: Option<&ed25519_dalek::SigningKey>,
) -> Result<Built, Error> {
    with_pool(|| build_site_on_pool(root, out, options, key))
}

fn build_site_on_pool(
    root: &Path,
    out: Option<&Path>,
    options: &Options,
    key: Option<&ed25519_dalek::SigningKey>,
) -> Result<Built, Error> {
    let mut checked = check_site_on_pool(root, options)?;
    let out_dir = match out {
        Some(o) => o.to_path_buf(),
        None => checked.root.join(&checked.site.config.output_dir),
    };
    let out_dir = output::check_output_dir(&checked.root, &out_dir)?;
    if checked.theme.is_none() || checked.has_errors() {
        return Ok(Built {
            checked,
            written: None,
        });
    }
    let mut t = timings::Timings::start();
    let provenance = checked.provenance();
    let cache_key = output::cache::BuildKey::new(&output::cache::KeyParts {
        inputs: &provenance.inputs,
        today: options.today,
        git_commit: provenance.git_commit.as_deref(),
        signer: key.map(|k| k.verifying_key().to_bytes()),
    });
    // The folder is read once: to see whether it is already this build, and otherwise
    // which of its files the new build may link instead of writing.
    let previous = output::cache::Previous::read(&out_dir);
    if let Some(manifest) = previous
        .as_ref()
        .and_then(|p| p.up_to_date(&out_dir, &cache_key, key.is_some()))
        .cloned()
    {
        output::clear_leftovers(&out_dir);
        t.lap("cached");
        return Ok(Built {
            checked,
            written: Some(Written {
                out_dir,
                manifest: manifest.into(),
                up_to_date: true,
            }),
        });
    }
    let staging = output::Staging::create(&out_dir)?
        .with_provenance(provenance)
        .with_signer(key.cloned())
        .with_cache_key(cache_key)
        .with_reuse(
            previous
                .map(output::cache::Previous::reusable)
                .unwrap_or_default(),
        );
    let result = render_site(&checked, options, &|artifact| match artifact {
        render::Artifact::Bytes { path, bytes } => staging.write(&path, &bytes),
        render::Artifact::Copy { path, from } => staging.copy(&path, &from),
    });
    t.lap("render");
    match result {
        Ok(()) => {
            let manifest = staging.commit()?;
            t.lap("commit");
            Ok(Built {
                checked,
                written: Some(Written {
                    out_dir,
                    manifest: manifest.into(),
                    up_to_date: false,
                }),
            })
        }
        Err(render::RenderError::Diagnostics(d)) => {
            checked.diagnostics.extend(d);
            diag::sort(&mut checked.diagnostics);
            Ok(Built {
                checked,
                written: None,
            })
        }
        Err(render::RenderError::Sink(e)) => Err(e.into()),
    }
}

impl Checked {
    /// What a build of this site read (its inputs and the theme's) and the git commit.
    pub fn provenance(&self) -> output::Provenance {
        let mut inputs = self.site.inputs.clone();
        if let Some(theme) = &self.theme {
            inputs.extend(theme.inputs.iter().cloned());
        }
        output::Provenance {
            inputs,
            git_commit: integrity::git::commit(&self.root),
        }
    }
}

/// Renders every file of a checked, error-free site (pages, assets, the kinds' JSON
/// Schemas) into `sink`; the caller decides where files go (a staging folder, memory).
pub(crate) fn render_site<E: Send>(
    checked: &Checked,
    options: &Options,
    sink: &(dyn Fn(render::Artifact<'_>) -> Result<(), E> + Sync),
) -> Result<(), render::RenderError<E>> {
    render_site_since(checked, options, None, false, sink).map(|_| ())
}

/// [`render_site`], rendering again only what changed since an earlier build when
/// `since` says what that build was, and keeping what the next such render needs when
/// `remember` is set (serve).
pub(crate) fn render_site_since<E: Send>(
    checked: &Checked,
    options: &Options,
    since: Option<&render::Since<'_>>,
    remember: bool,
    sink: &(dyn Fn(render::Artifact<'_>) -> Result<(), E> + Sync),
) -> Result<render::Report, render::RenderError<E>> {
    let Some(theme) = checked.theme.as_ref() else {
        return Err(render::RenderError::Diagnostics(Vec::new()));
    };
    let report = render::render(
        &checked.site,
        &checked.graph,
        theme,
        &checked.diagnostics,
        &checked.coverage,
        options.today,
        since,
        remember,
        sink,
    )?;
    if report.restart {
        return Ok(report);
    }
    // The kinds' JSON Schemas, so editors can point at the published site.
    for kind in model::Kind::ALL {
        let path = format!("schemas/{}.schema.json", kind.name());
        sink(render::Artifact::Bytes {
            path,
            bytes: std::borrow::Cow::Owned(model::schema::schema_text(kind).into_bytes()),
        })
        .map_err(render::RenderError::Sink)?;
    }
    Ok(report)
}
