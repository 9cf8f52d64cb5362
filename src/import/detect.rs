//! Recognising a report by its content. Only the top-level keys are read (a streaming
//! pass that skips every value), so detection costs little even on a 100 MB file.

/// The foreign formats Evidentia imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Bandit JSON (Python security linter).
    Bandit,
}

impl Format {
    /// Every format, for help texts.
    pub const ALL: &'static [Format] = &[Format::Bandit];

    /// A short name, used as a tag.
    pub fn name(self) -> &'static str {
        match self {
            Format::Bandit => "bandit",
        }
    }

    /// A human name.
    pub fn label(self) -> &'static str {
        match self {
            Format::Bandit => "Bandit JSON",
        }
    }
}

/// The top-level keys of a JSON object, without parsing the values.
pub(crate) fn top_level_keys(text: &str) -> Option<Vec<String>> {
    use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
    struct Keys;
    impl<'de> Visitor<'de> for Keys {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut keys = Vec::new();
            while let Some(k) = map.next_key::<String>()? {
                map.next_value::<IgnoredAny>()?;
                keys.push(k);
            }
            Ok(keys)
        }
    }
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if !trimmed.starts_with('{') {
        return None;
    }
    serde_json::Deserializer::from_str(trimmed)
        .deserialize_map(Keys)
        .ok()
}

/// The format of a report, or `None` for native files and anything unrecognised.
pub fn detect(text: &str) -> Option<Format> {
    let keys = top_level_keys(text)?;
    let has = |k: &str| keys.iter().any(|x| x == k);
    if has("kind") {
        return None;
    }
    if has("results") && has("generated_at") && has("metrics") {
        return Some(Format::Bandit);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_keys_not_names() {
        assert_eq!(
            detect(r#"{"errors": [], "generated_at": "x", "metrics": {}, "results": []}"#),
            Some(Format::Bandit)
        );
        assert_eq!(
            detect(r#"{"kind": "scan", "results": [], "generated_at": "x", "metrics": {}}"#),
            None
        );
        assert_eq!(detect("kind: scan\n"), None);
        assert_eq!(detect("[1, 2]"), None);
        assert_eq!(detect("{ broken"), None);
    }
}
