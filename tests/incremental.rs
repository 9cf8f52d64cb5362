//! serve's rebuilds that read, parse and render only what a change reaches must leave
//! the served folder byte for byte as a full `build` of the same sources writes it
//! (manifest.json included). Each step edits a copy of the demo site, rebuilds the
//! session with the paths the watcher would report, and compares the folder with a fresh
//! build; the steps cover the ways one file reaches other pages (titles shown by
//! neighbours, backlinks, packets and what extends them, exceptions covering findings,
//! learners and coverage, tags, lists, breadcrumbs, errors and their fix, added, removed
//! and renamed files, attachments, a new kind in the navigation).

mod common;

use evidentia::serve::session::{Changed, Session};
use std::path::{Path, PathBuf};

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 27)
}

struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    served: PathBuf,
    fresh: PathBuf,
    session: Session,
    steps: usize,
    /// Whether each rebuild is settled at once, as serve does.
    settles: bool,
}

impl Site {
    /// A copy of the demo site, served by a session that has built it once; without
    /// its themes/ folder (`own_theme` false) it is rendered by the built-in theme.
    fn demo(own_theme: bool) -> Site {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let demo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for entry in walkdir::WalkDir::new(demo.join("content"))
            .into_iter()
            .chain(walkdir::WalkDir::new(demo.join("evidence")))
            .chain(
                walkdir::WalkDir::new(demo.join("themes"))
                    .into_iter()
                    .filter(|_| own_theme),
            )
        {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(demo).unwrap();
            let to = root.join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        std::fs::copy(demo.join("site.toml"), root.join("site.toml")).unwrap();
        let root = root.canonicalize().unwrap();
        let served = tmp.path().join("served").join("site");
        std::fs::create_dir_all(served.parent().unwrap()).unwrap();
        let options = evidentia::Options { today: today() };
        let mut session = Session::new(root.clone(), served.clone(), options);
        let mut site = Site {
            fresh: tmp.path().join("fresh"),
            _tmp: tmp,
            root,
            served,
            session: Session::new(
                PathBuf::new(),
                PathBuf::new(),
                evidentia::Options::default(),
            ),
            steps: 0,
            settles: true,
        };
        let rebuilt = session
            .rebuild(
                &Changed {
                    paths: Vec::new(),
                    whole: true,
                },
                &Default::default(),
            )
            .unwrap();
        assert!(rebuilt.built.written.is_some(), "the demo builds");
        assert_eq!(rebuilt.rendered, None, "the first build is whole");
        session.keep(rebuilt.built.checked);
        site.session = session;
        site
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Rebuilds after `changed` (relative paths); returns (rendered, of) when only part
    /// of the site was rendered, and whether it was written.
    fn rebuild(&mut self, changed: &[&str]) -> (Option<(usize, usize)>, bool) {
        let paths = changed.iter().map(|r| self.path(r)).collect();
        let rebuilt = self
            .session
            .rebuild(
                &Changed {
                    paths,
                    whole: false,
                },
                &Default::default(),
            )
            .unwrap();
        let written = rebuilt.built.written.is_some();
        let rendered = rebuilt.rendered;
        eprintln!("{changed:?}: rendered {rendered:?}, written {written}");
        if !written {
            for d in rebuilt
                .built
                .checked
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
            {
                eprintln!("  {} {}: {}", d.code, d.file, d.message);
            }
        }
        self.session.keep(rebuilt.built.checked);
        // As serve does once open pages have been told to reload.
        if self.settles {
            self.session.settle().unwrap();
        }
        (rendered, written)
    }

    /// Asserts that the served folder is what a full build of the sources writes.
    #[track_caller]
    fn same_as_full_build(&mut self, step: &str) {
        self.steps += 1;
        let out = self.fresh.join(self.steps.to_string());
        let built = evidentia::build_site(
            &self.root,
            Some(&out),
            &evidentia::Options { today: today() },
        )
        .unwrap();
        assert!(built.written.is_some(), "{step}: the full build writes");
        let served = common::tree(&self.served);
        let fresh = common::tree(&out);
        let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        let (a, b) = (names(&served), names(&fresh));
        let only_served: Vec<_> = a.iter().filter(|p| !b.contains(p)).collect();
        let only_fresh: Vec<_> = b.iter().filter(|p| !a.contains(p)).collect();
        assert!(
            only_served.is_empty() && only_fresh.is_empty(),
            "{step}: files only served {only_served:?}, only in the full build {only_fresh:?}"
        );
        for ((path, x), (_, y)) in served.iter().zip(&fresh) {
            if x != y {
                let (x, y) = (String::from_utf8_lossy(x), String::from_utf8_lossy(y));
                let at = x
                    .char_indices()
                    .zip(y.chars())
                    .find(|((_, a), b)| a != b)
                    .map_or(x.len().min(y.len()), |((i, _), _)| i);
                let from = at.saturating_sub(200);
                panic!(
                    "{step}: {path} differs from the full build at byte {at}\nserved: {}\nfull:   {}",
                    x.get(from..(at + 200).min(x.len())).unwrap_or(""),
                    y.get(from..(at + 200).min(y.len())).unwrap_or("")
                );
            }
        }
    }
}

#[test]
fn each_kind_of_change_leaves_the_folder_a_full_build_would_write() {
    let mut s = Site::demo(false);

    // A title that neighbours, lists, tags and packets show.
    s.edit(
        "evidence/threat-models/tm-credit-scoring-api.yaml",
        "title: ",
        "title: Renamed ",
    );
    let (rendered, written) = s.rebuild(&["evidence/threat-models/tm-credit-scoring-api.yaml"]);
    assert!(written);
    assert!(
        rendered.is_some(),
        "one item's title is rendered where it shows"
    );
    let (n, of) = rendered.expect("only part of the site is rendered");
    assert!(n < of / 2, "{n} of {of} pages rendered for one title");
    s.same_as_full_build("threat model title");

    // A scan that an exception covers and portfolios cite.
    s.edit(
        "evidence/scans/scan-credit-api-deps.yaml",
        "title: ",
        "title: Renamed ",
    );
    s.rebuild(&["evidence/scans/scan-credit-api-deps.yaml"]);
    s.same_as_full_build("scan title");

    // The exception: the scan page shows what covers its findings.
    s.edit(
        "evidence/exceptions/exc-gunicorn-request-smuggling.yaml",
        "title: ",
        "title: Renamed ",
    );
    s.rebuild(&["evidence/exceptions/exc-gunicorn-request-smuggling.yaml"]);
    s.same_as_full_build("exception title");

    // The base packet: the packet extending it inherits its evidence.
    s.edit(
        "evidence/packets/pkt-ml-security-baseline.yaml",
        "title: ",
        "title: Renamed ",
    );
    s.rebuild(&["evidence/packets/pkt-ml-security-baseline.yaml"]);
    s.same_as_full_build("base packet title");

    // A packet that stops listing a piece of evidence: its "used in" changes.
    s.edit(
        "evidence/packets/pkt-credit-scoring-rai.yaml",
        "  - tt-model-poisoning-2026\n",
        "",
    );
    s.rebuild(&["evidence/packets/pkt-credit-scoring-rai.yaml"]);
    s.same_as_full_build("packet evidence removed");

    // A portfolio: its learner's page and the coverage matrix.
    s.edit(
        "evidence/portfolios/pf-li-wei-mod559.yaml",
        "title: ",
        "title: Renamed ",
    );
    s.rebuild(&["evidence/portfolios/pf-li-wei-mod559.yaml"]);
    s.same_as_full_build("portfolio title");

    // A rubric the portfolios are judged on.
    s.edit(
        "evidence/rubrics/responsible-ai.yaml",
        "title: ",
        "title: Renamed ",
    );
    s.rebuild(&["evidence/rubrics/responsible-ai.yaml"]);
    s.same_as_full_build("rubric title");

    // A catalog: controls pages and the packets that cover them.
    s.edit(
        "evidence/catalogs/owasp-llm-2025.yaml",
        "title: ",
        "title: Renamed ",
    );
    s.rebuild(&["evidence/catalogs/owasp-llm-2025.yaml"]);
    s.same_as_full_build("catalog title");

    // A content page with pages below it (breadcrumbs) and one in the navigation.
    s.edit(
        "content/guides/learners.md",
        "title: Guide for learners",
        "title: Learners' guide",
    );
    s.rebuild(&["content/guides/learners.md"]);
    s.same_as_full_build("content page title");

    // A new tag on an item: a new tag page, and the tags index.
    s.edit(
        "evidence/fairness/fair-credit-scoring-v3.yaml",
        "tags: [",
        "tags: [brand-new-tag, ",
    );
    s.rebuild(&["evidence/fairness/fair-credit-scoring-v3.yaml"]);
    s.same_as_full_build("new tag");

    // A new item that links to others, then the same item removed.
    let new_item = s
        .read("evidence/threat-models/tm-feature-store.yaml")
        .replacen("id: tm-feature-store", "id: tm-new", 1)
        .replacen("title: ", "title: New ", 1);
    s.write("evidence/threat-models/tm-new.yaml", &new_item);
    let (rendered, written) = s.rebuild(&["evidence/threat-models/tm-new.yaml"]);
    assert!(written, "the new item is valid");
    assert!(
        rendered.is_some(),
        "a new item of a kind the site has is rendered alone"
    );
    s.same_as_full_build("new item");
    std::fs::remove_file(s.path("evidence/threat-models/tm-new.yaml")).unwrap();
    s.rebuild(&["evidence/threat-models/tm-new.yaml"]);
    s.same_as_full_build("item removed");

    // A broken file keeps the last good site; fixing it catches up.
    let good = s.read("evidence/fairness/fair-credit-scoring-v3.yaml");
    s.write(
        "evidence/fairness/fair-credit-scoring-v3.yaml",
        "kind: [unclosed\n",
    );
    let (_, written) = s.rebuild(&["evidence/fairness/fair-credit-scoring-v3.yaml"]);
    assert!(!written, "a broken file is not published");
    s.write(
        "evidence/fairness/fair-credit-scoring-v3.yaml",
        &good.replacen("title: ", "title: Fixed ", 1),
    );
    s.rebuild(&["evidence/fairness/fair-credit-scoring-v3.yaml"]);
    s.same_as_full_build("broken then fixed");

    // A rename: the old path goes, the new one comes, in one batch.
    std::fs::rename(
        s.path("evidence/tabletops/tt-model-poisoning-2026.yaml"),
        s.path("evidence/tabletops/renamed.yaml"),
    )
    .unwrap();
    s.rebuild(&[
        "evidence/tabletops/tt-model-poisoning-2026.yaml",
        "evidence/tabletops/renamed.yaml",
    ]);
    s.same_as_full_build("renamed file");

    // A folder of new content pages, reported as the folder.
    s.write(
        "content/notes/index.md",
        "---\ntitle: Notes\n---\n\n# Notes\n\nSee [[tm-feature-store]].\n",
    );
    s.write(
        "content/notes/one.md",
        "---\ntitle: Note one\ntags: [note]\n---\n\nOne.\n",
    );
    s.rebuild(&["content/notes"]);
    s.same_as_full_build("new folder");
    std::fs::remove_dir_all(s.path("content/notes")).unwrap();
    s.rebuild(&["content/notes"]);
    s.same_as_full_build("folder removed");

    // A copied file (an asset beside the pages).
    s.write(
        "content/guides/diagram.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    s.rebuild(&["content/guides/diagram.svg"]);
    s.same_as_full_build("asset added");

    // A file that did not change (an editor saving without edits).
    let (rendered, written) = s.rebuild(&["evidence/scans/scan-feature-store-image.yaml"]);
    assert!(written);
    assert_eq!(
        rendered.map(|r| r.0),
        Some(0),
        "nothing to render: {rendered:?}"
    );
    s.same_as_full_build("no change");
}

#[test]
fn a_site_theme_that_may_show_counts_anywhere_is_rendered_whole_when_they_change() {
    let mut s = Site::demo(true);
    s.edit(
        "evidence/scans/scan-credit-api-deps.yaml",
        "title: ",
        "title: Renamed ",
    );
    let (rendered, _) = s.rebuild(&["evidence/scans/scan-credit-api-deps.yaml"]);
    assert!(rendered.is_some(), "a title does not change the counts");
    s.same_as_full_build("site theme, scan title");
    let copy = s
        .read("evidence/exceptions/exc-gunicorn-request-smuggling.yaml")
        .replacen("id: exc-gunicorn-request-smuggling", "id: exc-copy", 1);
    s.write("evidence/exceptions/exc-copy.yaml", &copy);
    let (rendered, written) = s.rebuild(&["evidence/exceptions/exc-copy.yaml"]);
    assert!(written);
    assert_eq!(rendered, None, "a new item changes the per-kind counts");
    s.same_as_full_build("site theme, new exception");
}

#[test]
fn ignored_and_hidden_files_stay_out_as_in_a_full_build() {
    let mut s = Site::demo(true);
    s.edit("site.toml", "ignore = []", "ignore = [\"**/drafts/**\"]");
    let rebuilt = s
        .session
        .rebuild(
            &Changed {
                paths: vec![s.path("site.toml")],
                whole: true,
            },
            &Default::default(),
        )
        .unwrap();
    s.session.keep(rebuilt.built.checked);
    s.write("evidence/drafts/x.yaml", "kind: [broken\n");
    s.write("evidence/.hidden.yaml", "kind: [broken\n");
    let (_, written) = s.rebuild(&[
        "evidence/drafts/x.yaml",
        "evidence/.hidden.yaml",
        "evidence/drafts",
    ]);
    assert!(written, "ignored and hidden files are not read");
    s.same_as_full_build("ignored files");
}

#[test]
fn a_rebuild_settles_the_last_one_first_when_it_was_not() {
    let mut s = Site::demo(false);
    s.settles = false;
    let file = "evidence/threat-models/tm-credit-scoring-api.yaml";
    let manifest = s.served.join("manifest.json");
    let whole = std::fs::read(&manifest).unwrap();
    s.edit(file, "title: ", "title: First ");
    let (rendered, written) = s.rebuild(&[file]);
    assert!(written && rendered.is_some());
    assert_eq!(
        std::fs::read(&manifest).unwrap(),
        whole,
        "manifest.json is written when the rebuild settles"
    );
    s.edit(file, "title: First ", "title: Second ");
    let (rendered, written) = s.rebuild(&[file]);
    assert!(written);
    assert!(
        rendered.is_some(),
        "still a patch: the first rebuild was settled before it"
    );
    s.session.settle().unwrap();
    s.same_as_full_build("two rebuilds, settled once");
}
