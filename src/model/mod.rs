//! Model: the site as typed values, each field with the position it was written at.
//!
//! Evidence items keep their common header typed ([`Header`]) and the rest of the document
//! as a positioned [`Node`] tree; pages keep their front matter typed and their Markdown
//! body with the line it starts at. The [`Registry`] maps every id to what it names.

pub mod decode;
mod fields;
mod header;
mod kind;
pub mod kinds;
mod page;
mod registry;
mod report_format;
pub mod roadmap;
pub mod schema;
pub mod url;

pub use crate::node::{Entry, Node, Value};
pub use header::{HEADER_FIELDS, Header, is_valid_id, parse_header, slugify};
pub use kind::Kind;
pub use page::{FrontMatter, Page, WikiLink, markdown_options, parse_page, wiki_links};
pub use registry::{
    ControlTarget, Registry, Target, TargetKind, build_registry, control_ref, reference_id,
};
pub use report_format::ReportFormat;

use crate::config::SiteConfig;
use crate::diag::Diagnostic;
use crate::load::{Format, Loaded, OtherFile, SourceFile};
use rayon::prelude::*;

/// One native evidence item.
#[derive(Debug, Clone)]
pub struct Item {
    /// The common header (kind, id, title, ...).
    pub header: Header,
    /// The source file, relative to the site root.
    pub file: String,
    /// YAML or JSON.
    pub format: Format,
    /// The whole document, header included, as written.
    pub data: Node,
    /// The kind's typed fields.
    pub body: kinds::Body,
    /// [`Item::url`], made on first use. Why: every stage asks for it (the registry,
    /// the checks, each list and tag page), and making it means slugifying the id.
    pub url_cache: std::sync::OnceLock<String>,
}

impl Item {
    /// The URL of the item's page. Portfolios live on their learner's page, so that one
    /// learner's several portfolios are read together.
    pub fn url(&self) -> String {
        self.url_str().to_owned()
    }

    /// [`Item::url`], borrowed.
    pub fn url_str(&self) -> &str {
        self.url_cache.get_or_init(|| match &self.body {
            kinds::Body::Portfolio(p) => url::learner_url(&p.learner.handle.value),
            _ => url::item_url(self.header.kind, &self.header.id),
        })
    }
}

/// An item as `evidentia show` prints it: the header fields, then the typed fields.
#[derive(Debug, serde::Serialize)]
pub struct ItemView<'a> {
    /// The header.
    #[serde(flatten)]
    pub header: &'a Header,
    /// The source file.
    pub file: &'a str,
    /// The typed body.
    #[serde(flatten)]
    pub body: &'a kinds::Body,
}

impl<'a> ItemView<'a> {
    /// The view of `item`.
    pub fn of(item: &'a Item) -> Self {
        ItemView {
            header: &item.header,
            file: &item.file,
            body: &item.body,
        }
    }
}

/// The whole site as the later stages see it.
#[derive(Debug)]
pub struct Site {
    /// site.toml.
    pub config: SiteConfig,
    /// Content pages that are published (drafts left out), sorted by file.
    pub pages: Vec<Page>,
    /// Evidence items, sorted by file.
    pub items: Vec<Item>,
    /// Files copied as they are (content assets, attachments), sorted by path.
    pub others: Vec<OtherFile>,
    /// Every id.
    pub registry: Registry,
    /// The text of every source, for raw-source views and diagnostic snippets.
    pub sources: Vec<SourceFile>,
    /// The digest of every file read, sorted by path (the manifest's inputs; packet
    /// pages show their evidence's).
    pub inputs: Vec<crate::integrity::FileDigest>,
}

/// The run of `all` (sorted by file, as a site's pages, items and diagnostics are) that
/// is about `file`, found by binary search.
pub(crate) fn run_of_file<'a, T>(
    all: &'a [T],
    file_of: impl Fn(&T) -> &String,
    file: &str,
) -> &'a [T] {
    let start = all.partition_point(|t| file_of(t).as_str() < file);
    let len = all[start..]
        .iter()
        .take_while(|t| file_of(t) == file)
        .count();
    &all[start..start + len]
}

