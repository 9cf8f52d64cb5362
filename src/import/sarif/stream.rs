//! The streaming reader: runs, their tools and their results, each result made a
//! finding as soon as it is read.

use super::Out;
use super::results::finding;
use super::rules::{Rules, describe_rules};
use super::run::{image, repository, scanned, tool_name};
use super::types::{Invocation, Provenance, RunProperties, SarifResult, Str, Tool};
use crate::import::finding::Findings;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::sync::Arc;

/// The log is read as a stream: each run's `tool` is built first (every tool writes it
/// before `results`), then each result is turned into a finding as soon as it is read,
/// so the results themselves are never held all at once. A run whose `results` come
/// before its `tool` keeps them until the run ends.
pub(super) struct LogSeed<'o> {
    pub(super) out: &'o mut Out,
}

impl<'de> DeserializeSeed<'de> for LogSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LogSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a SARIF log")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let out = self.out;
        while let Some(key) = map.next_key::<Str<'de>>()? {
            if key.as_str() == "runs" {
                map.next_value_seed(RunsSeed { out: &mut *out })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// `runs`: an array of runs, or null.
struct RunsSeed<'o> {
    out: &'o mut Out,
}

impl<'de> DeserializeSeed<'de> for RunsSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for RunsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of runs")
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let out = self.out;
        let mut index = 0;
        while seq
            .next_element_seed(RunSeed {
                out: &mut *out,
                index,
            })?
            .is_some()
        {
            index += 1;
        }
        Ok(())
    }
}

/// One run: its tool, results, first invocation, provenance and properties.
struct RunSeed<'o> {
    out: &'o mut Out,
    index: usize,
}

impl<'de> DeserializeSeed<'de> for RunSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RunSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a run object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (out, run) = (self.out, self.index);
        let mut tool: Option<Tool<'de>> = None;
        let mut held: Option<Vec<SarifResult<'de>>> = None;
        let mut invocations: Option<Vec<Invocation<'de>>> = None;
        let mut provenance: Option<Vec<Provenance<'de>>> = None;
        let mut properties: Option<RunProperties<'de>> = None;
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "tool" => tool = map.next_value()?,
                "results" if tool.is_some() => {
                    let rules = Rules::of(tool.as_ref());
                    map.next_value_seed(ResultsSeed {
                        rules: &rules,
                        list: out.findings.shared.text(&format!("runs[{run}].results")),
                        findings: &mut out.findings,
                    })?;
                }
                "results" => held = map.next_value()?,
                "invocations" => invocations = map.next_value()?,
                "versionControlProvenance" => provenance = map.next_value()?,
                "properties" => properties = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if let Some(held) = held {
            let rules = Rules::of(tool.as_ref());
            let list = out.findings.shared.text(&format!("runs[{run}].results"));
            for (j, res) in held.iter().enumerate() {
                out.findings.push(finding(&rules, res), &list, j);
            }
        }
        describe_rules(tool.as_ref(), run, &mut out.rules);
        let name = tool_name(tool.as_ref());
        if !out.tools.iter().any(|t| t == name) {
            out.tools.push(name.to_owned());
        }
        if out.scanned.is_none() {
            out.scanned = scanned(invocations.as_deref(), run);
        }
        if out.repository.is_none() {
            out.repository = repository(provenance.as_deref(), run);
        }
        if out.image.is_none() {
            out.image = image(properties.as_ref(), run);
        }
        Ok(())
    }
}

/// A run's `results`, each made a finding as it is read.
struct ResultsSeed<'s, 'r, 'a> {
    rules: &'s Rules<'r, 'a>,
    /// `runs[RUN].results`.
    list: Arc<str>,
    findings: &'s mut Findings,
}

impl<'de> DeserializeSeed<'de> for ResultsSeed<'_, '_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for ResultsSeed<'_, '_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of results")
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut j = 0;
        while let Some(res) = seq.next_element::<SarifResult<'de>>()? {
            self.findings.push(finding(self.rules, &res), &self.list, j);
            j += 1;
        }
        Ok(())
    }
}
