//! Control pages (DESIGN 3.8, 5.1): one page per control with its text, its crosswalk
//! mappings both ways and the packets and evidence that satisfy it directly and through
//! a crosswalk; and the index of catalogs with how many controls have evidence.

use super::format::text;
use super::index::{Index, Link};
use crate::link::controls::{Mapping, Satisfaction};
use crate::model::decode::Choice;
use crate::model::kinds::Body;
use crate::model::kinds::catalog::{Catalog, Control};
use crate::model::{Item, url};
use serde::Serialize;

/// One control's page.
#[derive(Debug, Serialize)]
pub(crate) struct ControlPage {
    /// `CATALOG:CONTROL`.
    reference: String,
    id: String,
    title: Option<String>,
    family: Option<String>,
    description: Option<String>,
    catalog: Link,
    mappings: Vec<MappingView>,
    direct: Vec<SatisfactionView>,
    crosswalked: Vec<CrosswalkView>,
    /// Items other than packets that cite the control (threat mitigations).
    cited_by: Vec<Link>,
}

#[derive(Debug, Serialize)]
struct MappingView {
    /// The other control.
    other: Link,
    relation: &'static str,
    /// Whether this control states the mapping (`this REL other`).
    outgoing: bool,
    /// The relation in words (`a subset of`).
    words: &'static str,
}

#[derive(Debug, Serialize)]
struct SatisfactionView {
    packet: Link,
    status: &'static str,
    /// The packet it is inherited from, when it is.
    from: Option<Link>,
    evidence: Vec<Link>,
}

#[derive(Debug, Serialize)]
struct CrosswalkView {
    through: MappingView,
    satisfaction: SatisfactionView,
}

fn relation_words(relation: &'static str) -> &'static str {
    match relation {
        "equivalent-to" => "equivalent to",
        "subset-of" => "a subset of",
        "superset-of" => "a superset of",
        _ => "intersects with",
    }
}

fn mapping(index: &Index<'_>, m: &Mapping, from: &str) -> MappingView {
    let relation = m.relation.name();
    let words = relation_words(relation);
    MappingView {
        other: index.link(from, &m.other),
        relation,
        outgoing: m.outgoing,
        words,
    }
}

fn satisfaction(index: &Index<'_>, s: &Satisfaction, from: &str) -> SatisfactionView {
    SatisfactionView {
        packet: index.link(from, &s.packet),
        status: index
            .graph
            .packets()
            .get(&s.packet)
            .map_or("incomplete", |r| r.status.word()),
        from: s.via.last().map(|p| index.link(from, p)),
        evidence: s.evidence.iter().map(|e| index.link(from, e)).collect(),
    }
}

/// The page of `control` of catalog `item`, shown at `from`.
pub(crate) fn control_page(
    index: &Index<'_>,
    item: &Item,
    control: &Control,
    from: &str,
) -> ControlPage {
    let catalog = item.header.id.as_str();
    let id = control.id.value.trim();
    let reference = format!("{catalog}:{id}");
    let facts = index.graph.controls().get(&reference);
    ControlPage {
        id: id.to_owned(),
        title: text(&control.title),
        family: text(&control.family),
        description: text(&control.description),
        catalog: Link {
            text: item.header.title.clone(),
            href: Some(url::href(from, item.url_str())),
            title: Some(catalog.to_owned()),
        },
        mappings: facts
            .into_iter()
            .flat_map(|f| &f.mappings)
            .map(|m| mapping(index, m, from))
            .collect(),
        direct: facts
            .into_iter()
            .flat_map(|f| &f.direct)
            .map(|s| satisfaction(index, s, from))
            .collect(),
        crosswalked: facts
            .into_iter()
            .flat_map(|f| &f.crosswalked)
            .map(|c| CrosswalkView {
                through: mapping(index, &c.mapping, from),
                satisfaction: satisfaction(index, &c.satisfaction, from),
            })
            .collect(),
        cited_by: index
            .control_users
            .get(&(catalog, control.id.value.as_str()))
            .into_iter()
            .flatten()
            .filter(|u| {
                index
                    .site
                    .registry
                    .get(u)
                    .and_then(|t| index.site.items.get(t.index))
                    .is_some_and(|i| !matches!(i.body, Body::Packet(_)))
            })
            .map(|u| index.link(from, u))
            .collect(),
        reference,
    }
}

/// The index of catalogs with their coverage.
#[derive(Debug, Serialize)]
pub(crate) struct ControlsIndex {
    catalogs: Vec<CatalogRow>,
}

#[derive(Debug, Serialize)]
struct CatalogRow {
    catalog: Link,
    id: String,
    total: usize,
    direct: usize,
    covered: usize,
    /// `covered` out of `total`, in whole percent (for the bar).
    percent: usize,
    /// Controls without evidence, linked to their pages.
    uncovered: Vec<Link>,
}

/// Builds the index of catalogs as the page at `from` shows it.
pub(crate) fn controls_index(index: &Index<'_>, from: &str) -> ControlsIndex {
    let mut catalogs: Vec<(&Item, &Catalog)> = index
        .site
        .items
        .iter()
        .filter_map(|i| match &i.body {
            Body::Catalog(c) => Some((i, c)),
            _ => None,
        })
        .collect();
    catalogs.sort_by(|a, b| {
        (&a.0.header.title, &a.0.header.id).cmp(&(&b.0.header.title, &b.0.header.id))
    });
    ControlsIndex {
        catalogs: catalogs
            .into_iter()
            .map(|(item, c)| {
                let id = item.header.id.as_str();
                let cov = index.graph.controls().catalog(id);
                let uncovered = c
                    .controls
                    .iter()
                    .filter(|x| {
                        let r = format!("{id}:{}", x.id.value.trim());
                        !index.graph.controls().get(&r).is_some_and(|f| f.covered())
                    })
                    .map(|x| Link {
                        text: x.id.value.trim().to_owned(),
                        href: Some(url::href(from, &url::control_url(id, x.id.value.trim()))),
                        title: text(&x.title),
                    })
                    .collect();
                CatalogRow {
                    catalog: Link {
                        text: item.header.title.clone(),
                        href: Some(url::href(from, item.url_str())),
                        title: Some(id.to_owned()),
                    },
                    id: id.to_owned(),
                    total: cov.total,
                    direct: cov.direct,
                    covered: cov.covered,
                    percent: (cov.covered * 100).checked_div(cov.total).unwrap_or(0),
                    uncovered,
                }
            })
            .collect(),
    }
}
