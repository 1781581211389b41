//! Plain domain types, validated and free of I/O: months, contracts and their
//! terms, time-log entries, approvals, ledger settings.
//!
//! Values here were checked once by `read/`; the core in `compute/` trusts them.

pub mod amount;
pub mod invoice;
pub mod logged;
pub mod sla;
pub mod ticket;
pub mod worklog;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};

pub use amount::{Money, Percent};

/// A calendar month (`2026-11`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (1000..=9999).contains(&year)).then_some(Month { year, month })
    }
    pub fn of(date: NaiveDate) -> Month {
        Month { year: date.year(), month: date.month() }
    }
    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u32 {
        self.month
    }
    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month { year: self.year - 1, month: 12 }
        } else {
            Month { year: self.year, month: self.month - 1 }
        }
    }
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month { year: self.year + 1, month: 1 }
        } else {
            Month { year: self.year, month: self.month + 1 }
        }
    }
    pub fn contains(self, date: NaiveDate) -> bool {
        date.year() == self.year && date.month() == self.month
    }
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("Month holds a valid year and month")
    }
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("a month has a day before the next month's first")
    }
    /// The month `n` months before this one: the first of a window of
    /// `n + 1` months that ends with this one.
    pub fn back(self, n: u32) -> Month {
        (0..n).fold(self, |m, _| m.prev())
    }
    /// The months from this one to `last`, inclusive (none when `last` is
    /// earlier).
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        std::iter::successors(Some(self), |m| Some(m.next())).take_while(move |m| *m <= last)
    }
}

