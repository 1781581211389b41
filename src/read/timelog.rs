//! `timelog/*.csv`: the time log (SPEC §2.3), streamed row by row.

use std::collections::HashSet;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use chrono::NaiveDate;

use super::problem::Problems;
use super::suggest;
use super::table::{self, Column, Row};
use crate::model::{CHANNELS, Contract, Kind, LEVELS, Month, parse_date};

pub const HEADER: &[&str] =
    &["date", "contract", "minutes", "ticket", "kind", "level", "channel", "engineer", "note", "id"];

pub const DATE: usize = 0;
const CONTRACT: usize = 1;
pub const MINUTES: usize = 2;
/// Index of the `ticket` column in a [`Row`] of [`read`].
pub const TICKET: usize = 3;
/// Index of the `kind` column in a [`Row`] of [`read`].
pub const KIND: usize = 4;
/// Index of the `level` column in a [`Row`] of [`read`].
pub const LEVEL: usize = 5;
/// Index of the `channel` column in a [`Row`] of [`read`].
pub const CHANNEL: usize = 6;
/// Index of the `engineer` column in a [`Row`] of [`read`].
pub const ENGINEER: usize = 7;
/// Index of the `note` column in a [`Row`] of [`read`].
pub const NOTE: usize = 8;
const ID: usize = 9;

fn columns() -> Vec<Column<'static>> {
    HEADER.iter().map(|&name| Column { name, required: matches!(name, "date" | "contract" | "minutes") }).collect()
}

/// The contracts rows may name, by id.
pub struct ContractIndex<'a> {
    pub contracts: &'a [Contract],
    by_id: FxHashMap<&'a str, usize>,
    /// The ids as shared strings, handed to every entry and approval.
    shared: Vec<Arc<str>>,
    /// Contract files that exist but could not be read: rows naming them are
    /// not reported again as unknown.
    broken: HashSet<String>,
}

impl<'a> ContractIndex<'a> {
    pub fn new(contracts: &'a [Contract], broken: HashSet<String>) -> ContractIndex<'a> {
        let by_id = contracts.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
        let shared = contracts.iter().map(|c| Arc::from(c.id.as_str())).collect();
        ContractIndex { contracts, by_id, shared, broken }
    }

    /// The index of contract `id`, `Ok(None)` for a broken one, or the error
    /// text for an unknown id.
    pub fn find(&self, id: &str) -> Result<Option<usize>, String> {
        if let Some(&i) = self.by_id.get(id) {
            return Ok(Some(i));
        }
        if self.broken.contains(id) {
            return Ok(None);
        }
        let hint = suggest::hint(id, self.by_id.keys().copied());
        Err(format!("unknown contract \"{id}\"{hint}"))
    }

    /// The id of contract `i` as a shared string.
    pub fn shared_id(&self, i: usize) -> Arc<str> {
        Arc::clone(&self.shared[i])
    }

    /// Checks that contract `i` is active in `month`.
    pub fn check_active(&self, i: usize, month: Month) -> Result<(), String> {
        let c = &self.contracts[i];
        if c.is_active(month) {
            return Ok(());
        }
        let end = c.end.map_or_else(|| "on".to_string(), |e| format!("to {e}"));
        Err(format!("\"{}\" is not active in {month} (active {} {end})", c.id, c.start))
    }
}

/// A valid time-log row.
#[derive(Clone, Copy, Debug)]
pub struct LogRow {
    /// Byte offset in the file; its line is counted only when a message
    /// needs it ([`super::problem::Lines`]).
    pub offset: usize,
    pub date: NaiveDate,
    /// Index into the contract list.
    pub contract: usize,
    pub minutes: u64,
    pub kind: Kind,
    pub id: Option<u128>,
}

/// The month a file name stands for (`2026-11.csv`), if it is one.
pub fn file_month(name: &str) -> Option<Month> {
    name.strip_suffix(".csv")?.parse().ok()
}

/// Parses a `minutes` cell: a whole number > 0, digits only.
pub fn parse_minutes(s: &str) -> Result<u64, String> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("minutes: \"{s}\" is not a whole number of minutes"));
    }
    match s.parse::<u64>() {
        Ok(0) => Err("minutes: \"0\" must be more than 0".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("minutes: \"{s}\" is not a whole number of minutes")),
    }
}

