//! A catalog's view: its controls with their crosswalk (both ways), the items citing
//! them and their coverage.

use super::format::{ExternalLink, external_link, text};
use super::index::{Index, Link};
use crate::model::decode::Choice;
use crate::model::kinds::Body;
use crate::model::kinds::catalog::{Catalog, Relation};
use crate::model::url::fragment;
use crate::model::{TargetKind, url};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub(crate) struct CatalogView {
    source: Option<String>,
    license: Option<String>,
    version: Option<String>,
    /// Where to read the source: a link only when it is a web address.
    url: Option<ExternalLink>,
    controls: Vec<ControlView>,
    /// How many crosswalk mappings the controls have.
    mappings: usize,
    /// Whether any control has a description (else the column is left out).
    has_descriptions: bool,
    /// Whether any control maps or is mapped onto (else the column is left out).
    has_crosswalk: bool,
    /// Controls with evidence, directly or through a crosswalk.
    covered: usize,
    /// Controls with evidence cited directly.
    direct: usize,
}

#[derive(Debug, Serialize)]
struct ControlView {
    id: String,
    /// The row's HTML id, which links to the control name as their fragment.
    anchor: String,
    title: Option<String>,
    family: Option<String>,
    description: Option<String>,
    /// Crosswalk: how it maps onto controls of other catalogs, then how theirs map
    /// onto it (with the relation read from this side).
    maps: Vec<MappingView>,
    /// The control's own page.
    href: String,
    /// Items that cite the control.
    used_by: Vec<Link>,
    /// Whether a packet cites evidence for it directly.
    direct: bool,
    /// Whether a packet cites evidence for it, directly or through a crosswalk.
    covered: bool,
}

#[derive(Debug, Serialize)]
struct MappingView {
    /// equivalent-to, subset-of, superset-of or intersects-with.
    relation: &'static str,
    /// The relation in words (equivalent to, ...).
    label: String,
    /// The other control, linked when the site has it.
    to: Link,
    /// Whether the other catalog wrote the mapping (onto this control).
    inbound: bool,
}

/// The relation read from the other side: A subset-of B is B superset-of A.
fn inverse(r: Relation) -> Relation {
    match r {
        Relation::SubsetOf => Relation::SupersetOf,
        Relation::SupersetOf => Relation::SubsetOf,
        other => other,
    }
}

fn mapping(
    index: &Index<'_>,
    from: &str,
    relation: Relation,
    to: &str,
    inbound: bool,
) -> MappingView {
    let relation = relation.name();
    MappingView {
        relation,
        label: relation.replace('-', " "),
        to: index.link(from, to),
        inbound,
    }
}

pub(super) fn view(index: &Index<'_>, own: &str, c: &Catalog, from: &str) -> CatalogView {
    let coverage = index.graph.controls().catalog(own);
    // Mappings other catalogs make onto this one's controls, by control id: shown from
    // this side too, with the relation turned round.
    let mut inbound: BTreeMap<&str, Vec<MappingView>> = BTreeMap::new();
    for item in &index.site.items {
        let Body::Catalog(other) = &item.body else {
            continue;
        };
        for x in &other.controls {
            for m in &x.maps {
                if let Some((cat, ctl)) = crate::model::control_ref(&m.to.value)
                    && cat == own
                {
                    let source = format!("{}:{}", item.header.id, x.id.value.trim());
                    inbound.entry(ctl).or_default().push(mapping(
                        index,
                        from,
                        inverse(m.relation.value),
                        &source,
                        true,
                    ));
                }
            }
        }
    }
    let is_catalog = |id: &str| {
        matches!(
            index.site.registry.get(id).map(|t| t.kind),
            Some(TargetKind::Item(crate::model::Kind::Catalog))
        )
    };
    let controls: Vec<ControlView> = c
        .controls
        .iter()
        .map(|x| {
            let id = x.id.value.trim();
            let mut maps: Vec<MappingView> = x
                .maps
                .iter()
                .map(|m| mapping(index, from, m.relation.value, &m.to.value, false))
                .collect();
            maps.extend(inbound.remove(id).unwrap_or_default());
            ControlView {
                id: id.to_owned(),
                anchor: fragment(id),
                href: url::href(from, &url::control_url(own, id)),
                direct: index
                    .graph
                    .controls()
                    .get(&format!("{own}:{id}"))
                    .is_some_and(|f| f.has_direct()),
                covered: index
                    .graph
                    .controls()
                    .get(&format!("{own}:{id}"))
                    .is_some_and(|f| f.covered()),
                title: text(&x.title),
                family: text(&x.family),
                description: text(&x.description),
                maps,
                // Catalogs that map onto the control are in its crosswalk already.
                used_by: index
                    .control_users
                    .get(&(own, id))
                    .into_iter()
                    .flatten()
                    .filter(|u| !is_catalog(u))
                    .map(|u| index.link(from, u))
                    .collect(),
            }
        })
        .collect();
    CatalogView {
        source: text(&c.source),
        license: text(&c.license),
        version: text(&c.version),
        url: c.url.as_ref().map(|u| external_link(&u.value)),
        mappings: c.controls.iter().map(|x| x.maps.len()).sum(),
        has_descriptions: controls.iter().any(|x| x.description.is_some()),
        has_crosswalk: controls.iter().any(|x| !x.maps.is_empty()),
        covered: coverage.covered,
        direct: coverage.direct,
        controls,
    }
}
