//! `supportctl statement` (SPEC §10) without a browser: its figures against
//! `report --format json` and `sla --format json` of the same months, the
//! chart's months, the entries, both languages, escaping in HTML and
//! Markdown, the CSV columns, `--output` and `--all`, refusals. The rendered
//! page itself is checked in Chromium by `tests/statement_browser.rs`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use predicates::prelude::*;
use serde::Deserialize;

/// Pins "now" too, so that `sla` and `statement` judge open tickets alike.
const NOW: &str = "2026-11-27T12:00:00+01:00";

fn run_pinned(ledger: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    let elsewhere = tempfile::tempdir().unwrap();
    let mut all = vec!["--ledger", ledger.to_str().unwrap()];
    all.extend_from_slice(args);
    run_with(elsewhere.path(), &all, |cmd, _| {
        cmd.env("SUPPORTCTL_NOW", NOW);
    })
}

fn statement(ledger: &Path, contract: &str, month: &str, format: &str) -> String {
    stdout(&run_pinned(ledger, &["statement", "--contract", contract, "--month", month, "--format", format]).success())
}

/// `report --format json` / `sla --format json`: every contract's fields by name.
#[derive(Deserialize)]
struct Report {
    month: String,
    contracts: Vec<BTreeMap<String, serde_json::Value>>,
}

fn report(ledger: &Path, month: &str) -> Report {
    let text = stdout(&run_pinned(ledger, &["report", "--month", month, "--format", "json"]).success());
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("report is not JSON ({e}):\n{text}"))
}

fn sla(ledger: &Path, month: &str) -> Report {
    let text = stdout(&run_pinned(ledger, &["sla", "--month", month, "--format", "json"]).success());
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("sla is not JSON ({e}):\n{text}"))
}

/// A JSON value as the page's `data-value` writes it (`null`: absent).
fn plain(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The values of attribute `value_attr` of every element with attribute
/// `key_attr`, by key (both attributes as the renderer writes them).
fn attributes(html: &str, key_attr: &str, value_attr: &str) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    let open = format!(" {key_attr}=\"");
    for (at, _) in html.match_indices(&open) {
        let rest = &html[at + open.len()..];
        let key = &rest[..rest.find('"').unwrap()];
        let tag_end = rest.find('>').unwrap();
        let tag = &rest[..tag_end];
        let value = tag.split_once(&format!(" {value_attr}=\"")).map(|(_, v)| v[..v.find('"').unwrap()].to_string());
        found.push((key.to_string(), value));
    }
    found
}

/// The chart's bars: (month, used minutes).
fn bars(html: &str) -> Vec<(String, u64)> {
    attributes(html, "data-month", "data-used-minutes")
        .into_iter()
        .map(|(m, used)| (m, used.unwrap().parse().unwrap()))
        .collect()
}

fn csv_rows(text: &str) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        ["date", "ticket", "kind", "level", "channel", "engineer", "note", "minutes_worked", "minutes_billed"]
    );
    r.records().map(Result::unwrap).collect()
}

