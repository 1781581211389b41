//! `supportctl sla`: the month's SLA report (SPEC §7.1).

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;

use super::tickets::{load_tickets, statuses};
use super::{Context, Outcome};
use crate::cli::MonthArg;
use crate::model::Month;
use crate::read;
use crate::render::{Format, sla as render};
use crate::sla::terms::contract_terms;
use crate::sla::tickets::month_report;

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
    let settings = loaded.settings();
    let now = ctx.now(settings);
    let m = month.resolve(Month::of(now.date_naive()));
    let logged = read::minutes_by_ticket(&root, m);
    let tickets: Vec<_> = statuses(&loaded, &events, now)
        .into_iter()
        .filter(|t| Month::of(t.received.0.date_naive()) == m && contract.is_none_or(|c| t.contract == c))
        .map(|mut t| {
            t.logged_minutes = logged.get(&t.ticket).copied().unwrap_or(0);
            t
        })
        .collect();
    let clocks: BTreeMap<String, _> =
        loaded.contracts.iter().map(|c| (c.id.clone(), contract_terms(settings, c).clock.kind)).collect();
    let report = month_report(m, tickets, &clocks);
    render::sla_in(format, &report, ctx.out_width(), out)?;
    Ok(Outcome::Ok)
}
