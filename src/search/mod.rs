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
    /// A record, its text cut to [`TEXT_LIMIT`] on a character boundary.
    pub fn new(url: String, title: String, kind: &str, mut text: String) -> Record {
        if text.len() > TEXT_LIMIT {
            let mut end = TEXT_LIMIT;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
        }
        Record {
            url,
            title,
            kind: kind.to_owned(),
            text,
        }
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
