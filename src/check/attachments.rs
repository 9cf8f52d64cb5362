//! Attachments must exist inside the site; files under evidence/ that no item uses are
//! reported, so nothing is dropped silently.

use crate::diag::Diagnostic;
use crate::load::Area;
use crate::model::Site;
use crate::model::url::attachment_path;
use std::collections::BTreeSet;

pub(super) fn check(site: &Site) -> Vec<Diagnostic> {
    let present: BTreeSet<&str> = site.others.iter().map(|o| o.rel.as_str()).collect();
    let mut used = BTreeSet::new();
    let mut diags = Vec::new();
    for item in &site.items {
        let node = item.data.get("attachments");
        for (i, a) in item.header.attachments.iter().enumerate() {
            let pos = match node.map(|n| &n.value) {
                Some(crate::model::Value::Seq(items)) => items.get(i).map(|n| n.pos),
                _ => node.map(|n| n.pos),
            }
            .unwrap_or_default();
            match attachment_path(&item.file, a) {
                Some(p) if present.contains(p.as_str()) => {
                    used.insert(p);
                }
                Some(p) => diags.push(
                    Diagnostic::error(
                        "E0304",
                        &item.file,
                        format!("attachment `{a}` not found (looked for {p})"),
                    )
                    .at(pos)
                    .spanning(a.chars().count())
                    .with_path(format!("attachments[{i}]"))
                    .with_help("attachment paths are relative to the item's file; check the name"),
                ),
                None => diags.push(
                    Diagnostic::error(
                        "E0304",
                        &item.file,
                        format!("attachment `{a}` is outside the site"),
                    )
                    .at(pos)
                    .spanning(a.chars().count())
                    .with_path(format!("attachments[{i}]"))
                    .with_help("copy the file next to the item and name it by a relative path"),
                ),
            }
        }
    }
    for other in &site.others {
        if other.area == Area::Evidence && !used.contains(&other.rel) {
            diags.push(
                Diagnostic::warning("W0101", &other.rel, "file under evidence/ is not evidence and no item lists it as an attachment")
                    .with_help("list it in the `attachments` of its item, move it out of evidence/, or add it to `ignore` in site.toml"),
            );
        }
    }
    diags
}
