//! `invoices.csv`: the invoice register (SPEC §9), append-only, one row per
//! invoice issued. Every row is checked (file:line problems), ids must be
//! unique; [`verify`] then judges the register as a whole (gapless numbers
//! per year, no number twice, no contract and month twice) and
//! [`verify_files`] each invoice file against its SHA-256.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::problem::Problems;
use super::table::{self, Column, Row};
use super::timelog::{parse_date_field, row_id};
use crate::model::Money;
use crate::model::invoice::{RegisterEntry, TypeCode, format_number, parse_number};

pub use super::INVOICES_FILE as FILE;

pub const HEADER: &[&str] =
    &["number", "issued", "contract", "month", "type", "net", "vat", "gross", "file", "sha256", "id"];

const NUMBER: usize = 0;
const ISSUED: usize = 1;
const CONTRACT: usize = 2;
const MONTH: usize = 3;
const TYPE: usize = 4;
const NET: usize = 5;
const VAT: usize = 6;
const GROSS: usize = 7;
const PATH: usize = 8;
const SHA256: usize = 9;
const ID: usize = 10;

fn columns() -> Vec<Column<'static>> {
    HEADER.iter().map(|&name| Column { name, required: name != "id" }).collect()
}

/// Money with its sign as the report writes it: `-12.50`, `2618.00`.
pub fn parse_signed_money(s: &str) -> Option<Money> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.')?;
    let ok = !int.is_empty()
        && int.len() <= 15
        && frac.len() == 2
        && int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit());
    let d: rust_decimal::Decimal = s.parse().ok().filter(|_| ok)?;
    Some(Money::round(d))
}

/// The SHA-256 of `bytes` as plain lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::compute::digest::hex(&crate::compute::digest::sha256_of(bytes))
}

fn parse_row(r: &Row<'_>) -> Result<RegisterEntry, String> {
    let number = r.get(NUMBER).to_string();
    let (year, seq) = parse_number(&number).ok_or_else(|| {
        format!("number: \"{number}\" is not an invoice number (a prefix, the year, - and a four-digit sequence, e.g. RE-2026-0001)")
    })?;
    let issued = parse_date_field(r.get(ISSUED)).map_err(|e| e.replacen("date:", "issued:", 1))?;
    if chrono::Datelike::year(&issued) != year {
        return Err(format!(
            "number: {number} is numbered in {year} but issued on {issued}; numbers count per issue year"
        ));
    }
    let contract = r.get(CONTRACT).to_string();
    if !super::contracts::valid_id(&contract) {
        return Err(format!("contract: \"{contract}\" is not a contract id"));
    }
    let month =
        r.get(MONTH).parse().map_err(|()| format!("month: \"{}\" is not a month (expected YYYY-MM)", r.get(MONTH)))?;
    let type_code = TypeCode::parse(r.get(TYPE))
        .ok_or_else(|| format!("type: \"{}\" is not 380 (invoice) or 381 (credit note)", r.get(TYPE)))?;
    let amount = |i: usize, name: &str| {
        parse_signed_money(r.get(i)).ok_or_else(|| {
            format!("{name}: \"{}\" is not an amount with two decimals (e.g. 2618.00 or -59.50)", r.get(i))
        })
    };
    let (net, vat, gross) = (amount(NET, "net")?, amount(VAT, "vat")?, amount(GROSS, "gross")?);
    if net + vat != gross {
        return Err(format!("gross: {gross} is not net {net} + vat {vat}"));
    }
    if (type_code == TypeCode::CreditNote) != gross.is_negative() {
        return Err(format!(
            "type: {} with gross {gross}; a credit note (381) is exactly an invoice whose total is negative",
            type_code.code()
        ));
    }
    let file = r.get(PATH).to_string();
    if file.trim().is_empty() {
        return Err("file: is empty".into());
    }
    let sha256 = r.get(SHA256).to_string();
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(format!("sha256: \"{sha256}\" is not a SHA-256 in lower-case hex (64 characters)"));
    }
    let id = row_id(r, ID)?;
    Ok(RegisterEntry {
        line: 0,
        number,
        year,
        seq,
        issued,
        contract,
        month,
        type_code,
        net,
        vat,
        gross,
        file,
        sha256,
        id,
    })
}

/// Reads `invoices.csv` (`data`, the whole file): every row is checked and
/// the valid ones returned in file order; ids must be unique.
pub fn read(data: &[u8], problems: &mut Problems) -> Vec<RegisterEntry> {
    let mut rows = Vec::new();
    let mut ids = Vec::new();
    table::read_rows(FILE, data, &columns(), problems, |r| {
        let mut row = parse_row(r)?;
        row.line = r.line();
        if let Some(id) = row.id {
            ids.push((id, r.offset));
        }
        rows.push(row);
        Ok(())
    });
    super::approvals::check_ids(FILE, data, &mut ids, problems);
    rows
}

