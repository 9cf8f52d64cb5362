//! Render: turns the checked, linked site into files (HTML pages, stylesheets, copied
//! assets). Pages render in parallel and are handed to a sink as they are made, so a
//! large site is never held in memory whole.

pub mod charts;
mod context;
mod digests;
pub mod engine;
pub mod highlight;
mod learners;
mod locations;
pub mod markdown;
pub mod theme;
mod views;

pub use theme::Theme;

use crate::diag::Diagnostic;
use crate::link::Graph;
use crate::model::{Kind, Site, url};
use context::{SiteCtx, diags_for, fields, links, site_ctx};
use minijinja::{Value, context};
use rayon::prelude::*;
use std::borrow::Cow;
use std::fmt::Write as _;
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

/// One page to render: what and where.
enum Job<'a> {
    Home,
    Page(&'a crate::model::Page),
    Item(&'a crate::model::Item),
    Learner(&'a crate::coverage::Learner),
    Coverage,
    KindList(Kind),
    Backlog,
    PacketsIndex,
    ControlsIndex,
    Control(
        &'a crate::model::Item,
        &'a crate::model::kinds::catalog::Control,
    ),
    NotFound,
    /// A packet's printable page, from the print theme.
    PacketPrint(&'a crate::model::Item, &'a Theme),
}

/// Where the site-wide backlog of open mitigations and actions is written.
pub const BACKLOG_URL: &str = "backlog/";

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
    sink: &(dyn Fn(Artifact<'_>) -> Result<(), E> + Sync),
) -> Result<(), RenderError<E>> {
    // The backlog page needs a theme template for it (themes written before it have none).
    let backlog = theme.has_template("backlog.html");
    let coverage_page = theme.has_template("coverage.html");
    let packets_page = theme.has_template("packets.html");
    let controls_pages = theme.has_template("controls.html") && theme.has_template("control.html");
    let mut site_ctx = site_ctx(site, backlog, coverage_page);
    // Packets and catalogs are reached through their indexes, when the theme has them.
    for link in &mut site_ctx.nav {
        if packets_page && link.url == url::kind_url(Kind::Packet) {
            link.url = url::PACKETS_URL.to_owned();
        } else if controls_pages && link.url == url::kind_url(Kind::Catalog) {
            link.url = url::CONTROLS_URL.to_owned();
        }
    }
    let site_value = ser(&site_ctx);
    let mut jobs: Vec<Job<'_>> = Vec::new();
    if !site.pages.iter().any(|p| p.url.is_empty()) {
        jobs.push(Job::Home);
    }
    jobs.extend(site.pages.iter().map(Job::Page));
    // Portfolios are shown on their learner's page, when the theme has one.
    let learner_pages = theme.has_template("learner.html");
    jobs.extend(
        site.items
            .iter()
            .filter(|i| !(learner_pages && i.header.kind == Kind::Portfolio))
            .map(Job::Item),
    );
    if learner_pages {
        jobs.extend(coverage.learners.iter().map(Job::Learner));
    }
    if coverage_page {
        jobs.push(Job::Coverage);
    }
    jobs.extend(Kind::PAGES.into_iter().map(Job::KindList));
    if backlog {
        jobs.push(Job::Backlog);
    }
    if packets_page {
        jobs.push(Job::PacketsIndex);
    }
    if controls_pages {
        jobs.push(Job::ControlsIndex);
        for item in &site.items {
            if let crate::model::kinds::Body::Catalog(c) = &item.body {
                jobs.extend(c.controls.iter().map(|x| Job::Control(item, x)));
            }
        }
    }
    jobs.push(Job::NotFound);
    if let Some(print) = theme.print.as_deref() {
        jobs.extend(
            site.items
                .iter()
                .filter(|i| i.header.kind == Kind::Packet)
                .map(|i| Job::PacketPrint(i, print)),
        );
    }

    let renderer = PageRenderer {
        site,
        graph,
        theme,
        diags,
        site_ctx: &site_ctx,
        site_value,
        index: views::Index::new(site, graph, coverage, today),
    };
    let results: Vec<Result<(), RenderError<E>>> = jobs
        .par_iter()
        .map(|job| {
            let (path, html) = renderer
                .job(job)
                .map_err(|d| RenderError::Diagnostics(vec![d]))?;
            sink(Artifact::Bytes {
                path,
                bytes: Cow::Owned(html.into_bytes()),
            })
            .map_err(RenderError::Sink)
        })
        .collect();
    let mut template_diags = Vec::new();
    for r in results {
        match r {
            Ok(()) => {}
            Err(RenderError::Diagnostics(d)) => template_diags.extend(d),
            Err(e @ RenderError::Sink(_)) => return Err(e),
        }
    }
    if !template_diags.is_empty() {
        template_diags
            .dedup_by(|a, b| a.file == b.file && a.line == b.line && a.message == b.message);
        return Err(RenderError::Diagnostics(template_diags));
    }

    let css = highlight::stylesheet();
    let mut files: Vec<Artifact<'_>> = vec![Artifact::Bytes {
        path: "static/syntax.css".to_owned(),
        bytes: Cow::Owned(css.into_bytes()),
    }];
    // The grader's exports, beside the coverage page.
    files.push(Artifact::Bytes {
        path: format!("{}coverage.csv", url::COVERAGE_URL),
        bytes: Cow::Owned(crate::coverage::export::to_csv(coverage).into_bytes()),
    });
    files.push(Artifact::Bytes {
        path: format!("{}coverage.json", url::COVERAGE_URL),
        bytes: Cow::Owned(crate::coverage::export::to_json(coverage).into_bytes()),
    });
    for (path, bytes) in &theme.statics {
        files.push(Artifact::Bytes {
            path: format!("static/{path}"),
            bytes: Cow::Borrowed(bytes.as_ref()),
        });
    }
    for (path, bytes) in theme.print.iter().flat_map(|p| &p.statics) {
        files.push(Artifact::Bytes {
            path: format!("static/{}/{path}", theme::PRINT_THEME),
            bytes: Cow::Borrowed(bytes.as_ref()),
        });
    }
    // Content assets are published beside their pages; evidence files only when an item
    // lists them as attachments, next to that item's page.
    for other in &site.others {
        if let Some(rest) = other.rel.strip_prefix("content/") {
            files.push(Artifact::Copy {
                path: rest.to_owned(),
                from: other.abs.clone(),
            });
        }
    }
    for item in &site.items {
        for a in &item.header.attachments {
            let Some(rel) = crate::check::attachment_path(&item.file, a) else {
                continue;
            };
            if let Some(other) = site.others.iter().find(|o| o.rel == rel) {
                files.push(Artifact::Copy {
                    path: attachment_url(item, &rel),
                    from: other.abs.clone(),
                });
            }
        }
    }
    files
        .into_par_iter()
        .try_for_each(|a| sink(a).map_err(RenderError::Sink))
}

struct PageRenderer<'a> {
    site: &'a Site,
    graph: &'a Graph,
    theme: &'a Theme,
    diags: &'a [Diagnostic],
    site_ctx: &'a SiteCtx,
    site_value: Value,
    index: views::Index<'a>,
}

