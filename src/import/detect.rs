//! Recognising a report by its content. For JSON only the top-level keys are read (a
//! streaming pass that skips every value), so detection costs little even on a 100 MB
//! file; each format's module says which keys mark it.

pub use crate::model::ReportFormat as Format;

/// What a detector sees of a file: its top-level JSON keys (empty for YAML or anything
/// that is not a JSON object) and its text.
pub(crate) struct Probe<'a> {
    /// Top-level keys of a JSON object, in order.
    pub(crate) keys: Vec<String>,
    /// The whole text (YAML formats are recognised by their first keys).
    pub(crate) text: &'a str,
}

impl Probe<'_> {
    /// Whether the JSON object has the key.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k == key)
    }
}

/// A format's detector: does this file look like it?
type Detector = fn(&Probe<'_>) -> bool;

/// The detectors, tried in order; the first that accepts a file wins.
const DETECTORS: &[(Format, Detector)] = &[
    (Format::Sarif, super::sarif::detects),
    (Format::Semgrep, super::semgrep::detects),
    (Format::Trivy, super::trivy::detects),
    (Format::Grype, super::grype::detects),
    (Format::Bandit, super::bandit::detects),
    (Format::CycloneDx, super::cyclonedx::detects),
    (Format::Spdx, super::spdx::detects),
    (Format::ThreatDragon, super::threat_dragon::detects),
    (Format::Threagile, super::threagile::detects),
    (Format::Oscal, super::oscal::detects),
    (Format::ModelCard, super::model_card::detects),
    (Format::AiVerify, super::ai_verify::detects),
    (Format::RaiScorecard, super::rai_scorecard::detects),
];

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

/// The top-level keys of the first element of a JSON array whose first element is an
/// object (the rest is skipped without being built), for formats written as a bare array.
pub(crate) fn first_element_keys(text: &str) -> Option<Vec<String>> {
    use serde::de::{Deserialize, Deserializer, IgnoredAny, SeqAccess, Visitor};
    struct Keys(Vec<String>);
    impl<'de> Deserialize<'de> for Keys {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_map(KeyVisitor).map(Keys)
        }
    }
    struct KeyVisitor;
    impl<'de> Visitor<'de> for KeyVisitor {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut keys = Vec::new();
            while let Some(k) = map.next_key::<String>()? {
                map.next_value::<IgnoredAny>()?;
                keys.push(k);
            }
            Ok(keys)
        }
    }
    struct First;
    impl<'de> Visitor<'de> for First {
        type Value = Option<Vec<String>>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON array")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let first = seq.next_element::<Keys>()?.map(|k| k.0);
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(first)
        }
    }
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if !trimmed.starts_with('[') {
        return None;
    }
    serde_json::Deserializer::from_str(trimmed)
        .deserialize_seq(First)
        .ok()
        .flatten()
}

/// The format of a report, or `None` for native files (a top-level `kind`) and anything
/// unrecognised.
pub fn detect(text: &str) -> Option<Format> {
    let probe = Probe {
        keys: top_level_keys(text).unwrap_or_default(),
        text,
    };
    if probe.has("kind") || (probe.keys.is_empty() && is_native_yaml(text)) {
        return None;
    }
    DETECTORS.iter().find(|(_, d)| d(&probe)).map(|(f, _)| *f)
}

/// A YAML file whose first key line is `kind:` is native.
fn is_native_yaml(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("---"))
        .is_some_and(|l| l.starts_with("kind:"))
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
        assert_eq!(detect("# comment\nkind: scan\n"), None);
        assert_eq!(
            detect(r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}"#),
            Some(Format::CycloneDx)
        );
        assert_eq!(
            detect(r#"{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT"}"#),
            Some(Format::Spdx)
        );
        assert_eq!(detect(r#"{"bomFormat": "CycloneDX"}"#), None);
        assert_eq!(detect("[1, 2]"), None);
        assert_eq!(detect("{ broken"), None);
        assert_eq!(detect("[]"), None);
        assert_eq!(detect(r#"[{"a": 1}, 2]"#), None);
    }

    #[test]
    fn first_element_keys_skip_the_rest() {
        assert_eq!(
            first_element_keys(r#"[{"Target": "x", "Type": "npm"}, {"b": [1]}]"#),
            Some(vec!["Target".to_owned(), "Type".to_owned()])
        );
        assert_eq!(first_element_keys("[1, {}]"), None);
        assert_eq!(first_element_keys("[]"), None);
        assert_eq!(first_element_keys(r#"[{"a": 1}"#), None);
        assert_eq!(first_element_keys(r#"{"a": 1}"#), None);
    }
}