#[test]
fn every_figure_is_the_reports_and_the_slas_on_the_demo_ledger() {
    let demo = demo_copy();
    let d = demo.path();
    let mut compared = 0;
    for month in ["2026-08", "2026-09", "2026-10", "2026-11"] {
        let report = report(d, month);
        let sla = sla(d, month);
        assert_eq!((report.month.as_str(), sla.month.as_str()), (month, month));
        for c in &report.contracts {
            let id = c["contract"].as_str().unwrap();
            let html = statement(d, id, month, "html");
            let figures: BTreeMap<String, Option<String>> =
                attributes(&html, "data-figure", "data-value").into_iter().collect();
            assert!(figures.len() >= 13, "{id} {month}: {figures:?}");
            for (key, value) in &figures {
                let want = plain(&c[key]);
                assert_eq!(value, &want, "{id} {month}: {key}");
                compared += 1;
            }
            // The SLA figures, when the contract had tickets in the month.
            let shown: BTreeMap<String, Option<String>> =
                attributes(&html, "data-sla", "data-value").into_iter().collect();
            match sla.contracts.iter().find(|s| s["contract"] == id) {
                Some(s) => {
                    assert!(!shown.is_empty(), "{id} {month}: no SLA figures shown");
                    for (key, value) in &shown {
                        assert_eq!(value, &plain(&s[key]), "{id} {month}: sla {key}");
                        compared += 1;
                    }
                }
                None => assert!(shown.is_empty() && html.contains("No tickets were received in this month.")),
            }
            // The entries: their billed time is the used time, their
            // nonbillable time the report's, and the chart's last bar too.
            let rows = csv_rows(&statement(d, id, month, "csv"));
            let sum = |nonbillable: bool, col: usize| -> u64 {
                rows.iter()
                    .filter(|r| (&r[2] == "nonbillable") == nonbillable)
                    .map(|r| r[col].parse::<u64>().unwrap())
                    .sum()
            };
            assert_eq!(sum(false, 8), c["used_minutes"].as_u64().unwrap(), "{id} {month}: billed");
            assert_eq!(sum(true, 7), c["nonbillable_minutes"].as_u64().unwrap(), "{id} {month}: nonbillable");
            assert_eq!(sum(true, 8), 0, "nonbillable entries bill 0:00");
            assert_eq!(html.matches("<tr class=\"entry\">").count(), rows.len());
            let last = bars(&html).pop().unwrap();
            assert_eq!(last, (month.to_string(), c["used_minutes"].as_u64().unwrap()));
        }
    }
    assert!(compared > 300, "{compared}");
}

#[test]
fn the_chart_has_the_twelve_months_up_to_the_month_each_with_the_reports_used_time() {
    let demo = demo_copy();
    let d = demo.path();
    // Hansa started in January 2026: twelve bars, December 2025 left out.
    let html = statement(d, "hansa-versicherung", "2026-12", "html");
    let b = bars(&html);
    let months: Vec<&str> = b.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(months.len(), 12);
    assert_eq!((months[0], months[11]), ("2026-01", "2026-12"));
    for (m, used) in &b {
        let r = report(d, m);
        let c = r.contracts.iter().find(|c| c["contract"] == "hansa-versicherung").unwrap();
        assert_eq!(Some(*used), c["used_minutes"].as_u64(), "{m}");
    }
    // Nordwind started in June 2026: six bars, oldest first.
    let months: Vec<String> =
        bars(&statement(d, "nordwind-energie", "2026-11", "html")).into_iter().map(|b| b.0).collect();
    assert_eq!(months, ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]);
    // A month further on: the window moves.
    let b = bars(&statement(d, "hansa-versicherung", "2027-03", "html"));
    assert_eq!((b.len(), b[0].0.as_str(), b[11].0.as_str()), (12, "2026-04", "2027-03"));
}

#[test]
fn approvals_with_their_references_and_escalations_with_their_estimates() {
    let demo = demo_copy();
    let d = demo.path();
    let md = statement(d, "hansa-versicherung", "2026-10", "markdown");
    assert!(md.contains("| 2026-10-27 | 2:00 | SD-1237 | First part, agreed in the ticket |"), "{md}");
    assert!(md.contains("| 2026-10-28 | 1:05 | mail 2026-10-28 from J. Weber |"), "{md}");
    let html = statement(d, "nordwind-energie", "2026-11", "html");
    // SD-1245: escalated on 2026-11-04 with "estimate 12h".
    let esc = html.split("<tr class=\"escalation\">").nth(1).unwrap();
    let esc = &esc[..esc.find("</tr>").unwrap()];
    for want in ["SD-1245", "2026-11-02", "2026-11-04", "12:00", "escalated"] {
        assert!(esc.contains(want), "{want} in {esc}");
    }
}

