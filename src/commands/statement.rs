//! `supportctl statement`: the customer statement of one contract's month
//! (SPEC §10) as an HTML page, Markdown or CSV; with `--all`, one file per
//! contract of the month.
//!
//! It reads what `report --month` reads for each month of the chart (the
//! settings, the contracts, the approvals, the time-log files of those
//! months and every file not named after a month) in one pass, plus
//! `tickets.csv` for the SLA figures, and refuses on any error there. The
//! month's figures and each chart month's come from the same function as
//! `report`'s, the SLA figures from the same as `sla`'s.
//!
//! A closed month's figures are its closing's, verified as `report` does;
//! a closed month of the chart is drawn from its closing, whose time-log
//! files are then not read again (`verify` and `check` compare them); the
//! corrections billed in the month come as in `report`.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use super::tickets::statuses;
use super::{Context, Outcome, plural, print_problems};
use crate::append::{self, Existing};
use crate::cli::MonthArg;
use crate::compute::statement::chart::ChartMonth;
use crate::compute::statement::{self, ApprovalLine, Closed, Input, Statement};
use crate::compute::{self, ContractMonth, Usage};
use crate::model::logged::LoggedEntry;
use crate::model::ticket::TicketEvent;
use crate::model::{Month, Settings};
use crate::read::closings::{self};
use crate::read::{self, Loaded, Scope, Want, suggest};
use crate::render::statement::{StatementFormat, render};
use crate::sla::tickets::{ContractSla, TicketStatus, month_report};

/// Months the chart shows, the statement's month included.
pub const CHART_MONTHS: usize = 12;

/// What was asked for on the command line.
pub struct Request {
    /// One contract, or `None` with `all`.
    pub contract: Option<String>,
    pub all: bool,
    pub month: MonthArg,
    pub format: StatementFormat,
    /// The file (one contract) or folder (`all`) to write; stdout without.
    pub output: Option<PathBuf>,
}

/// The first month of the chart of `m`.
pub fn chart_start(m: Month) -> Month {
    m.back(CHART_MONTHS as u32 - 1)
}

/// The file name of a contract's statement in a folder (`--all`).
pub fn file_name(contract: &str, m: Month, format: StatementFormat) -> String {
    format!("statement-{m}-{contract}.{}", format.extension())
}

