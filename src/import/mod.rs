//! Import: turns foreign reports (SARIF, Trivy, Grype, CycloneDX, SPDX, Bandit, ...) into native
//! items. A report dropped anywhere under evidence/ is recognised by its content, never
//! by its file name, parsed once into typed structs, and normalised into the models of
//! DESIGN section 3 (a scan's findings, an SBOM, a threat model, a catalog, a fairness
//! result).
//!
//! Each format has a file here with a detector and an importer. The detector looks at
//! the top-level keys only; the importer parses the whole file with serde into the
//! format's own structs (never a `serde_json::Value` of the whole report: a 100 MB SARIF
//! would take six times the memory) and reports a broken report at its JSON path.

mod ai_verify;
mod bandit;
mod common;
mod cyclonedx;
mod detect;
pub mod finding;
mod grype;
mod hugging_face;
mod model_card;
mod oscal;
mod rai_scorecard;
mod sarif;
mod semgrep;
mod spdx;
mod threagile;
mod threat_dragon;
mod trivy;

pub use detect::{Format, detect};

use crate::diag::{Diagnostic, Pos};
use crate::load::{Area, Loaded, SourceFile};
use crate::model::kinds::Body;
use crate::model::{Header, Item, Kind, Node, Value, slugify};
use rayon::prelude::*;

/// What an importer makes of one report.
#[derive(Debug)]
pub struct Report {
    /// The kind of item it becomes.
    pub kind: Kind,
    /// A title (tool and target).
    pub title: String,
    /// When the report was made, if it says.
    pub updated: Option<jiff::civil::Date>,
    /// The typed body.
    pub body: Body,
}

pub use crate::model::Imported;

/// The id of a foreign report: its path under evidence/ with every extension removed,
/// lowercased, and every `/` or character outside `[a-z0-9._-]` turned into `-`
/// (evidence/scans/bandit.sarif is `scans-bandit`).
pub fn foreign_id(rel: &str) -> String {
    let inner = rel.strip_prefix("evidence/").unwrap_or(rel);
    let (dir, name) = match inner.rsplit_once('/') {
        Some((d, n)) => (Some(d), n),
        None => (None, inner),
    };
    let stem = name.split('.').next().unwrap_or(name);
    let path = match dir {
        Some(d) => format!("{d}/{stem}"),
        None => stem.to_owned(),
    };
    let mut id = String::with_capacity(path.len());
    for c in path.chars().flat_map(char::to_lowercase) {
        id.push(
            if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            },
        );
    }
    if crate::model::is_valid_id(&id) {
        id
    } else {
        slugify(&id)
    }
}

/// Imports every foreign report among the loaded files, in parallel.
pub fn import(mut loaded: Loaded) -> Imported {
    let files = std::mem::take(&mut loaded.files);
    type Outcome = Option<Result<Item, Vec<Diagnostic>>>;
    let results: Vec<(SourceFile, Outcome)> = files
        .into_par_iter()
        .map(|f| {
            let outcome = (f.area == Area::Evidence)
                .then(|| match f.format {
                    // The load stage reads Markdown under evidence/ only for model cards.
                    crate::load::Format::Markdown => Some(Format::HuggingFace),
                    _ => detect(&f.text),
                })
                .flatten()
                .map(|format| import_one(&f, format));
            (f, outcome)
        })
        .collect();
    let mut items = Vec::new();
    let mut diagnostics = Vec::new();
    let mut foreign = std::collections::BTreeSet::new();
    for (file, outcome) in results {
        match outcome {
            None => {}
            Some(Ok(item)) => {
                foreign.insert(file.rel.clone());
                items.push(item);
            }
            Some(Err(d)) => {
                foreign.insert(file.rel.clone());
                diagnostics.extend(d);
            }
        }
        loaded.files.push(file);
    }
    Imported {
        loaded,
        items,
        diagnostics,
        foreign,
    }
}

fn import_one(f: &SourceFile, format: Format) -> Result<Item, Vec<Diagnostic>> {
    let report = match format {
        Format::Sarif => sarif::import(&f.text, &f.rel),
        Format::Semgrep => semgrep::import(&f.text, &f.rel),
        Format::Trivy => trivy::import(&f.text, &f.rel),
        Format::Grype => grype::import(&f.text, &f.rel),
        Format::Bandit => bandit::import(&f.text, &f.rel),
        Format::CycloneDx => cyclonedx::import(&f.text, &f.rel),
        Format::Spdx => spdx::import(&f.text, &f.rel),
        Format::ThreatDragon => threat_dragon::import(&f.text, &f.rel),
        Format::Threagile => threagile::import(&f.text, &f.rel),
        Format::Oscal => oscal::import(&f.text, &f.rel),
        Format::ModelCard => model_card::import(&f.text, &f.rel),
        Format::AiVerify => ai_verify::import(&f.text, &f.rel),
        Format::RaiScorecard => rai_scorecard::import(&f.text, &f.rel),
        Format::HuggingFace => hugging_face::import(&f.text, &f.rel),
    }?;
    Ok(Item {
        header: Header {
            kind: report.kind,
            id: foreign_id(&f.rel),
            id_pos: Pos::FILE,
            title: report.title,
            owner: None,
            tags: vec![format.name().to_owned()],
            updated: report.updated,
            attachments: Vec::new(),
        },
        file: f.rel.clone(),
        format: f.format,
        data: Node::unplaced(Value::Null),
        body: report.body,
        url_cache: Default::default(),
    })
}

/// A JSON report that breaks its format: a diagnostic at the line and column serde_json
/// stopped at, with the JSON path of the field (`results[3].line_number`).
pub(crate) fn json_error(
    format: Format,
    rel: &str,
    e: &serde_path_to_error::Error<serde_json::Error>,
) -> Diagnostic {
    let inner = e.inner();
    let path = e.path().to_string();
    let message = inner.to_string();
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message,
    };
    Diagnostic::error("E0210", rel, format!("not a valid {} report: {message}", format.label()))
        .at(Pos::new(
            u32::try_from(inner.line()).unwrap_or(u32::MAX).max(1),
            u32::try_from(inner.column()).unwrap_or(u32::MAX).max(1),
        ))
        .with_path(if path == "." { String::new() } else { path })
        .with_help(format!(
            "the file looks like {} output but does not match its format; regenerate it with the tool, or add it to `ignore`",
            format.label()
        ))
}

/// Parses a report with serde into `T` borrowing its strings. The first pass does not
/// track the JSON path (on a large report the path tracking costs a third of the parse);
/// only a report that fails is parsed again to name the field that broke it.
pub(crate) fn parse_borrowed<'a, T: serde::Deserialize<'a>>(
    format: Format,
    text: &'a str,
    rel: &str,
) -> Result<T, Vec<Diagnostic>> {
    serde_json::from_str(text).or_else(|_| {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| vec![json_error(format, rel, &e)])
    })
}

/// Parses a report with serde into `T`, keeping the JSON path of a failure.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    format: Format,
    text: &str,
    rel: &str,
) -> Result<T, Vec<Diagnostic>> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| vec![json_error(format, rel, &e)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_ids_follow_the_contract() {
        assert_eq!(foreign_id("evidence/scans/bandit.sarif"), "scans-bandit");
        assert_eq!(
            foreign_id("evidence/Scans/Trivy Report.v2.json"),
            "scans-trivy-report"
        );
        assert_eq!(foreign_id("evidence/x.cdx.json"), "x");
        assert_eq!(foreign_id("evidence/a/b/c.json"), "a-b-c");
        assert_eq!(foreign_id("evidence/models/README.md"), "models-readme");
    }
}
