//! `evidentia build`.

use super::args::Cli;
use super::{EXIT_INPUT_ERRORS, options, report, verbose_footer};
use anyhow::Context;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Checks and renders the site (signed with the key at `sign`); says how many files it
/// wrote where, or that nothing was written because of errors (exit 1).
pub(super) fn run(
    cli: &Cli,
    root: &Path,
    output: Option<&Path>,
    today: Option<jiff::civil::Date>,
    sign: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let options = options(today);
    let key = sign
        .map(evidentia::integrity::keys::read_signing_key)
        .transpose()?;
    let built = evidentia::build_site_signed(root, output, &options, key.as_ref())
        .with_context(|| format!("cannot build {}", root.display()))?;
    report(cli, &built.checked);
    match &built.written {
        Some(w) => {
            if !cli.quiet && w.up_to_date {
                errln!(
                    "{} is up to date: no input changed since it was built ({} files, checked in {:.2}s)",
                    w.out_dir.display(),
                    w.manifest.files.len(),
                    started.elapsed().as_secs_f64()
                );
            } else if !cli.quiet {
                errln!(
                    "built {} files into {} in {:.2}s",
                    w.manifest.files.len(),
                    w.out_dir.display(),
                    started.elapsed().as_secs_f64()
                );
            }
            verbose_footer(cli);
            Ok(ExitCode::SUCCESS)
        }
        None => {
            errln!("nothing was written: fix the errors above and build again");
            Ok(ExitCode::from(EXIT_INPUT_ERRORS))
        }
    }
}
