//! Module roadmaps (DESIGN 3.9): the parser on the seed's own file and on variants of it,
//! and modules as items of a site (ids, duplicate ids, `show`, the module page).

mod common;

use common::{Fixture, item, seed};
use evidentia::diag::Diagnostic;
use evidentia::model::kinds::module::ModuleRef;
use evidentia::model::roadmap::{Roadmap, parse};
use scraper::{Html, Selector};

fn codes(diags: &[Diagnostic]) -> Vec<(&'static str, u32, u32)> {
    diags.iter().map(|d| (d.code, d.line, d.column)).collect()
}

fn refs(list: &[ModuleRef]) -> Vec<String> {
    list.iter()
        .map(|r| match r {
            ModuleRef::Id { id } => format!("id:{}", id.value),
            ModuleRef::Range { first, last, .. } => format!("range:{first}..{last}"),
            ModuleRef::Text { text } => format!("text:{}", text.value),
        })
        .collect()
}

/// The value of the overview bullet whose label is `label`, read with string operations
/// only, and its 1-based line and column.
fn bullet(text: &str, label: &str) -> (String, u32, u32) {
    let marker = format!("**{label}**: ");
    for (i, line) in text.lines().enumerate() {
        if let Some(at) = line.find(&marker) {
            let col = line[..at + marker.len()].chars().count() + 1;
            return (
                line[at + marker.len()..].trim().to_owned(),
                i as u32 + 1,
                col as u32,
            );
        }
    }
    panic!("no `{label}` bullet");
}

#[test]
fn the_seed_roadmap_parses_clean_and_completely() {
    let Some(text) = seed("mod-559-roadmap.md") else {
        return;
    };
    let (roadmap, diags) = parse("seed.md", &text, 0);
    assert!(diags.is_empty(), "{diags:#?}");
    let Roadmap { id, module, .. } = roadmap.expect("a module");

    let (want_id, line, col) = bullet(&text, "Module ID");
    assert_eq!(id.value, want_id);
    assert_eq!((id.pos.line, id.pos.column), (line, col));
    assert_eq!(
        module.module_title.as_ref().map(|t| t.value.as_str()),
        Some(bullet(&text, "Module Title").0.as_str())
    );
    let roles: Vec<String> = bullet(&text, "Target Role(s)")
        .0
        .split(',')
        .map(|s| s.trim().to_owned())
        .collect();
    assert_eq!(
        module
            .roles
            .iter()
            .map(|r| r.value.clone())
            .collect::<Vec<_>>(),
        roles
    );

    // Duration: the total before the parenthesis, one part per comma inside it.
    let duration = bullet(&text, "Duration").0;
    let (total, inner) = duration.split_once('(').unwrap();
    let inner = inner.trim_end_matches(')');
    let d = module.duration.as_ref().expect("duration");
    assert_eq!(d.total, total.trim());
    let parts: Vec<(String, String)> = inner
        .split(',')
        .map(|p| {
            let (n, label) = p.trim().split_once(' ').unwrap();
            (label.to_owned(), n.to_owned())
        })
        .collect();
    assert_eq!(
        d.parts
            .iter()
            .map(|p| (p.label.clone(), p.amount.clone().unwrap()))
            .collect::<Vec<_>>(),
        parts
    );

    let ids = |label: &str| -> Vec<String> {
        bullet(&text, label)
            .0
            .split(',')
            .map(|s| format!("id:{}", s.trim()))
            .collect()
    };
    assert_eq!(refs(&module.prerequisites), ids("Prerequisites"));
    assert_eq!(refs(&module.next), ids("Next Module(s)"));

    // The competency table: one target per row below the separator, cells in order.
    let table: Vec<Vec<String>> = text
        .split("## Competency Alignment")
        .nth(1)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_owned())
                .collect()
        })
        .collect();
    assert!(!table.is_empty());
    let got: Vec<Vec<String>> = module
        .competencies
        .iter()
        .map(|t| {
            [&t.competency, &t.proficiency, &t.evidence, &t.role]
                .iter()
                .map(|c| c.as_ref().map(|c| c.value.clone()).unwrap_or_default())
                .collect()
        })
        .collect();
    assert_eq!(got, table);
    assert!(module.competencies.iter().all(|t| t.extra.is_empty()));

    // Every other second-level section is the page body, in order.
    let sections: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter(|h| !matches!(*h, "Module Overview" | "Competency Alignment"))
        .map(str::to_owned)
        .collect();
    assert_eq!(module.sections, sections);
    for s in &sections {
        assert!(
            module.body.contains(&format!("## {s}")),
            "{s} not in the body"
        );
    }
    assert!(!module.body.contains("Module ID"));
    assert!(!module.body.contains("| Competency |"));
    assert!(!module.body.contains("# Module Roadmap\n"));
}

