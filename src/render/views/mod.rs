//! Kind views: what each kind's template shows, computed here so that templates stay
//! simple. Every reference is resolved to a link relative to the page that shows it,
//! every date is compared against the build's `today`, and Markdown fields go through
//! the same safe renderer as content pages.

use super::markdown;

mod controls;
mod figures;
mod module;
mod packets;
mod print;
use crate::model::decode::{At, Choice};
use crate::model::kinds::Body;
use crate::model::kinds::catalog::{Catalog, Relation};
use crate::model::kinds::common::{Rating, Severity};
use crate::model::kinds::exception::Exception;
use crate::model::kinds::fairness::{Direction, Fairness};
use crate::model::kinds::portfolio::Portfolio;
use crate::model::kinds::rubric::Rubric;
use crate::model::kinds::sbom::Sbom;
use crate::model::kinds::scan::{Finding, FindingStatus, Scan};
use crate::model::kinds::tabletop::{ActionStatus, Tabletop};
use crate::model::kinds::threat_model::{MitigationStatus, ThreatModel, ThreatStatus};
use crate::model::kinds::{RefRule, tabletop};
use crate::model::url::fragment;
use crate::model::{Item, Node, Site, TargetKind, Value, slugify, url};
use crate::render::charts::Chart;
pub(crate) use controls::{control_page, controls_index};
use jiff::civil::Date;
pub(crate) use packets::{packets_index, used_in};
pub(crate) use print::evidence_facts;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The files the site publishes, by their path under the root: items' sources (on the
/// item's page, with line anchors when the source is shown), content assets and
/// attachments (copied as they are).
fn published_files(site: &Site) -> HashMap<&str, (String, bool)> {
    let mut files = HashMap::new();
    for other in &site.others {
        if let Some(rest) = other.rel.strip_prefix("content/") {
            files.insert(other.rel.as_str(), (rest.to_owned(), false));
        }
    }
    for item in &site.items {
        for a in &item.header.attachments {
            if let Some(rel) = crate::check::attachment_path(&item.file, a)
                && let Some(other) = site.others.iter().find(|o| o.rel == rel)
            {
                let to = super::attachment_url(item, &rel);
                files.entry(other.rel.as_str()).or_insert((to, false));
            }
        }
    }
    for item in &site.items {
        let shown = site
            .source_text(&item.file)
            .is_some_and(|t| t.len() <= super::SOURCE_VIEW_LIMIT);
        // A portfolio is shown on its learner's page beside the learner's other
        // portfolios, whose sources have no line anchors.
        let shown = shown && !matches!(item.body, Body::Portfolio(_));
        files.insert(
            item.file.as_str(),
            (url::output_file(item.url_str()), shown),
        );
    }
    files
}

/// The site-wide facts that kind views need, built once per build.
pub(crate) struct Index<'a> {
    pub(crate) site: &'a Site,
    /// Resolved packets and control coverage.
    pub(crate) graph: &'a crate::link::Graph,
    /// Every learner's verdicts.
    pub(crate) coverage: &'a crate::coverage::Coverage,
    today: Date,
    warn_days: i64,
    /// `(item id, sub)` -> the exceptions whose `covers` name it, in file order.
    covers: BTreeMap<(&'a str, &'a str), Vec<&'a Item>>,
    /// `(catalog, control)` -> ids of the items that cite the control, sorted.
    control_users: BTreeMap<(&'a str, &'a str), Vec<&'a str>>,
    /// Site-relative source file -> the URL that publishes it, and whether that page
    /// shows its lines (with `#Ln` anchors).
    files: HashMap<&'a str, (String, bool)>,
    /// Dated scans by target, for the scan pages' trend charts.
    trends: figures::Trends,
}

impl<'a> Index<'a> {
    /// Indexes `site`, with `today` as the date expiries and due dates are compared with.
    pub(crate) fn new(
        site: &'a Site,
        graph: &'a crate::link::Graph,
        coverage: &'a crate::coverage::Coverage,
        today: Date,
    ) -> Index<'a> {
        let mut covers: BTreeMap<(&str, &str), Vec<&Item>> = BTreeMap::new();
        let mut control_users: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
        for item in &site.items {
            if let Body::Exception(e) = &item.body {
                for c in &e.covers {
                    if let Some((id, sub)) = c.value.trim().split_once('#') {
                        let list = covers.entry((id, sub)).or_default();
                        if !list.iter().any(|x| x.header.id == item.header.id) {
                            list.push(item);
                        }
                    }
                }
            }
            for r in item.body.refs() {
                if r.rule == RefRule::Control
                    && let Some((cat, ctl)) = crate::model::control_ref(&r.target.value)
                {
                    control_users
                        .entry((cat, ctl))
                        .or_default()
                        .push(item.header.id.as_str());
                }
            }
        }
        for users in control_users.values_mut() {
            users.sort_unstable();
            users.dedup();
        }
        Index {
            site,
            graph,
            coverage,
            today,
            warn_days: i64::from(site.config.policy.expiry_warning_days),
            covers,
            control_users,
            files: published_files(site),
            trends: figures::Trends::new(site),
        }
    }

    /// A link from the page at `from` to the file (and line) a finding's location names,
    /// when the site publishes that file; `report` is the scan's own file.
    fn location_href(&self, from: &str, report: &str, location: &str) -> Option<String> {
        let (path, line) = super::locations::parse(location)?;
        super::locations::candidates(report, path)
            .iter()
            .find_map(|c| self.files.get(c.as_str()))
            .map(|(to, lines)| {
                let href = format!("{}{to}", url::root_prefix(from));
                match line {
                    Some(n) if *lines => format!("{href}#L{n}"),
                    _ => href,
                }
            })
    }

    /// Days from today to `date` (negative when it is past).
    fn days_until(&self, date: Date) -> i64 {
        i64::from((date - self.today).get_days())
    }

    /// A link to what `text` names (`ITEM`, `ITEM#SUB` or `CATALOG:CONTROL`), relative to
    /// the page at `from`; plain text when it names nothing in the site.
    pub(crate) fn link(&self, from: &str, text: &str) -> Link {
        let t = text.trim();
        let plain = Link {
            text: t.to_owned(),
            href: None,
            title: None,
        };
        // A control first: its id may hold spaces and colons (`nist-ai-rmf:GOVERN 1.1`),
        // and it has its own page.
        if let Some(c) = self.site.registry.control(t) {
            return Link {
                text: t.to_owned(),
                href: Some(url::href(from, &url::control_url(c.catalog, c.control))),
                title: Some(c.title.to_owned()),
            };
        }
        if t.is_empty() || t.contains(char::is_whitespace) {
            return plain;
        }
        let (id, sub) = match t.split_once('#') {
            Some((id, sub)) => (id, Some(sub)),
            None => match t.split_once(':') {
                Some((id, sub)) => (id, Some(sub)),
                None => (t, None),
            },
        };
        let Some(target) = self.site.registry.get(id) else {
            return plain;
        };
        // A control has its own page.
        if let (Some(ctl), TargetKind::Item(crate::model::Kind::Catalog)) = (sub, target.kind)
            && let Some(Body::Catalog(c)) = self.site.items.get(target.index).map(|i| &i.body)
            && let Some(control) = c.controls.iter().find(|x| x.id.value == ctl)
        {
            return Link {
                text: t.to_owned(),
                href: Some(url::href(from, &url::control_url(id, ctl))),
                title: control.title.as_ref().map(|x| x.value.clone()),
            };
        }
        let mut href = url::href(from, &target.url);
        let mut title = Some(target.title.clone());
        if let Some(sub) = sub.filter(|s| !s.is_empty()) {
            href.push('#');
            href.push_str(&fragment(sub));
            if let TargetKind::Item(_) = target.kind
                && let Some(item) = self.site.items.get(target.index)
                && let Some(sub_title) = sub_title(&item.body, sub)
            {
                title = Some(sub_title);
            }
        }
        Link {
            text: t.to_owned(),
            href: Some(href),
            title,
        }
    }

    fn links(&self, from: &str, texts: &[At<String>]) -> Vec<Link> {
        texts.iter().map(|t| self.link(from, &t.value)).collect()
    }

    /// The exceptions covering `item#sub` (and `item#alt`, for a finding's rule).
    fn covered_by(&self, from: &str, item: &str, subs: &[&str]) -> Vec<CoveredBy> {
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for sub in subs {
            for exc in self.covers.get(&(item, *sub)).into_iter().flatten() {
                if seen.contains(&exc.header.id.as_str()) {
                    continue;
                }
                seen.push(&exc.header.id);
                let expires = match &exc.body {
                    Body::Exception(e) => e.expires.as_ref().map(|x| x.value),
                    _ => None,
                };
                out.push(CoveredBy {
                    link: Link {
                        text: exc.header.id.clone(),
                        href: Some(url::href(from, exc.url_str())),
                        title: Some(exc.header.title.clone()),
                    },
                    validity: expires.map(|d| self.validity(d)),
                });
            }
        }
        out
    }

    /// Where an expiry date stands today.
    fn validity(&self, expires: Date) -> Validity {
        let left = self.days_until(expires);
        let (state, label, text) = if left < 0 {
            ("expired", "expired", format!("expired {} ago", days(-left)))
        } else if left == 0 {
            ("expiring", "expires today", "expires today".to_owned())
        } else if left <= self.warn_days {
            ("expiring", "expiring soon", format!("{} left", days(left)))
        } else {
            ("current", "current", format!("{} left", days(left)))
        };
        Validity {
            state,
            label,
            text,
            expires: expires.to_string(),
        }
    }

    /// A due date: its text and whether it is past (for work that is not done).
    fn due(&self, due: Option<Date>, done: bool) -> Due {
        let Some(due) = due else {
            return Due::default();
        };
        let left = self.days_until(due);
        let overdue = !done && left < 0;
        let text = if done {
            None
        } else if left < 0 {
            Some(format!("{} overdue", days(-left)))
        } else if left == 0 {
            Some("due today".to_owned())
        } else {
            Some(format!("in {}", days(left)))
        };
        Due {
            date: Some(due.to_string()),
            overdue,
            text,
        }
    }
}

