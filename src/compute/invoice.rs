//! One contract's month as an e-invoice (SPEC §9): lines, VAT breakdown per
//! rate (EN 16931 BR-CO-17) and totals, computed from what the month's
//! closing and its corrections contribute, then compared with the figures
//! of `report`, which they must equal to the cent. Pure: no I/O, no clock.
//!
//! Lines: the package fee (quantity 1), the approved overage (hours, `HUR`,
//! rounded half away from zero to 4 decimals, price = the overage rate, line
//! total = the overage amount of the report), one line per corrected month
//! (quantity 1, or −1 for a negative amount; price = |amount|). An invoice
//! whose total is negative is a credit note (381) with every line and total
//! multiplied by −1.

use super::vat_by_rate;
use std::fmt;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use crate::model::amount::{hm, hm_signed, hours4};
use crate::model::invoice::{
    Buyer, Invoice, Line, REVERSE_CHARGE_CODE, RegisterEntry, Seller, TypeCode, Unit, VatBreakdown, VatCategory,
};
use crate::model::{Money, Month, Percent};

/// The corrections of one closed month, dated in the invoiced month (SPEC §8.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorrectionInput {
    /// The month corrected.
    pub month: Month,
    /// Their minutes, signed.
    pub minutes: i64,
    /// Their money effect in the invoiced month, signed.
    pub amount: Money,
    /// The VAT rate of the corrected month.
    pub vat_rate: Percent,
    /// Why, one per correction row.
    pub reasons: Vec<String>,
}

/// What one contract's closed month contributes to its invoice: the figures
/// of `report` for that month (with its corrections), the parties and the
/// VAT category. The number and issue date come from the register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceInput {
    pub contract: String,
    pub customer: String,
    /// The invoiced month.
    pub month: Month,
    /// ISO 4217.
    pub currency: String,
    /// The tier of the terms in force, `None` for custom terms.
    pub tier: Option<String>,
    /// The quota's hours (names the fee line of custom terms).
    pub hours: Option<u64>,
    pub approved_overage_minutes: u64,
    /// `None` (with `overage_rate` and `vat_rate`) for a contract that has
    /// only corrections in the month: no fee line.
    pub rate: Option<Money>,
    pub overage_rate: Option<Money>,
    pub vat_rate: Option<Percent>,
    pub fee: Money,
    pub overage_amount: Money,
    /// One per corrected month.
    pub corrections: Vec<CorrectionInput>,
    pub correction_amount: Money,
    /// `report`'s figures, which the invoice must equal.
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
    pub vat_category: VatCategory,
    /// BT-120: `Reverse charge` for AE, the contract's reason for E.
    pub vat_exemption_reason: Option<String>,
    pub seller: Seller,
    pub buyer: Buyer,
}

/// The invoice built from an input disagrees with the input's own figures:
/// a bug in the month computation or in the adapter, never in the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub contract: String,
    pub month: Month,
    pub what: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the invoice of {} for {} does not add up to the report's figures: {}",
            self.contract, self.month, self.what
        )
    }
}

impl std::error::Error for Mismatch {}

/// The highest sequence of issue year `year` in `register` (0: none). The
/// next invoice number is `prefix` + year + `-` + that plus one, four digits
/// at least (`RE-2026-0001`): sequences count per issue year whatever the
/// prefix, so a number is never issued twice even when the prefix changes.
pub fn last_seq(register: &[RegisterEntry], year: i32) -> u32 {
    register.iter().filter(|r| r.year == year).map(|r| r.seq).max().unwrap_or(0)
}

