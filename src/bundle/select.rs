//! Which files of a rendered site belong to one packet's bundle: the packet's page, the
//! packets it extends (transitively) and every page their references name (evidence
//! items, control catalogs and control pages, content pages), the attachments published
//! beside those pages, and the theme's static/ assets.

use crate::model::{Item, Site, TargetKind, slugify};
use std::collections::{BTreeMap, BTreeSet};

/// What a bundle holds.
#[derive(Debug, Default)]
pub(crate) struct Selection<'a> {
    /// Output paths, relative to the site output.
    pub(crate) files: BTreeSet<String>,
    /// The items whose pages are bundled (for the bundle's manifest inputs).
    pub(crate) items: Vec<&'a Item>,
}

/// Selects the bundle of `packet` from `rendered` (output path -> bytes).
pub(crate) fn select<'a>(
    site: &'a Site,
    packet: &'a Item,
    rendered: &BTreeMap<String, Vec<u8>>,
) -> Selection<'a> {
    let mut urls: BTreeSet<String> = BTreeSet::new();
    let mut items: Vec<&Item> = Vec::new();
    let mut queue = vec![packet];
    let mut seen_packets: BTreeSet<&str> = BTreeSet::new();
    while let Some(p) = queue.pop() {
        if !seen_packets.insert(p.header.id.as_str()) {
            continue;
        }
        urls.insert(p.url());
        items.push(p);
        for r in p.body.refs() {
            let text = r.target.value.trim();
            let (id, control) = match text.split_once('#') {
                Some((id, _)) => (id, None),
                None => match text.split_once(':') {
                    Some((catalog, control)) => (catalog, Some(control)),
                    None => (text, None),
                },
            };
            let Some(target) = site.registry.get(id) else {
                continue;
            };
            urls.insert(target.url.clone());
            if let Some(control) = control {
                // A page per control, where the theme renders one.
                urls.insert(format!("{}{}/", target.url, slugify(control)));
            }
            if let TargetKind::Item(_) = target.kind
                && let Some(item) = site.items.get(target.index)
            {
                if item.header.kind == crate::model::Kind::Packet {
                    queue.push(item);
                } else if !items.iter().any(|i| i.header.id == item.header.id) {
                    items.push(item);
                }
            }
        }
    }
    let mut files = BTreeSet::new();
    for path in rendered.keys() {
        // A page and the files beside it; the home page's folder is the whole site, so
        // only its page is taken.
        let beside_a_page = urls.iter().any(|url| {
            *path == crate::model::url::output_file(url)
                || (!url.is_empty()
                    && path
                        .strip_prefix(url.as_str())
                        .is_some_and(|rest| !rest.is_empty() && !rest.contains('/')))
        });
        if beside_a_page || path.starts_with("static/") {
            files.insert(path.clone());
        }
    }
    Selection { files, items }
}