pub fn run(ctx: &Context, req: Request, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome> {
    let root = ctx.ledger()?;
    let mut listing = read::Problems::default();
    let closed_months = closings::list(&root, &mut listing);
    let mut seen = None;
    let mut loaded = read::load_want(&root, |s| {
        let m = req.month.resolve(ctx.this_month(s));
        seen = Some(m);
        Want { keep: Some((m, req.contract.clone())), ..want(m, &closed_months) }
    });
    loaded.problems.list.extend(listing.list);
    let m = seen.expect("load_want always asks what to read");
    let events = loaded.read_tickets(&root);
    // The month's figures as `report` shows them: a closed month's closing,
    // verified against the files; an open month's with its corrections.
    let mut p = read::Problems::default();
    let month = super::verify::month_figures(&root, &loaded, m, &mut p);
    loaded.problems.list.extend(p.list);
    if refused(&loaded, m, err)? {
        return Ok(Outcome::DataError);
    }
    let Some((report, closing)) = month else {
        writeln!(err, "error: no statement for {m}: its closing {} cannot be read", closings::file(m))?;
        return Ok(Outcome::DataError);
    };

    // Which contracts: the one named, or every one in the month's report.
    let in_report = |i: usize| report.contracts.iter().any(|c| c.contract == loaded.contracts[i].id);
    let chosen: Vec<usize> = match &req.contract {
        Some(id) => {
            let Some(i) = loaded.contracts.iter().position(|c| &c.id == id) else {
                let hint = suggest::hint(id, loaded.contracts.iter().map(|c| c.id.as_str()));
                writeln!(err, "error: --contract: unknown contract \"{id}\"{hint}")?;
                return Ok(Outcome::DataError);
            };
            let c = &loaded.contracts[i];
            if !in_report(i) {
                let end = c.end.map_or_else(|| "on".to_string(), |e| format!("to {e}"));
                writeln!(
                    err,
                    "error: --contract: \"{id}\" is not active in {m} (active {} {end}) and has no corrections dated in {m}: there is nothing to state",
                    c.start
                )?;
                return Ok(Outcome::DataError);
            }
            vec![i]
        }
        None => {
            let mut all: Vec<usize> = (0..loaded.contracts.len()).filter(|&i| in_report(i)).collect();
            all.sort_by(|&a, &b| loaded.contracts[a].id.cmp(&loaded.contracts[b].id));
            all
        }
    };

    // The month's entries in full, kept as the load read them.
    let mut by_contract: HashMap<usize, Vec<LoggedEntry>> = HashMap::new();
    for (i, e) in std::mem::take(&mut loaded.logged) {
        by_contract.entry(i).or_default().push(e);
    }

    let settings = loaded.settings();
    let now = ctx.now(settings);
    let sla = Sla::new(&loaded, &events, now, m);
    let approved = approved_minutes(&loaded);
    let statements: Vec<Statement> = chosen
        .iter()
        .map(|&i| {
            let c = &loaded.contracts[i];
            let figures = report
                .contracts
                .iter()
                .find(|f| f.contract == c.id)
                .cloned()
                .expect("a chosen contract is in the month's report");
            let input = Input {
                month: m,
                contract: c,
                terms: match &closing {
                    Some(cf) => cf.closing.contract(&c.id).and_then(|cc| cc.terms.clone()),
                    None => c.is_active(m).then(|| c.terms(m)),
                },
                corrections: figures.corrections.clone(),
                figures,
                entries: by_contract.remove(&i).unwrap_or_default(),
                approvals: approvals(&loaded, i, m),
                closed: closed(report.closed.as_ref()),
                chart: chart(&loaded, &approved, i, m),
                sla: sla.figures.get(c.id.as_str()).cloned(),
                sla_tickets: sla.tickets.get(c.id.as_str()).cloned().unwrap_or_default(),
                escalations: statement::escalated_tickets(m, &c.id, &sla.statuses, &events),
                seller: seller(settings),
                locale: settings.locale,
                currency: settings.currency.clone(),
            };
            statement::statement(input)
        })
        .collect();

    match (&req.output, req.all) {
        (Some(dir), true) => {
            // Everything is computed before the first file is written.
            let files: Vec<(PathBuf, Vec<u8>)> = statements
                .iter()
                .map(|s| (dir.join(file_name(&s.contract, m, req.format)), render(req.format, s)))
                .collect();
            write_all(&files)?;
        }
        (Some(file), false) => {
            let bytes = render(req.format, &statements[0]);
            append::write_file(file, &super::shown(file), &bytes, Existing::Replace)?;
        }
        (None, _) => {
            for s in &statements {
                out.write_all(&render(req.format, s))?;
            }
        }
    }
    Ok(Outcome::Ok)
}

/// Files written at once by `--all`: each write waits for the disk twice
/// (the file's sync, the folder's), so a few in flight overlap those waits.
const WRITERS: usize = 8;

/// Writes every file through [`append::write_file`], a few at a time; the
/// first failure is returned (files already written stay, each whole).
fn write_all(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    let chunk = files.len().div_ceil(WRITERS).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || -> Result<()> {
                    for (path, bytes) in part {
                        append::write_file(path, &super::shown(path), bytes, Existing::Replace)?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a statement writer panicked")).collect::<Result<Vec<()>>>()
    })?;
    Ok(())
}

/// Prints the problems of the read; with errors, says that no statement is
/// made (`true`): figures from part of the data would be wrong.
fn refused(loaded: &Loaded, m: Month, err: &mut dyn Write) -> std::io::Result<bool> {
    let errors = print_problems(loaded, err)?;
    if errors > 0 {
        writeln!(
            err,
            "error: no statement for {m}: {} in the ledger, and figures computed from part of the data would be wrong (see `supportctl check`)",
            plural(errors, "error")
        )?;
    }
    Ok(errors > 0)
}

/// Approved minutes per (contract index, month) of the months read.
fn approved_minutes(loaded: &Loaded) -> HashMap<(usize, Month), u64> {
    let mut sums = HashMap::new();
    for a in &loaded.approvals {
        *sums.entry((a.contract, a.approval.month)).or_default() += a.approval.minutes;
    }
    sums
}

/// The figures `report --month m` computes for contract `i` (which is
/// active in `m`): the same function on the same usage and approvals.
fn report_figures(loaded: &Loaded, approved: &HashMap<(usize, Month), u64>, i: usize, m: Month) -> ContractMonth {
    let c = &loaded.contracts[i];
    let usage: Usage = loaded.usage.get(&(i, m)).copied().unwrap_or_default();
    compute::contract_month(c, &c.terms(m), usage, approved.get(&(i, m)).copied().unwrap_or(0))
}

/// What a statement of `m` reads: the time-log files of the chart's months
/// from the first one that is not closed (a closed month is drawn from its
/// closing), the closings of the chart's closed months, and the digests of
/// `m` when it is closed (to verify its closing, as `report` does).
fn want(m: Month, closed: &[Month]) -> Want {
    let mut want = Want::months(chart_start(m), m, closed);
    if want.closings.contains(&m) {
        // Its own files are read all the same, to verify its closing.
        want.digests.insert(m);
        if let Scope::Months(from, to) = want.scope {
            want.scope = Scope::Months(from.min(m), to);
        }
    }
    want
}

/// One chart month of contract `i`: a closed month's bar is its closing's
/// used time (later corrections not added), an open month's as `report`
/// computes it.
fn chart_month(loaded: &Loaded, approved: &HashMap<(usize, Month), u64>, i: usize, m: Month) -> ChartMonth {
    let c = &loaded.contracts[i];
    if let Some(cf) = loaded.closings.get(&m) {
        return match cf.closing.contract(&c.id).filter(|cc| cc.terms.is_some()) {
            Some(cc) => ChartMonth::of(m, &cc.figures),
            None => ChartMonth::inactive(m),
        };
    }
    if c.is_active(m) { ChartMonth::of(m, &report_figures(loaded, approved, i, m)) } else { ChartMonth::inactive(m) }
}

/// The chart's months of contract `i`: the twelve up to `m`, none before
/// the contract's start.
fn chart(loaded: &Loaded, approved: &HashMap<(usize, Month), u64>, i: usize, m: Month) -> Vec<ChartMonth> {
    let start = loaded.contracts[i].start.max(chart_start(m));
    start.min(m).through(m).map(|mo| chart_month(loaded, approved, i, mo)).collect()
}

/// When and by whom the month was closed, as the report marks it.
fn closed(closed: Option<&compute::Closed>) -> Option<Closed> {
    let c = closed?;
    let at = chrono::DateTime::parse_from_rfc3339(&c.at).ok()?;
    Some(Closed { at, by: c.by.clone() })
}

/// `name` of `[seller]` in `supportctl.toml`, when given.
fn seller(settings: &Settings) -> Option<String> {
    settings.seller.as_ref()?.get("name").map(|n| n.value.clone()).filter(|n| !n.trim().is_empty())
}

/// The approvals of contract `i` for `m`, by date, then line.
fn approvals(loaded: &Loaded, i: usize, m: Month) -> Vec<ApprovalLine> {
    let mut rows: Vec<_> = loaded.approvals.iter().filter(|a| a.contract == i && a.approval.month == m).collect();
    rows.sort_by_key(|a| (a.date, a.line));
    rows.into_iter()
        .map(|a| ApprovalLine {
            date: a.date,
            minutes: a.approval.minutes,
            reference: a.reference.clone(),
            note: a.note.clone(),
        })
        .collect()
}

/// The SLA report of the month for every contract, computed once.
struct Sla {
    /// Every ticket's status now (for escalations of any month).
    statuses: Vec<TicketStatus>,
    /// `sla --month m`'s figures per contract.
    figures: BTreeMap<String, ContractSla>,
    /// The tickets received in `m` per contract, by `received`.
    tickets: BTreeMap<String, Vec<TicketStatus>>,
}

impl Sla {
    fn new(loaded: &Loaded, events: &[TicketEvent], now: chrono::DateTime<chrono_tz::Tz>, m: Month) -> Sla {
        let statuses = statuses(loaded, events, now);
        let received: Vec<TicketStatus> =
            statuses.iter().filter(|t| Month::of(t.received.0.date_naive()) == m).cloned().collect();
        let report = month_report(m, received, &super::sla::clocks(loaded));
        let figures = report.contracts.into_iter().map(|c| (c.contract.clone(), c)).collect();
        let mut tickets: BTreeMap<String, Vec<TicketStatus>> = BTreeMap::new();
        for t in report.tickets {
            tickets.entry(t.contract.clone()).or_default().push(t);
        }
        Sla { statuses, figures, tickets }
    }
}
