//! tabletop (DESIGN 3.4b): a joint exercise on an ML incident.

use super::common::Category;
use crate::model::Node;
use crate::model::decode::{At, Decoder, choice};
use jiff::civil::Date;
use serde::Serialize;

choice!(
    /// Where an action stands.
    ActionStatus { Open = "open", Done = "done" }
);

/// A tabletop exercise.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Tabletop {
    /// When it was held.
    pub held_on: Option<At<Date>>,
    /// The incident played.
    pub scenario: Option<Scenario>,
    /// Who took part.
    pub participants: Vec<Participant>,
    /// Injects and responses.
    pub timeline: Vec<Moment>,
    /// What was learnt.
    pub findings: Vec<At<String>>,
    /// What will be done.
    pub actions: Vec<Action>,
}

/// The scenario.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Scenario {
    /// The story.
    pub text: Option<At<String>>,
    /// The ML incident category.
    pub category: Option<At<Category>>,
}

/// A participant.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Participant {
    /// Name.
    pub name: At<String>,
    /// security, sre, product, compliance, ...
    pub role: Option<At<String>>,
}

/// One step of the timeline.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Moment {
    /// When (T+00:15).
    pub time: Option<At<String>>,
    /// What the facilitator injected.
    pub inject: Option<At<String>>,
    /// How the team responded.
    pub response: Option<At<String>>,
}

/// A follow-up action.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Action {
    /// Unique in the exercise.
    pub id: At<String>,
    /// What to do.
    pub title: Option<At<String>>,
    /// Who.
    pub owner: Option<At<String>>,
    /// By when.
    pub due: Option<At<Date>>,
    /// open or done.
    pub status: Option<At<ActionStatus>>,
    /// Threats it addresses (`TM#THREAT`).
    pub threats: Vec<At<String>>,
    /// Field path, for diagnostics.
    #[serde(skip)]
    #[schemars(skip)]
    pub path: String,
}

/// Fields of a tabletop beyond the header.
pub const FIELDS: &[&str] = &[
    "held_on",
    "scenario",
    "participants",
    "timeline",
    "findings",
    "actions",
];

impl Tabletop {
    /// Decodes the kind's fields from the document.
    pub fn decode(d: &mut Decoder<'_>, doc: &Node) -> Option<Tabletop> {
        Some(Tabletop {
            held_on: d.req_date(doc, "held_on"),
            scenario: d.nested(doc, "scenario", |d, n| {
                d.fields(n, "a scenario", &["text", "category"]);
                Some(Scenario {
                    text: d.text(n, "text"),
                    category: d.choice(n, "category"),
                })
            }),
            participants: d.list(doc, "participants", |d, n| {
                d.fields(n, "a participant", &["name", "role"]);
                Some(Participant {
                    name: d.req_text(n, "name", "name the participant")?,
                    role: d.text(n, "role"),
                })
            }),
            timeline: d.list(doc, "timeline", |d, n| {
                d.fields(n, "a timeline entry", &["time", "inject", "response"]);
                Some(Moment {
                    time: d.text(n, "time"),
                    inject: d.text(n, "inject"),
                    response: d.text(n, "response"),
                })
            }),
            findings: d.texts(doc, "findings"),
            actions: d.list(doc, "actions", |d, n| {
                d.fields(
                    n,
                    "an action",
                    &["id", "title", "owner", "due", "status", "threats"],
                );
                let path = d.path();
                Some(Action {
                    id: d.req_text(n, "id", "give the action an `id` such as A1")?,
                    title: d.text(n, "title"),
                    owner: d.text(n, "owner"),
                    due: d.date(n, "due"),
                    status: d.choice(n, "status"),
                    threats: d.texts(n, "threats"),
                    path,
                })
            }),
        })
    }
}
