//! A customer statement (SPEC §10) as one plain data structure, built by a
//! pure function from what the commands read: the contract and its terms,
//! the month's figures exactly as `report` computes them, the month's
//! entries in full, approvals with their references, corrections, the
//! closing, the usage of the months before, the SLA figures as `sla`
//! computes them, escalated tickets. No files, no clock, no printing; the
//! renderers (`render::statement`) only format what is here.

pub mod chart;

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use chrono_tz::Tz;

use super::ContractMonth;
pub use super::CorrectionLine;
use crate::model::amount::round_up;
use crate::model::logged::LoggedEntry;
use crate::model::ticket::{Event, TicketEvent};
use crate::model::{Contract, Kind, Locale, Money, Month, Terms};
use crate::sla::tickets::{ContractSla, State, TicketStatus};
use chart::{Chart, ChartMonth};

/// An approval of overage for the month, with where it is documented.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApprovalLine {
    pub date: NaiveDate,
    pub minutes: u64,
    pub reference: String,
    pub note: String,
}

/// When and by whom the month was closed (SPEC §8.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closed {
    pub at: DateTime<FixedOffset>,
    pub by: String,
}

/// A ticket that left the package (SPEC §7), as the statement lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EscalatedTicket {
    pub ticket: String,
    pub received: DateTime<Tz>,
    /// Its latest escalation in the month, else its latest at all.
    pub escalated: DateTime<Tz>,
    /// The latest estimate given (`ticket escalate --estimate`).
    pub estimate_minutes: Option<u64>,
    pub state: State,
}

/// Everything a statement is made from.
#[derive(Clone, Debug)]
pub struct Input<'a> {
    pub month: Month,
    pub contract: &'a Contract,
    /// The terms in force in the month; `None` when the contract is not
    /// active in it (a statement of corrections only).
    pub terms: Option<Terms>,
    /// The month's figures of the contract, as `report --month` shows them.
    pub figures: ContractMonth,
    /// The contract's time-log rows of the month, in file order.
    pub entries: Vec<LoggedEntry>,
    pub approvals: Vec<ApprovalLine>,
    /// Corrections dated in the month, one line per corrected month.
    pub corrections: Vec<CorrectionLine>,
    /// `Some` for a closed month.
    pub closed: Option<Closed>,
    /// The months of the chart, oldest first, ending with the month.
    pub chart: Vec<ChartMonth>,
    /// The contract's SLA figures of the month, as `sla --month` shows them
    /// (`None`: no ticket received in the month).
    pub sla: Option<ContractSla>,
    /// The contract's tickets received in the month, sorted by `received`.
    pub sla_tickets: Vec<TicketStatus>,
    /// Tickets escalated in the month, or received in it and escalated.
    pub escalations: Vec<EscalatedTicket>,
    /// The seller's name (`[seller] name`), left out when unset.
    pub seller: Option<String>,
    pub locale: Locale,
    pub currency: String,
}

/// One entry as listed: the row and its billed minutes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementEntry {
    pub entry: LoggedEntry,
    /// Minutes rounded up to the contract's increment; 0 for nonbillable.
    pub billed: u64,
}

/// The entries of one ticket (`None`: entries without a ticket).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketSubtotal {
    pub ticket: Option<String>,
    pub entries: usize,
    pub worked: u64,
    pub billed: u64,
}

/// An escalated ticket with the escalation time logged on it in the month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Escalation {
    pub ticket: EscalatedTicket,
    /// Billed minutes of its `escalation` entries in the month.
    pub minutes: u64,
}

/// The invoice of the month in short (SPEC §3, §8.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    pub fee: Money,
    pub approved_overage_minutes: u64,
    pub overage_amount: Money,
    /// The sum of the correction lines.
    pub correction_amount: Money,
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
}

/// A customer statement: everything its renderers show.
#[derive(Clone, Debug)]
pub struct Statement {
    pub month: Month,
    pub seller: Option<String>,
    pub contract: String,
    pub customer: String,
    pub terms: Option<Terms>,
    pub closed: Option<Closed>,
    pub locale: Locale,
    pub currency: String,
    /// The month's figures, identical to `report`'s.
    pub figures: ContractMonth,
    pub chart: Chart,
    /// The months the chart shows, oldest first.
    pub chart_months: Vec<ChartMonth>,
    /// Every entry of the month, in date order (file order within a day).
    pub entries: Vec<StatementEntry>,
    pub worked_minutes: u64,
    pub billed_minutes: u64,
    /// In the order of each ticket's first entry; entries without a ticket last.
    pub tickets: Vec<TicketSubtotal>,
    pub escalations: Vec<Escalation>,
    pub approvals: Vec<ApprovalLine>,
    pub corrections: Vec<CorrectionLine>,
    pub sla: Option<ContractSla>,
    pub sla_tickets: Vec<TicketStatus>,
    pub summary: Summary,
}

