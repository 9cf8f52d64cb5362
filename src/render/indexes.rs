//! The pages that gather many things: home, a kind's list, the tags, the problems,
//! search, coverage, the backlog, the packets and controls indexes, and the 404 page.
//! Each is made as a [`Draft`]: what its template reads.

use super::pages::{Draft, PageRenderer};
use super::{BACKLOG_URL, context, learners, nav, ser, views};
use crate::model::{Item, Kind, url};
use minijinja::{Value, context};

impl PageRenderer<'_> {
    pub(super) fn home(&self) -> Draft<'_> {
        let page = context! {
            url => "",
            title => self.site_ctx.title.clone(),
            content => "",
            crumbs => ser(Vec::<nav::Crumb>::new()),
        };
        self.draft_of("index.html", "", page)
    }

    pub(super) fn not_found(&self) -> Draft<'_> {
        let page = context! {
            url => "404.html",
            title => "Page not found",
            crumbs => ser(nav::crumbs([("Page not found", "")])),
        };
        self.draft_of("404.html", "404.html", page).at("404.html")
    }

    /// A site-wide page whose template reads one view (`page.view`).
    pub(super) fn simple(
        &self,
        template: &'static str,
        page_url: &str,
        title: &str,
        view: Value,
    ) -> Draft<'_> {
        let page = context! {
            url => page_url,
            title => title,
            view => view,
            crumbs => ser(nav::crumbs([(title, page_url)])),
        };
        self.draft_of(template, page_url, page)
    }

    pub(super) fn coverage(&self) -> Draft<'_> {
        let page_url = url::COVERAGE_URL;
        let page = context! {
            url => page_url,
            title => "Coverage",
            crumbs => ser(nav::crumbs([("Coverage", page_url)])),
            coverage => ser(learners::coverage(self.index, self.index.coverage, page_url)),
        };
        self.draft_of("coverage.html", page_url, page)
    }

    pub(super) fn backlog(&self) -> Draft<'_> {
        let page_url = BACKLOG_URL;
        let page = context! {
            url => page_url,
            title => "Backlog",
            crumbs => ser(nav::crumbs([("Backlog", page_url)])),
            backlog => ser(views::backlog(self.index, page_url)),
        };
        self.draft_of("backlog.html", page_url, page)
    }

    pub(super) fn kind_list(&self, kind: Kind, n: usize) -> Draft<'_> {
        let base = url::kind_url(kind);
        let page_url = nav::paged_url(&base, n);
        let (items, total) = self.kind_entries(kind, n);
        let title = kind.plural_label();
        let page = context! {
            url => page_url.clone(),
            title => title,
            kind => kind.name(),
            items => ser(items),
            has_status => nav::has_status(kind),
            pager => ser(nav::Pager::new(&base, n, total)),
            crumbs => ser(nav::crumbs([(title, base.as_str())])),
        };
        self.draft_of("list.html", &page_url, page)
    }

    /// Page `n` of the list of `kind`: its entries, and how many items the kind has.
    pub(super) fn kind_entries(&self, kind: Kind, n: usize) -> (Vec<nav::ListEntry<'_>>, usize) {
        let all: &[&Item] = self.kind_items.get(&kind).map_or(&[], Vec::as_slice);
        let items = nav::page_slice(all, n)
            .iter()
            .map(|i| {
                let (status, status_text) = nav::status(i, self.graph, self.today);
                nav::ListEntry {
                    id: &i.header.id,
                    title: &i.header.title,
                    url: nav::item_page_url(i, self.learner_of),
                    owner: i.header.owner.as_deref(),
                    updated: i.header.updated.map(|d| d.to_string()),
                    tags: nav::tag_links(&i.header.tags),
                    status,
                    status_text,
                    warnings: context::of_file(self.diags, &i.file).len(),
                }
            })
            .collect();
        (items, all.len())
    }

    pub(super) fn problems(&self, n: usize) -> Draft<'_> {
        let base = nav::PROBLEMS_URL;
        let page_url = nav::paged_url(base, n);
        let errors = self
            .diags
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .count();
        let page = context! {
            url => page_url.clone(),
            title => "Problems",
            errors => errors,
            warnings => self.diags.len() - errors,
            problems => ser(nav::problems(nav::page_slice(self.diags, n), self.pages_by_file)),
            pager => ser(nav::Pager::new(base, n, self.diags.len())),
            crumbs => ser(nav::crumbs([("Problems", base)])),
        };
        self.draft_of("problems.html", &page_url, page)
    }

    pub(super) fn tags_index(&self, n: usize) -> Draft<'_> {
        let base = nav::TAGS_URL;
        let page_url = nav::paged_url(base, n);
        let all: Vec<(&String, &nav::Tag<'_>)> = self.tags.iter().collect();
        let tags: Vec<nav::TagSummary<'_>> = nav::page_slice(&all, n)
            .iter()
            .map(|(slug, t)| nav::TagSummary {
                name: t.name,
                url: nav::tag_url(slug),
                count: t.entries.len(),
            })
            .collect();
        let page = context! {
            url => page_url.clone(),
            title => "Tags",
            tags => ser(tags),
            pager => ser(nav::Pager::new(base, n, all.len())),
            crumbs => ser(nav::crumbs([("Tags", base)])),
        };
        self.draft_of("tags.html", &page_url, page)
    }

    pub(super) fn tag(&self, slug: &str, n: usize) -> Draft<'_> {
        let base = nav::tag_url(slug);
        let page_url = nav::paged_url(&base, n);
        let (name, entries) = self
            .tags
            .get(slug)
            .map_or(("", &[][..]), |t| (t.name, t.entries.as_slice()));
        let title = format!("Tagged \u{201c}{name}\u{201d}");
        let page = context! {
            url => page_url.clone(),
            title => title,
            tag => name,
            entries => ser(nav::page_slice(entries, n)),
            pager => ser(nav::Pager::new(&base, n, entries.len())),
            crumbs => ser(nav::crumbs([("Tags", nav::TAGS_URL), (name, base.as_str())])),
        };
        self.draft_of("tag.html", &page_url, page)
    }

    pub(super) fn search(&self) -> Draft<'_> {
        let page_url = crate::search::SEARCH_URL;
        // The kinds a reader can narrow results to: those the site has pages of.
        let mut kinds: Vec<&str> = vec!["Content page"];
        kinds.extend(
            Kind::ALL
                .iter()
                .filter(|k| self.kind_items.contains_key(k))
                .filter(|k| !(**k == Kind::Portfolio && self.features.learners))
                .map(|k| k.label()),
        );
        if self.features.learners && !self.index.coverage.learners.is_empty() {
            kinds.push("Learner");
        }
        if self.features.controls && self.kind_items.contains_key(&Kind::Catalog) {
            kinds.push("Control");
        }
        if !self.tags.is_empty() {
            kinds.push("Tag");
        }
        kinds.push("Index");
        let page = context! {
            url => page_url,
            title => "Search",
            kinds => kinds,
            bundle => crate::search::BUNDLE_DIR,
            crumbs => ser(nav::crumbs([("Search", page_url)])),
        };
        self.draft_of("search.html", page_url, page)
    }
}
