//! Typed reads of single fields from a positioned tree, each failure a diagnostic at the
//! field. Shared by the item header and page front matter so both report alike.

use crate::diag::Diagnostic;
use crate::node::{Entry, Node, Value};

/// Reads fields of one mapping in one file, collecting diagnostics.
pub(crate) struct Fields<'a> {
    pub(crate) map: &'a Node,
    pub(crate) file: &'a str,
    pub(crate) diags: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(map: &'a Node, file: &'a str) -> Self {
        Fields {
            map,
            file,
            diags: Vec::new(),
        }
    }

    fn wrong(&mut self, key: &str, node: &Node, expected: &str, help: &str) {
        self.diags.push(
            Diagnostic::error(
                "E0206",
                self.file,
                format!("`{key}` must be {expected}, found {}", node.shape()),
            )
            .at(node.pos)
            .with_path(key)
            .with_help(help),
        );
    }

    /// A text field; numbers and booleans are accepted as their text (`version: 2`).
    pub(crate) fn string(&mut self, key: &str) -> Option<String> {
        let node = self.map.get(key)?;
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => node.scalar_text(),
            Value::Null => None,
            _ => {
                self.wrong(
                    key,
                    node,
                    "text",
                    "write a single value on the same line as the key",
                );
                None
            }
        }
    }

    /// A list of text values; a single value is accepted as a list of one.
    pub(crate) fn strings(&mut self, key: &str) -> Vec<String> {
        let Some(node) = self.map.get(key) else {
            return Vec::new();
        };
        match &node.value {
            Value::Null => Vec::new(),
            Value::Str(s) => vec![s.clone()],
            Value::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    match item
                        .scalar_text()
                        .filter(|_| !matches!(item.value, Value::Null))
                    {
                        Some(s) => out.push(s),
                        None => {
                            let path = format!("{key}[{i}]");
                            self.wrong(&path, item, "text", "write each entry as a plain value");
                        }
                    }
                }
                out
            }
            _ => {
                self.wrong(
                    key,
                    node,
                    "a list",
                    "write `[a, b]` or one `- a` line per entry",
                );
                Vec::new()
            }
        }
    }

    /// An ISO 8601 calendar date; an impossible date (2026-13-45) is an error.
    pub(crate) fn date(&mut self, key: &str) -> Option<jiff::civil::Date> {
        let node = self.map.get(key)?;
        let Some(text) = node.as_str() else {
            if !matches!(node.value, Value::Null) {
                self.wrong(
                    key,
                    node,
                    "a date (YYYY-MM-DD)",
                    "write the date as 2026-10-02",
                );
            }
            return None;
        };
        match parse_date(text) {
            Ok(d) => Some(d),
            Err(why) => {
                self.diags.push(
                    Diagnostic::error(
                        "E0206",
                        self.file,
                        format!("`{key}` is not a valid date: `{text}` ({why})"),
                    )
                    .at(node.pos)
                    .spanning(text.chars().count())
                    .with_path(key)
                    .with_help("write an ISO 8601 date that exists, such as 2026-10-02"),
                );
                None
            }
        }
    }

    pub(crate) fn boolean(&mut self, key: &str) -> Option<bool> {
        let node = self.map.get(key)?;
        match node.value {
            Value::Bool(b) => Some(b),
            Value::Null => None,
            _ => {
                self.wrong(key, node, "true or false", "write `true` or `false`");
                None
            }
        }
    }

    pub(crate) fn integer(&mut self, key: &str) -> Option<i64> {
        let node = self.map.get(key)?;
        match node.value {
            Value::Int(i) => Some(i),
            Value::Null => None,
            _ => {
                self.wrong(key, node, "a whole number", "write a number such as 10");
                None
            }
        }
    }

    /// Reports every key that is not in `known` as an unknown field, with a suggestion.
    pub(crate) fn deny_unknown(&mut self, known: &[&str], what: &str) {
        let Value::Map(entries) = &self.map.value else {
            return;
        };
        for Entry { key, key_pos, .. } in entries {
            if known.contains(&key.as_str()) {
                continue;
            }
            let help = match crate::diag::did_you_mean(key, known.iter().copied()) {
                Some(m) => format!("did you mean `{m}`?"),
                None => format!("{what} takes: {}", known.join(", ")),
            };
            self.diags.push(
                Diagnostic::error(
                    "E0207",
                    self.file,
                    format!("unknown field `{key}` in {what}"),
                )
                .at(*key_pos)
                .spanning(key.chars().count())
                .with_path(key.clone())
                .with_help(help),
            );
        }
    }
}

/// Parses `YYYY-MM-DD` strictly (a time or zone is not a date).
pub(crate) fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    let t = text.trim();
    let b = t.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Err("expected YYYY-MM-DD".to_owned());
    }
    t.parse::<jiff::civil::Date>().map_err(|e| {
        let msg = e.to_string();
        if msg.contains("month") {
            "no such month".to_owned()
        } else if msg.contains("day") {
            "no such day in that month".to_owned()
        } else {
            msg
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert!(parse_date("2026-10-02").is_ok());
        assert!(parse_date("2024-02-29").is_ok());
        assert_eq!(parse_date("2026-13-45").unwrap_err(), "no such month");
        assert!(parse_date("2025-02-29").is_err());
        assert!(parse_date("2026-1-2").is_err());
        assert!(parse_date("2026-10-02T10:00").is_err());
    }
}
