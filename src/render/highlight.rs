//! Code highlighting with syntect's grammars, written as a few short CSS classes so that
//! themes own the colours (a dark scheme is a stylesheet, not a second rendering).
//!
//! Why not syntect's `ClassedHTMLGenerator`: it writes every scope of every token as a
//! class (`hl-string hl-unquoted hl-plain hl-out hl-yaml`), which made highlighted
//! sources the bulk of a built site, and it re-parses every line. Here each token gets at
//! most one class from a small fixed vocabulary (keyword, string, comment, ...), in the
//! manner of Pygments and Chroma, and lines are memoised: a line's output depends only on
//! the parser state and scope stack it starts in and on its text, so a line seen before in
//! the same state (YAML keys, boilerplate, repeated code) is not parsed again. The memo is
//! per worker thread, bounded, and never changes what is written, so output stays
//! byte-identical whatever the threads.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::OnceLock;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn find<'a>(set: &'a SyntaxSet, lang: &str) -> &'a SyntaxReference {
    let lang = lang.trim().to_ascii_lowercase();
    let alias = match lang.as_str() {
        "yml" => "yaml",
        "sh" | "shell" | "console" | "zsh" => "bash",
        "jsonc" | "sarif" => "json",
        "toml" => "ini",
        other => other,
    };
    set.find_syntax_by_token(alias)
        .unwrap_or_else(|| set.find_syntax_plain_text())
}

/// Highlights `code` written in `lang` (a fence token such as `rust`, `yaml`, or a file
/// extension) into HTML spans; unknown languages come back escaped, unhighlighted.
pub fn highlight(code: &str, lang: &str) -> String {
    if code.len() > HIGHLIGHT_LIMIT {
        return escape(code);
    }
    let set = syntaxes();
    let syntax = find(set, lang);
    if syntax.name == "Plain Text" {
        return escape(code);
    }
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        let mut out = String::with_capacity(code.len() * 2);
        let mut state = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        for line in LinesWithEndings::from(code) {
            match memo.line(set, syntax, line, &mut state, &mut stack) {
                Some(html) => out.push_str(html),
                None => return escape(code),
            }
        }
        out
    })
}

/// Code longer than this is shown escaped but not highlighted: the grammars run at
/// roughly a megabyte a second, so one 50 MB code block would hold a build for a minute
/// while adding nothing a reader could take in.
pub const HIGHLIGHT_LIMIT: usize = 256 * 1024;

/// Lines remembered per thread before the older half is forgotten. A remembered line
/// costs its text, two parser states and its HTML: about 1 KiB with what the allocator
/// adds, and the memo holds up to twice this many. At 8,192 the memos of a build's
/// threads held 45 MB of the 10,000-item benchmark's 300 MB peak, and were no faster
/// than at 2,048 (the lines worth remembering, YAML keys and boilerplate, come back
/// often enough to stay young).
const MEMO_LINES: usize = 2048;

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// One highlighted line, with the state it starts in and the state it leaves.
struct Line {
    syntax: usize,
    text: Box<str>,
    state_in: ParseState,
    stack_in: ScopeStack,
    html: Box<str>,
    state_out: ParseState,
    stack_out: ScopeStack,
}

/// Two generations of remembered lines: when the young one is full it becomes the old
/// one, and a line found in the old generation moves to the young one (an approximate
/// LRU with no bookkeeping per hit).
#[derive(Default)]
struct Memo {
    young: HashMap<u64, Vec<Line>>,
    old: HashMap<u64, Vec<Line>>,
    young_len: usize,
    classes: HashMap<Scope, Option<&'static str>>,
    hasher: std::hash::RandomState,
}

