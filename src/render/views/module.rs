//! The module page (DESIGN 3.9): overview facts, competency targets linked to their
//! rubrics, the curriculum graph (prerequisites -> this module -> next modules), the rest
//! of the roadmap as its body, and the portfolios submitted for the module.

use super::format::{text, texts};
use super::index::{Index, Link};
use crate::model::kinds::Body;
use crate::model::kinds::module::{Module, ModuleRef, in_range};
use crate::model::{Item, url};
use crate::render::markdown;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub(crate) struct ModuleView {
    module_title: Option<String>,
    roles: Vec<String>,
    duration: Option<DurationView>,
    /// Overview bullets kept as written.
    facts: Vec<FactView>,
    competencies: Vec<TargetView>,
    /// Headers of the table's extra columns, in order.
    extra_columns: Vec<String>,
    prerequisites: Vec<GraphNode>,
    next: Vec<GraphNode>,
    /// The rest of the roadmap as sanitised HTML.
    body: String,
    portfolios: Vec<PortfolioRow>,
}

#[derive(Debug, Serialize)]
struct DurationView {
    text: String,
    total: String,
    parts: Vec<FactView>,
}

#[derive(Debug, Serialize)]
struct FactView {
    label: String,
    value: String,
}

#[derive(Debug, Serialize)]
struct TargetView {
    competency: Option<String>,
    /// The rubrics whose `competency` is this one (ignoring case).
    rubrics: Vec<Link>,
    proficiency: Option<String>,
    evidence: Option<String>,
    /// The evidence cell as sanitised inline HTML, its `[[links]]` resolved.
    evidence_html: Option<String>,
    role: Option<String>,
    /// One cell per extra column, in `extra_columns` order.
    extra: Vec<String>,
}

/// One module of the curriculum graph, or a range or free text.
#[derive(Debug, Serialize)]
struct GraphNode {
    /// "module", "range" or "text".
    kind: &'static str,
    /// The module (linked when the site has it) or the text as written.
    link: Link,
    /// Whether the site has the module (for a range: any of its members).
    in_site: bool,
    /// A range's members that the site has.
    members: Vec<Link>,
}

#[derive(Debug, Serialize)]
struct PortfolioRow {
    /// The learner's name, or handle when the portfolio gives no name.
    learner: Link,
    handle: String,
    claims: usize,
}

