//! AI Verify fairness output: the result files of the Fairness Metrics Toolbox (FMT)
//! plugins, for classification and for regression, become a fairness item (DESIGN 3.4).
//!
//! - Classification (`sensitive_feature`, `output_classes`, `results`): `results` holds one
//!   object per output class, mapping a metric name to `[{group, metric}]`. A group lists
//!   one value per sensitive feature, so the feature of the metric frame is the sensitive
//!   features together (`gender`, or `gender × race` for intersectional groups) and a
//!   group is named by its values (`0`, or `0, 1`). With more than one output class each
//!   metric name says its class (`True Positive Rate (class 1)`).
//! - The between-group metrics (Disparate Impact, Equal Selection Parity) name two groups
//!   at once (the numerator's values, then the denominator's); they land in a group named
//!   `A vs B` (`0 vs 1`) of the same frame rather than one `overall` group, since there is
//!   one value per pair of groups. AI Verify writes no thresholds for them, so they are
//!   metrics, never disparities: a disparity needs a threshold this output does not have.
//! - Regression (`sensitive_feature`, `results[]{subgroup, mae, mse, r2}`): each result is
//!   a group (its `subgroup`) whose numeric fields are its metrics.
//!
//! Non-finite values (NaN from an empty group) are skipped.

use super::common::fairness::reported;
use super::detect::Probe;
use super::finding::{at, text};
use super::{Format, Report, parse_json};
use crate::diag::Diagnostic;
use crate::model::Kind;
use crate::model::kinds::Body;
use crate::model::kinds::fairness::{GroupMetrics, MetricFrame};
use serde::Deserialize;

/// A JSON object's entries in the order written (for metric names, which are keys).
pub(super) struct Ordered<V>(pub(super) Vec<(String, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Visit<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

#[derive(Deserialize)]
struct Doc {
    #[serde(default)]
    sensitive_feature: Vec<String>,
    output_classes: Option<Vec<Scalar>>,
    #[serde(default)]
    results: Vec<Ordered<Cell>>,
}

/// One field of a result object.
#[derive(Deserialize)]
#[serde(untagged)]
enum Cell {
    /// A classification metric: values by group.
    Groups(Vec<GroupValue>),
    /// A subgroup given as a list of values.
    List(Vec<Scalar>),
    /// A regression metric or subgroup.
    Value(Scalar),
}

#[derive(Deserialize)]
struct GroupValue {
    group: Vec<Scalar>,
    metric: Option<f64>,
}

/// A group value or an output class as AI Verify writes it (a number, a string or a bool).
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Number(serde_json::Number),
    Text(String),
    Bool(bool),
}

impl Scalar {
    fn label(&self) -> String {
        match self {
            Scalar::Number(n) => n.to_string(),
            Scalar::Text(t) => t.trim().to_owned(),
            Scalar::Bool(b) => b.to_string(),
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            Scalar::Number(n) => n.as_f64(),
            Scalar::Text(_) | Scalar::Bool(_) => None,
        }
        .filter(|n| n.is_finite())
    }
}

/// AI Verify's FMT output has `sensitive_feature` and `results` at the top level.
pub(super) fn detects(p: &Probe<'_>) -> bool {
    p.has("sensitive_feature") && p.has("results")
}

/// The group of `metrics` named `group` in `frame`, added if new.
fn group_of<'a>(frame: &'a mut MetricFrame, group: &str) -> &'a mut GroupMetrics {
    match frame.groups.iter().position(|(g, _)| g == group) {
        Some(i) => &mut frame.groups[i].1,
        None => {
            frame.groups.push((group.to_owned(), Vec::new()));
            &mut frame.groups.last_mut().expect("just pushed").1
        }
    }
}

