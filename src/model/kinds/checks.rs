//! The checks of a rubric criterion (DESIGN 3.6), read once when the rubric is read so
//! that a misspelt built-in, a malformed argument, a check on the wrong kind or a broken
//! expression is reported at its line rather than turning every learner's verdict into
//! a failure nobody can explain.

use super::common::Severity;
use crate::diag::Pos;
use crate::model::decode::{Choice, Decoder};
use crate::model::{Kind, Node, Value};
use serde::{Serialize, Serializer};

/// What a check's argument must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// No argument: the check is written as a bare word.
    None,
    /// A whole number (`min-count: 2`).
    Count,
    /// A mapping of severities to counts (`max-open-findings: {critical: 0, high: 0}`).
    Severities,
    /// One word (`signed-off-by: security-lead`).
    Word,
    /// A list of threat categories.
    Categories,
    /// An optional number of days (`review-current` or `review-current: 90`).
    OptionalDays,
}

/// One built-in check: its name, argument, the kinds it applies to and what passing means.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    /// The name written in the rubric.
    pub name: &'static str,
    /// Its argument.
    pub arg: Arg,
    /// The kinds of evidence it reads; empty for any kind.
    pub kinds: &'static [Kind],
    /// What passing means, for `evidentia explain` style help and the rubric page.
    pub meaning: &'static str,
}

/// Every built-in check, in the order help texts list them.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "min-count",
        arg: Arg::Count,
        kinds: &[],
        meaning: "the claim cites at least n error-free items of the required kind",
    },
    Builtin {
        name: "stride-coverage",
        arg: Arg::None,
        kinds: &[Kind::ThreatModel],
        meaning: "the threat model has a threat in each of the six STRIDE categories",
    },
    Builtin {
        name: "threat-categories",
        arg: Arg::Categories,
        kinds: &[Kind::ThreatModel],
        meaning: "the threat model has a threat in each listed category",
    },
    Builtin {
        name: "atlas-mapped",
        arg: Arg::Count,
        kinds: &[Kind::ThreatModel],
        meaning: "at least n threats cite a MITRE ATLAS technique",
    },
    Builtin {
        name: "all-threats-resolved",
        arg: Arg::None,
        kinds: &[Kind::ThreatModel],
        meaning: "every threat is mitigated, transferred, false-positive, or accepted with a current acceptance",
    },
    Builtin {
        name: "mitigations-owned",
        arg: Arg::None,
        kinds: &[Kind::ThreatModel, Kind::Tabletop],
        meaning: "every mitigation or action not yet done has an owner and a due date",
    },
    Builtin {
        name: "max-open-findings",
        arg: Arg::Severities,
        kinds: &[Kind::Scan, Kind::Sbom],
        meaning: "at most that many open findings of each severity (covered, suppressed, fixed and not-affected findings are not open)",
    },
    Builtin {
        name: "disparities-within-threshold",
        arg: Arg::None,
        kinds: &[Kind::Fairness],
        meaning: "every disparity is within its threshold",
    },
    Builtin {
        name: "has-explainability",
        arg: Arg::None,
        kinds: &[Kind::Fairness],
        meaning: "the result has an explainability section with at least one feature importance",
    },
    Builtin {
        name: "review-current",
        arg: Arg::OptionalDays,
        kinds: &[Kind::Fairness, Kind::Packet],
        meaning: "the review is younger than its cadence (a packet: an approving sign-off younger than n days, 365 by default)",
    },
    Builtin {
        name: "signed-off-by",
        arg: Arg::Word,
        kinds: &[Kind::Packet],
        meaning: "the packet holds an approving sign-off by that role",
    },
    Builtin {
        name: "min-approvers",
        arg: Arg::Count,
        kinds: &[Kind::Exception],
        meaning: "the exception was approved by at least n different people",
    },
    Builtin {
        name: "time-boxed",
        arg: Arg::Count,
        kinds: &[Kind::Exception],
        meaning: "the exception expires at most n days after its approval, and has not expired",
    },
];

