//! An exception's view: its validity, and what each thing it covers is.

use super::format::{date, paragraphs, texts, word};
use super::index::{Index, Link, Validity};
use crate::model::TargetKind;
use crate::model::decode::Choice;
use crate::model::kinds::Body;
use crate::model::kinds::exception::Exception;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(crate) struct ExceptionView {
    approved_on: Option<String>,
    pub(super) validity: Option<Validity>,
    reason: Vec<String>,
    pub(super) approved_by: Vec<String>,
    pub(super) covers: Vec<Covered>,
}

/// Something an exception covers.
#[derive(Debug, Serialize)]
pub(super) struct Covered {
    link: Link,
    /// finding, rule, threat, disparity, or item.
    what: &'static str,
    severity: Option<&'static str>,
    status: Option<&'static str>,
}

pub(super) fn view(index: &Index<'_>, e: &Exception, from: &str) -> ExceptionView {
    let covers = e
        .covers
        .iter()
        .map(|c| {
            let link = index.link(from, &c.value);
            let (mut what, mut severity, mut status) = ("item", None, None);
            if let Some((id, sub)) = c.value.trim().split_once('#')
                && let Some(target) = index.site.registry.get(id)
                && let TargetKind::Item(_) = target.kind
                && let Some(item) = index.site.items.get(target.index)
            {
                match &item.body {
                    Body::Scan(_) | Body::Sbom(_) => {
                        if let Some(f) = item.body.findings().into_iter().find(|f| f.id == *sub) {
                            what = "finding";
                            severity = f.severity.map(|x| x.name());
                            status = Some(f.status().name());
                        } else if let Body::Sbom(s) = &item.body
                            && s.components.iter().any(|c| c.id.value == sub)
                        {
                            what = "component";
                        } else {
                            what = "rule";
                        }
                    }
                    Body::ThreatModel(t) => {
                        what = "threat";
                        status = t
                            .threats
                            .iter()
                            .find(|x| x.id.value == sub)
                            .and_then(|x| word(&x.status));
                    }
                    Body::Fairness(_) => what = "disparity",
                    _ => {}
                }
            }
            Covered {
                link,
                what,
                severity,
                status,
            }
        })
        .collect();
    ExceptionView {
        approved_on: date(&e.approved_on),
        validity: e.expires.as_ref().map(|x| index.validity(x.value)),
        reason: paragraphs(&e.reason),
        approved_by: texts(&e.approved_by),
        covers,
    }
}
