//! One file per subcommand: load → compute → render. The only place where
//! I/O, the clock and the environment meet the pure core.

pub mod advise;
pub mod approve;
pub mod check;
pub mod close;
pub mod contracts;
pub mod correct;
pub mod import;
pub mod init;
pub mod invoice;
pub mod log;
pub mod report;
pub mod sla;
pub mod statement;
pub mod status;
pub mod ticket;
pub mod tickets;
pub mod verify;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::{DateTime, FixedOffset, NaiveDate, Timelike};

use crate::model::{Month, Settings};
use crate::read::{Loaded, Severity};
use crate::render::width::Width;

/// How a command ended, before it becomes an exit code in `main`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Ok,
    /// Exit 1: a problem with the ledger's data or files (already printed).
    DataError,
    /// Exit 2: wrong usage found after parsing (already printed).
    UsageError,
}

/// Everything a command gets from outside: the ledger flag, the environment
/// and the clock, so that tests can pin them.
pub struct Context {
    pub ledger_flag: Option<PathBuf>,
    pub env_ledger: Option<PathBuf>,
    pub cwd: PathBuf,
    /// `SUPPORTCTL_TODAY` (YYYY-MM-DD), for reproducible runs and tests.
    pub today_override: Option<NaiveDate>,
    /// `SUPPORTCTL_NOW` (RFC 3339), likewise; also sets today when
    /// `SUPPORTCTL_TODAY` is not given.
    pub now_override: Option<DateTime<FixedOffset>>,
    /// `--wide`: human output at full width, whatever the terminal's.
    pub wide: bool,
}

impl Context {
    pub fn from_env(ledger_flag: Option<PathBuf>) -> Result<Context> {
        let today_override = match std::env::var("SUPPORTCTL_TODAY") {
            Ok(s) if !s.is_empty() => Some(
                crate::model::parse_date(&s)
                    .ok_or_else(|| anyhow::anyhow!("SUPPORTCTL_TODAY=\"{s}\" is not a date (YYYY-MM-DD)"))?,
            ),
            _ => None,
        };
        let now_override = match std::env::var("SUPPORTCTL_NOW") {
            Ok(s) if !s.is_empty() => Some(
                DateTime::parse_from_rfc3339(&s)
                    .map_err(|_| anyhow::anyhow!("SUPPORTCTL_NOW=\"{s}\" is not an RFC 3339 time"))?,
            ),
            _ => None,
        };
        Ok(Context {
            now_override,
            ledger_flag,
            env_ledger: std::env::var_os("SUPPORTCTL_LEDGER").map(PathBuf::from),
            cwd: std::env::current_dir()?,
            today_override,
            wide: false,
        })
    }

    /// With `--wide` given or not.
    pub fn with_wide(self, wide: bool) -> Context {
        Context { wide, ..self }
    }

    /// The width human output on stdout must fit in (`--wide`, a pipe,
    /// `COLUMNS`, the terminal: see `render::width`). Tables are fitted to
    /// it; lines of prose can go through `render::width::WrapLines`. Stderr
    /// is wrapped for every command in `main`.
    pub fn out_width(&self) -> Width {
        Width::stdout(self.wide)
    }

    pub fn ledger(&self) -> Result<PathBuf> {
        crate::paths::find(self.ledger_flag.as_deref(), self.env_ledger.as_deref(), &self.cwd)
    }

    /// Now, in the ledger's time zone, to the minute.
    pub fn now(&self, settings: &Settings) -> DateTime<chrono_tz::Tz> {
        let now = self.now_override.map_or_else(chrono::Utc::now, |t| t.with_timezone(&chrono::Utc));
        let now = now.with_timezone(&settings.timezone);
        now.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(now)
    }

    /// Today in the ledger's time zone.
    pub fn today(&self, settings: &Settings) -> NaiveDate {
        self.today_override.unwrap_or_else(|| self.now(settings).date_naive())
    }

    pub fn this_month(&self, settings: &Settings) -> Month {
        Month::of(self.today(settings))
    }
}

/// Prints the problems of a read to stderr: errors as `file:line: message`,
/// warnings with a `warning:` marker. Returns the number of errors.
pub fn print_problems(loaded: &Loaded, err: &mut dyn Write) -> std::io::Result<usize> {
    let mut errors = 0;
    for p in &loaded.problems.list {
        match p.severity {
            Severity::Error => {
                errors += 1;
                writeln!(err, "{p}")?;
            }
            Severity::Warning => {
                let mut w = p.clone();
                w.message = format!("warning: {}", p.message);
                writeln!(err, "{w}")?;
            }
        }
    }
    Ok(errors)
}

