//! `report --year`: every month of the year up to the current one, per
//! contract, each exactly what `report --month` says of it, with sums; in
//! all four formats.

mod common;

use common::*;
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let a = run_on(&demo(), args).success();
    serde_json::from_str(&stdout(&a)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&a)))
}

fn cents(v: &Value) -> i64 {
    let s = v.as_str().unwrap();
    let (sign, s) = s.strip_prefix('-').map_or((1, s), |r| (-1, r));
    let (i, f) = s.split_once('.').unwrap();
    sign * (i.parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap())
}

const MINUTES: [&str; 5] = [
    "used_minutes",
    "forfeited_minutes",
    "approved_overage_minutes",
    "unapproved_overage_minutes",
    "written_off_minutes",
];

#[test]
fn each_month_is_the_months_report_and_the_sums_add_up() {
    let y = json(&["report", "--year", "2026", "--format", "json"]);
    assert_eq!(y["year"], 2026);
    assert_eq!(y["currency"], "EUR");
    let contracts = y["contracts"].as_array().unwrap();
    let ids: Vec<&str> = contracts.iter().map(|c| c["contract"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    let mut reports = std::collections::BTreeMap::new();
    let (mut all_minutes, mut all_net) = ([0u64; 5], 0i64);
    for c in contracts {
        let id = c["contract"].as_str().unwrap();
        let months = c["months"].as_array().unwrap();
        let (mut sums, mut net) = ([0u64; 5], 0i64);
        for m in months {
            let month = m["month"].as_str().unwrap().to_string();
            assert!(month.as_str() <= "2026-11", "no month after the current one: {month}");
            let r = reports
                .entry(month.clone())
                .or_insert_with(|| json(&["report", "--month", &month, "--format", "json"]));
            let rc = r["contracts"].as_array().unwrap().iter().find(|x| x["contract"] == id).unwrap();
            let unsettled =
                rc["unapproved_overage_minutes"].as_u64().unwrap() - rc["written_off_minutes"].as_u64().unwrap();
            let want = [
                rc["used_minutes"].as_u64().unwrap(),
                rc["forfeited_minutes"].as_u64().unwrap(),
                rc["approved_overage_minutes"].as_u64().unwrap(),
                unsettled,
                rc["written_off_minutes"].as_u64().unwrap(),
            ];
            for (k, w) in MINUTES.iter().zip(want) {
                assert_eq!(m[k].as_u64(), Some(w), "{id} {month} {k}");
            }
            assert_eq!(m["net"], rc["net"], "{id} {month}: the net of that month's invoice");
            for (s, w) in sums.iter_mut().zip(want) {
                *s += w;
            }
            net += cents(&m["net"]);
        }
        for (k, s) in MINUTES.iter().zip(sums) {
            assert_eq!(c["totals"][k].as_u64(), Some(s), "{id} total {k}");
        }
        assert_eq!(cents(&c["totals"]["net"]), net, "{id} total net");
        for (a, s) in all_minutes.iter_mut().zip(sums) {
            *a += s;
        }
        all_net += net;
    }
    for (k, s) in MINUTES.iter().zip(all_minutes) {
        assert_eq!(y["totals"][k].as_u64(), Some(s), "total {k}");
    }
    assert_eq!(cents(&y["totals"]["net"]), all_net);
    // The demo's figures: September's written-off overage, November's credit.
    let hansa = contracts.iter().find(|c| c["contract"] == "hansa-versicherung").unwrap();
    let sep = hansa["months"].as_array().unwrap().iter().find(|m| m["month"] == "2026-09").unwrap();
    assert_eq!((sep["unapproved_overage_minutes"].as_u64(), sep["written_off_minutes"].as_u64()), (Some(0), Some(120)));
    let nov = hansa["months"].as_array().unwrap().iter().find(|m| m["month"] == "2026-11").unwrap();
    assert_eq!(nov["net"], "4450.00", "with the correction credited");
    // stadtwerke ended in October: no later month.
    let stadtwerke = contracts.iter().find(|c| c["contract"] == "stadtwerke-rheinpfalz").unwrap();
    assert_eq!(stadtwerke["months"].as_array().unwrap().last().unwrap()["month"], "2026-10");
}

#[test]
fn csv_one_row_per_contract_and_month() {
    let y = json(&["report", "--year", "2026", "--format", "json"]);
    let text = stdout(&run_on(&demo(), &["report", "--year", "2026", "--format", "csv"]).success());
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "contract",
            "customer",
            "month",
            "used_minutes",
            "forfeited_minutes",
            "approved_overage_minutes",
            "unapproved_overage_minutes",
            "written_off_minutes",
            "net"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let months: usize = y["contracts"].as_array().unwrap().iter().map(|c| c["months"].as_array().unwrap().len()).sum();
    assert_eq!(rows.len(), months, "no sums rows");
    let first = &y["contracts"][0];
    assert_eq!(&rows[0][0], first["contract"].as_str().unwrap());
    assert_eq!(&rows[0][2], first["months"][0]["month"].as_str().unwrap());
    assert_eq!(&rows[0][8], first["months"][0]["net"].as_str().unwrap());
}

#[test]
fn table_and_markdown_show_the_sums() {
    let y = json(&["report", "--year", "2026", "--format", "json"]);
    let total = y["totals"]["net"].as_str().unwrap().to_string();
    let (int, frac) = total.split_once('.').unwrap();
    let grouped: String = {
        let mut g = String::new();
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                g.push(',');
            }
            g.push(ch);
        }
        format!("{g}.{frac}")
    };
    let table = stdout(&run_on(&demo(), &["report", "--year", "2026"]).success());
    assert!(table.starts_with("Support year 2026 (amounts in EUR)\n"), "{table}");
    assert!(table.lines().any(|l| l.contains("Total") && l.contains(&grouped)), "{table}");
    assert!(table.contains("⚠ 1:40 of overage not approved and not invoiced."), "{table}");
    let md = stdout(&run_on(&demo(), &["report", "--year", "2026", "--format", "markdown"]).success());
    assert!(md.starts_with("# Support year 2026\n"), "{md}");
    assert!(md.contains(&format!("**{grouped} EUR**")), "{md}");
}

