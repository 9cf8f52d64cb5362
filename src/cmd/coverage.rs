//! `evidentia coverage`.

use super::args::{Cli, CoverageFormat};
use super::{
    EXIT_FAILURE, EXIT_INPUT_ERRORS, options, print_stdout, renderer, summary, unless_closed,
};
use anyhow::Context;
use evidentia::coverage::export;
use std::path::Path;
use std::process::ExitCode;

/// Checks the site and prints its coverage.
pub(super) fn run(
    cli: &Cli,
    root: &Path,
    today: Option<jiff::civil::Date>,
    format: CoverageFormat,
    require: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let checked = evidentia::check_site(root, &options(today))
        .with_context(|| format!("cannot check {}", root.display()))?;
    print(cli, &checked, format, require)
}

/// Prints coverage on stdout; errors in the site (which make the evidence they are in
/// count for nothing) and shortfalls under `--require` go to stderr and exit 1.
fn print(
    cli: &Cli,
    checked: &evidentia::Checked,
    format: CoverageFormat,
    require: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let shortfalls = match require.map(|level| checked.coverage.shortfalls(level)) {
        None => Vec::new(),
        Some(Ok(s)) => s,
        Some(Err(known)) => {
            errln!(
                "error: no rubric has the level `{}`; levels: {}",
                require.unwrap_or_default(),
                known.join(", ")
            );
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };
    let text = match format {
        CoverageFormat::Table => export::to_table(&checked.coverage),
        CoverageFormat::Json => export::to_json(&checked.coverage),
        CoverageFormat::Csv => export::to_csv(&checked.coverage),
    };
    unless_closed(print_stdout(&text))?;
    // Errors matter here (an item with errors meets nothing); warnings belong to `check`.
    let renderer = renderer();
    for d in checked.diagnostics.iter().filter(|d| d.is_error()) {
        errln!("{}\n", renderer.render(d, checked));
    }
    if checked.has_errors() {
        summary(cli, checked);
    }
    for s in &shortfalls {
        errln!("below the required level: {s}");
    }
    Ok(if checked.has_errors() || !shortfalls.is_empty() {
        ExitCode::from(EXIT_INPUT_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}
