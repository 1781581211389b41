//! Fuzz and robustness entry points: each reader fed arbitrary bytes, with
//! its invariants asserted (RELIABILITY (c) 17–18). A panic here is a bug in
//! the reader, never an expected outcome.
//!
//! Not part of supportctl's interface (`#[doc(hidden)]`): only the cargo-fuzz
//! targets in `tests/fuzz/` (one per function, same name), the regression
//! corpus run of `tests/fuzz_regressions.rs` and `tests/robustness.rs` call
//! these. Every function takes the raw input and returns nothing.
//!
//! Line numbers are checked against [`editor_lines`]: the number of lines an
//! editor shows, where an empty file still has its one (empty) line.
#![doc(hidden)]

use std::collections::HashSet;
use std::sync::OnceLock;

use rust_decimal::Decimal;

use super::problem::{Problem, Problems, Severity};
use super::timelog::{ContractIndex, LogRow};
use super::{approvals as approvals_reader, contracts, settings, tickets as tickets_reader, timelog as timelog_reader};
use crate::compute::{self, Usage};
use crate::model::amount::{MAX_DURATION_MINUTES, duration_text, hm, parse_duration};
use crate::model::{Contract, Kind, Month, Settings};
use crate::sla::time::{format_at, parse_at};

/// The contracts rows may name: open-ended, ended in 2026-10, the demo
/// ledger's ids (so that its rows are valid seeds), and one "broken" contract
/// whose file exists but could not be read.
const CONTRACTS: &[(&str, &str)] = &[
    ("acme", "customer = \"ACME GmbH\"\ntier = \"20h\"\nstart = \"2026-01\"\n"),
    ("beta", "customer = \"Beta AG\"\ntier = \"16h\"\nstart = \"2026-01\"\nend = \"2026-10\"\n"),
    ("alpen-kliniken", "customer = \"A\"\ntier = \"30h\"\nstart = \"2026-04\"\nvat_rate = \"0\"\n"),
    ("brandt-logistik", "customer = \"B\"\ntier = \"16h\"\nstart = \"2026-01\"\nrounding = \"15m\"\n"),
    ("hansa-versicherung", "customer = \"H\"\nhours = 40\nrate = \"95.00\"\nstart = \"2025-01\"\n"),
    (
        "mueller-maschinenbau",
        "customer = \"M\"\ntier = \"20h\"\nstart = \"2026-01\"\nend = \"2026-12\"\nsla_clock = \"business\"\nbusiness_hours = \"08:00-16:30\"\nholidays = \"DE-BY\"\nresponse_hours = 24\n",
    ),
    ("nordwind-energie", "customer = \"N\"\ntier = \"50h\"\nstart = \"2026-01\"\n"),
    ("stadtwerke-rheinpfalz", "customer = \"S\"\ntier = \"20h\"\nstart = \"2026-01\"\n"),
];
const BROKEN: &str = "broken";

/// The default settings and the fixed contract set, built once.
fn fixture() -> &'static (Settings, Vec<Contract>) {
    static FIXTURE: OnceLock<(Settings, Vec<Contract>)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let s = settings::defaults();
        let mut p = Problems::default();
        let cs = CONTRACTS
            .iter()
            .map(|(id, src)| {
                contracts::read(id, &format!("contracts/{id}.toml"), src, &s, &mut p)
                    .unwrap_or_else(|| panic!("fixture contract {id} is invalid: {:?}", p.list))
            })
            .collect();
        (s, cs)
    })
}

fn index(contracts: &[Contract]) -> ContractIndex<'_> {
    ContractIndex::new(contracts, HashSet::from([BROKEN.to_string()]))
}

/// Lines of `data` as an editor shows them: one per `\n`, plus the last line
/// when it has no `\n` after it. An empty file has one (empty) line.
pub fn editor_lines(data: &[u8]) -> usize {
    let n = memchr::memchr_iter(b'\n', data).count();
    if data.last() == Some(&b'\n') { n } else { n + 1 }
}

/// A short, printable excerpt of an input for assertion messages.
fn shown(data: &[u8]) -> String {
    let s = String::from_utf8_lossy(&data[..data.len().min(300)]).into_owned();
    format!("{s:?}{}", if data.len() > 300 { " …" } else { "" })
}

/// Every problem names `file` and, where it has a line, one within the file.
fn check_positions(file: &str, data: &[u8], problems: &[Problem]) {
    let lines = editor_lines(data);
    for p in problems {
        assert_eq!(p.file, file, "problem names another file: {p}\ninput: {}", shown(data));
        assert!(!p.message.trim().is_empty(), "problem without a message: {p:?}\ninput: {}", shown(data));
        if let Some(l) = p.line {
            assert!((1..=lines).contains(&l), "line {l} outside 1..={lines}: {p}\ninput: {}", shown(data));
        }
    }
}