/// What one source file parsed into.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
enum Parsed {
    Page(Page),
    Item(Item),
}

/// Parsed files that the next build may take instead of parsing them again, each with
/// the SHA-256 of the text it was parsed from. Why: `serve` rebuilds on every save, and
/// parsing every file of a large site again is most of a small change's cost. Only a
/// file that came through with no diagnostic at all is kept (its diagnostics would have
/// to be kept too), and never a report a scan wraps or an imported item.
///
/// The last build's pages and items stay in their own vectors and the next build edits
/// them in place: 20,000 items of almost a kilobyte each, moved into fresh memory, cost
/// more in page faults than anything else a small change does.
#[derive(Debug, Default)]
pub struct Reuse {
    /// The last build's pages, sorted by file.
    pages: Vec<Page>,
    /// Per page, the first 64 bits of its file's SHA-256 then; `None` when it must be
    /// made again. 64 bits tell a file's versions apart as well as 256 do here.
    page_shas: Vec<Option<u64>>,
    /// The last build's items, sorted by file.
    items: Vec<Item>,
    /// Per item, as `page_shas`.
    item_shas: Vec<Option<u64>>,
}

/// The first 64 bits of a SHA-256 written in hex.
fn sha_prefix(sha256: &str) -> Option<u64> {
    u64::from_str_radix(sha256.get(..16)?, 16).ok()
}

/// Per entry of `run` (sorted by file), the digest prefix of its file in `inputs`
/// (sorted by path), found in one walk; `None` where `usable` says no.
fn shas_of<T: Sync>(
    run: &[T],
    file_of: impl Fn(&T) -> &str + Sync,
    usable: impl Fn(&T) -> bool + Sync,
    inputs: &[crate::integrity::FileDigest],
) -> Vec<Option<u64>> {
    // In chunks side by side: each entry is a few cache misses, and there are 20,000.
    let chunks: Vec<Vec<Option<u64>>> = run
        .par_chunks(1024)
        .map(|chunk| {
            let Some(first) = chunk.first() else {
                return Vec::new();
            };
            let mut at = inputs.partition_point(|d| d.path.as_str() < file_of(first));
            chunk
                .iter()
                .map(|t| {
                    let file = file_of(t);
                    while inputs.get(at).is_some_and(|d| d.path.as_str() < file) {
                        at += 1;
                    }
                    inputs
                        .get(at)
                        .filter(|d| d.path == file && usable(t))
                        .and_then(|d| sha_prefix(&d.sha256))
                })
                .collect()
        })
        .collect();
    chunks.concat()
}

/// Forgets the entries of files that made more than one thing (which one to keep is not
/// known): adjacent equal files within a run, and files both runs hold.
fn forget_twice(
    pages: &[Page],
    page_shas: &mut [Option<u64>],
    items: &[Item],
    item_shas: &mut [Option<u64>],
) {
    for i in 1..pages.len() {
        if pages[i - 1].file == pages[i].file {
            page_shas[i - 1] = None;
            page_shas[i] = None;
        }
    }
    for i in 1..items.len() {
        if items[i - 1].file == items[i].file {
            item_shas[i - 1] = None;
            item_shas[i] = None;
        }
    }
    let mut at = 0;
    for (i, page) in pages.iter().enumerate() {
        while items.get(at).is_some_and(|it| it.file < page.file) {
            at += 1;
        }
        let mut j = at;
        while items.get(j).is_some_and(|it| it.file == page.file) {
            page_shas[i] = None;
            item_shas[j] = None;
            j += 1;
        }
    }
}

/// A site taken apart for the next build: what the load stage had, and what parsed.
#[derive(Debug)]
pub struct SiteParts {
    /// site.toml.
    pub config: SiteConfig,
    /// The sources.
    pub sources: Vec<SourceFile>,
    /// The other files.
    pub others: Vec<OtherFile>,
    /// The inputs' digests.
    pub inputs: Vec<crate::integrity::FileDigest>,
    /// Pages and items the next build may take.
    pub reuse: Reuse,
    /// The old registry, for the caller to free when it suits it (freeing the ids of
    /// 20,000 items takes a tenth of a second).
    pub registry: Registry,
}

