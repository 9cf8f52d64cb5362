//! JSON sources. serde_json decides whether a file is valid JSON (its errors are precise and
//! its grammar is JSON's, not YAML's); positions for every key and value then come from
//! reading the same text through the YAML parser, since JSON is a subset of YAML 1.2.

use crate::diag::{Diagnostic, Pos};
use crate::node::Node;

/// Above this size, JSON fields are not given positions (a second parse would cost more
/// than the positions are worth for generated files of this size).
const POSITIONS_UP_TO: usize = 8 * 1024 * 1024;

/// Parses a JSON document into a positioned tree.
pub fn parse(text: &str, file: &str) -> Result<Node, Diagnostic> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        let pos = Pos::new(
            u32::try_from(e.line()).unwrap_or(u32::MAX).max(1),
            u32::try_from(e.column()).unwrap_or(u32::MAX).max(1),
        );
        let message = e.to_string();
        let message = match message.find(" at line ") {
            Some(i) => message[..i].to_owned(),
            None => message,
        };
        let help = if message.contains("trailing comma") {
            "remove the comma after the last member"
        } else if message.contains("expected `,` or") {
            "separate members with commas"
        } else {
            "check the JSON syntax near this position"
        };
        Diagnostic::error("E0104", file, format!("invalid JSON: {message}"))
            .at(pos)
            .with_help(help)
    })?;
    // Valid JSON that the YAML reader rejects (a rare escape, a duplicate key) still loads,
    // with every field placed at the start of the file; so do large files, where a second
    // parse for positions would cost more than the positions are worth.
    if text.len() > POSITIONS_UP_TO {
        return Ok(Node::from_json(value, Pos::new(1, 1)));
    }
    Ok(
        super::yaml::parse(text, file, 0)
            .unwrap_or_else(|_| Node::from_json(value, Pos::new(1, 1))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions() {
        let node = parse("{\n  \"kind\": \"scan\",\n  \"id\": \"s\"\n}\n", "f.json").unwrap();
        assert_eq!(node.entry("id").unwrap().key_pos, Pos::new(3, 3));
        assert_eq!(node.get("id").unwrap().as_str(), Some("s"));
    }

    #[test]
    fn syntax_errors_point_at_the_problem() {
        let d = parse("{\n  \"a\": 1,\n}\n", "f.json").unwrap_err();
        assert_eq!(d.code, "E0104");
        assert_eq!(d.line, 3);
    }

    #[test]
    fn tabs_and_single_line_json_still_load() {
        let node = parse("{\"a\":\t[1,2,{\"b\":null}]}", "f.json").unwrap();
        assert!(node.get("a").is_some());
    }
}
