//! `supportctl tickets`: tickets of a month, or every open one, most urgent first.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use chrono::DateTime;
use chrono_tz::Tz;

use super::{Context, Outcome, plural, print_problems};
use crate::cli::MonthArg;
use crate::model::ticket::TicketEvent;
use crate::model::{Month, Settings};
use crate::read::{self, Loaded, Scope, suggest, tickets};
use crate::render::tickets::{Listed, Response, short_time, tickets_in};
use crate::sla::terms::contract_terms;
use crate::sla::tickets::{State, TicketStatus, status};

/// Every ticket's status at `now`, for the contracts that can be read.
pub fn statuses(loaded: &Loaded, events: &[TicketEvent], now: DateTime<Tz>) -> Vec<TicketStatus> {
    let settings: &Settings = loaded.settings();
    tickets::by_ticket(events)
        .values()
        .filter_map(|evs| {
            let c = loaded.contracts.iter().find(|c| c.id == evs[0].contract)?;
            Some(status(evs, &contract_terms(settings, c), now))
        })
        .collect()
}

/// Reads the contracts and `tickets.csv` for `tickets` and `sla`; prints the
/// problems and refuses (`None`) on errors or an unknown `--contract`.
pub fn load_tickets(
    ctx: &Context,
    contract: Option<&str>,
    what: &str,
    err: &mut dyn Write,
) -> Result<Option<(Loaded, Vec<TicketEvent>)>> {
    let root = ctx.ledger()?;
    let mut loaded = read::load(&root, Scope::Terms);
    let events = loaded.read_tickets(&root);
    let errors = print_problems(&loaded, err)?;
    if errors > 0 {
        writeln!(err, "error: no {what}: {} in the ledger (see `supportctl check`)", plural(errors, "error"))?;
        return Ok(None);
    }
    if !check_contract_filter(&loaded, contract, err)? {
        return Ok(None);
    }
    Ok(Some((loaded, events)))
}

/// Checks `--contract` against the ledger; prints why not.
pub fn check_contract_filter(loaded: &Loaded, contract: Option<&str>, err: &mut dyn Write) -> std::io::Result<bool> {
    let Some(id) = contract else { return Ok(true) };
    if loaded.contracts.iter().any(|c| c.id == id) {
        return Ok(true);
    }
    let hint = suggest::hint(id, loaded.contracts.iter().map(|c| c.id.as_str()));
    writeln!(err, "error: --contract: unknown contract \"{id}\"{hint}")?;
    Ok(false)
}

/// Where the first response of `t` stands at `now`, on its contract's clock.
fn response(t: &TicketStatus, loaded: &Loaded, now: DateTime<Tz>) -> Option<Response> {
    let settings = loaded.settings();
    let c = loaded.contracts.iter().find(|c| c.id == t.contract)?;
    let clock = contract_terms(settings, c).clock;
    Some(match (t.response_minutes, t.response_met) {
        (Some(m), Some(true)) => Response::InTime(m.unsigned_abs()),
        (Some(m), _) => Response::Late(m.unsigned_abs()),
        (None, Some(false)) => Response::Overdue(clock.minutes_between(t.response_deadline.0, now).unsigned_abs()),
        (None, _) => Response::Left(clock.minutes_between(now, t.response_deadline.0).unsigned_abs()),
    })
}

/// The tickets received in `month` (every open one without a month), of
/// `contract` or all, most urgent first: unanswered ones by deadline, then
/// open ones, then the rest.
pub fn list(
    loaded: &Loaded,
    events: &[TicketEvent],
    now: DateTime<Tz>,
    month: Option<Month>,
    contract: Option<&str>,
) -> Vec<Listed> {
    let mut list: Vec<TicketStatus> = statuses(loaded, events, now)
        .into_iter()
        .filter(|t| contract.is_none_or(|c| t.contract == c))
        .filter(|t| match month {
            None => t.state == State::Open,
            Some(m) => Month::of(t.received.0.date_naive()) == m,
        })
        .collect();
    list.sort_by_key(|t| {
        let rank = match (t.state, t.first_response.is_some()) {
            (State::Open, false) => 0,
            (State::Open, true) => 1,
            _ => 2,
        };
        (rank, t.response_deadline, t.ticket.clone())
    });
    list.into_iter().filter_map(|status| Some(Listed { response: response(&status, loaded, now)?, status })).collect()
}

pub fn run(
    ctx: &Context,
    open: bool,
    month: MonthArg,
    contract: Option<&str>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome> {
    let Some((loaded, events)) = load_tickets(ctx, contract, "ticket list", err)? else {
        return Ok(Outcome::DataError);
    };
    let now = ctx.now(loaded.settings());
    let m = month.resolve(Month::of(now.date_naive()));
    let listed = list(&loaded, &events, now, if open { None } else { Some(m) }, contract);
    if listed.is_empty() {
        writeln!(out, "{}", if open { "no open tickets".to_string() } else { format!("no tickets received in {m}") })?;
        return Ok(Outcome::Ok);
    }
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let title = if open { "Open tickets".to_string() } else { format!("Tickets received in {m}") };
    let title = format!("{title} (now {})", short_time(now));
    tickets_in(&title, &listed, color, ctx.out_width(), out)?;
    Ok(Outcome::Ok)
}