/// Reads the ledger for one month's figures (`report`, `status`), with the
/// digests of the month's rows when it is closed (to verify its closing).
/// Prints every problem; with errors, says that no `what` is computed and
/// gives `None`: figures from part of the data would be wrong.
pub fn load_month(
    ctx: &Context,
    month: crate::cli::MonthArg,
    what: &str,
    err: &mut dyn Write,
) -> Result<Option<(Loaded, Month)>> {
    let root = ctx.ledger()?;
    let mut seen = None;
    let loaded = crate::read::load_want(&root, |s| {
        let m = month.resolve(ctx.this_month(s));
        seen = Some(m);
        let scope = crate::read::Scope::Month(m);
        if crate::read::closings::is_closed(&root, m) {
            crate::read::Want::verifying(scope, &[m])
        } else {
            crate::read::Want::from(scope)
        }
    });
    let m = seen.expect("load_want always asks what to read");
    let errors = print_problems(&loaded, err)?;
    if errors > 0 {
        refuse(m, what, errors, err)?;
        return Ok(None);
    }
    Ok(Some((loaded, m)))
}

/// Says that no `what` for `m` is computed because of `errors` errors.
pub fn refuse(m: Month, what: &str, errors: usize, err: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        err,
        "error: no {what} for {m}: {} in the ledger, and figures computed from part of the data would be wrong (see `supportctl check`)",
        plural(errors, "error")
    )
}

/// Who does it: `--engineer`, `SUPPORTCTL_ENGINEER`, `engineer` in the
/// per-user config file, the OS user (SPEC §6.1). Used by `log`, `close`
/// and `correct`.
pub fn engineer(flag: Option<String>) -> String {
    if let Some(e) = flag {
        return e;
    }
    if let Some(e) = std::env::var("SUPPORTCTL_ENGINEER").ok().filter(|e| !e.trim().is_empty()) {
        return e;
    }
    let from_config = crate::paths::user_config_file()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|s| s.parse::<toml::Table>().ok())
        .and_then(|t| t.get("engineer").and_then(|v| v.as_str()).map(str::to_string));
    if let Some(e) = from_config.filter(|e| !e.trim().is_empty() && !e.chars().any(char::is_control)) {
        return e;
    }
    whoami::username().ok().filter(|u| !u.chars().any(char::is_control)).unwrap_or_default()
}

pub use crate::render::human::plural;

/// Path shown to the user for a ledger folder.
pub fn shown(p: &Path) -> String {
    p.display().to_string()
}

/// Looks up contract `id` for a writing command, printing why not when it
/// cannot be used (unknown: the closest id; broken file: its problems).
pub fn find_contract<'a>(
    loaded: &'a Loaded,
    root: &Path,
    id: &str,
    err: &mut dyn Write,
) -> std::io::Result<Option<&'a crate::model::Contract>> {
    if let Some(c) = loaded.contracts.iter().find(|c| c.id == id) {
        return Ok(Some(c));
    }
    let file = format!("{}/{id}.toml", crate::read::CONTRACTS_DIR);
    if crate::read::contracts::valid_id(id) && root.join(&file).is_file() {
        for p in loaded.problems.errors().filter(|p| p.file == file) {
            writeln!(err, "{p}")?;
        }
        writeln!(err, "error: {file} has errors; fix them first; nothing was written")?;
    } else {
        let hint = crate::read::suggest::hint(id, loaded.contracts.iter().map(|c| c.id.as_str()));
        writeln!(err, "error: unknown contract \"{id}\"{hint}; nothing was written")?;
    }
    Ok(None)
}

/// Warns (once, briefly) that the ledger read for a writing command has
/// problems elsewhere, so that figures shown may be incomplete.
pub fn note_problems(loaded: &Loaded, err: &mut dyn Write) -> std::io::Result<()> {
    let n = loaded.problems.errors().count();
    if n > 0 {
        writeln!(
            err,
            "note: the ledger has {}; the figures shown may be incomplete (run `supportctl check`)",
            plural(n, "problem")
        )?;
    }
    Ok(())
}
