//! The `debrief` command: thin glue between files and `debrief-core`.
//!
//! Reading files, decoding bytes and choosing exit codes happen here; understanding documents
//! happens in `debrief-core`. Exit codes: 0 success, 1 `lint` found errors, 2 usage or IO error.

#![forbid(unsafe_code)]

mod input;
mod measure;
mod review;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use debrief_core::{export, view};

#[derive(Parser)]
#[command(
    name = "debrief",
    version,
    about = "Blameless postmortems you can search, measure and follow up"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read postmortems in any format and show what Debrief understood.
    Parse {
        /// Postmortem files (Markdown, plain text, or Debrief's canonical format).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// One JSON object per file (JSON Lines when several files).
        #[arg(long)]
        json: bool,
    },
    /// Convert one postmortem to the canonical Markdown form or to JSON.
    Export {
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Markdown)]
        to: Format,
    },
    /// Print the JSON Schema of the postmortem record.
    Schema,
    /// Review postmortems: missing sections, inconsistent times, vague impact, blame, weak
    /// action items. Exit 0 without errors, 1 with errors, 2 on usage or IO errors.
    Lint {
        /// Files or directories (directories are walked for Markdown and text files).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = review::LintFormat::Text)]
        format: review::LintFormat,
        /// Make warnings fail too (`--deny warnings`).
        #[arg(long, value_name = "LEVEL", value_parser = ["warnings"])]
        deny: Option<String>,
        /// Configuration file (default: the nearest .debrief.toml above each file).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Response metrics: when the incident started, was detected, acknowledged, escalated,
    /// mitigated and resolved, and the minutes between.
    Metrics {
        /// Files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// One JSON object per file (JSON Lines).
        #[arg(long, conflicts_with = "summary")]
        json: bool,
        /// n, median, p90 and max of each duration across the files.
        #[arg(long)]
        summary: bool,
        /// Group the summary.
        #[arg(long, value_enum, requires = "summary")]
        by: Option<measure::By>,
        /// Summary output format.
        #[arg(long, value_enum, default_value_t = measure::SummaryFormat::Text, requires = "summary")]
        format: measure::SummaryFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Markdown,
    Json,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("debrief: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        Command::Parse { files, json } => {
            let mut failed = false;
            for (n, path) in files.iter().enumerate() {
                let doc = match input::read(path) {
                    Ok(d) => d,
                    Err(e) => {
                        eprintln!("debrief: {e}");
                        failed = true;
                        continue;
                    }
                };
                let parsed = debrief_core::parse(&doc.text);
                let mut notes = parsed.notes.clone();
                if let Some(w) = &doc.warning {
                    notes.insert(0, debrief_core::Note::new("input-decoding", 0, w.clone()));
                }
                let parsed = debrief_core::Parsed { notes, ..parsed };
                let name = path.display().to_string();
                if json {
                    serde_json::to_writer(&mut out, &view::parse_view(Some(&name), &parsed))?;
                    writeln!(out)?;
                } else {
                    if n > 0 {
                        writeln!(out)?;
                    }
                    write!(out, "{}", input::summary(&name, &parsed))?;
                }
            }
            Ok(if failed {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Export { file, to } => {
            let doc = input::read(&file)?;
            if let Some(w) = &doc.warning {
                eprintln!("debrief: {w}");
            }
            let parsed = debrief_core::parse(&doc.text);
            for n in &parsed.notes {
                eprintln!("{}:{}: note: {}", file.display(), n.line, n.message);
            }
            let text = match to {
                Format::Markdown => export::to_markdown(&parsed.postmortem),
                Format::Json => {
                    let mut s = export::to_json(&parsed.postmortem);
                    s.push('\n');
                    s
                }
            };
            out.write_all(text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema => {
            out.write_all(export::json_schema().as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Lint {
            paths,
            format,
            deny,
            config,
        } => {
            let opts = review::Options {
                format,
                deny_warnings: deny.is_some(),
                config,
                color: format == review::LintFormat::Text && review::want_color(),
            };
            Ok(ExitCode::from(review::run(&paths, &opts, &mut out)?))
        }
        Command::Metrics {
            paths,
            json,
            summary,
            by,
            format,
        } => {
            let opts = measure::Options {
                json,
                summary,
                by,
                format,
            };
            Ok(ExitCode::from(measure::run(&paths, &opts, &mut out)?))
        }
    }
}