impl PageRenderer<'_> {
    fn job(&self, job: &Job<'_>) -> Result<(String, String), Diagnostic> {
        match job {
            Job::Home => self.home(),
            Job::Page(p) => self.page(p),
            Job::Item(i) => self.item(i),
            Job::Learner(l) => self.learner(l),
            Job::Coverage => self.coverage(),
            Job::KindList(k) => self.kind_list(*k),
            Job::Backlog => self.backlog(),
            Job::PacketsIndex => self.simple(
                "packets.html",
                url::PACKETS_URL,
                "Packets",
                ser(views::packets_index(&self.index, url::PACKETS_URL)),
            ),
            Job::ControlsIndex => self.simple(
                "controls.html",
                url::CONTROLS_URL,
                "Controls",
                ser(views::controls_index(&self.index, url::CONTROLS_URL)),
            ),
            Job::Control(item, control) => self.control(item, control),
            Job::PacketPrint(item, print) => self.packet_print(item, print),
            Job::NotFound => {
                let html = self.template(
                    "404.html",
                    "404.html",
                    context! {
                        site => self.site_value.clone(),
                        root => "",
                        page => context! { url => "404.html", title => "Page not found" },
                    },
                )?;
                Ok(("404.html".to_owned(), html))
            }
        }
    }

    fn template(&self, name: &str, url: &str, ctx: Value) -> Result<String, Diagnostic> {
        self.template_of(self.theme, &self.site.config.theme, name, url, ctx)
    }

    fn template_of(
        &self,
        theme: &Theme,
        theme_name: &str,
        name: &str,
        url: &str,
        ctx: Value,
    ) -> Result<String, Diagnostic> {
        theme.render(name, ctx).map_err(|e| {
            let file = format!(
                "themes/{theme_name}/templates/{}",
                e.template.as_deref().unwrap_or(name)
            );
            let mut d = theme::template_error(&file, &e);
            d.message = format!("{} (rendering /{url})", d.message);
            d
        })
    }

    fn home(&self) -> Result<(String, String), Diagnostic> {
        let html = self.template(
            "index.html",
            "",
            context! {
                site => self.site_value.clone(),
                root => "",
                page => context! { url => "", title => self.site_ctx.title.clone(), content => "" },
            },
        )?;
        Ok((url::output_file(""), html))
    }

    fn page(&self, page: &crate::model::Page) -> Result<(String, String), Diagnostic> {
        let content = markdown::to_html(&page.body, &self.site.registry, &page.url);
        let template = match &page.front.template {
            Some(t) if self.theme.has_template(t) => t.clone(),
            Some(t) => {
                return Err(Diagnostic::error(
                    "E0108",
                    &page.file,
                    format!("the theme has no template `{t}`"),
                )
                .with_path("template")
                .with_help(
                    "name a template of the theme's templates/ folder, or remove `template`",
                ));
            }
            None if page.url.is_empty() => "index.html".to_owned(),
            None => "page.html".to_owned(),
        };
        let html = self.template(
            &template,
            &page.url,
            context! {
                site => self.site_value.clone(),
                root => url::root_prefix(&page.url),
                page => context! {
                    id => page.id.clone(),
                    url => page.url.clone(),
                    title => page.title.clone(),
                    file => page.file.clone(),
                    date => page.front.date.map(|d| d.to_string()),
                    tags => page.front.tags.clone(),
                    content => content,
                    outgoing => ser(links(&self.site.registry, self.graph.outgoing(&page.id))),
                    backlinks => ser(links(&self.site.registry, self.graph.backlinks(&page.id))),
                    diagnostics => ser(diags_for(self.diags, &page.file)),
                },
            },
        )?;
        Ok((url::output_file(&page.url), html))
    }

    fn item(&self, item: &crate::model::Item) -> Result<(String, String), Diagnostic> {
        let page_url = item.url();
        let html = self.template(
            "item.html",
            &page_url,
            context! {
                site => self.site_value.clone(),
                root => url::root_prefix(&page_url),
                page => self.item_page(item, &page_url),
            },
        )?;
        Ok((url::output_file(&page_url), html))
    }

    /// What an item's page shows, linked from `page_url`: the item page and a packet's
    /// print page share it, so both engines see the same fields.
    fn item_page(&self, item: &crate::model::Item, page_url: &str) -> Value {
        let h = &item.header;
        let lang = match item.format {
            crate::load::Format::Json => "json",
            crate::load::Format::Markdown => "md",
            crate::load::Format::Yaml => "yaml",
        };
        let source = self.site.source_text(&item.file).unwrap_or_default();
        let attachments = self.attachments(item);
        let print_url = (h.kind == Kind::Packet && self.theme.print.is_some())
            .then(|| url::href(page_url, &print_url(item)));
        context! {
            id => h.id.clone(),
            url => page_url,
            title => h.title.clone(),
            kind => h.kind.name(),
            kind_label => h.kind.label(),
            kind_url => url::kind_url(h.kind),
            owner => h.owner.clone(),
            tags => h.tags.clone(),
            updated => h.updated.map(|d| d.to_string()),
            file => item.file.clone(),
            fields => ser(fields(item, &self.site.registry)),
            body => ser(&item.body),
            view => ser(views::view(&self.index, item, page_url)),
            source => source_view(source, lang),
            attachments => attachments,
            evidence_digests => ser(digests::packet_digests(self.site, item, page_url)),
            outgoing => ser(links(&self.site.registry, self.graph.outgoing(&h.id))),
            backlinks => ser(links(&self.site.registry, self.graph.backlinks(&h.id))),
            used_in => ser(views::used_in(&self.index, &h.id, page_url)),
            diagnostics => ser(diags_for(self.diags, &item.file)),
            print_url => print_url,
        }
    }

    /// A packet's printable page: the item page's context, plus each evidence item's
    /// key facts, rendered by the print theme.
    fn packet_print(
        &self,
        item: &crate::model::Item,
        print: &Theme,
    ) -> Result<(String, String), Diagnostic> {
        let page_url = print_url(item);
        let html = self.template_of(
            print,
            theme::PRINT_THEME,
            "packet.html",
            &page_url,
            context! {
                site => self.site_value.clone(),
                root => url::root_prefix(&page_url),
                page => context! {
                    packet_url => url::href(&page_url, &item.url()),
                    evidence_facts => ser(views::evidence_facts(&self.index, &item.header.id, &page_url)),
                    ..self.item_page(item, &page_url)
                },
            },
        )?;
        Ok((url::output_file(&page_url), html))
    }

    /// A site-wide page whose template reads one view (`page.view`).
    fn simple(
        &self,
        template: &str,
        page_url: &str,
        title: &str,
        view: Value,
    ) -> Result<(String, String), Diagnostic> {
        let html = self.template(
            template,
            page_url,
            context! {
                site => self.site_value.clone(),
                root => url::root_prefix(page_url),
                page => context! { url => page_url, title => title, view => view },
            },
        )?;
        Ok((url::output_file(page_url), html))
    }

    fn control(
        &self,
        item: &crate::model::Item,
        control: &crate::model::kinds::catalog::Control,
    ) -> Result<(String, String), Diagnostic> {
        let id = control.id.value.trim();
        let page_url = url::control_url(&item.header.id, id);
        let title = match &control.title {
            Some(t) => format!("{id}: {}", t.value.trim()),
            None => id.to_owned(),
        };
        let html = self.template(
            "control.html",
            &page_url,
            context! {
                site => self.site_value.clone(),
                root => url::root_prefix(&page_url),
                page => context! {
                    url => page_url.clone(),
                    title => title,
                    controls_url => url::CONTROLS_URL,
                    view => ser(views::control_page(&self.index, item, control, &page_url)),
                },
            },
        )?;
        Ok((url::output_file(&page_url), html))
    }

    fn kind_list(&self, kind: Kind) -> Result<(String, String), Diagnostic> {
        let page_url = url::kind_url(kind);
        let mut of_kind: Vec<&crate::model::Item> = self
            .site
            .items
            .iter()
            .filter(|i| i.header.kind == kind)
            .collect();
        of_kind
            .sort_by(|a, b| (&a.header.title, &a.header.id).cmp(&(&b.header.title, &b.header.id)));
        let items: Vec<Value> = of_kind
            .into_iter()
            .map(|i| {
                context! {
                    id => i.header.id.clone(),
                    title => i.header.title.clone(),
                    url => i.url(),
                    owner => i.header.owner.clone(),
                    updated => i.header.updated.map(|d| d.to_string()),
                    tags => i.header.tags.clone(),
                    warnings => self.diags.iter().filter(|d| d.file == i.file).count(),
                }
            })
            .collect();
        let html = self.template(
            "list.html",
            &page_url,
            context! {
                site => self.site_value.clone(),
                root => url::root_prefix(&page_url),
                page => context! {
                    url => page_url.clone(),
                    title => kind.plural_label(),
                    kind => kind.name(),
                    items => items,
                },
            },
        )?;
        Ok((url::output_file(&page_url), html))
    }
}