/// Parses an `id` cell: a ULID (26 characters of Crockford base 32, either
/// case; the first at most `7` so that it fits 128 bits).
pub fn parse_id(s: &str) -> Result<u128, String> {
    parse_id_bytes(s.as_bytes())
        .ok_or_else(|| format!("id: \"{s}\" is not a row id (a 26-character ULID such as 01KB2Z7Q8W3N5YV0M4T6R9J1XA)"))
}

/// [`parse_id`] on bytes, without a message: for scans over many rows.
pub fn parse_id_bytes(s: &[u8]) -> Option<u128> {
    const fn table() -> [u8; 256] {
        let mut t = [255u8; 256];
        let digits = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        let mut i = 0;
        while i < 32 {
            t[digits[i] as usize] = i as u8;
            t[digits[i].to_ascii_lowercase() as usize] = i as u8;
            i += 1;
        }
        t
    }
    static DECODE: [u8; 256] = table();
    // One pass, in three u64 parts: 13 characters (the first at most 7: 63 bits),
    // one (5 bits), 12 (60 bits). An invalid character decodes to 255.
    if let Ok(c) = <&[u8; 26]>::try_from(s)
        && c[0] <= b'7'
    {
        let mut bad = 0u8;
        let mut digits = |part: &[u8]| {
            part.iter().fold(0u64, |n, &ch| {
                let d = DECODE[ch as usize];
                bad |= d;
                (n << 5) | u64::from(d)
            })
        };
        let (hi, mid, lo) = (digits(&c[..13]), digits(&c[13..14]), digits(&c[14..]));
        if bad < 32 {
            return Some((u128::from(hi) << 65) | (u128::from(mid) << 60) | u128::from(lo));
        }
    }
    None
}

/// The optional `id` of a row: empty is allowed (a row added by hand), except
/// in a last line without its line break, where it marks a torn write.
pub fn row_id(r: &Row<'_>, col: usize) -> Result<Option<u128>, String> {
    match r.get(col) {
        "" if r.unterminated && r.has(col) => Err("id: missing".into()),
        "" => Ok(None),
        s => parse_id(s).map(Some),
    }
}

pub fn parse_date_field(s: &str) -> Result<NaiveDate, String> {
    parse_date(s).ok_or_else(|| format!("date: \"{s}\" is not a valid date (expected YYYY-MM-DD)"))
}

/// `value` is empty or one of `valid`; `known` says so without comparing
/// against each (it runs for every row: a `match` on the few valid values).
fn one_of(field: &str, value: &str, known: bool, valid: &[&str]) -> Result<(), String> {
    debug_assert_eq!(known, value.is_empty() || valid.contains(&value));
    if known { Ok(()) } else { Err(format!("{field}: \"{value}\" is not one of {}", valid.join(", "))) }
}

/// The last date read and its text: rows come mostly in date order, and
/// the same text is the same date.
type LastDate = Option<([u8; 10], NaiveDate)>;

