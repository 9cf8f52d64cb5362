//! Link: the reference graph. Who links to whom, so every page can show its outgoing links
//! and its backlinks ("referenced by"), which packets reuse what (through `extends`), and
//! which controls have evidence.

pub mod affected;
pub mod controls;
pub mod packets;

use crate::diag::Diagnostic;
use crate::model::kinds::module::ModuleRef;
use crate::model::kinds::{Body, RefRule};
use crate::model::{Site, TargetKind};
use rayon::prelude::*;
use std::collections::HashMap;

/// The id a wiki link's target names: itself, or the catalog of the control it names
/// (`[[nist-ai-rmf:GOVERN 1.1]]` links to `nist-ai-rmf`).
fn link_target<'s>(site: &'s Site, target: &'s str) -> Option<&'s str> {
    match site.registry.get(target) {
        Some(_) => Some(target),
        None => site.registry.control(target).map(|c| c.catalog),
    }
}

/// Every edge of the graph, `(from, to)`, in no order and possibly twice: each page's
/// wiki links, each item's typed references and its module links.
fn edges(site: &Site) -> Vec<(&str, &str)> {
    let pages = site.pages.par_iter().flat_map_iter(|page| {
        page.links.iter().filter_map(|link| {
            link_target(site, &link.target)
                .filter(|target| *target != page.id)
                .map(|target| (page.id.as_str(), target))
        })
    });
    let items = site.items.par_iter().flat_map_iter(|item| {
        let own = item.header.id.as_str();
        let mut out = Vec::new();
        for r in item.body.refs() {
            let text = r.target.value.trim();
            let target = match r.rule {
                RefRule::Local => continue,
                RefRule::Control => crate::model::control_ref(text).map_or(text, |c| c.0),
                _ => text.split('#').next().unwrap_or(text),
            };
            let is_item = matches!(
                site.registry.get(target).map(|t| t.kind),
                Some(TargetKind::Item(_))
            );
            if target != own && is_item {
                out.push((own, target));
            }
        }
        module_links(site, item, &mut out);
        out
    });
    pages.chain(items).collect()
}

/// A roadmap links to what its wiki links name and to its prerequisites and next
/// modules that the site has; a portfolio links to its module.
fn module_links<'s>(
    site: &'s Site,
    item: &'s crate::model::Item,
    out: &mut Vec<(&'s str, &'s str)>,
) {
    let own = item.header.id.as_str();
    match &item.body {
        Body::Module(m) => {
            for link in &m.links {
                if let Some(target) = link_target(site, &link.target)
                    && target != own
                {
                    out.push((own, target));
                }
            }
            for r in m.prerequisites.iter().chain(&m.next) {
                if let ModuleRef::Id { id } = r
                    && let Some((target, _)) = site.registry.module(&id.value)
                    && target != own
                {
                    out.push((own, target));
                }
            }
        }
        Body::Portfolio(p) => {
            if let Some((target, _)) = p
                .module
                .as_ref()
                .and_then(|m| site.registry.module(&m.value))
            {
                out.push((own, target));
            }
        }
        _ => {}
    }
}

/// The reference graph of a site, by id. Only references that resolve are edges: the
/// check stage has already reported the others.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Every id with an edge, sorted; the edges below name them by index.
    ids: Vec<Box<str>>,
    /// (from, to), sorted.
    outgoing: Vec<(u32, u32)>,
    /// (to, from), sorted.
    incoming: Vec<(u32, u32)>,
    packets: packets::Packets,
    controls: controls::Controls,
}

impl Graph {
    /// Builds the graph from every page's wiki links and every typed reference of every
    /// item (evidence, controls, criteria, covered findings, extended packets), and
    /// resolves every packet. `diagnostics` are the checks' findings: a packet whose
    /// evidence has errors is not approved.
    pub fn build(site: &Site, diagnostics: &[Diagnostic]) -> Graph {
        let ((packets, controls), mut edges) = rayon::join(
            || {
                let packets = packets::Packets::build(site, &site.config.packets, diagnostics);
                let controls = controls::Controls::build(site, &packets);
                (packets, controls)
            },
            || edges(site),
        );
        // Ids once, edges as pairs of indices: a map of sets of strings cost 20,000
        // sites' worth of allocations on every rebuild.
        edges.par_sort_unstable();
        edges.dedup();
        let mut names: Vec<&str> = edges.iter().flat_map(|&(from, to)| [from, to]).collect();
        names.par_sort_unstable();
        names.dedup();
        let index: HashMap<&str, u32> = names
            .iter()
            .enumerate()
            .map(|(i, name)| (*name, i as u32))
            .collect();
        let at = |name: &str| index.get(name).copied().unwrap_or_default();
        // In the order of `edges`, which is the order of the indices.
        let outgoing: Vec<(u32, u32)> = edges
            .par_iter()
            .map(|&(from, to)| (at(from), at(to)))
            .collect();
        let mut incoming: Vec<(u32, u32)> = outgoing.iter().map(|&(from, to)| (to, from)).collect();
        incoming.par_sort_unstable();
        Graph {
            ids: names.into_iter().map(Box::from).collect(),
            outgoing,
            incoming,
            packets,
            controls,
        }
    }

    /// Ids that `id` links to, sorted.
    pub fn outgoing(&self, id: &str) -> impl Iterator<Item = &str> {
        self.linked(&self.outgoing, id)
    }

    /// The second ids of the pairs of `edges` whose first is `id`.
    fn linked<'g>(&'g self, edges: &'g [(u32, u32)], id: &str) -> impl Iterator<Item = &'g str> {
        let range = match self.ids.binary_search_by(|n| (**n).cmp(id)) {
            Ok(i) => {
                let i = i as u32;
                let start = edges.partition_point(|e| e.0 < i);
                let end = start + edges[start..].partition_point(|e| e.0 == i);
                start..end
            }
            Err(_) => 0..0,
        };
        edges[range]
            .iter()
            .filter_map(|&(_, to)| self.ids.get(to as usize).map(|n| &**n))
    }

    /// Every packet with what it inherits and its status.
    pub fn packets(&self) -> &packets::Packets {
        &self.packets
    }

    /// Every control's evidence and crosswalks, and each catalog's coverage.
    pub fn controls(&self) -> &controls::Controls {
        &self.controls
    }

    /// Ids that link to `id`, sorted.
    pub fn backlinks(&self, id: &str) -> impl Iterator<Item = &str> {
        self.linked(&self.incoming, id)
    }
}