/// "1 day", "12 days".
fn days(n: i64) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

/// A web address as a short label: its host and last path segment
/// (`nvd.nist.gov › CVE-2024-1135`).
fn short_url(u: &str) -> String {
    let rest = u.split_once("://").map_or(u, |(_, r)| r);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.strip_prefix("www.").unwrap_or(host);
    match path.rsplit('/').find(|s| !s.is_empty()) {
        Some(last) => format!("{host} › {last}"),
        None => host.to_owned(),
    }
}

/// The title of sub-item `sub` of an item, for link titles.
fn sub_title(body: &Body, sub: &str) -> Option<String> {
    let opt = |x: &Option<At<String>>| x.as_ref().map(|t| t.value.clone());
    match body {
        Body::ThreatModel(t) => t
            .threats
            .iter()
            .find(|x| x.id.value == sub)
            .map(|x| x.title.value.clone())
            .or_else(|| {
                t.assets
                    .iter()
                    .find(|x| x.id.value == sub)
                    .and_then(|x| opt(&x.title))
            })
            .or_else(|| {
                t.flows.iter().find(|x| x.id.value == sub).map(|x| {
                    opt(&x.title).unwrap_or_else(|| format!("{} → {}", x.from.value, x.to.value))
                })
            }),
        Body::Scan(_) | Body::Sbom(_) => {
            let findings = body.findings();
            let component = match body {
                Body::Sbom(s) => s.components.iter().find(|c| c.id.value == sub),
                _ => None,
            };
            component
                .map(|c| c.label())
                .or_else(|| {
                    findings
                        .iter()
                        .find(|f| f.id == *sub)
                        .and_then(|f| f.title.as_deref().map(str::to_owned))
                })
                .or_else(|| {
                    let n = findings
                        .iter()
                        .filter(|f| f.rule.as_deref() == Some(sub))
                        .count();
                    (n > 0).then(|| format!("rule {sub}: {}", plural(n, "finding")))
                })
        }
        Body::Tabletop(t) => t
            .actions
            .iter()
            .find(|a| a.id.value == sub)
            .and_then(|a| opt(&a.title)),
        Body::Rubric(r) => r
            .criteria
            .iter()
            .find(|c| c.id.value == sub)
            .and_then(|c| opt(&c.title)),
        Body::Catalog(c) => c
            .controls
            .iter()
            .find(|c| c.id.value == sub)
            .and_then(|c| opt(&c.title)),
        Body::Fairness(f) => f
            .disparities
            .iter()
            .find(|d| d.metric.value == sub)
            .map(|d| format!("{} = {}", d.metric.value, d.value.value)),
        Body::Exception(_) | Body::Portfolio(_) | Body::Packet(_) | Body::Module(_) => None,
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn text(x: &Option<At<String>>) -> Option<String> {
    x.as_ref().map(|t| t.value.clone())
}

fn texts(xs: &[At<String>]) -> Vec<String> {
    xs.iter().map(|x| x.value.clone()).collect()
}

fn date(x: &Option<At<Date>>) -> Option<String> {
    x.as_ref().map(|d| d.value.to_string())
}

fn word<C: Choice>(x: &Option<At<C>>) -> Option<&'static str> {
    x.as_ref().map(|c| c.value.name())
}

/// Text split into paragraphs at blank lines (or single line breaks, as YAML folds them).
fn paragraphs(x: &Option<At<String>>) -> Vec<String> {
    x.as_ref()
        .map(|t| {
            t.value
                .split('\n')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A number as it reads best: no trailing zeros, no exponent for ordinary values.
fn number(x: f64) -> String {
    if !x.is_finite() {
        crate::render::charts::not_a_number(x).to_owned()
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        x.to_string()
    }
}

/// A reference, resolved.
#[derive(Debug, Serialize)]
pub(crate) struct Link {
    /// As written.
    pub(crate) text: String,
    /// Relative link (with its fragment), when it names something in the site.
    pub(crate) href: Option<String>,
    /// The title of what it names.
    pub(crate) title: Option<String>,
}

/// An exception covering something, with where it stands.
#[derive(Debug, Serialize)]
struct CoveredBy {
    link: Link,
    validity: Option<Validity>,
}

/// Where an expiry date stands.
#[derive(Debug, Serialize)]
struct Validity {
    /// current, expiring or expired (the badge class).
    state: &'static str,
    /// The badge text.
    label: &'static str,
    /// "12 days left", "expired 3 days ago".
    text: String,
    /// The date.
    expires: String,
}

/// A due date.
#[derive(Debug, Default, Serialize)]
struct Due {
    date: Option<String>,
    overdue: bool,
    /// "in 12 days", "3 days overdue"; none for work that is done.
    text: Option<String>,
}

/// Every kind's view; serialised as the view itself.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum View {
    ThreatModel(ThreatModelView),
    Scan(ScanView),
    Sbom(SbomView),
    Exception(ExceptionView),
    Fairness(FairnessView),
    Tabletop(TabletopView),
    Portfolio(PortfolioView),
    Rubric(RubricView),
    Packet(packets::PacketView),
    Catalog(CatalogView),
    Module(module::ModuleView),
}

/// The view of `item`, shown on the page at `from`.
pub(crate) fn view(index: &Index<'_>, item: &Item, from: &str) -> View {
    let id = item.header.id.as_str();
    match &item.body {
        Body::ThreatModel(t) => View::ThreatModel(threat_model(index, id, t, from)),
        Body::Scan(s) => View::Scan(scan(index, item, s, from)),
        Body::Sbom(s) => View::Sbom(sbom(index, item, s, from)),
        Body::Exception(e) => View::Exception(exception(index, e, from)),
        Body::Fairness(f) => View::Fairness(fairness(index, id, f, from)),
        Body::Tabletop(t) => View::Tabletop(tabletop(index, t, from)),
        Body::Portfolio(p) => View::Portfolio(portfolio(index, p, from)),
        Body::Rubric(r) => View::Rubric(rubric(index, id, r, from)),
        Body::Packet(p) => View::Packet(packets::packet(index, id, p, from)),
        Body::Catalog(c) => View::Catalog(catalog(index, id, c, from)),
        Body::Module(m) => View::Module(module::view(index, item, m, from)),
    }
}

// ---------------------------------------------------------------------------------------
// threat-model

#[derive(Debug, Serialize)]
pub(crate) struct ThreatModelView {
    system: String,
    methodology: Option<String>,
    assets: Vec<AssetView>,
    flows: Vec<FlowView>,
    threats: Vec<ThreatView>,
    /// Threats per status, statuses in their usual order, zero counts left out.
    status_counts: Vec<Count>,
    matrix: Matrix,
    /// The matrix as a heatmap.
    chart: Chart,
}

#[derive(Debug, Serialize)]
struct Count {
    name: &'static str,
    count: usize,
}

#[derive(Debug, Serialize)]
struct AssetView {
    id: String,
    title: Option<String>,
    sensitivity: Option<String>,
}

/// An asset or flow id of the model (an in-page anchor) or the name of something else.
#[derive(Debug, Serialize)]
struct Local {
    text: String,
    /// `#id` when it names an asset or flow of this model.
    anchor: Option<String>,
}

#[derive(Debug, Serialize)]
struct FlowView {
    id: String,
    title: Option<String>,
    from: Local,
    to: Local,
    crosses: Option<String>,
}

#[derive(Debug, Serialize)]
struct ThreatView {
    id: String,
    /// The id as a URL fragment (without `#`).
    anchor: String,
    title: String,
    description: Option<String>,
    category: Option<&'static str>,
    atlas: Vec<String>,
    owasp: Vec<String>,
    affects: Vec<Local>,
    likelihood: Option<&'static str>,
    impact: Option<&'static str>,
    status: Option<&'static str>,
    mitigations: Vec<MitigationView>,
    /// Mitigations with status done.
    done: usize,
    acceptance: Option<AcceptanceView>,
    covered_by: Vec<CoveredBy>,
}

#[derive(Debug, Serialize)]
struct MitigationView {
    control: Option<Link>,
    text: Option<String>,
    evidence: Vec<Link>,
    owner: Option<String>,
    due: Due,
    status: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct AcceptanceView {
    by: Option<String>,
    on: Option<String>,
    validity: Option<Validity>,
    rationale: Option<String>,
}

/// Likelihood x impact.
#[derive(Debug, Serialize)]
struct Matrix {
    /// Column headings, low to critical.
    likelihoods: Vec<&'static str>,
    /// Rows, impact critical to low.
    rows: Vec<MatrixRow>,
    /// Threats without a likelihood or an impact.
    unrated: Vec<MatrixThreat>,
}

#[derive(Debug, Serialize)]
struct MatrixRow {
    impact: &'static str,
    cells: Vec<MatrixCell>,
}

#[derive(Debug, Serialize)]
struct MatrixCell {
    likelihood: &'static str,
    /// low, medium, high or critical: likelihood times impact, for shading.
    level: &'static str,
    count: usize,
    threats: Vec<MatrixThreat>,
}

#[derive(Debug, Serialize)]
struct MatrixThreat {
    id: String,
    /// The id as a URL fragment (without `#`).
    anchor: String,
    title: String,
    status: Option<&'static str>,
}

const RATINGS: [Rating; 4] = [Rating::Low, Rating::Medium, Rating::High, Rating::Critical];

fn risk_level(likelihood: Rating, impact: Rating) -> &'static str {
    match likelihood.rank() * impact.rank() {
        0..=2 => "low",
        3..=4 => "medium",
        5..=8 => "high",
        _ => "critical",
    }
}

fn threat_model(index: &Index<'_>, own: &str, t: &ThreatModel, from: &str) -> ThreatModelView {
    let local = |s: &str| {
        let known =
            t.assets.iter().any(|a| a.id.value == s) || t.flows.iter().any(|f| f.id.value == s);
        Local {
            text: s.to_owned(),
            anchor: known.then(|| format!("#{}", fragment(s))),
        }
    };
    let assets = t
        .assets
        .iter()
        .map(|a| AssetView {
            id: a.id.value.clone(),
            title: text(&a.title),
            sensitivity: text(&a.sensitivity),
        })
        .collect();
    let flows = t
        .flows
        .iter()
        .map(|f| FlowView {
            id: f.id.value.clone(),
            title: text(&f.title),
            from: local(&f.from.value),
            to: local(&f.to.value),
            crosses: text(&f.crosses),
        })
        .collect();
    let threats: Vec<ThreatView> = t
        .threats
        .iter()
        .map(|x| {
            let mitigations: Vec<MitigationView> = x
                .mitigations
                .iter()
                .map(|m| {
                    let done = m
                        .status
                        .as_ref()
                        .is_some_and(|s| s.value == MitigationStatus::Done);
                    MitigationView {
                        control: m.control.as_ref().map(|c| index.link(from, &c.value)),
                        text: text(&m.text),
                        evidence: index.links(from, &m.evidence),
                        owner: text(&m.owner),
                        due: index.due(m.due.as_ref().map(|d| d.value), done),
                        status: word(&m.status),
                    }
                })
                .collect();
            ThreatView {
                id: x.id.value.clone(),
                anchor: fragment(&x.id.value),
                title: x.title.value.clone(),
                description: text(&x.description),
                category: word(&x.category),
                atlas: texts(&x.atlas),
                owasp: texts(&x.owasp),
                affects: x.affects.iter().map(|a| local(&a.value)).collect(),
                likelihood: word(&x.likelihood),
                impact: word(&x.impact),
                status: word(&x.status),
                done: x
                    .mitigations
                    .iter()
                    .filter(|m| {
                        m.status
                            .as_ref()
                            .is_some_and(|s| s.value == MitigationStatus::Done)
                    })
                    .count(),
                mitigations,
                acceptance: x.acceptance.as_ref().map(|a| AcceptanceView {
                    by: text(&a.by),
                    on: date(&a.on),
                    validity: a.expires.as_ref().map(|e| index.validity(e.value)),
                    rationale: text(&a.rationale),
                }),
                covered_by: index.covered_by(from, own, &[x.id.value.as_str()]),
            }
        })
        .collect();
    let status_counts = ThreatStatus::NAMES
        .iter()
        .map(|name| Count {
            name,
            count: threats.iter().filter(|x| x.status == Some(*name)).count(),
        })
        .filter(|c| c.count > 0)
        .collect();
    let rows = RATINGS
        .iter()
        .rev()
        .map(|impact| MatrixRow {
            impact: impact.name(),
            cells: RATINGS
                .iter()
                .map(|likelihood| {
                    let threats: Vec<MatrixThreat> = t
                        .threats
                        .iter()
                        .filter(|x| {
                            x.likelihood.as_ref().map(|l| l.value) == Some(*likelihood)
                                && x.impact.as_ref().map(|i| i.value) == Some(*impact)
                        })
                        .map(|x| MatrixThreat {
                            id: x.id.value.clone(),
                            anchor: fragment(&x.id.value),
                            title: x.title.value.clone(),
                            status: word(&x.status),
                        })
                        .collect();
                    MatrixCell {
                        likelihood: likelihood.name(),
                        level: risk_level(*likelihood, *impact),
                        count: threats.len(),
                        threats,
                    }
                })
                .collect(),
        })
        .collect();
    let unrated = t
        .threats
        .iter()
        .filter(|x| x.likelihood.is_none() || x.impact.is_none())
        .map(|x| MatrixThreat {
            id: x.id.value.clone(),
            anchor: fragment(&x.id.value),
            title: x.title.value.clone(),
            status: word(&x.status),
        })
        .collect();
    let matrix = Matrix {
        likelihoods: RATINGS.iter().map(|r| r.name()).collect(),
        rows,
        unrated,
    };
    ThreatModelView {
        chart: figures::risk_chart(&matrix),
        system: t.system.value.clone(),
        methodology: text(&t.methodology),
        assets,
        flows,
        threats,
        status_counts,
        matrix,
    }
}

// ---------------------------------------------------------------------------------------
// scan

#[derive(Debug, Serialize)]
pub(crate) struct ScanView {
    tool: Option<String>,
    target: Option<String>,
    scanned: Option<String>,
    report: Option<String>,
    total: usize,
    summary: ScanSummary,
    /// The summary as a stacked bar chart.
    chart: Chart,
    /// Open findings over the scans of the same target, when there are several.
    trend: Option<figures::TrendView>,
    /// Findings by severity, most severe first; empty groups left out.
    groups: Vec<SeverityGroup>,
    /// Findings not listed because the page shows at most [`FINDINGS_SHOWN`].
    hidden: usize,
    /// The rules the findings name that the scan describes, each shown once.
    rules: Vec<RuleView>,
}

/// The most findings a scan (or SBOM) page lists: a 100 MB report holds a million, which
/// no browser shows; the rest are counted, and the item's JSON keeps them all.
pub(crate) const FINDINGS_SHOWN: usize = 1000;

#[derive(Debug, Serialize)]
struct ScanSummary {
    /// Column headings.
    columns: Vec<&'static str>,
    rows: Vec<SummaryRow>,
    totals: SummaryRow,
}

#[derive(Debug, Serialize)]
struct SummaryRow {
    severity: &'static str,
    counts: Vec<usize>,
    total: usize,
}

#[derive(Debug, Serialize)]
struct SeverityGroup {
    severity: &'static str,
    /// How many findings have this severity (more than are listed when capped).
    total: usize,
    findings: Vec<FindingView>,
}

#[derive(Debug, Serialize)]
struct FindingView {
    id: String,
    /// An extra anchor for `SCAN#RULE` links, on the first finding of a rule whose name
    /// is not itself a finding id.
    rule_anchor: Option<String>,
    rule: Option<String>,
    /// The anchor of the rule's help on this page, when the scan describes the rule.
    rule_help: Option<String>,
    title: Option<String>,
    location: Option<String>,
    /// A link to the located file (and line) when the site holds it.
    location_href: Option<String>,
    fixed_version: Option<String>,
    references: Vec<ExternalLink>,
    status: &'static str,
    justification: Option<String>,
    covered_by: Vec<CoveredBy>,
    /// What an SBOM says beyond the finding (empty for a scan's).
    #[serde(flatten)]
    extra: FindingExtra,
}

/// An SBOM vulnerability's fields beyond the finding.
#[derive(Debug, Default, Serialize)]
struct FindingExtra {
    /// The affected components, linked to their rows when the bill lists them.
    affects: Vec<Local>,
    /// "9.8 (CVSSv31)".
    score: Option<String>,
    /// The VEX state, in words (not affected, in triage, ...).
    vex_state: Option<String>,
    /// The VEX responses, in words.
    response: Vec<String>,
    recommendation: Option<String>,
}

#[derive(Debug, Serialize)]
struct ExternalLink {
    text: String,
    /// Only http and https references become links.
    href: Option<String>,
}

#[derive(Debug, Serialize)]
struct RuleView {
    id: String,
    /// The rule's anchor on the page (`rule-` and the slug of its id).
    anchor: String,
    name: Option<String>,
    description: Option<String>,
    /// The help rendered by the safe Markdown renderer.
    help_html: Option<String>,
    /// Plain-text help, as paragraphs, when there is no Markdown.
    help_text: Vec<String>,
    help_uri: Option<ExternalLink>,
    severity: Option<&'static str>,
    tags: Vec<String>,
    /// How many of the scan's findings name it.
    findings: usize,
}

/// The order of the summary's columns: open findings split by whether a current
/// exception covers them, then the other statuses.
const SUMMARY_COLUMNS: [&str; 5] = [
    "open",
    "open, excepted",
    "suppressed",
    "fixed",
    "not affected",
];

fn summary_column(f: &Finding, excepted: bool) -> usize {
    match f.status() {
        FindingStatus::Open if excepted => 1,
        FindingStatus::Open => 0,
        FindingStatus::Suppressed => 2,
        FindingStatus::Fixed => 3,
        FindingStatus::NotAffected => 4,
    }
}

fn scan(index: &Index<'_>, item: &Item, s: &Scan, from: &str) -> ScanView {
    let findings: Vec<&Finding> = s.findings.iter().collect();
    let g = finding_groups(index, item, from, &findings, &s.rules, |_| {
        FindingExtra::default()
    });
    ScanView {
        tool: text(&s.tool),
        target: text(&s.target),
        scanned: date(&s.scanned),
        report: text(&s.report),
        total: s.findings.len(),
        chart: figures::summary_chart(&g.summary),
        trend: figures::trend_view(index, &item.header.id, s, from),
        summary: g.summary,
        groups: g.groups,
        hidden: g.hidden,
        rules: g.rules,
    }
}

/// A web reference as a short link; anything else as plain text.
fn external_link(r: &str) -> ExternalLink {
    let t = r.trim();
    let lower = t.to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    ExternalLink {
        text: if web { short_url(t) } else { t.to_owned() },
        href: web.then(|| t.to_owned()),
    }
}

/// Findings of a scan or an SBOM, as its page shows them.
struct Grouped {
    summary: ScanSummary,
    /// By severity, most severe first; empty groups left out.
    groups: Vec<SeverityGroup>,
    /// How many findings the page does not list ([`FINDINGS_SHOWN`]).
    hidden: usize,
    /// The described rules the findings name, each with its count.
    rules: Vec<RuleView>,
}

/// Findings (of a scan or an SBOM) counted by severity and status, and grouped by
/// severity, most severe first, listing at most [`FINDINGS_SHOWN`]; `extra` gives what
/// the item says beyond finding `i`, asked only for the findings listed.
fn finding_groups(
    index: &Index<'_>,
    item: &Item,
    from: &str,
    findings: &[&Finding],
    rules: &[crate::model::kinds::scan::Rule],
    extra: impl Fn(usize) -> FindingExtra,
) -> Grouped {
    let own = item.header.id.as_str();
    let mut severities: Vec<Option<Severity>> = Severity::NAMES
        .iter()
        .enumerate()
        .map(|(i, _)| Some(Severity::from_index(i)))
        .collect();
    let has_unrated = findings.iter().any(|f| f.severity.is_none());
    if has_unrated {
        severities.push(None);
    }
    let sev_name = |s: Option<Severity>| s.map_or("unrated", |x| x.name());
    let slot_of = |f: &Finding| {
        severities
            .iter()
            .position(|x| *x == f.severity)
            .unwrap_or(severities.len() - 1)
    };
    let mut rows: Vec<SummaryRow> = severities
        .iter()
        .map(|s| SummaryRow {
            severity: sev_name(*s),
            counts: vec![0; SUMMARY_COLUMNS.len()],
            total: 0,
        })
        .collect();
    let mut groups: Vec<SeverityGroup> = severities
        .iter()
        .map(|s| SeverityGroup {
            severity: sev_name(*s),
            total: 0,
            findings: Vec::new(),
        })
        .collect();
    // Rules: the described ones the findings name, counted.
    let described: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .rev()
        .map(|(i, r)| (r.id.value.as_str(), i))
        .collect();
    let mut used = vec![0usize; rules.len()];
    let ids: std::collections::HashSet<String> =
        findings.iter().map(|f| f.id.to_string()).collect();
    let mut anchored_rules: std::collections::HashSet<&str> = std::collections::HashSet::new();
    // The most severe findings are listed first, up to the cap.
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| slot_of(findings[i]));
    let mut listed = 0;
    for &i in &order {
        let f = findings[i];
        let slot = slot_of(f);
        let id = f.id.to_string();
        let mut subs = vec![id.as_str()];
        if let Some(r) = f.rule.as_deref()
            && r != id
        {
            subs.push(r);
        }
        let covered_by = index.covered_by(from, own, &subs);
        let excepted = covered_by
            .iter()
            .any(|c| c.validity.as_ref().is_some_and(|v| v.state != "expired"));
        rows[slot].counts[summary_column(f, excepted)] += 1;
        rows[slot].total += 1;
        groups[slot].total += 1;
        let rule_index = f.rule.as_deref().and_then(|r| described.get(r).copied());
        if let Some(r) = rule_index {
            used[r] += 1;
        }
        // The anchor for `SCAN#RULE` goes on the rule's first finding, listed or not.
        let rule_anchor = f.rule.as_deref().and_then(|rule| {
            (!ids.contains(rule) && anchored_rules.insert(rule)).then(|| rule.to_owned())
        });
        if listed >= FINDINGS_SHOWN {
            continue;
        }
        listed += 1;
        let location = f.location.as_ref().map(ToString::to_string);
        let location_href = location
            .as_deref()
            .and_then(|l| index.location_href(from, &item.file, l));
        groups[slot].findings.push(FindingView {
            id,
            rule_anchor,
            rule: f.rule.as_deref().map(str::to_owned),
            rule_help: rule_index.map(|r| rule_anchor_of(&rules[r].id.value)),
            title: f.title.as_deref().map(str::to_owned),
            location,
            location_href,
            fixed_version: f.fixed_version.as_deref().map(str::to_owned),
            references: f.references().iter().map(|r| external_link(r)).collect(),
            status: f.status().name(),
            justification: f.justification.as_deref().map(str::to_owned),
            covered_by,
            extra: extra(i),
        });
    }
    let mut totals = SummaryRow {
        severity: "total",
        counts: vec![0; SUMMARY_COLUMNS.len()],
        total: 0,
    };
    for r in &rows {
        for (t, c) in totals.counts.iter_mut().zip(&r.counts) {
            *t += c;
        }
        totals.total += r.total;
    }
    let rules = rules
        .iter()
        .zip(&used)
        .filter(|(_, n)| **n > 0)
        .map(|(r, n)| rule_view(index, r, *n, from))
        .collect();
    Grouped {
        summary: ScanSummary {
            columns: SUMMARY_COLUMNS.to_vec(),
            rows,
            totals,
        },
        groups: groups.into_iter().filter(|g| g.total > 0).collect(),
        hidden: findings.len() - listed,
        rules,
    }
}

/// The anchor of a rule's help on its scan's page.
fn rule_anchor_of(id: &str) -> String {
    format!("rule-{}", slugify(id))
}

fn rule_view(
    index: &Index<'_>,
    r: &crate::model::kinds::scan::Rule,
    findings: usize,
    from: &str,
) -> RuleView {
    let help_html = r
        .help
        .as_ref()
        .map(|h| markdown::to_html(&h.value, &index.site.registry, from));
    RuleView {
        id: r.id.value.clone(),
        anchor: rule_anchor_of(&r.id.value),
        name: text(&r.name).filter(|n| *n != r.id.value),
        description: text(&r.description),
        help_text: if help_html.is_some() {
            Vec::new()
        } else {
            paragraphs(&r.help_text)
        },
        help_html,
        help_uri: r.help_uri.as_ref().map(|u| external_link(&u.value)),
        severity: word(&r.severity),
        tags: texts(&r.tags),
        findings,
    }
}

// ---------------------------------------------------------------------------------------
// sbom

/// The most components an SBOM page lists; the rest are counted (the raw source stays on
/// the page), so a bill of 50,000 packages still makes a page a browser can open.
pub(crate) const MAX_COMPONENTS: usize = 500;

#[derive(Debug, Serialize)]
pub(crate) struct SbomView {
    tool: Option<String>,
    format: Option<String>,
    spec_version: Option<String>,
    subject: Option<String>,
    component_count: usize,
    /// Distinct licences.
    licence_count: usize,
    /// Licence -> number of components, most used first.
    licences: Vec<LicenceCount>,
    /// Components that name no licence (`name@version`).
    unlicensed: Vec<Local>,
    /// The first [`MAX_COMPONENTS`] components.
    components: Vec<ComponentView>,
    /// How many more components the bill holds than the page lists.
    more_components: usize,
    /// Vulnerabilities.
    total: usize,
    summary: ScanSummary,
    /// The summary as a stacked bar chart.
    chart: Chart,
    groups: Vec<SeverityGroup>,
    /// Vulnerabilities not listed because the page shows at most [`FINDINGS_SHOWN`].
    hidden: usize,
}

#[derive(Debug, Serialize)]
struct LicenceCount {
    licence: String,
    count: usize,
}

#[derive(Debug, Serialize)]
struct ComponentView {
    id: String,
    name: String,
    version: Option<String>,
    kind: Option<String>,
    purl: Option<String>,
    licences: Vec<String>,
    supplier: Option<String>,
    /// Vulnerabilities that affect it.
    vulnerabilities: usize,
}

fn sbom(index: &Index<'_>, item: &Item, s: &Sbom, from: &str) -> SbomView {
    let mut licences: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unlicensed = Vec::new();
    let local = |c: &crate::model::kinds::sbom::Component| Local {
        text: c.label(),
        anchor: Some(format!("#{}", fragment(&c.id.value))),
    };
    for c in &s.components {
        if c.licences.is_empty() {
            unlicensed.push(local(c));
        }
        let mut seen: Vec<&str> = Vec::new();
        for l in &c.licences {
            let l = l.value.trim();
            if !seen.contains(&l) {
                seen.push(l);
                *licences.entry(l).or_default() += 1;
            }
        }
    }
    let mut licences: Vec<LicenceCount> = licences
        .into_iter()
        .map(|(licence, count)| LicenceCount {
            licence: licence.to_owned(),
            count,
        })
        .collect();
    licences.sort_by_key(|l| std::cmp::Reverse(l.count));
    // Component id -> the component, and -> how many vulnerabilities affect it.
    let by_id: HashMap<&str, &crate::model::kinds::sbom::Component> = s
        .components
        .iter()
        .map(|c| (c.id.value.as_str(), c))
        .collect();
    let mut hits: HashMap<&str, usize> = HashMap::new();
    for f in &s.findings {
        for a in &f.affects {
            *hits.entry(a.value.as_str()).or_default() += 1;
        }
    }
    let components = s
        .components
        .iter()
        .take(MAX_COMPONENTS)
        .map(|c| ComponentView {
            id: c.id.value.clone(),
            name: c.name.value.clone(),
            version: text(&c.version),
            kind: text(&c.kind),
            purl: text(&c.purl),
            licences: texts(&c.licences),
            supplier: text(&c.supplier),
            vulnerabilities: hits.get(c.id.value.as_str()).copied().unwrap_or(0),
        })
        .collect();
    let extra = |i: usize| {
        let f = &s.findings[i];
        // Components of the bill link to their rows; what else the location names
        // (the subject, or a ref the bill does not define) stays text.
        let mut affects: Vec<Local> = f
            .affects
            .iter()
            .filter_map(|a| by_id.get(a.value.as_str()))
            .map(|c| local(c))
            .collect();
        if affects.len() < f.affects.len()
            && let Some(location) = &f.finding.location
        {
            for part in location.text.split(", ") {
                if !affects.iter().any(|a| a.text == part) {
                    affects.push(Local {
                        text: part.to_owned(),
                        anchor: None,
                    });
                }
            }
        }
        let score = f.score.as_ref().map(|x| match &f.method {
            Some(m) => format!("{} ({})", number(x.value), m.value),
            None => number(x.value),
        });
        FindingExtra {
            affects,
            score,
            vex_state: f.vex_state.as_ref().map(|v| v.value.replace('_', " ")),
            response: f
                .response
                .iter()
                .map(|r| r.value.replace('_', " "))
                .collect(),
            recommendation: text(&f.recommendation),
        }
    };
    let findings: Vec<&Finding> = s.findings.iter().map(|f| &f.finding).collect();
    let g = finding_groups(index, item, from, &findings, &[], extra);
    SbomView {
        tool: text(&s.tool),
        format: text(&s.format),
        spec_version: text(&s.spec_version),
        subject: text(&s.subject),
        component_count: s.components.len(),
        licence_count: licences.len(),
        licences,
        unlicensed,
        components,
        more_components: s.components.len().saturating_sub(MAX_COMPONENTS),
        total: s.findings.len(),
        chart: figures::summary_chart(&g.summary),
        summary: g.summary,
        groups: g.groups,
        hidden: g.hidden,
    }
}

// ---------------------------------------------------------------------------------------
// exception

#[derive(Debug, Serialize)]
pub(crate) struct ExceptionView {
    approved_on: Option<String>,
    validity: Option<Validity>,
    reason: Vec<String>,
    approved_by: Vec<String>,
    covers: Vec<Covered>,
}

/// Something an exception covers.
#[derive(Debug, Serialize)]
struct Covered {
    link: Link,
    /// finding, rule, threat, disparity, or item.
    what: &'static str,
    severity: Option<&'static str>,
    status: Option<&'static str>,
}

fn exception(index: &Index<'_>, e: &Exception, from: &str) -> ExceptionView {
    let covers = e
        .covers
        .iter()
        .map(|c| {
            let link = index.link(from, &c.value);
            let (mut what, mut severity, mut status) = ("item", None, None);
            if let Some((id, sub)) = c.value.trim().split_once('#')
                && let Some(target) = index.site.registry.get(id)
                && let TargetKind::Item(_) = target.kind
                && let Some(item) = index.site.items.get(target.index)
            {
                match &item.body {
                    Body::Scan(_) | Body::Sbom(_) => {
                        if let Some(f) = item.body.findings().into_iter().find(|f| f.id == *sub) {
                            what = "finding";
                            severity = f.severity.map(|x| x.name());
                            status = Some(f.status().name());
                        } else if let Body::Sbom(s) = &item.body
                            && s.components.iter().any(|c| c.id.value == sub)
                        {
                            what = "component";
                        } else {
                            what = "rule";
                        }
                    }
                    Body::ThreatModel(t) => {
                        what = "threat";
                        status = t
                            .threats
                            .iter()
                            .find(|x| x.id.value == sub)
                            .and_then(|x| word(&x.status));
                    }
                    Body::Fairness(_) => what = "disparity",
                    _ => {}
                }
            }
            Covered {
                link,
                what,
                severity,
                status,
            }
        })
        .collect();
    ExceptionView {
        approved_on: date(&e.approved_on),
        validity: e.expires.as_ref().map(|x| index.validity(x.value)),
        reason: paragraphs(&e.reason),
        approved_by: texts(&e.approved_by),
        covers,
    }
}

// ---------------------------------------------------------------------------------------
// fairness

#[derive(Debug, Serialize)]
pub(crate) struct FairnessView {
    model: Option<String>,
    dataset: Option<String>,
    sensitive_features: Vec<String>,
    frames: Vec<FrameView>,
    disparities: Vec<DisparityView>,
    /// Disparities past their threshold.
    past: usize,
    /// Disparities whose feature has no metrics to chart them beside.
    disparity_chart: Option<Chart>,
    explainability: Option<ExplainView>,
    review: Option<ReviewView>,
    /// What an imported Hugging Face model card adds (boxed: most fairness items have none).
    card: Option<Box<CardView>>,
}

#[derive(Debug, Serialize)]
struct CardView {
    /// Label and text of each front-matter fact.
    facts: Vec<(String, String)>,
    /// The card's body as sanitised HTML.
    description: Option<String>,
}

#[derive(Debug, Serialize)]
struct FrameView {
    feature: String,
    /// Column headings: every metric of any group, in first-written order.
    metrics: Vec<String>,
    rows: Vec<GroupRow>,
    /// The metrics by group, with the feature's disparities.
    chart: Chart,
}

#[derive(Debug, Serialize)]
struct GroupRow {
    group: String,
    /// One per metric; `None` where the group lacks it.
    values: Vec<Option<String>>,
}

#[derive(Debug, Serialize)]
struct DisparityView {
    /// An anchor for `FAIRNESS#METRIC` links, on the first disparity of each metric.
    anchor: Option<String>,
    metric: String,
    feature: Option<String>,
    value: String,
    threshold: String,
    direction: &'static str,
    within: bool,
    covered_by: Vec<CoveredBy>,
}

#[derive(Debug, Serialize)]
struct ExplainView {
    method: Option<String>,
    notes: Option<String>,
    /// Most important first.
    features: Vec<Importance>,
    /// The largest importance: the meters' maximum.
    max: f64,
    chart: Chart,
}

#[derive(Debug, Serialize)]
struct Importance {
    name: String,
    value: f64,
    text: String,
}

#[derive(Debug, Serialize)]
struct ReviewView {
    reviewer: Option<String>,
    reviewed_on: Option<String>,
    decision: Option<String>,
    /// The decision as a badge class.
    decision_class: Option<String>,
    cadence_days: Option<u32>,
    next_due: Due,
    notes: Option<String>,
}

fn fairness(index: &Index<'_>, own: &str, f: &Fairness, from: &str) -> FairnessView {
    // Each frame's groups with their metrics as display text: the numbers, then the
    // metrics a model card reported as text, placed in their frame and group.
    type Cells = Vec<(String, Vec<(String, String)>)>;
    let mut tables: Vec<(String, Cells)> = f
        .metrics
        .iter()
        .map(|frame| {
            let groups = frame
                .groups
                .iter()
                .map(|(g, ms)| {
                    (
                        g.clone(),
                        ms.iter()
                            .map(|(n, v)| (n.clone(), number(v.value)))
                            .collect(),
                    )
                })
                .collect();
            (frame.feature.value.clone(), groups)
        })
        .collect();
    for t in f.card.iter().flat_map(|c| &c.text_metrics) {
        let ti = match tables.iter().position(|(feat, _)| *feat == t.feature) {
            Some(i) => i,
            None => {
                tables.push((t.feature.clone(), Vec::new()));
                tables.len() - 1
            }
        };
        let groups = &mut tables[ti].1;
        let gi = match groups.iter().position(|(g, _)| *g == t.group) {
            Some(i) => i,
            None => {
                groups.push((t.group.clone(), Vec::new()));
                groups.len() - 1
            }
        };
        groups[gi].1.push((t.metric.clone(), t.value.value.clone()));
    }
    let frames = tables
        .into_iter()
        .map(|(feature, groups)| {
            let mut metrics: Vec<String> = Vec::new();
            for (_, group) in &groups {
                for (name, _) in group {
                    if !metrics.contains(name) {
                        metrics.push(name.clone());
                    }
                }
            }
            let rows = groups
                .iter()
                .map(|(group, values)| GroupRow {
                    group: group.clone(),
                    values: metrics
                        .iter()
                        .map(|m| values.iter().find(|(n, _)| n == m).map(|(_, v)| v.clone()))
                        .collect(),
                })
                .collect();
            FrameView {
                chart: figures::feature_chart(f, &feature),
                feature,
                metrics,
                rows,
            }
        })
        .collect();
    let card = f.card.as_ref().map(|c| {
        Box::new(CardView {
            facts: c
                .facts
                .iter()
                .map(|x| (x.label.clone(), x.value.clone()))
                .collect(),
            description: c
                .description
                .as_ref()
                .map(|d| markdown::to_html(d, &index.site.registry, from)),
        })
    });
    let disparities: Vec<DisparityView> = f
        .disparities
        .iter()
        .enumerate()
        .map(|(i, d)| DisparityView {
            anchor: f.disparities[..i]
                .iter()
                .all(|x| x.metric.value != d.metric.value)
                .then(|| d.metric.value.clone()),
            metric: d.metric.value.clone(),
            feature: text(&d.feature),
            value: number(d.value.value),
            threshold: number(d.threshold.value),
            direction: d
                .direction
                .as_ref()
                .map_or(Direction::AtMost, |x| x.value)
                .name(),
            within: d.within(),
            covered_by: index.covered_by(from, own, &[d.metric.value.as_str()]),
        })
        .collect();
    let explainability = f.explainability.as_ref().map(|e| {
        let mut features: Vec<Importance> = e
            .global_importance
            .iter()
            .map(|(name, v)| Importance {
                name: name.clone(),
                value: v.value,
                text: number(v.value),
            })
            .collect();
        features.sort_by(|a, b| b.value.total_cmp(&a.value));
        let max = features.iter().map(|x| x.value).fold(0.0_f64, f64::max);
        let pairs: Vec<(String, f64)> =
            features.iter().map(|x| (x.name.clone(), x.value)).collect();
        ExplainView {
            chart: figures::importance_chart(e.method.as_ref().map(|m| m.value.as_str()), &pairs),
            method: text(&e.method),
            notes: text(&e.notes),
            features,
            max: if max > 0.0 { max } else { 1.0 },
        }
    });
    let review = f.review.as_ref().map(|r| {
        let next = match (&r.reviewed_on, &r.cadence_days) {
            (Some(on), Some(c)) => on
                .value
                .checked_add(jiff::Span::new().days(i64::from(c.value)))
                .ok(),
            _ => None,
        };
        ReviewView {
            reviewer: text(&r.reviewer),
            reviewed_on: date(&r.reviewed_on),
            decision: text(&r.decision),
            decision_class: r.decision.as_ref().map(|d| slugify(&d.value)),
            cadence_days: r.cadence_days.as_ref().map(|c| c.value),
            next_due: index.due(next, false),
            notes: text(&r.notes),
        }
    });
    FairnessView {
        model: text(&f.model),
        dataset: text(&f.dataset),
        sensitive_features: texts(&f.sensitive_features),
        frames,
        past: disparities.iter().filter(|d| !d.within).count(),
        disparity_chart: figures::loose_disparities(f),
        disparities,
        explainability,
        review,
        card,
    }
}

// ---------------------------------------------------------------------------------------
// tabletop

#[derive(Debug, Serialize)]
pub(crate) struct TabletopView {
    held_on: Option<String>,
    scenario_category: Option<&'static str>,
    scenario: Option<String>,
    /// Participants grouped by role, roles in first-written order.
    roles: Vec<RoleGroup>,
    timeline: Vec<MomentView>,
    findings: Vec<String>,
    actions: Vec<ActionView>,
    /// Actions not done.
    open_actions: usize,
}

#[derive(Debug, Serialize)]
struct RoleGroup {
    role: Option<String>,
    names: Vec<String>,
}

#[derive(Debug, Serialize)]
struct MomentView {
    time: Option<String>,
    inject: Option<String>,
    response: Option<String>,
}

#[derive(Debug, Serialize)]
struct ActionView {
    id: String,
    title: Option<String>,
    owner: Option<String>,
    due: Due,
    status: &'static str,
    threats: Vec<Link>,
}

fn action_status(a: &tabletop::Action) -> ActionStatus {
    a.status.as_ref().map_or(ActionStatus::Open, |s| s.value)
}

fn tabletop(index: &Index<'_>, t: &Tabletop, from: &str) -> TabletopView {
    let mut roles: Vec<RoleGroup> = Vec::new();
    for p in &t.participants {
        let role = text(&p.role);
        match roles.iter_mut().find(|g| g.role == role) {
            Some(g) => g.names.push(p.name.value.clone()),
            None => roles.push(RoleGroup {
                role,
                names: vec![p.name.value.clone()],
            }),
        }
    }
    TabletopView {
        held_on: date(&t.held_on),
        scenario_category: t.scenario.as_ref().and_then(|s| word(&s.category)),
        scenario: t.scenario.as_ref().and_then(|s| text(&s.text)),
        roles,
        timeline: t
            .timeline
            .iter()
            .map(|m| MomentView {
                time: text(&m.time),
                inject: text(&m.inject),
                response: text(&m.response),
            })
            .collect(),
        findings: texts(&t.findings),
        open_actions: t
            .actions
            .iter()
            .filter(|a| action_status(a) != ActionStatus::Done)
            .count(),
        actions: t
            .actions
            .iter()
            .map(|a| {
                let status = action_status(a);
                ActionView {
                    id: a.id.value.clone(),
                    title: text(&a.title),
                    owner: text(&a.owner),
                    due: index.due(
                        a.due.as_ref().map(|d| d.value),
                        status == ActionStatus::Done,
                    ),
                    status: status.name(),
                    threats: index.links(from, &a.threats),
                }
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------
// portfolio

#[derive(Debug, Serialize)]
pub(crate) struct PortfolioView {
    name: Option<String>,
    handle: String,
    module: Option<Link>,
    claims: Vec<ClaimView>,
    /// The reflection as sanitised HTML.
    reflection: Option<String>,
}

#[derive(Debug, Serialize)]
struct ClaimView {
    criterion: Link,
    evidence: Vec<Link>,
    note: Option<String>,
}

fn portfolio(index: &Index<'_>, p: &Portfolio, from: &str) -> PortfolioView {
    // A module is linked when the site has its roadmap (DESIGN 3.5), by any case of its id.
    let module = p
        .module
        .as_ref()
        .map(|m| match index.site.registry.module(&m.value) {
            Some((_, target)) => Link {
                text: m.value.clone(),
                href: Some(url::href(from, &target.url)),
                title: Some(target.title.clone()),
            },
            None => Link {
                text: m.value.clone(),
                href: None,
                title: None,
            },
        });
    PortfolioView {
        name: text(&p.learner.name),
        handle: p.learner.handle.value.clone(),
        module,
        claims: p
            .claims
            .iter()
            .map(|c| ClaimView {
                criterion: index.link(from, &c.criterion.value),
                evidence: index.links(from, &c.evidence),
                note: text(&c.note),
            })
            .collect(),
        reflection: p
            .reflection
            .as_ref()
            .map(|r| markdown::to_html(&r.value, &index.site.registry, from)),
    }
}

// ---------------------------------------------------------------------------------------
// rubric

#[derive(Debug, Serialize)]
pub(crate) struct RubricView {
    competency: Option<String>,
    levels: Vec<String>,
    criteria: Vec<CriterionView>,
}

#[derive(Debug, Serialize)]
struct CriterionView {
    id: String,
    title: Option<String>,
    level: Option<String>,
    requires_kind: Option<String>,
    requires_minimum: Option<u32>,
    checks: Vec<CheckView>,
    /// Every learner's verdict on it, best first.
    learners: Vec<LearnerStatus>,
}

#[derive(Debug, Serialize)]
struct LearnerStatus {
    name: String,
    href: String,
    status: &'static str,
}

#[derive(Debug, Serialize)]
struct CheckView {
    /// The check as written, on one line.
    code: String,
    /// What an `expr:` check means.
    explain: Option<String>,
}

fn rubric(index: &Index<'_>, id: &str, r: &Rubric, from: &str) -> RubricView {
    RubricView {
        competency: text(&r.competency),
        levels: texts(&r.levels),
        criteria: r
            .criteria
            .iter()
            .map(|c| CriterionView {
                id: c.id.value.clone(),
                title: text(&c.title),
                level: text(&c.level),
                requires_kind: c.requires.as_ref().and_then(|r| text(&r.kind)),
                requires_minimum: c
                    .requires
                    .as_ref()
                    .and_then(|r| r.minimum.as_ref())
                    .map(|m| m.value),
                checks: c.checks.iter().map(|k| check(&k.written)).collect(),
                learners: {
                    let mut l: Vec<_> = index.coverage.on_criterion(id, &c.id.value).collect();
                    l.sort_by(|a, b| {
                        b.1.status
                            .cmp(&a.1.status)
                            .then_with(|| a.0.handle.cmp(&b.0.handle))
                    });
                    l.into_iter()
                        .map(|(learner, v)| LearnerStatus {
                            name: learner.display_name().to_owned(),
                            href: url::href(from, &url::learner_url(&learner.handle)),
                            status: v.status.word(),
                        })
                        .collect()
                },
            })
            .collect(),
    }
}

fn check(n: &Node) -> CheckView {
    if let (Some(expr), Value::Map(entries)) = (n.get("expr"), &n.value) {
        let rest: Vec<String> = entries
            .iter()
            .filter(|e| e.key != "expr" && e.key != "explain")
            .map(|e| format!("{}: {}", e.key, flow(&e.node)))
            .collect();
        let mut code = format!("expr: {}", flow(expr));
        for r in rest {
            code.push_str(", ");
            code.push_str(&r);
        }
        return CheckView {
            code,
            explain: n.get("explain").and_then(Node::scalar_text),
        };
    }
    let code = match &n.value {
        Value::Map(entries) => entries
            .iter()
            .map(|e| format!("{}: {}", e.key, flow(&e.node)))
            .collect::<Vec<_>>()
            .join(", "),
        _ => flow(n),
    };
    CheckView {
        code,
        explain: None,
    }
}

/// A value in YAML flow style, on one line.
fn flow(n: &Node) -> String {
    match &n.value {
        Value::Seq(items) => format!(
            "[{}]",
            items.iter().map(flow).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|e| format!("{}: {}", e.key, flow(&e.node)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Null => "~".to_owned(),
        _ => n.scalar_text().unwrap_or_default(),
    }
}

// ---------------------------------------------------------------------------------------
// catalog

#[derive(Debug, Serialize)]
pub(crate) struct CatalogView {
    source: Option<String>,
    license: Option<String>,
    version: Option<String>,
    /// Where to read the source: a link only when it is a web address.
    url: Option<ExternalLink>,
    controls: Vec<ControlView>,
    /// How many crosswalk mappings the controls have.
    mappings: usize,
    /// Whether any control has a description (else the column is left out).
    has_descriptions: bool,
    /// Whether any control maps or is mapped onto (else the column is left out).
    has_crosswalk: bool,
    /// Controls with evidence, directly or through a crosswalk.
    covered: usize,
    /// Controls with evidence cited directly.
    direct: usize,
}

#[derive(Debug, Serialize)]
struct ControlView {
    id: String,
    /// The row's HTML id, which links to the control name as their fragment.
    anchor: String,
    title: Option<String>,
    family: Option<String>,
    description: Option<String>,
    /// Crosswalk: how it maps onto controls of other catalogs, then how theirs map
    /// onto it (with the relation read from this side).
    maps: Vec<MappingView>,
    /// The control's own page.
    href: String,
    /// Items that cite the control.
    used_by: Vec<Link>,
    /// Whether a packet cites evidence for it directly.
    direct: bool,
    /// Whether a packet cites evidence for it, directly or through a crosswalk.
    covered: bool,
}

#[derive(Debug, Serialize)]
struct MappingView {
    /// equivalent-to, subset-of, superset-of or intersects-with.
    relation: &'static str,
    /// The relation in words (equivalent to, ...).
    label: String,
    /// The other control, linked when the site has it.
    to: Link,
    /// Whether the other catalog wrote the mapping (onto this control).
    inbound: bool,
}

/// The relation read from the other side: A subset-of B is B superset-of A.
fn inverse(r: Relation) -> Relation {
    match r {
        Relation::SubsetOf => Relation::SupersetOf,
        Relation::SupersetOf => Relation::SubsetOf,
        other => other,
    }
}

fn mapping(
    index: &Index<'_>,
    from: &str,
    relation: Relation,
    to: &str,
    inbound: bool,
) -> MappingView {
    let relation = relation.name();
    MappingView {
        relation,
        label: relation.replace('-', " "),
        to: index.link(from, to),
        inbound,
    }
}

fn catalog(index: &Index<'_>, own: &str, c: &Catalog, from: &str) -> CatalogView {
    let coverage = index.graph.controls().catalog(own);
    // Mappings other catalogs make onto this one's controls, by control id: shown from
    // this side too, with the relation turned round.
    let mut inbound: BTreeMap<&str, Vec<MappingView>> = BTreeMap::new();
    for item in &index.site.items {
        let Body::Catalog(other) = &item.body else {
            continue;
        };
        for x in &other.controls {
            for m in &x.maps {
                if let Some((cat, ctl)) = crate::model::control_ref(&m.to.value)
                    && cat == own
                {
                    let source = format!("{}:{}", item.header.id, x.id.value.trim());
                    inbound.entry(ctl).or_default().push(mapping(
                        index,
                        from,
                        inverse(m.relation.value),
                        &source,
                        true,
                    ));
                }
            }
        }
    }
    let is_catalog = |id: &str| {
        matches!(
            index.site.registry.get(id).map(|t| t.kind),
            Some(TargetKind::Item(crate::model::Kind::Catalog))
        )
    };
    let controls: Vec<ControlView> = c
        .controls
        .iter()
        .map(|x| {
            let id = x.id.value.trim();
            let mut maps: Vec<MappingView> = x
                .maps
                .iter()
                .map(|m| mapping(index, from, m.relation.value, &m.to.value, false))
                .collect();
            maps.extend(inbound.remove(id).unwrap_or_default());
            ControlView {
                id: id.to_owned(),
                anchor: fragment(id),
                href: url::href(from, &url::control_url(own, id)),
                direct: index
                    .graph
                    .controls()
                    .get(&format!("{own}:{id}"))
                    .is_some_and(|f| f.has_direct()),
                covered: index
                    .graph
                    .controls()
                    .get(&format!("{own}:{id}"))
                    .is_some_and(|f| f.covered()),
                title: text(&x.title),
                family: text(&x.family),
                description: text(&x.description),
                maps,
                // Catalogs that map onto the control are in its crosswalk already.
                used_by: index
                    .control_users
                    .get(&(own, id))
                    .into_iter()
                    .flatten()
                    .filter(|u| !is_catalog(u))
                    .map(|u| index.link(from, u))
                    .collect(),
            }
        })
        .collect();
    CatalogView {
        source: text(&c.source),
        license: text(&c.license),
        version: text(&c.version),
        url: c.url.as_ref().map(|u| external_link(&u.value)),
        mappings: c.controls.iter().map(|x| x.maps.len()).sum(),
        has_descriptions: controls.iter().any(|x| x.description.is_some()),
        has_crosswalk: controls.iter().any(|x| !x.maps.is_empty()),
        covered: coverage.covered,
        direct: coverage.direct,
        controls,
    }
}

// ---------------------------------------------------------------------------------------
// backlog

/// The site's backlog: every mitigation and tabletop action not done, by due date.
#[derive(Debug, Serialize)]
pub(crate) struct BacklogView {
    rows: Vec<BacklogRow>,
    overdue: usize,
    undated: usize,
    today: String,
}

#[derive(Debug, Serialize)]
struct BacklogRow {
    due: Due,
    owner: Option<String>,
    /// mitigation or action.
    kind: &'static str,
    what: String,
    /// The control a mitigation implements.
    control: Option<Link>,
    /// The threat or action: its id, linking to `ITEM#SUB`.
    source: Link,
    /// The item it belongs to.
    item: Link,
    /// The threat a mitigation is for.
    context: Option<String>,
    status: &'static str,
}

/// A link to `item#sub` labelled with the sub-item's id alone.
fn sub_link(index: &Index<'_>, from: &str, item: &str, sub: &str) -> Link {
    let full = index.link(from, &format!("{item}#{sub}"));
    Link {
        text: sub.to_owned(),
        title: Some(full.text),
        href: full.href,
    }
}

/// Builds the backlog as the page at `from` shows it.
pub(crate) fn backlog(index: &Index<'_>, from: &str) -> BacklogView {
    let mut rows: Vec<(Option<Date>, BacklogRow)> = Vec::new();
    for item in &index.site.items {
        let id = item.header.id.as_str();
        let item_link = || Link {
            text: item.header.title.clone(),
            href: Some(url::href(from, item.url_str())),
            title: Some(id.to_owned()),
        };
        match &item.body {
            Body::ThreatModel(t) => {
                for threat in &t.threats {
                    for m in &threat.mitigations {
                        let status = m.status.as_ref().map(|s| s.value);
                        if status == Some(MitigationStatus::Done) {
                            continue;
                        }
                        let what = text(&m.text)
                            .or_else(|| text(&m.control))
                            .unwrap_or_default();
                        rows.push((
                            m.due.as_ref().map(|d| d.value),
                            BacklogRow {
                                due: index.due(m.due.as_ref().map(|d| d.value), false),
                                owner: text(&m.owner),
                                kind: "mitigation",
                                what,
                                control: m.control.as_ref().map(|c| index.link(from, &c.value)),
                                source: sub_link(index, from, id, &threat.id.value),
                                item: item_link(),
                                context: Some(threat.title.value.clone()),
                                status: status.map_or("planned", |s| s.name()),
                            },
                        ));
                    }
                }
            }
            Body::Tabletop(t) => {
                for a in &t.actions {
                    let status = action_status(a);
                    if status == ActionStatus::Done {
                        continue;
                    }
                    rows.push((
                        a.due.as_ref().map(|d| d.value),
                        BacklogRow {
                            due: index.due(a.due.as_ref().map(|d| d.value), false),
                            owner: text(&a.owner),
                            kind: "action",
                            what: text(&a.title).unwrap_or_else(|| a.id.value.clone()),
                            control: None,
                            source: sub_link(index, from, id, &a.id.value),
                            item: item_link(),
                            context: None,
                            status: status.name(),
                        },
                    ));
                }
            }
            _ => {}
        }
    }
    // Dated work first, soonest first; undated last; ties keep site order.
    rows.sort_by_key(|a| (a.0.is_none(), a.0));
    BacklogView {
        overdue: rows.iter().filter(|r| r.1.due.overdue).count(),
        undated: rows.iter().filter(|r| r.0.is_none()).count(),
        rows: rows.into_iter().map(|r| r.1).collect(),
        today: index.today.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_encode_what_a_url_fragment_cannot_hold() {
        assert_eq!(fragment("CVE-2024-3094"), "CVE-2024-3094");
        assert_eq!(fragment("a b\"c"), "a-b%22c");
        assert_eq!(fragment("é"), "%C3%A9");
    }

    #[test]
    fn short_urls() {
        assert_eq!(
            short_url("https://nvd.nist.gov/vuln/detail/CVE-2024-1135"),
            "nvd.nist.gov › CVE-2024-1135"
        );
        assert_eq!(short_url("https://www.example.org/"), "example.org");
        assert_eq!(short_url("http://a.b/x/?q=1"), "a.b › x");
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(number(21904.0), "21904");
        assert_eq!(number(0.612), "0.612");
        assert_eq!(number(-3.0), "-3");
        // Tables name what a chart leaves out.
        assert_eq!(number(f64::NAN), "not a number");
        assert_eq!(number(f64::NEG_INFINITY), "minus infinity");
    }

    #[test]
    fn risk_levels() {
        assert_eq!(risk_level(Rating::Low, Rating::Low), "low");
        assert_eq!(risk_level(Rating::Low, Rating::Critical), "medium");
        assert_eq!(risk_level(Rating::High, Rating::High), "critical");
        assert_eq!(risk_level(Rating::Medium, Rating::High), "high");
    }
}
