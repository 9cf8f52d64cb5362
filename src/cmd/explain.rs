//! `evidentia explain`.

use super::EXIT_FAILURE;
use evidentia::diag;
use std::process::ExitCode;

/// Prints what `code` means and how to fix it, or every code with its title; exit 2 for
/// an unknown code.
pub(super) fn run(code: Option<&str>) -> anyhow::Result<ExitCode> {
    match code {
        None => {
            for c in diag::explain() {
                outln!("{}  {}", c.code, c.title);
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(code) => match diag::lookup(code) {
            Some(c) => {
                outln!("{}: {}\n\n{}", c.code, c.title, c.explanation);
                Ok(ExitCode::SUCCESS)
            }
            None => {
                errln!("error: unknown code `{code}`; `evidentia explain` lists every code");
                Ok(ExitCode::from(EXIT_FAILURE))
            }
        },
    }
}
