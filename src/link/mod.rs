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
use std::collections::{BTreeMap, BTreeSet};

/// The id a wiki link's target names: itself, or the catalog of the control it names
/// (`[[nist-ai-rmf:GOVERN 1.1]]` links to `nist-ai-rmf`).
fn link_target<'s>(site: &'s Site, target: &'s str) -> Option<&'s str> {
    match site.registry.get(target) {
        Some(_) => Some(target),
        None => site.registry.control(target).map(|c| c.catalog),
    }
}

/// The reference graph of a site, by id. Only references that resolve are edges: the
/// check stage has already reported the others.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    outgoing: BTreeMap<String, BTreeSet<String>>,
    incoming: BTreeMap<String, BTreeSet<String>>,
    packets: packets::Packets,
    controls: controls::Controls,
}

impl Graph {
    /// Builds the graph from every page's wiki links and every typed reference of every
    /// item (evidence, controls, criteria, covered findings, extended packets), and
    /// resolves every packet. `diagnostics` are the checks' findings: a packet whose
    /// evidence has errors is not approved.
    pub fn build(site: &Site, diagnostics: &[Diagnostic]) -> Graph {
        let mut g = Graph::default();
        g.packets = packets::Packets::build(site, &site.config.packets, diagnostics);
        g.controls = controls::Controls::build(site, &g.packets);
        for page in &site.pages {
            for link in &page.links {
                if let Some(target) = link_target(site, &link.target)
                    && target != page.id
                {
                    g.add(&page.id, target);
                }
            }
        }
        for item in &site.items {
            let own = item.header.id.as_str();
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
                    g.add(own, target);
                }
            }
            g.add_module_links(site, item);
        }
        g
    }

    /// A roadmap links to what its wiki links name and to its prerequisites and next
    /// modules that the site has; a portfolio links to its module.
    fn add_module_links(&mut self, site: &Site, item: &crate::model::Item) {
        let own = item.header.id.as_str();
        match &item.body {
            Body::Module(m) => {
                for link in &m.links {
                    if let Some(target) = link_target(site, &link.target)
                        && target != own
                    {
                        self.add(own, target);
                    }
                }
                for r in m.prerequisites.iter().chain(&m.next) {
                    if let ModuleRef::Id { id } = r
                        && let Some((target, _)) = site.registry.module(&id.value)
                        && target != own
                    {
                        self.add(own, target);
                    }
                }
            }
            Body::Portfolio(p) => {
                if let Some((target, _)) = p
                    .module
                    .as_ref()
                    .and_then(|m| site.registry.module(&m.value))
                {
                    self.add(own, target);
                }
            }
            _ => {}
        }
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
        self.incoming
            .get(id)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }
}
