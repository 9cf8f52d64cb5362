//! Content pages: Markdown with optional YAML front matter.

use super::fields::Fields;
use super::header::{is_valid_id, slugify};
use super::url;
use crate::diag::{Diagnostic, Pos};
use crate::load::{SourceFile, frontmatter, yaml};
use crate::node::Value;
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// The Markdown extensions every page is read with; one set, so that what is checked is
/// what is rendered.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// A page's front matter.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FrontMatter {
    /// Overrides the first heading as the title.
    pub title: Option<String>,
    /// The page's date.
    pub date: Option<jiff::civil::Date>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Orders pages in navigation, lower first.
    pub weight: Option<i64>,
    /// Drafts are checked but not published.
    pub draft: bool,
    /// A theme template other than `page.html`.
    pub template: Option<String>,
    /// Overrides the id derived from the path.
    pub id: Option<String>,
}

const FRONT_MATTER_FIELDS: &[&str] =
    &["title", "date", "tags", "weight", "draft", "template", "id"];

/// A `[[id]]` or `[[id|label]]` link in a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WikiLink {
    /// The id linked to (before any `#`).
    pub target: String,
    /// The part after `#`, if any.
    pub fragment: Option<String>,
    /// Where the link starts in the file.
    pub pos: Pos,
    /// Length of the link's source text, in characters.
    pub len: usize,
}

/// A content page.
#[derive(Debug, Clone)]
pub struct Page {
    /// From the front matter, or derived from the path.
    pub id: String,
    /// Source path relative to the site root.
    pub file: String,
    /// From the front matter, or the first heading, or the id.
    pub title: String,
    /// The front matter.
    pub front: FrontMatter,
    /// The Markdown after the front matter.
    pub body: String,
    /// Lines before the body, so positions in it map back to the file.
    pub body_line_offset: u32,
    /// Wiki links, in order.
    pub links: Vec<WikiLink>,
    /// Where the page is published.
    pub url: String,
}

/// Reads a page: front matter, title, wiki links. A page with broken front matter is
/// still returned when possible so that its links are checked too.
pub fn parse_page(f: &SourceFile) -> (Option<Page>, Vec<Diagnostic>) {
    let split = match frontmatter::split(&f.text, &f.rel) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    let mut diags = Vec::new();
    let front = match split.yaml {
        None => FrontMatter::default(),
        Some(yaml_text) => match yaml::parse(yaml_text, &f.rel, split.yaml_line_offset) {
            Ok(node) => {
                let (front, d) = read_front_matter(&node, &f.rel);
                diags.extend(d);
                front
            }
            Err(d) => {
                diags.push(d);
                FrontMatter::default()
            }
        },
    };
    let (heading, links) = scan_body(split.body, split.body_line_offset);
    let id = front.id.clone().unwrap_or_else(|| url::page_id(&f.rel));
    let title = front
        .title
        .clone()
        .or(heading)
        .unwrap_or_else(|| id.clone());
    let page = Page {
        id,
        file: f.rel.clone(),
        title,
        body: split.body.to_owned(),
        body_line_offset: split.body_line_offset,
        links,
        url: url::page_url(&f.rel),
        front,
    };
    (Some(page), diags)
}

fn read_front_matter(node: &super::Node, file: &str) -> (FrontMatter, Vec<Diagnostic>) {
    if matches!(node.value, Value::Null) {
        return (FrontMatter::default(), Vec::new());
    }
    if !matches!(node.value, Value::Map(_)) {
        let d = Diagnostic::error(
            "E0208",
            file,
            format!(
                "front matter must be a mapping of fields, found {}",
                node.shape()
            ),
        )
        .at(node.pos)
        .with_help("write `key: value` lines such as `title: My page`");
        return (FrontMatter::default(), vec![d]);
    }
    let mut f = Fields::new(node, file);
    f.deny_unknown(FRONT_MATTER_FIELDS, "front matter");
    let mut id = f.string("id");
    if let (Some(bad), Some(n)) = (id.clone().filter(|i| !is_valid_id(i)), node.get("id")) {
        f.diags.push(
            Diagnostic::error("E0204", file, format!("invalid id `{bad}`"))
                .at(n.pos)
                .with_path("id")
                .with_help(format!(
                    "ids match [a-z0-9][a-z0-9._-]*: write `{}`",
                    slugify(&bad)
                )),
        );
        id = None;
    }
    let front = FrontMatter {
        title: f.string("title"),
        date: f.date("date"),
        tags: f.strings("tags"),
        weight: f.integer("weight"),
        draft: f.boolean("draft").unwrap_or(false),
        template: f.string("template"),
        id,
    };
    (front, f.diags)
}