/// The built-in named `name`.
pub fn builtin(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

/// What a check tests.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// `min-count: n`.
    MinCount(u32),
    /// `stride-coverage`.
    StrideCoverage,
    /// `threat-categories: [..]`.
    ThreatCategories(Vec<super::common::Category>),
    /// `atlas-mapped: n`.
    AtlasMapped(u32),
    /// `all-threats-resolved`.
    AllThreatsResolved,
    /// `mitigations-owned`.
    MitigationsOwned,
    /// `max-open-findings: {severity: n}`, most severe first.
    MaxOpenFindings(Vec<(Severity, u32)>),
    /// `disparities-within-threshold`.
    DisparitiesWithinThreshold,
    /// `has-explainability`.
    HasExplainability,
    /// `review-current` (days for packets).
    ReviewCurrent(Option<u32>),
    /// `signed-off-by: ROLE`.
    SignedOffBy(String),
    /// `min-approvers: n`.
    MinApprovers(u32),
    /// `time-boxed: n`.
    TimeBoxed(u32),
    /// `expr:` with its `explain:` text.
    Expr {
        /// The MiniJinja expression.
        source: String,
        /// What passing means, in words.
        explain: Option<String>,
    },
}

/// One check of a criterion.
#[derive(Debug, Clone)]
pub struct Check {
    /// What it tests.
    pub test: Test,
    /// The check as written (shown on the rubric page and by `show`).
    pub written: Node,
    /// Where it is written.
    pub pos: Pos,
    /// Its field path (`criteria[1].checks[0]`).
    pub path: String,
}

impl Serialize for Check {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.written.serialize(s)
    }
}

impl Test {
    /// The check's name as written (`stride-coverage`, `expr`).
    pub fn name(&self) -> &'static str {
        match self {
            Test::MinCount(_) => "min-count",
            Test::StrideCoverage => "stride-coverage",
            Test::ThreatCategories(_) => "threat-categories",
            Test::AtlasMapped(_) => "atlas-mapped",
            Test::AllThreatsResolved => "all-threats-resolved",
            Test::MitigationsOwned => "mitigations-owned",
            Test::MaxOpenFindings(_) => "max-open-findings",
            Test::DisparitiesWithinThreshold => "disparities-within-threshold",
            Test::HasExplainability => "has-explainability",
            Test::ReviewCurrent(_) => "review-current",
            Test::SignedOffBy(_) => "signed-off-by",
            Test::MinApprovers(_) => "min-approvers",
            Test::TimeBoxed(_) => "time-boxed",
            Test::Expr { .. } => "expr",
        }
    }
}

impl Check {
    /// The check's name (`stride-coverage`, `expr`).
    pub fn name(&self) -> &'static str {
        self.test.name()
    }

    /// The kinds of evidence the check reads (empty: any).
    pub fn kinds(&self) -> &'static [Kind] {
        builtin(self.name()).map_or(&[], |b| b.kinds)
    }
}

fn builtin_names() -> String {
    let mut names: Vec<&str> = BUILTINS.iter().map(|b| b.name).collect();
    names.push("expr (with explain)");
    names.join(", ")
}

/// Decodes the `checks` list of a criterion whose evidence must be of `required` kind.
pub fn decode(d: &mut Decoder<'_>, criterion: &Node, required: Option<Kind>) -> Vec<Check> {
    let Some(list) = criterion.get("checks") else {
        return Vec::new();
    };
    d.at_key("checks", |d| match &list.value {
        Value::Null => Vec::new(),
        Value::Seq(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| d.at_index(i, |d| one(d, n, required)))
            .collect(),
        // A single check written without a list.
        _ => one(d, list, required).into_iter().collect(),
    })
}

