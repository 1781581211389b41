//! The error catalogue (SPEC §6, RELIABILITY (b)): for each bad input a
//! minimal broken ledger, `check` (and `report` where the file is in its
//! scope) exits 1 and prints exactly the expected `file:line[:col]: message`
//! lines; warnings exit 0. Line numbers are an editor's, also with CRLF line
//! endings and blank lines.

mod common;

use std::path::Path;

use assert_cmd::assert::Assert;
use common::*;
use predicates::prelude::*;

const TL: &str = "timelog/2026-11.csv";
const ULID_A: &str = "01KB2Z7Q8W3N5YV0M4T6R9J1XA";
const ULID_B: &str = "01KB2Z7Q8W3N5YV0M4T6R9J1XB";
const ULID_C: &str = "01KB2Z7Q8W3N5YV0M4T6R9J1XC";

/// `check` fails with exactly these problem lines, then its summary.
fn check_fails(ledger: &Path, want: &[&str]) -> Assert {
    let a = run(ledger, &["check"]).code(1).stdout(predicate::str::is_empty());
    assert_eq!(problem_lines(&a), want, "stderr:\n{}", stderr(&a));
    let errors = want.iter().filter(|l| !l.contains(": warning: ")).count();
    let last = stderr(&a).lines().last().unwrap_or_default().to_string();
    let summary = format!("check: {errors} error{}", if errors == 1 { "" } else { "s" });
    assert!(last.starts_with(&summary), "summary {last:?} does not start with {summary:?}");
    a
}

/// `report --month M` refuses with exactly these problem lines and prints no figures.
fn report_fails(ledger: &Path, month: &str, want: &[&str]) {
    for format in ["table", "json"] {
        let a = run(ledger, &["report", "--month", month, "--format", format]).code(1);
        assert_eq!(stdout(&a), "", "{format}: no figures");
        assert_eq!(problem_lines(&a), want, "{format}: stderr:\n{}", stderr(&a));
        assert!(stderr(&a).contains(&format!("error: no report for {month}: ")), "{}", stderr(&a));
    }
}

/// `check` passes with exactly these warning lines on stderr.
fn check_warns(ledger: &Path, want: &[&str]) -> Assert {
    let a = run(ledger, &["check"]).success();
    assert_eq!(problem_lines(&a), want, "stderr:\n{}", stderr(&a));
    let n = want.len();
    let out = stdout(&a);
    assert!(out.starts_with("ok: "), "{out}");
    if n > 0 {
        assert!(out.trim_end().ends_with(&format!(", {n} warning{}", if n == 1 { "" } else { "s" })), "{out}");
    }
    a
}

/// A small ledger whose November time log is `content`.
fn with_log(content: impl AsRef<[u8]>) -> tempfile::TempDir {
    small_ledger(&[(TL, content.as_ref())])
}

// ---------------------------------------------------------------------------
// Field values in the time log

