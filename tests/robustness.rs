//! Property tests: whatever a user's file holds, the readers return values or
//! diagnostics, never a panic, and rendered Markdown never carries script.

use evidentia::load::{Area, Format, SourceFile, json, yaml};
use evidentia::model::{build_registry, parse_header, parse_page};
use proptest::prelude::*;

fn yamlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("kind: ".to_owned()),
        Just("id: ".to_owned()),
        Just("title: ".to_owned()),
        Just("tags: [".to_owned()),
        Just("updated: 2026-02-30".to_owned()),
        Just("\n".to_owned()),
        Just("\n  - ".to_owned()),
        Just("&a ".to_owned()),
        Just("*a".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("\"".to_owned()),
        Just("\t".to_owned()),
        Just("---\n".to_owned()),
        "[a-z0-9 .:_#-]{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(token, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn yaml_never_panics_and_errors_are_placed(text in yamlish()) {
        match yaml::parse(&text, "evidence/x.yaml", 0) {
            Ok(node) => {
                if let Err(diags) = parse_header(&node, "evidence/x.yaml") {
                    prop_assert!(!diags.is_empty());
                    for d in diags {
                        prop_assert!(d.code.starts_with('E'));
                        prop_assert!(!d.help.is_empty(), "{:?} has no help", d);
                    }
                }
            }
            Err(d) => {
                prop_assert_eq!(d.code, "E0103");
                prop_assert!(d.line >= 1);
            }
        }
    }

    #[test]
    fn json_never_panics(text in yamlish()) {
        if let Err(d) = json::parse(&text, "evidence/x.json") {
            prop_assert_eq!(d.code, "E0104");
            prop_assert!(d.line >= 1);
        }
    }

    #[test]
    fn pages_never_panic_and_markdown_never_carries_script(
        front in yamlish(),
        body in prop::collection::vec(prop_oneof![
            Just("<script>alert(1)</script>".to_owned()),
            Just("<img src=x onerror=alert(1)>".to_owned()),
            Just("[x](javascript:alert(1))".to_owned()),
            Just("[[".to_owned()),
            Just("]]".to_owned()),
            Just("|".to_owned()),
            Just("```rust\n".to_owned()),
            Just("\n".to_owned()),
            Just("# ".to_owned()),
            Just("<a href='java&#x73;cript:x'>".to_owned()),
            any::<String>(),
        ], 0..16).prop_map(|v| v.concat()),
    ) {
        let text = format!("---\n{front}\n---\n{body}");
        let (page, _diags) = parse_page(&SourceFile {
            rel: "content/p.md".into(),
            area: Area::Content,
            format: Format::Markdown,
            text,
        });
        if let Some(page) = page {
            let (registry, _) = build_registry(std::slice::from_ref(&page), &[]);
            let html = evidentia::render::markdown::to_html(&page.body, &registry, &page.url);
            prop_assert!(script_free(&html), "{}", html);
        }
    }
}

/// No script element, no event-handler attribute, no script URL anywhere in `html`.
fn script_free(html: &str) -> bool {
    let doc = scraper::Html::parse_fragment(html);
    let all = scraper::Selector::parse("*").expect("selector");
    doc.select(&all).all(|el| {
        let v = el.value();
        !matches!(v.name(), "script" | "iframe" | "object" | "embed")
            && v.attrs().all(|(name, value)| {
                let value: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .to_ascii_lowercase();
                !name.starts_with("on")
                    && !value.starts_with("javascript:")
                    && !value.starts_with("vbscript:")
                    && !value.starts_with("data:")
            })
    })
}

/// The demo site's evidence files, read once.
fn demo_files() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, root, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    walk(&root.join("evidence"), root, &mut out);
    walk(&root.join("content"), root, &mut out);
    out.sort();
    out
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Indent(usize),
    Dedent(usize),
    Replace(usize, char),
    Truncate(usize),
    Insert(usize, String),
}

fn mutate(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        return String::new();
    }
    let n = lines.len();
    match m {
        Mutation::DeleteLine(i) => {
            lines.remove(i % n);
        }
        Mutation::DuplicateLine(i) => {
            let l = lines[i % n].clone();
            lines.insert(i % n, l);
        }
        Mutation::SwapLines(a, b) => lines.swap(a % n, b % n),
        Mutation::Indent(i) => lines[i % n].insert_str(0, "  "),
        Mutation::Dedent(i) => {
            let l = &mut lines[i % n];
            *l = l.trim_start().to_owned();
        }
        Mutation::Replace(i, c) => {
            let s: String = lines.join("\n");
            let chars: Vec<char> = s.chars().collect();
            let mut chars = chars;
            let at = i % chars.len().max(1);
            if !chars.is_empty() {
                chars[at] = *c;
            }
            return chars.into_iter().collect();
        }
        Mutation::Truncate(i) => {
            let s = lines.join("\n");
            let cut = s
                .char_indices()
                .nth(i % s.chars().count().max(1))
                .map_or(s.len(), |(b, _)| b);
            return s[..cut].to_owned();
        }
        Mutation::Insert(i, s) => lines.insert(i % n, s.clone()),
    }
    lines.join("\n") + "\n"
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<usize>().prop_map(Mutation::Indent),
        any::<usize>().prop_map(Mutation::Dedent),
        (
            any::<usize>(),
            prop::sample::select(vec![
                ':', '-', '[', '{', '#', '"', '\'', '\t', '&', '*', ' ', 'x', '9', '|', '>'
            ])
        )
            .prop_map(|(i, c)| Mutation::Replace(i, c)),
        any::<usize>().prop_map(Mutation::Truncate),
        (
            any::<usize>(),
            prop::sample::select(vec![
                "status: bogus".to_owned(),
                "  - id: T1".to_owned(),
                "unknown_field: 1".to_owned(),
                "expires: 2026-13-45".to_owned(),
                "covers: [nope#x]".to_owned(),
                "kind: packet".to_owned(),
                "id: Dup".to_owned(),
                "- [[broken".to_owned(),
                "extends: [pkt-credit-scoring-rai]".to_owned(),
            ])
        )
            .prop_map(|(i, s)| Mutation::Insert(i, s)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn mutated_demo_evidence_never_panics_check(
        file in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let files = demo_files();
        let (target, text) = &files[file.index(files.len())];
        let mut mutated = text.clone();
        for m in &mutations {
            mutated = mutate(&mutated, m);
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), "title = \"Mutated\"\n").unwrap();
        for (rel, body) in &files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, if rel == target { &mutated } else { body }).unwrap();
        }
        let options = evidentia::Options { today: "2026-11-27".parse().unwrap() };
        let checked = evidentia::check_site(dir.path(), &options);
        prop_assert!(checked.is_ok(), "{:?}", checked.err());
        let checked = checked.unwrap();
        for d in &checked.diagnostics {
            prop_assert!(!d.message.is_empty() && !d.help.is_empty(), "{:?}", d);
            prop_assert!(d.file.is_empty() || d.file == "site.toml" || files.iter().any(|(r, _)| *r == d.file) || d.file.starts_with("themes/"), "{:?}", d);
        }
    }
}