/// Builds the invoice of `input` with `number` and `issue_date`, and checks
/// that its net, VAT and gross are exactly the input's.
pub fn build(input: &InvoiceInput, number: &str, issue_date: NaiveDate) -> Result<Invoice, Mismatch> {
    let mismatch = |what: String| Mismatch { contract: input.contract.clone(), month: input.month, what };
    let cat = input.vat_category;
    let mut lines: Vec<Line> = Vec::new();
    let mut push = |name: String, description: Option<String>, quantity: Decimal, unit, price: Money, amount, rate| {
        let id = lines.len() as u32 + 1;
        lines.push(Line { id, name, description, quantity, unit, price, amount, category: cat, vat_rate: rate });
    };
    if let (Some(rate), Some(vat_rate)) = (input.rate, input.vat_rate) {
        let package = match (&input.tier, input.hours) {
            (Some(t), _) => format!("Support package {t}"),
            (None, Some(h)) => format!("Support package {h} h at {rate} {}/h", input.currency),
            (None, None) => "Support package".to_string(),
        };
        push(format!("{package} ({})", input.month), None, Decimal::ONE, Unit::One, input.fee, input.fee, vat_rate);
        if input.approved_overage_minutes > 0 {
            let overage_rate = input.overage_rate.unwrap_or(rate);
            push(
                format!("Approved overage ({})", input.month),
                Some(format!(
                    "{} h agreed beyond the quota at {overage_rate} {}/h",
                    hm(input.approved_overage_minutes),
                    input.currency
                )),
                hours4(input.approved_overage_minutes),
                Unit::Hour,
                overage_rate,
                input.overage_amount,
                vat_rate,
            );
        }
    } else if input.fee != Money::ZERO || input.overage_amount != Money::ZERO || input.approved_overage_minutes > 0 {
        return Err(mismatch(format!(
            "fee {} and overage {} without terms (rate and VAT rate)",
            input.fee, input.overage_amount
        )));
    }
    for c in &input.corrections {
        let quantity = if c.amount.is_negative() { -Decimal::ONE } else { Decimal::ONE };
        let description = format!("{} h: {}", hm_signed(c.minutes), c.reasons.join("; "));
        push(
            format!("Correction of {}", c.month),
            Some(description),
            quantity,
            Unit::One,
            c.amount.abs(),
            c.amount,
            c.vat_rate,
        );
    }

    let corrections: Money = input.corrections.iter().map(|c| c.amount).sum();
    if corrections != input.correction_amount {
        return Err(mismatch(format!(
            "corrections add up to {corrections}, correction_amount is {}",
            input.correction_amount
        )));
    }
    let line_total: Money = lines.iter().map(|l| l.amount).sum();
    if line_total != input.net {
        return Err(mismatch(format!("lines add up to {line_total}, net is {}", input.net)));
    }
    let (reason, code) = match cat {
        VatCategory::Standard => (None, None),
        VatCategory::ReverseCharge => (input.vat_exemption_reason.clone(), Some(REVERSE_CHARGE_CODE.to_string())),
        VatCategory::Exempt => (input.vat_exemption_reason.clone(), None),
    };
    let mut breakdown: Vec<VatBreakdown> = vat_by_rate(lines.iter().map(|l| (l.vat_rate, l.amount)))
        .into_iter()
        .map(|(rate, basis, vat)| VatBreakdown {
            category: cat,
            rate,
            basis,
            vat,
            exemption_reason: reason.clone(),
            exemption_code: code.clone(),
        })
        .collect();
    let tax_total: Money = breakdown.iter().map(|b| b.vat).sum();
    if tax_total != input.vat {
        return Err(mismatch(format!("VAT per rate adds up to {tax_total}, vat is {}", input.vat)));
    }
    let mut grand_total = line_total + tax_total;
    if grand_total != input.gross {
        return Err(mismatch(format!("net + VAT is {grand_total}, gross is {}", input.gross)));
    }

    let mut line_total = line_total;
    let mut tax_total = tax_total;
    let type_code = if grand_total.is_negative() {
        // A credit note: every line and total times −1, so that the totals
        // are positive; a line that lowers the credit keeps quantity −1.
        for l in &mut lines {
            l.quantity = -l.quantity;
            l.amount = -l.amount;
        }
        for b in &mut breakdown {
            b.basis = -b.basis;
            b.vat = -b.vat;
        }
        line_total = -line_total;
        tax_total = -tax_total;
        grand_total = -grand_total;
        TypeCode::CreditNote
    } else {
        TypeCode::Invoice
    };
    let days = input.seller.payment_days;
    let due_date = issue_date.checked_add_days(Days::new(u64::from(days))).unwrap_or(issue_date);
    let payment_terms = match (type_code, days) {
        (TypeCode::Invoice, 0) => "Payable immediately without deduction.".to_string(),
        (TypeCode::Invoice, d) => format!("Payable within {d} days without deduction."),
        (TypeCode::CreditNote, d) => format!("The credit is transferred to your account within {d} days."),
    };
    Ok(Invoice {
        number: number.to_string(),
        type_code,
        issue_date,
        due_date,
        period: (input.month.first_day(), input.month.last_day()),
        currency: input.currency.clone(),
        buyer_reference: input.buyer.reference.clone(),
        seller: input.seller.clone(),
        buyer: input.buyer.clone(),
        lines,
        breakdown,
        line_total,
        tax_basis: line_total,
        tax_total,
        grand_total,
        due_payable: grand_total,
        payment_terms,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use std::str::FromStr;

    use proptest::prelude::*;

    use super::*;
    use crate::model::invoice::Address;

    pub fn money(s: &str) -> Money {
        Money::round(Decimal::from_str(s).unwrap())
    }
    pub fn pct(s: &str) -> Percent {
        Percent::new(Decimal::from_str(s).unwrap())
    }

    pub fn seller() -> Seller {
        Seller {
            name: "Beispiel Consulting GmbH".into(),
            address: Address {
                street: "Musterstrasse 1".into(),
                postcode: "10115".into(),
                city: "Berlin".into(),
                country: "DE".into(),
            },
            vat_id: Some("DE123456789".into()),
            tax_number: None,
            email: "rechnung@beispiel-consulting.example".into(),
            contact_name: "Erika Mustermann".into(),
            contact_phone: "+49 30 1234567".into(),
            contact_email: "support@beispiel-consulting.example".into(),
            iban: "DE75512108001245126199".into(),
            bic: None,
            payment_days: 14,
            number_prefix: "RE-".into(),
        }
    }

    pub fn buyer() -> Buyer {
        Buyer {
            name: "ACME GmbH".into(),
            address: Address {
                street: "Beispielweg 5".into(),
                postcode: "80331".into(),
                city: "Muenchen".into(),
                country: "DE".into(),
            },
            vat_id: None,
            email: "eingangsrechnung@acme.example".into(),
            reference: "04011000-12345-03".into(),
        }
    }

    /// An input with the figures computed as `report` computes them (SPEC
    /// §3, §8.2): fee = hours × rate, overage = round2(minutes × rate / 60),
    /// net = fee + overage + corrections, VAT per rate on the sum at that rate.
    pub fn input(
        terms: Option<(&str, u64, &str, &str)>,
        overage_minutes: u64,
        corrections: Vec<CorrectionInput>,
    ) -> InvoiceInput {
        let (tier, hours, rate, vat_rate) = match terms {
            Some((t, h, r, v)) => {
                (Some(t.to_string()).filter(|t| !t.is_empty()), Some(h), Some(money(r)), Some(pct(v)))
            }
            None => (None, None, None, None),
        };
        let fee = rate.map_or(Money::ZERO, |r| r.times(hours.unwrap_or(0)));
        let overage_amount = rate.map_or(Money::ZERO, |r| Money::for_minutes(overage_minutes, r));
        let correction_amount: Money = corrections.iter().map(|c| c.amount).sum();
        let net = fee + overage_amount + correction_amount;
        let mut amounts: Vec<(Percent, Money)> = corrections.iter().map(|c| (c.vat_rate, c.amount)).collect();
        if let Some(v) = vat_rate {
            amounts.push((v, fee + overage_amount));
        }
        // Independently of `vat_by_rate`: each distinct rate once.
        let mut rates: Vec<Percent> = amounts.iter().map(|a| a.0).collect();
        rates.sort();
        rates.dedup();
        let vat: Money = rates
            .iter()
            .map(|r| amounts.iter().filter(|a| a.0 == *r).map(|a| a.1).sum::<Money>().percent(r.decimal()))
            .sum();
        InvoiceInput {
            contract: "acme".into(),
            customer: "ACME GmbH".into(),
            month: "2026-11".parse().unwrap(),
            currency: "EUR".into(),
            tier,
            hours,
            approved_overage_minutes: if rate.is_some() { overage_minutes } else { 0 },
            rate,
            overage_rate: rate,
            vat_rate,
            fee,
            overage_amount,
            corrections,
            correction_amount,
            net,
            vat,
            gross: net + vat,
            vat_category: VatCategory::Standard,
            vat_exemption_reason: None,
            seller: seller(),
            buyer: buyer(),
        }
    }

    pub fn correction(month: &str, minutes: i64, amount: &str, vat_rate: &str) -> CorrectionInput {
        CorrectionInput {
            month: month.parse().unwrap(),
            minutes,
            amount: money(amount),
            vat_rate: pct(vat_rate),
            reasons: vec!["forgotten call".into()],
        }
    }

    fn issue() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    #[test]
    fn the_example_of_the_report() {
        let i = build(&input(Some(("20h", 20, "100.00", "19")), 120, vec![]), "RE-2026-0001", issue()).unwrap();
        assert_eq!(i.type_code, TypeCode::Invoice);
        assert_eq!(i.lines.len(), 2);
        assert_eq!(i.lines[0].name, "Support package 20h (2026-11)");
        assert_eq!((i.lines[1].quantity.to_string(), i.lines[1].unit), ("2.0000".into(), Unit::Hour));
        assert_eq!((i.line_total, i.tax_total, i.grand_total), (money("2200"), money("418"), money("2618")));
        assert_eq!(i.due_date, NaiveDate::from_ymd_opt(2026, 12, 15).unwrap());
        assert_eq!(i.period.1, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(i.payment_terms, "Payable within 14 days without deduction.");
    }

    #[test]
    fn half_cent_cases() {
        // VAT on 1,001.50 = 190.285 → 190.29 (banker's rounding: 190.28).
        let mut inp = input(Some(("", 10, "100.15", "19")), 0, vec![]);
        inp.hours = Some(10);
        let i = build(&inp, "RE-2026-0001", issue()).unwrap();
        assert_eq!((i.line_total, i.tax_total), (money("1001.50"), money("190.29")));
        assert_eq!(i.lines[0].name, "Support package 10 h at 100.15 EUR/h (2026-11)");
        // 7 min × 100 €/h = 11.666… → 11.67, quantity 0.1167 h.
        let i = build(&input(Some(("16h", 16, "100.00", "19")), 7, vec![]), "X", issue()).unwrap();
        assert_eq!((i.lines[1].amount, i.lines[1].quantity.to_string()), (money("11.67"), "0.1167".into()));
        assert_eq!(i.tax_total, money("306.22")); // 1611.67 × 0.19 = 306.2173
        // VAT on the sum per rate, not per line: 1,190.50 + 97.50 → 244.72 (per line: 244.73).
        let mut inp = input(Some(("", 10, "119.05", "19")), 0, vec![correction("2026-10", 60, "97.50", "19")]);
        inp.hours = Some(10);
        assert_eq!(build(&inp, "X", issue()).unwrap().tax_total, money("244.72"));
    }

    #[test]
    fn corrections_at_another_rate_get_their_own_breakdown() {
        let inp = input(
            Some(("20h", 20, "100.00", "19")),
            0,
            vec![correction("2020-06", 90, "150.00", "16"), correction("2026-10", -30, "-50.00", "19")],
        );
        let i = build(&inp, "X", issue()).unwrap();
        let b: Vec<(String, Money, Money)> = i.breakdown.iter().map(|b| (b.rate.to_string(), b.basis, b.vat)).collect();
        assert_eq!(b, [("16".into(), money("150"), money("24")), ("19".into(), money("1950"), money("370.50"))]);
        assert_eq!(i.lines.len(), 3);
        assert_eq!((i.lines[1].quantity, i.lines[1].vat_rate), (Decimal::ONE, pct("16")));
        assert_eq!(
            (i.lines[2].quantity, i.lines[2].price, i.lines[2].amount),
            (-Decimal::ONE, money("50"), money("-50"))
        );
        assert_eq!(i.lines[2].description.as_deref(), Some("-0:30 h: forgotten call"));
    }

    #[test]
    fn a_negative_total_is_a_credit_note() {
        let inp = input(
            None,
            0,
            vec![correction("2026-09", -120, "-200.00", "19"), correction("2026-10", 30, "50.00", "19")],
        );
        let i = build(&inp, "X", issue()).unwrap();
        assert_eq!(i.type_code, TypeCode::CreditNote);
        assert_eq!(
            (i.line_total, i.tax_total, i.grand_total, i.due_payable),
            (money("150"), money("28.50"), money("178.50"), money("178.50"))
        );
        // The credited line is positive, the one that lowers the credit keeps −1.
        assert_eq!((i.lines[0].quantity, i.lines[0].amount), (Decimal::ONE, money("200")));
        assert_eq!(
            (i.lines[1].quantity, i.lines[1].price, i.lines[1].amount),
            (-Decimal::ONE, money("50"), money("-50"))
        );
        assert_eq!((i.breakdown[0].basis, i.breakdown[0].vat), (money("150"), money("28.50")));
    }

    #[test]
    fn figures_that_do_not_add_up_are_refused() {
        let mut inp = input(Some(("20h", 20, "100.00", "19")), 0, vec![]);
        inp.vat = money("379.99");
        let e = build(&inp, "X", issue()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the invoice of acme for 2026-11 does not add up to the report's figures: VAT per rate adds up to 380.00, vat is 379.99"
        );
        let mut inp = input(Some(("20h", 20, "100.00", "19")), 0, vec![]);
        inp.net = money("2000.01");
        assert!(build(&inp, "X", issue()).unwrap_err().what.starts_with("lines add up to 2000.00"));
    }

    fn rate() -> impl Strategy<Value = Money> {
        (0u64..=40_000).prop_map(|c| Money::round(Decimal::new(c as i64, 2)))
    }
    fn vat_rate() -> impl Strategy<Value = Percent> {
        prop_oneof![
            Just(pct("19")),
            Just(pct("7")),
            Just(pct("16")),
            Just(pct("0")),
            Just(pct("19.5")),
            Just(pct("7.7"))
        ]
    }
    fn corrections() -> impl Strategy<Value = Vec<CorrectionInput>> {
        proptest::collection::vec(
            (1u32..=10, -600i64..=600, -100_000i64..=100_000, vat_rate()).prop_map(|(m, min, cents, v)| {
                CorrectionInput {
                    month: Month::new(2026, m).unwrap(),
                    minutes: min,
                    amount: Money::round(Decimal::new(cents, 2)),
                    vat_rate: v,
                    reasons: vec!["r".into()],
                }
            }),
            0..4,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

        /// For any figures computed as `report` computes them, the invoice
        /// equals them to the cent, its totals are consistent (BR-CO-10..17),
        /// never negative, and each line's quantity × price is its amount
        /// within the rules' tolerance (exact but for the overage's hours).
        #[test]
        fn the_invoice_equals_the_report(
            terms in proptest::option::of((1u64..=200, rate(), vat_rate())),
            minutes in 0u64..=6_000,
            corr in corrections(),
        ) {
            let rate_text;
            let vat_text;
            let t = match &terms {
                Some((h, r, v)) => { rate_text = r.to_string(); vat_text = v.to_string(); Some(("30h", *h, rate_text.as_str(), vat_text.as_str())) }
                None => None,
            };
            let inp = input(t, minutes, corr);
            let i = build(&inp, "X", issue()).unwrap();
            let sign = if inp.gross.is_negative() { -Decimal::ONE } else { Decimal::ONE };
            prop_assert_eq!(i.type_code == TypeCode::CreditNote, inp.gross.is_negative());
            prop_assert_eq!(i.line_total.decimal(), inp.net.decimal() * sign);
            prop_assert_eq!(i.tax_total.decimal(), inp.vat.decimal() * sign);
            prop_assert_eq!(i.grand_total.decimal(), inp.gross.decimal() * sign);
            prop_assert!(!i.grand_total.is_negative());
            prop_assert_eq!(i.lines.iter().map(|l| l.amount).sum::<Money>(), i.line_total);
            prop_assert_eq!(i.breakdown.iter().map(|b| b.basis).sum::<Money>(), i.tax_basis);
            prop_assert_eq!(i.breakdown.iter().map(|b| b.vat).sum::<Money>(), i.tax_total);
            for b in &i.breakdown {
                prop_assert_eq!(b.vat, b.basis.percent(b.rate.decimal()));
            }
            for l in &i.lines {
                prop_assert!(!l.price.is_negative());
                let product = l.quantity * l.price.decimal();
                let tolerance = if l.unit == Unit::Hour {
                    // 0.00005 h of rounding times the rate, plus the cent.
                    Decimal::new(5, 5) * l.price.decimal() + Decimal::new(5, 3)
                } else {
                    Decimal::ZERO
                };
                prop_assert!((product - l.amount.decimal()).abs() <= tolerance, "{:?}", l);
            }
        }
    }
}
