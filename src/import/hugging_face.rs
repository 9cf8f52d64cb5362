//! Hugging Face model cards: a `README.md` whose YAML front matter has `model-index`
//! (the evaluation results the Hub shows on a model page) becomes a fairness item, the
//! same kind a Model Card Toolkit JSON becomes (DESIGN 3.4).
//!
//! The load stage reads a Markdown file under evidence/ only when its front matter
//! declares `model-index`; any other Markdown there stays an attachment. The spec is
//! <https://huggingface.co/docs/hub/model-cards> (model-index: `name`, `results[]` of
//! `task{type, name}`, `dataset{type, name, config, split, revision}` and
//! `metrics[]{type, value, name, config, verified}`).
//!
//! Mapping, with the judgement calls it makes:
//! - model: the `name` of each `model-index` entry (joined when there are several);
//!   the title is `Model card: NAME`.
//! - metrics: one frame per task, its feature the task's `name` (else its `type`),
//!   prefixed `MODEL: ` when the index lists several models. Each result is a group of
//!   that frame named by its dataset and split, `NAME (CONFIG) / SPLIT` (the dataset's
//!   `name`, else its `type`; the config only when it differs from the name), so the
//!   same task measured on several datasets or splits reads as one table. A metric is
//!   named by its `name`, else its `type`; a repeat in one group takes its `config` in
//!   brackets (else its rank). A numeric value (or a string that reads as one) is a
//!   number; any other value is kept as written, as a text metric shown in the same
//!   table.
//! - dataset: the datasets' names, in first-seen order, joined with commas.
//! - sensitive_features: none (a model-index reports quality per dataset, not per group
//!   of people).
//! - card: the front-matter facts `license` (with `license_name` for `other`),
//!   `base_model`, `datasets`, `language`, `library_name`, `pipeline_tag` and `tags`, how
//!   many metrics the Hub verified, and the Markdown body as the description.
//!
//! Front matter that is not YAML is E0103 at its line (E0105 when never closed); a
//! `model-index` of the wrong shape (not a list, a metric without `type` or `value`) is
//! E0214 at the field.

use super::Report;
use super::common::fairness::reported;
use crate::diag::{Diagnostic, Pos};
use crate::load::{frontmatter, yaml};
use crate::model::decode::At;
use crate::model::kinds::Body;
use crate::model::kinds::fairness::{Card, CardFact, Fairness, MetricFrame, TextMetric};
use crate::model::{Kind, Node, Value};

/// Problems found while reading the index, all reported together.
struct Reader<'a> {
    rel: &'a str,
    diags: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn bad(&mut self, n: &Node, path: &str, message: String, help: &str) {
        self.diags.push(
            Diagnostic::error("E0214", self.rel, message)
                .at(n.pos)
                .with_path(path)
                .with_help(help),
        );
    }

    /// The node as a list, or a diagnostic (`None` and no diagnostic when absent or null).
    fn list<'n>(&mut self, n: Option<&'n Node>, path: &str) -> Option<&'n [Node]> {
        let n = n?;
        match &n.value {
            Value::Seq(items) => Some(items),
            Value::Null => None,
            _ => {
                self.bad(
                    n,
                    path,
                    format!("`{path}` must be a list, found {}", n.shape()),
                    "write one `- ` entry per line, as the Hub's model-index spec does",
                );
                None
            }
        }
    }

    /// The node as a mapping, or a diagnostic (`false`).
    fn map(&mut self, n: &Node, path: &str, what: &str) -> bool {
        if matches!(n.value, Value::Map(_)) {
            return true;
        }
        self.bad(
            n,
            path,
            format!("{what} must be a mapping, found {}", n.shape()),
            "write `key: value` lines, as the Hub's model-index spec does",
        );
        false
    }
}

