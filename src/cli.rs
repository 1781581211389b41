//! The command line: clap types only. Doc comments are the help text.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::model::Month;
use crate::render::Format;
use crate::render::statement::StatementFormat;

/// A support ledger over plain files: contracts, time log, approved overage
/// and the monthly invoice figures.
#[derive(Debug, Parser)]
#[command(
    name = "supportctl",
    version,
    about,
    long_about = None,
    propagate_version = true,
    after_help = "\
Examples:
  # A new ledger; then describe a customer in contracts/example.toml
  supportctl init support-ledger
  # Record 45 minutes of work on a ticket
  supportctl log brandt-logistik 45m Fixed the page tree macro --ticket SD-1432
  # Where every contract stands this month
  supportctl status
  # Last month's invoice figures
  supportctl report --month last

Each command explains itself: supportctl help <command>."
)]
pub struct Cli {
    /// The ledger folder [default: $SUPPORTCTL_LEDGER, else the nearest
    /// folder upwards with a supportctl.toml, else the per-user data folder]
    #[arg(long, global = true, value_name = "DIR")]
    pub ledger: Option<PathBuf>,

    /// Tables with every column, however wide the terminal (output to a pipe
    /// or a file always has them)
    #[arg(long, global = true)]
    pub wide: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a ledger in DIR (default: the current folder); never overwrites a file
    ///
    /// Writes supportctl.toml (settings and the price list), an example
    /// contract, an empty time-log folder, approvals.csv, tickets.csv and a
    /// .gitattributes that lets git merge appends from two machines.
    #[command(after_help = "\
Examples:
  supportctl init support-ledger
  supportctl init                  # in the current folder")]
    Init {
        /// Where to create the ledger
        dir: Option<PathBuf>,
    },
    /// List the contracts with their terms for a month
    ///
    /// Each contract with the tier, hours, rates, VAT, rounding and fee in
    /// force in the month, and when it is active. In a narrow terminal the
    /// least needed columns are left out; --wide shows them all.
    #[command(after_help = "\
Examples:
  supportctl contracts
  supportctl contracts --month 2026-10")]
    Contracts {
        /// YYYY-MM, current or last
        #[arg(long, value_parser = parse_month_arg, default_value = "current")]
        month: MonthArg,
    },
    /// The month computation: quota, used, forfeited, overage and invoice amounts
    ///
    /// Per contract: the hours used against the quota, what is forfeited, the
    /// overage and how much of it the customer approved, and the amounts to
    /// invoice (fee, overage amount, net, VAT, gross), with a totals row.
    /// Overage that is not approved is not invoiced: it is marked ⚠ and
    /// repeated as a warning.
    ///
    /// The table fits the terminal (--wide shows every column); CSV and JSON
    /// are for programs and never change with the terminal or the locale.
    #[command(after_help = "\
Examples:
  # This month so far
  supportctl report
  # Last month's figures for accounting, one row per contract
  supportctl report --month last --format csv > report.csv
  # One contract as Markdown, for a wiki page or an e-mail
  supportctl report --month 2026-10 --contract alpen-kliniken --format markdown
  # The year so far: each month's use, overage and invoice, with sums
  supportctl report --year 2026")]
    Report {
        /// YYYY-MM, current or last
        #[arg(long, value_parser = parse_month_arg, default_value = "current")]
        month: MonthArg,
        /// A whole year instead (YYYY): every month up to the current one, per contract, with sums
        #[arg(long, value_name = "YYYY", value_parser = parse_year_arg, conflicts_with = "month")]
        year: Option<i32>,
        /// Only these contracts (repeatable)
        #[arg(long = "contract", value_name = "ID")]
        contracts: Vec<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Read every file of the ledger and list every problem (exit 1 if any)
    ///
    /// Each problem names the file and line (and column) and says what was
    /// found and what was expected. Warnings (a fee below the minimum, more
    /// approved than used) do not change the exit status.
    #[command(after_help = "\
Examples:
  supportctl check")]
    Check,
    /// Record work: append one entry to timelog/<YYYY-MM>.csv
    ///
    /// Then shows the contract's usage of the month, and warns when the work
    /// goes beyond the quota without an approval.
    #[command(after_help = "\
Durations: 45m, 2h, 1h30m, 1:30, 1.5h or whole minutes (90).

Examples:
  supportctl log brandt-logistik 45m Fixed the page tree macro --ticket SD-1432
  supportctl log alpen-kliniken 20m Call about permissions --date yesterday
  # Work beyond the package: counted, and shown on its own
  supportctl log hansa-versicherung 1h30m Data Center upgrade --kind escalation")]
    Log {
        /// Contract id (contracts/<id>.toml)
        contract: String,
        /// Time spent: 45m, 2h, 1h30m, 1:30, 1.5h or minutes
        #[arg(value_parser = parse_duration_arg)]
        duration: u64,
        /// What was done (the words are joined with spaces)
        note: Vec<String>,
        /// Day of the work: YYYY-MM-DD, today or yesterday
        #[arg(long, value_parser = parse_day_arg, default_value = "today")]
        date: DayArg,
        /// Service-desk key, e.g. SD-1234
        #[arg(long, value_parser = parse_text_arg)]
        ticket: Option<String>,
        /// Kind of work
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// Support level
        #[arg(long, value_parser = ["2", "3"])]
        level: Option<String>,
        /// How the request came in
        #[arg(long, value_parser = ["desk", "email", "phone"])]
        channel: Option<String>,
        /// Who did it (default: $SUPPORTCTL_ENGINEER, `engineer` in the user config, the OS user)
        #[arg(long, value_parser = parse_text_arg)]
        engineer: Option<String>,
        /// Print nothing on success
        #[arg(long, short)]
        quiet: bool,
    },
    /// Record overage the customer agreed to (appends to approvals.csv)
    ///
    /// Only approved overage is invoiced. Approvals of the same contract and
    /// month add up. A closed month's approvals are final.
    #[command(after_help = "\
Examples:
  supportctl approve brandt-logistik 1:40 --month current --ref \"J. Brandt\"
  supportctl approve nordwind-energie 2h --month 2026-11 --ref SD-1264")]
    Approve {
        /// Contract id
        contract: String,
        /// Agreed overage: 45m, 2h, 1h30m, 1:30, 1.5h or minutes
        #[arg(value_parser = parse_duration_arg)]
        duration: u64,
        /// Month the overage is for: YYYY-MM, current or last
        #[arg(long, value_parser = parse_month_arg)]
        month: MonthArg,
        /// Where the agreement is documented (ticket, e-mail)
        #[arg(long = "ref", value_name = "TEXT", value_parser = parse_text_arg)]
        reference: String,
        /// Day the customer agreed: YYYY-MM-DD, today or yesterday
        #[arg(long, value_parser = parse_day_arg, default_value = "today")]
        date: DayArg,
        /// Free text
        #[arg(long, value_parser = parse_text_arg)]
        note: Option<String>,
        /// Print nothing on success
        #[arg(long, short)]
        quiet: bool,
    },
    /// Every active contract's usage for a month, most urgent first
    ///
    /// One line per contract with a usage bar: unapproved overage first, then
    /// by the share of the quota used.
    #[command(after_help = "\
Examples:
  supportctl status
  supportctl status --month last")]
    Status {
        /// YYYY-MM, current or last
        #[arg(long, value_parser = parse_month_arg, default_value = "current")]
        month: MonthArg,
    },
    /// Record a ticket event: open, respond, resolve, escalate, reopen
    ///
    /// Events go to tickets.csv and drive the response guarantee (48 hours by
    /// default, on the calendar or the business clock) and the resolution
    /// target that `supportctl tickets` and `supportctl sla` report on.
    #[command(after_help = "\
Examples:
  supportctl ticket open SD-1280 --contract alpen-kliniken
  supportctl ticket respond SD-1270 --note \"Called back, workaround given\"
  supportctl ticket resolve SD-1267")]
    Ticket {
        #[command(subcommand)]
        action: TicketAction,
    },
    /// Tickets received in a month, or every open ticket, most urgent first
    ///
    /// With the response deadline, the time left or how late the answer was,
    /// and whether the ticket was resolved within its target.
    #[command(after_help = "\
Examples:
  supportctl tickets --open
  supportctl tickets --month last --contract alpen-kliniken")]
    Tickets {
        /// Every open ticket of any month
        #[arg(long)]
        open: bool,
        /// YYYY-MM, current or last
        #[arg(long, value_parser = parse_month_arg, default_value = "current")]
        month: MonthArg,
        /// Only this contract
        #[arg(long, value_name = "ID")]
        contract: Option<String>,
    },
    /// The month's SLA report: response times, breaches, resolution, escalations
    ///
    /// Per contract: tickets received, answered in time, breached and open,
    /// the median and longest response, and the share resolved in target;
    /// then every breach and every escalation.
    #[command(after_help = "\
Examples:
  supportctl sla --month last
  supportctl sla --month 2026-11 --format markdown > sla-2026-11.md")]
    Sla {
        /// YYYY-MM, current or last
        #[arg(long, value_parser = parse_month_arg, default_value = "current")]
        month: MonthArg,
        /// Only this contract
        #[arg(long, value_name = "ID")]
        contract: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Close a month: fix its figures for invoicing; later changes need a correction
    ///
    /// Writes closings/YYYY-MM.toml with the terms, every figure and a digest
    /// of the month's rows, and prints the closing's SHA-256 for your books.
    /// From then on `log` and `approve` refuse the month, `verify` and `check`
    /// name every later change, and mistakes are fixed with `correct`.
    /// Refused (nothing written) before the month is over, when it is closed
    /// already, when the ledger has errors, and when a contract has overage
    /// the customer has not approved: approve it, or pass --write-off.
    #[command(after_help = "\
Examples:
  # At the start of December: close November (refused while a contract has
  # overage nobody approved; --write-off records it as never invoiced)
  supportctl close --month last --write-off
  supportctl close --month 2026-11 --write-off --engineer anna")]
    Close {
        /// The month to close: YYYY-MM, current or last (it must be over)
        #[arg(long, value_parser = parse_month_arg)]
        month: MonthArg,
        /// Record unapproved overage as written off (never invoiced) instead of refusing
        #[arg(long)]
        write_off: bool,
        /// Who closes it (default: $SUPPORTCTL_ENGINEER, `engineer` in the user config, the OS user)
        #[arg(long, value_parser = parse_text_arg)]
        engineer: Option<String>,
    },
    /// Check closed months against the files they were made from (exit 1 on any difference)
    ///
    /// For each closing: the terms key by key, the row counts and digests of
    /// the time log, approvals and corrections, and every figure, as the
    /// files give them now; and the chain of closings, which shows a closing
    /// edited or deleted. A row that arrived after the closing (a colleague's
    /// entry merged later) is named with its line and the `correct` command
    /// that records it properly. `check` runs the same verification.
    #[command(after_help = "\
Examples:
  supportctl verify
  supportctl verify --month 2026-10")]
    Verify {
        /// Only this closed month: YYYY-MM, current or last
        #[arg(long, value_parser = parse_month_arg)]
        month: Option<MonthArg>,
    },
    /// Correct a closed month: add (or with a minus, take away) billed time, billed in an open month
    ///
    /// Appends a row to corrections.csv. The closed month's figures never
    /// change: the money the correction adds or takes away is billed (or
    /// credited) in the month it is recorded in, at the VAT rate of the month
    /// it corrects. Time beyond the closed month's approvals is not billed.
    #[command(after_help = "\
Durations: 45m, 2h, 1h30m, 1:30, 1.5h or whole minutes; -1h30m takes time away.

Examples:
  # A call on 30 October that nobody logged before October was closed
  supportctl correct nordwind-energie 25m --month 2026-10 --reason \"Call 30 Oct\"
  # An entry booked twice: taken away, credited in this month's invoice
  supportctl correct hansa-versicherung -45m --month 2026-10 --reason Duplicate")]
    Correct {
        /// Contract id
        contract: String,
        /// Billed time to add, or with a leading minus to take away: 45m, -1h30m, 90, -90
        #[arg(value_parser = parse_signed_duration_arg, allow_hyphen_values = true)]
        duration: i64,
        /// The closed month corrected: YYYY-MM or last
        #[arg(long, value_parser = parse_month_arg)]
        month: MonthArg,
        /// Why: the forgotten call, the entry booked to the wrong customer
        #[arg(long, value_parser = parse_text_arg)]
        reason: String,
        /// The day it is recorded, in an open month after the corrected one: YYYY-MM-DD, today or yesterday
        #[arg(long, value_parser = parse_day_arg, default_value = "today")]
        date: DayArg,
        /// Service-desk key, e.g. SD-1234
        #[arg(long, value_parser = parse_text_arg)]
        ticket: Option<String>,
        /// Who records it (default: $SUPPORTCTL_ENGINEER, `engineer` in the user config, the OS user)
        #[arg(long, value_parser = parse_text_arg)]
        engineer: Option<String>,
        /// Print nothing on success
        #[arg(long, short)]
        quiet: bool,
    },
    /// Write the e-invoices of a closed month (XRechnung, UN/CEFACT CII XML)
    ///
    /// One invoice per contract of the month's closing, from its fixed
    /// figures: the package fee, the approved overage and each corrected
    /// month, VAT per rate, SEPA credit transfer to the seller's IBAN. Numbers
    /// come from the register invoices.csv: prefix, issue year and a gapless
    /// sequence. Running it again issues no new number: it writes a missing
    /// file again and reports one that changed. A total below zero is a
    /// credit note. Every missing or malformed seller or buyer field is
    /// listed at once, and nothing is written.
    #[command(after_help = "\
Examples:
  supportctl invoice --month 2026-10
  supportctl invoice --month 2026-10 --contract hansa-versicherung
  supportctl invoice --month last --date 2026-11-30 --output invoices")]
    Invoice {
        /// The closed month: YYYY-MM or last
        #[arg(long, value_parser = parse_month_arg)]
        month: MonthArg,
        /// Only these contracts (repeatable)
        #[arg(long = "contract", value_name = "ID")]
        contracts: Vec<String>,
        /// Issue date of new invoices: YYYY-MM-DD, today or yesterday (default: today)
        #[arg(long, value_parser = parse_day_arg)]
        date: Option<DayArg>,
        /// Where new invoices are written (default: invoices/ in the ledger)
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Print a shell completion script
    #[command(after_help = "\
Examples:
  # Bash: then add `source /path/to/supportctl.bash` to ~/.bashrc
  supportctl completions bash > supportctl.bash
  # Zsh: put _supportctl into a folder of $fpath
  supportctl completions zsh > _supportctl")]
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    #[command(after_help = "\
Examples:
  supportctl man > supportctl.1
  man ./supportctl.1")]
    Man,
    /// A customer statement of a month's work: an HTML page with a usage chart, or Markdown or CSV
    ///
    /// For the customer, with the invoice: the month's entries with the
    /// minutes worked and billed, subtotals per ticket, escalations with
    /// their estimates, approvals, corrections, the 48-hour figures, the time
    /// forfeited and the invoice summary, with a chart of the twelve months
    /// up to it against the quota. The HTML page is one self-contained file
    /// (inline CSS and SVG, nothing fetched) that prints on A4. The language
    /// follows `locale` in supportctl.toml ("en" or "de").
    #[command(after_help = "\
Examples:
  supportctl statement --contract brandt-logistik --month last --output b.html
  supportctl statement --contract nordwind-energie --format markdown
  # Every contract of the month, one file each
  supportctl statement --all --month last --output statements/")]
    Statement {
        /// The contract
        #[arg(long, value_name = "ID", required_unless_present = "all", conflicts_with = "all")]
        contract: Option<String>,
        /// Every contract of the month, one file each into the folder --output names
        /// (statement-YYYY-MM-ID.html, .md or .csv)
        #[arg(long, requires = "output")]
        all: bool,
        /// YYYY-MM, current or last
        #[arg(long, value_parser = parse_month_arg, default_value = "current")]
        month: MonthArg,
        /// Output format
        #[arg(long, value_enum, default_value_t = StatementFormat::Html)]
        format: StatementFormat,
        /// Write to this file (with --all: this folder) instead of stdout; an existing file is replaced
        #[arg(long, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Import worklogs from a Jira or Tempo export (a dry run unless --apply)
    ///
    /// The export is a JSON array of worklogs, an object with a "worklogs"
    /// array, or one worklog per line. Each worklog goes to the contract whose
    /// jira_projects lists its issue's project, as one time-log row with an id
    /// made from the worklog's own id: importing the same file again adds
    /// nothing.
    #[command(after_help = "\
Examples:
  # What would be added, per contract and month, and what cannot be imported
  # (Jira's worklogs carry only an issue id: their keys come from a CSV id,key)
  supportctl import jira-worklogs exports/jira.jsonl --issues exports/issues.csv
  # Tempo's export, written at once (without --apply nothing is written)
  supportctl import tempo exports/tempo.json --apply")]
    Import {
        /// What the file holds: Jira REST v2/v3 worklogs, or Tempo Timesheets Server worklogs
        #[arg(value_enum)]
        format: ImportFormat,
        /// The exported worklogs (JSON)
        file: PathBuf,
        /// Write the rows; without it nothing is written
        #[arg(long)]
        apply: bool,
        /// CSV with the columns id,key: the issue keys of worklogs that carry only an issueId
        #[arg(long, value_name = "FILE")]
        issues: Option<PathBuf>,
    },
    /// Which tier would have suited each contract: every tier costed on the actual usage
    ///
    /// For each contract, over the last complete months in which it was
    /// active: what every tier of the price list would have cost on the time
    /// actually used (the fee plus the time over the quota at the tier's
    /// hourly rate, net), and how much time it would have forfeited. The
    /// current terms are marked; the cheapest tier is named with the saving.
    #[command(after_help = "\
Examples:
  supportctl advise
  supportctl advise --contract nordwind-energie --months 6
  supportctl advise --format json")]
    Advise {
        /// Only this contract
        #[arg(long, value_name = "ID")]
        contract: Option<String>,
        /// How many complete months, ending with last month
        #[arg(long, value_name = "N", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=120))]
        months: u32,
        /// Output format
        #[arg(long, value_enum, default_value_t = crate::render::advise::AdviseFormat::Table)]
        format: crate::render::advise::AdviseFormat,
    },
}

/// FORMAT of `import`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    /// Jira REST API v2 or v3 worklog objects
    JiraWorklogs,
    /// Tempo Timesheets Server REST v3 worklogs
    Tempo,
}

impl ImportFormat {
    pub fn source(self) -> crate::model::worklog::Source {
        match self {
            ImportFormat::JiraWorklogs => crate::model::worklog::Source::JiraWorklogs,
            ImportFormat::Tempo => crate::model::worklog::Source::Tempo,
        }
    }
}

/// What happened to a ticket.
#[derive(Debug, Subcommand)]
pub enum TicketAction {
    /// A request came in (starts the response clock)
    #[command(after_help = "\
Examples:
  supportctl ticket open SD-1280 --contract alpen-kliniken
  supportctl ticket open SD-1281 --contract nordwind-energie --note \"By phone\"")]
    Open {
        /// Service-desk key, e.g. SD-1234
        #[arg(value_parser = parse_text_arg)]
        ticket: String,
        /// Contract id
        #[arg(long)]
        contract: String,
        #[command(flatten)]
        common: EventArgs,
    },
    /// First (or further) response to the customer
    #[command(after_help = "\
Examples:
  supportctl ticket respond SD-1270
  supportctl ticket respond SD-1270 --at \"2026-11-27 09:55\" --note \"Called back\"")]
    Respond {
        /// Service-desk key, e.g. SD-1234
        #[arg(value_parser = parse_text_arg)]
        ticket: String,
        #[command(flatten)]
        common: EventArgs,
    },
    /// The request is solved
    #[command(after_help = "\
