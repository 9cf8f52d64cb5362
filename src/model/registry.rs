//! The registry: every id in the site and what it names. It is how references resolve,
//! and where duplicate ids are caught.

use super::Item;
use super::kind::Kind;
use super::kinds::Body;
use super::page::Page;
use crate::diag::{Diagnostic, Pos};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// What an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetKind {
    /// A content page.
    Page,
    /// An evidence item of a kind.
    Item(Kind),
}

/// One registered id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    /// Page or item kind.
    pub kind: TargetKind,
    /// Where it is defined.
    pub file: String,
    /// Its title, for link labels.
    pub title: String,
    /// Its page's URL.
    pub url: String,
    /// Index into `Site::pages` or `Site::items`.
    #[serde(skip)]
    pub index: usize,
}

/// Every id in the site, sorted.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    targets: BTreeMap<String, Target>,
    /// Catalog id -> control id -> the control's title (its id when it has none), for
    /// [`Registry::control`].
    controls: BTreeMap<String, BTreeMap<String, String>>,
    /// Module ids lowercased -> as registered, for [`Registry::module`].
    modules: BTreeMap<String, String>,
}

impl Registry {
    /// What `id` names, if anything.
    pub fn get(&self, id: &str) -> Option<&Target> {
        self.targets.get(id)
    }

    /// The module `id` names, ignoring case, with its id as registered. Module ids are
    /// written in capitals (`MOD-559`) but learners' files and URLs lowercase them, so a
    /// portfolio's `module:` and a roadmap's prerequisites resolve either way.
    pub fn module(&self, id: &str) -> Option<(&str, &Target)> {
        let key = self.modules.get(&id.trim().to_ascii_lowercase())?;
        self.targets
            .get_key_value(key)
            .map(|(k, t)| (k.as_str(), t))
    }

    /// Every module, sorted by id.
    pub fn modules(&self) -> impl Iterator<Item = (&str, &Target)> {
        self.targets
            .iter()
            .filter(|(_, t)| t.kind == TargetKind::Item(Kind::Module))
            .map(|(k, t)| (k.as_str(), t))
    }

    /// All ids with their targets, sorted by id.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Target)> {
        self.targets.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// How many ids there are.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// Whether the site has no ids at all.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// The registered id closest to `id`, for "did you mean" help.
    pub fn suggest(&self, id: &str) -> Option<&str> {
        crate::diag::did_you_mean(id, self.targets.keys().map(String::as_str))
    }

    /// The control a `CATALOG:CONTROL` text names, when the catalog has a control with
    /// exactly that id. Control ids may hold spaces and colons (`nist-ai-rmf:GOVERN 1.1`,
    /// `owasp-llm-2025:LLM01:2025`), so this is how control references resolve rather than
    /// [`reference_id`], which takes spaced text for prose.
    pub fn control(&self, text: &str) -> Option<ControlTarget<'_>> {
        let (catalog, control) = control_ref(text)?;
        let (catalog, controls) = self.controls.get_key_value(catalog)?;
        let (control, title) = controls.get_key_value(control)?;
        Some(ControlTarget {
            catalog,
            control,
            title,
            target: self.targets.get(catalog)?,
        })
    }

    /// For a `CATALOG:CONTROL` text that names a catalog but none of its controls, the
    /// closest control as a whole reference (`nist-ai-rmf:GOVERN 1.1`), for "did you mean".
    pub fn suggest_control(&self, text: &str) -> Option<String> {
        let (catalog, control) = control_ref(text)?;
        let (catalog, controls) = self.controls.get_key_value(catalog)?;
        crate::diag::did_you_mean(control, controls.keys().map(String::as_str))
            .map(|c| format!("{catalog}:{c}"))
    }

    /// Whether a wiki link's target names something: an id, or a catalog's control.
    pub fn resolves(&self, target: &str) -> bool {
        self.targets.contains_key(target) || self.control(target).is_some()
    }
}

/// A control that a `CATALOG:CONTROL` reference resolved to.
#[derive(Debug, Clone, Copy)]
pub struct ControlTarget<'a> {
    /// The catalog's id.
    pub catalog: &'a str,
    /// The control's id, as the catalog writes it.
    pub control: &'a str,
    /// The control's title, or its id.
    pub title: &'a str,
    /// The catalog.
    pub target: &'a Target,
}

