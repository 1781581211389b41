//! Closing a month, verifying closings and correcting closed months
//! (SPEC §8) through the real binary: every refusal leaves the ledger
//! byte-identical, a crash between writing and renaming leaves no closing,
//! every later change to a closed month's files is named, and corrections
//! are billed in the month they are dated in.

mod common;

use std::path::Path;

use assert_cmd::assert::Assert;
use common::*;
use serde_json::Value;

const OCT: &str = "timelog/2026-10.csv";
const NOW: &str = "2026-11-27T10:00:00+01:00";
const ULID_A: &str = "01KB2Z7Q8W3N5YV0M4T6R9J1XA";

/// acme (20h, 1,200 min) used 1,410 minutes in October, 120 approved;
/// beta (16h, ends 2026-10) used 300.
fn october() -> tempfile::TempDir {
    small_ledger(&[
        (
            OCT,
            "date,contract,minutes,ticket,kind,level,channel,engineer,note,id\n\
             2026-10-05,acme,900,SD-1,support,2,desk,anna,\"Upgrade, part 1\",\n\
             2026-10-12,acme,510,SD-2,support,3,phone,ben,Upgrade part 2,\n\
             2026-10-14,beta,300,SD-3,support,2,email,anna,Permissions,\n",
        ),
        ("approvals.csv", "date,contract,month,minutes,reference,note,id\n2026-10-20,acme,2026-10,120,SD-1 mail,,\n"),
    ])
}

/// Runs `supportctl ARGS` on `ledger` with the clock pinned and a known engineer.
fn sc(ledger: &Path, args: &[&str]) -> Assert {
    let mut all = vec!["--ledger", ledger.to_str().unwrap()];
    all.extend_from_slice(args);
    let elsewhere = tempfile::tempdir().unwrap();
    run_with(elsewhere.path(), &all, |c, _| {
        c.env("SUPPORTCTL_NOW", NOW).env("SUPPORTCTL_ENGINEER", "anna");
    })
}

fn json(a: &Assert) -> Value {
    serde_json::from_str(&stdout(a)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(a)))
}

fn contract<'a>(r: &'a Value, id: &str) -> &'a Value {
    r["contracts"].as_array().unwrap().iter().find(|c| c["contract"] == id).unwrap_or_else(|| panic!("no {id}"))
}

/// `cmd` fails with exit 1, leaves every file as it was and says `want`.
fn refused(ledger: &Path, args: &[&str], want: &[&str]) -> String {
    let before = tree(ledger);
    let a = sc(ledger, args).code(1);
    assert_eq!(tree(ledger), before, "{args:?} changed the ledger");
    let e = stderr(&a);
    for w in want {
        assert!(e.contains(w), "{args:?}: stderr lacks {w:?}:\n{e}");
    }
    assert_eq!(stdout(&a), "", "{args:?}: nothing on stdout");
    e
}

fn closed(ledger: &Path, month: &str) {
    sc(ledger, &["close", "--month", month, "--write-off"]).success();
}

// ---------------------------------------------------------------------------
// close

#[test]
fn close_refuses_a_month_that_has_not_ended() {
    let l = october();
    refused(l.path(), &["close", "--month", "2026-11"], &["error: 2026-11 has not ended yet (today is 2026-11-27)"]);
    refused(l.path(), &["close", "--month", "current"], &["has not ended yet"]);
}

#[test]
fn close_refuses_unapproved_overage_with_the_approve_command_for_each() {
    let l = october();
    common::append(l.path(), OCT, "2026-10-20,beta,700,,,,,,,\n");
    let e = refused(
        l.path(),
        &["close", "--month", "2026-10"],
        &[
            "error: acme: 1:30 of 3:30 overage in 2026-10 is not approved; record the customer's agreement with `supportctl approve acme 1:30 --month 2026-10 --ref …`",
            "error: beta: 0:40 of 0:40 overage in 2026-10 is not approved; record the customer's agreement with `supportctl approve beta 0:40 --month 2026-10 --ref …`",
            "error: 2026-10 is not closed: 2 contracts have unapproved overage; approve it, or close with --write-off",
        ],
    );
    assert!(e.ends_with("nothing was written\n"), "{e}");
}

