//! Diagnostics: every problem Evidentia finds in a site, as one value type.
//!
//! A diagnostic names the file, line and column it is about, the field's address in the
//! document (`path`), what is wrong (`message`) and how to fix it (`help`). Stages never
//! print: they return diagnostics, and the caller decides how to show them (human text
//! with a source snippet here, JSON or SARIF in later formats).

mod codes;
mod formats;
mod human;

pub use codes::{CodeInfo, explain, lookup};
pub use formats::{to_github, to_json, to_sarif};
pub use human::{HumanRenderer, SourceLookup};

use serde::Serialize;
use std::fmt;

/// How bad a diagnostic is: errors block `build`, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks the build and makes `check` exit 1.
    Error,
    /// Shown, never blocking.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A position in a source file, 1-based; line 0 means "the file as a whole".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Pos {
    /// 1-based line, or 0 when the problem concerns the whole file.
    pub line: u32,
    /// 1-based column in characters, or 0 with line 0.
    pub column: u32,
}

impl Pos {
    /// The whole file: used where no finer position exists (an unreadable file).
    pub const FILE: Pos = Pos { line: 0, column: 0 };

    /// A position from 1-based line and column numbers.
    pub fn new(line: u32, column: u32) -> Pos {
        Pos { line, column }
    }

    /// The line and column of byte `offset` in `text`, counting columns in characters
    /// so that editors and terminals agree on where the caret goes.
    pub fn of_offset(text: &str, offset: usize) -> Pos {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..offset].chars().count() + 1;
        Pos::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }

    /// This position moved down by `lines` lines (for text embedded at an offset, such as
    /// a Markdown body below its front matter).
    pub fn shifted(self, lines: u32) -> Pos {
        if self.line == 0 {
            self
        } else {
            Pos::new(self.line + lines, self.column)
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem found in a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code (`E0103`); `evidentia explain CODE` describes it.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators; empty for site-wide problems.
    pub file: String,
    /// 1-based line, 0 when the whole file is meant.
    pub line: u32,
    /// 1-based column in characters, 0 when the whole file is meant.
    pub column: u32,
    /// Address of the field in the document (`threats[2].status`), empty when none.
    pub path: String,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// Characters to underline from the column (at least one); not part of the JSON shape.
    #[serde(skip)]
    pub span_len: u32,
}

impl Diagnostic {
    /// An error with the given code at `file`; refine it with the builder methods.
    pub fn error(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, file, message)
    }

    /// A warning with the given code at `file`.
    pub fn warning(
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(code, Severity::Warning, file, message)
    }

    fn new(
        code: &'static str,
        severity: Severity,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            file: file.into(),
            line: 0,
            column: 0,
            path: String::new(),
            message: message.into(),
            help: String::new(),
            span_len: 1,
        }
    }

    /// Points the diagnostic at a position.
    pub fn at(mut self, pos: Pos) -> Self {
        self.line = pos.line;
        self.column = pos.column;
        self
    }

    /// Sets how many characters the snippet underlines.
    pub fn spanning(mut self, chars: usize) -> Self {
        self.span_len = u32::try_from(chars.max(1)).unwrap_or(u32::MAX);
        self
    }

    /// Sets the field address (`threats[2].status`).
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// Sets the fix-it text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }

    /// The position this diagnostic points at.
    pub fn pos(&self) -> Pos {
        Pos::new(self.line, self.column)
    }

    /// Whether this diagnostic blocks a build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// One line, `file:line:col: severity[CODE]: message`, the shape editors and CI
    /// annotators parse.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.file.is_empty() {
            write!(f, "{}", self.file)?;
            if self.line > 0 {
                write!(f, ":{}:{}", self.line, self.column)?;
            }
            f.write_str(": ")?;
        }
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)
    }
}

/// Puts diagnostics in the order users read them: by file, then position, then code,
/// so that output is identical however the parallel stages interleaved.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
}

/// Counts errors and warnings, for summaries and exit codes.
pub fn count(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    (errors, diags.len() - errors)
}

/// The closest of `candidates` to `word`, for "did you mean" help; `None` when nothing is
/// close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_one_based_char_columns() {
        let text = "a: 1\nbé: x\n";
        assert_eq!(Pos::of_offset(text, 0), Pos::new(1, 1));
        assert_eq!(Pos::of_offset(text, 5), Pos::new(2, 1));
        // 'x' follows a two-byte character: byte 10, character column 5.
        assert_eq!(Pos::of_offset(text, 10), Pos::new(2, 5));
        // Offsets past the end clamp to the end.
        assert_eq!(Pos::of_offset(text, 999), Pos::new(3, 1));
    }

    #[test]
    fn did_you_mean_finds_typos_only() {
        let names = ["title", "tags", "weight", "draft"];
        assert_eq!(did_you_mean("titel", names), Some("title"));
        assert_eq!(did_you_mean("wieght", names), Some("weight"));
        assert_eq!(did_you_mean("completely-else", names), None);
    }

    #[test]
    fn display_is_editor_friendly() {
        let d = Diagnostic::error("E0103", "evidence/a.yaml", "bad").at(Pos::new(3, 7));
        assert_eq!(d.to_string(), "evidence/a.yaml:3:7: error[E0103]: bad");
    }
}