impl Memo {
    /// The HTML of `text` highlighted from `state`/`stack`, which are advanced past it;
    /// `None` when the grammar fails on it.
    fn line(
        &mut self,
        set: &SyntaxSet,
        syntax: &SyntaxReference,
        text: &str,
        state: &mut ParseState,
        stack: &mut ScopeStack,
    ) -> Option<&str> {
        let syntax_id = syntax as *const SyntaxReference as usize;
        let key = {
            let mut h = self.hasher.build_hasher();
            syntax_id.hash(&mut h);
            text.hash(&mut h);
            h.finish()
        };
        let matches = |l: &Line| {
            l.syntax == syntax_id
                && *l.text == *text
                && l.state_in == *state
                && l.stack_in == *stack
        };
        let found_young = self
            .young
            .get(&key)
            .and_then(|ls| ls.iter().position(matches));
        if found_young.is_none() {
            let from_old = self.old.get_mut(&key).and_then(|ls| {
                let i = ls.iter().position(matches)?;
                Some(ls.swap_remove(i))
            });
            match from_old {
                Some(line) => self.insert(key, line),
                None => {
                    let line = self.compute(set, syntax_id, text, state, stack)?;
                    self.insert(key, line);
                }
            }
        }
        let line = self
            .young
            .get(&key)
            .and_then(|ls| ls.iter().find(|l| matches(l)))?;
        state.clone_from(&line.state_out);
        stack.clone_from(&line.stack_out);
        Some(&line.html)
    }

    fn insert(&mut self, key: u64, line: Line) {
        if self.young_len >= MEMO_LINES {
            self.old = std::mem::take(&mut self.young);
            self.young_len = 0;
        }
        self.young.entry(key).or_default().push(line);
        self.young_len += 1;
    }

    fn compute(
        &mut self,
        set: &SyntaxSet,
        syntax: usize,
        text: &str,
        state: &ParseState,
        stack: &ScopeStack,
    ) -> Option<Line> {
        let mut state_out = state.clone();
        let ops = state_out.parse_line(text, set).ok()?;
        let mut stack_out = stack.clone();
        let mut html = String::with_capacity(text.len() * 2);
        let mut writer = SpanWriter::default();
        let mut at = 0;
        for (index, op) in &ops {
            let index = (*index).min(text.len());
            if !text.is_char_boundary(index) {
                return None;
            }
            if index > at {
                let class = self.class_of(&stack_out);
                writer.text(&mut html, class, &text[at..index]);
                at = index;
            }
            stack_out.apply(op).ok()?;
        }
        if at < text.len() {
            let class = self.class_of(&stack_out);
            writer.text(&mut html, class, &text[at..]);
        }
        writer.close(&mut html);
        Some(Line {
            syntax,
            text: text.into(),
            state_in: state.clone(),
            stack_in: stack.clone(),
            html: html.into(),
            state_out,
            stack_out,
        })
    }

    /// The class of a token: that of its innermost scope that has one, except that a
    /// string inside a mapping key (JSON's `"kind":`) is coloured as a key.
    fn class_of(&mut self, stack: &ScopeStack) -> Option<&'static str> {
        let (mut class, mut in_key) = (None, false);
        for scope in stack.as_slice().iter().rev() {
            let c = *self
                .classes
                .entry(*scope)
                .or_insert_with(|| class_for(&scope.build_string()));
            match c {
                Some(KEY) => in_key = true,
                Some(_) if class.is_none() => class = c,
                _ => {}
            }
        }
        match class {
            Some("s") if in_key => Some("nt"),
            c => c,
        }
    }
}

/// Writes tokens, merging neighbours of one class into one span and closing every span
/// at the end of its line (so line anchors can be put between lines).
#[derive(Default)]
struct SpanWriter {
    open: Option<&'static str>,
}

impl SpanWriter {
    fn text(&mut self, out: &mut String, class: Option<&'static str>, text: &str) {
        // A line break is never inside a span.
        let (body, newline) = match text.strip_suffix('\n') {
            Some(b) => (b, true),
            None => (text, false),
        };
        if !body.is_empty() {
            // Whitespace takes no colour.
            let class = if body.trim().is_empty() { None } else { class };
            if class != self.open {
                self.close(out);
                if let Some(c) = class {
                    out.push_str("<span class=\"hl-");
                    out.push_str(c);
                    out.push_str("\">");
                }
                self.open = class;
            }
            escape_into(out, body);
        }
        if newline {
            self.close(out);
            out.push('\n');
        }
    }

    fn close(&mut self, out: &mut String) {
        if self.open.take().is_some() {
            out.push_str("</span>");
        }
    }
}

/// Marks a scope that makes the string inside it a mapping key; never written out.
const KEY: &str = "@key";