/// The problems of a CSV read: lines within the file, no columns; a problem
/// without a line only for an empty file.
fn check_csv_problems(file: &str, data: &[u8], problems: &[Problem]) {
    check_positions(file, data, problems);
    let body = super::table::body(data);
    for p in problems {
        assert!(p.column.is_none(), "CSV problem with a column: {p}\ninput: {}", shown(data));
        if p.line.is_none() {
            assert!(
                body.is_empty() && p.severity == Severity::Warning,
                "problem without a line in a non-empty file: {p}\ninput: {}",
                shown(data)
            );
        }
    }
}

/// What a read produced, comparable across equivalent inputs.
#[derive(Debug, PartialEq, Eq)]
struct Outcome<R> {
    rows: Vec<R>,
    problems: Vec<(Severity, Option<usize>, String)>,
}

fn outcome<R>(rows: Vec<R>, problems: &Problems) -> Outcome<R> {
    Outcome { rows, problems: problems.list.iter().map(|p| (p.severity, p.line, p.message.clone())).collect() }
}

/// The same text with CRLF line endings (only for text without any `\r`).
fn to_crlf(data: &[u8]) -> Option<Vec<u8>> {
    if data.contains(&b'\r') || !data.contains(&b'\n') {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() + data.len() / 16);
    for &b in data {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    Some(out)
}

fn with_bom(data: &[u8]) -> Option<Vec<u8>> {
    if data.starts_with(b"\xEF\xBB\xBF") {
        return None;
    }
    Some([b"\xEF\xBB\xBF".as_slice(), data].concat())
}

/// A valid time-log row as compared between reads.
type RowKey = (usize, chrono::NaiveDate, usize, u64, Kind, Option<u128>);

fn read_timelog(file: &str, name: &str, data: &[u8], contracts: &[Contract]) -> Outcome<RowKey> {
    let idx = index(contracts);
    let mut p = Problems::default();
    let mut rows = Vec::new();
    let mut lines = super::problem::Lines::new(super::table::body(data));
    timelog_reader::read(file, name, data, 0..usize::MAX, &idx, &mut p, |r: LogRow, _| {
        rows.push((lines.line(r.offset), r.date, r.contract, r.minutes, r.kind, r.id));
    });
    check_csv_problems(file, data, &p.list);
    outcome(rows, &p)
}

/// The CSV record reader (`records::Records`) on `data`, against the `csv`
/// crate's reader with the table reader's settings. Invariants: the same
/// records with the same fields, and the same judgement of whether the last
/// one lacks its line break; every record starts on a byte that is not a
/// line break, after the end of the one before, and ends within `data`.
pub fn csv_records(data: &[u8]) {
    // The table reader drops the byte order marks a file starts with before
    // it reads records; any other is data. The `csv` crate would drop one at
    // the start of what it is given, so it is given a blank line first (which
    // it skips, and which shifts its offsets by one).
    let body = super::table::body(data);
    let torn = |end: usize| !body.ends_with(b"\n") && end >= body.len();
    let oracle_input = [b"\n", body].concat();
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(oracle_input.as_slice());
    let mut want = Vec::new();
    let mut rec = csv::ByteRecord::new();
    while rdr.read_byte_record(&mut rec).expect("reading from memory cannot fail") {
        want.push((rec.iter().map(<[u8]>::to_vec).collect::<Vec<_>>(), torn(rdr.position().byte() as usize - 1)));
    }
    let mut got = Vec::new();
    let mut records = super::records::Records::new(body);
    let mut rec = super::records::Record::default();
    let mut last_end = 0;
    while records.next_into(&mut rec) {
        assert!(
            rec.start >= last_end && rec.end > rec.start && rec.end <= body.len(),
            "record at {}..{} after {last_end}\ninput: {}",
            rec.start,
            rec.end,
            shown(data)
        );
        assert!(!matches!(body[rec.start], b'\r' | b'\n'), "a record starts on a line break\ninput: {}", shown(data));
        last_end = rec.end;
        if rec.one_line() {
            assert!(
                rec.iter().all(|f| !f.contains(&b'\n') && !f.contains(&b'\r')),
                "a record cut from one line has a line break in a field\ninput: {}",
                shown(data)
            );
        }
        if let Some(r) = rec.line_range() {
            assert_eq!(rec.as_slice(), &body[r], "the fields do not lie where the record says\ninput: {}", shown(data));
        }
        got.push((rec.iter().map(<[u8]>::to_vec).collect::<Vec<_>>(), torn(rec.end)));
    }
    assert_eq!(got, want, "records differ from the csv crate's\ninput: {}", shown(data));
}

/// The time-log reader (`timelog::read`) on `data`, once as a month file
/// (`timelog/2026-11.csv`) and once as a file named otherwise. Invariants:
/// no panic; every problem names the file and a line within it; every
/// valid row lies within the file, in order, on a line without an error
/// (unless a lone `\r` put two records on one line), names a known contract
/// active in the row's month, has minutes > 0 and, in the month file, a date
/// of that month; the same text with CRLF line endings or a
/// byte order mark reads the same (same rows, same problems, same lines).
pub fn timelog(data: &[u8]) {
    let (_, contracts) = fixture();
    let lines = editor_lines(data);
    for (file, name) in [("timelog/2026-11.csv", "2026-11.csv"), ("timelog/extra.csv", "extra.csv")] {
        let out = read_timelog(file, name, data, contracts);
        let month = timelog_reader::file_month(name);
        let mut last = 0;
        for &(line, date, contract, minutes, _, _) in &out.rows {
            assert!((1..=lines).contains(&line), "row at line {line} outside 1..={lines}\ninput: {}", shown(data));
            assert!(line >= last, "rows out of order: line {line} after {last}\ninput: {}", shown(data));
            last = line;
            assert!(minutes > 0, "row with 0 minutes at line {line}\ninput: {}", shown(data));
            let c = &contracts[contract];
            assert!(c.is_active(Month::of(date)), "row at line {line}: {} not active on {date}", c.id);
            if let Some(m) = month {
                assert!(m.contains(date), "row at line {line}: {date} in {name}\ninput: {}", shown(data));
            }
            let err_here = out.problems.iter().any(|(s, l, _)| *s == Severity::Error && *l == Some(line));
            // A lone `\r` ends a CSV record without starting an editor line,
            // so a valid row may share its line with a broken one; with no
            // `\r` in the data a line holds one record.
            if !data.contains(&b'\r') {
                assert!(!err_here, "line {line} is both a valid row and an error\ninput: {}", shown(data));
            }
        }
        if let Some(crlf) = to_crlf(data) {
            let again = read_timelog(file, name, &crlf, contracts);
            assert_eq!(out, again, "CRLF line endings read differently\ninput: {}", shown(data));
        }
        if let Some(bom) = with_bom(data) {
            let again = read_timelog(file, name, &bom, contracts);
            assert_eq!(out, again, "a byte order mark changes the read\ninput: {}", shown(data));
        }
    }
}

/// A valid approval as compared between reads.
type ApprovalKey = (usize, usize, Month, u64, Option<u128>);

fn read_approvals(data: &[u8], contracts: &[Contract]) -> Outcome<ApprovalKey> {
    let idx = index(contracts);
    let mut p = Problems::default();
    let rows = approvals_reader::read("approvals.csv", data, &idx, |_| true, &mut p);
    check_csv_problems("approvals.csv", data, &p.list);
    let rows = rows.iter().map(|a| (a.line, a.contract, a.approval.month, a.approval.minutes, a.id)).collect();
    outcome(rows, &p)
}

/// The approvals reader (`approvals::read`) on `data`. Invariants: those of
/// [`timelog`] for lines and files; every approval names a known contract
/// active in the approved month, with minutes > 0; CRLF and a byte order
/// mark change nothing.
pub fn approvals(data: &[u8]) {
    let (_, contracts) = fixture();
    let lines = editor_lines(data);
    let out = read_approvals(data, contracts);
    let mut last = 0;
    for &(line, contract, month, minutes, _) in &out.rows {
        assert!((1..=lines).contains(&line), "approval at line {line} outside 1..={lines}\ninput: {}", shown(data));
        assert!(line >= last, "approvals out of order\ninput: {}", shown(data));
        last = line;
        assert!(minutes > 0, "approval of 0 minutes\ninput: {}", shown(data));
        assert!(contracts[contract].is_active(month), "approval for an inactive month\ninput: {}", shown(data));
    }
    if let Some(crlf) = to_crlf(data) {
        assert_eq!(out, read_approvals(&crlf, contracts), "CRLF line endings read differently\ninput: {}", shown(data));
    }
    if let Some(bom) = with_bom(data) {
        assert_eq!(out, read_approvals(&bom, contracts), "a byte order mark changes the read\ninput: {}", shown(data));
    }
}

/// The problems of a TOML read: every one with a line and a column within
/// the text (a column may point just past the last character of its line).
fn check_toml_problems(file: &str, src: &str, problems: &[Problem]) {
    check_positions(file, src.as_bytes(), problems);
    let text_lines: Vec<&str> = src.split('\n').collect();
    for p in problems {
        let Some(line) = p.line else { panic!("TOML problem without a line: {p}\ninput: {src:?}") };
        if let Some(col) = p.column {
            let width = text_lines.get(line - 1).map_or(0, |l| l.chars().count());
            assert!(
                (1..=width + 1).contains(&col),
                "column {col} outside 1..={} of line {line}: {p}\ninput: {src:?}",
                width + 1
            );
        }
    }
}

/// `supportctl.toml` through `settings::read`, the bytes taken as UTF-8 with
/// invalid sequences replaced (the ledger refuses such a file before this
/// reader; replacing keeps the fuzzer's mutations useful). Invariants: no
/// panic; every problem names the file and a line and column within the text;
/// the result's values are within their ranges.
pub fn settings_toml(data: &[u8]) {
    let src = String::from_utf8_lossy(data);
    let mut p = Problems::default();
    let s = settings::read("supportctl.toml", &src, &mut p);
    check_toml_problems("supportctl.toml", &src, &p.list);
    assert!(!s.tiers.is_empty(), "settings without a price list\ninput: {src:?}");
    assert!((1..=24 * 60).contains(&s.rounding), "rounding {} out of range\ninput: {src:?}", s.rounding);
    assert!(
        s.vat_rate.decimal() >= Decimal::ZERO && s.vat_rate.decimal() <= Decimal::from(100),
        "vat_rate\ninput: {src:?}"
    );
    for t in &s.tiers {
        assert!((1..=10_000).contains(&t.hours), "tier hours {}\ninput: {src:?}", t.hours);
        assert!(t.rate.decimal() >= Decimal::ZERO, "negative rate\ninput: {src:?}");
    }
}

/// `contracts/acme.toml` through `contracts::read` with the default
/// settings. Invariants: no panic; positions as for [`settings_toml`]; a
/// contract comes back exactly when no error was found; for a contract, the
/// month computation of its first month and of every change's month holds
/// (fee = hours × rate, net = fee + approved overage amount, gross = net + VAT,
/// two decimals everywhere, forfeited or overage zero).
pub fn contract_toml(data: &[u8]) {
    let (settings, _) = fixture();
    let src = String::from_utf8_lossy(data);
    let mut p = Problems::default();
    let c = contracts::read("acme", "contracts/acme.toml", &src, settings, &mut p);
    check_toml_problems("contracts/acme.toml", &src, &p.list);
    assert_eq!(c.is_some(), !p.has_errors(), "a contract exactly when no error: {:?}\ninput: {src:?}", p.list);
    let Some(c) = c else { return };
    assert_eq!(c.id, "acme");
    if let Some(end) = c.end {
        assert!(c.start <= end, "end before start\ninput: {src:?}");
    }
    let months = std::iter::once(c.start).chain(c.changes.iter().map(|(m, _)| *m));
    for m in months {
        assert!(c.is_active(m), "{m} is a month of the contract but not active\ninput: {src:?}");
        let t = c.terms(m);
        assert!((1..=10_000).contains(&t.hours), "hours {} in {m}\ninput: {src:?}", t.hours);
        let quota = t.hours * 60;
        for (used, approved) in [(0, 0), (quota, 0), (quota + 7, 5), (quota + 7, 1_000)] {
            let mut u = Usage::default();
            u.add(Kind::Support, used.max(1), t.rounding);
            let r = compute::contract_month(&c, &t, u, approved);
            assert!(r.forfeited_minutes == 0 || r.overage_minutes == 0, "{r:?}");
            assert_eq!(r.approved_overage_minutes + r.unapproved_overage_minutes, r.overage_minutes);
            assert_eq!(r.fee, t.fee());
            assert_eq!(r.net.decimal(), r.fee.decimal() + r.overage_amount.decimal(), "{r:?}");
            assert_eq!(r.gross.decimal(), r.net.decimal() + r.vat.decimal(), "{r:?}");
            for money in [r.fee, r.overage_amount, r.net, r.vat, r.gross] {
                assert_eq!(money.decimal().scale(), 2, "{money} lacks two decimals: {r:?}\ninput: {src:?}");
                assert!(money.decimal() >= Decimal::ZERO, "negative amount: {r:?}\ninput: {src:?}");
            }
        }
    }
}

/// `parse_duration` on `data` when it is UTF-8. Invariants: no panic; an
/// accepted duration is 1..=MAX_DURATION_MINUTES minutes; its bare-minutes,
/// `Nm`, `h:mm` and short (`duration_text`) forms parse back to the same
/// minutes; a refusal says what was wrong.
pub fn duration(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match parse_duration(text) {
        Ok(m) => {
            assert!((1..=MAX_DURATION_MINUTES).contains(&m), "{text:?} → {m} minutes");
            for form in [format!("{m}"), format!("{m}m"), hm(m), duration_text(m)] {
                assert_eq!(parse_duration(&form), Ok(m), "{text:?} → {m}, but {form:?} does not read back");
            }
            if m % 60 == 0 {
                assert_eq!(parse_duration(&format!("{}h", m / 60)), Ok(m), "{text:?} → {m}");
            }
        }
        Err(e) => assert!(!e.trim().is_empty(), "{text:?}: refused without a message"),
    }
}

/// The ticket time parser `sla::time::parse_at` in Europe/Berlin on `data`
/// when it is UTF-8. Invariants: no panic; an accepted time is kept to the
/// minute and [`format_at`] of it parses back to the same instant;
/// surrounding whitespace changes nothing; its local `YYYY-MM-DD HH:MM` form
/// reads back to the same instant or is refused as ambiguous (the repeated
/// October hour); a refusal says why.
pub fn ticket_time(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let tz = chrono_tz::Europe::Berlin;
    let parsed = parse_at(text, tz);
    assert_eq!(parse_at(&format!(" {text}\t"), tz), parsed, "surrounding whitespace changes {text:?}");
    let t = match parsed {
        Ok(t) => t,
        Err(e) => {
            assert!(!e.trim().is_empty(), "{text:?}: refused without a message");
            return;
        }
    };
    assert_eq!(t.timestamp() % 60, 0, "{text:?} → {t}: not kept to the minute");
    let shown = format_at(t);
    assert_eq!(parse_at(&shown, tz), Ok(t), "{text:?} → {t}, shown as {shown:?}, does not read back");
    let local = t.naive_local().format("%Y-%m-%d %H:%M").to_string();
    match parse_at(&local, tz) {
        Ok(u) => assert_eq!(u, t, "{text:?} → {t}: its local form {local:?} is another instant"),
        Err(e) => assert!(e.contains("ambiguous"), "{text:?} → {t}: its local form {local:?} is refused: {e}"),
    }
}

/// A ticket event as compared between reads.
type EventKey = (usize, String, String, crate::model::ticket::Event, i64);

fn read_tickets(data: &[u8], contracts: &[Contract]) -> (Outcome<EventKey>, Vec<crate::model::ticket::TicketEvent>) {
    let idx = index(contracts);
    let mut p = Problems::default();
    let events = tickets_reader::read(data, chrono_tz::Europe::Berlin, &idx, &mut p);
    check_csv_problems(tickets_reader::FILE, data, &p.list);
    let keys =
        events.iter().map(|e| (e.line, e.ticket.clone(), e.contract.clone(), e.event, e.at.timestamp())).collect();
    (outcome(keys, &p), events)
}

/// `tickets.csv` through `tickets::read` (Europe/Berlin, the fixed contracts,
/// one of them on the business clock), then the SLA figures of every ticket
/// whose events make sense. Invariants: those of [`approvals`] for lines,
/// files, CRLF and a byte order mark; every event names a known contract;
/// a ticket's response deadline is not before its receipt and its clock
/// minutes are not negative.
pub fn tickets_csv(data: &[u8]) {
    let (settings, contracts) = fixture();
    let lines = editor_lines(data);
    let (out, events) = read_tickets(data, contracts);
    for e in &events {
        assert!((1..=lines).contains(&e.line), "event at line {} outside 1..={lines}\ninput: {}", e.line, shown(data));
        assert!(contracts.iter().any(|c| c.id == e.contract), "event for an unknown contract\ninput: {}", shown(data));
    }
    if let Some(crlf) = to_crlf(data) {
        assert_eq!(out, read_tickets(&crlf, contracts).0, "CRLF line endings read differently\ninput: {}", shown(data));
    }
    if let Some(bom) = with_bom(data) {
        assert_eq!(out, read_tickets(&bom, contracts).0, "a byte order mark changes the read\ninput: {}", shown(data));
    }
    let now = parse_at("2026-11-27 12:00", chrono_tz::Europe::Berlin).expect("a valid time");
    for evs in tickets_reader::by_ticket(&events).values() {
        // Only tickets whose events all make sense get figures, and only
        // within a year of now: the business clock walks day by day.
        let far = evs.iter().any(|e| (e.at - now).num_days().abs() > 366);
        if far || !crate::sla::tickets::validate(evs).is_empty() {
            continue;
        }
        let c = contracts.iter().find(|c| c.id == evs[0].contract).expect("a known contract");
        let terms = crate::sla::terms::contract_terms(settings, c);
        let st = crate::sla::tickets::status(evs, &terms, now);
        assert!(st.response_deadline >= st.received, "deadline before receipt: {st:?}\ninput: {}", shown(data));
        for m in [st.response_minutes, st.resolution_minutes].into_iter().flatten() {
            assert!(m >= 0, "negative clock minutes: {st:?}\ninput: {}", shown(data));
        }
    }
}

/// The text's problems from judging seller or buyer values: each names
/// `file`; with a line, the line and column lie within the text; without
/// one, it is the table's "missing" report.
fn check_judged(file: &str, src: &str, problems: &[Problem]) {
    let lines: Vec<&str> = src.split('\n').collect();
    for p in problems {
        assert_eq!(p.file, file, "problem names another file: {p}\ninput: {src:?}");
        match (p.line, p.column) {
            (Some(l), Some(c)) => {
                let width = lines.get(l - 1).map(|t| t.chars().count());
                assert!(width.is_some_and(|w| (1..=w + 1).contains(&c)), "{p} outside the text\ninput: {src:?}");
            }
            (None, None) => assert!(
                p.message.contains("missing") || p.message.starts_with("customer:"),
                "problem without a position: {p}\ninput: {src:?}"
            ),
            _ => panic!("a line without a column or the reverse: {p}\ninput: {src:?}"),
        }
    }
}

/// The seller and buyer settings (SPEC §9): `data` read as `supportctl.toml`
/// (its `[seller]`) and as the rest of a readable contract (its `[buyer]`,
/// `vat_category`, `vat_exemption_reason`), each judged as `check` judges
/// it and as `invoice` does. Invariants: no panic; every problem at a
/// position within the text (or a table's "missing" report); `check`'s
/// judgement never reports a missing key and finds nothing that `invoice`'s
/// does not; a complete seller and buyer hold only well-formed values
/// (IBAN with its check digits, countries, e-mail addresses, payment days,
/// a file-name-safe prefix), and an invoice to them renders as XML whose
/// parties' names and addresses read back exactly.
pub fn parties_toml(data: &[u8]) {
    use super::parties::{self, Need};
    use crate::model::invoice::VatCategory;

    let src = String::from_utf8_lossy(data);
    let mut p = Problems::default();
    let s = settings::read("supportctl.toml", &src, &mut p);
    check_toml_problems("supportctl.toml", &src, &p.list);
    let judge = |need| {
        let mut p = Problems::default();
        let seller = parties::seller(s.seller.as_ref(), "supportctl.toml", need, &mut p);
        check_judged("supportctl.toml", &src, &p.list);
        (seller, p.list)
    };
    let (present_seller, present) = judge(Need::Present);
    let (seller, complete) = judge(Need::Complete);
    assert!(
        present.iter().all(|p| !p.message.contains("missing")),
        "check reports a missing key: {present:?}\ninput: {src:?}"
    );
    for p in &present {
        assert!(complete.contains(p), "{p} only when checking\ninput: {src:?}");
    }
    assert_eq!(present_seller, seller.clone().filter(|_| present.is_empty()), "input: {src:?}");
    assert_eq!(
        seller.is_some(),
        complete.is_empty(),
        "a seller exactly when nothing is wrong: {complete:?}\ninput: {src:?}"
    );
    if let Some(seller) = &seller {
        assert_eq!(super::countries::iban(&seller.iban).as_deref(), Ok(seller.iban.as_str()), "input: {src:?}");
        assert!(super::countries::is_country(&seller.address.country));
        for e in [&seller.email, &seller.contact_email] {
            assert!(super::countries::is_email(e), "{e}\ninput: {src:?}");
        }
        assert!(seller.vat_id.is_some() || seller.tax_number.is_some());
        assert!(seller.payment_days <= parties::MAX_PAYMENT_DAYS);
        assert!(!seller.number_prefix.starts_with('.') && !seller.number_prefix.contains(['/', '\\']));
    }

    // The same text as the rest of a contract.
    let head = "customer = \"ACME GmbH\"\ntier = \"20h\"\nstart = \"2026-01\"\n";
    let contract_src = format!("{head}{src}");
    let file = "contracts/acme.toml";
    let mut p = Problems::default();
    let Some(c) = contracts::read("acme", file, &contract_src, &settings::defaults(), &mut p) else {
        check_toml_problems(file, &contract_src, &p.list);
        return;
    };
    let mut present = Problems::default();
    let _ = parties::buyer(&c, file, Need::Present, &mut present);
    parties::check_contract_vat(&c, file, &mut present);
    let mut complete = Problems::default();
    let buyer = parties::buyer(&c, file, Need::Complete, &mut complete);
    let month: Month = "2026-11".parse().expect("a month");
    let vat = parties::invoice_vat(&c, file, &[month], &mut complete).filter(|(category, _)| {
        *category != VatCategory::ReverseCharge
            || parties::seller_vat_for_reverse_charge(
                s.seller.as_ref(),
                "supportctl.toml",
                &[file.to_string()],
                &mut complete,
            )
    });
    check_judged(file, &contract_src, &present.list);
    check_judged(file, &contract_src, &complete.list.iter().filter(|p| p.file == file).cloned().collect::<Vec<_>>());
    assert!(present.list.iter().all(|p| !p.message.contains("missing")), "{:?}\ninput: {src:?}", present.list);
    if let Some(b) = &buyer {
        assert!(super::countries::is_country(&b.address.country));
        assert!(super::countries::is_email(&b.email));
        assert!(!b.name.is_empty() && !b.reference.is_empty());
    }
    let (Some(seller), Some(buyer), Some((category, reason))) = (seller, buyer, vat) else { return };
    let zero = c.terms(month).vat_rate.decimal().is_zero();
    assert_eq!(zero, category != VatCategory::Standard, "category {category:?} for the rate\ninput: {src:?}");
    if category == VatCategory::ReverseCharge {
        assert!(
            buyer.vat_id.is_some() && seller.vat_id.is_some(),
            "reverse charge without both VAT ids\ninput: {src:?}"
        );
    }
    let terms = c.terms(month);
    let fee = terms.fee();
    let vat_amount = fee.percent(terms.vat_rate.decimal());
    let input = crate::compute::invoice::InvoiceInput {
        contract: c.id.clone(),
        customer: c.customer.clone(),
        month,
        currency: "EUR".into(),
        tier: terms.tier.clone(),
        hours: Some(terms.hours),
        approved_overage_minutes: 0,
        rate: Some(terms.rate),
        overage_rate: Some(terms.overage_rate),
        vat_rate: Some(terms.vat_rate),
        fee,
        overage_amount: crate::model::Money::ZERO,
        corrections: vec![],
        correction_amount: crate::model::Money::ZERO,
        net: fee,
        vat: vat_amount,
        gross: fee + vat_amount,
        vat_category: category,
        vat_exemption_reason: reason,
        seller: seller.clone(),
        buyer: buyer.clone(),
    };
    let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date");
    let inv = crate::compute::invoice::build(&input, "RE-2026-0001", date).expect("the figures add up");
    let xml = crate::render::cii::invoice(&inv);
    let texts = xml_texts(&xml);
    for want in [
        &seller.name,
        &seller.address.street,
        &seller.address.city,
        &buyer.name,
        &buyer.address.street,
        &buyer.reference,
    ] {
        assert!(texts.iter().any(|t| t == want), "{want:?} does not read back from the XML\ninput: {src:?}");
    }
}

/// The texts of an XML document's elements, entities resolved.
fn xml_texts(xml: &[u8]) -> Vec<String> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut out = Vec::new();
    let mut text = String::new();
    let mut buf = Vec::new();
    loop {
        match r.read_event_into(&mut buf).expect("well-formed XML") {
            Event::Text(t) => text.push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0)),
            Event::GeneralRef(g) => text.push_str(match g.xml10_content().as_ref() {
                "amp" => "&",
                "lt" => "<",
                "gt" => ">",
                "quot" => "\"",
                "apos" => "'",
                other => panic!("unexpected entity {other}"),
            }),
            Event::End(_) | Event::Start(_) => {
                if !text.trim().is_empty() {
                    out.push(std::mem::take(&mut text));
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// Contracts for the import targets: projects SD and ACME, one contract
/// ended, one project listed twice.
const IMPORT_CONTRACTS: &[(&str, &str)] = &[
    ("acme", "customer = \"A\"\ntier = \"20h\"\nstart = \"2018-01\"\njira_projects = [\"SD\", \"acme\", \"SLRM\"]\n"),
    (
        "beta",
        "customer = \"B\"\ntier = \"16h\"\nstart = \"2020-01\"\nend = \"2021-06\"\nrounding = \"15m\"\njira_projects = [\"BETA\", \"DUP\"]\n",
    ),
    ("gamma", "customer = \"G\"\ntier = \"16h\"\nstart = \"2026-01\"\njira_projects = [\"DUP\"]\n"),
];

fn import_fixture() -> &'static Vec<Contract> {
    static FIXTURE: OnceLock<Vec<Contract>> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let s = settings::defaults();
        let mut p = Problems::default();
        IMPORT_CONTRACTS
            .iter()
            .map(|(id, src)| {
                contracts::read(id, &format!("contracts/{id}.toml"), src, &s, &mut p)
                    .unwrap_or_else(|| panic!("fixture contract {id} is invalid: {:?}", p.list))
            })
            .collect()
    })
}

