//! SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format): the log most code
//! scanners write (CodeQL, Semgrep, Trivy, Grype, SpotBugs, Checkov, ...).
//!
//! One log becomes one `scan` item holding the results of every run. The log is read
//! once, as a stream, into the borrowed structs below: strings point into the file's text
//! wherever they need no unescaping, each result becomes a finding as soon as it is read
//! (see [`LogSeed`]), and every member the structs do not name (code flows, thread flows,
//! artifacts, graphs, web requests, snippets, fingerprints, notifications, ...) is
//! skipped as `serde::de::IgnoredAny`, scanned but never built. A broken log is read a
//! second time only to name the JSON path of the fault.
//!
//! How a result becomes a finding:
//! - **rule**: `ruleId`, else `rule.id`, else the `id` of the rule `ruleIndex` (or
//!   `rule.index`) points at. The rules are those of `tool.driver`, or of the
//!   `tool.extensions` entry `rule.toolComponent` names (by index, guid or name). When no
//!   index is given, or it points at a rule with another id, the rule is looked up by id
//!   (a hierarchical `CA2101/1` matches rule `CA2101`), in the driver and then in the
//!   extensions.
//! - **id**: the rule id, made unique in the scan (`RULE`, `RULE-2`, ...), so that
//!   `SCAN#RULE` covers every finding of a rule through the plain `rule` field; `result`
//!   when nothing names a rule.
//! - **title**: `message.text`, else `message.id` looked up in the rule's
//!   `messageStrings` (then the component's `globalMessageStrings`), with `{0}`, `{1}`,
//!   ... replaced by `message.arguments`; else the rule's `shortDescription`,
//!   `fullDescription` or `name`. A `message: null` is accepted. A title is one line, so
//!   a message of several lines (Trivy writes a small table) gives way to the rule's
//!   one-line description, else to its own first line.
//! - **severity**: a `security-severity` score (string or number) in the result's
//!   `properties`, else in the rule's, mapped by the CVSS bands; otherwise the level:
//!   error is high, warning medium, note low, none info. The level is the result's
//!   `level`, else `none` for a result whose `kind` is not `fail`, else the rule's
//!   `defaultConfiguration.level`, else warning.
//! - **location**: the first physical location's `uri` (with `:startLine` when its region
//!   has one), else the first logical location's `fullyQualifiedName` (or `name`).
//! - **status**, the first that applies: `kind` `pass` is fixed and `notApplicable` is
//!   not-affected; `baselineState` `absent` (in the baseline, gone now) is fixed; a
//!   suppression whose `status` is absent or `accepted` makes it suppressed, with that
//!   suppression's `justification` (suppressions all `underReview` or `rejected` leave it
//!   open); anything else is open.
//! - **references**: the rule's `helpUri`.
//!
//! The scan's tool is the names of the runs' drivers (`unknown tool` for a run without a
//! `tool` object), its date the first invocation's `endTimeUtc` (else `startTimeUtc`),
//! its target the first `versionControlProvenance[].repositoryUri`, else a run's
//! `properties.imageName` or first `properties.repoTags` entry (Trivy).

use super::detect::Probe;
use super::finding::{Findings, NewFinding, at, severity_score, severity_word};
use super::{Format, Report, json_error};
use crate::diag::Diagnostic;
use crate::model::Kind;
use crate::model::kinds::Body;
use crate::model::kinds::common::Severity;
use crate::model::kinds::scan::{FindingStatus, Rule as ScanRule, Scan};
use jiff::civil::Date;
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

/// Whether a file is SARIF: a top-level `version` and `runs` (never `$schema`, whose URL
/// varies from tool to tool).
pub(super) fn detects(p: &Probe<'_>) -> bool {
    p.has("version") && p.has("runs")
}

pub(super) fn import(text: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    let mut out = Out::default();
    let mut de = serde_json::Deserializer::from_str(text);
    match (LogSeed { out: &mut out }).deserialize(&mut de) {
        Ok(()) => Ok(out.report()),
        // Tracking the JSON path costs time, so only a broken log is read again with it.
        Err(plain) => {
            let mut track = serde_path_to_error::Track::new();
            let mut de = serde_json::Deserializer::from_str(text);
            let tracked = serde_path_to_error::Deserializer::new(&mut de, &mut track);
            let again = (LogSeed {
                out: &mut Out::default(),
            })
            .deserialize(tracked);
            Err(vec![match again {
                Err(e) => json_error(
                    Format::Sarif,
                    rel,
                    &serde_path_to_error::Error::new(track.path(), e),
                ),
                // Unreachable in practice: both reads see the same text.
                Ok(()) => Diagnostic::error(
                    "E0210",
                    rel,
                    format!("not a valid SARIF 2.1.0 report: {plain}"),
                ),
            }])
        }
    }
}

// ---------------------------------------------------------------------------------------
// The log, as far as findings need it. Every field is optional (and may be null), as
// real tools leave out or null even what the schema requires.

/// Text that borrows from the log unless it had escapes to undo.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Str<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

impl Str<'_> {
    fn as_str(&self) -> &str {
        &self.0
    }
}

