//! How a job becomes a page: its template and context (a [`Draft`]), whether the last
//! build's page still stands ([`Output::Unchanged`]), and what the search index learns
//! of it. Pages render in parallel and go to the sink as they are made.

use super::context::SiteCtx;
use super::incremental::{Since, hash_of, single, skipped};
use super::plan::{Features, Input, Job, Plan};
use super::{Artifact, BACKLOG_URL, RenderError, Theme, nav, ser, theme, views};
use crate::diag::Diagnostic;
use crate::link::Graph;
use crate::model::{Item, Kind, Site, url};
use crate::search::{Record, text};
use minijinja::{Value, context};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

/// What rendering a job gave.
pub(super) enum Output {
    /// The page, to write.
    Html(String),
    /// The page's context is the last build's: the page written then stands.
    Unchanged,
}

/// A rendered page: where it goes, its HTML, and what the search index learns of it.
pub(super) struct Rendered {
    path: String,
    output: Output,
    record: Option<Record>,
}

/// A page ready to render: which template of which theme, and the context it reads.
pub(super) struct Draft<'t> {
    theme: &'t Theme,
    /// The theme's name, for the file a template error is reported in.
    theme_name: &'t str,
    template: Cow<'static, str>,
    /// The page's URL, which its context hash is remembered by.
    url: String,
    /// Where the page is written.
    path: String,
    ctx: Value,
    /// A content page's HTML, which the search index reads.
    content: Option<String>,
}

/// Makes the pages of one build. Shared by the pool's threads: everything a job needs
/// is read here, and what a job decides (hashed or not) is passed along with it.
pub(super) struct PageRenderer<'a> {
    pub(super) site: &'a Site,
    pub(super) graph: &'a Graph,
    pub(super) theme: &'a Theme,
    pub(super) diags: &'a [Diagnostic],
    pub(super) site_ctx: &'a SiteCtx,
    pub(super) site_value: Value,
    /// [`hash_of`] the site value, for list keys.
    pub(super) site_hash: u64,
    pub(super) index: &'a views::Index<'a>,
    pub(super) features: &'a Features,
    /// Portfolio id -> the learner page that shows it.
    pub(super) learner_of: &'a HashMap<&'a str, String>,
    /// Items of each kind, by title.
    pub(super) kind_items: &'a HashMap<Kind, Vec<&'a Item>>,
    pub(super) tags: &'a BTreeMap<String, nav::Tag<'a>>,
    /// Source file -> (URL, title) of the page that shows it.
    pub(super) pages_by_file: &'a HashMap<&'a str, (String, &'a str)>,
    /// Content page URL -> title, for breadcrumbs through parent pages.
    pub(super) page_titles: HashMap<&'a str, &'a str>,
    pub(super) today: jiff::civil::Date,
    pub(super) incremental: Option<&'a Since<'a>>,
    /// Context hashes of the pages rendered, when the caller keeps them.
    pub(super) hashes: Option<Mutex<HashMap<String, u64>>>,
}

/// What the pool made: every page's output path, how many were rendered, and the search
/// records of those rendered.
pub(super) struct Pages {
    pub(super) written: Vec<String>,
    pub(super) rendered: usize,
    pub(super) records: Vec<Record>,
}

