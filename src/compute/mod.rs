//! The month computation of SPEC §3: pure functions from validated contracts,
//! entries and approvals to a [`MonthReport`], the plain data structure that
//! every renderer (and later the statement, the e-invoice and month closing)
//! reads. No files, no clock, no printing; it cannot fail.

pub mod advise;
pub mod import;

use serde::Serialize;

use crate::model::amount::round_up;
use crate::model::{Approval, Contract, Entry, Kind, Money, Month, Percent, Terms};

/// Minutes of one contract in one month, summed from its entries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Billed minutes of support and escalation entries (after rounding).
    pub used: u64,
    /// Billed minutes of escalation entries.
    pub escalated: u64,
    /// Raw minutes of nonbillable entries (never rounded, never charged).
    pub nonbillable: u64,
}

impl Usage {
    /// Adds one entry, rounding its minutes up to `increment`.
    pub fn add(&mut self, kind: Kind, minutes: u64, increment: u32) {
        match kind {
            Kind::Support => self.used += round_up(minutes, increment),
            Kind::Escalation => {
                let billed = round_up(minutes, increment);
                self.used += billed;
                self.escalated += billed;
            }
            Kind::Nonbillable => self.nonbillable += minutes,
        }
    }
}

impl std::ops::AddAssign for Usage {
    /// Usage of the same contract and month read in parts (files, threads).
    fn add_assign(&mut self, other: Usage) {
        self.used += other.used;
        self.escalated += other.escalated;
        self.nonbillable += other.nonbillable;
    }
}

/// One contract's month: every figure of SPEC §3, named as in §5.1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContractMonth {
    pub contract: String,
    pub customer: String,
    pub tier: Option<String>,
    pub quota_minutes: u64,
    pub used_minutes: u64,
    pub escalated_minutes: u64,
    pub nonbillable_minutes: u64,
    pub forfeited_minutes: u64,
    pub overage_minutes: u64,
    pub approved_minutes: u64,
    pub approved_overage_minutes: u64,
    pub unapproved_overage_minutes: u64,
    pub rate: Money,
    pub overage_rate: Money,
    pub vat_rate: Percent,
    pub fee: Money,
    pub overage_amount: Money,
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
}

/// Sums of the per-contract rounded amounts (never recomputed from totals).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub fee: Money,
    pub overage_amount: Money,
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
}

/// The month computation for a set of contracts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MonthReport {
    pub month: Month,
    pub currency: String,
    pub contracts: Vec<ContractMonth>,
    pub totals: Totals,
}

/// One contract's figures for a month from its terms, usage and approvals.
pub fn contract_month(contract: &Contract, terms: &Terms, usage: Usage, approved: u64) -> ContractMonth {
    let quota = terms.hours * 60;
    let used = usage.used;
    let forfeited = quota.saturating_sub(used);
    let overage = used.saturating_sub(quota);
    let approved_overage = overage.min(approved);
    let fee = terms.fee();
    let overage_amount = Money::for_minutes(approved_overage, terms.overage_rate);
    let net = fee + overage_amount;
    let vat = net.percent(terms.vat_rate.decimal());
    ContractMonth {
        contract: contract.id.clone(),
        customer: contract.customer.clone(),
        tier: terms.tier.clone(),
        quota_minutes: quota,
        used_minutes: used,
        escalated_minutes: usage.escalated,
        nonbillable_minutes: usage.nonbillable,
        forfeited_minutes: forfeited,
        overage_minutes: overage,
        approved_minutes: approved,
        approved_overage_minutes: approved_overage,
        unapproved_overage_minutes: overage - approved_overage,
        rate: terms.rate,
        overage_rate: terms.overage_rate,
        vat_rate: terms.vat_rate,
        fee,
        overage_amount,
        net,
        vat,
        gross: net + vat,
    }
}

/// The month computation (SPEC §3) for every contract in `contracts` active
/// in `month`. Entries and approvals of other months or other contracts are
/// ignored, so callers may pass more than the month. Contracts come out
/// sorted by id.
pub fn month(
    month: Month,
    currency: &str,
    contracts: &[Contract],
    entries: &[Entry],
    approvals: &[Approval],
) -> MonthReport {
    let mut active: Vec<(&Contract, Terms)> =
        contracts.iter().filter(|c| c.is_active(month)).map(|c| (c, c.terms(month))).collect();
    active.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    let index: rustc_hash::FxHashMap<&str, usize> =
        active.iter().enumerate().map(|(i, (c, _))| (c.id.as_str(), i)).collect();

    let mut usage = vec![Usage::default(); active.len()];
    for e in entries.iter().filter(|e| month.contains(e.date)) {
        if let Some(&i) = index.get(&*e.contract) {
            usage[i].add(e.kind, e.minutes, active[i].1.rounding);
        }
    }
    let mut approved = vec![0u64; active.len()];
    for a in approvals.iter().filter(|a| a.month == month) {
        if let Some(&i) = index.get(&*a.contract) {
            approved[i] += a.minutes;
        }
    }

    let rows: Vec<ContractMonth> =
        active.iter().enumerate().map(|(i, (c, t))| contract_month(c, t, usage[i], approved[i])).collect();
    let totals = Totals {
        fee: rows.iter().map(|r| r.fee).sum(),
        overage_amount: rows.iter().map(|r| r.overage_amount).sum(),
        net: rows.iter().map(|r| r.net).sum(),
        vat: rows.iter().map(|r| r.vat).sum(),
        gross: rows.iter().map(|r| r.gross).sum(),
    };
    MonthReport { month, currency: currency.to_string(), contracts: rows, totals }
}

#[cfg(test)]
mod tests;
