//! Module roadmaps (DESIGN 3.9): Markdown in the seed's format becomes a `module` item.
//!
//! A content file is a roadmap when it lies under `content/modules/` (index pages there
//! excepted) or its front matter says `template: module`. The parser reads the bullets of
//! the "Module Overview" section and the "Competency Alignment" table; every other
//! section is the page body. Roadmaps are written by hand, so it is tolerant: missing
//! sections, unknown bullets, extra columns, id ranges and free text are kept with a
//! warning. Only a roadmap without a usable Module ID is an error, since the id is the
//! module's link target and URL.

use super::kinds::Body;
use super::kinds::module::{
    CompetencyTarget, Duration, DurationPart, Fact, Module, ModuleRef, numbered,
};
use super::{Header, Item, Kind, Node, Page, Value, decode::At};
use crate::diag::{Diagnostic, Pos};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use std::ops::Range;

/// What the parser makes of a roadmap: the module's id (with where it is written) and
/// its typed fields.
#[derive(Debug, Clone)]
pub struct Roadmap {
    /// The Module ID, as written.
    pub id: At<String>,
    /// The first heading's text, a fallback title.
    pub heading: Option<String>,
    /// Everything else.
    pub module: Module,
}

/// Whether a content page is a roadmap: it lies under `content/modules/` and is not the
/// folder's index, or its front matter asks for the `module` template.
pub fn is_roadmap(page: &Page) -> bool {
    let by_template = matches!(
        page.front.template.as_deref(),
        Some("module" | "module.html")
    );
    let by_place = page
        .file
        .strip_prefix("content/modules/")
        .is_some_and(|rest| {
            let name = rest.rsplit('/').next().unwrap_or(rest);
            !matches!(name, "index.md" | "_index.md")
        });
    by_template || by_place
}

/// Turns a roadmap page (read from `text`, the whole file) into its module item. `None`
/// (with an error saying why) when the roadmap has no usable Module ID.
pub fn module_item(page: Page, text: &str) -> (Option<Item>, Vec<Diagnostic>) {
    let (roadmap, mut diags) = parse(&page.file, &page.body, page.body_line_offset);
    if let (Some(front_id), Some(r)) = (&page.front.id, &roadmap) {
        // The front matter's `id` would name a page; a module is named by its Module ID.
        let line = text
            .lines()
            .take(page.body_line_offset as usize)
            .position(|l| l.trim_start().starts_with("id:"))
            .map_or(1, |i| i + 1);
        diags.push(
            Diagnostic::warning(
                "W0219",
                &page.file,
                format!(
                    "front matter `id: {front_id}` is ignored: this module's id is its Module ID `{}`",
                    r.id.value
                ),
            )
            .at(Pos::new(u32::try_from(line).unwrap_or(1), 1))
            .with_path("id")
            .with_help(format!(
                "remove `id` from the front matter, and link the module as `[[{}]]`",
                r.id.value
            )),
        );
    }
    let Some(Roadmap {
        id,
        heading,
        mut module,
    }) = roadmap
    else {
        return (None, diags);
    };
    module.links = page.links;
    let title = page
        .front
        .title
        .clone()
        .or_else(|| module.module_title.as_ref().map(|t| t.value.clone()))
        .or(heading)
        .unwrap_or_else(|| id.value.clone());
    let header = Header {
        kind: Kind::Module,
        id: id.value,
        id_pos: id.pos,
        title,
        owner: None,
        tags: page.front.tags,
        updated: page.front.date,
        attachments: Vec::new(),
    };
    let item = Item {
        header,
        file: page.file,
        format: crate::load::Format::Markdown,
        data: Node::unplaced(Value::Null),
        body: Body::Module(module),
        url_cache: Default::default(),
    };
    (Some(item), diags)
}

