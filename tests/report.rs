//! `supportctl report` on the demo ledger and on small temp ledgers: the
//! figures of SPEC §3 (expected totals computed independently), the formats
//! of SPEC §5.1, `--contract`, `--month`, and which files a report reads
//! (SPEC §6).

mod common;

use common::*;
use predicates::prelude::*;
use serde_json::Value;

/// The `report` fields of SPEC §5.1 and §8, in order (also the CSV header).
const FIELDS: [&str; 23] = [
    "contract",
    "customer",
    "tier",
    "quota_minutes",
    "used_minutes",
    "escalated_minutes",
    "nonbillable_minutes",
    "forfeited_minutes",
    "overage_minutes",
    "approved_minutes",
    "approved_overage_minutes",
    "unapproved_overage_minutes",
    "written_off_minutes",
    "rate",
    "overage_rate",
    "vat_rate",
    "fee",
    "overage_amount",
    "corrections",
    "correction_amount",
    "net",
    "vat",
    "gross",
];
const MONEY: [&str; 6] = ["fee", "overage_amount", "correction_amount", "net", "vat", "gross"];
const MINUTES: [&str; 10] = [
    "quota_minutes",
    "used_minutes",
    "escalated_minutes",
    "nonbillable_minutes",
    "forfeited_minutes",
    "overage_minutes",
    "approved_minutes",
    "approved_overage_minutes",
    "unapproved_overage_minutes",
    "written_off_minutes",
];

fn report_json(ledger: &std::path::Path, month: &str) -> (String, Value) {
    let a = run_on(ledger, &["report", "--month", month, "--format", "json"]).success();
    let text = stdout(&a);
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"));
    (text, v)
}

fn contract<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["contract"] == id)
        .unwrap_or_else(|| panic!("no contract {id} in the report"))
}

fn ids(report: &Value) -> Vec<&str> {
    report["contracts"].as_array().unwrap().iter().map(|c| c["contract"].as_str().unwrap()).collect()
}

/// Money text with exactly two decimals (a `-` for a credit) → cents.
fn cents(v: &Value) -> i64 {
    let s = v.as_str().unwrap_or_else(|| panic!("money {v} is not a string"));
    let (sign, s) = s.strip_prefix('-').map_or((1, s), |rest| (-1, rest));
    let (int, frac) = s.split_once('.').unwrap_or_else(|| panic!("money {s:?} has no two decimals"));
    assert!(
        frac.len() == 2 && frac.bytes().all(|b| b.is_ascii_digit()) && int.bytes().all(|b| b.is_ascii_digit()),
        "money {s:?} is not digits with exactly two decimals"
    );
    sign * (int.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap())
}

/// `round2(net × vat_rate / 100)` in cents, half away from zero.
fn vat_cents(net_cents: i64, vat_rate: &str) -> i64 {
    let (int, frac) = vat_rate.split_once('.').unwrap_or((vat_rate, ""));
    let rate_e4: i128 = int.parse::<i128>().unwrap() * 10_000 + format!("{frac:0<4}").parse::<i128>().unwrap();
    // net × rate / 100, in cents: net_cents × rate_e4 / 1_000_000, rounded half away from zero.
    let num = i128::from(net_cents.abs()) * rate_e4;
    net_cents.signum() * ((num + 500_000) / 1_000_000) as i64
}

/// The VAT of a contract's month: per rate on the sum of its amounts at
/// that rate (fee and overage at the month's rate, each correction at the
/// rate of the month it corrects), then summed.
fn vat_by_rate_cents(c: &Value) -> i64 {
    let mut by_rate: std::collections::BTreeMap<String, i64> = Default::default();
    if let Some(rate) = c["vat_rate"].as_str() {
        *by_rate.entry(rate.to_string()).or_default() += cents(&c["fee"]) + cents(&c["overage_amount"]);
    }
    for line in c["corrections"].as_array().unwrap() {
        *by_rate.entry(line["vat_rate"].as_str().unwrap().to_string()).or_default() += cents(&line["amount"]);
    }
    by_rate.iter().map(|(rate, basis)| vat_cents(*basis, rate)).sum()
}

