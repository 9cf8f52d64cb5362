//! The grader's pages: a learner's page (all their portfolios, each claim's verdict with
//! its reasons, proficiency, and what is still missing) and the coverage matrix (learners
//! x criteria, by module and by competency). Status is always written as a word beside
//! its colour, so the pages read in greyscale and to screen readers.

use super::views::{Index, Link};
use crate::coverage::{Coverage, Learner, Proficiency, RubricSummary, Status, Verdict};
use crate::model::{Item, url};
use serde::Serialize;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// A verdict as a table cell.
#[derive(Debug, Serialize)]
pub(crate) struct Cell {
    status: &'static str,
    /// The first failing reason, or the first reason, for a tooltip.
    why: Option<String>,
}

fn cell(v: &Verdict) -> Cell {
    Cell {
        status: v.status.word(),
        why: v
            .reasons
            .iter()
            .find(|r| !r.passed)
            .or_else(|| v.reasons.first())
            .map(ToString::to_string),
    }
}

#[derive(Debug, Serialize)]
struct ReasonView {
    check: String,
    passed: bool,
    detail: String,
}

#[derive(Debug, Serialize)]
struct ClaimRow {
    criterion: Link,
    title: Option<String>,
    level: Option<String>,
    status: &'static str,
    evidence: Vec<Link>,
    reasons: Vec<ReasonView>,
    note: Option<String>,
}

#[derive(Debug, Serialize)]
struct RubricBlock {
    rubric: Link,
    competency: String,
    rows: Vec<ClaimRow>,
}

#[derive(Debug, Serialize)]
struct ProficiencyRow {
    competency: String,
    rubric: Link,
    level: Option<String>,
    next: Option<String>,
    to_go: usize,
}

/// One portfolio, as a section of its learner's page.
#[derive(Debug, Serialize)]
pub(crate) struct PortfolioBlock {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) file: String,
    pub(crate) module: Option<Link>,
    pub(crate) updated: Option<String>,
}

/// What a learner's page shows.
#[derive(Debug, Serialize)]
pub(crate) struct LearnerView {
    name: String,
    handle: String,
    modules: Vec<Link>,
    proficiency: Vec<ProficiencyRow>,
    counts: Counts,
    missing: Vec<ClaimRow>,
    rubrics: Vec<RubricBlock>,
}

#[derive(Debug, Default, Serialize)]
struct Counts {
    met: usize,
    partial: usize,
    unmet: usize,
    unclaimed: usize,
}

impl Counts {
    fn of<'a>(verdicts: impl IntoIterator<Item = &'a Verdict>) -> Counts {
        let mut c = Counts::default();
        for v in verdicts {
            match v.status {
                Status::Met => c.met += 1,
                Status::Partial => c.partial += 1,
                Status::Unmet => c.unmet += 1,
                Status::Unclaimed => c.unclaimed += 1,
            }
        }
        c
    }
}

/// A module named in a portfolio: linked when the site has its roadmap (in any case,
/// as portfolios write it), else plain text.
pub(crate) fn module_link(index: &Index<'_>, from: &str, module: &str) -> Link {
    match index.site.registry.module(module) {
        Some((_, target)) => Link {
            text: module.to_owned(),
            href: Some(url::href(from, &target.url)),
            title: Some(target.title.clone()),
        },
        None => Link {
            text: module.to_owned(),
            href: None,
            title: None,
        },
    }
}

fn rubric_link(index: &Index<'_>, from: &str, rubric: &str) -> Link {
    index.link(from, rubric)
}

fn claim_row(index: &Index<'_>, from: &str, v: &Verdict) -> ClaimRow {
    ClaimRow {
        criterion: index.link(from, &format!("{}#{}", v.rubric, v.criterion)),
        title: v.title.clone(),
        level: v.level.clone(),
        status: v.status.word(),
        evidence: v.evidence.iter().map(|e| index.link(from, e)).collect(),
        reasons: v
            .reasons
            .iter()
            .map(|r| ReasonView {
                check: r.check.clone(),
                passed: r.passed,
                detail: r.detail.clone(),
            })
            .collect(),
        note: v.note.clone(),
    }
}