/// The class of a scope, by the most specific rule that matches its name; `None` for
/// scopes that only group (`source`, `meta`, punctuation), so the enclosing scope's
/// class shows through (a string's quotes are coloured as the string).
fn class_for(scope: &str) -> Option<&'static str> {
    const RULES: &[(&str, Option<&str>)] = &[
        ("meta.structure.dictionary.key", Some(KEY)),
        ("meta.mapping.key", Some(KEY)),
        ("punctuation.definition.comment", Some("c")),
        ("punctuation", None),
        ("comment", Some("c")),
        ("string.unquoted.plain", Some("s")),
        ("string", Some("s")),
        ("constant.numeric", Some("m")),
        ("constant.character.escape", Some("se")),
        ("constant", Some("kc")),
        ("keyword.operator", Some("o")),
        ("keyword", Some("k")),
        ("storage.type", Some("kt")),
        ("storage", Some("k")),
        ("entity.name.function", Some("nf")),
        ("support.function", Some("nf")),
        ("variable.function", Some("nf")),
        ("entity.name.tag", Some("nt")),
        ("entity.other.attribute-name", Some("na")),
        ("entity.name", Some("nc")),
        ("support.type", Some("nc")),
        ("support.class", Some("nc")),
        ("entity.other.inherited-class", Some("nc")),
        ("variable.parameter", Some("v")),
        ("variable.language", Some("kc")),
        ("markup.heading", Some("gh")),
        ("markup.inserted", Some("gi")),
        ("markup.deleted", Some("gd")),
        ("markup.bold", Some("gs")),
        ("markup.italic", Some("ge")),
        ("invalid", Some("err")),
    ];
    RULES
        .iter()
        .find(|(prefix, _)| {
            scope == *prefix
                || scope
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .and_then(|(_, class)| *class)
}

/// The stylesheet for highlighted code: colours chosen for at least 4.5:1 contrast on the
/// theme's code background (`--panel`), light and dark.
pub fn stylesheet() -> String {
    String::from(
        "/* Code highlighting classes written by Evidentia; contrast >= 4.5:1 on the code panel. */
.hl-c { color: #57606a; font-style: italic; }
.hl-s { color: #0a3069; }
.hl-se { color: #0550ae; font-weight: 600; }
.hl-m, .hl-kc, .hl-na, .hl-v { color: #0550ae; }
.hl-k, .hl-o { color: #a40e26; }
.hl-kt { color: #a40e26; font-weight: 600; }
.hl-nf { color: #6639ba; }
.hl-nt { color: #116329; }
.hl-nc { color: #953800; }
.hl-gh { color: #0550ae; font-weight: 700; }
.hl-gi { color: #116329; }
.hl-gd { color: #82071e; }
.hl-gs { font-weight: 700; }
.hl-ge { font-style: italic; }
.hl-err { color: #82071e; text-decoration: underline wavy; }
@media (prefers-color-scheme: dark) {
  .hl-c { color: #9da7b3; }
  .hl-s { color: #a5d6ff; }
  .hl-se, .hl-m, .hl-kc, .hl-na, .hl-v, .hl-gh { color: #79c0ff; }
  .hl-k, .hl-o, .hl-kt { color: #ff7b72; }
  .hl-nf { color: #d2a8ff; }
  .hl-nt, .hl-gi { color: #7ee787; }
  .hl-nc { color: #ffa657; }
  .hl-gd, .hl-err { color: #ffa198; }
}
",
    )
}

/// WCAG 2.1 relative luminance.
#[cfg(test)]
fn luminance(c: syntect::highlighting::Color) -> f64 {
    let f = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b)
}

/// WCAG 2.1 contrast ratio of two colours (the theme's contrast tests use it too).
#[cfg(test)]
pub(crate) fn contrast(a: syntect::highlighting::Color, b: syntect::highlighting::Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_with_classes_not_styles() {
        let html = highlight("fn main() { let x = \"<s>\"; }\n", "rust");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("&lt;s&gt;"), "{html}");
        assert!(!html.contains("<s>"), "{html}");
    }

    #[test]
    fn tokens_get_one_short_class() {
        let html = highlight("// note\nfn main() { let n = 42; }\n", "rust");
        assert!(
            html.contains("<span class=\"hl-c\">// note</span>\n"),
            "{html}"
        );
        assert!(html.contains("<span class=\"hl-kt\">fn</span> "), "{html}");
        assert!(html.contains("<span class=\"hl-nf\">main</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-m\">42</span>"), "{html}");
        let yaml = highlight("kind: scan\nid: x # why\n", "yaml");
        assert!(
            yaml.starts_with(
                "<span class=\"hl-nt\">kind</span>: <span class=\"hl-s\">scan</span>\n"
            ),
            "{yaml}"
        );
        assert!(yaml.contains("<span class=\"hl-c\"># why</span>"), "{yaml}");
        let json = highlight("{\"kind\": \"scan\"}\n", "json");
        assert!(json.contains("<span class=\"hl-nt\">&quot;kind&quot;</span>: <span class=\"hl-s\">&quot;scan&quot;</span>"), "{json}");
    }

    #[test]
    fn no_span_crosses_a_line_break() {
        let html = highlight("/* one\n two */\nlet s = \"a\nb\";\n", "rust");
        for line in html.split('\n') {
            assert_eq!(
                line.matches("<span").count(),
                line.matches("</span>").count(),
                "{line}"
            );
        }
        // The comment's second line is still a comment: state carries across lines.
        assert!(
            html.contains("<span class=\"hl-c\"> two */</span>"),
            "{html}"
        );
    }

    #[test]
    fn memoised_lines_give_the_same_output() {
        // The same line in different states (inside and outside a block comment) must
        // not share an entry, and a repeat must match the first rendering exactly.
        let code = "x = 1\n/*\nx = 1\n*/\nx = 1\n";
        let first = highlight(code, "c");
        let again = highlight(code, "c");
        assert_eq!(first, again);
        let lines: Vec<&str> = first.split('\n').collect();
        assert_ne!(lines[0], lines[2], "{first}");
        assert_eq!(lines[0], lines[4], "{first}");
        // With the memo flooded past its bound, output is unchanged.
        for i in 0..(MEMO_LINES + 10) {
            highlight(&format!("let v{i} = {i};\n"), "rust");
        }
        assert_eq!(highlight(code, "c"), first);
    }

    #[test]
    fn huge_code_is_escaped_not_highlighted() {
        let code = "let x = \"<b>\";\n".repeat(HIGHLIGHT_LIMIT / 10);
        let html = highlight(&code, "rust");
        assert!(!html.contains("<span"));
        assert!(html.starts_with("let x = &quot;&lt;b&gt;&quot;;"));
    }

    #[test]
    fn unknown_language_is_escaped_text() {
        assert_eq!(highlight("<b>", "no-such-lang"), "&lt;b&gt;");
    }

    /// Every colour of the stylesheet reads at AA on the code panel of its scheme
    /// (`--panel` in style.css: #f6f8fa light, #161b22 dark).
    #[test]
    fn every_highlight_colour_meets_aa_contrast() {
        use syntect::highlighting::Color;
        let hex = |h: &str| {
            let v = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap();
            Color {
                r: v(0),
                g: v(2),
                b: v(4),
                a: 0xff,
            }
        };
        let css = stylesheet();
        let (light, dark) = css
            .split_once("@media (prefers-color-scheme: dark)")
            .unwrap();
        let mut checked = 0;
        for (part, bg) in [(light, hex("f6f8fa")), (dark, hex("161b22"))] {
            for colour in part.split("color: #").skip(1) {
                let fg = hex(&colour[..6]);
                let r = contrast(fg, bg);
                assert!(r >= 4.5, "#{} is {r:.2}:1", &colour[..6]);
                checked += 1;
            }
        }
        assert!(checked >= 20, "{checked}");
        assert!((contrast(hex("ffffff"), hex("000000")) - 21.0).abs() < 0.01);
    }

    #[test]
    fn stylesheet_has_light_and_dark() {
        let css = stylesheet();
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }

    #[test]
    fn every_class_written_has_a_colour_rule() {
        let css = stylesheet();
        let sample = "// c\nfn f(x: u8) -> &'static str { let s = \"a\\n\"; 1 + 2; Some(x) }\n";
        for class in highlight(sample, "rust")
            .split("class=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            assert!(css.contains(&format!(".{class}")), "{class} has no rule");
        }
    }
}