impl<'a> PageRenderer<'a> {
    /// The renderer of `plan`'s pages; `remember` keeps the context hashes for the next
    /// build.
    pub(super) fn new(
        input: Input<'a>,
        plan: &'a Plan<'a>,
        incremental: Option<&'a Since<'a>>,
        remember: bool,
    ) -> PageRenderer<'a> {
        let site_value = ser(&plan.site_ctx);
        PageRenderer {
            site: input.site,
            graph: input.graph,
            theme: input.theme,
            diags: input.diags,
            site_ctx: &plan.site_ctx,
            site_hash: hash_of(&site_value),
            site_value,
            index: &plan.index,
            features: &plan.features,
            learner_of: &plan.learner_of,
            kind_items: &plan.kind_items,
            tags: &plan.tags,
            pages_by_file: &plan.pages_by_file,
            page_titles: input
                .site
                .pages
                .iter()
                .map(|p| (p.url.as_str(), p.title.as_str()))
                .collect(),
            today: input.today,
            incremental,
            hashes: remember.then(|| Mutex::new(HashMap::new())),
        }
    }

    /// The context hashes remembered (empty unless asked for).
    pub(super) fn into_hashes(self) -> HashMap<String, u64> {
        self.hashes
            .map(|h| h.into_inner().unwrap_or_else(|e| e.into_inner()))
            .unwrap_or_default()
    }

    /// Renders `jobs` in parallel, handing each page made to `sink`. Template errors are
    /// gathered from every job before giving up; a sink error stops at once.
    pub(super) fn run<E: Send>(
        &self,
        jobs: &[Job<'_>],
        sink: &(dyn Fn(Artifact<'_>) -> Result<(), E> + Sync),
    ) -> Result<Pages, RenderError<E>> {
        let records = Mutex::new(Vec::new());
        let text_limit = crate::search::text_limit(jobs.len());
        let results: Vec<Result<(String, bool), RenderError<E>>> = jobs
            .par_iter()
            .map(|job| {
                if let Some(path) = skipped(job, self.incremental) {
                    return Ok((path, false));
                }
                let page = self
                    .job(job)
                    .map_err(|d| RenderError::Diagnostics(vec![d]))?;
                let Output::Html(html) = page.output else {
                    return Ok((page.path, false));
                };
                if let Some(mut r) = page.record
                    && let Ok(mut records) = records.lock()
                {
                    r.truncate(text_limit);
                    records.push(r);
                }
                sink(Artifact::Bytes {
                    path: page.path.clone(),
                    bytes: Cow::Owned(html.into_bytes()),
                })
                .map_err(RenderError::Sink)?;
                Ok((page.path, true))
            })
            .collect();
        let mut template_diags = Vec::new();
        let mut written = Vec::with_capacity(results.len());
        let mut rendered = 0;
        for r in results {
            match r {
                Ok((path, fresh)) => {
                    rendered += usize::from(fresh);
                    written.push(path);
                }
                Err(RenderError::Diagnostics(d)) => template_diags.extend(d),
                Err(e @ RenderError::Sink(_)) => return Err(e),
            }
        }
        if !template_diags.is_empty() {
            template_diags
                .dedup_by(|a, b| a.file == b.file && a.line == b.line && a.message == b.message);
            return Err(RenderError::Diagnostics(template_diags));
        }
        Ok(Pages {
            written,
            rendered,
            records: records.into_inner().unwrap_or_else(|e| e.into_inner()),
        })
    }

    /// One page: unchanged when its list key or its context is the last build's, else
    /// rendered, with its search record when the site has search.
    pub(super) fn job(&self, job: &Job<'_>) -> Result<Rendered, Diagnostic> {
        // A page of one thing is rendered or skipped whole ([`skipped`]); every other
        // page has its context hashed, or its list key checked instead.
        let mut hashed = self.hashes.is_some() && single(job).is_none();
        if self.hashes.is_some()
            && let Some(list) = self.list_key(job)
        {
            // The key stands for the context: the template is not hashed again.
            hashed = false;
            if self.same_list(&list) {
                return Ok(Rendered {
                    path: url::output_file(&list.url),
                    output: Output::Unchanged,
                    record: None,
                });
            }
        }
        let mut draft = self.draft(job)?;
        let path = draft.path.clone();
        let content = draft.content.take();
        let output = self.finish(draft, hashed)?;
        let record = match output {
            Output::Html(_) if self.features.search => self.record(job, content.as_deref()),
            _ => None,
        };
        Ok(Rendered {
            path,
            output,
            record,
        })
    }

    /// The template and context of `job`'s page.
    fn draft<'s>(&'s self, job: &Job<'s>) -> Result<Draft<'s>, Diagnostic> {
        Ok(match job {
            Job::Home => self.home(),
            Job::Page(page) => self.page(page)?,
            Job::Item(i) => self.item(i),
            Job::Learner(l) => self.learner(l),
            Job::Coverage => self.coverage(),
            Job::KindList(k, n) => self.kind_list(*k, *n),
            Job::Backlog => self.backlog(),
            Job::Problems(n) => self.problems(*n),
            Job::TagsIndex(n) => self.tags_index(*n),
            Job::Tag(slug, n) => self.tag(slug, *n),
            Job::Search => self.search(),
            Job::PacketsIndex => self.simple(
                "packets.html",
                url::PACKETS_URL,
                "Packets",
                ser(views::packets_index(self.index, url::PACKETS_URL)),
            ),
            Job::ControlsIndex => self.simple(
                "controls.html",
                url::CONTROLS_URL,
                "Controls",
                ser(views::controls_index(self.index, url::CONTROLS_URL)),
            ),
            Job::PacketPrint(item, print) => self.packet_print(item, print),
            Job::Control(item, control) => self.control(item, control),
            Job::NotFound => self.not_found(),
        })
    }

    /// A draft of the site's theme at `page_url`, whose context is the site, the way
    /// back to the root, and `page`.
    pub(super) fn draft_of(
        &self,
        template: &'static str,
        page_url: &str,
        page: Value,
    ) -> Draft<'_> {
        let theme_name = self.site.config.theme.as_str();
        self.draft_in(
            self.theme,
            theme_name,
            Cow::Borrowed(template),
            page_url,
            page,
        )
    }

    /// The same, with a template of `theme` (the site's theme, named `theme_name`, or
    /// the print theme).
    pub(super) fn draft_in<'t>(
        &'t self,
        theme: &'t Theme,
        theme_name: &'t str,
        template: Cow<'static, str>,
        page_url: &str,
        page: Value,
    ) -> Draft<'t> {
        Draft {
            theme,
            theme_name,
            template,
            url: page_url.to_owned(),
            path: url::output_file(page_url),
            ctx: context! {
                site => self.site_value.clone(),
                root => url::root_prefix(page_url),
                page => page,
            },
            content: None,
        }
    }

    /// Renders `draft`, or finds that its context is the last build's when the page is
    /// `hashed`.
    fn finish(&self, draft: Draft<'_>, hashed: bool) -> Result<Output, Diagnostic> {
        if hashed && self.same_context(&draft.url, &draft.ctx) {
            return Ok(Output::Unchanged);
        }
        let name = draft.template.as_ref();
        let html = draft.theme.render(name, draft.ctx).map_err(|e| {
            let file = format!(
                "themes/{}/templates/{}",
                draft.theme_name,
                e.template.as_deref().unwrap_or(name)
            );
            let mut d = theme::template_error(&file, &e);
            d.message = format!("{} (rendering /{})", d.message, draft.url);
            d
        })?;
        Ok(Output::Html(html))
    }

    /// What the search index learns of `job`'s page (`content`: a content page's HTML).
    fn record(&self, job: &Job<'_>, content: Option<&str>) -> Option<Record> {
        let index_only = |url: &str, title: &str| {
            Some(Record::new(
                url::output_file(url),
                title.to_owned(),
                "Index",
                title.to_owned(),
            ))
        };
        match job {
            // The text is only for the search index.
            Job::Page(page) => Some(Record::new(
                url::output_file(&page.url),
                page.title.clone(),
                "Content page",
                text::strip_tags(content.unwrap_or_default()),
            )),
            Job::Item(i) => Some(self.item_record(i)),
            Job::Learner(l) => Some(Record::new(
                url::output_file(&url::learner_url(&l.handle)),
                l.display_name().to_owned(),
                "Learner",
                format!("{} {}", l.display_name(), l.handle),
            )),
            Job::Coverage => index_only(url::COVERAGE_URL, "Coverage"),
            Job::KindList(k, 1) => index_only(&url::kind_url(*k), k.plural_label()),
            Job::Backlog => index_only(BACKLOG_URL, "Backlog"),
            Job::Tag(slug, 1) => self.tags.get(*slug).map(|t| {
                Record::new(
                    url::output_file(&nav::tag_url(slug)),
                    format!("Tag: {}", t.name),
                    "Tag",
                    t.name.to_owned(),
                )
            }),
            Job::PacketsIndex => index_only(url::PACKETS_URL, "Packets"),
            Job::ControlsIndex => index_only(url::CONTROLS_URL, "Controls"),
            Job::Control(item, control) => {
                let id = control.id.value.trim();
                let title = super::subjects::control_title(control);
                let description = control
                    .description
                    .as_ref()
                    .map_or("", |d| d.value.as_str());
                Some(Record::new(
                    url::output_file(&url::control_url(&item.header.id, id)),
                    title.clone(),
                    "Control",
                    format!("{title} {} {description}", item.header.title),
                ))
            }
            _ => None,
        }
    }

    /// What the index holds of an item: its header and its source text (the fields as
    /// written, which is what a reader remembers and searches for).
    fn item_record(&self, item: &Item) -> Record {
        let h = &item.header;
        let mut source = self.site.source_text(&item.file).unwrap_or_default();
        // The editor's schema comment says nothing a reader searches for.
        if source.starts_with("# yaml-language-server:") {
            source = source.split_once('\n').map_or("", |(_, rest)| rest);
        }
        let mut end = source.len().min(crate::search::TEXT_LIMIT);
        while !source.is_char_boundary(end) {
            end -= 1;
        }
        let text = format!(
            "{} {} {} {} {}",
            h.title,
            h.id,
            h.owner.as_deref().unwrap_or(""),
            h.tags.join(" "),
            &source[..end]
        );
        Record::new(
            url::output_file(&nav::item_page_url(item, self.learner_of)),
            h.title.clone(),
            h.kind.label(),
            text,
        )
    }
}

impl Draft<'_> {
    /// The draft, carrying a content page's HTML for the search index.
    pub(super) fn with_content(mut self, content: String) -> Self {
        self.content = Some(content);
        self
    }

    /// The draft, written at `path` rather than its URL's `index.html` (the 404 page).
    pub(super) fn at(mut self, path: &str) -> Self {
        self.path = path.to_owned();
        self
    }
}