/// Checks the shape of a §5.1 report and the arithmetic of SPEC §3 between
/// its fields; returns nothing, panics with the contract on failure.
fn check_consistent(report: &Value) {
    let list = report["contracts"].as_array().unwrap();
    let mut sorted = ids(report);
    sorted.sort();
    assert_eq!(ids(report), sorted, "contracts are sorted by id");
    let (mut fee, mut over, mut net, mut vat, mut gross) = (0, 0, 0, 0, 0);
    for c in list {
        let id = c["contract"].as_str().unwrap();
        let keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        let mut want = FIELDS.to_vec();
        want.sort();
        let mut got = keys.clone();
        got.sort();
        assert_eq!(got, want, "{id}: fields");
        for m in MINUTES {
            assert!(c[m].is_u64(), "{id}: {m} = {} is not a whole number", c[m]);
        }
        for m in MONEY {
            cents(&c[m]);
        }
        assert!(c["tier"].is_string() || c["tier"].is_null(), "{id}: tier");
        let mi = |k: &str| c[k].as_u64().unwrap();
        let (quota, used, over_m) = (mi("quota_minutes"), mi("used_minutes"), mi("overage_minutes"));
        assert_eq!(mi("forfeited_minutes"), quota.saturating_sub(used), "{id}: forfeited");
        assert_eq!(over_m, used.saturating_sub(quota), "{id}: overage");
        assert_eq!(mi("approved_overage_minutes"), over_m.min(mi("approved_minutes")), "{id}: approved overage");
        assert_eq!(mi("unapproved_overage_minutes"), over_m - mi("approved_overage_minutes"), "{id}: unapproved");
        assert!(mi("written_off_minutes") <= mi("unapproved_overage_minutes"), "{id}: written off");
        if c["rate"].is_null() {
            // Only corrections of closed months in this month.
            assert!(c["overage_rate"].is_null() && c["vat_rate"].is_null() && c["tier"].is_null(), "{id}");
            assert_eq!((cents(&c["fee"]), quota, used), (0, 0, 0), "{id}: corrections only");
        } else {
            assert_eq!(cents(&c["fee"]), quota as i64 / 60 * cents(&c["rate"]), "{id}: fee = hours × rate");
            let over_num = i128::from(mi("approved_overage_minutes") as i64 * cents(&c["overage_rate"]));
            assert_eq!(i128::from(cents(&c["overage_amount"])), (over_num + 30) / 60, "{id}: overage amount");
        }
        let corrections: i64 = c["corrections"].as_array().unwrap().iter().map(|l| cents(&l["amount"])).sum();
        assert_eq!(cents(&c["correction_amount"]), corrections, "{id}: correction amount");
        assert_eq!(
            cents(&c["net"]),
            cents(&c["fee"]) + cents(&c["overage_amount"]) + cents(&c["correction_amount"]),
            "{id}: net"
        );
        assert_eq!(cents(&c["vat"]), vat_by_rate_cents(c), "{id}: vat");
        assert_eq!(cents(&c["gross"]), cents(&c["net"]) + cents(&c["vat"]), "{id}: gross");
        fee += cents(&c["fee"]);
        over += cents(&c["overage_amount"]);
        net += cents(&c["net"]);
        vat += cents(&c["vat"]);
        gross += cents(&c["gross"]);
    }
    let t = &report["totals"];
    let mut keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["correction_amount", "fee", "gross", "net", "overage_amount", "vat"]);
    assert_eq!(
        [cents(&t["fee"]), cents(&t["overage_amount"]), cents(&t["net"]), cents(&t["vat"]), cents(&t["gross"])],
        [fee, over, net, vat, gross],
        "totals are the sums of the per-contract rounded amounts"
    );
}

fn assert_totals(report: &Value, fee: &str, overage_amount: &str, net: &str, vat: &str, gross: &str) {
    let t = &report["totals"];
    assert_eq!(t["fee"], fee);
    assert_eq!(t["overage_amount"], overage_amount);
    assert_eq!(t["net"], net);
    assert_eq!(t["vat"], vat);
    assert_eq!(t["gross"], gross);
}

// ---------------------------------------------------------------------------
// The demo ledger: figures

