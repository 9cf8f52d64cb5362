//! Coverage: every learner's verdict on every rubric criterion that applies to them
//! (DESIGN 3.5, 3.6), with one reason per check, and their proficiency per competency.
//! It runs after the checks, because a claimed item with errors cannot meet a criterion,
//! and after the link stage, because checks on packets read them resolved.

mod builtin;
pub mod export;

use crate::diag::Diagnostic;
use crate::link::packets::Packets;
use crate::model::kinds::Body;
use crate::model::kinds::checks::Test;
use crate::model::kinds::portfolio::{Claim, Portfolio};
use crate::model::kinds::rubric::{Criterion, Rubric};
use crate::model::{Item, Kind, Site, reference_id};
use builtin::{Facts, Outcome};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;

/// Where a learner stands on one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Not claimed in any portfolio.
    Unclaimed,
    /// Claimed, and no check passes (or the evidence is of the wrong kind or has errors).
    Unmet,
    /// Claimed, and some checks pass.
    Partial,
    /// Claimed, and every check passes.
    Met,
}

impl Status {
    /// The word used in exports and pages.
    pub fn word(self) -> &'static str {
        match self {
            Status::Unclaimed => "unclaimed",
            Status::Unmet => "unmet",
            Status::Partial => "partial",
            Status::Met => "met",
        }
    }
}

/// Why a verdict is what it is: one check's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// The check (`stride-coverage`, `expr`, `requires`, `evidence`).
    pub check: String,
    /// Whether it passed.
    pub passed: bool,
    /// What decided it, naming the item and sub-items.
    pub detail: String,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = if self.passed { "passed" } else { "failed" };
        write!(f, "{} {verb}: {}", self.check, self.detail)
    }
}

/// One learner's verdict on one criterion.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// The rubric's id.
    pub rubric: String,
    /// The criterion's id.
    pub criterion: String,
    /// The criterion's title.
    pub title: Option<String>,
    /// The criterion's level.
    pub level: Option<String>,
    /// The verdict.
    pub status: Status,
    /// The evidence cited, as written.
    pub evidence: Vec<String>,
    /// One reason per check (empty when unclaimed).
    pub reasons: Vec<Reason>,
    /// The portfolio the claim is in.
    pub portfolio: Option<String>,
    /// The learner's note on the claim.
    pub note: Option<String>,
}

/// A learner's proficiency in one competency.
#[derive(Debug, Clone, Serialize)]
pub struct Proficiency {
    /// The rubric.
    pub rubric: String,
    /// Its competency (the rubric id when it names none).
    pub competency: String,
    /// The highest level whose criteria (and every lower level's) are all met.
    pub level: Option<String>,
    /// The next level, and how many of its criteria are not met yet.
    pub next: Option<(String, usize)>,
}

/// One learner, gathered from all their portfolios.
#[derive(Debug, Clone, Serialize)]
pub struct Learner {
    /// The handle: the learner's URL.
    pub handle: String,
    /// Their name, from the first portfolio that gives one.
    pub name: Option<String>,
    /// The modules of their portfolios.
    pub modules: Vec<String>,
    /// Their portfolios' ids.
    pub portfolios: Vec<String>,
    /// A verdict per criterion of every rubric that applies to them, rubric by rubric.
    pub verdicts: Vec<Verdict>,
    /// Proficiency per competency.
    pub proficiency: Vec<Proficiency>,
}

impl Learner {
    /// The learner's display name.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.handle)
    }
}

/// A rubric as coverage reports list it.
#[derive(Debug, Clone, Serialize)]
pub struct RubricSummary {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its competency.
    pub competency: String,
    /// Levels, lowest first.
    pub levels: Vec<String>,
    /// Its criteria: id, title, level.
    pub criteria: Vec<(String, Option<String>, Option<String>)>,
}

/// Coverage of the whole site.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    /// Learners by handle.
    pub learners: Vec<Learner>,
    /// Rubrics by id.
    pub rubrics: Vec<RubricSummary>,
}

impl Coverage {
    /// The learner with `handle`.
    pub fn learner(&self, handle: &str) -> Option<&Learner> {
        self.learners.iter().find(|l| l.handle == handle)
    }

