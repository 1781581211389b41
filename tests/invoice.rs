//! E-invoices against the official rules (SPEC §9): invoices built by the
//! library for every tier of the price list, the half-cent cases, the VAT
//! categories S, AE and E, custom terms, corrections at another VAT rate, a
//! corrections-only invoice, a credit note and a name that needs escaping
//! (plus each demo month, from the figures the real binary's `report`
//! prints) are written to a temp folder and validated by
//! `../shared/einvoice/validate.py` (CII D16B XSD, EN 16931 schematron,
//! XRechnung 3.0 schematron). Each is also read back, and every amount is
//! compared to the cent with the figures it was built from, since the
//! official rules tolerate a VAT amount up to one unit off.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::NaiveDate;
use common::*;
use quick_xml::events::Event;
use rust_decimal::Decimal;
use supportctl::compute::invoice::{CorrectionInput, InvoiceInput, build};
use supportctl::model::invoice::{Address, Buyer, Invoice, Seller, TypeCode, VatCategory};
use supportctl::model::{Money, Month, Percent};
use supportctl::read::parties::{self, Need};
use supportctl::read::{self, Problems, Scope};
use supportctl::render::cii;

/// Runs `validate.py` on `files`: (exit code, output).
fn validate(files: &[PathBuf]) -> (i32, String) {
    validate_invoices(files)
}

fn money(s: &str) -> Money {
    Money::round(Decimal::from_str(s).unwrap())
}
fn pct(s: &str) -> Percent {
    Percent::new(Decimal::from_str(s).unwrap())
}

fn seller() -> Seller {
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
        bic: Some("COBADEFFXXX".into()),
        payment_days: 14,
        number_prefix: "RE-".into(),
    }
}

fn buyer() -> Buyer {
    Buyer {
        name: "ACME GmbH".into(),
        address: Address {
            street: "Beispielweg 5".into(),
            postcode: "80331".into(),
            city: "München".into(),
            country: "DE".into(),
        },
        vat_id: None,
        email: "eingangsrechnung@acme.example".into(),
        reference: "acme".into(),
    }
}

/// Terms of a month: tier name ("" for custom terms), hours, rate, VAT rate.
type Terms<'a> = (&'a str, u64, &'a str, &'a str);

/// An input whose figures are computed as `report` computes them (SPEC §3,
/// §8.2): fee = hours × rate, overage = round2(minutes × rate / 60), net =
/// fee + overage + corrections, VAT per rate on the sum at that rate.
fn input(terms: Option<Terms<'_>>, overage_minutes: u64, corrections: Vec<CorrectionInput>) -> InvoiceInput {
    let (tier, hours, rate, vat_rate) = match terms {
        Some((t, h, r, v)) => (Some(t.to_string()).filter(|t| !t.is_empty()), Some(h), Some(money(r)), Some(pct(v))),
        None => (None, None, None, None),
    };
    let fee = rate.map_or(Money::ZERO, |r| r.times(hours.unwrap_or(0)));
    let overage_amount = rate.map_or(Money::ZERO, |r| Money::for_minutes(overage_minutes, r));
    let correction_amount: Money = corrections.iter().map(|c| c.amount).sum();
    let net = fee + overage_amount + correction_amount;
    let mut per_rate: BTreeMap<Percent, Money> = BTreeMap::new();
    for c in &corrections {
        *per_rate.entry(c.vat_rate).or_default() += c.amount;
    }
    if let Some(v) = vat_rate {
        *per_rate.entry(v).or_default() += fee + overage_amount;
    }
    let vat: Money = per_rate.iter().map(|(r, sum)| sum.percent(r.decimal())).sum();
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

fn correction(month: &str, minutes: i64, amount: &str, vat_rate: &str, reason: &str) -> CorrectionInput {
    CorrectionInput {
        month: month.parse().unwrap(),
        minutes,
        amount: money(amount),
        vat_rate: pct(vat_rate),
        reasons: vec![reason.into()],
    }
}

fn issued() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

/// Every element's text by its path of local names, in document order
/// (`CrossIndustryInvoice/…/LineTotalAmount`), with attributes as `@name`.
fn read_back(xml: &[u8]) -> Vec<(String, String)> {
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut path: Vec<String> = Vec::new();
    let mut out = Vec::new();
    let mut text = String::new();
    let mut buf = Vec::new();
    loop {
        match r.read_event_into(&mut buf).expect("well-formed XML") {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                path.push(name);
                for a in e.attributes() {
                    let a = a.unwrap();
                    let local = a.key.local_name();
                    let key: &str = local.as_ref();
                    let v = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).unwrap();
                    out.push((format!("{}/@{key}", path.join("/")), v.into_owned()));
                }
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0)),
            Event::GeneralRef(g) => text.push_str(match g.xml10_content().as_ref() {
                "amp" => "&",
                "lt" => "<",
                "gt" => ">",
                "quot" => "\"",
                "apos" => "'",
                other => panic!("entity {other}"),
            }),
            Event::End(_) => {
                if !text.trim().is_empty() {
                    out.push((path.join("/"), text.trim().to_string()));
                }
                text.clear();
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// The texts at paths ending in `suffix`.
fn all<'a>(fields: &'a [(String, String)], suffix: &str) -> Vec<&'a str> {
    fields.iter().filter(|(p, _)| p.ends_with(suffix)).map(|(_, v)| v.as_str()).collect()
}

