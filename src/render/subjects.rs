//! The pages about one subject: a content page, an item (and a packet's printable
//! page), a control of a catalog, a learner. Each is made as a [`Draft`]: what its
//! template reads.

use super::context::{diags_for, fields, links};
use super::pages::{Draft, PageRenderer};
use super::{
    Theme, attachment_url, digests, highlight, learners, markdown, nav, ser, theme, views,
};
use crate::diag::Diagnostic;
use crate::model::kinds::catalog::Control;
use crate::model::{Item, Kind, Page, url};
use minijinja::{Value, context};
use std::borrow::Cow;
use std::fmt::Write as _;

impl PageRenderer<'_> {
    pub(super) fn page(&self, page: &Page) -> Result<Draft<'_>, Diagnostic> {
        let content = markdown::to_html(&page.body, &self.site.registry, &page.url);
        let template = match &page.front.template {
            Some(t) if self.theme.has_template(t) => Cow::Owned(t.clone()),
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
            None if page.url.is_empty() => Cow::Borrowed("index.html"),
            None => Cow::Borrowed("page.html"),
        };
        let ctx = context! {
            id => page.id.clone(),
            url => page.url.clone(),
            title => page.title.clone(),
            file => page.file.clone(),
            date => page.front.date.map(|d| d.to_string()),
            tags => page.front.tags.clone(),
            tag_links => ser(nav::tag_links(&page.front.tags)),
            crumbs => ser(self.page_crumbs(page)),
            content => content.clone(),
            outgoing => ser(links(&self.site.registry, self.graph.outgoing(&page.id))),
            backlinks => ser(links(&self.site.registry, self.graph.backlinks(&page.id))),
            diagnostics => ser(diags_for(self.diags, &page.file)),
        };
        let theme_name = self.site.config.theme.as_str();
        Ok(self
            .draft_in(self.theme, theme_name, template, &page.url, ctx)
            .with_content(content))
    }

    /// Home, then each parent folder that is a content page, then the page.
    fn page_crumbs(&self, page: &Page) -> Vec<nav::Crumb> {
        if page.url.is_empty() {
            // The home page is where every trail starts.
            return Vec::new();
        }
        let mut steps: Vec<(&str, &str)> = Vec::new();
        let mut end = 0;
        while let Some(i) = page.url[end..].find('/') {
            end += i + 1;
            let parent = &page.url[..end];
            if parent == page.url {
                break;
            }
            if let Some(t) = self.page_titles.get(parent) {
                steps.push((t, parent));
            }
        }
        steps.push((&page.title, &page.url));
        nav::crumbs(steps)
    }

    pub(super) fn item(&self, item: &Item) -> Draft<'_> {
        let page_url = item.url();
        self.draft_of("item.html", &page_url, self.item_page(item, &page_url))
    }

    /// Where the list of an item's kind is: the packets and controls indexes stand in
    /// for their kinds' plain lists when the theme has them.
    fn kind_index(&self, kind: Kind) -> (String, &'static str) {
        match kind {
            Kind::Packet if self.features.packets => (url::PACKETS_URL.to_owned(), "Packets"),
            Kind::Catalog if self.features.controls => (url::CONTROLS_URL.to_owned(), "Controls"),
            _ => (url::kind_url(kind), kind.plural_label()),
        }
    }

    /// What an item's page shows, linked from `page_url`: the item page and a packet's
    /// print page share it, so both engines see the same fields.
    fn item_page(&self, item: &Item, page_url: &str) -> Value {
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
            tag_links => ser(nav::tag_links(&h.tags)),
            crumbs => {
                let (list, label) = self.kind_index(h.kind);
                ser(nav::crumbs([(label, list.as_str()), (h.id.as_str(), page_url)]))
            },
            updated => h.updated.map(|d| d.to_string()),
            file => item.file.clone(),
            fields => ser(fields(item, &self.site.registry)),
            body => ser(&item.body),
            view => ser(views::view(self.index, item, page_url)),
            source => source_view(source, lang),
            attachments => attachments,
            evidence_digests => ser(digests::packet_digests(self.site, item, page_url)),
            outgoing => ser(links(&self.site.registry, self.graph.outgoing(&h.id))),
            backlinks => ser(links(&self.site.registry, self.graph.backlinks(&h.id))),
            used_in => ser(views::used_in(self.index, &h.id, page_url)),
            diagnostics => ser(diags_for(self.diags, &item.file)),
            print_url => print_url,
        }
    }

    /// An item's attachments, linked where they are published.
    fn attachments(&self, item: &Item) -> Vec<Value> {
        item.header
            .attachments
            .iter()
            .filter_map(|a| crate::model::url::attachment_path(&item.file, a))
            .map(|p| {
                let name = p.rsplit('/').next().unwrap_or(&p).to_owned();
                context! { name => name, url => attachment_url(item, &p) }
            })
            .collect()
    }

    /// A packet's printable page: the item page's context, plus each evidence item's
    /// key facts, rendered by the print theme.
    pub(super) fn packet_print<'t>(&'t self, item: &Item, print: &'t Theme) -> Draft<'t> {
        let page_url = print_url(item);
        let page = context! {
            packet_url => url::href(&page_url, item.url_str()),
            evidence_facts => ser(views::evidence_facts(self.index, &item.header.id, &page_url)),
            ..self.item_page(item, &page_url)
        };
        self.draft_in(
            print,
            theme::PRINT_THEME,
            Cow::Borrowed("packet.html"),
            &page_url,
            page,
        )
    }

    pub(super) fn control(&self, item: &Item, control: &Control) -> Draft<'_> {
        let id = control.id.value.trim();
        let page_url = url::control_url(&item.header.id, id);
        let title = control_title(control);
        let page = context! {
            url => page_url.clone(),
            title => title,
            crumbs => ser(nav::crumbs([
                ("Controls", url::CONTROLS_URL),
                (item.header.title.as_str(), item.url().as_str()),
                (id, page_url.as_str()),
            ])),
            controls_url => url::CONTROLS_URL,
            view => ser(views::control_page(self.index, item, control, &page_url)),
        };
        self.draft_of("control.html", &page_url, page)
    }

    pub(super) fn learner(&self, learner: &crate::coverage::Learner) -> Draft<'_> {
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
                    facts => ser(learners::portfolio_block(self.index, item, &page_url)),
                    view => ser(views::view(self.index, item, &page_url)),
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
        let page = context! {
            url => page_url.clone(),
            title => learner.display_name(),
            crumbs => ser(if self.features.coverage {
                nav::crumbs([("Coverage", url::COVERAGE_URL), (learner.handle.as_str(), page_url.as_str())])
            } else {
                nav::crumbs([(learner.handle.as_str(), page_url.as_str())])
            }),
            coverage_url => url::COVERAGE_URL,
            learner => ser(learners::learner(self.index, learner, &page_url)),
            portfolios => portfolios,
            backlinks => ser(backlinks),
        };
        self.draft_of("learner.html", &page_url, page)
    }
}

/// A control's title as its page and the search index show it: its id, and its title
/// when it has one.
pub(super) fn control_title(control: &Control) -> String {
    let id = control.id.value.trim();
    match &control.title {
        Some(t) => format!("{id}: {}", t.value.trim()),
        None => id.to_owned(),
    }
}

/// Where a packet's printable page is published: below the packet's own page.
fn print_url(packet: &Item) -> String {
    format!("{}print/", packet.url())
}

/// The highlighted source of an item, each line with an anchor (`#L12`, as GitHub
/// does, so that a finding's location can link to its line), or a note when it is too
/// large to show.
fn source_view(source: &str, lang: &str) -> String {
    source_view_with(source, lang, true)
}

/// The same without line anchors, for a page that shows several sources (a learner's
/// portfolios), where they would repeat ids.
fn source_view_with(source: &str, lang: &str, anchors: bool) -> String {
    if source.len() > super::SOURCE_VIEW_LIMIT {
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
