//! What templates see. One builder serves every theme engine: the context is plain
//! serialisable data, with site-wide parts built once and shared by reference.

use crate::diag::Diagnostic;
use crate::model::{Item, Kind, Node, Page, Registry, Site, TargetKind, Value, url};
use serde::Serialize;

/// The site as every page sees it (built once per build).
#[derive(Debug, Serialize)]
pub(crate) struct SiteCtx {
    /// site.toml's title.
    pub(crate) title: String,
    /// site.toml's base_url, if set.
    pub(crate) base_url: Option<String>,
    /// "Evidentia x.y.z", for the footer.
    pub(crate) generator: String,
    /// Content pages and kind lists for the navigation bar.
    pub(crate) nav: Vec<NavLink>,
    /// Per-kind counts for the home page.
    pub(crate) kinds: Vec<KindSummary>,
    /// Whether atom.xml is written (it needs `base_url`), for the feed's `<link>`.
    pub(crate) feed: bool,
}

/// One navigation entry.
#[derive(Debug, Serialize)]
pub(crate) struct NavLink {
    /// Label.
    pub(crate) title: String,
    /// Site-relative URL (folder form).
    pub(crate) url: String,
    /// "page", "kind", "backlog", "coverage", "tags", "problems" or "search".
    pub(crate) section: &'static str,
}

/// How many items of one kind the site has.
#[derive(Debug, Serialize)]
pub(crate) struct KindSummary {
    /// The kind's name (`threat-model`).
    pub(crate) kind: &'static str,
    /// Plural label.
    pub(crate) label: &'static str,
    /// Site-relative URL of the list page.
    pub(crate) url: String,
    /// Number of items.
    pub(crate) count: usize,
}

/// A link to another page, as lists of links show it.
#[derive(Debug, PartialEq, Serialize)]
pub(crate) struct LinkCtx {
    /// Target id.
    pub(crate) id: String,
    /// Target title.
    pub(crate) title: String,
    /// Site-relative URL of the target.
    pub(crate) url: String,
    /// "Page" or the item kind's label.
    pub(crate) kind: &'static str,
}

/// A diagnostic as an item page shows it.
#[derive(Debug, Serialize)]
pub(crate) struct DiagCtx {
    /// "error" or "warning".
    pub(crate) severity: String,
    /// Code.
    pub(crate) code: &'static str,
    /// Line in the source (0: the whole file).
    pub(crate) line: u32,
    /// Column.
    pub(crate) column: u32,
    /// What is wrong.
    pub(crate) message: String,
    /// How to fix it.
    pub(crate) help: String,
}

/// One field of a document, as a tree templates can walk with a recursive loop.
#[derive(Debug, Serialize)]
pub(crate) struct FieldCtx {
    /// The key (mappings) or `None` (list entries).
    pub(crate) key: Option<String>,
    /// "text", "values" (a list of scalars), "list", "map", or "table" (a list of flat mappings: `columns` names the
    /// keys and each child is a row whose children are its cells, in column order).
    pub(crate) shape: &'static str,
    /// Column names of a table.
    pub(crate) columns: Vec<String>,
    /// The text of a scalar.
    pub(crate) text: String,
    /// Site-relative URL when the text names a page or item.
    pub(crate) url: Option<String>,
    /// The fragment after `url`, when the text names a control (its row of the catalog).
    pub(crate) anchor: Option<String>,
    /// Children of a list or mapping.
    pub(crate) children: Vec<FieldCtx>,
}

/// The most content pages the navigation bar lists.
const NAV_PAGES: usize = 12;