fn one<'a>(fields: &'a [(String, String)], suffix: &str) -> &'a str {
    let found = all(fields, suffix);
    assert_eq!(found.len(), 1, "{suffix}: {found:?}");
    found[0]
}

/// Reads `xml` back and checks every amount to the cent against what the
/// invoice was built from: the lines one by one, the VAT breakdown per
/// rate (VAT = round2(basis × rate / 100), half away from zero), and the
/// totals (the input's net, VAT and gross, negated for a credit note).
fn check_amounts(name: &str, xml: &[u8], input: &InvoiceInput, inv: &Invoice) {
    let f = read_back(xml);
    let sign = if input.gross.is_negative() { -1 } else { 1 };
    let signed = |m: Money| if sign < 0 { -m } else { m };
    assert_eq!(one(&f, "ExchangedDocument/TypeCode"), if sign < 0 { "381" } else { "380" }, "{name}");
    // Lines: fee, overage, corrections, in that order, with the input's amounts.
    let mut want_lines: Vec<Money> = Vec::new();
    if input.rate.is_some() {
        want_lines.push(input.fee);
        if input.approved_overage_minutes > 0 {
            want_lines.push(input.overage_amount);
        }
    }
    want_lines.extend(input.corrections.iter().map(|c| c.amount));
    let got_lines: Vec<Money> =
        all(&f, "SpecifiedTradeSettlementLineMonetarySummation/LineTotalAmount").iter().map(|s| money(s)).collect();
    assert_eq!(got_lines, want_lines.iter().map(|m| signed(*m)).collect::<Vec<_>>(), "{name}: line totals");
    // Quantity × price is the line total: exactly, but for the overage hours.
    let prices = all(&f, "NetPriceProductTradePrice/ChargeAmount");
    let quantities = all(&f, "SpecifiedLineTradeDelivery/BilledQuantity");
    let units = all(&f, "SpecifiedLineTradeDelivery/BilledQuantity/@unitCode");
    for (i, ((p, q), u)) in prices.iter().zip(&quantities).zip(&units).enumerate() {
        let product = Decimal::from_str(q).unwrap() * Decimal::from_str(p).unwrap();
        let diff = (product - got_lines[i].decimal()).abs();
        assert!(!p.starts_with('-'), "{name}: negative price {p}");
        if *u == "HUR" {
            assert!(diff <= Decimal::new(2, 2), "{name}: line {} {q} h × {p} is {product}", i + 1);
        } else {
            assert_eq!(diff, Decimal::ZERO, "{name}: line {} {q} × {p}", i + 1);
        }
    }
    // VAT breakdown: per rate, the sum of the input's amounts at that rate.
    let mut per_rate: BTreeMap<Percent, Money> = BTreeMap::new();
    if let Some(v) = input.vat_rate {
        *per_rate.entry(v).or_default() += input.fee + input.overage_amount;
    }
    for c in &input.corrections {
        *per_rate.entry(c.vat_rate).or_default() += c.amount;
    }
    let header = "ApplicableHeaderTradeSettlement/ApplicableTradeTax/";
    let got: Vec<(String, Money, Money)> = all(&f, &format!("{header}RateApplicablePercent"))
        .iter()
        .zip(all(&f, &format!("{header}BasisAmount")))
        .zip(all(&f, &format!("{header}CalculatedAmount")))
        .map(|((r, b), v)| (r.to_string(), money(b), money(v)))
        .collect();
    let want: Vec<(String, Money, Money)> =
        per_rate.iter().map(|(r, sum)| (r.to_string(), signed(*sum), signed(sum.percent(r.decimal())))).collect();
    assert_eq!(got, want, "{name}: VAT breakdown");
    let categories = all(&f, &format!("{header}CategoryCode"));
    assert!(categories.iter().all(|c| *c == input.vat_category.code()), "{name}: {categories:?}");
    let totals = "SpecifiedTradeSettlementHeaderMonetarySummation/";
    for (field, want) in [
        ("LineTotalAmount", input.net),
        ("TaxBasisTotalAmount", input.net),
        ("TaxTotalAmount", input.vat),
        ("GrandTotalAmount", input.gross),
        ("DuePayableAmount", input.gross),
    ] {
        assert_eq!(money(one(&f, &format!("{totals}{field}"))), signed(want), "{name}: {field}");
    }
    assert!(money(one(&f, &format!("{totals}GrandTotalAmount"))) >= Money::ZERO, "{name}");
    // What the invoice says beyond the amounts.
    assert_eq!(one(&f, "ExchangedDocument/ID"), inv.number, "{name}");
    assert_eq!(one(&f, "GuidelineSpecifiedDocumentContextParameter/ID"), cii::GUIDELINE_ID);
    assert_eq!(one(&f, "DueDateDateTime/DateTimeString"), inv.due_date.format("%Y%m%d").to_string(), "{name}");
    let first = input.month.first_day().format("%Y%m%d").to_string();
    assert_eq!(one(&f, "BillingSpecifiedPeriod/StartDateTime/DateTimeString"), first, "{name}");
    assert_eq!(one(&f, "PayeePartyCreditorFinancialAccount/IBANID"), input.seller.iban, "{name}");
    assert_eq!(one(&f, "SpecifiedTradeSettlementPaymentMeans/TypeCode"), "58", "{name}");
    assert_eq!(one(&f, "BuyerTradeParty/Name"), input.buyer.name, "{name}");
    assert_eq!(one(&f, "ApplicableHeaderTradeAgreement/BuyerReference"), input.buyer.reference, "{name}");
}

