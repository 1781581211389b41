//! Unit and property tests of the month computation.

use std::str::FromStr;

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::{MonthReport, month};
use crate::model::{Approval, Contract, Entry, Kind, Money, Month, Percent, TermsPatch, Tier};

fn m(s: &str) -> Month {
    s.parse().unwrap()
}
fn money(s: &str) -> Money {
    Money::round(Decimal::from_str(s).unwrap())
}
fn price_list() -> Vec<Tier> {
    crate::read::settings::builtin_tiers()
}
fn tier(name: &str) -> Tier {
    price_list().into_iter().find(|t| t.name == name).unwrap()
}
fn contract(id: &str, base: TermsPatch) -> Contract {
    Contract { id: id.into(), customer: format!("{id} GmbH"), base, ..Contract::for_tests() }
}
fn tiered(id: &str, t: &str) -> Contract {
    contract(id, TermsPatch { tier: Some(tier(t)), ..Default::default() })
}
fn entry(date: &str, contract: &str, minutes: u64, kind: Kind) -> Entry {
    Entry { date: crate::model::parse_date(date).unwrap(), contract: contract.into(), minutes, kind }
}
fn approval(contract: &str, month: &str, minutes: u64) -> Approval {
    Approval { contract: contract.into(), month: m(month), minutes }
}
fn run(contracts: &[Contract], entries: &[Entry], approvals: &[Approval]) -> MonthReport {
    month(m("2026-11"), "EUR", contracts, entries, approvals)
}

#[test]
fn every_tier_of_the_price_list_without_entries() {
    let expected = [
        ("16h", 960, "1600.00", "304.00", "1904.00"),
        ("20h", 1200, "2000.00", "380.00", "2380.00"),
        ("30h", 1800, "3000.00", "570.00", "3570.00"),
        ("40h", 2400, "3800.00", "722.00", "4522.00"),
        ("50h", 3000, "4500.00", "855.00", "5355.00"),
    ];
    for (t, quota, fee, vat, gross) in expected {
        let r = run(&[tiered("c", t)], &[], &[]);
        let c = &r.contracts[0];
        assert_eq!(c.quota_minutes, quota, "{t}");
        assert_eq!(c.forfeited_minutes, quota, "{t}: no entries forfeits the whole quota");
        assert_eq!(c.fee.to_string(), fee);
        assert_eq!(c.vat.to_string(), vat);
        assert_eq!(c.gross.to_string(), gross);
        assert_eq!(c.tier.as_deref(), Some(t));
    }
}

#[test]
fn exact_quota_neither_forfeits_nor_overruns() {
    let r = run(&[tiered("a", "16h")], &[entry("2026-11-03", "a", 960, Kind::Support)], &[]);
    let c = &r.contracts[0];
    assert_eq!((c.used_minutes, c.forfeited_minutes, c.overage_minutes), (960, 0, 0));
    assert_eq!(c.net.to_string(), "1600.00");
}

#[test]
fn under_use_is_forfeited() {
    let r = run(
        &[tiered("a", "20h")],
        &[entry("2026-11-03", "a", 300, Kind::Support), entry("2026-11-04", "a", 45, Kind::Escalation)],
        &[],
    );
    let c = &r.contracts[0];
    assert_eq!((c.used_minutes, c.escalated_minutes, c.forfeited_minutes), (345, 45, 855));
    assert_eq!(c.overage_amount, Money::ZERO);
}

#[test]
fn spec_example_partial_approval() {
    // SPEC §5.1: 20h, 1410 min used, 120 approved → 200.00 overage, 2618.00 gross
    let r = run(
        &[tiered("acme", "20h")],
        &[entry("2026-11-02", "acme", 1000, Kind::Support), entry("2026-11-20", "acme", 410, Kind::Support)],
        &[approval("acme", "2026-11", 120)],
    );
    let c = &r.contracts[0];
    assert_eq!((c.overage_minutes, c.approved_overage_minutes, c.unapproved_overage_minutes), (210, 120, 90));
    assert_eq!(
        (c.fee.to_string(), c.overage_amount.to_string(), c.net.to_string(), c.vat.to_string(), c.gross.to_string()),
        ("2000.00".into(), "200.00".into(), "2200.00".into(), "418.00".into(), "2618.00".into())
    );
}