/// Registers every page and item. A duplicate id is an error at the second definition
/// (in file order) that names the first; the first keeps the id.
pub fn build_registry(pages: &[Page], items: &[Item]) -> (Registry, Vec<Diagnostic>) {
    struct Def<'a> {
        id: &'a str,
        target: Target,
        pos: Pos,
    }
    let page_defs = pages.par_iter().enumerate().map(|(index, p)| Def {
        id: &p.id,
        pos: Pos::new(1, 1),
        target: Target {
            kind: TargetKind::Page,
            file: p.file.clone(),
            title: p.title.clone(),
            url: p.url.clone(),
            index,
        },
    });
    let item_defs = items.par_iter().enumerate().map(|(index, i)| Def {
        id: &i.header.id,
        pos: i.header.id_pos,
        target: Target {
            kind: TargetKind::Item(i.header.kind),
            file: i.file.clone(),
            title: i.header.title.clone(),
            url: i.url(),
            index,
        },
    });
    let mut defs: Vec<(usize, Def<'_>)> = page_defs.chain(item_defs).enumerate().collect();
    // By id, and among definitions of one id by file: the first file in path order
    // keeps the id, the others are duplicates. Sorted, the map is built in one pass.
    defs.par_sort_unstable_by(|(a_seq, a), (b_seq, b)| {
        (a.id, &a.target.file, a_seq).cmp(&(b.id, &b.target.file, b_seq))
    });
    let mut targets: Vec<(String, Target)> = Vec::with_capacity(defs.len());
    let mut diags = Vec::new();
    for (_, def) in defs {
        match targets.last() {
            Some((id, first)) if id == def.id => diags.push(
                Diagnostic::error(
                    "E0301",
                    &def.target.file,
                    format!(
                        "duplicate id `{}`: {} already defines it",
                        def.id, first.file
                    ),
                )
                .at(def.pos)
                .spanning(def.id.chars().count())
                .with_path("id")
                .with_help(format!(
                    "ids are unique in the site: rename this one or the one in {}",
                    first.file
                )),
            ),
            _ => targets.push((def.id.to_owned(), def.target)),
        }
    }
    let targets: BTreeMap<String, Target> = targets.into_iter().collect();
    let mut modules = BTreeMap::new();
    for (id, t) in &targets {
        if t.kind == TargetKind::Item(Kind::Module) {
            modules
                .entry(id.to_ascii_lowercase())
                .or_insert_with(|| id.clone());
        }
    }
    let mut controls: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (id, t) in &targets {
        if let TargetKind::Item(Kind::Catalog) = t.kind
            && let Some(Body::Catalog(c)) = items.get(t.index).map(|i| &i.body)
        {
            let own = controls.entry(id.clone()).or_default();
            for x in &c.controls {
                let cid = x.id.value.trim();
                let title = x.title.as_ref().map_or(cid, |t| t.value.trim());
                own.entry(cid.to_owned())
                    .or_insert_with(|| title.to_owned());
            }
        }
    }
    (
        Registry {
            targets,
            modules,
            controls,
        },
        diags,
    )
}

/// A control reference split into its catalog id (the text before the first `:`) and its
/// control id (the rest, trimmed), so that `owasp-llm-2025:LLM01:2025` names control
/// `LLM01:2025` and `nist-ai-rmf:GOVERN 1.1` names `GOVERN 1.1`. `None` when the text has
/// no `:`, the catalog part is not a valid id, or the control part is empty.
pub fn control_ref(text: &str) -> Option<(&str, &str)> {
    let (catalog, control) = text.trim().split_once(':')?;
    let (catalog, control) = (catalog.trim(), control.trim());
    (super::header::is_valid_id(catalog) && !control.is_empty()).then_some((catalog, control))
}

/// The id a reference-shaped text names: `ITEM`, `ITEM#SUB` or `CATALOG:CONTROL` all name
/// the item before the `#` or `:`. Text with spaces is prose, never a reference (control
/// references, whose ids may hold spaces, resolve through [`Registry::control`]).
pub fn reference_id(text: &str) -> Option<&str> {
    if text.contains(char::is_whitespace) {
        return None;
    }
    let id = text.split(['#', ':']).next()?;
    super::header::is_valid_id(id).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_refs_split_at_the_first_colon() {
        assert_eq!(
            control_ref("nist-ai-rmf:GOVERN 1.1"),
            Some(("nist-ai-rmf", "GOVERN 1.1"))
        );
        assert_eq!(
            control_ref(" owasp-llm-2025: LLM01:2025 "),
            Some(("owasp-llm-2025", "LLM01:2025"))
        );
        assert_eq!(control_ref("GR-1"), None);
        assert_eq!(control_ref("gr:"), None);
        assert_eq!(control_ref("Not An Id:x"), None);
        // Other references keep reading spaced text as prose.
        assert_eq!(reference_id("nist-ai-rmf:GOVERN 1.1"), None);
        assert_eq!(reference_id("guardrails:GR-1"), Some("guardrails"));
    }
}