fn join(values: &[Scalar]) -> String {
    values
        .iter()
        .map(Scalar::label)
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn import(text_: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let doc: Doc = parse_json(Format::AiVerify, text_, rel)?;
    let features: Vec<&str> = doc
        .sensitive_feature
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    let feature = if features.is_empty() {
        "overall".to_owned()
    } else {
        features.join(" × ")
    };
    let n = features.len().max(1);
    let mut frame = MetricFrame {
        feature: at(feature.clone(), "sensitive_feature"),
        groups: Vec::new(),
    };
    let classification = doc.output_classes.is_some()
        || doc
            .results
            .iter()
            .flat_map(|r| r.0.iter())
            .any(|(_, c)| matches!(c, Cell::Groups(_)));
    for (i, result) in doc.results.iter().enumerate() {
        if classification {
            let class = doc
                .output_classes
                .as_ref()
                .and_then(|c| c.get(i))
                .map_or_else(|| i.to_string(), Scalar::label);
            let several = doc.results.len() > 1;
            for (name, cell) in &result.0 {
                let Cell::Groups(entries) = cell else {
                    continue;
                };
                let metric = if several {
                    format!("{} (class {class})", name.trim())
                } else {
                    name.trim().to_owned()
                };
                for (j, e) in entries.iter().enumerate() {
                    let Some(value) = e.metric.filter(|v| v.is_finite()) else {
                        continue;
                    };
                    let group = if e.group.len() == 2 * n {
                        format!("{} vs {}", join(&e.group[..n]), join(&e.group[n..]))
                    } else {
                        join(&e.group)
                    };
                    let metrics = group_of(&mut frame, &group);
                    if !metrics.iter().any(|(m, _)| *m == metric) {
                        metrics.push((
                            metric.clone(),
                            at(value, format!("results[{i}].{name}[{j}].metric")),
                        ));
                    }
                }
            }
        } else {
            let group = result
                .0
                .iter()
                .find(|(k, _)| k == "subgroup")
                .map(|(_, c)| match c {
                    Cell::Value(s) => s.label(),
                    Cell::List(l) => join(l),
                    Cell::Groups(_) => String::new(),
                })
                .filter(|g| !g.is_empty())
                .unwrap_or_else(|| i.to_string());
            let metrics = group_of(&mut frame, &group);
            for (name, cell) in &result.0 {
                if name == "subgroup" {
                    continue;
                }
                let Cell::Value(v) = cell else { continue };
                let Some(value) = v.number() else { continue };
                if !metrics.iter().any(|(m, _)| m == name) {
                    metrics.push((name.clone(), at(value, format!("results[{i}].{name}"))));
                }
            }
        }
    }
    let kind = if classification {
        "classification"
    } else {
        "regression"
    };
    Ok(Report {
        kind: Kind::Fairness,
        title: format!("AI Verify fairness ({kind}): {feature}"),
        updated: None,
        body: Body::Fairness(reported(
            None,
            None,
            doc.sensitive_feature
                .iter()
                .enumerate()
                .filter_map(|(i, s)| text(Some(s), &format!("sensitive_feature[{i}]")))
                .collect(),
            if frame.groups.is_empty() {
                Vec::new()
            } else {
                vec![frame]
            },
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(r: &Report) -> Vec<(String, Vec<(String, f64)>)> {
        let Body::Fairness(f) = &r.body else {
            panic!("not a fairness item")
        };
        f.metrics
            .iter()
            .flat_map(|m| m.groups.iter())
            .map(|(g, ms)| {
                (
                    g.clone(),
                    ms.iter().map(|(n, v)| (n.clone(), v.value)).collect(),
                )
            })
            .collect()
    }

    fn own(v: Vec<(&str, Vec<(&str, f64)>)>) -> Vec<(String, Vec<(String, f64)>)> {
        v.into_iter()
            .map(|(g, ms)| {
                (
                    g.to_owned(),
                    ms.into_iter().map(|(n, x)| (n.to_owned(), x)).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn classification_metrics_by_group_and_class() {
        let text = r#"{"sensitive_feature": ["gender"], "output_classes": [0, "yes"],
          "results": [
            {"True Positive Rate": [{"group": [0], "metric": 0.1}, {"group": [1], "metric": 0.2}],
             "Disparate Impact": [{"group": [0, 1], "metric": 1.02}]},
            {"True Positive Rate": [{"group": [0], "metric": 0.3}, {"group": [1], "metric": 0.4}]}]}"#;
        let r = import(text, "evidence/fmt.json").unwrap();
        assert_eq!(r.title, "AI Verify fairness (classification): gender");
        assert_eq!(
            groups(&r),
            own(vec![
                (
                    "0",
                    vec![
                        ("True Positive Rate (class 0)", 0.1),
                        ("True Positive Rate (class yes)", 0.3)
                    ]
                ),
                (
                    "1",
                    vec![
                        ("True Positive Rate (class 0)", 0.2),
                        ("True Positive Rate (class yes)", 0.4)
                    ]
                ),
                ("0 vs 1", vec![("Disparate Impact (class 0)", 1.02)]),
            ])
        );
        let Body::Fairness(f) = &r.body else {
            unreachable!()
        };
        assert_eq!(f.metrics[0].feature.value, "gender");
        assert_eq!(f.sensitive_features[0].value, "gender");
        assert!(f.disparities.is_empty());
    }

    #[test]
    fn intersectional_groups_join_their_values() {
        let text = r#"{"sensitive_feature": ["gender", "race"], "output_classes": [1],
          "results": [{"False Positive Rate": [{"group": [0, "a"], "metric": 0.5}],
                       "Disparate Impact": [{"group": [0, "a", 1, "b"], "metric": 0.9}]}]}"#;
        let r = import(text, "evidence/fmt.json").unwrap();
        assert_eq!(
            groups(&r),
            own(vec![
                ("0, a", vec![("False Positive Rate", 0.5)]),
                ("0, a vs 1, b", vec![("Disparate Impact", 0.9)]),
            ])
        );
        assert!(r.title.ends_with("gender × race"));
    }

    #[test]
    fn regression_subgroups_are_groups() {
        let text = r#"{"results": [{"mae": 2.5, "r2": -0.02, "mse": 9.0, "subgroup": "0"},
                                  {"mae": 3.0, "subgroup": 1, "note": "x"}],
                       "sensitive_feature": ["gender"]}"#;
        let r = import(text, "evidence/reg.json").unwrap();
        assert_eq!(r.title, "AI Verify fairness (regression): gender");
        assert_eq!(
            groups(&r),
            own(vec![
                ("0", vec![("mae", 2.5), ("r2", -0.02), ("mse", 9.0)]),
                ("1", vec![("mae", 3.0)]),
            ])
        );
    }

    #[test]
    fn a_broken_output_names_the_field() {
        let d = import(
            r#"{"sensitive_feature": "gender", "results": []}"#,
            "evidence/x.json",
        )
        .unwrap_err();
        assert_eq!(d[0].code, "E0210");
        assert_eq!(d[0].path, "sensitive_feature");
    }
}
