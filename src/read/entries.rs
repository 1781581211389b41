//! Every column of the time-log rows of one month, for a customer statement:
//! the files of the month that [`super::load`] read, read again row by row
//! through the same validation ([`timelog::read`]), keeping the whole
//! rows of the contracts asked for.

use std::path::Path;

use super::problem::Problems;
use super::records::{Record, Records};
use super::table::{self, Row};
use super::timelog::{self, ContractIndex, LogRow};
use crate::model::Month;
use crate::model::logged::LoggedEntry;

/// Which contracts' rows to keep.
#[derive(Clone, Copy, Debug)]
pub enum Only {
    /// One contract, by its index in the contract list.
    Contract(usize),
    /// Every contract.
    All,
}

/// The rows of `month` (of the contracts `only` names) in `files` (as
/// [`super::Loaded::log_files`] lists them: only files named after `month`
/// or after no month are opened), each with its contract's index, in the
/// order of the files and their rows. Every row is validated again;
/// problems go to `problems` (none for files that `load` read without
/// errors, unless they changed since).
pub fn read_month(
    root: &Path,
    files: &[(String, String)],
    month: Month,
    only: Only,
    index: &ContractIndex<'_>,
    problems: &mut Problems,
) -> Vec<(usize, LoggedEntry)> {
    let mut rows = Vec::new();
    for (rel, name) in files.iter().filter(|(_, name)| timelog::file_month(name).is_none_or(|m| m == month)) {
        let Some(bytes) = super::read_file(root, rel, problems) else { continue };
        let needle = match only {
            Only::Contract(i) => Some(index.contracts[i].id.as_bytes()),
            Only::All => None,
        };
        let wanted = |row: &LogRow| {
            Month::of(row.date) == month
                && match only {
                    Only::All => true,
                    Only::Contract(i) => i == row.contract,
                }
        };
        rows.extend(read_file(rel, name, &bytes, needle, index, problems, wanted));
    }
    rows
}

/// Reads one file; with `needle` (a contract id) only the header and the
/// lines that contain the needle anywhere are parsed: a row of that contract
/// always does, and in a file that `load` found valid every row is one line.
/// Should that shortened read find any problem (the file changed since), the
/// whole file is read again, so that messages name the file's own lines.
fn read_file(
    rel: &str,
    name: &str,
    bytes: &[u8],
    needle: Option<&[u8]>,
    index: &ContractIndex<'_>,
    problems: &mut Problems,
    wanted: impl Fn(&LogRow) -> bool,
) -> Vec<(usize, LoggedEntry)> {
    let read = |data: &[u8], problems: &mut Problems| {
        let mut found = Vec::new();
        timelog::read(rel, name, data, 0..usize::MAX, index, problems, |row, r| {
            if wanted(&row) {
                found.push((row.contract, logged(r, row)));
            }
        });
        found
    };
    if let Some(short) = needle.and_then(|n| lines_with(table::body(bytes), n)) {
        let mut quiet = Problems::default();
        let found = read(&short, &mut quiet);
        if quiet.list.is_empty() {
            return found;
        }
    }
    read(bytes, problems)
}

/// The header record of `body` and every later line that contains `needle`,
/// each with its line break; `None` when `body` has no header line.
fn lines_with(body: &[u8], needle: &[u8]) -> Option<Vec<u8>> {
    let mut header = Record::default();
    if needle.is_empty() || !Records::new(body).next_into(&mut header) {
        return None;
    }
    let rest = header.end;
    let mut out = body[..rest].to_vec();
    let mut next_line = rest;
    for at in memchr::memmem::find_iter(&body[rest..], needle).map(|i| i + rest) {
        if at < next_line {
            continue; // a second match on a line already taken
        }
        let start = memchr::memrchr(b'\n', &body[rest..at]).map_or(rest, |i| rest + i + 1);
        let end = memchr::memchr(b'\n', &body[at..]).map_or(body.len(), |i| at + i + 1);
        out.extend_from_slice(&body[start..end]);
        next_line = end;
    }
    Some(out)
}

fn logged(r: &Row<'_>, row: LogRow) -> LoggedEntry {
    LoggedEntry {
        date: row.date,
        ticket: r.get(timelog::TICKET).to_string(),
        kind: row.kind,
        level: r.get(timelog::LEVEL).to_string(),
        channel: r.get(timelog::CHANNEL).to_string(),
        engineer: r.get(timelog::ENGINEER).to_string(),
        note: r.get(timelog::NOTE).to_string(),
        minutes: row.minutes,
    }
}

#[cfg(test)]
mod tests {
    use super::lines_with;

    #[test]
    fn the_header_and_every_line_with_the_needle_once() {
        let body = b"\r\ndate,contract,minutes\r\n2026-11-02,acme,30\r\n2026-11-02,beta,30\r\n2026-11-03,acme,1,acme\r\n2026-11-04,beta,5,note on acme";
        let short = lines_with(body, b"acme").unwrap();
        assert_eq!(
            String::from_utf8(short).unwrap(),
            "\r\ndate,contract,minutes\r\n2026-11-02,acme,30\r\n2026-11-03,acme,1,acme\r\n2026-11-04,beta,5,note on acme"
        );
        assert_eq!(lines_with(body, b"gamma").unwrap(), b"\r\ndate,contract,minutes\r\n");
        assert_eq!(lines_with(b"", b"acme"), None, "no header");
    }
}
