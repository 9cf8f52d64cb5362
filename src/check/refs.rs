//! References written in Markdown (`[[id]]`, `[[id|label]]`) must name an id.

use crate::diag::{Diagnostic, Pos};
use crate::model::decode::At;
use crate::model::kinds::Body;
use crate::model::{Site, wiki_links};

/// Markdown held in evidence fields: a portfolio's reflection, a packet's summary.
fn markdown_fields(body: &Body) -> Vec<&At<String>> {
    match body {
        Body::Portfolio(p) => p.reflection.iter().collect(),
        Body::Packet(p) => p.summary.iter().collect(),
        _ => Vec::new(),
    }
}

/// The id or control closest to a link target that names nothing: a control of the
/// catalog it names (`[[nist-ai-rmf:GOVREN 1.1]]`), else any id.
fn suggest(site: &Site, target: &str) -> Option<String> {
    site.registry
        .suggest_control(target)
        .or_else(|| site.registry.suggest(target).map(str::to_owned))
}

pub(super) fn check_wiki_links(site: &Site) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for item in &site.items {
        for field in markdown_fields(&item.body) {
            // The value's position is its first line (for a block scalar, the line after
            // `reflection: |`); lines within it count from there.
            let offset = field.pos.line.saturating_sub(1);
            for link in wiki_links(&field.value, offset) {
                if site.registry.resolves(&link.target) {
                    continue;
                }
                let help = match suggest(site, &link.target) {
                    Some(id) => format!("did you mean `[[{id}]]`?"),
                    None => "check the id, or create the item or page it names".to_owned(),
                };
                let pos = if field.pos.line == 0 {
                    field.pos
                } else {
                    Pos::new(link.pos.line, 1)
                };
                diags.push(
                    Diagnostic::error(
                        "E0302",
                        &item.file,
                        format!("link to unknown id `{}`", link.target),
                    )
                    .at(pos)
                    .with_path(field.path.clone())
                    .with_help(help),
                );
            }
        }
    }
    // A roadmap's links are checked where it was written, as a page's are.
    let module_links = site.items.iter().filter_map(|i| match &i.body {
        Body::Module(m) => Some((i.file.as_str(), m.links.as_slice())),
        _ => None,
    });
    let page_links = site
        .pages
        .iter()
        .map(|p| (p.file.as_str(), p.links.as_slice()));
    for (file, links) in page_links.chain(module_links) {
        for link in links {
            if site.registry.resolves(&link.target) {
                continue;
            }
            // A module is linked by its Module ID as written; its roadmap is no longer a
            // page, so `[[modules-mod-559]]` (the page id it had) names it too.
            let module = site.registry.module(&link.target).or_else(|| {
                let t = link.target.strip_prefix("modules-")?;
                site.registry.module(t)
            });
            let help = match module
                .map(|m| m.0.to_owned())
                .or_else(|| suggest(site, &link.target))
            {
                Some(id) => format!("did you mean `[[{id}]]`?"),
                None if link.target.is_empty() => {
                    "write the id of a page or item between the brackets".to_owned()
                }
                None => "check the id, or create the item or page it names".to_owned(),
            };
            diags.push(
                Diagnostic::error(
                    "E0302",
                    file,
                    format!("link to unknown id `{}`", link.target),
                )
                .at(link.pos)
                .spanning(link.len)
                .with_help(help),
            );
        }
    }
    diags
}
