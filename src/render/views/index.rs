//! The site-wide lookups every kind view reads, built once per render: who an exception
//! covers, who cites a control, which files the site publishes and where, and scans'
//! trends; and the resolved values (links, validity, due dates) views are made of.

use super::figures;
use super::format::{days, plural};
use crate::model::decode::At;
use crate::model::kinds::{Body, RefRule};
use crate::model::url::fragment;
use crate::model::{Item, Site, TargetKind, url};
use jiff::civil::Date;
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
            if let Some(rel) = crate::model::url::attachment_path(&item.file, a)
                && let Some(other) = site.other_file(&rel)
            {
                let to = crate::render::attachment_url(item, &rel);
                files.entry(other.rel.as_str()).or_insert((to, false));
            }
        }
    }
    for item in &site.items {
        let shown = site
            .source_text(&item.file)
            .is_some_and(|t| t.len() <= crate::render::SOURCE_VIEW_LIMIT);
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
    pub(super) today: Date,
    warn_days: i64,
    /// `(item id, sub)` -> the exceptions whose `covers` name it, in file order.
    covers: BTreeMap<(&'a str, &'a str), Vec<&'a Item>>,
    /// `(catalog, control)` -> ids of the items that cite the control, sorted.
    pub(super) control_users: BTreeMap<(&'a str, &'a str), Vec<&'a str>>,
    /// Site-relative source file -> the URL that publishes it, and whether that page
    /// shows its lines (with `#Ln` anchors).
    files: HashMap<&'a str, (String, bool)>,
    /// Dated scans by target, for the scan pages' trend charts.
    pub(super) trends: figures::Trends,
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
    pub(super) fn location_href(&self, from: &str, report: &str, location: &str) -> Option<String> {
        let (path, line) = crate::render::locations::parse(location)?;
        crate::render::locations::candidates(report, path)
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

    pub(super) fn links(&self, from: &str, texts: &[At<String>]) -> Vec<Link> {
        texts.iter().map(|t| self.link(from, &t.value)).collect()
    }

    /// The exceptions covering `item#sub` (and `item#alt`, for a finding's rule).
    pub(super) fn covered_by(&self, from: &str, item: &str, subs: &[&str]) -> Vec<CoveredBy> {
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
    pub(super) fn validity(&self, expires: Date) -> Validity {
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
    pub(super) fn due(&self, due: Option<Date>, done: bool) -> Due {
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
pub(super) struct CoveredBy {
    link: Link,
    pub(super) validity: Option<Validity>,
}

/// Where an expiry date stands.
#[derive(Debug, Serialize)]
pub(super) struct Validity {
    /// current, expiring or expired (the badge class).
    pub(super) state: &'static str,
    /// The badge text.
    pub(super) label: &'static str,
    /// "12 days left", "expired 3 days ago".
    pub(super) text: String,
    /// The date.
    pub(super) expires: String,
}

/// A due date.
#[derive(Debug, Default, Serialize)]
pub(super) struct Due {
    date: Option<String>,
    pub(super) overdue: bool,
    /// "in 12 days", "3 days overdue"; none for work that is done.
    text: Option<String>,
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
