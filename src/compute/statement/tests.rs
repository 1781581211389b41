//! Unit tests of the statement: billed minutes, order, subtotals, the
//! escalated tickets of a month, the summary.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use super::chart::ChartMonth;
use super::{CorrectionLine, Input, escalated_tickets, statement};
use crate::compute;
use crate::model::logged::LoggedEntry;
use crate::model::ticket::{Event, TicketEvent};
use crate::model::{Contract, Entry, Kind, Locale, Money, Month, Percent, TermsPatch};
use crate::sla::tickets::{At, State, TicketStatus};

const TZ: Tz = chrono_tz::Europe::Berlin;

fn month(s: &str) -> Month {
    s.parse().unwrap()
}
fn day(s: &str) -> NaiveDate {
    crate::model::parse_date(s).unwrap()
}
fn money(s: &str) -> Money {
    Money::round(Decimal::from_str(s).unwrap())
}
fn contract(rounding: u32) -> Contract {
    Contract {
        customer: "ACME GmbH".into(),
        base: TermsPatch { hours: Some(2), rate: Some(money("100")), rounding: Some(rounding), ..Default::default() },
        ..Contract::for_tests()
    }
}
fn entry(date: &str, ticket: &str, kind: Kind, minutes: u64) -> LoggedEntry {
    LoggedEntry {
        date: day(date),
        ticket: ticket.into(),
        kind,
        level: "2".into(),
        channel: "desk".into(),
        engineer: "anna".into(),
        note: format!("{ticket} {minutes}"),
        minutes,
    }
}

/// A statement of November 2026 over `entries`, with the figures that
/// `compute::month` gives for the same rows.
fn input(c: &Contract, entries: Vec<LoggedEntry>) -> Input<'_> {
    let m = month("2026-11");
    let plain: Vec<Entry> = entries
        .iter()
        .map(|e| Entry { date: e.date, contract: "acme".into(), minutes: e.minutes, kind: e.kind })
        .collect();
    let figures = compute::month(m, "EUR", std::slice::from_ref(c), &plain, &[]).contracts.remove(0);
    Input {
        month: m,
        contract: c,
        terms: Some(c.terms(m)),
        chart: vec![ChartMonth::of(m, &figures)],
        figures,
        entries,
        approvals: vec![],
        corrections: vec![],
        closed: None,
        sla: None,
        sla_tickets: vec![],
        escalations: vec![],
        seller: None,
        locale: Locale::En,
        currency: "EUR".into(),
    }
}

#[test]
fn entries_in_date_order_billed_by_the_increment_nonbillable_not_billed() {
    let c = contract(15);
    let s = statement(input(
        &c,
        vec![
            entry("2026-11-20", "SD-2", Kind::Support, 50),
            entry("2026-11-03", "SD-1", Kind::Support, 1),
            entry("2026-11-20", "", Kind::Nonbillable, 35),
            entry("2026-11-03", "SD-1", Kind::Escalation, 16),
        ],
    ));
    let shown: Vec<(String, u64, u64)> =
        s.entries.iter().map(|e| (e.entry.note.clone(), e.entry.minutes, e.billed)).collect();
    assert_eq!(
        shown,
        [
            ("SD-1 1".to_string(), 1, 15),
            ("SD-1 16".to_string(), 16, 30),
            ("SD-2 50".to_string(), 50, 60),
            (" 35".to_string(), 35, 0),
        ],
        "by date, in logged order within a day"
    );
    assert_eq!((s.worked_minutes, s.billed_minutes), (102, 105));
    assert_eq!(s.billed_minutes, s.figures.used_minutes, "the billed column adds up to the used time");
    let subtotals: Vec<(Option<&str>, usize, u64, u64)> =
        s.tickets.iter().map(|t| (t.ticket.as_deref(), t.entries, t.worked, t.billed)).collect();
    assert_eq!(subtotals, [(Some("SD-1"), 2, 17, 45), (Some("SD-2"), 1, 50, 60), (None, 1, 35, 0)]);
}

