//! Model Card Toolkit JSON (TensorFlow's `model_card.json`, schema 0.0.x): the
//! quantitative analysis of a model card becomes a fairness item (DESIGN 3.4).
//!
//! Mapping, with the judgement calls it makes:
//! - model: `model_details.name`, followed by `model_details.version.name` when given;
//!   the item's title is `Model card: NAME`.
//! - dataset: the name of the first `model_parameters.data[]` entry (the toolkit does not
//!   say which entry was used for evaluation).
//! - metrics: each `quantitative_analysis.performance_metrics[]` entry is a metric named by
//!   its `type` with its `value` (the toolkit writes numbers as strings; a value that is
//!   not a finite number is skipped). Its `slice` names the group: `Sex=Female` is group
//!   `Female` of feature `Sex` (split at the first `=`), else `gender_female` is group
//!   `female` of feature `gender` (split at the first `_`, the toolkit's own
//!   `feature_value` naming); a slice with neither (`cat`) is a group of the feature
//!   `slice`; no slice, or `overall`, is group `overall` of feature `overall`. A metric
//!   repeated in one group (one entry per decision threshold) is named `TYPE @ THRESHOLD`.
//! - sensitive_features: the features the slices name, without the `overall` and `slice`
//!   placeholders.
//! - updated: `model_details.version.date` when it reads as a date (ISO `2020-02-02`,
//!   `2020/02/02`, or US `08/28/2020`; a first number above 12 is read as the day).
//!
//! Not carried over (Fairness has no field for them): the considerations (users, use
//! cases, limitations, tradeoffs, ethical considerations), confidence intervals, owners,
//! licences and graphics.

use super::common::fairness::reported;
use super::detect::Probe;
use super::finding::{at, text};
use super::{Format, Report, parse_json};
use crate::diag::Diagnostic;
use crate::model::Kind;
use crate::model::kinds::Body;
use crate::model::kinds::fairness::{GroupMetrics, MetricFrame};
use serde::Deserialize;

#[derive(Deserialize)]
struct Doc {
    model_details: ModelDetails,
    model_parameters: Option<ModelParameters>,
    quantitative_analysis: Option<QuantitativeAnalysis>,
}

#[derive(Deserialize)]
struct ModelDetails {
    name: Option<String>,
    version: Option<Version>,
}

#[derive(Deserialize)]
struct Version {
    name: Option<String>,
    date: Option<String>,
}

#[derive(Deserialize)]
struct ModelParameters {
    #[serde(default)]
    data: Vec<Dataset>,
}

#[derive(Deserialize)]
struct Dataset {
    name: Option<String>,
}

#[derive(Deserialize)]
struct QuantitativeAnalysis {
    #[serde(default)]
    performance_metrics: Vec<PerformanceMetric>,
}

#[derive(Deserialize)]
struct PerformanceMetric {
    #[serde(rename = "type")]
    kind: Option<String>,
    value: Option<Scalar>,
    slice: Option<String>,
    threshold: Option<Scalar>,
}

/// A number the toolkit may write as a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Number(f64),
    Text(String),
    Other(serde::de::IgnoredAny),
}

impl Scalar {
    fn number(&self) -> Option<f64> {
        match self {
            Scalar::Number(n) => Some(*n),
            Scalar::Text(t) => t.trim().parse().ok(),
            Scalar::Other(_) => None,
        }
        .filter(|n: &f64| n.is_finite())
    }

    fn label(&self) -> Option<String> {
        match self {
            Scalar::Number(n) => Some(n.to_string()),
            Scalar::Text(t) => Some(t.trim().to_owned()).filter(|t| !t.is_empty()),
            Scalar::Other(_) => None,
        }
    }
}

/// A Model Card Toolkit card has `model_details` at the top level.
pub(super) fn detects(p: &Probe<'_>) -> bool {
    p.has("model_details")
}

/// The feature and group a slice names.
pub(super) fn split_slice(slice: Option<&str>) -> (String, String) {
    let s = slice.map(str::trim).unwrap_or_default();
    if s.is_empty() || s.eq_ignore_ascii_case("overall") {
        return ("overall".to_owned(), "overall".to_owned());
    }
    let at = s.find('=').or_else(|| s.find('_'));
    if let Some(i) = at {
        let (f, g) = (s[..i].trim(), s[i + 1..].trim());
        if !f.is_empty() && !g.is_empty() {
            return (f.to_owned(), g.to_owned());
        }
    }
    ("slice".to_owned(), s.to_owned())
}

