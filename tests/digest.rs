//! Property tests of the digest of a month's rows (SPEC §8.1) through the
//! ledger reader: the same rows give the same digest whatever the file's
//! column order, quoting, line endings, row order, a leading BOM or an extra
//! column; an added, removed or edited row changes it.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use proptest::prelude::*;
use supportctl::compute::closing::RowDigests;
use supportctl::model::Month;
use supportctl::read::{Scope, Want, load_want, timelog::HEADER};

/// One time-log row: its values in the order of `HEADER`.
type Row = [String; 10];

fn arb_row() -> impl Strategy<Value = Row> {
    (
        1u32..=30,
        0usize..2,
        1u64..600,
        prop::option::of("SD-[0-9]{1,4}"),
        prop::sample::select(vec!["", "support", "escalation", "nonbillable"]),
        prop::sample::select(vec!["", "2", "3"]),
        prop::sample::select(vec!["", "desk", "email", "phone"]),
        "[a-zA-Zäöü ]{0,8}",
        "[a-zA-Z0-9 ,\"'=+äß€]{0,16}",
        prop::option::of(any::<u128>()),
    )
        .prop_map(|(day, c, minutes, ticket, kind, level, channel, engineer, note, id)| {
            [
                format!("2026-10-{day:02}"),
                ["acme", "beta"][c].to_string(),
                minutes.to_string(),
                ticket.unwrap_or_default(),
                kind.to_string(),
                level.to_string(),
                channel.to_string(),
                engineer,
                note,
                id.map(|i| ulid::Ulid(i >> 1).to_string()).unwrap_or_default(),
            ]
        })
}

/// How a file holds the rows.
#[derive(Clone, Debug)]
struct Form {
    /// A permutation of the columns (and whether an unknown column is added).
    columns: Vec<usize>,
    extra_column: bool,
    crlf: bool,
    bom: bool,
    quote_all: bool,
    /// A permutation of the rows.
    order: Vec<usize>,
}

fn arb_form(rows: usize) -> impl Strategy<Value = Form> {
    (
        Just((0..HEADER.len()).collect::<Vec<usize>>()).prop_shuffle(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        Just((0..rows).collect::<Vec<usize>>()).prop_shuffle(),
    )
        .prop_map(|(columns, extra_column, crlf, bom, quote_all, order)| Form {
            columns,
            extra_column,
            crlf,
            bom,
            quote_all,
            order,
        })
}

fn file(rows: &[Row], f: &Form) -> Vec<u8> {
    let mut out = if f.bom { vec![0xEF, 0xBB, 0xBF] } else { Vec::new() };
    let mut w = csv::WriterBuilder::new()
        .terminator(if f.crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
        .quote_style(if f.quote_all { csv::QuoteStyle::Always } else { csv::QuoteStyle::Necessary })
        .from_writer(Vec::new());
    let mut header: Vec<&str> = f.columns.iter().map(|&i| HEADER[i]).collect();
    if f.extra_column {
        header.insert(1, "billed_by_accounting");
    }
    w.write_record(&header).unwrap();
    for &r in &f.order {
        let mut cells: Vec<&str> = f.columns.iter().map(|&i| rows[r][i].as_str()).collect();
        if f.extra_column {
            cells.insert(1, "x");
        }
        w.write_record(&cells).unwrap();
    }
    out.extend(w.into_inner().unwrap());
    out
}

/// The digests of October's rows of acme and beta as the reader gives them.
fn digests(dir: &Path, content: &[u8]) -> (RowDigests, RowDigests) {
    common::write(dir, "timelog/2026-10.csv", content);
    let oct: Month = "2026-10".parse().unwrap();
    let loaded = load_want(dir, |_| Want {
        scope: Scope::Month(oct),
        digests: BTreeSet::from([oct]),
        closings: vec![],
        keep: None,
    });
    assert!(!loaded.problems.has_errors(), "{:?}", loaded.problems.list);
    (loaded.row_digests("acme", oct), loaded.row_digests("beta", oct))
}

fn ledger() -> tempfile::TempDir {
    // Both contracts active in October; rows of distinct ids.
    common::small_ledger::<&str>(&[])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_form_of_the_file_does_not_change_the_digest(
        (rows, a, b) in prop::collection::vec(arb_row(), 1..12)
            .prop_flat_map(|rows| { let n = rows.len(); (Just(rows), arb_form(n), arb_form(n)) })
    ) {
        let dir = ledger();
        let rows = unique_ids(rows);
        prop_assert_eq!(digests(dir.path(), &file(&rows, &a)), digests(dir.path(), &file(&rows, &b)));
    }

    #[test]
    fn an_added_removed_or_edited_row_changes_the_digest(
        (rows, form, pick, edit) in prop::collection::vec(arb_row(), 2..12)
            .prop_flat_map(|rows| { let n = rows.len(); (Just(rows), arb_form(n), 0..n, 0usize..10) }),
        extra in arb_row(),
    ) {
        let dir = ledger();
        let rows = unique_ids(rows);
        let both = |d: (RowDigests, RowDigests)| (d.0.timelog, d.1.timelog);
        let form_without = |n: usize| Form { order: (0..n).collect(), ..form.clone() };
        let before = both(digests(dir.path(), &file(&rows, &form)));
        // Removed.
        let mut fewer = rows.clone();
        fewer.remove(pick);
        prop_assert_ne!(before, both(digests(dir.path(), &file(&fewer, &form_without(fewer.len())))));
        // Added (a row never equal to one there: its id is fresh).
        let mut more = rows.clone();
        let mut extra = extra;
        extra[9] = ulid::Ulid(u128::from(u64::MAX) + 7).to_string();
        more.push(extra);
        prop_assert_ne!(before, both(digests(dir.path(), &file(&more, &form_without(more.len())))));
        // Edited: one value of one row, to another valid value.
        let mut edited = rows.clone();
        let r = &mut edited[pick];
        match edit {
            0 => r[0] = if r[0] == "2026-10-31" { "2026-10-01".into() } else { "2026-10-31".into() },
            1 => r[1] = if r[1] == "acme" { "beta".into() } else { "acme".into() },
            2 => r[2] = (r[2].parse::<u64>().unwrap() + 1).to_string(),
            3 => r[3].push('7'),
            4 => r[4] = if r[4] == "escalation" { "support".into() } else { "escalation".into() },
            5 => r[5] = if r[5] == "3" { "2".into() } else { "3".into() },
            6 => r[6] = if r[6] == "phone" { "email".into() } else { "phone".into() },
            7 => r[7].push('x'),
            8 => r[8].push('!'),
            _ => r[9] = if r[9].is_empty() { ulid::Ulid(99).to_string() } else { String::new() },
        }
        prop_assert_ne!(before, both(digests(dir.path(), &file(&edited, &form_without(edited.len())))));
    }
}

/// Ids must be unique in a ledger: repeated ones are cleared.
fn unique_ids(mut rows: Vec<Row>) -> Vec<Row> {
    let mut seen = BTreeSet::new();
    for r in &mut rows {
        if !r[9].is_empty() && !seen.insert(r[9].clone()) {
            r[9].clear();
        }
    }
    rows
}
