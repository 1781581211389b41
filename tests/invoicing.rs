//! `supportctl invoice` through the real binary: invoices only from closed
//! months, the register and its numbers, re-runs, a failure between the
//! register and the file, credit notes, missing data listed at once, and
//! every invoice written here validated against the official rules.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::assert::Assert;
use common::*;
use serde_json::Value;

const SELLER: &str = "[seller]\nname = \"Wikiwerk Consulting GmbH\"\nstreet = \"Speicherstraße 12\"\npostcode = \"20457\"\ncity = \"Hamburg\"\ncountry = \"DE\"\nvat_id = \"DE287654321\"\nemail = \"rechnung@wikiwerk.example\"\ncontact_name = \"Jana Petersen\"\ncontact_phone = \"+49 40 5551234\"\ncontact_email = \"buchhaltung@wikiwerk.example\"\niban = \"DE34 2005 0550 1234 5678 90\"\n";
const BUYER: &str = "\n[buyer]\nname = \"Müller & Söhne <Technik> GmbH\"\nstreet = \"Hafenstraße 1\"\npostcode = \"20457\"\ncity = \"Hamburg\"\ncountry = \"DE\"\nemail = \"rechnungen@acme.example\"\n";

/// acme (20h) used 1,410 minutes in October with 120 approved; beta (16h,
/// ends in October) 300 minutes; seller and buyers complete.
fn ledger() -> tempfile::TempDir {
    small_ledger(&[
        ("supportctl.toml", SELLER.to_string()),
        ("contracts/acme.toml", format!("{ACME}{BUYER}")),
        ("contracts/beta.toml", format!("{BETA}{}", BUYER.replace("rechnungen@acme", "ap@beta"))),
        ("timelog/2026-10.csv", "date,contract,minutes,id\n2026-10-05,acme,1410,\n2026-10-14,beta,300,\n".to_string()),
        (
            "approvals.csv",
            "date,contract,month,minutes,reference,note,id\n2026-10-20,acme,2026-10,120,SD-1 mail,,\n".to_string(),
        ),
    ])
}

fn sc(ledger: &Path, args: &[&str]) -> Assert {
    sc_with(ledger, args, &[])
}

fn sc_with(ledger: &Path, args: &[&str], env: &[(&str, &str)]) -> Assert {
    let mut all = vec!["--ledger", ledger.to_str().unwrap()];
    all.extend_from_slice(args);
    let elsewhere = tempfile::tempdir().unwrap();
    run_with(elsewhere.path(), &all, |c, _| {
        c.env("SUPPORTCTL_ENGINEER", "anna");
        for (k, v) in env {
            c.env(k, v);
        }
    })
}

fn closed(ledger: &Path, month: &str, today: &str) {
    sc_with(ledger, &["close", "--month", month, "--write-off"], &[("SUPPORTCTL_TODAY", today)]).success();
}

/// The register's rows as (number, issued, contract, month, type, net, vat, gross, file).
fn register(ledger: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(ledger.join("invoices.csv")).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        ["number", "issued", "contract", "month", "type", "net", "vat", "gross", "file", "sha256", "id"]
    );
    r.records().map(|row| row.unwrap().iter().take(9).map(str::to_string).collect()).collect()
}

fn invoice_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    files
}

fn assert_valid(files: &[PathBuf]) {
    assert!(!files.is_empty());
    let (code, out) = validate_invoices(files);
    assert_eq!(code, 0, "{out}");
}

/// The text of the first element named `name` (without its prefix).
fn element(xml: &str, name: &str) -> String {
    let open = format!("<ram:{name}");
    let start = xml.find(&open).unwrap_or_else(|| panic!("no {name}"));
    let after = &xml[start..];
    let text_start = after.find('>').unwrap() + 1;
    let text_end = after.find("</").unwrap();
    after[text_start..text_end].to_string()
}

#[test]
fn an_open_month_is_refused_and_nothing_written() {
    let l = ledger();
    let before = tree(l.path());
    let a = sc(l.path(), &["invoice", "--month", "2026-10"]).code(1);
    assert!(
        stderr(&a).contains("error: 2026-10 is not closed; invoices are written from a closed month's fixed figures"),
        "{}",
        stderr(&a)
    );
    assert_eq!(tree(l.path()), before);
}