/// A scalar field as trimmed text, `None` when absent or empty.
fn field(n: &Node, key: &str) -> Option<String> {
    n.get(key)
        .and_then(Node::scalar_text)
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// A scalar or a list of scalars as text.
fn fact_text(n: &Node) -> Option<String> {
    match &n.value {
        Value::Seq(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(Node::scalar_text)
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        _ => n
            .scalar_text()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()),
    }
}

/// A metric's value: a finite number, or the text as written.
enum Measured {
    Number(f64),
    Text(String),
}

fn measured(n: &Node) -> Option<Measured> {
    match &n.value {
        Value::Int(i) => Some(Measured::Number(*i as f64)),
        Value::Float(f) if f.is_finite() => Some(Measured::Number(*f)),
        Value::Str(s) => match s.trim().parse::<f64>() {
            Ok(f) if f.is_finite() => Some(Measured::Number(f)),
            _ => Some(Measured::Text(s.trim().to_owned())).filter(|_| !s.trim().is_empty()),
        },
        Value::Null => None,
        Value::Float(f) => Some(Measured::Text(f.to_string())),
        Value::Bool(b) => Some(Measured::Text(b.to_string())),
        Value::Seq(_) | Value::Map(_) => serde_json::to_string(n).ok().map(Measured::Text),
    }
}

/// The front-matter facts shown on the item's page, in this order.
const FACTS: &[(&str, &str)] = &[
    ("license", "License"),
    ("license_name", "License name"),
    ("base_model", "Base model"),
    ("datasets", "Datasets"),
    ("language", "Language"),
    ("library_name", "Library"),
    ("pipeline_tag", "Pipeline"),
    ("tags", "Tags"),
];

pub(super) fn import(text: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let split = frontmatter::split(text, rel).map_err(|d| vec![d])?;
    let yaml_text = split.yaml.unwrap_or_default();
    let doc = yaml::parse(yaml_text, rel, split.yaml_line_offset).map_err(|d| vec![d])?;
    let mut r = Reader {
        rel,
        diags: Vec::new(),
    };
    if !r.map(&doc, "", "the front matter") {
        return Err(r.diags);
    }
    let index = Index::read(&mut r, &doc);
    if !r.diags.is_empty() {
        return Err(r.diags);
    }
    Ok(report(&doc, split.body, index))
}

/// What the model-index adds up to, as it is read.
#[derive(Default)]
struct Index {
    /// The models' names.
    names: Vec<String>,
    /// The datasets' names, in first-seen order.
    datasets: Vec<String>,
    frames: Vec<MetricFrame>,
    text_metrics: Vec<TextMetric>,
    /// How many metrics, and how many of them the Hub verified.
    total: usize,
    verified: usize,
}

impl Index {
    /// Every entry of `model-index`, its problems left in `r`.
    fn read(r: &mut Reader<'_>, doc: &Node) -> Index {
        let entries = r
            .list(doc.get("model-index"), "model-index")
            .unwrap_or_default();
        let many = entries.len() > 1;
        let mut index = Index::default();
        for (m, entry) in entries.iter().enumerate() {
            let mp = format!("model-index[{m}]");
            if !r.map(entry, &mp, "a model-index entry") {
                continue;
            }
            let name = field(entry, "name");
            if let Some(n) = &name {
                index.names.push(n.clone());
            }
            let results = r
                .list(entry.get("results"), &format!("{mp}.results"))
                .unwrap_or_default();
            for (i, res) in results.iter().enumerate() {
                let feature_of = |task_label: String| match (&name, many) {
                    (Some(n), true) => format!("{n}: {task_label}"),
                    _ => task_label,
                };
                index.result(r, res, &format!("{mp}.results[{i}]"), feature_of);
            }
        }
        index
    }

    /// One result: a task measured on a dataset; its metrics join the task's frame in the
    /// group of the dataset.
    fn result(
        &mut self,
        r: &mut Reader<'_>,
        res: &Node,
        rp: &str,
        feature_of: impl Fn(String) -> String,
    ) {
        if !r.map(res, rp, "a result") {
            return;
        }
        let task = res.get("task");
        if let Some(t) = task {
            r.map(t, &format!("{rp}.task"), "`task`");
        }
        let task_label = task
            .and_then(|t| field(t, "name").or_else(|| field(t, "type")))
            .unwrap_or_else(|| "results".to_owned());
        let feature = feature_of(task_label);
        let dataset = res.get("dataset");
        if let Some(d) = dataset {
            r.map(d, &format!("{rp}.dataset"), "`dataset`");
        }
        let group = dataset.map_or_else(
            || "unspecified dataset".to_owned(),
            |d| group_name(d, &mut self.datasets),
        );
        let metrics = r
            .list(res.get("metrics"), &format!("{rp}.metrics"))
            .unwrap_or_default();
        let place = Measure {
            feature: &feature,
            group: &group,
            at: task.unwrap_or(res),
            path: rp,
        };
        for (k, met) in metrics.iter().enumerate() {
            self.metric(r, met, &format!("{rp}.metrics[{k}]"), &place);
        }
    }

    /// One metric of a result, named uniquely in its group (a repeat takes its `config`
    /// in brackets, else its rank).
    fn metric(&mut self, r: &mut Reader<'_>, met: &Node, kp: &str, place: &Measure<'_>) {
        if !r.map(met, kp, "a metric") {
            return;
        }
        let Some(metric) = field(met, "name").or_else(|| field(met, "type")) else {
            r.bad(
                met,
                kp,
                "a metric has no `type`".to_owned(),
                "name the metric with `type:` (accuracy, f1, wer, ...)",
            );
            return;
        };
        let value_node = met.get("value");
        let Some(value) = value_node.and_then(measured) else {
            r.bad(
                value_node.unwrap_or(met),
                &format!("{kp}.value"),
                format!("metric `{metric}` has no `value`"),
                "write the measured value with `value:`",
            );
            return;
        };
        let Some(value_node) = value_node else {
            return;
        };
        self.total += 1;
        self.verified += usize::from(matches!(
            met.get("verified").map(|v| &v.value),
            Some(Value::Bool(true))
        ));
        let (feature, group) = (place.feature, place.group);
        let frame = frame_of(&mut self.frames, feature, place.at, place.path);
        let gi = match frame.groups.iter().position(|(g, _)| *g == group) {
            Some(g) => g,
            None => {
                frame.groups.push((group.to_owned(), Vec::new()));
                frame.groups.len() - 1
            }
        };
        let text_metrics = &mut self.text_metrics;
        let taken = |n: &str| {
            frame.groups[gi].1.iter().any(|(x, _)| x == n)
                || text_metrics
                    .iter()
                    .any(|t| t.feature == feature && t.group == group && t.metric == n)
        };
        let mut metric_name = metric.clone();
        if taken(&metric_name) {
            metric_name = match field(met, "config") {
                Some(c) if !taken(&format!("{metric} ({c})")) => format!("{metric} ({c})"),
                _ => (2..)
                    .map(|n| format!("{metric} ({n})"))
                    .find(|n| !taken(n))
                    .unwrap_or_default(),
            };
        }
        let path = format!("{kp}.value");
        match value {
            Measured::Number(v) => frame.groups[gi].1.push((
                metric_name,
                At {
                    value: v,
                    pos: value_node.pos,
                    path,
                },
            )),
            Measured::Text(t) => text_metrics.push(TextMetric {
                feature: feature.to_owned(),
                group: group.to_owned(),
                metric: metric_name,
                value: At {
                    value: t,
                    pos: value_node.pos,
                    path,
                },
            }),
        }
    }
}

/// Where a result's metrics go: the frame of its task (created at `at`, whose path is
/// `path`) and the group of its dataset.
struct Measure<'a> {
    feature: &'a str,
    group: &'a str,
    at: &'a Node,
    path: &'a str,
}

