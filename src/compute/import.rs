//! The import plan (SPEC §11): from the worklogs of an export and what the
//! ledger holds, which rows to add to which month file, which worklogs are
//! already there and which cannot be imported, and why. Pure: no files, no
//! clock; `commands::import` reads, this decides, `render::import` shows.
//!
//! The checks, in order, for each worklog: unreadable → written by the
//! Tempo app (Jira only: skipped) → zero time → issue key → project →
//! contract → already in the ledger (same values: already there, other
//! values: changed upstream) → contract active that month → month closed →
//! the month file's columns. A worklog already imported is never refused,
//! even in a month closed since.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;

use rustc_hash::FxHashMap;

use crate::model::worklog::{IssueRef, Item, Position, Seen, Source, TimelogRow, Worklog};
use crate::model::{Contract, Month};

/// What the plan needs to know of the ledger.
pub struct Ledger<'a> {
    pub contracts: &'a [Contract],
    /// `--issues FILE`: issue id → key.
    pub issues: &'a HashMap<String, String>,
    /// Closed months (SPEC §8).
    pub closed: &'a BTreeSet<Month>,
    /// Rows whose ids the worklogs would get.
    pub existing: &'a FxHashMap<u128, Seen>,
    /// The header of each month file that exists (absent: created with the
    /// full header).
    pub headers: &'a BTreeMap<Month, Vec<String>>,
}

/// Why a worklog cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// A field missing or of the wrong kind (the reader's message).
    Unreadable(String),
    ZeroTime,
    /// Neither a key nor an id found in `--issues` (the id, if any).
    NoIssueKey {
        issue_id: Option<String>,
    },
    /// No contract lists the key's project.
    Unmappable {
        project: String,
    },
    /// Two or more contracts list the project.
    Ambiguous {
        project: String,
        contracts: Vec<String>,
    },
    NotActive {
        contract: String,
        month: Month,
    },
    MonthClosed {
        month: Month,
    },
    /// The month file has no column for a value (`id`, `ticket`, …).
    MissingColumn {
        month: Month,
        column: &'static str,
    },
    /// Imported before with other values: edited in Jira or Tempo since.
    ChangedUpstream {
        /// Where the row imported before stands.
        file: Arc<str>,
        line: usize,
        /// Its cells, when the caller looked them up (the plan keeps only
        /// fingerprints).
        ledger: Option<Box<TimelogRow>>,
        now: Box<TimelogRow>,
    },
    /// The same worklog id earlier in the file with other values.
    RepeatedInFile {
        first: Position,
    },
}

/// A worklog that cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub pos: Position,
    pub source_id: Option<String>,
    /// The row id it would have had, when it has an id.
    pub id: Option<u128>,
    pub minutes: u64,
    pub reason: Reason,
}

/// A row to append, kept small (an import may plan 100,000): the cells
/// that are the same for many rows are shared, the rest made when written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRow {
    pub pos: Position,
    pub id: u128,
    pub date: NaiveDate,
    pub contract: Arc<str>,
    pub minutes: u64,
    pub ticket: String,
    pub engineer: Arc<str>,
    pub note: String,
}

impl NewRow {
    /// The row's cells (kind `support`).
    pub fn row(&self) -> TimelogRow {
        TimelogRow {
            date: self.date.to_string(),
            contract: self.contract.to_string(),
            minutes: self.minutes.to_string(),
            ticket: self.ticket.clone(),
            kind: "support".into(),
            engineer: self.engineer.to_string(),
            note: self.note.clone(),
        }
    }

    /// [`crate::model::worklog::fingerprint`] of the cells.
    pub fn fingerprint(&self) -> u64 {
        // Without allocating: this runs once per worklog already imported.
        let (mut date, mut minutes) = ([0u8; 16], [0u8; 20]);
        let date = date_text(self.date, &mut date);
        let minutes = decimal(self.minutes, &mut minutes);
        crate::model::worklog::fingerprint([
            date,
            &self.contract,
            minutes,
            &self.ticket,
            "support",
            &self.engineer,
            &self.note,
        ])
    }
}

/// `n` in decimal digits, written into `buf`.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buf[i..]).expect("ASCII digits")
}