impl FromStr for Month {
    type Err = ();
    /// Strictly `YYYY-MM`.
    fn from_str(s: &str) -> Result<Month, ()> {
        let b = s.as_bytes();
        if b.len() != 7 || b[4] != b'-' || !b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit) {
            return Err(());
        }
        Month::new(s[..4].parse().map_err(|_| ())?, s[5..].parse().map_err(|_| ())?).ok_or(())
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Strict `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if !b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()) {
        return None;
    }
    NaiveDate::from_ymd_opt(s[..4].parse().ok()?, s[5..7].parse().ok()?, s[8..].parse().ok()?)
}

/// What a time-log entry is (SPEC §2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Kind {
    #[default]
    Support,
    Escalation,
    Nonbillable,
}

impl Kind {
    pub const NAMES: &'static [&'static str] = &["support", "escalation", "nonbillable"];
    /// An empty cell means `support`.
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "" | "support" => Some(Kind::Support),
            "escalation" => Some(Kind::Escalation),
            "nonbillable" => Some(Kind::Nonbillable),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Support => "support",
            Kind::Escalation => "escalation",
            Kind::Nonbillable => "nonbillable",
        }
    }
}

/// Valid values of the optional `level` column.
pub const LEVELS: &[&str] = &["2", "3"];
/// Valid values of the optional `channel` column.
pub const CHANNELS: &[&str] = &["desk", "email", "phone"];

/// One row of the time log, as far as the month computation needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub date: NaiveDate,
    /// Shared with every entry of the contract: cloning costs no allocation.
    pub contract: Arc<str>,
    pub minutes: u64,
    pub kind: Kind,
}

/// One row of `approvals.csv`: agreed overage for a contract and month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Approval {
    pub contract: Arc<str>,
    pub month: Month,
    pub minutes: u64,
}

/// One row of `corrections.csv` (SPEC §8.2): billed time added to (or taken
/// from) a closed month, recorded in a later, open month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    /// The day it was recorded; its month is the month that bills it.
    pub date: NaiveDate,
    pub contract: Arc<str>,
    /// The closed month corrected.
    pub month: Month,
    /// Billed minutes, never zero, negative to take time away.
    pub minutes: i64,
    pub reason: String,
}

/// A tier of the price list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tier {
    pub name: String,
    pub hours: u64,
    pub rate: Money,
}

/// Terms that a contract's base or one `[[change]]` names; `None` = not named.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TermsPatch {
    /// A tier, already looked up in the price list.
    pub tier: Option<Tier>,
    pub hours: Option<u64>,
    pub rate: Option<Money>,
    pub overage_rate: Option<Money>,
    pub vat_rate: Option<Percent>,
    /// Billing increment in minutes.
    pub rounding: Option<u32>,
}

/// The terms in force for one month (SPEC §2.2, §6.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Terms {
    /// The tier name, or `None` for terms given as hours and rate.
    pub tier: Option<String>,
    pub hours: u64,
    pub rate: Money,
    pub overage_rate: Money,
    pub vat_rate: Percent,
    pub rounding: u32,
}

impl Terms {
    pub fn fee(&self) -> Money {
        self.rate.times(self.hours)
    }
}

/// A customer contract (`contracts/<id>.toml`).
#[derive(Clone, Debug)]
pub struct Contract {
    pub id: String,
    pub customer: String,
    pub start: Month,
    pub end: Option<Month>,
    pub base: TermsPatch,
    /// `[[change]]` blocks, sorted by their `from` month.
    pub changes: Vec<(Month, TermsPatch)>,
    /// Ledger-wide defaults the base falls back on.
    pub default_vat_rate: Percent,
    pub default_rounding: u32,
    /// The contract's own ticket settings (SPEC §7).
    pub sla: sla::SlaPatch,
    /// Buyer, VAT category and exemption reason for its invoices (SPEC §9).
    pub invoicing: invoice::InvoiceTerms,
    /// Jira projects whose worklogs are this contract's (`import`), upper
    /// case as Jira writes project keys; compared case-insensitively.
    pub jira_projects: Vec<String>,
}

impl Contract {
    pub fn is_active(&self, m: Month) -> bool {
        self.start <= m && self.end.is_none_or(|e| m <= e)
    }

    /// The terms in force for `m`: the base overridden, key by key, by every
    /// change whose `from` is not after `m`, in `from` order (SPEC §6.1).
    /// A change naming `tier` takes hours and rate from it unless it also
    /// names them; `overage_rate` follows the rate unless some block names it.
    /// Naming `hours` or `rate` outside a tier makes the terms custom (no tier).
    pub fn terms(&self, m: Month) -> Terms {
        let mut t = Terms {
            tier: None,
            hours: 0,
            rate: Money::ZERO,
            overage_rate: Money::ZERO,
            vat_rate: self.default_vat_rate,
            rounding: self.default_rounding,
        };
        let mut overage_rate = None;
        let patches =
            std::iter::once(&self.base).chain(self.changes.iter().filter(|(from, _)| *from <= m).map(|(_, p)| p));
        for p in patches {
            if let Some(tier) = &p.tier {
                t.tier = Some(tier.name.clone());
                t.hours = tier.hours;
                t.rate = tier.rate;
            }
            if let Some(h) = p.hours {
                t.hours = h;
                t.tier = None;
            }
            if let Some(r) = p.rate {
                t.rate = r;
                t.tier = None;
            }
            if let Some(o) = p.overage_rate {
                overage_rate = Some(o);
            }
            if let Some(v) = p.vat_rate {
                t.vat_rate = v;
            }
            if let Some(r) = p.rounding {
                t.rounding = r;
            }
        }
        t.overage_rate = overage_rate.unwrap_or(t.rate);
        t
    }
}

/// Human number format (SPEC §2.1 `locale`); machine formats ignore it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    En,
    De,
}

/// Ledger-wide settings from `supportctl.toml`.
#[derive(Clone, Debug)]
pub struct Settings {
    pub currency: String,
    pub vat_rate: Percent,
    pub min_monthly_fee: Money,
    pub rounding: u32,
    pub timezone: chrono_tz::Tz,
    pub locale: Locale,
    pub tiers: Vec<Tier>,
    /// Ticket settings (SPEC §7) as written; contracts may override them.
    pub sla: sla::SlaPatch,
    /// `[seller]` as written (SPEC §9); `None` when the file has none.
    pub seller: Option<invoice::PartyFields>,
}

#[cfg(test)]
impl Contract {
    /// A contract for unit tests to start from (`..Contract::for_tests()`):
    /// acme from 2026-01 without end or terms, VAT 19 %, billed by the
    /// minute, no ticket settings, buyer or Jira projects of its own.
    pub fn for_tests() -> Contract {
        Contract {
            id: "acme".into(),
            customer: "ACME".into(),
            start: "2026-01".parse().expect("a month"),
            end: None,
            base: TermsPatch::default(),
            changes: vec![],
            default_vat_rate: Percent::new(rust_decimal::Decimal::from(19)),
            default_rounding: 1,
            sla: Default::default(),
            invoicing: Default::default(),
            jira_projects: vec![],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn m(s: &str) -> Month {
        s.parse().unwrap()
    }
    fn money(s: &str) -> Money {
        Money::round(Decimal::from_str(s).unwrap())
    }
    fn tier(name: &str, hours: u64, rate: &str) -> Tier {
        Tier { name: name.into(), hours, rate: money(rate) }
    }
    fn contract(base: TermsPatch, changes: Vec<(Month, TermsPatch)>) -> Contract {
        Contract { end: Some(m("2026-12")), base, changes, ..Contract::for_tests() }
    }

    #[test]
    fn month_parse_and_order() {
        assert_eq!(m("2026-11").to_string(), "2026-11");
        assert_eq!(m("2026-01").prev(), m("2025-12"));
        assert_eq!(m("2026-11").back(11), m("2025-12"));
        assert_eq!(m("2026-11").back(0), m("2026-11"));
        assert_eq!(m("2026-12").next(), m("2027-01"));
        let run: Vec<Month> = m("2026-11").through(m("2027-02")).collect();
        assert_eq!(run, [m("2026-11"), m("2026-12"), m("2027-01"), m("2027-02")]);
        assert_eq!(m("2026-11").through(m("2026-11")).count(), 1);
        assert_eq!(m("2026-11").through(m("2026-10")).count(), 0);
        for bad in ["2026-13", "2026-1", "26-11", "2026-00", "2026/11", "2026-11 "] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
    }

    #[test]
    fn strict_dates() {
        assert!(parse_date("2026-02-28").is_some());
        for bad in ["2026-02-30", "2026-13-01", "26-11-01", "2026-1-5", "2026-11-1 ", "2026-11-0a"] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn active_months() {
        let c = contract(TermsPatch { tier: Some(tier("16h", 16, "100")), ..Default::default() }, vec![]);
        assert!(!c.is_active(m("2025-12")));
        assert!(c.is_active(m("2026-01")));
        assert!(c.is_active(m("2026-12")));
        assert!(!c.is_active(m("2027-01")));
    }

    #[test]
    fn tier_change_applies_from_its_month() {
        let c = contract(
            TermsPatch { tier: Some(tier("20h", 20, "100")), ..Default::default() },
            vec![(m("2026-07"), TermsPatch { tier: Some(tier("40h", 40, "95")), ..Default::default() })],
        );
        assert_eq!(c.terms(m("2026-06")).hours, 20);
        let t = c.terms(m("2026-07"));
        assert_eq!((t.tier.as_deref(), t.hours, t.rate, t.overage_rate), (Some("40h"), 40, money("95"), money("95")));
        assert_eq!(t.fee(), money("3800"));
    }

    #[test]
    fn rate_only_change_keeps_hours_and_overage_follows_rate() {
        let c = contract(
            TermsPatch { tier: Some(tier("20h", 20, "100")), ..Default::default() },
            vec![(m("2026-03"), TermsPatch { rate: Some(money("110")), ..Default::default() })],
        );
        let t = c.terms(m("2026-03"));
        assert_eq!((t.tier, t.hours, t.rate, t.overage_rate), (None, 20, money("110"), money("110")));
    }

    #[test]
    fn named_overage_rate_sticks_across_rate_changes() {
        let c = contract(
            TermsPatch { tier: Some(tier("20h", 20, "100")), overage_rate: Some(money("120")), ..Default::default() },
            vec![(m("2026-03"), TermsPatch { tier: Some(tier("30h", 30, "100")), ..Default::default() })],
        );
        assert_eq!(c.terms(m("2026-05")).overage_rate, money("120"));
    }

    #[test]
    fn change_with_tier_and_hours_hours_win() {
        let c = contract(
            TermsPatch { tier: Some(tier("20h", 20, "100")), ..Default::default() },
            vec![(
                m("2026-03"),
                TermsPatch { tier: Some(tier("30h", 30, "100")), hours: Some(25), ..Default::default() },
            )],
        );
        assert_eq!(c.terms(m("2026-03")).hours, 25);
    }

    #[test]
    fn vat_and_rounding_changes() {
        let c = contract(
            TermsPatch { tier: Some(tier("20h", 20, "100")), ..Default::default() },
            vec![(
                m("2026-07"),
                TermsPatch {
                    vat_rate: Some(Percent::new(Decimal::from(16))),
                    rounding: Some(15),
                    ..Default::default()
                },
            )],
        );
        assert_eq!(c.terms(m("2026-06")).vat_rate.to_string(), "19");
        assert_eq!(c.terms(m("2026-06")).rounding, 1);
        assert_eq!(c.terms(m("2026-07")).vat_rate.to_string(), "16");
        assert_eq!(c.terms(m("2026-07")).rounding, 15);
    }
}
