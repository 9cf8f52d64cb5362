//! One function per command: [`run`] picks it, each file does one. What the commands
//! share (the date option, the diagnostics report and its summary line, writing to
//! stdout) is here.

/// Writes one line to stdout, returning from the command with [`Closed`] when the reader
/// has gone (`| head`) and with an error on any other failure (a full disk). Why not
/// `println!`: it panics in both cases.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cmd::out(format_args!($($arg)*))?
    };
}

/// Writes one line to stderr, ignoring failure. Why not `eprintln!`: it panics when
/// stderr is closed or full, and a message that cannot be shown must not turn into a
/// crash (the exit code still says what happened).
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cmd::err(format_args!($($arg)*))
    };
}

pub(crate) mod args;
mod build;
mod bundle;
mod check;
mod coverage;
mod explain;
mod init;
mod keygen;
mod schema;
mod serve;
mod show;
mod verify;

use args::{Cli, Command};
use evidentia::diag::{self, HumanRenderer};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Exit codes of DESIGN section 4.
const EXIT_INPUT_ERRORS: u8 = 1;
pub(crate) const EXIT_FAILURE: u8 = 2;

/// Runs the command `cli` names.
pub(crate) fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Build {
            root,
            output,
            today,
            sign,
        } => build::run(cli, root, output.as_deref(), *today, sign.as_deref()),
        Command::Serve {
            root,
            port,
            bind,
            open,
            today,
        } => serve::run(cli, root, *port, *bind, *open, *today),
        Command::Check {
            root,
            today,
            format,
        } => check::run(cli, root, *today, *format),
        Command::Coverage {
            root,
            today,
            format,
            require,
        } => coverage::run(cli, root, *today, *format, require.as_deref()),
        Command::Init {
            dir,
            name,
            handle,
            module,
        } => init::run(cli, dir, name.as_deref(), handle.as_deref(), module),
        Command::Bundle {
            packet,
            root,
            output,
            today,
        } => bundle::run(cli, packet, root, output.as_deref(), *today),
        Command::Verify { dir, key } => verify::run(dir, key.as_deref()),
        Command::Keygen { output } => keygen::run(cli, output),
        Command::Explain { code } => explain::run(code.as_deref()),
        Command::Schema { kind } => schema::run(kind.as_deref()),
        Command::Show { id, root, format } => show::run(id, root, *format),
    }
}

fn options(today: Option<jiff::civil::Date>) -> evidentia::Options {
    let mut options = evidentia::Options::default();
    if let Some(t) = today {
        options.today = t;
    }
    options
}

/// Whether diagnostics on stderr get colour: on a terminal, unless `NO_COLOR` is set.
fn renderer() -> HumanRenderer {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    HumanRenderer::new(color)
}

fn report(cli: &Cli, checked: &evidentia::Checked) {
    let renderer = renderer();
    for d in &checked.diagnostics {
        if cli.quiet && !d.is_error() {
            continue;
        }
        errln!("{}\n", renderer.render(d, checked));
    }
    summary(cli, checked);
}

/// The closing line ("checked N pages and M items: E errors, W warnings"), on stderr: after
/// the human diagnostics, and after `check --format github`'s workflow commands.
fn summary(cli: &Cli, checked: &evidentia::Checked) {
    let (errors, warnings) = diag::count(&checked.diagnostics);
    if !cli.quiet || errors > 0 {
        errln!(
            "checked {} pages and {} items: {} {}, {} {}",
            checked.site.pages.len(),
            checked.site.items.len(),
            errors,
            if errors == 1 { "error" } else { "errors" },
            warnings,
            if warnings == 1 { "warning" } else { "warnings" },
        );
    }
}

fn verbose_footer(cli: &Cli) {
    if !cli.verbose {
        return;
    }
    if let Some(kb) = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
        })
    {
        errln!("peak memory: {kb} kB");
    }
}

fn print_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(stdout_failed)
}

/// The reader of stdout went away (a closed pipe). Why an error of its own: the command
/// stops at once, and `main` ends quietly with success, as ripgrep does, instead of
/// reporting a failure nobody is left to read.
#[derive(Debug)]
pub(crate) struct Closed;

impl std::fmt::Display for Closed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stdout was closed")
    }
}

impl std::error::Error for Closed {}

fn stdout_failed(e: std::io::Error) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        anyhow::Error::new(Closed)
    } else {
        anyhow::Error::new(e).context("cannot write to stdout")
    }
}

/// The result of printing a command's document, where a closed stdout is no failure. Why:
/// `check` and `coverage` are gates whose exit status is their verdict on the site; a
/// reader that stops early (`| head`) must not turn that verdict into a success or an
/// error of its own.
fn unless_closed(printed: anyhow::Result<()>) -> anyhow::Result<()> {
    match printed {
        Err(e) if e.downcast_ref::<Closed>().is_some() => Ok(()),
        other => other,
    }
}

/// [`outln!`]'s writer.
pub(crate) fn out(line: std::fmt::Arguments<'_>) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_fmt(line)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(stdout_failed)
}

/// [`errln!`]'s writer.
pub(crate) fn err(line: std::fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(line).and_then(|()| err.write_all(b"\n"));
}
