//! `evidentia init`.

use super::args::Cli;
use std::path::Path;
use std::process::ExitCode;

/// Writes a learner's starter site into `dir`; the name defaults to the folder's, the
/// handle to the name's slug.
pub(super) fn run(
    cli: &Cli,
    dir: &Path,
    name: Option<&str>,
    handle: Option<&str>,
    module: &str,
) -> anyhow::Result<ExitCode> {
    let folder = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "learner".to_owned());
    let name = name.map_or(folder, str::to_owned);
    let options = evidentia::init::InitOptions {
        handle: handle.map_or_else(|| evidentia::model::slugify(&name), str::to_owned),
        name,
        module: module.to_owned(),
        today: evidentia::Options::default().today,
    };
    let files = evidentia::init::init(dir, &options)?;
    if !cli.quiet {
        errln!(
            "wrote a starter site for {} ({} files) into {}\nnext: cd {} && evidentia check && evidentia coverage",
            options.name,
            files.len(),
            dir.display(),
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
