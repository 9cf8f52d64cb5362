//! What a run says about the scan as a whole: its tool, date and target.

use super::types::{Invocation, Loose, Provenance, RunProperties, Tool};
use jiff::civil::Date;

pub(super) const UNKNOWN_TOOL: &str = "unknown tool";

pub(super) fn scanned(
    invocations: Option<&[Invocation<'_>]>,
    run: usize,
) -> Option<(Date, String)> {
    let inv = invocations?.first()?;
    let (field, text) = match (&inv.end_time_utc, &inv.start_time_utc) {
        (Some(e), _) => ("endTimeUtc", e),
        (None, Some(s)) => ("startTimeUtc", s),
        (None, None) => return None,
    };
    let date = text.as_str().get(..10)?.parse().ok()?;
    Some((date, format!("runs[{run}].invocations[0].{field}")))
}

pub(super) fn repository(
    provenance: Option<&[Provenance<'_>]>,
    run: usize,
) -> Option<(String, String)> {
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

pub(super) fn image(p: Option<&RunProperties<'_>>, run: usize) -> Option<(String, String)> {
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

pub(super) fn tool_name<'x>(tool: Option<&'x Tool<'_>>) -> &'x str {
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