#[test]
fn demo_october_json_figures() {
    let (text, r) = report_json(&demo(), "2026-10");
    assert_eq!(r["month"], "2026-10");
    assert_eq!(r["currency"], "EUR");
    assert_eq!(
        ids(&r),
        [
            "alpen-kliniken",
            "brandt-logistik",
            "hansa-versicherung",
            "mueller-maschinenbau",
            "nordwind-energie",
            "stadtwerke-rheinpfalz"
        ]
    );
    assert_totals(&r, "18240.00", "381.46", "18621.46", "2968.07", "21589.53");
    // Closed on 2 November, the unapproved overage written off.
    assert_eq!(r["closed"], serde_json::json!({"at": "2026-11-02T09:20:00+01:00", "by": "anna"}));
    assert_eq!(contract(&r, "nordwind-energie")["written_off_minutes"], 95);
    assert_eq!(contract(&r, "stadtwerke-rheinpfalz")["written_off_minutes"], 155);
    assert_eq!(contract(&r, "nordwind-energie")["overage_amount"], "73.13");
    assert_eq!(contract(&r, "hansa-versicherung")["gross"], "5721.91");
    assert_eq!(contract(&r, "stadtwerke-rheinpfalz")["unapproved_overage_minutes"], 155);
    // The JSON text itself carries the figures as strings with two decimals.
    for s in [r#""fee": "18240.00""#, r#""gross": "21589.53""#, r#""overage_amount": "73.13""#] {
        assert!(text.contains(s), "JSON text lacks {s}");
    }
    check_consistent(&r);
    insta::assert_snapshot!("demo_2026_10_json", text);
}

#[test]
fn demo_october_contract_details() {
    let (_, r) = report_json(&demo(), "2026-10");
    // Reverse charge: vat_rate "0" and no VAT.
    let alpen = contract(&r, "alpen-kliniken");
    assert_eq!((alpen["vat_rate"].as_str(), alpen["vat"].as_str()), (Some("0"), Some("0.00")));
    // The [[change]] from 2026-10 gives brandt-logistik the 30h tier.
    let brandt = contract(&r, "brandt-logistik");
    assert_eq!((brandt["tier"].as_str(), brandt["quota_minutes"].as_u64()), (Some("30h"), Some(1800)));
    assert_eq!(brandt["escalated_minutes"], 240);
    // Two approvals of one month add up; the overage rate differs from the rate.
    let hansa = contract(&r, "hansa-versicherung");
    assert_eq!(hansa["approved_minutes"], 185);
    assert_eq!(hansa["overage_minutes"], 185);
    assert_eq!((hansa["rate"].as_str(), hansa["overage_rate"].as_str()), (Some("90.00"), Some("100.00")));
    assert_eq!(hansa["overage_amount"], "308.33");
    // Hours and rate instead of a tier: tier is null; 45 min × 97.50 = 73.125 → 73.13.
    let nordwind = contract(&r, "nordwind-energie");
    assert!(nordwind["tier"].is_null());
    assert_eq!(nordwind["approved_overage_minutes"], 45);
    assert_eq!(nordwind["unapproved_overage_minutes"], 95);
    // 15-minute rounding per entry.
    let mueller = contract(&r, "mueller-maschinenbau");
    assert_eq!(mueller["used_minutes"], 855);
    let stadtwerke = contract(&r, "stadtwerke-rheinpfalz");
    assert_eq!(stadtwerke["overage_amount"], "0.00");
    assert_eq!(stadtwerke["net"], "3800.00");
}