/// The cases of this file: a name and an input.
fn cases() -> Vec<(String, InvoiceInput)> {
    let mut cases: Vec<(String, InvoiceInput)> = Vec::new();
    // Every tier of the built-in price list, with 7 minutes of approved
    // overage (a minute count that is not a whole number of cents).
    for t in read::settings::builtin_tiers() {
        let rate = t.rate.to_string();
        cases.push((format!("tier-{}", t.name), input(Some((&t.name, t.hours, &rate, "19")), 7, vec![])));
    }
    // Half-cent cases of the month computation: VAT on 1,001.50 is 190.285
    // → 190.29; 15 min at 112.50 €/h is 28.125 → 28.13; VAT on the sum per
    // rate, not per line: 1,190.50 + 97.50 → 244.72, not 244.73.
    cases.push(("half-cent-vat".into(), input(Some(("", 10, "100.15", "19")), 0, vec![])));
    cases.push(("half-cent-overage".into(), input(Some(("", 16, "112.50", "19")), 15, vec![])));
    cases.push((
        "half-cent-sum-per-rate".into(),
        input(Some(("", 10, "119.05", "19")), 0, vec![correction("2026-10", 60, "97.50", "19", "late call")]),
    ));
    // Custom terms (hours and rate), 7 % VAT.
    cases.push(("custom-terms".into(), input(Some(("", 24, "97.50", "7")), 90, vec![])));
    // Reverse charge: an Austrian customer with its VAT id.
    let mut ae = input(Some(("30h", 30, "100.00", "0")), 75, vec![]);
    ae.vat_category = VatCategory::ReverseCharge;
    ae.vat_exemption_reason = Some("Reverse charge".into());
    ae.buyer.address = Address {
        street: "Anichstraße 35".into(),
        postcode: "6020".into(),
        city: "Innsbruck".into(),
        country: "AT".into(),
    };
    ae.buyer.vat_id = Some("ATU73456789".into());
    cases.push(("reverse-charge".into(), ae));
    // Exempt, with the contract's reason; a seller with a tax number only.
    let mut e = input(Some(("20h", 20, "100.00", "0")), 0, vec![]);
    e.vat_category = VatCategory::Exempt;
    e.vat_exemption_reason = Some("Steuerfrei nach § 4 Nr. 21 UStG".into());
    e.seller.vat_id = None;
    e.seller.tax_number = Some("30/123/45678".into());
    e.seller.bic = None;
    cases.push(("exempt".into(), e));
    // Corrections at another VAT rate (a month of 16 %) and a negative one.
    cases.push((
        "corrections-other-rate".into(),
        input(
            Some(("20h", 20, "100.00", "19")),
            120,
            vec![
                correction("2020-12", 90, "150.00", "16", "Anruf vom 14.12. vergessen"),
                correction("2026-10", -45, "-75.00", "19", "booked to the wrong customer"),
            ],
        ),
    ));
    // Only corrections (a contract no longer active), adding time.
    cases.push((
        "corrections-only".into(),
        input(None, 0, vec![correction("2026-10", 30, "50.00", "19", "late entry")]),
    ));
    // Only corrections taking time away: a credit note, one line of which
    // lowers the credit.
    cases.push((
        "credit-note".into(),
        input(
            None,
            0,
            vec![
                correction("2026-09", -120, "-200.00", "19", "double booking"),
                correction("2026-10", 7, "11.67", "19", "call not logged"),
            ],
        ),
    ));
    // A name that must be escaped.
    let mut esc = input(Some(("16h", 16, "100.00", "19")), 0, vec![]);
    esc.buyer.name = "Müller & Söhne <Technik> GmbH".into();
    esc.customer = esc.buyer.name.clone();
    cases.push(("escaping".into(), esc));
    cases
}