#[test]
fn a_year_and_a_month_exclude_each_other_and_a_year_is_four_digits() {
    run_on(&demo(), &["report", "--year", "2026", "--month", "2026-10"]).code(2);
    run_on(&demo(), &["report", "--year", "26"]).code(2);
    // A contract filter; an unknown id is refused with a hint.
    let y = json(&["report", "--year", "2026", "--contract", "nordwind-energie", "--format", "json"]);
    assert_eq!(y["contracts"].as_array().unwrap().len(), 1);
    let a = run_on(&demo(), &["report", "--year", "2026", "--contract", "nordwind"]).code(1);
    assert!(stderr(&a).contains("unknown contract \"nordwind\""), "{}", stderr(&a));
    // A year that has not begun has no months.
    let y = json(&["report", "--year", "2027", "--format", "json"]);
    assert_eq!(y["contracts"].as_array().unwrap().len(), 0);
    // Its sums are money all the same.
    assert_eq!(y["totals"]["net"], "0.00");
    assert_eq!(y["totals"]["used_minutes"], 0);
}

#[test]
fn a_broken_row_in_an_open_month_of_the_year_refuses() {
    let l = demo_copy();
    append(l.path(), "timelog/2026-11.csv", "2026-11-20,brandt-logistik,x,,,,,,,\n");
    let a = run_on(l.path(), &["report", "--year", "2026"]).code(1);
    assert_eq!(stdout(&a), "");
    assert!(stderr(&a).contains("timelog/2026-11.csv:"), "{}", stderr(&a));
    assert!(stderr(&a).contains("error: no report for 2026:"), "{}", stderr(&a));
}
