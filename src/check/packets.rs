//! Packets' `extends` must not loop: a packet cannot inherit from itself through other
//! packets (DESIGN 3.7). Each cycle is reported once, naming every packet in it, at the
//! `extends` entry that closes it.

use crate::diag::Diagnostic;
use crate::model::Site;
use crate::model::decode::At;
use crate::model::kinds::Body;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

pub(super) fn check(site: &Site) -> Vec<Diagnostic> {
    // Packet id -> (file, the `extends` entries that name another packet).
    let mut graph: BTreeMap<&str, (&str, Vec<&At<String>>)> = BTreeMap::new();
    for item in &site.items {
        if let Body::Packet(_) = &item.body {
            graph.insert(item.header.id.as_str(), (item.file.as_str(), Vec::new()));
        }
    }
    for item in &site.items {
        if let Body::Packet(p) = &item.body {
            let edges: Vec<&At<String>> = p
                .extends
                .iter()
                .filter(|e| {
                    let t = e.value.trim();
                    t != item.header.id && graph.contains_key(t)
                })
                .collect();
            if let Some(entry) = graph.get_mut(item.header.id.as_str()) {
                entry.1 = edges;
            }
        }
    }
    let next = |id: &str| -> Vec<&str> {
        graph
            .get(id)
            .map(|(_, e)| e.iter().map(|a| a.value.trim()).collect())
            .unwrap_or_default()
    };
    let reach = |from: &str| -> BTreeSet<&str> {
        let mut seen = BTreeSet::new();
        let mut queue: Vec<&str> = next(from);
        while let Some(n) = queue.pop() {
            if seen.insert(n) {
                queue.extend(next(n));
            }
        }
        seen
    };
    let cyclic = on_cycles(&graph.keys().copied().collect::<Vec<_>>(), &next);
    let reachable: BTreeMap<&str, BTreeSet<&str>> =
        cyclic.iter().map(|&id| (id, reach(id))).collect();
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    let mut diags = Vec::new();
    // Ids are visited in order, so each group of packets that reach each other is
    // reported once, from its smallest id.
    for (&start, from_start) in &reachable {
        if reported.contains(start) || !from_start.contains(start) {
            continue;
        }
        let group: BTreeSet<&str> = from_start
            .iter()
            .copied()
            .filter(|n| reachable.get(n).is_some_and(|r| r.contains(start)))
            .collect();
        reported.extend(group.iter().copied());
        let Some(cycle) = shortest_cycle(start, &group, &next) else {
            continue;
        };
        // The entry that closes the cycle: the last packet's `extends` entry naming `start`.
        let Some(&last) = cycle.last() else { continue };
        let Some((file, edges)) = graph.get(last) else {
            continue;
        };
        let Some(at) = edges.iter().find(|a| a.value.trim() == start) else {
            continue;
        };
        let mut names: Vec<&str> = cycle.clone();
        names.push(start);
        diags.push(
            Diagnostic::error(
                "E0309",
                *file,
                format!("`extends` makes a cycle: {}", names.join(" -> ")),
            )
            .at(at.pos)
            .spanning(at.len())
            .with_path(at.path.clone())
            .with_help(format!(
                "a packet cannot inherit from itself; remove `{start}` from the `extends` of `{last}` (or another link of the cycle)"
            )),
        );
    }
    diags
}

/// The packets left after repeatedly removing those that nothing extends or that extend
/// nothing: the packets on a cycle and those between cycles. Reachability is then
/// computed for these alone, so a long acyclic chain of packets costs linear time.
fn on_cycles<'a>(ids: &[&'a str], next: &dyn Fn(&str) -> Vec<&'a str>) -> Vec<&'a str> {
    let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut incoming: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for &id in ids {
        let n = next(id);
        for &m in &n {
            incoming.entry(m).or_default().push(id);
        }
        out.insert(id, n);
    }
    let mut indeg: BTreeMap<&str, usize> = ids
        .iter()
        .map(|&i| (i, incoming.get(i).map_or(0, Vec::len)))
        .collect();
    let mut outdeg: BTreeMap<&str, usize> = ids
        .iter()
        .map(|&i| (i, out.get(i).map_or(0, Vec::len)))
        .collect();
    let mut removed: BTreeSet<&str> = BTreeSet::new();
    let mut queue: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|i| indeg.get(i) == Some(&0) || outdeg.get(i) == Some(&0))
        .collect();
    while let Some(n) = queue.pop() {
        if !removed.insert(n) {
            continue;
        }
        for &m in out.get(n).into_iter().flatten() {
            if let Some(d) = indeg.get_mut(m) {
                *d = d.saturating_sub(1);
                if *d == 0 && !removed.contains(m) {
                    queue.push(m);
                }
            }
        }
        for &m in incoming.get(n).into_iter().flatten() {
            if let Some(d) = outdeg.get_mut(m) {
                *d = d.saturating_sub(1);
                if *d == 0 && !removed.contains(m) {
                    queue.push(m);
                }
            }
        }
    }
    ids.iter()
        .copied()
        .filter(|i| !removed.contains(i))
        .collect()
}

/// The shortest path `start -> ... -> last` inside `group` whose last packet extends
/// `start` again, as the list of packets from `start` to `last`.
fn shortest_cycle<'a>(
    start: &'a str,
    group: &BTreeSet<&'a str>,
    next: &dyn Fn(&str) -> Vec<&'a str>,
) -> Option<Vec<&'a str>> {
    let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue: VecDeque<&str> = VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        for m in next(n) {
            if m == start {
                let mut path = vec![n];
                let mut cur = n;
                while let Some(&p) = parent.get(cur) {
                    path.push(p);
                    cur = p;
                }
                path.reverse();
                return Some(path);
            }
            if group.contains(m) && !parent.contains_key(m) && m != start {
                parent.insert(m, n);
                queue.push_back(m);
            }
        }
    }
    None
}
