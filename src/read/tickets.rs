//! `tickets.csv`: ticket events (SPEC §7), read and checked event by event
//! and ticket by ticket.

use std::collections::BTreeMap;

use chrono_tz::Tz;

use super::problem::Problems;
use super::table::{self, Column, Row};
use super::timelog::{ContractIndex, row_id};
use crate::model::Month;
use crate::model::ticket::{Event, TicketEvent};
use crate::sla::{tickets, time};

pub const FILE: &str = "tickets.csv";
pub const HEADER: &[&str] = &["at", "ticket", "contract", "event", "note", "id"];

const AT: usize = 0;
const TICKET: usize = 1;
const CONTRACT: usize = 2;
const EVENT: usize = 3;
const NOTE: usize = 4;
const ID: usize = 5;

fn columns() -> Vec<Column<'static>> {
    HEADER.iter().map(|&name| Column { name, required: !matches!(name, "note" | "id") }).collect()
}

fn parse_row(r: &Row<'_>, tz: Tz, index: &ContractIndex<'_>) -> Result<Option<TicketEvent>, String> {
    let at = time::parse_at(r.get(AT), tz).map_err(|e| format!("at: {e}"))?;
    let ticket = r.get(TICKET).trim();
    if ticket.is_empty() {
        return Err("ticket: is empty".into());
    }
    let event = Event::parse(r.get(EVENT))
        .ok_or_else(|| format!("event: \"{}\" is not one of {}", r.get(EVENT), Event::NAMES.join(", ")))?;
    row_id(r, ID)?;
    let Some(contract) = index.find(r.get(CONTRACT)).map_err(|e| format!("contract: {e}"))? else { return Ok(None) };
    if event == Event::Received {
        index.check_active(contract, Month::of(at.date_naive())).map_err(|e| format!("contract: {e}"))?;
    }
    Ok(Some(TicketEvent {
        at,
        ticket: ticket.to_string(),
        contract: index.contracts[contract].id.clone(),
        event,
        note: r.get(NOTE).to_string(),
        line: r.line(),
    }))
}

/// Reads `tickets.csv` (`data`), then checks each ticket's sequence of events.
pub fn read(data: &[u8], tz: Tz, index: &ContractIndex<'_>, problems: &mut Problems) -> Vec<TicketEvent> {
    let first_problem = problems.list.len();
    let mut events = Vec::new();
    table::read_rows(FILE, data, &columns(), problems, |r| {
        events.extend(parse_row(r, tz, index)?);
        Ok(())
    });
    for (line, msg) in check_sequences(&events) {
        problems.error(FILE, Some(line), None, msg);
    }
    // In line order, whether a row could not be read or its event made no sense.
    problems.list[first_problem..].sort_by_key(|p| p.line);
    events
}

/// The problems of every ticket's event sequence, by line.
pub fn check_sequences(events: &[TicketEvent]) -> Vec<(usize, String)> {
    let mut found: Vec<(usize, String)> = by_ticket(events).values().flat_map(|evs| tickets::validate(evs)).collect();
    found.sort();
    found
}

/// Events grouped by ticket key, in file order within each ticket.
pub fn by_ticket(events: &[TicketEvent]) -> BTreeMap<&str, Vec<&TicketEvent>> {
    let mut map: BTreeMap<&str, Vec<&TicketEvent>> = BTreeMap::new();
    for e in events {
        map.entry(e.ticket.as_str()).or_default().push(e);
    }
    map
}