/// Whether `id` can be a Module ID: `[A-Za-z0-9][A-Za-z0-9._-]*` (module ids are written
/// in capitals, `MOD-559`; their URLs are lowercased).
pub fn is_module_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Parses a roadmap's Markdown (`body`, which starts `line_offset` lines into `file`).
/// Pure: text in, module and diagnostics out.
pub fn parse(file: &str, body: &str, line_offset: u32) -> (Option<Roadmap>, Vec<Diagnostic>) {
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, super::markdown_options())
        .into_offset_iter()
        .collect();
    let mut cx = Cx {
        file,
        body,
        line_offset,
        line_starts: std::iter::once(0)
            .chain(body.match_indices('\n').map(|(i, _)| i + 1))
            .collect(),
        diags: Vec::new(),
    };
    let headings = headings(&events);
    let sections: Vec<Section> = headings
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let end = headings[i + 1..]
                .iter()
                .find(|n| n.level <= h.level)
                .map_or(events.len(), |n| n.event);
            Section { heading: i, end }
        })
        .collect();
    let find = |pred: &dyn Fn(&str) -> bool| {
        sections
            .iter()
            .find(|s| pred(&normalise(&headings[s.heading].text)))
    };
    let overview = find(&|t| t == "module overview" || t == "overview");
    let competency = find(&|t| t.contains("competenc"));

    let mut module = Module {
        module_title: None,
        roles: Vec::new(),
        duration: None,
        prerequisites: Vec::new(),
        next: Vec::new(),
        facts: Vec::new(),
        competencies: Vec::new(),
        sections: Vec::new(),
        body: String::new(),
        links: Vec::new(),
    };
    let first_heading_pos = headings
        .first()
        .map_or(cx.pos(0), |h| cx.pos(events[h.event].1.start));
    let id = match overview {
        None => {
            cx.diags.push(
                Diagnostic::error("E0221", file, "this module roadmap has no `Module Overview` section, so it has no Module ID")
                    .at(first_heading_pos)
                    .with_help("add a `## Module Overview` section with a bullet `- **Module ID**: MOD-123` (see ../shared/seeds/mod-559-roadmap.md for the format)"),
            );
            None
        }
        Some(s) => {
            let h = &headings[s.heading];
            let at = cx.pos(events[h.event].1.start);
            let id = cx.overview(&events[h.event..s.end], at, &mut module);
            if id.is_none() && !cx.diags.iter().any(|d| d.is_error()) {
                cx.diags.push(
                    Diagnostic::error("E0221", file, "the `Module Overview` section has no `Module ID` bullet")
                        .at(at)
                        .spanning(h.text.chars().count() + 3)
                        .with_help("add a bullet `- **Module ID**: MOD-123` to this section: the id is the module's link target (`[[MOD-123]]`) and URL"),
                );
            }
            id
        }
    };
    match competency {
        None => cx.diags.push(
            Diagnostic::warning(
                "W0211",
                file,
                "this module roadmap has no `Competency Alignment` section",
            )
            .at(first_heading_pos)
            .with_help("add a `## Competency Alignment` section with a table of Competency, Proficiency Target, Evidence / Assessment and Role Alignment, so the module's page can link its rubrics"),
        ),
        Some(s) => {
            let h = &headings[s.heading];
            let at = cx.pos(events[h.event].1.start);
            module.competencies = cx.competencies(&events[h.event..s.end], at);
        }
    }

    // The page body: the roadmap without its title heading (the page shows the module's
    // own), its overview and its competency table (both shown as facts and a table).
    let mut cut: Vec<Range<usize>> = Vec::new();
    if let Some(h) = headings.first().filter(|h| h.level == HeadingLevel::H1) {
        cut.push(events[h.event].1.clone());
    }
    for s in [overview, competency].into_iter().flatten() {
        let start = events[headings[s.heading].event].1.start;
        let end = events.get(s.end).map_or(body.len(), |e| e.1.start);
        cut.push(start..end);
    }
    cut.sort_by_key(|r| r.start);
    let mut kept: Vec<&str> = Vec::new();
    let mut at = 0;
    for r in &cut {
        if r.start > at {
            kept.push(&body[at..r.start]);
        }
        at = at.max(r.end);
    }
    kept.push(&body[at.min(body.len())..]);
    module.body = kept
        .iter()
        .map(|k| k.trim_matches('\n'))
        .filter(|k| !k.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    module.sections = headings
        .iter()
        .filter(|h| h.level == HeadingLevel::H2)
        .filter(|h| {
            let start = events[h.event].1.start;
            !cut.iter().any(|r| r.contains(&start))
        })
        .map(|h| h.text.trim().to_owned())
        .collect();

    let heading = headings
        .first()
        .map(|h| h.text.trim().to_owned())
        .filter(|t| !t.is_empty());
    let roadmap = id.map(|id| Roadmap {
        id,
        heading,
        module,
    });
    (roadmap, cx.diags)
}

/// A heading: its level, its text, and the index of its `Start` event.
struct Heading {
    level: HeadingLevel,
    text: String,
    event: usize,
}

/// A section: its heading, and the index of the event that ends it (the next heading of
/// the same or a higher level, or the end).
#[derive(Clone, Copy)]
struct Section {
    heading: usize,
    end: usize,
}