/// A ledger with the example of SPEC §5.1: acme, 20h, 23:30 used, 2:00 approved.
fn acme_ledger(locale: &str, note: &str) -> tempfile::TempDir {
    let note = note.replace('"', "\"\"");
    let log = format!(
        "date,contract,minutes,ticket,kind,level,channel,engineer,note,id\n\
         2026-11-03,acme,600,SD-1,support,2,desk,anna,\"{note}\",\n\
         2026-11-10,acme,570,SD-2,support,3,email,ben,Upgrade,\n\
         2026-11-11,acme,240,SD-2,escalation,3,phone,ben,Estimate,\n\
         2026-11-12,acme,45,,nonbillable,,,ben,Call,\n"
    );
    small_ledger(&[
        ("supportctl.toml", format!("locale = \"{locale}\"\n")),
        ("timelog/2026-11.csv", log),
        (
            "approvals.csv",
            "date,contract,month,minutes,reference,note,id\n2026-11-20,acme,2026-11,120,SD-2 & mail,ok,\n".to_string(),
        ),
    ])
}

#[test]
fn english_and_german_labels_dates_and_money() {
    let en = acme_ledger("en", "Fix");
    let html = statement(en.path(), "acme", "2026-11", "html");
    for want in [
        "<html lang=\"en\">",
        "Statement of work",
        "November 2026",
        "2026-11-03",
        "€2,000.00",
        "€200.00",
        "€2,200.00",
        "€418.00",
        "€2,618.00",
        "23:30",
        "Forfeited",
    ] {
        assert!(html.contains(want), "en: {want}");
    }
    let de = acme_ledger("de", "Fix");
    let html = statement(de.path(), "acme", "2026-11", "html");
    for want in [
        "<html lang=\"de\">",
        "Leistungsnachweis",
        "November 2026",
        "03.11.2026",
        "2.000,00 €",
        "200,00 €",
        "2.200,00 €",
        "418,00 €",
        "2.618,00 €",
        "19 %",
        "23:30",
        "Verfallen",
    ] {
        assert!(html.contains(want), "de: {want}");
    }
    assert!(!html.contains("2026-11-03") && !html.contains("Statement of work"));
    // The CSV is the same in every locale: ISO dates, whole minutes.
    assert_eq!(statement(en.path(), "acme", "2026-11", "csv"), statement(de.path(), "acme", "2026-11", "csv"));
    let md = statement(de.path(), "acme", "2026-11", "markdown");
    assert!(md.contains("# Leistungsnachweis November 2026") && md.contains("| 2.618,00 € |"), "{md}");
}

#[test]
fn csv_is_the_entries_with_exactly_the_columns() {
    let l = acme_ledger("de", "a, \"quoted\" note");
    let text = statement(l.path(), "acme", "2026-11", "csv");
    let rows = csv_rows(&text);
    let shown: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().collect()).collect();
    assert_eq!(
        shown,
        [
            vec!["2026-11-03", "SD-1", "support", "2", "desk", "anna", "a, \"quoted\" note", "600", "600"],
            vec!["2026-11-10", "SD-2", "support", "3", "email", "ben", "Upgrade", "570", "570"],
            vec!["2026-11-11", "SD-2", "escalation", "3", "phone", "ben", "Estimate", "240", "240"],
            vec!["2026-11-12", "", "nonbillable", "", "", "ben", "Call", "45", "0"],
        ]
    );
}

#[test]
fn html_is_self_contained_and_escapes_every_value() {
    let l = acme_ledger("en", "<script>alert(1)</script> & <b>bold</b>");
    let html = statement(l.path(), "acme", "2026-11", "html");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"), "{html}");
    assert!(html.contains("SD-2 &amp; mail"), "the approval's reference");
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "no script at all");
    assert!(!lower.contains("<b>"), "no markup from values");
    for fetch in ["src=", "href=", "@import", "<link", "<img", "<iframe", "<object", "http:", "https:", "//"] {
        assert!(!lower.contains(fetch), "{fetch} in the page");
    }
    // `url(` only for the chart's own pattern, by fragment.
    for (at, _) in lower.match_indices("url(") {
        assert!(lower[at..].starts_with("url(#"), "{}", &lower[at..at + 30]);
    }
    // Inline style and inline SVG, one file.
    assert!(html.contains("<style>") && html.contains("<svg class=\"plot\""));
    // The demo customer with an ampersand.
    let demo = demo_copy();
    let html = statement(demo.path(), "mueller-maschinenbau", "2026-11", "html");
    assert!(html.contains("Müller Maschinenbau GmbH &amp; Co. KG"));
}

