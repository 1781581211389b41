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