#[test]
fn full_and_surplus_approval() {
    let entries = [entry("2026-11-02", "a", 1020, Kind::Support)];
    let full = run(&[tiered("a", "16h")], &entries, &[approval("a", "2026-11", 30), approval("a", "2026-11", 30)]);
    assert_eq!(full.contracts[0].approved_minutes, 60);
    assert_eq!(full.contracts[0].approved_overage_minutes, 60);
    assert_eq!(full.contracts[0].overage_amount.to_string(), "100.00");
    let surplus = run(&[tiered("a", "16h")], &entries, &[approval("a", "2026-11", 600)]);
    assert_eq!(surplus.contracts[0].approved_overage_minutes, 60);
    assert_eq!(surplus.contracts[0].overage_amount.to_string(), "100.00");
}

#[test]
fn no_approval_means_no_overage_invoiced() {
    let r = run(&[tiered("a", "16h")], &[entry("2026-11-02", "a", 1000, Kind::Support)], &[]);
    let c = &r.contracts[0];
    assert_eq!((c.overage_minutes, c.unapproved_overage_minutes), (40, 40));
    assert_eq!(c.overage_amount, Money::ZERO);
    assert_eq!(c.net.to_string(), "1600.00");
}

#[test]
fn approvals_and_entries_of_other_months_do_not_count() {
    let r = run(
        &[tiered("a", "16h")],
        &[entry("2026-11-02", "a", 1000, Kind::Support), entry("2026-10-31", "a", 500, Kind::Support)],
        &[approval("a", "2026-10", 40), approval("b", "2026-11", 40)],
    );
    let c = &r.contracts[0];
    assert_eq!((c.used_minutes, c.approved_minutes, c.overage_amount), (1000, 0, Money::ZERO));
}

#[test]
fn nonbillable_is_shown_never_charged() {
    let r = run(
        &[contract("a", TermsPatch { tier: Some(tier("16h")), rounding: Some(15), ..Default::default() })],
        &[entry("2026-11-02", "a", 2000, Kind::Nonbillable), entry("2026-11-02", "a", 7, Kind::Nonbillable)],
        &[],
    );
    let c = &r.contracts[0];
    assert_eq!((c.used_minutes, c.nonbillable_minutes, c.forfeited_minutes), (0, 2007, 960));
}

#[test]
fn fifteen_minute_rounding_per_entry() {
    let c = contract("a", TermsPatch { tier: Some(tier("16h")), rounding: Some(15), ..Default::default() });
    let entries = [
        entry("2026-11-02", "a", 1, Kind::Support),
        entry("2026-11-02", "a", 15, Kind::Support),
        entry("2026-11-03", "a", 16, Kind::Escalation),
    ];
    let r = run(&[c], &entries, &[]);
    assert_eq!(r.contracts[0].used_minutes, 15 + 15 + 30);
    assert_eq!(r.contracts[0].escalated_minutes, 30);
}

#[test]
fn half_cent_overage_and_vat() {
    // 15 min at 112.50 €/h = 28.125 → 28.13 (half away from zero)
    let c = contract(
        "a",
        TermsPatch {
            hours: Some(16),
            rate: Some(money("100")),
            overage_rate: Some(money("112.50")),
            ..Default::default()
        },
    );
    let r = run(&[c], &[entry("2026-11-02", "a", 975, Kind::Support)], &[approval("a", "2026-11", 15)]);
    assert_eq!(r.contracts[0].overage_amount.to_string(), "28.13");
    assert_eq!(r.contracts[0].tier, None);
    // VAT on 3,809.50 € = 723.805 → 723.81
    let c = contract("b", TermsPatch { hours: Some(38), rate: Some(money("100.25")), ..Default::default() });
    let r = run(&[c], &[], &[]);
    assert_eq!(r.contracts[0].net.to_string(), "3809.50");
    assert_eq!(r.contracts[0].vat.to_string(), "723.81");
}

#[test]
fn per_contract_vat_and_totals_are_sums_of_rounded_amounts() {
    let zero = contract(
        "ch",
        TermsPatch { tier: Some(tier("16h")), vat_rate: Some(Percent::new(Decimal::ZERO)), ..Default::default() },
    );
    let seven = contract(
        "de",
        TermsPatch { tier: Some(tier("20h")), vat_rate: Some(Percent::new(Decimal::from(7))), ..Default::default() },
    );
    let r = run(&[seven, zero], &[], &[]);
    assert_eq!(r.contracts[0].contract, "ch", "sorted by id");
    assert_eq!(r.contracts[0].vat, Money::ZERO);
    assert_eq!(r.contracts[1].vat.to_string(), "140.00");
    assert_eq!(r.totals.net.to_string(), "3600.00");
    assert_eq!(r.totals.vat.to_string(), "140.00");
    assert_eq!(r.totals.gross.to_string(), "3740.00");
}