#[test]
fn markdown_escapes_cells() {
    let l = acme_ledger("en", "a|b <script>alert(1)</script> & *x*");
    let md = statement(l.path(), "acme", "2026-11", "markdown");
    assert!(md.contains("| a\\|b &lt;script&gt;alert(1)&lt;/script&gt; &amp; \\*x\\* |"), "{md}");
    assert!(!md.contains("<script"));
    // Every table row has as many cells as its header: no pipe broke one.
    for table in md.split("\n\n").filter(|b| b.starts_with('|')) {
        let cells = |line: &str| line.replace("\\|", "").matches('|').count();
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines.iter().all(|l| cells(l) == cells(lines[0])), "{table}");
    }
    for section in [
        "## Work done",
        "## Time per ticket",
        "## Escalations",
        "## Approved overage",
        "## Corrections",
        "## Response times",
        "## Quota and forfeited time",
        "## Invoice summary",
    ] {
        assert!(md.contains(section), "{section}");
    }
}

#[test]
fn output_writes_the_file_replaces_it_and_leaves_it_on_error() {
    let l = acme_ledger("en", "Fix");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out/acme.html");
    let f = file.to_str().unwrap();
    let a = run_pinned(l.path(), &["statement", "--contract", "acme", "--month", "2026-11", "--output", f]).success();
    assert_eq!(stdout(&a), "");
    let first = std::fs::read_to_string(&file).unwrap();
    assert_eq!(first, statement(l.path(), "acme", "2026-11", "html"));
    // Again as Markdown: replaced.
    run_pinned(
        l.path(),
        &["statement", "--contract", "acme", "--month", "2026-11", "--format", "markdown", "--output", f],
    )
    .success();
    let second = std::fs::read_to_string(&file).unwrap();
    assert!(second.starts_with("# Statement of work"));
    // A broken ledger: refused, the file as it was, no temporary file left.
    append(l.path(), "timelog/2026-11.csv", "2026-11-13,acme,x,,,,,,,\n");
    let a = run_pinned(l.path(), &["statement", "--contract", "acme", "--month", "2026-11", "--output", f]).code(1);
    assert!(stderr(&a).contains("timelog/2026-11.csv:6: minutes: \"x\" is not a whole number of minutes"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), second);
    assert_eq!(std::fs::read_dir(file.parent().unwrap()).unwrap().count(), 1);
}

#[test]
fn output_failing_at_the_rename_leaves_the_old_file() {
    let l = acme_ledger("en", "Fix");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("acme.html");
    std::fs::write(&file, "old").unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let args = [
        "--ledger",
        l.path().to_str().unwrap(),
        "statement",
        "--contract",
        "acme",
        "--month",
        "2026-11",
        "--output",
        file.to_str().unwrap(),
    ];
    let a = run_with(elsewhere.path(), &args, |cmd, _| {
        cmd.env("SUPPORTCTL_FAILPOINT", "rename");
    })
    .code(1);
    assert!(stderr(&a).contains("nothing was written"), "{}", stderr(&a));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "old");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
}

#[test]
fn all_writes_one_file_per_contract_of_the_month() {
    let demo = demo_copy();
    let d = demo.path();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("statements");
    let a = run_pinned(d, &["statement", "--all", "--month", "2026-10", "--output", out.to_str().unwrap()]).success();
    assert_eq!(stdout(&a), "");
    let mut names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let want: Vec<String> = report(d, "2026-10")
        .contracts
        .iter()
        .map(|c| format!("statement-2026-10-{}.html", c["contract"].as_str().unwrap()))
        .collect();
    assert_eq!(names, want, "every contract active in the month, stadtwerke's last month included");
    for c in report(d, "2026-10").contracts {
        let id = c["contract"].as_str().unwrap();
        let written = std::fs::read_to_string(out.join(format!("statement-2026-10-{id}.html"))).unwrap();
        assert_eq!(written, statement(d, id, "2026-10", "html"), "{id}");
    }
    // As CSV, with the extension of the format.
    run_pinned(d, &["statement", "--all", "--month", "2026-11", "--format", "csv", "--output", out.to_str().unwrap()])
        .success();
    assert!(out.join("statement-2026-11-alpen-kliniken.csv").is_file());
    assert!(!out.join("statement-2026-11-stadtwerke-rheinpfalz.csv").exists(), "ended in October");
}

