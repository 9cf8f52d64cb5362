//! `evidentia keygen`.

use super::args::Cli;
use std::path::Path;
use std::process::ExitCode;

/// Writes PREFIX.key and PREFIX.pub and says how to use them.
pub(super) fn run(cli: &Cli, output: &Path) -> anyhow::Result<ExitCode> {
    let files = evidentia::integrity::keys::keygen(output)?;
    if !cli.quiet {
        errln!(
            "wrote the private key {} (keep it secret) and the public key {}\nsign: evidentia build --sign {}\nverify: evidentia verify public --key {}",
            files.private.display(),
            files.public.display(),
            files.private.display(),
            files.public.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