/// A date written `YYYY-MM-DD`, `YYYY/MM/DD` or `MM/DD/YYYY` (`DD/MM/YYYY` when the
/// first number cannot be a month).
fn loose_date(s: &str) -> Option<jiff::civil::Date> {
    let s = s.trim();
    let nums: Vec<&str> = s
        .get(..10)
        .unwrap_or(s)
        .split(['-', '/', '.'])
        .map(str::trim)
        .collect();
    let [a, b, c] = nums.as_slice() else {
        return None;
    };
    let (a, b, c): (i16, i8, i16) = (a.parse().ok()?, b.parse().ok()?, c.parse().ok()?);
    let (y, m, d) = if a > 31 {
        (a, b, i8::try_from(c).ok()?)
    } else if a > 12 {
        (c, b, i8::try_from(a).ok()?)
    } else {
        (c, i8::try_from(a).ok()?, b)
    };
    jiff::civil::Date::new(y, m, d).ok()
}

pub(super) fn import(text_: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let doc: Doc = parse_json(Format::ModelCard, text_, rel)?;
    let details = &doc.model_details;
    let name = details
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let version = details
        .version
        .as_ref()
        .and_then(|v| v.name.as_deref())
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let model = match (name, version) {
        (Some(n), Some(v)) => Some(format!("{n} {v}")),
        (Some(n), None) => Some(n.to_owned()),
        (None, Some(v)) => Some(v.to_owned()),
        (None, None) => None,
    };
    let dataset = doc
        .model_parameters
        .as_ref()
        .and_then(|p| p.data.first())
        .and_then(|d| d.name.as_deref());

    let mut frames: Vec<MetricFrame> = Vec::new();
    let metrics = doc
        .quantitative_analysis
        .as_ref()
        .map(|q| q.performance_metrics.as_slice())
        .unwrap_or_default();
    for (i, m) in metrics.iter().enumerate() {
        let path = format!("quantitative_analysis.performance_metrics[{i}]");
        let Some(kind) = m.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) else {
            continue;
        };
        let Some(value) = m.value.as_ref().and_then(Scalar::number) else {
            continue;
        };
        let (feature, group) = split_slice(m.slice.as_deref());
        let frame = match frames.iter().position(|f| f.feature.value == feature) {
            Some(f) => &mut frames[f],
            None => {
                frames.push(MetricFrame {
                    feature: at(feature, format!("{path}.slice")),
                    groups: Vec::new(),
                });
                frames.last_mut().expect("just pushed")
            }
        };
        let metrics: &mut GroupMetrics = match frame.groups.iter().position(|(g, _)| *g == group) {
            Some(g) => &mut frame.groups[g].1,
            None => {
                frame.groups.push((group, Vec::new()));
                &mut frame.groups.last_mut().expect("just pushed").1
            }
        };
        let mut metric = kind.to_owned();
        if metrics.iter().any(|(n, _)| *n == metric) {
            metric = match m.threshold.as_ref().and_then(Scalar::label) {
                Some(t) => format!("{kind} @ {t}"),
                None => format!("{kind} ({})", metrics.len() + 1),
            };
        }
        if !metrics.iter().any(|(n, _)| *n == metric) {
            metrics.push((metric, at(value, format!("{path}.value"))));
        }
    }
    let sensitive_features = frames
        .iter()
        .filter(|f| f.feature.value != "overall" && f.feature.value != "slice")
        .map(|f| f.feature.clone())
        .collect();
    Ok(Report {
        kind: Kind::Fairness,
        title: format!("Model card: {}", name.unwrap_or("unnamed model")),
        updated: details
            .version
            .as_ref()
            .and_then(|v| v.date.as_deref())
            .and_then(loose_date),
        body: Body::Fairness(reported(
            text(model.as_deref(), "model_details.name"),
            text(dataset, "model_parameters.data[0].name"),
            sensitive_features,
            frames,
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kinds::fairness::Fairness;

    /// A frame's feature with its groups' metrics, for comparing whole results.
    type Shape<'a> = (&'a str, Vec<(&'a str, Vec<(&'a str, f64)>)>);

    fn fairness(r: &Report) -> &Fairness {
        let Body::Fairness(f) = &r.body else {
            panic!("not a fairness item")
        };
        f
    }

    #[test]
    fn slices_split_into_features_and_groups() {
        let s = |x: Option<&str>| split_slice(x);
        let pair = |f: &str, g: &str| (f.to_owned(), g.to_owned());
        assert_eq!(s(None), pair("overall", "overall"));
        assert_eq!(s(Some("Overall")), pair("overall", "overall"));
        assert_eq!(s(Some("Sex=Female")), pair("Sex", "Female"));
        assert_eq!(s(Some("age_group=18_25")), pair("age_group", "18_25"));
        assert_eq!(s(Some("gender_female")), pair("gender", "female"));
        assert_eq!(s(Some("cat")), pair("slice", "cat"));
        assert_eq!(s(Some("_odd")), pair("slice", "_odd"));
    }

    #[test]
    fn dates_read_loosely() {
        let d = |s: &str| loose_date(s).map(|d| d.to_string());
        assert_eq!(d("2020/02/02").as_deref(), Some("2020-02-02"));
        assert_eq!(d("2020-02-03T00:00:00Z").as_deref(), Some("2020-02-03"));
        assert_eq!(d("08/28/2020").as_deref(), Some("2020-08-28"));
        assert_eq!(d("28/08/2020").as_deref(), Some("2020-08-28"));
        assert_eq!(d("last spring"), None);
    }

    #[test]
    fn sliced_metrics_become_groups() {
        let text = r#"{"schema_version": "0.0.2",
          "model_details": {"name": "Scorer", "version": {"name": "v2", "date": "2021-05-01"}},
          "model_parameters": {"data": [{"name": "eval set"}, {"name": "train set"}]},
          "quantitative_analysis": {"performance_metrics": [
            {"type": "accuracy", "value": "0.91"},
            {"type": "accuracy", "value": "0.88", "slice": "gender_female"},
            {"type": "accuracy", "value": 0.93, "slice": "gender_male"},
            {"type": "recall", "value": "0.7", "slice": "gender_male", "threshold": "0.5"},
            {"type": "recall", "value": "0.6", "slice": "gender_male", "threshold": "0.7"},
            {"type": "fpr", "value": "n/a", "slice": "Age=60+"},
            {"type": "fpr", "value": "0.1", "slice": "Age=60+"},
            {"type": "auc", "value": "0.8", "slice": "dog"}],
            "graphics": {"collection": [{"name": "g", "image": "iVBOR"}]}},
          "considerations": {"limitations": [{"description": "l"}]}}"#;
        let r = import(text, "evidence/card.json").unwrap();
        assert_eq!(r.kind, Kind::Fairness);
        assert_eq!(r.title, "Model card: Scorer");
        assert_eq!(r.updated.unwrap().to_string(), "2021-05-01");
        let f = fairness(&r);
        assert_eq!(f.model.as_ref().unwrap().value, "Scorer v2");
        assert_eq!(f.dataset.as_ref().unwrap().value, "eval set");
        let features: Vec<&str> = f
            .sensitive_features
            .iter()
            .map(|x| x.value.as_str())
            .collect();
        assert_eq!(features, ["gender", "Age"]);
        let shape: Vec<Shape<'_>> = f
            .metrics
            .iter()
            .map(|m| {
                (
                    m.feature.value.as_str(),
                    m.groups
                        .iter()
                        .map(|(g, ms)| {
                            (
                                g.as_str(),
                                ms.iter().map(|(n, v)| (n.as_str(), v.value)).collect(),
                            )
                        })
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                ("overall", vec![("overall", vec![("accuracy", 0.91)])]),
                (
                    "gender",
                    vec![
                        ("female", vec![("accuracy", 0.88)]),
                        (
                            "male",
                            vec![("accuracy", 0.93), ("recall", 0.7), ("recall @ 0.7", 0.6)]
                        )
                    ]
                ),
                ("Age", vec![("60+", vec![("fpr", 0.1)])]),
                ("slice", vec![("dog", vec![("auc", 0.8)])]),
            ]
        );
        assert!(f.disparities.is_empty());
    }

    #[test]
    fn a_card_without_analysis_is_an_empty_result() {
        let r = import(r#"{"model_details": {}}"#, "evidence/c.json").unwrap();
        assert_eq!(r.title, "Model card: unnamed model");
        assert!(fairness(&r).metrics.is_empty());
    }

    #[test]
    fn a_broken_card_names_the_field() {
        let d = import(r#"{"model_details": {"name": ["x"]}}"#, "evidence/c.json").unwrap_err();
        assert_eq!(d[0].code, "E0210");
        assert_eq!(d[0].path, "model_details.name");
    }
}
