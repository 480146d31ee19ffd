//! The `debrief` command: thin glue between files and `debrief-core`.
//!
//! Reading files, decoding bytes and choosing exit codes happen here; understanding documents
//! happens in `debrief-core`; storing them happens behind `debrief-store`, with the backend chosen
//! from the database URL. Exit codes: 0 success, 1 `lint` found errors (or `verify` and
//! `backup drill` found problems), 2 usage or IO error.

#![forbid(unsafe_code)]

mod admin;
mod chat;
mod db;
mod docx;
mod help;
mod input;
mod library;
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
    #[command(flatten)]
    database: Database,
    #[command(subcommand)]
    command: Command,
}

/// Which database, and whether it may be created.
#[derive(clap::Args, Clone)]
struct Database {
    /// Database URL: sqlite:PATH (or just the file's PATH) or postgres://USER@HOST/DB
    /// [default: sqlite under $XDG_DATA_HOME/debrief]
    #[arg(long = "database", env = "DEBRIEF_DATABASE_URL", value_name = "URL")]
    url: Option<String>,
    /// Create the SQLite database named by --database when it does not exist yet (the default
    /// database is created when first used; `debrief init` creates one on its own).
    #[arg(long)]
    create: bool,
}

impl Database {
    /// Given before the command (`debrief --database X list`) or after it (`debrief list
    /// --database X`): the one after wins.
    fn or(self, after: Option<&Database>) -> Database {
        match after {
            Some(a) => Database {
                url: a.url.clone().or(self.url),
                create: self.create || a.create,
            },
            None => self,
        }
    }
}

impl Command {
    /// The database options given after the command, for the commands that use a database.
    fn database(&self) -> Option<&Database> {
        match self {
            Command::Export { db, .. }
            | Command::Import { db, .. }
            | Command::ImportChat { db, .. }
            | Command::List { db, .. }
            | Command::Show { db, .. }
            | Command::Revisions { db, .. }
            | Command::Diff { db, .. }
            | Command::Search { db, .. }
            | Command::Facets { db, .. }
            | Command::Actions { db, .. }
            | Command::Delete { db, .. }
            | Command::Undelete { db, .. }
            | Command::Verify { db, .. }
            | Command::Serve { db, .. }
            | Command::Init { db }
            | Command::Backup {
                command: BackupCommand::Create { db, .. } | BackupCommand::Drill { db, .. },
            }
            | Command::User {
                command:
                    UserCommand::Add { db, .. }
                    | UserCommand::Remove { db, .. }
                    | UserCommand::Passwd { db, .. }
                    | UserCommand::List { db, .. },
            }
            | Command::Token {
                command:
                    TokenCommand::Create { db, .. }
                    | TokenCommand::Revoke { db, .. }
                    | TokenCommand::List { db, .. },
            }
            | Command::Event {
                command: EventCommand::Add { db, .. },
            }
            | Command::Hook {
                command:
                    HookCommand::Create { db, .. }
                    | HookCommand::Revoke { db, .. }
                    | HookCommand::List { db, .. },
            }
            | Command::Audit {
                command: AuditCommand::Verify { db },
            }
            | Command::Admin {
                command: AdminCommand::Purge { db, .. },
            } => Some(db),
            Command::Parse { .. }
            | Command::Schema { .. }
            | Command::Lint { .. }
            | Command::Metrics { .. } => None,
        }
    }
}

