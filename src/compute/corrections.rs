//! Corrections of closed months (SPEC §8.2), pure: the corrected figures of
//! a closed month and the telescoping rule that bills their money effect in
//! the months the corrections are dated in.
//!
//! A closed month's figures never change. Its corrected figures are those of
//! §3 with `used` moved by the corrections' minutes, with the terms and the
//! approvals of its closing. For a later month X, X's amount for closed month
//! M is `overage_amount(M corrected by the corrections dated up to the end of
//! X) − overage_amount(M corrected by those dated before X)`: summed over all
//! X, exactly the difference between the corrected and the closed figures.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Correction, Money, Month, Percent};

use super::ContractMonth;

/// What a correction needs of one contract in one closed month: from its
/// closing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClosedBase {
    pub quota: u64,
    pub used: u64,
    pub approved: u64,
    pub overage_rate: Money,
    pub vat_rate: Percent,
}

/// A closed month's figures moved by corrections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Corrected {
    /// `used` plus the corrections (never below zero: `correct` refuses that).
    pub used: u64,
    pub overage: u64,
    pub approved_overage: u64,
    pub overage_amount: Money,
}

impl ClosedBase {
    /// The base of a closing's contract row; `None` for a row that had only
    /// corrections (no terms: nothing in it can be corrected).
    pub fn of(cm: &ContractMonth) -> Option<ClosedBase> {
        Some(ClosedBase {
            quota: cm.quota_minutes,
            used: cm.used_minutes,
            approved: cm.approved_minutes,
            overage_rate: cm.overage_rate?,
            vat_rate: cm.vat_rate?,
        })
    }

    /// The figures with `delta` minutes of corrections: `approved_overage =
    /// min(max(0, used + delta − quota), approved)`; the rest of any overage
    /// stays unbilled, so negative corrections reduce written-off or
    /// unapproved time first.
    pub fn corrected(&self, delta: i64) -> Corrected {
        let used = u64::try_from(i128::from(self.used) + i128::from(delta)).unwrap_or(0);
        let overage = used.saturating_sub(self.quota);
        let approved_overage = overage.min(self.approved);
        Corrected {
            used,
            overage,
            approved_overage,
            overage_amount: Money::for_minutes(approved_overage, self.overage_rate),
        }
    }
}

/// The corrections of one closed month billed in a month (SPEC §8.2): one
/// per corrected month, as the report's JSON shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CorrectionLine {
    /// The closed month corrected.
    pub month: Month,
    /// Sum of the minutes of its corrections dated in the billing month.
    pub minutes: i64,
    /// The money effect billed (negative: credited).
    pub amount: Money,
    /// The VAT rate of the corrected month.
    pub vat_rate: Percent,
    /// Why, one per correction row, in the order recorded.
    pub reasons: Vec<String>,
}

/// Every valid correction row and the closings they refer to.
#[derive(Clone, Debug, Default)]
pub struct Corrections {
    pub rows: Vec<Correction>,
    /// By (contract, corrected month).
    pub bases: BTreeMap<(String, Month), ClosedBase>,
}

impl Corrections {
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Sum of the minutes of `contract`'s corrections of `month` that
    /// `dated` accepts.
    fn minutes(&self, contract: &str, month: Month, dated: impl Fn(Month) -> bool) -> i64 {
        self.rows
            .iter()
            .filter(|c| &*c.contract == contract && c.month == month && dated(Month::of(c.date)))
            .map(|c| c.minutes)
            .sum()
    }

    /// The lines that month `x` bills for `contract`, by corrected month.
    /// Corrections whose closing is unknown are left out (`check` reports
    /// them; a report refuses before it gets here).
    pub fn lines(&self, x: Month, contract: &str) -> Vec<CorrectionLine> {
        let mut by_month: BTreeMap<Month, Vec<String>> = BTreeMap::new();
        for c in self.rows.iter().filter(|c| &*c.contract == contract && Month::of(c.date) == x) {
            by_month.entry(c.month).or_default().push(c.reason.clone());
        }
        by_month
            .into_iter()
            .filter_map(|(m, reasons)| {
                let base = self.bases.get(&(contract.to_string(), m))?;
                let before = self.minutes(contract, m, |d| d < x);
                let within = self.minutes(contract, m, |d| d == x);
                let amount = base.corrected(before + within).overage_amount - base.corrected(before).overage_amount;
                Some(CorrectionLine { month: m, minutes: within, amount, vat_rate: base.vat_rate, reasons })
            })
            .collect()
    }

