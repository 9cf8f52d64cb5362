//! The header every native evidence file starts with (DESIGN section 1).

use super::fields::Fields;
use super::kind::Kind;
use crate::diag::{Diagnostic, Pos, did_you_mean};
use crate::node::{Node, Value};
use serde::Serialize;

/// The common fields of every item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    /// What the item is.
    pub kind: Kind,
    /// Unique in the site: the item's URL and link target.
    pub id: String,
    /// Where the id was written, for duplicate-id diagnostics.
    #[serde(skip)]
    pub id_pos: Pos,
    /// Human title.
    pub title: String,
    /// Team or person responsible.
    pub owner: Option<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Date of the last change.
    pub updated: Option<jiff::civil::Date>,
    /// Files that belong to the item (notebooks, screenshots), relative to the item's file.
    pub attachments: Vec<String>,
}

/// The header's field names; every other top-level field belongs to the kind.
pub const HEADER_FIELDS: &[&str] = &[
    "kind",
    "id",
    "title",
    "owner",
    "tags",
    "updated",
    "attachments",
];

/// Whether `id` is a valid id: `[a-z0-9][a-z0-9._-]*`.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// Turns any text into a valid id: lowercase, every other character a `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches(|c| matches!(c, '-' | '.' | '_'));
    if trimmed.is_empty() {
        "item".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Reads the header of a parsed document. Returns the header with its warnings, or every
/// error found (all of them at once, so one run shows every problem in the file).
pub fn parse_header(doc: &Node, file: &str) -> Result<(Header, Vec<Diagnostic>), Vec<Diagnostic>> {
    if !matches!(doc.value, Value::Map(_)) {
        return Err(vec![
            Diagnostic::error(
                "E0208",
                file,
                format!(
                    "an evidence file must be a mapping of fields, found {}",
                    doc.shape()
                ),
            )
            .at(if doc.pos.line == 0 {
                Pos::new(1, 1)
            } else {
                doc.pos
            })
            .with_help("start the file with `kind:`, `id:` and `title:` lines"),
        ]);
    }
    let mut f = Fields::new(doc, file);
    let kind = match doc.get("kind") {
        None => {
            f.diags.push(
                Diagnostic::error(
                    "E0201",
                    file,
                    "evidence file has no `kind` and is no known tool report",
                )
                .at(Pos::new(1, 1))
                .with_help(format!(
                    "add `kind:` with one of: {}; tool reports are recognised by content: {}",
                    Kind::names().collect::<Vec<_>>().join(", "),
                    super::ReportFormat::all_labels()
                )),
            );
            None
        }
        Some(node) => match node.as_str() {
            Some(name) if name == Kind::Module.name() => {
                f.diags.push(
                    Diagnostic::error(
                        "E0223",
                        file,
                        "a module is written as a Markdown roadmap, not as an evidence file",
                    )
                    .at(node.pos)
                    .spanning(name.chars().count())
                    .with_path("kind")
                    .with_help(
                        "write the module as content/modules/ID.md in the roadmap format (a `Module Overview` section with a `Module ID` bullet); see `evidentia explain E0223`",
                    ),
                );
                None
            }
            Some(name) => Kind::from_name(name).or_else(|| {
                let help = match did_you_mean(name, Kind::names()) {
                    Some(m) => format!("did you mean `{m}`?"),
                    None => format!(
                        "use one of: {}",
                        Kind::names().collect::<Vec<_>>().join(", ")
                    ),
                };
                f.diags.push(
                    Diagnostic::error("E0202", file, format!("unknown kind `{name}`"))
                        .at(node.pos)
                        .spanning(name.chars().count())
                        .with_path("kind")
                        .with_help(help),
                );
                None
            }),
            None => {
                f.string("kind");
                None
            }
        },
    };
    let id_node = doc.get("id");
    let id = match id_node {
        None => {
            f.diags.push(
                Diagnostic::error("E0203", file, "evidence file has no `id`")
                    .at(Pos::new(1, 1))
                    .with_help(format!(
                        "add `id: {}` (unique in the site; lowercase letters, digits, `.`, `_`, `-`)",
                        slugify(file.rsplit('/').next().unwrap_or(file).split('.').next().unwrap_or("item"))
                    )),
            );
            None
        }
        Some(node) => f.string("id").and_then(|id| {
            if is_valid_id(&id) {
                Some(id)
            } else {
                f.diags.push(
                    Diagnostic::error("E0204", file, format!("invalid id `{id}`"))
                        .at(node.pos)
                        .spanning(id.chars().count())
                        .with_path("id")
                        .with_help(format!(
                            "ids match [a-z0-9][a-z0-9._-]*: write `{}`",
                            slugify(&id)
                        )),
                );
                None
            }
        }),
    };
    let title = f.string("title").filter(|t| !t.trim().is_empty());
    if title.is_none() && !f.diags.iter().any(|d| d.path == "title") {
        f.diags.push(
            Diagnostic::error("E0205", file, "evidence file has no `title`")
                .at(doc.entry("title").map_or(Pos::new(1, 1), |e| e.key_pos))
                .with_path("title")
                .with_help("add `title:` with a short human title"),
        );
    }
    let owner = f.string("owner");
    let tags = f.strings("tags");
    let updated = f.date("updated");
    let attachments = f.strings("attachments");
    let diags = f.diags;
    match (kind, id, title) {
        (Some(kind), Some(id), Some(title)) if diags.iter().all(|d| !d.is_error()) => Ok((
            Header {
                kind,
                id,
                id_pos: id_node.map_or(Pos::FILE, |n| n.pos),
                title,
                owner,
                tags,
                updated,
                attachments,
            },
            diags,
        )),
        _ => Err(diags),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml;

    fn header(text: &str) -> Result<Header, Vec<Diagnostic>> {
        let doc = yaml::parse(text, "evidence/x.yaml", 0).unwrap();
        parse_header(&doc, "evidence/x.yaml").map(|(h, _)| h)
    }

    fn codes(text: &str) -> Vec<&'static str> {
        header(text).unwrap_err().iter().map(|d| d.code).collect()
    }

    #[test]
    fn reads_a_full_header() {
        let h = header(
            "kind: threat-model\nid: tm-a\ntitle: A\nowner: sec\ntags: [x, y]\nupdated: 2026-10-02\n",
        )
        .unwrap();
        assert_eq!(h.kind, Kind::ThreatModel);
        assert_eq!(h.id, "tm-a");
        assert_eq!(h.id_pos, Pos::new(2, 5));
        assert_eq!(h.tags, vec!["x", "y"]);
        assert_eq!(h.updated.unwrap().to_string(), "2026-10-02");
    }

    #[test]
    fn every_header_problem_is_reported_at_once() {
        assert_eq!(codes("id: a\ntitle: A\n"), vec!["E0201"]);
        assert_eq!(codes("kind: threatmodel\nid: a\ntitle: A\n"), vec!["E0202"]);
        assert_eq!(codes("kind: scan\ntitle: A\n"), vec!["E0203"]);
        assert_eq!(codes("kind: scan\nid: Bad Id\ntitle: A\n"), vec!["E0204"]);
        assert_eq!(codes("kind: scan\nid: a\n"), vec!["E0205"]);
        assert_eq!(
            codes("kind: scan\nid: a\ntitle: A\nupdated: 2026-13-45\n"),
            vec!["E0206"]
        );
        assert_eq!(codes("- a\n- b\n"), vec!["E0208"]);
        assert_eq!(codes("title: [x]\n"), vec!["E0201", "E0203", "E0206"]);
    }

    #[test]
    fn unknown_kind_suggests() {
        let d = header("kind: threatmodel\nid: a\ntitle: A\n").unwrap_err();
        assert_eq!(d[0].help, "did you mean `threat-model`?");
        assert_eq!((d[0].line, d[0].column), (1, 7));
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("tm-credit-api"));
        assert!(is_valid_id("0.x_y"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id("A"));
        assert!(!is_valid_id(""));
        assert_eq!(slugify("Credit API / v2"), "credit-api-v2");
        assert_eq!(slugify("scans/bandit.sarif"), "scans-bandit.sarif");
    }
}