fn parse_row(
    r: &Row<'_>,
    month: Option<(Month, &str)>,
    index: &ContractIndex<'_>,
    last: &mut LastDate,
) -> Result<Option<LogRow>, String> {
    let text = r.get(DATE);
    let date = match *last {
        Some((seen, date)) if text.as_bytes() == seen => date,
        _ => {
            let date = parse_date_field(text)?;
            *last = text.as_bytes().try_into().ok().map(|seen| (seen, date));
            date
        }
    };
    if let Some((m, name)) = month
        && !m.contains(date)
    {
        return Err(format!(
            "date: {date} does not belong in {name} (a file named after a month holds only that month)"
        ));
    }
    let minutes = parse_minutes(r.get(MINUTES))?;
    let kind = Kind::parse(r.get(KIND))
        .ok_or_else(|| format!("kind: \"{}\" is not one of {}", r.get(KIND), Kind::NAMES.join(", ")))?;
    let (level, channel) = (r.get(LEVEL), r.get(CHANNEL));
    one_of("level", level, matches!(level, "" | "2" | "3"), LEVELS)?;
    one_of("channel", channel, matches!(channel, "" | "desk" | "email" | "phone"), CHANNELS)?;
    let id = row_id(r, ID)?;
    let contract = index.find(r.get(CONTRACT)).map_err(|e| format!("contract: {e}"))?;
    let Some(contract) = contract else { return Ok(None) };
    index.check_active(contract, Month::of(date)).map_err(|e| format!("contract: {e}"))?;
    Ok(Some(LogRow { offset: r.offset, date, contract, minutes, kind, id }))
}