/// The fairness item: the index's frames, the front-matter facts and the Markdown body.
fn report(doc: &Node, body: &str, index: Index) -> Report {
    let mut facts: Vec<CardFact> = FACTS
        .iter()
        .filter_map(|(key, label)| {
            let v = doc.get(key).and_then(fact_text)?;
            Some(CardFact {
                label: (*label).to_owned(),
                value: v,
            })
        })
        .collect();
    if index.verified > 0 {
        facts.push(CardFact {
            label: "Verified metrics".to_owned(),
            value: format!(
                "{} of {}, evaluated by the Hub",
                index.verified, index.total
            ),
        });
    }
    let description = Some(body.trim())
        .filter(|b| !b.is_empty())
        .map(str::to_owned);
    let model = (!index.names.is_empty()).then(|| index.names.join(", "));
    let file_pos = |path: &str, value: String| At {
        value,
        pos: Pos::FILE,
        path: path.to_owned(),
    };
    Report {
        kind: Kind::Fairness,
        title: format!(
            "Model card: {}",
            model.as_deref().unwrap_or("unnamed model")
        ),
        updated: None,
        body: Body::Fairness(Fairness {
            card: Some(Card {
                facts,
                description,
                text_metrics: index.text_metrics,
            }),
            ..reported(
                model.map(|m| file_pos("model-index[0].name", m)),
                (!index.datasets.is_empty())
                    .then(|| file_pos("model-index[0].results", index.datasets.join(", "))),
                Vec::new(),
                index.frames,
            )
        }),
    }
}

