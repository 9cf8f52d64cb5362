//! The one place that parses YAML. serde-saphyr is used (DESIGN section 6: serde_yaml is
//! unmaintained and carries RUSTSEC-2024-0449) with explicit budgets, so a hostile file
//! (an alias bomb, nesting ten thousand levels deep) fails fast with a diagnostic instead
//! of exhausting memory or the stack.

use crate::diag::{Diagnostic, Pos};
use crate::node::Node;

/// Safety limits for one YAML document. Evidence files are small; these are far above
/// any real one and far below what would hurt the build.
fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 64;
    budget.flow_nesting_limit = 64;
    budget.max_nodes = 2_000_000;
    budget.max_aliases = 10_000;
    budget.max_anchors = 10_000;
    budget.max_documents = 1;
    budget.max_total_scalar_bytes = 256 * 1024 * 1024;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    // Aliases are replayed event by event: cap the total so an alias bomb stops early.
    let mut aliases = serde_saphyr::options::AliasLimits::default();
    aliases.max_total_replayed_events = 20_000;
    aliases.max_replay_stack_depth = 16;
    aliases.max_alias_expansions_per_anchor = 1_000;
    options.alias_limits = aliases;
    options.with_snippet = false;
    // YAML 1.2 Core booleans only: `y`, `on` and `no` stay text (the "Norway problem").
    options.strict_booleans = true;
    options
}

/// Parses one YAML document into a positioned tree. An empty document is `Value::Null`.
/// `line_offset` is added to every reported line, for YAML embedded in another file
/// (front matter below a `---` line).
pub fn parse(text: &str, file: &str, line_offset: u32) -> Result<Node, Diagnostic> {
    match serde_saphyr::from_str_with_options::<Option<Node>>(text, options()) {
        Ok(Some(mut node)) => {
            if line_offset > 0 {
                shift(&mut node, line_offset);
            }
            Ok(node)
        }
        Ok(None) => Ok(Node::unplaced(crate::node::Value::Null)),
        Err(e) => Err(syntax_error(&e, text, file).at(e
            .location()
            .map(|l| {
                Pos::new(
                    u32::try_from(l.line()).unwrap_or(u32::MAX).max(1),
                    u32::try_from(l.column()).unwrap_or(u32::MAX).max(1),
                )
            })
            .unwrap_or(Pos::new(1, 1))
            .shifted(line_offset))),
    }
}

fn syntax_error(e: &serde_saphyr::Error, text: &str, file: &str) -> Diagnostic {
    let raw = e.without_snippet().to_string();
    // The library appends its own "at line X column Y": the diagnostic carries it already.
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].trim_end().to_owned(),
        None => raw.trim().to_owned(),
    };
    let message = if message.contains("Depth") || message.contains("recursion limit") {
        "the document nests deeper than 64 levels".to_owned()
    } else if message.contains("alias") && (message.contains("limit") || message.contains("budget"))
    {
        format!("aliases expand too far ({message})")
    } else {
        message
    };
    let help = if text.contains('\t') && message.contains("tab") {
        "indent with spaces: YAML does not allow tabs for indentation"
    } else if message.contains("budget") || message.contains("depth") || message.contains("alias") {
        "the document exceeds a safety limit (nesting depth 64, 20,000 replayed alias events): simplify it"
    } else if message.contains("duplicate") {
        "each key may appear once in a mapping: remove or rename the repeated one"
    } else {
        "check the YAML syntax near this position (and on the line before it)"
    };
    Diagnostic::error("E0103", file, format!("invalid YAML: {message}")).with_help(help)
}

fn shift(node: &mut Node, lines: u32) {
    node.pos = node.pos.shifted(lines);
    match &mut node.value {
        crate::node::Value::Seq(items) => items.iter_mut().for_each(|n| shift(n, lines)),
        crate::node::Value::Map(entries) => {
            for e in entries {
                e.key_pos = e.key_pos.shifted(lines);
                shift(&mut e.node, lines);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Value;

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let node = parse("kind: scan\nid: s1\ntags:\n  - a\n  - b\n", "f.yaml", 0).unwrap();
        let id = node.entry("id").unwrap();
        assert_eq!(id.key_pos, Pos::new(2, 1));
        assert_eq!(id.node.pos, Pos::new(2, 5));
        let Value::Seq(tags) = &node.get("tags").unwrap().value else {
            panic!("tags not a list")
        };
        assert_eq!(tags[1].pos, Pos::new(5, 5));
        assert_eq!(tags[1].as_str(), Some("b"));
    }

    #[test]
    fn dates_stay_text_and_numbers_stay_numbers() {
        let node = parse(
            "updated: 2026-10-02\nn: 3\nf: 0.5\nb: true\nc: no\n",
            "f",
            0,
        )
        .unwrap();
        assert_eq!(node.get("c").unwrap().as_str(), Some("no"));
        assert_eq!(node.get("updated").unwrap().as_str(), Some("2026-10-02"));
        assert_eq!(node.get("n").unwrap().value, Value::Int(3));
        assert_eq!(node.get("f").unwrap().value, Value::Float(0.5));
        assert_eq!(node.get("b").unwrap().value, Value::Bool(true));
    }

    #[test]
    fn syntax_errors_have_position_and_code() {
        let d = parse("a: 1\nb: [1, 2\n", "f.yaml", 0).unwrap_err();
        assert_eq!(d.code, "E0103");
        assert!(d.line >= 2, "{d:?}");
    }

    #[test]
    fn offset_moves_lines() {
        let node = parse("title: x\n", "f.md", 1).unwrap();
        assert_eq!(node.entry("title").unwrap().key_pos, Pos::new(2, 1));
        let d = parse("title: [\n", "f.md", 1).unwrap_err();
        assert!(d.line >= 2);
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_refused() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_owned()
            } else {
                format!("l{}", i - 1)
            };
            bomb.push_str(&format!(
                "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        assert_eq!(parse(&bomb, "f", 0).unwrap_err().code, "E0103");
        let deep = format!("{}{}", "[".repeat(500), "]".repeat(500));
        assert_eq!(parse(&deep, "f", 0).unwrap_err().code, "E0103");
    }

    #[test]
    fn duplicate_keys_are_errors() {
        assert_eq!(parse("a: 1\na: 2\n", "f", 0).unwrap_err().code, "E0103");
    }

    #[test]
    fn empty_document_is_null() {
        assert_eq!(parse("", "f", 0).unwrap().value, Value::Null);
        assert_eq!(
            parse("# only a comment\n", "f", 0).unwrap().value,
            Value::Null
        );
    }
}