fn headings(events: &[(Event<'_>, Range<usize>)]) -> Vec<Heading> {
    let mut out: Vec<Heading> = Vec::new();
    let mut open = false;
    for (i, (e, _)) in events.iter().enumerate() {
        match e {
            Event::Start(Tag::Heading { level, .. }) => {
                open = true;
                out.push(Heading {
                    level: *level,
                    text: String::new(),
                    event: i,
                });
            }
            Event::End(TagEnd::Heading(_)) => open = false,
            Event::Text(t) | Event::Code(t) if open => {
                if let Some(h) = out.last_mut() {
                    h.text.push_str(t);
                }
            }
            _ => {}
        }
    }
    out
}

/// A label or heading reduced to lowercase words: "Target Role(s):" -> "target role s".
fn normalise(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Inline text flattened from Markdown events, remembering where each piece came from so
/// that a position in the text maps back to the file.
#[derive(Debug, Default, Clone)]
struct Flat {
    text: String,
    /// (start in `text`, start in the source, length in the source)
    pieces: Vec<(usize, usize, usize)>,
    /// Where the element starts in the source, for an element without text.
    start: usize,
    /// The element's whole source (a table cell's Markdown), when it is known.
    source: Range<usize>,
}

impl Flat {
    fn at(start: usize) -> Flat {
        Flat {
            start,
            ..Flat::default()
        }
    }

    fn push(&mut self, text: &str, src: &Range<usize>) {
        self.pieces.push((self.text.len(), src.start, src.len()));
        self.text.push_str(text);
    }

    /// The source offset of byte `k` of the text.
    fn source(&self, k: usize) -> usize {
        match self.pieces.iter().rev().find(|p| p.0 <= k) {
            Some(&(start, src, len)) => src + (k - start).min(len),
            None => self.pieces.first().map_or(self.start, |p| p.1),
        }
    }

    /// Adds inline text events; other events are ignored.
    fn take(&mut self, event: &Event<'_>, src: &Range<usize>) {
        match event {
            Event::Text(t) | Event::Code(t) => self.push(t, src),
            Event::SoftBreak | Event::HardBreak => self.push(" ", src),
            _ => {}
        }
    }

    /// The trimmed text from byte `from`, and where it starts.
    fn rest(&self, from: usize) -> (&str, usize) {
        let rest = &self.text[from.min(self.text.len())..];
        let lead = rest.len() - rest.trim_start().len();
        (rest.trim(), from + lead)
    }
}

/// One top-level bullet: its own text and the text of each of its sub-bullets.
#[derive(Debug, Default)]
struct Bullet {
    text: Flat,
    children: Vec<Flat>,
}

/// The overview fields a bullet can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    Title,
    Roles,
    Duration,
    Prerequisites,
    Next,
}

impl Field {
    /// How the seed's format names it, for messages.
    fn label(self) -> &'static str {
        match self {
            Field::Id => "Module ID",
            Field::Title => "Module Title",
            Field::Roles => "Target Role(s)",
            Field::Duration => "Duration",
            Field::Prerequisites => "Prerequisites",
            Field::Next => "Next Module(s)",
        }
    }

    /// The field a bullet label names, tolerant of wording ("Module Code", "Roles",
    /// "Follow-on modules").
    fn of(label: &str) -> Option<Field> {
        let l = normalise(label);
        let words: Vec<&str> = l.split_whitespace().collect();
        if l.contains("prereq") || words.contains(&"requires") {
            Some(Field::Prerequisites)
        } else if words.contains(&"next") || l.contains("follow") {
            Some(Field::Next)
        } else if words.contains(&"title") || l == "name" || l == "module name" {
            Some(Field::Title)
        } else if l.contains("role") || words.contains(&"audience") {
            Some(Field::Roles)
        } else if ["duration", "length", "hours", "effort", "workload"]
            .iter()
            .any(|w| words.contains(w))
        {
            Some(Field::Duration)
        } else if words.contains(&"id") || words.contains(&"code") || l == "module" {
            Some(Field::Id)
        } else {
            None
        }
    }
}

/// The columns of the competency table that the model knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Competency,
    Proficiency,
    Evidence,
    Role,
}

impl Column {
    const ALL: [Column; 4] = [
        Column::Competency,
        Column::Proficiency,
        Column::Evidence,
        Column::Role,
    ];

    fn label(self) -> &'static str {
        match self {
            Column::Competency => "Competency",
            Column::Proficiency => "Proficiency Target",
            Column::Evidence => "Evidence / Assessment",
            Column::Role => "Role Alignment",
        }
    }

    /// Whether a header names this column, case-insensitively and tolerant of wording.
    fn matches(self, header: &str) -> bool {
        let h = normalise(header);
        match self {
            Column::Competency => h.contains("competenc") || h.contains("skill"),
            Column::Proficiency => {
                h.contains("proficien") || h.contains("level") || h.contains("target")
            }
            Column::Evidence => h.contains("evidence") || h.contains("assessment"),
            Column::Role => h.contains("role"),
        }
    }
}

