//! Finding locations (`src/app.py:12:5`, `file:///src/app.py:12`) as links to the files
//! the site holds. A location is never trusted as a URL: it is parsed as a path and a
//! line, resolved against the site root, the report's folder and evidence/, normalised
//! without ever leaving the site, and linked only when it names a file the site
//! publishes (an item's page with its highlighted source, or a copied file).

use crate::model::url::join;

/// A location's path and line: a leading `file://` (and the slash after it) or `./` is
/// dropped, and a trailing `:LINE` or `:LINE:COLUMN` split off. `None` for text that is
/// no file path (a package `name@1.0`, a URL, an absolute or Windows path).
pub(super) fn parse(location: &str) -> Option<(&str, Option<u32>)> {
    let mut path = location.trim();
    if let Some(rest) = path.strip_prefix("file://") {
        path = rest.trim_start_matches('/');
    }
    let mut line = None;
    // Up to two trailing numbers: the last is the column when there are two.
    let mut numbers = Vec::new();
    while numbers.len() < 2
        && let Some((rest, n)) = path.rsplit_once(':')
        && !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_digit())
    {
        numbers.push(n);
        path = rest;
    }
    if let Some(n) = numbers.last() {
        line = n.parse().ok().filter(|n| *n > 0);
    }
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    let unusable = path.is_empty()
        || path.starts_with('/')
        || path.contains(['\\', '?', '#', '\0'])
        || path.contains("://")
        || path.contains(':');
    (!unusable).then_some((path, line))
}

/// The site-relative files a location path may name, most specific first: beside the
/// report, under evidence/, from the site root.
pub(super) fn candidates(report_file: &str, path: &str) -> Vec<String> {
    let folder = report_file.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out = Vec::new();
    for base in [folder, "evidence", ""] {
        if let Some(p) = join(base, path)
            && !out.contains(&p)
        {
            out.push(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_lines() {
        assert_eq!(parse("src/app.py:12"), Some(("src/app.py", Some(12))));
        assert_eq!(parse("src/app.py:12:5"), Some(("src/app.py", Some(12))));
        assert_eq!(parse("./Dockerfile"), Some(("Dockerfile", None)));
        assert_eq!(parse("file:///src/a.c:3"), Some(("src/a.c", Some(3))));
        assert_eq!(parse("libexpat@2.5.0"), Some(("libexpat@2.5.0", None)));
        assert_eq!(parse("https://example.org/a.py:3"), None);
        assert_eq!(parse("javascript:alert(1)"), None);
        assert_eq!(parse("/etc/passwd:1"), None);
        assert_eq!(parse("C:\\x\\a.py:3"), None);
        assert_eq!(parse("a.py:0"), Some(("a.py", None)));
    }

    #[test]
    fn joins_never_climb_out() {
        assert_eq!(
            join("evidence/scans", "../src/a.py").as_deref(),
            Some("evidence/src/a.py")
        );
        assert_eq!(join("evidence", "../../etc/passwd"), None);
        assert_eq!(join("", "../x"), None);
        assert_eq!(
            candidates("evidence/scans/r.sarif", "app.py"),
            ["evidence/scans/app.py", "evidence/app.py", "app.py"]
        );
    }
}
