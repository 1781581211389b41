//! The command line: clap types only. Doc comments are the help text.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::model::Month;
use crate::render::Format;

/// A support ledger over plain files: contracts, time log, approved overage
/// and the monthly invoice figures.
#[derive(Debug, Parser)]
#[command(name = "supportctl", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// The ledger folder (default: $SUPPORTCTL_LEDGER, else the nearest folder
    /// upwards with a supportctl.toml, else the per-user data folder)
    #[arg(long, global = true, value_name = "DIR")]
    pub ledger: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a ledger in DIR (default: the current folder); never overwrites a file
    Init {
        /// Where to create the ledger
        dir: Option<PathBuf>,
    },
    /// List the contracts with their terms for a month
    Contracts {
        /// YYYY-MM, current or last
        #[arg(long, value_parser = parse_month_arg, default_value = "current")]
        month: MonthArg,
    },
    /// The month computation: quota, used, forfeited, overage and invoice amounts
    Report {
        /// YYYY-MM, current or last
        #[arg(long, value_parser = parse_month_arg, default_value = "current")]
        month: MonthArg,
        /// Only these contracts (repeatable)
        #[arg(long = "contract", value_name = "ID")]
        contracts: Vec<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Read every file of the ledger and list every problem (exit 1 if any)
    Check,
    /// Record work: append one entry to timelog/<YYYY-MM>.csv
    #[command(after_help = "Durations: 45m, 2h, 1h30m, 1:30, 1.5h or whole minutes (90).")]
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
    Status {
        /// YYYY-MM, current or last
        #[arg(long, value_parser = parse_month_arg, default_value = "current")]
        month: MonthArg,
    },
    /// Record a ticket event: open, respond, resolve, escalate, reopen (SPEC §7)
    Ticket {
        #[command(subcommand)]
        action: TicketAction,
    },
    /// Tickets received in a month, or every open ticket, most urgent first
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
    /// Print a shell completion script
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
    /// Import worklogs from a Jira or Tempo export (a dry run unless --apply)
    #[command(
        after_help = "The export: a JSON array of worklogs, an object with a \"worklogs\" array, or one worklog per line.\nEach worklog goes to the contract whose jira_projects lists its issue's project; importing the same file again adds nothing."
    )]
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
    Respond {
        #[arg(value_parser = parse_text_arg)]
        ticket: String,
        #[command(flatten)]
        common: EventArgs,
    },
    /// The request is solved
    Resolve {
        #[arg(value_parser = parse_text_arg)]
        ticket: String,
        #[command(flatten)]
        common: EventArgs,
    },
    /// Beyond the package: escalated to the customer, optionally with an estimate
    Escalate {
        #[arg(value_parser = parse_text_arg)]
        ticket: String,
        /// Estimated effort: 12h, 1h30m, 90m, …
        #[arg(long, value_parser = parse_duration_arg)]
        estimate: Option<u64>,
        #[command(flatten)]
        common: EventArgs,
    },
    /// A resolved or escalated ticket is open again
    Reopen {
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

pub fn parse_duration_arg(s: &str) -> Result<u64, String> {
    crate::model::amount::parse_duration(s)
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
    fn day_and_text_args() {
        let d = crate::model::parse_date("2026-03-01").unwrap();
        assert_eq!(parse_day_arg("yesterday").unwrap().resolve(d).to_string(), "2026-02-28");
        assert!(parse_day_arg("2026-02-30").is_err());
        assert!(parse_text_arg("a\nb").is_err());
        assert!(parse_text_arg("tab\there").is_err());
        assert_eq!(parse_text_arg("Ümlaut, \"quoted\" =1+1").unwrap(), "Ümlaut, \"quoted\" =1+1");
    }
}
