//! Markdown to HTML, safely. Learners' Markdown is untrusted: link targets are limited
//! to safe schemes, raw HTML is sanitised with ammonia, and nothing may run script.
//! Wiki links become relative links to the pages they name.

use super::highlight;
use crate::model::{Registry, markdown_options, url};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Renders one Markdown text as seen from the page at `from` (a site-relative URL).
pub fn to_html(markdown: &str, registry: &Registry, from: &str) -> String {
    let mut rewriter = Rewriter::new(registry, from);
    for event in Parser::new_ext(markdown, markdown_options()) {
        rewriter.event(event);
    }
    rewriter.finish(markdown.len())
}

/// Rewrites the parser's events into the ones written out: code blocks highlighted,
/// wiki links resolved, unsafe link targets neutralised, headings given anchors. Why
/// a state: a code block, a heading or a wiki link's text spans several events.
struct Rewriter<'a, 'r> {
    registry: &'r Registry,
    /// The URL of the page the Markdown is shown on, which links are relative to.
    from: &'r str,
    out: Vec<Event<'a>>,
    /// The text has raw HTML: the output goes through the sanitiser.
    raw_html: bool,
    /// The code block being read: (language, text).
    code: Option<(String, String)>,
    /// The heading being read: its level and the events inside it.
    heading: Option<(HeadingLevel, Vec<Event<'a>>)>,
    /// The title that replaces a plain wiki link's text (`[[id]]` shows the title).
    plain_wikilink_title: Option<String>,
    /// Heading anchors given so far, to keep them unique.
    slugs: HashSet<String>,
}

impl<'a, 'r> Rewriter<'a, 'r> {
    fn new(registry: &'r Registry, from: &'r str) -> Self {
        Rewriter {
            registry,
            from,
            out: Vec::new(),
            raw_html: false,
            code: None,
            heading: None,
            plain_wikilink_title: None,
            slugs: HashSet::new(),
        }
    }

    /// Takes one event of the parser.
    fn event(&mut self, event: Event<'a>) {
        let event = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                self.code = Some((code_language(kind), String::new()));
                return;
            }
            Event::Text(t) if self.code.is_some() => {
                if let Some((_, buf)) = self.code.as_mut() {
                    buf.push_str(&t);
                }
                return;
            }
            Event::End(TagEnd::CodeBlock) => self.code_block(),
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::from(self.wiki_link(&dest_url, has_pothole)),
                title,
                id,
            }),
            Event::Text(_) if self.plain_wikilink_title.is_some() => Event::Text(CowStr::from(
                self.plain_wikilink_title.take().unwrap_or_default(),
            )),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: safe_url(dest_url),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: safe_url(dest_url),
                title,
                id,
            }),
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading = Some((level, Vec::new()));
                return;
            }
            Event::End(TagEnd::Heading(_)) => {
                self.close_heading();
                return;
            }
            Event::Html(h) => {
                self.raw_html = true;
                Event::Html(h)
            }
            Event::InlineHtml(h) => {
                self.raw_html = true;
                Event::InlineHtml(h)
            }
            other => other,
        };
        match self.heading.as_mut() {
            Some((_, inner)) => inner.push(event),
            None => self.out.push(event),
        }
    }

    /// The code block just read, highlighted when it names its language.
    fn code_block(&mut self) -> Event<'a> {
        let (lang, text) = self.code.take().unwrap_or_default();
        let body = if lang.is_empty() {
            highlight::escape(&text)
        } else {
            highlight::highlight(&text, &lang)
        };
        let class = if lang.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{}\"", highlight::escape(&lang))
        };
        Event::Html(CowStr::from(format!(
            "<pre class=\"code\"><code{class}>{body}</code></pre>\n"
        )))
    }

    /// Where a wiki link leads; a plain one (no `|text`) will show its target's title.
    fn wiki_link(&mut self, dest_url: &str, has_pothole: bool) -> String {
        let (target, fragment) = match dest_url.split_once('#') {
            Some((t, f)) => (t.trim(), Some(f)),
            None => (dest_url.trim(), None),
        };
        // A control (`[[nist-ai-rmf:GOVERN 1.1]]`) links to its row of its
        // catalog's page; anything else to the page of the id it names.
        let item = self.registry.get(target);
        let control = item
            .is_none()
            .then(|| self.registry.control(target))
            .flatten();
        let resolved = item.or(control.map(|c| c.target));
        let mut href = match resolved {
            Some(t) => url::href(self.from, &t.url),
            None => "#".to_owned(),
        };
        if let Some(f) = fragment.or(control.map(|c| c.control)) {
            href.push('#');
            href.push_str(&url::fragment(f));
        }
        if !has_pothole {
            self.plain_wikilink_title = match control {
                Some(c) if c.title != c.control => Some(format!("{} {}", c.control, c.title)),
                Some(c) => Some(c.control.to_owned()),
                None => resolved.map(|t| t.title.clone()),
            };
        }
        href
    }

    /// Writes the heading just read, with a unique id and a link to itself.
    fn close_heading(&mut self) {
        let Some((level, inner)) = self.heading.take() else {
            return;
        };
        let text: String = inner
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let slug = unique_slug(&text, &mut self.slugs);
        self.out.push(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(slug.clone())),
            classes: Vec::new(),
            attrs: Vec::new(),
        }));
        self.out.extend(inner);
        self.out.push(Event::Html(CowStr::from(format!(
            "<a class=\"anchor\" href=\"#{slug}\" aria-label=\"Link to this section\">#</a>"
        ))));
        self.out.push(Event::End(TagEnd::Heading(level)));
    }

    /// The HTML of the events taken (`len`: the Markdown's length, to size it).
    fn finish(self, len: usize) -> String {
        let mut html = String::with_capacity(len * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, self.out.into_iter());
        // Table alignment comes out as style attributes, which the Content-Security-Policy
        // forbids: turn them into classes the theme styles.
        if html.contains(" style=\"text-align: ") {
            html = html
                .replace(" style=\"text-align: left\"", " class=\"align-left\"")
                .replace(" style=\"text-align: center\"", " class=\"align-center\"")
                .replace(" style=\"text-align: right\"", " class=\"align-right\"");
        }
        if self.raw_html {
            sanitizer().clean(&html).to_string()
        } else {
            html
        }
    }
}

