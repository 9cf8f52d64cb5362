//! Decoding typed models from a positioned tree.
//!
//! Serde stops at the first error and forgets where a value was written once it is typed;
//! reviewers want every problem in a file at once, each at its field. So the kinds are
//! decoded by hand from the [`Node`] tree that both the YAML and the JSON reader produce,
//! with a [`Decoder`] that tracks the field path (`threats[2].status`) and collects
//! diagnostics. Typed values keep their position in [`At`].

use crate::diag::{Diagnostic, Pos, did_you_mean};
use crate::node::{Node, Value};
use serde::{Serialize, Serializer};
use std::borrow::Cow;

/// A value with where it was written and its field path, for diagnostics about it.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    /// The value.
    pub value: T,
    /// Where its first character is.
    pub pos: Pos,
    /// Its address in the document (`threats[2].status`).
    pub path: String,
}

impl<T> At<T> {
    /// Characters to underline for this value (its text length when it is text).
    pub fn len(&self) -> usize
    where
        T: AsRef<str>,
    {
        self.value.as_ref().chars().count()
    }

    /// Whether the value is empty text.
    pub fn is_empty(&self) -> bool
    where
        T: AsRef<str>,
    {
        self.value.as_ref().is_empty()
    }
}

impl<T: std::fmt::Display> std::fmt::Display for At<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: Serialize> Serialize for At<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

/// The JSON Schema of a field's value: what an editor should accept for it.
pub trait FieldSchema {
    /// The schema.
    fn field_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema;
}

impl FieldSchema for String {
    fn field_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <String as schemars::JsonSchema>::json_schema(g)
    }
}

impl FieldSchema for f64 {
    fn field_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <f64 as schemars::JsonSchema>::json_schema(g)
    }
}

impl FieldSchema for u32 {
    fn field_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <u32 as schemars::JsonSchema>::json_schema(g)
    }
}

impl FieldSchema for jiff::civil::Date {
    fn field_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "date"})
    }
}

impl<T: FieldSchema> schemars::JsonSchema for At<T> {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Field")
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::field_schema(generator)
    }
    fn inline_schema() -> bool {
        true
    }
}

/// Serialises name/value pairs as a mapping in their written order.
pub fn pairs<S: Serializer, T: Serialize>(v: &[(String, T)], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(v.len()))?;
    for (k, x) in v {
        m.serialize_entry(k, x)?;
    }
    m.end()
}

/// Serialises name/(name/value pairs) as nested mappings.
pub fn pairs_nested<S: Serializer, T: Serialize>(
    v: &[(String, Vec<(String, T)>)],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    struct Inner<'a, T>(&'a [(String, T)]);
    impl<T: Serialize> Serialize for Inner<'_, T> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            pairs(self.0, s)
        }
    }
    let mut m = s.serialize_map(Some(v.len()))?;
    for (k, x) in v {
        m.serialize_entry(k, &Inner(x))?;
    }
    m.end()
}

/// An enum written as one of a fixed set of words.
pub trait Choice: Sized + Copy {
    /// Every word, in the order the help lists them.
    const NAMES: &'static [&'static str];
    /// The value for a word.
    fn from_index(i: usize) -> Self;
    /// The word for a value.
    fn name(self) -> &'static str;
}

/// Declares a [`Choice`] enum with its words, serialised as those words.
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, schemars::JsonSchema)]
        pub enum $name { $($(#[$vmeta])* #[doc = concat!("`", $word, "`")] #[schemars(rename = $word)] $variant),+ }
        impl $crate::model::decode::Choice for $name {
            const NAMES: &'static [&'static str] = &[$($word),+];
            fn from_index(i: usize) -> Self {
                const ALL: &[$name] = &[$($name::$variant),+];
                ALL[i.min(ALL.len() - 1)]
            }
            fn name(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }
        impl $crate::model::decode::FieldSchema for $name {
            fn field_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
                <$name as schemars::JsonSchema>::json_schema(g)
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::model::decode::Choice::name(*self))
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::model::decode::Choice::name(*self))
            }
        }
    };
}
pub(crate) use choice;