    /// Each learner's verdict on one criterion, for the rubric's page.
    pub fn on_criterion<'a>(
        &'a self,
        rubric: &'a str,
        criterion: &'a str,
    ) -> impl Iterator<Item = (&'a Learner, &'a Verdict)> + 'a {
        self.learners.iter().filter_map(move |l| {
            l.verdicts
                .iter()
                .find(|v| v.rubric == rubric && v.criterion == criterion)
                .map(|v| (l, v))
        })
    }
}

/// A learner below the level a CI gate requires in one competency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    /// The learner's handle.
    pub handle: String,
    /// The competency.
    pub competency: String,
    /// The level reached, if any.
    pub reached: Option<String>,
    /// The level required.
    pub required: String,
}

impl std::fmt::Display for Shortfall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} is {}, below {}",
            self.handle,
            self.competency,
            self.reached
                .as_deref()
                .unwrap_or("not yet at the first level"),
            self.required
        )
    }
}

impl Coverage {
    /// Every learner and competency below `level`, for `coverage --require`. Rubrics whose
    /// levels do not include `level` are not gated. `Err` lists the levels that exist when
    /// no rubric has `level` at all (a typo in a CI gate must not pass silently).
    pub fn shortfalls(&self, level: &str) -> Result<Vec<Shortfall>, Vec<String>> {
        let rank = |rubric: &str, l: &str| {
            self.rubrics
                .iter()
                .find(|r| r.id == rubric)
                .and_then(|r| r.levels.iter().position(|x| x.eq_ignore_ascii_case(l)))
        };
        if !self
            .rubrics
            .iter()
            .any(|r| r.levels.iter().any(|x| x.eq_ignore_ascii_case(level)))
        {
            let mut known: Vec<String> =
                self.rubrics.iter().flat_map(|r| r.levels.clone()).collect();
            known.sort();
            known.dedup();
            return Err(known);
        }
        let mut out = Vec::new();
        for l in &self.learners {
            for p in &l.proficiency {
                let Some(required) = rank(&p.rubric, level) else {
                    continue;
                };
                let reached = p.level.as_deref().and_then(|x| rank(&p.rubric, x));
                if reached.is_none_or(|r| r < required) {
                    out.push(Shortfall {
                        handle: l.handle.clone(),
                        competency: p.competency.clone(),
                        reached: p.level.clone(),
                        required: level.to_owned(),
                    });
                }
            }
        }
        Ok(out)
    }
}

/// Evaluates every portfolio's claims. `diagnostics` are the checks' findings (an item
/// with an error cannot meet a criterion); `packets` are the link stage's resolved
/// packets, so that checks on sign-offs see what a packet inherits and overrides exactly
/// as its page does. The result's diagnostics are warnings about rubric expressions that
/// failed on some learner's evidence.
pub fn evaluate(
    site: &Site,
    diagnostics: &[Diagnostic],
    packets: &Packets,
    today: Date,
) -> (Coverage, Vec<Diagnostic>) {
    let items: HashMap<&str, &Item> = site
        .items
        .iter()
        .map(|i| (i.header.id.as_str(), i))
        .collect();
    let covered = current_exceptions(site, today);
    let facts = Facts {
        today,
        covered: &covered,
        items: &items,
        packets,
    };
    let mut errors: HashMap<&str, usize> = HashMap::new();
    for d in diagnostics.iter().filter(|d| d.is_error()) {
        *errors.entry(d.file.as_str()).or_default() += 1;
    }
    let mut rubrics: Vec<(&Item, &Rubric)> = site
        .items
        .iter()
        .filter_map(|i| match &i.body {
            Body::Rubric(r) => Some((i, r)),
            _ => None,
        })
        .collect();
    rubrics.sort_by(|a, b| a.0.header.id.cmp(&b.0.header.id));

    let mut by_handle: BTreeMap<&str, Vec<(&Item, &Portfolio)>> = BTreeMap::new();
    for i in &site.items {
        if let Body::Portfolio(p) = &i.body {
            by_handle
                .entry(p.learner.handle.value.as_str())
                .or_default()
                .push((i, p));
        }
    }
    let ctx = Ctx {
        facts,
        errors,
        today: today.to_string(),
        json: Mutex::new(HashMap::new()),
        warnings: Mutex::new(BTreeMap::new()),
    };
    let learners = by_handle
        .into_iter()
        .map(|(handle, portfolios)| ctx.learner(handle, &portfolios, &rubrics))
        .collect();
    let summaries = rubrics
        .iter()
        .map(|(i, r)| RubricSummary {
            id: i.header.id.clone(),
            title: i.header.title.clone(),
            competency: competency(i, r),
            levels: r.levels.iter().map(|l| l.value.clone()).collect(),
            criteria: r
                .criteria
                .iter()
                .map(|c| {
                    (
                        c.id.value.clone(),
                        c.title.as_ref().map(|t| t.value.clone()),
                        c.level.as_ref().map(|t| t.value.clone()),
                    )
                })
                .collect(),
        })
        .collect();
    let warnings = ctx
        .warnings
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .into_values()
        .collect();
    (
        Coverage {
            learners,
            rubrics: summaries,
        },
        warnings,
    )
}

