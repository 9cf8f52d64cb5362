//! `evidentia bundle`.

use super::args::Cli;
use super::{EXIT_INPUT_ERRORS, options, report};
use anyhow::Context;
use std::path::Path;
use std::process::ExitCode;

/// Writes the self-contained copy of `packet` into `output` (default: bundle-PACKET), or
/// reports the site's errors and writes nothing (exit 1).
pub(super) fn run(
    cli: &Cli,
    packet: &str,
    root: &Path,
    output: Option<&Path>,
    today: Option<jiff::civil::Date>,
) -> anyhow::Result<ExitCode> {
    let dest = output.map_or_else(
        || evidentia::bundle::default_dest(packet),
        Path::to_path_buf,
    );
    let bundled = evidentia::bundle::bundle(root, packet, &dest, &options(today))
        .with_context(|| format!("cannot bundle {packet} from {}", root.display()))?;
    match &bundled.written {
        Some(w) => {
            if !cli.quiet {
                errln!(
                    "bundled packet {packet}: {} files into {}",
                    w.manifest.files.len() + 1,
                    w.dest.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        None => {
            report(cli, &bundled.checked);
            errln!("nothing was written: fix the errors above and bundle again");
            Ok(ExitCode::from(EXIT_INPUT_ERRORS))
        }
    }
}
