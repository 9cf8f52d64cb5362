//! Machine-readable diagnostics for `evidentia check --format`: our own JSON shape
//! (DESIGN section 4), SARIF 2.1.0 for code-scanning tools, and GitHub Actions workflow
//! commands for inline annotations on pull requests.
//!
//! Each function takes diagnostics the library has already sorted and returns the whole
//! document, ending with a newline, so the caller prints it as it is and nothing else
//! reaches stdout. None of them reads the sources again: everything shown comes from the
//! diagnostics (and, for SARIF, the site root).

use super::{Diagnostic, Severity, count, lookup};
use serde::Serialize;
use std::path::Path;

/// The shape of `check --format json`.
#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: &'a [Diagnostic],
    errors: usize,
    warnings: usize,
}

/// The diagnostics as DESIGN section 4's JSON document
/// (`{"diagnostics":[...],"errors":N,"warnings":N}`), pretty-printed so that it diffs well
/// in CI logs. The counts are included so that scripts need not count severities.
pub fn to_json(diags: &[Diagnostic]) -> String {
    let (errors, warnings) = count(diags);
    document(&JsonReport {
        diagnostics: diags,
        errors,
        warnings,
    })
}

/// Where the SARIF log says the schema lives: what editors and validators look up.
const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The `uriBaseId` every result's file is relative to; `originalUriBaseIds` maps it to
/// the site root, so a log stays valid when the site moves (a CI checkout path).
const SARIF_ROOT_BASE: &str = "SITEROOT";

/// The diagnostics as a SARIF 2.1.0 log with one run, for GitHub code scanning and other
/// SARIF viewers. `root` is the canonical site root (`Checked::root`); files are given
/// relative to it.
///
/// `rules` lists only the codes that occur, in code order, not the whole code table: the
/// log stays small, and a code added to the table does not change the log of a site that
/// does not trigger it (so committed logs and golden files change only with the site).
/// Columns count Unicode characters, which the run declares with `columnKind`.
pub fn to_sarif(diags: &[Diagnostic], root: &Path) -> String {
    let mut codes: Vec<&'static str> = diags.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules = codes.iter().map(|code| rule(code)).collect();
    let results = diags
        .iter()
        .map(|d| {
            let rule_index = codes.binary_search(&d.code).unwrap_or_default();
            sarif_result(d, rule_index)
        })
        .collect();
    let repository = env!("CARGO_PKG_REPOSITORY");
    document(&SarifLog {
        schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: env!("CARGO_PKG_NAME"),
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: (!repository.is_empty()).then_some(repository),
                    rules,
                },
            },
            original_uri_base_ids: OriginalUriBaseIds {
                site_root: ArtifactUri {
                    uri: root_uri(root),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    })
}

