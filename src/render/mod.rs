//! Render: turns the checked, linked site into files (HTML pages, stylesheets, copied
//! assets). Pages render in parallel and are handed to a sink as they are made, so a
//! large site is never held in memory whole.
//!
//! A render goes in steps, each in its own module: `plan` decides what pages the build
//! has, `incremental` what a rebuild keeps of the last build, `pages` (with `subjects`
//! and `indexes`) makes each page, and `artifacts` the site-wide files.

mod artifacts;
pub mod charts;
mod context;
mod digests;
pub mod engine;
mod feeds;
pub mod highlight;
mod incremental;
mod indexes;
mod learners;
mod locations;
pub mod markdown;
mod nav;
mod pages;
mod plan;
mod subjects;
pub mod theme;
mod views;

pub use incremental::{Report, Since};
pub use theme::Theme;

use crate::diag::Diagnostic;
use crate::link::Graph;
use crate::model::Site;
use minijinja::Value;
use pages::PageRenderer;
use plan::{Input, Plan};
use rayon::prelude::*;
use std::borrow::Cow;
use std::path::PathBuf;

/// One file of the output.
#[derive(Debug)]
pub enum Artifact<'a> {
    /// Bytes made by the renderer, at a path relative to the output folder.
    Bytes {
        /// Output path.
        path: String,
        /// Content.
        bytes: Cow<'a, [u8]>,
    },
    /// A source file copied as it is.
    Copy {
        /// Output path.
        path: String,
        /// Where to read it.
        from: PathBuf,
    },
}

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError<E> {
    /// Templates failed: diagnostics to report, nothing to publish.
    Diagnostics(Vec<Diagnostic>),
    /// The sink failed (the output stage's error).
    Sink(E),
}

pub use crate::model::url::BACKLOG_URL;

/// Renders every page of `site` with `theme`, handing each file to `sink`. `diags` are
/// the warnings to show on the pages they concern; `today` is the date expiries and due
/// dates are shown against (the build's `--today`).
#[allow(clippy::too_many_arguments)]
pub fn render<E: Send>(
    site: &Site,
    graph: &Graph,
    theme: &Theme,
    diags: &[Diagnostic],
    coverage: &crate::coverage::Coverage,
    today: jiff::civil::Date,
    incremental: Option<&Since<'_>>,
    remember: bool,
    sink: &(dyn Fn(Artifact<'_>) -> Result<(), E> + Sync),
) -> Result<Report, RenderError<E>> {
    let input = Input {
        site,
        graph,
        theme,
        diags,
        coverage,
        today,
    };
    let mut plan = Plan::new(input);
    let shape = incremental::shape(&plan.site_ctx, &plan.learner_of);
    if incremental::must_restart(incremental, shape) {
        // What every page shows changed: nothing can be kept.
        return Ok(Report {
            shape,
            restart: true,
            ..Report::default()
        });
    }
    plan.sort_lists();
    let jobs = plan.jobs(input);
    let renderer = PageRenderer::new(input, &plan, incremental, remember);
    let pages = renderer.run(&jobs, sink)?;
    let hashes = renderer.into_hashes();

    let mut files: Vec<Artifact<'_>> = vec![artifacts::syntax_css()];
    let mut records = Default::default();
    if plan.features.search {
        let (bundle, kept) =
            artifacts::search(pages.records, &pages.written, incremental, remember)
                .map_err(|d| RenderError::Diagnostics(vec![d]))?;
        files.extend(bundle);
        records = kept;
    }
    files.extend(artifacts::feeds(site, &pages.written, &plan.learner_of));
    files.extend(artifacts::exports(coverage));
    files.extend(artifacts::statics(theme));
    files.extend(artifacts::copies(site));
    files
        .into_par_iter()
        .try_for_each(|a| sink(a).map_err(RenderError::Sink))?;
    Ok(Report {
        pages: pages.written,
        rendered: pages.rendered,
        hashes,
        records,
        shape,
        restart: false,
    })
}

/// Where an attachment is published: beside its item's page, under its file name.
fn attachment_url(item: &crate::model::Item, rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    format!("{}{name}", item.url())
}

/// Any serialisable value as a template value.
fn ser<T: serde::Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

/// Sources larger than this are not shown on their page: a 100 MB report would make a
/// page no browser opens, and highlighting it would dominate the build.
const SOURCE_VIEW_LIMIT: usize = 256 * 1024;