#[test]
fn a_closed_month_is_invoiced_once_with_gapless_numbers_and_the_reports_figures() {
    let l = ledger();
    closed(l.path(), "2026-10", "2026-11-27");
    let a = sc(l.path(), &["invoice", "--month", "2026-10", "--date", "2026-11-02"]).success();
    assert_eq!(
        stdout(&a),
        "RE-2026-0001 acme 2026-10: invoice, 2,618.00 EUR gross, issued 2026-11-02, invoices/RE-2026-0001.xml\n\
         RE-2026-0002 beta 2026-10: invoice, 1,904.00 EUR gross, issued 2026-11-02, invoices/RE-2026-0002.xml\n"
    );
    let rows = register(l.path());
    assert_eq!(
        rows,
        [
            [
                "RE-2026-0001",
                "2026-11-02",
                "acme",
                "2026-10",
                "380",
                "2200.00",
                "418.00",
                "2618.00",
                "invoices/RE-2026-0001.xml"
            ],
            [
                "RE-2026-0002",
                "2026-11-02",
                "beta",
                "2026-10",
                "380",
                "1600.00",
                "304.00",
                "1904.00",
                "invoices/RE-2026-0002.xml"
            ],
        ]
    );
    // The invoice carries the report's figures to the cent.
    let report: Value =
        serde_json::from_str(&stdout(&sc(l.path(), &["report", "--month", "2026-10", "--format", "json"]).success()))
            .unwrap();
    let xml = std::fs::read_to_string(l.path().join("invoices/RE-2026-0001.xml")).unwrap();
    let acme = &report["contracts"][0];
    assert_eq!(element(&xml, "TaxBasisTotalAmount"), acme["net"].as_str().unwrap());
    assert_eq!(element(&xml, "TaxTotalAmount"), acme["vat"].as_str().unwrap());
    assert_eq!(element(&xml, "GrandTotalAmount"), acme["gross"].as_str().unwrap());
    assert_eq!(element(&xml, "DuePayableAmount"), acme["gross"].as_str().unwrap());
    assert!(xml.contains("Müller &amp; Söhne &lt;Technik&gt; GmbH"), "escaped buyer name");
    assert_valid(&invoice_files(&l.path().join("invoices")));
    sc(l.path(), &["check"]).success();

    // Again: no new number, nothing written.
    let before = tree(l.path());
    let a = sc(l.path(), &["invoice", "--month", "2026-10"]).success();
    assert!(stdout(&a).starts_with("RE-2026-0001 acme 2026-10: already issued"), "{}", stdout(&a));
    assert_eq!(tree(l.path()), before);
}

#[test]
fn a_missing_file_is_written_again_byte_for_byte_and_a_changed_one_is_reported() {
    let l = ledger();
    closed(l.path(), "2026-10", "2026-11-27");
    sc(l.path(), &["invoice", "--month", "2026-10"]).success();
    let path = l.path().join("invoices/RE-2026-0002.xml");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let a = sc(l.path(), &["invoice", "--month", "2026-10"]).success();
    assert!(stdout(&a).contains("RE-2026-0002 beta 2026-10: written again"), "{}", stdout(&a));
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert_eq!(register(l.path()).len(), 2, "no new number");
    // An invoice edited after it was issued.
    std::fs::write(&path, String::from_utf8(bytes).unwrap().replace("1904.00", "1804.00")).unwrap();
    let before = tree(l.path());
    let a = sc(l.path(), &["invoice", "--month", "2026-10"]).code(1);
    assert!(
        stderr(&a).contains("invoices/RE-2026-0002.xml: invoice RE-2026-0002 (beta 2026-10) has SHA-256"),
        "{}",
        stderr(&a)
    );
    assert_eq!(tree(l.path()), before);
    let a = sc(l.path(), &["check"]).code(1);
    assert!(stderr(&a).contains("invoices/RE-2026-0002.xml"), "{}", stderr(&a));
}