fn one(d: &mut Decoder<'_>, n: &Node, required: Option<Kind>) -> Option<Check> {
    let (name, name_pos, arg) = match &n.value {
        Value::Str(s) => (s.trim().to_owned(), n.pos, None),
        Value::Map(entries) if n.get("expr").is_some() => {
            return expr(d, n, entries);
        }
        Value::Map(entries) if entries.len() == 1 => {
            let e = &entries[0];
            (e.key.trim().to_owned(), e.key_pos, Some(&e.node))
        }
        _ => {
            d.error(
                "E0502",
                n.pos,
                1,
                format!(
                    "a check must be a name or `name: argument`, found {}",
                    n.shape()
                ),
                format!(
                    "write one check per `- ` line; built-in checks: {}",
                    builtin_names()
                ),
            );
            return None;
        }
    };
    let Some(b) = builtin(&name) else {
        let help = match crate::diag::did_you_mean(&name, BUILTINS.iter().map(|b| b.name)) {
            Some(m) => format!("did you mean `{m}`? built-in checks: {}", builtin_names()),
            None => format!("built-in checks: {}", builtin_names()),
        };
        d.error(
            "E0501",
            name_pos,
            name.chars().count().max(1),
            format!("unknown check `{name}`"),
            help,
        );
        return None;
    };
    if let Some(kind) = required
        && !b.kinds.is_empty()
        && !b.kinds.contains(&kind)
    {
        let kinds: Vec<&str> = b.kinds.iter().map(|k| k.name()).collect();
        d.error(
            "E0504",
            name_pos,
            name.chars().count(),
            format!(
                "check `{name}` reads {} evidence, but the criterion requires {}",
                kinds.join(" or "),
                kind.name()
            ),
            format!(
                "use a check that applies to {} evidence, or require {} in `requires.kind`",
                kind.name(),
                kinds.join(" or ")
            ),
        );
        return None;
    }
    let test = argument(d, b, arg, name_pos)?;
    Some(Check {
        test,
        written: n.clone(),
        pos: name_pos,
        path: d.path(),
    })
}

/// The test a built-in check names, from its argument; E0502 when the argument is not
/// the shape the check takes.
fn argument(d: &mut Decoder<'_>, b: &Builtin, arg: Option<&Node>, pos: Pos) -> Option<Test> {
    let name = b.name;
    let arg = arg.filter(|a| !matches!(a.value, Value::Null));
    match (b.arg, arg) {
        (Arg::None, None) => Some(match name {
            "stride-coverage" => Test::StrideCoverage,
            "all-threats-resolved" => Test::AllThreatsResolved,
            "mitigations-owned" => Test::MitigationsOwned,
            "disparities-within-threshold" => Test::DisparitiesWithinThreshold,
            _ => Test::HasExplainability,
        }),
        (Arg::None, Some(a)) => bad(d, name, a.pos, "no argument", name),
        (Arg::OptionalDays, None) => Some(Test::ReviewCurrent(None)),
        (
            Arg::Count | Arg::OptionalDays,
            Some(Node {
                value: Value::Int(i),
                ..
            }),
        ) if u32::try_from(*i).is_ok() => {
            let n = u32::try_from(*i).unwrap_or_default();
            Some(match name {
                "min-count" => Test::MinCount(n),
                "atlas-mapped" => Test::AtlasMapped(n),
                "min-approvers" => Test::MinApprovers(n),
                "time-boxed" => Test::TimeBoxed(n),
                _ => Test::ReviewCurrent(Some(n)),
            })
        }
        (Arg::Count | Arg::OptionalDays, a) => bad(
            d,
            name,
            a.map_or(pos, |a| a.pos),
            "a whole number, 0 or more",
            &format!("{name}: 1"),
        ),
        (Arg::Word, Some(a)) if a.as_str().is_some_and(|s| !s.trim().is_empty()) => Some(
            Test::SignedOffBy(a.as_str().unwrap_or_default().trim().to_owned()),
        ),
        (Arg::Word, a) => bad(
            d,
            name,
            a.map_or(pos, |a| a.pos),
            "a role",
            &format!("{name}: security-lead"),
        ),
        (
            Arg::Severities,
            Some(
                a @ Node {
                    value: Value::Map(entries),
                    ..
                },
            ),
        ) => severities(d, name, a, entries),
        (Arg::Severities, a) => bad(
            d,
            name,
            a.map_or(pos, |a| a.pos),
            "a mapping of severities to counts",
            "max-open-findings: {critical: 0, high: 0}",
        ),
        (Arg::Categories, Some(a)) => categories(d, name, a),
        (Arg::Categories, None) => bad(
            d,
            name,
            pos,
            "a list of threat categories",
            "threat-categories: [data-poisoning, evasion]",
        ),
    }
}

/// E0502 at `at`: check `name` takes `expected`, written like `example`.
fn bad(d: &mut Decoder<'_>, name: &str, at: Pos, expected: &str, example: &str) -> Option<Test> {
    d.error(
        "E0502",
        at,
        1,
        format!("check `{name}` takes {expected}"),
        format!("write it as `{example}`"),
    );
    None
}

