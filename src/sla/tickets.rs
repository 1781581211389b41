//! Ticket state and SLA figures from ticket events (SPEC §7): pure functions
//! over validated events, a clock and "now". The month's SLA report is plain
//! data, like the invoice's `MonthReport`.

use std::collections::BTreeMap;

use chrono::DateTime;
use chrono_tz::Tz;
use serde::{Serialize, Serializer};

use super::clock::Clock;
use super::time::format_at;
use crate::model::Month;
use crate::model::amount::parse_duration;
use crate::model::sla::ClockKind;
use crate::model::ticket::{Event, TicketEvent};

/// A contract's ticket terms: the targets in clock minutes and the clock.
#[derive(Clone, Debug)]
pub struct SlaTerms {
    pub response_minutes: i64,
    pub resolution_minutes: i64,
    pub clock: Clock,
}

/// Where a ticket stands after its last event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Open,
    Resolved,
    Escalated,
}

/// An instant written as RFC 3339 in the ledger's time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct At(pub DateTime<Tz>);

impl Serialize for At {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_at(self.0))
    }
}

/// One ticket's SLA figures (SPEC §7.1 `tickets`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TicketStatus {
    pub ticket: String,
    pub contract: String,
    pub received: At,
    pub response_deadline: At,
    pub first_response: Option<At>,
    pub response_minutes: Option<i64>,
    pub response_met: Option<bool>,
    pub resolved: Option<At>,
    pub resolution_minutes: Option<i64>,
    pub resolution_met: Option<bool>,
    pub escalated: bool,
    pub estimate_minutes: Option<u64>,
    pub state: State,
    /// Minutes logged in the time log with this ticket (support, escalation
    /// and nonbillable), over all months.
    pub logged_minutes: u64,
}

/// Checks the event sequence of one ticket, given in file order. Returns
/// `(line, message)` for each event that makes no sense.
pub fn validate(events: &[&TicketEvent]) -> Vec<(usize, String)> {
    let mut sorted: Vec<&TicketEvent> = events.to_vec();
    sorted.sort_by_key(|e| (e.at, e.line));
    let mut problems = Vec::new();
    let Some(received) = sorted.iter().find(|e| e.event == Event::Received).copied() else {
        let first = sorted[0];
        problems.push((first.line, format!("event: ticket {} has no \"received\" event", first.ticket)));
        return problems;
    };
    let mut state = None::<State>;
    for e in &sorted {
        if e.contract != received.contract {
            problems.push((
                e.line,
                format!(
                    "contract: ticket {} was received for \"{}\", not \"{}\"",
                    e.ticket, received.contract, e.contract
                ),
            ));
            continue;
        }
        let Some(s) = state else {
            if e.event == Event::Received {
                state = Some(State::Open);
            } else {
                problems.push((
                    e.line,
                    format!(
                        "at: ticket {} is {} at {}, before it was received at {} (line {})",
                        e.ticket,
                        e.event.as_str(),
                        format_at(e.at),
                        format_at(received.at),
                        received.line
                    ),
                ));
            }
            continue;
        };
        let next = match (e.event, s) {
            (Event::Received, _) => Err(format!("received twice (first at line {})", received.line)),
            (Event::Responded, s) => Ok(s),
            (Event::Resolved, State::Resolved) => Err("resolved again without \"reopened\" in between".to_string()),
            (Event::Resolved, _) => Ok(State::Resolved),
            (Event::Escalated, State::Open) => Ok(State::Escalated),
            (Event::Escalated, s) => Err(format!("escalated while {}", state_word(s))),
            (Event::Reopened, State::Open) => Err("reopened while it is open".to_string()),
            (Event::Reopened, _) => Ok(State::Open),
        };
        match next {
            Ok(n) => state = Some(n),
            Err(why) => problems.push((e.line, format!("event: ticket {} {why}", e.ticket))),
        }
    }
    problems
}

fn state_word(s: State) -> &'static str {
    match s {
        State::Open => "open",
        State::Resolved => "resolved",
        State::Escalated => "escalated already",
    }
}

/// `estimate 12h` (as `ticket escalate --estimate` writes it) → minutes.
pub fn estimate(note: &str) -> Option<u64> {
    let rest = note.trim().strip_prefix("estimate")?;
    let word = rest.split_whitespace().next()?.trim_end_matches([',', ';', '.']);
    parse_duration(word).ok()
}