#[test]
fn close_with_write_off_records_the_unapproved_overage_as_never_invoiced() {
    let l = october();
    let a = sc(l.path(), &["close", "--month", "2026-10", "--write-off"]).success();
    assert!(
        stdout(&a).starts_with("closed 2026-10: 2 contracts, net 3,800.00 EUR, gross 4,522.00 EUR"),
        "{}",
        stdout(&a)
    );
    assert!(stdout(&a).contains("1:30 written off"), "{}", stdout(&a));
    let a = sc(l.path(), &["report", "--month", "2026-10", "--format", "json"]).success();
    assert_eq!(stderr(&a), "", "written-off overage is not warned about");
    let r = json(&a);
    assert_eq!(r["closed"], serde_json::json!({"at": NOW, "by": "anna"}));
    let acme = contract(&r, "acme");
    assert_eq!(
        (acme["unapproved_overage_minutes"].as_u64(), acme["written_off_minutes"].as_u64()),
        (Some(90), Some(90))
    );
    assert_eq!(acme["net"], "2200.00", "written-off time is never invoiced");
    let table = stdout(&sc(l.path(), &["report", "--month", "2026-10"]).success());
    assert!(table.starts_with("Support report 2026-10 (EUR), closed 2026-11-27 10:00 by anna\n"), "{table}");
    assert!(table.contains("3:30 (1:30 written off)"), "{table}");
}

#[test]
fn close_refuses_a_ledger_with_errors_and_a_month_closed_already() {
    let l = october();
    common::append(l.path(), OCT, "2026-10-15,acme,x,,,,,,,\n");
    refused(
        l.path(),
        &["close", "--month", "2026-10", "--write-off"],
        &[
            "timelog/2026-10.csv:5: minutes: \"x\" is not a whole number of minutes",
            "error: 2026-10 is not closed: 1 error",
        ],
    );
    let l = october();
    closed(l.path(), "2026-10");
    refused(
        l.path(),
        &["close", "--month", "2026-10", "--write-off"],
        &[&format!("error: 2026-10 is closed already (closings/2026-10.toml on {NOW} by anna)")],
    );
}

#[test]
fn the_closing_file_holds_terms_figures_digests_and_totals_and_its_digest_is_printed() {
    let l = october();
    let a = sc(l.path(), &["close", "--month", "2026-10", "--write-off", "--engineer", "Zoë Weber"]).success();
    let bytes = std::fs::read(l.path().join("closings/2026-10.toml")).unwrap();
    let sha = supportctl::compute::digest::sha256_text(&supportctl::compute::digest::sha256_of(&bytes));
    let text = stdout(&a);
    let shown: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(shown, ["SHA-256 of closings/2026-10.toml, for your books:", sha.as_str()]);
    let t: toml::Table = std::str::from_utf8(&bytes).unwrap().parse().unwrap();
    assert_eq!(t["month"].as_str(), Some("2026-10"));
    assert_eq!(t["closed_at"].as_str(), Some(NOW));
    assert_eq!(t["closed_by"].as_str(), Some("Zoë Weber"));
    assert!(t.get("previous").is_none(), "the first closing has no previous");
    let contracts = t["contract"].as_array().unwrap();
    assert_eq!(contracts.len(), 2);
    let acme = contracts[0].as_table().unwrap();
    for (key, want) in [
        ("id", "\"acme\""),
        ("tier", "\"20h\""),
        ("hours", "20"),
        ("rate", "\"100.00\""),
        ("overage_rate", "\"100.00\""),
        ("vat_rate", "\"19\""),
        ("rounding", "\"1m\""),
        ("used_minutes", "1410"),
        ("approved_overage_minutes", "120"),
        ("unapproved_overage_minutes", "90"),
        ("written_off_minutes", "90"),
        ("overage_amount", "\"200.00\""),
        ("net", "\"2200.00\""),
        ("vat", "\"418.00\""),
        ("gross", "\"2618.00\""),
        ("timelog_rows", "2"),
        ("approval_rows", "1"),
        ("correction_rows", "0"),
        ("corrections_sha256", "\"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\""),
    ] {
        assert_eq!(acme[key].to_string(), want, "{key}");
    }
    // The time-log digest is that of its two canonical rows, sorted.
    let rows = [
        "2026-10-05\x1facme\x1f900\x1fSD-1\x1fsupport\x1f2\x1fdesk\x1fanna\x1fUpgrade, part 1\x1f",
        "2026-10-12\x1facme\x1f510\x1fSD-2\x1fsupport\x1f3\x1fphone\x1fben\x1fUpgrade part 2\x1f",
    ];
    let expected = supportctl::compute::digest::Digest::of(rows.to_vec()).hex();
    assert_eq!(acme["timelog_sha256"].as_str(), Some(expected.as_str()));
    let totals = t["totals"].as_table().unwrap();
    assert_eq!(totals["net"].as_str(), Some("3800.00"));
    assert_eq!(totals["gross"].as_str(), Some("4522.00"));
}