/// `NAME (CONFIG) / SPLIT`, recording the dataset's name.
fn group_name(d: &Node, datasets: &mut Vec<String>) -> String {
    let name = field(d, "name").or_else(|| field(d, "type"));
    if let Some(n) = &name
        && !datasets.contains(n)
    {
        datasets.push(n.clone());
    }
    let mut g = name.clone().unwrap_or_else(|| "unnamed dataset".to_owned());
    if let Some(c) = field(d, "config").filter(|c| Some(c) != name.as_ref()) {
        g.push_str(&format!(" ({c})"));
    }
    if let Some(s) = field(d, "split") {
        g.push_str(&format!(" / {s}"));
    }
    g
}

/// The frame of a feature, created at `at` when new.
fn frame_of<'f>(
    frames: &'f mut Vec<MetricFrame>,
    feature: &str,
    at: &Node,
    path: &str,
) -> &'f mut MetricFrame {
    let i = match frames.iter().position(|f| f.feature.value == feature) {
        Some(i) => i,
        None => {
            frames.push(MetricFrame {
                feature: At {
                    value: feature.to_owned(),
                    pos: at.pos,
                    path: format!("{path}.task"),
                },
                groups: Vec::new(),
            });
            frames.len() - 1
        }
    };
    &mut frames[i]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A card in the Hub's shape (model-index as `huggingface_hub` writes it).
    const CARD: &str = "---
language:
- en
license: apache-2.0
base_model: distilbert/distilbert-base-uncased
tags:
- generated_from_trainer
datasets:
- stanfordnlp/imdb
library_name: transformers
pipeline_tag: text-classification
model-index:
- name: distilbert-imdb
  results:
  - task:
      type: text-classification
      name: Text Classification
    dataset:
      name: imdb
      type: stanfordnlp/imdb
      config: plain_text
      split: test
      args: plain_text
    metrics:
    - type: accuracy
      value: 0.9316
      name: Accuracy
      verified: true
    - type: f1
      value: '0.93'
      name: F1
    - type: f1
      value: 0.91
      name: F1
      config: macro
    - type: robustness
      value: n/a (not measured)
  - task:
      type: text-classification
      name: Text Classification
    dataset:
      name: imdb
      type: stanfordnlp/imdb
      split: train
    metrics:
    - type: accuracy
      value: 0.99
---

# distilbert-imdb

