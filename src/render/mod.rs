//! Render: turns the checked, linked site into files (HTML pages, stylesheets, copied
//! assets). Pages render in parallel and are handed to a sink as they are made, so a
//! large site is never held in memory whole.

pub mod charts;
mod context;
mod digests;
pub mod engine;
mod feeds;
pub mod highlight;
mod learners;
mod locations;
pub mod markdown;
mod nav;
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
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Mutex;

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

/// What a rebuild that renders only some pages knows of the last build written (serve).
/// Why: one saved file must not re-render 20,000 pages. A page of one thing (a content
/// page, or an item that is not a packet or catalog) is rendered again only when it is
/// in `entities`, which the caller fills from the link graph; every other page (lists,
/// tags, packets, catalogs, controls, learners, home) has its template context hashed,
/// and is rendered again only when the hash differs from the last build's.
#[derive(Debug)]
pub struct Since<'a> {
    /// Ids of the pages and items whose pages must be rendered again.
    pub entities: &'a std::collections::HashSet<String>,
    /// The context hash of every hashed page of the last build, by page URL.
    pub hashes: &'a HashMap<String, u64>,
    /// The search records of the last build, by output path (when it had search).
    pub records: &'a HashMap<String, crate::search::Record>,
    /// [`Report::shape`] of the last build.
    pub shape: (u64, u64),
    /// Whether the theme may show the per-kind counts on any page (a site's own theme):
    /// then a changed count renders everything. The built-in theme shows them on the
    /// home page only, which is hashed.
    pub counts_everywhere: bool,
}

/// What a render did, for the next one that renders only what changed.
#[derive(Debug, Default)]
pub struct Report {
    /// Every page's output path, rendered this time or not.
    pub pages: Vec<String>,
    /// How many pages were rendered (the rest were as in the last build).
    pub rendered: usize,
    /// The context hash of every hashed page, by page URL (empty unless asked for).
    pub hashes: HashMap<String, u64>,
    /// Every page's search record, by output path (empty unless asked for and the site
    /// has search).
    pub records: HashMap<String, crate::search::Record>,
    /// Hashes of what every page shows (navigation, title, where portfolios are shown),
    /// and of the per-kind counts.
    pub shape: (u64, u64),
    /// Nothing was rendered: what every page shows changed since [`Since`]'s build, so
    /// the caller must render everything.
    pub restart: bool,
}

/// Returned by a template in place of HTML when the page's context is the last build's.
const UNCHANGED: &str = "\u{0}evidentia: unchanged\u{0}";