#[test]
fn a_failure_between_the_register_and_the_rename_is_completed_by_the_next_run() {
    let l = ledger();
    closed(l.path(), "2026-10", "2026-11-27");
    let a = sc_with(l.path(), &["invoice", "--month", "2026-10"], &[("SUPPORTCTL_FAILPOINT", "rename")]).code(1);
    assert!(stderr(&a).contains("run the same command again"), "{}", stderr(&a));
    // The numbers are issued (register first), the files not in place.
    assert_eq!(register(l.path()).len(), 2);
    assert!(invoice_files(&l.path().join("invoices")).is_empty());
    let a = sc(l.path(), &["check"]).code(1);
    assert!(stderr(&a).contains("invoices/RE-2026-0001.xml"), "{}", stderr(&a));
    // The next run writes them, with the numbers and date of the register.
    let a = sc(l.path(), &["invoice", "--month", "2026-10"]).success();
    assert_eq!(stdout(&a).matches("written again").count(), 2, "{}", stdout(&a));
    assert_eq!(register(l.path()).len(), 2);
    assert_valid(&invoice_files(&l.path().join("invoices")));
    sc(l.path(), &["check"]).success();
}

#[test]
fn every_missing_or_malformed_party_field_is_listed_at_once_and_nothing_written() {
    let l = ledger();
    closed(l.path(), "2026-10", "2026-11-27");
    let seller = SELLER.replace("iban = \"DE34 2005 0550 1234 5678 90\"\n", "iban = \"DE35 2005 0550 1234 5678 90\"\n");
    let seller = seller.replace("contact_name = \"Jana Petersen\"\n", "");
    common::write(l.path(), "supportctl.toml", seller);
    common::write(
        l.path(),
        "contracts/beta.toml",
        format!("{BETA}\n[buyer]\nstreet = \"Hafenstraße 1\"\ncountry = \"XX\"\nemail = \"no-at-sign\"\n"),
    );
    let before = tree(l.path());
    let a = sc(l.path(), &["invoice", "--month", "2026-10"]).code(1);
    let e = stderr(&a);
    for want in
        ["supportctl.toml", "iban", "contact_name", "contracts/beta.toml", "country", "email", "postcode", "city"]
    {
        assert!(e.contains(want), "{want} is named:\n{e}");
    }
    assert!(e.contains("nothing was written"), "{e}");
    assert_eq!(tree(l.path()), before);
}

#[test]
fn an_output_folder_outside_the_ledger_is_registered_with_its_absolute_path() {
    let l = ledger();
    closed(l.path(), "2026-10", "2026-11-27");
    let out = tempfile::tempdir().unwrap();
    sc(l.path(), &["invoice", "--month", "2026-10", "--contract", "acme", "--output", out.path().to_str().unwrap()])
        .success();
    let rows = register(l.path());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][8], out.path().join("RE-2026-0001.xml").display().to_string());
    assert_valid(&invoice_files(out.path()));
    sc(l.path(), &["check"]).success();
}

#[test]
fn issue_dates_follow_the_month_and_the_register() {
    let l = ledger();
    closed(l.path(), "2026-10", "2026-11-27");
    let before = tree(l.path());
    let a = sc(l.path(), &["invoice", "--month", "2026-10", "--date", "2026-10-30"]).code(1);
    assert!(stderr(&a).contains("--date 2026-10-30: before the end of 2026-10 (2026-10-31)"), "{}", stderr(&a));
    assert_eq!(tree(l.path()), before);
    sc(l.path(), &["invoice", "--month", "2026-10", "--contract", "acme", "--date", "2026-11-20"]).success();
    let a = sc(l.path(), &["invoice", "--month", "2026-10", "--contract", "beta", "--date", "2026-11-10"]).code(1);
    assert!(stderr(&a).contains("before the last issue date in the register, 2026-11-20"), "{}", stderr(&a));
}