/// Builds, writes and checks every case in `dir`; returns the files.
fn write_cases(dir: &Path, cases: &[(String, InvoiceInput)]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for (i, (name, input)) in cases.iter().enumerate() {
        let inv = build(input, &format!("RE-2026-{:04}", i + 1), issued()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let xml = cii::invoice(&inv);
        check_amounts(name, &xml, input, &inv);
        let path = dir.join(format!("{name}.xml"));
        std::fs::write(&path, &xml).unwrap();
        files.push(path);
    }
    files
}

#[test]
fn every_case_is_valid_xrechnung_and_exact_to_the_cent() {
    let dir = tempfile::tempdir().unwrap();
    let cases = cases();
    let files = write_cases(dir.path(), &cases);
    let (code, out) = validate(&files);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.matches(": VALID (profile xrechnung").count(), files.len(), "{out}");
    // The half-cent figures themselves.
    let by_name: BTreeMap<&str, &InvoiceInput> = cases.iter().map(|(n, i)| (n.as_str(), i)).collect();
    assert_eq!(by_name["half-cent-vat"].vat, money("190.29"));
    assert_eq!(by_name["half-cent-overage"].overage_amount, money("28.13"));
    assert_eq!(by_name["half-cent-sum-per-rate"].vat, money("244.72"));
    assert_eq!(by_name["tier-16h"].overage_amount, money("11.67"));
    let credit = read_back(&std::fs::read(dir.path().join("credit-note.xml")).unwrap());
    assert_eq!(one(&credit, "ExchangedDocument/TypeCode"), "381");
    assert_eq!(all(&credit, "BilledQuantity"), ["1", "-1"]);
    let esc = std::fs::read_to_string(dir.path().join("escaping.xml")).unwrap();
    assert!(esc.contains("Müller &amp; Söhne &lt;Technik&gt; GmbH"), "{esc}");
}

