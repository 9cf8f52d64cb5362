//! The `evidentia` command: parses the command line and calls the library.

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use evidentia::diag::{self, HumanRenderer};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Turns a folder of compliance evidence into a validated, cross-linked static site.
#[derive(Debug, Parser)]
#[command(name = "evidentia", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print timings and memory use.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check the site, then render it; nothing is written if any error is found.
    Build {
        /// The site root (the folder with site.toml).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Output folder (default: site.toml's output_dir, `public`).
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// The date expiry and cadence checks use, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_today)]
        today: Option<jiff::civil::Date>,
        /// Sign manifest.json with this private key (from `evidentia keygen`); the
        /// signature is written to manifest.sig beside it.
        #[arg(long, value_name = "KEYFILE")]
        sign: Option<PathBuf>,
    },
    /// Write a self-contained copy of one packet (its pages, evidence, controls and
    /// inherited packets) that works from file:// and links nowhere outside itself.
    Bundle {
        /// The packet's id.
        packet: String,
        /// The site root (the folder with site.toml).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// A folder, or a file ending in .zip (default: bundle-PACKET).
        #[arg(short, long, value_name = "DIR|FILE.zip")]
        output: Option<PathBuf>,
        /// The date expiry and cadence checks use, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_today)]
        today: Option<jiff::civil::Date>,
    },
    /// Check a built site against its manifest.json; exit 1 naming every changed,
    /// missing or added file, 0 when intact.
    Verify {
        /// The built folder (or bundle).
        dir: PathBuf,
        /// Also check manifest.sig with this public key (from `evidentia keygen`).
        #[arg(long, value_name = "PUBFILE")]
        key: Option<PathBuf>,
    },
    /// Make an ed25519 key pair for `build --sign` and `verify --key`.
    Keygen {
        /// Writes PREFIX.key (private, mode 0600) and PREFIX.pub; never overwrites.
        #[arg(short, long, value_name = "PREFIX", default_value = "evidentia")]
        output: PathBuf,
    },
    /// Build the site into a temporary folder, serve it on 127.0.0.1, rebuild on every
    /// change and reload open pages; errors are shown over the last good site.
    Serve {
        /// The site root (the folder with site.toml).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// The port to try first; the next free one is used when it is taken (0: any).
        #[arg(short, long, default_value_t = evidentia::serve::DEFAULT_PORT)]
        port: u16,
        /// The address to listen on; anything but 127.0.0.1 or ::1 exposes your drafts.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// The date expiry and cadence checks use, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_today)]
        today: Option<jiff::civil::Date>,
    },
    /// Check the site without writing anything; exit 1 if it has errors.
    Check {
        /// The site root (the folder with site.toml).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// The date expiry and cadence checks use, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_today)]
        today: Option<jiff::civil::Date>,
        /// How to print the diagnostics: `human` to stderr; `json`, `sarif` and `github`
        /// (workflow commands) to stdout, complete whatever `--quiet` says.
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
    },
    /// Print every learner's verdict on every rubric criterion, with the reasons.
    Coverage {
        /// The site root (the folder with site.toml).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// The date expiry and cadence checks use, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_today)]
        today: Option<jiff::civil::Date>,
        /// `table` for people, `json` (DESIGN section 4) or `csv` (one row per learner and
        /// criterion) for tools; on stdout.
        #[arg(long, value_enum, default_value_t = CoverageFormat::Table)]
        format: CoverageFormat,
        /// Exit 1 when a learner is below this proficiency level in a competency whose
        /// rubric has the level (a CI gate).
        #[arg(long, value_name = "LEVEL")]
        require: Option<String>,
    },
    /// Write a learner's starter site (portfolio, examples, course rubrics) into DIR.
    Init {
        /// A new or empty folder.
        dir: PathBuf,
        /// The learner's name (default: the folder's name).
        #[arg(long)]
        name: Option<String>,
        /// The learner's handle, their URL (default: from the name).
        #[arg(long)]
        handle: Option<String>,
        /// The module the portfolio is for.
        #[arg(long, default_value = "MOD-559")]
        module: String,
    },
    /// Print one item as the model holds it (imported findings, typed fields).
    Show {
        /// The item's id.
        id: String,
        /// The site root (the folder with site.toml).
        #[arg(default_value = ".")]
        root: PathBuf,
        /// json or yaml.
        #[arg(long, value_enum, default_value_t = ShowFormat::Json)]
        format: ShowFormat,
    },
    /// Print the JSON Schema of a native kind, for editors (or list the kinds).
    Schema {
        /// threat-model, scan, sbom, exception, fairness, tabletop, portfolio, rubric, packet or
        /// catalog.
        kind: Option<String>,
    },
    /// Explain a diagnostic code (or list every code).
    Explain {
        /// A code such as E0103.
        code: Option<String>,
    },
}

