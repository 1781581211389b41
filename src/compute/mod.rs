//! The month computation of SPEC §3: pure functions from validated contracts,
//! entries and approvals to a [`MonthReport`], the plain data structure that
//! every renderer (report, statement, e-invoice) and the month closing read.
//! Corrections of closed months (§8.2) join the month they are dated in.
//! No files, no clock, no printing; it cannot fail.

pub mod closing;
pub mod corrections;
pub mod digest;
pub mod verify;
pub mod year;

pub mod invoice;

pub mod statement;

pub mod advise;
pub mod import;

use serde::Serialize;

use crate::model::amount::round_up;
use crate::model::{Approval, Contract, Entry, Kind, Money, Month, Percent, Terms};
pub use corrections::{ClosedBase, CorrectionLine, Corrections};

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

/// One contract's month: every figure of SPEC §3, named as in §5.1, with
/// the corrections of closed months billed in it (§8.2).
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
    /// Unapproved overage written off when the month was closed: never
    /// invoiced and no longer warned about (SPEC §8.1).
    pub written_off_minutes: u64,
    /// `None` (with `overage_rate` and `vat_rate`) for a contract that is
    /// not active in the month and appears only for its corrections.
    pub rate: Option<Money>,
    pub overage_rate: Option<Money>,
    pub vat_rate: Option<Percent>,
    pub fee: Money,
    pub overage_amount: Money,
    pub corrections: Vec<CorrectionLine>,
    pub correction_amount: Money,
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
}

impl ContractMonth {
    /// The month's minute counts by the names a closing gives them, in the
    /// order a closing lists them.
    pub fn minute_fields(&self) -> [(&'static str, u64); 10] {
        [
            ("quota_minutes", self.quota_minutes),
            ("used_minutes", self.used_minutes),
            ("escalated_minutes", self.escalated_minutes),
            ("nonbillable_minutes", self.nonbillable_minutes),
            ("forfeited_minutes", self.forfeited_minutes),
            ("overage_minutes", self.overage_minutes),
            ("approved_minutes", self.approved_minutes),
            ("approved_overage_minutes", self.approved_overage_minutes),
            ("unapproved_overage_minutes", self.unapproved_overage_minutes),
            ("written_off_minutes", self.written_off_minutes),
        ]
    }

    /// Unapproved overage still to be agreed (or written off): the warning.
    pub fn unsettled_overage_minutes(&self) -> u64 {
        self.unapproved_overage_minutes.saturating_sub(self.written_off_minutes)
    }

    /// The amounts of the month by VAT rate: the fee and the approved
    /// overage at the month's rate, each correction at the rate of the month
    /// it corrects.
    pub fn amounts_by_rate(&self) -> Vec<(Percent, Money)> {
        let own = self.vat_rate.map(|r| (r, self.fee + self.overage_amount));
        own.into_iter().chain(self.corrections.iter().map(|c| (c.vat_rate, c.amount))).collect()
    }
}

/// The VAT of a contract's month (SPEC §8.2, EN 16931 BR-CO-17): per VAT
/// rate, on the sum of the amounts at that rate, `round2(sum × rate / 100)`
/// half away from zero; then summed. Returns (rate, basis, VAT) per rate,
/// rates ascending. The month's figures and its invoice both use it.
pub fn vat_by_rate(amounts: impl IntoIterator<Item = (Percent, Money)>) -> Vec<(Percent, Money, Money)> {
    let mut by_rate: std::collections::BTreeMap<Percent, Money> = std::collections::BTreeMap::new();
    for (rate, amount) in amounts {
        *by_rate.entry(rate).or_insert(Money::ZERO) += amount;
    }
    by_rate.into_iter().map(|(rate, basis)| (rate, basis, basis.percent(rate.decimal()))).collect()
}

/// Sums of the per-contract rounded amounts (never recomputed from totals).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub fee: Money,
    pub overage_amount: Money,
    pub correction_amount: Money,
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
}

impl Totals {
    pub fn of(rows: &[ContractMonth]) -> Totals {
        Totals {
            fee: rows.iter().map(|r| r.fee).sum(),
            overage_amount: rows.iter().map(|r| r.overage_amount).sum(),
            correction_amount: rows.iter().map(|r| r.correction_amount).sum(),
            net: rows.iter().map(|r| r.net).sum(),
            vat: rows.iter().map(|r| r.vat).sum(),
            gross: rows.iter().map(|r| r.gross).sum(),
        }
    }
}

/// When and by whom a month was closed (SPEC §8.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Closed {
    pub at: String,
    pub by: String,
}

/// The month computation for a set of contracts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MonthReport {
    pub month: Month,
    pub currency: String,
    /// `Some` for a closed month, whose figures are its closing's.
    pub closed: Option<Closed>,
    pub contracts: Vec<ContractMonth>,
    pub totals: Totals,
}

/// One contract's figures for a month from its terms, usage and approvals
/// (no corrections yet: see [`ContractMonth::with_corrections`]).
pub fn contract_month(contract: &Contract, terms: &Terms, usage: Usage, approved: u64) -> ContractMonth {
    let quota = terms.hours * 60;
    let used = usage.used;
    let forfeited = quota.saturating_sub(used);
    let overage = used.saturating_sub(quota);
    let approved_overage = overage.min(approved);
    let fee = terms.fee();
    let overage_amount = Money::for_minutes(approved_overage, terms.overage_rate);
    let mut cm = ContractMonth {
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
        written_off_minutes: 0,
        rate: Some(terms.rate),
        overage_rate: Some(terms.overage_rate),
        vat_rate: Some(terms.vat_rate),
        fee,
        overage_amount,
        corrections: Vec::new(),
        correction_amount: Money::ZERO,
        net: Money::ZERO,
        vat: Money::ZERO,
        gross: Money::ZERO,
    };
    cm.settle();
    cm
}

