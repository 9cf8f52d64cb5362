//! References written in evidence fields must name what their field expects: an item,
//! a sub-item (`ITEM#SUB`), a control (`CATALOG:CONTROL`), a criterion, a packet, or an
//! asset or flow of the same threat model.

use crate::diag::{Diagnostic, did_you_mean};
use crate::model::decode::At;
use crate::model::kinds::{Body, RefRule};
use crate::model::{Item, Kind, Site, TargetKind};
use std::collections::HashMap;

/// Sub-item ids (and scan rules) by item id, for `ITEM#SUB` lookups.
pub(crate) struct SubIndex<'a> {
    items: HashMap<&'a str, &'a Item>,
}

impl<'a> SubIndex<'a> {
    pub(crate) fn new(site: &'a Site) -> Self {
        SubIndex {
            items: site
                .items
                .iter()
                .map(|i| (i.header.id.as_str(), i))
                .collect(),
        }
    }

    pub(crate) fn item(&self, id: &str) -> Option<&'a Item> {
        self.items.get(id).copied()
    }
}

pub(super) fn check(site: &Site) -> Vec<Diagnostic> {
    let index = SubIndex::new(site);
    let mut diags = Vec::new();
    for item in &site.items {
        for r in item.body.refs() {
            if let Err(d) = resolve(site, &index, item, r.target, r.rule) {
                diags.push(d);
            }
        }
    }
    diags
}

fn err(
    item: &Item,
    at: &At<String>,
    code: &'static str,
    message: String,
    help: String,
) -> Diagnostic {
    Diagnostic::error(code, &item.file, message)
        .at(at.pos)
        .spanning(at.len())
        .with_path(at.path.clone())
        .with_help(help)
}

fn suggest<'s>(word: &str, options: impl IntoIterator<Item = &'s str>, fallback: String) -> String {
    let options: Vec<&str> = options.into_iter().collect();
    match did_you_mean(word, options.iter().copied()) {
        Some(m) => format!("did you mean `{m}`?"),
        None if options.is_empty() => fallback,
        None if options.len() <= 12 => format!("{fallback}; known: {}", options.join(", ")),
        None => fallback,
    }
}

/// Checks one reference. `Ok` carries nothing: the link stage re-resolves what it needs.
fn resolve(
    site: &Site,
    index: &SubIndex<'_>,
    item: &Item,
    at: &At<String>,
    rule: RefRule,
) -> Result<(), Diagnostic> {
    let text = at.value.trim();
    match rule {
        RefRule::Local => {
            let Body::ThreatModel(tm) = &item.body else {
                return Ok(());
            };
            let ids = tm
                .assets
                .iter()
                .map(|a| a.id.value.as_str())
                .chain(tm.flows.iter().map(|f| f.id.value.as_str()));
            if ids.clone().any(|i| i == text) {
                return Ok(());
            }
            Err(err(
                item,
                at,
                "E0307",
                format!("`{text}` is not an asset or flow of this threat model"),
                suggest(
                    text,
                    ids,
                    "list the ids of `assets` or `flows` this threat affects".to_owned(),
                ),
            ))
        }
        RefRule::Control => {
            // The catalog is the text before the first `:`; the control is the rest,
            // trimmed, and may hold spaces and colons (`owasp-llm-2025:LLM01:2025`).
            let Some((catalog, control)) = crate::model::control_ref(text) else {
                return Err(err(
                    item,
                    at,
                    "E0306",
                    format!("`{text}` is not a control reference"),
                    "write controls as `CATALOG:CONTROL`, such as `guardrails:GR-SECRETS`"
                        .to_owned(),
                ));
            };
            let cat = expect_item(site, index, item, at, catalog, &[Kind::Catalog], "E0306")?;
            sub(item, at, cat, control, "E0306", "control")
        }
        RefRule::Criterion => {
            let Some((rubric, criterion)) = text.split_once('#') else {
                return Err(err(
                    item,
                    at,
                    "E0305",
                    format!("`{text}` is not a criterion reference"),
                    "write criteria as `RUBRIC#CRITERION`, such as `platform-security#threat-model`".to_owned(),
                ));
            };
            let r = expect_item(site, index, item, at, rubric, &[Kind::Rubric], "E0305")?;
            sub(item, at, r, criterion, "E0305", "criterion")
        }
        RefRule::Packet => {
            if text == item.header.id {
                return Err(err(
                    item,
                    at,
                    "E0308",
                    "a packet cannot extend itself".to_owned(),
                    "remove it from `extends`".to_owned(),
                ));
            }
            expect_item(site, index, item, at, text, &[Kind::Packet], "E0305").map(|_| ())
        }
        RefRule::Threat => {
            let (tm, threat) = split_sub(
                item,
                at,
                "write threats as `THREAT-MODEL#THREAT`, such as `tm-credit-api#T1`",
            )?;
            let target = expect_item(site, index, item, at, tm, &[Kind::ThreatModel], "E0305")?;
            sub(item, at, target, threat, "E0305", "threat")
        }
        RefRule::Covered => {
            let (id, s) = split_sub(
                item,
                at,
                "an exception covers `SCAN#FINDING`, `SCAN#RULE` (of a scan or an SBOM), `THREAT-MODEL#THREAT` or `FAIRNESS#METRIC`",
            )?;
            let target = expect_item(
                site,
                index,
                item,
                at,
                id,
                &[Kind::Scan, Kind::Sbom, Kind::ThreatModel, Kind::Fairness],
                "E0305",
            )?;
            if target
                .body
                .findings()
                .iter()
                .any(|f| f.rule.as_deref() == Some(s))
            {
                return Ok(());
            }
            sub(
                item,
                at,
                target,
                s,
                "E0305",
                "finding, rule, threat or disparity",
            )
        }
        RefRule::Evidence => {
            let (id, s) = match text.split_once('#') {
                Some((i, s)) => (i, Some(s)),
                None => (text, None),
            };
            let target = expect_item(site, index, item, at, id, &Kind::ALL, "E0305")?;
            match s {
                Some(s) => sub(item, at, target, s, "E0305", "sub-item"),
                None => Ok(()),
            }
        }
    }
}