/// Every wiki link in a Markdown text, placed as if the text started `line_offset` lines
/// into its file (used for Markdown held in evidence fields such as a reflection).
pub fn wiki_links(markdown: &str, line_offset: u32) -> Vec<WikiLink> {
    scan_body(markdown, line_offset).1
}

/// The first heading's text and every wiki link, in one pass over the Markdown.
fn scan_body(body: &str, line_offset: u32) -> (Option<String>, Vec<WikiLink>) {
    let mut heading: Option<String> = None;
    let mut in_first_heading = false;
    let mut links = Vec::new();
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) if heading.is_none() => {
                in_first_heading = true;
                heading = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) => in_first_heading = false,
            Event::Text(t) | Event::Code(t) if in_first_heading => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                let (target, fragment) = match dest_url.split_once('#') {
                    Some((t, frag)) => (t.trim().to_owned(), Some(frag.to_owned())),
                    None => (dest_url.trim().to_owned(), None),
                };
                links.push(WikiLink {
                    target,
                    fragment,
                    pos: Pos::of_offset(body, range.start).shifted(line_offset),
                    len: body[range].chars().count(),
                });
            }
            _ => {}
        }
    }
    (
        heading
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty()),
        links,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Area, Format};

    fn page(text: &str) -> (Option<Page>, Vec<Diagnostic>) {
        parse_page(&SourceFile {
            rel: "content/guides/a.md".into(),
            area: Area::Content,
            format: Format::Markdown,
            text: text.into(),
        })
    }

    #[test]
    fn title_falls_back_to_first_heading_then_id() {
        assert_eq!(
            page("intro\n\n## The *Title*\n# Later\n").0.unwrap().title,
            "The Title"
        );
        assert_eq!(
            page("---\ntitle: Front\n---\n# Heading\n").0.unwrap().title,
            "Front"
        );
        assert_eq!(page("no heading\n").0.unwrap().title, "guides-a");
    }

    #[test]
    fn wiki_links_have_file_positions() {
        let (p, d) = page("---\ntitle: T\n---\nSee [[tm-a]] and\n[[scan-b#CVE-1|the CVE]].\n");
        assert!(d.is_empty());
        let links = p.unwrap().links;
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].target, "tm-a");
        assert_eq!(links[0].pos, Pos::new(4, 5));
        assert_eq!(links[1].target, "scan-b");
        assert_eq!(links[1].fragment.as_deref(), Some("CVE-1"));
        assert_eq!(links[1].pos, Pos::new(5, 1));
    }

    #[test]
    fn front_matter_problems_are_diagnosed() {
        let (p, d) = page("---\ntitel: x\nweight: heavy\ndate: 2026-02-30\n---\nbody\n");
        assert!(p.is_some());
        let codes: Vec<_> = d.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(codes, vec![("E0207", 2), ("E0206", 4), ("E0206", 3)]);
        assert_eq!(d[0].help, "did you mean `title`?");
    }

    #[test]
    fn front_matter_syntax_error_is_placed_in_the_file() {
        let (_, d) = page("---\ntitle: [\n---\nbody\n");
        assert_eq!(d[0].code, "E0103");
        assert!(d[0].line >= 2);
    }
}
