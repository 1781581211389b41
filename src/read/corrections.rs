//! `corrections.csv`: corrections of closed months (SPEC §8.2), append-only.
//!
//! The reader checks each row on its own (fields, the contract, a date after
//! the month corrected); [`check_against_closings`] adds what needs the
//! closings: the month is closed, the contract is in its closing, and the
//! corrections never take a month's used time below zero.

use std::collections::BTreeMap;

use super::problem::Problems;
use super::table::{self, Column, Row};
use super::timelog::{ContractIndex, parse_date_field, row_id};
use crate::compute::closing::Closing;
use crate::compute::digest::Rows;
use crate::model::{Correction, Month};

pub const HEADER: &[&str] = &["date", "contract", "month", "minutes", "reason", "ticket", "engineer", "id"];

const DATE: usize = 0;
const CONTRACT: usize = 1;
const MONTH: usize = 2;
const MINUTES: usize = 3;
const REASON: usize = 4;
const ID: usize = 7;

/// A valid correction row.
#[derive(Clone, Debug)]
pub struct CorrectionRow {
    pub line: usize,
    pub correction: Correction,
    /// Index into the contract list.
    pub contract: usize,
    pub id: Option<u128>,
}

fn columns() -> Vec<Column<'static>> {
    HEADER
        .iter()
        .map(|&name| Column { name, required: matches!(name, "date" | "contract" | "month" | "minutes" | "reason") })
        .collect()
}

/// Parses a `minutes` cell of a correction: a whole number, not zero, with
/// an optional `-` (no `+`, no spaces).
pub fn parse_signed_minutes(s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("minutes: \"{s}\" is not a whole number of minutes (e.g. 120 or -45)"));
    }
    match s.parse::<i64>() {
        Ok(0) => Err("minutes: \"0\" corrects nothing; use a number of minutes other than 0".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("minutes: \"{s}\" is not a whole number of minutes (e.g. 120 or -45)")),
    }
}

fn parse_row(r: &Row<'_>, index: &ContractIndex<'_>) -> Result<Option<CorrectionRow>, String> {
    let date = parse_date_field(r.get(DATE))?;
    let month: Month =
        r.get(MONTH).parse().map_err(|()| format!("month: \"{}\" is not a month (expected YYYY-MM)", r.get(MONTH)))?;
    let minutes = parse_signed_minutes(r.get(MINUTES))?;
    let reason = r.get(REASON);
    if reason.trim().is_empty() {
        return Err(
            "reason: is empty; a correction says why (the forgotten call, the entry booked to the wrong customer)"
                .into(),
        );
    }
    if Month::of(date) <= month {
        return Err(format!(
            "date: {date} is not after the month it corrects ({month}); a correction is recorded in a later, open month"
        ));
    }
    let id = row_id(r, ID)?;
    let Some(contract) = index.find(r.get(CONTRACT)).map_err(|e| format!("contract: {e}"))? else { return Ok(None) };
    let correction =
        Correction { date, contract: index.shared_id(contract), month, minutes, reason: reason.to_string() };
    Ok(Some(CorrectionRow { line: r.line(), correction, contract, id }))
}

/// What a read of `corrections.csv` found.
#[derive(Default)]
pub struct Read {
    pub rows: Vec<CorrectionRow>,
    /// The rows dated in the months `digest` asked for, by (contract, month
    /// of the date), in canonical form.
    pub canon: Rows<(usize, Month)>,
    pub problems: Problems,
}

/// Reads `corrections.csv`: every row is checked and kept (the file is
/// small); ids must be unique. Rows dated in a month that `digest` accepts
/// are also kept in canonical form for the month's digest.
pub fn read(file: &str, data: &[u8], index: &ContractIndex<'_>, digest: &dyn Fn(Month) -> bool) -> Read {
    let mut out = Read::default();
    let mut ids: Vec<(u128, usize)> = Vec::new();
    let (rows, canon) = (&mut out.rows, &mut out.canon);
    table::read_rows(file, data, &columns(), &mut out.problems, |r| {
        let Some(row) = parse_row(r, index)? else { return Ok(()) };
        if let Some(id) = row.id {
            ids.push((id, r.offset));
        }
        let dated = Month::of(row.correction.date);
        if digest(dated) {
            canon.push((row.contract, dated), (0, r.offset), (0..HEADER.len()).map(|i| r.get(i)));
        }
        rows.push(row);
        Ok(())
    });
    super::approvals::check_ids(file, data, &mut ids, &mut out.problems);
    out
}