/// A property-bag value, read loosely: a tool may put anything in a bag, so a value of an
/// unexpected type is kept as `Other` rather than failing the log.
#[derive(Debug)]
enum Loose<'a> {
    Str(Str<'a>),
    Num(f64),
    List(Vec<Loose<'a>>),
    Other,
}

impl<'de: 'a, 'a> Deserialize<'de> for Loose<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Loose<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Loose::Str(Str(Cow::Borrowed(s))))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Loose::Str(Str(Cow::Owned(s.to_owned()))))
            }
            fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
                Ok(Loose::Str(Str(Cow::Owned(s))))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
                Ok(Loose::Num(n as f64))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
                Ok(Loose::Num(n as f64))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
                Ok(Loose::Num(n))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Loose::Other)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Loose::Other)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Loose::Other)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                Loose::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(x) = seq.next_element()? {
                    items.push(x);
                }
                Ok(Loose::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Loose::Other)
            }
        }
        d.deserialize_any(V)
    }
}

impl Loose<'_> {
    fn text(&self) -> Option<&str> {
        match self {
            Loose::Str(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// A score given as a number or as numeric text.
    fn score(&self) -> Option<f64> {
        match self {
            Loose::Num(n) => Some(*n),
            Loose::Str(s) => s.as_str().trim().parse().ok(),
            _ => None,
        }
        .filter(|n: &f64| n.is_finite())
    }

    fn first_text(&self) -> Option<&str> {
        match self {
            Loose::List(items) => items.iter().find_map(Loose::text),
            other => other.text(),
        }
    }
}

/// The log is read as a stream: each run's `tool` is built first (every tool writes it
/// before `results`), then each result is turned into a finding as soon as it is read,
/// so the results themselves are never held all at once. A run whose `results` come
/// before its `tool` keeps them until the run ends.
struct LogSeed<'o> {
    out: &'o mut Out,
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

#[derive(Deserialize)]
struct Tool<'a> {
    #[serde(borrow)]
    driver: Option<Component<'a>>,
    #[serde(borrow)]
    extensions: Option<Vec<Component<'a>>>,
    /// Not in 2.1.0 (a driver's field), but some tools write the name here.
    #[serde(borrow)]
    name: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Component<'a> {
    #[serde(borrow)]
    name: Option<Str<'a>>,
    #[serde(borrow)]
    guid: Option<Str<'a>>,
    #[serde(borrow)]
    rules: Option<Vec<Rule<'a>>>,
    #[serde(borrow)]
    global_message_strings: Option<BTreeMap<Str<'a>, MessageString<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    #[serde(borrow)]
    id: Option<Str<'a>>,
    #[serde(borrow)]
    name: Option<Str<'a>>,
    #[serde(borrow)]
    short_description: Option<MessageString<'a>>,
    #[serde(borrow)]
    full_description: Option<MessageString<'a>>,
    #[serde(borrow)]
    message_strings: Option<BTreeMap<Str<'a>, MessageString<'a>>>,
    #[serde(borrow)]
    help_uri: Option<Str<'a>>,
    #[serde(borrow)]
    help: Option<Help<'a>>,
    #[serde(borrow)]
    default_configuration: Option<Configuration<'a>>,
    #[serde(borrow)]
    properties: Option<Properties<'a>>,
}

#[derive(Deserialize)]
struct MessageString<'a> {
    #[serde(borrow)]
    text: Option<Str<'a>>,
}

/// A rule's `help`: plain text and, from most tools, Markdown.
#[derive(Deserialize)]
struct Help<'a> {
    #[serde(borrow)]
    text: Option<Str<'a>>,
    #[serde(borrow)]
    markdown: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct Configuration<'a> {
    #[serde(borrow)]
    level: Option<Str<'a>>,
}

/// A property bag: only the security severity and the tags are read; every other
/// property is skipped.
#[derive(Deserialize)]
struct Properties<'a> {
    #[serde(borrow, rename = "security-severity")]
    security_severity: Option<Loose<'a>>,
    #[serde(borrow)]
    tags: Option<Vec<Loose<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties<'a> {
    #[serde(borrow)]
    image_name: Option<Loose<'a>>,
    #[serde(borrow)]
    repo_tags: Option<Loose<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    #[serde(borrow)]
    start_time_utc: Option<Str<'a>>,
    #[serde(borrow)]
    end_time_utc: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Provenance<'a> {
    #[serde(borrow)]
    repository_uri: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    #[serde(borrow)]
    rule_id: Option<Str<'a>>,
    rule_index: Option<i64>,
    #[serde(borrow)]
    rule: Option<RuleRef<'a>>,
    #[serde(borrow)]
    kind: Option<Str<'a>>,
    #[serde(borrow)]
    level: Option<Str<'a>>,
    #[serde(borrow)]
    message: Option<Message<'a>>,
    #[serde(borrow)]
    locations: Option<Place<'a>>,
    #[serde(borrow)]
    suppressions: Option<Vec<Suppression<'a>>>,
    #[serde(borrow)]
    baseline_state: Option<Str<'a>>,
    #[serde(borrow)]
    properties: Option<Properties<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RuleRef<'a> {
    #[serde(borrow)]
    id: Option<Str<'a>>,
    index: Option<i64>,
    #[serde(borrow)]
    tool_component: Option<ComponentRef<'a>>,
}

