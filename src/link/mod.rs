//! Link: the reference graph. Who links to whom, so every page can show its outgoing links
//! and its backlinks ("referenced by").

use crate::model::{Node, Site, Value, reference_id};
use std::collections::{BTreeMap, BTreeSet};

/// The reference graph of a site, by id. Only references that resolve are edges: the
/// check stage has already reported the others.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    outgoing: BTreeMap<String, BTreeSet<String>>,
    incoming: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    /// Builds the graph from every page's wiki links and every reference-shaped value in
    /// an item (`ITEM`, `ITEM#SUB`, `CATALOG:CONTROL`) that names another item.
    pub fn build(site: &Site) -> Graph {
        let mut g = Graph::default();
        for page in &site.pages {
            for link in &page.links {
                if link.target != page.id && site.registry.get(&link.target).is_some() {
                    g.add(&page.id, &link.target);
                }
            }
        }
        for item in &site.items {
            let own = item.header.id.as_str();
            let mut targets = BTreeSet::new();
            collect_refs(&item.data, &mut targets);
            for t in targets {
                let is_item = matches!(
                    site.registry.get(t).map(|t| t.kind),
                    Some(crate::model::TargetKind::Item(_))
                );
                if t != own && is_item {
                    g.add(own, t);
                }
            }
        }
        g
    }

    fn add(&mut self, from: &str, to: &str) {
        self.outgoing
            .entry(from.to_owned())
            .or_default()
            .insert(to.to_owned());
        self.incoming
            .entry(to.to_owned())
            .or_default()
            .insert(from.to_owned());
    }

    /// Ids that `id` links to, sorted.
    pub fn outgoing(&self, id: &str) -> impl Iterator<Item = &str> {
        self.outgoing
            .get(id)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }

    /// Ids that link to `id`, sorted.
    pub fn backlinks(&self, id: &str) -> impl Iterator<Item = &str> {
        self.incoming
            .get(id)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }
}

/// Keys whose values name people, teams or labels, never items (a team called
/// `platform-security` is not the rubric of that id).
const NOT_REFERENCES: &[&str] = &[
    "id",
    "kind",
    "title",
    "owner",
    "tags",
    "updated",
    "role",
    "by",
    "reviewer",
    "name",
    "handle",
    "approved_by",
    "participants",
    "learner",
];

fn collect_refs<'a>(node: &'a Node, out: &mut BTreeSet<&'a str>) {
    match &node.value {
        Value::Str(s) => {
            if let Some(id) = reference_id(s) {
                out.insert(id);
            }
        }
        Value::Seq(items) => items.iter().for_each(|n| collect_refs(n, out)),
        Value::Map(entries) => entries
            .iter()
            .filter(|e| !NOT_REFERENCES.contains(&e.key.as_str()))
            .for_each(|e| collect_refs(&e.node, out)),
        _ => {}
    }
}