/// `d` as `YYYY-MM-DD` (as `NaiveDate`'s `Display` writes it for the years
/// 0 to 9999), written into `buf`.
fn date_text(d: NaiveDate, buf: &mut [u8; 16]) -> &str {
    use chrono::Datelike;
    let y = d.year();
    if !(0..=9999).contains(&y) {
        let s = d.to_string();
        let n = s.len().min(buf.len());
        buf[..n].copy_from_slice(&s.as_bytes()[..n]);
        return std::str::from_utf8(&buf[..n]).unwrap_or_default();
    }
    let digits = |n: u32, out: &mut [u8]| {
        let mut n = n;
        for b in out.iter_mut().rev() {
            *b = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    digits(y as u32, &mut buf[0..4]);
    buf[4] = b'-';
    digits(d.month(), &mut buf[5..7]);
    buf[7] = b'-';
    digits(d.day(), &mut buf[8..10]);
    // Only ASCII digits and dashes were written.
    std::str::from_utf8(&buf[..10]).expect("ASCII date")
}

/// Per contract and month: what is added and what was there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Group {
    pub add: usize,
    pub add_minutes: u64,
    pub already: usize,
    pub already_minutes: u64,
}

/// The plan of one import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Worklogs in the file.
    pub worklogs: usize,
    /// Per (contract, month), sorted.
    pub groups: BTreeMap<(String, Month), Group>,
    /// Rows to write, per month file, in file order.
    pub rows: BTreeMap<Month, Chunked<NewRow>>,
    /// In file order.
    pub refused: Vec<Refused>,
    /// Worklogs the Tempo app wrote into Jira: (count, minutes).
    pub by_app: (usize, u64),
    /// Worklogs given twice in the file with the same values: counted once.
    pub repeated: usize,
    /// Worklogs already in the ledger whose project no longer maps to one
    /// contract (a contract listing it was added or removed since they were
    /// imported): (count, minutes); counted as already there.
    pub already_unmapped: (usize, u64),
    /// Notes cut to the longest cell the time log reads.
    pub notes_cut: usize,
}

impl Plan {
    pub fn to_add(&self) -> usize {
        self.rows.values().map(Chunked::len).sum()
    }
    pub fn already(&self) -> usize {
        self.groups.values().map(|g| g.already).sum::<usize>() + self.already_unmapped.0
    }
}

/// A list that grows in chunks of a fixed size: no growth copies the items
/// gathered so far, and at most one chunk is partly empty. An import plans
/// 100,000 rows into a dozen month lists; as vectors that double, they held
/// up to twice the room they needed, and each doubling freed a large block
/// the allocator kept (peak RSS).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Chunked<T> {
        Chunked { chunks: Vec::new(), len: 0 }
    }
}

impl<T> Chunked<T> {
    /// Items per chunk.
    const CHUNK: usize = 1024;

    pub fn push(&mut self, item: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < Self::CHUNK => last.push(item),
            _ => {
                let mut chunk = Vec::with_capacity(Self::CHUNK);
                chunk.push(item);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flatten()
    }
}

impl<T> std::ops::Index<usize> for Chunked<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        &self.chunks[i / Self::CHUNK][i % Self::CHUNK]
    }
}

impl<'a, T> IntoIterator for &'a Chunked<T> {
    type Item = &'a T;
    type IntoIter = std::iter::Flatten<std::slice::Iter<'a, Vec<T>>>;
    fn into_iter(self) -> Self::IntoIter {
        self.chunks.iter().flatten()
    }
}

/// A position in 64 bits: a line as itself, an index with the top bit set
/// (and the next one for `wrapped`). Lines and indices stay far below 2^62.
fn pack(pos: Position) -> u64 {
    match pos {
        Position::Line(l) => l as u64,
        Position::Index { wrapped, index } => 1 << 63 | u64::from(wrapped) << 62 | index as u64,
    }
}

/// The position [`pack`] packed.
fn unpack(p: u64) -> Position {
    const LOW: u64 = (1 << 62) - 1;
    if p >> 63 == 0 {
        Position::Line(p as usize)
    } else {
        Position::Index { wrapped: p >> 62 & 1 == 1, index: (p & LOW) as usize }
    }
}

/// The columns an imported row fills with a value, by name.
const WRITTEN: [&str; 8] = ["date", "contract", "minutes", "ticket", "kind", "engineer", "note", "id"];