#[derive(Deserialize)]
struct ComponentRef<'a> {
    index: Option<i64>,
    #[serde(borrow)]
    guid: Option<Str<'a>>,
    #[serde(borrow)]
    name: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct Message<'a> {
    #[serde(borrow)]
    text: Option<Str<'a>>,
    #[serde(borrow)]
    id: Option<Str<'a>>,
    #[serde(borrow)]
    arguments: Option<Vec<Str<'a>>>,
}

/// What a finding keeps of `locations`: the first physical location's file and line and
/// the first logical location's name; the rest of the array is read and dropped.
#[derive(Default)]
struct Place<'a> {
    uri: Option<Str<'a>>,
    line: Option<u64>,
    logical: Option<Str<'a>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Place<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Place<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of locations")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut place = Place::default();
                while let Some(l) = seq.next_element::<Location<'de>>()? {
                    if place.uri.is_none()
                        && let Some(p) = l.physical_location
                        && let Some(uri) = p.artifact_location.and_then(|a| a.uri)
                    {
                        place.uri = Some(uri);
                        place.line = p.region.and_then(|r| r.start_line);
                    }
                    if place.logical.is_none() {
                        place.logical = l
                            .logical_locations
                            .into_iter()
                            .flatten()
                            .find_map(|x| x.fully_qualified_name.or(x.name));
                    }
                }
                Ok(place)
            }
        }
        d.deserialize_seq(V)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(borrow)]
    physical_location: Option<PhysicalLocation<'a>>,
    #[serde(borrow)]
    logical_locations: Option<Vec<LogicalLocation<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    #[serde(borrow)]
    artifact_location: Option<ArtifactLocation<'a>>,
    region: Option<Region>,
}

#[derive(Deserialize)]
struct ArtifactLocation<'a> {
    #[serde(borrow)]
    uri: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    #[serde(borrow)]
    fully_qualified_name: Option<Str<'a>>,
    #[serde(borrow)]
    name: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct Suppression<'a> {
    #[serde(borrow)]
    status: Option<Str<'a>>,
    #[serde(borrow)]
    justification: Option<Str<'a>>,
}

// ---------------------------------------------------------------------------------------
// Normalising.

const UNKNOWN_TOOL: &str = "unknown tool";

/// A run's rule tables: the driver's and each extension's, with an index by rule id.
struct Rules<'r, 'a> {
    components: Vec<Table<'r, 'a>>,
}

struct Table<'r, 'a> {
    component: Option<&'r Component<'a>>,
    by_id: HashMap<&'r str, usize>,
}

impl<'r, 'a> Table<'r, 'a> {
    fn of(component: Option<&'r Component<'a>>) -> Self {
        let rules = component
            .and_then(|c| c.rules.as_deref())
            .unwrap_or_default();
        let mut by_id = HashMap::with_capacity(rules.len());
        for (i, r) in rules.iter().enumerate() {
            if let Some(id) = &r.id {
                by_id.entry(id.as_str()).or_insert(i);
            }
        }
        Table { component, by_id }
    }

    fn rules(&self) -> &'r [Rule<'a>] {
        self.component
            .and_then(|c| c.rules.as_deref())
            .unwrap_or_default()
    }

    fn at(&self, index: Option<i64>) -> Option<&'r Rule<'a>> {
        let i = usize::try_from(index?).ok()?;
        self.rules().get(i)
    }

    /// The rule with the id, or the parent of a hierarchical id (`CA2101/1`).
    fn by_id(&self, id: &str) -> Option<&'r Rule<'a>> {
        let rules = self.rules();
        let mut key = id;
        loop {
            if let Some(&i) = self.by_id.get(key) {
                return rules.get(i);
            }
            key = key.rsplit_once('/')?.0;
        }
    }
}

impl<'r, 'a> Rules<'r, 'a> {
    /// Table 0 is the driver; table `i + 1` is extension `i`.
    fn of(tool: Option<&'r Tool<'a>>) -> Self {
        let mut components = vec![Table::of(tool.and_then(|t| t.driver.as_ref()))];
        for e in tool
            .and_then(|t| t.extensions.as_deref())
            .unwrap_or_default()
        {
            components.push(Table::of(Some(e)));
        }
        Rules { components }
    }

    /// The table a `toolComponent` reference names (by index, else guid, else name).
    fn component(&self, r: &ComponentRef<'_>) -> Option<&Table<'r, 'a>> {
        let extensions = &self.components[1..];
        if let Some(i) = r.index.and_then(|i| usize::try_from(i).ok()) {
            return extensions.get(i);
        }
        let named = |t: &&Table<'r, 'a>| {
            let Some(c) = t.component else { return false };
            match (&r.guid, &r.name) {
                (Some(g), _) => c.guid.as_ref().is_some_and(|x| x == g),
                (None, Some(n)) => c.name.as_ref().is_some_and(|x| x == n),
                (None, None) => false,
            }
        };
        self.components.iter().find(named)
    }

