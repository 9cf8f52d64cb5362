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
        // The reader of stdout has gone: nothing is left to say, and nobody to say it to.
        Err(e) if e.downcast_ref::<cmd::Closed>().is_some() => ExitCode::SUCCESS,
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
                Some(code) => cmd::err(format_args!(
                    "error[{code}]: {e:#}\nhelp: `evidentia explain {code}` says why and how to fix it"
                )),
                None => cmd::err(format_args!("error: {e:#}")),
            }
            ExitCode::from(EXIT_FAILURE)
        }
    }
}
