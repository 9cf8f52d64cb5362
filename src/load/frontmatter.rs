//! Splits a Markdown page into its YAML front matter and its body.

use crate::diag::Diagnostic;

/// A page's text cut in two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines, if the page has front matter.
    pub yaml: Option<&'a str>,
    /// Lines before the YAML starts (1: the opening `---`), so YAML positions map back.
    pub yaml_line_offset: u32,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// Lines before the body starts, so Markdown positions map back to the file.
    pub body_line_offset: u32,
}

/// Splits `text`. Front matter opens with a first line of exactly `---` and closes with
/// the next line of exactly `---` (or `...`); an opening without a close is an error.
pub fn split<'a>(text: &'a str, file: &str) -> Result<Split<'a>, Diagnostic> {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return Ok(Split {
            yaml: None,
            yaml_line_offset: 0,
            body: text,
            body_line_offset: 0,
        });
    };
    let mut offset = 0;
    for (lines, line) in (1u32..).zip(rest.split_inclusive('\n')) {
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare == "---" || bare == "..." {
            return Ok(Split {
                yaml: Some(&rest[..offset]),
                yaml_line_offset: 1,
                body: &rest[offset + line.len()..],
                body_line_offset: lines + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        "E0105",
        file,
        "front matter opened with `---` is never closed",
    )
    .at(crate::diag::Pos::new(1, 1))
    .spanning(3)
    .with_help("add a line `---` after the front matter, or remove the first line"))
}

/// Whether `text` opens with front matter holding the top-level key `key` (a line
/// starting `key:` before the closing `---`, or anywhere when it is never closed, so a
/// broken card is still recognised and reported). A cheap look at the lines, no YAML
/// parse: it decides which Markdown files under evidence/ are read at all.
pub fn declares(text: &str, key: &str) -> bool {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return false;
    };
    for line in rest.lines() {
        let bare = line.trim_end_matches('\r');
        if bare == "---" || bare == "..." {
            return false;
        }
        if let Some(after) = bare.strip_prefix(key) {
            let after = after.trim_start_matches([' ', '\t']);
            if after.starts_with(':') {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declares_finds_top_level_keys_in_front_matter_only() {
        let card = "---\nlicense: mit\nmodel-index:\n- name: m\n---\n# Body\n";
        assert!(declares(card, "model-index"));
        assert!(declares("---\r\nmodel-index :\r\n---\r\n", "model-index"));
        assert!(declares("---\nmodel-index: [\n", "model-index"));
        assert!(!declares(
            "---\nlicense: mit\n---\nmodel-index: x\n",
            "model-index"
        ));
        assert!(!declares(
            "---\n  model-index: nested\n---\n",
            "model-index"
        ));
        assert!(!declares("---\nmodel-index-v2: x\n---\n", "model-index"));
        assert!(!declares("# model-index:\n", "model-index"));
    }

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let s = split("---\ntitle: A\ntags: [x]\n---\n# Body\n", "p.md").unwrap();
        assert_eq!(s.yaml, Some("title: A\ntags: [x]\n"));
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line_offset, 4);
        assert_eq!(s.yaml_line_offset, 1);
    }

    #[test]
    fn no_front_matter() {
        let s = split("# Title\n---\n", "p.md").unwrap();
        assert_eq!(s.yaml, None);
        assert_eq!(s.body, "# Title\n---\n");
    }

    #[test]
    fn empty_front_matter_and_crlf() {
        let s = split("---\r\n---\r\nbody", "p.md").unwrap();
        assert_eq!(s.yaml, Some(""));
        assert_eq!(s.body, "body");
    }

    #[test]
    fn unclosed_is_an_error() {
        assert_eq!(split("---\ntitle: x\n", "p.md").unwrap_err().code, "E0105");
    }
}