#[test]
fn each_closing_names_the_one_closed_before_it_whatever_the_months() {
    let l = october();
    common::write(l.path(), "timelog/2026-09.csv", "date,contract,minutes\n2026-09-03,acme,60\n");
    closed(l.path(), "2026-10");
    // Months may be closed in any order: the chain follows the closing order.
    closed(l.path(), "2026-09");
    closed(l.path(), "2026-08");
    let read = |m: &str| -> toml::Table {
        std::fs::read_to_string(l.path().join(format!("closings/{m}.toml"))).unwrap().parse().unwrap()
    };
    let sha = |m: &str| {
        let b = std::fs::read(l.path().join(format!("closings/{m}.toml"))).unwrap();
        supportctl::compute::digest::sha256_text(&supportctl::compute::digest::sha256_of(&b))
    };
    // All closed at the same pinned minute: later in the order of closing.
    assert_eq!(read("2026-09")["previous"]["month"].as_str(), Some("2026-10"));
    assert_eq!(read("2026-09")["previous"]["sha256"].as_str(), Some(sha("2026-10").as_str()));
    assert_eq!(read("2026-08")["previous"]["month"].as_str(), Some("2026-09"));
    let a = sc(l.path(), &["verify"]).success();
    assert_eq!(
        stdout(&a),
        format!(
            "2026-08 ok: closed {NOW} by anna, 2 contracts\n2026-09 ok: closed {NOW} by anna, 2 contracts\n2026-10 ok: closed {NOW} by anna, 2 contracts\n"
        )
    );
}

#[test]
fn a_crash_between_writing_and_renaming_leaves_no_closing() {
    let l = october();
    let before = tree(l.path());
    let elsewhere = tempfile::tempdir().unwrap();
    let ledger = l.path().to_str().unwrap();
    let a = run_with(elsewhere.path(), &["--ledger", ledger, "close", "--month", "2026-10", "--write-off"], |c, _| {
        c.env("SUPPORTCTL_FAILPOINT", "crash-before-rename");
    })
    .failure();
    assert_ne!(a.get_output().status.code(), Some(0));
    assert!(!l.path().join("closings/2026-10.toml").exists(), "absent, not half-written");
    let left: Vec<String> = std::fs::read_dir(l.path().join("closings"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].starts_with(".2026-10.toml.tmp-"), "{left:?}");
    // check names the leftover, the month is still open, and closing it works.
    let a = sc(l.path(), &["check"]).success();
    assert!(
        stderr(&a).contains(&format!("closings/{}: warning: a temporary file left by an interrupted write", left[0])),
        "{}",
        stderr(&a)
    );
    sc(l.path(), &["log", "acme", "10", "--date", "2026-10-30"]).success();
    closed(l.path(), "2026-10");
    assert!(tree(l.path()).len() > before.len());
}

#[test]
fn a_failed_rename_writes_nothing() {
    let l = october();
    let before = tree(l.path());
    let elsewhere = tempfile::tempdir().unwrap();
    let ledger = l.path().to_str().unwrap();
    let a = run_with(elsewhere.path(), &["--ledger", ledger, "close", "--month", "2026-10", "--write-off"], |c, _| {
        c.env("SUPPORTCTL_FAILPOINT", "rename");
    })
    .code(1);
    assert!(stderr(&a).contains("cannot write closings/2026-10.toml"), "{}", stderr(&a));
    assert!(stderr(&a).contains("nothing was written"), "{}", stderr(&a));
    let mut after = tree(l.path());
    // The folder may be created; it holds nothing.
    assert_eq!(after.remove(Path::new("closings")), Some(None));
    assert_eq!(after, before);
}

// ---------------------------------------------------------------------------
// A closed month is read-only