Examples:
  supportctl ticket resolve SD-1267 --note \"Fixed by the 8.5.3 update\"")]
    Resolve {
        /// Service-desk key, e.g. SD-1234
        #[arg(value_parser = parse_text_arg)]
        ticket: String,
        #[command(flatten)]
        common: EventArgs,
    },
    /// Beyond the package: escalated to the customer, optionally with an estimate
    ///
    /// An escalated ticket is no longer judged against the resolution target;
    /// time logged on it is shown against the estimate.
    #[command(after_help = "\
Examples:
  supportctl ticket escalate SD-1270 --estimate 12h --note \"Migration project\"")]
    Escalate {
        /// Service-desk key, e.g. SD-1234
        #[arg(value_parser = parse_text_arg)]
        ticket: String,
        /// Estimated effort: 12h, 1h30m, 90m, …
        #[arg(long, value_parser = parse_duration_arg)]
        estimate: Option<u64>,
        #[command(flatten)]
        common: EventArgs,
    },
    /// A resolved or escalated ticket is open again
    #[command(after_help = "\
Examples:
  supportctl ticket reopen SD-1243 --note \"The macro fails again\"")]
    Reopen {
        /// Service-desk key, e.g. SD-1234
        #[arg(value_parser = parse_text_arg)]
        ticket: String,
        #[command(flatten)]
        common: EventArgs,
    },
}