const OVERVIEW: &str = "# Module Roadmap\n\n## Module Overview\n\n- **Module ID**: MOD-700\n- **Module Title**: Variant\n- **Target Role(s)**: Data Engineer, ML Engineer\n- **Duration**: 12 weeks (lectures 24 h, labs 36 h)\n- **Prerequisites**: MOD-601\n- **Next Module(s)**: MOD-701\n";

const TABLE: &str = "\n## Competency Alignment\n\n| Competency | Proficiency Target | Evidence / Assessment | Role Alignment |\n|---|---|---|---|\n| data-quality | Advanced | Data contract | Data Engineer |\n";

#[test]
fn a_variant_with_other_units_parses_clean() {
    let (r, diags) = parse("v.md", &format!("{OVERVIEW}{TABLE}"), 0);
    assert!(diags.is_empty(), "{diags:#?}");
    let m = r.unwrap().module;
    let d = m.duration.unwrap();
    assert_eq!(d.total, "12 weeks");
    assert_eq!(
        d.parts
            .iter()
            .map(|p| format!("{}={}", p.label, p.amount.clone().unwrap()))
            .collect::<Vec<_>>(),
        ["lectures=24 h", "labs=36 h"]
    );
    assert_eq!(m.roles.len(), 2);
    assert_eq!(m.roles[1].value, "ML Engineer");
}

#[test]
fn missing_sections_and_fields_are_warnings_at_their_place() {
    // No competency section at all; the overview lacks Duration and Next Module(s).
    let text = "# Roadmap\n\n## Module Overview\n\n- **Module ID**: MOD-700\n- **Module Title**: T\n- **Target Role(s)**: R\n- **Prerequisites**: None\n\n## Learning Objectives\n\n- Learn.\n";
    let (r, diags) = parse("v.md", text, 0);
    let m = r.expect("still a module").module;
    assert_eq!(codes(&diags), [("W0212", 3, 1), ("W0211", 1, 1)]);
    assert!(diags[0].message.contains("Duration, Next Module(s)"));
    assert!(m.prerequisites.is_empty(), "`None` means no prerequisites");
    assert!(m.competencies.is_empty());
    assert_eq!(m.sections, ["Learning Objectives"]);

    // A competency section without a table.
    let text = format!("{OVERVIEW}\n## Competency Alignment\n\nTo be agreed.\n");
    let (r, diags) = parse("v.md", &text, 0);
    assert!(r.is_some());
    assert_eq!(codes(&diags), [("W0211", 12, 1)]);
}

#[test]
fn extra_and_missing_columns_are_kept_or_reported() {
    // Headers matched by meaning and case; "Weight" is extra, no role column.
    let text = format!(
        "{OVERVIEW}\n## Competency Alignment\n\n| COMPETENCY | Level | Weight | Evidence |\n|---|---|---|---|\n| data-quality | Advanced | 40% | Data contract |\n| | Novice | 10% | Quiz |\n"
    );
    let (r, diags) = parse("v.md", &text, 0);
    let m = r.unwrap().module;
    assert_eq!(
        codes(&diags),
        [("W0216", 14, 24), ("W0217", 14, 3), ("W0218", 17, 2)]
    );
    assert!(diags[1].message.contains("Role Alignment"));
    let t = &m.competencies[0];
    assert_eq!(t.competency.as_ref().unwrap().value, "data-quality");
    assert_eq!(t.proficiency.as_ref().unwrap().value, "Advanced");
    assert_eq!(t.evidence.as_ref().unwrap().value, "Data contract");
    assert!(t.role.is_none());
    assert_eq!(t.extra.len(), 1);
    assert_eq!(
        (t.extra[0].label.as_str(), t.extra[0].value.value.as_str()),
        ("Weight", "40%")
    );
    assert_eq!(
        m.competencies.len(),
        2,
        "a row without a competency is kept"
    );
}