/// The SLA figures of one valid ticket (its events in any order) at `now`.
pub fn status(events: &[&TicketEvent], terms: &SlaTerms, now: DateTime<Tz>) -> TicketStatus {
    let mut sorted: Vec<&TicketEvent> = events.to_vec();
    sorted.sort_by_key(|e| (e.at, e.line));
    let received = sorted.iter().find(|e| e.event == Event::Received).copied().unwrap_or(sorted[0]);
    let clock = &terms.clock;
    let deadline = clock.deadline(received.at, terms.response_minutes);
    let first_response = sorted.iter().find(|e| e.event == Event::Responded && e.at >= received.at).map(|e| e.at);
    let response_minutes = first_response.map(|r| clock.minutes_between(received.at, r));
    // Unanswered, it is breached once more clock time has passed than the
    // guarantee allows: on the business clock 17:30 after a 17:00 deadline
    // is not yet late, as a response then would still be in time.
    let response_met = match response_minutes {
        Some(m) => Some(m <= terms.response_minutes),
        None if clock.minutes_between(received.at, now) > terms.response_minutes => Some(false),
        None => None,
    };

    // Resolution time runs while the ticket is open in the package: not
    // after `escalated` or `resolved` until a `reopened`.
    let mut state = State::Open;
    let mut running_since = Some(received.at);
    let mut spent = 0i64;
    let mut last_resolved = None;
    let mut escalated = false;
    // Escalated and not reopened since: out of the package, so the
    // resolution target does not apply, even when it was resolved later.
    let mut left_package = false;
    let mut estimate_minutes = None;
    for e in sorted.iter().filter(|e| e.at >= received.at && e.event != Event::Received) {
        match e.event {
            Event::Resolved | Event::Escalated => {
                if let Some(since) = running_since.take() {
                    spent += clock.minutes_between(since, e.at);
                }
                if e.event == Event::Resolved {
                    state = State::Resolved;
                    last_resolved = Some(e.at);
                } else {
                    state = State::Escalated;
                    escalated = true;
                    left_package = true;
                    estimate_minutes = estimate(&e.note).or(estimate_minutes);
                }
            }
            Event::Reopened => {
                left_package = false;
                if running_since.is_none() {
                    running_since = Some(e.at);
                }
                state = State::Open;
            }
            Event::Responded | Event::Received => {}
        }
    }
    let (resolved, resolution_minutes, resolution_met) = match state {
        State::Resolved if left_package => (last_resolved.map(At), None, None),
        State::Resolved => (last_resolved.map(At), Some(spent), Some(spent <= terms.resolution_minutes)),
        State::Escalated => (None, None, None),
        State::Open => {
            let so_far = spent + running_since.map_or(0, |s| clock.minutes_between(s, now));
            (None, None, (so_far > terms.resolution_minutes).then_some(false))
        }
    };
    TicketStatus {
        ticket: received.ticket.clone(),
        contract: received.contract.clone(),
        received: At(received.at),
        response_deadline: At(deadline),
        first_response: first_response.map(At),
        response_minutes,
        response_met,
        resolved,
        resolution_minutes,
        resolution_met,
        escalated,
        estimate_minutes,
        state,
        logged_minutes: 0,
    }
}

/// Per contract, for tickets received in the month (SPEC §7.1 `contracts`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContractSla {
    pub contract: String,
    pub clock: &'static str,
    pub received: usize,
    pub responded_in_time: usize,
    pub breached: usize,
    pub open: usize,
    pub median_response_minutes: Option<i64>,
    pub max_response_minutes: Option<i64>,
    pub resolved_in_target: usize,
    /// Tickets judged against the resolution target (`resolution_met` not
    /// `null`): the denominator of the share resolved in target.
    pub resolution_counted: usize,
    pub escalated: usize,
}

/// The SLA report of a month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SlaReport {
    pub month: Month,
    pub contracts: Vec<ContractSla>,
    pub tickets: Vec<TicketStatus>,
}

/// The median of whole minutes; of an even count the mean of the middle two,
/// rounded down (SPEC §7).
pub fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]).div_euclid(2) })
}