#[test]
fn refusals() {
    let demo = demo_copy();
    let d = demo.path();
    let a = run_pinned(d, &["statement", "--contract", "hansa", "--month", "2026-11"]).code(1);
    assert_eq!(stderr(&a), "error: --contract: unknown contract \"hansa\" (did you mean \"hansa-versicherung\"?)\n");
    let a = run_pinned(d, &["statement", "--contract", "stadtwerke-rheinpfalz", "--month", "2026-11"]).code(1);
    assert!(
        stderr(&a).starts_with(
            "error: --contract: \"stadtwerke-rheinpfalz\" is not active in 2026-11 (active 2026-03 to 2026-10)"
        ),
        "{}",
        stderr(&a)
    );
    assert_eq!(stdout(&a), "");
    // Usage errors: exit 2.
    run_pinned(d, &["statement", "--month", "2026-11"]).code(2);
    run_pinned(d, &["statement", "--all", "--month", "2026-11"]).code(2).stderr(predicate::str::contains("--output"));
    run_pinned(d, &["statement", "--contract", "acme", "--all", "--output", "x"]).code(2);
    run_pinned(d, &["statement", "--contract", "hansa-versicherung", "--month", "2026-13"]).code(2);
    run_pinned(d, &["statement", "--contract", "hansa-versicherung", "--format", "pdf"]).code(2);
}

#[test]
fn an_error_in_any_month_of_the_chart_refuses_one_outside_it_does_not() {
    let l = acme_ledger("en", "Fix");
    let p = l.path();
    // November 2025 lies outside November 2026's chart (2025-12 to 2026-11).
    write(p, "timelog/2025-11.csv", "date,contract,minutes\n2025-11-03,acme,x\n");
    run_pinned(p, &["statement", "--contract", "acme", "--month", "2026-11"]).success();
    // May 2026 is in it: refused with the file and line, as `report --month 2026-05` would.
    write(p, "timelog/2026-05.csv", "date,contract,minutes\n2026-05-04,acme,30\n2026-05-05,acme,1.5\n");
    let a = run_pinned(p, &["statement", "--contract", "acme", "--month", "2026-11"]).code(1);
    let err = stderr(&a);
    assert!(err.contains("timelog/2026-05.csv:3: minutes: \"1.5\" is not a whole number of minutes"), "{err}");
    assert!(err.contains("error: no statement for 2026-11: 1 error in the ledger"), "{err}");
    assert_eq!(stdout(&a), "");
    let r = run_pinned(p, &["report", "--month", "2026-05"]).code(1);
    assert!(stderr(&r).contains("timelog/2026-05.csv:3: minutes: \"1.5\""));
    // The month's own file counts as well, and so does a file named after no month.
    std::fs::remove_file(p.join("timelog/2026-05.csv")).unwrap();
    write(p, "timelog/extra.csv", "date,contract,minutes\n2026-02-30,acme,30\n");
    let a = run_pinned(p, &["statement", "--contract", "acme", "--month", "2026-11"]).code(1);
    assert!(stderr(&a).contains("timelog/extra.csv:2: date: \"2026-02-30\" is not a valid date"), "{}", stderr(&a));
}

#[test]
fn a_file_named_after_no_month_adds_its_rows_to_their_months() {
    let l = acme_ledger("en", "Fix");
    let p = l.path();
    write(
        p,
        "timelog/extra.csv",
        "date,contract,minutes,note\n2026-11-30,acme,30,late entry acme\n2026-06-02,acme,45,june\n",
    );
    let html = statement(p, "acme", "2026-11", "html");
    assert!(html.contains("late entry acme"));
    let b: BTreeMap<String, u64> = bars(&html).into_iter().collect();
    assert_eq!((b["2026-06"], b["2026-11"]), (45, 1410 + 30));
    assert_eq!(report(p, "2026-11").contracts[0]["used_minutes"], 1440);
}