#[test]
fn ranges_free_text_and_sub_bullets_in_module_lists() {
    let text = "## Module Overview\n\n- **Module ID**: MOD-700\n- **Module Title**: T\n- **Target Role(s)**: R\n- **Duration**: 10 hours\n- **Prerequisites**: MOD-901–910, MOD-100-105 and MOD-3\n- **Next Module(s)**: MOD-701, the capstone project\n- **Credits**: 5 ECTS\n";
    let (r, diags) = parse("v.md", &format!("{text}{TABLE}"), 0);
    let m = r.unwrap().module;
    assert_eq!(
        refs(&m.prerequisites),
        [
            "range:MOD-901..MOD-910",
            "range:MOD-100..MOD-105",
            "id:MOD-3"
        ]
    );
    assert_eq!(refs(&m.next), ["id:MOD-701", "text:the capstone project"]);
    // Free text is a warning at the text itself; an unknown bullet is kept as a fact.
    assert_eq!(codes(&diags), [("W0214", 8, 32), ("W0213", 9, 5)]);
    assert_eq!(m.facts.len(), 1);
    assert_eq!(
        (m.facts[0].label.as_str(), m.facts[0].value.value.as_str()),
        ("Credits", "5 ECTS")
    );
    match &m.prerequisites[0] {
        ModuleRef::Range { text, .. } => {
            assert_eq!(text.value, "MOD-901–910");
            assert_eq!((text.pos.line, text.pos.column), (7, 22));
        }
        other => panic!("{other:?}"),
    }

    // Lists may be written as sub-bullets, and durations too.
    let text = "## Module Overview\n\n- Module ID: MOD-700\n- Title: T\n- Roles: R\n- Duration: 6 hours\n  - 2 lecture\n  - 4 lab\n- Prerequisites:\n  - MOD-601\n  - [[MOD-602]]\n- Next modules: None\n";
    let (r, diags) = parse("v.md", &format!("{text}{TABLE}"), 0);
    assert!(diags.is_empty(), "{diags:#?}");
    let m = r.unwrap().module;
    assert_eq!(refs(&m.prerequisites), ["id:MOD-601", "id:MOD-602"]);
    assert_eq!(m.duration.unwrap().parts.len(), 2);
}

#[test]
fn a_duration_whose_parts_disagree_is_a_warning() {
    let text = OVERVIEW.replace(
        "12 weeks (lectures 24 h, labs 36 h)",
        "34 hours (10 lecture, 14 lab, 6 portfolio)",
    );
    let (_, diags) = parse("v.md", &format!("{text}{TABLE}"), 0);
    assert_eq!(codes(&diags), [("W0215", 8, 17)]);
    assert!(diags[0].message.contains("add up to 30, not 34"));
    let text = OVERVIEW.replace("12 weeks (lectures 24 h, labs 36 h)", "one term");
    let (_, diags) = parse("v.md", &format!("{text}{TABLE}"), 0);
    assert_eq!(codes(&diags), [("W0215", 8, 17)]);
}

