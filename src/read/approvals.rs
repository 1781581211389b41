//! `approvals.csv`: agreed overage (SPEC §2.4).

use super::problem::{Lines, Problems};
use super::table::{self, Column, Row};
use super::timelog::{ContractIndex, parse_date_field, parse_minutes, row_id};
use crate::compute::digest::Rows;
use crate::model::{Approval, Month};

pub const HEADER: &[&str] = &["date", "contract", "month", "minutes", "reference", "note", "id"];

const DATE: usize = 0;
const CONTRACT: usize = 1;
const MONTH: usize = 2;
pub const MINUTES: usize = 3;
const REFERENCE: usize = 4;
const NOTE: usize = 5;
const ID: usize = 6;

/// A valid approval row.
#[derive(Clone, Debug)]
pub struct ApprovalRow {
    pub line: usize,
    /// The day the customer agreed.
    pub date: chrono::NaiveDate,
    pub approval: Approval,
    /// Where the agreement is documented (a customer statement lists it).
    pub reference: String,
    pub note: String,
    /// Index into the contract list.
    pub contract: usize,
    pub id: Option<u128>,
}

impl ApprovalRow {
    pub fn contract_id(&self) -> &str {
        &self.approval.contract
    }
}

fn columns() -> Vec<Column<'static>> {
    HEADER.iter().map(|&name| Column { name, required: !matches!(name, "note" | "id") }).collect()
}

fn parse_row(r: &Row<'_>, index: &ContractIndex<'_>) -> Result<Option<ApprovalRow>, String> {
    let date = parse_date_field(r.get(DATE))?;
    let month: Month =
        r.get(MONTH).parse().map_err(|()| format!("month: \"{}\" is not a month (expected YYYY-MM)", r.get(MONTH)))?;
    let minutes = parse_minutes(r.get(MINUTES))?;
    if r.get(REFERENCE).trim().is_empty() {
        return Err("reference: is empty; an approval needs the ticket or e-mail where the customer agreed".into());
    }
    let id = row_id(r, ID)?;
    let Some(contract) = index.find(r.get(CONTRACT)).map_err(|e| format!("contract: {e}"))? else { return Ok(None) };
    index.check_active(contract, month).map_err(|e| format!("contract: {e}"))?;
    let approval = Approval { contract: index.shared_id(contract), month, minutes };
    // Reference and note are copied only for the rows kept (see `read_part`).
    Ok(Some(ApprovalRow { line: 0, date, approval, reference: String::new(), note: String::new(), contract, id }))
}

/// Reads `approvals.csv`: every row is checked, ids must be unique, and the
/// valid rows whose month `keep` accepts are returned (a month's report
/// needs only its own).
pub fn read(
    file: &str,
    data: &[u8],
    index: &ContractIndex<'_>,
    keep: impl Fn(Month) -> bool,
    problems: &mut Problems,
) -> Vec<ApprovalRow> {
    let mut part = read_part(file, data, 0..usize::MAX, index, keep, &|_| false);
    problems.list.extend(part.problems.list);
    check_ids(file, data, &mut part.ids, problems);
    part.rows
}

/// What a reader of (part of) `approvals.csv` found.
#[derive(Default)]
pub struct Part {
    pub rows: Vec<ApprovalRow>,
    /// The id of every valid row with one, and the row's offset.
    pub ids: Vec<(u128, usize)>,
    /// Rows for the months asked for, by (contract, month), for their digests.
    pub canon: Rows<(usize, Month)>,
    pub problems: Problems,
}

impl Part {
    /// Adds what the rows after this part's found.
    pub fn absorb(&mut self, later: Part) {
        self.rows.extend(later.rows);
        self.ids.extend(later.ids);
        self.canon.absorb(later.canon);
        self.problems.list.extend(later.problems.list);
    }
}

