//! The site's backlog: every mitigation and tabletop action not done, across items.

use super::format::text;
use super::index::{Due, Index, Link};
use super::tabletop::action_status;
use crate::model::decode::Choice;
use crate::model::kinds::Body;
use crate::model::kinds::tabletop::ActionStatus;
use crate::model::kinds::threat_model::MitigationStatus;
use crate::model::url;
use jiff::civil::Date;
use serde::Serialize;

// backlog

/// The site's backlog: every mitigation and tabletop action not done, by due date.
#[derive(Debug, Serialize)]
pub(crate) struct BacklogView {
    rows: Vec<BacklogRow>,
    overdue: usize,
    undated: usize,
    today: String,
}

#[derive(Debug, Serialize)]
struct BacklogRow {
    due: Due,
    owner: Option<String>,
    /// mitigation or action.
    kind: &'static str,
    what: String,
    /// The control a mitigation implements.
    control: Option<Link>,
    /// The threat or action: its id, linking to `ITEM#SUB`.
    source: Link,
    /// The item it belongs to.
    item: Link,
    /// The threat a mitigation is for.
    context: Option<String>,
    status: &'static str,
}

/// A link to `item#sub` labelled with the sub-item's id alone.
fn sub_link(index: &Index<'_>, from: &str, item: &str, sub: &str) -> Link {
    let full = index.link(from, &format!("{item}#{sub}"));
    Link {
        text: sub.to_owned(),
        title: Some(full.text),
        href: full.href,
    }
}

/// Builds the backlog as the page at `from` shows it.
pub(crate) fn backlog(index: &Index<'_>, from: &str) -> BacklogView {
    let mut rows: Vec<(Option<Date>, BacklogRow)> = Vec::new();
    for item in &index.site.items {
        let id = item.header.id.as_str();
        let item_link = || Link {
            text: item.header.title.clone(),
            href: Some(url::href(from, item.url_str())),
            title: Some(id.to_owned()),
        };
        match &item.body {
            Body::ThreatModel(t) => {
                for threat in &t.threats {
                    for m in &threat.mitigations {
                        let status = m.status.as_ref().map(|s| s.value);
                        if status == Some(MitigationStatus::Done) {
                            continue;
                        }
                        let what = text(&m.text)
                            .or_else(|| text(&m.control))
                            .unwrap_or_default();
                        rows.push((
                            m.due.as_ref().map(|d| d.value),
                            BacklogRow {
                                due: index.due(m.due.as_ref().map(|d| d.value), false),
                                owner: text(&m.owner),
                                kind: "mitigation",
                                what,
                                control: m.control.as_ref().map(|c| index.link(from, &c.value)),
                                source: sub_link(index, from, id, &threat.id.value),
                                item: item_link(),
                                context: Some(threat.title.value.clone()),
                                status: status.map_or("planned", |s| s.name()),
                            },
                        ));
                    }
                }
            }
            Body::Tabletop(t) => {
                for a in &t.actions {
                    let status = action_status(a);
                    if status == ActionStatus::Done {
                        continue;
                    }
                    rows.push((
                        a.due.as_ref().map(|d| d.value),
                        BacklogRow {
                            due: index.due(a.due.as_ref().map(|d| d.value), false),
                            owner: text(&a.owner),
                            kind: "action",
                            what: text(&a.title).unwrap_or_else(|| a.id.value.clone()),
                            control: None,
                            source: sub_link(index, from, id, &a.id.value),
                            item: item_link(),
                            context: None,
                            status: status.name(),
                        },
                    ));
                }
            }
            _ => {}
        }
    }
    // Dated work first, soonest first; undated last; ties keep site order.
    rows.sort_by_key(|a| (a.0.is_none(), a.0));
    BacklogView {
        overdue: rows.iter().filter(|r| r.1.due.overdue).count(),
        undated: rows.iter().filter(|r| r.0.is_none()).count(),
        rows: rows.into_iter().map(|r| r.1).collect(),
        today: index.today.to_string(),
    }
}