/// Builds the month's report from the statuses of the tickets received in it
/// (any order) and each contract's clock kind.
pub fn month_report(month: Month, mut tickets: Vec<TicketStatus>, clocks: &BTreeMap<String, ClockKind>) -> SlaReport {
    tickets.sort_by(|a, b| a.received.cmp(&b.received).then_with(|| a.ticket.cmp(&b.ticket)));
    let mut by_contract: BTreeMap<&str, Vec<&TicketStatus>> = BTreeMap::new();
    for t in &tickets {
        by_contract.entry(t.contract.as_str()).or_default().push(t);
    }
    let contracts = by_contract
        .into_iter()
        .map(|(c, ts)| {
            let mut responses: Vec<i64> = ts.iter().filter_map(|t| t.response_minutes).collect();
            ContractSla {
                contract: c.to_string(),
                clock: match clocks.get(c) {
                    Some(ClockKind::Business) => "business",
                    _ => "calendar",
                },
                received: ts.len(),
                responded_in_time: ts.iter().filter(|t| t.response_met == Some(true)).count(),
                breached: ts.iter().filter(|t| t.response_met == Some(false)).count(),
                open: ts.iter().filter(|t| t.state == State::Open).count(),
                max_response_minutes: responses.iter().copied().max(),
                median_response_minutes: median(&mut responses),
                resolved_in_target: ts.iter().filter(|t| t.resolution_met == Some(true)).count(),
                resolution_counted: ts.iter().filter(|t| t.resolution_met.is_some()).count(),
                escalated: ts.iter().filter(|t| t.escalated).count(),
            }
        })
        .collect();
    SlaReport { month, contracts, tickets }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sla::{BusinessHours, DEFAULT_WORKDAYS, Region};
    use crate::sla::holidays::Holidays;
    use crate::sla::time::parse_at;

    const TZ: Tz = chrono_tz::Europe::Berlin;

    fn at(s: &str) -> DateTime<Tz> {
        parse_at(s, TZ).unwrap()
    }
    fn ev(line: usize, when: &str, event: Event, note: &str) -> TicketEvent {
        TicketEvent { at: at(when), ticket: "SD-1".into(), contract: "acme".into(), event, note: note.into(), line }
    }
    fn terms(kind: ClockKind) -> SlaTerms {
        SlaTerms {
            response_minutes: 48 * 60,
            resolution_minutes: 48 * 60,
            clock: Clock {
                kind,
                tz: TZ,
                hours: BusinessHours::default(),
                workdays: DEFAULT_WORKDAYS,
                holidays: Holidays::new(Region::De(None), vec![]),
            },
        }
    }
    fn run(events: &[TicketEvent], kind: ClockKind, now: &str) -> TicketStatus {
        let refs: Vec<&TicketEvent> = events.iter().collect();
        assert!(validate(&refs).is_empty(), "{:?}", validate(&refs));
        status(&refs, &terms(kind), at(now))
    }

    #[test]
    fn spec_example_across_the_october_clock_change_is_a_breach() {
        let events = [
            ev(2, "2026-10-24T12:00:00+02:00", Event::Received, ""),
            ev(3, "2026-10-26T11:30:00+01:00", Event::Responded, ""),
            ev(4, "2026-10-26T12:00:00+01:00", Event::Escalated, "estimate 12h"),
        ];
        let s = run(&events, ClockKind::Calendar, "2026-11-01 12:00");
        assert_eq!(format_at(s.response_deadline.0), "2026-10-26T11:00:00+01:00");
        assert_eq!((s.response_minutes, s.response_met), (Some(2910), Some(false)));
        assert_eq!((s.escalated, s.estimate_minutes, s.resolution_met), (true, Some(720), None));
        assert_eq!(s.state, State::Escalated);
    }

    #[test]
    fn unanswered_ticket_is_null_before_and_breached_after_its_deadline() {
        let events = [ev(2, "2026-11-20 09:00", Event::Received, "")];
        assert_eq!(run(&events, ClockKind::Calendar, "2026-11-22 08:59").response_met, None);
        assert_eq!(run(&events, ClockKind::Calendar, "2026-11-22 09:01").response_met, Some(false));
        assert_eq!(run(&events, ClockKind::Calendar, "2026-11-22 09:01").resolution_met, Some(false));
    }

    #[test]
    fn resolution_time_skips_resolved_and_escalated_stretches() {
        let events = [
            ev(2, "2026-11-16 09:00", Event::Received, ""),
            ev(3, "2026-11-16 11:00", Event::Responded, ""),
            ev(4, "2026-11-16 16:30", Event::Resolved, ""),
            ev(5, "2026-11-18 08:30", Event::Reopened, ""),
            ev(6, "2026-11-18 12:00", Event::Resolved, ""),
        ];
        let s = run(&events, ClockKind::Calendar, "2026-11-27 10:00");
        assert_eq!(s.resolution_minutes, Some(450 + 210));
        assert_eq!(s.resolution_met, Some(true));
        assert_eq!(s.resolved.map(|r| format_at(r.0)), Some("2026-11-18T12:00:00+01:00".to_string()));
    }

    #[test]
    fn resolved_while_escalated_is_not_judged_against_the_target() {
        let events = [
            ev(2, "2026-11-20 09:00", Event::Received, ""),
            ev(3, "2026-11-20 11:00", Event::Escalated, "estimate 12h"),
            ev(4, "2026-11-25 11:00", Event::Resolved, ""),
        ];
        let s = run(&events, ClockKind::Calendar, "2026-11-27 10:00");
        assert_eq!((s.state, s.resolution_minutes, s.resolution_met), (State::Resolved, None, None));
        assert!(s.resolved.is_some());
    }

    #[test]
    fn unanswered_on_the_business_clock_is_late_only_once_business_time_runs_out() {
        // Received Friday 09:00: six 8-hour business days end Friday 17:00 a week later.
        let events = [ev(2, "2026-11-20 09:00", Event::Received, "")];
        let s = run(&events, ClockKind::Business, "2026-11-27 17:30");
        assert_eq!(format_at(s.response_deadline.0), "2026-11-27T17:00:00+01:00");
        assert_eq!(s.response_met, None, "no business time has passed since 17:00");
        assert_eq!(run(&events, ClockKind::Business, "2026-11-30 09:01").response_met, Some(false));
    }

    #[test]
    fn business_clock_over_a_weekend() {
        let events = [ev(2, "2026-11-06 16:00", Event::Received, ""), ev(3, "2026-11-09 10:30", Event::Responded, "")];
        let s = run(&events, ClockKind::Business, "2026-11-27 10:00");
        assert_eq!(s.response_minutes, Some(60 + 90));
        assert_eq!(format_at(s.response_deadline.0), "2026-11-16T16:00:00+01:00");
    }

    #[test]
    fn events_count_in_time_order_not_row_order() {
        let events = [ev(2, "2026-11-20 10:00", Event::Responded, ""), ev(3, "2026-11-20 09:00", Event::Received, "")];
        let s = run(&events, ClockKind::Calendar, "2026-11-27 10:00");
        assert_eq!(s.response_minutes, Some(60));
    }

    #[test]
    fn sequences_that_make_no_sense() {
        let cases: [(&[TicketEvent], &str); 5] = [
            (&[ev(2, "2026-11-20 09:00", Event::Responded, "")], "has no \"received\" event"),
            (
                &[ev(2, "2026-11-20 09:00", Event::Received, ""), ev(3, "2026-11-20 08:00", Event::Responded, "")],
                "before it was received",
            ),
            (
                &[
                    ev(2, "2026-11-20 09:00", Event::Received, ""),
                    ev(3, "2026-11-20 10:00", Event::Resolved, ""),
                    ev(4, "2026-11-20 11:00", Event::Resolved, ""),
                ],
                "resolved again",
            ),
            (
                &[ev(2, "2026-11-20 09:00", Event::Received, ""), ev(3, "2026-11-20 10:00", Event::Reopened, "")],
                "reopened while it is open",
            ),
            (
                &[ev(2, "2026-11-20 09:00", Event::Received, ""), ev(3, "2026-11-21 09:00", Event::Received, "")],
                "received twice",
            ),
        ];
        for (events, want) in cases {
            let refs: Vec<&TicketEvent> = events.iter().collect();
            let found = validate(&refs);
            assert!(found.iter().any(|(_, m)| m.contains(want)), "{want}: {found:?}");
        }
    }

    #[test]
    fn medians_and_estimates() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5]), Some(5));
        assert_eq!(median(&mut [30, 10, 20]), Some(20));
        assert_eq!(median(&mut [10, 21]), Some(15), "mean of the middle two, rounded down");
        assert_eq!(estimate("estimate 12h"), Some(720));
        assert_eq!(estimate("estimate 1h30m; with migration"), Some(90));
        assert_eq!(estimate("no idea"), None);
    }
}