#[test]
fn corrections_that_only_take_time_away_make_a_credit_note() {
    let l = ledger();
    // acme had 300 approved in October: 210 overage billed (350.00).
    common::write(
        l.path(),
        "approvals.csv",
        "date,contract,month,minutes,reference,note,id\n2026-10-20,acme,2026-10,300,mail,,\n2026-10-20,beta,2026-10,100,mail,,\n",
    );
    // beta (16h, 960 minutes) used 1,020: 60 overage billed (100.00).
    common::append(l.path(), "timelog/2026-10.csv", "2026-10-20,beta,720,\n");
    closed(l.path(), "2026-10", "2026-11-27");
    // beta ended in October; an hour of it was booked twice: −100.00, −19.00 VAT.
    sc(l.path(), &["correct", "beta", "-1h", "--month", "2026-10", "--reason", "booked twice"]).success();
    closed(l.path(), "2026-11", "2026-12-01");
    let a = sc_with(
        l.path(),
        &["invoice", "--month", "2026-11", "--contract", "beta"],
        &[("SUPPORTCTL_TODAY", "2026-12-01")],
    )
    .success();
    assert!(stdout(&a).contains("RE-2026-0001 beta 2026-11: credit note, -119.00 EUR gross"), "{}", stdout(&a));
    let rows = register(l.path());
    assert_eq!(rows[0][4..8], ["381", "-100.00", "-19.00", "-119.00"]);
    let xml = std::fs::read_to_string(l.path().join("invoices/RE-2026-0001.xml")).unwrap();
    assert_eq!(element(&xml, "TypeCode"), "381");
    // EN 16931: the credit note's totals are positive.
    assert_eq!(element(&xml, "GrandTotalAmount"), "119.00");
    assert_eq!(element(&xml, "TaxTotalAmount"), "19.00");
    sc_with(l.path(), &["invoice", "--month", "2026-11"], &[("SUPPORTCTL_TODAY", "2026-12-01")]).success();
    assert_valid(&invoice_files(&l.path().join("invoices")));
}

#[test]
fn check_finds_a_number_issued_twice_by_two_clones() {
    let l = ledger();
    closed(l.path(), "2026-10", "2026-11-27");
    let clone = tempfile::tempdir().unwrap();
    assert!(
        std::process::Command::new("cp")
            .arg("-r")
            .arg(l.path())
            .arg(clone.path().join("c"))
            .status()
            .unwrap()
            .success()
    );
    let c = clone.path().join("c");
    sc(l.path(), &["invoice", "--month", "2026-10", "--contract", "acme"]).success();
    sc(&c, &["invoice", "--month", "2026-10", "--contract", "beta"]).success();
    // A union merge of the two registers and both files (the same name!).
    let theirs = std::fs::read_to_string(c.join("invoices.csv")).unwrap();
    common::append(l.path(), "invoices.csv", theirs.lines().nth(1).unwrap().to_string() + "\n");
    let a = sc(l.path(), &["check"]).code(1);
    assert!(stderr(&a).contains("RE-2026-0001"), "{}", stderr(&a));
    assert!(stderr(&a).to_lowercase().contains("twice"), "{}", stderr(&a));
    // And no invoice is numbered from that register.
    let before = tree(l.path());
    sc(l.path(), &["invoice", "--month", "2026-10"]).code(1);
    assert_eq!(tree(l.path()), before);
}

#[test]
fn the_demo_ledgers_invoices_are_valid_and_match_its_register() {
    let files = invoice_files(&demo().join("invoices"));
    assert_eq!(files.len(), 18, "August to October, six contracts each");
    assert_valid(&files);
    let rows = register(&demo());
    assert_eq!(rows.len(), 18);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r[0], format!("RE-2026-{:04}", i + 1), "gapless");
    }
    // Each is what `invoice` would write again.
    let copy = demo_copy();
    for f in &files {
        std::fs::remove_file(copy.path().join("invoices").join(f.file_name().unwrap())).unwrap();
    }
    for month in ["2026-08", "2026-09", "2026-10"] {
        sc(copy.path(), &["invoice", "--month", month]).success();
    }
    for f in &files {
        assert_eq!(
            std::fs::read(f).unwrap(),
            std::fs::read(copy.path().join("invoices").join(f.file_name().unwrap())).unwrap()
        );
    }
}
