//! Small text rules every importer follows: empty text is no text, strings borrowed from
//! a large report stay borrowed, a title is one line, a date-time's date is its first ten
//! characters, and a reference is listed once.

use serde::Deserialize;
use serde::de::{Deserializer, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A string from the report, borrowed when it has no escapes, so a 100 MB report costs
/// little beyond its text and the findings it becomes.
#[derive(Deserialize)]
pub(crate) struct Text<'a>(#[serde(borrow)] pub(crate) Cow<'a, str>);

impl Text<'_> {
    /// The text as written.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A scalar read as text: strings as written, numbers and booleans spelled out, `null`
/// as nothing. A list or an object is an error (the file breaks its format there).
#[derive(Default)]
pub(crate) struct Loose(Option<String>);

impl Loose {
    /// The trimmed text, if any.
    pub(crate) fn get(&self) -> Option<&str> {
        trimmed(self.0.as_deref())
    }
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Loose;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("text or a number")
            }
            fn visit_str<E>(self, v: &str) -> Result<Loose, E> {
                Ok(Loose(Some(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Loose, E> {
                Ok(Loose(Some(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Loose, E> {
                Ok(Loose(Some(v.to_string())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Loose, E> {
                Ok(Loose(Some(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Loose, E> {
                Ok(Loose(Some(v.to_string())))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Loose, E> {
                Ok(Loose(Some(v.to_string())))
            }
            fn visit_unit<E>(self) -> Result<Loose, E> {
                Ok(Loose(None))
            }
            fn visit_none<E>(self) -> Result<Loose, E> {
                Ok(Loose(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Loose, D::Error> {
                Loose::deserialize(d)
            }
        }
        d.deserialize_any(V)
    }
}

/// Trimmed text, `None` when empty.
pub(crate) fn trimmed(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// The text of an optional string, trimmed, `None` when empty.
pub(crate) fn opt<S: AsRef<str>>(s: &Option<S>) -> Option<&str> {
    trimmed(s.as_ref().map(AsRef::as_ref))
}

/// An optional borrowed string as owned text, `None` when empty (kept untrimmed).
pub(crate) fn owned(t: Option<Text<'_>>) -> Option<String> {
    t.map(|t| t.0.into_owned()).filter(|s| !s.trim().is_empty())
}

/// The date of an ISO 8601 date-time (`2024-02-13T17:43:40Z`): its first ten characters.
pub(crate) fn date_prefix(s: &str) -> Option<jiff::civil::Date> {
    s.get(..10)?.parse().ok()
}

/// Adds a reference unless it is empty, the finding's own id, or listed already.
pub(crate) fn add_reference(references: &mut Vec<String>, id: &str, r: &str) {
    let r = r.trim();
    if !r.is_empty() && r != id && !references.iter().any(|x| x == r) {
        references.push(r.to_owned());
    }
}

/// One line of a description, at most about 200 characters, cut at a word.
pub fn headline(description: &str) -> String {
    const MAX: usize = 200;
    let line = description
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if line.chars().count() <= MAX {
        return line.to_owned();
    }
    let cut = line.char_indices().nth(MAX).map_or(line.len(), |(i, _)| i);
    let head = &line[..cut];
    let head = head.rfind(' ').map_or(head, |i| &head[..i]);
    format!("{} ...", head.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rules() {
        assert_eq!(opt(&Some(" x ".to_owned())), Some("x"));
        assert_eq!(opt(&Some("  ".to_owned())), None);
        assert_eq!(
            date_prefix("2024-02-13T17:43:40Z").unwrap().to_string(),
            "2024-02-13"
        );
        assert_eq!(date_prefix("2024"), None);
        let mut refs = Vec::new();
        for r in ["a", " a ", "", "ID", "b"] {
            add_reference(&mut refs, "ID", r);
        }
        assert_eq!(refs, ["a", "b"]);
        assert_eq!(headline("\n  first line\nsecond"), "first line");
    }
}