impl PageRenderer<'_> {
    fn learner(&self, learner: &crate::coverage::Learner) -> Result<(String, String), Diagnostic> {
        let page_url = url::learner_url(&learner.handle);
        let portfolios: Vec<Value> = learner
            .portfolios
            .iter()
            .filter_map(|id| self.site.registry.get(id))
            .filter_map(|t| self.site.items.get(t.index))
            .map(|item| {
                let source = self.site.source_text(&item.file).unwrap_or_default();
                let lang = match item.format {
                    crate::load::Format::Json => "json",
                    _ => "yaml",
                };
                context! {
                    facts => ser(learners::portfolio_block(&self.index, item, &page_url)),
                    view => ser(views::view(&self.index, item, &page_url)),
                    attachments => self.attachments(item),
                    diagnostics => ser(diags_for(self.diags, &item.file)),
                    source => source_view_with(source, lang, false),
                }
            })
            .collect();
        let mut backlinks = Vec::new();
        for id in &learner.portfolios {
            for l in links(&self.site.registry, self.graph.backlinks(id)) {
                if !backlinks.contains(&l) {
                    backlinks.push(l);
                }
            }
        }
        let html = self.template(
            "learner.html",
            &page_url,
            context! {
                site => self.site_value.clone(),
                root => url::root_prefix(&page_url),
                page => context! {
                    url => page_url.clone(),
                    title => learner.display_name(),
                    coverage_url => url::COVERAGE_URL,
                    learner => ser(learners::learner(&self.index, learner, &page_url)),
                    portfolios => portfolios,
                    backlinks => ser(backlinks),
                },
            },
        )?;
        Ok((url::output_file(&page_url), html))
    }

    fn coverage(&self) -> Result<(String, String), Diagnostic> {
        let page_url = url::COVERAGE_URL;
        let html = self.template(
            "coverage.html",
            page_url,
            context! {
                site => self.site_value.clone(),
                root => url::root_prefix(page_url),
                page => context! {
                    url => page_url,
                    title => "Coverage",
                    coverage => ser(learners::coverage(&self.index, self.index.coverage, page_url)),
                },
            },
        )?;
        Ok((url::output_file(page_url), html))
    }

    /// An item's attachments, linked where they are published.
    fn attachments(&self, item: &crate::model::Item) -> Vec<Value> {
        item.header
            .attachments
            .iter()
            .filter_map(|a| crate::check::attachment_path(&item.file, a))
            .map(|p| {
                let name = p.rsplit('/').next().unwrap_or(&p).to_owned();
                context! { name => name, url => attachment_url(item, &p) }
            })
            .collect()
    }

    fn backlog(&self) -> Result<(String, String), Diagnostic> {
        let page_url = BACKLOG_URL;
        let html = self.template(
            "backlog.html",
            page_url,
            context! {
                site => self.site_value.clone(),
                root => url::root_prefix(page_url),
                page => context! {
                    url => page_url,
                    title => "Backlog",
                    backlog => ser(views::backlog(&self.index, page_url)),
                },
            },
        )?;
        Ok((url::output_file(page_url), html))
    }
}

