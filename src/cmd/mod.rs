//! One function per command: [`run`] picks it, each file does one. What the commands
//! share (the date option, the diagnostics report and its summary line, writing to
//! stdout) is here.

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
        eprintln!("{}\n", renderer.render(d, checked));
    }
    summary(cli, checked);
}

/// The closing line ("checked N pages and M items: E errors, W warnings"), on stderr: after
/// the human diagnostics, and after `check --format github`'s workflow commands.
fn summary(cli: &Cli, checked: &evidentia::Checked) {
    let (errors, warnings) = diag::count(&checked.diagnostics);
    if !cli.quiet || errors > 0 {
        eprintln!(
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
        eprintln!("peak memory: {kb} kB");
    }
}

fn print_stdout(text: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .context("cannot write to stdout")?;
    out.flush().context("cannot write to stdout")
}
