//! Which pages of one thing a change can reach, through the reference graph. Why: a
//! rebuild after one saved file (`serve`) renders the pages that show something of that
//! file and no others. A page of one item or content page shows the thing itself, what it
//! links to (titles, statuses), what links to it (backlinks, covering exceptions) and
//! the packets it is used in; so a change reaches the changed things, their neighbours
//! in the graph before and after the change, the items whose packet uses changed, and
//! the content pages below a changed one (their breadcrumbs carry its title), and the
//! scans of the same target as a changed scan (their trend charts share points). Packets,
//! catalogs and site-wide pages see further and are compared by context instead (see
//! `render::Since`).

use super::Graph;
use crate::model::Site;
use crate::model::kinds::Body;
use std::collections::{HashMap, HashSet};

/// Items whose pages show each other without a link: scans of one target (each scan
/// page charts the trend over all of them). Id -> group.
#[derive(Debug, Clone, Default)]
pub struct Peers(HashMap<String, String>);

impl Peers {
    /// The groups of `site`.
    pub fn of(site: &Site) -> Peers {
        Peers(
            site.items
                .iter()
                .filter_map(|i| match &i.body {
                    Body::Scan(s) => s
                        .target
                        .as_ref()
                        .map(|t| (i.header.id.clone(), t.value.trim().to_owned())),
                    _ => None,
                })
                .collect(),
        )
    }
}

/// The ids of pages and items whose pages must be rendered again, when the things in
/// `changed` (ids of the old site and of the new one) changed between the build whose
/// graph was `before` and the site `site` with graph `after`. `changed_urls` are the
/// URLs of the changed content pages, before and after; `peers` the groups before.
pub fn affected(
    changed: &HashSet<String>,
    changed_urls: &[String],
    before: &Graph,
    after: &Graph,
    peers: &Peers,
    site: &Site,
) -> HashSet<String> {
    let mut out: HashSet<String> = changed.clone();
    let now = Peers::of(site);
    let groups: HashSet<&str> = changed
        .iter()
        .flat_map(|id| [peers.0.get(id), now.0.get(id)])
        .flatten()
        .map(String::as_str)
        .collect();
    if !groups.is_empty() {
        out.extend(
            now.0
                .iter()
                .filter(|(_, g)| groups.contains(g.as_str()))
                .map(|(id, _)| id.clone()),
        );
    }
    for id in changed {
        for graph in [before, after] {
            out.extend(graph.outgoing(id).map(str::to_owned));
            out.extend(graph.backlinks(id).map(str::to_owned));
        }
    }
    for item in &site.items {
        let id = item.header.id.as_str();
        if before.packets().used_in(id) != after.packets().used_in(id) {
            out.insert(id.to_owned());
        }
    }
    let parents: Vec<&str> = changed_urls
        .iter()
        .map(String::as_str)
        .filter(|u| !u.is_empty())
        .collect();
    if !parents.is_empty() {
        for page in &site.pages {
            if parents
                .iter()
                .any(|u| page.url.len() > u.len() && page.url.starts_with(u))
            {
                out.insert(page.id.clone());
            }
        }
    }
    out
}
