//! A catalog's control ids must be unique, and so must the anchors made from them: a
//! reference or a link would otherwise land on the first of two controls.

use crate::diag::Diagnostic;
use crate::model::Site;
use crate::model::kinds::Body;
use crate::model::url::fragment;
use std::collections::HashMap;

pub(super) fn check(site: &Site) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for item in &site.items {
        let Body::Catalog(c) = &item.body else {
            continue;
        };
        // Trimmed id -> its index, and anchor -> the id that made it.
        let mut ids: HashMap<&str, usize> = HashMap::new();
        let mut anchors: HashMap<String, &str> = HashMap::new();
        for (i, x) in c.controls.iter().enumerate() {
            let id = x.id.value.trim();
            let at = |d: Diagnostic, help: String| {
                d.at(x.id.pos)
                    .spanning(x.id.len())
                    .with_path(x.id.path.clone())
                    .with_help(help)
            };
            if let Some(first) = ids.get(id) {
                diags.push(at(
                    Diagnostic::error(
                        "E0313",
                        &item.file,
                        format!("control `{id}` is defined twice in this catalog"),
                    ),
                    format!("`controls[{first}]` already has this id; rename one, or merge them"),
                ));
                continue;
            }
            ids.insert(id, i);
            match anchors.get(&fragment(id)) {
                Some(other) => diags.push(at(
                    Diagnostic::warning(
                        "W0305",
                        &item.file,
                        format!("controls `{other}` and `{id}` get the same anchor on the catalog page"),
                    ),
                    format!(
                        "both become `#{}`, so links to `{id}` land on `{other}`; make the ids differ in more than spaces",
                        fragment(id)
                    ),
                )),
                None => {
                    anchors.insert(fragment(id), id);
                }
            }
        }
    }
    diags
}
