//! What a rebuild that renders only some pages keeps of the last build (serve): which
//! pages a change cannot reach, which pages' contexts are the last build's, and when
//! nothing can be kept.

use super::context::SiteCtx;
use super::nav;
use super::pages::PageRenderer;
use super::plan::Job;
use crate::model::{Kind, url};
use std::collections::HashMap;

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

/// [`Report::shape`] of a build: hashes of what every page shows (title, navigation,
/// whether there is a feed, where portfolios are shown), and of the per-kind counts.
pub(super) fn shape(site_ctx: &SiteCtx, learner_of: &HashMap<&str, String>) -> (u64, u64) {
    let mut portfolios: Vec<(&&str, &String)> = learner_of.iter().collect();
    portfolios.sort();
    (
        hash_of(&(
            &site_ctx.title,
            &site_ctx.base_url,
            &site_ctx.generator,
            &site_ctx.nav,
            site_ctx.feed,
            portfolios,
        )),
        hash_of(&site_ctx.kinds),
    )
}

/// Whether what every page shows changed since the last build: then nothing can be kept.
pub(super) fn must_restart(since: Option<&Since<'_>>, shape: (u64, u64)) -> bool {
    since.is_some_and(|since| {
        let counts_changed = since.counts_everywhere && since.shape.1 != shape.1;
        since.shape.0 != shape.0 || counts_changed
    })
}

/// Whether a page shows one thing only (and what links to it or from it), so that
/// [`Since::entities`] decides whether it is rendered again. Packets and catalogs show
/// what other packets inherit and cover, far along the graph: their contexts are hashed.
pub(super) fn single<'a>(job: &Job<'a>) -> Option<(&'a str, &'a str)> {
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
pub(super) fn skipped(job: &Job<'_>, since: Option<&Since<'_>>) -> Option<String> {
    let since = since?;
    let (id, page_url) = single(job)?;
    (!since.entities.contains(id)).then(|| url::output_file(page_url))
}

/// A hash of anything serialisable (a template context: equal contexts render equal
/// pages). A value that cannot be serialised gets a number never given before, so a page
/// whose context cannot be compared is always rendered.
pub(super) fn hash_of<T: serde::Serialize + ?Sized>(value: &T) -> u64 {
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

/// A hash of plain values (ids, numbers), cheaper than [`hash_of`]'s serialisation.
fn quick_hash<T: std::hash::Hash>(value: &T) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::hash::DefaultHasher>::default().hash_one(value)
}

/// A list page's URL and its key ([`PageRenderer::list_key`]).
pub(super) struct ListKey {
    pub(super) url: String,
    pub(super) key: u64,
    /// The page shows something the rebuild changed: it is rendered whatever its key.
    pub(super) touched: bool,
}

impl ListKey {
    fn new(url: String, key: u64, touched: bool) -> ListKey {
        ListKey { url, key, touched }
    }
}

impl PageRenderer<'_> {
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
    pub(super) fn list_key(&self, job: &Job<'_>) -> Option<ListKey> {
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
                let problems = nav::problems(slice, self.pages_by_file);
                let key = hash_of(&(site, "problems", n, self.diags, problems));
                Some(ListKey::new(url, key, false))
            }
            _ => None,
        }
    }

    /// Whether a list page's key is the last build's (it is not rendered again),
    /// remembering the key for the next build. Why apart from the hashing of other
    /// pages: the key stands for the context, which is then not made at all.
    pub(super) fn same_list(&self, list: &ListKey) -> bool {
        let same = !list.touched
            && self
                .incremental
                .and_then(|since| since.hashes.get(&list.url))
                .is_some_and(|h| *h == list.key);
        if let Some(hashes) = &self.hashes
            && let Ok(mut hashes) = hashes.lock()
        {
            hashes.insert(list.url.clone(), list.key);
        }
        same
    }

    /// Whether a hashed page's context is the last build's (it is not rendered again),
    /// remembering its hash for the next build.
    pub(super) fn same_context(&self, url: &str, ctx: &minijinja::Value) -> bool {
        let Some(hashes) = &self.hashes else {
            return false;
        };
        let hash = hash_of(ctx);
        let same = self
            .incremental
            .and_then(|since| since.hashes.get(url))
            .is_some_and(|h| *h == hash);
        if let Ok(mut hashes) = hashes.lock() {
            hashes.insert(url.to_owned(), hash);
        }
        same
    }
}
