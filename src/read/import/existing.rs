//! What the time log already holds of an import: the rows whose ids are
//! those the worklogs would get (wherever they stand: a worklog moved to
//! another month in Jira is still found), and the header of every month
//! file (an import needs its `id` column).
//!
//! Every `timelog/*.csv` is read (hidden files and other names are left to
//! `check`), on two threads. The files an import writes to (its months) and
//! files not named after a month are read row by row, every problem
//! recorded: a quote left open could hide a row already imported. The
//! other month files (ten years of them in a large ledger) are only looked
//! through for the ids, line by line, in the last column where supportctl
//! writes them; a file with a hit, or whose header does not end with `id`,
//! is read row by row too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::Month;
use std::sync::Arc;

use crate::model::worklog::{LedgerRow, Seen, TimelogRow, fingerprint};
use crate::read::problem::{Lines, Problems};
use crate::read::table::{self, Column};
use crate::read::{TIMELOG_DIR, timelog};

/// What [`scan`] found.
#[derive(Debug, Default)]
pub struct Existing {
    /// Rows whose id was asked for (the first of each id): where, and the
    /// fingerprint of their cells; [`rows_at`] gives the cells themselves.
    pub rows: FxHashMap<u128, Seen>,
    /// The header of each month file `timelog/<M>.csv` with one.
    pub headers: BTreeMap<Month, Vec<String>>,
    pub problems: Problems,
}

const COLUMNS: [&str; 8] = ["date", "contract", "minutes", "ticket", "kind", "engineer", "note", "id"];