/// The view of `learner`'s page at `from`.
pub(crate) fn learner(index: &Index<'_>, learner: &Learner, from: &str) -> LearnerView {
    let mut rubrics: Vec<RubricBlock> = Vec::new();
    for v in &learner.verdicts {
        if rubrics.last().is_none_or(|b| b.rubric.text != v.rubric) {
            let competency = learner
                .proficiency
                .iter()
                .find(|p| p.rubric == v.rubric)
                .map_or_else(|| v.rubric.clone(), |p| p.competency.clone());
            rubrics.push(RubricBlock {
                rubric: rubric_link(index, from, &v.rubric),
                competency,
                rows: Vec::new(),
            });
        }
        if let Some(block) = rubrics.last_mut() {
            block.rows.push(claim_row(index, from, v));
        }
    }
    let mut missing: Vec<&Verdict> = learner
        .verdicts
        .iter()
        .filter(|v| v.status != Status::Met)
        .collect();
    // What to work on first: claims that are close (partial), then failing, then unclaimed.
    missing.sort_by_key(|v| std::cmp::Reverse(v.status));
    LearnerView {
        name: learner.display_name().to_owned(),
        handle: learner.handle.clone(),
        modules: learner
            .modules
            .iter()
            .map(|m| module_link(index, from, m))
            .collect(),
        proficiency: learner
            .proficiency
            .iter()
            .map(|p| ProficiencyRow {
                competency: p.competency.clone(),
                rubric: rubric_link(index, from, &p.rubric),
                level: p.level.clone(),
                next: p.next.as_ref().map(|(l, _)| l.clone()),
                to_go: p.next.as_ref().map_or(0, |(_, n)| *n),
            })
            .collect(),
        counts: Counts::of(&learner.verdicts),
        missing: missing
            .into_iter()
            .map(|v| claim_row(index, from, v))
            .collect(),
        rubrics,
    }
}

/// A portfolio's header facts, for its section on the learner's page.
pub(crate) fn portfolio_block(index: &Index<'_>, item: &Item, from: &str) -> PortfolioBlock {
    let module = match &item.body {
        crate::model::kinds::Body::Portfolio(p) => p
            .module
            .as_ref()
            .map(|m| module_link(index, from, &m.value)),
        _ => None,
    };
    PortfolioBlock {
        id: item.header.id.clone(),
        title: item.header.title.clone(),
        file: item.file.clone(),
        module,
        updated: item.header.updated.map(|d| d.to_string()),
    }
}

// ---------------------------------------------------------------------------------------
// the coverage matrix

#[derive(Debug, Serialize)]
struct CriterionHead {
    id: String,
    title: Option<String>,
    level: Option<String>,
    href: Option<String>,
}

#[derive(Debug, Serialize)]
struct MatrixRow {
    name: String,
    handle: String,
    href: String,
    level: Option<String>,
    cells: Vec<Cell>,
}

#[derive(Debug, Serialize)]
struct CompetencyMatrix {
    anchor: String,
    competency: String,
    rubric: Link,
    criteria: Vec<CriterionHead>,
    rows: Vec<MatrixRow>,
    /// The matrix as a heatmap.
    chart: crate::render::charts::Chart,
}

#[derive(Debug, Serialize)]
struct ModuleRow {
    name: String,
    href: String,
    levels: Vec<Option<String>>,
    counts: Counts,
}

#[derive(Debug, Serialize)]
struct ModuleTable {
    anchor: String,
    module: Option<Link>,
    competencies: Vec<String>,
    rows: Vec<ModuleRow>,
}

/// What the coverage page shows.
#[derive(Debug, Serialize)]
pub(crate) struct CoverageView {
    learners: usize,
    criteria: usize,
    counts: Counts,
    modules: Vec<ModuleTable>,
    competencies: Vec<CompetencyMatrix>,
}

/// The view of the coverage page at `from`.
pub(crate) fn coverage(index: &Index<'_>, coverage: &Coverage, from: &str) -> CoverageView {
    let known: Vec<Known<'_>> = coverage.learners.iter().map(Known::of).collect();
    CoverageView {
        learners: coverage.learners.len(),
        criteria: coverage.rubrics.iter().map(|r| r.criteria.len()).sum(),
        counts: Counts::of(coverage.learners.iter().flat_map(|l| &l.verdicts)),
        modules: module_tables(index, &coverage.rubrics, &known, from),
        competencies: coverage
            .rubrics
            .iter()
            .map(|r| competency_matrix(index, r, &known, from))
            .collect(),
    }
}

/// A learner with their verdicts by (rubric, criterion) and their proficiency by
/// rubric, looked up once per cell of the matrices and tables rather than searched.
struct Known<'a> {
    learner: &'a Learner,
    verdicts: HashMap<(&'a str, &'a str), &'a Verdict>,
    proficiency: HashMap<&'a str, &'a Proficiency>,
}