    /// The rule id of a result and, when the log describes it, the rule and the component
    /// that holds it.
    fn resolve<'x>(
        &'x self,
        res: &'x SarifResult<'a>,
    ) -> (
        Option<&'x str>,
        Option<&'r Rule<'a>>,
        Option<&'r Component<'a>>,
    ) {
        let reference = res.rule.as_ref();
        let index = res
            .rule_index
            .filter(|i| *i >= 0)
            .or_else(|| reference.and_then(|r| r.index).filter(|i| *i >= 0));
        let named = reference.and_then(|r| r.tool_component.as_ref());
        let table = match named {
            Some(c) => self.component(c),
            None => self.components.first(),
        };
        let id = res
            .rule_id
            .as_ref()
            .or_else(|| reference.and_then(|r| r.id.as_ref()))
            .map(Str::as_str);
        let by_index = table.and_then(|t| t.at(index));
        let rule = match (id, by_index) {
            (None, r) => r,
            (Some(id), Some(r)) if rule_matches(r, id) => Some(r),
            (Some(id), _) => table
                .and_then(|t| t.by_id(id))
                .or_else(|| {
                    // Lenient: a rule id without a component reference may still live
                    // in an extension.
                    named
                        .is_none()
                        .then(|| self.components.iter().find_map(|t| t.by_id(id)))
                        .flatten()
                })
                .or(by_index.filter(|r| r.id.is_none())),
        };
        let component = table.and_then(|t| t.component);
        let id = id.or_else(|| rule.and_then(|r| r.id.as_ref()).map(Str::as_str));
        (id, rule, component)
    }
}

fn rule_matches(rule: &Rule<'_>, id: &str) -> bool {
    match &rule.id {
        None => true,
        Some(r) => {
            let r = r.as_str();
            id == r || id.strip_prefix(r).is_some_and(|rest| rest.starts_with('/'))
        }
    }
}

/// `{0}`, `{1}`, ... replaced by the arguments, `{{` and `}}` by braces (SARIF 3.11.5).
fn format_message(template: &str, args: &[Str<'_>]) -> String {
    if args.is_empty() && !template.contains(['{', '}']) {
        return template.to_owned();
    }
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('{')
            && let Some(end) = tail.find('}')
            && let Ok(n) = tail[1..end].parse::<usize>()
            && let Some(arg) = args.get(n)
        {
            out.push_str(arg.as_str());
            rest = &tail[end + 1..];
            continue;
        }
        out.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

fn title(
    res: &SarifResult<'_>,
    rule: Option<&Rule<'_>>,
    component: Option<&Component<'_>>,
) -> Option<String> {
    let message = res.message.as_ref();
    let args = message
        .and_then(|m| m.arguments.as_deref())
        .unwrap_or_default();
    let text = message
        .and_then(|m| m.text.as_ref())
        .map(Str::as_str)
        .or_else(|| {
            let id = message?.id.as_ref()?;
            rule.and_then(|r| r.message_strings.as_ref())
                .and_then(|m| m.get(id))
                .or_else(|| component?.global_message_strings.as_ref()?.get(id))
                .and_then(|m| m.text.as_ref())
                .map(Str::as_str)
        });
    let described = || {
        let rule = rule?;
        [&rule.short_description, &rule.full_description]
            .into_iter()
            .find_map(|d| d.as_ref()?.text.as_ref())
            .or(rule.name.as_ref())
            .map(|s| s.as_str().trim())
            .filter(|s| !s.is_empty())
    };
    let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return described().map(str::to_owned);
    };
    let message = format_message(t, args);
    if !message.contains('\n') {
        return Some(message);
    }
    // A title is one line: a multi-line message (Trivy's "Package: ...\nInstalled
    // Version: ...") gives way to the rule's one-line description, else its first line.
    let first = || message.lines().map(str::trim).find(|l| !l.is_empty());
    described()
        .filter(|d| !d.contains('\n'))
        .or_else(first)
        .map(str::to_owned)
}

/// The result's level, defaulted as SARIF 3.27.10 says.
fn level<'x>(res: &'x SarifResult<'_>, rule: Option<&'x Rule<'_>>) -> &'x str {
    if let Some(l) = &res.level {
        return l.as_str();
    }
    if res.kind.as_ref().is_some_and(|k| k.as_str() != "fail") {
        return "none";
    }
    rule.and_then(|r| r.default_configuration.as_ref()?.level.as_ref())
        .map_or("warning", Str::as_str)
}

fn severity(res: &SarifResult<'_>, rule: Option<&Rule<'_>>) -> Severity {
    let score = |p: Option<&Properties<'_>>| p?.security_severity.as_ref()?.score();
    if let Some(s) = score(res.properties.as_ref()).or_else(|| score(rule?.properties.as_ref())) {
        return severity_score(s);
    }
    match level(res, rule) {
        "error" => Severity::High,
        "note" => Severity::Low,
        "none" => Severity::Info,
        other => severity_word(other).unwrap_or(Severity::Medium),
    }
}

/// The file (or logical location) and the line.
fn location<'x>(res: &'x SarifResult<'_>) -> (Option<&'x str>, Option<u64>) {
    let Some(place) = res.locations.as_ref() else {
        return (None, None);
    };
    match (&place.uri, &place.logical) {
        (Some(uri), _) => (Some(uri.as_str()), place.line),
        (None, logical) => (logical.as_ref().map(Str::as_str), None),
    }
}

