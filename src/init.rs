//! `evidentia init`: a learner's starter site that checks and builds clean as it is: a
//! portfolio with one claim per course criterion to fill in, a commented example of each
//! kind of evidence, the course rubrics, and the kinds' JSON Schemas for editors. The
//! starter files live in `starter/` and the rubrics are the demo site's own, so the two
//! never drift apart.

use crate::model::{Kind, is_valid_id, schema};
use jiff::civil::Date;
use std::path::{Path, PathBuf};

/// Who the site is for.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The learner's name.
    pub name: String,
    /// The learner's handle (their URL).
    pub handle: String,
    /// The module (MOD-559).
    pub module: String,
    /// The date the examples are dated on; exceptions and actions fall due 90 days later.
    pub today: Date,
}

/// Why no site was written.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The folder has files in it.
    #[error("{0} is not empty: `evidentia init` writes a new site into a new or empty folder")]
    NotEmpty(PathBuf),
    /// A name, handle or module that cannot be written into the files.
    #[error("{0}")]
    Invalid(String),
    /// Writing failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

const FILES: &[(&str, &str)] = &[
    ("site.toml", include_str!("../starter/site.toml")),
    (
        "content/index.md",
        include_str!("../starter/content/index.md"),
    ),
    (
        "evidence/portfolio.yaml",
        include_str!("../starter/evidence/portfolio.yaml"),
    ),
    (
        "evidence/examples/threat-model.yaml",
        include_str!("../starter/evidence/examples/threat-model.yaml"),
    ),
    (
        "evidence/examples/scan.yaml",
        include_str!("../starter/evidence/examples/scan.yaml"),
    ),
    (
        "evidence/examples/exception.yaml",
        include_str!("../starter/evidence/examples/exception.yaml"),
    ),
    (
        "evidence/examples/fairness.yaml",
        include_str!("../starter/evidence/examples/fairness.yaml"),
    ),
    (
        "evidence/examples/tabletop.yaml",
        include_str!("../starter/evidence/examples/tabletop.yaml"),
    ),
    (
        "evidence/examples/packet.yaml",
        include_str!("../starter/evidence/examples/packet.yaml"),
    ),
    (
        "evidence/examples/catalog.yaml",
        include_str!("../starter/evidence/examples/catalog.yaml"),
    ),
];

/// The course rubrics, as the demo site has them.
const RUBRICS: &[(&str, &str)] = &[
    (
        "evidence/rubrics/platform-security.yaml",
        include_str!("../evidence/rubrics/platform-security.yaml"),
    ),
    (
        "evidence/rubrics/responsible-ai.yaml",
        include_str!("../evidence/rubrics/responsible-ai.yaml"),
    ),
];

/// An example item of each kind, for the claims' hints.
fn example_of(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "threat-model" => "ex-threat-model",
        "scan" => "ex-scan",
        "exception" => "ex-exception",
        "fairness" => "ex-fairness",
        "tabletop" => "ex-tabletop",
        "packet" => "ex-packet",
        "catalog" => "ex-catalog",
        _ => return None,
    })
}

/// One claim per criterion of the course rubrics, with no evidence yet.
fn claims() -> String {
    let mut out = String::new();
    for (_, text) in RUBRICS {
        let Some(rubric) = text
            .lines()
            .find_map(|l| l.strip_prefix("id: "))
            .map(str::trim)
        else {
            continue;
        };
        let mut criterion: Option<&str> = None;
        let flush = |out: &mut String, c: Option<&str>, kind: Option<&str>| {
            if let Some(c) = c {
                let hint = kind
                    .and_then(example_of)
                    .map(|e| format!("   # a {} item, like {e}", kind.unwrap_or_default()))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "  - criterion: {rubric}#{c}\n    evidence: []{hint}\n"
                ));
            }
        };
        let mut kind: Option<&str> = None;
        for line in text.lines() {
            if let Some(id) = line.strip_prefix("  - id: ") {
                flush(&mut out, criterion, kind);
                criterion = Some(id.trim());
                kind = None;
            } else if let Some(k) = line.trim_start().strip_prefix("kind: ")
                && line.starts_with("      ")
            {
                kind = Some(k.trim());
            }
        }
        flush(&mut out, criterion, kind);
    }
    out
}

/// Text safe inside a double-quoted YAML or TOML string.
fn quoted(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

fn validate(o: &InitOptions) -> Result<(), InitError> {
    if o.name.trim().is_empty() || o.name.chars().any(char::is_control) {
        return Err(InitError::Invalid(format!(
            "`{}` cannot be a name: give one line of text with --name",
            o.name.escape_debug()
        )));
    }
    if !is_valid_id(&o.handle) {
        return Err(InitError::Invalid(format!(
            "`{}` cannot be a handle: use lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit (--handle)",
            o.handle
        )));
    }
    if o.module.is_empty()
        || !o
            .module
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(InitError::Invalid(format!(
            "`{}` cannot be a module id: use letters, digits and `-`, like MOD-559 (--module)",
            o.module
        )));
    }
    Ok(())
}

/// Writes the starter site into `dir` (created if missing; refused if not empty) and
/// returns the files written, relative to `dir`.
pub fn init(dir: &Path, o: &InitOptions) -> Result<Vec<String>, InitError> {
    validate(o)?;
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InitError::Io { path, source }
    };
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
        if entries.next().is_some() {
            return Err(InitError::NotEmpty(dir.to_path_buf()));
        }
    }
    let in_90 = o
        .today
        .checked_add(jiff::Span::new().days(90))
        .unwrap_or(o.today);
    let portfolio = format!("pf-{}", o.handle);
    let fill = |text: &str, yaml_or_toml: bool| {
        let name = if yaml_or_toml {
            quoted(&o.name)
        } else {
            o.name.clone()
        };
        text.replace("{{NAME}}", &name)
            .replace("{{HANDLE}}", &o.handle)
            .replace("{{MODULE}}", &o.module)
            .replace("{{PORTFOLIO}}", &portfolio)
            .replace("{{TODAY}}", &o.today.to_string())
            .replace("{{IN_90_DAYS}}", &in_90.to_string())
            .replace("{{CLAIMS}}\n", &claims())
    };
    let mut files: Vec<(String, String)> = FILES
        .iter()
        .map(|(path, text)| {
            let structured = !path.ends_with(".md");
            // Markdown front matter quotes the name too; the body does not need to.
            let text = if structured {
                fill(text, true)
            } else {
                let (front, body) = text.split_at(text.find("\n---\n").map_or(0, |i| i + 5));
                fill(front, true) + &fill(body, false)
            };
            ((*path).to_owned(), text)
        })
        .collect();
    files.extend(
        RUBRICS
            .iter()
            .map(|(p, t)| ((*p).to_owned(), (*t).to_owned())),
    );
    for kind in Kind::ALL {
        files.push((
            format!("schemas/{}.schema.json", kind.name()),
            schema::schema_text(kind),
        ));
    }
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, text).map_err(io(&path))?;
    }
    Ok(files.into_iter().map(|(rel, _)| rel).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_claim_per_course_criterion_with_a_hint() {
        let c = claims();
        assert_eq!(c.matches("  - criterion: ").count(), 13, "{c}");
        assert!(c.contains("  - criterion: platform-security#threat-model\n    evidence: []   # a threat-model item, like ex-threat-model\n"), "{c}");
        assert!(c.contains("responsible-ai#rai-signoff"), "{c}");
    }

    #[test]
    fn names_are_quoted_for_yaml() {
        assert_eq!(
            quoted(r#"Ada "the" \ Lovelace"#),
            r#"Ada \"the\" \\ Lovelace"#
        );
    }
}
