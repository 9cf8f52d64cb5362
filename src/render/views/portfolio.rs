//! A portfolio's view: the learner, the module, and each claim with its evidence.

use super::format::text;
use super::index::{Index, Link};
use crate::model::kinds::portfolio::Portfolio;
use crate::model::url;
use crate::render::markdown;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(crate) struct PortfolioView {
    name: Option<String>,
    handle: String,
    module: Option<Link>,
    claims: Vec<ClaimView>,
    /// The reflection as sanitised HTML.
    reflection: Option<String>,
}

#[derive(Debug, Serialize)]
struct ClaimView {
    criterion: Link,
    evidence: Vec<Link>,
    note: Option<String>,
}

pub(super) fn view(index: &Index<'_>, p: &Portfolio, from: &str) -> PortfolioView {
    // A module is linked when the site has its roadmap (DESIGN 3.5), by any case of its id.
    let module = p
        .module
        .as_ref()
        .map(|m| match index.site.registry.module(&m.value) {
            Some((_, target)) => Link {
                text: m.value.clone(),
                href: Some(url::href(from, &target.url)),
                title: Some(target.title.clone()),
            },
            None => Link {
                text: m.value.clone(),
                href: None,
                title: None,
            },
        });
    PortfolioView {
        name: text(&p.learner.name),
        handle: p.learner.handle.value.clone(),
        module,
        claims: p
            .claims
            .iter()
            .map(|c| ClaimView {
                criterion: index.link(from, &c.criterion.value),
                evidence: index.links(from, &c.evidence),
                note: text(&c.note),
            })
            .collect(),
        reflection: p
            .reflection
            .as_ref()
            .map(|r| markdown::to_html(&r.value, &index.site.registry, from)),
    }
}