/// [`read`] on the rows in byte range `range` of the body (the header is
/// read from the top, see [`table::read_rows_from`]), ids not yet compared.
/// Rows for a month that `digest` accepts are kept in canonical form too.
pub fn read_part(
    file: &str,
    data: &[u8],
    range: std::ops::Range<usize>,
    index: &ContractIndex<'_>,
    keep: impl Fn(Month) -> bool,
    digest: &dyn Fn(Month) -> bool,
) -> Part {
    let mut part = Part::default();
    // Room for an id per row to the end of the file (rows take some 90
    // bytes), so that a first half takes in the second without copying.
    part.ids.reserve(table::body(data).len().saturating_sub(range.start) / 64);
    let (rows, ids, canon) = (&mut part.rows, &mut part.ids, &mut part.canon);
    table::read_rows_from(file, data, range, &columns(), &mut part.problems, |r| {
        let Some(mut row) = parse_row(r, index)? else { return Ok(()) };
        if let Some(id) = row.id {
            ids.push((id, r.offset));
        }
        if digest(row.approval.month) {
            canon.push((row.contract, row.approval.month), (0, r.offset), (0..HEADER.len()).map(|i| r.get(i)));
        }
        if keep(row.approval.month) {
            row.line = r.line();
            row.reference = r.get(REFERENCE).to_string();
            row.note = r.get(NOTE).to_string();
            rows.push(row);
        }
        Ok(())
    });
    part
}

/// Reports each row whose id an earlier row already has (`ids`: id and
/// offset of each row; sorted here, which needs no table beside them).
pub fn check_ids(file: &str, data: &[u8], ids: &mut [(u128, usize)], problems: &mut Problems) {
    ids.sort_unstable();
    // (offset of the repeat, offset of the first, id), in file order.
    let mut repeated = Vec::new();
    for same in ids.chunk_by(|a, b| a.0 == b.0).filter(|s| s.len() > 1) {
        repeated.extend(same[1..].iter().map(|&(id, at)| (at, same[0].1, id)));
    }
    repeated.sort_unstable();
    let body = table::body(data);
    let mut lines = Lines::new(body);
    for (at, first, id) in repeated {
        let line = lines.line(at);
        let first = Lines::new(body).line(first);
        problems.error(
            file,
            Some(line),
            None,
            format!("id: {} is already used at line {first}; ids must be unique", ulid::Ulid(id)),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::model::{Contract, Percent, TermsPatch};

    fn read_str(data: &str) -> (Vec<ApprovalRow>, Vec<String>) {
        let cs = vec![Contract {
            end: Some("2026-11".parse().unwrap()),
            base: TermsPatch { hours: Some(16), ..Default::default() },
            default_vat_rate: Percent::default(),
            ..Contract::for_tests()
        }];
        let index = ContractIndex::new(&cs, HashSet::new());
        let mut p = Problems::default();
        let rows = read("approvals.csv", data.as_bytes(), &index, |_| true, &mut p);
        (rows, p.list.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn reads_and_validates() {
        let h = "date,contract,month,minutes,reference,note,id\n";
        let (rows, errs) = read_str(&format!("{h}2026-11-20,acme,2026-11,120,SD-1,ok,01KB2Z7Q8W3N5YV0M4T6R9J1XA\n"));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(rows[0].approval.minutes, 120);
        let r = &rows[0];
        assert_eq!((r.date.to_string(), r.reference.as_str(), r.note.as_str()), ("2026-11-20".into(), "SD-1", "ok"));
        for (row, want) in [
            ("2026-11-20,acme,2026-13,120,SD-1,,", "month: \"2026-13\" is not a month"),
            ("2026-11-20,acme,2026-11,0,SD-1,,", "minutes: \"0\" must be more than 0"),
            ("2026-11-20,acme,2026-11,120,,,", "reference: is empty"),
            ("2026-11-20,acne,2026-11,120,SD-1,,", "contract: unknown contract \"acne\" (did you mean \"acme\"?)"),
            ("2026-11-20,acme,2026-12,120,SD-1,,", "contract: \"acme\" is not active in 2026-12"),
        ] {
            let (_, errs) = read_str(&format!("{h}{row}\n"));
            assert!(
                errs.len() == 1 && errs[0].starts_with("approvals.csv:2: ") && errs[0].contains(want),
                "{row}: {errs:?}"
            );
        }
    }
}