/// `max-open-findings: {SEVERITY: COUNT, ...}`, most severe first.
fn severities(
    d: &mut Decoder<'_>,
    name: &str,
    a: &Node,
    entries: &[crate::model::Entry],
) -> Option<Test> {
    let mut out = Vec::new();
    for e in entries {
        let sev = Severity::NAMES
            .iter()
            .position(|s| *s == e.key.trim().to_ascii_lowercase())
            .map(Severity::from_index);
        let count = match &e.node.value {
            Value::Int(i) => u32::try_from(*i).ok(),
            _ => None,
        };
        match (sev, count) {
            (Some(s), Some(c)) => out.push((s, c)),
            (None, _) => {
                d.error(
                    "E0502",
                    e.key_pos,
                    e.key.chars().count(),
                    format!("`{}` is not a severity", e.key),
                    format!("severities: {}", Severity::NAMES.join(", ")),
                );
                return None;
            }
            (_, None) => {
                return bad(
                    d,
                    name,
                    e.node.pos,
                    "whole numbers as its counts",
                    "max-open-findings: {critical: 0, high: 0}",
                );
            }
        }
    }
    if out.is_empty() {
        return bad(
            d,
            name,
            a.pos,
            "at least one severity",
            "max-open-findings: {critical: 0, high: 0}",
        );
    }
    out.sort_by_key(|(s, _)| std::cmp::Reverse(s.rank()));
    Some(Test::MaxOpenFindings(out))
}

/// `threat-categories: [CATEGORY, ...]` (or one category as a plain string).
fn categories(d: &mut Decoder<'_>, name: &str, a: &Node) -> Option<Test> {
    let words: Vec<(String, Pos)> = match &a.value {
        Value::Seq(items) => items
            .iter()
            .map(|n| (n.scalar_text().unwrap_or_default(), n.pos))
            .collect(),
        Value::Str(s) => vec![(s.clone(), a.pos)],
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for (w, at) in &words {
        let lower = w.trim().to_ascii_lowercase();
        match super::common::Category::NAMES
            .iter()
            .position(|n| *n == lower)
        {
            Some(i) => out.push(super::common::Category::from_index(i)),
            None => {
                d.error(
                    "E0502",
                    *at,
                    w.chars().count().max(1),
                    format!("`{w}` is not a threat category"),
                    format!("categories: {}", super::common::Category::NAMES.join(", ")),
                );
                return None;
            }
        }
    }
    if out.is_empty() {
        return bad(
            d,
            name,
            a.pos,
            "a list of threat categories",
            "threat-categories: [data-poisoning, evasion]",
        );
    }
    Some(Test::ThreatCategories(out))
}

fn expr(d: &mut Decoder<'_>, n: &Node, entries: &[crate::model::Entry]) -> Option<Check> {
    d.fields(n, "an `expr` check", &["expr", "explain"]);
    let source_node = n.get("expr")?;
    let Some(source) = source_node.as_str().map(str::to_owned) else {
        d.at_key("expr", |d| {
            d.error(
                "E0502",
                source_node.pos,
                1,
                format!("`expr` must be text, found {}", source_node.shape()),
                "quote the expression: expr: 'item.threats | length >= 3'".to_owned(),
            )
        });
        return None;
    };
    let explain = d.text(n, "explain");
    if explain.is_none() {
        let pos = entries.first().map_or(n.pos, |e| e.key_pos);
        d.error(
            "E0502",
            pos,
            4,
            "an `expr` check needs an `explain` text".to_owned(),
            "add `explain:` saying in words what passing means; learners and graders read it as the reason".to_owned(),
        );
    }
    if let Err(e) = crate::expr::compile(&source) {
        // YAML does not say whether the scalar was quoted, so the column of the fault
        // inside it is not known exactly: point at the expression and quote the fault.
        let near = e
            .range
            .as_ref()
            .and_then(|r| source.get(r.clone()))
            .filter(|s| !s.trim().is_empty())
            .map(|s| format!(" (at `{}`)", s.trim()))
            .unwrap_or_default();
        d.at_key("expr", |d| {
            d.error(
                "E0503",
                source_node.pos,
                source.chars().count().min(80),
                format!("the expression does not compile: {}{near}", e.message),
                "expressions are MiniJinja (Jinja2) expressions over `item`, e.g. `item.threats | selectattr(\"atlas\") | list | length >= 3`".to_owned(),
            )
        });
        return None;
    }
    Some(Check {
        test: Test::Expr {
            source,
            explain: explain.map(|e| e.value),
        },
        written: n.clone(),
        pos: source_node.pos,
        path: d.path(),
    })
}