/// Reads typed values out of one document, collecting every diagnostic.
#[derive(Debug)]
pub struct Decoder<'a> {
    file: &'a str,
    path: Vec<String>,
    /// Problems found so far.
    pub diags: Vec<Diagnostic>,
}

impl<'a> Decoder<'a> {
    /// A decoder for the document in `file`.
    pub fn new(file: &'a str) -> Self {
        Decoder {
            file,
            path: Vec::new(),
            diags: Vec::new(),
        }
    }

    /// The current field path, `threats[2].status` style.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            if !seg.starts_with('[') && !out.is_empty() {
                out.push('.');
            }
            out.push_str(seg);
        }
        out
    }

    /// The index of the list item being decoded (the last path segment, `[3]`).
    pub fn index(&self) -> Option<u32> {
        self.path
            .last()?
            .strip_prefix('[')?
            .strip_suffix(']')?
            .parse()
            .ok()
    }

    fn path_with(&self, key: &str) -> String {
        let base = self.path();
        if base.is_empty() {
            key.to_owned()
        } else {
            format!("{base}.{key}")
        }
    }

    /// Runs `f` with `key` appended to the path.
    pub fn at_key<T>(&mut self, key: &str, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push(key.to_owned());
        let out = f(self);
        self.path.pop();
        out
    }

    /// Runs `f` with `[i]` appended to the path.
    pub fn at_index<T>(&mut self, i: usize, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push(format!("[{i}]"));
        let out = f(self);
        self.path.pop();
        out
    }

    /// Records an error at `pos` for the current path.
    pub fn error(
        &mut self,
        code: &'static str,
        pos: Pos,
        len: usize,
        message: String,
        help: String,
    ) {
        let d = Diagnostic::error(code, self.file, message)
            .at(pos)
            .spanning(len)
            .with_path(self.path())
            .with_help(help);
        self.diags.push(d);
    }

    /// Checks that `node` is a mapping whose keys are all in `allowed`; every other key is
    /// an error with a suggestion. Returns whether it is a mapping.
    pub fn fields(&mut self, node: &Node, what: &str, allowed: &[&str]) -> bool {
        let Value::Map(entries) = &node.value else {
            self.error(
                "E0206",
                node.pos,
                1,
                format!("{what} must be a mapping of fields, found {}", node.shape()),
                format!(
                    "write `key: value` lines; {what} takes: {}",
                    allowed.join(", ")
                ),
            );
            return false;
        };
        for e in entries {
            if allowed.contains(&e.key.as_str()) {
                continue;
            }
            let help = match did_you_mean(&e.key, allowed.iter().copied()) {
                Some(m) => format!("did you mean `{m}`?"),
                None => format!("{what} takes: {}", allowed.join(", ")),
            };
            let path = self.path_with(&e.key);
            self.diags.push(
                Diagnostic::error(
                    "E0207",
                    self.file,
                    format!("unknown field `{}` in {what}", e.key),
                )
                .at(e.key_pos)
                .spanning(e.key.chars().count())
                .with_path(path)
                .with_help(help),
            );
        }
        true
    }

    fn wrong_shape(&mut self, node: &Node, expected: &str, help: &str) {
        self.error(
            "E0206",
            node.pos,
            1,
            format!(
                "`{}` must be {expected}, found {}",
                self.path(),
                node.shape()
            ),
            help.to_owned(),
        );
    }

    /// Reports a missing required field of the mapping `map`.
    pub fn missing(&mut self, map: &Node, key: &str, help: &str) {
        let pos = if map.pos.line == 0 {
            Pos::new(1, 1)
        } else {
            map.pos
        };
        let path = self.path_with(key);
        self.diags.push(
            Diagnostic::error(
                "E0209",
                self.file,
                format!("missing required field `{path}`"),
            )
            .at(pos)
            .with_path(path)
            .with_help(help.to_owned()),
        );
    }

    /// Text under `key`, if present (numbers and booleans are taken as their text).
    pub fn text(&mut self, map: &Node, key: &str) -> Option<At<String>> {
        let node = map.get(key)?;
        self.at_key(key, |d| d.text_node(node))
    }

    /// Text under `key`, required.
    pub fn req_text(&mut self, map: &Node, key: &str, help: &str) -> Option<At<String>> {
        let v = self.text(map, key).filter(|t| !t.value.trim().is_empty());
        if v.is_none()
            && map
                .get(key)
                .is_none_or(|n| matches!(n.value, Value::Null) || n.as_str().is_some())
        {
            self.missing(map, key, help);
        }
        v
    }

    /// The node itself as text.
    pub fn text_node(&mut self, node: &Node) -> Option<At<String>> {
        match &node.value {
            Value::Null => None,
            Value::Seq(_) | Value::Map(_) => {
                self.wrong_shape(node, "text", "write a single value");
                None
            }
            _ => node.scalar_text().map(|value| At {
                value,
                pos: node.pos,
                path: self.path(),
            }),
        }
    }

    /// A list of text values under `key` (a single value counts as a list of one).
    pub fn texts(&mut self, map: &Node, key: &str) -> Vec<At<String>> {
        let Some(node) = map.get(key) else {
            return Vec::new();
        };
        self.at_key(key, |d| match &node.value {
            Value::Null => Vec::new(),
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, n)| d.at_index(i, |d| d.text_node(n)))
                .collect(),
            Value::Map(_) => {
                d.wrong_shape(node, "a list", "write `[a, b]` or one `- a` line per entry");
                Vec::new()
            }
            _ => d.text_node(node).into_iter().collect(),
        })
    }

    /// A list of mappings under `key`, each decoded by `f` (called with the path at the entry).
    pub fn list<T>(
        &mut self,
        map: &Node,
        key: &str,
        mut f: impl FnMut(&mut Self, &Node) -> Option<T>,
    ) -> Vec<T> {
        let Some(node) = map.get(key) else {
            return Vec::new();
        };
        self.at_key(key, |d| match &node.value {
            Value::Null => Vec::new(),
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, n)| d.at_index(i, |d| f(d, n)))
                .collect(),
            _ => {
                d.wrong_shape(node, "a list", "write one `- ` entry per item");
                Vec::new()
            }
        })
    }

    /// A nested mapping under `key`, decoded by `f` (called with the path at the key).
    pub fn nested<T>(
        &mut self,
        map: &Node,
        key: &str,
        f: impl FnOnce(&mut Self, &Node) -> Option<T>,
    ) -> Option<T> {
        let node = map.get(key)?;
        if matches!(node.value, Value::Null) {
            return None;
        }
        self.at_key(key, |d| f(d, node))
    }

    /// A word from a fixed set under `key`.
    pub fn choice<C: Choice>(&mut self, map: &Node, key: &str) -> Option<At<C>> {
        let t = self.text(map, key)?;
        let lower = t.value.trim().to_ascii_lowercase();
        match C::NAMES.iter().position(|n| *n == lower) {
            Some(i) => Some(At {
                value: C::from_index(i),
                pos: t.pos,
                path: t.path,
            }),
            None => {
                let help = match did_you_mean(&lower, C::NAMES.iter().copied()) {
                    Some(m) => format!("did you mean `{m}`? allowed: {}", C::NAMES.join(", ")),
                    None => format!("allowed values: {}", C::NAMES.join(", ")),
                };
                self.at_key(key, |d| {
                    d.error(
                        "E0206",
                        t.pos,
                        t.value.chars().count(),
                        format!("`{}` is not a valid {key}", t.value),
                        help,
                    )
                });
                None
            }
        }
    }

    /// A required word from a fixed set.
    pub fn req_choice<C: Choice>(&mut self, map: &Node, key: &str) -> Option<At<C>> {
        if map.get(key).is_none() {
            self.missing(
                map,
                key,
                &format!("add `{key}:` with one of: {}", C::NAMES.join(", ")),
            );
            return None;
        }
        self.choice(map, key)
    }

    /// An ISO 8601 date under `key`; an impossible date is an error at its value.
    pub fn date(&mut self, map: &Node, key: &str) -> Option<At<jiff::civil::Date>> {
        let t = self.text(map, key)?;
        match super::fields::parse_date(&t.value) {
            Ok(value) => Some(At {
                value,
                pos: t.pos,
                path: t.path,
            }),
            Err(why) => {
                self.at_key(key, |d| {
                    d.error(
                        "E0206",
                        t.pos,
                        t.value.chars().count(),
                        format!("`{key}` is not a valid date: `{}` ({why})", t.value),
                        "write an ISO 8601 date that exists, such as 2026-10-02".to_owned(),
                    )
                });
                None
            }
        }
    }

    /// A required date.
    pub fn req_date(&mut self, map: &Node, key: &str) -> Option<At<jiff::civil::Date>> {
        if map.get(key).is_none() {
            self.missing(
                map,
                key,
                &format!("add `{key}:` with a date such as 2026-10-02"),
            );
            return None;
        }
        self.date(map, key)
    }

    /// A number under `key`.
    pub fn number(&mut self, map: &Node, key: &str) -> Option<At<f64>> {
        let node = map.get(key)?;
        let value = match node.value {
            Value::Int(i) => i as f64,
            Value::Float(f) if f.is_finite() => f,
            Value::Null => return None,
            _ => {
                self.at_key(key, |d| {
                    d.wrong_shape(node, "a number", "write a number such as 0.8")
                });
                return None;
            }
        };
        Some(At {
            value,
            pos: node.pos,
            path: self.path_with(key),
        })
    }

    /// A whole, non-negative number under `key`.
    pub fn count(&mut self, map: &Node, key: &str) -> Option<At<u32>> {
        let node = map.get(key)?;
        match node.value {
            Value::Int(i) if (0..=i64::from(u32::MAX)).contains(&i) => Some(At {
                value: u32::try_from(i).unwrap_or(u32::MAX),
                pos: node.pos,
                path: self.path_with(key),
            }),
            Value::Null => None,
            _ => {
                self.at_key(key, |d| {
                    d.wrong_shape(
                        node,
                        "a whole number of 0 or more",
                        "write a number such as 90",
                    )
                });
                None
            }
        }
    }

    /// A mapping of names to numbers under `key` (`global_importance: {age: 0.3}`).
    pub fn number_map(&mut self, map: &Node, key: &str) -> Vec<(String, At<f64>)> {
        let Some(node) = map.get(key) else {
            return Vec::new();
        };
        self.at_key(key, |d| match &node.value {
            Value::Map(entries) => entries
                .iter()
                .filter_map(|e| {
                    let holder = Node {
                        value: Value::Map(vec![e.clone()]),
                        pos: node.pos,
                    };
                    d.number(&holder, &e.key).map(|n| (e.key.clone(), n))
                })
                .collect(),
            Value::Null => Vec::new(),
            _ => {
                d.wrong_shape(
                    node,
                    "a mapping of names to numbers",
                    "write `name: 0.5` lines",
                );
                Vec::new()
            }
        })
    }

    /// A position for diagnostics about `key` of `map`: its value, else its key, else the map.
    pub fn pos_of(map: &Node, key: &str) -> Pos {
        map.entry(key).map_or(map.pos, |e| {
            if e.node.pos.line > 0 {
                e.node.pos
            } else {
                e.key_pos
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml;

    #[allow(unreachable_pub)]
    mod colour {
        super::choice!(Colour { Red = "red", DarkBlue = "dark-blue" });
    }
    use colour::Colour;

    #[test]
    fn paths_positions_and_every_error() {
        let doc = yaml::parse(
            "items:\n  - colour: red\n    when: 2026-02-30\n  - colour: blu\n    extra: 1\n",
            "f.yaml",
            0,
        )
        .unwrap();
        let mut d = Decoder::new("f.yaml");
        let colours: Vec<Option<At<Colour>>> = d.list(&doc, "items", |d, n| {
            d.fields(n, "an item", &["colour", "when"]);
            d.date(n, "when");
            Some(d.choice::<Colour>(n, "colour"))
        });
        assert_eq!(colours[0].as_ref().map(|c| c.value), Some(Colour::Red));
        assert!(colours[1].is_none());
        let got: Vec<_> = d
            .diags
            .iter()
            .map(|x| (x.code, x.line, x.column, x.path.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("E0206", 3, 11, "items[0].when"),
                ("E0207", 5, 5, "items[1].extra"),
                ("E0206", 4, 13, "items[1].colour"),
            ]
        );
        assert!(
            d.diags[2].help.contains("red, dark-blue"),
            "{}",
            d.diags[2].help
        );
    }
}
