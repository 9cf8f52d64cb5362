//! Azure Machine Learning Responsible AI scorecard config (the JSON given to the RAI
//! dashboard's PDF scorecard job): the model's targets become a fairness item (DESIGN 3.4).
//!
//! The config holds targets, not results, and Evidentia never invents a measured value,
//! so it yields no disparities (a disparity needs a measured value). Instead the targets
//! are recorded as metric frames in a group named `target`, the metric name carrying the
//! comparison as written (`mean_absolute_error <=` = 20):
//! - `Metrics{NAME: {threshold: "<=20"}}`: model-wide performance targets, in the group
//!   `target` of the feature `overall`; a metric without a threshold has no target and
//!   is not listed.
//! - `Fairness{metric[], sensitive_features[], fairness_evaluation_kind, threshold}`: with
//!   a threshold, each metric's target for each sensitive feature, named
//!   `METRIC KIND OP` (`selection_rate difference <=` = 0.2). Without one (as in the
//!   Azure examples) only the sensitive features are kept.
//!
//! The comparison stays in the metric name because it is the direction a measurement
//! must keep (`<`, `<=`: at most; anything else: at least), which a disparity built from
//! the scorecard's results would need. `FeatureImportance` and `DataExplorer` settings
//! have no counterpart and are not carried over.

