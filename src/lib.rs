//! supportctl: a support ledger over plain files.
//!
//! The pipeline, one way: [`paths`] finds the ledger → [`read`] turns its
//! files into validated [`model`] values (every problem with file and line)
//! → [`compute`] runs the month computation as a pure function → [`render`]
//! writes table, CSV, JSON or Markdown → [`commands`] wire one subcommand
//! each, [`cli`] is the clap layer.
//!
//! Glossary (SPEC §3): the **quota** is the month's hours; **used** is the
//! billed time of support and escalation entries; under-use is **forfeited**
//! at month end; **overage** is used beyond the quota, of which only the
//! **approved** part is invoiced.

pub mod append;
pub mod cli;
pub mod commands;
pub mod compute;
pub mod model;
pub mod paths;
pub mod read;
pub mod render;
pub mod sla;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use commands::{Context, Outcome};

/// Runs the command line and returns the exit code: 0 success, 1 a problem
/// with the ledger's data or files, 2 wrong usage (clap's own exit).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    // Buffered: `check` may print thousands of lines; flushed before exit.
    // Not locked for the whole run: a reader thread that panics must be able
    // to print its message instead of waiting for the lock forever.
    // Messages are wrapped to the terminal's width (when stderr is one).
    let mut err =
        render::width::WrapLines::new(io::BufWriter::new(io::stderr()), render::width::Width::stderr(cli.wide));
    let result = run(cli, &mut out, &mut err).and_then(|o| {
        out.flush()?;
        Ok(o)
    });
    let _ = err.flush();
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::DataError) => ExitCode::from(1),
        Ok(Outcome::UsageError) => ExitCode::from(2),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(err, "error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe))
}

fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<Outcome> {
    let ctx = Context::from_env(cli.ledger)?.with_wide(cli.wide);
    match cli.command {
        Command::Init { dir } => commands::init::run(&ctx, dir.as_deref(), out, err),
        Command::Contracts { month } => commands::contracts::run(&ctx, month, out, err),
        Command::Report { year: Some(year), contracts, format, .. } => {
            commands::report::run_year(&ctx, year, &contracts, format, out, err)
        }
        Command::Report { month, year: None, contracts, format } => {
            commands::report::run(&ctx, month, &contracts, format, out, err)
        }
        Command::Check => commands::check::run(&ctx, out, err),
        Command::Log { contract, duration, note, date, ticket, kind, level, channel, engineer, quiet } => {
            let entry = commands::log::NewEntry {
                contract,
                minutes: duration,
                note: note.join(" "),
                date,
                ticket,
                kind: kind.map(cli::KindArg::as_str),
                level,
                channel,
                engineer,
            };
            commands::log::run(&ctx, entry, quiet, out, err)
        }
        Command::Approve { contract, duration, month, reference, date, note, quiet } => {
            let a = commands::approve::NewApproval { contract, minutes: duration, month, reference, date, note };
            commands::approve::run(&ctx, a, quiet, out, err)
        }
        Command::Status { month } => commands::status::run(&ctx, month, out, err),
        Command::Ticket { action } => commands::ticket::run(&ctx, action, out, err),
        Command::Tickets { open, month, contract } => {
            commands::tickets::run(&ctx, open, month, contract.as_deref(), out, err)
        }
        Command::Sla { month, contract, format } => {
            commands::sla::run(&ctx, month, contract.as_deref(), format, out, err)
        }
        Command::Close { month, write_off, engineer } => {
            commands::close::run(&ctx, month, write_off, engineer, out, err)
        }
        Command::Verify { month } => commands::verify::run(&ctx, month, out, err),
        Command::Correct { contract, duration, month, reason, date, ticket, engineer, quiet } => {
            let c =
                commands::correct::NewCorrection { contract, minutes: duration, month, reason, date, ticket, engineer };
            commands::correct::run(&ctx, c, quiet, out, err)
        }
        Command::Invoice { month, contracts, date, output } => {
            commands::invoice::run(&ctx, month, &contracts, date, output.as_deref(), out, err)
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "supportctl", out);
            Ok(Outcome::Ok)
        }
        Command::Man => {
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(out)?;
            Ok(Outcome::Ok)
        }
        Command::Statement { contract, all, month, format, output } => {
            let req = commands::statement::Request { contract, all, month, format, output };
            commands::statement::run(&ctx, req, out, err)
        }
        Command::Import { format, file, apply, issues } => {
            commands::import::run(&ctx, format.source(), &file, apply, issues.as_deref(), out, err)
        }
        Command::Advise { contract, months, format } => {
            commands::advise::run(&ctx, contract.as_deref(), months, format, out, err)
        }
    }
}
