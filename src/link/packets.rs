//! Packets as readers see them (DESIGN 3.7): each packet's own evidence, controls and
//! sign-offs together with what it inherits through `extends` (transitively), and its
//! status, derived from the sign-offs, the evidence's diagnostics and the controls'
//! evidence. Computed once per build, after the checks; a cycle in `extends` (reported by
//! the check stage) only stops the walk here.

use crate::config::Packets as Settings;
use crate::diag::Diagnostic;
use crate::model::kinds::Body;
use crate::model::kinds::packet::{Decision, Packet, Signoff};
use crate::model::{Item, Site};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Where an entry of a resolved packet comes from: the chain of `extends` from the
/// packet's direct parent to the packet that states it. Empty: the packet's own.
pub type Via = Vec<String>;

/// One evidence item of a resolved packet.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceEntry {
    /// The reference as written (`scan-api`, `tm-api#T1`).
    pub evidence: String,
    /// The inheritance chain (empty when the packet lists it itself).
    pub via: Via,
}

/// One control of a resolved packet.
#[derive(Debug, Clone, Serialize)]
pub struct ControlEntry {
    /// `CATALOG:CONTROL`, as written.
    pub control: String,
    /// The evidence said to satisfy it.
    pub evidence: Vec<String>,
    /// The inheritance chain (empty when the packet states it itself).
    pub via: Via,
    /// When the packet restates a control it also inherits: the packet it inherits it
    /// from, whose entry this one replaces.
    pub overrides: Option<String>,
}

/// One sign-off of a resolved packet (the nearest per role).
#[derive(Debug, Clone, Serialize)]
pub struct SignoffEntry {
    /// The sign-off as written.
    pub signoff: Signoff,
    /// The inheritance chain (empty when the packet holds it itself).
    pub via: Via,
    /// When the packet signs a role again that it also inherits: the packet whose
    /// sign-off this one replaces.
    pub overrides: Option<String>,
}

/// A packet's derived status (never typed in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every required role approved without conditions, every piece of evidence is free
    /// of errors and every control has evidence.
    Approved,
    /// As approved, but some role approved with conditions.
    Conditional,
    /// A role has not signed, some evidence has errors, or a control has no evidence.
    Incomplete,
    /// A required role rejected the packet.
    Rejected,
}

impl Status {
    /// The word pages and exports use.
    pub fn word(self) -> &'static str {
        match self {
            Status::Approved => "approved",
            Status::Conditional => "conditional",
            Status::Incomplete => "incomplete",
            Status::Rejected => "rejected",
        }
    }
}

/// One packet with everything it inherits.
#[derive(Debug, Clone, Serialize)]
pub struct Resolved {
    /// The packet's id.
    pub id: String,
    /// Own and inherited evidence; a packet's own entry wins over an inherited one.
    pub evidence: Vec<EvidenceEntry>,
    /// Own and inherited controls, own first; a restated control overrides.
    pub controls: Vec<ControlEntry>,
    /// Own and inherited sign-offs, one per role, own first.
    pub signoffs: Vec<SignoffEntry>,
    /// The derived status.
    pub status: Status,
    /// Why the status is what it is, one sentence each.
    pub reasons: Vec<String>,
}

/// A packet an item is used in, directly or through `extends`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Use {
    /// The packet.
    pub packet: String,
    /// The chain of `extends` from that packet's parent to the packet that lists the
    /// item (empty: the packet lists it itself).
    pub via: Via,
}

/// Every packet resolved, and where every item is used.
#[derive(Debug, Clone, Default)]
pub struct Packets {
    by_id: BTreeMap<String, Resolved>,
    used_in: BTreeMap<String, Vec<Use>>,
}