#[test]
fn tier_and_rate_changes_take_effect_in_their_month() {
    let mut c = tiered("a", "20h");
    c.changes = vec![(m("2026-11"), TermsPatch { tier: Some(tier("40h")), ..Default::default() })];
    let entries = [entry("2026-11-02", "a", 2460, Kind::Support)];
    let r = run(std::slice::from_ref(&c), &entries, &[approval("a", "2026-11", 60)]);
    let cm = &r.contracts[0];
    assert_eq!((cm.tier.as_deref(), cm.quota_minutes, cm.overage_minutes), (Some("40h"), 2400, 60));
    assert_eq!(cm.overage_amount.to_string(), "95.00");
    let oct = month(m("2026-10"), "EUR", &[c], &[], &[]);
    assert_eq!(oct.contracts[0].fee.to_string(), "2000.00");
}

#[test]
fn inactive_contracts_are_left_out() {
    let mut ended = tiered("old", "16h");
    ended.end = Some(m("2026-10"));
    let mut future = tiered("new", "16h");
    future.start = m("2026-12");
    let r = run(&[ended, future, tiered("now", "16h")], &[], &[]);
    assert_eq!(r.contracts.len(), 1);
    assert_eq!(r.contracts[0].contract, "now");
}

// ---------------------------------------------------------------- properties

fn arb_contract(id: &'static str) -> impl Strategy<Value = Contract> {
    (0usize..5, 1u64..80, 1u32..=20_000, 0u32..=3000, prop::sample::select(vec![1u32, 5, 7, 15, 30, 60]), any::<bool>())
        .prop_map(move |(t, hours, rate_cents, vat_bp, rounding, custom)| {
            let base = if custom {
                TermsPatch {
                    hours: Some(hours),
                    rate: Some(Money::round(Decimal::new(i64::from(rate_cents), 2))),
                    ..Default::default()
                }
            } else {
                TermsPatch { tier: Some(price_list()[t].clone()), ..Default::default() }
            };
            contract(
                id,
                TermsPatch {
                    vat_rate: Some(Percent::new(Decimal::new(i64::from(vat_bp), 2))),
                    rounding: Some(rounding),
                    ..base
                },
            )
        })
}

const IDS: [&str; 3] = ["a", "b", "c"];

fn arb_entries() -> impl Strategy<Value = Vec<Entry>> {
    prop::collection::vec(
        (0usize..3, 1u64..=600, 0u8..3, 1u32..=30, prop::sample::select(vec!["2026-10", "2026-11", "2026-12"])),
        0..40,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .map(|(c, minutes, kind, day, month)| {
                let kind = [Kind::Support, Kind::Escalation, Kind::Nonbillable][kind as usize];
                entry(&format!("{month}-{day:02}"), IDS[c], minutes, kind)
            })
            .collect()
    })
}

fn arb_approvals() -> impl Strategy<Value = Vec<Approval>> {
    prop::collection::vec((0usize..3, 1u64..=900, prop::sample::select(vec!["2026-10", "2026-11"])), 0..6)
        .prop_map(|rows| rows.into_iter().map(|(c, min, mo)| approval(IDS[c], mo, min)).collect())
}

fn arb_case() -> impl Strategy<Value = (Vec<Contract>, Vec<Entry>, Vec<Approval>)> {
    ((arb_contract("a"), arb_contract("b"), arb_contract("c")), arb_entries(), arb_approvals())
        .prop_map(|((a, b, c), e, ap)| (vec![a, b, c], e, ap))
}

