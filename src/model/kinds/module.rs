//! module (DESIGN 3.9): a course module, read from its roadmap in Markdown by
//! [`crate::model::roadmap`]. It has no YAML form, so it has no `decode` and no schema.

use crate::model::WikiLink;
use crate::model::decode::At;
use serde::Serialize;

/// A course module: the facts of its "Module Overview", the targets of its "Competency
/// Alignment" table, and the rest of the roadmap as Markdown for its page.
#[derive(Debug, Clone, Serialize)]
pub struct Module {
    /// The `Title` bullet, as written (the header's title may come from front matter).
    pub module_title: Option<At<String>>,
    /// The `Target Role(s)` bullet, one entry per role.
    pub roles: Vec<At<String>>,
    /// The `Duration` bullet.
    pub duration: Option<Duration>,
    /// The `Prerequisites` bullet.
    pub prerequisites: Vec<ModuleRef>,
    /// The `Next Module(s)` bullet.
    pub next: Vec<ModuleRef>,
    /// Overview bullets Evidentia does not know, kept so the page still shows them.
    pub facts: Vec<Fact>,
    /// The rows of the "Competency Alignment" table.
    pub competencies: Vec<CompetencyTarget>,
    /// The headings of the sections that make up the page body, in order.
    pub sections: Vec<String>,
    /// The roadmap without its title, overview and competency table: the page body.
    #[serde(skip)]
    pub body: String,
    /// Every wiki link in the roadmap, with its position in the file.
    #[serde(skip)]
    pub links: Vec<WikiLink>,
}

/// A duration such as "34 hours (10 lecture, 14 lab)": its total and its parts.
#[derive(Debug, Clone, Serialize)]
pub struct Duration {
    /// The whole bullet value, as written.
    pub text: At<String>,
    /// The total, before any parenthesis ("34 hours").
    pub total: String,
    /// The parts inside the parenthesis (or the bullet's sub-bullets).
    pub parts: Vec<DurationPart>,
}

/// One part of a duration ("10 lecture", "labs 36 h").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DurationPart {
    /// What the time is spent on ("lecture").
    pub label: String,
    /// How much, as written ("10", "36 h"); none when the part gives no number.
    pub amount: Option<String>,
}

/// One entry of a prerequisites or next-modules list.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ModuleRef {
    /// A module id (`MOD-557`).
    Id {
        /// The id as written.
        id: At<String>,
    },
    /// A numbered range (`MOD-901–910`), kept as a range: its members are linked only
    /// where the site has them.
    Range {
        /// The range as written.
        text: At<String>,
        /// Its first id (`MOD-901`).
        first: String,
        /// Its last id (`MOD-910`).
        last: String,
    },
    /// Anything else, kept as written (a warning says it is not an id).
    Text {
        /// The text as written.
        text: At<String>,
    },
}

impl ModuleRef {
    /// The entry as written.
    pub fn written(&self) -> &At<String> {
        match self {
            ModuleRef::Id { id } => id,
            ModuleRef::Range { text, .. } | ModuleRef::Text { text } => text,
        }
    }
}

/// A labelled value the model keeps without understanding it (an unknown overview bullet,
/// an extra table column).
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    /// The label or column header.
    pub label: String,
    /// The value as written.
    pub value: At<String>,
}

/// One row of the "Competency Alignment" table.
#[derive(Debug, Clone, Serialize)]
pub struct CompetencyTarget {
    /// The competency (a rubric's `competency`).
    pub competency: Option<At<String>>,
    /// The proficiency the module targets.
    pub proficiency: Option<At<String>>,
    /// The evidence or assessment that shows it.
    pub evidence: Option<At<String>>,
    /// The evidence cell as written, Markdown and `[[links]]` included. Why beside the
    /// plain text: links in the cell are checked like any link in the roadmap, so the page
    /// must show them as links; `show` keeps printing the plain text.
    #[serde(skip)]
    pub evidence_markdown: Option<String>,
    /// The role it aligns with.
    pub role: Option<At<String>>,
    /// Cells of columns Evidentia does not know.
    pub extra: Vec<Fact>,
}

/// Splits a module id into its prefix and trailing number (`MOD-901` -> `MOD-`, 901);
/// `None` when it does not end in digits (or the number is too long to be one).
pub fn numbered(id: &str) -> Option<(&str, u64)> {
    let digits = id.len() - id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 12 {
        return None;
    }
    let (prefix, number) = id.split_at(id.len() - digits);
    number.parse().ok().map(|n| (prefix, n))
}

/// Whether `id` falls in the range `first..=last` (same prefix, ignoring case).
pub fn in_range(id: &str, first: &str, last: &str) -> bool {
    match (numbered(id), numbered(first), numbered(last)) {
        (Some((p, n)), Some((pf, a)), Some((pl, b))) => {
            p.eq_ignore_ascii_case(pf) && p.eq_ignore_ascii_case(pl) && (a..=b).contains(&n)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_match_by_prefix_and_number() {
        assert_eq!(numbered("MOD-901"), Some(("MOD-", 901)));
        assert_eq!(numbered("MOD-"), None);
        assert!(in_range("mod-905", "MOD-901", "MOD-910"));
        assert!(in_range("MOD-910", "MOD-901", "MOD-910"));
        assert!(!in_range("MOD-911", "MOD-901", "MOD-910"));
        assert!(!in_range("PROJ-905", "MOD-901", "MOD-910"));
    }
}