impl Packets {
    /// Resolves every packet of `site`. `diagnostics` are the checks' findings: evidence
    /// whose file has an error keeps its packet from being approved.
    pub fn build(site: &Site, settings: &Settings, diagnostics: &[Diagnostic]) -> Packets {
        let packets: HashMap<&str, &Packet> = site
            .items
            .iter()
            .filter_map(|i| match &i.body {
                Body::Packet(p) => Some((i.header.id.as_str(), p)),
                _ => None,
            })
            .collect();
        let mut r = Resolver {
            packets: &packets,
            done: HashMap::new(),
            stack: HashSet::new(),
        };
        let mut ids: Vec<&str> = packets.keys().copied().collect();
        ids.sort_unstable();
        for id in &ids {
            r.resolve(id);
        }
        let error_files: HashSet<&str> = diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.file.as_str())
            .collect();
        let items: HashMap<&str, &Item> = site
            .items
            .iter()
            .map(|i| (i.header.id.as_str(), i))
            .collect();
        let mut by_id = BTreeMap::new();
        let mut used_in: BTreeMap<String, Vec<Use>> = BTreeMap::new();
        for (id, parts) in r.done {
            let (status, reasons) = status(&parts, settings, &items, &error_files);
            for (item, via) in parts.uses() {
                let uses = used_in.entry(item.to_owned()).or_default();
                match uses.iter_mut().find(|u| u.packet == id) {
                    Some(u) if u.via.len() > via.len() => u.via = via.clone(),
                    Some(_) => {}
                    None => uses.push(Use {
                        packet: id.to_owned(),
                        via: via.clone(),
                    }),
                }
            }
            by_id.insert(
                id.to_owned(),
                Resolved {
                    id: id.to_owned(),
                    evidence: parts.evidence,
                    controls: parts.controls,
                    signoffs: parts.signoffs,
                    status,
                    reasons,
                },
            );
        }
        for uses in used_in.values_mut() {
            uses.sort_by(|a, b| (a.via.len(), &a.packet).cmp(&(b.via.len(), &b.packet)));
        }
        Packets { by_id, used_in }
    }

    /// The resolved packet `id`.
    pub fn get(&self, id: &str) -> Option<&Resolved> {
        self.by_id.get(id)
    }

    /// Every resolved packet, by id.
    pub fn iter(&self) -> impl Iterator<Item = &Resolved> {
        self.by_id.values()
    }

    /// The packets that use item `id` as evidence, or cite a control of it when it is a
    /// catalog, directly first, then through `extends`.
    pub fn used_in(&self, id: &str) -> &[Use] {
        self.used_in.get(id).map_or(&[], Vec::as_slice)
    }
}

/// A packet's entries before its status is derived.
#[derive(Debug, Clone, Default)]
struct Parts {
    evidence: Vec<EvidenceEntry>,
    controls: Vec<ControlEntry>,
    signoffs: Vec<SignoffEntry>,
}

impl Parts {
    /// Every item the packet uses (evidence, controls' evidence, controls' catalogs),
    /// with the chain it comes through.
    fn uses(&self) -> Vec<(&str, &Via)> {
        let mut out: Vec<(&str, &Via)> = Vec::new();
        for e in &self.evidence {
            out.push((item_of(&e.evidence), &e.via));
        }
        for c in &self.controls {
            if let Some((catalog, _)) = c.control.split_once(':') {
                out.push((catalog.trim(), &c.via));
            }
            for e in &c.evidence {
                out.push((item_of(e), &c.via));
            }
        }
        out
    }
}

/// The item part of `ITEM` or `ITEM#SUB`.
fn item_of(reference: &str) -> &str {
    let t = reference.trim();
    t.split_once('#').map_or(t, |(i, _)| i)
}

fn via(parent: &str, rest: &Via) -> Via {
    let mut v = Vec::with_capacity(rest.len() + 1);
    v.push(parent.to_owned());
    v.extend(rest.iter().cloned());
    v
}

/// The packet an inherited entry is stated in.
fn origin(parent: &str, rest: &Via) -> String {
    rest.last().map_or(parent, String::as_str).to_owned()
}

struct Resolver<'a> {
    packets: &'a HashMap<&'a str, &'a Packet>,
    done: HashMap<&'a str, Parts>,
    /// Packets being resolved: a parent found here closes a cycle and is skipped.
    stack: HashSet<&'a str>,
}

impl<'a> Resolver<'a> {
    fn resolve(&mut self, id: &'a str) {
        if self.done.contains_key(id) {
            return;
        }
        let Some(p) = self.packets.get(id).copied() else {
            return;
        };
        self.stack.insert(id);
        let mut parts = own(p);
        for parent in &p.extends {
            let parent = parent.value.trim();
            let Some((&parent, _)) = self.packets.get_key_value(parent) else {
                continue;
            };
            if self.stack.contains(parent) {
                continue;
            }
            self.resolve(parent);
            if let Some(inherited) = self.done.get(parent) {
                inherit(&mut parts, parent, inherited);
            }
        }
        self.stack.remove(id);
        self.done.insert(id, parts);
    }
}

/// A packet's own entries; a control or role stated twice keeps its first entry (with the
/// evidence of both).
fn own(p: &Packet) -> Parts {
    let mut parts = Parts::default();
    for e in &p.evidence {
        let t = e.value.trim();
        if !parts.evidence.iter().any(|x| x.evidence == t) {
            parts.evidence.push(EvidenceEntry {
                evidence: t.to_owned(),
                via: Vec::new(),
            });
        }
    }
    for c in &p.controls {
        let key = c.control.value.trim();
        let evidence = c.evidence.iter().map(|e| e.value.trim().to_owned());
        match parts.controls.iter_mut().find(|x| x.control == key) {
            Some(x) => x.evidence.extend(evidence),
            None => parts.controls.push(ControlEntry {
                control: key.to_owned(),
                evidence: evidence.collect(),
                via: Vec::new(),
                overrides: None,
            }),
        }
    }
    for s in &p.signoffs {
        if !parts
            .signoffs
            .iter()
            .any(|x| x.signoff.role.value == s.role.value)
        {
            parts.signoffs.push(SignoffEntry {
                signoff: s.clone(),
                via: Vec::new(),
                overrides: None,
            });
        }
    }
    parts
}