/// One page to render: what and where.
enum Job<'a> {
    Home,
    Page(&'a crate::model::Page),
    Item(&'a crate::model::Item),
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
    Control(
        &'a crate::model::Item,
        &'a crate::model::kinds::catalog::Control,
    ),
    NotFound,
    /// A packet's printable page, from the print theme.
    PacketPrint(&'a crate::model::Item, &'a Theme),
}

/// A rendered page: where it goes, its HTML, and what the search index learns of it.
struct Rendered {
    path: String,
    html: String,
    record: Option<crate::search::Record>,
}

/// The theme's optional pages that this build renders (themes written before a page was
/// added have no template for it).
struct Features {
    backlog: bool,
    coverage: bool,
    packets: bool,
    controls: bool,
    learners: bool,
    problems: bool,
    tags: bool,
    search: bool,
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
    incremental: Option<&Since<'_>>,
    remember: bool,
    sink: &(dyn Fn(Artifact<'_>) -> Result<(), E> + Sync),
) -> Result<Report, RenderError<E>> {
    let features = Features {
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
    };
    let mut site_ctx = site_ctx(site, features.backlog, features.coverage);
    // Packets and catalogs are reached through their indexes, when the theme has them.
    for link in &mut site_ctx.nav {
        if features.packets && link.url == url::kind_url(Kind::Packet) {
            link.url = url::PACKETS_URL.to_owned();
        } else if features.controls && link.url == url::kind_url(Kind::Catalog) {
            link.url = url::CONTROLS_URL.to_owned();
        }
    }
    // Portfolios are shown on their learner's page, when the theme has one.
    let learner_of: HashMap<&str, String> = if features.learners {
        coverage
            .learners
            .iter()
            .flat_map(|l| {
                let u = url::learner_url(&l.handle);
                l.portfolios.iter().map(move |p| (p.as_str(), u.clone()))
            })
            .collect()
    } else {
        HashMap::new()
    };
    // The site-wide indexes, each made from the whole site, are made side by side.
    let (tags, (mut kind_items, (index, pages_by_file))) = rayon::join(
        || {
            if features.tags {
                nav::tags(site, &learner_of)
            } else {
                BTreeMap::new()
            }
        },
        || {
            rayon::join(
                || {
                    let mut kind_items: HashMap<Kind, Vec<&crate::model::Item>> = HashMap::new();
                    for item in &site.items {
                        kind_items.entry(item.header.kind).or_default().push(item);
                    }
                    kind_items
                },
                || {
                    rayon::join(
                        || views::Index::new(site, graph, coverage, today),
                        || nav::pages_by_file(site, &learner_of),
                    )
                },
            )
        },
    );
    for (on, title, link, section) in [
        (!tags.is_empty(), "Tags", nav::TAGS_URL, "tags"),
        (
            features.problems && !diags.is_empty(),
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
    let site_value = ser(&site_ctx);
    let mut portfolios: Vec<(&&str, &String)> = learner_of.iter().collect();
    portfolios.sort();
    let shape = (
        hash_of(&(
            &site_ctx.title,
            &site_ctx.base_url,
            &site_ctx.generator,
            &site_ctx.nav,
            site_ctx.feed,
            portfolios,
        )),
        hash_of(&site_ctx.kinds),
    );
    if let Some(since) = incremental {
        // What every page shows changed: nothing can be kept.
        let counts_changed = since.counts_everywhere && since.shape.1 != shape.1;
        if since.shape.0 != shape.0 || counts_changed {
            return Ok(Report {
                shape,
                restart: true,
                ..Report::default()
            });
        }
    }
    for list in kind_items.values_mut() {
        list.par_sort_by(|a, b| {
            (&a.header.title, &a.header.id).cmp(&(&b.header.title, &b.header.id))
        });
    }
    let mut jobs: Vec<Job<'_>> = Vec::new();
    if !site.pages.iter().any(|p| p.url.is_empty()) {
        jobs.push(Job::Home);
    }
    jobs.extend(site.pages.iter().map(Job::Page));
    jobs.extend(
        site.items
            .iter()
            .filter(|i| !learner_of.contains_key(i.header.id.as_str()))
            .map(Job::Item),
    );
    if features.learners {
        jobs.extend(coverage.learners.iter().map(Job::Learner));
    }
    if features.coverage {
        jobs.push(Job::Coverage);
    }
    for kind in Kind::PAGES {
        let n = kind_items.get(&kind).map_or(0, Vec::len);
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
    if !tags.is_empty() {
        jobs.extend((1..=nav::page_count(tags.len())).map(Job::TagsIndex));
        for (slug, tag) in &tags {
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

    let mut renderer = PageRenderer {
        site,
        graph,
        theme,
        diags,
        site_ctx: &site_ctx,
        site_hash: hash_of(&site_value),
        site_value,
        index,
        features: &features,
        learner_of: &learner_of,
        kind_items: &kind_items,
        tags: &tags,
        pages_by_file,
        page_titles: site
            .pages
            .iter()
            .map(|p| (p.url.as_str(), p.title.as_str()))
            .collect(),
        today,
        incremental,
        hashes: remember.then(|| Mutex::new(HashMap::new())),
    };
    let records = Mutex::new(Vec::new());
    let text_limit = crate::search::text_limit(jobs.len());
    let results: Vec<Result<(String, bool), RenderError<E>>> = jobs
        .par_iter()
        .map(|job| {
            if let Some(path) = skipped(job, incremental) {
                return Ok((path, false));
            }
            let page = renderer
                .job(job)
                .map_err(|d| RenderError::Diagnostics(vec![d]))?;
            if page.html == UNCHANGED {
                return Ok((page.path, false));
            }
            if features.search
                && let Some(mut r) = page.record
                && let Ok(mut records) = records.lock()
            {
                r.truncate(text_limit);
                records.push(r);
            }
            sink(Artifact::Bytes {
                path: page.path.clone(),
                bytes: Cow::Owned(page.html.into_bytes()),
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

    let css = highlight::stylesheet();
    let mut files: Vec<Artifact<'_>> = vec![Artifact::Bytes {
        path: "static/syntax.css".to_owned(),
        bytes: Cow::Owned(css.into_bytes()),
    }];
    let mut report = Report {
        rendered,
        shape,
        hashes: renderer
            .hashes
            .take()
            .map(|h| h.into_inner().unwrap_or_else(|e| e.into_inner()))
            .unwrap_or_default(),
        ..Report::default()
    };
    if features.search {
        let mut records = records.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(since) = incremental {
            // A page not rendered again has the record it had.
            let fresh: std::collections::HashSet<String> =
                records.iter().map(|r| r.url.clone()).collect();
            records.extend(
                written
                    .iter()
                    .filter(|p| !fresh.contains(p.as_str()))
                    .filter_map(|p| since.records.get(p.as_str()).cloned()),
            );
            records.sort_by(|a, b| a.url.cmp(&b.url));
        }
        if remember {
            report.records = records.iter().map(|r| (r.url.clone(), r.clone())).collect();
        }
        let bundle = crate::search::build(records).map_err(|e| {
            RenderError::Diagnostics(vec![
                Diagnostic::error("E0613", crate::search::BUNDLE_DIR, e.to_string())
                    .with_help("see `evidentia explain E0613`; `[search] enabled = false` in site.toml builds the site without search"),
            ])
        })?;
        files.extend(bundle.into_iter().map(|f| Artifact::Bytes {
            path: f.path,
            bytes: Cow::Owned(f.bytes),
        }));
    }
    if let Some(base) = &site.config.base_url {
        let mut urls: Vec<String> = written
            .iter()
            .filter_map(|p| p.strip_suffix("index.html"))
            .map(str::to_owned)
            .collect();
        urls.sort();
        for (path, xml) in feeds::sitemaps(base, &urls) {
            files.push(Artifact::Bytes {
                path,
                bytes: Cow::Owned(xml.into_bytes()),
            });
        }
        let entries = site
            .items
            .iter()
            .filter_map(|i| {
                Some(feeds::FeedEntry {
                    title: &i.header.title,
                    url: nav::item_page_url(i, &learner_of),
                    updated: i.header.updated?,
                    kind: i.header.kind.label(),
                    owner: i.header.owner.as_deref(),
                })
            })
            .collect();
        files.push(Artifact::Bytes {
            path: "atom.xml".to_owned(),
            bytes: Cow::Owned(feeds::atom(&site.config.title, base, entries).into_bytes()),
        });
    }
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
        .try_for_each(|a| sink(a).map_err(RenderError::Sink))?;
    report.pages = written;
    Ok(report)
}

struct PageRenderer<'a> {
    site: &'a Site,
    graph: &'a Graph,
    theme: &'a Theme,
    diags: &'a [Diagnostic],
    site_ctx: &'a SiteCtx,
    site_value: Value,
    /// [`hash_of`] the site value, for list keys.
    site_hash: u64,
    index: views::Index<'a>,
    features: &'a Features,
    /// Portfolio id -> the learner page that shows it.
    learner_of: &'a HashMap<&'a str, String>,
    /// Items of each kind, by title.
    kind_items: &'a HashMap<Kind, Vec<&'a crate::model::Item>>,
    tags: &'a BTreeMap<String, nav::Tag<'a>>,
    /// Source file -> (URL, title) of the page that shows it.
    pages_by_file: HashMap<&'a str, (String, &'a str)>,
    /// Content page URL -> title, for breadcrumbs through parent pages.
    page_titles: HashMap<&'a str, &'a str>,
    today: jiff::civil::Date,
    incremental: Option<&'a Since<'a>>,
    /// Context hashes of the pages rendered, when the caller keeps them.
    hashes: Option<Mutex<HashMap<String, u64>>>,
}

/// Whether a page shows one thing only (and what links to it or from it), so that
/// [`Since::entities`] decides whether it is rendered again. Packets and catalogs show
/// what other packets inherit and cover, far along the graph: their contexts are hashed.
fn single<'a>(job: &Job<'a>) -> Option<(&'a str, &'a str)> {
    match job {
        // The home page shows the per-kind counts.
        Job::Page(p) if !p.url.is_empty() => Some((p.id.as_str(), p.url.as_str())),
        Job::Item(i) if !matches!(i.header.kind, Kind::Packet | Kind::Catalog) => {
            Some((i.header.id.as_str(), i.url_str()))
        }
        _ => None,
    }
}

/// The output path of `job` when it is a page about one thing that the change since the
/// last build does not reach: it is not rendered again. Why apart from
/// [`PageRenderer::job`]: after a small change this is 20,000 of 20,000 jobs, and each
/// costs only a lookup and its path.
fn skipped(job: &Job<'_>, since: Option<&Since<'_>>) -> Option<String> {
    let since = since?;
    let (id, page_url) = single(job)?;
    (!since.entities.contains(id)).then(|| url::output_file(page_url))
}

thread_local! {
    /// Whether the page this thread renders has its context hashed (set per job; a job
    /// runs on one thread from start to end).
    static HASHED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A hash of anything serialisable (a template context: equal contexts render equal
/// pages). A value that cannot be serialised gets a number never given before, so a page
/// whose context cannot be compared is always rendered.
fn hash_of<T: serde::Serialize + ?Sized>(value: &T) -> u64 {
    struct Hashing(std::hash::DefaultHasher);
    impl std::io::Write for Hashing {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            std::hash::Hasher::write(&mut self.0, buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Hashing(std::hash::DefaultHasher::new());
    if serde_json::to_writer(&mut h, value).is_err() {
        static UNCOMPARABLE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        return UNCOMPARABLE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            ^ 0xA5A5_5A5A_DEAD_BEEF;
    }
    std::hash::Hasher::finish(&h.0)
}

/// A list page's URL and its key ([`PageRenderer::list_key`]).
struct ListKey {
    url: String,
    key: u64,
    /// The page shows something the rebuild changed: it is rendered whatever its key.
    touched: bool,
}

impl ListKey {
    fn new(url: String, key: u64, touched: bool) -> ListKey {
        ListKey { url, key, touched }
    }
}

/// A hash of plain values (ids, numbers), cheaper than [`hash_of`]'s serialisation.
fn quick_hash<T: std::hash::Hash>(value: &T) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::hash::DefaultHasher>::default().hash_one(value)
}

impl PageRenderer<'_> {
    fn job(&self, job: &Job<'_>) -> Result<Rendered, Diagnostic> {
        use crate::search::{Record, text};
        HASHED.set(self.hashes.is_some() && single(job).is_none());
        if let Some(hashes) = &self.hashes
            && let Some(ListKey { url, key, touched }) = self.list_key(job)
        {
            // The key stands for the context: the template is not hashed again.
            HASHED.set(false);
            let same = !touched
                && self
                    .incremental
                    .and_then(|since| since.hashes.get(&url))
                    .is_some_and(|h| *h == key);
            if let Ok(mut hashes) = hashes.lock() {
                hashes.insert(url.clone(), key);
            }
            if same {
                return Ok(Rendered {
                    path: url::output_file(&url),
                    html: UNCHANGED.to_owned(),
                    record: None,
                });
            }
        }
        let index_only = |url: &str, title: &str| {
            Some(Record::new(
                url::output_file(url),
                title.to_owned(),
                "Index",
                title.to_owned(),
            ))
        };
        let (path, html, record) = match job {
            Job::Home => {
                let (p, h) = self.home()?;
                (p, h, None)
            }
            Job::Page(page) => {
                let (p, h, content) = self.page(page)?;
                // The text is only for the search index.
                let record = self.features.search.then(|| {
                    Record::new(
                        url::output_file(&page.url),
                        page.title.clone(),
                        "Content page",
                        text::strip_tags(&content),
                    )
                });
                (p, h, record)
            }
            Job::Item(i) => {
                let (p, h) = self.item(i)?;
                (p, h, self.features.search.then(|| self.item_record(i)))
            }
            Job::Learner(l) => {
                let (p, h) = self.learner(l)?;
                let record = Record::new(
                    url::output_file(&url::learner_url(&l.handle)),
                    l.display_name().to_owned(),
                    "Learner",
                    format!("{} {}", l.display_name(), l.handle),
                );
                (p, h, Some(record))
            }
            Job::Coverage => {
                let (p, h) = self.coverage()?;
                (p, h, index_only(url::COVERAGE_URL, "Coverage"))
            }
            Job::KindList(k, n) => {
                let (p, h) = self.kind_list(*k, *n)?;
                let record = (*n == 1)
                    .then(|| index_only(&url::kind_url(*k), k.plural_label()))
                    .flatten();
                (p, h, record)
            }
            Job::Backlog => {
                let (p, h) = self.backlog()?;
                (p, h, index_only(BACKLOG_URL, "Backlog"))
            }
            Job::Problems(n) => {
                let (p, h) = self.problems(*n)?;
                (p, h, None)
            }
            Job::TagsIndex(n) => {
                let (p, h) = self.tags_index(*n)?;
                (p, h, None)
            }
            Job::Tag(slug, n) => {
                let (p, h) = self.tag(slug, *n)?;
                let record = self.tags.get(*slug).filter(|_| *n == 1).map(|t| {
                    Record::new(
                        url::output_file(&nav::tag_url(slug)),
                        format!("Tag: {}", t.name),
                        "Tag",
                        t.name.to_owned(),
                    )
                });
                (p, h, record)
            }
            Job::Search => {
                let (p, h) = self.search()?;
                (p, h, None)
            }
            Job::PacketsIndex => {
                let (p, h) = self.simple(
                    "packets.html",
                    url::PACKETS_URL,
                    "Packets",
                    ser(views::packets_index(&self.index, url::PACKETS_URL)),
                )?;
                (p, h, index_only(url::PACKETS_URL, "Packets"))
            }
            Job::ControlsIndex => {
                let (p, h) = self.simple(
                    "controls.html",
                    url::CONTROLS_URL,
                    "Controls",
                    ser(views::controls_index(&self.index, url::CONTROLS_URL)),
                )?;
                (p, h, index_only(url::CONTROLS_URL, "Controls"))
            }
            Job::PacketPrint(item, print) => {
                let (p, h) = self.packet_print(item, print)?;
                (p, h, None)
            }
            Job::Control(item, control) => {
                let (p, h, title) = self.control(item, control)?;
                let id = control.id.value.trim();
                let description = control
                    .description
                    .as_ref()
                    .map_or("", |d| d.value.as_str());
                let record = Record::new(
                    url::output_file(&url::control_url(&item.header.id, id)),
                    title.clone(),
                    "Control",
                    format!("{title} {} {description}", item.header.title),
                );
                (p, h, Some(record))
            }
            Job::NotFound => {
                let html = self.template(
                    "404.html",
                    "404.html",
                    context! {
                        site => self.site_value.clone(),
                        root => "",
                        page => context! {
                            url => "404.html",
                            title => "Page not found",
                            crumbs => ser(nav::crumbs([("Page not found", "")])),
                        },
                    },
                )?;
                ("404.html".to_owned(), html, None)
            }
        };
        Ok(Rendered { path, html, record })
    }

    /// What the index holds of an item: its header and its source text (the fields as
    /// written, which is what a reader remembers and searches for).
    fn item_record(&self, item: &crate::model::Item) -> crate::search::Record {
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
        crate::search::Record::new(
            url::output_file(&nav::item_page_url(item, self.learner_of)),
            h.title.clone(),
            h.kind.label(),
            text,
        )
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
        if let Some(hashes) = &self.hashes
            && HASHED.get()
        {
            let hash = hash_of(&ctx);
            let same = self
                .incremental
                .and_then(|since| since.hashes.get(url))
                .is_some_and(|h| *h == hash);
            if let Ok(mut hashes) = hashes.lock() {
                hashes.insert(url.to_owned(), hash);
            }
            if same {
                return Ok(UNCHANGED.to_owned());
            }
        }
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
                page => context! {
                    url => "",
                    title => self.site_ctx.title.clone(),
                    content => "",
                    crumbs => ser(Vec::<nav::Crumb>::new()),
                },
            },
        )?;
        Ok((url::output_file(""), html))
    }

    fn page(&self, page: &crate::model::Page) -> Result<(String, String, String), Diagnostic> {
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
                    tag_links => ser(nav::tag_links(&page.front.tags)),
                    crumbs => ser(self.page_crumbs(page)),
                    content => content.clone(),
                    outgoing => ser(links(&self.site.registry, self.graph.outgoing(&page.id))),
                    backlinks => ser(links(&self.site.registry, self.graph.backlinks(&page.id))),
                    diagnostics => ser(diags_for(self.diags, &page.file)),
                },
            },
        )?;
        Ok((url::output_file(&page.url), html, content))
    }

    /// Home, then each parent folder that is a content page, then the page.
    fn page_crumbs(&self, page: &crate::model::Page) -> Vec<nav::Crumb> {
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
            tag_links => ser(nav::tag_links(&h.tags)),
            crumbs => {
                let (list, label) = self.kind_index(h.kind);
                ser(nav::crumbs([(label, list.as_str()), (h.id.as_str(), page_url)]))
            },
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
                    packet_url => url::href(&page_url, item.url_str()),
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
                page => context! {
                    url => page_url,
                    title => title,
                    view => view,
                    crumbs => ser(nav::crumbs([(title, page_url)])),
                },
            },
        )?;
        Ok((url::output_file(page_url), html))
    }

    fn control(
        &self,
        item: &crate::model::Item,
        control: &crate::model::kinds::catalog::Control,
    ) -> Result<(String, String, String), Diagnostic> {
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
                    title => title.clone(),
                    crumbs => ser(nav::crumbs([
                        ("Controls", url::CONTROLS_URL),
                        (item.header.title.as_str(), item.url().as_str()),
                        (id, page_url.as_str()),
                    ])),
                    controls_url => url::CONTROLS_URL,
                    view => ser(views::control_page(&self.index, item, control, &page_url)),
                },
            },
        )?;
        Ok((url::output_file(&page_url), html, title))
    }

    /// Page `n` of the list of `kind`: its entries, and how many items the kind has.
    fn kind_entries(&self, kind: Kind, n: usize) -> (Vec<nav::ListEntry<'_>>, usize) {
        let all: &[&crate::model::Item] = self.kind_items.get(&kind).map_or(&[], Vec::as_slice);
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

    /// For a page that lists a slice of something (a kind's list, a tag, the tags, the
    /// problems): its URL and a key that stands for everything its context is made of,
    /// much cheaper to make than the context itself. Why: a rebuild after one change
    /// compares hundreds of such pages with the last build's, and most are unchanged.
    ///
    /// A list of items or of a tag's pages is keyed by the ids it shows, in order, and
    /// is `touched` when the rebuild changed one of them: what an entry shows (title,
    /// owner, tags, status, warnings) comes from the thing itself and its diagnostics,
    /// which a change reaches through [`Since::entities`]. Packets are the exception:
    /// their status depends on evidence far along the graph, so their entries are
    /// hashed whole.
    fn list_key(&self, job: &Job<'_>) -> Option<ListKey> {
        let site = self.site_hash;
        let touched = |ids: &[&str]| {
            self.incremental
                .is_some_and(|since| ids.iter().any(|id| since.entities.contains(*id)))
        };
        match job {
            Job::KindList(Kind::Packet, n) => {
                let (entries, total) = self.kind_entries(Kind::Packet, *n);
                let url = nav::paged_url(&url::kind_url(Kind::Packet), *n);
                let key = hash_of(&(site, "list", Kind::Packet.name(), n, total, entries));
                Some(ListKey::new(url, key, false))
            }
            Job::KindList(kind, n) => {
                let all: &[&crate::model::Item] =
                    self.kind_items.get(kind).map_or(&[], Vec::as_slice);
                let ids: Vec<&str> = nav::page_slice(all, *n)
                    .iter()
                    .map(|i| i.header.id.as_str())
                    .collect();
                let url = nav::paged_url(&url::kind_url(*kind), *n);
                let key = quick_hash(&(site, "list", kind.name(), n, all.len(), &ids));
                Some(ListKey::new(url, key, touched(&ids)))
            }
            Job::Tag(slug, n) => {
                let tag = self.tags.get(*slug)?;
                let url = nav::paged_url(&nav::tag_url(slug), *n);
                let ids: Vec<&str> = nav::page_slice(&tag.entries, *n)
                    .iter()
                    .map(|e| e.id)
                    .collect();
                let key = quick_hash(&(site, "tag", slug, tag.name, n, tag.entries.len(), &ids));
                Some(ListKey::new(url, key, touched(&ids)))
            }
            Job::TagsIndex(n) => {
                let all: Vec<(&String, usize)> = self
                    .tags
                    .iter()
                    .map(|(s, t)| (s, t.entries.len()))
                    .collect();
                let names: Vec<&str> = nav::page_slice(&all, *n)
                    .iter()
                    .filter_map(|(s, _)| self.tags.get(*s).map(|t| t.name))
                    .collect();
                let url = nav::paged_url(nav::TAGS_URL, *n);
                let key = hash_of(&(site, "tags", n, all.len(), nav::page_slice(&all, *n), names));
                Some(ListKey::new(url, key, false))
            }
            Job::Problems(n) => {
                let url = nav::paged_url(nav::PROBLEMS_URL, *n);
                let slice = nav::page_slice(self.diags, *n);
                let problems = nav::problems(slice, &self.pages_by_file);
                let key = hash_of(&(site, "problems", n, self.diags, problems));
                Some(ListKey::new(url, key, false))
            }
            _ => None,
        }
    }

    fn kind_list(&self, kind: Kind, n: usize) -> Result<(String, String), Diagnostic> {
        let base = url::kind_url(kind);
        let page_url = nav::paged_url(&base, n);
        let (items, total) = self.kind_entries(kind, n);
        let title = kind.plural_label();
        let html = self.template(
            "list.html",
            &page_url,
            context! {
                site => self.site_value.clone(),
                root => url::root_prefix(&page_url),
                page => context! {
                    url => page_url.clone(),
                    title => title,
                    kind => kind.name(),
                    items => ser(items),
                    has_status => nav::has_status(kind),
                    pager => ser(nav::Pager::new(&base, n, total)),
                    crumbs => ser(nav::crumbs([(title, base.as_str())])),
                },
            },
        )?;
        Ok((url::output_file(&page_url), html))
    }

    fn problems(&self, n: usize) -> Result<(String, String), Diagnostic> {
        let base = nav::PROBLEMS_URL;
        let page_url = nav::paged_url(base, n);
        let errors = self
            .diags
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .count();
        let html = self.template(
            "problems.html",
            &page_url,
            context! {
                site => self.site_value.clone(),
                root => url::root_prefix(&page_url),
                page => context! {
                    url => page_url.clone(),
                    title => "Problems",
                    errors => errors,
                    warnings => self.diags.len() - errors,
                    problems => ser(nav::problems(nav::page_slice(self.diags, n), &self.pages_by_file)),
                    pager => ser(nav::Pager::new(base, n, self.diags.len())),
                    crumbs => ser(nav::crumbs([("Problems", base)])),
                },
            },
        )?;
        Ok((url::output_file(&page_url), html))
    }

    fn tags_index(&self, n: usize) -> Result<(String, String), Diagnostic> {
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
        let html = self.template(
            "tags.html",
            &page_url,
            context! {
                site => self.site_value.clone(),
                root => url::root_prefix(&page_url),
                page => context! {
                    url => page_url.clone(),
                    title => "Tags",
                    tags => ser(tags),
                    pager => ser(nav::Pager::new(base, n, all.len())),
                    crumbs => ser(nav::crumbs([("Tags", base)])),
                },
            },
        )?;
        Ok((url::output_file(&page_url), html))
    }

    fn tag(&self, slug: &str, n: usize) -> Result<(String, String), Diagnostic> {
        let base = nav::tag_url(slug);
        let page_url = nav::paged_url(&base, n);
        let (name, entries) = self
            .tags
            .get(slug)
            .map_or(("", &[][..]), |t| (t.name, t.entries.as_slice()));
        let title = format!("Tagged \u{201c}{name}\u{201d}");
        let html = self.template(
            "tag.html",
            &page_url,
            context! {
                site => self.site_value.clone(),
                root => url::root_prefix(&page_url),
                page => context! {
                    url => page_url.clone(),
                    title => title,
                    tag => name,
                    entries => ser(nav::page_slice(entries, n)),
                    pager => ser(nav::Pager::new(&base, n, entries.len())),
                    crumbs => ser(nav::crumbs([("Tags", nav::TAGS_URL), (name, base.as_str())])),
                },
            },
        )?;
        Ok((url::output_file(&page_url), html))
    }

    fn search(&self) -> Result<(String, String), Diagnostic> {
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
        let html = self.template(
            "search.html",
            page_url,
            context! {
                site => self.site_value.clone(),
                root => url::root_prefix(page_url),
                page => context! {
                    url => page_url,
                    title => "Search",
                    kinds => kinds,
                    bundle => crate::search::BUNDLE_DIR,
                    crumbs => ser(nav::crumbs([("Search", page_url)])),
                },
            },
        )?;
        Ok((url::output_file(page_url), html))
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
                    crumbs => ser(if self.features.coverage {
                        nav::crumbs([("Coverage", url::COVERAGE_URL), (learner.handle.as_str(), page_url.as_str())])
                    } else {
                        nav::crumbs([(learner.handle.as_str(), page_url.as_str())])
                    }),
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
                    crumbs => ser(nav::crumbs([("Coverage", page_url)])),
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
                    crumbs => ser(nav::crumbs([("Backlog", page_url)])),
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
