//! What a build renders: the theme's optional pages it has templates for, the site-wide
//! indexes every page is made from, and the list of jobs, one per page.

use super::context::{self, SiteCtx, site_ctx};
use super::{Theme, nav, views};
use crate::diag::Diagnostic;
use crate::link::Graph;
use crate::model::{Item, Kind, Site, url};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// What a render reads: the checked, linked site, how to show it, and the date it is
/// shown against. Why one value: every step of a render reads most of it.
#[derive(Clone, Copy)]
pub(super) struct Input<'a> {
    pub(super) site: &'a Site,
    pub(super) graph: &'a Graph,
    pub(super) theme: &'a Theme,
    /// The warnings to show on the pages they concern.
    pub(super) diags: &'a [Diagnostic],
    pub(super) coverage: &'a crate::coverage::Coverage,
    /// The date expiries and due dates are shown against (the build's `--today`).
    pub(super) today: jiff::civil::Date,
}

/// One page to render: what and where.
pub(super) enum Job<'a> {
    Home,
    Page(&'a crate::model::Page),
    Item(&'a Item),
    Learner(&'a crate::coverage::Learner),
    Coverage,
    /// Page `n` (from 1) of a kind's list.
    KindList(Kind, usize),
    Backlog,
    Problems(usize),
    TagsIndex(usize),
    /// Page `n` of the tag with this slug.
    Tag(&'a str, usize),
    Search,
    PacketsIndex,
    ControlsIndex,
    Control(&'a Item, &'a crate::model::kinds::catalog::Control),
    NotFound,
    /// A packet's printable page, from the print theme.
    PacketPrint(&'a Item, &'a Theme),
}

/// The theme's optional pages that this build renders (themes written before a page was
/// added have no template for it).
pub(super) struct Features {
    pub(super) backlog: bool,
    pub(super) coverage: bool,
    pub(super) packets: bool,
    pub(super) controls: bool,
    pub(super) learners: bool,
    pub(super) problems: bool,
    pub(super) tags: bool,
    pub(super) search: bool,
}

impl Features {
    /// The pages `theme` can render for `site`.
    pub(super) fn of(site: &Site, theme: &Theme) -> Features {
        Features {
            backlog: theme.has_template("backlog.html"),
            coverage: theme.has_template("coverage.html"),
            packets: theme.has_template("packets.html"),
            controls: theme.has_template("controls.html") && theme.has_template("control.html"),
            learners: theme.has_template("learner.html"),
            problems: theme.has_template("problems.html"),
            tags: theme.has_template("tags.html") && theme.has_template("tag.html"),
            search: site
                .config
                .search
                .wanted(site.pages.len() + site.items.len())
                && theme.has_template("search.html"),
        }
    }
}

/// What every page of a build is made from, made once from the whole site.
pub(super) struct Plan<'a> {
    pub(super) features: Features,
    /// The site as every page sees it (navigation, title, counts).
    pub(super) site_ctx: SiteCtx,
    /// Portfolio id -> the learner page that shows it.
    pub(super) learner_of: HashMap<&'a str, String>,
    /// Tag slug -> what carries it.
    pub(super) tags: BTreeMap<String, nav::Tag<'a>>,
    /// Items of each kind (by title once [`Plan::sort_lists`] has run).
    pub(super) kind_items: HashMap<Kind, Vec<&'a Item>>,
    /// What views read of the whole site.
    pub(super) index: views::Index<'a>,
    /// Source file -> (URL, title) of the page that shows it.
    pub(super) pages_by_file: HashMap<&'a str, (String, &'a str)>,
}

impl<'a> Plan<'a> {
    /// The plan of the site `input` renders.
    pub(super) fn new(input: Input<'a>) -> Plan<'a> {
        let Input {
            site,
            graph,
            theme,
            diags,
            coverage,
            today,
        } = input;
        let features = Features::of(site, theme);
        let learner_of = learner_of(coverage, &features);
        // The site-wide indexes, each made from the whole site, are made side by side.
        let (tags, (kind_items, (index, pages_by_file))) = rayon::join(
            || {
                if features.tags {
                    nav::tags(site, &learner_of)
                } else {
                    BTreeMap::new()
                }
            },
            || {
                rayon::join(
                    || by_kind(site),
                    || {
                        rayon::join(
                            || views::Index::new(site, graph, coverage, today),
                            || nav::pages_by_file(site, &learner_of),
                        )
                    },
                )
            },
        );
        let site_ctx = navigation(site, &features, !tags.is_empty(), !diags.is_empty());
        Plan {
            features,
            site_ctx,
            learner_of,
            tags,
            kind_items,
            index,
            pages_by_file,
        }
    }

    /// Sorts each kind's items by title, as their lists show them. Why apart from
    /// [`Plan::new`]: a rebuild that must start over does not need it.
    pub(super) fn sort_lists(&mut self) {
        for list in self.kind_items.values_mut() {
            list.par_sort_by(|a, b| {
                (&a.header.title, &a.header.id).cmp(&(&b.header.title, &b.header.id))
            });
        }
    }

    /// Every page of the build, in the order they are handed to the pool.
    pub(super) fn jobs<'s>(&'s self, input: Input<'a>) -> Vec<Job<'s>>
    where
        'a: 's,
    {
        let Input {
            site,
            coverage,
            diags,
            theme,
            ..
        } = input;
        let features = &self.features;
        let mut jobs: Vec<Job<'s>> = Vec::new();
        if !site.pages.iter().any(|p| p.url.is_empty()) {
            jobs.push(Job::Home);
        }
        jobs.extend(site.pages.iter().map(Job::Page));
        jobs.extend(
            site.items
                .iter()
                .filter(|i| !self.learner_of.contains_key(i.header.id.as_str()))
                .map(Job::Item),
        );
        if features.learners {
            jobs.extend(coverage.learners.iter().map(Job::Learner));
        }
        if features.coverage {
            jobs.push(Job::Coverage);
        }
        for kind in Kind::PAGES {
            let n = self.kind_items.get(&kind).map_or(0, Vec::len);
            jobs.extend((1..=nav::page_count(n)).map(|p| Job::KindList(kind, p)));
        }
        if features.backlog {
            jobs.push(Job::Backlog);
        }
        if features.packets {
            jobs.push(Job::PacketsIndex);
        }
        if features.controls {
            jobs.push(Job::ControlsIndex);
            for item in &site.items {
                if let crate::model::kinds::Body::Catalog(c) = &item.body {
                    jobs.extend(c.controls.iter().map(|x| Job::Control(item, x)));
                }
            }
        }
        if features.problems {
            jobs.extend((1..=nav::page_count(diags.len())).map(Job::Problems));
        }
        if !self.tags.is_empty() {
            jobs.extend((1..=nav::page_count(self.tags.len())).map(Job::TagsIndex));
            for (slug, tag) in &self.tags {
                jobs.extend((1..=nav::page_count(tag.entries.len())).map(|n| Job::Tag(slug, n)));
            }
        }
        if features.search {
            jobs.push(Job::Search);
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
        jobs
    }
}

/// Portfolios are shown on their learner's page, when the theme has one: portfolio id ->
/// that page's URL.
fn learner_of<'a>(
    coverage: &'a crate::coverage::Coverage,
    features: &Features,
) -> HashMap<&'a str, String> {
    if !features.learners {
        return HashMap::new();
    }
    coverage
        .learners
        .iter()
        .flat_map(|l| {
            let u = url::learner_url(&l.handle);
            l.portfolios.iter().map(move |p| (p.as_str(), u.clone()))
        })
        .collect()
}

/// The site's items by kind, in the site's order.
fn by_kind(site: &Site) -> HashMap<Kind, Vec<&Item>> {
    let mut kind_items: HashMap<Kind, Vec<&Item>> = HashMap::new();
    for item in &site.items {
        kind_items.entry(item.header.kind).or_default().push(item);
    }
    kind_items
}

/// The site as every page sees it, with the navigation this build's pages need.
fn navigation(site: &Site, features: &Features, tags: bool, diags: bool) -> SiteCtx {
    let mut site_ctx = site_ctx(site, features.backlog, features.coverage);
    // Packets and catalogs are reached through their indexes, when the theme has them.
    for link in &mut site_ctx.nav {
        if features.packets && link.url == url::kind_url(Kind::Packet) {
            link.url = url::PACKETS_URL.to_owned();
        } else if features.controls && link.url == url::kind_url(Kind::Catalog) {
            link.url = url::CONTROLS_URL.to_owned();
        }
    }
    for (on, title, link, section) in [
        (tags, "Tags", nav::TAGS_URL, "tags"),
        (
            features.problems && diags,
            "Problems",
            nav::PROBLEMS_URL,
            "problems",
        ),
        (
            features.search,
            "Search",
            crate::search::SEARCH_URL,
            "search",
        ),
    ] {
        if on {
            site_ctx.nav.push(context::NavLink {
                title: title.to_owned(),
                url: link.to_owned(),
                section,
            });
        }
    }
    site_ctx.feed = site.config.base_url.is_some();
    site_ctx
}
