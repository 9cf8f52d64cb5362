//! Packet pages (DESIGN 3.7): what a packet holds with what it inherits marked by the
//! packet it comes from, its derived status with the reasons, the index of packets by
//! audience, and every item's "used in packets" list.

use super::format::{date, text, texts, word};
use super::index::{Index, Link};
use crate::link::packets::{Resolved, Status, Use};
use crate::model::kinds::Body;
use crate::model::kinds::packet::Packet;
use crate::model::{Item, url};
use crate::render::markdown;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub(crate) struct PacketView {
    audience: Vec<String>,
    /// The summary as sanitised HTML.
    summary: Option<String>,
    extends: Vec<Link>,
    status: &'static str,
    reasons: Vec<String>,
    evidence: Vec<EvidenceRow>,
    controls: Vec<ControlRow>,
    signoffs: Vec<SignoffView>,
    /// How many entries of each list are inherited.
    inherited: usize,
}

/// Where an inherited entry comes from, as a page shows it.
#[derive(Debug, Serialize)]
struct Origin {
    /// The packet that states it.
    packet: Link,
    /// The whole chain when it is longer than one step (`b -> c`).
    path: Option<String>,
}

#[derive(Debug, Serialize)]
struct EvidenceRow {
    evidence: Link,
    from: Option<Origin>,
}

#[derive(Debug, Serialize)]
struct ControlRow {
    control: Link,
    evidence: Vec<Link>,
    from: Option<Origin>,
    overrides: Option<Link>,
}

#[derive(Debug, Serialize)]
struct SignoffView {
    role: String,
    by: Option<String>,
    on: Option<String>,
    decision: Option<&'static str>,
    conditions: Vec<String>,
    from: Option<Origin>,
    overrides: Option<Link>,
}

fn origin(index: &Index<'_>, from: &str, via: &[String]) -> Option<Origin> {
    let last = via.last()?;
    Some(Origin {
        packet: index.link(from, last),
        path: (via.len() > 1).then(|| via.join(" -> ")),
    })
}

/// The status of a packet without a resolution (none is missing in a checked site).
const UNKNOWN: &str = "incomplete";

pub(super) fn packet(index: &Index<'_>, own: &str, p: &Packet, from: &str) -> PacketView {
    let resolved = index.graph.packets().get(own);
    let (status, reasons) = resolved.map_or((UNKNOWN, Vec::new()), |r| {
        (r.status.word(), r.reasons.clone())
    });
    let evidence: Vec<EvidenceRow> = resolved
        .map_or(&[][..], |r| r.evidence.as_slice())
        .iter()
        .map(|e| EvidenceRow {
            evidence: index.link(from, &e.evidence),
            from: origin(index, from, &e.via),
        })
        .collect();
    let controls: Vec<ControlRow> = resolved
        .map_or(&[][..], |r| r.controls.as_slice())
        .iter()
        .map(|c| ControlRow {
            control: index.link(from, &c.control),
            evidence: c.evidence.iter().map(|e| index.link(from, e)).collect(),
            from: origin(index, from, &c.via),
            overrides: c.overrides.as_ref().map(|o| index.link(from, o)),
        })
        .collect();
    let signoffs: Vec<SignoffView> = resolved
        .map_or(&[][..], |r| r.signoffs.as_slice())
        .iter()
        .map(|e| {
            let s = &e.signoff;
            SignoffView {
                role: s.role.value.clone(),
                by: text(&s.by),
                on: date(&s.on),
                decision: word(&s.decision),
                conditions: texts(&s.conditions),
                from: origin(index, from, &e.via),
                overrides: e.overrides.as_ref().map(|o| index.link(from, o)),
            }
        })
        .collect();
    let inherited = evidence.iter().filter(|e| e.from.is_some()).count()
        + controls.iter().filter(|c| c.from.is_some()).count()
        + signoffs.iter().filter(|s| s.from.is_some()).count();
    PacketView {
        audience: texts(&p.audience),
        summary: p
            .summary
            .as_ref()
            .map(|s| markdown::to_html(&s.value, &index.site.registry, from)),
        extends: index.links(from, &p.extends),
        status,
        reasons,
        evidence,
        controls,
        signoffs,
        inherited,
    }
}

