//! The `evidentia` command: parses the command line and calls the library. The commands
//! are in cmd/, one file each; here is only what turns their result into an exit code.

mod cmd;

use clap::Parser;
use cmd::EXIT_FAILURE;
use cmd::args::Cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_FAILURE } else { 0 });
        }
    };
    match cmd::run(&cli) {
        Ok(code) => code,
        Err(e) => {
            let code = e.chain().find_map(|c| {
                c.downcast_ref::<evidentia::Error>()
                    .and_then(evidentia::Error::code)
                    .or_else(|| {
                        c.downcast_ref::<evidentia::integrity::IntegrityError>()
                            .map(evidentia::integrity::IntegrityError::code)
                    })
                    .or_else(|| {
                        c.downcast_ref::<evidentia::serve::ServeError>()
                            .map(evidentia::serve::ServeError::code)
                    })
            });
            match code {
                Some(code) => eprintln!(
                    "error[{code}]: {e:#}\nhelp: `evidentia explain {code}` says why and how to fix it"
                ),
                None => eprintln!("error: {e:#}"),
            }
            ExitCode::from(EXIT_FAILURE)
        }
    }
}