#[test]
fn demo_november_json_figures() {
    let (text, r) = report_json(&demo(), "2026-11");
    assert_eq!(r["month"], "2026-11");
    // Without the corrections: net 14,662.50, VAT 2,192.13. Hansa's correction
    // of closed October (30 minutes logged twice) credits 50.00 at 19 %.
    assert_totals(&r, "14440.00", "222.50", "14612.50", "2182.63", "16795.13");
    assert_eq!(r["totals"]["correction_amount"], "-50.00");
    assert_eq!(r["closed"], Value::Null);
    let hansa = contract(&r, "hansa-versicherung");
    assert_eq!(hansa["corrections"][0]["amount"], "-50.00");
    assert_eq!((hansa["net"].as_str(), hansa["vat"].as_str()), (Some("4450.00"), Some("845.50")));
    // Nordwind's 20 forgotten minutes go beyond October's approvals: shown, not billed.
    assert_eq!(contract(&r, "nordwind-energie")["corrections"][0]["minutes"], 20);
    assert_eq!(contract(&r, "nordwind-energie")["correction_amount"], "0.00");
    assert!(!ids(&r).contains(&"stadtwerke-rheinpfalz"), "its contract ended 2026-10");
    assert_eq!(ids(&r).len(), 5);
    let mueller = contract(&r, "mueller-maschinenbau");
    assert_eq!(mueller["used_minutes"], 0);
    assert_eq!(mueller["forfeited_minutes"], 960);
    assert_eq!(mueller["fee"], "1600.00", "no entries, still the fee");
    assert_eq!(mueller["gross"], "1904.00");
    assert_eq!(contract(&r, "nordwind-energie")["vat"], "463.13");
    assert_eq!(contract(&r, "brandt-logistik")["unapproved_overage_minutes"], 100);
    assert_eq!(contract(&r, "brandt-logistik")["overage_amount"], "0.00", "unapproved overage is never invoiced");
    for s in [r#""net": "14612.50""#, r#""vat": "463.13""#, r#""tier": null"#] {
        assert!(text.contains(s), "JSON text lacks {s}");
    }
    check_consistent(&r);
    insta::assert_snapshot!("demo_2026_11_json", text);
}

#[test]
fn demo_months_are_consistent_everywhere() {
    for month in ["2026-08", "2026-09", "2026-10", "2026-11"] {
        let (_, r) = report_json(&demo(), month);
        assert_eq!(r["month"], month);
        check_consistent(&r);
    }
}

#[test]
fn report_is_byte_for_byte_repeatable() {
    let a = stdout(&run_on(&demo(), &["report", "--month", "2026-10", "--format", "json"]).success());
    let b = stdout(&run_on(&demo(), &["report", "--month", "2026-10", "--format", "json"]).success());
    assert_eq!(a, b);
}

// ---------------------------------------------------------------------------
// CSV

#[test]
fn csv_has_the_json_fields_one_row_per_contract_and_no_totals() {
    for month in ["2026-10", "2026-11"] {
        let a = run_on(&demo(), &["report", "--month", month, "--format", "csv"]).success();
        let text = stdout(&a);
        assert_eq!(text.lines().next().unwrap(), FIELDS.join(","), "header");
        let (_, json) = report_json(&demo(), month);
        let list = json["contracts"].as_array().unwrap();
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(header, FIELDS);
        let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), list.len(), "{month}: one row per contract, no totals row");
        for (row, c) in rows.iter().zip(list) {
            for (i, f) in FIELDS.iter().enumerate() {
                let want = match &c[*f] {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    // MONTH:MINUTES:AMOUNT:VAT_RATE per corrected month, `;` between.
                    Value::Array(lines) => lines
                        .iter()
                        .map(|l| {
                            format!(
                                "{}:{}:{}:{}",
                                l["month"].as_str().unwrap(),
                                l["minutes"],
                                l["amount"].as_str().unwrap(),
                                l["vat_rate"].as_str().unwrap()
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(";"),
                    v => v.to_string(),
                };
                assert_eq!(row[i], want, "{month} {}: {f}", c["contract"]);
            }
        }
        assert!(!text.contains("Total") && !text.contains("totals"), "no totals row");
    }
}

#[test]
fn csv_null_tier_is_an_empty_cell() {
    let a = run_on(&demo(), &["report", "--month", "2026-10", "--format", "csv", "--contract", "nordwind-energie"]);
    let text = stdout(&a.success());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[1].starts_with("nordwind-energie,Nordwind Energie AG,,1440,"), "{}", lines[1]);
}

// ---------------------------------------------------------------------------
// Table and Markdown

const BRANDT_NOV_WARNING: &str = "warning: brandt-logistik: 1:40 of 1:40 overage in 2026-11 is not approved and not invoiced; record the agreement with `supportctl approve brandt-logistik 1:40 --month 2026-11 --ref …` or write it off";

#[test]
fn table_october() {
    let a = run_on(&demo(), &["report", "--month", "2026-10"]).success();
    insta::assert_snapshot!("demo_2026_10_table", stdout(&a));
    assert_eq!(stderr(&a), "", "October's unapproved overage was written off when it was closed");
}