    /// Closed month `m` of `contract` corrected by every correction of it.
    pub fn corrected(&self, contract: &str, m: Month) -> Option<Corrected> {
        let base = self.bases.get(&(contract.to_string(), m))?;
        Some(base.corrected(self.minutes(contract, m, |_| true)))
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::*;

    fn m(s: &str) -> Month {
        s.parse().unwrap()
    }
    fn money(s: &str) -> Money {
        Money::round(Decimal::from_str(s).unwrap())
    }
    fn base(quota: u64, used: u64, approved: u64) -> ClosedBase {
        ClosedBase { quota, used, approved, overage_rate: money("100"), vat_rate: Percent::new(Decimal::from(19)) }
    }
    fn corr(date: &str, month: &str, minutes: i64, reason: &str) -> Correction {
        Correction {
            date: crate::model::parse_date(date).unwrap(),
            contract: "acme".into(),
            month: m(month),
            minutes,
            reason: reason.into(),
        }
    }
    fn set(b: ClosedBase, rows: Vec<Correction>) -> Corrections {
        let mut bases = BTreeMap::new();
        bases.insert(("acme".to_string(), m("2026-10")), b);
        Corrections { rows, bases }
    }

    #[test]
    fn time_added_beyond_the_approvals_is_not_billed() {
        // Closed: 1,410 used of 1,200, 120 approved: 120 billed (200.00).
        let c = set(base(1200, 1410, 120), vec![corr("2026-11-05", "2026-10", 60, "forgotten call")]);
        let lines = c.lines(m("2026-11"), "acme");
        assert_eq!(lines.len(), 1);
        assert_eq!((lines[0].minutes, lines[0].amount), (60, Money::ZERO));
        assert_eq!(lines[0].reasons, ["forgotten call"]);
    }

    #[test]
    fn negative_corrections_take_unapproved_time_first() {
        // 1,410 used, 300 approved: 210 overage all billed (350.00).
        // Taking 30 minutes away leaves 180 billed: −50.00.
        let c = set(base(1200, 1410, 300), vec![corr("2026-11-05", "2026-10", -30, "booked to the wrong customer")]);
        assert_eq!(c.lines(m("2026-11"), "acme")[0].amount, money("-50.00"));
        // With only 120 approved, 90 were unapproved: taking 30 away bills the same.
        let c = set(base(1200, 1410, 120), vec![corr("2026-11-05", "2026-10", -30, "x")]);
        assert_eq!(c.lines(m("2026-11"), "acme")[0].amount, Money::ZERO);
        // Within the quota nothing changes in money, but the line is shown.
        let c = set(base(1200, 600, 0), vec![corr("2026-11-05", "2026-10", 90, "x")]);
        let lines = c.lines(m("2026-11"), "acme");
        assert_eq!((lines.len(), lines[0].minutes, lines[0].amount), (1, 90, Money::ZERO));
    }

    #[test]
    fn time_added_within_the_approvals_is_billed_in_the_month_recorded() {
        // 1,230 used, 300 approved: 30 billed; +90 → 120 billed: +150.00.
        let c = set(
            base(1200, 1230, 300),
            vec![corr("2026-11-05", "2026-10", 60, "a"), corr("2026-12-01", "2026-10", 30, "b")],
        );
        assert_eq!(c.lines(m("2026-11"), "acme")[0].amount, money("100.00"));
        assert_eq!(c.lines(m("2026-12"), "acme")[0].amount, money("50.00"));
        assert!(c.lines(m("2027-01"), "acme").is_empty());
        assert_eq!(c.corrected("acme", m("2026-10")).unwrap().overage_amount, money("200.00"));
    }

    #[test]
    fn half_cents_telescope_exactly() {
        // 7 minutes at 100.00/h = 11.666… → 11.67; 14 → 23.33.
        let c =
            set(base(0, 0, 1000), vec![corr("2026-11-05", "2026-10", 7, "a"), corr("2026-12-05", "2026-10", 7, "b")]);
        let nov = c.lines(m("2026-11"), "acme")[0].amount;
        let dec = c.lines(m("2026-12"), "acme")[0].amount;
        assert_eq!((nov, dec), (money("11.67"), money("11.66")));
        assert_eq!(nov + dec, money("23.33"));
    }

    proptest! {
        /// SPEC §8.2: whatever the dates and order of the corrections, the
        /// amounts billed in all later months add up to exactly the
        /// difference between the corrected and the closed figures.
        #[test]
        fn amounts_telescope(
            quota in 0u64..3000,
            used in 0u64..4000,
            approved in 0u64..2000,
            rate_cents in 1u32..20000,
            moves in proptest::collection::vec((1u32..=6, -500i64..500), 0..12),
        ) {
            let rate = Money::round(Decimal::new(i64::from(rate_cents), 2));
            let b = ClosedBase { quota, used, approved, overage_rate: rate, vat_rate: Percent::new(Decimal::from(19)) };
            let mut total = 0i64;
            let mut rows = Vec::new();
            for (month_after, minutes) in moves {
                // Never below zero, as `correct` refuses.
                if minutes == 0 || i64::try_from(used).unwrap() + total + minutes < 0 {
                    continue;
                }
                total += minutes;
                let billed_in = (1..=month_after).fold(m("2026-10"), |x, _| x.next());
                let date = billed_in.first_day().to_string();
                rows.push(corr(&date, "2026-10", minutes, "r"));
            }
            let c = set(b, rows);
            let mut x = m("2026-11");
            let mut billed = Money::ZERO;
            for _ in 0..6 {
                billed += c.lines(x, "acme").iter().map(|l| l.amount).sum();
                x = x.next();
            }
            let closed = b.corrected(0).overage_amount;
            prop_assert_eq!(billed, b.corrected(total).overage_amount - closed);
            prop_assert_eq!(closed, Money::for_minutes(used.saturating_sub(quota).min(approved), rate));
        }
    }
}
