//! `supportctl advise` on temp ledgers: every tier costed on the actual
//! usage of the last complete months, the current tier marked, the cheapest
//! with its saving; only the window's files read; nothing written.

mod common;

use common::*;

/// acme (20h) used 17 h a month from 2025-12 to 2026-10 and 25 h in 2026-11
/// (today is 2026-11-27, so the default window is 2025-11 to 2026-10); beta
/// (16h) ends 2026-10.
fn usage_ledger() -> tempfile::TempDir {
    let mut files: Vec<(String, String)> = vec![
        ("contracts/acme.toml".into(), "customer = \"ACME GmbH\"\ntier = \"20h\"\nstart = \"2025-12\"\n".into()),
        ("contracts/beta.toml".into(), BETA.into()),
    ];
    let mut m = "2025-12".parse::<supportctl::model::Month>().unwrap();
    loop {
        let used = if m.to_string() == "2026-11" { 25 * 60 } else { 17 * 60 };
        let beta = if m.to_string().as_str() <= "2026-10" && m.year() == 2026 {
            format!("{m}-03,beta,1200,,support\n")
        } else {
            String::new()
        };
        files.push((
            format!("timelog/{m}.csv"),
            format!(
                "date,contract,minutes,ticket,kind\n{m}-02,acme,{used},,support\n{m}-05,acme,30,,nonbillable\n{beta}"
            ),
        ));
        if m.to_string() == "2026-11" {
            break;
        }
        m = m.next();
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    small_ledger(&refs)
}

fn advice(l: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["advise", "--format", "json"];
    all.extend_from_slice(args);
    let a = run_on(l, &all).success();
    serde_json::from_str(&stdout(&a)).unwrap()
}

fn tier<'a>(c: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    c["tiers"].as_array().unwrap().iter().find(|t| t["tier"] == name).unwrap()
}

#[test]
fn every_tier_costed_over_the_last_twelve_complete_months() {
    let l = usage_ledger();
    let before = tree(l.path());
    let a = advice(l.path(), &[]);
    assert_eq!(tree(l.path()), before, "advise writes nothing");
    assert_eq!(
        (a["from"].as_str(), a["to"].as_str(), a["months"].as_u64()),
        (Some("2025-11"), Some("2026-10"), Some(12))
    );
    assert_eq!(a["yearly"], true);
    let acme = &a["contracts"][0];
    assert_eq!(acme["contract"], "acme");
    // Active from 2025-12: 11 months of the window, 17 h each; nonbillable time does not count.
    assert_eq!((acme["active_months"].as_u64(), acme["used_minutes"].as_u64()), (Some(11), Some(11 * 1020)));
    // 16h: 11 × 1,600 + 11 × 1 h × 100 = 18,700.00; 20h: 11 × 2,000 = 22,000.00, 33 h forfeited.
    assert_eq!(tier(acme, "16h")["cost"], "18700.00");
    assert_eq!(tier(acme, "16h")["overage_minutes"], 660);
    assert_eq!(tier(acme, "20h")["cost"], "22000.00");
    assert_eq!(tier(acme, "20h")["forfeited_minutes"], 11 * 180);
    assert_eq!(tier(acme, "20h")["current"], true);
    assert_eq!(tier(acme, "40h")["cost"], "41800.00");
    assert_eq!((acme["cheapest"].as_str(), acme["saving"].as_str()), (Some("16h"), Some("3300.00")));
    assert_eq!(acme["current"]["tier"], "20h");
    // Active in 11 of the 12 months: the saving is not a year's.
    assert_eq!(acme["yearly"], false);
    let t = run_on(l.path(), &["advise", "--contract", "acme"]).success();
    assert!(
        stdout(&t).contains("cheapest: 16h, saving 3,300.00 EUR over its 11 active months against 20h\n"),
        "{}",
        stdout(&t)
    );
    // beta: 20 h a month in 2026-01..2026-10 on 16h; 20h would fit exactly.
    let beta = &a["contracts"][1];
    assert_eq!(beta["active_months"], 10);
    assert_eq!(tier(beta, "16h")["cost"], "20000.00");
    assert_eq!(tier(beta, "20h")["cost"], "20000.00");
    assert_eq!(
        (beta["cheapest"].as_str(), beta["saving"].as_str()),
        (Some("16h"), Some("0.00")),
        "a tie keeps the current tier"
    );
}