#[test]
fn summary_is_the_figures_with_the_corrections_added_up() {
    let c = contract(1);
    let mut i = input(&c, vec![entry("2026-11-03", "SD-1", Kind::Support, 150)]);
    i.corrections = vec![
        CorrectionLine {
            month: month("2026-09"),
            minutes: 90,
            amount: money("150.00"),
            vat_rate: Percent::new(Decimal::from(19)),
            reasons: vec!["forgotten call".into()],
        },
        CorrectionLine {
            month: month("2026-10"),
            minutes: -30,
            amount: money("-50.00"),
            vat_rate: Percent::new(Decimal::from(19)),
            reasons: vec!["wrong customer".into()],
        },
    ];
    let s = statement(i);
    assert_eq!(s.summary.correction_amount, money("100.00"));
    // 2 h quota, 2:30 used, nothing approved: no overage invoiced.
    assert_eq!((s.summary.fee, s.summary.overage_amount, s.summary.net), (money("200"), Money::ZERO, money("200")));
    assert_eq!(s.figures.unapproved_overage_minutes, 30);
    assert_eq!(s.chart.bars.len(), 1);
}

fn at(s: &str) -> DateTime<Tz> {
    crate::sla::time::parse_at(s, TZ).unwrap()
}
fn ev(ticket: &str, contract: &str, when: &str, event: Event) -> TicketEvent {
    TicketEvent { at: at(when), ticket: ticket.into(), contract: contract.into(), event, note: String::new(), line: 2 }
}
fn status(ticket: &str, contract: &str, received: &str, estimate: Option<u64>) -> TicketStatus {
    TicketStatus {
        ticket: ticket.into(),
        contract: contract.into(),
        received: At(at(received)),
        response_deadline: At(at(received)),
        first_response: None,
        response_minutes: None,
        response_met: None,
        resolved: None,
        resolution_minutes: None,
        resolution_met: None,
        escalated: true,
        estimate_minutes: estimate,
        state: State::Escalated,
        logged_minutes: 0,
    }
}

#[test]
fn escalated_in_the_month_or_received_in_it_and_escalated() {
    let events = [
        // Received in October, escalated in November: listed.
        ev("SD-1", "acme", "2026-10-30 10:00", Event::Received),
        ev("SD-1", "acme", "2026-11-02 10:00", Event::Escalated),
        // Received in November, escalated in December: listed.
        ev("SD-2", "acme", "2026-11-28 10:00", Event::Received),
        ev("SD-2", "acme", "2026-12-01 10:00", Event::Escalated),
        // Received and escalated in October: not listed.
        ev("SD-3", "acme", "2026-10-01 10:00", Event::Received),
        ev("SD-3", "acme", "2026-10-02 10:00", Event::Escalated),
        // Received in November, never escalated: not listed.
        ev("SD-4", "acme", "2026-11-05 10:00", Event::Received),
        // Another contract's: not listed.
        ev("SD-5", "beta", "2026-11-05 10:00", Event::Received),
        ev("SD-5", "beta", "2026-11-06 10:00", Event::Escalated),
    ];
    let statuses = [
        status("SD-2", "acme", "2026-11-28 10:00", Some(600)),
        status("SD-1", "acme", "2026-10-30 10:00", Some(720)),
        status("SD-3", "acme", "2026-10-01 10:00", None),
        TicketStatus { escalated: false, state: State::Open, ..status("SD-4", "acme", "2026-11-05 10:00", None) },
        status("SD-5", "beta", "2026-11-05 10:00", None),
    ];
    let found = escalated_tickets(month("2026-11"), "acme", &statuses, &events);
    let shown: Vec<(&str, String, Option<u64>)> = found
        .iter()
        .map(|t| (t.ticket.as_str(), t.escalated.format("%Y-%m-%d").to_string(), t.estimate_minutes))
        .collect();
    assert_eq!(
        shown,
        [("SD-1", "2026-11-02".to_string(), Some(720)), ("SD-2", "2026-12-01".to_string(), Some(600))],
        "by received; the escalation in the month, else the latest"
    );
}

#[test]
fn escalation_minutes_per_ticket_are_its_billed_escalation_entries() {
    let c = contract(15);
    let mut i = input(
        &c,
        vec![
            entry("2026-11-03", "SD-1", Kind::Escalation, 20),
            entry("2026-11-04", "SD-1", Kind::Support, 20),
            entry("2026-11-05", "SD-2", Kind::Escalation, 5),
        ],
    );
    let events = [
        ev("SD-1", "acme", "2026-11-02 10:00", Event::Received),
        ev("SD-1", "acme", "2026-11-03 12:00", Event::Escalated),
    ];
    i.escalations =
        escalated_tickets(month("2026-11"), "acme", &[status("SD-1", "acme", "2026-11-02 10:00", Some(720))], &events);
    let s = statement(i);
    assert_eq!(s.escalations.len(), 1);
    assert_eq!(s.escalations[0].minutes, 30, "20 min rounded up to 30; support time not counted");
    assert_eq!(s.figures.escalated_minutes, 45);
}
