//! Ticket events (SPEC §7): what happened to a service-desk request, when.

use chrono::DateTime;
use chrono_tz::Tz;

/// The `event` column of `tickets.csv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Event {
    Received,
    Responded,
    Resolved,
    Escalated,
    Reopened,
}

impl Event {
    pub const NAMES: &'static [&'static str] = &["received", "responded", "resolved", "escalated", "reopened"];

    pub fn parse(s: &str) -> Option<Event> {
        match s {
            "received" => Some(Event::Received),
            "responded" => Some(Event::Responded),
            "resolved" => Some(Event::Resolved),
            "escalated" => Some(Event::Escalated),
            "reopened" => Some(Event::Reopened),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        Event::NAMES[self as usize]
    }
}

/// One row of `tickets.csv`, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketEvent {
    pub at: DateTime<Tz>,
    pub ticket: String,
    pub contract: String,
    pub event: Event,
    pub note: String,
    /// Line in `tickets.csv`, for messages.
    pub line: usize,
}