This model is a fine-tuned version of **distilbert** on the imdb dataset.
<script>alert(1)</script>
";

    fn fairness(r: &Report) -> &Fairness {
        let Body::Fairness(f) = &r.body else {
            panic!("not a fairness item")
        };
        f
    }

    #[test]
    fn a_card_becomes_a_fairness_result() {
        let r = import(CARD, "evidence/models/README.md").unwrap();
        assert_eq!(r.kind, Kind::Fairness);
        assert_eq!(r.title, "Model card: distilbert-imdb");
        let f = fairness(&r);
        assert_eq!(f.model.as_ref().unwrap().value, "distilbert-imdb");
        assert_eq!(f.dataset.as_ref().unwrap().value, "imdb");
        assert_eq!(f.metrics.len(), 1);
        let frame = &f.metrics[0];
        assert_eq!(frame.feature.value, "Text Classification");
        let groups: Vec<(&str, Vec<(&str, f64)>)> = frame
            .groups
            .iter()
            .map(|(g, ms)| {
                (
                    g.as_str(),
                    ms.iter().map(|(n, v)| (n.as_str(), v.value)).collect(),
                )
            })
            .collect();
        assert_eq!(
            groups,
            vec![
                (
                    "imdb (plain_text) / test",
                    vec![("Accuracy", 0.9316), ("F1", 0.93), ("F1 (macro)", 0.91)]
                ),
                ("imdb / train", vec![("accuracy", 0.99)]),
            ]
        );
        // Positions are the value's line in the file (front matter starts at line 2).
        let acc = &frame.groups[0].1[0].1;
        assert_eq!(acc.pos.line, 26);
        assert_eq!(acc.path, "model-index[0].results[0].metrics[0].value");
        let card = f.card.as_ref().unwrap();
        assert_eq!(card.text_metrics.len(), 1);
        let t = &card.text_metrics[0];
        assert_eq!(
            (t.group.as_str(), t.metric.as_str(), t.value.value.as_str()),
            (
                "imdb (plain_text) / test",
                "robustness",
                "n/a (not measured)"
            )
        );
        let facts: Vec<(&str, &str)> = card
            .facts
            .iter()
            .map(|x| (x.label.as_str(), x.value.as_str()))
            .collect();
        assert_eq!(
            facts,
            [
                ("License", "apache-2.0"),
                ("Base model", "distilbert/distilbert-base-uncased"),
                ("Datasets", "stanfordnlp/imdb"),
                ("Language", "en"),
                ("Library", "transformers"),
                ("Pipeline", "text-classification"),
                ("Tags", "generated_from_trainer"),
                ("Verified metrics", "1 of 5, evaluated by the Hub"),
            ]
        );
        assert!(
            card.description
                .as_deref()
                .unwrap()
                .starts_with("# distilbert-imdb")
        );
    }

    #[test]
    fn several_models_prefix_their_tasks() {
        let text = "---
model-index:
- name: small
  results:
  - task: {type: automatic-speech-recognition}
    dataset: {type: librispeech_asr, name: LibriSpeech (clean), split: test}
    metrics: [{type: wer, value: 4.2}]
- name: large
  results:
  - task: {type: automatic-speech-recognition}
    dataset: {type: librispeech_asr, name: LibriSpeech (clean), split: test}
    metrics: [{type: wer, value: 2.9}]
---
";
        let r = import(text, "evidence/asr.md").unwrap();
        assert_eq!(r.title, "Model card: small, large");
        let f = fairness(&r);
        let features: Vec<&str> = f.metrics.iter().map(|m| m.feature.value.as_str()).collect();
        assert_eq!(
            features,
            [
                "small: automatic-speech-recognition",
                "large: automatic-speech-recognition"
            ]
        );
        assert_eq!(f.metrics[1].groups[0].0, "LibriSpeech (clean) / test");
        assert!(f.card.as_ref().unwrap().description.is_none());
    }

    #[test]
    fn malformed_front_matter_is_reported_at_its_line() {
        let d = import(
            "---\nlicense: mit\nmodel-index: [\n---\nbody\n",
            "evidence/m.md",
        )
        .unwrap_err();
        assert_eq!(d[0].code, "E0103");
        assert!(d[0].line >= 3, "{:?}", d[0]);
        let d = import("---\nmodel-index: []\n", "evidence/m.md").unwrap_err();
        assert_eq!(d[0].code, "E0105");
    }

    #[test]
    fn a_misshapen_index_names_each_field() {
        let text = "---
model-index:
- name: m
  results:
  - task: {type: text-classification}
    dataset: {type: imdb}
    metrics:
    - value: 0.5
    - type: f1
    - type: acc
      value: 0.7
  - results-typo
---
";
        let d = import(text, "evidence/m.md").unwrap_err();
        let got: Vec<(&str, u32, &str)> = d
            .iter()
            .map(|x| (x.code, x.line, x.path.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("E0214", 8, "model-index[0].results[0].metrics[0]"),
                ("E0214", 9, "model-index[0].results[0].metrics[1].value"),
                ("E0214", 12, "model-index[0].results[1]"),
            ]
        );
        let d = import("---\nmodel-index: {name: m}\n---\n", "evidence/m.md").unwrap_err();
        assert_eq!((d[0].code, d[0].line), ("E0214", 2));
        assert!(d[0].message.contains("must be a list"), "{}", d[0].message);
        let d = import("---\n- a\n---\n", "evidence/m.md").unwrap_err();
        assert_eq!(d[0].code, "E0214");
    }
}
