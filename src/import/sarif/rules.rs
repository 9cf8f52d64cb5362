//! A run's rules: finding the rule a result names (by index, id or component), and
//! describing each rule once for the scan.

use super::types::{Component, ComponentRef, Loose, MessageString, Rule, SarifResult, Str, Tool};
use crate::import::common::severity::{sarif_level, severity_score};
use crate::import::finding::{at, text};
use crate::model::kinds::scan::Rule as ScanRule;
use std::collections::HashMap;

/// A run's rule tables: the driver's and each extension's, with an index by rule id.
pub(super) struct Rules<'r, 'a> {
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
    pub(super) fn of(tool: Option<&'r Tool<'a>>) -> Self {
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
    pub(super) fn resolve<'x>(
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

fn text_of<'x>(m: &'x Option<MessageString<'_>>) -> Option<&'x str> {
    m.as_ref()?.text.as_ref().map(Str::as_str)
}

/// The rules of a run's driver and extensions, each id once (the first run's wins).
pub(super) fn describe_rules(tool: Option<&Tool<'_>>, run: usize, out: &mut Vec<ScanRule>) {
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
            let field = |v: Option<&str>, f: &str| text(v, &format!("{path}.{f}"));
            let help = r.help.as_ref();
            let level = r
                .default_configuration
                .as_ref()
                .and_then(|c| c.level.as_ref());
            let score = r
                .properties
                .as_ref()
                .and_then(|p| p.security_severity.as_ref()?.score());
            let severity = score
                .map(severity_score)
                .or_else(|| level.map(|l| sarif_level(l.as_str())));
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