fn status(res: &SarifResult<'_>) -> (Option<FindingStatus>, Option<String>) {
    match res.kind.as_ref().map(Str::as_str) {
        Some("pass") => return (Some(FindingStatus::Fixed), None),
        Some("notApplicable") => return (Some(FindingStatus::NotAffected), None),
        _ => {}
    }
    if res
        .baseline_state
        .as_ref()
        .is_some_and(|b| b.as_str() == "absent")
    {
        return (Some(FindingStatus::Fixed), None);
    }
    let accepted = res
        .suppressions
        .as_deref()
        .unwrap_or_default()
        .iter()
        .find(|s| s.status.as_ref().is_none_or(|x| x.as_str() == "accepted"));
    match accepted {
        Some(s) => (
            Some(FindingStatus::Suppressed),
            s.justification.as_ref().map(|j| j.as_str().to_owned()),
        ),
        None => (None, None),
    }
}

fn scanned(invocations: Option<&[Invocation<'_>]>, run: usize) -> Option<(Date, String)> {
    let inv = invocations?.first()?;
    let (field, text) = match (&inv.end_time_utc, &inv.start_time_utc) {
        (Some(e), _) => ("endTimeUtc", e),
        (None, Some(s)) => ("startTimeUtc", s),
        (None, None) => return None,
    };
    let date = text.as_str().get(..10)?.parse().ok()?;
    Some((date, format!("runs[{run}].invocations[0].{field}")))
}

fn repository(provenance: Option<&[Provenance<'_>]>, run: usize) -> Option<(String, String)> {
    provenance?.iter().enumerate().find_map(|(j, v)| {
        let uri = v.repository_uri.as_ref()?.as_str().trim();
        (!uri.is_empty()).then(|| {
            (
                uri.to_owned(),
                format!("runs[{run}].versionControlProvenance[{j}].repositoryUri"),
            )
        })
    })
}

fn image(p: Option<&RunProperties<'_>>, run: usize) -> Option<(String, String)> {
    let p = p?;
    p.image_name
        .as_ref()
        .and_then(Loose::text)
        .map(|t| (t, "imageName"))
        .filter(|(t, _)| !t.trim().is_empty())
        .or_else(|| Some((p.repo_tags.as_ref()?.first_text()?, "repoTags")))
        .filter(|(t, _)| !t.trim().is_empty())
        .map(|(t, f)| (t.trim().to_owned(), format!("runs[{run}].properties.{f}")))
}

fn tool_name<'x>(tool: Option<&'x Tool<'_>>) -> &'x str {
    tool.and_then(|t| {
        t.driver
            .as_ref()
            .and_then(|d| d.name.as_ref())
            .or(t.name.as_ref())
    })
    .map(|n| n.as_str().trim())
    .filter(|n| !n.is_empty())
    .unwrap_or(UNKNOWN_TOOL)
}

/// One result as a finding.
fn finding(rules: &Rules<'_, '_>, res: &SarifResult<'_>) -> NewFinding {
    let (id, rule, component) = rules.resolve(res);
    let (status, justification) = status(res);
    let (location, line) = location(res);
    NewFinding {
        id: id.unwrap_or("result").to_owned(),
        rule: id.map(str::to_owned),
        severity: Some(severity(res, rule)),
        title: title(res, rule, component),
        location: location.map(str::to_owned),
        line,
        fixed_version: None,
        references: rule
            .and_then(|r| r.help_uri.as_ref())
            .map(|u| u.as_str().to_owned())
            .into_iter()
            .collect(),
        status,
        justification,
        severity_key: Default::default(),
    }
}

fn text_of<'x>(m: &'x Option<MessageString<'_>>) -> Option<&'x str> {
    m.as_ref()?.text.as_ref().map(Str::as_str)
}

/// The rules of a run's driver and extensions, each id once (the first run's wins).
fn describe_rules(tool: Option<&Tool<'_>>, run: usize, out: &mut Vec<ScanRule>) {
    let Some(tool) = tool else { return };
    let components = std::iter::once(("driver".to_owned(), tool.driver.as_ref())).chain(
        tool.extensions
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, e)| (format!("extensions[{i}]"), Some(e))),
    );
    for (name, c) in components {
        for (i, r) in c
            .and_then(|c| c.rules.as_deref())
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let Some(id) =
                r.id.as_ref()
                    .map(|x| x.as_str().trim())
                    .filter(|x| !x.is_empty())
            else {
                continue;
            };
            if out.iter().any(|x| x.id.value == id) {
                continue;
            }
            let path = format!("runs[{run}].tool.{name}.rules[{i}]");
            let field = |v: Option<&str>, f: &str| super::finding::text(v, &format!("{path}.{f}"));
            let help = r.help.as_ref();
            let level = r
                .default_configuration
                .as_ref()
                .and_then(|c| c.level.as_ref());
            let score = r
                .properties
                .as_ref()
                .and_then(|p| p.security_severity.as_ref()?.score());
            let severity = score.map(severity_score).or_else(|| {
                level.map(|l| match l.as_str() {
                    "error" => Severity::High,
                    "note" => Severity::Low,
                    "none" => Severity::Info,
                    other => severity_word(other).unwrap_or(Severity::Medium),
                })
            });
            let description = text_of(&r.short_description).or(text_of(&r.full_description));
            let full = text_of(&r.full_description).filter(|f| Some(*f) != description);
            out.push(ScanRule {
                id: at(id.to_owned(), format!("{path}.id")),
                name: field(r.name.as_ref().map(Str::as_str), "name"),
                description: field(description, "shortDescription.text"),
                help: field(
                    help.and_then(|h| h.markdown.as_ref()).map(Str::as_str),
                    "help.markdown",
                ),
                help_text: field(
                    help.and_then(|h| h.text.as_ref()).map(Str::as_str).or(full),
                    "help.text",
                ),
                help_uri: field(r.help_uri.as_ref().map(Str::as_str), "helpUri"),
                severity: severity.map(|s| at(s, format!("{path}.properties.security-severity"))),
                tags: r
                    .properties
                    .as_ref()
                    .and_then(|p| p.tags.as_ref())
                    .into_iter()
                    .flatten()
                    .filter_map(Loose::text)
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .enumerate()
                    .map(|(j, t)| at(t.to_owned(), format!("{path}.properties.tags[{j}]")))
                    .collect(),
            });
        }
    }
}