#[test]
fn no_module_id_is_an_error_at_the_heading_never_a_panic() {
    // Positions count from the file, front matter included (3 lines here).
    let text = OVERVIEW.replace("- **Module ID**: MOD-700\n", "");
    let (r, diags) = parse("v.md", &format!("{text}{TABLE}"), 3);
    assert!(r.is_none());
    assert_eq!(codes(&diags)[0], ("E0221", 6, 1));
    assert!(diags.iter().filter(|d| d.is_error()).count() == 1);

    let (r, diags) = parse("v.md", "# Roadmap\n\nNo overview here.\n", 0);
    assert!(r.is_none());
    assert_eq!(codes(&diags)[0], ("E0221", 1, 1));

    let text = OVERVIEW.replace("MOD-700", "MOD 700");
    let (r, diags) = parse("v.md", &text, 0);
    assert!(r.is_none());
    assert_eq!(codes(&diags)[0], ("E0222", 5, 18));
    assert!(
        diags[0].help.contains("write `MOD-700`"),
        "{}",
        diags[0].help
    );

    let text = OVERVIEW.replace("MOD-700", "");
    let (r, diags) = parse("v.md", &text, 0);
    assert!(r.is_none());
    assert_eq!(codes(&diags), [("E0221", 5, 5), ("W0211", 1, 1)]);

    for hostile in [
        "",
        "## Module Overview",
        "## Module Overview\n- :\n- **Module ID**:\n",
        "## Module Overview\n- **Module ID**: M\n- **Duration**: (,,)\n- **Prerequisites**: –, -, MOD-1–0\n## Competency\n|a|\n|-|\n||\n",
        "## Module Overview\n- **Module ID**: M-1\n  - - - deep\n## Competency Alignment\n| Competency |\n|---|\n| é̃ |\n",
    ] {
        let _ = parse("v.md", hostile, 0);
    }
}

proptest::proptest! {
    #[test]
    fn the_parser_never_panics(body in "(## Module Overview\n|- \\*\\*Module ID\\*\\*: |MOD-[0-9]{1,3}|[–(),|: a-z0-9\n-]){0,40}") {
        let _ = parse("p.md", &body, 2);
    }
}

fn roadmap(id: &str, title: &str, prereqs: &str, next: &str, competency: &str) -> String {
    format!(
        "---\nweight: 1\n---\n# Module Roadmap\n\n> Lead paragraph.\n\n## Module Overview\n\n- **Module ID**: {id}\n- **Module Title**: {title}\n- **Target Role(s)**: ML Engineer\n- **Duration**: 4 hours (1 lecture, 3 lab)\n- **Prerequisites**: {prereqs}\n- **Next Module(s)**: {next}\n\n## Competency Alignment\n\n| Competency | Proficiency Target | Evidence / Assessment | Role Alignment |\n|---|---|---|---|\n| {competency} | Expert | Threat model | ML Engineer |\n| no-rubric-here | Novice | Quiz | ML Engineer |\n\n## Learning Objectives\n\n- See [[tm-a]].\n"
    )
}

fn module_site() -> Fixture {
    let site = Fixture::new();
    site.file(
        "content/modules/mod-559.md",
        &roadmap(
            "MOD-559",
            "Secure MLOps",
            "MOD-557, MOD-558",
            "MOD-901–910, the capstone",
            "Platform-Security",
        ),
    )
    .file(
        "content/modules/intro.md",
        &roadmap("MOD-557", "Intro", "None", "MOD-559", "basics"),
    )
    .file(
        "content/track/elective.md",
        &format!(
            "---\ntemplate: module\n---\n{}",
            roadmap("MOD-905", "Elective", "None", "None", "x")
                .split_once("---\n# ")
                .map(|(_, rest)| format!("# {rest}"))
                .unwrap()
        ),
    )
    .file(
        "content/index.md",
        "# Home\n\nStart with [[MOD-559]] or [[MOD-559|the module]].\n",
    )
    .file("evidence/tm.yaml", &item("threat-model", "tm-a"))
    .file(
        "evidence/rubric.yaml",
        &format!(
            "{}competency: platform-security\nlevels: [novice, expert]\ncriteria:\n  - id: c1\n    title: C1\n",
            item("rubric", "rb-sec")
        ),
    )
    .file(
        "evidence/pf.yaml",
        "kind: portfolio\nid: pf-ada\ntitle: Ada's portfolio\nlearner: {name: Ada Lovelace, handle: ada}\nmodule: mod-559\nclaims:\n  - criterion: rb-sec#c1\n    evidence: [tm-a]\n",
    )
    .file(
        "evidence/pf2.yaml",
        "kind: portfolio\nid: pf-bob\ntitle: Bob's portfolio\nlearner: {handle: bob}\nmodule: MOD-557\n",
    );
    site
}