/// The checks that need the closings: the corrected month is closed, the
/// contract is in its closing with terms, and the corrections never take
/// the month's used time below zero. `closing` gives a closed month's
/// closing (`None`: not closed).
pub fn check_against_closings<'c>(
    file: &str,
    rows: &[CorrectionRow],
    closing: &dyn Fn(Month) -> Option<&'c Closing>,
    problems: &mut Problems,
) {
    let mut totals: BTreeMap<(&str, Month), (i64, u64, usize)> = BTreeMap::new();
    for row in rows {
        let c = &row.correction;
        let Some(closed) = closing(c.month) else {
            problems.error(
                file,
                Some(row.line),
                None,
                format!(
                    "month: {} is not closed; corrections are for closed months (log the time in {} with `supportctl log`)",
                    c.month, c.month
                ),
            );
            continue;
        };
        let Some(cc) = closed.contract(&c.contract).filter(|cc| cc.terms.is_some()) else {
            problems.error(
                file,
                Some(row.line),
                None,
                format!("contract: \"{}\" is not in the closing of {} (it was not active then)", c.contract, c.month),
            );
            continue;
        };
        let t = totals.entry((&c.contract, c.month)).or_insert((0, cc.figures.used_minutes, row.line));
        t.0 += c.minutes;
        t.2 = row.line;
    }
    for ((contract, month), (minutes, used, line)) in totals {
        if i128::from(used) + i128::from(minutes) < 0 {
            problems.error(
                file,
                Some(line),
                None,
                format!("minutes: the corrections of {contract} {month} take away more than its {used} minutes used"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::model::{Contract, Percent, TermsPatch};

    fn read_str(data: &str) -> (Vec<CorrectionRow>, Vec<String>) {
        let cs = vec![Contract {
            base: TermsPatch { hours: Some(16), ..Default::default() },
            default_vat_rate: Percent::default(),
            ..Contract::for_tests()
        }];
        let index = ContractIndex::new(&cs, HashSet::new());
        let r = read("corrections.csv", data.as_bytes(), &index, &|_| true);
        (r.rows, r.problems.list.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn reads_signed_minutes() {
        let h = "date,contract,month,minutes,reason,ticket,engineer,id\n";
        let (rows, errs) = read_str(&format!("{h}2026-11-03,acme,2026-10,-45,wrong customer,SD-1,anna,\n"));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!((rows[0].correction.minutes, rows[0].line), (-45, 2));
        for (row, want) in [
            ("2026-11-03,acme,2026-10,0,x,,,", "minutes: \"0\" corrects nothing"),
            ("2026-11-03,acme,2026-10,+45,x,,,", "minutes: \"+45\" is not a whole number"),
            ("2026-11-03,acme,2026-10,1.5,x,,,", "minutes: \"1.5\""),
            ("2026-11-03,acme,2026-10,-,x,,,", "minutes: \"-\""),
            ("2026-11-03,acme,2026-10,45,,,,", "reason: is empty"),
            ("2026-10-30,acme,2026-10,45,x,,,", "date: 2026-10-30 is not after the month it corrects (2026-10)"),
            ("2026-11-03,acme,2026-13,45,x,,,", "month: \"2026-13\" is not a month"),
            ("2026-11-03,acne,2026-10,45,x,,,", "contract: unknown contract \"acne\" (did you mean \"acme\"?)"),
        ] {
            let (_, errs) = read_str(&format!("{h}{row}\n"));
            assert!(
                errs.len() == 1 && errs[0].starts_with("corrections.csv:2: ") && errs[0].contains(want),
                "{row}: {errs:?}"
            );
        }
    }
}