/// The output formats of `show --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ShowFormat {
    /// Pretty JSON.
    Json,
    /// YAML.
    Yaml,
}

/// The output formats of `coverage --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CoverageFormat {
    /// A table per learner.
    Table,
    /// `{"learners":[...]}`.
    Json,
    /// One row per learner and criterion.
    Csv,
}

/// The output formats of `check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    /// rustc-style text with source snippets, on stderr.
    Human,
    /// One JSON document with every diagnostic and the counts, on stdout.
    Json,
    /// A SARIF 2.1.0 log, on stdout (for code scanning).
    Sarif,
    /// GitHub Actions workflow commands, on stdout (annotations on pull requests).
    Github,
}

fn parse_today(s: &str) -> Result<jiff::civil::Date, String> {
    s.parse::<jiff::civil::Date>()
        .map_err(|e| format!("`{s}` is not a date (YYYY-MM-DD): {e}"))
}

/// Exit codes of DESIGN section 4.
const EXIT_INPUT_ERRORS: u8 = 1;
const EXIT_FAILURE: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_FAILURE } else { 0 });
        }
    };
    match run(&cli) {
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

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Build {
            root,
            output,
            today,
            sign,
        } => {
            let started = Instant::now();
            let options = options(*today);
            let key = sign
                .as_deref()
                .map(evidentia::integrity::keys::read_signing_key)
                .transpose()?;
            let built =
                evidentia::build_site_signed(root, output.as_deref(), &options, key.as_ref())
                    .with_context(|| format!("cannot build {}", root.display()))?;
            report(cli, &built.checked);
            match &built.written {
                Some(w) => {
                    if !cli.quiet && w.up_to_date {
                        eprintln!(
                            "{} is up to date: no input changed since it was built ({} files, checked in {:.2}s)",
                            w.out_dir.display(),
                            w.manifest.files.len(),
                            started.elapsed().as_secs_f64()
                        );
                    } else if !cli.quiet {
                        eprintln!(
                            "built {} files into {} in {:.2}s",
                            w.manifest.files.len(),
                            w.out_dir.display(),
                            started.elapsed().as_secs_f64()
                        );
                    }
                    verbose_footer(cli);
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    eprintln!("nothing was written: fix the errors above and build again");
                    Ok(ExitCode::from(EXIT_INPUT_ERRORS))
                }
            }
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            today,
        } => serve(cli, root, *port, *bind, *open, *today),
        Command::Check {
            root,
            today,
            format,
        } => {
            let checked = evidentia::check_site(root, &options(*today))
                .with_context(|| format!("cannot check {}", root.display()))?;
            let document = match format {
                CheckFormat::Human => {
                    report(cli, &checked);
                    None
                }
                CheckFormat::Json => Some(diag::to_json(&checked.diagnostics)),
                CheckFormat::Sarif => Some(diag::to_sarif(&checked.diagnostics, &checked.root)),
                CheckFormat::Github => Some(diag::to_github(&checked.diagnostics)),
            };
            if let Some(document) = document {
                let mut stdout = std::io::stdout().lock();
                stdout
                    .write_all(document.as_bytes())
                    .and_then(|()| stdout.flush())
                    .context("cannot write to stdout")?;
            }
            if *format == CheckFormat::Github {
                summary(cli, &checked);
            }
            verbose_footer(cli);
            Ok(if checked.has_errors() {
                ExitCode::from(EXIT_INPUT_ERRORS)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Coverage {
            root,
            today,
            format,
            require,
        } => {
            let checked = evidentia::check_site(root, &options(*today))
                .with_context(|| format!("cannot check {}", root.display()))?;
            coverage(cli, &checked, *format, require.as_deref())
        }
        Command::Init {
            dir,
            name,
            handle,
            module,
        } => {
            let folder = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "learner".to_owned());
            let name = name.clone().unwrap_or(folder);
            let options = evidentia::init::InitOptions {
                handle: handle
                    .clone()
                    .unwrap_or_else(|| evidentia::model::slugify(&name)),
                name,
                module: module.clone(),
                today: evidentia::Options::default().today,
            };
            let files = evidentia::init::init(dir, &options)?;
            if !cli.quiet {
                eprintln!(
                    "wrote a starter site for {} ({} files) into {}\nnext: cd {} && evidentia check && evidentia coverage",
                    options.name,
                    files.len(),
                    dir.display(),
                    dir.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bundle {
            packet,
            root,
            output,
            today,
        } => {
            let dest = output
                .clone()
                .unwrap_or_else(|| evidentia::bundle::default_dest(packet));
            let bundled = evidentia::bundle::bundle(root, packet, &dest, &options(*today))
                .with_context(|| format!("cannot bundle {packet} from {}", root.display()))?;
            match &bundled.written {
                Some(w) => {
                    if !cli.quiet {
                        eprintln!(
                            "bundled packet {packet}: {} files into {}",
                            w.manifest.files.len() + 1,
                            w.dest.display()
                        );
                    }
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    report(cli, &bundled.checked);
                    eprintln!("nothing was written: fix the errors above and bundle again");
                    Ok(ExitCode::from(EXIT_INPUT_ERRORS))
                }
            }
        }
        Command::Verify { dir, key } => verify(dir, key.as_deref()),
        Command::Keygen { output } => {
            let files = evidentia::integrity::keys::keygen(output)?;
            if !cli.quiet {
                eprintln!(
                    "wrote the private key {} (keep it secret) and the public key {}\nsign: evidentia build --sign {}\nverify: evidentia verify public --key {}",
                    files.private.display(),
                    files.public.display(),
                    files.private.display(),
                    files.public.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { code } => explain(code.as_deref()),
        Command::Schema { kind } => schema(kind.as_deref()),
        Command::Show { id, root, format } => {
            let checked = evidentia::check_site(root, &evidentia::Options::default())
                .with_context(|| format!("cannot read {}", root.display()))?;
            let Some(item) = checked.site.items.iter().find(|i| i.header.id == *id) else {
                let has_errors = checked.diagnostics.iter().any(|d| d.is_error());
                eprintln!(
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
    }
}

/// Prints coverage on stdout; errors in the site (which make the evidence they are in
/// count for nothing) and shortfalls under `--require` go to stderr and exit 1.
fn coverage(
    cli: &Cli,
    checked: &evidentia::Checked,
    format: CoverageFormat,
    require: Option<&str>,
) -> anyhow::Result<ExitCode> {
    use evidentia::coverage::export;
    let shortfalls = match require.map(|level| checked.coverage.shortfalls(level)) {
        None => Vec::new(),
        Some(Ok(s)) => s,
        Some(Err(known)) => {
            eprintln!(
                "error: no rubric has the level `{}`; levels: {}",
                require.unwrap_or_default(),
                known.join(", ")
            );
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };
    let text = match format {
        CoverageFormat::Table => export::to_table(&checked.coverage),
        CoverageFormat::Json => export::to_json(&checked.coverage),
        CoverageFormat::Csv => export::to_csv(&checked.coverage),
    };
    print_stdout(&text)?;
    // Errors matter here (an item with errors meets nothing); warnings belong to `check`.
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let renderer = HumanRenderer::new(color);
    for d in checked.diagnostics.iter().filter(|d| d.is_error()) {
        eprintln!("{}\n", renderer.render(d, checked));
    }
    if checked.has_errors() {
        summary(cli, checked);
    }
    for s in &shortfalls {
        eprintln!("below the required level: {s}");
    }
    Ok(if checked.has_errors() || !shortfalls.is_empty() {
        ExitCode::from(EXIT_INPUT_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}

/// Runs the server until Ctrl-C; prints the address on stdout (for scripts and tests)
/// and every rebuild on stderr.
fn serve(
    cli: &Cli,
    root: &std::path::Path,
    port: u16,
    bind: std::net::IpAddr,
    open: bool,
    today: Option<jiff::civil::Date>,
) -> anyhow::Result<ExitCode> {
    use evidentia::serve::{Event, ServeOptions};
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
        Event::Warning(w) => eprintln!("warning: {w}"),
        Event::Failed(e) => eprintln!("error: cannot build: {e}"),
        Event::Built {
            built,
            elapsed,
            rendered,
        } => {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let renderer = HumanRenderer::new(color);
            for d in &built.checked.diagnostics {
                if (quiet || !verbose) && !d.is_error() {
                    continue;
                }
                eprintln!("{}\n", renderer.render(d, &built.checked));
            }
            let ms = elapsed.as_secs_f64() * 1000.0;
            match &built.written {
                Some(w) if !quiet => match rendered {
                    Some((n, of)) => eprintln!(
                        "updated {n} of {of} pages ({} files in all) in {ms:.0} ms",
                        w.manifest.files.len()
                    ),
                    None => eprintln!("built {} files in {ms:.0} ms", w.manifest.files.len()),
                },
                Some(_) => {}
                None => {
                    let (errors, _) = diag::count(&built.checked.diagnostics);
                    eprintln!(
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

/// `evidentia verify`: one line per changed, missing or added file on stdout, then the
/// verdict; exit 1 when anything differs or the signature fails.
fn verify(dir: &std::path::Path, key: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    use evidentia::integrity::{self, SignatureCheck};
    let key = key.map(integrity::keys::read_verifying_key).transpose()?;
    let report = integrity::verify(dir, key.as_ref())?;
    let mut out = String::new();
    for c in &report.changed {
        let size = if c.actual_bytes == c.expected_bytes {
            String::new()
        } else {
            format!(
                " ({} bytes, the manifest says {})",
                c.actual_bytes, c.expected_bytes
            )
        };
        out.push_str(&format!("changed: {}{size}\n", c.path));
    }
    for p in &report.missing {
        out.push_str(&format!("missing: {p}\n"));
    }
    for p in &report.added {
        out.push_str(&format!("added: {p}\n"));
    }
    print_stdout(&out)?;
    let differ = report.changed.len() + report.missing.len() + report.added.len();
    if differ > 0 {
        eprintln!(
            "error[{}]: {differ} {} of {} differ from its manifest.json ({} changed, {} missing, {} added)",
            integrity::verify::TAMPERED,
            if differ == 1 { "file" } else { "files" },
            dir.display(),
            report.changed.len(),
            report.missing.len(),
            report.added.len()
        );
    }
    let bad_signature = match report.signature {
        None | Some(SignatureCheck::Good) => None,
        Some(SignatureCheck::Missing) => Some("there is no manifest.sig"),
        Some(SignatureCheck::Malformed) => Some("manifest.sig is not an Evidentia signature"),
        Some(SignatureCheck::Mismatch) => Some(
            "manifest.sig does not match: manifest.json was changed after signing, or it was signed with another key",
        ),
    };
    if let Some(why) = bad_signature {
        eprintln!(
            "error[{}]: signature not valid: {why}",
            integrity::verify::BAD_SIGNATURE
        );
    }
    if report.is_intact() {
        println!(
            "intact: {} files match manifest.json{}",
            report.manifest.files.len(),
            if report.signature.is_some() {
                ", signature good"
            } else {
                ""
            }
        );
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(EXIT_INPUT_ERRORS))
    }
}

fn options(today: Option<jiff::civil::Date>) -> evidentia::Options {
    let mut options = evidentia::Options::default();
    if let Some(t) = today {
        options.today = t;
    }
    options
}

fn report(cli: &Cli, checked: &evidentia::Checked) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let renderer = HumanRenderer::new(color);
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
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .context("cannot write to stdout")?;
    out.flush().context("cannot write to stdout")
}

fn schema(kind: Option<&str>) -> anyhow::Result<ExitCode> {
    use evidentia::model::Kind;
    match kind {
        None => {
            for k in Kind::ALL {
                println!("{}", k.name());
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(name) => match Kind::from_name(name) {
            Some(k) => {
                print_stdout(&evidentia::model::schema::schema_text(k))?;
                Ok(ExitCode::SUCCESS)
            }
            None => {
                eprintln!(
                    "error: unknown kind `{name}`; kinds: {}",
                    Kind::names().collect::<Vec<_>>().join(", ")
                );
                Ok(ExitCode::from(EXIT_FAILURE))
            }
        },
    }
}

fn explain(code: Option<&str>) -> anyhow::Result<ExitCode> {
    match code {
        None => {
            for c in diag::explain() {
                println!("{}  {}", c.code, c.title);
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(code) => match diag::lookup(code) {
            Some(c) => {
                println!("{}: {}\n\n{}", c.code, c.title, c.explanation);
                Ok(ExitCode::SUCCESS)
            }
            None => {
                eprintln!("error: unknown code `{code}`; `evidentia explain` lists every code");
                Ok(ExitCode::from(EXIT_FAILURE))
            }
        },
    }
}