#[test]
fn table_november() {
    let a = run_on(&demo(), &["report", "--month", "2026-11", "--format", "table"]).success();
    let out = stdout(&a);
    assert!(out.contains("14,440.00 EUR") && out.contains("16,795.13 EUR"), "{out}");
    assert!(
        out.contains(
            "Corrections of closed months billed in 2026-11:\nhansa-versicherung 2026-10: -0:30 -50.00 EUR (SD-1237: "
        ),
        "{out}"
    );
    assert!(out.contains("1:40 (⚠ 1:40 unapproved)"), "{out}");
    insta::assert_snapshot!("demo_2026_11_table", out);
    assert_eq!(stderr(&a).lines().collect::<Vec<_>>(), [BRANDT_NOV_WARNING]);
}

#[test]
fn markdown_october() {
    let a = run_on(&demo(), &["report", "--month", "2026-10", "--format", "markdown"]).success();
    insta::assert_snapshot!("demo_2026_10_markdown", stdout(&a));
    assert_eq!(stderr(&a), "", "October's unapproved overage was written off when it was closed");
}

#[test]
fn markdown_november() {
    let a = run_on(&demo(), &["report", "--month", "2026-11", "--format", "markdown"]).success();
    insta::assert_snapshot!("demo_2026_11_markdown", stdout(&a));
    assert_eq!(stderr(&a).lines().collect::<Vec<_>>(), [BRANDT_NOV_WARNING]);
}

#[test]
fn machine_formats_warn_about_unapproved_overage_on_stderr_only() {
    for format in ["json", "csv"] {
        let a = run_on(&demo(), &["report", "--month", "2026-11", "--format", format]).success();
        assert_eq!(stderr(&a).lines().collect::<Vec<_>>(), [BRANDT_NOV_WARNING], "{format}");
        assert!(!stdout(&a).contains("warning"), "{format}: stdout stays machine-readable");
    }
}

#[test]
fn no_warning_without_unapproved_overage() {
    run_on(&demo(), &["report", "--month", "2026-11", "--contract", "alpen-kliniken"])
        .success()
        .stderr(predicate::str::is_empty());
}

// ---------------------------------------------------------------------------
// --contract

#[test]
fn contract_filter_one() {
    let a = run_on(&demo(), &["report", "--month", "2026-10", "--format", "json", "--contract", "hansa-versicherung"]);
    let r: Value = serde_json::from_str(&stdout(&a.success())).unwrap();
    assert_eq!(ids(&r), ["hansa-versicherung"]);
    assert_totals(&r, "4500.00", "308.33", "4808.33", "913.58", "5721.91");
    check_consistent(&r);
}

#[test]
fn contract_filter_two_sorted_by_id_whatever_the_order_given() {
    let a = run_on(
        &demo(),
        &[
            "report",
            "--month",
            "2026-10",
            "--format",
            "json",
            "--contract",
            "nordwind-energie",
            "--contract",
            "alpen-kliniken",
        ],
    );
    let r: Value = serde_json::from_str(&stdout(&a.success())).unwrap();
    assert_eq!(ids(&r), ["alpen-kliniken", "nordwind-energie"]);
    // 3000.00 + 2413.13 net; 0.00 + 458.49 VAT.
    assert_totals(&r, "5340.00", "73.13", "5413.13", "458.49", "5871.62");
    check_consistent(&r);
}

#[test]
fn contract_filter_unknown_id_suggests_the_closest() {
    run_on(&demo(), &["report", "--month", "2026-10", "--contract", "nordwnd-energie"])
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "error: --contract: unknown contract \"nordwnd-energie\" (did you mean \"nordwind-energie\"?)",
        ));
}

#[test]
fn contract_filter_unknown_among_known_fails_without_figures() {
    run_on(&demo(), &["report", "--month", "2026-10", "--contract", "alpen-kliniken", "--contract", "hansa"])
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("unknown contract \"hansa\""));
}

#[test]
fn contract_filter_inactive_contract_is_refused() {
    run_on(&demo(), &["report", "--month", "2026-11", "--contract", "stadtwerke-rheinpfalz"])
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("\"stadtwerke-rheinpfalz\" is not active in 2026-11"));
}

