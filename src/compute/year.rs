//! The year view (SPEC §12): per contract, the months of a year as their
//! reports give them — used, forfeited, approved, unapproved and written-off
//! overage, and the net of the month's invoice (with the corrections dated
//! in it) — with sums per contract and over all. Pure: it folds month
//! reports, it computes no month itself.

use std::collections::BTreeMap;

use serde::Serialize;

use super::MonthReport;
use crate::model::{Money, Month};

/// One contract's month in the year view: its figures beside the month
/// (the JSON keeps them on the month's object).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct YearMonth {
    pub month: Month,
    #[serde(flatten)]
    pub figures: YearTotals,
}

/// The figures of a month, or their sums over months.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct YearTotals {
    pub used_minutes: u64,
    pub forfeited_minutes: u64,
    pub approved_overage_minutes: u64,
    /// Overage not approved and not written off.
    pub unapproved_overage_minutes: u64,
    pub written_off_minutes: u64,
    /// The net of the month's invoice (corrections dated in it included).
    pub net: Money,
}

impl YearTotals {
    fn add(&mut self, m: &YearTotals) {
        self.used_minutes += m.used_minutes;
        self.forfeited_minutes += m.forfeited_minutes;
        self.approved_overage_minutes += m.approved_overage_minutes;
        self.unapproved_overage_minutes += m.unapproved_overage_minutes;
        self.written_off_minutes += m.written_off_minutes;
        self.net += m.net;
    }
}

/// One contract's year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct YearContract {
    pub contract: String,
    pub customer: String,
    pub months: Vec<YearMonth>,
    pub totals: YearTotals,
}

/// The year view: contracts by id, months in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct YearReport {
    pub year: i32,
    pub currency: String,
    pub contracts: Vec<YearContract>,
    pub totals: YearTotals,
}

/// The year `year` from the reports of its months (those up to the current
/// month, in any order). A contract appears in the months of its reports:
/// those it is active in, and those that bill corrections of it.
pub fn year(year: i32, currency: &str, months: &[MonthReport]) -> YearReport {
    let mut by_contract: BTreeMap<&str, YearContract> = BTreeMap::new();
    let mut sorted: Vec<&MonthReport> = months.iter().filter(|r| r.month.year() == year).collect();
    sorted.sort_by_key(|r| r.month);
    for r in sorted {
        for c in &r.contracts {
            let entry = by_contract.entry(&c.contract).or_insert_with(|| YearContract {
                contract: c.contract.clone(),
                customer: c.customer.clone(),
                months: Vec::new(),
                totals: YearTotals::default(),
            });
            // The name as of the latest month (a customer renamed in the year).
            entry.customer.clone_from(&c.customer);
            let figures = YearTotals {
                used_minutes: c.used_minutes,
                forfeited_minutes: c.forfeited_minutes,
                approved_overage_minutes: c.approved_overage_minutes,
                unapproved_overage_minutes: c.unsettled_overage_minutes(),
                written_off_minutes: c.written_off_minutes,
                net: c.net,
            };
            entry.totals.add(&figures);
            entry.months.push(YearMonth { month: r.month, figures });
        }
    }
    let contracts: Vec<YearContract> = by_contract.into_values().collect();
    let mut totals = YearTotals::default();
    for c in &contracts {
        totals.add(&c.totals);
    }
    YearReport { year, currency: currency.to_string(), contracts, totals }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::compute::{Totals, Usage, contract_month};
    use crate::model::{Contract, TermsPatch};

    fn report(month: &str, used: &[(&Contract, u64, u64)]) -> MonthReport {
        let m: Month = month.parse().unwrap();
        let contracts: Vec<_> = used
            .iter()
            .map(|(c, used, approved)| {
                contract_month(c, &c.terms(m), Usage { used: *used, ..Default::default() }, *approved)
            })
            .collect();
        MonthReport { month: m, currency: "EUR".into(), closed: None, totals: Totals::of(&contracts), contracts }
    }

    #[test]
    fn months_and_sums_per_contract_and_over_all() {
        let c = |id: &str| Contract {
            id: id.into(),
            customer: format!("{id} GmbH"),
            base: TermsPatch { tier: Some(crate::read::settings::builtin_tiers()[0].clone()), ..Default::default() },
            ..Contract::for_tests()
        };
        let (a, b) = (c("a"), c("b"));
        let mut oct = report("2026-10", &[(&a, 1000, 30), (&b, 500, 0)]);
        // a's October closed with its unapproved 10 minutes written off.
        oct.contracts[0].written_off_minutes = 10;
        let nov = report("2026-11", &[(&a, 960, 0)]);
        let last_year = report("2025-12", &[(&a, 5000, 0)]);
        let y = year(2026, "EUR", &[nov, last_year, oct]);
        assert_eq!(y.contracts.iter().map(|c| c.contract.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        let a = &y.contracts[0];
        assert_eq!(a.months.iter().map(|m| m.month.to_string()).collect::<Vec<_>>(), ["2026-10", "2026-11"]);
        assert_eq!(
            (
                a.months[0].figures.approved_overage_minutes,
                a.months[0].figures.unapproved_overage_minutes,
                a.months[0].figures.written_off_minutes
            ),
            (30, 0, 10),
            "written off is not unapproved"
        );
        assert_eq!(a.totals.used_minutes, 1960);
        assert_eq!(a.totals.net.to_string(), "3250.00", "1,600.00 + 50.00 overage, + 1,600.00");
        assert_eq!(y.totals.used_minutes, 2460);
        assert_eq!(y.totals.net, a.totals.net + y.contracts[1].totals.net);
    }
}