/// Plans the import of `items` (in file order) into `ledger`.
pub fn plan(source: Source, items: impl IntoIterator<Item = Item>, ledger: &Ledger<'_>) -> Plan {
    let mut plan = Plan::default();
    // Project (upper case) → contracts listing it.
    let mut projects: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in ledger.contracts.iter().enumerate() {
        for p in &c.jira_projects {
            projects.entry(p.to_ascii_uppercase()).or_default().push(i);
        }
    }
    let shared: Vec<Arc<str>> = ledger.contracts.iter().map(|c| Arc::from(c.id.as_str())).collect();
    // Per (contract index, month): sorted by id at the end.
    let mut groups: BTreeMap<(usize, Month), Group> = BTreeMap::new();
    // Ids met so far in this file (whatever became of them): the
    // fingerprint of their row and where they were (packed: 100,000 ids).
    let mut met: FxHashMap<u128, (u64, u64)> = FxHashMap::default();
    // Ledger rows are marked as they are counted: clear the marks of any
    // earlier plan over the same ledger, so that a plan never depends on it.
    for seen in ledger.existing.values() {
        seen.counted.set(false);
    }
    for item in items {
        plan.worklogs += 1;
        let w = match item {
            Item::Worklog(w) => w,
            Item::Unreadable { pos, source_id, message } => {
                plan.refused.push(Refused {
                    pos,
                    source_id,
                    id: None,
                    minutes: 0,
                    reason: Reason::Unreadable(message),
                });
                continue;
            }
        };
        let minutes = w.minutes();
        let refuse = |plan: &mut Plan, w: &Worklog, reason: Reason| {
            plan.refused.push(Refused {
                pos: w.pos,
                source_id: Some(w.source_id.clone()),
                id: Some(w.id),
                minutes,
                reason,
            });
        };
        if source == Source::JiraWorklogs && w.by_app {
            plan.by_app.0 += 1;
            plan.by_app.1 += minutes;
            continue;
        }
        if w.seconds == 0 {
            refuse(&mut plan, &w, Reason::ZeroTime);
            continue;
        }
        let key = match &w.issue {
            IssueRef::Key(k) => k.clone(),
            IssueRef::Id(id) => match ledger.issues.get(id) {
                Some(k) => k.clone(),
                None => {
                    refuse(&mut plan, &w, Reason::NoIssueKey { issue_id: Some(id.clone()) });
                    continue;
                }
            },
            IssueRef::Missing => {
                refuse(&mut plan, &w, Reason::NoIssueKey { issue_id: None });
                continue;
            }
        };
        let project = key.split_once('-').map_or(key.as_str(), |(p, _)| p).to_ascii_uppercase();
        let (ci, contract) = match projects.get(&project).map(Vec::as_slice) {
            Some([one]) => (*one, &ledger.contracts[*one]),
            Some(many) if many.len() > 1 && !ledger.existing.contains_key(&w.id) => {
                let mut ids: Vec<String> = many.iter().map(|&i| ledger.contracts[i].id.clone()).collect();
                ids.sort();
                refuse(&mut plan, &w, Reason::Ambiguous { project, contracts: ids });
                continue;
            }
            _ if ledger.existing.contains_key(&w.id) => {
                // Imported before, when its project was mapped: its row is
                // there whatever the mapping says now (counted once, however
                // often the file gives it).
                if ledger.existing[&w.id].counted.replace(true) {
                    plan.repeated += 1;
                } else {
                    plan.already_unmapped.0 += 1;
                    plan.already_unmapped.1 += minutes;
                }
                continue;
            }
            _ => {
                refuse(&mut plan, &w, Reason::Unmappable { project });
                continue;
            }
        };
        let month = Month::of(w.day);
        let (pos, id, note_cut) = (w.pos, w.id, w.note_cut);
        let source_id = w.source_id;
        let refuse = |plan: &mut Plan, reason: Reason| {
            plan.refused.push(Refused { pos, source_id: Some(source_id.clone()), id: Some(id), minutes, reason });
        };
        let new = NewRow {
            pos,
            id,
            date: w.day,
            contract: shared[ci].clone(),
            minutes,
            ticket: key,
            engineer: w.engineer,
            note: w.note,
        };
        let fingerprint = new.fingerprint();
        if let Some(found) = ledger.existing.get(&id) {
            if found.fingerprint == fingerprint {
                // Given twice in the file: counted once.
                if found.counted.replace(true) {
                    plan.repeated += 1;
                } else {
                    let g = groups.entry((ci, month)).or_default();
                    g.already += 1;
                    g.already_minutes += minutes;
                }
            } else {
                let row = new.row();
                let reason = Reason::ChangedUpstream {
                    file: found.file.clone(),
                    line: found.line as usize,
                    ledger: None,
                    now: Box::new(row),
                };
                refuse(&mut plan, reason);
            }
            continue;
        }
        // A worklog given again in the file (not in the ledger): counted
        // once, whether it is to be added or refused.
        match met.entry(id) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let (first_fingerprint, first) = *e.get();
                if first_fingerprint == fingerprint {
                    plan.repeated += 1;
                } else {
                    refuse(&mut plan, Reason::RepeatedInFile { first: unpack(first) });
                }
                continue;
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert((fingerprint, pack(pos)));
            }
        }
        if !contract.is_active(month) {
            refuse(&mut plan, Reason::NotActive { contract: contract.id.clone(), month });
            continue;
        }
        if ledger.closed.contains(&month) {
            refuse(&mut plan, Reason::MonthClosed { month });
            continue;
        }
        if let Some(header) = ledger.headers.get(&month) {
            let value = |c: &str| match c {
                "ticket" => !new.ticket.is_empty(),
                "engineer" => !new.engineer.is_empty(),
                "note" => !new.note.is_empty(),
                // `kind` may be left out: support is the default.
                "kind" => false,
                _ => true,
            };
            if let Some(column) = WRITTEN.into_iter().find(|c| value(c) && !header.iter().any(|h| h == c)) {
                refuse(&mut plan, Reason::MissingColumn { month, column });
                continue;
            }
        }
        if note_cut {
            plan.notes_cut += 1;
        }
        let g = groups.entry((ci, month)).or_default();
        g.add += 1;
        g.add_minutes += minutes;
        let rows = plan.rows.entry(month).or_default();
        rows.push(new);
    }
    plan.groups = groups.into_iter().map(|((ci, m), g)| ((ledger.contracts[ci].id.clone(), m), g)).collect();
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::worklog::row_id;
    use crate::model::{Percent, TermsPatch};
    use chrono::NaiveDate;

    fn contract(id: &str, projects: &[&str], end: Option<&str>) -> Contract {
        Contract {
            id: id.into(),
            customer: id.into(),
            end: end.map(|e| e.parse().unwrap()),
            base: TermsPatch { hours: Some(16), ..Default::default() },
            default_vat_rate: Percent::default(),
            jira_projects: projects.iter().map(|p| p.to_string()).collect(),
            ..Contract::for_tests()
        }
    }

    fn wl(n: usize, key: &str, day: &str, seconds: u64) -> Worklog {
        Worklog {
            pos: Position::Line(n),
            source_id: n.to_string(),
            id: row_id(Source::JiraWorklogs, &n.to_string()),
            issue: IssueRef::Key(key.into()),
            engineer: "Anna".into(),
            note: "did it".into(),
            note_cut: false,
            day: NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap(),
            seconds,
            by_app: false,
        }
    }

    struct Fixture {
        contracts: Vec<Contract>,
        issues: HashMap<String, String>,
        closed: BTreeSet<Month>,
        existing: FxHashMap<u128, Seen>,
        headers: BTreeMap<Month, Vec<String>>,
    }

    impl Fixture {
        fn new() -> Fixture {
            Fixture {
                contracts: vec![
                    contract("acme", &["SD", "ACME"], None),
                    contract("beta", &["BETA", "SHARED"], Some("2026-10")),
                    contract("gamma", &["shared"], None),
                ],
                issues: HashMap::from([("10030".to_string(), "SD-7".to_string())]),
                closed: BTreeSet::from(["2026-09".parse().unwrap()]),
                existing: FxHashMap::default(),
                headers: BTreeMap::new(),
            }
        }
        fn plan(&self, source: Source, items: Vec<Worklog>) -> Plan {
            let ledger = Ledger {
                contracts: &self.contracts,
                issues: &self.issues,
                closed: &self.closed,
                existing: &self.existing,
                headers: &self.headers,
            };
            plan(source, items.into_iter().map(Item::Worklog), &ledger)
        }
    }

    fn reasons(p: &Plan) -> Vec<(Position, Reason)> {
        p.refused.iter().map(|r| (r.pos, r.reason.clone())).collect()
    }

    #[test]
    fn rows_per_month_file_and_groups_per_contract_and_month() {
        let f = Fixture::new();
        let mut by_id = wl(4, "x", "2026-11-03", 60);
        by_id.issue = IssueRef::Id("10030".into());
        let p = f.plan(
            Source::JiraWorklogs,
            vec![
                wl(1, "SD-1", "2026-11-02", 9480),
                wl(2, "acme-2", "2026-10-31", 61),
                wl(3, "BETA-9", "2026-10-01", 1800),
                by_id,
            ],
        );
        assert!(p.refused.is_empty(), "{:?}", p.refused);
        assert_eq!(p.worklogs, 4);
        let nov: Month = "2026-11".parse().unwrap();
        let oct: Month = "2026-10".parse().unwrap();
        assert_eq!(p.rows[&nov].len(), 2);
        assert_eq!(p.rows[&oct].len(), 2);
        let r = &p.rows[&nov][0].row();
        assert_eq!(
            (r.date.as_str(), r.contract.as_str(), r.minutes.as_str(), r.ticket.as_str(), r.kind.as_str()),
            ("2026-11-02", "acme", "158", "SD-1", "support")
        );
        assert_eq!(p.rows[&nov][1].ticket, "SD-7", "key from --issues");
        assert_eq!(p.rows[&oct][0].minutes, 2, "61 s is 2 minutes");
        assert_eq!(
            p.groups[&("acme".to_string(), nov)],
            Group { add: 2, add_minutes: 159, already: 0, already_minutes: 0 }
        );
        assert_eq!(p.groups[&("beta".to_string(), oct)].add_minutes, 30);
        assert_eq!(p.to_add(), 4);
    }

    #[test]
    fn every_refusal_with_its_reason() {
        let mut f = Fixture::new();
        f.headers.insert("2026-08".parse().unwrap(), vec!["date".into(), "contract".into(), "minutes".into()]);
        f.headers.insert(
            "2026-07".parse().unwrap(),
            ["date", "contract", "minutes", "ticket", "engineer", "note"].map(String::from).to_vec(),
        );
        let mut no_key = wl(4, "", "2026-11-03", 60);
        no_key.issue = IssueRef::Missing;
        let mut unknown_id = wl(5, "", "2026-11-03", 60);
        unknown_id.issue = IssueRef::Id("99".into());
        let p = f.plan(
            Source::JiraWorklogs,
            vec![
                wl(1, "SD-1", "2026-11-02", 0),
                wl(2, "XY-1", "2026-11-02", 60),
                wl(3, "Shared-1", "2026-11-02", 60),
                no_key,
                unknown_id,
                wl(6, "BETA-1", "2026-11-02", 60),
                wl(7, "SD-1", "2026-09-30", 60),
                wl(8, "SD-1", "2025-12-31", 60),
                wl(9, "SD-1", "2026-08-01", 60),
                wl(10, "SD-1", "2026-07-01", 60),
            ],
        );
        let m = |s: &str| s.parse::<Month>().unwrap();
        assert_eq!(
            reasons(&p),
            vec![
                (Position::Line(1), Reason::ZeroTime),
                (Position::Line(2), Reason::Unmappable { project: "XY".into() }),
                (
                    Position::Line(3),
                    Reason::Ambiguous { project: "SHARED".into(), contracts: vec!["beta".into(), "gamma".into()] }
                ),
                (Position::Line(4), Reason::NoIssueKey { issue_id: None }),
                (Position::Line(5), Reason::NoIssueKey { issue_id: Some("99".into()) }),
                (Position::Line(6), Reason::NotActive { contract: "beta".into(), month: m("2026-11") }),
                (Position::Line(7), Reason::MonthClosed { month: m("2026-09") }),
                (Position::Line(8), Reason::NotActive { contract: "acme".into(), month: m("2025-12") }),
                (Position::Line(9), Reason::MissingColumn { month: m("2026-08"), column: "ticket" }),
                (Position::Line(10), Reason::MissingColumn { month: m("2026-07"), column: "id" }),
            ]
        );
        assert_eq!(p.to_add(), 0);
        assert!(p.groups.is_empty());
    }

    #[test]
    fn already_there_changed_upstream_and_repeated() {
        let mut f = Fixture::new();
        let same = wl(1, "SD-1", "2026-11-02", 600);
        let edited = wl(2, "SD-1", "2026-11-02", 600);
        let row = |w: &Worklog, minutes: &str, kind: &str| TimelogRow {
            date: w.day.to_string(),
            contract: "acme".into(),
            minutes: minutes.into(),
            ticket: "SD-1".into(),
            kind: kind.into(),
            engineer: "Anna".into(),
            note: "did it".into(),
        };
        let at = |line, r: TimelogRow| Seen {
            file: "timelog/2026-11.csv".into(),
            line,
            fingerprint: r.fingerprint(),
            counted: Default::default(),
        };
        // An empty kind is support: still the same row.
        f.existing.insert(same.id, at(2, row(&same, "10", "")));
        f.existing.insert(edited.id, at(3, row(&edited, "5", "support")));
        // Already imported into a month closed since: not refused.
        let mut closed = wl(3, "SD-1", "2026-09-10", 60);
        closed.day = NaiveDate::from_ymd_opt(2026, 9, 10).unwrap();
        f.existing.insert(closed.id, at(4, TimelogRow { date: "2026-09-10".into(), ..row(&closed, "1", "support") }));
        let mut other = wl(4, "SD-2", "2026-11-05", 60);
        other.id = wl(9, "", "2026-11-05", 0).id;
        let mut other_again = other.clone();
        other_again.pos = Position::Line(5);
        let mut other_changed = other.clone();
        other_changed.pos = Position::Line(6);
        other_changed.seconds = 120;
        let items = vec![same, edited.clone(), closed, other, other_again, other_changed];
        let p = f.plan(Source::JiraWorklogs, items.clone());
        // The marks a plan leaves on the ledger's rows do not change the next.
        assert_eq!(f.plan(Source::JiraWorklogs, items), p);
        let nov: Month = "2026-11".parse().unwrap();
        assert_eq!(
            p.groups[&("acme".to_string(), nov)],
            Group { add: 1, add_minutes: 1, already: 1, already_minutes: 10 }
        );
        assert_eq!(p.groups[&("acme".to_string(), "2026-09".parse().unwrap())].already, 1);
        assert_eq!(p.repeated, 1);
        let rs = reasons(&p);
        assert_eq!(rs.len(), 2, "{rs:?}");
        match &rs[0] {
            (Position::Line(2), Reason::ChangedUpstream { file, line, ledger: None, now }) => {
                assert_eq!((&**file, *line, now.minutes.as_str()), ("timelog/2026-11.csv", 3, "10"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(rs[1], (Position::Line(6), Reason::RepeatedInFile { first: Position::Line(4) }));
    }

    #[test]
    fn tempo_app_worklogs_are_skipped_from_jira_only() {
        let f = Fixture::new();
        let mut app = wl(1, "SD-1", "2026-11-02", 1800);
        app.by_app = true;
        let p = f.plan(Source::JiraWorklogs, vec![app.clone()]);
        assert_eq!((p.by_app, p.to_add(), p.refused.len()), ((1, 30), 0, 0));
        let p = f.plan(Source::Tempo, vec![app]);
        assert_eq!((p.by_app, p.to_add()), ((0, 0), 1));
    }

    #[test]
    fn unreadable_worklogs_are_refused_at_their_place() {
        let f = Fixture::new();
        let ledger = Ledger {
            contracts: &f.contracts,
            issues: &f.issues,
            closed: &f.closed,
            existing: &f.existing,
            headers: &f.headers,
        };
        let items = vec![Item::Unreadable {
            pos: Position::Index { wrapped: true, index: 3 },
            source_id: Some("7".into()),
            message: "unreadable field worklogs[3].started: missing".into(),
        }];
        let p = plan(Source::JiraWorklogs, items, &ledger);
        assert_eq!(p.refused.len(), 1);
        assert_eq!(p.refused[0].pos.to_string(), "worklogs[3]");
        assert_eq!(p.worklogs, 1);
    }

    #[test]
    fn positions_pack_into_64_bits_and_back() {
        for p in [
            Position::Line(1),
            Position::Line(123_456_789),
            Position::Index { wrapped: true, index: 0 },
            Position::Index { wrapped: false, index: 99_999 },
        ] {
            assert_eq!(unpack(pack(p)), p);
        }
    }

    #[test]
    fn chunked_lists_keep_order_across_chunks() {
        let mut c = Chunked::default();
        assert!(c.is_empty());
        for i in 0..2500 {
            c.push(i);
        }
        assert_eq!(c.len(), 2500);
        assert_eq!((c[0], c[1023], c[1024], c[2499]), (0, 1023, 1024, 2499));
        assert!(c.iter().copied().eq(0..2500));
        assert_eq!((&c).into_iter().count(), 2500);
    }

    #[test]
    fn fingerprints_of_planned_rows_match_their_text() {
        for (y, m, d, minutes) in [(2026, 11, 2, 158), (2021, 1, 31, 1), (999, 12, 9, 60_000), (12000, 1, 1, 0)] {
            let row = NewRow {
                pos: Position::Line(1),
                id: 1,
                date: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
                contract: "acme".into(),
                minutes,
                ticket: "SD-1".into(),
                engineer: "Anna".into(),
                note: "x, y".into(),
            };
            assert_eq!(row.fingerprint(), row.row().fingerprint(), "{y}-{m}-{d}");
        }
    }
}