/// Builds the site-wide context. `backlog`: whether the backlog page is rendered (it is
/// linked from the navigation when the site has threat models or tabletops).
pub(crate) fn site_ctx(site: &Site, backlog: bool, coverage: bool) -> SiteCtx {
    let mut pages: Vec<&Page> = site.pages.iter().filter(|p| !p.url.is_empty()).collect();
    pages.sort_by(|a, b| {
        (a.front.weight.unwrap_or(i64::MAX), &a.url)
            .cmp(&(b.front.weight.unwrap_or(i64::MAX), &b.url))
    });
    let kinds: Vec<KindSummary> = Kind::PAGES
        .iter()
        .map(|k| KindSummary {
            kind: k.name(),
            label: k.plural_label(),
            url: url::kind_url(*k),
            count: site.items.iter().filter(|i| i.header.kind == *k).count(),
        })
        .collect();
    // The navigation is on every page, so it must not grow with the site: it lists the
    // top-level pages and the pages that opt in with a `weight`, at most NAV_PAGES.
    let mut nav: Vec<NavLink> = pages
        .iter()
        .filter(|p| p.front.weight.is_some() || p.url.matches('/').count() <= 1)
        .take(NAV_PAGES)
        .map(|p| NavLink {
            title: p.title.clone(),
            url: p.url.clone(),
            section: "page",
        })
        .collect();
    nav.extend(kinds.iter().filter(|k| k.count > 0).map(|k| NavLink {
        title: k.label.to_owned(),
        url: k.url.clone(),
        section: "kind",
    }));
    let has_backlog_sources = site
        .items
        .iter()
        .any(|i| matches!(i.header.kind, Kind::ThreatModel | Kind::Tabletop));
    if backlog && has_backlog_sources {
        nav.push(NavLink {
            title: "Backlog".to_owned(),
            url: super::BACKLOG_URL.to_owned(),
            section: "backlog",
        });
    }
    if coverage
        && site
            .items
            .iter()
            .any(|i| matches!(i.header.kind, Kind::Rubric | Kind::Portfolio))
    {
        nav.push(NavLink {
            title: "Coverage".to_owned(),
            url: url::COVERAGE_URL.to_owned(),
            section: "coverage",
        });
    }
    SiteCtx {
        title: site.config.title.clone(),
        base_url: site.config.base_url.clone(),
        generator: format!("Evidentia {}", env!("CARGO_PKG_VERSION")),
        nav,
        kinds,
        feed: false,
    }
}

/// Links to each id in `ids`, in order, skipping ids that do not resolve.
pub(crate) fn links<'a>(registry: &Registry, ids: impl Iterator<Item = &'a str>) -> Vec<LinkCtx> {
    ids.filter_map(|id| {
        registry.get(id).map(|t| LinkCtx {
            id: id.to_owned(),
            title: t.title.clone(),
            url: t.url.clone(),
            kind: match t.kind {
                TargetKind::Page => "Page",
                TargetKind::Item(k) => k.label(),
            },
        })
    })
    .collect()
}

/// The diagnostics about one file, for its page. `diags` must be sorted by file, as
/// [`crate::diag::sort`] leaves them (the build sorts them before rendering): the file's
/// run is found by binary search, because a scan per page made a site of 100,000 tiny
/// files, each with a warning, quadratic (10^10 comparisons, most of a two-minute build).
pub(crate) fn diags_for(diags: &[Diagnostic], file: &str) -> Vec<DiagCtx> {
    of_file(diags, file)
        .iter()
        .map(|d| DiagCtx {
            severity: d.severity.to_string(),
            code: d.code,
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            help: d.help.clone(),
        })
        .collect()
}

/// The fields of an item below its header, as a tree.
pub(crate) fn fields(item: &Item, registry: &Registry) -> Vec<FieldCtx> {
    match &item.data.value {
        Value::Map(entries) => entries
            .iter()
            .filter(|e| !crate::model::HEADER_FIELDS.contains(&e.key.as_str()))
            .map(|e| field(Some(e.key.clone()), &e.node, registry, &item.header.id))
            .collect(),
        _ => Vec::new(),
    }
}

fn node_ctx(key: Option<String>, shape: &'static str, children: Vec<FieldCtx>) -> FieldCtx {
    FieldCtx {
        key,
        shape,
        text: String::new(),
        url: None,
        anchor: None,
        children,
        columns: Vec::new(),
    }
}