/// Entries of a module list that mean "none".
const NONE_WORDS: &[&str] = &["none", "n/a", "na", "-", "–", "—", "nil"];

struct Cx<'a> {
    file: &'a str,
    body: &'a str,
    line_offset: u32,
    /// Where each line of `body` starts: every value gets a position, so finding its
    /// line must not rescan the text (a 50 000-row table would take minutes).
    line_starts: Vec<usize>,
    diags: Vec<Diagnostic>,
}

impl Cx<'_> {
    fn pos(&self, offset: usize) -> Pos {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let end = offset.min(self.body.len()).max(start);
        Pos::of_offset(&self.body[start..], end - start)
            .shifted(u32::try_from(line - 1).unwrap_or(u32::MAX))
            .shifted(self.line_offset)
    }

    fn at(&self, flat: &Flat, k: usize, value: &str, path: &str) -> At<String> {
        At {
            value: value.to_owned(),
            pos: self.pos(flat.source(k)),
            path: path.to_owned(),
        }
    }

    fn warn(&mut self, code: &'static str, at: &At<String>, message: String, help: &str) {
        self.diags.push(
            Diagnostic::warning(code, self.file, message)
                .at(at.pos)
                .spanning(at.len())
                .with_path(at.path.clone())
                .with_help(help),
        );
    }

    /// Reads the overview's bullets into `module`; returns the Module ID when there is a
    /// usable one.
    fn overview(
        &mut self,
        events: &[(Event<'_>, Range<usize>)],
        heading: Pos,
        module: &mut Module,
    ) -> Option<At<String>> {
        let bullets = bullets(events);
        let mut id: Option<At<String>> = None;
        let mut seen: Vec<Field> = Vec::new();
        for b in &bullets {
            let text = &b.text.text;
            let (label, value_from) = match text.find(':') {
                Some(c) => (text[..c].trim(), c + 1),
                None => ("", 0),
            };
            let (value, value_k) = b.text.rest(value_from);
            let field = Field::of(label).filter(|_| !label.is_empty());
            let Some(field) = field else {
                let (all, all_k) = b.text.rest(0);
                let at = self.at(&b.text, all_k, all, "overview");
                self.warn(
                    "W0213",
                    &at,
                    if label.is_empty() {
                        format!("overview bullet `{all}` is not a `Label: value` pair")
                    } else {
                        format!("unknown overview field `{label}`, kept as written")
                    },
                    "the known fields are Module ID, Module Title, Target Role(s), Duration, Prerequisites and Next Module(s); other bullets are shown as written",
                );
                module.facts.push(Fact {
                    label: label.to_owned(),
                    value: if label.is_empty() {
                        at
                    } else {
                        self.at(&b.text, value_k, value, "overview")
                    },
                });
                continue;
            };
            let path = format!("overview.{}", normalise(field.label()).replace(' ', "-"));
            if seen.contains(&field) {
                let at = self.at(&b.text, 0, text.trim(), &path);
                self.warn(
                    "W0213",
                    &at,
                    format!("a second `{}` bullet, ignored", field.label()),
                    "keep one bullet per field",
                );
                continue;
            }
            seen.push(field);
            let value_at = self.at(&b.text, value_k, value, &path);
            match field {
                Field::Id => id = self.module_id(value_at, b),
                Field::Title => {
                    module.module_title = Some(value_at).filter(|t| !t.value.is_empty());
                }
                Field::Roles => {
                    module.roles = self
                        .entries(b, value_k, &path, false)
                        .into_iter()
                        .filter(|r| !NONE_WORDS.contains(&r.value.to_lowercase().as_str()))
                        .collect();
                }
                Field::Duration => module.duration = self.duration(value_at, b),
                Field::Prerequisites | Field::Next => {
                    let refs = self
                        .entries(b, value_k, &path, true)
                        .into_iter()
                        .filter_map(|e| self.module_ref(e, field))
                        .collect();
                    if field == Field::Prerequisites {
                        module.prerequisites = refs;
                    } else {
                        module.next = refs;
                    }
                }
            }
        }
        let missing: Vec<&str> = [
            Field::Title,
            Field::Roles,
            Field::Duration,
            Field::Prerequisites,
            Field::Next,
        ]
        .into_iter()
        .filter(|f| !seen.contains(f))
        .map(Field::label)
        .collect();
        if !missing.is_empty() && (id.is_some() || seen.contains(&Field::Id)) {
            self.diags.push(
                Diagnostic::warning(
                    "W0212",
                    self.file,
                    format!("the `Module Overview` has no {}", missing.join(", ")),
                )
                .at(heading)
                .with_path("overview")
                .with_help("add a bullet per field, such as `- **Prerequisites**: MOD-557, MOD-558` (write `None` when there are none)"),
            );
        }
        id
    }

    fn module_id(&mut self, at: At<String>, b: &Bullet) -> Option<At<String>> {
        if at.value.is_empty() {
            let whole = self.at(&b.text, 0, b.text.text.trim(), "overview.module-id");
            self.diags.push(
                Diagnostic::error("E0221", self.file, "the `Module ID` bullet is empty")
                    .at(whole.pos)
                    .spanning(whole.len())
                    .with_path("overview.module-id")
                    .with_help("write the module's id after the colon: `- **Module ID**: MOD-123`"),
            );
            return None;
        }
        if !is_module_id(&at.value) {
            // One id, its spaces turned into hyphens: "MOD 559" -> "MOD-559".
            let first = at.value.split([',', ';']).next().unwrap_or_default();
            let suggestion: String = first
                .split_whitespace()
                .collect::<Vec<_>>()
                .join("-")
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
                .collect();
            self.diags.push(
                Diagnostic::error(
                    "E0222",
                    self.file,
                    format!("invalid Module ID `{}`", at.value),
                )
                .at(at.pos)
                .spanning(at.len())
                .with_path(at.path.clone())
                .with_help(if suggestion.is_empty() {
                    "a Module ID is one word of letters, digits, `.`, `_` and `-`, such as `MOD-559`".to_owned()
                } else {
                    format!("a Module ID is one word of letters, digits, `.`, `_` and `-`: write `{suggestion}`")
                }),
            );
            return None;
        }
        Some(at)
    }

    /// The entries of a list bullet: its sub-bullets when it has some and no value, else
    /// its value split at commas and semicolons (and at " and " for module lists).
    fn entries(&self, b: &Bullet, value_k: usize, path: &str, and: bool) -> Vec<At<String>> {
        let mut out = Vec::new();
        let (value, _) = b.text.rest(value_k);
        if value.is_empty() {
            for (i, c) in b.children.iter().enumerate() {
                let (t, k) = c.rest(0);
                if !t.is_empty() {
                    out.push(self.at(c, k, t, &format!("{path}[{i}]")));
                }
            }
            return out;
        }
        let text = &b.text.text;
        let mut pieces: Vec<(usize, usize)> = Vec::new();
        let mut start = value_k;
        for (i, c) in text[value_k..].char_indices() {
            if matches!(c, ',' | ';') {
                pieces.push((start, value_k + i));
                start = value_k + i + 1;
            }
        }
        pieces.push((start, text.len()));
        if and {
            pieces = pieces
                .into_iter()
                .flat_map(|(s, e)| {
                    let mut parts = Vec::new();
                    let mut from = s;
                    for (i, _) in text[s..e].match_indices(" and ") {
                        parts.push((from, s + i));
                        from = s + i + " and ".len();
                    }
                    parts.push((from, e));
                    parts
                })
                .collect();
        }
        for (s, e) in pieces {
            let raw = &text[s..e];
            let t = raw.trim().trim_end_matches('.').trim();
            if t.is_empty() {
                continue;
            }
            let k = s + (raw.len() - raw.trim_start().len());
            let n = out.len();
            out.push(self.at(&b.text, k, t, &format!("{path}[{n}]")));
        }
        out
    }

    fn module_ref(&mut self, entry: At<String>, field: Field) -> Option<ModuleRef> {
        let t = entry.value.as_str();
        if NONE_WORDS.contains(&t.to_lowercase().as_str()) {
            return None;
        }
        if let Some((first, last)) = range(t) {
            return Some(ModuleRef::Range {
                text: entry,
                first,
                last,
            });
        }
        if is_module_id(t) && t.chars().any(|c| c.is_ascii_digit()) {
            return Some(ModuleRef::Id { id: entry });
        }
        self.warn(
            "W0214",
            &entry,
            format!(
                "`{t}` in {} is not a module id or range, kept as text",
                field.label()
            ),
            "list module ids (`MOD-557`) or ranges (`MOD-901–910`) separated by commas; the page shows other text as written, unlinked",
        );
        Some(ModuleRef::Text { text: entry })
    }

    fn duration(&mut self, at: At<String>, b: &Bullet) -> Option<Duration> {
        if at.value.is_empty() && b.children.is_empty() {
            return None;
        }
        let (total, inner) = match (at.value.find('('), at.value.rfind(')')) {
            (Some(open), Some(close)) if close > open => (
                at.value[..open].trim().to_owned(),
                Some(at.value[open + 1..close].to_owned()),
            ),
            _ => (at.value.trim().to_owned(), None),
        };
        let part_texts: Vec<String> = match inner {
            Some(inner) => inner
                .split([',', ';', '+'])
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
            None => b
                .children
                .iter()
                .map(|c| c.text.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
        };
        let parts: Vec<DurationPart> = part_texts.iter().map(|p| part(p)).collect();
        match amount(&total) {
            None => self.warn(
                "W0215",
                &at,
                format!("duration `{}` does not start with a number", at.value),
                "write the total first, then its parts: `34 hours (10 lecture, 14 lab, 6 portfolio, 4 assessment)`",
            ),
            Some((sum, unit)) => {
                let amounts: Option<Vec<(f64, Option<&'static str>)>> = parts
                    .iter()
                    .map(|p| p.amount.as_deref().and_then(amount))
                    .collect();
                if let Some(amounts) = amounts.filter(|a| !a.is_empty())
                    && amounts.iter().all(|(_, u)| u.is_none() || *u == unit)
                {
                    let parts_sum: f64 = amounts.iter().map(|(n, _)| n).sum();
                    if (parts_sum - sum).abs() > 1e-9 {
                        self.warn(
                            "W0215",
                            &at,
                            format!(
                                "the parts of duration `{}` add up to {}, not {}",
                                at.value,
                                trim_number(parts_sum),
                                trim_number(sum)
                            ),
                            "correct the total or the parts so that they agree",
                        );
                    }
                }
            }
        }
        Some(Duration {
            text: at,
            total,
            parts,
        })
    }

    /// Reads the first table of the competency section.
    fn competencies(
        &mut self,
        events: &[(Event<'_>, Range<usize>)],
        heading: Pos,
    ) -> Vec<CompetencyTarget> {
        let Some((header, rows)) = table(events) else {
            self.diags.push(
                Diagnostic::warning(
                    "W0211",
                    self.file,
                    "the `Competency Alignment` section has no table",
                )
                .at(heading)
                .with_path("competencies")
                .with_help("add a table with the columns Competency, Proficiency Target, Evidence / Assessment and Role Alignment"),
            );
            return Vec::new();
        };
        let mut columns: Vec<Option<Column>> = Vec::new();
        for cell in &header {
            let name = cell.text.trim();
            let column = Column::ALL
                .into_iter()
                .find(|c| !columns.contains(&Some(*c)) && c.matches(name));
            if column.is_none() {
                let (t, k) = cell.rest(0);
                let at = self.at(cell, k, t, "competencies");
                self.warn(
                    "W0216",
                    &at,
                    format!("extra column `{name}` in the competency table, kept as written"),
                    "the known columns are Competency, Proficiency Target, Evidence / Assessment and Role Alignment; the page shows other columns after them",
                );
            }
            columns.push(column);
        }
        let missing: Vec<&str> = Column::ALL
            .into_iter()
            .filter(|c| !columns.contains(&Some(*c)))
            .map(Column::label)
            .collect();
        if !missing.is_empty() {
            let first = header.first().map_or(heading, |c| self.pos(c.source(0)));
            self.diags.push(
                Diagnostic::warning(
                    "W0217",
                    self.file,
                    format!("the competency table has no {} column", missing.join(", ")),
                )
                .at(first)
                .with_path("competencies")
                .with_help("name the columns Competency, Proficiency Target, Evidence / Assessment and Role Alignment (any order, any case)"),
            );
        }
        let mut out = Vec::new();
        for row in rows {
            if row.iter().all(|c| c.text.trim().is_empty()) {
                continue;
            }
            let n = out.len();
            let mut target = CompetencyTarget {
                competency: None,
                proficiency: None,
                evidence: None,
                evidence_markdown: None,
                role: None,
                extra: Vec::new(),
            };
            for (i, cell) in row.iter().enumerate() {
                let (t, k) = cell.rest(0);
                let label = header
                    .get(i)
                    .map_or(String::new(), |h| h.text.trim().to_owned());
                let column = columns.get(i).copied().flatten();
                let name = column.map_or("extra", |c| match c {
                    Column::Competency => "competency",
                    Column::Proficiency => "proficiency",
                    Column::Evidence => "evidence",
                    Column::Role => "role",
                });
                let at = self.at(cell, k, t, &format!("competencies[{n}].{name}"));
                let value = Some(at).filter(|a| !a.value.is_empty());
                match column {
                    Some(Column::Competency) => target.competency = value,
                    Some(Column::Proficiency) => target.proficiency = value,
                    Some(Column::Evidence) => {
                        target.evidence_markdown = value.as_ref().and_then(|_| {
                            let md = self.body.get(cell.source.clone())?.trim();
                            let md = md.strip_prefix('|').unwrap_or(md);
                            let md = md.strip_suffix('|').unwrap_or(md).trim();
                            (!md.is_empty()).then(|| md.to_owned())
                        });
                        target.evidence = value;
                    }
                    Some(Column::Role) => target.role = value,
                    None => target
                        .extra
                        .extend(value.map(|value| Fact { label, value })),
                }
            }
            if target.competency.is_none() && columns.contains(&Some(Column::Competency)) {
                let first = row.first().map_or(heading, |c| self.pos(c.source(0)));
                self.diags.push(
                    Diagnostic::warning(
                        "W0218",
                        self.file,
                        format!("row {} of the competency table names no competency", n + 1),
                    )
                    .at(first)
                    .with_path(format!("competencies[{n}].competency"))
                    .with_help("write the competency (a rubric's `competency`, such as `platform-security`) in the first cell"),
                );
            }
            out.push(target);
        }
        out
    }
}

/// The top-level bullets of the lists in `events`, each with its sub-bullets.
fn bullets(events: &[(Event<'_>, Range<usize>)]) -> Vec<Bullet> {
    let mut out: Vec<Bullet> = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<Bullet> = None;
    let mut child: Option<Flat> = None;
    for (e, r) in events {
        match e {
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Item) if depth == 1 => {
                current = Some(Bullet {
                    text: Flat::at(r.start),
                    children: Vec::new(),
                });
            }
            Event::Start(Tag::Item) if depth == 2 => child = Some(Flat::at(r.start)),
            Event::End(TagEnd::Item) if depth == 1 => out.extend(current.take()),
            Event::End(TagEnd::Item) if depth == 2 => {
                if let (Some(b), Some(c)) = (current.as_mut(), child.take()) {
                    b.children.push(c);
                }
            }
            _ if depth >= 2 => {
                if let Some(c) = child.as_mut() {
                    c.take(e, r);
                }
            }
            _ if depth == 1 => {
                if let Some(b) = current.as_mut() {
                    b.text.take(e, r);
                }
            }
            _ => {}
        }
    }
    out
}

/// The first table in `events`: its header cells and its rows of cells.
fn table(events: &[(Event<'_>, Range<usize>)]) -> Option<(Vec<Flat>, Vec<Vec<Flat>>)> {
    let start = events
        .iter()
        .position(|(e, _)| matches!(e, Event::Start(Tag::Table(_))))?;
    let mut header: Vec<Flat> = Vec::new();
    let mut rows: Vec<Vec<Flat>> = Vec::new();
    let mut row: Vec<Flat> = Vec::new();
    let mut cell: Option<Flat> = None;
    for (e, r) in &events[start + 1..] {
        match e {
            Event::End(TagEnd::Table) => break,
            Event::End(TagEnd::TableHead) => header = std::mem::take(&mut row),
            Event::End(TagEnd::TableRow) => rows.push(std::mem::take(&mut row)),
            Event::Start(Tag::TableCell) => {
                cell = Some(Flat {
                    source: r.clone(),
                    ..Flat::at(r.start)
                });
            }
            Event::End(TagEnd::TableCell) => row.extend(cell.take()),
            _ => {
                if let Some(c) = cell.as_mut() {
                    c.take(e, r);
                }
            }
        }
    }
    Some((header, rows))
}

/// A range of numbered ids: `MOD-901–910`, `MOD-901-910`, `MOD-901 – MOD-910` (en dash,
/// em dash or hyphen). Returns its first and last ids.
fn range(text: &str) -> Option<(String, String)> {
    let dashes: Vec<(usize, char)> = text
        .char_indices()
        .filter(|(_, c)| matches!(c, '-' | '–' | '—'))
        .collect();
    for (i, dash) in dashes.into_iter().rev() {
        let left = text[..i].trim();
        let right = text[i + dash.len_utf8()..].trim();
        if !is_module_id(left) || right.is_empty() {
            continue;
        }
        let Some((prefix, a)) = numbered(left) else {
            continue;
        };
        let (last, b) = if right.chars().all(|c| c.is_ascii_digit()) {
            match right.parse::<u64>() {
                Ok(b) => (format!("{prefix}{right}"), b),
                Err(_) => continue,
            }
        } else {
            match numbered(right) {
                Some((p, b)) if p.eq_ignore_ascii_case(prefix) && is_module_id(right) => {
                    (right.to_owned(), b)
                }
                _ => continue,
            }
        };
        if a < b {
            return Some((left.to_owned(), last));
        }
    }
    None
}

/// A duration part: "10 lecture" (amount first) or "labs 36 h" (label first).
fn part(text: &str) -> DurationPart {
    let words: Vec<&str> = text.split_whitespace().collect();
    let starts_with_digit = |w: &&str| w.starts_with(|c: char| c.is_ascii_digit());
    match words.iter().position(starts_with_digit) {
        Some(0) => {
            let unit_len = usize::from(words.get(1).is_some_and(|w| unit(w).is_some()));
            DurationPart {
                amount: Some(words[..=unit_len].join(" ")),
                label: words[1 + unit_len..].join(" "),
            }
        }
        Some(j) => DurationPart {
            label: words[..j].join(" "),
            amount: Some(words[j..].join(" ")),
        },
        None => DurationPart {
            label: text.to_owned(),
            amount: None,
        },
    }
}

/// A time unit word, normalised ("hrs" -> "hour").
fn unit(word: &str) -> Option<&'static str> {
    match word.to_lowercase().trim_end_matches('.') {
        "h" | "hr" | "hrs" | "hour" | "hours" => Some("hour"),
        "d" | "day" | "days" => Some("day"),
        "w" | "wk" | "wks" | "week" | "weeks" => Some("week"),
        "min" | "mins" | "minute" | "minutes" => Some("minute"),
        _ => None,
    }
}

/// The number an amount starts with and its unit, if it names one ("34 hours",
/// "24h", "10").
fn amount(text: &str) -> Option<(f64, Option<&'static str>)> {
    let t = text.trim();
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let n: f64 = t[..end].parse().ok()?;
    let rest = t[end..].split_whitespace().next();
    Some((n, rest.and_then(unit)))
}

fn trim_number(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_evidence_cell_keeps_its_markdown_beside_its_text() {
        let doc = "# Module Roadmap\n\n## Module Overview\n\n- **Module ID**: MOD-2\n\n## Competency Alignment\n\n| Competency | Level | Evidence | Role |\n|---|---|---|---|\n| tm | Expert | [[tm-a]] and **a plan** | ML |\n| rai | Novice |  | ML |\n";
        let (roadmap, _) = parse("m.md", doc, 0);
        let targets = &roadmap.expect("a roadmap").module.competencies;
        let evidence = |i: usize| {
            let t: &crate::model::kinds::module::CompetencyTarget = &targets[i];
            (
                t.evidence.as_ref().map(|e| e.value.clone()),
                t.evidence_markdown.clone(),
            )
        };
        assert_eq!(
            evidence(0),
            (
                Some("tm-a and a plan".to_owned()),
                Some("[[tm-a]] and **a plan**".to_owned())
            )
        );
        assert_eq!(evidence(1), (None, None));
    }

    #[test]
    fn ranges_take_dashes_and_hyphens() {
        assert_eq!(
            range("MOD-901–910"),
            Some(("MOD-901".into(), "MOD-910".into()))
        );
        assert_eq!(
            range("MOD-901-910"),
            Some(("MOD-901".into(), "MOD-910".into()))
        );
        assert_eq!(
            range("MOD-901 — MOD-910"),
            Some(("MOD-901".into(), "MOD-910".into()))
        );
        assert_eq!(range("MOD-901"), None);
        assert_eq!(range("ML-2024-01"), None);
        assert_eq!(range("MOD-901–PROJ-910"), None);
    }

    #[test]
    fn duration_parts_either_way_round() {
        assert_eq!(
            part("10 lecture"),
            DurationPart {
                label: "lecture".into(),
                amount: Some("10".into())
            }
        );
        assert_eq!(
            part("labs 36 h"),
            DurationPart {
                label: "labs".into(),
                amount: Some("36 h".into())
            }
        );
        assert_eq!(
            part("24 h lectures"),
            DurationPart {
                label: "lectures".into(),
                amount: Some("24 h".into())
            }
        );
        assert_eq!(amount("34 hours"), Some((34.0, Some("hour"))));
        assert_eq!(amount("12 weeks"), Some((12.0, Some("week"))));
        assert_eq!(amount("one term"), None);
    }

    #[test]
    fn labels_are_matched_by_meaning() {
        assert_eq!(Field::of("Module ID"), Some(Field::Id));
        assert_eq!(Field::of("Module Code"), Some(Field::Id));
        assert_eq!(Field::of("Module Title"), Some(Field::Title));
        assert_eq!(Field::of("Target Role(s)"), Some(Field::Roles));
        assert_eq!(Field::of("Next Module(s)"), Some(Field::Next));
        assert_eq!(Field::of("Prerequisites"), Some(Field::Prerequisites));
        assert_eq!(Field::of("Credits"), None);
        assert!(Column::Evidence.matches("Evidence / Assessment"));
        assert!(Column::Proficiency.matches("PROFICIENCY TARGET"));
    }
}