impl Site {
    /// Takes the site apart for a build that reloads only what changed. `diagnostics` are
    /// everything reported on it: a file named by any of them is parsed again.
    pub fn into_parts(self, diagnostics: &[Diagnostic]) -> SiteParts {
        let Site {
            config,
            pages,
            items,
            others,
            registry,
            sources,
            inputs,
        } = self;
        let noisy: std::collections::HashSet<&str> =
            diagnostics.iter().map(|d| d.file.as_str()).collect();
        let (mut page_shas, mut item_shas) = rayon::join(
            || {
                shas_of(
                    &pages,
                    |p| &p.file,
                    |p| !noisy.contains(p.file.as_str()),
                    &inputs,
                )
            },
            || {
                shas_of(
                    &items,
                    |i| &i.file,
                    |i| {
                        let imported = matches!(i.data.value, Value::Null);
                        let wraps = matches!(&i.body, kinds::Body::Scan(s) if s.report.is_some());
                        !imported && !wraps && !noisy.contains(i.file.as_str())
                    },
                    &inputs,
                )
            },
        );
        forget_twice(&pages, &mut page_shas, &items, &mut item_shas);
        drop(noisy);
        let reuse = Reuse {
            pages,
            page_shas,
            items,
            item_shas,
        };
        SiteParts {
            config,
            sources,
            others,
            inputs,
            reuse,
            registry,
        }
    }
}

/// What the import stage hands the model stage: the loaded files and the items made of
/// foreign reports. Why the model defines it: the model stage takes it as its input, and
/// a stage must not depend on the one before it for its own input type (import re-exports
/// it).
#[derive(Debug)]
pub struct Imported {
    /// The loaded site (every file stays, for raw-source views and snippets).
    pub loaded: Loaded,
    /// One item per imported report.
    pub items: Vec<Item>,
    /// Problems with reports that looked like a format but did not parse as it.
    pub diagnostics: Vec<Diagnostic>,
    /// Files recognised as foreign reports (imported or not): the model stage leaves them.
    pub foreign: std::collections::BTreeSet<String>,
}

/// Builds the model from loaded sources, parsing files in parallel. Returns the site
/// and the diagnostics of this stage; a file with an error is left out of the site,
/// never silently: its diagnostic says why.
pub fn build(imported: Imported) -> (Site, Vec<Diagnostic>) {
    build_reusing(imported, Reuse::default())
}