/// Reads the time log of the ledger at `root` for the ids in `wanted`;
/// `months` are the month files an import would write to.
pub fn scan(root: &Path, wanted: &FxHashSet<u128>, months: &BTreeSet<Month>) -> Existing {
    let mut out = Existing::default();
    let dir = root.join(TIMELOG_DIR);
    let mut names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".csv") && !n.starts_with('.'))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            out.problems.error(&format!("{TIMELOG_DIR}/"), None, None, format!("cannot read the folder: {e}"));
            return out;
        }
    };
    names.sort();
    let half = names.len().div_ceil(2).max(1);
    // Each thread keeps what its files hold in one list; the map is built
    // once, at its final size (a large import finds 100,000 rows).
    let parts: Vec<Part> = std::thread::scope(|s| {
        let handles: Vec<_> = names
            .chunks(half)
            .map(|files| {
                s.spawn(move || {
                    let mut part = Part::default();
                    for n in files {
                        scan_one(root, n, wanted, months, &mut part);
                    }
                    part
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a time-log scan thread panicked")).collect()
    });
    let found: usize = parts.iter().map(|p| p.rows.len()).sum();
    out.rows.reserve(found);
    for part in parts {
        for (id, seen) in part.rows {
            out.rows.entry(id).or_insert(seen);
        }
        out.headers.extend(part.headers);
        out.problems.list.extend(part.problems.list);
    }
    out
}

/// What one thread found, in the order of its files.
#[derive(Default)]
struct Part {
    rows: Vec<(u128, Seen)>,
    headers: BTreeMap<Month, Vec<String>>,
    problems: Problems,
}

/// One file: looked through quickly, or read row by row.
fn scan_one(root: &Path, name: &str, wanted: &FxHashSet<u128>, months: &BTreeSet<Month>, out: &mut Part) {
    let rel = format!("{TIMELOG_DIR}/{name}");
    let data = match std::fs::read(root.join(&rel)) {
        Ok(d) => d,
        Err(e) => {
            out.problems.error(&rel, None, None, format!("cannot read: {e}"));
            return;
        }
    };
    let month = timelog::file_month(name);
    let header = table::header_names(&data);
    if let (Some(m), Some(h)) = (month, &header) {
        out.headers.insert(m, h.clone());
    }
    let elsewhere = month.is_some_and(|m| !months.contains(&m));
    let ids_last = header.as_ref().is_some_and(|h| h.last().is_some_and(|c| c == "id"));
    if elsewhere && ids_last && !has_wanted_id(&data, wanted) {
        return;
    }
    read_file(&rel, &data, wanted, out);
}

/// Whether a line of `data` (after its header) ends with a wanted id:
/// the last field of each line, quotes and a CR taken off.
fn has_wanted_id(data: &[u8], wanted: &FxHashSet<u128>) -> bool {
    let body = table::body(data);
    let mut start = memchr::memchr(b'\n', body).map_or(body.len(), |i| i + 1);
    while start < body.len() {
        let end = memchr::memchr(b'\n', &body[start..]).map_or(body.len(), |i| start + i);
        let line = &body[start..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let last = memchr::memrchr(b',', line).map_or(line, |i| &line[i + 1..]);
        let last = last.strip_prefix(b"\"").and_then(|l| l.strip_suffix(b"\"")).unwrap_or(last);
        if timelog::parse_id_bytes(last).is_some_and(|id| wanted.contains(&id)) {
            return true;
        }
        start = end + 1;
    }
    false
}

/// Reads `data` row by row: the rows with wanted ids, and every problem.
fn read_file(rel: &str, data: &[u8], wanted: &FxHashSet<u128>, out: &mut Part) {
    let file: Arc<str> = rel.into();
    let mut problems = Problems::default();
    let mut lines = Lines::new(table::body(data));
    each_row(rel, data, wanted, &mut problems, |offset, id, cells| {
        let seen = Seen {
            file: file.clone(),
            line: u32::try_from(lines.line(offset)).unwrap_or(u32::MAX),
            fingerprint: fingerprint(cells),
            counted: Default::default(),
        };
        out.rows.push((id, seen));
    });
    // An empty file (a rolled-back first append) holds nothing: not a problem here.
    out.problems.list.extend(problems.list.into_iter().filter(|p| p.severity == crate::read::Severity::Error));
}

/// Calls `found(offset, id, cells)` for each row of `data` with a wanted id.
fn each_row(
    rel: &str,
    data: &[u8],
    wanted: &FxHashSet<u128>,
    problems: &mut Problems,
    mut found: impl FnMut(usize, u128, [&str; 7]),
) {
    let cols: Vec<Column<'_>> = COLUMNS
        .iter()
        .map(|&name| Column { name, required: matches!(name, "date" | "contract" | "minutes") })
        .collect();
    table::read_rows(rel, data, &cols, problems, |r| {
        let id = match r.get(7) {
            "" => return Ok(()),
            s => timelog::parse_id(s)?,
        };
        if wanted.contains(&id) {
            found(r.offset, id, [r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6)]);
        }
        Ok(())
    });
}

/// The rows of `file` (relative to `root`) with the ids in `ids`, with their
/// cells: for showing what changed upstream. A row that no longer reads is
/// left out.
pub fn rows_at(root: &Path, file: &str, ids: &FxHashSet<u128>) -> FxHashMap<u128, LedgerRow> {
    let mut out = FxHashMap::default();
    let Ok(data) = std::fs::read(root.join(file)) else { return out };
    let mut ignore = Problems::default();
    let mut found = Vec::new();
    each_row(file, &data, ids, &mut ignore, |offset, id, c| {
        let row = TimelogRow {
            date: c[0].into(),
            contract: c[1].into(),
            minutes: c[2].into(),
            ticket: c[3].into(),
            kind: c[4].into(),
            engineer: c[5].into(),
            note: c[6].into(),
        };
        found.push((offset, id, row));
    });
    let mut lines = Lines::new(table::body(&data));
    for (offset, id, row) in found {
        out.entry(id).or_insert(LedgerRow { file: file.to_string(), line: lines.line(offset), row });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_rows_asked_for_in_any_file_and_every_header() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("timelog");
        std::fs::create_dir_all(&t).unwrap();
        let a = ulid::Ulid(7).to_string();
        let b = ulid::Ulid(8).to_string();
        std::fs::write(
            t.join("2026-10.csv"),
            format!("date,contract,minutes,ticket,kind,engineer,note,id\n2026-10-01,acme,5,SD-1,,Anna,x,{a}\n"),
        )
        .unwrap();
        std::fs::write(t.join("2026-11.csv"), format!("minutes,date,contract,id\n\n7,2026-11-02,acme,{b}\n")).unwrap();
        std::fs::write(t.join("2026-09.csv"), "date,contract,minutes,note\n").unwrap();
        std::fs::write(t.join(".hidden.csv"), "junk").unwrap();
        let wanted: FxHashSet<u128> = [7, 8, 9].into_iter().collect();
        for months in [BTreeSet::new(), ["2026-10".parse().unwrap(), "2026-11".parse().unwrap()].into()] {
            let e = scan(dir.path(), &wanted, &months);
            assert!(e.problems.list.is_empty(), "{:?}", e.problems.list);
            assert_eq!(e.rows.len(), 2);
        }
        let e = scan(dir.path(), &wanted, &BTreeSet::new());
        assert_eq!(e.rows.len(), 2);
        let f = &e.rows[&8];
        assert_eq!((&*f.file, f.line), ("timelog/2026-11.csv", 3));
        assert_eq!(f.fingerprint, fingerprint(["2026-11-02", "acme", "7", "", "", "", ""]));
        let rows = rows_at(dir.path(), "timelog/2026-10.csv", &wanted);
        assert_eq!((rows[&7].row.engineer.as_str(), rows[&7].line), ("Anna", 2));
        assert_eq!(e.headers.len(), 3);
        assert_eq!(e.headers[&"2026-09".parse().unwrap()], ["date", "contract", "minutes", "note"]);
    }

    #[test]
    fn rows_that_cannot_be_read_are_problems() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("timelog");
        std::fs::create_dir_all(&t).unwrap();
        std::fs::write(
            t.join("2026-11.csv"),
            "date,contract,minutes,note,id\n2026-11-02,acme,5,\"open\n2026-11-03,acme,5,x,\n",
        )
        .unwrap();
        std::fs::write(t.join("2026-10.csv"), "date,contract,minutes,id\n2026-10-02,acme,5,nope\n").unwrap();
        let months = ["2026-10".parse().unwrap(), "2026-11".parse().unwrap()].into();
        let e = scan(dir.path(), &FxHashSet::default(), &months);
        let shown: Vec<String> = e.problems.list.iter().map(|p| p.to_string()).collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(shown[0].starts_with("timelog/2026-10.csv:2: id: \"nope\""), "{shown:?}");
        assert!(
            shown[1].starts_with("timelog/2026-11.csv:2: note: a quoted field runs over a line break"),
            "{shown:?}"
        );
    }
}
