//! Hugging Face model cards: a README.md under evidence/ whose front matter has
//! `model-index` imports as a fairness item; any other Markdown there stays an
//! attachment; a broken card is a diagnostic at its line.

mod common;

use common::Fixture;
use scraper::{Html, Selector};
use serde_json::Value;

/// A card as the Hub's `huggingface_hub` writes one after `Trainer.push_to_hub`.
const CARD: &str = "---
library_name: transformers
license: apache-2.0
base_model: distilbert/distilbert-base-uncased
tags:
- generated_from_trainer
datasets:
- stanfordnlp/imdb
language:
- en
metrics:
- accuracy
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
      verified: false
    - type: f1
      value: 0.9315
      name: F1
    - type: toxicity
      value: not evaluated
  - task:
      type: text-classification
      name: Text Classification
    dataset:
      name: rotten_tomatoes
      type: cornell-movie-review-data/rotten_tomatoes
      split: validation
    metrics:
    - type: accuracy
      value: 0.84
      name: Accuracy
---

# distilbert-imdb

This model is a fine-tuned version of [distilbert](https://huggingface.co/distilbert/distilbert-base-uncased)
on the imdb dataset.

<script>alert('card')</script>

## Training procedure

- learning_rate: 2e-05
";

fn site_with(files: &[(&str, &str)]) -> Fixture {
    let site = Fixture::new();
    site.file("site.toml", "title = \"T\"\n");
    for (rel, text) in files {
        site.file(rel, text);
    }
    site
}

fn diagnostics(site: &Fixture) -> Vec<Value> {
    let out = site.run(&["check", "--today", "2026-11-27", "--format", "json"]);
    let report: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("check printed no JSON ({e}): {}", out.stderr));
    report["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn a_model_card_readme_imports_as_a_fairness_item() {
    let site = site_with(&[("evidence/models/README.md", CARD)]);
    assert!(diagnostics(&site).is_empty(), "{:#?}", diagnostics(&site));
    let shown = site.run(&["show", "models-readme", "--format", "json"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    let item: Value = serde_json::from_str(&shown.stdout).expect("show JSON");
    assert_eq!(item["kind"], "fairness");
    assert_eq!(item["title"], "Model card: distilbert-imdb");
    assert_eq!(item["model"], "distilbert-imdb");
    assert_eq!(item["dataset"], "imdb, rotten_tomatoes");
    assert_eq!(item["tags"], serde_json::json!(["hugging-face"]));
    let groups = &item["metrics"][0]["groups"];
    assert_eq!(item["metrics"][0]["feature"], "Text Classification");
    assert_eq!(groups["imdb (plain_text) / test"]["Accuracy"], 0.9316);
    assert_eq!(groups["imdb (plain_text) / test"]["F1"], 0.9315);
    assert_eq!(groups["rotten_tomatoes / validation"]["Accuracy"], 0.84);
    // The non-numeric value is kept as text, not dropped.
    assert_eq!(item["card"]["text_metrics"][0]["metric"], "toxicity");
    assert_eq!(item["card"]["text_metrics"][0]["value"], "not evaluated");

    let out = site.run(&["build", "--today", "2026-11-27"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = Html::parse_document(&site.read("public/evidence/models-readme/index.html"));
    let sel = |s: &str| Selector::parse(s).expect("selector");
    let rows: Vec<String> = html
        .select(&sel("table.groups tbody tr"))
        .map(|r| {
            r.select(&sel("th, td"))
                .map(|c| c.text().collect::<String>().trim().to_owned())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(
        rows,
        [
            "imdb (plain_text) / test 0.9316 0.9315 not evaluated",
            "rotten_tomatoes / validation 0.84 – –"
        ]
    );
    let card = html
        .select(&sel(".card-description"))
        .next()
        .expect("the card's body is shown");
    assert_eq!(
        card.select(&sel("h1, h2"))
            .map(|h| h
                .text()
                .collect::<String>()
                .trim_end_matches('#')
                .to_owned())
            .collect::<Vec<_>>(),
        ["distilbert-imdb", "Training procedure"]
    );
    assert!(!card.html().contains("<script"), "{}", card.html());
    let facts: Vec<String> = html
        .select(&sel("#sec-card ~ dl dt, #sec-card ~ dl dd"))
        .map(|x| x.text().collect())
        .collect();
    assert!(
        facts.windows(2).any(|w| w == ["License", "apache-2.0"]),
        "{facts:?}"
    );
}

#[test]
fn markdown_without_model_index_stays_an_attachment() {
    let notes = "---\ntitle: Notes\n---\n# Notes\n";
    let site = site_with(&[
        ("evidence/notes.md", notes),
        ("evidence/plain.md", "# Just Markdown\n"),
    ]);
    let diags = diagnostics(&site);
    let w: Vec<(&str, &str)> = diags
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["file"].as_str().unwrap()))
        .collect();
    assert_eq!(
        w,
        [
            ("W0101", "evidence/notes.md"),
            ("W0101", "evidence/plain.md")
        ]
    );
    // Listed as an attachment, it is fine, and no item is made of it.
    site.file(
        "evidence/scan.yaml",
        "kind: scan\nid: s\ntitle: S\nattachments: [notes.md, plain.md]\nfindings: []\n",
    );
    assert!(diagnostics(&site).is_empty(), "{:#?}", diagnostics(&site));
    let shown = site.run(&["show", "notes", "--format", "json"]);
    assert_ne!(shown.code, 0);
}

#[test]
fn broken_cards_are_reported_at_their_line() {
    let site = site_with(&[
        (
            "evidence/bad-yaml/README.md",
            "---\nlicense: mit\nmodel-index:\n- name: m\n  results: [\n---\n# body\n",
        ),
        (
            "evidence/bad-shape/README.md",
            "---\nmodel-index:\n- name: m\n  results:\n  - task: {type: text-classification}\n    dataset: {type: imdb, name: imdb}\n    metrics:\n    - type: accuracy\n---\n",
        ),
        (
            "evidence/unclosed/README.md",
            "---\nmodel-index: []\n# body\n",
        ),
    ]);
    let diags = diagnostics(&site);
    let got: Vec<(String, String, u64, String)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("?").to_owned(),
                d["file"].as_str().unwrap_or("?").to_owned(),
                d["line"].as_u64().unwrap_or(0),
                d["path"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(got.len(), 3, "{diags:#?}");
    assert!(
        got.contains(&(
            "E0214".into(),
            "evidence/bad-shape/README.md".into(),
            8,
            "model-index[0].results[0].metrics[0].value".into()
        )),
        "{got:#?}"
    );
    let yaml = got
        .iter()
        .find(|g| g.1 == "evidence/bad-yaml/README.md")
        .expect("a YAML error");
    assert_eq!(yaml.0, "E0103");
    assert!(yaml.2 >= 5, "{yaml:?}");
    assert!(
        got.contains(&(
            "E0105".into(),
            "evidence/unclosed/README.md".into(),
            1,
            String::new()
        )),
        "{got:#?}"
    );
    // None of them is left as a stray attachment or a page.
    assert!(!got.iter().any(|g| g.0 == "W0101"));
}