/// [`build`], taking from `reuse` every file whose text is the one it was parsed from.
pub fn build_reusing(imported: Imported, mut reuse: Reuse) -> (Site, Vec<Diagnostic>) {
    let Imported {
        loaded,
        items: imported_items,
        diagnostics: import_diagnostics,
        foreign,
    } = imported;
    let Loaded {
        config,
        files,
        others,
        mut diagnostics,
        inputs,
        ..
    } = loaded;
    diagnostics.extend(import_diagnostics);
    // Markdown under evidence/ is read only as a model card, which the import stage
    // always claims (imported or reported): it is never a page.
    // The sources, the inputs and the reusable pages and items are all sorted by file:
    // one walk says which files are parsed again and which entries are kept.
    let Reuse {
        mut pages,
        page_shas,
        mut items,
        item_shas,
    } = std::mem::take(&mut reuse);
    let mut keep_page = vec![false; pages.len()];
    let mut keep_item = vec![false; items.len()];
    let (mut at_page, mut at_item, mut at_input) = (0, 0, 0);
    let mut parse: Vec<&SourceFile> = Vec::new();
    for f in files.iter().filter(|f| {
        let card = f.format == Format::Markdown && f.area == crate::load::Area::Evidence;
        !card && !foreign.contains(&f.rel)
    }) {
        let rel = f.rel.as_str();
        while inputs.get(at_input).is_some_and(|d| d.path.as_str() < rel) {
            at_input += 1;
        }
        let now = inputs
            .get(at_input)
            .filter(|d| d.path == rel)
            .and_then(|d| sha_prefix(&d.sha256));
        while pages.get(at_page).is_some_and(|p| p.file.as_str() < rel) {
            at_page += 1;
        }
        while items.get(at_item).is_some_and(|i| i.file.as_str() < rel) {
            at_item += 1;
        }
        let page = pages.get(at_page).is_some_and(|p| p.file == rel);
        let item = items.get(at_item).is_some_and(|i| i.file == rel);
        let fresh = |shas: &[Option<u64>], at: usize| {
            now.is_some() && shas.get(at).copied().flatten() == now
        };
        if page && fresh(&page_shas, at_page) {
            keep_page[at_page] = true;
        } else if item && fresh(&item_shas, at_item) {
            keep_item[at_item] = true;
        } else {
            parse.push(f);
        }
    }
    crate::timings::note(&format!(
        "{} files parsed, {} reused",
        parse.len(),
        keep_page.iter().chain(&keep_item).filter(|k| **k).count()
    ));
    let results: Vec<(Option<Parsed>, Vec<Diagnostic>)> =
        parse.into_par_iter().map(parse_file).collect();
    // What is not kept goes; what was parsed comes in at its place.
    let mut kept = keep_page.into_iter();
    pages.retain(|_| kept.next().unwrap_or(false));
    let mut kept = keep_item.into_iter();
    items.retain(|_| kept.next().unwrap_or(false));
    let mut new_pages = Vec::new();
    let mut new_items = imported_items;
    for (parsed, diags) in results {
        diagnostics.extend(diags);
        match parsed {
            Some(Parsed::Page(p)) if !p.front.draft => new_pages.push(p),
            Some(Parsed::Page(_)) | None => {}
            Some(Parsed::Item(i)) => new_items.push(i),
        }
    }
    merge_by_file(&mut pages, new_pages, |p| &p.file);
    merge_by_file(&mut items, new_items, |i| &i.file);
    diagnostics.extend(attach_reports(&mut items));
    let (registry, reg_diags) = build_registry(&pages, &items);
    diagnostics.extend(reg_diags);
    let site = Site {
        config,
        pages,
        items,
        others,
        registry,
        sources: files,
        inputs,
    };
    (site, diagnostics)
}

/// Adds `new` to `all`, keeping `all` sorted by file (stable: among equal files, what
/// was there first stays first). A few (a saved file, a handful of reports) are each
/// inserted at the place a binary search finds: a move of the tail, but no pass over
/// 20,000 items' file names, which costs more in cache misses. More are appended and
/// the two sorted runs merged by one stable sort, moving each element at most once.
fn merge_by_file<T>(all: &mut Vec<T>, mut new: Vec<T>, file_of: impl Fn(&T) -> &String) {
    new.sort_by(|a, b| file_of(a).cmp(file_of(b)));
    if new.len() <= 8 {
        for t in new {
            let at = all.partition_point(|x| file_of(x) <= file_of(&t));
            all.insert(at, t);
        }
    } else {
        all.extend(new);
        all.sort_by(|a, b| file_of(a).cmp(file_of(b)));
    }
}

fn parse_file(f: &SourceFile) -> (Option<Parsed>, Vec<Diagnostic>) {
    match f.format {
        Format::Markdown => {
            let (page, mut diags) = parse_page(f);
            match page {
                Some(p) if !p.front.draft && roadmap::is_roadmap(&p) => {
                    let (module, d) = roadmap::module_item(p, &f.text);
                    diags.extend(d);
                    (module.map(Parsed::Item), diags)
                }
                page => (page.map(Parsed::Page), diags),
            }
        }
        Format::Yaml | Format::Json => {
            let (item, diags) = parse_item(f);
            (item.map(Parsed::Item), diags)
        }
    }
}

