//! Control coverage (DESIGN 2, 3.8): for every control of every catalog, the packets
//! and evidence that satisfy it directly and through the catalogs' crosswalks, the
//! crosswalk mappings both ways, and per catalog how many controls have evidence.

use super::packets::{Packets, Via};
use crate::model::Site;
use crate::model::kinds::Body;
use crate::model::kinds::catalog::Relation;
use serde::Serialize;
use std::collections::BTreeMap;

/// A packet's evidence for one control.
#[derive(Debug, Clone, Serialize)]
pub struct Satisfaction {
    /// The packet.
    pub packet: String,
    /// The chain of `extends` it inherits the control through (empty: its own).
    pub via: Via,
    /// The evidence it cites.
    pub evidence: Vec<String>,
}

/// One crosswalk mapping, seen from one of its two controls.
#[derive(Debug, Clone, Serialize)]
pub struct Mapping {
    /// The other control, `CATALOG:CONTROL`.
    pub other: String,
    /// The relation as written in the catalog that states it.
    pub relation: Relation,
    /// Whether this control states it (`this REL other`); otherwise the other control
    /// does (`other REL this`).
    pub outgoing: bool,
}

/// A packet's evidence for another control that a crosswalk relates to this one.
#[derive(Debug, Clone, Serialize)]
pub struct Crosswalked {
    /// The mapping it comes through.
    pub mapping: Mapping,
    /// The evidence for the other control.
    pub satisfaction: Satisfaction,
}

/// What the site knows about one control.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ControlFacts {
    /// Crosswalk mappings from and to this control.
    pub mappings: Vec<Mapping>,
    /// Packets citing evidence for it (own or inherited entries).
    pub direct: Vec<Satisfaction>,
    /// Packets citing evidence for a control it maps to or from.
    pub crosswalked: Vec<Crosswalked>,
}

impl ControlFacts {
    /// Whether some packet cites evidence for it, directly or through a crosswalk.
    pub fn covered(&self) -> bool {
        self.has_direct() || !self.crosswalked.is_empty()
    }

    /// Whether some packet cites evidence for it directly.
    pub fn has_direct(&self) -> bool {
        !self.direct.is_empty()
    }
}

/// How much of one catalog has evidence.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct CatalogCoverage {
    /// Controls in the catalog.
    pub total: usize,
    /// Controls with evidence cited directly.
    pub direct: usize,
    /// Controls with evidence, directly or through a crosswalk.
    pub covered: usize,
}

/// Every control's facts, keyed by `CATALOG:CONTROL`.
#[derive(Debug, Clone, Default)]
pub struct Controls {
    facts: BTreeMap<String, ControlFacts>,
    catalogs: BTreeMap<String, CatalogCoverage>,
}

/// The key of a control reference: `CATALOG:CONTROL` with the parts trimmed.
pub fn key(reference: &str) -> Option<String> {
    let (catalog, control) = reference.trim().split_once(':')?;
    Some(format!("{}:{}", catalog.trim(), control.trim()))
}

impl Controls {
    /// Indexes the controls of every catalog of `site` against the resolved packets.
    pub fn build(site: &Site, packets: &Packets) -> Controls {
        let mut facts: BTreeMap<String, ControlFacts> = BTreeMap::new();
        for item in &site.items {
            let Body::Catalog(c) = &item.body else {
                continue;
            };
            for control in &c.controls {
                let own = format!("{}:{}", item.header.id, control.id.value.trim());
                facts.entry(own.clone()).or_default();
                for m in &control.maps {
                    let Some(other) = key(&m.to.value) else {
                        continue;
                    };
                    facts
                        .entry(own.clone())
                        .or_default()
                        .mappings
                        .push(Mapping {
                            other: other.clone(),
                            relation: m.relation.value,
                            outgoing: true,
                        });
                    facts.entry(other).or_default().mappings.push(Mapping {
                        other: own.clone(),
                        relation: m.relation.value,
                        outgoing: false,
                    });
                }
            }
        }
        for p in packets.iter() {
            for c in p.controls.iter().filter(|c| !c.evidence.is_empty()) {
                if let Some(k) = key(&c.control) {
                    facts.entry(k).or_default().direct.push(Satisfaction {
                        packet: p.id.clone(),
                        via: c.via.clone(),
                        evidence: c.evidence.clone(),
                    });
                }
            }
        }
        let mut crosswalks: Vec<(String, Crosswalked)> = Vec::new();
        for (k, f) in &facts {
            for m in &f.mappings {
                for s in facts.get(&m.other).into_iter().flat_map(|o| &o.direct) {
                    crosswalks.push((
                        k.clone(),
                        Crosswalked {
                            mapping: m.clone(),
                            satisfaction: s.clone(),
                        },
                    ));
                }
            }
        }
        for (k, c) in crosswalks {
            if let Some(f) = facts.get_mut(&k) {
                f.crosswalked.push(c);
            }
        }
        let mut catalogs: BTreeMap<String, CatalogCoverage> = BTreeMap::new();
        for item in &site.items {
            let Body::Catalog(c) = &item.body else {
                continue;
            };
            let cov = catalogs.entry(item.header.id.clone()).or_default();
            for control in &c.controls {
                let k = format!("{}:{}", item.header.id, control.id.value.trim());
                cov.total += 1;
                if let Some(f) = facts.get(&k) {
                    cov.direct += usize::from(f.has_direct());
                    cov.covered += usize::from(f.covered());
                }
            }
        }
        Controls { facts, catalogs }
    }

    /// The facts of control `CATALOG:CONTROL`.
    pub fn get(&self, control: &str) -> Option<&ControlFacts> {
        key(control).and_then(|k| self.facts.get(&k))
    }

    /// How much of catalog `id` has evidence.
    pub fn catalog(&self, id: &str) -> CatalogCoverage {
        self.catalogs.get(id).copied().unwrap_or_default()
    }
}
