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

pub(super) fn check_wiki_links(site: &Site) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for item in &site.items {
        for field in markdown_fields(&item.body) {
            // The value's position is its first line (for a block scalar, the line after
            // `reflection: |`); lines within it count from there.
            let offset = field.pos.line.saturating_sub(1);
            for link in wiki_links(&field.value, offset) {
                if site.registry.get(&link.target).is_some() {
                    continue;
                }
                let help = match site.registry.suggest(&link.target) {
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
    for page in &site.pages {
        for link in &page.links {
            if site.registry.get(&link.target).is_some() {
                continue;
            }
            let help = match site.registry.suggest(&link.target) {
                Some(id) => format!("did you mean `[[{id}]]`?"),
                None if link.target.is_empty() => {
                    "write the id of a page or item between the brackets".to_owned()
                }
                None => "check the id, or create the item or page it names".to_owned(),
            };
            diags.push(
                Diagnostic::error(
                    "E0302",
                    &page.file,
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
