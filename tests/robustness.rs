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
