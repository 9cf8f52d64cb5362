//! `evidentia schema`.

use super::{EXIT_FAILURE, print_stdout};
use evidentia::model::Kind;
use std::process::ExitCode;

/// Prints the JSON Schema of `kind`, or every kind's name; exit 2 for an unknown kind.
pub(super) fn run(kind: Option<&str>) -> anyhow::Result<ExitCode> {
    match kind {
        None => {
            for k in Kind::ALL {
                outln!("{}", k.name());
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(name) => match Kind::from_name(name) {
            Some(k) => {
                print_stdout(&evidentia::model::schema::schema_text(k))?;
                Ok(ExitCode::SUCCESS)
            }
            None => {
                errln!(
                    "error: unknown kind `{name}`; kinds: {}",
                    Kind::names().collect::<Vec<_>>().join(", ")
                );
                Ok(ExitCode::from(EXIT_FAILURE))
            }
        },
    }
}