use super::ai_verify::Ordered;
use super::common::fairness::reported;
use super::detect::Probe;
use super::finding::{at, text};
use super::{Format, Report, parse_json};
use crate::diag::{Diagnostic, Pos};
use crate::model::Kind;
use crate::model::kinds::Body;
use crate::model::kinds::fairness::{GroupMetrics, MetricFrame};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Doc {
    model: Option<ModelInfo>,
    metrics: Option<Ordered<MetricTarget>>,
    fairness: Option<FairnessConfig>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ModelInfo {
    model_name: Option<String>,
}

#[derive(Deserialize)]
struct MetricTarget {
    threshold: Option<Threshold>,
}

#[derive(Deserialize)]
struct FairnessConfig {
    #[serde(default)]
    metric: Vec<String>,
    #[serde(default)]
    sensitive_features: Vec<String>,
    fairness_evaluation_kind: Option<String>,
    threshold: Option<Threshold>,
}

/// A threshold as written: `"<=20"`, `">= 0.85"` or a bare number.
#[derive(Deserialize)]
#[serde(untagged)]
enum Threshold {
    Number(f64),
    Text(String),
}

/// A parsed threshold: the comparison as written and the limit.
#[derive(Debug, PartialEq)]
struct Target {
    op: &'static str,
    limit: f64,
}

impl Threshold {
    fn parse(&self) -> Option<Target> {
        match self {
            Threshold::Number(n) => Some(Target { op: "", limit: *n }),
            Threshold::Text(t) => {
                let t = t.trim();
                let op = ["<=", ">=", "==", "<", ">", "="]
                    .into_iter()
                    .find(|op| t.starts_with(op))
                    .unwrap_or("");
                let limit = t[op.len()..].trim().parse().ok()?;
                Some(Target { op, limit })
            }
        }
        .filter(|x| x.limit.is_finite())
    }
}

/// The scorecard config has `Model` and `Metrics` or `Fairness` at the top level.
pub(super) fn detects(p: &Probe<'_>) -> bool {
    p.has("Model") && (p.has("Metrics") || p.has("Fairness"))
}

fn bad_threshold(rel: &str, path: &str) -> Diagnostic {
    Diagnostic::error(
        "E0210",
        rel,
        "not a valid Azure RAI scorecard config report: a threshold must be a number, optionally after <, <=, >, >= or =",
    )
    .at(Pos::FILE)
    .with_path(path.to_owned())
    .with_help("write the threshold like \"<=20\" or \">=0.85\"")
}

fn push_target(metrics: &mut GroupMetrics, name: String, t: &Target, path: String) {
    let name = if t.op.is_empty() {
        name
    } else {
        format!("{name} {}", t.op)
    };
    if !metrics.iter().any(|(n, _)| *n == name) {
        metrics.push((name, at(t.limit, path)));
    }
}

pub(super) fn import(text_: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let doc: Doc = parse_json(Format::RaiScorecard, text_, rel)?;
    let mut errors = Vec::new();
    let mut frames = Vec::new();

    let mut overall: GroupMetrics = Vec::new();
    for (name, m) in doc.metrics.iter().flat_map(|m| m.0.iter()) {
        let Some(t) = &m.threshold else { continue };
        let path = format!("Metrics.{name}.threshold");
        match t.parse() {
            Some(t) => push_target(&mut overall, name.trim().to_owned(), &t, path),
            None => errors.push(bad_threshold(rel, &path)),
        }
    }
    if !overall.is_empty() {
        frames.push(MetricFrame {
            feature: at("overall".to_owned(), "Metrics"),
            groups: vec![("target".to_owned(), overall)],
        });
    }

    let mut sensitive_features = Vec::new();
    if let Some(f) = &doc.fairness {
        sensitive_features = f
            .sensitive_features
            .iter()
            .enumerate()
            .filter_map(|(i, s)| text(Some(s), &format!("Fairness.sensitive_features[{i}]")))
            .collect();
        let target = match &f.threshold {
            Some(t) => match t.parse() {
                Some(t) => Some(t),
                None => {
                    errors.push(bad_threshold(rel, "Fairness.threshold"));
                    None
                }
            },
            None => None,
        };
        if let Some(t) = target {
            let kind = f
                .fairness_evaluation_kind
                .as_deref()
                .map(str::trim)
                .filter(|k| !k.is_empty());
            for feature in &sensitive_features {
                let mut group: GroupMetrics = Vec::new();
                for m in f.metric.iter().map(|m| m.trim()).filter(|m| !m.is_empty()) {
                    let name = match kind {
                        Some(k) => format!("{m} {k}"),
                        None => m.to_owned(),
                    };
                    push_target(&mut group, name, &t, "Fairness.threshold".to_owned());
                }
                if !group.is_empty() {
                    frames.push(MetricFrame {
                        feature: feature.clone(),
                        groups: vec![("target".to_owned(), group)],
                    });
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let model = doc.model.as_ref().and_then(|m| m.model_name.as_deref());
    Ok(Report {
        kind: Kind::Fairness,
        title: format!(
            "RAI scorecard targets: {}",
            model
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .unwrap_or("unnamed model")
        ),
        updated: None,
        body: Body::Fairness(reported(
            text(model, "Model.ModelName"),
            None,
            sensitive_features,
            frames,
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kinds::fairness::Fairness;

    /// A feature, a group and its metrics, for comparing whole results.
    type Row<'a> = (&'a str, &'a str, Vec<(&'a str, f64)>);

    fn fairness(r: &Report) -> &Fairness {
        let Body::Fairness(f) = &r.body else {
            panic!("not a fairness item")
        };
        f
    }

    #[test]
    fn thresholds_parse_with_their_comparison() {
        let t = |s: &str| Threshold::Text(s.to_owned()).parse();
        assert_eq!(
            t("<=20"),
            Some(Target {
                op: "<=",
                limit: 20.0
            })
        );
        assert_eq!(
            t(" >= 0.85"),
            Some(Target {
                op: ">=",
                limit: 0.85
            })
        );
        assert_eq!(t("0.5"), Some(Target { op: "", limit: 0.5 }));
        assert_eq!(t("<=x"), None);
        assert_eq!(
            Threshold::Number(3.0).parse(),
            Some(Target { op: "", limit: 3.0 })
        );
    }

    #[test]
    fn targets_become_target_groups() {
        let text = r#"{"Model": {"ModelName": "Loans", "ModelType": "Classification"},
          "Metrics": {"accuracy_score": {"threshold": ">=0.85"}, "recall_score": {},
                      "mean_absolute_error": {"threshold": "<=20"}},
          "FeatureImportance": {"top_n": 6},
          "DataExplorer": {"features": ["age"]},
          "Fairness": {"metric": ["selection_rate"], "sensitive_features": ["sex", "race"],
                       "fairness_evaluation_kind": "difference", "threshold": "<=0.2"}}"#;
        let r = import(text, "evidence/sc.json").unwrap();
        assert_eq!(r.title, "RAI scorecard targets: Loans");
        let f = fairness(&r);
        assert_eq!(f.model.as_ref().unwrap().value, "Loans");
        assert!(f.disparities.is_empty());
        let features: Vec<&str> = f
            .sensitive_features
            .iter()
            .map(|x| x.value.as_str())
            .collect();
        assert_eq!(features, ["sex", "race"]);
        let shape: Vec<Row<'_>> = f
            .metrics
            .iter()
            .flat_map(|m| {
                m.groups.iter().map(|(g, ms)| {
                    (
                        m.feature.value.as_str(),
                        g.as_str(),
                        ms.iter().map(|(n, v)| (n.as_str(), v.value)).collect(),
                    )
                })
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                (
                    "overall",
                    "target",
                    vec![
                        ("accuracy_score >=", 0.85),
                        ("mean_absolute_error <=", 20.0)
                    ]
                ),
                ("sex", "target", vec![("selection_rate difference <=", 0.2)]),
                (
                    "race",
                    "target",
                    vec![("selection_rate difference <=", 0.2)]
                ),
            ]
        );
    }

    #[test]
    fn a_fairness_section_without_threshold_keeps_its_features() {
        let text = r#"{"Model": {"ModelName": "M"},
          "Fairness": {"metric": ["mean_squared_error"], "sensitive_features": ["IDE"],
                       "fairness_evaluation_kind": "difference"}}"#;
        let r = import(text, "evidence/sc.json").unwrap();
        let f = fairness(&r);
        assert!(f.metrics.is_empty());
        assert_eq!(f.sensitive_features[0].value, "IDE");
    }

    #[test]
    fn a_broken_threshold_is_reported_at_its_path() {
        let d = import(
            r#"{"Model": {}, "Metrics": {"mae": {"threshold": "about 20"}}}"#,
            "evidence/sc.json",
        )
        .unwrap_err();
        assert_eq!(d[0].code, "E0210");
        assert_eq!(d[0].path, "Metrics.mae.threshold");
        let d = import(
            r#"{"Model": {}, "Metrics": {"mae": 5}}"#,
            "evidence/sc.json",
        )
        .unwrap_err();
        assert_eq!(d[0].path, "Metrics.mae");
    }
}