/// Options of every ticket event.
#[derive(Debug, clap::Args)]
pub struct EventArgs {
    /// When: RFC 3339 or local `YYYY-MM-DD HH:MM` in the ledger's time zone (default: now)
    #[arg(long)]
    pub at: Option<String>,
    /// Free text
    #[arg(long, value_parser = parse_text_arg)]
    pub note: Option<String>,
    /// Print nothing on success
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--kind` of `log`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    Support,
    Escalation,
    Nonbillable,
}

impl KindArg {
    pub fn as_str(self) -> &'static str {
        match self {
            KindArg::Support => "support",
            KindArg::Escalation => "escalation",
            KindArg::Nonbillable => "nonbillable",
        }
    }
}

/// A `--date` value before the clock is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayArg {
    Date(NaiveDate),
    Today,
    Yesterday,
}

impl DayArg {
    pub fn resolve(self, today: NaiveDate) -> NaiveDate {
        match self {
            DayArg::Date(d) => d,
            DayArg::Today => today,
            DayArg::Yesterday => today.pred_opt().unwrap_or(today),
        }
    }
}

pub fn parse_day_arg(s: &str) -> Result<DayArg, String> {
    match s {
        "today" => Ok(DayArg::Today),
        "yesterday" => Ok(DayArg::Yesterday),
        _ => crate::model::parse_date(s)
            .map(DayArg::Date)
            .ok_or_else(|| format!("\"{s}\" is not a date: use YYYY-MM-DD (e.g. 2026-11-27), today or yesterday")),
    }
}

/// A year: four digits.
pub fn parse_year_arg(s: &str) -> Result<i32, String> {
    match s.parse::<i32>() {
        Ok(y) if s.len() == 4 && (1000..=9999).contains(&y) => Ok(y),
        _ => Err(format!("\"{s}\" is not a year: use four digits, e.g. 2026")),
    }
}

pub fn parse_duration_arg(s: &str) -> Result<u64, String> {
    crate::model::amount::parse_duration(s)
}

/// A duration with an optional leading `-` (time taken away) or `+`.
pub fn parse_signed_duration_arg(s: &str) -> Result<i64, String> {
    let (sign, rest) = match s.as_bytes().first() {
        Some(b'-') => (-1, &s[1..]),
        Some(b'+') => (1, &s[1..]),
        _ => (1, s),
    };
    let minutes = crate::model::amount::parse_duration(rest)
        .map_err(|e| e.replace(&format!("\"{rest}\""), &format!("\"{s}\"")))?;
    Ok(sign * i64::try_from(minutes).map_err(|_| format!("\"{s}\" is too long"))?)
}

/// Free text for a CSV cell: no line breaks or other control characters.
pub fn parse_text_arg(s: &str) -> Result<String, String> {
    if let Some(c) = s.chars().find(|c| c.is_control()) {
        return Err(format!("contains a control character ({:?}); line breaks and tabs are not allowed", c));
    }
    if s.trim().is_empty() {
        return Err("is empty".into());
    }
    if s.len() > crate::read::table::MAX_FIELD_BYTES {
        return Err(format!("is longer than {} bytes", crate::read::table::MAX_FIELD_BYTES));
    }
    Ok(s.to_string())
}

/// A `--month` value before the clock is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MonthArg {
    Month(Month),
    Current,
    Last,
}

impl MonthArg {
    /// The month meant, given today's month.
    pub fn resolve(self, today: Month) -> Month {
        match self {
            MonthArg::Month(m) => m,
            MonthArg::Current => today,
            MonthArg::Last => today.prev(),
        }
    }
}

pub fn parse_month_arg(s: &str) -> Result<MonthArg, String> {
    match s {
        "current" => Ok(MonthArg::Current),
        "last" => Ok(MonthArg::Last),
        _ => s
            .parse()
            .map(MonthArg::Month)
            .map_err(|()| format!("\"{s}\" is not a month: use YYYY-MM (e.g. 2026-11), current or last")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn month_args() {
        let nov: Month = "2026-11".parse().unwrap();
        assert_eq!(parse_month_arg("last").unwrap().resolve(nov).to_string(), "2026-10");
        assert_eq!(parse_month_arg("current").unwrap().resolve(nov), nov);
        assert!(parse_month_arg("2026-13").is_err());
        assert!(parse_month_arg("Nov").is_err());
    }

    #[test]
    fn signed_durations() {
        assert_eq!(parse_signed_duration_arg("-1h30m"), Ok(-90));
        assert_eq!(parse_signed_duration_arg("+45m"), Ok(45));
        assert_eq!(parse_signed_duration_arg("90"), Ok(90));
        assert_eq!(parse_signed_duration_arg("-1:05"), Ok(-65));
        for bad in ["-", "--30m", "-0", "- 30m", "-1,5h"] {
            assert!(parse_signed_duration_arg(bad).is_err(), "{bad}");
        }
        assert!(parse_signed_duration_arg("-1.01h").unwrap_err().contains("\"-1.01h\""));
    }

    #[test]
    fn a_negative_duration_is_a_value_not_a_flag() {
        let cli =
            Cli::try_parse_from(["supportctl", "correct", "acme", "-1h30m", "--month", "2026-10", "--reason", "x"])
                .unwrap();
        let Command::Correct { duration, .. } = cli.command else { panic!("not correct") };
        assert_eq!(duration, -90);
        let cli = Cli::try_parse_from(["supportctl", "correct", "acme", "--month", "2026-10", "-30", "--reason", "x"])
            .unwrap();
        let Command::Correct { duration, .. } = cli.command else { panic!("not correct") };
        assert_eq!(duration, -30);
    }

    #[test]
    fn day_and_text_args() {
        let d = crate::model::parse_date("2026-03-01").unwrap();
        assert_eq!(parse_day_arg("yesterday").unwrap().resolve(d).to_string(), "2026-02-28");
        assert!(parse_day_arg("2026-02-30").is_err());
        assert!(parse_text_arg("a\nb").is_err());
        assert!(parse_text_arg("tab\there").is_err());
        assert_eq!(parse_text_arg("Ümlaut, \"quoted\" =1+1").unwrap(), "Ümlaut, \"quoted\" =1+1");
    }
}