// ---------------------------------------------------------------------------
// --month

#[test]
fn month_last_uses_supportctl_today() {
    let (_, oct) = report_json(&demo(), "2026-10");
    let (_, last) = report_json(&demo(), "last");
    assert_eq!(last["month"], "2026-10", "SUPPORTCTL_TODAY={TODAY}");
    assert_eq!(last, oct);
}

#[test]
fn month_defaults_to_current() {
    let a = run_on(&demo(), &["report", "--format", "json"]).success();
    let r: Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(r["month"], "2026-11");
    let (_, cur) = report_json(&demo(), "current");
    assert_eq!(cur["month"], "2026-11");
}

#[test]
fn month_last_in_january_is_december_of_the_year_before() {
    let elsewhere = tempfile::tempdir().unwrap();
    let d = demo();
    let a = run_with(
        elsewhere.path(),
        &["--ledger", d.to_str().unwrap(), "report", "--month", "last", "--format", "json"],
        |cmd, _| {
            cmd.env("SUPPORTCTL_TODAY", "2027-01-05");
        },
    );
    let r: Value = serde_json::from_str(&stdout(&a.success())).unwrap();
    assert_eq!(r["month"], "2026-12");
}

#[test]
fn bad_month_is_a_usage_error() {
    for bad in ["2026-13", "foo", "2026-1", "2026-00", "26-11", "November"] {
        run_on(&demo(), &["report", "--month", bad])
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(format!("\"{bad}\" is not a month")));
    }
}

#[test]
fn bad_format_is_a_usage_error() {
    run_on(&demo(), &["report", "--month", "2026-10", "--format", "xml"]).code(2).stdout(predicate::str::is_empty());
}

// ---------------------------------------------------------------------------
// Small ledgers

#[test]
fn contract_without_entries_still_owes_its_fee() {
    let l = small_ledger(&[("timelog/2026-11.csv", "date,contract,minutes\n")]);
    let (_, r) = report_json(l.path(), "2026-11");
    assert_eq!(ids(&r), ["acme"], "beta ended 2026-10");
    let acme = contract(&r, "acme");
    assert_eq!(acme["used_minutes"], 0);
    assert_eq!(acme["forfeited_minutes"], 1200);
    assert_eq!(acme["overage_minutes"], 0);
    assert_eq!(acme["fee"], "2000.00");
    assert_eq!(acme["net"], "2000.00");
    assert_eq!(acme["vat"], "380.00");
    assert_eq!(acme["gross"], "2380.00");
    check_consistent(&r);
}

#[test]
fn contract_without_any_time_log_file_still_owes_its_fee() {
    let l = small_ledger::<&str>(&[]);
    let (_, r) = report_json(l.path(), "2026-10");
    assert_eq!(ids(&r), ["acme", "beta"]);
    assert_eq!(contract(&r, "beta")["fee"], "1600.00");
    assert_eq!(contract(&r, "beta")["forfeited_minutes"], 960);
    assert_totals(&r, "3600.00", "0.00", "3600.00", "684.00", "4284.00");
}

#[test]
fn month_without_active_contracts_has_zero_totals_with_two_decimals() {
    let l = small_ledger::<&str>(&[]);
    let (_, r) = report_json(l.path(), "2025-06");
    assert_eq!(ids(&r).len(), 0);
    assert_totals(&r, "0.00", "0.00", "0.00", "0.00", "0.00");
}

#[test]
fn nonbillable_time_is_shown_but_never_charged() {
    let l = small_ledger(&[(
        "timelog/2026-11.csv",
        "date,contract,minutes,kind\n2026-11-02,acme,1200,support\n2026-11-03,acme,500,nonbillable\n2026-11-04,acme,30,escalation\n",
    )]);
    let (_, r) = report_json(l.path(), "2026-11");
    let acme = contract(&r, "acme");
    assert_eq!(acme["used_minutes"], 1230);
    assert_eq!(acme["escalated_minutes"], 30);
    assert_eq!(acme["nonbillable_minutes"], 500);
    assert_eq!(acme["overage_minutes"], 30);
    assert_eq!(acme["unapproved_overage_minutes"], 30);
    assert_eq!(acme["net"], "2000.00");
}