impl<'a> Known<'a> {
    fn of(learner: &'a Learner) -> Known<'a> {
        // The first of a key wins, as a search in order would find it.
        let mut verdicts = HashMap::new();
        for v in &learner.verdicts {
            verdicts
                .entry((v.rubric.as_str(), v.criterion.as_str()))
                .or_insert(v);
        }
        let mut proficiency = HashMap::new();
        for p in &learner.proficiency {
            proficiency.entry(p.rubric.as_str()).or_insert(p);
        }
        Known {
            learner,
            verdicts,
            proficiency,
        }
    }
}

/// One competency's matrix: the learners it applies to x its criteria.
fn competency_matrix(
    index: &Index<'_>,
    rubric: &RubricSummary,
    known: &[Known<'_>],
    from: &str,
) -> CompetencyMatrix {
    let rows: Vec<MatrixRow> = known
        .iter()
        .filter_map(|k| {
            let proficiency = k.proficiency.get(rubric.id.as_str())?;
            let l = k.learner;
            Some(MatrixRow {
                name: l.display_name().to_owned(),
                handle: l.handle.clone(),
                href: learner_href(from, l),
                level: proficiency.level.clone(),
                cells: rubric
                    .criteria
                    .iter()
                    .map(|(cid, _, _)| {
                        k.verdicts.get(&(rubric.id.as_str(), cid.as_str())).map_or(
                            Cell {
                                status: "unclaimed",
                                why: None,
                            },
                            |v| cell(v),
                        )
                    })
                    .collect(),
            })
        })
        .collect();
    CompetencyMatrix {
        anchor: format!("competency-{}", crate::model::slugify(&rubric.id)),
        competency: rubric.competency.clone(),
        rubric: rubric_link(index, from, &rubric.id),
        criteria: rubric
            .criteria
            .iter()
            .map(|(id, title, level)| CriterionHead {
                id: id.clone(),
                title: title.clone(),
                level: level.clone(),
                href: index.link(from, &format!("{}#{id}", rubric.id)).href,
            })
            .collect(),
        chart: coverage_chart(&rubric.criteria, &rows),
        rows,
    }
}

/// One table per module: its learners' level in each competency, and their counts.
fn module_tables(
    index: &Index<'_>,
    rubrics: &[RubricSummary],
    known: &[Known<'_>],
    from: &str,
) -> Vec<ModuleTable> {
    let competencies: Vec<String> = rubrics.iter().map(|r| r.competency.clone()).collect();
    by_module(known)
        .into_iter()
        .map(|(m, learners)| ModuleTable {
            anchor: format!(
                "module-{}",
                crate::model::slugify(m.as_deref().unwrap_or("none"))
            ),
            module: m.as_deref().map(|m| module_link(index, from, m)),
            competencies: competencies.clone(),
            rows: learners
                .into_iter()
                .map(|k| ModuleRow {
                    name: k.learner.display_name().to_owned(),
                    href: learner_href(from, k.learner),
                    levels: rubrics
                        .iter()
                        .map(|r| {
                            k.proficiency
                                .get(r.id.as_str())
                                .map(|p| p.level.clone().unwrap_or_else(|| "not yet".to_owned()))
                        })
                        .collect(),
                    counts: Counts::of(&k.learner.verdicts),
                })
                .collect(),
        })
        .collect()
}

/// Learners by module, modules by name (a learner in two modules is listed under both;
/// a module is named as its first learner writes it, whatever the case).
fn by_module<'k, 'a>(known: &'k [Known<'a>]) -> Vec<(Option<String>, Vec<&'k Known<'a>>)> {
    let mut modules: Vec<(Option<String>, Vec<&Known<'_>>)> = Vec::new();
    let mut at: HashMap<Option<String>, usize> = HashMap::new();
    for k in known {
        let names: Vec<Option<String>> = if k.learner.modules.is_empty() {
            vec![None]
        } else {
            k.learner.modules.iter().cloned().map(Some).collect()
        };
        for m in names {
            match at.entry(m.as_deref().map(str::to_lowercase)) {
                Entry::Occupied(i) => {
                    if let Some((_, list)) = modules.get_mut(*i.get()) {
                        list.push(k);
                    }
                }
                Entry::Vacant(slot) => {
                    slot.insert(modules.len());
                    modules.push((m, vec![k]));
                }
            }
        }
    }
    modules.sort_by(|a, b| a.0.cmp(&b.0));
    modules
}

/// Where a learner's page is, from the page at `from`.
fn learner_href(from: &str, learner: &Learner) -> String {
    url::href(from, &url::learner_url(&learner.handle))
}

/// The heatmap of one competency's matrix.
fn coverage_chart(
    criteria: &[(String, Option<String>, Option<String>)],
    rows: &[MatrixRow],
) -> crate::render::charts::Chart {
    let learners: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    let ids: Vec<String> = criteria.iter().map(|(id, _, _)| id.clone()).collect();
    let statuses: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.status).collect())
        .collect();
    crate::render::charts::coverage::heatmap(&learners, &ids, &statuses)
}