/// Adds what `parent` (resolved as `inherited`) passes on: entries the packet does not
/// state itself, or inherits already from an earlier parent.
fn inherit(parts: &mut Parts, parent: &str, inherited: &Parts) {
    for e in &inherited.evidence {
        if !parts.evidence.iter().any(|x| x.evidence == e.evidence) {
            parts.evidence.push(EvidenceEntry {
                evidence: e.evidence.clone(),
                via: via(parent, &e.via),
            });
        }
    }
    for c in &inherited.controls {
        match parts.controls.iter_mut().find(|x| x.control == c.control) {
            Some(x) if x.via.is_empty() && x.overrides.is_none() => {
                x.overrides = Some(origin(parent, &c.via));
            }
            Some(_) => {}
            None => parts.controls.push(ControlEntry {
                control: c.control.clone(),
                evidence: c.evidence.clone(),
                via: via(parent, &c.via),
                overrides: None,
            }),
        }
    }
    for s in &inherited.signoffs {
        let role = &s.signoff.role.value;
        match parts
            .signoffs
            .iter_mut()
            .find(|x| &x.signoff.role.value == role)
        {
            Some(x) if x.via.is_empty() && x.overrides.is_none() => {
                x.overrides = Some(origin(parent, &s.via));
            }
            Some(_) => {}
            None => parts.signoffs.push(SignoffEntry {
                signoff: s.signoff.clone(),
                via: via(parent, &s.via),
                overrides: None,
            }),
        }
    }
}

/// Derives a packet's status. With `required_signoffs` set, those roles decide; without
/// it, every sign-off the packet has (own or inherited) decides, and it needs one.
fn status(
    parts: &Parts,
    settings: &Settings,
    items: &HashMap<&str, &Item>,
    error_files: &HashSet<&str>,
) -> (Status, Vec<String>) {
    let by_role = |role: &str| parts.signoffs.iter().find(|s| s.signoff.role.value == role);
    let roles: Vec<&str> = if settings.required_signoffs.is_empty() {
        parts
            .signoffs
            .iter()
            .map(|s| s.signoff.role.value.as_str())
            .collect()
    } else {
        settings
            .required_signoffs
            .iter()
            .map(String::as_str)
            .collect()
    };
    let decision =
        |role: &str| by_role(role).and_then(|s| s.signoff.decision.as_ref().map(|d| (s, d.value)));
    let who = |s: &SignoffEntry| {
        let mut w = String::new();
        if let Some(by) = &s.signoff.by {
            w.push_str(&format!(" by {}", by.value));
        }
        if let Some(on) = &s.signoff.on {
            w.push_str(&format!(" on {}", on.value));
        }
        if let Some(from) = s.via.last() {
            w.push_str(&format!(" (inherited from {from})"));
        }
        w
    };

    let rejected: Vec<String> = roles
        .iter()
        .filter_map(|r| match decision(r) {
            Some((s, Decision::Rejected)) => Some(format!("{r} rejected it{}", who(s))),
            _ => None,
        })
        .collect();
    if !rejected.is_empty() {
        return (Status::Rejected, rejected);
    }

    let mut missing = Vec::new();
    if roles.is_empty() {
        missing.push("no sign-offs yet".to_owned());
    }
    for r in &roles {
        if decision(r).is_none() {
            missing.push(format!("missing sign-off: {r}"));
        }
    }
    let mut seen: HashSet<&str> = HashSet::new();
    let evidence = parts.evidence.iter().map(|e| e.evidence.as_str()).chain(
        parts
            .controls
            .iter()
            .flat_map(|c| c.evidence.iter().map(String::as_str)),
    );
    for e in evidence {
        let id = item_of(e);
        if !seen.insert(id) {
            continue;
        }
        match items.get(id) {
            None => missing.push(format!("evidence `{id}` does not exist")),
            Some(i) if error_files.contains(i.file.as_str()) => {
                missing.push(format!("evidence `{id}` has errors"));
            }
            Some(_) => {}
        }
    }
    for c in &parts.controls {
        if c.evidence.is_empty() {
            missing.push(format!("control `{}` has no evidence", c.control));
        }
    }
    if !missing.is_empty() {
        return (Status::Incomplete, missing);
    }

    let conditional: Vec<String> = roles
        .iter()
        .filter_map(|r| match decision(r) {
            Some((s, Decision::ApprovedWithConditions)) => {
                let n = s.signoff.conditions.len();
                let conditions = if n == 1 { "condition" } else { "conditions" };
                Some(format!("{r} approved with {n} {conditions}{}", who(s)))
            }
            _ => None,
        })
        .collect();
    if !conditional.is_empty() {
        return (Status::Conditional, conditional);
    }
    let approved = roles
        .iter()
        .map(|r| {
            format!(
                "{r} approved{}",
                decision(r).map(|(s, _)| who(s)).unwrap_or_default()
            )
        })
        .collect();
    (Status::Approved, approved)
}