#[test]
fn a_shorter_window_one_contract_and_the_table() {
    let l = usage_ledger();
    let a = advice(l.path(), &["--months", "3", "--contract", "acme"]);
    assert_eq!((a["from"].as_str(), a["yearly"].as_bool()), (Some("2026-08"), Some(false)));
    assert_eq!(a["contracts"].as_array().unwrap().len(), 1);
    assert_eq!(tier(&a["contracts"][0], "16h")["cost"], "5100.00");
    let t = run_on(l.path(), &["advise", "--months", "3", "--contract", "acme"]).success();
    assert_eq!(
        stdout(&t),
        "Tier advice 2026-08 to 2026-10 (3 months): net cost of each tier on the usage,\n\
         overage as if approved at the tier's rate. * = current terms\n\
         \n\
         acme (ACME GmbH)\n  3 active months, 51:00 used, 17:00 a month on average\n\
         \x20   tier    hours           cost  forfeited    overage\n\
         \x20   16h        16   5,100.00 EUR       0:00       3:00\n\
         \x20 * 20h        20   6,000.00 EUR       9:00       0:00\n\
         \x20   30h        30   9,000.00 EUR      39:00       0:00\n\
         \x20   40h        40  11,400.00 EUR      69:00       0:00\n\
         \x20   50h        50  13,500.00 EUR      99:00       0:00\n\
         \x20 cheapest: 16h, saving 900.00 EUR over these months against 20h\n"
    );
    // Only the window's month files are read: a broken file outside it does not matter.
    write(l.path(), "timelog/2026-01.csv", "date,contract,minutes\n2026-01-02,acme,x\n");
    run_on(l.path(), &["advise", "--months", "3"]).success();
    let a = run_on(l.path(), &["advise"]).code(1);
    assert!(stderr(&a).contains("timelog/2026-01.csv:2: minutes: \"x\""), "{}", stderr(&a));
    assert!(stderr(&a).contains("error: no advice for 2025-11 to 2026-10: 1 error"), "{}", stderr(&a));
}

#[test]
fn custom_terms_are_costed_and_refusals() {
    let l = small_ledger(&[
        ("contracts/acme.toml", "customer = \"A\"\nhours = 18\nrate = \"90.00\"\nstart = \"2026-01\"\n"),
        ("timelog/2026-10.csv", "date,contract,minutes\n2026-10-02,acme,600\n"),
        ("contracts/later.toml", "customer = \"L\"\ntier = \"16h\"\nstart = \"2027-01\"\n"),
    ]);
    let a = advice(l.path(), &["--months", "1", "--contract", "acme"]);
    let acme = &a["contracts"][0];
    assert_eq!(acme["current"]["tier"], serde_json::Value::Null);
    assert_eq!(acme["current"]["cost"], "1620.00");
    assert_eq!((acme["cheapest"].as_str(), acme["saving"].as_str()), (Some("16h"), Some("20.00")));
    let t = run_on(l.path(), &["advise", "--months", "1", "--contract", "acme"]).success();
    assert!(stdout(&t).contains("\n  * custom     18  1,620.00 EUR       8:00       0:00\n"), "{}", stdout(&t));
    let e = run_on(l.path(), &["advise", "--contract", "acem"]).code(1);
    assert_eq!(stderr(&e), "error: --contract: unknown contract \"acem\" (did you mean \"acme\"?)\n");
    let e = run_on(l.path(), &["advise", "--contract", "later", "--months", "1"]).code(1);
    assert_eq!(stderr(&e), "error: --contract: \"later\" is not active in any month from 2026-10 to 2026-10\n");
    run_on(l.path(), &["advise", "--months", "0"]).code(2);
}

#[test]
fn time_corrected_after_a_month_was_closed_counts_as_used_in_it() {
    let l = usage_ledger();
    run_on(l.path(), &["close", "--month", "2026-09", "--write-off", "--engineer", "anna"]).success();
    let before = advice(l.path(), &["--months", "3", "--contract", "acme"]);
    assert_eq!(before["contracts"][0]["used_minutes"], 3 * 1020);
    run_on(
        l.path(),
        &["correct", "acme", "5h", "--month", "2026-09", "--reason", "call not logged", "--engineer", "anna"],
    )
    .success();
    let after = advice(l.path(), &["--months", "3", "--contract", "acme"]);
    let acme = &after["contracts"][0];
    assert_eq!(acme["used_minutes"], 3 * 1020 + 300);
    // 16h: September now 22 h, 6 h over at 100.00 (plus 1 h in each other month).
    assert_eq!(tier(acme, "16h")["overage_minutes"], 2 * 60 + 6 * 60);
    // Time taken away cannot make a month's use negative: `correct` refuses.
    run_on(
        l.path(),
        &[
            "correct",
            "acme",
            "-40h",
            "--month",
            "2026-09",
            "--reason",
            "booked on the wrong contract",
            "--engineer",
            "anna",
        ],
    )
    .code(1);
}
