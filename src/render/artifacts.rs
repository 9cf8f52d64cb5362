//! The site-wide files, made once the pages are: the syntax stylesheet, the search
//! bundle, sitemaps and the Atom feed, the grader's exports, the themes' static files,
//! and the files copied as they are (content assets, attachments).

use super::incremental::Since;
use super::{Artifact, Theme, attachment_url, feeds, highlight, nav, theme};
use crate::diag::Diagnostic;
use crate::model::{Site, url};
use crate::search::Record;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// The stylesheet of highlighted code, whatever the theme.
pub(super) fn syntax_css() -> Artifact<'static> {
    Artifact::Bytes {
        path: "static/syntax.css".to_owned(),
        bytes: Cow::Owned(highlight::stylesheet().into_bytes()),
    }
}

/// The search bundle of the build's pages, and the records to keep for the next build
/// (when `remember`). `records` are those of the pages rendered; on a rebuild, a page
/// not rendered again has the record it had.
pub(super) fn search(
    mut records: Vec<Record>,
    written: &[String],
    since: Option<&Since<'_>>,
    remember: bool,
) -> Result<(Vec<Artifact<'static>>, HashMap<String, Record>), Diagnostic> {
    if let Some(since) = since {
        let fresh: HashSet<String> = records.iter().map(|r| r.url.clone()).collect();
        records.extend(
            written
                .iter()
                .filter(|p| !fresh.contains(p.as_str()))
                .filter_map(|p| since.records.get(p.as_str()).cloned()),
        );
        records.sort_by(|a, b| a.url.cmp(&b.url));
    }
    let kept = if remember {
        records.iter().map(|r| (r.url.clone(), r.clone())).collect()
    } else {
        HashMap::new()
    };
    let bundle = crate::search::build(records).map_err(|e| {
        Diagnostic::error("E0613", crate::search::BUNDLE_DIR, e.to_string())
            .with_help("see `evidentia explain E0613`; `[search] enabled = false` in site.toml builds the site without search")
    })?;
    let files = bundle
        .into_iter()
        .map(|f| Artifact::Bytes {
            path: f.path,
            bytes: Cow::Owned(f.bytes),
        })
        .collect();
    Ok((files, kept))
}

/// The sitemaps of the pages `written` and the Atom feed of the items, when the site
/// has a `base_url` (both need absolute URLs).
pub(super) fn feeds(
    site: &Site,
    written: &[String],
    learner_of: &HashMap<&str, String>,
) -> Vec<Artifact<'static>> {
    let Some(base) = &site.config.base_url else {
        return Vec::new();
    };
    let mut urls: Vec<String> = written
        .iter()
        .filter_map(|p| p.strip_suffix("index.html"))
        .map(str::to_owned)
        .collect();
    urls.sort();
    let mut files: Vec<Artifact<'static>> = feeds::sitemaps(base, &urls)
        .into_iter()
        .map(|(path, xml)| Artifact::Bytes {
            path,
            bytes: Cow::Owned(xml.into_bytes()),
        })
        .collect();
    let entries = site
        .items
        .iter()
        .filter_map(|i| {
            Some(feeds::FeedEntry {
                title: &i.header.title,
                url: nav::item_page_url(i, learner_of),
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
    files
}

/// The grader's exports, beside the coverage page.
pub(super) fn exports(coverage: &crate::coverage::Coverage) -> [Artifact<'static>; 2] {
    [
        Artifact::Bytes {
            path: format!("{}coverage.csv", url::COVERAGE_URL),
            bytes: Cow::Owned(crate::coverage::export::to_csv(coverage).into_bytes()),
        },
        Artifact::Bytes {
            path: format!("{}coverage.json", url::COVERAGE_URL),
            bytes: Cow::Owned(crate::coverage::export::to_json(coverage).into_bytes()),
        },
    ]
}

/// The static files of the theme and of its print theme, under static/.
pub(super) fn statics(theme: &Theme) -> impl Iterator<Item = Artifact<'_>> {
    let own = theme.statics.iter().map(|(path, bytes)| Artifact::Bytes {
        path: format!("static/{path}"),
        bytes: Cow::Borrowed(bytes.as_ref()),
    });
    let print = theme
        .print
        .iter()
        .flat_map(|p| &p.statics)
        .map(|(path, bytes)| Artifact::Bytes {
            path: format!("static/{}/{path}", theme::PRINT_THEME),
            bytes: Cow::Borrowed(bytes.as_ref()),
        });
    own.chain(print)
}

/// The files copied as they are. Content assets are published beside their pages;
/// evidence files only when an item lists them as attachments, next to that item's page.
pub(super) fn copies(site: &Site) -> Vec<Artifact<'static>> {
    let mut files: Vec<Artifact<'static>> = site
        .others
        .iter()
        .filter_map(|other| {
            let rest = other.rel.strip_prefix("content/")?;
            Some(Artifact::Copy {
                path: rest.to_owned(),
                from: other.abs.clone(),
            })
        })
        .collect();
    for item in &site.items {
        for a in &item.header.attachments {
            let Some(rel) = crate::model::url::attachment_path(&item.file, a) else {
                continue;
            };
            if let Some(other) = site.other_file(&rel) {
                files.push(Artifact::Copy {
                    path: attachment_url(item, &rel),
                    from: other.abs.clone(),
                });
            }
        }
    }
    files
}