fn split_sub<'t>(
    item: &Item,
    at: &'t At<String>,
    help: &str,
) -> Result<(&'t str, &'t str), Diagnostic> {
    at.value.trim().split_once('#').ok_or_else(|| {
        err(
            item,
            at,
            "E0305",
            format!("`{}` does not name a sub-item", at.value.trim()),
            help.to_owned(),
        )
    })
}

/// The item `id`, which must be of one of `kinds`.
fn expect_item<'a>(
    site: &Site,
    index: &SubIndex<'a>,
    item: &Item,
    at: &At<String>,
    id: &str,
    kinds: &[Kind],
    code: &'static str,
) -> Result<&'a Item, Diagnostic> {
    let names = || {
        kinds
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(" or ")
    };
    match index.item(id) {
        Some(target) if kinds.contains(&target.header.kind) => Ok(target),
        Some(target) => Err(err(
            item,
            at,
            "E0308",
            format!(
                "`{id}` is a {}, not a {}",
                target.header.kind.name(),
                names()
            ),
            format!("name a {} here", names()),
        )),
        None => {
            let is_page = matches!(
                site.registry.get(id).map(|t| t.kind),
                Some(TargetKind::Page)
            );
            let candidates = site
                .items
                .iter()
                .filter(|i| kinds.contains(&i.header.kind))
                .map(|i| i.header.id.as_str());
            let help = if is_page {
                format!("`{id}` is a page; this field names a {}", names())
            } else {
                suggest(
                    id,
                    candidates,
                    format!("no {} has this id; check the spelling", names()),
                )
            };
            Err(err(
                item,
                at,
                code,
                format!("unknown {} `{id}`", names()),
                help,
            ))
        }
    }
}

/// The sub-item `s` of `target`.
fn sub(
    item: &Item,
    at: &At<String>,
    target: &Item,
    s: &str,
    code: &'static str,
    what: &str,
) -> Result<(), Diagnostic> {
    let subs = target.body.subs();
    if subs.iter().any(|x| x.id.trim() == s) {
        return Ok(());
    }
    let help = suggest(
        s,
        subs.iter().map(|x| x.id.trim()),
        format!("{} has no {what} with this id", target.header.id),
    );
    Err(err(
        item,
        at,
        code,
        format!("`{}` has no {what} `{s}`", target.header.id),
        help,
    ))
}
