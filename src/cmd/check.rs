//! `evidentia check`.

use super::args::{CheckFormat, Cli};
use super::{
    EXIT_INPUT_ERRORS, options, print_stdout, report, summary, unless_closed, verbose_footer,
};
use anyhow::Context;
use evidentia::diag;
use std::path::Path;
use std::process::ExitCode;

/// Checks the site and prints the diagnostics in `format`; exit 1 when it has errors.
pub(super) fn run(
    cli: &Cli,
    root: &Path,
    today: Option<jiff::civil::Date>,
    format: CheckFormat,
) -> anyhow::Result<ExitCode> {
    let checked = evidentia::check_site(root, &options(today))
        .with_context(|| format!("cannot check {}", root.display()))?;
    let document = match format {
        CheckFormat::Human => {
            report(cli, &checked);
            None
        }
        CheckFormat::Json => Some(diag::to_json(&checked.diagnostics)),
        CheckFormat::Sarif => Some(diag::to_sarif(&checked.diagnostics, &checked.root)),
        CheckFormat::Github => Some(diag::to_github(&checked.diagnostics)),
    };
    if let Some(document) = document {
        unless_closed(print_stdout(&document))?;
    }
    if format == CheckFormat::Github {
        summary(cli, &checked);
    }
    verbose_footer(cli);
    Ok(if checked.has_errors() {
        ExitCode::from(EXIT_INPUT_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}
