//! `supportctl sla`: the month's SLA report (SPEC §7.1).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::Result;
use chrono::DateTime;
use chrono_tz::Tz;

use super::tickets::{load_tickets, statuses};
use super::{Context, Outcome};
use crate::cli::MonthArg;
use crate::model::Month;
use crate::model::sla::ClockKind;
use crate::model::ticket::TicketEvent;
use crate::read::{self, Loaded};
use crate::render::{Format, sla as render};
use crate::sla::terms::contract_terms;
use crate::sla::tickets::{SlaReport, month_report};

pub fn run(
    ctx: &Context,
    month: MonthArg,
    contract: Option<&str>,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome> {
    let root = ctx.ledger()?;
    let Some((loaded, events)) = load_tickets(ctx, contract, "SLA report", err)? else {
        return Ok(Outcome::DataError);
    };
    let now = ctx.now(loaded.settings());
    let m = month.resolve(Month::of(now.date_naive()));
    let report = report(&root, &loaded, &events, now, m, contract);
    render::sla(format, &report, ctx.out_width(), out)?;
    Ok(Outcome::Ok)
}

/// The SLA report of `m` at `now`, of `contract` or all; the minutes logged
/// per ticket come from the time log under `root`.
pub fn report(
    root: &Path,
    loaded: &Loaded,
    events: &[TicketEvent],
    now: DateTime<Tz>,
    m: Month,
    contract: Option<&str>,
) -> SlaReport {
    let logged = read::minutes_by_ticket(root, m);
    let tickets: Vec<_> = statuses(loaded, events, now)
        .into_iter()
        .filter(|t| Month::of(t.received.0.date_naive()) == m && contract.is_none_or(|c| t.contract == c))
        .map(|mut t| {
            t.logged_minutes = logged.get(&t.ticket).copied().unwrap_or(0);
            t
        })
        .collect();
    month_report(m, tickets, &clocks(loaded))
}

/// The clock each contract's tickets run on, by contract id.
pub fn clocks(loaded: &Loaded) -> BTreeMap<String, ClockKind> {
    let settings = loaded.settings();
    loaded.contracts.iter().map(|c| (c.id.clone(), contract_terms(settings, c).clock.kind)).collect()
}