pub(crate) fn view(index: &Index<'_>, item: &Item, m: &Module, from: &str) -> ModuleView {
    let own = item.header.id.as_str();
    let mut extra_columns: Vec<String> = Vec::new();
    for t in &m.competencies {
        for f in &t.extra {
            if !extra_columns.contains(&f.label) {
                extra_columns.push(f.label.clone());
            }
        }
    }
    let rubrics = rubrics(index, from);
    let competencies = m
        .competencies
        .iter()
        .map(|t| TargetView {
            competency: text(&t.competency),
            rubrics: t
                .competency
                .as_ref()
                .and_then(|c| rubrics.get(&c.value.trim().to_lowercase()))
                .map(|links| {
                    links
                        .iter()
                        .map(|l| Link {
                            text: l.text.clone(),
                            href: l.href.clone(),
                            title: l.title.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            proficiency: text(&t.proficiency),
            evidence: text(&t.evidence),
            evidence_html: t
                .evidence_markdown
                .as_deref()
                .map(|md| inline_html(md, index, from)),
            role: text(&t.role),
            extra: extra_columns
                .iter()
                .map(|col| {
                    t.extra
                        .iter()
                        .find(|f| &f.label == col)
                        .map(|f| f.value.value.clone())
                        .unwrap_or_default()
                })
                .collect(),
        })
        .collect();
    ModuleView {
        module_title: text(&m.module_title),
        roles: texts(&m.roles),
        duration: m.duration.as_ref().map(|d| DurationView {
            text: d.text.value.clone(),
            total: d.total.clone(),
            parts: d
                .parts
                .iter()
                .map(|p| FactView {
                    label: p.label.clone(),
                    value: p.amount.clone().unwrap_or_default(),
                })
                .collect(),
        }),
        facts: m
            .facts
            .iter()
            .map(|f| FactView {
                label: f.label.clone(),
                value: f.value.value.clone(),
            })
            .collect(),
        competencies,
        extra_columns,
        prerequisites: m
            .prerequisites
            .iter()
            .map(|r| node(index, own, r, from))
            .collect(),
        next: m.next.iter().map(|r| node(index, own, r, from)).collect(),
        body: markdown::to_html(&m.body, &index.site.registry, from),
        portfolios: portfolios(index, own, from),
    }
}

/// Links to the rubrics of each competency (lowercased), in file order; built once per
/// page so that a long competency table does not rescan the site for every row.
fn rubrics(index: &Index<'_>, from: &str) -> BTreeMap<String, Vec<Link>> {
    let mut out: BTreeMap<String, Vec<Link>> = BTreeMap::new();
    for i in &index.site.items {
        if let Body::Rubric(r) = &i.body
            && let Some(c) = &r.competency
        {
            out.entry(c.value.trim().to_lowercase())
                .or_default()
                .push(Link {
                    text: i.header.id.clone(),
                    href: Some(url::href(from, &url::item_url(i.header.kind, &i.header.id))),
                    title: Some(i.header.title.clone()),
                });
        }
    }
    out
}

/// A module of the site as a link, by any case of its id.
fn module_link(index: &Index<'_>, id: &str, from: &str) -> Option<Link> {
    index.site.registry.module(id).map(|(_, t)| Link {
        text: id.to_owned(),
        href: Some(url::href(from, &t.url)),
        title: Some(t.title.clone()),
    })
}

fn node(index: &Index<'_>, own: &str, r: &ModuleRef, from: &str) -> GraphNode {
    let plain = |text: &str| Link {
        text: text.to_owned(),
        href: None,
        title: None,
    };
    match r {
        ModuleRef::Id { id } => match module_link(index, &id.value, from) {
            Some(link) => GraphNode {
                kind: "module",
                link,
                in_site: true,
                members: Vec::new(),
            },
            None => GraphNode {
                kind: "module",
                link: plain(&id.value),
                in_site: false,
                members: Vec::new(),
            },
        },
        ModuleRef::Range { text, first, last } => {
            let members: Vec<Link> = index
                .site
                .registry
                .modules()
                .filter(|(id, _)| *id != own && in_range(id, first, last))
                .filter_map(|(id, _)| module_link(index, id, from))
                .collect();
            GraphNode {
                kind: "range",
                link: plain(&text.value),
                in_site: !members.is_empty(),
                members,
            }
        }
        ModuleRef::Text { text } => GraphNode {
            kind: "text",
            link: plain(&text.value),
            in_site: false,
            members: Vec::new(),
        },
    }
}

/// The portfolios whose `module` names this module (ignoring case), by learner.
fn portfolios(index: &Index<'_>, own: &str, from: &str) -> Vec<PortfolioRow> {
    let registry = &index.site.registry;
    let mut rows: Vec<PortfolioRow> = index
        .site
        .items
        .iter()
        .filter_map(|i| match &i.body {
            Body::Portfolio(p) => p
                .module
                .as_ref()
                .and_then(|m| registry.module(&m.value))
                .filter(|(id, _)| *id == own)
                .map(|_| (i, p)),
            _ => None,
        })
        .map(|(i, p)| {
            // The URL the registry gives: portfolio pages may move (to learner pages)
            // without this view changing.
            let href = registry.get(&i.header.id).map(|t| url::href(from, &t.url));
            let name = text(&p.learner.name).unwrap_or_else(|| p.learner.handle.value.clone());
            PortfolioRow {
                learner: Link {
                    text: name,
                    href,
                    title: Some(i.header.title.clone()),
                },
                handle: p.learner.handle.value.clone(),
                claims: p.claims.len(),
            }
        })
        .collect();
    rows.sort_by(|a, b| (&a.learner.text, &a.handle).cmp(&(&b.learner.text, &b.handle)));
    rows
}
/// One table cell's Markdown as inline HTML: the renderer's paragraph around it removed,
/// so the cell holds text and links, not a block.
fn inline_html(markdown: &str, index: &Index<'_>, from: &str) -> String {
    let html = markdown::to_html(markdown, &index.site.registry, from);
    let trimmed = html.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => trimmed.to_owned(),
    }
}
