//! Tier advice (SPEC §12): what each tier of the price list would have cost
//! a contract on its actual usage over a window of months, the time it would
//! have forfeited, the current tier, and the cheapest with its saving. Pure:
//! the used minutes per month come in, plain data goes out; nothing written.
//!
//! Per tier and active month: `fee + round2(max(0, used − quota) × rate /
//! 60)` (overage as if approved, at that tier's hourly rate); forfeited =
//! `max(0, quota − used)`. Custom current terms (hours and rate) are costed
//! the same way from their hours and rate.

use serde::Serialize;

use crate::model::{Contract, Money, Month, Tier};

/// One contract's usage in the window: its used minutes in each month of
/// the window in which it is active, oldest first.
pub struct ContractUsage<'a> {
    pub contract: &'a Contract,
    pub months: Vec<(Month, u64)>,
}

/// What one set of terms would have cost over the window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TierCost {
    /// The tier's name; `null` for custom terms.
    pub tier: Option<String>,
    pub hours: u64,
    pub rate: Money,
    /// Net: fees plus overage.
    pub cost: Money,
    pub forfeited_minutes: u64,
    pub overage_minutes: u64,
    /// These are the terms of the window's last active month.
    pub current: bool,
}

/// The advice for one contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContractAdvice {
    pub contract: String,
    pub customer: String,
    /// Months of the window in which the contract is active.
    pub active_months: usize,
    /// The saving is a year's: the window is 12 months and the contract was
    /// active in every one of them (else it is over `active_months`).
    pub yearly: bool,
    pub used_minutes: u64,
    /// The current terms costed (a tier of the list, or custom).
    pub current: TierCost,
    /// Every tier of the price list, in its order.
    pub tiers: Vec<TierCost>,
    /// The cheapest tier (the current one on a tie).
    pub cheapest: String,
    /// Current cost − cheapest cost over the window (negative when custom
    /// terms are cheaper than every tier).
    pub saving: Money,
}

/// The advice over a window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Advice {
    pub from: Month,
    pub to: Month,
    pub months: usize,
    /// The window is 12 months (each contract says whether its saving is a
    /// year's: see [`ContractAdvice::yearly`]).
    pub yearly: bool,
    pub currency: String,
    pub contracts: Vec<ContractAdvice>,
}

/// Costs `hours` at `rate` over `months`.
fn cost(tier: Option<String>, hours: u64, rate: Money, months: &[(Month, u64)], current: bool) -> TierCost {
    let quota = hours * 60;
    let fee = rate.times(hours);
    let mut t = TierCost { tier, hours, rate, cost: Money::ZERO, forfeited_minutes: 0, overage_minutes: 0, current };
    for &(_, used) in months {
        let over = used.saturating_sub(quota);
        t.cost += fee + Money::for_minutes(over, rate);
        t.forfeited_minutes += quota.saturating_sub(used);
        t.overage_minutes += over;
    }
    t
}

