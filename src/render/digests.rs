//! The digests a packet page shows: the SHA-256 of each evidence item's source file,
//! as the build read it, so a reader can match the page with manifest.json and with the
//! files they were sent.

use crate::model::kinds::Body;
use crate::model::{Item, Kind, Site, TargetKind, url};
use serde::Serialize;

/// One evidence item's source digest.
#[derive(Debug, Serialize)]
pub(crate) struct DigestRow {
    id: String,
    title: String,
    href: String,
    file: String,
    sha256: String,
    short: String,
}

/// The digests of the evidence of `packet` and of the packets it extends, in the order
/// they are first cited; empty for any other kind.
pub(crate) fn packet_digests(site: &Site, packet: &Item, from: &str) -> Vec<DigestRow> {
    let mut rows: Vec<DigestRow> = Vec::new();
    let mut seen_packets: Vec<&str> = Vec::new();
    let mut queue = vec![packet];
    while let Some(item) = queue.pop() {
        let Body::Packet(p) = &item.body else {
            continue;
        };
        if seen_packets.contains(&item.header.id.as_str()) {
            continue;
        }
        seen_packets.push(&item.header.id);
        let cited = p
            .evidence
            .iter()
            .chain(p.controls.iter().flat_map(|c| c.evidence.iter()));
        for r in cited {
            let id = r.value.trim().split('#').next().unwrap_or_default();
            if let Some(e) = item_of(site, id)
                && !rows.iter().any(|row| row.id == e.header.id)
                && let Some(d) = site.input(&e.file)
            {
                rows.push(DigestRow {
                    id: e.header.id.clone(),
                    title: e.header.title.clone(),
                    href: url::href(from, e.url_str()),
                    file: e.file.clone(),
                    sha256: d.sha256.clone(),
                    short: d.short().to_owned(),
                });
            }
        }
        for parent in p.extends.iter().rev() {
            if let Some(e) = item_of(site, parent.value.trim())
                && e.header.kind == Kind::Packet
            {
                queue.push(e);
            }
        }
    }
    rows
}

fn item_of<'a>(site: &'a Site, id: &str) -> Option<&'a Item> {
    let target = site.registry.get(id)?;
    match target.kind {
        TargetKind::Item(_) => site.items.get(target.index),
        TargetKind::Page => None,
    }
}
