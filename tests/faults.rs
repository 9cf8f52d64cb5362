//! Faults at scale: a build killed at any moment leaves the output folder holding either
//! the complete old site or the complete new one, and the next build clears what the
//! killed one left; and the output does not depend on how many threads made it.

mod common;

use common::{item, tree};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_evidentia");

/// A site of `n` pages and `n` evidence items; `edition` changes every page and item, so
/// the sites of two editions differ in every file.
fn write_site(root: &Path, n: usize, edition: &str) {
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    write("site.toml", &format!("title = \"Faults {edition}\"\n"));
    for i in 0..n {
        write(
            &format!("content/s{}/page-{i}.md", i / 50),
            &format!(
                "---\ntitle: Page {i} ({edition})\ntags: [t{}]\n---\n\n# Page {i}\n\nSee [[item-{i}]].\n\n\
                 ```rust\nfn page_{i}() -> u32 {{ {i} }}\n```\n",
                i % 7
            ),
        );
        let it = item("scan", &format!("item-{i}")).replace("team-a", &format!("team-{edition}"));
        write(&format!("evidence/item-{i}.yaml"), &it);
    }
}

fn build(root: &Path, out: &Path) -> std::process::Output {
    build_on(root, out, None)
}

/// A build on `threads` rayon threads (the default when `None`).
fn build_on(root: &Path, out: &Path, threads: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(BIN);
    cmd.args(["build", "--quiet", "--today", "2026-11-27", "-o"])
        .arg(out)
        .arg(root);
    if let Some(n) = threads {
        cmd.env("RAYON_NUM_THREADS", n);
    }
    cmd.output().expect("run evidentia")
}

fn built(run: &std::process::Output) -> bool {
    if !run.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&run.stderr));
    }
    run.status.success()
}

fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .expect("read parent")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("evidentia-staging") || n.contains("evidentia-old"))
        .collect()
}

#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one_whole() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (root_a, root_b) = (tmp.path().join("a"), tmp.path().join("b"));
    write_site(&root_a, 400, "one");
    write_site(&root_b, 400, "two");
    let parent = tmp.path().join("out");
    std::fs::create_dir(&parent).expect("mkdir");
    let out = parent.join("public");

    // The two complete sites, and how long a build takes here.
    let reference = tmp.path().join("ref-b");
    assert!(build(&root_b, &reference).status.success());
    let site_b = tree(&reference);
    let started = Instant::now();
    let a = build(&root_a, &out);
    let took = started.elapsed();
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    let site_a = tree(&out);
    assert_ne!(site_a, site_b);

    let (mut saw_old, mut saw_new) = (0, 0);
    for moment in 1..=10u32 {
        // Build whichever site the folder does not hold, and kill it part way through:
        // from 5% to 95% of a build's time (the last ones may land after the swap).
        let holds_a = tree(&out) == site_a;
        let next = if holds_a { &root_b } else { &root_a };
        let mut child = Command::new(BIN)
            .args(["build", "--quiet", "--today", "2026-11-27", "-o"])
            .arg(&out)
            .arg(next)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(took.mul_f64(f64::from(moment) * 0.09 - 0.04));
        // SIGKILL: no destructor, no cleanup runs.
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&out);
        let (old, new) = if holds_a {
            (&site_a, &site_b)
        } else {
            (&site_b, &site_a)
        };
        if now == *old {
            saw_old += 1;
        } else if now == *new {
            saw_new += 1;
        } else {
            panic!(
                "kill {moment}: the output is neither the old site ({} files) nor the new one ({} files) but {} files",
                old.len(),
                new.len(),
                now.len()
            );
        }
    }
    assert!(
        saw_old > 0,
        "no kill landed before the swap ({saw_new} after)"
    );

    // The next build removes whatever staging folders the killed ones left.
    let done = build(&root_a, &out);
    assert!(done.status.success());
    assert_eq!(tree(&out), site_a);
    assert_eq!(leftovers(&parent), Vec::<String>::new());
}

fn demo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn output_is_byte_identical_with_one_thread_and_with_two() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut sites = Vec::new();
    for threads in ["1", "2"] {
        let out = tmp.path().join(format!("t{threads}"));
        assert!(built(&build_on(&demo_root(), &out, Some(threads))));
        sites.push(tree(&out));
    }
    assert!(sites[0].len() > 100, "the demo site has its pages");
    let (one, two) = (&sites[0], &sites[1]);
    let paths = |s: &Vec<(String, Vec<u8>)>| s.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(paths(one), paths(two));
    for ((path, a), (_, b)) in one.iter().zip(two) {
        assert!(a == b, "{path} differs between 1 and 2 threads");
    }
}

#[test]
fn generated_site_is_byte_identical_across_thread_counts_and_runs() {
    // A larger site than the demo: parallel rendering of many pages sharing highlighted
    // lines (the per-thread memo) must not change a byte.
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("site");
    write_site(&root, 300, "one");
    let mut sites = Vec::new();
    for (i, threads) in ["1", "2", "2"].iter().enumerate() {
        let out = tmp.path().join(format!("o{i}"));
        assert!(built(&build_on(&root, &out, Some(threads))));
        sites.push(tree(&out));
    }
    assert!(sites[0] == sites[1] && sites[1] == sites[2]);
}
