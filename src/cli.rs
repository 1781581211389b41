//! The command line: clap types only. Doc comments are the help text.

use std::path::PathBuf;

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
}
