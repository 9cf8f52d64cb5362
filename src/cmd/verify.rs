//! `evidentia verify`.

use super::{EXIT_INPUT_ERRORS, print_stdout};
use evidentia::integrity::{self, SignatureCheck};
use std::path::Path;
use std::process::ExitCode;

/// `evidentia verify`: one line per changed, missing or added file on stdout, then the
/// verdict; exit 1 when anything differs or the signature fails.
pub(super) fn run(dir: &Path, key: Option<&Path>) -> anyhow::Result<ExitCode> {
    let key = key.map(integrity::keys::read_verifying_key).transpose()?;
    let report = integrity::verify(dir, key.as_ref())?;
    let mut out = String::new();
    for c in &report.changed {
        let size = if c.actual_bytes == c.expected_bytes {
            String::new()
        } else {
            format!(
                " ({} bytes, the manifest says {})",
                c.actual_bytes, c.expected_bytes
            )
        };
        out.push_str(&format!("changed: {}{size}\n", c.path));
    }
    for p in &report.missing {
        out.push_str(&format!("missing: {p}\n"));
    }
    for p in &report.added {
        out.push_str(&format!("added: {p}\n"));
    }
    print_stdout(&out)?;
    let differ = report.changed.len() + report.missing.len() + report.added.len();
    if differ > 0 {
        errln!(
            "error[{}]: {differ} {} of {} differ from its manifest.json ({} changed, {} missing, {} added)",
            integrity::verify::TAMPERED,
            if differ == 1 { "file" } else { "files" },
            dir.display(),
            report.changed.len(),
            report.missing.len(),
            report.added.len()
        );
    }
    let bad_signature = match report.signature {
        None | Some(SignatureCheck::Good) => None,
        Some(SignatureCheck::Missing) => Some("there is no manifest.sig"),
        Some(SignatureCheck::Malformed) => Some("manifest.sig is not an Evidentia signature"),
        Some(SignatureCheck::Mismatch) => Some(
            "manifest.sig does not match: manifest.json was changed after signing, or it was signed with another key",
        ),
    };
    if let Some(why) = bad_signature {
        errln!(
            "error[{}]: signature not valid: {why}",
            integrity::verify::BAD_SIGNATURE
        );
    }
    if report.is_intact() {
        outln!(
            "intact: {} files match manifest.json{}",
            report.manifest.files.len(),
            if report.signature.is_some() {
                ", signature good"
            } else {
                ""
            }
        );
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(EXIT_INPUT_ERRORS))
    }
}