fn field(key: Option<String>, node: &Node, registry: &Registry, own_id: &str) -> FieldCtx {
    let nested = |key: Option<String>, n: &Node| field(key, n, registry, own_id);
    match &node.value {
        Value::Seq(items) => match table_columns(items) {
            Some(columns) => {
                let null = Node::unplaced(Value::Null);
                let rows = items
                    .iter()
                    .map(|row| {
                        let cells = columns
                            .iter()
                            .map(|c| nested(Some(c.clone()), row.get(c).unwrap_or(&null)))
                            .collect();
                        node_ctx(None, "map", cells)
                    })
                    .collect();
                let mut table = node_ctx(key, "table", rows);
                table.columns = columns;
                table
            }
            None => {
                let shape = if items.iter().all(|n| n.scalar_text().is_some()) {
                    "values"
                } else {
                    "list"
                };
                node_ctx(key, shape, items.iter().map(|n| nested(None, n)).collect())
            }
        },
        Value::Map(entries) => node_ctx(
            key,
            "map",
            entries
                .iter()
                .map(|e| nested(Some(e.key.clone()), &e.node))
                .collect(),
        ),
        _ => {
            let text = node.scalar_text().unwrap_or_default();
            let mut leaf = node_ctx(key, "text", Vec::new());
            // A control's id may hold spaces, which make other text prose.
            if let Some(c) = registry.control(&text) {
                leaf.url = Some(c.target.url.clone());
                leaf.anchor = Some(crate::model::url::fragment(c.control));
            } else {
                leaf.url = crate::model::reference_id(&text)
                    .filter(|id| *id != own_id)
                    .and_then(|id| registry.get(id))
                    .map(|t| t.url.clone());
            }
            leaf.text = text;
            leaf
        }
    }
}

/// The columns of a list that reads best as a table: two or more mappings whose values
/// are all short scalars or lists of scalars, with at most eight distinct keys.
fn table_columns(items: &[Node]) -> Option<Vec<String>> {
    if items.len() < 2 {
        return None;
    }
    let mut columns: Vec<String> = Vec::new();
    for item in items {
        let Value::Map(entries) = &item.value else {
            return None;
        };
        for e in entries {
            let flat = match &e.node.value {
                Value::Map(_) => false,
                Value::Seq(xs) => xs.iter().all(|x| x.scalar_text().is_some()),
                Value::Str(s) => s.len() <= 160,
                _ => true,
            };
            if !flat {
                return None;
            }
            if !columns.contains(&e.key) {
                columns.push(e.key.clone());
            }
        }
    }
    (columns.len() <= 8).then_some(columns)
}

/// The run of `diags` (sorted as [`crate::diag::sort`] leaves them) about `file`.
pub(crate) fn of_file<'a>(diags: &'a [Diagnostic], file: &str) -> &'a [Diagnostic] {
    crate::model::run_of_file(diags, |d| &d.file, file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_gets_every_diagnostic_about_its_file_and_no_other() {
        let mut diags: Vec<Diagnostic> = ["evidence/b.yaml", "content/a.md", "evidence/b.yaml"]
            .iter()
            .chain(["evidence/b.yaml.bak", "evidence/a.yaml"].iter())
            .enumerate()
            .map(|(i, f)| Diagnostic::warning("W0404", *f, format!("message {i}")))
            .collect();
        crate::diag::sort(&mut diags);
        let messages = |file| -> Vec<String> {
            diags_for(&diags, file)
                .into_iter()
                .map(|d| d.message)
                .collect()
        };
        assert_eq!(messages("evidence/b.yaml"), ["message 0", "message 2"]);
        assert_eq!(messages("content/a.md"), ["message 1"]);
        assert_eq!(messages("evidence/a.yaml"), ["message 4"]);
        assert!(messages("evidence/c.yaml").is_empty());
        assert!(messages("").is_empty());
    }
}