#[test]
fn log_and_approve_refuse_a_closed_month_and_name_correct() {
    let l = october();
    closed(l.path(), "2026-10");
    refused(
        l.path(),
        &["log", "acme", "45m", "--date", "2026-10-30"],
        &[
            "error: 2026-10 is closed (closings/2026-10.toml)",
            "`supportctl correct acme 45m --month 2026-10 --reason \"…\"`",
        ],
    );
    refused(
        l.path(),
        &["approve", "acme", "1h", "--month", "2026-10", "--ref", "mail"],
        &["error: 2026-10 is closed (closings/2026-10.toml)", "`supportctl correct acme … --month 2026-10"],
    );
    // November stays open.
    sc(l.path(), &["log", "acme", "45m", "--date", "2026-11-02"]).success();
}

// ---------------------------------------------------------------------------
// verify, check and report of a closed month

fn verify_fails(ledger: &Path, args: &[&str], want: &[&str]) -> String {
    let a = sc(ledger, args).code(1);
    let e = stderr(&a);
    for w in want {
        assert!(e.contains(w), "{args:?}: stderr lacks {w:?}:\n{e}");
    }
    e
}

#[test]
fn a_late_row_from_a_git_merge_is_named_with_its_line_and_the_correct_command() {
    let l = october();
    closed(l.path(), "2026-10");
    // A colleague logged for the 30th before pulling the closing; the merge brings it.
    common::append(l.path(), OCT, format!("2026-10-30,acme,45,SD-9,support,2,phone,ben,late call,{ULID_A}\n"));
    let late = "timelog/2026-10.csv:5: closed month 2026-10, acme: this entry (2026-10-30, 0:45, SD-9) arrived after 2026-10 was closed (a git merge?); remove it and record it with `supportctl correct acme 45m --month 2026-10 --reason \"…\"`";
    let e = verify_fails(l.path(), &["verify"], &[late, "verify: "]);
    assert!(!e.contains("timelog rows: 2 at closing"), "the row is named instead:\n{e}");
    verify_fails(l.path(), &["verify", "--month", "2026-10"], &[late]);
    verify_fails(l.path(), &["check"], &[late]);
    let a = sc(l.path(), &["report", "--month", "2026-10"]).code(1);
    assert_eq!(stdout(&a), "", "no figures");
    assert!(stderr(&a).contains(late), "{}", stderr(&a));
    assert!(
        stderr(&a).contains("error: no report for 2026-10: the ledger no longer gives the figures of its closing"),
        "{}",
        stderr(&a)
    );
    // Status lines on stdout, one per closing.
    let a = sc(l.path(), &["verify"]).code(1);
    assert!(stdout(&a).starts_with("2026-10 "), "{}", stdout(&a));
    assert!(stdout(&a).contains(" difference"), "{}", stdout(&a));
}

#[test]
fn an_edited_row_keeps_the_count_but_changes_the_digest() {
    let l = october();
    closed(l.path(), "2026-10");
    let text = std::fs::read_to_string(l.path().join(OCT)).unwrap().replace("Upgrade part 2", "Upgrade part II");
    common::write(l.path(), OCT, text);
    verify_fails(
        l.path(),
        &["verify"],
        &[
            "timelog/2026-10.csv: closed month 2026-10, acme: timelog rows: 2 at closing and now, but a row differs (sha256:",
        ],
    );
}

#[test]
fn column_order_line_endings_and_a_bom_do_not_change_a_closed_month() {
    let l = october();
    closed(l.path(), "2026-10");
    let text = std::fs::read_to_string(l.path().join(OCT)).unwrap();
    // Same rows, columns reordered, CRLF, a BOM, rows in another order.
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let mut rows: Vec<Vec<String>> = rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    rows.reverse();
    let order: Vec<usize> = (0..header.len()).rev().collect();
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(order.iter().map(|&i| &header[i])).unwrap();
    for r in &rows {
        w.write_record(order.iter().map(|&i| &r[i])).unwrap();
    }
    common::write(l.path(), OCT, w.into_inner().unwrap());
    sc(l.path(), &["verify"]).success();
    sc(l.path(), &["check"]).success();
}