/// Where a packet's printable page is published: below the packet's own page.
fn print_url(packet: &crate::model::Item) -> String {
    format!("{}print/", packet.url())
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

/// The highlighted source of an item, each line with an anchor (`#L12`, as GitHub
/// does, so that a finding's location can link to its line), or a note when it is too
/// large to show.
fn source_view(source: &str, lang: &str) -> String {
    source_view_with(source, lang, true)
}

/// The same without line anchors, for a page that shows several sources (a learner's
/// portfolios), where they would repeat ids.
fn source_view_with(source: &str, lang: &str, anchors: bool) -> String {
    if source.len() > SOURCE_VIEW_LIMIT {
        format!(
            "<span class=\"muted\">The source is {} KiB, too large to show here; it is in the site's evidence folder.</span>",
            source.len() / 1024
        )
    } else if anchors {
        line_anchors(&highlight::highlight(source, lang), source.lines().count())
    } else {
        highlight::highlight(source, lang)
    }
}

/// Highlighted HTML with an empty `<span id="Ln">` at the start of each line. The
/// highlighter keeps the source's line breaks, so each `\n` starts the next line, up
/// to the source's `lines`.
fn line_anchors(html: &str, lines_in_source: usize) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut n = 1;
    let _ = write!(out, "<span class=\"line-anchor\" id=\"L{n}\"></span>");
    let mut lines = html.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        if line.ends_with('\n') && lines.peek().is_some() && n < lines_in_source {
            n += 1;
            let _ = write!(out, "<span class=\"line-anchor\" id=\"L{n}\"></span>");
        }
    }
    out
}