#[derive(Serialize)]
struct SarifLog {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    original_uri_base_ids: OriginalUriBaseIds,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
struct OriginalUriBaseIds {
    #[serde(rename = "SITEROOT")]
    site_root: ArtifactUri,
}

#[derive(Serialize)]
struct ArtifactUri {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Text>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
}

/// A rule for `code` from the code table; a code missing from the table (a bug, caught
/// by the table's tests) still gets a valid rule named after itself.
fn rule(code: &'static str) -> Rule {
    let info = lookup(code);
    let title = info.map_or(code, |i| i.title);
    Rule {
        id: code,
        name: pascal_case(title),
        short_description: Text {
            text: title.to_owned(),
        },
        full_description: info.map(|i| Text {
            text: i.explanation.to_owned(),
        }),
        help: info.map(|i| Text {
            text: format!(
                "{}\n\n`evidentia explain {code}` prints this text.",
                i.explanation
            ),
        }),
        default_configuration: Configuration {
            level: if code.starts_with('W') {
                "warning"
            } else {
                "error"
            },
        },
    }
}

fn sarif_result(d: &Diagnostic, rule_index: usize) -> SarifResult {
    let locations = if d.file.is_empty() {
        Vec::new()
    } else {
        vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: percent_encode_path(d.file.as_bytes()),
                    uri_base_id: SARIF_ROOT_BASE,
                },
                region: (d.line > 0).then(|| Region {
                    start_line: d.line,
                    start_column: (d.column > 0).then_some(d.column),
                }),
            },
        }]
    };
    SarifResult {
        rule_id: d.code,
        rule_index,
        level: level(d.severity),
        message: Text {
            text: full_message(d),
        },
        locations,
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The message with the field address and the fix-it text, for formats that have one
/// message slot per problem (SARIF results, GitHub annotations).
fn full_message(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    if !d.path.is_empty() {
        text.push_str(&format!(" (at `{}`)", d.path));
    }
    if !d.help.is_empty() {
        text.push_str("\nhelp: ");
        text.push_str(&d.help);
    }
    text
}

/// `unknown `kind`` -> `UnknownKind`, `file is not UTF-8 text` -> `FileIsNotUTF8Text`:
/// SARIF's rule `name` is meant to be an identifier.
fn pascal_case(title: &str) -> String {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .flat_map(|w| {
            let mut chars = w.chars();
            let first = chars.next().map(|c| c.to_uppercase());
            first.into_iter().flatten().chain(chars)
        })
        .collect()
}

/// The site root as a `file://` URI ending in `/`, as `originalUriBaseIds` requires.
fn root_uri(root: &Path) -> String {
    let bytes = root.as_os_str().as_encoded_bytes();
    let mut path: Vec<u8> = if cfg!(windows) {
        bytes
            .iter()
            .map(|&b| if b == b'\\' { b'/' } else { b })
            .collect()
    } else {
        bytes.to_vec()
    };
    if path.first() != Some(&b'/') {
        path.insert(0, b'/');
    }
    if path.last() != Some(&b'/') {
        path.push(b'/');
    }
    // A drive letter's colon (`/C:/site/`) is fine in an absolute URI's path.
    format!("file://{}", percent_encode(&path, b"/:"))
}

/// A relative `/`-separated path as a URI reference. `:` is encoded too, so that a first
/// segment such as `a:b.yaml` is not read as a URI scheme.
fn percent_encode_path(path: &[u8]) -> String {
    percent_encode(path, b"/")
}

/// Percent-encodes every byte except RFC 3986 unreserved characters and `keep`.
fn percent_encode(bytes: &[u8], keep: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The diagnostics as GitHub Actions workflow commands, one line each
/// (`::error file=F,line=L,col=C,title=CODE::message`), which a workflow step turns into
/// annotations on the pull request's diff. Line and column are left out for whole-file
/// problems, the file for site-wide ones. The message carries the field address and the
/// help, as annotations are all a reviewer sees.
pub fn to_github(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let mut props = Vec::new();
        if !d.file.is_empty() {
            props.push(format!("file={}", escape_property(&d.file)));
            if d.line > 0 {
                props.push(format!("line={}", d.line));
                if d.column > 0 {
                    props.push(format!("col={}", d.column));
                }
            }
        }
        props.push(format!("title={}", escape_property(d.code)));
        out.push_str(&format!(
            "::{} {}::{}\n",
            level(d.severity),
            props.join(","),
            escape_data(&full_message(d))
        ));
    }
    out
}

/// GitHub's escaping for a command's message (`escapeData` in @actions/core).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping for a command's properties (`escapeProperty` in @actions/core).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Pretty JSON with a final newline. Serialising these plain structs (string keys, no
/// maps, no custom serialisers) cannot fail.
fn document<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("diagnostic documents serialise");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    #[test]
    fn pascal_case_makes_identifiers() {
        assert_eq!(pascal_case("unknown `kind`"), "UnknownKind");
        assert_eq!(pascal_case("file is not UTF-8 text"), "FileIsNotUTF8Text");
        assert_eq!(pascal_case("site.toml is invalid"), "SiteTomlIsInvalid");
    }

    #[test]
    fn github_escapes_data_and_properties() {
        let d = Diagnostic::error("E0302", "a,b:c.md", "50% off\r\nnow")
            .at(Pos::new(2, 3))
            .with_help("fix");
        assert_eq!(
            to_github(&[d]),
            "::error file=a%2Cb%3Ac.md,line=2,col=3,title=E0302::50%25 off%0D%0Anow%0Ahelp: fix\n"
        );
    }

    #[test]
    fn site_wide_diagnostics_have_no_location() {
        let d = Diagnostic::error("E0107", "", "bad config");
        assert_eq!(
            to_github(std::slice::from_ref(&d)),
            "::error title=E0107::bad config\n"
        );
        let log: serde_json::Value =
            serde_json::from_str(&to_sarif(&[d], Path::new("/site"))).unwrap();
        let result = &log["runs"][0]["results"][0];
        assert!(result.get("locations").is_none(), "{result}");
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(root_uri(Path::new("/my site/x")), "file:///my%20site/x/");
        assert_eq!(root_uri(Path::new("/")), "file:///");
        assert_eq!(
            percent_encode_path("a b/é:.md".as_bytes()),
            "a%20b/%C3%A9%3A.md"
        );
    }

    #[test]
    fn rules_are_the_codes_that_occur_in_code_order() {
        let diags = [
            Diagnostic::warning("W0101", "evidence/n.txt", "stray"),
            Diagnostic::error("E0302", "content/p.md", "link").at(Pos::new(1, 5)),
            Diagnostic::error("E0302", "content/q.md", "link").at(Pos::new(1, 5)),
        ];
        let log: serde_json::Value =
            serde_json::from_str(&to_sarif(&diags, Path::new("/site"))).unwrap();
        let run = &log["runs"][0];
        let ids: Vec<_> = run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["E0302", "W0101"]);
        assert_eq!(run["results"][0]["ruleIndex"], 1);
        assert_eq!(run["results"][1]["ruleIndex"], 0);
        assert_eq!(
            run["tool"]["driver"]["rules"][1]["defaultConfiguration"]["level"],
            "warning"
        );
    }
}
