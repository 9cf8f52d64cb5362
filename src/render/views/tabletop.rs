//! A tabletop exercise's view: participants by role, timeline, findings and actions.

use super::format::{date, text, texts, word};
use super::index::{Due, Index, Link};
use crate::model::decode::Choice;
use crate::model::kinds::tabletop::{self, ActionStatus, Tabletop};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(crate) struct TabletopView {
    pub(super) held_on: Option<String>,
    scenario_category: Option<&'static str>,
    scenario: Option<String>,
    /// Participants grouped by role, roles in first-written order.
    roles: Vec<RoleGroup>,
    timeline: Vec<MomentView>,
    findings: Vec<String>,
    pub(super) actions: Vec<ActionView>,
    /// Actions not done.
    pub(super) open_actions: usize,
}

#[derive(Debug, Serialize)]
struct RoleGroup {
    role: Option<String>,
    names: Vec<String>,
}

#[derive(Debug, Serialize)]
struct MomentView {
    time: Option<String>,
    inject: Option<String>,
    response: Option<String>,
}

#[derive(Debug, Serialize)]
pub(super) struct ActionView {
    id: String,
    title: Option<String>,
    owner: Option<String>,
    due: Due,
    status: &'static str,
    threats: Vec<Link>,
}

pub(super) fn action_status(a: &tabletop::Action) -> ActionStatus {
    a.status.as_ref().map_or(ActionStatus::Open, |s| s.value)
}

pub(super) fn view(index: &Index<'_>, t: &Tabletop, from: &str) -> TabletopView {
    let mut roles: Vec<RoleGroup> = Vec::new();
    for p in &t.participants {
        let role = text(&p.role);
        match roles.iter_mut().find(|g| g.role == role) {
            Some(g) => g.names.push(p.name.value.clone()),
            None => roles.push(RoleGroup {
                role,
                names: vec![p.name.value.clone()],
            }),
        }
    }
    TabletopView {
        held_on: date(&t.held_on),
        scenario_category: t.scenario.as_ref().and_then(|s| word(&s.category)),
        scenario: t.scenario.as_ref().and_then(|s| text(&s.text)),
        roles,
        timeline: t
            .timeline
            .iter()
            .map(|m| MomentView {
                time: text(&m.time),
                inject: text(&m.inject),
                response: text(&m.response),
            })
            .collect(),
        findings: texts(&t.findings),
        open_actions: t
            .actions
            .iter()
            .filter(|a| action_status(a) != ActionStatus::Done)
            .count(),
        actions: t
            .actions
            .iter()
            .map(|a| {
                let status = action_status(a);
                ActionView {
                    id: a.id.value.clone(),
                    title: text(&a.title),
                    owner: text(&a.owner),
                    due: index.due(
                        a.due.as_ref().map(|d| d.value),
                        status == ActionStatus::Done,
                    ),
                    status: status.name(),
                    threats: index.links(from, &a.threats),
                }
            })
            .collect(),
    }
}