/// `(item, sub)` pairs covered by an exception that has not expired, with its id.
fn current_exceptions(site: &Site, today: Date) -> HashMap<(&str, &str), &str> {
    let mut out = HashMap::new();
    for item in &site.items {
        if let Body::Exception(e) = &item.body
            && e.expires.as_ref().is_some_and(|x| x.value >= today)
        {
            for c in &e.covers {
                if let Some((id, sub)) = c.value.trim().split_once('#') {
                    out.insert((id, sub), item.header.id.as_str());
                }
            }
        }
    }
    out
}

fn competency(item: &Item, r: &Rubric) -> String {
    r.competency
        .as_ref()
        .map_or_else(|| item.header.id.clone(), |c| c.value.clone())
}

struct Ctx<'a> {
    facts: Facts<'a>,
    errors: HashMap<&'a str, usize>,
    today: String,
    /// Items as `show` prints them, made once for every expression that reads them.
    json: Mutex<HashMap<String, serde_json::Value>>,
    /// Expressions that failed, one warning per check.
    warnings: Mutex<BTreeMap<(String, String), Diagnostic>>,
}

impl Ctx<'_> {
    fn learner(
        &self,
        handle: &str,
        portfolios: &[(&Item, &Portfolio)],
        rubrics: &[(&Item, &Rubric)],
    ) -> Learner {
        let mut modules: Vec<String> = Vec::new();
        for (_, p) in portfolios {
            if let Some(m) = &p.module
                && !modules.iter().any(|x| x.eq_ignore_ascii_case(&m.value))
            {
                modules.push(m.value.clone());
            }
        }
        // Claims by criterion reference, in portfolio order.
        let mut claims: HashMap<(&str, &str), Vec<(&Item, &Claim)>> = HashMap::new();
        for (item, p) in portfolios {
            for c in &p.claims {
                if let Some((r, k)) = c.criterion.value.trim().split_once('#') {
                    claims.entry((r, k)).or_default().push((item, c));
                }
            }
        }
        let claimed_rubrics: HashSet<&str> = claims.keys().map(|(r, _)| *r).collect();
        let mut verdicts = Vec::new();
        let mut proficiency = Vec::new();
        for (ritem, rubric) in rubrics {
            let rid = ritem.header.id.as_str();
            let applies = rubric.modules.is_empty()
                || rubric.modules.iter().any(|m| {
                    modules
                        .iter()
                        .any(|x| x.eq_ignore_ascii_case(m.value.trim()))
                })
                || claimed_rubrics.contains(rid);
            if !applies {
                continue;
            }
            let start = verdicts.len();
            for criterion in &rubric.criteria {
                let cid = criterion.id.value.as_str();
                let verdict = match claims.get(&(rid, cid)) {
                    None => Some(unclaimed(rid, criterion)),
                    // Claimed more than once (in several portfolios): the best claim counts.
                    Some(list) => list
                        .iter()
                        .map(|(pitem, claim)| self.claim(ritem, criterion, pitem, claim))
                        .fold(None, |best: Option<Verdict>, v| match best {
                            Some(b) if b.status >= v.status => Some(b),
                            _ => Some(v),
                        }),
                };
                verdicts.extend(verdict);
            }
            proficiency.push(level_reached(ritem, rubric, &verdicts[start..]));
        }
        let name = portfolios
            .iter()
            .find_map(|(_, p)| p.learner.name.as_ref().map(|n| n.value.clone()));
        Learner {
            handle: handle.to_owned(),
            name,
            modules,
            portfolios: portfolios
                .iter()
                .map(|(i, _)| i.header.id.clone())
                .collect(),
            verdicts,
            proficiency,
        }
    }

    fn claim(&self, ritem: &Item, criterion: &Criterion, pitem: &Item, claim: &Claim) -> Verdict {
        let required = criterion
            .requires
            .as_ref()
            .and_then(|r| r.kind.as_ref())
            .and_then(|k| Kind::from_name(&k.value));
        let minimum = criterion
            .requires
            .as_ref()
            .and_then(|r| r.minimum.as_ref())
            .map_or(1, |m| m.value);
        let mut reasons = Vec::new();
        let mut qualifying: Vec<&Item> = Vec::new();
        for ev in &claim.evidence {
            let text = ev.value.trim();
            let Some(item) = reference_id(text).and_then(|id| self.facts.items.get(id)) else {
                reasons.push(Reason {
                    check: "evidence".to_owned(),
                    passed: false,
                    detail: format!("{text} is not an item of this site (or it failed to load)"),
                });
                continue;
            };
            let id = &item.header.id;
            if let Some(kind) = required
                && item.header.kind != kind
            {
                reasons.push(Reason {
                    check: "evidence".to_owned(),
                    passed: false,
                    detail: format!(
                        "{id} is a {}, and the criterion requires {}",
                        item.header.kind.name(),
                        kind.name()
                    ),
                });
            } else if let Some(n) = self.errors.get(item.file.as_str()) {
                reasons.push(Reason {
                    check: "evidence".to_owned(),
                    passed: false,
                    detail: format!(
                        "{id} has {n} error{} ({}), so it cannot meet a criterion",
                        if *n == 1 { "" } else { "s" },
                        item.file
                    ),
                });
            } else if !qualifying.iter().any(|q| q.header.id == *id) {
                qualifying.push(item);
            }
        }
        let kind_word = required.map_or("", Kind::name);
        let ids: Vec<String> = qualifying.iter().map(|i| i.header.id.clone()).collect();
        let enough = qualifying.len() >= minimum as usize;
        // A `min-count` at least as strict says the same thing with its own reason.
        let counted = criterion
            .checks
            .iter()
            .any(|c| matches!(c.test, Test::MinCount(n) if n >= minimum));
        if !enough && !counted {
            reasons.push(Reason {
                check: "requires".to_owned(),
                passed: false,
                detail: format!(
                    "at least {minimum} error-free {kind_word} item{} needed, {} cited{}",
                    if minimum == 1 { "" } else { "s" },
                    qualifying.len(),
                    if ids.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", ids.join(", "))
                    }
                )
                .replace("  ", " "),
            });
        }
        let mut passed = 0;
        let mut failed = 0;
        for check in &criterion.checks {
            let outcome = self.check(ritem, check, &qualifying, kind_word);
            if outcome.passed {
                passed += 1;
            } else {
                failed += 1;
            }
            reasons.push(Reason {
                check: check.name().to_owned(),
                passed: outcome.passed,
                detail: outcome.detail,
            });
        }
        if criterion.checks.is_empty() && enough {
            passed += 1;
            reasons.push(Reason {
                check: "requires".to_owned(),
                passed: true,
                detail: format!("cites {}", ids.join(", ")),
            });
        }
        let status = if passed > 0 && failed == 0 && enough {
            Status::Met
        } else if passed > 0 {
            Status::Partial
        } else {
            Status::Unmet
        };
        Verdict {
            rubric: ritem.header.id.clone(),
            criterion: criterion.id.value.clone(),
            title: criterion.title.as_ref().map(|t| t.value.clone()),
            level: criterion.level.as_ref().map(|t| t.value.clone()),
            status,
            evidence: claim.evidence.iter().map(|e| e.value.clone()).collect(),
            reasons,
            portfolio: Some(pitem.header.id.clone()),
            note: claim.note.as_ref().map(|n| n.value.clone()),
        }
    }

    /// One check over the claim's qualifying items: it passes when it passes on one of
    /// them (that item's reason is given), else every item's failure is.
    fn check(
        &self,
        ritem: &Item,
        check: &crate::model::kinds::checks::Check,
        items: &[&Item],
        kind_word: &str,
    ) -> Outcome {
        if let Test::MinCount(n) = check.test {
            let ids: Vec<String> = items.iter().map(|i| i.header.id.clone()).collect();
            let cited = if ids.is_empty() {
                String::new()
            } else {
                format!(": {}", builtin::list(&ids))
            };
            let what = if kind_word.is_empty() {
                "item".to_owned()
            } else {
                format!("{kind_word} item")
            };
            return Outcome {
                passed: ids.len() >= n as usize,
                detail: format!(
                    "{} error-free {what}{} cited{cited} ({n} needed)",
                    ids.len(),
                    if ids.len() == 1 { "" } else { "s" }
                ),
            };
        }
        if items.is_empty() {
            let what = if kind_word.is_empty() {
                "evidence".to_owned()
            } else {
                format!("{kind_word} evidence")
            };
            return Outcome {
                passed: false,
                detail: format!("no error-free {what} to check"),
            };
        }
        let mut failures = Vec::new();
        for item in items {
            let outcome = match &check.test {
                Test::Expr { source, explain } => {
                    self.expr(ritem, check, item, source, explain.as_deref())
                }
                test => builtin::evaluate(test, item, &self.facts),
            };
            if outcome.passed {
                return outcome;
            }
            failures.push(outcome.detail);
        }
        Outcome {
            passed: false,
            detail: failures.join("; "),
        }
    }

    fn expr(
        &self,
        ritem: &Item,
        check: &crate::model::kinds::checks::Check,
        item: &Item,
        source: &str,
        explain: Option<&str>,
    ) -> Outcome {
        let id = &item.header.id;
        let json = {
            let mut cache = self
                .json
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            cache
                .entry(id.clone())
                .or_insert_with(|| {
                    serde_json::to_value(crate::model::ItemView::of(item)).unwrap_or_default()
                })
                .clone()
        };
        let meaning = explain.map_or_else(|| format!("`{source}`"), str::to_owned);
        match crate::expr::evaluate(source, &json, &self.today) {
            Ok(true) => Outcome {
                passed: true,
                detail: format!("{id} satisfies: {meaning}"),
            },
            Ok(false) => Outcome {
                passed: false,
                detail: format!("{id} does not satisfy: {meaning}"),
            },
            Err(e) => {
                let key = (ritem.file.clone(), check.path.clone());
                let d = Diagnostic::warning(
                    "W0501",
                    &ritem.file,
                    format!("the expression failed on {id}: {}", e.message),
                )
                .at(check.pos)
                .with_path(check.path.clone())
                .with_help(
                    "make the expression total: test that a field is defined before using it, and keep it within the evaluation budget",
                );
                self.warnings
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .entry(key)
                    .or_insert(d);
                Outcome {
                    passed: false,
                    detail: format!(
                        "{id}: the expression could not be evaluated ({})",
                        e.message
                    ),
                }
            }
        }
    }
}

