//! A closed month as plain data (SPEC §8.1): the terms in force, every
//! figure, the write-off, and per contract the row counts and digests of the
//! rows it was made from; and how one is made from a month's report.
//!
//! Pure: `close` reads and writes, `read::closings` parses, `render::closing`
//! writes the TOML; this module only holds and derives the values.

use crate::model::{Month, Terms};

use super::digest::Digest;
use super::{Closed, ContractMonth, MonthReport, Totals};

/// The closing of one month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closing {
    pub month: Month,
    /// RFC 3339, as written.
    pub closed_at: String,
    pub closed_by: String,
    /// The currency of the figures.
    pub currency: String,
    /// The closing written last before this one; `None` for the first.
    pub previous: Option<Previous>,
    /// Sorted by contract id.
    pub contracts: Vec<ClosedContract>,
    pub totals: Totals,
}

/// A link of the chain of closings: a month and the SHA-256 of its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Previous {
    pub month: Month,
    pub sha256: [u8; 32],
}

/// The digests of one contract's rows of a month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowDigests {
    /// Time-log rows dated in the month.
    pub timelog: Digest,
    /// Approval rows for the month.
    pub approvals: Digest,
    /// Correction rows dated in the month.
    pub corrections: Digest,
}

impl Default for RowDigests {
    fn default() -> RowDigests {
        RowDigests { timelog: Digest::empty(), approvals: Digest::empty(), corrections: Digest::empty() }
    }
}

/// One contract of a closing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosedContract {
    /// The terms in force; `None` for a contract that had only corrections.
    pub terms: Option<Terms>,
    pub figures: ContractMonth,
    pub rows: RowDigests,
}

impl Closing {
    /// The closed figures as a report, marked closed.
    pub fn report(&self) -> MonthReport {
        MonthReport {
            month: self.month,
            currency: self.currency.clone(),
            closed: Some(Closed { at: self.closed_at.clone(), by: self.closed_by.clone() }),
            contracts: self.contracts.iter().map(|c| c.figures.clone()).collect(),
            totals: self.totals.clone(),
        }
    }

    pub fn contract(&self, id: &str) -> Option<&ClosedContract> {
        self.contracts.iter().find(|c| c.figures.contract == id)
    }
}

/// What a closing is made of besides the month's report.
pub struct Making<'a> {
    pub closed_at: String,
    pub closed_by: String,
    pub previous: Option<Previous>,
    /// Record unapproved overage as written off.
    pub write_off: bool,
    /// The terms in force for each contract of the report (`None`: only corrections).
    pub terms: &'a dyn Fn(&str) -> Option<Terms>,
    pub rows: &'a dyn Fn(&str) -> RowDigests,
}

/// The closing of `report`'s month: its figures fixed, with the write-off
/// (`written_off = unapproved overage`, which is never invoiced).
pub fn close(report: &MonthReport, making: Making<'_>) -> Closing {
    let contracts = report
        .contracts
        .iter()
        .map(|cm| {
            let mut figures = cm.clone();
            if making.write_off {
                figures.written_off_minutes = figures.unapproved_overage_minutes;
            }
            ClosedContract { terms: (making.terms)(&cm.contract), rows: (making.rows)(&cm.contract), figures }
        })
        .collect();
    Closing {
        month: report.month,
        closed_at: making.closed_at,
        closed_by: making.closed_by,
        currency: report.currency.clone(),
        previous: making.previous,
        contracts,
        totals: report.totals.clone(),
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::compute::{Usage, contract_month};
    use crate::model::{Contract, TermsPatch};

    #[test]
    fn closing_fixes_the_figures_and_writes_off_unapproved_overage() {
        let c = Contract {
            customer: "ACME GmbH".into(),
            base: TermsPatch { tier: Some(crate::read::settings::builtin_tiers()[1].clone()), ..Default::default() },
            ..Contract::for_tests()
        };
        let m: Month = "2026-11".parse().unwrap();
        let cm = contract_month(&c, &c.terms(m), Usage { used: 1410, ..Default::default() }, 120);
        let report = MonthReport {
            month: m,
            currency: "EUR".into(),
            closed: None,
            totals: Totals::of(std::slice::from_ref(&cm)),
            contracts: vec![cm],
        };
        let closing = close(
            &report,
            Making {
                closed_at: "2026-12-01T09:00:00+01:00".into(),
                closed_by: "anna".into(),
                previous: None,
                write_off: true,
                terms: &|_| Some(c.terms(m)),
                rows: &|_| RowDigests::default(),
            },
        );
        let fig = &closing.contracts[0].figures;
        assert_eq!((fig.unapproved_overage_minutes, fig.written_off_minutes), (90, 90));
        assert_eq!(fig.unsettled_overage_minutes(), 0);
        assert_eq!(fig.net.to_string(), "2200.00", "written-off time is never invoiced");
        let shown = closing.report();
        assert_eq!(shown.closed.as_ref().map(|c| c.by.as_str()), Some("anna"));
        assert_eq!(shown.totals, report.totals);
    }
}
