//! `evidentia show`.

use super::args::ShowFormat;
use super::{EXIT_FAILURE, print_stdout};
use anyhow::Context;
use std::path::Path;
use std::process::ExitCode;

/// Prints item `id` as the model holds it; exit 2 when the site has no such item.
pub(super) fn run(id: &str, root: &Path, format: ShowFormat) -> anyhow::Result<ExitCode> {
    let checked = evidentia::check_site(root, &evidentia::Options::default())
        .with_context(|| format!("cannot read {}", root.display()))?;
    let Some(item) = checked.site.items.iter().find(|i| i.header.id == id) else {
        let has_errors = checked.diagnostics.iter().any(|d| d.is_error());
        errln!(
            "error: no item `{id}` in {}{}",
            root.display(),
            if has_errors {
                " (some files have errors and were left out: run `evidentia check`)"
            } else {
                ""
            }
        );
        return Ok(ExitCode::from(EXIT_FAILURE));
    };
    let view = evidentia::model::ItemView::of(item);
    let text = match format {
        ShowFormat::Json => serde_json::to_string_pretty(&view).map(|s| s + "\n")?,
        ShowFormat::Yaml => serde_saphyr::to_string(&view)?,
    };
    print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