/// Reads one time-log file, calling `each` for every valid row in byte range
/// `rows` of the file's body (see [`table::read_rows_from`]), with the row's
/// fields (by the column indices above, in the order of [`HEADER`]) for
/// readers that need the text columns or the row's digest.
pub fn read(
    file: &str,
    name: &str,
    data: &[u8],
    rows: std::ops::Range<usize>,
    index: &ContractIndex<'_>,
    problems: &mut Problems,
    mut each: impl FnMut(LogRow, &Row<'_>),
) {
    let month = file_month(name).map(|m| (m, name));
    let mut last = None;
    table::read_rows_from(file, data, rows, &columns(), problems, |r| {
        if let Some(row) = parse_row(r, month, index, &mut last)? {
            each(row, r);
        }
        Ok(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Percent, TermsPatch};

    fn contracts() -> Vec<Contract> {
        let c = |id: &str, end: Option<&str>| Contract {
            id: id.into(),
            customer: id.into(),
            end: end.map(|e| e.parse().unwrap()),
            base: TermsPatch { hours: Some(16), ..Default::default() },
            default_vat_rate: Percent::default(),
            ..Contract::for_tests()
        };
        vec![c("acme", None), c("beta", Some("2026-10"))]
    }

    fn read_str(name: &str, data: &str) -> (Vec<LogRow>, Vec<String>) {
        let cs = contracts();
        let index = ContractIndex::new(&cs, HashSet::new());
        let mut p = Problems::default();
        let mut rows = vec![];
        read(&format!("timelog/{name}"), name, data.as_bytes(), 0..usize::MAX, &index, &mut p, |r, _| rows.push(r));
        (rows, p.list.iter().map(|p| p.to_string()).collect())
    }

    #[test]
    fn reads_columns_by_name_with_bom_crlf_quotes_and_extra_columns() {
        let data = "\u{feff}minutes,extra,contract,date,note\r\n30,x,acme,2026-11-02,\"a, \"\"quoted\"\" note\"\r\n\r\n45,y,acme,2026-11-03,\r\n";
        let (rows, errs) = read_str("2026-11.csv", data);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(rows.len(), 2);
        let mut lines = crate::read::problem::Lines::new(data.trim_start_matches('\u{feff}').as_bytes());
        assert_eq!((lines.line(rows[0].offset), rows[0].minutes), (2, 30));
        assert_eq!((lines.line(rows[1].offset), rows[1].minutes), (4, 45), "line counts the blank line");
    }

    #[test]
    fn byte_order_marks_before_the_header_are_not_data_but_one_on_a_later_line_is() {
        // Two at the start (an editor that added one to a file with one).
        let (rows, errs) = read_str("2026-11.csv", "\u{feff}\u{feff}date,contract,minutes\n2026-11-02,acme,30\n");
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(rows.len(), 1);
        // One before a row (two files joined with `cat`) is part of its date,
        // on a whole line and on a last line without its line break (which
        // csv_core reads, and would once have taken for a file's BOM).
        for end in ["\n", ""] {
            let (_, errs) = read_str("2026-11.csv", &format!("date,contract,minutes\n\u{feff}2026-11-02,acme,30{end}"));
            assert!(errs.len() == 1 && errs[0].starts_with("timelog/2026-11.csv:2: date:"), "{errs:?}");
        }
    }

    #[test]
    fn line_numbers_in_crlf_files_are_an_editors() {
        let data = "date,contract,minutes\r\n2026-11-02,acme,30\r\n2026-11-02,acme,1,5\r\n\r\n2026-11-02,acme,x\r\n";
        let (_, errs) = read_str("2026-11.csv", data);
        assert_eq!(errs.len(), 2);
        assert!(errs[0].starts_with("timelog/2026-11.csv:3: expected 3 fields"), "{errs:?}");
        assert_eq!(errs[1], "timelog/2026-11.csv:5: minutes: \"x\" is not a whole number of minutes");
    }

    #[test]
    fn field_errors() {
        let h = "date,contract,minutes,kind,level,channel,id\n";
        let cases = [
            ("2026-02-30,acme,30,,,,", "date: \"2026-02-30\" is not a valid date (expected YYYY-MM-DD)"),
            ("2026-11-02,acme,1.5,,,,", "minutes: \"1.5\" is not a whole number of minutes"),
            ("2026-11-02,acme,-30,,,,", "minutes: \"-30\""),
            ("2026-11-02,acme,0,,,,", "minutes: \"0\" must be more than 0"),
            ("2026-11-02,acme,3e1,,,,", "minutes: \"3e1\""),
            ("2026-11-02,acme,+30,,,,", "minutes: \"+30\""),
            ("2026-11-02,acme,٣٠,,,,", "minutes: \"٣٠\""),
            ("2026-11-02,acem,30,,,,", "contract: unknown contract \"acem\" (did you mean \"acme\"?)"),
            ("2026-11-02,beta,30,,,,", "contract: \"beta\" is not active in 2026-11 (active 2026-01 to 2026-10)"),
            ("2026-10-31,acme,30,,,,", "date: 2026-10-31 does not belong in 2026-11.csv"),
            ("2026-11-02,acme,30,billable,,,", "kind: \"billable\" is not one of support, escalation, nonbillable"),
            ("2026-11-02,acme,30,,1,,", "level: \"1\" is not one of 2, 3"),
            ("2026-11-02,acme,30,,,fax,", "channel: \"fax\" is not one of desk, email, phone"),
            ("2026-11-02,acme,30,,,,xyz", "id: \"xyz\" is not a row id"),
            ("date,contract,minutes,kind,level,channel,id", "repeated header row"),
            ("minutes,date,contract,id", "repeated header row"),
            ("2026-11-02,acme,30,,,,\0\0", "contains NUL bytes"),
        ];
        for (row, want) in cases {
            let (rows, errs) = read_str("2026-11.csv", &format!("{h}{row}\n"));
            assert!(rows.is_empty(), "{row}");
            assert_eq!(errs.len(), 1, "{row}: {errs:?}");
            assert!(errs[0].starts_with("timelog/2026-11.csv:2: "), "{row}: {errs:?}");
            assert!(errs[0].contains(want), "{row}: {} lacks {want}", errs[0]);
        }
    }

    #[test]
    fn header_errors() {
        let (_, errs) = read_str("2026-11.csv", "date,contract,minuts\n");
        assert_eq!(
            errs,
            vec![
                "timelog/2026-11.csv:1: header has no column \"minutes\" (found \"minuts\": did you mean \"minutes\"?)"
            ]
        );
        let (_, errs) = read_str("2026-11.csv", "date,contract,minutes,minutes\n");
        assert_eq!(errs, vec!["timelog/2026-11.csv:1: column \"minutes\" appears twice in the header"]);
        let (_, errs) = read_str("2026-11.csv", "");
        assert_eq!(errs, vec!["timelog/2026-11.csv: empty file (no header, no rows)"]);
        let (_, errs) = read_str("2026-11.csv", "\n\n");
        assert_eq!(errs, vec!["timelog/2026-11.csv:1: the file has no header row"]);
    }

    #[test]
    fn open_quote_is_an_error_not_a_swallowed_row() {
        let data =
            "date,contract,minutes,note\n2026-11-02,acme,30,\"printer\n2026-11-03,acme,40,vpn\n2026-11-04,acme,50,x\n";
        let (rows, errs) = read_str("2026-11.csv", data);
        assert!(rows.is_empty());
        assert_eq!(errs.len(), 1);
        assert!(errs[0].starts_with("timelog/2026-11.csv:2: note: a quoted field runs over a line break"), "{errs:?}");
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_is_text() {
        let data = "date,contract,minutes,note\n2026-11-02,acme,30,24\" monitor\n2026-11-03,acme,30,27\" screen";
        let (rows, errs) = read_str("2026-11.csv", data);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(rows.len(), 2);
        let (_, errs) = read_str("2026-11.csv", "date,contract,minutes,note\n2026-11-02,acme,30,\"open");
        assert!(errs[0].contains("a quoted field is never closed"), "{errs:?}");
    }

    #[test]
    fn invalid_utf8_names_the_field() {
        let mut data = b"date,contract,minutes,engineer\n2026-11-02,acme,30,M".to_vec();
        data.extend_from_slice(b"\xfcller\n");
        let cs = contracts();
        let index = ContractIndex::new(&cs, HashSet::new());
        let mut p = Problems::default();
        read("timelog/2026-11.csv", "2026-11.csv", &data, 0..usize::MAX, &index, &mut p, |_, _| {});
        assert_eq!(p.list[0].to_string(), "timelog/2026-11.csv:2: engineer: not valid UTF-8; save the file as UTF-8");
    }

    #[test]
    fn last_line_without_newline() {
        let h = "date,contract,minutes,id\n";
        // A complete row without its newline is accepted.
        let (rows, errs) = read_str("2026-11.csv", &format!("{h}2026-11-02,acme,30,01KB2Z7Q8W3N5YV0M4T6R9J1XA"));
        assert!(errs.is_empty() && rows.len() == 1, "{errs:?}");
        // A torn one is reported as such.
        let (rows, errs) = read_str("2026-11.csv", &format!("{h}2026-11-02,acme,30,01KB2Z7Q8W3N"));
        assert!(rows.is_empty());
        assert!(errs[0].contains("probably an interrupted write"), "{errs:?}");
        let (_, errs) = read_str("2026-11.csv", &format!("{h}2026-11-02,ac"));
        assert!(
            errs[0].starts_with("timelog/2026-11.csv:2: expected 4 fields") && errs[0].contains("interrupted"),
            "{errs:?}"
        );
    }

    #[test]
    fn ids_decode_like_the_ulid_crate() {
        for _ in 0..100 {
            let u = ulid::Ulid::generate();
            assert_eq!(parse_id(&u.to_string()), Ok(u.0));
            assert_eq!(parse_id(&u.to_string().to_lowercase()), Ok(u.0));
        }
        assert_eq!(parse_id("7ZZZZZZZZZZZZZZZZZZZZZZZZZ"), Ok(u128::MAX));
        for bad in [
            "8ZZZZZZZZZZZZZZZZZZZZZZZZZ",
            "01KB2Z7Q8W3N5YV0M4T6R9J1X",
            "01KB2Z7Q8W3N5YV0M4T6R9J1XU",
            "01KB2U7Q8W3N5YV0M4T6R9J1XA",
            "01KB2Z7Q8W3N5UV0M4T6R9J1XA",
            "01KB2Z7Q8W3N5YV0M4T6R9J1XAA",
        ] {
            assert!(parse_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn files_not_named_after_a_month_hold_any_month() {
        let (rows, errs) = read_str("extra.csv", "date,contract,minutes\n2026-10-02,acme,30\n2026-11-02,acme,30\n");
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(rows.len(), 2);
    }
}