/// How a command prints: the one `--format` every command has (`--json` still means json).
#[derive(clap::Args, Clone, Copy)]
struct Output {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// The same as --format json.
    #[arg(long, hide = true)]
    json: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

impl Output {
    fn json(self) -> bool {
        self.json || self.format == OutputFormat::Json
    }
}

/// Filters shared by `list` and `search`.
#[derive(clap::Args, Clone, Default)]
struct FilterArgs {
    #[command(flatten)]
    matching: MatchArgs,
    /// At most this many results.
    #[arg(long)]
    limit: Option<i64>,
}

/// The filters that choose postmortems, without a page.
#[derive(clap::Args, Clone, Default)]
struct MatchArgs {
    /// Only this status (resolved, draft, ...).
    #[arg(long)]
    status: Option<String>,
    /// Only this severity (SEV1 = sev-1).
    #[arg(long)]
    severity: Option<String>,
    /// Only postmortems naming this service.
    #[arg(long)]
    service: Option<String>,
    /// Only postmortems with this tag.
    #[arg(long)]
    tag: Option<String>,
    /// Incidents on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Incidents on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
}

impl FilterArgs {
    fn filter(self) -> anyhow::Result<debrief_store::Filter> {
        Ok(debrief_store::Filter {
            limit: self.limit,
            ..self.matching.filter()?
        })
    }
}

impl MatchArgs {
    fn filter(self) -> anyhow::Result<debrief_store::Filter> {
        for (flag, v) in [("--from", &self.from), ("--to", &self.to)] {
            if let Some(d) = v
                && !debrief_core::time::Date::is_iso_day(d)
            {
                anyhow::bail!("{flag} {d}: write the date as YYYY-MM-DD");
            }
        }
        Ok(debrief_store::Filter {
            status: self.status,
            severity: self.severity,
            service: self.service,
            tag: self.tag,
            from: self.from,
            to: self.to,
            ..debrief_store::Filter::default()
        })
    }
}

#[derive(Subcommand)]
enum BackupCommand {
    /// Write a consistent backup of the database to FILE (safe while others write).
    #[command(after_help = help::BACKUP_CREATE)]
    Create {
        #[command(flatten)]
        db: Database,
        /// Where to write the backup (JSON Lines with a manifest and a checksum).
        file: PathBuf,
    },
    /// Restore FILE into a scratch database (or --into URL), recompute every hash and compare
    /// with the backup's manifest. Exit 0 only when everything is equal.
    #[command(after_help = help::BACKUP_DRILL)]
    Drill {
        #[command(flatten)]
        db: Database,
        /// The backup to restore and compare.
        file: PathBuf,
        /// Restore into this (empty) database instead of a scratch SQLite file.
        #[arg(long, value_name = "URL")]
        into: Option<String>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a local user (or change its role and password). The password comes from a file or
    /// a prompt, never from the command line.
    #[command(after_help = help::USER_ADD)]
    Add {
        #[command(flatten)]
        db: Database,
        /// The user's name, as they sign in with it.
        name: String,
        /// viewer reads, editor also writes, admin also manages access and users.
        #[arg(long, value_parser = ["viewer", "editor", "admin"])]
        role: String,
        /// Read the password from this file (first line).
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
    },
    /// Remove a user: its tokens and sessions stop working at once and it leaves every access
    /// list; the audit trail keeps its name.
    #[command(after_help = help::USER_REMOVE)]
    Remove {
        #[command(flatten)]
        db: Database,
        /// The user's name.
        name: String,
    },
    /// Change a user's password: its signed-in sessions end, its API tokens stay. The password
    /// comes from a file or a prompt, never from the command line.
    #[command(after_help = help::USER_PASSWD)]
    Passwd {
        #[command(flatten)]
        db: Database,
        /// The user's name.
        name: String,
        /// Read the new password from this file (first line).
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
    },
    /// Every local user, with its role.
    #[command(after_help = help::USER_LIST)]
    List {
        #[command(flatten)]
        db: Database,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for a user; printed once, stored hashed.
    #[command(after_help = help::TOKEN_CREATE)]
    Create {
        #[command(flatten)]
        db: Database,
        /// The user the token acts as.
        #[arg(long)]
        user: String,
        /// What the token is for (shown in the audit trail).
        #[arg(long, default_value = "api")]
        label: String,
        /// Expire after this many days (1 to 3650).
        #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u64).range(1..=3650))]
        expires_days: Option<u64>,
    },
    /// Revoke every token of a user (--user), or one token (--token, its id from `token list`),
    /// on every server at once.
    #[command(after_help = help::TOKEN_REVOKE)]
    Revoke {
        #[command(flatten)]
        db: Database,
        /// Revoke every token and session of this user.
        #[arg(long, required_unless_present = "token", conflicts_with = "token")]
        user: Option<String>,
        /// A token's id (its SHA-256, or a prefix of it that only it has) from `token list`.
        #[arg(long, value_name = "ID")]
        token: Option<String>,
    },
    /// The newest tokens and browser sessions (at most 500): id, user, label, created, expires,
    /// revoked. Never their secrets.
    #[command(after_help = help::TOKEN_LIST)]
    List {
        #[command(flatten)]
        db: Database,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Subcommand)]
enum EventCommand {
    /// Add an event (a deploy, a feature-flag flip, a config change, a note) to a postmortem's
    /// timeline: the one named, or the open draft of a service. Adding the same event again
    /// (the same --id, or the same time, source and text) changes nothing.
    #[command(after_help = help::EVENT_ADD)]
    Add {
        #[command(flatten)]
        db: Database,
        /// The postmortem (its id or the start of it).
        #[arg(
            long,
            value_name = "ID",
            required_unless_present = "service",
            conflicts_with = "service"
        )]
        postmortem: Option<String>,
        /// Or the service whose draft postmortem was saved most recently (within --window-minutes).
        #[arg(long)]
        service: Option<String>,
        /// When it happened: 2026-03-14T10:21:00Z, or `2026-03-14 10:21` (UTC); now when left out.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// What happened, one line.
        #[arg(long)]
        text: String,
        /// What it comes from, shown beside the entry: deploy, feature-flag, config, note, ...
        #[arg(long, default_value = "note")]
        source: String,
        /// Its evidence: the deploy, the change (http or https).
        #[arg(long, value_name = "URL")]
        link: Option<String>,
        /// The entry's kind (trigger, detection, mitigation, ...); read from the text when left out.
        #[arg(long)]
        kind: Option<String>,
        /// Your key for the event (a deploy id): adding it again changes nothing.
        #[arg(long, value_name = "KEY")]
        id: Option<String>,
        /// With --service: how recently the draft must have been saved (1 to 10080).
        #[arg(long, value_name = "MINUTES", default_value_t = 360, value_parser = clap::value_parser!(i64).range(1..=10080))]
        window_minutes: i64,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Subcommand)]
enum HookCommand {
    /// Create a webhook; its secret is printed once, stored hashed. An Alertmanager hook takes
    /// a receiver's webhook_config at /api/v1/hooks/alertmanager/NAME; an events hook takes
    /// deploys, flag flips and notes at /api/v1/hooks/events/NAME; both with the secret as
    /// bearer credentials.
    #[command(after_help = help::HOOK_CREATE)]
    Create {
        #[command(flatten)]
        db: Database,
        /// The hook's name, which is its URL: letters, digits, `-` and `_`.
        name: String,
        /// What it receives.
        #[arg(long, default_value = "alertmanager", value_parser = ["alertmanager", "events"])]
        kind: String,
        /// The alert label that names a draft's services.
        #[arg(long, value_name = "LABEL", default_value = "service")]
        service_label: String,
        /// The alert label that gives a draft's severity.
        #[arg(long, value_name = "LABEL", default_value = "severity")]
        severity_label: String,
        /// Rename a severity label's value, as VALUE=SEVERITY (`critical=SEV1`); repeat for more.
        #[arg(long = "severity", value_name = "VALUE=SEVERITY")]
        severities: Vec<String>,
        /// An alert group heard from within this many minutes joins the draft it opened;
        /// after a longer silence it opens a new one (1 to 10080).
        #[arg(long, value_name = "MINUTES", default_value_t = 360, value_parser = clap::value_parser!(i64).range(1..=10080))]
        window_minutes: i64,
    },
    /// Revoke a hook: its deliveries are refused from then on, on every server at once.
    #[command(after_help = help::HOOK_REVOKE)]
    Revoke {
        #[command(flatten)]
        db: Database,
        /// The hook's name, as `hook list` shows it.
        name: String,
    },
    /// Every hook: name, kind, window, created, revoked. Never their secrets.
    #[command(after_help = help::HOOK_LIST)]
    List {
        #[command(flatten)]
        db: Database,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the audit trail's hash chain: an edited or deleted row is found.
    #[command(after_help = help::AUDIT_VERIFY)]
    Verify {
        #[command(flatten)]
        db: Database,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Remove a postmortem and all its revisions for good.
    #[command(after_help = help::ADMIN_PURGE)]
    Purge {
        #[command(flatten)]
        db: Database,
        /// The postmortem's id, or the start of it that only it has.
        id: String,
        /// Confirm that the history is to be destroyed.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Read postmortems in any format and show what Debrief understood.
    #[command(after_help = help::PARSE)]
    Parse {
        /// Postmortem files (Markdown, plain text, or Debrief's canonical format).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        output: Output,
    },
    /// Convert one postmortem file to the canonical Markdown form or to JSON, or write every
    /// stored postmortem as canonical Markdown into a directory (--all DIR).
    #[command(after_help = help::EXPORT)]
    Export {
        #[command(flatten)]
        db: Database,
        /// The postmortem file to convert (Markdown, text, HTML or Debrief's canonical form).
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        file: Option<PathBuf>,
        /// Write every stored postmortem into DIR (postmortems as code).
        #[arg(long, value_name = "DIR")]
        all: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Markdown)]
        to: Format,
    },
    /// Print the JSON Schema of the postmortem record (or, with --openapi, the server's
    /// OpenAPI document).
    #[command(after_help = help::SCHEMA)]
    Schema {
        /// The server's OpenAPI 3.1 document instead of the record's JSON Schema.
        #[arg(long)]
        openapi: bool,
    },
    /// Review postmortems: missing sections, inconsistent times, vague impact, blame, weak
    /// action items. Exit 0 without errors, 1 with errors, 2 on usage or IO errors.
    #[command(after_help = help::LINT)]
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
    /// Store postmortems (files and directories). Re-importing an unchanged file changes
    /// nothing; a changed one adds a revision.
    #[command(after_help = help::IMPORT)]
    Import {
        #[command(flatten)]
        db: Database,
        /// Files or directories (directories are walked for Markdown, text and HTML files).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        output: Output,
    },
    /// Turn a Slack export (its folder or .zip) into timeline entries: messages that mark a
    /// page, an acknowledgement, an escalation, a mitigation or a resolution become entries of
    /// that kind, the others hidden candidates to promote. A new draft postmortem, or --into one.
    #[command(name = "import-chat", after_help = help::IMPORT_CHAT)]
    ImportChat {
        #[command(flatten)]
        db: Database,
        /// The export: the folder Slack's export unpacks to, or its .zip.
        path: PathBuf,
        /// The channel to read (its folder in the export), with or without `#`.
        #[arg(long)]
        channel: String,
        /// Only messages from this time on: 2026-03-14T10:00:00Z, or `2026-03-14 10:00` (UTC).
        #[arg(long, value_name = "TIME")]
        from: Option<String>,
        /// Only messages up to this time.
        #[arg(long, value_name = "TIME")]
        to: Option<String>,
        /// Add to this postmortem (its id or the start of it) instead of making a new draft;
        /// messages already imported are not added again.
        #[arg(long, value_name = "ID")]
        into: Option<String>,
        /// Name authors by role (responder 1, responder 2, ...) instead of by name.
        #[arg(long)]
        anonymise: bool,
        #[command(flatten)]
        output: Output,
    },
    /// List stored postmortems, newest incident first.
    #[command(after_help = help::LIST)]
    List {
        #[command(flatten)]
        db: Database,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        output: Output,
    },
    /// Show one stored postmortem (its latest revision).
    #[command(after_help = help::SHOW)]
    Show {
        #[command(flatten)]
        db: Database,
        /// The postmortem's id, or the start of it that only it has.
        id: String,
        #[command(flatten)]
        output: Output,
    },
    /// The revisions of a stored postmortem, oldest first: number, author, time, message.
    #[command(after_help = help::REVISIONS)]
    Revisions {
        #[command(flatten)]
        db: Database,
        /// The postmortem's id, or the start of it that only it has.
        id: String,
        #[command(flatten)]
        output: Output,
    },
    /// What changed between two revisions of a stored postmortem, line by line.
    #[command(after_help = help::DIFF)]
    Diff {
        #[command(flatten)]
        db: Database,
        /// The postmortem's id, or the start of it that only it has.
        id: String,
        /// The older revision.
        from: i64,
        /// The newer revision.
        to: i64,
    },
    /// Full-text search, best match first ("quoted phrases", word*).
    #[command(after_help = help::SEARCH)]
    Search {
        #[command(flatten)]
        db: Database,
        /// Words (all must match), "quoted phrases", word* for prefixes.
        query: String,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        output: Output,
    },
    /// How the stored postmortems (or those a search finds) spread over severities, services
    /// and years, counted over the 1,000 most recently added of them at most.
    #[command(after_help = help::FACETS)]
    Facets {
        #[command(flatten)]
        db: Database,
        /// Words to find, as for `search`; without them, every postmortem the filters choose.
        query: Option<String>,
        #[command(flatten)]
        filter: MatchArgs,
        #[command(flatten)]
        output: Output,
    },
    /// Action items across all stored postmortems.
    #[command(after_help = help::ACTIONS)]
    Actions {
        #[command(flatten)]
        db: Database,
        /// Only open and in-progress items.
        #[arg(long)]
        open: bool,
        /// Only open items whose due date has passed.
        #[arg(long)]
        overdue: bool,
        /// Only this owner (@handle or name).
        #[arg(long)]
        owner: Option<String>,
        #[command(flatten)]
        output: Output,
    },
    /// Mark a postmortem deleted (a tombstone: its revisions are kept).
    #[command(after_help = help::DELETE)]
    Delete {
        #[command(flatten)]
        db: Database,
        /// The postmortem's id, or the start of it that only it has.
        id: String,
    },
    /// Bring a deleted postmortem back, as it was.
    #[command(after_help = help::UNDELETE)]
    Undelete {
        #[command(flatten)]
        db: Database,
        /// The postmortem's id, or the start of it that only it has.
        id: String,
    },
    /// Backups that prove they restore.
    Backup {
        #[command(subcommand)]
        command: BackupCommand,
    },
    /// Check the live database: integrity check plus every revision's hash.
    #[command(after_help = help::VERIFY)]
    Verify {
        #[command(flatten)]
        db: Database,
        #[command(flatten)]
        output: Output,
        /// When the search index is damaged, rebuild it from the postmortems and check again.
        #[arg(long)]
        repair: bool,
    },
    /// Run the HTTP server (JSON API, /healthz, /metrics, /api/openapi.json).
    #[command(after_help = help::SERVE)]
    Serve {
        #[command(flatten)]
        db: Database,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Behind a reverse proxy: take each client's address from the last X-Forwarded-For
        /// entry (for sign-in limits and the audit trail). Only when every request comes
        /// through the proxy.
        #[arg(long)]
        behind_proxy: bool,
        /// Load example postmortems and make a `demo` administrator with a new password
        /// (printed), to look around at once.
        #[arg(long)]
        demo: bool,
        /// Changes (POST, PUT, PATCH, DELETE) each user may make per second once a burst of 120
        /// is spent; past it the answer is 429 with Retry-After.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100_000), value_name = "N")]
        writes_per_second: u32,
    },
    /// Create the database (a SQLite file, or the tables of a PostgreSQL database) and say
    /// where it is. Other commands refuse a --database that does not exist yet.
    #[command(after_help = help::INIT)]
    Init {
        #[command(flatten)]
        db: Database,
    },
    /// Local users of the server.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Events written into a postmortem's timeline by scripts and CI jobs.
    Event {
        #[command(subcommand)]
        command: EventCommand,
    },
    /// Webhooks that write timelines (Alertmanager, events).
    Hook {
        #[command(subcommand)]
        command: HookCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Administration that destroys history.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Response metrics: when the incident started, was detected, acknowledged, escalated,
    /// mitigated and resolved, and the minutes between.
    #[command(after_help = help::METRICS)]
    Metrics {
        /// Files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The same as --format json.
        #[arg(long, hide = true)]
        json: bool,
        /// n, median, p90 and max of each duration across the files.
        #[arg(long)]
        summary: bool,
        /// Group the summary.
        #[arg(long, value_enum, requires = "summary")]
        by: Option<measure::By>,
        /// Output format: text; json (one object per file, JSON Lines; or the summary); csv
        /// (the summary only).
        #[arg(long, value_enum, default_value_t = measure::SummaryFormat::Text)]
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
        // `debrief lint DIR | head`: the reader has gone, so stop quietly with the status a
        // process ended by SIGPIPE has (128 + 13), as other command-line tools do.
        Err(e) if broken_pipe(&e) => ExitCode::from(141),
        Err(e) => {
            let hint = match e.downcast_ref::<debrief_store::StoreError>() {
                Some(debrief_store::StoreError::NotFound(m)) if m.contains("postmortem") => {
                    "; `debrief list` shows the stored postmortems and their ids"
                }
                _ => "",
            };
            eprintln!("debrief: {e:#}{hint}");
            ExitCode::from(2)
        }
    }
}

/// Whether writing failed because the reader went away, however the writer wrapped it (JSON is
/// written through serde_json, whose error keeps only the kind).
fn broken_pipe(e: &anyhow::Error) -> bool {
    let pipe = Some(std::io::ErrorKind::BrokenPipe);
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().map(std::io::Error::kind) == pipe
            || c.downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == pipe
    })
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

fn location(database: Database) -> anyhow::Result<db::Location> {
    db::parse_url(&database.url.unwrap_or_else(db::default_url)).map_err(|e| anyhow::anyhow!(e))
}

/// Opens the store the URL names and runs one command on it. A SQLite file named with
/// `--database` must exist (a mistyped path is an error, not a new empty database) unless
/// `--create` says to make it; the default database is made when first used.
fn store_command<F>(database: Database, f: F) -> anyhow::Result<ExitCode>
where
    F: AsyncFnOnce(&dyn debrief_store::Store, db::Location) -> anyhow::Result<u8>,
{
    let may_create = database.create || database.url.is_none();
    let loc = location(database)?;
    let rt = runtime()?;
    let code = rt.block_on(async {
        let store = if may_create {
            db::open(&loc).await?
        } else {
            db::open_existing(&loc).await?
        };
        let result = f(store.as_ref(), loc).await;
        store.close().await?;
        result
    })?;
    Ok(ExitCode::from(code))
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let database = cli.database.clone().or(cli.command.database());
    match cli.command {
        Command::Parse { files, output } => {
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
                let parsed = debrief_core::parse_named(&doc.text, &path.to_string_lossy());
                let mut notes = parsed.notes.clone();
                if let Some(w) = &doc.warning {
                    notes.insert(0, debrief_core::Note::new("input-decoding", 0, w.clone()));
                }
                let parsed = debrief_core::Parsed { notes, ..parsed };
                let name = path.display().to_string();
                if output.json() {
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
        Command::Export { all: Some(dir), .. } => store_command(database, async move |store, _| {
            library::export_all(store, &dir, &mut std::io::stdout().lock()).await
        }),
        Command::Export { file, to, .. } => {
            let file = file.unwrap_or_default();
            let doc = input::read(&file)?;
            if let Some(w) = &doc.warning {
                eprintln!("debrief: {w}");
            }
            let parsed = debrief_core::parse_named(&doc.text, &file.to_string_lossy());
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
        Command::Schema { openapi: true } => {
            out.write_all(debrief_server::openapi::pretty().as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { openapi: false } => {
            out.write_all(export::json_schema().as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { paths, output, .. } => {
            store_command(database, async move |store, loc| {
                library::import(
                    store,
                    &loc,
                    &paths,
                    output.json(),
                    &mut std::io::stdout().lock(),
                )
                .await
            })
        }
        Command::ImportChat {
            path,
            channel,
            from,
            to,
            into,
            anonymise,
            output,
            ..
        } => store_command(database, async move |store, _| {
            chat::import_chat(
                store,
                chat::Request {
                    path: &path,
                    channel: &channel,
                    from: from.as_deref(),
                    to: to.as_deref(),
                    into: into.as_deref(),
                    anonymise,
                },
                output.json(),
                &mut std::io::stdout().lock(),
            )
            .await
        }),
        Command::List { filter, output, .. } => {
            let f = filter.filter()?;
            store_command(database, async move |store, _| {
                library::list(store, &f, output.json(), &mut std::io::stdout().lock()).await
            })
        }
        Command::Show { id, output, .. } => store_command(database, async move |store, _| {
            library::show(store, &id, output.json(), &mut std::io::stdout().lock()).await
        }),
        Command::Search {
            query,
            filter,
            output,
            ..
        } => {
            let f = filter.filter()?;
            store_command(database, async move |store, _| {
                library::search(
                    store,
                    &query,
                    &f,
                    output.json(),
                    &mut std::io::stdout().lock(),
                )
                .await
            })
        }
        Command::Facets {
            query,
            filter,
            output,
            ..
        } => {
            let f = filter.filter()?;
            store_command(database, async move |store, _| {
                library::facets(
                    store,
                    query.as_deref(),
                    &f,
                    output.json(),
                    &mut std::io::stdout().lock(),
                )
                .await
            })
        }
        Command::Actions {
            open,
            overdue,
            owner,
            output,
            ..
        } => {
            let f = debrief_store::ActionFilter {
                open,
                overdue,
                owner,
                today: debrief_store::today(),
                ..debrief_store::ActionFilter::default()
            };
            store_command(database, async move |store, _| {
                library::actions(store, &f, output.json(), &mut std::io::stdout().lock()).await
            })
        }
        Command::Delete { id, .. } => store_command(database, async move |store, _| {
            let id = store.resolve_id(&id).await?;
            store.delete(&id, &library::author()).await?;
            println!(
                "{id} deleted (its revisions are kept; `debrief admin purge {id} --yes` removes them)"
            );
            Ok(0)
        }),
        Command::Undelete { id, .. } => store_command(database, async move |store, _| {
            let id = store.resolve_id(&id).await?;
            store.undelete(&id).await?;
            println!("{id} is back, as it was when it was deleted");
            Ok(0)
        }),
        Command::Admin {
            command: AdminCommand::Purge { id, yes, .. },
        } => {
            if !yes {
                anyhow::bail!(
                    "purging destroys {id} and every revision of it; add --yes to confirm"
                );
            }
            store_command(database, async move |store, _| {
                let id = store.resolve_id(&id).await?;
                store.purge(&id).await?;
                println!("{id} purged");
                Ok(0)
            })
        }
        Command::Backup {
            command: BackupCommand::Create { file, .. },
        } => store_command(database, async move |store, loc| {
            library::backup_create(store, &loc, &file, &mut std::io::stdout().lock()).await
        }),
        Command::Backup {
            command: BackupCommand::Drill { file, into, .. },
        } => {
            let live = location(database)?;
            let code = runtime()?.block_on(library::backup_drill(
                &file,
                into.as_deref(),
                &live,
                &mut std::io::stdout().lock(),
            ))?;
            Ok(ExitCode::from(code))
        }
        Command::Serve {
            bind,
            behind_proxy,
            demo,
            writes_per_second,
            ..
        } => {
            tracing_subscriber::fmt()
                .with_writer(std::io::stderr)
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                .init();
            let may_create = demo || database.create || database.url.is_none();
            let loc = location(database)?;
            let code = runtime()?.block_on(async {
                let store = if may_create {
                    db::open(&loc).await?
                } else {
                    db::open_existing(&loc).await?
                };
                let limits = debrief_server::Limits {
                    behind_proxy,
                    write_refill: std::time::Duration::from_secs_f64(
                        1.0 / f64::from(writes_per_second),
                    ),
                    ..debrief_server::Limits::default()
                };
                admin::serve(store, &bind, limits, demo, &mut std::io::stdout()).await
            })?;
            Ok(ExitCode::from(code))
        }
        Command::User {
            command:
                UserCommand::Add {
                    name,
                    role,
                    password_file,
                    ..
                },
        } => store_command(database, async move |store, _| {
            admin::user_add(
                store,
                &name,
                &role,
                password_file.as_deref(),
                &mut std::io::stdout().lock(),
            )
            .await
        }),
        Command::Token {
            command:
                TokenCommand::Create {
                    user,
                    label,
                    expires_days,
                    ..
                },
        } => store_command(database, async move |store, _| {
            admin::token_create(
                store,
                &user,
                &label,
                expires_days,
                &mut std::io::stdout().lock(),
            )
            .await
        }),
        Command::Token {
            command: TokenCommand::Revoke { user, token, .. },
        } => store_command(database, async move |store, _| {
            let out = &mut std::io::stdout().lock();
            match (user, token) {
                (_, Some(token)) => admin::token_revoke_one(store, &token, out).await,
                (Some(user), None) => admin::token_revoke(store, &user, out).await,
                (None, None) => unreachable!("clap requires --user or --token"),
            }
        }),
        Command::Token {
            command: TokenCommand::List { output, .. },
        } => store_command(database, async move |store, _| {
            admin::token_list(store, output.json(), &mut std::io::stdout().lock()).await
        }),
        Command::Hook {
            command:
                HookCommand::Create {
                    name,
                    kind,
                    window_minutes,
                    service_label,
                    severity_label,
                    severities,
                    ..
                },
        } => store_command(database, async move |store, _| {
            let mut mapping = debrief_store::HookMapping {
                service_label,
                severity_label,
                ..Default::default()
            };
            for pair in &severities {
                let Some((from, to)) = pair
                    .split_once('=')
                    .filter(|(f, t)| !f.is_empty() && !t.is_empty())
                else {
                    anyhow::bail!(
                        "--severity {pair}: write it as VALUE=SEVERITY, such as critical=SEV1"
                    );
                };
                mapping.severities.insert(from.to_string(), to.to_string());
            }
            admin::hook_create(
                store,
                &name,
                &kind,
                window_minutes,
                mapping,
                &mut std::io::stdout().lock(),
            )
            .await
        }),
        Command::Event {
            command:
                EventCommand::Add {
                    postmortem,
                    service,
                    at,
                    text,
                    source,
                    link,
                    kind,
                    id,
                    window_minutes,
                    output,
                    ..
                },
        } => store_command(database, async move |store, _| {
            let event = admin::EventArgs {
                postmortem: postmortem.as_deref(),
                service: service.as_deref(),
                at: at.as_deref(),
                text: &text,
                source: &source,
                link,
                kind: kind.as_deref(),
                id,
                window_minutes,
            };
            admin::event_add(store, event, output.json(), &mut std::io::stdout().lock()).await
        }),
        Command::Hook {
            command: HookCommand::Revoke { name, .. },
        } => store_command(database, async move |store, _| {
            admin::hook_revoke(store, &name, &mut std::io::stdout().lock()).await
        }),
        Command::Hook {
            command: HookCommand::List { output, .. },
        } => store_command(database, async move |store, _| {
            admin::hook_list(store, output.json(), &mut std::io::stdout().lock()).await
        }),
        Command::User {
            command: UserCommand::Remove { name, .. },
        } => store_command(database, async move |store, _| {
            admin::user_remove(store, &name, &mut std::io::stdout().lock()).await
        }),
        Command::User {
            command:
                UserCommand::Passwd {
                    name,
                    password_file,
                    ..
                },
        } => store_command(database, async move |store, _| {
            admin::user_passwd(
                store,
                &name,
                password_file.as_deref(),
                &mut std::io::stdout().lock(),
            )
            .await
        }),
        Command::User {
            command: UserCommand::List { output, .. },
        } => store_command(database, async move |store, _| {
            admin::user_list(store, output.json(), &mut std::io::stdout().lock()).await
        }),
        Command::Revisions { id, output, .. } => store_command(database, async move |store, _| {
            library::revisions(store, &id, output.json(), &mut std::io::stdout().lock()).await
        }),
        Command::Diff { id, from, to, .. } => store_command(database, async move |store, _| {
            library::diff(store, &id, from, to, &mut std::io::stdout().lock()).await
        }),
        Command::Audit {
            command: AuditCommand::Verify { .. },
        } => store_command(database, async move |store, _| {
            admin::audit_verify(store, &mut std::io::stdout().lock()).await
        }),
        Command::Init { .. } => {
            let loc = location(database)?;
            let existed = matches!(&loc, db::Location::Sqlite(p) if p.exists());
            runtime()?.block_on(async {
                let store = db::open(&loc).await?;
                store.close().await?;
                anyhow::Ok(())
            })?;
            writeln!(
                out,
                "{} {}",
                if existed { "ready:" } else { "created" },
                loc.shown()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify { output, repair, .. } => {
            let loc = location(database)?;
            let code = runtime()?.block_on(library::verify(
                &loc,
                output.json(),
                repair,
                &mut std::io::stdout().lock(),
            ))?;
            Ok(ExitCode::from(code))
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
            if !summary && format == measure::SummaryFormat::Csv {
                anyhow::bail!("--format csv is for --summary; per file, use text or json");
            }
            let format = if json {
                measure::SummaryFormat::Json
            } else {
                format
            };
            let opts = measure::Options {
                json: format == measure::SummaryFormat::Json,
                summary,
                by,
                format,
            };
            Ok(ExitCode::from(measure::run(&paths, &opts, &mut out)?))
        }
    }
}
