//! `evidentia serve`.

use super::args::Cli;
use super::{options, print_stdout, renderer};
use anyhow::Context;
use evidentia::diag;
use evidentia::serve::{Event, ServeOptions};
use std::path::Path;
use std::process::ExitCode;

/// Runs the server until Ctrl-C; prints the address on stdout (for scripts and tests)
/// and every rebuild on stderr.
pub(super) fn run(
    cli: &Cli,
    root: &Path,
    port: u16,
    bind: std::net::IpAddr,
    open: bool,
    today: Option<jiff::civil::Date>,
) -> anyhow::Result<ExitCode> {
    let mut opts = ServeOptions::new(root.to_path_buf());
    opts.port = port;
    opts.bind = bind;
    opts.open = open;
    opts.options = options(today);
    let (quiet, verbose) = (cli.quiet, cli.verbose);
    let report = std::sync::Arc::new(move |event: Event<'_>| match event {
        Event::Listening(addr) => {
            let _ = print_stdout(&format!("serving http://{addr}/ (Ctrl-C to stop)\n"));
        }
        Event::Warning(w) => errln!("warning: {w}"),
        Event::Failed(e) => errln!("error: cannot build: {e}"),
        Event::Built {
            built,
            elapsed,
            rendered,
        } => {
            let renderer = renderer();
            for d in &built.checked.diagnostics {
                if (quiet || !verbose) && !d.is_error() {
                    continue;
                }
                errln!("{}\n", renderer.render(d, &built.checked));
            }
            let ms = elapsed.as_secs_f64() * 1000.0;
            match &built.written {
                Some(w) if !quiet => match rendered {
                    Some((n, of)) => errln!(
                        "updated {n} of {of} pages ({} files in all) in {ms:.0} ms",
                        w.manifest.files.len()
                    ),
                    None => errln!("built {} files in {ms:.0} ms", w.manifest.files.len()),
                },
                Some(_) => {}
                None => {
                    let (errors, _) = diag::count(&built.checked.diagnostics);
                    errln!(
                        "{errors} {}: still serving the last good site ({ms:.0} ms)",
                        if errors == 1 { "error" } else { "errors" }
                    );
                }
            }
        }
    });
    evidentia::serve::serve(opts, report)
        .with_context(|| format!("cannot serve {}", root.display()))?;
    Ok(ExitCode::SUCCESS)
}