fn parse_item(f: &SourceFile) -> (Option<Item>, Vec<Diagnostic>) {
    let size = f.text.len() as u64;
    if size > crate::load::MAX_SOURCE_BYTES {
        let d = crate::load::too_large(&f.rel, size, crate::load::MAX_SOURCE_BYTES);
        return (None, vec![d]);
    }
    let parsed = match f.format {
        Format::Json => crate::load::json::parse(&f.text, &f.rel),
        _ => crate::load::yaml::parse(&f.text, &f.rel, 0),
    };
    let data = match parsed {
        Ok(node) => node,
        Err(d) => return (None, vec![d]),
    };
    let (header, mut diags) = match parse_header(&data, &f.rel) {
        Ok(h) => h,
        Err(diags) => return (None, diags),
    };
    let mut decoder = decode::Decoder::new(&f.rel);
    let body = kinds::decode(header.kind, &mut decoder, &data);
    diags.extend(decoder.diags);
    // An item whose required parts are missing is left out; its diagnostics say why.
    let item = body.map(|body| Item {
        header,
        file: f.rel.clone(),
        format: f.format,
        data,
        body,
        url_cache: Default::default(),
    });
    (item, diags)
}

impl Site {
    /// The digest of the input file at `rel` (relative to the site root).
    pub fn input(&self, rel: &str) -> Option<&crate::integrity::FileDigest> {
        self.inputs
            .binary_search_by(|d| d.path.as_str().cmp(rel))
            .ok()
            .and_then(|i| self.inputs.get(i))
    }

    /// The text of a source file by its relative path.
    pub fn source_text(&self, rel: &str) -> Option<&str> {
        self.sources
            .binary_search_by(|s| s.rel.as_str().cmp(rel))
            .ok()
            .map(|i| self.sources[i].text.as_str())
    }

    /// The file that is not a source (an asset or attachment) at a relative path. Why a
    /// binary search: the load stage keeps them sorted by path, and attachments are looked
    /// up once per item by several stages.
    pub fn other_file(&self, rel: &str) -> Option<&OtherFile> {
        self.others
            .binary_search_by(|o| o.rel.as_str().cmp(rel))
            .ok()
            .map(|i| &self.others[i])
    }
}

/// A native scan with `report: PATH` wraps an imported report: the report's findings
/// (and tool, target and date, unless the scan states them) move into the scan, and the
/// report stops being an item of its own. A path that names no imported report is E0304.
fn attach_reports(items: &mut Vec<Item>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut wraps: Vec<(usize, usize)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let kinds::Body::Scan(scan) = &item.body else {
            continue;
        };
        let Some(report) = &scan.report else { continue };
        let target = url::attachment_path(&item.file, &report.value);
        let found = target.as_deref().and_then(|t| {
            items
                .iter()
                .position(|r| r.file == t && matches!(r.data.value, Value::Null))
        });
        match found {
            Some(j) if matches!(items[j].body, kinds::Body::Scan(_)) => wraps.push((i, j)),
            _ => diags.push(
                Diagnostic::error(
                    "E0304",
                    &item.file,
                    format!("`report: {}` names no tool report of this site", report.value),
                )
                .at(report.pos)
                .spanning(report.len())
                .with_path(report.path.clone())
                .with_help("give the path of a SARIF, Trivy, Grype, Semgrep or Bandit report under evidence/, relative to this file"),
            ),
        }
    }
    let mut remove = Vec::new();
    for (i, j) in wraps {
        let kinds::Body::Scan(imported) = items[j].body.clone() else {
            continue;
        };
        if let kinds::Body::Scan(scan) = &mut items[i].body {
            if scan.findings.is_empty() {
                scan.findings = imported.findings;
            }
            scan.tool = scan.tool.take().or(imported.tool);
            scan.target = scan.target.take().or(imported.target);
            scan.scanned = scan.scanned.take().or(imported.scanned);
        }
        remove.push(j);
    }
    remove.sort_unstable();
    remove.dedup();
    for j in remove.into_iter().rev() {
        items.remove(j);
    }
    diags
}