#[test]
fn minutes_with_a_decimal_comma() {
    let l = with_log("date,contract,minutes\n2026-11-02,acme,30\n2026-11-03,acme,\"1,5\"\n");
    let want = ["timelog/2026-11.csv:3: minutes: \"1,5\" is not a whole number of minutes"];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn minutes_with_an_unquoted_decimal_comma_is_an_extra_field() {
    let l = with_log("date,contract,minutes\n2026-11-02,acme,30\n2026-11-03,acme,1,5\n");
    let want = [
        "timelog/2026-11.csv:3: expected 3 fields (date,contract,minutes), found 4 (extra: \"5\"; an unquoted comma?)",
    ];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn minutes_zero() {
    let l = with_log("date,contract,minutes\n2026-11-02,acme,0\n");
    check_fails(l.path(), &["timelog/2026-11.csv:2: minutes: \"0\" must be more than 0"]);
}

#[test]
fn minutes_negative() {
    let l = with_log("date,contract,minutes\n2026-11-02,acme,-30\n");
    let want = ["timelog/2026-11.csv:2: minutes: \"-30\" is not a whole number of minutes"];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn minutes_in_other_forms() {
    let bad = ["90.0", "3e1", "+30", "", "٣٠", " 30", "30m", "1:30"];
    let mut log = String::from("date,contract,minutes\n");
    for b in bad {
        log.push_str(&format!("2026-11-02,acme,\"{b}\"\n"));
    }
    let want: Vec<String> = bad
        .iter()
        .enumerate()
        .map(|(i, b)| format!("timelog/2026-11.csv:{}: minutes: \"{b}\" is not a whole number of minutes", i + 2))
        .collect();
    let want: Vec<&str> = want.iter().map(String::as_str).collect();
    check_fails(with_log(log).path(), &want);
}

#[test]
fn invisible_characters_in_a_value_are_shown_escaped() {
    // A no-break space pasted from a spreadsheet, and a byte order mark left
    // by joining two files with `cat` (leading BOMs of a file are not data).
    let l = with_log("\u{feff}date,contract,minutes\n2026-11-02,acme,30\u{a0}\n\u{feff}2026-11-03,acme,30\n");
    let want = [
        "timelog/2026-11.csv:2: minutes: \"30\\u{a0}\" is not a whole number of minutes",
        "timelog/2026-11.csv:3: date: \"\\u{feff}2026-11-03\" is not a valid date (expected YYYY-MM-DD)",
    ];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn impossible_date() {
    let l = with_log("date,contract,minutes\n2026-11-31,acme,30\n");
    let want = ["timelog/2026-11.csv:2: date: \"2026-11-31\" is not a valid date (expected YYYY-MM-DD)"];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn impossible_or_loose_dates() {
    let l = small_ledger(&[(
        "timelog/2026-02.csv",
        "date,contract,minutes\n2026-02-30,acme,30\n2026-2-5,acme,30\n26-02-05,acme,30\n2026/02/05,acme,30\n,acme,30\n",
    )]);
    check_fails(
        l.path(),
        &[
            "timelog/2026-02.csv:2: date: \"2026-02-30\" is not a valid date (expected YYYY-MM-DD)",
            "timelog/2026-02.csv:3: date: \"2026-2-5\" is not a valid date (expected YYYY-MM-DD)",
            "timelog/2026-02.csv:4: date: \"26-02-05\" is not a valid date (expected YYYY-MM-DD)",
            "timelog/2026-02.csv:5: date: \"2026/02/05\" is not a valid date (expected YYYY-MM-DD)",
            "timelog/2026-02.csv:6: date: \"\" is not a valid date (expected YYYY-MM-DD)",
        ],
    );
}

#[test]
fn unknown_kind_lists_the_valid_ones() {
    let l = with_log("date,contract,minutes,kind\n2026-11-02,acme,30,billable\n");
    check_fails(
        l.path(),
        &["timelog/2026-11.csv:2: kind: \"billable\" is not one of support, escalation, nonbillable"],
    );
}

// ---------------------------------------------------------------------------
// Header and file structure

#[test]
fn missing_column() {
    let l = with_log("date,contract\n2026-11-02,acme\n");
    let want = ["timelog/2026-11.csv:1: header has no column \"minutes\""];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn misspelled_column_names_the_closest() {
    let l = with_log("date,contract,minuts\n2026-11-02,acme,30\n");
    check_fails(
        l.path(),
        &["timelog/2026-11.csv:1: header has no column \"minutes\" (found \"minuts\": did you mean \"minutes\"?)"],
    );
}

#[test]
fn repeated_column() {
    let l = with_log("date,contract,minutes,minutes\n2026-11-02,acme,30,30\n");
    let want = ["timelog/2026-11.csv:1: column \"minutes\" appears twice in the header"];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn open_quote_swallowing_rows() {
    let l = with_log(
        "date,contract,minutes,note\n2026-11-02,acme,30,\"printer\n2026-11-03,acme,40,vpn\n2026-11-04,acme,50,x\n",
    );
    let want = [
        "timelog/2026-11.csv:2: note: a quoted field runs over a line break (a quote left open?); fields may not contain line breaks, so this swallows the lines after it",
    ];
    let a = check_fails(l.path(), &want);
    assert!(stderr(&a).contains("(2 contracts, 0 time-log rows, 0 approvals read)"), "{}", stderr(&a));
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn open_quote_at_the_end_of_the_file() {
    // The quote is never closed; csv alone would read the field as `x` without an error.
    let l = with_log("date,contract,minutes,note\n2026-11-02,acme,30,\"x");
    let a = run(l.path(), &["check"]).code(1);
    assert!(stderr(&a).starts_with("timelog/2026-11.csv:2: a quoted field is never closed"), "{}", stderr(&a));
}

#[test]
fn repeated_header_row() {
    let l = with_log(
        "date,contract,minutes,note\n2026-11-02,acme,30,a\n2026-11-03,acme,40,b\ndate,contract,minutes,note\n2026-11-04,acme,50,c\n",
    );
    let want = ["timelog/2026-11.csv:4: repeated header row (left by a merge of two copies of this file?); remove it"];
    let a = check_fails(l.path(), &want);
    assert!(stderr(&a).contains("3 time-log rows"), "the rows around it are read: {}", stderr(&a));
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn repeated_header_row_in_another_column_order() {
    let l = with_log("date,contract,minutes,note\n2026-11-02,acme,30,a\nminutes,date,contract,note\n");
    check_fails(
        l.path(),
        &["timelog/2026-11.csv:3: repeated header row (left by a merge of two copies of this file?); remove it"],
    );
}

#[test]
fn empty_file_is_a_warning() {
    // What a rolled-back first append leaves behind: no rows, nothing lost.
    let l = with_log("");
    check_warns(l.path(), &["timelog/2026-11.csv: warning: empty file (no header, no rows)"]);
}

#[test]
fn file_of_blank_lines_has_no_header() {
    let l = with_log("\n\n");
    check_fails(l.path(), &["timelog/2026-11.csv:1: the file has no header row"]);
}

#[test]
fn header_only_file_is_fine() {
    check_warns(with_log("date,contract,minutes\n").path(), &[]);
}

#[test]
fn invalid_utf8() {
    let l = with_log(b"date,contract,minutes,engineer\n2026-11-02,acme,30,M\xfcller\n");
    let want = ["timelog/2026-11.csv:2: engineer: not valid UTF-8; save the file as UTF-8"];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn invalid_utf8_in_a_contract() {
    let l =
        small_ledger(&[("contracts/acme.toml", b"customer = \"M\xfcller\"\ntier = \"20h\"\nstart = \"2026-01\"\n")]);
    let a = run(l.path(), &["check"]).code(1);
    let lines = problem_lines(&a);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("contracts/acme.toml") && lines[0].contains("not valid UTF-8"), "{lines:?}");
}

#[test]
fn nul_bytes() {
    let l = with_log(b"date,contract,minutes\n2026-11-02,acme,30\n2026-11-03,acme,30\0\0\0\0\n");
    let want = ["timelog/2026-11.csv:3: contains NUL bytes: the file is damaged"];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn nul_block_at_the_end_of_the_file() {
    // The Taskwarrior pattern: a crash leaves a block of NULs after the last line.
    let l = with_log(b"date,contract,minutes\n2026-11-02,acme,30\n\0\0\0\0\0\0\0\0");
    check_fails(l.path(), &["timelog/2026-11.csv:3: contains NUL bytes: the file is damaged"]);
}

#[test]
fn torn_last_line_with_the_id_cut_short() {
    let l = with_log(format!(
        "date,contract,minutes,id\n2026-11-02,acme,30,{ULID_A}\n2026-11-03,acme,30,{}",
        &ULID_B[..10]
    ));
    let want = [
        "timelog/2026-11.csv:3: id: \"01KB2Z7Q8W\" is not a row id (a 26-character ULID such as 01KB2Z7Q8W3N5YV0M4T6R9J1XA); the last line has no line break: probably an interrupted write, remove it after checking",
    ];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn torn_last_line_with_the_id_missing() {
    let l = with_log(format!("date,contract,minutes,id\n2026-11-02,acme,30,{ULID_A}\n2026-11-03,acme,30,"));
    check_fails(
        l.path(),
        &[
            "timelog/2026-11.csv:3: id: missing; the last line has no line break: probably an interrupted write, remove it after checking",
        ],
    );
}

#[test]
fn torn_last_line_with_fields_missing() {
    let l = with_log(format!("date,contract,minutes,id\n2026-11-02,acme,30,{ULID_A}\n2026-11-03,acme,3"));
    check_fails(
        l.path(),
        &[
            "timelog/2026-11.csv:3: expected 4 fields (date,contract,minutes,id), found 3; the last line has no line break: probably an interrupted write, remove it after checking",
        ],
    );
}

#[test]
fn complete_last_line_without_newline_is_accepted() {
    let l = with_log(format!("date,contract,minutes,id\n2026-11-02,acme,30,{ULID_A}\n2026-11-03,acme,45,{ULID_B}"));
    let a = check_warns(l.path(), &[]);
    assert_eq!(stdout(&a), "ok: 2 contracts, 2 time-log rows, 0 approvals\n");
    let a = run(l.path(), &["report", "--month", "2026-11", "--format", "csv"]).success();
    assert!(stdout(&a).contains("\nacme,ACME GmbH,20h,1200,75,"), "{}", stdout(&a));
}

// ---------------------------------------------------------------------------
// Ids, contracts and months

#[test]
fn duplicate_ids_across_two_month_files() {
    let l = small_ledger(&[
        ("timelog/2026-10.csv", format!("date,contract,minutes,id\n2026-10-02,acme,30,{ULID_A}\n")),
        (TL, format!("date,contract,minutes,id\n2026-11-02,acme,30,{ULID_B}\n2026-11-03,acme,30,{ULID_A}\n")),
    ]);
    check_fails(
        l.path(),
        &[
            "timelog/2026-11.csv:3: id: 01KB2Z7Q8W3N5YV0M4T6R9J1XA is already used at timelog/2026-10.csv:2; ids must be unique (a row copied, or edited on one side of a merge?)",
        ],
    );
}

#[test]
fn duplicate_ids_in_one_file_stop_the_report() {
    let l = with_log(format!(
        "date,contract,minutes,id\n2026-11-02,acme,30,{ULID_A}\n2026-11-03,acme,30,{ULID_C}\n2026-11-02,acme,45,{ULID_A}\n"
    ));
    let want = [
        "timelog/2026-11.csv:4: id: 01KB2Z7Q8W3N5YV0M4T6R9J1XA is already used at timelog/2026-11.csv:2; ids must be unique (a row copied, or edited on one side of a merge?)",
    ];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn duplicate_ids_in_approvals() {
    let l = small_ledger(&[(
        "approvals.csv",
        format!(
            "date,contract,month,minutes,reference,note,id\n2026-10-20,beta,2026-10,60,SD-1,,{ULID_A}\n2026-10-21,beta,2026-10,60,SD-1,,{ULID_A}\n"
        ),
    )]);
    let a = run(l.path(), &["check"]).code(1);
    let lines = problem_lines(&a);
    assert!(
        lines.contains(
            &"approvals.csv:3: id: 01KB2Z7Q8W3N5YV0M4T6R9J1XA is already used at line 2; ids must be unique".into()
        ),
        "{lines:?}"
    );
}

#[test]
fn unknown_contract_with_suggestion() {
    let l = with_log("date,contract,minutes\n2026-11-02,acem,30\n2026-11-03,acme ,30\n2026-11-04,ACME,30\n");
    let want = [
        "timelog/2026-11.csv:2: contract: unknown contract \"acem\" (did you mean \"acme\"?)",
        "timelog/2026-11.csv:3: contract: unknown contract \"acme \" (did you mean \"acme\"?)",
        "timelog/2026-11.csv:4: contract: unknown contract \"ACME\" (did you mean \"acme\"?)",
    ];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn unknown_contract_far_from_any_id_has_no_suggestion() {
    let l = with_log("date,contract,minutes\n2026-11-02,globex-international,30\n");
    check_fails(l.path(), &["timelog/2026-11.csv:2: contract: unknown contract \"globex-international\""]);
}

#[test]
fn entry_after_the_contract_ended() {
    let l = with_log("date,contract,minutes\n2026-11-02,beta,30\n");
    let want = ["timelog/2026-11.csv:2: contract: \"beta\" is not active in 2026-11 (active 2026-01 to 2026-10)"];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn entry_before_the_contract_started() {
    let l = small_ledger(&[("timelog/2025-12.csv", "date,contract,minutes\n2025-12-30,acme,30\n")]);
    check_fails(l.path(), &["timelog/2025-12.csv:2: contract: \"acme\" is not active in 2025-12 (active 2026-01 on)"]);
}

#[test]
fn entry_outside_its_files_month() {
    let l = with_log("date,contract,minutes\n2026-11-01,acme,30\n2026-10-31,acme,30\n");
    let want = [
        "timelog/2026-11.csv:3: date: 2026-10-31 does not belong in 2026-11.csv (a file named after a month holds only that month)",
    ];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn rows_of_a_broken_contract_are_not_reported_again() {
    let l = small_ledger(&[
        ("contracts/acme.toml", "customer = \"ACME GmbH\"\ntier = \"25h\"\nstart = \"2026-01\"\n"),
        (TL, "date,contract,minutes\n2026-11-02,acme,30\n"),
    ]);
    let want = [
        "contracts/acme.toml:2:8: tier: unknown tier \"25h\" (did you mean \"20h\"?); the price list has 16h, 20h, 30h, 40h, 50h",
    ];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

// ---------------------------------------------------------------------------
// Files under timelog/

#[test]
fn hidden_file_in_timelog_is_an_error() {
    let l = small_ledger(&[
        (TL, "date,contract,minutes\n2026-11-02,acme,30\n"),
        ("timelog/.2026-11.csv", "date,contract,minutes\n2026-11-02,acme,30\n"),
    ]);
    let want = [
        "timelog/.2026-11.csv: hidden file in timelog/ (left by an editor, sync tool or the OS?): move it out of the ledger",
    ];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn appledouble_file_in_timelog_is_an_error() {
    let l = small_ledger(&[("timelog/._2026-11.csv", b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X".as_slice())]);
    check_fails(
        l.path(),
        &[
            "timelog/._2026-11.csv: hidden file in timelog/ (left by an editor, sync tool or the OS?): move it out of the ledger",
        ],
    );
}

#[test]
fn conflicted_copy_is_a_warning_and_its_rows_count() {
    let l = small_ledger(&[
        (TL, "date,contract,minutes\n2026-11-02,acme,1200\n"),
        ("timelog/2026-11 (conflicted copy).csv", "date,contract,minutes\n2026-11-03,acme,30\n"),
    ]);
    let warning = "timelog/2026-11 (conflicted copy).csv: warning: not named YYYY-MM.csv; its rows still count (a sync tool's \"conflicted copy\" would count twice)";
    let a = check_warns(l.path(), &[warning]);
    assert_eq!(stdout(&a), "ok: 2 contracts, 2 time-log rows, 0 approvals, 1 warning\n");
    let a = run(l.path(), &["report", "--month", "2026-11", "--format", "json"]).success();
    let r: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(r["contracts"][0]["used_minutes"], 1230, "the copy's rows count");
    assert!(stderr(&a).lines().any(|l| l == warning), "{}", stderr(&a));
}

#[test]
fn other_files_in_timelog_are_a_warning() {
    // SPEC §6.1: a file under timelog/ whose name is not YYYY-MM.csv is a
    // warning (RELIABILITY F18 names `2026-11.csv.orig`); `2026-12.CSV` holds
    // rows that no report counts.
    let l = small_ledger(&[
        ("timelog/2026-11.csv.orig", "date,contract,minutes\n2026-11-02,acme,30\n"),
        ("timelog/2026-12.CSV", "date,contract,minutes\n2026-12-02,acme,30\n"),
    ]);
    let a = run(l.path(), &["check"]).success();
    let lines = problem_lines(&a);
    for name in ["timelog/2026-11.csv.orig", "timelog/2026-12.CSV"] {
        assert!(lines.iter().any(|l| l.starts_with(&format!("{name}: warning: "))), "{name}: {lines:?}");
    }
}

// ---------------------------------------------------------------------------
// Line numbers as an editor shows them

#[test]
fn crlf_bom_and_blank_lines_keep_editor_line_numbers() {
    let l = with_log(
        "\u{feff}date,contract,minutes\r\n2026-11-02,acme,30\r\n\r\n2026-11-03,acme,x\r\n\r\n\r\n2026-11-04,acem,30\r\n2026-11-05,acme,45\r\n\r\n",
    );
    let want = [
        "timelog/2026-11.csv:4: minutes: \"x\" is not a whole number of minutes",
        "timelog/2026-11.csv:7: contract: unknown contract \"acem\" (did you mean \"acme\"?)",
    ];
    let a = check_fails(l.path(), &want);
    assert!(stderr(&a).contains("2 time-log rows"), "{}", stderr(&a));
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn blank_lines_before_the_header_keep_editor_line_numbers() {
    let l = with_log("\n\ndate,contract,minutes\n\n2026-11-03,acme,x\n");
    check_fails(l.path(), &["timelog/2026-11.csv:5: minutes: \"x\" is not a whole number of minutes"]);
}

#[test]
fn crlf_and_blank_lines_in_approvals() {
    let l = small_ledger(&[(
        "approvals.csv",
        "date,contract,month,minutes,reference\r\n\r\n2026-10-20,beta,2026-10,60,SD-1\r\n\r\n2026-11-20,acne,2026-11,60,SD-2\r\n",
    )]);
    let a = run(l.path(), &["check"]).code(1);
    let lines = problem_lines(&a);
    assert!(
        lines.contains(&"approvals.csv:5: contract: unknown contract \"acne\" (did you mean \"acme\"?)".to_string()),
        "{lines:?}"
    );
    // The valid approval (beta has no overage in 2026-10) is warned about at its own line.
    assert!(
        lines.contains(
            &"approvals.csv:3: warning: beta 2026-10: 1:00 approved but the overage is 0:00; the surplus is not invoiced"
                .to_string()
        ),
        "{lines:?}"
    );
}

#[test]
fn crlf_and_blank_lines_in_toml() {
    let l = small_ledger(&[(
        "contracts/acme.toml",
        "# ACME\r\ncustomer = \"ACME GmbH\"\r\n\r\ntier = \"20h\"\r\nstart = \"2026-01\"\r\n\r\n\r\noverage_rte = \"110.00\"\r\n",
    )]);
    check_fails(l.path(), &["contracts/acme.toml:8:1: overage_rte: unknown key (did you mean \"overage_rate\"?)"]);
}

#[test]
fn toml_columns_count_characters_not_bytes() {
    let l = small_ledger(&[(
        "contracts/acme.toml",
        "customer = \"ACME GmbH\"\ntier = \"20h\"\nstart = \"2026-01\"\nchange = [{ tier = \"ä\", from = \"2026-13\" }]\n",
    )]);
    let a = run(l.path(), &["check"]).code(1);
    let lines = problem_lines(&a);
    assert!(
        lines.contains(&"contracts/acme.toml:4:32: from: \"2026-13\" is not a month (expected YYYY-MM)".to_string()),
        "{lines:?}"
    );
}

// ---------------------------------------------------------------------------
// TOML: contracts and settings

#[test]
fn unknown_tier_with_suggestion() {
    let l = small_ledger(&[("contracts/acme.toml", "customer = \"ACME GmbH\"\ntier = \"25h\"\nstart = \"2026-01\"\n")]);
    let want = [
        "contracts/acme.toml:2:8: tier: unknown tier \"25h\" (did you mean \"20h\"?); the price list has 16h, 20h, 30h, 40h, 50h",
    ];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn unknown_tier_in_a_change() {
    let l = small_ledger(&[(
        "contracts/acme.toml",
        "customer = \"ACME GmbH\"\ntier = \"20h\"\nstart = \"2026-01\"\n\n[[change]]\nfrom = \"2026-07\"\ntier = \"35h\"\n",
    )]);
    check_fails(
        l.path(),
        &[
            "contracts/acme.toml:7:8: tier: unknown tier \"35h\" (did you mean \"30h\"?); the price list has 16h, 20h, 30h, 40h, 50h",
        ],
    );
}

#[test]
fn unknown_key_in_a_contract_with_suggestion() {
    let l = small_ledger(&[(
        "contracts/acme.toml",
        "customer = \"ACME GmbH\"\ntier = \"20h\"\nstart = \"2026-01\"\noverage_rte = \"110.00\"\n",
    )]);
    check_fails(l.path(), &["contracts/acme.toml:4:1: overage_rte: unknown key (did you mean \"overage_rate\"?)"]);
}

#[test]
fn unknown_key_in_a_change_with_suggestion() {
    let l = small_ledger(&[(
        "contracts/acme.toml",
        "customer = \"ACME GmbH\"\ntier = \"20h\"\nstart = \"2026-01\"\n[[change]]\nfrom = \"2026-07\"\ntir = \"30h\"\n",
    )]);
    check_fails(l.path(), &["contracts/acme.toml:6:1: tir: unknown key in [[change]] (did you mean \"tier\"?)"]);
}

#[test]
fn unknown_key_in_settings_with_suggestion() {
    let l = small_ledger(&[("supportctl.toml", "curency = \"EUR\"\n")]);
    let want = ["supportctl.toml:1:1: curency: unknown key (did you mean \"currency\"?)"];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

/// `overage_rate = VALUE` as line 4 of acme's contract: the value starts at column 16.
fn acme_overage_rate(value: &str) -> tempfile::TempDir {
    small_ledger(&[(
        "contracts/acme.toml",
        format!("customer = \"ACME GmbH\"\ntier = \"20h\"\nstart = \"2026-01\"\noverage_rate = {value}\n"),
    )])
}

#[test]
fn float_money_with_three_decimals() {
    check_fails(
        acme_overage_rate("100.005").path(),
        &["contracts/acme.toml:4:16: overage_rate: \"100.005\" has more than 2 decimals"],
    );
    // The same as a string.
    check_fails(
        acme_overage_rate("\"100.005\"").path(),
        &["contracts/acme.toml:4:16: overage_rate: \"100.005\" has more than 2 decimals"],
    );
}

#[test]
fn float_money_with_an_exponent() {
    check_fails(
        acme_overage_rate("1e2").path(),
        &[
            "contracts/acme.toml:4:16: overage_rate: 1e2 is not an exact amount; write an amount of money as a string, e.g. overage_rate = \"100.00\"",
        ],
    );
}

#[test]
fn float_money_nan_and_inf() {
    for v in ["nan", "inf", "+inf", "-inf"] {
        check_fails(
            acme_overage_rate(v).path(),
            &[&format!(
                "contracts/acme.toml:4:16: overage_rate: {v} is not an exact amount; write an amount of money as a string, e.g. overage_rate = \"100.00\""
            )],
        );
    }
}

#[test]
fn float_percentage_inf() {
    let l = small_ledger(&[(
        "contracts/acme.toml",
        "customer = \"ACME GmbH\"\ntier = \"20h\"\nvat_rate = inf\nstart = \"2026-01\"\n",
    )]);
    check_fails(
        l.path(),
        &[
            "contracts/acme.toml:3:12: vat_rate: inf is not an exact amount; write a percentage as a string, e.g. vat_rate = \"19\"",
        ],
    );
}

#[test]
fn float_that_lost_digits() {
    check_fails(
        acme_overage_rate("1234567890123456789.01").path(),
        &[
            "contracts/acme.toml:4:16: overage_rate: 1234567890123456789.01 loses digits as a TOML float (it reads as 1234567890123456800); write it as a string: overage_rate = \"1234567890123456789.01\"",
        ],
    );
    check_fails(
        acme_overage_rate("100.1000000000000000000001").path(),
        &[
            "contracts/acme.toml:4:16: overage_rate: 100.1000000000000000000001 loses digits as a TOML float (it reads as 100.1); write it as a string: overage_rate = \"100.1000000000000000000001\"",
        ],
    );
}

#[test]
fn exact_float_money_is_accepted() {
    let l = small_ledger(&[(
        "contracts/acme.toml",
        "customer = \"ACME GmbH\"\nhours = 20\nrate = 95.10\nvat_rate = 7.25\nstart = \"2026-01\"\n",
    )]);
    check_warns(l.path(), &[]);
    let a = run(l.path(), &["report", "--month", "2026-11", "--format", "json"]).success();
    let r: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    let acme = &r["contracts"][0];
    assert_eq!(acme["rate"], "95.10");
    assert_eq!(acme["vat_rate"], "7.25");
    assert_eq!(acme["fee"], "1902.00");
    // 1902.00 × 7.25 % = 137.895 → 137.90 (half away from zero)
    assert_eq!(acme["vat"], "137.90");
}

#[test]
fn float_money_in_settings() {
    let l = small_ledger(&[("supportctl.toml", "min_monthly_fee = 1e3\n")]);
    check_fails(
        l.path(),
        &[
            "supportctl.toml:1:19: min_monthly_fee: 1e3 is not an exact amount; write an amount of money as a string, e.g. min_monthly_fee = \"100.00\"",
        ],
    );
    let l = small_ledger(&[("supportctl.toml", "vat_rate = 19.00001\n")]);
    check_fails(l.path(), &["supportctl.toml:1:12: vat_rate: \"19.00001\" has more than 4 decimals"]);
}

#[test]
fn invalid_rate_is_reported_once() {
    // The refused rate is reported; the contract itself is refused.
    for (value, want) in [
        ("100.005", "contracts/acme.toml:3:8: rate: \"100.005\" has more than 2 decimals"),
        (
            "1e2",
            "contracts/acme.toml:3:8: rate: 1e2 is not an exact amount; write an amount of money as a string, e.g. rate = \"100.00\"",
        ),
        (
            "nan",
            "contracts/acme.toml:3:8: rate: nan is not an exact amount; write an amount of money as a string, e.g. rate = \"100.00\"",
        ),
    ] {
        let l = small_ledger(&[(
            "contracts/acme.toml",
            format!("customer = \"ACME GmbH\"\nhours = 20\nrate = {value}\nstart = \"2026-01\"\n"),
        )]);
        let a = run(l.path(), &["check"]).code(1);
        assert!(problem_lines(&a).contains(&want.to_string()), "{value}: {:?}", problem_lines(&a));
    }
}

#[test]
fn invalid_rate_is_not_also_reported_missing() {
    let l = small_ledger(&[(
        "contracts/acme.toml",
        "customer = \"ACME GmbH\"\nhours = 20\nrate = 1e2\nstart = \"2026-01\"\n",
    )]);
    check_fails(
        l.path(),
        &[
            "contracts/acme.toml:3:8: rate: 1e2 is not an exact amount; write an amount of money as a string, e.g. rate = \"100.00\"",
        ],
    );
}

#[test]
fn malformed_toml_in_a_contract() {
    let l = small_ledger(&[
        ("contracts/acme.toml", "customer = \"ACME GmbH\ntier = \"20h\"\nstart = \"2026-01\"\n"),
        (TL, "date,contract,minutes\n2026-11-02,acme,30\n"),
    ]);
    let want = ["contracts/acme.toml:1:22: invalid TOML: invalid basic string, expected `\"`"];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
    run(l.path(), &["contracts", "--month", "2026-11"]).code(1).stderr(predicate::str::contains(want[0]));
}

#[test]
fn duplicate_key_in_a_contract() {
    let l = small_ledger(&[(
        "contracts/acme.toml",
        "customer = \"ACME GmbH\"\ntier = \"20h\"\ntier = \"30h\"\nstart = \"2026-01\"\n",
    )]);
    check_fails(l.path(), &["contracts/acme.toml:3:1: invalid TOML: duplicate key"]);
}

#[test]
fn malformed_settings() {
    let l = small_ledger(&[("supportctl.toml", "currency = EUR\n")]);
    let want = ["supportctl.toml:1:12: invalid TOML: string values must be quoted, expected literal string"];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

// ---------------------------------------------------------------------------
// Approvals

#[test]
fn approval_for_an_unknown_contract() {
    let l =
        small_ledger(&[("approvals.csv", "date,contract,month,minutes,reference\n2026-11-20,acne,2026-11,60,SD-1\n")]);
    let want = ["approvals.csv:2: contract: unknown contract \"acne\" (did you mean \"acme\"?)"];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn approval_for_a_month_where_the_contract_is_inactive() {
    let l =
        small_ledger(&[("approvals.csv", "date,contract,month,minutes,reference\n2026-11-20,beta,2026-11,60,SD-1\n")]);
    let want = ["approvals.csv:2: contract: \"beta\" is not active in 2026-11 (active 2026-01 to 2026-10)"];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-11", &want);
}

#[test]
fn approval_without_reference() {
    let l = small_ledger(&[("approvals.csv", "date,contract,month,minutes,reference\n2026-10-20,beta,2026-10,60,\n")]);
    check_fails(
        l.path(),
        &["approvals.csv:2: reference: is empty; an approval needs the ticket or e-mail where the customer agreed"],
    );
}

// ---------------------------------------------------------------------------
// Warnings: exit 0

#[test]
fn fee_below_min_monthly_fee_is_a_warning() {
    let l = small_ledger(&[("supportctl.toml", "min_monthly_fee = \"2500\"\n")]);
    check_warns(
        l.path(),
        &[
            "contracts/acme.toml: warning: fee 2000.00 from 2026-01 is below min_monthly_fee 2500.00",
            "contracts/beta.toml: warning: fee 1600.00 from 2026-01 is below min_monthly_fee 2500.00",
        ],
    );
    // The report still runs.
    run(l.path(), &["report", "--month", "2026-10", "--format", "json"]).success();
}

#[test]
fn fee_at_min_monthly_fee_is_no_warning() {
    let l = small_ledger(&[("supportctl.toml", "min_monthly_fee = \"1600\"\n")]);
    check_warns(l.path(), &[]);
}

#[test]
fn approvals_beyond_the_overage_are_a_warning_and_the_surplus_is_not_invoiced() {
    let l = small_ledger(&[
        (TL, "date,contract,minutes\n2026-11-02,acme,1200\n2026-11-03,acme,60\n"),
        (
            "approvals.csv",
            "date,contract,month,minutes,reference\n2026-11-20,acme,2026-11,30,SD-1\n2026-11-21,acme,2026-11,60,SD-2\n",
        ),
    ]);
    check_warns(
        l.path(),
        &["approvals.csv:3: warning: acme 2026-11: 1:30 approved but the overage is 1:00; the surplus is not invoiced"],
    );
    let a = run(l.path(), &["report", "--month", "2026-11", "--format", "json"]).success();
    let r: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    let acme = &r["contracts"][0];
    assert_eq!(acme["approved_minutes"], 90);
    assert_eq!(acme["approved_overage_minutes"], 60);
    assert_eq!(acme["unapproved_overage_minutes"], 0);
    assert_eq!(acme["overage_amount"], "100.00");
    assert_eq!(acme["gross"], "2499.00");
}

// ---------------------------------------------------------------------------
// E-invoice settings and the invoice register (checked by `check`; what is
// missing matters only to `invoice`, see tests/invoice.rs and the unit tests
// of read::parties)

const SELLER: &str = "[seller]\nname = \"Beispiel Consulting GmbH\"\nstreet = \"Musterstrasse 1\"\npostcode = \"10115\"\ncity = \"Berlin\"\ncountry = \"DE\"\nvat_id = \"DE123456789\"\nemail = \"rechnung@beispiel.example\"\ncontact_name = \"Erika Mustermann\"\ncontact_phone = \"+49 30 1234567\"\ncontact_email = \"support@beispiel.example\"\niban = \"DE75 5121 0800 1245 1261 99\"\n";

#[test]
fn a_ledger_without_seller_or_with_an_incomplete_one_passes_check() {
    check_warns(small_ledger::<&str>(&[]).path(), &[]);
    check_warns(small_ledger(&[("supportctl.toml", "[seller]\nname = \"Beispiel GmbH\"\n")]).path(), &[]);
    check_warns(small_ledger(&[("supportctl.toml", SELLER)]).path(), &[]);
}

#[test]
fn seller_values_that_are_malformed() {
    let src = SELLER
        .replace("DE75 5121 0800 1245 1261 99", "DE75 5121 0800 1245 1261 98")
        .replace("country = \"DE\"", "country = \"Germany\"")
        .replace("rechnung@beispiel.example", "rechnung@beispiel")
        .replace("DE123456789", "DE12345678")
        + "bic = \"COBADEFF1\"\npayment_days = 400\nnumber_prefix = \"RE/\"\n";
    let l = small_ledger(&[("supportctl.toml", src.as_str())]);
    check_fails(
        l.path(),
        &[
            "supportctl.toml:6:11: seller.country: \"Germany\" is not an ISO 3166-1 alpha-2 country code such as \"DE\"",
            "supportctl.toml:7:10: seller.vat_id: \"DE12345678\" does not have the shape of a DE VAT id (DE111111111)",
            "supportctl.toml:8:9: seller.email: \"rechnung@beispiel\" is not an e-mail address (expected name@domain.tld)",
            "supportctl.toml:12:8: seller.iban: \"DE75 5121 0800 1245 1261 98\" fails the IBAN check digits (mod 97): a typo?",
            "supportctl.toml:13:7: seller.bic: \"COBADEFF1\" is not a BIC (8 or 11 letters and digits, e.g. \"COBADEFFXXX\")",
            "supportctl.toml:14:16: seller.payment_days: 400 is not a number of days from 0 to 365",
            "supportctl.toml:15:17: seller.number_prefix: \"RE/\" is not a safe start of a file name (up to 20 letters, digits, -, _ or ., not starting with .)",
        ],
    );
    // Values of present keys are judged by check only: a report still runs.
    run(l.path(), &["report", "--month", "2026-10", "--format", "json"]).success();
}

#[test]
fn seller_iban_length_and_vat_id_of_another_country() {
    let src =
        SELLER.replace("DE75 5121 0800 1245 1261 99", "DE75 5121 0800 1245 1261").replace("DE123456789", "ATU12345678");
    check_fails(
        small_ledger(&[("supportctl.toml", src.as_str())]).path(),
        &[
            "supportctl.toml:7:10: seller.vat_id: \"ATU12345678\" is a VAT id of AT, but country is \"DE\" (expected an id starting with DE)",
            "supportctl.toml:12:8: seller.iban: \"DE75 5121 0800 1245 1261\" has 20 characters; an IBAN of DE has 22",
        ],
    );
}

#[test]
fn seller_unknown_key_and_wrong_types() {
    let src = format!("{SELLER}ibn = \"x\"\npayment_days = \"14\"\ncontact_phone = 30\n")
        .replace("contact_phone = \"+49 30 1234567\"\n", "");
    let want = [
        "supportctl.toml:12:1: ibn: unknown key in [seller] (did you mean \"iban\"?)",
        "supportctl.toml:13:16: seller.payment_days: expected a whole number of days, e.g. 14",
        "supportctl.toml:14:17: seller.contact_phone: expected a string",
    ];
    let l = small_ledger(&[("supportctl.toml", src.as_str())]);
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-10", &want);
    let l = small_ledger(&[("supportctl.toml", "seller = \"Beispiel GmbH\"\n")]);
    check_fails(l.path(), &["supportctl.toml:1:10: seller: expected a [seller] table"]);
}

#[test]
fn buyer_values_that_are_malformed() {
    let acme = format!(
        "{ACME}[buyer]\nstreet = \"Beispielweg 5\"\npostcode = \"8033\"\ncity = \"München\"\ncountry = \"UK\"\nemail = \"ap acme.example\"\nvat_id = \"DE 123\"\n"
    );
    check_fails(
        small_ledger(&[("contracts/acme.toml", acme.as_str())]).path(),
        &[
            "contracts/acme.toml:8:11: buyer.country: \"UK\" is not an ISO 3166-1 alpha-2 country code such as \"DE\" (the United Kingdom is \"GB\")",
            "contracts/acme.toml:10:10: buyer.vat_id: \"DE 123\" is not a VAT identification number (expected a country prefix and the national number, e.g. \"DE123456789\")",
            "contracts/acme.toml:9:9: buyer.email: \"ap acme.example\" is not an e-mail address (expected name@domain.tld)",
        ],
    );
    // An unknown key makes the contract unreadable, like any other.
    let acme = format!("{ACME}[buyer]\nrefrence = \"PO-1\"\n");
    let l = small_ledger(&[("contracts/acme.toml", acme.as_str())]);
    let want = ["contracts/acme.toml:5:1: refrence: unknown key in [buyer] (did you mean \"reference\"?)"];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-10", &want);
    let acme = format!("{ACME}[buyer]\npostcode = \"8033\"\ncountry = \"DE\"\n");
    check_fails(
        small_ledger(&[("contracts/acme.toml", acme.as_str())]).path(),
        &["contracts/acme.toml:5:12: buyer.postcode: \"8033\" is not a postcode of DE (5 digits)"],
    );
}

#[test]
fn vat_category_values_and_rates() {
    let l = small_ledger(&[("contracts/acme.toml", format!("{ACME}vat_category = \"RC\"\n"))]);
    let want = [
        "contracts/acme.toml:4:16: vat_category: \"RC\" is not one of \"S\" (standard), \"AE\" (reverse charge), \"E\" (exempt)",
    ];
    check_fails(l.path(), &want);
    report_fails(l.path(), "2026-10", &want);
    let l = small_ledger(&[("contracts/acme.toml", format!("{ACME}vat_rate = \"0\"\nvat_category = \"S\"\n"))]);
    check_fails(
        l.path(),
        &[
            "contracts/acme.toml:4:12: vat_rate: is 0 but vat_category is \"S\" (standard rate); use \"AE\" (reverse charge) or \"E\" (exempt), or a rate above 0",
        ],
    );
    let l = small_ledger(&[(
        "contracts/acme.toml",
        format!("{ACME}vat_category = \"AE\"\n[[change]]\nfrom = \"2026-07\"\nvat_rate = \"0\"\n"),
    )]);
    check_fails(
        l.path(),
        &[
            "contracts/acme.toml:4:16: vat_rate: the ledger's default from 2026-01 on is 19 but vat_category is \"AE\", which has no VAT; set vat_rate = \"0\"",
        ],
    );
    let l = small_ledger(&[(
        "contracts/acme.toml",
        format!("{ACME}vat_rate = \"0\"\nvat_category = \"AE\"\nvat_exemption_reason = \"x\"\n"),
    )]);
    check_fails(
        l.path(),
        &[
            "contracts/acme.toml:6:24: vat_exemption_reason: only for vat_category = \"E\" (reverse charge states its own reason)",
        ],
    );
    // A rate of 0 without a category is judged when invoicing, not by check.
    check_warns(small_ledger(&[("contracts/acme.toml", format!("{ACME}vat_rate = \"0\"\n"))]).path(), &[]);
}

const REGISTER_HEADER: &str = "number,issued,contract,month,type,net,vat,gross,file,sha256,id\n";

fn sha_hex(content: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(content.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A register row for invoice file `invoices/<number>.xml` holding `content`.
fn register_row(number: &str, issued: &str, contract: &str, content: &str) -> String {
    let sha = sha_hex(content);
    format!("{number},{issued},{contract},2026-10,380,2000.00,380.00,2380.00,invoices/{number}.xml,{sha},\n")
}

#[test]
fn the_register_numbers_twice_after_a_merge_and_gaps() {
    let rows = [
        register_row("RE-2026-0001", "2026-11-02", "acme", "<a/>"),
        register_row("RE-2026-0002", "2026-11-02", "beta", "<b/>"),
        register_row("RE-2026-0002", "2026-11-03", "acme", "<b/>"),
        register_row("RE-2026-0005", "2026-11-04", "gamma", "<d/>"),
    ];
    let l = small_ledger(&[
        ("invoices.csv", format!("{REGISTER_HEADER}{}", rows.concat())),
        ("invoices/RE-2026-0001.xml", "<a/>".into()),
        ("invoices/RE-2026-0002.xml", "<b/>".into()),
        ("invoices/RE-2026-0005.xml", "<d/>".into()),
    ]);
    check_fails(
        l.path(),
        &[
            "invoices.csv:4: number: RE-2026-0002 is already used at line 3; an invoice number is never issued twice (two copies of the ledger that both invoiced, merged?)",
            "invoices.csv:4: contract: acme 2026-10 is already invoiced as RE-2026-0001 at line 2; one invoice per contract and month",
            "invoices.csv:5: number: RE-2026-0005 follows a gap: RE-2026-0003 to RE-2026-0004 missing; numbers are gapless per year (a row removed?)",
        ],
    );
}

#[test]
fn the_register_names_missing_and_changed_invoice_files() {
    let rows = [
        register_row("RE-2026-0001", "2026-11-02", "acme", "<a/>"),
        register_row("RE-2026-0002", "2026-11-02", "beta", "<b/>"),
    ];
    let l = small_ledger(&[
        ("invoices.csv", format!("{REGISTER_HEADER}{}", rows.concat())),
        ("invoices/RE-2026-0002.xml", "<b changed=\"yes\"/>".to_string()),
    ]);
    let want = [
        "invoices.csv:2: file: invoices/RE-2026-0001.xml of invoice RE-2026-0001 is missing; `supportctl invoice --month 2026-10 --contract acme` writes it again".to_string(),
        format!(
            "invoices.csv:3: sha256: invoices/RE-2026-0002.xml has SHA-256 {}, the register {}: the invoice RE-2026-0002 was changed after it was issued",
            sha_hex("<b changed=\"yes\"/>"),
            sha_hex("<b/>")
        ),
    ];
    check_fails(l.path(), &want.iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn register_rows_that_do_not_read() {
    let sha = sha_hex("<a/>");
    let l = small_ledger(&[(
        "invoices.csv",
        format!(
            "{REGISTER_HEADER}RE-2026-0001,2026-11-02,acme,2026-10,381,2000.00,380.00,2380.00,invoices/RE-2026-0001.xml,{sha},\nRE-2026-0002,2026-11-02,beta,2026-10,380,2000.00,380.00,2380.01,invoices/RE-2026-0002.xml,{sha},\nRE-2026-3,2026-11-02,beta,2026-10,380,2000.00,380.00,2380.00,x.xml,{sha},\n"
        ),
    )]);
    check_fails(
        l.path(),
        &[
            "invoices.csv:2: type: 381 with gross 2380.00; a credit note (381) is exactly an invoice whose total is negative",
            "invoices.csv:3: gross: 2380.01 is not net 2000.00 + vat 380.00",
            "invoices.csv:4: number: \"RE-2026-3\" is not an invoice number (a prefix, the year, - and a four-digit sequence, e.g. RE-2026-0001)",
        ],
    );
}

#[test]
fn a_temporary_invoice_file_left_behind_is_a_warning() {
    let l = small_ledger(&[("invoices/.RE-2026-0001.xml.tmp-4242", "<x/>")]);
    check_warns(
        l.path(),
        &[
            "invoices/.RE-2026-0001.xml.tmp-4242: warning: left by an interrupted write of an invoice; remove it (`supportctl invoice` writes a missing invoice again)",
        ],
    );
}

// ---------------------------------------------------------------------------
// statement (customer statements)

/// `statement ARGS` fails with exit 1, no output, and exactly these stderr lines.
fn statement_fails(ledger: &Path, args: &[&str], want: &[&str]) {
    let mut all = vec!["statement"];
    all.extend_from_slice(args);
    let a = run(ledger, &all).code(1);
    assert_eq!(stdout(&a), "", "no statement printed");
    assert_eq!(stderr(&a).lines().collect::<Vec<_>>(), want, "stderr:\n{}", stderr(&a));
}

#[test]
fn statement_of_an_unknown_contract_names_the_closest() {
    let l = small_ledger::<&str>(&[]);
    statement_fails(
        l.path(),
        &["--contract", "acem", "--month", "2026-11"],
        &["error: --contract: unknown contract \"acem\" (did you mean \"acme\"?)"],
    );
}

#[test]
fn statement_of_a_contract_not_active_in_the_month() {
    let l = small_ledger::<&str>(&[]);
    statement_fails(
        l.path(),
        &["--contract", "beta", "--month", "2026-11"],
        &[
            "error: --contract: \"beta\" is not active in 2026-11 (active 2026-01 to 2026-10) and has no corrections dated in 2026-11: there is nothing to state",
        ],
    );
}

#[test]
fn statement_with_an_error_in_a_month_of_its_chart() {
    // May lies in November's chart (December to November): the statement
    // refuses as `report --month 2026-05` does.
    let l = small_ledger(&[("timelog/2026-05.csv", "date,contract,minutes\n2026-05-04,acme,1.5\n")]);
    let want = ["timelog/2026-05.csv:2: minutes: \"1.5\" is not a whole number of minutes"];
    statement_fails(
        l.path(),
        &["--contract", "acme", "--month", "2026-11"],
        &[
            want[0],
            "error: no statement for 2026-11: 1 error in the ledger, and figures computed from part of the data would be wrong (see `supportctl check`)",
        ],
    );
    report_fails(l.path(), "2026-05", &want);
}

#[test]
fn statement_output_where_no_folder_can_be_made() {
    let l = small_ledger::<&str>(&[("not-a-folder", "x")]);
    let out = l.path().join("not-a-folder/acme.html");
    let a =
        run(l.path(), &["statement", "--contract", "acme", "--month", "2026-11", "--output", out.to_str().unwrap()])
            .code(1);
    assert_eq!(stdout(&a), "");
    let shown = stderr(&a).replace(&l.path().display().to_string(), "LEDGER");
    assert!(shown.starts_with("error: cannot create LEDGER/not-a-folder; nothing was written: "), "{shown}");
    assert_eq!(std::fs::read_to_string(l.path().join("not-a-folder")).unwrap(), "x");
}

// ---------------------------------------------------------------------------
// Month closing and corrections: what `check` finds, and every refusal of
// `close`, `verify`, `correct`, and of `log` and `approve` in a closed month
// (each leaves the ledger byte for byte as it was)

/// acme used 1,300 of its 1,200 minutes in October (100 unapproved), beta
/// 100 of 960; nothing closed yet.
fn october() -> tempfile::TempDir {
    small_ledger(&[("timelog/2026-10.csv", "date,contract,minutes\n2026-10-05,acme,1300\n2026-10-06,beta,100\n")])
}

/// Runs a command with the clock and the engineer pinned.
fn pinned(ledger: &Path, args: &[&str]) -> Assert {
    run_with(ledger, args, |c, _| {
        c.env("SUPPORTCTL_NOW", "2026-11-27T10:00:00+01:00").env("SUPPORTCTL_ENGINEER", "anna");
    })
}

/// `args` exits 1 with exactly `want` on stderr and nothing on stdout,
/// leaving every file as it was.
fn refused_with(ledger: &Path, args: &[&str], want: &[&str]) {
    let before = tree(ledger);
    let a = pinned(ledger, args).code(1).stdout(predicate::str::is_empty());
    assert_eq!(stderr(&a).lines().collect::<Vec<_>>(), want, "{args:?}");
    assert_eq!(tree(ledger), before, "{args:?} changed the ledger");
}

fn closed_october() -> tempfile::TempDir {
    let l = october();
    pinned(l.path(), &["close", "--month", "2026-10", "--write-off"]).success();
    l
}

#[test]
fn close_refusals() {
    let l = october();
    refused_with(
        l.path(),
        &["close", "--month", "2026-11"],
        &[
            "error: 2026-11 has not ended yet (today is 2026-11-27); a month is closed once it is over; nothing was written",
        ],
    );
    refused_with(
        l.path(),
        &["close", "--month", "2026-10"],
        &[
            "error: acme: 1:40 of 1:40 overage in 2026-10 is not approved; record the customer's agreement with `supportctl approve acme 1:40 --month 2026-10 --ref …`",
            "error: 2026-10 is not closed: 1 contract has unapproved overage; approve it, or close with --write-off to record it as never invoiced; nothing was written",
        ],
    );
    let l = closed_october();
    refused_with(
        l.path(),
        &["close", "--month", "2026-10"],
        &[
            "error: 2026-10 is closed already (closings/2026-10.toml on 2026-11-27T10:00:00+01:00 by anna); change it with `supportctl correct … --month 2026-10`; nothing was written",
        ],
    );
}

#[test]
fn log_and_approve_in_a_closed_month() {
    let l = closed_october();
    refused_with(
        l.path(),
        &["log", "acme", "30m", "--date", "2026-10-30"],
        &[
            "error: 2026-10 is closed (closings/2026-10.toml): its time log is final; record the work as a correction billed in an open month: `supportctl correct acme 30m --month 2026-10 --reason \"…\"`; nothing was written",
        ],
    );
    refused_with(
        l.path(),
        &["approve", "acme", "30m", "--month", "2026-10", "--ref", "x"],
        &[
            "error: 2026-10 is closed (closings/2026-10.toml): its approvals are final, and overage agreed after the closing is not invoiced; to change what 2026-10 bills, record a correction: `supportctl correct acme … --month 2026-10 --reason \"…\"`; nothing was written",
        ],
    );
}

#[test]
fn correct_refusals() {
    let l = october();
    refused_with(
        l.path(),
        &["correct", "acme", "30m", "--month", "2026-10", "--reason", "x"],
        &[
            "error: 2026-10 is not closed; corrections are for closed months: log the time in 2026-10 with `supportctl log acme 30m --date …`; nothing was written",
        ],
    );
    let l = closed_october();
    refused_with(
        l.path(),
        &["correct", "acme", "30m", "--month", "2026-10", "--reason", "x", "--date", "2026-10-30"],
        &[
            "error: --date 2026-10-30 is not after 2026-10: a correction is recorded in a later, open month (the month that bills it); nothing was written",
        ],
    );
    refused_with(
        l.path(),
        &["correct", "acme", "-24h", "--month", "2026-10", "--reason", "x"],
        &["error: -24:00 would take 2026-10's used time below zero: 21:40 used at closing; nothing was written"],
    );
    common::write(l.path(), "contracts/gamma.toml", "customer = \"G\"\ntier = \"16h\"\nstart = \"2026-11\"\n");
    refused_with(
        l.path(),
        &["correct", "gamma", "30m", "--month", "2026-10", "--reason", "x"],
        &[
            "error: gamma is not in the closing of 2026-10 (closings/2026-10.toml): it was not active then, so there is nothing to correct; nothing was written",
        ],
    );
}

#[test]
fn verify_of_a_month_not_closed() {
    refused_with(
        october().path(),
        &["verify", "--month", "2026-10"],
        &[
            "error: 2026-10 is not closed (there is no closings/2026-10.toml); close it with `supportctl close --month 2026-10`",
        ],
    );
}

#[test]
fn corrections_file_rows() {
    let l = closed_october();
    common::write(l.path(), "contracts/gamma.toml", "customer = \"G\"\ntier = \"16h\"\nstart = \"2026-11\"\n");
    common::write(
        l.path(),
        "corrections.csv",
        "date,contract,month,minutes,reason,ticket,engineer,id\n\
         2026-11-03,acme,2026-10,0,x,,,\n\
         2026-11-03,acme,2026-10,+30,x,,,\n\
         2026-11-03,acme,2026-10,30,,,,\n\
         2026-10-20,acme,2026-10,30,x,,,\n\
         2026-11-03,acme,2026-9,30,x,,,\n\
         2026-11-03,acem,2026-10,30,x,,,\n\
         2026-11-03,acme,2026-09,30,x,,,\n\
         2026-11-03,gamma,2026-10,30,x,,,\n",
    );
    check_fails(
        l.path(),
        &[
            "corrections.csv:2: minutes: \"0\" corrects nothing; use a number of minutes other than 0",
            "corrections.csv:3: minutes: \"+30\" is not a whole number of minutes (e.g. 120 or -45)",
            "corrections.csv:4: reason: is empty; a correction says why (the forgotten call, the entry booked to the wrong customer)",
            "corrections.csv:5: date: 2026-10-20 is not after the month it corrects (2026-10); a correction is recorded in a later, open month",
            "corrections.csv:6: month: \"2026-9\" is not a month (expected YYYY-MM)",
            "corrections.csv:7: contract: unknown contract \"acem\" (did you mean \"acme\"?)",
            "corrections.csv:8: month: 2026-09 is not closed; corrections are for closed months (log the time in 2026-09 with `supportctl log`)",
            "corrections.csv:9: contract: \"gamma\" is not in the closing of 2026-10 (it was not active then)",
        ],
    );
    // The report of the month that bills them refuses too.
    pinned(l.path(), &["report", "--month", "2026-11"]).code(1).stdout(predicate::str::is_empty());
}

#[test]
fn corrections_taking_away_more_than_was_used() {
    let l = closed_october();
    common::write(
        l.path(),
        "corrections.csv",
        "date,contract,month,minutes,reason,ticket,engineer,id\n2026-11-03,beta,2026-10,-60,x,,,\n2026-11-04,beta,2026-10,-60,y,,,\n",
    );
    check_fails(
        l.path(),
        &["corrections.csv:3: minutes: the corrections of beta 2026-10 take away more than its 100 minutes used"],
    );
}

#[test]
fn files_in_the_closings_folder() {
    let l = closed_october();
    common::write(l.path(), "closings/notes.txt", "x");
    common::write(l.path(), "closings/.2026-10.toml.tmp-123", "x");
    check_fails(
        l.path(),
        &[
            "closings/.2026-10.toml.tmp-123: warning: a temporary file left by an interrupted write (a crash during `supportctl close`?); remove it",
            "closings/notes.txt: not a closing: closings/ holds only the YYYY-MM.toml files `supportctl close` writes; move it out",
        ],
    );
}

#[test]
fn a_damaged_closing_file() {
    let l = closed_october();
    common::write(l.path(), "closings/2026-09.toml", "month = \"2026-09\"\nclosed_at = 5\n");
    check_fails(
        l.path(),
        &[
            "closings/2026-09.toml:2:13: closed_at: expected a string, found integer 5",
            "closings/2026-09.toml:1:1: closed_by: missing",
            "closings/2026-09.toml:1:1: currency: missing",
            "closings/2026-09.toml:1:1: totals: missing",
        ],
    );
}

#[test]
fn differences_from_a_closing() {
    let l = closed_october();
    // A late row (a git merge), changed terms, an edited closing figure.
    common::append(l.path(), "timelog/2026-10.csv", "2026-10-30,beta,45\n");
    common::write(l.path(), "contracts/acme.toml", "customer = \"ACME GmbH\"\ntier = \"30h\"\nstart = \"2026-01\"\n");
    check_fails(
        l.path(),
        &[
            "contracts/acme.toml: closed month 2026-10, acme: tier: \"20h\" at closing, \"30h\" now",
            "contracts/acme.toml: closed month 2026-10, acme: hours: 20 at closing, 30 now",
            "contracts/acme.toml: closed month 2026-10, acme: quota_minutes: 1200 at closing, 1800 now",
            "contracts/acme.toml: closed month 2026-10, acme: forfeited_minutes: 0 at closing, 500 now",
            "contracts/acme.toml: closed month 2026-10, acme: overage_minutes: 100 at closing, 0 now",
            "contracts/acme.toml: closed month 2026-10, acme: unapproved_overage_minutes: 100 at closing, 0 now",
            "contracts/acme.toml: closed month 2026-10, acme: written_off_minutes: 100 at closing, 0 now",
            "contracts/acme.toml: closed month 2026-10, acme: fee: \"2000.00\" at closing, \"3000.00\" now",
            "contracts/acme.toml: closed month 2026-10, acme: net: \"2000.00\" at closing, \"3000.00\" now",
            "contracts/acme.toml: closed month 2026-10, acme: vat: \"380.00\" at closing, \"570.00\" now",
            "contracts/acme.toml: closed month 2026-10, acme: gross: \"2380.00\" at closing, \"3570.00\" now",
            "timelog/2026-10.csv:4: closed month 2026-10, beta: this entry (2026-10-30, 0:45) arrived after 2026-10 was closed (a git merge?); remove it and record it with `supportctl correct beta 45m --month 2026-10 --reason \"…\"`",
            "timelog/2026-10.csv: closed month 2026-10, beta: used_minutes: 100 at closing, 145 now",
            "timelog/2026-10.csv: closed month 2026-10, beta: forfeited_minutes: 860 at closing, 815 now",
        ],
    );
}

// ---------------------------------------------------------------------------
// Import from Jira and Tempo; tier advice

/// `import` fails (exit 1) with exactly this stderr and writes nothing.
fn import_fails(ledger: &Path, args: &[&str], want: &str) {
    let before = tree(ledger);
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    let a = run(ledger, &all).code(1);
    assert_eq!(stderr(&a), want);
    assert_eq!(tree(ledger), before, "nothing written");
}

/// acme listing project SD, and `export.jsonl` holding `content`.
fn import_ledger(content: &str) -> tempfile::TempDir {
    small_ledger(&[
        ("contracts/acme.toml", format!("{ACME}jira_projects = [\"SD\"]\n").as_str()),
        ("export.jsonl", content),
    ])
}

const WORKLOG: &str =
    r#"{"id": "1", "issueKey": "SD-1", "started": "2026-11-02T10:00:00.000+0100", "timeSpentSeconds": 60}"#;

#[test]
fn jira_projects_that_are_not_project_keys() {
    let l = small_ledger(&[("contracts/acme.toml", format!("{ACME}jira_projects = [\"SD\", \"S D\", \"sd\"]\n"))]);
    check_fails(
        l.path(),
        &[
            "contracts/acme.toml:4:17: jira_projects: \"S D\" is not a Jira project key (a letter, then letters, digits or _, e.g. \"SD\")",
            "contracts/acme.toml:4:17: jira_projects: \"sd\" is listed twice",
        ],
    );
}

#[test]
fn jira_project_listed_by_two_contracts_is_a_warning() {
    let l = small_ledger(&[
        ("contracts/acme.toml", format!("{ACME}jira_projects = [\"SD\"]\n")),
        ("contracts/beta.toml", format!("{BETA}jira_projects = [\"sd\"]\n")),
    ]);
    check_warns(
        l.path(),
        &[
            "contracts/acme.toml: warning: jira_projects: SD is listed by acme, beta; `import` refuses its worklogs until one contract lists it",
            "contracts/beta.toml: warning: jira_projects: SD is listed by acme, beta; `import` refuses its worklogs until one contract lists it",
        ],
    );
}

#[test]
fn import_of_a_file_that_is_not_json_lines() {
    let l = import_ledger(&format!("{WORKLOG}\nSD-2,60\n"));
    let file = l.path().join("export.jsonl");
    import_fails(
        l.path(),
        &["jira-worklogs", file.to_str().unwrap(), "--apply"],
        &format!(
            "error: {}:2:1: expected a worklog object on each line; found text that is not JSON; nothing was written\n",
            file.display()
        ),
    );
}

#[test]
fn import_of_an_array_with_an_element_that_is_not_an_object() {
    let l = import_ledger(&format!("[\n{WORKLOG},\n\"SD-2\"\n]\n"));
    let file = l.path().join("export.jsonl");
    import_fails(
        l.path(),
        &["jira-worklogs", file.to_str().unwrap()],
        &format!(
            "error: {}:3:1: [1]: expected a worklog object; found a string; nothing was written\n",
            file.display()
        ),
    );
}

#[test]
fn import_of_json_with_a_syntax_error() {
    let l = import_ledger(&format!("{{\"worklogs\": [\n{WORKLOG}\n{WORKLOG}]}}\n"));
    let file = l.path().join("export.jsonl");
    import_fails(
        l.path(),
        &["tempo", file.to_str().unwrap()],
        &format!("error: {}:3:1: expected `,` or `]`; nothing was written\n", file.display()),
    );
}

#[test]
fn import_with_an_issues_file_that_has_errors() {
    let l = import_ledger(WORKLOG);
    write(l.path(), "issues.csv", "id,key\n10030,SD 1\n");
    let file = l.path().join("export.jsonl");
    let issues = l.path().join("issues.csv");
    import_fails(
        l.path(),
        &["jira-worklogs", file.to_str().unwrap(), "--issues", issues.to_str().unwrap()],
        &format!(
            "{0}:2: key: \"SD 1\" is not an issue key (such as SD-123)\nerror: {0} has errors; nothing was written\n",
            issues.display()
        ),
    );
}

#[test]
fn import_into_a_ledger_whose_contracts_have_errors() {
    let l = import_ledger(WORKLOG);
    write(l.path(), "contracts/beta.toml", "customer = \"B\"\ntier = \"16h\"\nstart = \"2026-1\"\n");
    let file = l.path().join("export.jsonl");
    import_fails(
        l.path(),
        &["jira-worklogs", file.to_str().unwrap(), "--apply"],
        "contracts/beta.toml:3:9: start: \"2026-1\" is not a month (expected YYYY-MM)\nerror: cannot import: the settings or contracts have errors; fix them first (see `supportctl check`); nothing was written\n",
    );
}

#[test]
fn import_into_a_time_log_with_a_quote_left_open() {
    let l = import_ledger(WORKLOG);
    write(l.path(), TL, "date,contract,minutes,note,id\n2026-11-02,acme,5,\"open\n2026-11-03,acme,5,x,\n");
    let file = l.path().join("export.jsonl");
    import_fails(
        l.path(),
        &["jira-worklogs", file.to_str().unwrap(), "--apply"],
        "timelog/2026-11.csv:2: note: a quoted field runs over a line break (a quote left open?); fields may not contain line breaks, so this swallows the lines after it\nerror: cannot import: 1 error in the time log, which could hide rows imported before; fix it first (see `supportctl check`); nothing was written\n",
    );
}

#[test]
fn advise_for_an_unknown_contract() {
    let l = small_ledger::<&str>(&[]);
    let a = run(l.path(), &["advise", "--contract", "acm"]).code(1);
    assert_eq!(stderr(&a), "error: --contract: unknown contract \"acm\" (did you mean \"acme\"?)\n");
}