/// An export of `source` through `read::import::read` (Europe/Berlin), then
/// the plan into a ledger with the fixture contracts and an empty time log.
/// Invariants: no panic; the same bytes read the same twice; a file error's
/// line lies within the file; items come in file order (lines rising within
/// the file, indices 0, 1, 2, …); every worklog has the id of its source id,
/// at most 1,000 hours, a valid issue key when it has one, and a note and
/// engineer that fit one time-log cell; the plan accounts for every item;
/// and the rows it would write, as a time-log file, read back without a
/// single problem (an import never writes a row `check` refuses).
fn import(source: crate::model::worklog::Source, data: &[u8]) {
    use crate::compute::import::{Ledger, plan};
    use crate::model::worklog::{IssueRef, Item, Position, row_id};
    let tz = chrono_tz::Europe::Berlin;
    let read = |d: &[u8]| {
        let mut items = Vec::new();
        let r = super::import::read(source, d, tz, |i| items.push(i));
        (r, items)
    };
    let (result, items) = read(data);
    assert_eq!((&result, &items), (&read(data).0, &read(data).1), "two reads differ\ninput: {}", shown(data));
    let lines = editor_lines(data);
    if let Err(e) = &result {
        if let Some(l) = e.line {
            assert!((1..=lines).contains(&l), "error at line {l} outside 1..={lines}: {e}\ninput: {}", shown(data));
        }
        assert!(!e.message.trim().is_empty(), "error without a message\ninput: {}", shown(data));
        return;
    }
    let mut last_line = 0;
    for (n, item) in items.iter().enumerate() {
        match item.pos() {
            Position::Line(l) => {
                assert!(l > last_line && l <= lines, "line {l} after {last_line} of {lines}\ninput: {}", shown(data));
                last_line = l;
            }
            Position::Index { index, .. } => assert_eq!(index, n, "index out of order\ninput: {}", shown(data)),
        }
        let Item::Worklog(w) = item else { continue };
        assert_eq!(w.id, row_id(source, &w.source_id), "id\ninput: {}", shown(data));
        assert!(w.minutes() <= MAX_DURATION_MINUTES, "{} minutes\ninput: {}", w.minutes(), shown(data));
        if let IssueRef::Key(k) = &w.issue {
            assert!(super::import::valid_issue_key(k), "key {k:?}\ninput: {}", shown(data));
        }
        for text in [&*w.engineer, w.note.as_str()] {
            assert!(text.len() <= super::table::MAX_FIELD_BYTES, "cell too long\ninput: {}", shown(data));
            assert!(!text.chars().any(|c| c.is_control()), "control character in {text:?}\ninput: {}", shown(data));
            assert_eq!(text, text.trim(), "untrimmed {text:?}\ninput: {}", shown(data));
        }
    }
    let contracts = import_fixture();
    let empty = Default::default();
    let issues = std::collections::HashMap::from([("10030".to_string(), "SD-9".to_string())]);
    let closed = std::collections::BTreeSet::from(["2026-09".parse().expect("a month")]);
    let headers = Default::default();
    let ledger = Ledger { contracts, issues: &issues, closed: &closed, existing: &empty, headers: &headers };
    let n = items.len();
    let p = plan(source, items, &ledger);
    assert_eq!(p.worklogs, n);
    assert_eq!(
        p.to_add() + p.refused.len() + p.by_app.0 + p.repeated + p.already(),
        n,
        "the plan lost a worklog: {p:?}\ninput: {}",
        shown(data)
    );
    // The rows as a time-log file, read back.
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(timelog_reader::HEADER).expect("writing CSV to memory");
    for r in p.rows.values().flatten() {
        let row = r.row();
        let id = ulid::Ulid(r.id).to_string();
        w.write_record([
            &row.date,
            &row.contract,
            &row.minutes,
            &row.ticket,
            &row.kind,
            "",
            "",
            &row.engineer,
            &row.note,
            &id,
        ])
        .expect("writing CSV to memory");
    }
    let file = w.into_inner().expect("flushing CSV to memory");
    let idx = index(contracts);
    let mut problems = Problems::default();
    let mut back = 0;
    timelog_reader::read("timelog/import.csv", "import.csv", &file, 0..usize::MAX, &idx, &mut problems, |_, _| {
        back += 1
    });
    assert!(
        problems.list.is_empty(),
        "planned rows do not read back: {:?}\nrows: {}\ninput: {}",
        problems.list,
        String::from_utf8_lossy(&file),
        shown(data)
    );
    assert_eq!(back, p.to_add());
}

/// `import jira-worklogs` on `data`: the invariants of [`import`].
pub fn import_jira(data: &[u8]) {
    import(crate::model::worklog::Source::JiraWorklogs, data);
}

/// `import tempo` on `data`: the invariants of [`import`].
pub fn import_tempo(data: &[u8]) {
    import(crate::model::worklog::Source::Tempo, data);
}