#[test]
fn the_validator_catches_broken_invoices() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(String, InvoiceInput)> = cases().into_iter().filter(|(n, _)| n == "tier-20h").collect();
    let good = write_cases(dir.path(), &cases).remove(0);
    let xml = std::fs::read_to_string(&good).unwrap();
    // The VAT total one cent off (BR-CO-15: grand total = basis + VAT).
    let vat = xml.find("<ram:TaxTotalAmount").unwrap();
    let close = vat + xml[vat..].find("</ram:TaxTotalAmount>").unwrap();
    let open = vat + xml[vat..].find('>').unwrap() + 1;
    let wrong_vat = format!("{}{}{}", &xml[..open], money(&xml[open..close]) + money("0.01"), &xml[close..]);
    // No buyer electronic address (XRechnung: BT-49 is required).
    let start = xml.find("<ram:BuyerTradeParty>").unwrap();
    let uri = start + xml[start..].find("<ram:URIUniversalCommunication>").unwrap();
    let uri_end =
        uri + xml[uri..].find("</ram:URIUniversalCommunication>").unwrap() + "</ram:URIUniversalCommunication>".len();
    let no_buyer_email = format!("{}{}", &xml[..uri], &xml[uri_end..]);
    // Elements out of the schema's order.
    let swapped = xml.replacen("<ram:TypeCode>380</ram:TypeCode>", "", 1).replacen(
        "</ram:IssueDateTime>",
        "</ram:IssueDateTime>\n    <ram:TypeCode>380</ram:TypeCode>",
        1,
    );
    let mut files = Vec::new();
    for (name, text) in [("wrong-vat", wrong_vat), ("no-buyer-email", no_buyer_email), ("swapped", swapped)] {
        let p = dir.path().join(format!("{name}.xml"));
        std::fs::write(&p, text).unwrap();
        let (code, out) = validate(std::slice::from_ref(&p));
        assert_eq!(code, 1, "{name} should be invalid:\n{out}");
        assert!(out.contains("INVALID"), "{out}");
        files.push(p);
    }
    let (code, out) = validate(std::slice::from_ref(&good));
    assert_eq!(code, 0, "{out}");
}

