//! `supportctl ticket open|respond|resolve|escalate|reopen`: append one
//! ticket event to tickets.csv after checking that it makes sense.

use std::io::Write;

use anyhow::Result;
use chrono::{DateTime, Duration};
use chrono_tz::Tz;

use super::{Context, Outcome, find_contract, note_problems};
use crate::append;
use crate::cli::{EventArgs, TicketAction};
use crate::model::Month;
use crate::model::amount::{duration_text, hm};
use crate::model::ticket::{Event, TicketEvent};
use crate::read::{self, Scope, suggest, tickets};
use crate::render::width::WrapLines;
use crate::sla::terms::contract_terms;
use crate::sla::tickets::{State, status, validate};
use crate::sla::time::{format_at, parse_at};

/// `--at`, or now; refused (usage) when malformed or over an hour ahead.
pub fn event_time(at: Option<&str>, now: DateTime<Tz>, tz: Tz) -> Result<DateTime<Tz>, String> {
    let Some(s) = at else { return Ok(now) };
    let t = parse_at(s, tz).map_err(|e| format!("--at: {e}"))?;
    if t > now + Duration::hours(1) {
        return Err(format!("--at {} is more than an hour ahead of now ({})", format_at(t), format_at(now)));
    }
    Ok(t)
}

pub fn run(ctx: &Context, action: TicketAction, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome> {
    // Lines of prose, wrapped to the terminal.
    let out = &mut WrapLines::new(out, ctx.out_width());
    let (event, ticket, contract_arg, estimate, common): (Event, String, Option<String>, Option<u64>, EventArgs) =
        match action {
            TicketAction::Open { ticket, contract, common } => (Event::Received, ticket, Some(contract), None, common),
            TicketAction::Respond { ticket, common } => (Event::Responded, ticket, None, None, common),
            TicketAction::Resolve { ticket, common } => (Event::Resolved, ticket, None, None, common),
            TicketAction::Escalate { ticket, estimate, common } => (Event::Escalated, ticket, None, estimate, common),
            TicketAction::Reopen { ticket, common } => (Event::Reopened, ticket, None, None, common),
        };
    let ticket = ticket.trim().to_string();
    let root = ctx.ledger()?;
    let mut loaded = read::load(&root, Scope::Terms);
    let events = loaded.read_tickets(&root);
    // A ticket's state from a damaged file could be wrong: fix it first.
    let broken: Vec<String> =
        loaded.problems.errors().filter(|p| p.file == tickets::FILE).map(|p| p.to_string()).collect();
    if !broken.is_empty() {
        for p in &broken {
            writeln!(err, "{p}")?;
        }
        writeln!(err, "error: {} has errors; fix them first; nothing was written", tickets::FILE)?;
        return Ok(Outcome::DataError);
    }
    let settings = loaded.settings().clone();
    let tz = settings.timezone;
    let now = ctx.now(&settings);
    let at = match event_time(common.at.as_deref(), now, tz) {
        Ok(t) => t,
        Err(e) => {
            writeln!(err, "error: {e}; nothing was written")?;
            return Ok(Outcome::UsageError);
        }
    };
    let by_ticket = tickets::by_ticket(&events);
    let existing: Vec<&TicketEvent> = by_ticket.get(ticket.as_str()).cloned().unwrap_or_default();

    // The contract: named for `open`, the ticket's own otherwise.
    let contract_id = match (&contract_arg, existing.iter().find(|e| e.event == Event::Received)) {
        (Some(_), Some(first)) => {
            writeln!(
                err,
                "error: ticket {ticket} was already received at {} for \"{}\" ({}:{}); nothing was written",
                format_at(first.at),
                first.contract,
                tickets::FILE,
                first.line
            )?;
            return Ok(Outcome::DataError);
        }
        (Some(c), None) => c.clone(),
        (None, Some(first)) => first.contract.clone(),
        (None, None) => {
            let hint = suggest::hint(&ticket, by_ticket.keys().copied());
            writeln!(
                err,
                "error: unknown ticket {ticket}{hint}: record it first with `supportctl ticket open {ticket} --contract …`; nothing was written"
            )?;
            return Ok(Outcome::DataError);
        }
    };
    let Some(contract) = find_contract(&loaded, &root, &contract_id, err)? else { return Ok(Outcome::DataError) };
    if event == Event::Received && !contract.is_active(Month::of(at.date_naive())) {
        writeln!(
            err,
            "error: contract \"{}\" is not active in {}; nothing was written",
            contract.id,
            Month::of(at.date_naive())
        )?;
        return Ok(Outcome::DataError);
    }
    let note = match (estimate, common.note.as_deref()) {
        (Some(m), Some(n)) => format!("estimate {}; {n}", duration_text(m)),
        (Some(m), None) => format!("estimate {}", duration_text(m)),
        (None, n) => n.unwrap_or("").to_string(),
    };
    let new = TicketEvent { at, ticket: ticket.clone(), contract: contract.id.clone(), event, note, line: usize::MAX };
    let mut all = existing.clone();
    all.push(&new);
    if let Some((_, why)) = validate(&all).into_iter().find(|(line, _)| *line == usize::MAX) {
        writeln!(err, "error: {why}; nothing was written")?;
        return Ok(Outcome::DataError);
    }

    let id = ulid::Ulid::generate().to_string();
    let at_s = format_at(at);
    let values = [
        ("at", at_s.as_str()),
        ("ticket", ticket.as_str()),
        ("contract", contract.id.as_str()),
        ("event", event.as_str()),
        ("note", new.note.as_str()),
        ("id", id.as_str()),
    ];
    append::append_row(&root.join(tickets::FILE), tickets::FILE, tickets::HEADER, &values, &[])?;
    if common.quiet {
        return Ok(Outcome::Ok);
    }
    let terms = contract_terms(&settings, contract);
    let st = status(&all, &terms, now);
    let deadline = format_at(st.response_deadline.0);
    match event {
        Event::Received => {
            writeln!(out, "{ticket} received for {} at {at_s}; first response due by {deadline}", contract.id)?
        }
        Event::Responded => match st.response_minutes {
            Some(m) if st.first_response.map(|f| f.0) == Some(at) => writeln!(
                out,
                "{ticket} first response after {} ({}; deadline {deadline})",
                hm(m.unsigned_abs()),
                if st.response_met == Some(true) { "in time" } else { "late: the 48-hour guarantee is breached" }
            )?,
            _ => writeln!(out, "{ticket} responded at {at_s}")?,
        },
        Event::Resolved => match st.resolution_minutes {
            Some(m) => writeln!(
                out,
                "{ticket} resolved after {} of open time ({} the {} h target)",
                hm(m.unsigned_abs()),
                if st.resolution_met == Some(true) { "within" } else { "beyond" },
                terms.resolution_minutes / 60
            )?,
            None => writeln!(out, "{ticket} resolved at {at_s}")?,
        },
        Event::Escalated => writeln!(
            out,
            "{ticket} escalated at {at_s}{}; its time no longer counts against the resolution target",
            st.estimate_minutes.map(|m| format!(" with an estimate of {}", hm(m))).unwrap_or_default()
        )?,
        Event::Reopened => writeln!(out, "{ticket} reopened at {at_s}")?,
    }
    if st.state == State::Open && st.first_response.is_none() && st.response_met == Some(false) {
        writeln!(err, "warning: {ticket} has no first response and its deadline {deadline} has passed")?;
    }
    note_problems(&loaded, err)?;
    Ok(Outcome::Ok)
}