#[test]
fn changed_terms_are_named_key_by_key_with_the_contract_file() {
    let l = october();
    closed(l.path(), "2026-10");
    common::write(l.path(), "contracts/acme.toml", "customer = \"ACME GmbH\"\ntier = \"30h\"\nstart = \"2026-01\"\n");
    verify_fails(
        l.path(),
        &["verify"],
        &[
            "contracts/acme.toml: closed month 2026-10, acme: tier: \"20h\" at closing, \"30h\" now",
            "contracts/acme.toml: closed month 2026-10, acme: hours: 20 at closing, 30 now",
            "contracts/acme.toml: closed month 2026-10, acme: fee: \"2000.00\" at closing, \"3000.00\" now",
        ],
    );
}

#[test]
fn an_approval_arriving_after_the_closing_is_named() {
    let l = october();
    closed(l.path(), "2026-10");
    common::append(l.path(), "approvals.csv", "2026-11-02,acme,2026-10,90,mail,,\n");
    verify_fails(
        l.path(),
        &["verify"],
        &[
            "approvals.csv:3: closed month 2026-10, acme: this approval (1:30 for 2026-10) arrived after 2026-10 was closed",
        ],
    );
}

#[test]
fn an_edited_or_deleted_closing_breaks_the_chain() {
    let l = october();
    common::write(l.path(), "timelog/2026-09.csv", "date,contract,minutes\n2026-09-03,acme,60\n");
    closed(l.path(), "2026-09");
    closed(l.path(), "2026-10");
    let sep = l.path().join("closings/2026-09.toml");
    let text = std::fs::read_to_string(&sep).unwrap();
    std::fs::write(&sep, text.replace("closed_by = \"anna\"", "closed_by = \"mallory\"")).unwrap();
    verify_fails(
        l.path(),
        &["verify"],
        &["closings/2026-09.toml: changed since 2026-10 was closed: 2026-10's closing recorded sha256:"],
    );
    verify_fails(
        l.path(),
        &["verify", "--month", "2026-10"],
        &["closings/2026-09.toml: changed since 2026-10 was closed"],
    );
    verify_fails(l.path(), &["check"], &["closings/2026-09.toml: changed since 2026-10 was closed"]);
    std::fs::remove_file(&sep).unwrap();
    verify_fails(
        l.path(),
        &["verify"],
        &[
            "closings/2026-10.toml: previous: the closing it follows, closings/2026-09.toml, is missing: the chain of closings is broken",
        ],
    );
}

#[test]
fn an_edited_figure_in_a_closing_is_named() {
    let l = october();
    closed(l.path(), "2026-10");
    let p = l.path().join("closings/2026-10.toml");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replacen("used_minutes = 1410", "used_minutes = 1300", 1)).unwrap();
    verify_fails(
        l.path(),
        &["verify"],
        &["closings/2026-10.toml: closed month 2026-10, acme: used_minutes: 1300 at closing, 1410 now"],
    );
}

#[test]
fn two_clones_closing_different_months_fork_the_chain() {
    let l = october();
    common::write(l.path(), "timelog/2026-09.csv", "date,contract,minutes\n2026-09-03,acme,60\n");
    closed(l.path(), "2026-08");
    let copy = tempfile::tempdir().unwrap();
    closed(l.path(), "2026-09");
    // The other clone closed October after August, without 2026-09.
    std::fs::rename(l.path().join("closings/2026-09.toml"), copy.path().join("2026-09.toml")).unwrap();
    closed(l.path(), "2026-10");
    std::fs::rename(copy.path().join("2026-09.toml"), l.path().join("closings/2026-09.toml")).unwrap();
    verify_fails(
        l.path(),
        &["verify"],
        &["previous: 2026-09, 2026-10 all follow 2026-08: two copies of the ledger closed months"],
    );
}

#[test]
fn an_open_month_reports_closed_null() {
    let l = october();
    let r = json(&sc(l.path(), &["report", "--month", "2026-11", "--format", "json"]).success());
    assert_eq!(r["closed"], Value::Null);
    assert_eq!(contract(&r, "acme")["written_off_minutes"], 0);
}

// ---------------------------------------------------------------------------
// correct