fn unclaimed(rubric: &str, criterion: &Criterion) -> Verdict {
    Verdict {
        rubric: rubric.to_owned(),
        criterion: criterion.id.value.clone(),
        title: criterion.title.as_ref().map(|t| t.value.clone()),
        level: criterion.level.as_ref().map(|t| t.value.clone()),
        status: Status::Unclaimed,
        evidence: Vec::new(),
        reasons: Vec::new(),
        portfolio: None,
        note: None,
    }
}

/// The highest level whose criteria, and those of every lower level, are all met. Levels
/// without criteria are passed over; a criterion without a level counts for none.
fn level_reached(ritem: &Item, rubric: &Rubric, verdicts: &[Verdict]) -> Proficiency {
    let mut reached = None;
    let mut next = None;
    for level in &rubric.levels {
        let at: Vec<&Verdict> = verdicts
            .iter()
            .filter(|v| v.level.as_deref() == Some(level.value.as_str()))
            .collect();
        if at.is_empty() {
            continue;
        }
        let short = at.iter().filter(|v| v.status != Status::Met).count();
        if short == 0 {
            reached = Some(level.value.clone());
        } else {
            next = Some((level.value.clone(), short));
            break;
        }
    }
    Proficiency {
        rubric: ritem.header.id.clone(),
        competency: competency(ritem, rubric),
        level: reached,
        next,
    }
}