/// Advice for each contract of `usage` (contracts without an active month
/// in the window are left out), sorted by contract id.
pub fn advise(from: Month, to: Month, tiers: &[Tier], currency: &str, usage: &[ContractUsage<'_>]) -> Advice {
    let months = from.through(to).count();
    let mut contracts: Vec<ContractAdvice> = usage
        .iter()
        .filter_map(|u| {
            let &(last, _) = u.months.last()?;
            let terms = u.contract.terms(last);
            let current_tier = terms.tier.as_deref().and_then(|n| tiers.iter().position(|t| t.name == n));
            let rows: Vec<TierCost> = tiers
                .iter()
                .enumerate()
                .map(|(i, t)| cost(Some(t.name.clone()), t.hours, t.rate, &u.months, current_tier == Some(i)))
                .collect();
            let current = match current_tier {
                Some(i) => rows[i].clone(),
                None => cost(None, terms.hours, terms.rate, &u.months, true),
            };
            let cheapest = rows.iter().min_by_key(|t| (t.cost, !t.current))?;
            Some(ContractAdvice {
                contract: u.contract.id.clone(),
                customer: u.contract.customer.clone(),
                active_months: u.months.len(),
                yearly: months == 12 && u.months.len() == 12,
                used_minutes: u.months.iter().map(|(_, used)| used).sum(),
                cheapest: cheapest.tier.clone().unwrap_or_default(),
                saving: current.cost - cheapest.cost,
                current,
                tiers: rows,
            })
        })
        .collect();
    contracts.sort_by(|a, b| a.contract.cmp(&b.contract));
    Advice { from, to, months, yearly: months == 12, currency: currency.to_string(), contracts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TermsPatch;
    use rust_decimal::Decimal;

    fn money(s: &str) -> Money {
        Money::round(s.parse::<Decimal>().unwrap())
    }
    fn m(s: &str) -> Month {
        s.parse().unwrap()
    }
    fn price_list() -> Vec<Tier> {
        [("16h", 16, "100"), ("20h", 20, "100"), ("30h", 30, "100"), ("40h", 40, "95"), ("50h", 50, "90")]
            .iter()
            .map(|(n, h, r)| Tier { name: n.to_string(), hours: *h, rate: money(r) })
            .collect()
    }
    fn contract(base: TermsPatch, changes: Vec<(Month, TermsPatch)>) -> Contract {
        Contract { base, changes, ..Contract::for_tests() }
    }
    fn tier(name: &str) -> TermsPatch {
        TermsPatch { tier: price_list().into_iter().find(|t| t.name == name), ..Default::default() }
    }

    #[test]
    fn every_tier_costed_on_the_actual_usage() {
        let c = contract(tier("20h"), vec![]);
        // 12 months: 10 at 15 h, one at 25 h, one at 17 h 30.
        let mut months: Vec<(Month, u64)> = Vec::new();
        let mut mo = m("2025-12");
        for i in 0..12 {
            let used = match i {
                3 => 25 * 60,
                7 => 17 * 60 + 30,
                _ => 15 * 60,
            };
            months.push((mo, used));
            mo = mo.next();
        }
        let a = advise(m("2025-12"), m("2026-11"), &price_list(), "EUR", &[ContractUsage { contract: &c, months }]);
        assert_eq!((a.months, a.yearly), (12, true));
        let r = &a.contracts[0];
        assert_eq!((r.active_months, r.used_minutes, r.yearly), (12, 10 * 900 + 1500 + 1050, true));
        let by = |n: &str| r.tiers.iter().find(|t| t.tier.as_deref() == Some(n)).unwrap();
        // 16h: 12 × 1,600 + (9 h + 1 h 30) × 100 = 20,250.00.
        assert_eq!(by("16h").cost, money("20250"));
        assert_eq!(by("16h").forfeited_minutes, 10 * 60);
        assert_eq!(by("16h").overage_minutes, 9 * 60 + 90);
        // 20h: 12 × 2,000 + 5 h × 100 = 24,500.00.
        assert_eq!(by("20h").cost, money("24500"));
        assert!(by("20h").current && !by("16h").current);
        assert_eq!(by("50h").cost, money("54000"));
        assert_eq!(r.current, by("20h").clone());
        assert_eq!((r.cheapest.as_str(), r.saving), ("16h", money("4250")));
    }

    #[test]
    fn overage_at_the_tiers_own_rate_rounded_per_month() {
        let c = contract(tier("40h"), vec![]);
        // 40 h 1 min twice at 95.00/h: 1.58 each month (1.5833 rounded), not 3.17.
        let months = vec![(m("2026-01"), 2401), (m("2026-02"), 2401)];
        let a = advise(m("2026-01"), m("2026-02"), &price_list(), "EUR", &[ContractUsage { contract: &c, months }]);
        let r = &a.contracts[0];
        assert!(!a.yearly);
        let forty = r.tiers.iter().find(|t| t.tier.as_deref() == Some("40h")).unwrap();
        assert_eq!(forty.cost, money("7603.16"));
    }

    #[test]
    fn the_current_terms_are_the_last_active_months_and_custom_terms_are_costed_too() {
        // 20h until June, then custom 18 h at 90.00.
        let custom = TermsPatch { hours: Some(18), rate: Some(money("90")), ..Default::default() };
        let c = contract(tier("20h"), vec![(m("2026-07"), custom)]);
        let months: Vec<(Month, u64)> = vec![(m("2026-06"), 600), (m("2026-07"), 600)];
        let a = advise(m("2026-06"), m("2026-07"), &price_list(), "EUR", &[ContractUsage { contract: &c, months }]);
        let r = &a.contracts[0];
        assert_eq!(r.current.tier, None);
        assert_eq!((r.current.hours, r.current.cost), (18, money("3240")));
        assert!(r.tiers.iter().all(|t| !t.current));
        // 16h costs 3,200.00: 40.00 less than the custom terms.
        assert_eq!((r.cheapest.as_str(), r.saving), ("16h", money("40")));
        // A contract with no active month in the window is left out.
        let a =
            advise(m("2026-06"), m("2026-07"), &price_list(), "EUR", &[ContractUsage { contract: &c, months: vec![] }]);
        assert!(a.contracts.is_empty());
    }

    #[test]
    fn a_saving_is_a_years_only_for_a_contract_active_all_twelve_months() {
        let c = contract(tier("20h"), vec![]);
        let mut months: Vec<(Month, u64)> = Vec::new();
        let mut mo = m("2026-01");
        for _ in 0..11 {
            months.push((mo, 600));
            mo = mo.next();
        }
        let a = advise(m("2025-12"), m("2026-11"), &price_list(), "EUR", &[ContractUsage { contract: &c, months }]);
        assert!(a.yearly, "the window is a year");
        assert_eq!((a.contracts[0].active_months, a.contracts[0].yearly), (11, false));
    }

    #[test]
    fn on_a_tie_the_current_tier_is_the_cheapest() {
        let list = vec![
            Tier { name: "a".into(), hours: 10, rate: money("100") },
            Tier { name: "b".into(), hours: 10, rate: money("100") },
        ];
        let c = contract(TermsPatch { tier: Some(list[1].clone()), ..Default::default() }, vec![]);
        let a = advise(
            m("2026-01"),
            m("2026-01"),
            &list,
            "EUR",
            &[ContractUsage { contract: &c, months: vec![(m("2026-01"), 0)] }],
        );
        assert_eq!((a.contracts[0].cheapest.as_str(), a.contracts[0].saving), ("b", Money::ZERO));
    }
}