#[test]
fn corrections_are_billed_in_the_month_they_are_dated_in() {
    let l = october();
    // 1,410 used, 300 approved: 210 billed (350.00).
    common::write(
        l.path(),
        "approvals.csv",
        "date,contract,month,minutes,reference,note,id\n2026-10-20,acme,2026-10,300,SD-1 mail,,\n",
    );
    closed(l.path(), "2026-10");
    // A forgotten call of 30 minutes: 240 billed, +50.00 in November.
    let a = sc(
        l.path(),
        &["correct", "acme", "30m", "--month", "2026-10", "--reason", "forgotten call", "--ticket", "SD-4"],
    )
    .success();
    assert_eq!(
        stdout(&a),
        "recorded a correction of acme 2026-10: +0:30 (forgotten call)\nacme 2026-10 corrected: 24:00 used of 20:00, 4:00 overage billed; 50.00 EUR in 2026-11\n"
    );
    // An entry booked to the wrong customer, typed with a minus as is.
    sc(l.path(), &["correct", "acme", "-1h30m", "--month", "2026-10", "--reason", "booked to the wrong customer"])
        .success();
    let csv = std::fs::read_to_string(l.path().join("corrections.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("date,contract,month,minutes,reason,ticket,engineer,id"));
    assert!(lines.next().unwrap().starts_with("2026-11-27,acme,2026-10,30,forgotten call,SD-4,anna,"));
    assert!(lines.next().unwrap().starts_with("2026-11-27,acme,2026-10,-90,booked to the wrong customer,,anna,"));
    // November: 30 − 90 = −60 minutes: 150 billed instead of 210: −100.00.
    let r = json(&sc(l.path(), &["report", "--month", "2026-11", "--format", "json"]).success());
    let acme = contract(&r, "acme");
    assert_eq!(
        acme["corrections"],
        serde_json::json!([{"month": "2026-10", "minutes": -60, "amount": "-100.00", "vat_rate": "19",
            "reasons": ["forgotten call", "booked to the wrong customer"]}])
    );
    assert_eq!(acme["correction_amount"], "-100.00");
    assert_eq!(acme["net"], "1900.00");
    assert_eq!(acme["vat"], "361.00");
    assert_eq!(r["totals"]["correction_amount"], "-100.00");
    // October's figures never change.
    let oct = json(&sc(l.path(), &["report", "--month", "2026-10", "--format", "json"]).success());
    assert_eq!(contract(&oct, "acme")["overage_amount"], "350.00");
    sc(l.path(), &["check"]).success();
    let table = stdout(&sc(l.path(), &["report", "--month", "2026-11"]).success());
    assert!(table.contains("Corrections of closed months billed in 2026-11:\nacme 2026-10: -1:00 -100.00 EUR (forgotten call; booked to the wrong customer)\n"), "{table}");
}

#[test]
fn a_correction_is_taxed_at_the_rate_of_the_month_it_corrects() {
    let l = october();
    common::write(
        l.path(),
        "approvals.csv",
        "date,contract,month,minutes,reference,note,id\n2026-10-20,acme,2026-10,600,mail,,\n",
    );
    closed(l.path(), "2026-10");
    // From November acme pays 7 % VAT (a temporary rate).
    common::write(
        l.path(),
        "contracts/acme.toml",
        "customer = \"ACME GmbH\"\ntier = \"20h\"\nstart = \"2026-01\"\n[[change]]\nfrom = \"2026-11\"\nvat_rate = \"7\"\n",
    );
    sc(l.path(), &["correct", "acme", "7", "--month", "2026-10", "--reason", "call"]).success();
    let r = json(&sc(l.path(), &["report", "--month", "2026-11", "--format", "json"]).success());
    let acme = contract(&r, "acme");
    // 7 minutes at 100.00/h = 11.67 at 19 % (2.22) + the fee 2,000.00 at 7 % (140.00).
    assert_eq!(acme["corrections"][0]["amount"], "11.67");
    assert_eq!(acme["corrections"][0]["vat_rate"], "19");
    assert_eq!(acme["vat_rate"], "7");
    assert_eq!(acme["net"], "2011.67");
    assert_eq!(acme["vat"], "142.22");
    assert_eq!(acme["gross"], "2153.89");
}

#[test]
fn a_contract_with_only_corrections_appears_with_fee_zero_and_no_terms() {
    let l = october();
    closed(l.path(), "2026-10");
    // beta ended in October; its correction is billed in November.
    sc(l.path(), &["correct", "beta", "-1h", "--month", "2026-10", "--reason", "duplicate entry"]).success();
    let r = json(&sc(l.path(), &["report", "--month", "2026-11", "--format", "json"]).success());
    let beta = contract(&r, "beta");
    for key in ["tier", "rate", "overage_rate", "vat_rate"] {
        assert_eq!(beta[key], Value::Null, "{key}");
    }
    assert_eq!(
        (beta["fee"].as_str(), beta["used_minutes"].as_u64(), beta["quota_minutes"].as_u64()),
        (Some("0.00"), Some(0), Some(0))
    );
    assert_eq!(beta["corrections"][0]["minutes"], -60);
    assert_eq!(beta["net"], "0.00", "time within the quota changes no money but is shown");
    let a = sc(l.path(), &["report", "--month", "2026-11", "--contract", "beta", "--format", "csv"]).success();
    let row = stdout(&a).lines().nth(1).unwrap().to_string();
    assert!(row.starts_with("beta,Beta AG,,0,0,"), "{row}");
    assert!(row.contains(",,,,0.00,0.00,2026-10:-60:0.00:19,0.00,"), "{row}");
}

#[test]
fn correct_refusals_leave_the_ledger_as_it_was() {
    let l = october();
    closed(l.path(), "2026-10");
    refused(
        l.path(),
        &["correct", "acme", "30m", "--month", "2026-11", "--reason", "x"],
        &[
            "error: 2026-11 is not closed; corrections are for closed months: log the time in 2026-11 with `supportctl log acme 30m --date …`",
        ],
    );
    refused(
        l.path(),
        &["correct", "acme", "30m", "--month", "2026-10", "--reason", "x", "--date", "2026-10-31"],
        &["error: --date 2026-10-31 is not after 2026-10"],
    );
    refused(
        l.path(),
        &["correct", "acme", "-24h", "--month", "2026-10", "--reason", "x"],
        &["error: -24:00 would take 2026-10's used time below zero: 23:30 used at closing"],
    );
    refused(
        l.path(),
        &["correct", "acme2", "30m", "--month", "2026-10", "--reason", "x"],
        &["error: unknown contract \"acme2\""],
    );
    // A contract that was not active in the closed month.
    common::write(l.path(), "contracts/gamma.toml", "customer = \"Gamma\"\ntier = \"16h\"\nstart = \"2026-11\"\n");
    refused(
        l.path(),
        &["correct", "gamma", "30m", "--month", "2026-10", "--reason", "x"],
        &["error: gamma is not in the closing of 2026-10 (closings/2026-10.toml)"],
    );
    // A date in a closed month.
    common::write(l.path(), "timelog/2026-09.csv", "date,contract,minutes\n2026-09-03,acme,60\n");
    closed(l.path(), "2026-09");
    refused(
        l.path(),
        &["correct", "acme", "30m", "--month", "2026-09", "--reason", "x", "--date", "2026-10-15"],
        &["error: --date 2026-10-15 is in 2026-10, which is closed (closings/2026-10.toml)"],
    );
    // A usage error: not a duration.
    let before = tree(l.path());
    sc(l.path(), &["correct", "acme", "-0", "--month", "2026-10", "--reason", "x"]).code(2);
    assert_eq!(tree(l.path()), before);
}

#[test]
fn check_reports_corrections_that_do_not_fit_the_closings() {
    let l = october();
    closed(l.path(), "2026-10");
    common::write(
        l.path(),
        "corrections.csv",
        "date,contract,month,minutes,reason,ticket,engineer,id\n\
         2026-11-03,acme,2026-09,30,not closed,,,\n\
         2026-11-03,acme,2026-10,30,ok,,,\n\
         2026-10-30,acme,2026-10,30,too early,,,\n\
         2026-11-04,acme,2026-10,-3000,too much,,,\n",
    );
    let a = sc(l.path(), &["check"]).code(1);
    let lines = problem_lines(&a);
    assert_eq!(
        lines,
        [
            "corrections.csv:4: date: 2026-10-30 is not after the month it corrects (2026-10); a correction is recorded in a later, open month",
            "corrections.csv:2: month: 2026-09 is not closed; corrections are for closed months (log the time in 2026-09 with `supportctl log`)",
            "corrections.csv:5: minutes: the corrections of acme 2026-10 take away more than its 1410 minutes used",
        ]
    );
}