/// What the runs of a log add up to.
#[derive(Default)]
struct Out {
    findings: Findings,
    rules: Vec<ScanRule>,
    /// Each run's tool name, once.
    tools: Vec<String>,
    scanned: Option<(Date, String)>,
    repository: Option<(String, String)>,
    image: Option<(String, String)>,
}

impl Out {
    fn report(self) -> Report {
        let Out {
            findings,
            rules,
            mut tools,
            scanned,
            repository,
            image,
        } = self;
        let findings = findings.finish();
        if tools.is_empty() {
            tools.push(UNKNOWN_TOOL.to_owned());
        }
        let tool = tools.join(", ");
        let n = findings.len();
        Report {
            kind: Kind::Scan,
            title: format!("{tool} scan ({n} finding{})", if n == 1 { "" } else { "s" }),
            updated: scanned.as_ref().map(|(d, _)| *d),
            body: Body::Scan(Scan {
                rules,
                tool: Some(at(tool, "runs[0].tool.driver.name")),
                target: repository.or(image).map(|(t, p)| at(t, p)),
                scanned: scanned.map(|(d, p)| at(d, p)),
                report: None,
                findings,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::detect;
    use crate::model::kinds::scan::Finding;

    fn scan(text: &str) -> (Report, Vec<Finding>) {
        let mut r = import(text, "evidence/x.sarif").unwrap();
        let Body::Scan(s) = &mut r.body else {
            panic!("not a scan")
        };
        let f = std::mem::take(&mut s.findings);
        (r, f)
    }

    fn v<T: ToString>(x: &Option<T>) -> Option<String> {
        x.as_ref().map(ToString::to_string)
    }

    #[test]
    fn detects_by_version_and_runs() {
        assert_eq!(
            detect(r#"{"version": "2.1.0", "runs": []}"#),
            Some(Format::Sarif)
        );
        assert_eq!(
            detect(
                r#"{"$schema": "https://example.org/other.json", "runs": [], "version": "2.1.0"}"#
            ),
            Some(Format::Sarif)
        );
        assert_eq!(
            detect(r#"{"$schema": "https://json.schemastore.org/sarif-2.1.0.json"}"#),
            None
        );
    }

    #[test]
    fn rules_in_extensions_by_component_index_guid_and_id() {
        let text = r#"{"version": "2.1.0", "runs": [{"tool": {
            "driver": {"name": "CodeQL", "guid": "d"},
            "extensions": [{"name": "other"}, {"name": "pack", "guid": "g1", "rules": [
              {"id": "js/a", "shortDescription": {"text": "A rule"}, "helpUri": "https://h/a",
               "defaultConfiguration": {"level": "error"}},
              {"id": "js/b", "defaultConfiguration": {"level": "note"}}]}]},
          "results": [
            {"ruleIndex": 1, "rule": {"toolComponent": {"index": 1}}, "message": {"text": "b here"}},
            {"rule": {"index": 0, "toolComponent": {"guid": "g1"}}, "message": {"text": "a here"}},
            {"rule": {"id": "js/b", "toolComponent": {"name": "pack"}}, "message": {"text": "b"}},
            {"ruleId": "js/a", "message": {"text": "a, no component"}},
            {"ruleId": "js/a", "rule": {"index": 1, "toolComponent": {"index": 1}}, "message": {}}
          ]}]}"#;
        let (r, f) = scan(text);
        let rules: Vec<_> = f.iter().map(|x| v(&x.rule).unwrap()).collect();
        assert_eq!(rules, ["js/b", "js/a", "js/b", "js/a", "js/a"]);
        let ids: Vec<_> = f.iter().map(|x| x.id.to_string().clone()).collect();
        assert_eq!(ids, ["js/b", "js/a", "js/b-2", "js/a-2", "js/a-3"]);
        let sev: Vec<_> = f.iter().map(|x| x.severity.unwrap()).collect();
        use Severity::*;
        assert_eq!(sev, [Low, High, Low, High, High]);
        // The rule's description stands in for an empty message; helpUri is a reference.
        assert_eq!(v(&f[4].title).as_deref(), Some("A rule"));
        assert_eq!(&*f[3].references()[0], "https://h/a");
        assert_eq!(r.title, "CodeQL scan (5 findings)");
    }

    #[test]
    fn message_ids_with_arguments_and_null_messages() {
        let text = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "SpotBugs",
            "globalMessageStrings": {"g": {"text": "global {0}"}},
            "rules": [{"id": "DM", "shortDescription": {"text": "Default encoding"},
              "messageStrings": {"default": {"text": "Found {0}: {1} in {{braces}} {7}"}}}]}},
          "results": [
            {"ruleId": "DM", "ruleIndex": 0, "level": "note",
             "message": {"id": "default", "arguments": ["Boot.main", "new FileWriter"]}},
            {"ruleId": "DM", "message": null},
            {"ruleId": "DM", "message": {"id": "g", "arguments": ["x"]}},
            {"ruleId": "NONE", "message": null},
            {"ruleId": "DM", "message": {"text": "text {0}", "arguments": ["wins"]}}
          ]}]}"#;
        let (_, f) = scan(text);
        let titles: Vec<_> = f.iter().map(|x| v(&x.title)).collect();
        assert_eq!(
            titles,
            [
                Some("Found Boot.main: new FileWriter in {braces} {7}".to_owned()),
                Some("Default encoding".to_owned()),
                Some("global x".to_owned()),
                None,
                Some("text wins".to_owned()),
            ]
        );
        assert_eq!(f[0].severity, Some(Severity::Low));
        // No level and no rule default: warning.
        assert_eq!(f[3].severity, Some(Severity::Medium));
    }

    #[test]
    fn security_severity_beats_level() {
        let text = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "grype",
            "rules": [{"id": "CVE-1", "properties": {"security-severity": "9.8"}},
                      {"id": "CVE-2", "properties": {"security-severity": 5}},
                      {"id": "CVE-3", "properties": {"security-severity": "n/a", "tags": [1, {"a": null}]}},
                      {"id": "CVE-4", "properties": null}]}},
          "results": [
            {"ruleId": "CVE-1", "level": "note"},
            {"ruleId": "CVE-2", "level": "error"},
            {"ruleId": "CVE-3", "level": "error"},
            {"ruleId": "CVE-4", "level": "none"},
            {"ruleId": "CVE-4", "properties": {"security-severity": 7.5}},
            {"ruleId": "CVE-4", "kind": "informational"}
          ]}]}"#;
        let (_, f) = scan(text);
        let sev: Vec<_> = f.iter().map(|x| x.severity.unwrap()).collect();
        use Severity::*;
        assert_eq!(sev, [Critical, Medium, High, Info, High, Info]);
    }

    #[test]
    fn suppressions_baseline_and_kind_set_the_status() {
        let text = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T"}}, "results": [
            {"ruleId": "R", "suppressions": [{"kind": "external", "status": "accepted", "justification": "test key"}]},
            {"ruleId": "R", "suppressions": [{"kind": "inSource"}]},
            {"ruleId": "R", "suppressions": [{"kind": "external", "status": "underReview"}]},
            {"ruleId": "R", "suppressions": [{"status": "rejected"}, {"status": "accepted", "justification": "ok"}]},
            {"ruleId": "R", "baselineState": "absent"},
            {"ruleId": "R", "baselineState": "unchanged", "suppressions": []},
            {"ruleId": "R", "kind": "pass"},
            {"ruleId": "R", "kind": "notApplicable"}
          ]}]}"#;
        let (_, f) = scan(text);
        use FindingStatus::*;
        let st: Vec<_> = f.iter().map(Finding::status).collect();
        assert_eq!(
            st,
            [
                Suppressed,
                Suppressed,
                Open,
                Suppressed,
                Fixed,
                Open,
                Fixed,
                NotAffected
            ]
        );
        assert_eq!(v(&f[0].justification).as_deref(), Some("test key"));
        assert_eq!(v(&f[3].justification).as_deref(), Some("ok"));
        assert_eq!(v(&f[1].justification), None);
    }

    #[test]
    fn a_multi_line_message_gives_way_to_a_one_line_title() {
        let text = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Trivy", "rules": [
            {"id": "CVE-1", "shortDescription": {"text": "openssl: fork leak"}}]}},
          "results": [
            {"ruleId": "CVE-1", "message": {"text": "Package: libssl\nInstalled Version: 1"}},
            {"ruleId": "CVE-2", "message": {"text": "\n  First line\nsecond"}}
          ]}]}"#;
        let (_, f) = scan(text);
        assert_eq!(v(&f[0].title).as_deref(), Some("openssl: fork leak"));
        assert_eq!(v(&f[1].title).as_deref(), Some("First line"));
    }

    #[test]
    fn results_before_the_tool_still_find_their_rules() {
        let text = r#"{"runs": [{"results": [{"ruleIndex": 0, "message": {"id": "m", "arguments": ["x"]}}],
            "tool": {"driver": {"name": "T", "rules": [{"id": "R", "helpUri": "https://h",
              "messageStrings": {"m": {"text": "bad {0}"}}}]}}}], "version": "2.1.0"}"#;
        let (r, f) = scan(text);
        assert_eq!(v(&f[0].rule).as_deref(), Some("R"));
        assert_eq!(v(&f[0].title).as_deref(), Some("bad x"));
        assert_eq!(r.title, "T scan (1 finding)");
        let (r, f) = scan(r#"{"version": "2.1.0", "runs": null}"#);
        assert!(f.is_empty());
        assert_eq!(r.title, "unknown tool scan (0 findings)");
    }

    #[test]
    fn runs_without_tool_and_locations() {
        let text = r#"{"version": "2.1.0", "runs": [
          {"results": [{"ruleId": "CKV_1", "ruleIndex": 0, "level": "error", "message": {"text": "m"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a\/b.yaml"},
              "region": {"startLine": 2, "snippet": {"text": "x"}}}}]}]},
          {"tool": {"driver": {"name": "grype"}}, "results": [
            {"ruleId": "CVE-9", "locations": [{"logicalLocations": [{"name": "n", "fullyQualifiedName": "img@:/f"}]}]},
            {"ruleId": "CVE-9", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "c.txt"}}}]},
            {"ruleId": "CVE-9", "locations": []}]},
          {"tool": {"driver": {"name": "grype"}}, "results": null}
        ]}"#;
        let (r, f) = scan(text);
        assert_eq!(r.title, "unknown tool, grype scan (4 findings)");
        let locs: Vec<_> = f.iter().map(|x| v(&x.location)).collect();
        assert_eq!(
            locs,
            [
                Some("a/b.yaml:2".to_owned()),
                Some("img@:/f".to_owned()),
                Some("c.txt".to_owned()),
                None
            ]
        );
        assert_eq!(f[0].at.path(), "runs[0].results[0]");
        assert_eq!(f[1].at.path(), "runs[1].results[0]");
    }

    #[test]
    fn date_and_target() {
        let text = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Trivy"}},
            "invocations": [{"startTimeUtc": "2024-05-01T10:00:00Z", "endTimeUtc": "2024-05-02T00:00:01Z",
              "toolExecutionNotifications": [{"message": {"text": "big"}}]}],
            "properties": {"imageName": "alpine:3.10", "repoTags": ["alpine:3.10"], "repoDigests": null},
            "results": []}]}"#;
        let (r, _) = scan(text);
        assert_eq!(r.updated.unwrap().to_string(), "2024-05-02");
        let Body::Scan(s) = &r.body else { panic!() };
        assert_eq!(v(&s.target).as_deref(), Some("alpine:3.10"));
        assert_eq!(v(&s.tool).as_deref(), Some("Trivy"));
        assert_eq!(r.title, "Trivy scan (0 findings)");

        let text = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "CodeQL"}},
            "properties": {"repoTags": ["img:1"]},
            "versionControlProvenance": [{"repositoryUri": "https://github.com/o/r"}],
            "invocations": [{"startTimeUtc": "2023-01-02T00:00:00Z"}],
            "results": [{"ruleId": "x"}]}]}"#;
        let (r, _) = scan(text);
        let Body::Scan(s) = &r.body else { panic!() };
        assert_eq!(v(&s.target).as_deref(), Some("https://github.com/o/r"));
        assert_eq!(r.updated.unwrap().to_string(), "2023-01-02");
        assert_eq!(r.title, "CodeQL scan (1 finding)");

        let text = r#"{"version": "2.1.0", "runs": [{"properties": {"repoTags": ["img:1"]}}]}"#;
        let (r, _) = scan(text);
        let Body::Scan(s) = &r.body else { panic!() };
        assert_eq!(v(&s.target).as_deref(), Some("img:1"));
        assert!(r.updated.is_none());
    }

    #[test]
    fn hierarchical_rule_ids_and_missing_rules() {
        let text = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "PM",
            "rules": [{"id": "CSCAN0060", "helpUri": "https://h"}]}},
            "results": [{"ruleId": "CSCAN0060/0", "message": null}, {"message": {"text": "no rule"}}]}]}"#;
        let (_, f) = scan(text);
        assert_eq!(v(&f[0].rule).as_deref(), Some("CSCAN0060/0"));
        assert_eq!(&*f[0].references()[0], "https://h");
        assert_eq!(f[1].id.to_string(), "result");
        assert_eq!(v(&f[1].rule), None);
    }

    #[test]
    fn formats_placeholders() {
        let a = [Str(Cow::Borrowed("x")), Str(Cow::Borrowed("y"))];
        assert_eq!(format_message("{1}{0} {2} {a} {", &a), "yx {2} {a} {");
        assert_eq!(format_message("}} {{0}} {0}", &a), "} {0} x");
        assert_eq!(format_message("plain", &[]), "plain");
    }

    #[test]
    fn a_broken_log_names_the_field() {
        let d = import(
            r#"{"version": "2.1.0", "runs": [{"results": [{"ruleId": "a"}, {"ruleId": 7}]}]}"#,
            "evidence/b.sarif",
        )
        .unwrap_err();
        assert_eq!(d[0].code, "E0210");
        assert_eq!(d[0].path, "runs[0].results[1].ruleId");
        let d = import(r#"{"version": "2.1.0", "runs": {}}"#, "evidence/b.sarif").unwrap_err();
        assert_eq!(d[0].path, "runs");
    }
}