/// Reads `invoices.csv` of the ledger at `root`; a missing register is empty.
pub fn load(root: &Path, problems: &mut Problems) -> Vec<RegisterEntry> {
    match std::fs::read(root.join(FILE)) {
        Ok(data) => read(&data, problems),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            problems.error(FILE, None, None, format!("cannot read: {e}"));
            Vec::new()
        }
    }
}

/// Judges the register as a whole: no number twice (a git merge of two
/// clones that both invoiced gives exactly that), no year's sequence number
/// twice under another prefix, gapless numbers per year from 1, numbers in
/// the order of their issue dates, and no contract and month invoiced twice.
pub fn verify(rows: &[RegisterEntry], problems: &mut Problems) {
    let mut by_number: HashMap<(i32, u32), &RegisterEntry> = HashMap::new();
    let mut by_month: HashMap<(&str, crate::model::Month), &RegisterEntry> = HashMap::new();
    for r in rows {
        if let Some(first) = by_number.get(&(r.year, r.seq)) {
            let what = if first.number == r.number {
                format!("number: {} is already used at line {}", r.number, first.line)
            } else {
                format!("number: {} repeats the sequence of {} at line {}", r.number, first.number, first.line)
            };
            problems.error(FILE, Some(r.line), None, format!("{what}; an invoice number is never issued twice (two copies of the ledger that both invoiced, merged?)"));
        } else {
            by_number.insert((r.year, r.seq), r);
        }
        if let Some(first) = by_month.get(&(r.contract.as_str(), r.month)) {
            problems.error(
                FILE,
                Some(r.line),
                None,
                format!(
                    "contract: {} {} is already invoiced as {} at line {}; one invoice per contract and month",
                    r.contract, r.month, first.number, first.line
                ),
            );
        } else {
            by_month.insert((r.contract.as_str(), r.month), r);
        }
    }
    let mut years: BTreeMap<i32, Vec<&RegisterEntry>> = BTreeMap::new();
    for r in by_number.values() {
        years.entry(r.year).or_default().push(r);
    }
    for (year, mut list) in years {
        list.sort_by_key(|r| r.seq);
        let mut expected = 1;
        for r in &list {
            if r.seq > expected {
                let prefix = r.number.strip_suffix(&format!("{year:04}-{:04}", r.seq)).unwrap_or("");
                let missing = if r.seq == expected + 1 {
                    format_number(prefix, year, expected)
                } else {
                    format!("{} to {}", format_number(prefix, year, expected), format_number(prefix, year, r.seq - 1))
                };
                problems.error(
                    FILE,
                    Some(r.line),
                    None,
                    format!(
                        "number: {} follows a gap: {missing} missing; numbers are gapless per year (a row removed?)",
                        r.number
                    ),
                );
            }
            expected = r.seq + 1;
        }
        for w in list.windows(2) {
            if w[1].issued < w[0].issued {
                problems.error(
                    FILE,
                    Some(w[1].line),
                    None,
                    format!(
                        "issued: {} issued on {} is before {} issued on {}; numbers follow their issue dates",
                        w[1].number, w[1].issued, w[0].number, w[0].issued
                    ),
                );
            }
        }
    }
}

/// Where the register's `file` lies: relative to the ledger root, or absolute.
pub fn file_path(root: &Path, file: &str) -> PathBuf {
    let p = Path::new(file);
    if p.is_absolute() { p.to_path_buf() } else { root.join(p) }
}