impl ContractMonth {
    /// The row of a contract that is not active in the month but has
    /// corrections dated in it: only those (SPEC §8.2).
    pub fn corrections_only(contract: &Contract, corrections: Vec<CorrectionLine>) -> ContractMonth {
        let blank = ContractMonth::blank();
        ContractMonth { contract: contract.id.clone(), customer: contract.customer.clone(), ..blank }
            .with_corrections(corrections)
    }

    /// A row of nothing: all zero, no terms (the field names of a closing).
    pub fn blank() -> ContractMonth {
        ContractMonth {
            contract: String::new(),
            customer: String::new(),
            tier: None,
            quota_minutes: 0,
            used_minutes: 0,
            escalated_minutes: 0,
            nonbillable_minutes: 0,
            forfeited_minutes: 0,
            overage_minutes: 0,
            approved_minutes: 0,
            approved_overage_minutes: 0,
            unapproved_overage_minutes: 0,
            written_off_minutes: 0,
            rate: None,
            overage_rate: None,
            vat_rate: None,
            fee: Money::ZERO,
            overage_amount: Money::ZERO,
            corrections: Vec::new(),
            correction_amount: Money::ZERO,
            net: Money::ZERO,
            vat: Money::ZERO,
            gross: Money::ZERO,
        }
    }

    /// These figures with `corrections` billed in the month.
    pub fn with_corrections(mut self, corrections: Vec<CorrectionLine>) -> ContractMonth {
        self.corrections = corrections;
        self.settle();
        self
    }

    /// Net, VAT and gross from the amounts: `net = fee + overage_amount +
    /// correction_amount`, VAT per rate ([`vat_by_rate`]).
    fn settle(&mut self) {
        self.correction_amount = self.corrections.iter().map(|c| c.amount).sum();
        self.net = self.fee + self.overage_amount + self.correction_amount;
        self.vat = vat_by_rate(self.amounts_by_rate()).iter().map(|(_, _, vat)| *vat).sum();
        self.gross = self.net + self.vat;
    }
}

/// The month computation (SPEC §3) for every contract in `contracts` active
/// in `month`. Entries and approvals of other months or other contracts are
/// ignored, so callers may pass more than the month. Contracts come out
/// sorted by id. Without corrections; see [`month_with`].
pub fn month(
    month: Month,
    currency: &str,
    contracts: &[Contract],
    entries: &[Entry],
    approvals: &[Approval],
) -> MonthReport {
    month_with(month, currency, contracts, entries, approvals, &Corrections::default())
}

/// [`month`] with the corrections of closed months dated in `month` (SPEC
/// §8.2): per contract, their amounts join its figures; a contract not
/// active in the month but with corrections in it appears with only those.
pub fn month_with(
    month: Month,
    currency: &str,
    contracts: &[Contract],
    entries: &[Entry],
    approvals: &[Approval],
    corrections: &Corrections,
) -> MonthReport {
    let rounding: rustc_hash::FxHashMap<&str, u32> =
        contracts.iter().filter(|c| c.is_active(month)).map(|c| (c.id.as_str(), c.terms(month).rounding)).collect();
    let mut usage: rustc_hash::FxHashMap<&str, Usage> = rustc_hash::FxHashMap::default();
    for e in entries.iter().filter(|e| month.contains(e.date)) {
        if let Some((id, &inc)) = rounding.get_key_value(&*e.contract) {
            usage.entry(id).or_default().add(e.kind, e.minutes, inc);
        }
    }
    let mut approved: rustc_hash::FxHashMap<&str, u64> = rustc_hash::FxHashMap::default();
    for a in approvals.iter().filter(|a| a.month == month) {
        *approved.entry(&a.contract).or_default() += a.minutes;
    }
    month_from(
        month,
        currency,
        contracts,
        &|id| usage.get(id).copied().unwrap_or_default(),
        &|id| approved.get(id).copied().unwrap_or_default(),
        corrections,
    )
}

/// The month's report from each active contract's usage and approved
/// minutes, however they were gathered (a month's entries, or `check`'s
/// usage of every month), with the corrections dated in the month.
pub fn month_from(
    month: Month,
    currency: &str,
    contracts: &[Contract],
    usage: &dyn Fn(&str) -> Usage,
    approved: &dyn Fn(&str) -> u64,
    corrections: &Corrections,
) -> MonthReport {
    let mut sorted: Vec<&Contract> = contracts.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let mut rows = Vec::with_capacity(sorted.len());
    for c in sorted {
        let lines = if corrections.is_empty() { Vec::new() } else { corrections.lines(month, &c.id) };
        if c.is_active(month) {
            rows.push(contract_month(c, &c.terms(month), usage(&c.id), approved(&c.id)).with_corrections(lines));
        } else if !lines.is_empty() {
            rows.push(ContractMonth::corrections_only(c, lines));
        }
    }
    let totals = Totals::of(&rows);
    MonthReport { month, currency: currency.to_string(), closed: None, contracts: rows, totals }
}

#[cfg(test)]
mod tests;
