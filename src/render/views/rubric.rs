//! A rubric's view: its criteria with their checks as written and every learner's
//! verdict on each.

use super::format::{text, texts};
use super::index::Index;
use crate::model::kinds::rubric::Rubric;
use crate::model::{Node, Value, url};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(crate) struct RubricView {
    competency: Option<String>,
    levels: Vec<String>,
    criteria: Vec<CriterionView>,
}

#[derive(Debug, Serialize)]
struct CriterionView {
    id: String,
    title: Option<String>,
    level: Option<String>,
    requires_kind: Option<String>,
    requires_minimum: Option<u32>,
    checks: Vec<CheckView>,
    /// Every learner's verdict on it, best first.
    learners: Vec<LearnerStatus>,
}

#[derive(Debug, Serialize)]
struct LearnerStatus {
    name: String,
    href: String,
    status: &'static str,
}

#[derive(Debug, Serialize)]
struct CheckView {
    /// The check as written, on one line.
    code: String,
    /// What an `expr:` check means.
    explain: Option<String>,
}

pub(super) fn view(index: &Index<'_>, id: &str, r: &Rubric, from: &str) -> RubricView {
    RubricView {
        competency: text(&r.competency),
        levels: texts(&r.levels),
        criteria: r
            .criteria
            .iter()
            .map(|c| CriterionView {
                id: c.id.value.clone(),
                title: text(&c.title),
                level: text(&c.level),
                requires_kind: c.requires.as_ref().and_then(|r| text(&r.kind)),
                requires_minimum: c
                    .requires
                    .as_ref()
                    .and_then(|r| r.minimum.as_ref())
                    .map(|m| m.value),
                checks: c.checks.iter().map(|k| check(&k.written)).collect(),
                learners: {
                    let mut l: Vec<_> = index.coverage.on_criterion(id, &c.id.value).collect();
                    l.sort_by(|a, b| {
                        b.1.status
                            .cmp(&a.1.status)
                            .then_with(|| a.0.handle.cmp(&b.0.handle))
                    });
                    l.into_iter()
                        .map(|(learner, v)| LearnerStatus {
                            name: learner.display_name().to_owned(),
                            href: url::href(from, &url::learner_url(&learner.handle)),
                            status: v.status.word(),
                        })
                        .collect()
                },
            })
            .collect(),
    }
}

fn check(n: &Node) -> CheckView {
    if let (Some(expr), Value::Map(entries)) = (n.get("expr"), &n.value) {
        let rest: Vec<String> = entries
            .iter()
            .filter(|e| e.key != "expr" && e.key != "explain")
            .map(|e| format!("{}: {}", e.key, flow(&e.node)))
            .collect();
        let mut code = format!("expr: {}", flow(expr));
        for r in rest {
            code.push_str(", ");
            code.push_str(&r);
        }
        return CheckView {
            code,
            explain: n.get("explain").and_then(Node::scalar_text),
        };
    }
    let code = match &n.value {
        Value::Map(entries) => entries
            .iter()
            .map(|e| format!("{}: {}", e.key, flow(&e.node)))
            .collect::<Vec<_>>()
            .join(", "),
        _ => flow(n),
    };
    CheckView {
        code,
        explain: None,
    }
}

/// A value in YAML flow style, on one line.
fn flow(n: &Node) -> String {
    match &n.value {
        Value::Seq(items) => format!(
            "[{}]",
            items.iter().map(flow).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|e| format!("{}: {}", e.key, flow(&e.node)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Null => "~".to_owned(),
        _ => n.scalar_text().unwrap_or_default(),
    }
}