fn page(site: &Fixture, rel: &str) -> Html {
    Html::parse_document(&site.read(&format!("public/{rel}")))
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(el: scraper::ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_module_page_links_what_the_site_has() {
    let site = module_site();
    let out = site.run(&["build", "--today", "2026-11-27"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Warnings only for what the roadmaps say: free text in MOD-559's next modules.
    assert!(
        out.stderr.contains(": 0 errors, 1 warning"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("W0214"), "{}", out.stderr);

    // The roadmap is the module's page and nothing else: no content page at its path
    // (intro.md would have been /modules/intro/).
    assert!(site.path("public/modules/mod-557/index.html").is_file());
    assert!(site.path("public/modules/mod-905/index.html").is_file());
    assert!(!site.path("public/modules/intro/index.html").exists());
    assert!(!site.path("public/track/elective/index.html").exists());

    let doc = page(&site, "modules/mod-559/index.html");
    assert_eq!(text(doc.select(&sel("h1")).next().unwrap()), "Secure MLOps");
    // Curriculum: MOD-557 linked, MOD-558 not in the site, the range linked to the
    // member the site has, free text as written.
    let steps: Vec<_> = doc.select(&sel(".curriculum-step")).collect();
    assert_eq!(steps.len(), 3);
    let prereq: Vec<_> = steps[0].select(&sel("ul[aria-labelledby] > li")).collect();
    let a = prereq[0].select(&sel("a")).next().expect("MOD-557 linked");
    assert_eq!(
        a.value().attr("href"),
        Some("../../modules/mod-557/index.html")
    );
    assert!(prereq[1].select(&sel("a")).next().is_none());
    assert!(text(prereq[1]).contains("MOD-558 not in this site"));
    let next: Vec<_> = steps[2].select(&sel("ul[aria-labelledby] > li")).collect();
    let member = next[0]
        .select(&sel("a"))
        .next()
        .expect("range member linked");
    assert_eq!(
        member.value().attr("href"),
        Some("../../modules/mod-905/index.html")
    );
    assert!(text(next[0]).starts_with("MOD-901–910"));
    assert_eq!(text(next[1]), "the capstone");

    // Competency targets: linked to the rubric of that competency (any case), else text.
    let rows: Vec<_> = doc.select(&sel("table.competencies tbody tr")).collect();
    assert_eq!(rows.len(), 2);
    let a = rows[0].select(&sel("th a")).next().expect("rubric link");
    assert_eq!(
        a.value().attr("href"),
        Some("../../rubrics/rb-sec/index.html")
    );
    assert_eq!(text(a), "Platform-Security");
    assert!(rows[1].select(&sel("a")).next().is_none());

    // Portfolios for the module (named in lowercase), linked where the registry puts them.
    let rows: Vec<_> = doc
        .select(&sel("table.module-portfolios tbody tr"))
        .collect();
    assert_eq!(rows.len(), 1);
    let a = rows[0].select(&sel("a")).next().unwrap();
    assert_eq!(text(a), "Ada Lovelace");
    assert_eq!(
        a.value().attr("href"),
        Some("../../learners/ada/index.html")
    );

    // The body: the other sections, safe Markdown with wiki links resolved.
    let body = text(doc.select(&sel(".roadmap")).next().unwrap());
    assert!(body.contains("Lead paragraph."));
    assert!(body.contains("Learning Objectives"));
    assert!(!body.contains("Module ID"));
    assert!(
        doc.select(&sel(".roadmap a"))
            .any(|a| a.value().attr("href") == Some("../../evidence/tm-a/index.html"))
    );

    // Wiki links, portfolios and the list of modules reach the module.
    let home = site.read("public/index.html");
    assert!(
        home.contains("href=\"modules/mod-559/index.html\""),
        "{home}"
    );
    let pf = site.read("public/learners/ada/index.html");
    assert!(pf.contains("href=\"../../modules/mod-559/index.html\""));
    let list = site.read("public/kinds/module/index.html");
    for id in ["MOD-557", "MOD-559", "MOD-905"] {
        assert!(list.contains(id), "{id} not listed");
    }
}

#[test]
fn show_prints_a_module_as_the_model_holds_it() {
    let site = module_site();
    let out = site.run(&["show", "MOD-559"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["kind"], "module");
    assert_eq!(v["id"], "MOD-559");
    assert_eq!(v["title"], "Secure MLOps");
    assert_eq!(v["file"], "content/modules/mod-559.md");
    assert_eq!(v["duration"]["total"], "4 hours");
    assert_eq!(v["duration"]["parts"][1]["label"], "lab");
    assert_eq!(v["prerequisites"][1]["id"], "MOD-558");
    assert_eq!(v["next"][0]["type"], "range");
    assert_eq!(v["next"][0]["first"], "MOD-901");
    assert_eq!(v["next"][0]["last"], "MOD-910");
    assert_eq!(v["next"][1]["type"], "text");
    assert_eq!(v["competencies"][0]["competency"], "Platform-Security");
    assert_eq!(v["competencies"].as_array().unwrap().len(), 2);
    assert_eq!(v["sections"][0], "Learning Objectives");
}

#[test]
fn duplicate_module_ids_and_yaml_modules_are_errors() {
    let site = Fixture::new();
    site.file("evidence/tm.yaml", &item("threat-model", "tm-a"))
        .file(
            "content/modules/a.md",
            &roadmap("MOD-1", "A", "None", "None", "x"),
        )
        .file(
            "content/modules/b.md",
            &roadmap("MOD-1", "B", "None", "None", "x"),
        )
        .file("evidence/m.yaml", "kind: module\nid: mod-2\ntitle: M\n")
        .file(
            "content/modules/c.md",
            "---\ntitle: C\n---\n# C\n\n## Module Overview\n\n- **Module Title**: C\n",
        )
        .file(
            "content/modules/d.md",
            &roadmap("MOD-4", "D", "None", "None", "x").replacen("weight: 1", "id: the-d-page", 1),
        );
    let out = site.run(&["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let got: Vec<(String, String, u64, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let ignored_id = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "W0219")
        .expect("W0219");
    assert_eq!(ignored_id["file"], "content/modules/d.md");
    assert_eq!(ignored_id["line"], 2);
    assert!(ignored_id["help"].as_str().unwrap().contains("[[MOD-4]]"));
    assert_eq!(
        got,
        [
            ("E0301".into(), "content/modules/b.md".into(), 10, 18),
            ("E0221".into(), "content/modules/c.md".into(), 6, 1),
            ("E0223".into(), "evidence/m.yaml".into(), 1, 7),
        ]
    );
}

#[test]
fn an_old_roadmap_page_link_suggests_the_module_id() {
    let site = Fixture::new();
    site.file("evidence/tm.yaml", &item("threat-model", "tm-a"))
        .file(
            "content/modules/mod-559.md",
            &roadmap("MOD-559", "A", "None", "None", "x"),
        )
        .file(
            "content/index.md",
            "# Home\n\n[[modules-mod-559|the module]]\n",
        );
    let out = site.run(&["check"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("E0302"), "{}", out.stderr);
    assert!(
        out.stderr.contains("did you mean `[[MOD-559]]`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_long_roadmap_parses_in_linear_time() {
    // Every cell gets a file position; finding its line must not rescan the text, or
    // 20 000 rows would take minutes instead of well under a second.
    let rows: String = (0..20_000)
        .map(|i| format!("| comp-{i} | Expert | Evidence {i} | Role {i} |\n"))
        .collect();
    let text = format!(
        "{OVERVIEW}\n## Competency Alignment\n\n| Competency | Proficiency Target | Evidence / Assessment | Role Alignment |\n|---|---|---|---|\n{rows}"
    );
    let started = std::time::Instant::now();
    let (r, diags) = parse("big.md", &text, 0);
    let elapsed = started.elapsed();
    assert!(diags.is_empty(), "{:?}", diags.first());
    let m = r.unwrap().module;
    assert_eq!(m.competencies.len(), 20_000);
    let last = m.competencies[19_999].role.as_ref().unwrap();
    assert_eq!(last.value, "Role 19999");
    assert_eq!(last.pos.line, 16 + 19_999);
    assert!(elapsed < std::time::Duration::from_secs(10), "{elapsed:?}");
}
