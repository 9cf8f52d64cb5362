//! The table of diagnostic codes: stable identifiers users can search for, with the text
//! `evidentia explain CODE` prints. Codes are grouped by pipeline stage (DESIGN section 2):
//! E01xx parse, E02xx schema, E03xx references, E04xx policy, E05xx rubric, E06xx output.

/// What a code means and how to fix it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The code itself, `E0103`.
    pub code: &'static str,
    /// A short title.
    pub title: &'static str,
    /// Why it is a problem and how to fix it.
    pub explanation: &'static str,
}

const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "E0101",
        title: "file could not be read",
        explanation: "Evidentia found the file while walking the site but the operating system \
refused to read it (permissions, a broken link, a device file). Make it readable, or list it \
under `ignore` in site.toml.",
    },
    CodeInfo {
        code: "E0102",
        title: "file is not UTF-8 text",
        explanation: "Every Markdown, YAML and JSON file must be UTF-8. The diagnostic points at \
the first byte that is not. Re-save the file as UTF-8 (most editors: File > Save with encoding).",
    },
    CodeInfo {
        code: "E0103",
        title: "YAML syntax error",
        explanation: "The file (or the front matter of a Markdown page) is not valid YAML, or it \
breaks a safety limit (nesting deeper than 64 levels, too many aliases, duplicate keys). The \
diagnostic points at where the parser stopped; the mistake is often on the line before \
(a missing colon, a tab used for indentation, an unclosed quote).",
    },
    CodeInfo {
        code: "E0104",
        title: "JSON syntax error",
        explanation: "The file is not valid JSON. The diagnostic points at where the parser \
stopped: look for a trailing comma, a missing comma between members, or a comment (JSON has none).",
    },
    CodeInfo {
        code: "E0105",
        title: "front matter is not closed",
        explanation: "A Markdown page that starts with a `---` line has YAML front matter, which \
must end with another `---` line. Add the closing line, or remove the opening one if the page \
has no front matter.",
    },
    CodeInfo {
        code: "E0106",
        title: "file is empty",
        explanation: "An evidence file or page has no content. Write its content, or delete the \
file: Evidentia never skips a file silently.",
    },
    CodeInfo {
        code: "E0107",
        title: "site.toml is invalid",
        explanation: "site.toml is not valid TOML, or one of its settings has the wrong name or \
type. The diagnostic names the setting; `title`, `base_url`, `theme`, `output_dir`, `ignore` \
and the `[policy]`, `[packets]` and `[search]` (`enabled`) tables are the known keys.",
    },
    CodeInfo {
        code: "E0108",
        title: "template error",
        explanation: "A theme template failed to compile or render. The diagnostic names the \
template and line. If you did not write the theme, report it to its author; a site without a \
themes/ folder uses the built-in default theme.",
    },
    CodeInfo {
        code: "E0109",
        title: "theme not found",
        explanation: "site.toml names a theme that is neither in the site's themes/ folder nor \
built in. The built-in theme is `default`.",
    },
    CodeInfo {
        code: "E0110",
        title: "file too large",
        explanation: "A Markdown, YAML or JSON file is larger than 64 MiB, the most Evidentia \
reads as one source. Hand-written evidence is far smaller: split the file, or add it to `ignore` \
in site.toml if it is not evidence.",
    },
    CodeInfo {
        code: "E0201",
        title: "evidence file has no `kind`",
        explanation: "Every native evidence file starts with `kind:` (threat-model, scan, sbom, \
exception, fairness, tabletop, portfolio, rubric, packet or catalog), which says how to read it. \
Tool reports (SARIF, Trivy, Grype, Semgrep, Bandit, CycloneDX, SPDX, Threat Dragon, Threagile, \
OSCAL, model cards, fairness outputs) need no `kind`: they are recognised by their content.",
    },
    CodeInfo {
        code: "E0202",
        title: "unknown `kind`",
        explanation: "`kind` must be one of threat-model, scan, sbom, exception, fairness, \
tabletop, portfolio, rubric, packet, catalog. Check the spelling; the help suggests the closest \
kind.",
    },
    CodeInfo {
        code: "E0203",
        title: "evidence file has no `id`",
        explanation: "Every item needs an `id`, unique in the site: it is the item's URL and the \
target of every reference to it. Use lowercase letters, digits, `.`, `_` and `-`.",
    },
    CodeInfo {
        code: "E0204",
        title: "invalid id",
        explanation: "Ids must match [a-z0-9][a-z0-9._-]*: start with a lowercase letter or digit, \
then lowercase letters, digits, `.`, `_` or `-`. The help shows a valid spelling.",
    },
    CodeInfo {
        code: "E0205",
        title: "missing title",
        explanation: "Every item needs a `title`; a content page needs a `title` in its front \
matter or a first heading.",
    },
    CodeInfo {
        code: "E0206",
        title: "field has the wrong type or value",
        explanation: "A header or front-matter field holds a value of the wrong shape: a list \
where text is expected, a date that is not YYYY-MM-DD or does not exist, a number that is not \
a whole number. The message names the expected shape.",
    },
    CodeInfo {
        code: "E0207",
        title: "unknown field",
        explanation: "The front matter or document has a field Evidentia does not know. It is \
usually a typo: the help suggests the closest known field.",
    },
    CodeInfo {
        code: "E0208",
        title: "document is not a mapping",
        explanation: "An evidence file (and a page's front matter) must be a YAML mapping or JSON \
object of `key: value` pairs, not a list or a single value.",
    },
    CodeInfo {
        code: "E0209",
        title: "missing required field",
        explanation: "A field the kind needs is absent or empty (a threat without `status`, an \
exception without `expires`). The help says what to write; `evidentia schema KIND` lists every \
field of a kind.",
    },
    CodeInfo {
        code: "E0210",
        title: "invalid tool report",
        explanation: "The file looks like a report of a known tool (SARIF, Trivy, Grype, \
CycloneDX, Bandit, ...) but a field does not have the shape the format defines. The diagnostic \
names the JSON path of the field. Regenerate the report with the tool, or add the file to \
`ignore` in site.toml.",
    },
    CodeInfo {
        code: "E0214",
        title: "invalid model card index",
        explanation: "A Markdown file under evidence/ has YAML front matter with `model-index`, \
so it is read as a Hugging Face model card, but the index does not have the shape the Hub \
defines: `model-index` must be a list of models, each with `results` (a list of `task`, \
`dataset` and `metrics`), and every metric needs a `type` and a `value`. The diagnostic names \
the field and its line. Fix the front matter (the Hub's model card spec shows the shape), or \
remove `model-index` to keep the file as a plain attachment.",
    },
    CodeInfo {
        code: "E0221",
        title: "module roadmap without a Module ID",
        explanation: "A module roadmap (a file under content/modules/, or a page with \
`template: module`) must have a `Module Overview` section with a bullet \
`- **Module ID**: MOD-123`: the id is the module's link target (`[[MOD-123]]`), its URL \
(/modules/mod-123/) and what portfolios name in `module:`. The diagnostic points at the \
section heading (or at the first heading when the section is missing). Add the bullet, or move \
the file out of content/modules/ if it is not a roadmap.",
    },
    CodeInfo {
        code: "E0222",
        title: "invalid Module ID",
        explanation: "A Module ID is one word of letters, digits, `.`, `_` and `-` (`MOD-559`, \
`PROJ-555`); it is written in capitals by convention and lowercased in the module's URL. \
Remove spaces and punctuation, and write only one id in the bullet.",
    },
    CodeInfo {
        code: "E0223",
        title: "a module written as an evidence file",
        explanation: "`kind: module` is not a kind of evidence file: modules are read from their \
roadmaps in Markdown (DESIGN section 3.9). Write the module as content/modules/ID.md with a \
`Module Overview` section (Module ID, Module Title, Target Role(s), Duration, Prerequisites, \
Next Module(s)) and a `Competency Alignment` table.",
    },
    CodeInfo {
        code: "E0301",
        title: "duplicate id",
        explanation: "Two items or pages have the same id, so references to it are ambiguous. \
Rename one of them; the diagnostic names both files.",
    },
    CodeInfo {
        code: "E0302",
        title: "unresolved link",
        explanation: "A `[[id]]` or `[[id|label]]` link names an id that no item or page has, \
or a `[[CATALOG:CONTROL]]` link names a control its catalog does not have. Check the spelling \
(the help suggests the closest id or control), or create the item.",
    },
    CodeInfo {
        code: "E0303",
        title: "two pages at one URL",
        explanation: "Two pages would be written to the same place in the output (for example \
content/packets/x.md and a packet with id x). Move or rename one of them.",
    },
    CodeInfo {
        code: "E0304",
        title: "attachment not found",
        explanation: "An item lists a file in `attachments` that does not exist, or whose path \
leaves the site (an absolute path, `..` above the site root, a symbolic link to elsewhere). \
Attachment paths are relative to the item's file; copy the file into the site.",
    },
    CodeInfo {
        code: "E0305",
        title: "unknown item or sub-item",
        explanation: "A field names an item (`scan-api`) or a sub-item (`scan-api#CVE-2024-3094`, \
`tm-credit-api#T1`, `platform-security#threat-model`) that does not exist. Check the spelling \
(the help suggests the closest id), or add the item.",
    },
    CodeInfo {
        code: "E0306",
        title: "unknown control",
        explanation: "Controls are named `CATALOG:CONTROL` (`guardrails:GR-SECRETS`, \
`nist-ai-rmf:MEASURE 2.11`, `owasp-llm-2025:LLM01:2025`): the catalog is the text before the \
first `:` and must be an item of kind catalog; the control is the rest, spaces and colons \
included, and must be exactly the id of one of its `controls`. The help suggests the closest \
catalog or control.",
    },
    CodeInfo {
        code: "E0307",
        title: "unknown asset or flow",
        explanation: "A threat's `affects` lists ids of the same threat model's `assets` and \
`flows`. Add the asset or flow, or fix the id.",
    },
    CodeInfo {
        code: "E0308",
        title: "reference to the wrong kind",
        explanation: "A field names an item of a kind it cannot use: `extends` takes packets, a \
claim's `criterion` takes a rubric criterion, an exception covers findings, threats or \
disparities. The message says which kind was found and which is expected.",
    },
    CodeInfo {
        code: "E0309",
        title: "packets extend each other in a cycle",
        explanation: "A packet's `extends` leads, through other packets, back to the packet \
itself (`a -> b -> c -> a`), so what it inherits has no beginning. The diagnostic names the \
whole cycle and points at the `extends` entry that closes it; remove that entry (or another \
link of the cycle) so that inheritance runs one way.",
    },
    CodeInfo {
        code: "E0313",
        title: "duplicate control id",
        explanation: "Two controls of one catalog have the same id (spaces around it do not \
count), so `CATALOG:CONTROL` references to it are ambiguous. Rename one, or merge them.",
    },
    CodeInfo {
        code: "E0401",
        title: "open threat at or above the impact threshold",
        explanation: "A threat is `open` with an impact at or above `[policy] fail_on_impact` \
(default high). Mitigate it (`status: mitigated` with its mitigations), accept it with a current \
`acceptance` (by, on, expires, rationale), or cover it with an exception that has not expired.",
    },
    CodeInfo {
        code: "E0402",
        title: "accepted threat without a current acceptance",
        explanation: "A threat with `status: accepted` needs an `acceptance` whose `expires` date \
has not passed (or a current exception covering it). Renew the acceptance or resolve the threat.",
    },
    CodeInfo {
        code: "E0403",
        title: "exception expired",
        explanation: "The exception's `expires` date has passed, so it no longer covers anything. \
Renew it (new approval and expiry) or fix what it covered.",
    },
    CodeInfo {
        code: "E0405",
        title: "open finding at or above the severity threshold",
        explanation: "A finding of a scan, or a vulnerability of an SBOM, is open with a severity \
at or above `[policy] fail_on_severity` (default high) and no current exception covers it \
(`SCAN#FINDING` or `SCAN#RULE`, the same with an SBOM's id). Fix it, mark it `not-affected` with \
a justification (in a CycloneDX VEX: `analysis.state` not_affected), or add an exception.",
    },
    CodeInfo {
        code: "E0406",
        title: "fairness disparity past its threshold",
        explanation: "A disparity's value is past its threshold (above for `at-most`, below for \
`at-least`) and neither a review decision nor a current exception (`FAIRNESS#METRIC`) addresses \
it. Record the review decision, add an exception, or fix the model.",
    },
    CodeInfo {
        code: "E0407",
        title: "review older than its cadence",
        explanation: "The review's `reviewed_on` is older than its `cadence_days`. Review the \
results again and update the date.",
    },
    CodeInfo {
        code: "E0408",
        title: "date in the future",
        explanation: "A date that records something done (a review's `reviewed_on`, an \
exception's `approved_on`, an acceptance's `on`, a sign-off's `on`, a tabletop's `held_on`, \
a scan's `scanned`) is after today. A date that has not happened would make every cadence \
and expiry check pass, so it is an error. Write the date it happened; `--today` sets the \
date the checks compare with.",
    },
    CodeInfo {
        code: "E0409",
        title: "expires before it was approved",
        explanation: "An exception's `expires` (or an acceptance's) is before its \
`approved_on` (or `on`): the period runs backwards, and a check of how long it runs \
(`time-boxed`) would read a negative span as short. Correct one of the two dates.",
    },
    CodeInfo {
        code: "E0501",
        title: "unknown rubric check",
        explanation: "A criterion's `checks` names a check that is not built in. The built-in \
checks are min-count, stride-coverage, threat-categories, atlas-mapped, all-threats-resolved, \
mitigations-owned, max-open-findings, disparities-within-threshold, has-explainability, \
review-current, signed-off-by, min-approvers and time-boxed; anything else is written as \
`expr:` (a MiniJinja expression over `item`) with an `explain:` text.",
    },
    CodeInfo {
        code: "E0502",
        title: "malformed rubric check",
        explanation: "A check's argument has the wrong shape: `min-count: 1` takes a whole number, \
`max-open-findings: {critical: 0, high: 0}` a mapping of severities to counts, `signed-off-by: ROLE` \
a role, `threat-categories: [evasion]` a list of categories; `expr:` needs an `explain:` text.",
    },
    CodeInfo {
        code: "E0503",
        title: "rubric expression does not compile",
        explanation: "An `expr:` check is not a valid MiniJinja expression. Expressions see the \
evidence item as `item` (the fields `evidentia show ID` prints) and the date as `today`, e.g. \
`item.threats | selectattr(\"atlas\") | list | length >= 3`. Quote the whole expression in YAML.",
    },
    CodeInfo {
        code: "E0504",
        title: "rubric check on the wrong kind",
        explanation: "A built-in check reads one kind of evidence (stride-coverage reads threat \
models, max-open-findings scans, signed-off-by packets, ...), but the criterion's `requires.kind` \
is another, so the check could never pass. Use a check for that kind, or fix `requires.kind`.",
    },
    CodeInfo {
        code: "E0601",
        title: "output folder refused",
        explanation: "Evidentia replaces the output folder as a whole, so it refuses folders it \
must never replace: the site root or a folder that contains it, a folder inside content/, \
evidence/ or themes/, / and your home folder, and an existing folder that it did not write. \
Choose another folder with `-o`, or set `output_dir` in site.toml.",
    },
    CodeInfo {
        code: "E0602",
        title: "output could not be written",
        explanation: "Writing the site failed (disk full, permissions). The previous output is \
left as it was; fix the cause and build again.",
    },
    CodeInfo {
        code: "E0603",
        title: "manifest missing or unreadable",
        explanation: "`evidentia verify DIR` checks a built folder against the manifest.json that \
the build wrote into it. The folder has no manifest.json, or it is not JSON, or it is JSON but \
not an Evidentia manifest of a format this version reads (an older build, another tool's file, \
or a path that would leave the folder). Rebuild the site with `evidentia build`, or point \
verify at the folder the build wrote.",
    },
    CodeInfo {
        code: "E0604",
        title: "files differ from the manifest",
        explanation: "A file of the built folder was changed, truncated or removed after the \
build, or a file was added that the build did not write. `verify` names each one. If the \
change was intended, rebuild the site so the manifest records it; otherwise restore the \
folder from a trusted build.",
    },
    CodeInfo {
        code: "E0605",
        title: "manifest signature missing or not valid",
        explanation: "`verify --key PUB` checks manifest.sig, an ed25519 signature over the exact \
bytes of manifest.json. The signature is missing, is not a signature file, or does not match: \
manifest.json was edited after signing, or it was signed with another key than the one given. \
Rebuild with `evidentia build --sign KEYFILE`, or verify with the public key that matches the \
signing key.",
    },
    CodeInfo {
        code: "E0606",
        title: "key file is not a usable key",
        explanation: "A key file given to `build --sign` or `verify --key` is not an Evidentia \
ed25519 key of the kind needed: `--sign` takes the private key (PREFIX.key) and `--key` the \
public key (PREFIX.pub) that `evidentia keygen` writes. The first line says which one a file \
is; the second holds the key in hex.",
    },
    CodeInfo {
        code: "E0607",
        title: "key file already exists",
        explanation: "`evidentia keygen` never overwrites a key: signatures made with the old key \
could no longer be checked. Choose another prefix with `-o`, or move the old files away \
first.",
    },
    CodeInfo {
        code: "E0608",
        title: "no such packet to bundle",
        explanation: "`evidentia bundle PACKET` takes the id of a packet of the site \
(`kind: packet`). The message lists the site's packets.",
    },
    CodeInfo {
        code: "E0609",
        title: "integrity or bundle file could not be read or written",
        explanation: "Reading a file for `verify`, writing a key for `keygen`, or writing a \
bundle failed (permissions, disk full, a zip that cannot be written). The message names the \
file; fix the cause and run the command again.",
    },
    CodeInfo {
        code: "E0610",
        title: "serve cannot listen",
        explanation: "`evidentia serve` tries the port given with `--port` (1111 by default) and \
the next twenty; all were taken, or the address given with `--bind` is not one of this \
machine's. Stop the other server, choose another port (`--port 0` lets the system pick one), \
or bind to 127.0.0.1.",
    },
    CodeInfo {
        code: "E0611",
        title: "serve cannot watch the sources",
        explanation: "`evidentia serve` watches content/, evidence/, themes/ and site.toml for \
changes, and the system refused a watch (on Linux, usually the inotify limit: raise \
fs.inotify.max_user_watches, or close other programs that watch many files).",
    },
    CodeInfo {
        code: "E0612",
        title: "serve cannot start",
        explanation: "`evidentia serve` could not resolve the site root, create its temporary \
folder (it never writes to the site's output folder) or start its runtime. Check that the \
root exists and that the temporary folder (TMPDIR) is writable.",
    },
    CodeInfo {
        code: "E0613",
        title: "search index could not be built",
        explanation: "The build indexes every page with Pagefind and writes the index under \
pagefind/. Pagefind reported an error (the message says which); nothing was published. Report \
it with the message, and meanwhile set `[search] enabled = false` in site.toml to build the \
site without search.",
    },
    CodeInfo {
        code: "W0101",
        title: "file under evidence/ is not evidence",
        explanation: "A file under evidence/ is neither YAML nor JSON and no item lists it in \
`attachments`, so nothing uses it. List it as an attachment of the item it belongs to, move it \
out of evidence/, or add it to `ignore` in site.toml.",
    },
    CodeInfo {
        code: "W0102",
        title: "symbolic link leaves the site",
        explanation: "A symbolic link under content/ or evidence/ points outside the site root. \
Evidentia does not follow it, so that a build never publishes files from elsewhere on the disk. \
Copy the file into the site instead.",
    },
    CodeInfo {
        code: "W0211",
        title: "module roadmap section missing",
        explanation: "The roadmap has no `Competency Alignment` section, or the section has no \
table. The module is still published, but its page cannot list competency targets or link them \
to rubrics. Add a table with the columns Competency, Proficiency Target, Evidence / Assessment \
and Role Alignment.",
    },
    CodeInfo {
        code: "W0212",
        title: "module overview field missing",
        explanation: "The `Module Overview` lacks one of the bullets of the roadmap format \
(Module Title, Target Role(s), Duration, Prerequisites, Next Module(s)). The page leaves the \
fact out. Add the bullet; write `None` for a module without prerequisites or next modules.",
    },
    CodeInfo {
        code: "W0213",
        title: "module overview bullet not understood",
        explanation: "A bullet of the `Module Overview` is not a `**Label**: value` pair, names a \
field Evidentia does not know, or repeats a field. Unknown bullets are kept and shown on the \
page as written; a repeated field keeps its first bullet. The known labels are Module ID, \
Module Title, Target Role(s), Duration, Prerequisites and Next Module(s) (matched loosely: \
`Roles`, `Module Code` and `Follow-on modules` work too).",
    },
    CodeInfo {
        code: "W0214",
        title: "module list entry is free text",
        explanation: "Prerequisites and Next Module(s) list module ids (`MOD-557`) or ranges \
(`MOD-901–910`, with an en dash or a hyphen), separated by commas. An entry that is neither is \
kept as text and shown unlinked. Write the id, or move the prose to another section.",
    },
    CodeInfo {
        code: "W0215",
        title: "module duration not understood",
        explanation: "A duration is a total followed by its parts in parentheses: \
`34 hours (10 lecture, 14 lab, 6 portfolio, 4 assessment)`. The warning means the total does \
not start with a number, or the parts (when they are in the total's unit) do not add up to it.",
    },
    CodeInfo {
        code: "W0216",
        title: "extra column in the competency table",
        explanation: "The `Competency Alignment` table has a column other than Competency, \
Proficiency Target, Evidence / Assessment and Role Alignment (matched by name, in any case and \
order). The column is kept and shown after the known ones; rename it if it is one of them.",
    },
    CodeInfo {
        code: "W0217",
        title: "missing column in the competency table",
        explanation: "The `Competency Alignment` table lacks one of Competency, Proficiency \
Target, Evidence / Assessment and Role Alignment, so the page leaves that column empty. Add \
the column, or rename a column whose header the warning did not recognise.",
    },
    CodeInfo {
        code: "W0218",
        title: "competency target without a competency",
        explanation: "A row of the `Competency Alignment` table has an empty Competency cell, so \
it cannot be linked to a rubric. Write the competency as rubrics name it in `competency:` \
(for example `platform-security`).",
    },
    CodeInfo {
        code: "W0219",
        title: "front matter id of a roadmap ignored",
        explanation: "A module roadmap's id is its Module ID, so an `id` in its front matter \
names nothing: `[[that-id]]` would not resolve. Remove the `id` line and link the module by \
its Module ID (`[[MOD-559]]`).",
    },
    CodeInfo {
        code: "W0305",
        title: "two controls share an anchor",
        explanation: "A control's row on its catalog page gets an HTML id made from its id, with \
each run of spaces turned into `-` (`GOVERN 1.1` becomes `GOVERN-1.1`). Two controls whose ids \
differ only there (`A 1` and `A-1`) get the same one, and links to the second land on the first. \
Make the ids differ in more than spaces.",
    },
    CodeInfo {
        code: "W0401",
        title: "acceptance expiring soon",
        explanation: "A threat's acceptance expires within `[policy] expiry_warning_days` \
(default 30). Plan its renewal or the fix.",
    },
    CodeInfo {
        code: "W0403",
        title: "exception expiring soon",
        explanation: "An exception expires within `[policy] expiry_warning_days` (default 30). \
Plan its renewal or the fix before it lapses and the findings it covers become errors.",
    },
    CodeInfo {
        code: "W0404",
        title: "exception covers nothing",
        explanation: "An exception lists nothing in `covers`, so it has no effect. List the \
findings, rules, threats or disparities it covers, or delete it.",
    },
    CodeInfo {
        code: "W0408",
        title: "past due and not done",
        explanation: "A mitigation or tabletop action has a `due` date in the past and is not \
done. Finish it (`status: done`) or agree a new date.",
    },
    CodeInfo {
        code: "W0614",
        title: "large site built without a search index",
        explanation: "Unless site.toml says `[search] enabled = true` or `false`, a site of more \
than 5,000 pages is built without the Pagefind search index: Pagefind keeps every page in \
memory while it indexes (about 50 KiB a page, 1.3 GB for 20,000 pages), far more than the rest \
of the build. Say `enabled = true` to index it anyway, or `enabled = false` to build without \
search and silence this warning.",
    },
    CodeInfo {
        code: "W0501",
        title: "rubric expression failed on some evidence",
        explanation: "An `expr:` check compiled but failed while evaluating a learner's item (a \
type error, or it ran out of its evaluation budget). The check fails for that item, with the \
error as its reason. Make the expression total: test that fields are defined before using them, \
and keep it small.",
    },
];

/// Looks a code up, case-insensitively (`e0103` works).
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    CODES
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code.trim()))
}

/// Every known code, in order, for `evidentia explain` without an argument.
pub fn explain() -> &'static [CodeInfo] {
    CODES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for c in CODES {
            assert!(seen.insert(c.code), "{} twice", c.code);
            assert_eq!(c.code.len(), 5);
            assert!(c.code.starts_with('E') || c.code.starts_with('W'));
            assert!(c.code[1..].chars().all(|ch| ch.is_ascii_digit()));
            assert!(!c.explanation.is_empty());
        }
        assert_eq!(lookup("e0103").map(|c| c.code), Some("E0103"));
        assert!(lookup("E9999").is_none());
    }
}
