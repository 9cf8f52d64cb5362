//! Human-readable diagnostics: rustc-style, with the offending source line underlined.

use super::{Diagnostic, Severity};
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// Gives the renderer the text of a file, so snippets can be shown; the pipeline already
/// holds every source in memory, so nothing is read twice.
pub trait SourceLookup {
    /// The text of `file` (a path relative to the site root), if it was readable.
    fn source(&self, file: &str) -> Option<&str>;
}

impl SourceLookup for std::collections::BTreeMap<&str, &str> {
    fn source(&self, file: &str) -> Option<&str> {
        self.get(file).copied()
    }
}

/// Renders diagnostics as text for a terminal or a log.
#[derive(Debug)]
pub struct HumanRenderer {
    renderer: Renderer,
}

impl HumanRenderer {
    /// A renderer with colours (for terminals) or without (for logs, pipes and tests).
    pub fn new(color: bool) -> Self {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        HumanRenderer {
            renderer: renderer.decor_style(DecorStyle::Unicode),
        }
    }

    /// One diagnostic, with a snippet of its line when the source is known.
    pub fn render(&self, d: &Diagnostic, sources: &dyn SourceLookup) -> String {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut message = d.message.clone();
        if !d.path.is_empty() {
            message = format!("{message} (at `{}`)", d.path);
        }
        let title = level.primary_title(message).id(d.code);
        let snippet = sources
            .source(&d.file)
            .filter(|_| d.line > 0)
            .and_then(|text| line_snippet(text, d));
        let mut groups: Vec<Group<'_>> = Vec::new();
        match snippet {
            Some((line_text, span)) => groups.push(
                title.element(
                    Snippet::source(line_text)
                        .line_start(d.line as usize)
                        .path(d.file.as_str())
                        .annotation(AnnotationKind::Primary.span(span)),
                ),
            ),
            None => {
                let origin = if d.file.is_empty() {
                    String::new()
                } else if d.line > 0 {
                    format!("{}:{}:{}", d.file, d.line, d.column)
                } else {
                    d.file.clone()
                };
                let group = if origin.is_empty() {
                    Group::with_title(title)
                } else {
                    title.element(annotate_snippets::Origin::path(origin))
                };
                groups.push(group);
            }
        }
        if !d.help.is_empty() {
            groups.push(Group::with_title(
                Level::HELP.secondary_title(d.help.clone()),
            ));
        }
        self.renderer.render(&groups)
    }
}

/// The diagnostic's line and the byte range to underline within it.
fn line_snippet<'t>(text: &'t str, d: &Diagnostic) -> Option<(&'t str, std::ops::Range<usize>)> {
    let line = text.lines().nth(d.line as usize - 1)?;
    let col = d.column.max(1) as usize - 1;
    let start = line.char_indices().nth(col).map_or(line.len(), |(i, _)| i);
    let end = line[start..]
        .char_indices()
        .nth(d.span_len.max(1) as usize)
        .map_or(line.len(), |(i, _)| start + i);
    Some((line, start..end.max(start)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    #[test]
    fn renders_code_location_snippet_and_help() {
        let d = Diagnostic::error("E0202", "evidence/x.yaml", "unknown kind `threatmodel`")
            .at(Pos::new(1, 7))
            .spanning(11)
            .with_help("did you mean `threat-model`?");
        let text = "kind: threatmodel\nid: x\n";
        let sources = std::collections::BTreeMap::from([("evidence/x.yaml", text)]);
        let out = HumanRenderer::new(false).render(&d, &sources);
        assert!(
            out.contains("error[E0202]: unknown kind `threatmodel`"),
            "{out}"
        );
        assert!(out.contains("evidence/x.yaml:1:7"), "{out}");
        assert!(out.contains("kind: threatmodel"), "{out}");
        assert!(
            out.contains("^^^^^^^^^^^") || out.contains("━━━━━━━━━━━"),
            "{out}"
        );
        assert!(out.contains("help: did you mean `threat-model`?"), "{out}");
    }

    #[test]
    fn whole_file_diagnostics_still_name_the_file() {
        let d = Diagnostic::error("E0106", "evidence/empty.yaml", "file is empty");
        let out = HumanRenderer::new(false).render(&d, &std::collections::BTreeMap::new());
        assert!(out.contains("evidence/empty.yaml"), "{out}");
    }
}
