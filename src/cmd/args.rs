//! The command line as clap reads it: every command, its arguments and their help.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Turns a folder of compliance evidence into a validated, cross-linked static site.
#[derive(Debug, Parser)]
#[command(name = "evidentia", version, about, long_about = None, propagate_version = true)]
pub(crate) struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub(crate) quiet: bool,
    /// Print timings and memory use.
    #[arg(short, long, global = true)]
    pub(crate) verbose: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
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
pub(crate) enum ShowFormat {
    /// Pretty JSON.
    Json,
    /// YAML.
    Yaml,
}

/// The output formats of `coverage --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CoverageFormat {
    /// A table per learner.
    Table,
    /// `{"learners":[...]}`.
    Json,
    /// One row per learner and criterion.
    Csv,
}

/// The output formats of `check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CheckFormat {
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