/// Billed minutes of an entry under `increment` (SPEC §3): support and
/// escalation time rounded up, nonbillable time not billed.
pub fn billed(entry: &LoggedEntry, increment: u32) -> u64 {
    match entry.kind {
        Kind::Support | Kind::Escalation => round_up(entry.minutes, increment),
        Kind::Nonbillable => 0,
    }
}

/// Builds the statement.
pub fn statement(input: Input<'_>) -> Statement {
    let increment = input.terms.as_ref().map_or(1, |t| t.rounding);
    let mut entries: Vec<StatementEntry> =
        input.entries.into_iter().map(|e| StatementEntry { billed: billed(&e, increment), entry: e }).collect();
    // Stable: entries of one day stay in the order they were logged.
    entries.sort_by_key(|e| e.entry.date);

    let mut tickets: Vec<TicketSubtotal> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut none = TicketSubtotal { ticket: None, entries: 0, worked: 0, billed: 0 };
    for e in &entries {
        let t = if e.entry.ticket.is_empty() {
            &mut none
        } else {
            let i = *at.entry(e.entry.ticket.as_str()).or_insert_with(|| {
                tickets.push(TicketSubtotal { ticket: Some(e.entry.ticket.clone()), entries: 0, worked: 0, billed: 0 });
                tickets.len() - 1
            });
            &mut tickets[i]
        };
        t.entries += 1;
        t.worked += e.entry.minutes;
        t.billed += e.billed;
    }
    if none.entries > 0 {
        tickets.push(none);
    }

    let escalations = input
        .escalations
        .into_iter()
        .map(|t| {
            let minutes = entries
                .iter()
                .filter(|e| e.entry.kind == Kind::Escalation && e.entry.ticket == t.ticket)
                .map(|e| e.billed)
                .sum();
            Escalation { ticket: t, minutes }
        })
        .collect();

    let f = &input.figures;
    let correction_amount = input.corrections.iter().map(|c| c.amount).sum();
    let summary = Summary {
        fee: f.fee,
        approved_overage_minutes: f.approved_overage_minutes,
        overage_amount: f.overage_amount,
        correction_amount,
        net: f.net,
        vat: f.vat,
        gross: f.gross,
    };
    Statement {
        month: input.month,
        seller: input.seller,
        contract: input.contract.id.clone(),
        customer: input.contract.customer.clone(),
        terms: input.terms,
        closed: input.closed,
        locale: input.locale,
        currency: input.currency,
        chart: chart::chart(&input.chart),
        chart_months: input.chart,
        worked_minutes: entries.iter().map(|e| e.entry.minutes).sum(),
        billed_minutes: entries.iter().map(|e| e.billed).sum(),
        entries,
        tickets,
        escalations,
        approvals: input.approvals,
        corrections: input.corrections,
        sla: input.sla,
        sla_tickets: input.sla_tickets,
        summary,
        figures: input.figures,
    }
}

/// The tickets of `contract` escalated during `month`, or received in it and
/// escalated, from their statuses and events (any order); by `received`.
pub fn escalated_tickets(
    month: Month,
    contract: &str,
    statuses: &[TicketStatus],
    events: &[TicketEvent],
) -> Vec<EscalatedTicket> {
    let mut escalations: HashMap<&str, Vec<DateTime<Tz>>> = HashMap::new();
    for e in events.iter().filter(|e| e.event == Event::Escalated && e.contract == contract) {
        escalations.entry(e.ticket.as_str()).or_default().push(e.at);
    }
    let mut out: Vec<EscalatedTicket> = statuses
        .iter()
        .filter(|s| s.contract == contract)
        .filter_map(|s| {
            let times = escalations.get(s.ticket.as_str())?;
            let in_month = times.iter().filter(|t| Month::of(t.date_naive()) == month).max();
            let received_in_month = Month::of(s.received.0.date_naive()) == month;
            if in_month.is_none() && !received_in_month {
                return None;
            }
            let escalated = *in_month.or_else(|| times.iter().max())?;
            Some(EscalatedTicket {
                ticket: s.ticket.clone(),
                received: s.received.0,
                escalated,
                estimate_minutes: s.estimate_minutes,
                state: s.state,
            })
        })
        .collect();
    out.sort_by(|a, b| a.received.cmp(&b.received).then_with(|| a.ticket.cmp(&b.ticket)));
    out
}

#[cfg(test)]
mod tests;