/// A packet that uses an item, as the item's page lists it.
#[derive(Debug, Serialize)]
pub(crate) struct UseView {
    packet: Link,
    status: &'static str,
    /// Empty when the packet lists the item itself; else the packets it comes through.
    via: Vec<Link>,
}

/// The packets item `id` is used in, directly and through `extends`.
pub(crate) fn used_in(index: &Index<'_>, id: &str, from: &str) -> Vec<UseView> {
    let uses: &[Use] = index.graph.packets().used_in(id);
    uses.iter()
        .map(|u| UseView {
            packet: index.link(from, &u.packet),
            status: status_of(index, &u.packet),
            via: u.via.iter().map(|v| index.link(from, v)).collect(),
        })
        .collect()
}

fn status_of(index: &Index<'_>, id: &str) -> &'static str {
    index
        .graph
        .packets()
        .get(id)
        .map_or(UNKNOWN, |r: &Resolved| r.status.word())
}

/// The index of packets: one group per audience, each packet with its status.
#[derive(Debug, Serialize)]
pub(crate) struct PacketsIndex {
    groups: Vec<AudienceGroup>,
    /// How many packets have each status, in the order approved, conditional,
    /// incomplete, rejected.
    totals: Vec<(&'static str, usize)>,
    count: usize,
}

#[derive(Debug, Serialize)]
struct AudienceGroup {
    /// The audience, or `None` for packets that name none.
    audience: Option<String>,
    packets: Vec<PacketRow>,
}

#[derive(Debug, Serialize)]
struct PacketRow {
    packet: Link,
    owner: Option<String>,
    status: &'static str,
    reasons: Vec<String>,
    extends: Vec<Link>,
    controls: usize,
    evidence: usize,
}

/// Builds the index of packets as the page at `from` shows it.
pub(crate) fn packets_index(index: &Index<'_>, from: &str) -> PacketsIndex {
    let mut groups: BTreeMap<Option<String>, Vec<PacketRow>> = BTreeMap::new();
    let mut totals: BTreeMap<Status, usize> = BTreeMap::new();
    let mut packets: Vec<(&Item, &Packet)> = index
        .site
        .items
        .iter()
        .filter_map(|i| match &i.body {
            Body::Packet(p) => Some((i, p)),
            _ => None,
        })
        .collect();
    packets.sort_by(|a, b| {
        (&a.0.header.title, &a.0.header.id).cmp(&(&b.0.header.title, &b.0.header.id))
    });
    for (item, p) in &packets {
        let id = item.header.id.as_str();
        let resolved = index.graph.packets().get(id);
        if let Some(r) = resolved {
            *totals.entry(r.status).or_default() += 1;
        }
        let mut audiences: Vec<Option<String>> = p
            .audience
            .iter()
            .map(|a| Some(a.value.trim().to_owned()))
            .collect();
        audiences.dedup();
        if audiences.is_empty() {
            audiences.push(None);
        }
        for audience in audiences {
            groups.entry(audience).or_default().push(PacketRow {
                packet: Link {
                    text: item.header.title.clone(),
                    href: Some(url::href(from, item.url_str())),
                    title: Some(id.to_owned()),
                },
                owner: item.header.owner.clone(),
                status: resolved.map_or(UNKNOWN, |r| r.status.word()),
                reasons: resolved.map_or_else(Vec::new, |r| r.reasons.clone()),
                extends: index.links(from, &p.extends),
                controls: resolved.map_or(0, |r| r.controls.len()),
                evidence: resolved.map_or(0, |r| r.evidence.len()),
            });
        }
    }
    // Packets that name no audience come last.
    let mut groups: Vec<AudienceGroup> = groups
        .into_iter()
        .map(|(audience, packets)| AudienceGroup { audience, packets })
        .collect();
    groups.sort_by_key(|g| g.audience.is_none());
    PacketsIndex {
        groups,
        totals: [
            Status::Approved,
            Status::Conditional,
            Status::Incomplete,
            Status::Rejected,
        ]
        .into_iter()
        .map(|s| (s.word(), totals.get(&s).copied().unwrap_or(0)))
        .collect(),
        count: packets.len(),
    }
}
