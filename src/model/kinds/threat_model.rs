//! threat-model (DESIGN 3.1): assets, flows, threats and the mitigation backlog.

use super::common::{Category, Rating};
use crate::model::Node;
use crate::model::decode::{At, Decoder, choice};
use jiff::civil::Date;
use serde::Serialize;

choice!(
    /// Where a threat stands.
    ThreatStatus {
        Open = "open",
        Mitigated = "mitigated",
        Accepted = "accepted",
        Transferred = "transferred",
        FalsePositive = "false-positive",
    }
);

choice!(
    /// Where a mitigation stands.
    MitigationStatus { Planned = "planned", InProgress = "in-progress", Done = "done" }
);

/// A system's threat model.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ThreatModel {
    /// What is modelled.
    pub system: At<String>,
    /// stride, linddun, atlas, ...
    pub methodology: Option<At<String>>,
    /// What is worth protecting.
    pub assets: Vec<Asset>,
    /// Data flows between assets and external entities.
    pub flows: Vec<Flow>,
    /// The threats.
    pub threats: Vec<Threat>,
}

/// Something worth protecting.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Asset {
    /// Unique in the model; `ITEM#ID` refers to it.
    pub id: At<String>,
    /// Name.
    pub title: Option<At<String>>,
    /// public, internal, confidential, restricted, ...
    pub sensitivity: Option<At<String>>,
}

/// A data flow.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Flow {
    /// Unique in the model.
    pub id: At<String>,
    /// Name.
    pub title: Option<At<String>>,
    /// An asset id or the name of an external entity.
    pub from: At<String>,
    /// An asset id or the name of an external entity.
    pub to: At<String>,
    /// The trust boundary it crosses.
    pub crosses: Option<At<String>>,
}

/// One threat.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Threat {
    /// Unique in the model.
    pub id: At<String>,
    /// What could happen.
    pub title: At<String>,
    /// Longer explanation.
    pub description: Option<At<String>>,
    /// STRIDE, LINDDUN or ML category.
    pub category: Option<At<Category>>,
    /// MITRE ATLAS technique ids (AML.T0020).
    pub atlas: Vec<At<String>>,
    /// OWASP ids (ML02:2023, LLM01:2025).
    pub owasp: Vec<At<String>>,
    /// Asset and flow ids of this model.
    pub affects: Vec<At<String>>,
    /// How likely.
    pub likelihood: Option<At<Rating>>,
    /// How bad.
    pub impact: Option<At<Rating>>,
    /// Where it stands.
    pub status: Option<At<ThreatStatus>>,
    /// What is done about it.
    pub mitigations: Vec<Mitigation>,
    /// Required when accepted.
    pub acceptance: Option<Acceptance>,
    /// The threat's field path (`threats[2]`), for diagnostics.
    #[serde(skip)]
    #[schemars(skip)]
    pub path: String,
}

/// A mitigation: together they are the model's backlog.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Mitigation {
    /// A control, `CATALOG:CONTROL`.
    pub control: Option<At<String>>,
    /// What is done.
    pub text: Option<At<String>>,
    /// Items that show it is done.
    pub evidence: Vec<At<String>>,
    /// Who does it.
    pub owner: Option<At<String>>,
    /// By when.
    pub due: Option<At<Date>>,
    /// planned, in-progress, done.
    pub status: Option<At<MitigationStatus>>,
    /// Field path, for diagnostics.
    #[serde(skip)]
    #[schemars(skip)]
    pub path: String,
}

/// A risk acceptance.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Acceptance {
    /// Who accepted it.
    pub by: Option<At<String>>,
    /// When.
    pub on: Option<At<Date>>,
    /// Until when it holds.
    pub expires: Option<At<Date>>,
    /// Why.
    pub rationale: Option<At<String>>,
    /// Field path, for diagnostics.
    #[serde(skip)]
    #[schemars(skip)]
    pub path: String,
}

/// Fields of a threat-model beyond the header.
pub const FIELDS: &[&str] = &["system", "methodology", "assets", "flows", "threats"];

impl ThreatModel {
    /// Decodes the kind's fields from the document.
    pub fn decode(d: &mut Decoder<'_>, doc: &Node) -> Option<ThreatModel> {
        let system = d.req_text(
            doc,
            "system",
            "add `system:` describing what the model covers",
        );
        let methodology = d.text(doc, "methodology");
        let assets = d.list(doc, "assets", |d, n| {
            d.fields(n, "an asset", &["id", "title", "sensitivity"]);
            Some(Asset {
                id: d.req_text(n, "id", "give the asset an `id`")?,
                title: d.text(n, "title"),
                sensitivity: d.text(n, "sensitivity"),
            })
        });
        let flows = d.list(doc, "flows", |d, n| {
            d.fields(n, "a flow", &["id", "title", "from", "to", "crosses"]);
            let id = d.req_text(n, "id", "give the flow an `id`");
            let from = d.req_text(
                n,
                "from",
                "name the asset or external entity the flow starts at",
            );
            let to = d.req_text(
                n,
                "to",
                "name the asset or external entity the flow ends at",
            );
            Some(Flow {
                id: id?,
                title: d.text(n, "title"),
                from: from?,
                to: to?,
                crosses: d.text(n, "crosses"),
            })
        });
        let threats = d.list(doc, "threats", |d, n| {
            d.fields(
                n,
                "a threat",
                &[
                    "id",
                    "title",
                    "description",
                    "category",
                    "atlas",
                    "owasp",
                    "affects",
                    "likelihood",
                    "impact",
                    "status",
                    "mitigations",
                    "acceptance",
                ],
            );
            let path = d.path();
            let id = d.req_text(n, "id", "give the threat an `id` such as T1");
            let title = d.req_text(n, "title", "say what could happen in `title`");
            Some(Threat {
                description: d.text(n, "description"),
                category: d.choice(n, "category"),
                atlas: d.texts(n, "atlas"),
                owasp: d.texts(n, "owasp"),
                affects: d.texts(n, "affects"),
                likelihood: d.choice(n, "likelihood"),
                impact: d.choice(n, "impact"),
                status: d.req_choice(n, "status"),
                mitigations: d.list(n, "mitigations", decode_mitigation),
                acceptance: d.nested(n, "acceptance", decode_acceptance),
                id: id?,
                title: title?,
                path,
            })
        });
        Some(ThreatModel {
            system: system?,
            methodology,
            assets,
            flows,
            threats,
        })
    }
}

pub(crate) fn decode_mitigation(d: &mut Decoder<'_>, n: &Node) -> Option<Mitigation> {
    d.fields(
        n,
        "a mitigation",
        &["control", "text", "evidence", "owner", "due", "status"],
    );
    let m = Mitigation {
        path: d.path(),
        control: d.text(n, "control"),
        text: d.text(n, "text"),
        evidence: d.texts(n, "evidence"),
        owner: d.text(n, "owner"),
        due: d.date(n, "due"),
        status: d.choice(n, "status"),
    };
    if m.control.is_none() && m.text.is_none() {
        d.missing(
            n,
            "text",
            "a mitigation names a `control`, describes itself in `text`, or both",
        );
    }
    Some(m)
}

pub(crate) fn decode_acceptance(d: &mut Decoder<'_>, n: &Node) -> Option<Acceptance> {
    d.fields(n, "an acceptance", &["by", "on", "expires", "rationale"]);
    Some(Acceptance {
        path: d.path(),
        by: d.req_text(n, "by", "say who accepted the risk"),
        on: d.req_date(n, "on"),
        expires: d.req_date(n, "expires"),
        rationale: d.text(n, "rationale"),
    })
}
