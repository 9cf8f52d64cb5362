//! Where a finding is, written the same way by every importer: `file:line` for code,
//! `package@version` for a dependency.

use std::fmt::Display;

/// `FILE:LINE`, or the file alone when no line is given (`None` without a file).
pub(crate) fn file_line(file: Option<&str>, line: Option<impl Display>) -> Option<String> {
    match (file, line) {
        (Some(f), Some(l)) => Some(format!("{f}:{l}")),
        (f, _) => f.map(str::to_owned),
    }
}

/// `NAME@VERSION`, or the name alone.
pub(crate) fn versioned(name: &str, version: Option<&str>) -> String {
    match version {
        Some(v) => format!("{name}@{v}"),
        None => name.to_owned(),
    }
}

/// A package as a location: `NAME@VERSION`, the name alone, `None` without a name.
pub(crate) fn package_at(name: Option<&str>, version: Option<&str>) -> Option<String> {
    name.map(|n| versioned(n, version))
}

/// A vulnerability's title when its advisory gives none: `PACKAGE VERSION: ID` (or
/// `PACKAGE: ID`), `None` without a package.
pub(crate) fn package_title(name: Option<&str>, version: Option<&str>, id: &str) -> Option<String> {
    name.map(|p| match version {
        Some(v) => format!("{p} {v}: {id}"),
        None => format!("{p}: {id}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places() {
        assert_eq!(file_line(Some("a.py"), Some(3)).unwrap(), "a.py:3");
        assert_eq!(file_line(Some("a.py"), None::<u64>).unwrap(), "a.py");
        assert_eq!(file_line(None, Some(3)), None);
        assert_eq!(package_at(Some("uri"), Some("1.0")).unwrap(), "uri@1.0");
        assert_eq!(package_at(Some("uri"), None).unwrap(), "uri");
        assert_eq!(package_at(None, Some("1.0")), None);
        assert_eq!(
            package_title(Some("uri"), Some("1.0"), "CVE-1").unwrap(),
            "uri 1.0: CVE-1"
        );
        assert_eq!(
            package_title(Some("uri"), None, "CVE-1").unwrap(),
            "uri: CVE-1"
        );
    }
}