// ---------------------------------------------------------------------------
// Which files a report reads (SPEC §6)

#[test]
fn broken_row_in_another_month_does_not_stop_the_report_but_fails_check() {
    let l = demo_copy();
    append(l.path(), "timelog/2026-09.csv", "2026-09-30,brandt-logistik,1,5\n");
    let (_, r) = report_json(l.path(), "2026-11");
    assert_totals(&r, "14440.00", "222.50", "14612.50", "2182.63", "16795.13");
    run_on(l.path(), &["check"]).code(1).stderr(predicate::str::contains(
        "timelog/2026-09.csv:57: expected 10 fields (date,contract,minutes,ticket,kind,level,channel,engineer,note,id), found 4",
    ));
}

#[test]
fn broken_row_in_the_month_stops_the_report_with_no_figures() {
    let l = demo_copy();
    append(l.path(), "timelog/2026-11.csv", "2026-11-27,brandt-logistik,90,SD-1300,,2,desk,ben,late,\n");
    append(l.path(), "timelog/2026-11.csv", "2026-11-27,brandt-logistik,\"1,5\",SD-1300,,2,desk,ben,typo,\n");
    for format in ["table", "json", "csv", "markdown"] {
        let a = run_on(l.path(), &["report", "--month", "2026-11", "--format", format]).code(1);
        assert_eq!(stdout(&a), "", "{format}: no figures on stdout");
        let err = stderr(&a);
        assert!(
            err.lines().any(|l| l == "timelog/2026-11.csv:48: minutes: \"1,5\" is not a whole number of minutes"),
            "{format}: {err}"
        );
        assert!(err.contains("error: no report for 2026-11"), "{err}");
    }
    // Other months are not affected.
    let (_, r) = report_json(l.path(), "2026-10");
    assert_totals(&r, "18240.00", "381.46", "18621.46", "2968.07", "21589.53");
}

#[test]
fn file_not_named_after_a_month_is_read_by_every_report() {
    let l = small_ledger(&[
        ("timelog/2026-11.csv", "date,contract,minutes\n2026-11-02,acme,1200\n"),
        ("timelog/extra.csv", "date,contract,minutes\n2026-10-30,acme,60\n2026-11-30,acme,90\n"),
    ]);
    let a = run_on(l.path(), &["report", "--month", "2026-11", "--format", "json"]).success();
    let r: Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(contract(&r, "acme")["used_minutes"], 1290, "only the November row of extra.csv");
    assert!(stderr(&a).contains("timelog/extra.csv: warning: not named YYYY-MM.csv"), "{}", stderr(&a));
    let (_, oct) = report_json(l.path(), "2026-10");
    assert_eq!(contract(&oct, "acme")["used_minutes"], 60);

    // A broken row there stops every month's report.
    append(l.path(), "timelog/extra.csv", "2026-01-05,acme,x\n");
    for month in ["2026-10", "2026-11", "2026-01"] {
        let a = run_on(l.path(), &["report", "--month", month]).code(1);
        assert_eq!(stdout(&a), "");
        assert!(stderr(&a).contains("timelog/extra.csv:4: minutes: \"x\" is not a whole number of minutes"));
    }
}

#[test]
fn broken_approval_of_another_month_stops_the_report() {
    // approvals.csv is always read whole: its rows are not split by month.
    let l =
        small_ledger(&[("approvals.csv", "date,contract,month,minutes,reference\n2026-03-02,acme,2026-03,x,SD-1\n")]);
    let a = run_on(l.path(), &["report", "--month", "2026-11"]).code(1);
    assert_eq!(stdout(&a), "");
    assert!(stderr(&a).contains("approvals.csv:2: minutes: \"x\" is not a whole number of minutes"));
}

#[test]
fn broken_contract_stops_the_report() {
    let l = small_ledger(&[("contracts/beta.toml", "customer = \"Beta AG\"\ntier = \"16\"\nstart = \"2026-01\"\n")]);
    let a = run_on(l.path(), &["report", "--month", "2026-11"]).code(1);
    assert_eq!(stdout(&a), "");
    assert!(stderr(&a).contains("contracts/beta.toml:2:8: tier: unknown tier \"16\""), "{}", stderr(&a));
}
