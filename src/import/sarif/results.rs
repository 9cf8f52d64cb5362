//! One result as a finding: its title, severity, status and place.

use super::locations::location;
use super::rules::Rules;
use super::types::{Component, Properties, Rule, SarifResult, Str};
use crate::import::common::severity::{sarif_level, severity_score};
use crate::import::finding::NewFinding;
use crate::model::kinds::common::Severity;
use crate::model::kinds::scan::FindingStatus;

/// `{0}`, `{1}`, ... replaced by the arguments, `{{` and `}}` by braces (SARIF 3.11.5).
pub(super) fn format_message(template: &str, args: &[Str<'_>]) -> String {
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
    sarif_level(level(res, rule))
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

/// One result as a finding.
pub(super) fn finding(rules: &Rules<'_, '_>, res: &SarifResult<'_>) -> NewFinding {
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
