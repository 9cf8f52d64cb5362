//! Search: the site's full-text index, built with Pagefind from records the renderer
//! collects while it renders (so no page is parsed twice). Pagefind writes its own
//! JavaScript, WebAssembly and index chunks; they are handed to the same sink as every
//! other file, so the manifest and the staging swap cover them.

pub mod text;

use std::collections::BTreeMap;

/// Where the index and Pagefind's scripts are published, relative to the output root.
pub const BUNDLE_DIR: &str = "pagefind/";

/// The search page.
pub const SEARCH_URL: &str = "search/";

/// Most characters of one page's text that are indexed: enough for every word a reader
/// searches a page for, while a 100 MB report's page cannot make the index huge.
pub const TEXT_LIMIT: usize = 16 * 1024;

/// The most text indexed across the whole site. Pagefind holds every indexed word in
/// memory until it writes the index (about 70 bytes of memory per byte of text, measured
/// on the 10,000-page benchmark: 2.1 GiB), so a large site indexes less of each page:
/// the demo site keeps [`TEXT_LIMIT`] per page, a 20,000-page site its first 512 bytes.
pub const SITE_TEXT_BUDGET: usize = 4 * 1024 * 1024;

/// The least text a page keeps, however large the site: its title and opening words.
pub const MIN_TEXT: usize = 512;

/// How much of each page's text is indexed on a site of `pages` pages.
pub fn text_limit(pages: usize) -> usize {
    (SITE_TEXT_BUDGET / pages.max(1)).clamp(MIN_TEXT, TEXT_LIMIT)
}

/// One page as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Site-relative URL of the page's file (`evidence/scan-a/index.html`), so results
    /// link relatively from any sub-path or host.
    pub url: String,
    /// Shown as the result's title.
    pub title: String,
    /// What the page is ("Content page", "Threat model", "Learner"...): the filter readers
    /// narrow results by.
    pub kind: String,
    /// Plain text to index, at most [`TEXT_LIMIT`] characters.
    pub text: String,
}

impl Record {
    /// Cuts the text to at most `limit` bytes, on a character boundary.
    pub fn truncate(&mut self, limit: usize) {
        if self.text.len() > limit {
            let mut end = limit;
            while !self.text.is_char_boundary(end) {
                end -= 1;
            }
            self.text.truncate(end);
        }
    }

    /// A record, its text cut to [`TEXT_LIMIT`] on a character boundary.
    pub fn new(url: String, title: String, kind: &str, text: String) -> Record {
        let mut record = Record {
            url,
            title,
            kind: kind.to_owned(),
            text,
        };
        record.truncate(TEXT_LIMIT);
        record
    }
}

/// Why the index could not be built (Pagefind reported an error).
#[derive(Debug, thiserror::Error)]
#[error("the search index could not be built: {0}")]
pub struct SearchError(String);

/// One file of the search bundle, relative to the output root.
#[derive(Debug)]
pub struct BundleFile {
    /// Output path (`pagefind/pagefind.js`).
    pub path: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Builds the index of `records` and returns every file of the bundle. Pagefind is
/// asynchronous: it runs on a small current-thread runtime on its own thread, so this can
/// be called from a rayon pool or from inside `serve`'s runtime alike.
pub fn build(mut records: Vec<Record>) -> Result<Vec<BundleFile>, SearchError> {
    // Records arrive in the order pages finished rendering; sorting keeps the index (and
    // so the output) byte-identical from one build to the next.
    records.sort_by(|a, b| a.url.cmp(&b.url));
    std::thread::scope(|s| {
        s.spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| SearchError(e.to_string()))?;
            runtime.block_on(index(records))
        })
        .join()
        .unwrap_or_else(|_| Err(SearchError("the indexer stopped unexpectedly".to_owned())))
    })
}

async fn index(records: Vec<Record>) -> Result<Vec<BundleFile>, SearchError> {
    let options = pagefind::options::PagefindServiceConfig::builder()
        .keep_index_url(true)
        .force_language("en".to_owned())
        .build();
    let err = |e: anyhow::Error| SearchError(format!("{e:#}"));
    let mut index = pagefind::api::PagefindIndex::new(Some(options)).map_err(err)?;
    for r in records {
        let meta = BTreeMap::from([("title".to_owned(), r.title)]);
        let filters = BTreeMap::from([("kind".to_owned(), vec![r.kind])]);
        index
            .add_custom_record(
                r.url,
                r.text,
                "en".to_owned(),
                Some(meta),
                Some(filters),
                None,
            )
            .await
            .map_err(err)?;
    }
    let mut files: Vec<BundleFile> = index
        .get_files()
        .await
        .map_err(err)?
        .into_iter()
        .filter(|f| {
            let name = f.filename.to_string_lossy();
            // The search page has its own script: Pagefind's ready-made UIs, its
            // highlighter and the fallback WebAssembly for unknown languages go unused.
            !(name.starts_with("playground")
                || name.contains("-ui.")
                || name == "pagefind-highlight.js"
                || name == "wasm.unknown.pagefind")
        })
        .map(|f| BundleFile {
            path: format!(
                "{BUNDLE_DIR}{}",
                f.filename.to_string_lossy().replace('\\', "/")
            ),
            bytes: f.contents,
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_site_indexes_less_of_each_page() {
        assert_eq!(text_limit(1), TEXT_LIMIT);
        assert_eq!(text_limit(200), TEXT_LIMIT);
        assert_eq!(text_limit(20_000), MIN_TEXT);
        assert!(text_limit(2_000) < TEXT_LIMIT && text_limit(2_000) > MIN_TEXT);
        let mut r = Record::new("a".into(), "t".into(), "Kind", "é".repeat(600));
        r.truncate(MIN_TEXT + 1);
        assert_eq!(r.text.len(), MIN_TEXT);
    }

    #[test]
    fn long_text_is_cut_on_a_char_boundary() {
        let r = Record::new("a/".into(), "A".into(), "Page", "é".repeat(TEXT_LIMIT));
        assert!(r.text.len() <= TEXT_LIMIT);
        assert!(r.text.len() > TEXT_LIMIT - 2);
    }

    #[test]
    fn bundle_holds_scripts_and_an_index_of_every_record() {
        let records = vec![
            Record::new(
                "evidence/tm/index.html".into(),
                "Credit API threat model".into(),
                "Threat model",
                "spoofing of the scoring endpoint".into(),
            ),
            Record::new(
                "guides/index.html".into(),
                "Guide".into(),
                "Content page",
                "how to write evidence".into(),
            ),
        ];
        let files = build(records).unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        for want in [
            "pagefind/pagefind.js",
            "pagefind/pagefind-entry.json",
            "pagefind/wasm.en.pagefind",
        ] {
            assert!(paths.contains(&want), "{want} missing from {paths:?}");
        }
        assert!(paths.iter().any(|p| p.starts_with("pagefind/index/")));
        assert!(paths.iter().any(|p| p.starts_with("pagefind/fragment/")));
        assert!(paths.iter().any(|p| p.starts_with("pagefind/filter/")));
        let entry = files
            .iter()
            .find(|f| f.path == "pagefind/pagefind-entry.json")
            .unwrap();
        let entry: serde_json::Value = serde_json::from_slice(&entry.bytes).unwrap();
        assert_eq!(entry["languages"]["en"]["page_count"], 2);
    }
}