/// The demo ledger's parties, judged as `invoice` judges them.
fn demo_parties(contract: &str, months: &[Month]) -> (Seller, Buyer, VatCategory, Option<String>) {
    let loaded = read::load(&demo(), Scope::Terms);
    assert!(!loaded.problems.has_errors(), "{:?}", loaded.problems.list);
    let settings = loaded.settings();
    let c = loaded.contracts.iter().find(|c| c.id == contract).unwrap();
    let mut p = Problems::default();
    let file = format!("contracts/{contract}.toml");
    let s = parties::seller(settings.seller.as_ref(), "supportctl.toml", Need::Complete, &mut p);
    let b = parties::buyer(c, &file, Need::Complete, &mut p);
    let v = parties::invoice_vat(c, &file, months, &mut p);
    let reverse_charge = v.as_ref().is_some_and(|(cat, _)| *cat == VatCategory::ReverseCharge);
    let files = if reverse_charge { vec![file.clone()] } else { vec![] };
    parties::seller_vat_for_reverse_charge(settings.seller.as_ref(), "supportctl.toml", &files, &mut p);
    assert!(p.list.is_empty(), "{contract}: {:?}", p.list);
    let (cat, reason) = v.unwrap();
    (s.unwrap(), b.unwrap(), cat, reason)
}

fn text_money(v: &serde_json::Value) -> Money {
    money(v.as_str().unwrap())
}

#[test]
fn every_demo_month_from_the_reports_figures_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut n = 0;
    for month in ["2026-08", "2026-09", "2026-10", "2026-11"] {
        let a = run_on(&demo(), &["report", "--month", month, "--format", "json"]).success();
        let r: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
        let m: Month = month.parse().unwrap();
        for c in r["contracts"].as_array().unwrap() {
            let id = c["contract"].as_str().unwrap();
            let corrections: Vec<CorrectionInput> = c["corrections"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| CorrectionInput {
                    month: l["month"].as_str().unwrap().parse().unwrap(),
                    minutes: l["minutes"].as_i64().unwrap(),
                    amount: text_money(&l["amount"]),
                    vat_rate: pct(l["vat_rate"].as_str().unwrap()),
                    reasons: l["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().into()).collect(),
                })
                .collect();
            let mut months = vec![m];
            months.extend(corrections.iter().map(|l| l.month));
            let (seller, buyer, cat, reason) = demo_parties(id, &months);
            let input = InvoiceInput {
                contract: id.into(),
                customer: c["customer"].as_str().unwrap().into(),
                month: m,
                currency: r["currency"].as_str().unwrap().into(),
                tier: c["tier"].as_str().map(str::to_string),
                hours: Some(c["quota_minutes"].as_u64().unwrap() / 60),
                approved_overage_minutes: c["approved_overage_minutes"].as_u64().unwrap(),
                rate: Some(text_money(&c["rate"])),
                overage_rate: Some(text_money(&c["overage_rate"])),
                vat_rate: Some(pct(c["vat_rate"].as_str().unwrap())),
                fee: text_money(&c["fee"]),
                overage_amount: text_money(&c["overage_amount"]),
                corrections,
                correction_amount: text_money(&c["correction_amount"]),
                net: text_money(&c["net"]),
                vat: text_money(&c["vat"]),
                gross: text_money(&c["gross"]),
                vat_category: cat,
                vat_exemption_reason: reason,
                seller,
                buyer,
            };
            n += 1;
            let inv =
                build(&input, &format!("RE-2026-{n:04}"), m.last_day()).unwrap_or_else(|e| panic!("{month} {id}: {e}"));
            assert_eq!(inv.type_code, TypeCode::Invoice);
            let xml = cii::invoice(&inv);
            check_amounts(&format!("{month} {id}"), &xml, &input, &inv);
            let path = dir.path().join(format!("{month}-{id}.xml"));
            std::fs::write(&path, xml).unwrap();
            files.push(path);
        }
    }
    assert!(files.len() >= 20, "{}", files.len());
    let (code, out) = validate(&files);
    assert_eq!(code, 0, "{out}");
    let alpen = std::fs::read_to_string(dir.path().join("2026-11-alpen-kliniken.xml")).unwrap();
    for want in
        ["<ram:CategoryCode>AE</ram:CategoryCode>", "VATEX-EU-AE", "<ram:ID schemeID=\"VA\">ATU73456789</ram:ID>"]
    {
        assert!(alpen.contains(want), "{want}");
    }
}