proptest! {
    #[test]
    fn month_invariants((contracts, entries, approvals) in arb_case()) {
        let r = run(&contracts, &entries, &approvals);
        for c in &r.contracts {
            prop_assert_eq!(c.used_minutes + c.forfeited_minutes, c.quota_minutes + c.overage_minutes);
            prop_assert!(c.forfeited_minutes == 0 || c.overage_minutes == 0);
            prop_assert_eq!(c.approved_overage_minutes + c.unapproved_overage_minutes, c.overage_minutes);
            prop_assert!(c.approved_overage_minutes <= c.approved_minutes);
            prop_assert!(c.escalated_minutes <= c.used_minutes);
            prop_assert_eq!(c.net, c.fee + c.overage_amount);
            prop_assert_eq!(c.gross, c.net + c.vat);
            prop_assert_eq!(c.vat, c.net.percent(c.vat_rate.unwrap().decimal()));
            prop_assert_eq!(c.overage_amount == Money::ZERO, c.approved_overage_minutes == 0);
            for money in [c.fee, c.overage_amount, c.net, c.vat, c.gross, c.rate.unwrap(), c.overage_rate.unwrap()] {
                prop_assert_eq!(money.decimal().scale(), 2);
                prop_assert!(money >= Money::ZERO);
            }
        }
        prop_assert_eq!(r.totals.net, r.contracts.iter().map(|c| c.net).sum::<Money>());
        prop_assert_eq!(r.totals.fee + r.totals.overage_amount, r.totals.net);
        prop_assert_eq!(r.totals.net + r.totals.vat, r.totals.gross);
    }

    #[test]
    fn billed_entries_are_rounded_up_to_the_increment((contracts, entries, _a) in arb_case()) {
        let r = run(&contracts, &entries, &[]);
        for (c, cm) in contracts.iter().zip(&r.contracts) {
            let inc = u64::from(c.terms(m("2026-11")).rounding);
            let raw: u64 = entries.iter().filter(|e| *e.contract == *c.id && m("2026-11").contains(e.date) && e.kind != Kind::Nonbillable).map(|e| e.minutes).sum();
            prop_assert_eq!(cm.used_minutes % inc, 0);
            prop_assert!(cm.used_minutes >= raw);
        }
    }

    #[test]
    fn order_of_entries_and_approvals_does_not_matter(
        (contracts, entries, approvals) in arb_case(),
        seed in any::<u64>(),
    ) {
        let r = run(&contracts, &entries, &approvals);
        let mut e2 = entries.clone();
        let mut a2 = approvals.clone();
        let mut c2 = contracts.clone();
        shuffle(&mut e2, seed);
        shuffle(&mut a2, seed ^ 0x9e37);
        shuffle(&mut c2, seed ^ 0x1234);
        prop_assert_eq!(r, run(&c2, &e2, &a2));
    }

    #[test]
    fn months_and_contracts_are_isolated((contracts, entries, approvals) in arb_case()) {
        let r = run(&contracts, &entries, &approvals);
        // Only rows of 2026-11 and of contract "a" matter for "a".
        let e_a: Vec<Entry> = entries.iter().filter(|e| &*e.contract == "a" && m("2026-11").contains(e.date)).cloned().collect();
        let a_a: Vec<Approval> = approvals.iter().filter(|a| &*a.contract == "a" && a.month == m("2026-11")).cloned().collect();
        let only = run(&contracts[..1], &e_a, &a_a);
        prop_assert_eq!(&r.contracts[0], &only.contracts[0]);
    }

    #[test]
    fn adding_work_never_lowers_the_invoice(
        (contracts, entries, approvals) in arb_case(),
        extra in 1u64..300,
        kind in 0u8..3,
    ) {
        let before = run(&contracts, &entries, &approvals);
        let mut more = entries.clone();
        let kind = [Kind::Support, Kind::Escalation, Kind::Nonbillable][kind as usize];
        more.push(entry("2026-11-15", "a", extra, kind));
        let after = run(&contracts, &more, &approvals);
        let (b, a) = (&before.contracts[0], &after.contracts[0]);
        prop_assert!(a.used_minutes >= b.used_minutes);
        prop_assert!(a.overage_minutes >= b.overage_minutes);
        prop_assert!(a.net >= b.net);
        if kind == Kind::Nonbillable {
            prop_assert_eq!((a.net, a.gross, a.used_minutes), (b.net, b.gross, b.used_minutes));
        }
    }
}

/// Deterministic Fisher–Yates shuffle (proptest supplies the seed).
fn shuffle<T>(v: &mut [T], mut seed: u64) {
    for i in (1..v.len()).rev() {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let j = (seed >> 33) as usize % (i + 1);
        v.swap(i, j);
    }
}
