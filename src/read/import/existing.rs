//! What the time log already holds of an import: the rows whose ids are
//! those the worklogs would get (wherever they stand: a worklog moved to
//! another month in Jira is still found), and the header of every month
//! file (an import needs its `id` column).
//!
//! Every `timelog/*.csv` is read (hidden files and other names are left to
//! `check`), on two threads; only the `id` cell of a row is parsed unless it
//! is one asked for. A file whose rows cannot all be read is a problem: a
//! quote left open could hide a row already imported.

use std::collections::BTreeMap;
use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::Month;
use crate::model::worklog::{LedgerRow, TimelogRow};
use crate::read::problem::{Lines, Problems};
use crate::read::table::{self, Column};
use crate::read::{TIMELOG_DIR, timelog};

/// What [`scan`] found.
#[derive(Debug, Default)]
pub struct Existing {
    /// Rows whose id was asked for; the first of each id.
    pub rows: FxHashMap<u128, LedgerRow>,
    /// The header of each month file `timelog/<M>.csv` with one.
    pub headers: BTreeMap<Month, Vec<String>>,
    pub problems: Problems,
}

const COLUMNS: [&str; 8] = ["date", "contract", "minutes", "ticket", "kind", "engineer", "note", "id"];

/// Reads the time log of the ledger at `root` for the ids in `wanted`.
pub fn scan(root: &Path, wanted: &FxHashSet<u128>) -> Existing {
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
    let parts: Vec<Existing> = std::thread::scope(|s| {
        let handles: Vec<_> = names
            .chunks(half)
            .map(|files| s.spawn(move || files.iter().map(|n| scan_file(root, n, wanted)).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a time-log scan thread panicked")).collect()
    });
    for part in parts {
        for (id, found) in part.rows {
            out.rows.entry(id).or_insert(found);
        }
        out.headers.extend(part.headers);
        out.problems.list.extend(part.problems.list);
    }
    out
}

fn scan_file(root: &Path, name: &str, wanted: &FxHashSet<u128>) -> Existing {
    let mut out = Existing::default();
    let rel = format!("{TIMELOG_DIR}/{name}");
    let data = match std::fs::read(root.join(&rel)) {
        Ok(d) => d,
        Err(e) => {
            out.problems.error(&rel, None, None, format!("cannot read: {e}"));
            return out;
        }
    };
    if let (Some(m), Some(h)) = (timelog::file_month(name), table::header_names(&data)) {
        out.headers.insert(m, h);
    }
    let cols: Vec<Column<'_>> = COLUMNS
        .iter()
        .map(|&name| Column { name, required: matches!(name, "date" | "contract" | "minutes") })
        .collect();
    let mut found: Vec<(usize, u128, TimelogRow)> = Vec::new();
    table::read_rows(&rel, &data, &cols, &mut out.problems, |r| {
        let id = match r.get(7) {
            "" => return Ok(()),
            s => timelog::parse_id(s)?,
        };
        if wanted.contains(&id) {
            let row = TimelogRow {
                date: r.get(0).to_string(),
                contract: r.get(1).to_string(),
                minutes: r.get(2).to_string(),
                ticket: r.get(3).to_string(),
                kind: r.get(4).to_string(),
                engineer: r.get(5).to_string(),
                note: r.get(6).to_string(),
            };
            found.push((r.offset, id, row));
        }
        Ok(())
    });
    // An empty file (a rolled-back first append) holds nothing: not a problem here.
    out.problems.list.retain(|p| p.severity == crate::read::Severity::Error);
    let mut lines = Lines::new(table::body(&data));
    for (offset, id, row) in found {
        out.rows.entry(id).or_insert(LedgerRow { file: rel.clone(), line: lines.line(offset), row });
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
        let e = scan(dir.path(), &wanted);
        assert!(e.problems.list.is_empty(), "{:?}", e.problems.list);
        assert_eq!(e.rows.len(), 2);
        let f = &e.rows[&8];
        assert_eq!((f.file.as_str(), f.line, f.row.minutes.as_str()), ("timelog/2026-11.csv", 3, "7"));
        assert_eq!(e.rows[&7].row.engineer, "Anna");
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
        let e = scan(dir.path(), &FxHashSet::default());
        let shown: Vec<String> = e.problems.list.iter().map(|p| p.to_string()).collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(shown[0].starts_with("timelog/2026-10.csv:2: id: \"nope\""), "{shown:?}");
        assert!(
            shown[1].starts_with("timelog/2026-11.csv:2: note: a quoted field runs over a line break"),
            "{shown:?}"
        );
    }
}
