//! Markdown to HTML, safely. Learners' Markdown is untrusted: link targets are limited
//! to safe schemes, raw HTML is sanitised with ammonia, and nothing may run script.
//! Wiki links become relative links to the pages they name.

use super::highlight;
use crate::model::{Registry, markdown_options, url};
use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Renders one Markdown text as seen from the page at `from` (a site-relative URL).
pub fn to_html(markdown: &str, registry: &Registry, from: &str) -> String {
    let mut out_events: Vec<Event<'_>> = Vec::new();
    let mut raw_html = false;
    let mut code: Option<(String, String)> = None; // (language, text)
    let mut heading: Option<(pulldown_cmark::HeadingLevel, Vec<Event<'_>>)> = None;
    let mut plain_wikilink_title: Option<String> = None;
    let mut slugs = HashSet::new();

    for event in Parser::new_ext(markdown, markdown_options()) {
        let event = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_owned()
                    }
                    pulldown_cmark::CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
                continue;
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, buf)) = code.as_mut() {
                    buf.push_str(&t);
                }
                continue;
            }
            Event::End(TagEnd::CodeBlock) => {
                let (lang, text) = code.take().unwrap_or_default();
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
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                title,
                id,
            }) => {
                let (target, fragment) = match dest_url.split_once('#') {
                    Some((t, f)) => (t.trim(), Some(f)),
                    None => (dest_url.trim(), None),
                };
                // A control (`[[nist-ai-rmf:GOVERN 1.1]]`) links to its row of its
                // catalog's page; anything else to the page of the id it names.
                let item = registry.get(target);
                let control = item.is_none().then(|| registry.control(target)).flatten();
                let resolved = item.or(control.map(|c| c.target));
                let mut href = match resolved {
                    Some(t) => url::href(from, &t.url),
                    None => "#".to_owned(),
                };
                if let Some(f) = fragment.or(control.map(|c| c.control)) {
                    href.push('#');
                    href.push_str(&url::fragment(f));
                }
                if !has_pothole {
                    plain_wikilink_title = match control {
                        Some(c) if c.title != c.control => {
                            Some(format!("{} {}", c.control, c.title))
                        }
                        Some(c) => Some(c.control.to_owned()),
                        None => resolved.map(|t| t.title.clone()),
                    };
                }
                Event::Start(Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url: CowStr::from(href),
                    title,
                    id,
                })
            }
            Event::Text(_) if plain_wikilink_title.is_some() => Event::Text(CowStr::from(
                plain_wikilink_title.take().unwrap_or_default(),
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
                heading = Some((level, Vec::new()));
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, inner)) = heading.take() {
                    let text: String = inner
                        .iter()
                        .filter_map(|e| match e {
                            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    let slug = unique_slug(&text, &mut slugs);
                    out_events.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(slug.clone())),
                        classes: Vec::new(),
                        attrs: Vec::new(),
                    }));
                    out_events.extend(inner);
                    out_events.push(Event::Html(CowStr::from(format!(
                        "<a class=\"anchor\" href=\"#{slug}\" aria-label=\"Link to this section\">#</a>"
                    ))));
                    out_events.push(Event::End(TagEnd::Heading(level)));
                }
                continue;
            }
            Event::Html(h) => {
                raw_html = true;
                Event::Html(h)
            }
            Event::InlineHtml(h) => {
                raw_html = true;
                Event::InlineHtml(h)
            }
            other => other,
        };
        match heading.as_mut() {
            Some((_, inner)) => inner.push(event),
            None => out_events.push(event),
        }
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out_events.into_iter());
    // Table alignment comes out as style attributes, which the Content-Security-Policy
    // forbids: turn them into classes the theme styles.
    if html.contains(" style=\"text-align: ") {
        html = html
            .replace(" style=\"text-align: left\"", " class=\"align-left\"")
            .replace(" style=\"text-align: center\"", " class=\"align-center\"")
            .replace(" style=\"text-align: right\"", " class=\"align-right\"");
    }
    if raw_html {
        sanitizer().clean(&html).to_string()
    } else {
        html
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
