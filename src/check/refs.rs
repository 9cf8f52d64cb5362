//! References written in Markdown (`[[id]]`, `[[id|label]]`) must name an id.

use crate::diag::Diagnostic;
use crate::model::Site;

pub(super) fn check_wiki_links(site: &Site) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
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