/// The language a code block names (the first word of a fence's info string).
fn code_language(kind: CodeBlockKind<'_>) -> String {
    match kind {
        CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_owned(),
        CodeBlockKind::Indented => String::new(),
    }
}

/// Link targets allowed in untrusted Markdown: relative paths, fragments, and the
/// http(s) and mailto schemes. Anything else (javascript:, data:, vbscript:) becomes `#`.
fn safe_url(dest: CowStr<'_>) -> CowStr<'_> {
    let trimmed: String = dest
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme = trimmed
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| !s.contains(['/', '?', '#']));
    match scheme {
        None | Some("http" | "https" | "mailto") => dest,
        Some(_) => CowStr::from("#"),
    }
}

fn unique_slug(text: &str, seen: &mut HashSet<String>) -> String {
    let mut base = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            base.push(c);
        } else if (c.is_whitespace() || c == '-' || c == '_') && !base.ends_with('-') {
            base.push('-');
        }
    }
    let base = base.trim_matches('-');
    let base = if base.is_empty() { "section" } else { base };
    let mut slug = base.to_owned();
    let mut n = 1;
    while !seen.insert(slug.clone()) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

/// The sanitiser for pages with raw HTML: ammonia's defaults (no script, no event
/// handlers, no style, safe URL schemes only) plus what our own Markdown output needs.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["class"])
            .add_tags(["input", "section"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("h1", ["id"])
            .add_tag_attributes("h2", ["id"])
            .add_tag_attributes("h3", ["id"])
            .add_tag_attributes("h4", ["id"])
            .add_tag_attributes("h5", ["id"])
            .add_tag_attributes("h6", ["id"])
            .add_tag_attributes("div", ["id"])
            .add_tag_attributes("li", ["id"])
            .add_tag_attributes("a", ["aria-label"])
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .attribute_filter(|element, attribute, value| {
                if element == "input" && attribute == "type" && value != "checkbox" {
                    None
                } else {
                    Some(value.into())
                }
            });
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Area, Format, SourceFile};
    use crate::model::{build_registry, parse_page};

    fn registry() -> Registry {
        let (page, _) = parse_page(&SourceFile {
            rel: "content/guides/learners.md".into(),
            area: Area::Content,
            format: Format::Markdown,
            text: "# Learner guide\n".into(),
        });
        build_registry(&[page.unwrap()], &[]).0
    }

    #[test]
    fn wiki_links_become_relative_links_with_titles() {
        let html = to_html(
            "See [[guides-learners]] and [[guides-learners|the guide]].",
            &registry(),
            "a/b/",
        );
        assert!(
            html.contains("<a href=\"../../guides/learners/index.html\">Learner guide</a>"),
            "{html}"
        );
        assert!(html.contains(">the guide</a>"), "{html}");
    }

    #[test]
    fn scripts_never_survive() {
        let r = registry();
        let cases = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x]( java\tscript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil\"></iframe>",
            "<object data=x></object><embed src=x>",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "<a href=\"vbscript:msgbox\">x</a>",
            "![x](javascript:alert(1))",
            "<svg><script>alert(1)</script></svg>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<form action=x><button formaction=javascript:alert(1)>x</button></form>",
        ];
        for case in cases {
            let html = to_html(case, &r, "").to_ascii_lowercase();
            for bad in [
                "<script",
                "onerror",
                "javascript:",
                "vbscript:",
                "<iframe",
                "<object",
                "<embed",
                "data:text",
                "style=",
                "formaction",
            ] {
                assert!(!html.contains(bad), "{case:?} rendered {html:?}");
            }
        }
    }

    #[test]
    fn raw_html_keeps_safe_markup_and_our_classes() {
        let html = to_html(
            "<b>bold</b>\n\n```rust\nfn x() {}\n```\n\n- [x] done\n",
            &registry(),
            "",
        );
        assert!(html.contains("<b>bold</b>"), "{html}");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
    }

    #[test]
    fn headings_get_unique_anchors() {
        let html = to_html("# Intro\n## Intro\n## A `b` c!\n", &registry(), "");
        assert!(html.contains("<h1 id=\"intro\">"), "{html}");
        assert!(html.contains("<h2 id=\"intro-1\">"), "{html}");
        assert!(html.contains("<h2 id=\"a-b-c\">"), "{html}");
    }

    #[test]
    fn table_alignment_uses_classes() {
        let html = to_html("| a | b |\n|:-|:-:|\n| 1 | 2 |\n", &registry(), "");
        assert!(html.contains("class=\"align-center\""), "{html}");
        assert!(!html.contains("style="), "{html}");
    }
}