/// Checks that each invoice file of the register is there with its SHA-256.
pub fn verify_files(root: &Path, rows: &[RegisterEntry], problems: &mut Problems) {
    for r in rows {
        match std::fs::read(file_path(root, &r.file)) {
            Ok(bytes) => {
                let found = sha256_hex(&bytes);
                if found != r.sha256 {
                    problems.error(
                        FILE,
                        Some(r.line),
                        None,
                        format!(
                            "sha256: {} has SHA-256 {found}, the register {}: the invoice {} was changed after it was issued",
                            r.file, r.sha256, r.number
                        ),
                    );
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => problems.error(
                FILE,
                Some(r.line),
                None,
                format!(
                    "file: {} of invoice {} is missing; `supportctl invoice --month {} --contract {}` writes it again",
                    r.file, r.number, r.month, r.contract
                ),
            ),
            Err(e) => problems.error(FILE, Some(r.line), None, format!("file: cannot read {}: {e}", r.file)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "number,issued,contract,month,type,net,vat,gross,file,sha256,id\n";
    const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    fn row(number: &str, issued: &str, contract: &str, month: &str) -> String {
        format!("{number},{issued},{contract},{month},380,2200.00,418.00,2618.00,invoices/{number}.xml,{SHA},\n")
    }

    fn judge(text: &str) -> (Vec<RegisterEntry>, Vec<String>) {
        let mut p = Problems::default();
        let rows = read(text.as_bytes(), &mut p);
        verify(&rows, &mut p);
        (rows, p.list.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("RE-2026-0001"), Some((2026, 1)));
        assert_eq!(parse_number("2026-0042"), Some((2026, 42)));
        assert_eq!(parse_number("INV-7-2027-12345"), Some((2027, 12345)));
        for bad in ["RE-2026-001", "RE-2026-0000", "RE-26-0001", "RE2026", "RE-2026-00a1", ""] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
        assert_eq!(format_number("RE-", 2026, 7), "RE-2026-0007");
        assert_eq!(sha256_hex(b"test"), SHA);
        assert_eq!(parse_signed_money("-59.50"), Some(Money::ZERO - Money::round(rust_decimal::Decimal::new(5950, 2))));
        for bad in ["59.5", "1e2", "", "-", "+1.00", "1,00", "--1.00"] {
            assert_eq!(parse_signed_money(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_clean_register() {
        let text = format!(
            "{H}{}{}{}",
            row("RE-2026-0001", "2026-12-01", "acme", "2026-11"),
            row("RE-2026-0002", "2026-12-01", "beta", "2026-11"),
            row("RE-2027-0001", "2027-01-04", "acme", "2026-12"),
        );
        let (rows, errs) = judge(&text);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(rows.len(), 3);
        assert_eq!((rows[2].line, rows[2].year, rows[2].seq), (4, 2027, 1));
    }

    #[test]
    fn what_a_merge_of_two_clones_that_both_invoiced_gives() {
        let text = format!(
            "{H}{}{}{}",
            row("RE-2026-0001", "2026-12-01", "acme", "2026-11"),
            row("RE-2026-0002", "2026-12-01", "beta", "2026-11"),
            row("RE-2026-0002", "2026-12-02", "acme", "2026-11"),
        );
        let (_, errs) = judge(&text);
        assert_eq!(
            errs,
            [
                "invoices.csv:4: number: RE-2026-0002 is already used at line 3; an invoice number is never issued twice (two copies of the ledger that both invoiced, merged?)",
                "invoices.csv:4: contract: acme 2026-11 is already invoiced as RE-2026-0001 at line 2; one invoice per contract and month",
            ]
        );
    }

    #[test]
    fn gaps_order_and_rows() {
        let text = format!(
            "{H}{}{}{}",
            row("RE-2026-0001", "2026-12-03", "acme", "2026-11"),
            row("RE-2026-0004", "2026-12-01", "beta", "2026-11"),
            row("X-2026-0001", "2026-12-04", "gamma", "2026-11"),
        );
        let (_, errs) = judge(&text);
        assert_eq!(
            errs,
            [
                "invoices.csv:4: number: X-2026-0001 repeats the sequence of RE-2026-0001 at line 2; an invoice number is never issued twice (two copies of the ledger that both invoiced, merged?)",
                "invoices.csv:3: number: RE-2026-0004 follows a gap: RE-2026-0002 to RE-2026-0003 missing; numbers are gapless per year (a row removed?)",
                "invoices.csv:3: issued: RE-2026-0004 issued on 2026-12-01 is before RE-2026-0001 issued on 2026-12-03; numbers follow their issue dates",
            ]
        );
        for (bad, want) in [
            (
                "RE-2026-0001,2027-01-01,acme,2026-11,380,1.00,0.19,1.19,f,{SHA},",
                "numbered in 2026 but issued on 2027-01-01",
            ),
            (
                "RE-2026-0001,2026-12-01,acme,2026-11,380,1.00,0.19,1.20,f,{SHA},",
                "gross: 1.20 is not net 1.00 + vat 0.19",
            ),
            ("RE-2026-0001,2026-12-01,acme,2026-11,381,1.00,0.19,1.19,f,{SHA},", "type: 381 with gross 1.19"),
            ("RE-2026-0001,2026-12-01,acme,2026-11,380,-1.00,-0.19,-1.19,f,{SHA},", "type: 380 with gross -1.19"),
            ("RE-2026-0001,2026-12-01,acme,2026-11,380,1.00,0.19,1.19,f,ABC,", "sha256: \"ABC\" is not a SHA-256"),
            (
                "RE-2026-0001,2026-12-01,ACME,2026-11,380,1.00,0.19,1.19,f,{SHA},",
                "contract: \"ACME\" is not a contract id",
            ),
            (
                "RE-2026-01,2026-12-01,acme,2026-11,380,1.00,0.19,1.19,f,{SHA},",
                "number: \"RE-2026-01\" is not an invoice number",
            ),
        ] {
            let (_, errs) = judge(&format!("{H}{}\n", bad.replace("{SHA}", SHA)));
            assert!(
                errs.len() == 1 && errs[0].starts_with("invoices.csv:2: ") && errs[0].contains(want),
                "{bad}: {errs:?}"
            );
        }
    }
}
