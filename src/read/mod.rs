//! Bytes → model: every ledger file is read here, once, into validated
//! domain values, with each problem recorded at its file and line.
//!
//! [`load`] reads what a command needs: for one month only the files that can
//! hold its rows (SPEC §6), for `check` everything, streaming the time log.

pub mod approvals;
pub mod closing_fast;
pub mod closings;
pub mod contracts;
pub mod corrections;
pub mod countries;
pub mod entries;
pub mod fuzz;
pub mod import;
pub mod invoices;
pub mod parties;
pub mod problem;
pub mod records;
pub mod settings;
pub mod suggest;
pub mod table;
pub mod tickets;
pub mod timelog;
pub mod toml_doc;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::Path;

use rustc_hash::FxHashMap;

use crate::compute::Usage;
use crate::compute::closing::RowDigests;
use crate::compute::digest::{Digest, Rows};
use crate::model::logged::LoggedEntry;
use crate::model::{Contract, Entry, Month, Settings};
use approvals::ApprovalRow;
use corrections::CorrectionRow;
pub use problem::{Problem, Problems, Severity};
use timelog::ContractIndex;

pub const SETTINGS_FILE: &str = "supportctl.toml";
pub const APPROVALS_FILE: &str = "approvals.csv";
pub const TIMELOG_DIR: &str = "timelog";
pub const CONTRACTS_DIR: &str = "contracts";
/// Corrections of closed months (SPEC §8.2).
pub const CORRECTIONS_FILE: &str = "corrections.csv";
/// The invoice register (SPEC §9).
pub const INVOICES_FILE: &str = "invoices.csv";
/// Where `invoice` writes by default (SPEC §9).
pub const INVOICES_DIR: &str = "invoices";

/// Which time-log rows a command needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Settings, contracts and approvals only.
    Terms,
    /// The rows of one month: `timelog/M.csv` and files not named after a month.
    Month(Month),
    /// Every file (`check`).
    All,
    /// The rows of the months `from..=to` (a statement's chart, `advise`):
    /// the files named after those months and files not named after a
    /// month, with usage per (contract, month) as `All` gives.
    Months(Month, Month),
}

impl Scope {
    /// Whether a time-log file named after month `m` can hold rows of the scope.
    fn reads_file_of(self, m: Month) -> bool {
        match self {
            Scope::Terms => false,
            Scope::Month(month) => m == month,
            Scope::All => true,
            Scope::Months(from, to) => from <= m && m <= to,
        }
    }
}

/// What a command asks of the ledger: the time-log rows of [`Scope`], and
/// the digests of the rows of some months (closing, verifying).
#[derive(Clone, Debug)]
pub struct Want {
    pub scope: Scope,
    /// Months whose rows are digested per contract (SPEC §8.1).
    pub digests: BTreeSet<Month>,
    /// Closings to read, beside the time log (see [`Loaded::closings`]).
    pub closings: Vec<Month>,
    /// Rows kept whole (see [`Loaded::logged`]): those of a month, of one
    /// contract (by id) or of all.
    pub keep: Option<(Month, Option<String>)>,
}

impl From<Scope> for Want {
    fn from(scope: Scope) -> Want {
        Want { scope, digests: BTreeSet::new(), closings: Vec::new(), keep: None }
    }
}

impl Want {
    /// The months `from..=to` as the month computation needs them, the
    /// closed ones (of `closed`) from their closings: time-log files are read
    /// from the first month that is not closed on (none when all are).
    pub fn months(from: Month, to: Month, closed: &[Month]) -> Want {
        let closings: Vec<Month> = closed.iter().copied().filter(|c| from <= *c && *c <= to).collect();
        let mut first_open = from;
        while first_open <= to && closings.contains(&first_open) {
            first_open = first_open.next();
        }
        Want { scope: Scope::Months(first_open, to), digests: BTreeSet::new(), closings, keep: None }
    }

    /// The rows of `scope`, with the digests and closings of `closed`.
    pub fn verifying(scope: Scope, closed: &[Month]) -> Want {
        Want { scope, digests: closed.iter().copied().collect(), closings: closed.to_vec(), keep: None }
    }
}

/// Which rows a second read collects (see [`month_rows`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    TimeLog,
    Approvals,
    Corrections,
}

/// A ledger as read for one command.
#[derive(Debug, Default)]
pub struct Loaded {
    pub settings: Option<Settings>,
    pub contracts: Vec<Contract>,
    /// Valid approvals; with `Scope::Month(s)` only those of the month(s).
    pub approvals: Vec<ApprovalRow>,
    /// Entries of the month of `Scope::Month`.
    pub entries: Vec<Entry>,
    /// The valid rows of [`Want::keep`] with every column and their
    /// contract's index, in the order of the files and their lines.
    pub logged: Vec<(usize, LoggedEntry)>,
    /// With `Scope::All` and `Scope::Months`: usage per (contract index, month).
    pub usage: FxHashMap<(usize, Month), Usage>,
    /// Number of time-log rows read.
    pub rows: usize,
    /// Contract files that exist but could not be read.
    pub broken: HashSet<String>,
    /// Every valid row of `corrections.csv`.
    pub corrections: Vec<CorrectionRow>,
    /// For the months of [`Want::digests`]: per (contract index, month) the
    /// digests of its rows; a missing key or kind has no rows.
    pub digests: FxHashMap<(usize, Month), RowDigests>,
    /// The time-log files read: (path relative to the root, file name).
    pub log_files: Vec<(String, String)>,
    /// What was read.
    pub scope: Option<Scope>,
    /// The closings of [`Want::closings`] that could be read.
    pub closings: std::collections::BTreeMap<Month, closings::ClosingFile>,
    pub problems: Problems,
}

impl Loaded {
    /// Reads `tickets.csv` (missing: no tickets), its problems joining the others.
    pub fn read_tickets(&mut self, root: &Path) -> Vec<crate::model::ticket::TicketEvent> {
        if !root.join(tickets::FILE).exists() {
            return Vec::new();
        }
        let Some(bytes) = read_file(root, tickets::FILE, &mut self.problems) else { return Vec::new() };
        let index = ContractIndex::new(&self.contracts, self.broken.clone());
        let tz = self.settings().timezone;
        tickets::read(&bytes, tz, &index, &mut self.problems)
    }

    pub fn settings(&self) -> &Settings {
        self.settings.as_ref().expect("load always sets the settings")
    }

    /// The digests of contract `id`'s rows of `month` (asked for in
    /// [`Want::digests`]).
    pub fn row_digests(&self, id: &str, month: Month) -> RowDigests {
        self.contracts
            .iter()
            .position(|c| c.id == id)
            .and_then(|i| self.digests.get(&(i, month)).copied())
            .unwrap_or_default()
    }

    /// The valid corrections, as the month computation takes them.
    pub fn correction_values(&self) -> Vec<crate::model::Correction> {
        self.corrections.iter().map(|c| c.correction.clone()).collect()
    }
}

/// Reads a whole file, recording an I/O failure as a problem.
fn read_file(root: &Path, rel: &str, problems: &mut Problems) -> Option<Vec<u8>> {
    recorded(rel, fs::read(root.join(rel)), problems)
}

/// [`read_file`] for files of a few kB (contracts): without asking the size
/// first (`File::read_to_end` does, with fstat and lseek; `Take`'s does not),
/// two system calls fewer per file, of 200.
fn read_small_file(root: &Path, rel: &str, problems: &mut Problems) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(16 * 1024);
    let read = fs::File::open(root.join(rel)).and_then(|f| f.take(u64::MAX).read_to_end(&mut bytes));
    recorded(rel, read.map(|_| bytes), problems)
}

/// The bytes read, or `None` with the failure recorded as a problem of `rel`.
fn recorded(rel: &str, read: std::io::Result<Vec<u8>>, problems: &mut Problems) -> Option<Vec<u8>> {
    read.map_err(|e| problems.error(rel, None, None, format!("cannot read: {e}"))).ok()
}

/// The names in a directory, sorted; a missing directory is empty.
fn list(root: &Path, dir: &str, problems: &mut Problems) -> Vec<(String, bool)> {
    let rd = match fs::read_dir(root.join(dir)) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return vec![],
        Err(e) => {
            problems.error(&format!("{dir}/"), None, None, format!("cannot read the folder: {e}"));
            return vec![];
        }
    };
    let mut names: Vec<(String, bool)> = rd
        .filter_map(Result::ok)
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.file_type().is_ok_and(|t| t.is_file())))
        .collect();
    names.sort();
    names
}

/// Reads the ledger at `root` for `scope`.
pub fn load(root: &Path, scope: Scope) -> Loaded {
    load_with(root, |_| scope)
}

/// Reads the ledger at `root`; `scope` is chosen once the settings are read
/// (`--month current` needs the ledger's time zone).
pub fn load_with(root: &Path, scope: impl FnOnce(&Settings) -> Scope) -> Loaded {
    load_want(root, |s| Want::from(scope(s)))
}

/// Reads the ledger at `root` for what `want` asks once the settings are read.
pub fn load_want(root: &Path, want: impl FnOnce(&Settings) -> Want) -> Loaded {
    let mut out = Loaded::default();
    let p = &mut out.problems;

    let settings = match read_file(root, SETTINGS_FILE, p) {
        Some(b) => match std::str::from_utf8(&b) {
            Ok(src) => settings::read(SETTINGS_FILE, src, p),
            Err(_) => {
                p.error(SETTINGS_FILE, None, None, "not valid UTF-8");
                settings::defaults()
            }
        },
        None => settings::defaults(),
    };

    let Want { scope, digests, closings: closed, keep } = want(&settings);
    let digests = &digests;

    // Contracts.
    let mut broken = HashSet::new();
    let mut lower_ids: HashMap<String, String> = HashMap::new();
    let mut todo: Vec<(String, String)> = Vec::new();
    for (name, is_file) in list(root, CONTRACTS_DIR, p) {
        let rel = format!("{CONTRACTS_DIR}/{name}");
        let Some(id) = name.strip_suffix(".toml") else { continue };
        if !is_file || name.starts_with('.') {
            continue;
        }
        if let Some(other) = lower_ids.insert(id.to_lowercase(), name.clone()) {
            p.error(&rel, None, None, format!("contract file name differs from {CONTRACTS_DIR}/{other} only in case"));
        }
        if !contracts::valid_id(id) {
            p.error(&rel, None, None, format!("\"{id}\" is not a contract id: use lowercase letters, digits and -"));
            continue;
        }
        todo.push((rel, id.to_string()));
    }
    // 200 small files: two threads halve the time spent opening them.
    let chunk = todo.len().div_ceil(2).max(1);
    let read: Vec<Vec<(String, Option<Contract>, Problems)>> = std::thread::scope(|s| {
        let settings = &settings;
        let handles: Vec<_> = todo
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|(rel, id)| read_contract(root, rel, id, settings)).collect()))
            .collect();
        handles.into_iter().map(|h| h.join().expect("a contract reader panicked")).collect()
    });
    for (id, contract, problems) in read.into_iter().flatten() {
        p.list.extend(problems.list);
        match contract {
            Some(c) => out.contracts.push(c),
            None => {
                broken.insert(id);
            }
        }
    }
    out.broken = broken.clone();
    let index = ContractIndex::new(&out.contracts, broken);

    // The time log's files.
    let mut files: Vec<(String, String)> = Vec::new();
    let names = if scope == Scope::Terms { Vec::new() } else { list(root, TIMELOG_DIR, p) };
    for (name, is_file) in names {
        let rel = format!("{TIMELOG_DIR}/{name}");
        if name.starts_with('.') {
            p.error(
                &rel,
                None,
                None,
                "hidden file in timelog/ (left by an editor, sync tool or the OS?): move it out of the ledger",
            );
            continue;
        }
        if !is_file {
            continue;
        }
        if !name.ends_with(".csv") {
            // Only timelog/*.csv count (SPEC §6.1); say so rather than let
            // rows in `2026-12.CSV` or a `.orig` copy vanish unnoticed.
            p.warning(&rel, None, None, "not read: only *.csv files directly in timelog/ are part of the log");
            continue;
        }
        let named = timelog::file_month(&name);
        if named.is_some_and(|fm| !scope.reads_file_of(fm)) {
            continue;
        }
        if named.is_none() {
            p.warning(
                &rel,
                None,
                None,
                "not named YYYY-MM.csv; its rows still count (a sync tool's \"conflicted copy\" would count twice)",
            );
        }
        files.push((rel, name));
    }

    // approvals.csv is read beside the time log; `check` (ten years) and a
    // statement (twelve months) read files on two threads, each taking the
    // next file not yet taken, so that neither waits for the other (nor for
    // the approvals reader, which shares the cores). Problems keep the order
    // of the files.
    let threads = if matches!(scope, Scope::All | Scope::Months(..)) && files.len() > 1 { 2 } else { 1 };
    let next = &one_by_one(files.len());
    let contracts = &out.contracts;
    let index = &index;
    // A month's rows are digested as soon as its file is read, unless a file
    // not named after a month may hold more of them.
    let shared = Shared {
        root,
        scope,
        index,
        contracts,
        digests,
        per_file: files.iter().all(|(_, name)| timelog::file_month(name).is_some()),
        keep: keep.and_then(|(m, id)| match id {
            None => Some((m, None)),
            Some(id) => out.contracts.iter().position(|c| c.id == id).map(|i| (m, Some(i))),
        }),
    };
    let shared = &shared;
    let (approval_part, correction_part, parts, closing_part) = std::thread::scope(|s| {
        let closing_part = s.spawn(|| {
            let mut p = Problems::default();
            (closings::read_all(root, &closed, &mut p), p)
        });
        let approvals = s.spawn(|| read_approvals(root, scope, index, digests));
        let corrections = s.spawn(|| read_corrections(root, index, digests));
        let files = &files;
        let handles: Vec<_> = (1..threads).map(|_| s.spawn(move || read_log_files(shared, files, next))).collect();
        let mut parts = vec![read_log_files(shared, files, next)];
        parts.extend(handles.into_iter().map(|h| h.join().expect("a reader thread panicked")));
        let corrections = corrections.join().expect("the corrections reader panicked");
        let closing_part = closing_part.join().expect("the closings reader panicked");
        (approvals.join().expect("the approvals reader panicked"), corrections, parts, closing_part)
    });
    out.closings = closing_part.0;
    p.list.extend(closing_part.1.list);
    let (approval_rows, approval_problems, approval_canon) = approval_part;
    out.approvals = approval_rows;
    p.list.extend(approval_problems.list);
    let mut found_digests: FxHashMap<(usize, Month), RowDigests> = FxHashMap::default();
    for (group, d) in approval_canon.digests() {
        found_digests.entry(group).or_default().approvals = d;
    }
    p.list.extend(correction_part.problems.list);
    for (group, d) in correction_part.canon.digests() {
        found_digests.entry(group).or_default().corrections = d;
    }
    out.corrections = correction_part.rows;
    // Each reader's id keys stay a list of their own (sorted for `check`
    // and a statement).
    let mut key_lists = Vec::new();
    let mut log = LogPart::default();
    let mut by_file = Vec::new();
    let mut logged = Vec::new();
    for mut part in parts {
        key_lists.push(std::mem::take(&mut part.id_keys));
        by_file.append(&mut part.by_file);
        logged.append(&mut part.logged);
        log.absorb(part);
    }
    logged.sort_by_key(|(at, _, _)| *at);
    out.logged = logged.into_iter().map(|(_, i, e)| (i, e)).collect();
    by_file.sort_by_key(|(fi, _)| *fi);
    for (_, problems) in by_file {
        p.list.extend(problems.list);
    }
    // None are left outside a file's own list; should one be, it is shown.
    p.list.extend(log.problems.list);
    (out.entries, out.usage, out.rows) = (log.entries, log.usage, log.rows);
    for (group, d) in log.digests.into_iter().chain(log.canon.digests()) {
        found_digests.entry(group).or_default().timelog = d;
    }
    out.digests = found_digests;
    let repeated = repeated_keys(&mut key_lists);
    drop(key_lists);
    if !repeated.is_empty() {
        report_duplicate_ids(root, &files, index, &repeated, p);
    }
    out.log_files = files;
    out.scope = Some(scope);
    out.settings = Some(settings);
    out
}

/// Minutes logged per ticket in the time-log files that can hold rows from
/// `from` on (files named after a month before it are skipped). Rows that
/// do not read are left out here: `check` reports them.
pub fn minutes_by_ticket(root: &Path, from: Month) -> HashMap<String, u64> {
    let mut sums: HashMap<String, u64> = HashMap::new();
    let mut ignore = Problems::default();
    let cols = [table::Column { name: "ticket", required: true }, table::Column { name: "minutes", required: true }];
    for (name, is_file) in list(root, TIMELOG_DIR, &mut ignore) {
        if !is_file
            || name.starts_with('.')
            || !name.ends_with(".csv")
            || timelog::file_month(&name).is_some_and(|m| m < from)
        {
            continue;
        }
        let Ok(bytes) = fs::read(root.join(TIMELOG_DIR).join(&name)) else { continue };
        table::read_rows(&name, &bytes, &cols, &mut ignore, |r| {
            if let (t, Ok(m)) = (r.get(0), timelog::parse_minutes(r.get(1)))
                && !t.is_empty()
            {
                *sums.entry(t.to_string()).or_default() += m;
            }
            Ok(())
        });
    }
    sums
}

/// Reads one contract file: the contract, or `None` with its problems.
fn read_contract(root: &Path, rel: &str, id: &str, settings: &Settings) -> (String, Option<Contract>, Problems) {
    let mut p = Problems::default();
    let Some(bytes) = read_small_file(root, rel, &mut p) else { return (id.to_string(), None, p) };
    let contract = match std::str::from_utf8(&bytes) {
        Ok(src) => contracts::read(id, rel, src, settings, &mut p),
        Err(e) => {
            let line = problem::Lines::new(&bytes).line(e.valid_up_to());
            p.error(rel, Some(line), None, "not valid UTF-8; save the file as UTF-8");
            None
        }
    };
    (id.to_string(), contract, p)
}

impl LogPart {
    /// Adds what a later share of the rows found.
    fn absorb(&mut self, later: LogPart) {
        self.problems.list.extend(later.problems.list);
        if self.entries.is_empty() {
            // The usual case of one month file: move, do not copy.
            self.entries = later.entries;
        } else {
            self.entries.extend(later.entries);
        }
        self.rows += later.rows;
        if self.id_keys.is_empty() {
            self.id_keys = later.id_keys;
        } else {
            self.id_keys.extend(later.id_keys);
        }
        self.long.extend(later.long);
        for (k, u) in later.usage {
            *self.usage.entry(k).or_default() += u;
        }
        self.canon.absorb(later.canon);
        self.digests.extend(later.digests);
        self.by_file.extend(later.by_file);
        self.logged.extend(later.logged);
    }
}

/// What every reader of the time log shares.
struct Shared<'a> {
    root: &'a Path,
    scope: Scope,
    index: &'a ContractIndex<'a>,
    contracts: &'a [Contract],
    /// Months whose rows are digested.
    digests: &'a BTreeSet<Month>,
    /// Every file is named after a month: a month's digests are complete
    /// once its file is read.
    per_file: bool,
    /// [`Want::keep`], the contract by its index.
    keep: Option<(Month, Option<usize>)>,
}

/// One time-log file (number `fi` of the list), its rows in byte range
/// `rows` of its body.
fn read_log_file(
    shared: &Shared<'_>,
    fi: usize,
    (rel, name): (&str, &str),
    body: &[u8],
    rows: std::ops::Range<usize>,
) -> LogPart {
    let (scope, index, contracts) = (shared.scope, shared.index, shared.contracts);
    let mut part = LogPart::default();
    // Room up front for every row to the end of the file (rows take about a
    // hundred bytes) saves copying the lists as they grow, and lets a first
    // half take in the second.
    let room = (body.len().saturating_sub(rows.start) / 64).min(1 << 20);
    part.id_keys.reserve(room);
    if matches!(scope, Scope::Month(_)) {
        part.entries.reserve(room);
    }
    // The canonical rows of a digested month take at most the bytes of
    // their lines.
    if timelog::file_month(name).is_none_or(|m| shared.digests.contains(&m)) && !shared.digests.is_empty() {
        part.canon.reserve(body.len().saturating_sub(rows.start), room);
    }
    let mut rounding_cache: FxHashMap<(usize, Month), u32> = FxHashMap::default();
    // A file named after a month holds only that month's rows (any other is
    // an error): its usage is summed per contract in a list, with no key to
    // hash per row, and joined to the map once at the end.
    let sums_month = timelog::file_month(name).filter(|_| matches!(scope, Scope::All | Scope::Months(..)));
    let mut by_contract: Vec<Option<(u32, Usage)>> = vec![None; if sums_month.is_some() { contracts.len() } else { 0 }];
    let (entries, usage, count, id_keys) = (&mut part.entries, &mut part.usage, &mut part.rows, &mut part.id_keys);
    let canon = &mut part.canon;
    let logged = &mut part.logged;
    let digest_any = !shared.digests.is_empty();
    let mut long = Vec::new();
    timelog::read(rel, name, body, rows, index, &mut part.problems, |r, row| {
        *count += 1;
        if digest_any && shared.digests.contains(&Month::of(r.date)) {
            let fields = (0..timelog::HEADER.len()).map(|i| row.get(i));
            canon.push((r.contract, Month::of(r.date)), (fi, r.offset), fields);
        }
        if let Some(id) = r.id {
            id_keys.push(id as u64);
        }
        if r.minutes > 24 * 60 {
            long.push((r.offset, r.minutes));
        }
        let month = Month::of(r.date);
        if let Some((m, only)) = shared.keep
            && m == month
            && only.is_none_or(|i| i == r.contract)
        {
            logged.push(((fi, r.offset), r.contract, entries::logged(r, row)));
        }
        match scope {
            Scope::Month(m) if m == month => entries.push(Entry {
                date: r.date,
                contract: index.shared_id(r.contract),
                minutes: r.minutes,
                kind: r.kind,
            }),
            Scope::All | Scope::Months(..) if sums_month.is_some() => {
                let (rounding, sum) = by_contract[r.contract]
                    .get_or_insert_with(|| (contracts[r.contract].terms(month).rounding, Usage::default()));
                sum.add(r.kind, r.minutes, *rounding);
            }
            Scope::All | Scope::Months(..) => {
                let rounding = *rounding_cache
                    .entry((r.contract, month))
                    .or_insert_with(|| contracts[r.contract].terms(month).rounding);
                usage.entry((r.contract, month)).or_default().add(r.kind, r.minutes, rounding);
            }
            _ => {}
        }
    });
    if let Some(m) = sums_month {
        for (i, (_, sum)) in by_contract.into_iter().enumerate().filter_map(|(i, s)| Some((i, s?))) {
            *part.usage.entry((i, m)).or_default() += sum;
        }
    }
    part.long = long;
    part
}

/// Month files this large are read in two halves on two threads.
const SPLIT_BYTES: usize = 256 * 1024;

/// Where to cut a large CSV body in two: after the line break nearest past
/// its middle (the header stays in the first half).
fn split_point(body: &[u8]) -> Option<usize> {
    if body.len() < SPLIT_BYTES {
        return None;
    }
    let header_end = memchr::memchr(b'\n', body)? + 1;
    let mid = body.len() / 2;
    let cut = memchr::memchr(b'\n', &body[mid..])? + mid + 1;
    (cut > header_end && cut < body.len()).then_some(cut)
}

/// What a reader found in a share of a file, joined to the share before.
trait Share: Send {
    fn problems(&self) -> &Problems;
    fn absorb(&mut self, later: Self);
}

impl Share for LogPart {
    fn problems(&self) -> &Problems {
        &self.problems
    }
    fn absorb(&mut self, later: Self) {
        LogPart::absorb(self, later);
    }
}

impl Share for approvals::Part {
    fn problems(&self) -> &Problems {
        &self.problems
    }
    fn absorb(&mut self, later: Self) {
        approvals::Part::absorb(self, later);
    }
}

/// Reads a CSV body with `read(rows)` (a byte range of it): a large one, if
/// `split`, as two halves on two threads, both reading the header. When a
/// half finds any problem the whole body is read again in one piece, exactly
/// as without the split: a quote open across the cut would make both halves
/// misjudge it.
fn read_split<T: Share>(body: &[u8], split: bool, read: impl Fn(std::ops::Range<usize>) -> T + Sync) -> T {
    if let Some(mid) = split_point(body).filter(|_| split) {
        let (mut first, second) = std::thread::scope(|s| {
            let second = s.spawn(|| read(mid..body.len()));
            (read(0..mid), second.join().expect("a reader thread panicked"))
        });
        if first.problems().list.is_empty() && second.problems().list.is_empty() {
            first.absorb(second);
            return first;
        }
    }
    read(0..body.len())
}

/// Reads `approvals.csv` (missing: no approvals): all rows are checked, the
/// ones `scope` needs are kept, those of the `digests` months digested.
fn read_approvals(
    root: &Path,
    scope: Scope,
    index: &ContractIndex<'_>,
    digests: &BTreeSet<Month>,
) -> (Vec<ApprovalRow>, Problems, Rows<(usize, Month)>) {
    let mut p = Problems::default();
    if !root.join(APPROVALS_FILE).exists() {
        return (Vec::new(), p, Rows::default());
    }
    let Some(b) = read_file(root, APPROVALS_FILE, &mut p) else { return (Vec::new(), p, Rows::default()) };
    let keep = |m: Month| match scope {
        Scope::Month(month) => m == month,
        Scope::Months(from, to) => from <= m && m <= to,
        Scope::Terms | Scope::All => true,
    };
    let digest = |m: Month| digests.contains(&m);
    let body = table::body(&b);
    let mut part =
        read_split(body, true, |rows| approvals::read_part(APPROVALS_FILE, body, rows, index, keep, &digest));
    p.list.extend(part.problems.list);
    approvals::check_ids(APPROVALS_FILE, &b, &mut part.ids, &mut p);
    (part.rows, p, part.canon)
}

/// Reads `corrections.csv` (missing: no corrections), digesting the rows
/// dated in the `digests` months.
fn read_corrections(root: &Path, index: &ContractIndex<'_>, digests: &BTreeSet<Month>) -> corrections::Read {
    let mut out = corrections::Read::default();
    if !root.join(CORRECTIONS_FILE).exists() {
        return out;
    }
    let Some(b) = read_file(root, CORRECTIONS_FILE, &mut out.problems) else { return out };
    corrections::read(CORRECTIONS_FILE, &b, index, &|m| digests.contains(&m))
}

/// The rows of `kind` of contract `id` for `month` (time log and
/// corrections: dated in it; approvals: for it), each canonical with its
/// file and line: a second read when a closing's digest differs, to name
/// the one row that arrived after it.
pub fn month_rows(
    root: &Path,
    loaded: &Loaded,
    kind: RowKind,
    id: &str,
    month: Month,
) -> Vec<(Vec<u8>, String, usize)> {
    let Some(ci) = loaded.contracts.iter().position(|c| c.id == id) else { return Vec::new() };
    let index = ContractIndex::new(&loaded.contracts, loaded.broken.clone());
    let only = BTreeSet::from([month]);
    let mut found: Vec<(Vec<u8>, String, usize)> = Vec::new();
    let mut take = |rows: Rows<(usize, Month)>, file: &dyn Fn(usize) -> (String, Vec<u8>)| {
        let mut files: HashMap<usize, (String, Vec<u8>)> = HashMap::new();
        for (bytes, (fi, offset)) in rows.of_group((ci, month)) {
            let (name, data) = files.entry(fi).or_insert_with(|| file(fi));
            let line = problem::Lines::new(table::body(data)).line(offset);
            found.push((bytes.to_vec(), name.clone(), line));
        }
    };
    match kind {
        RowKind::TimeLog => {
            let files: Vec<(String, String)> = loaded
                .log_files
                .iter()
                .filter(|(_, name)| timelog::file_month(name).is_none_or(|m| m == month))
                .cloned()
                .collect();
            let shared = Shared {
                root,
                scope: Scope::Terms,
                index: &index,
                contracts: &loaded.contracts,
                digests: &only,
                per_file: false,
                keep: None,
            };
            let part = read_log_files(&shared, &files, &one_by_one(files.len()));
            take(part.canon, &|fi| (files[fi].0.clone(), fs::read(root.join(&files[fi].0)).unwrap_or_default()));
        }
        RowKind::Approvals => {
            let (_, _, canon) = read_approvals(root, Scope::Terms, &index, &only);
            take(canon, &|_| (APPROVALS_FILE.to_string(), fs::read(root.join(APPROVALS_FILE)).unwrap_or_default()));
        }
        RowKind::Corrections => {
            let read = read_corrections(root, &index, &only);
            take(read.canon, &|_| {
                (CORRECTIONS_FILE.to_string(), fs::read(root.join(CORRECTIONS_FILE)).unwrap_or_default())
            });
        }
    }
    found
}

/// What one reader found in its share of the time log.
#[derive(Default)]
struct LogPart {
    problems: Problems,
    entries: Vec<Entry>,
    usage: FxHashMap<(usize, Month), Usage>,
    rows: usize,
    /// Row ids as their low 64 bits (8 bytes a row), sorted; equal keys are
    /// resolved to full ids by a second pass, which a clean ledger skips.
    id_keys: Vec<u64>,
    /// Rows over 24 hours (byte offset in the file's body, minutes).
    long: Vec<(usize, u64)>,
    /// Rows of the digested months, canonical, by (contract, month).
    canon: Rows<(usize, Month)>,
    /// Digests of months whose rows are all read.
    digests: Vec<((usize, Month), Digest)>,
    /// The problems of each file read (by its index), once it is read.
    by_file: Vec<(usize, Problems)>,
    /// The rows of [`Shared::keep`] by (file index, offset), with their
    /// contract's index.
    logged: Vec<((usize, usize), usize, LoggedEntry)>,
}

/// Hands out 0, 1, … `n - 1`, each once, to whichever thread asks next.
fn one_by_one(n: usize) -> impl Fn() -> Option<usize> + Sync {
    let taken = std::sync::atomic::AtomicUsize::new(0);
    move || Some(taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed)).filter(|&i| i < n)
}

/// Reads the files of the time log that `next` hands out (by their index
/// in `files`) until it hands out none; their problems by file.
fn read_log_files(
    shared: &Shared<'_>,
    files: &[(String, String)],
    next: &(dyn Fn() -> Option<usize> + Sync),
) -> LogPart {
    let mut part = LogPart::default();
    // One buffer for the files read one after the other: its pages are
    // faulted in once, not once per file (a statement reads twelve, `check`
    // sixty per thread).
    let mut bytes = Vec::new();
    while let Some(fi) = next() {
        let (rel, name) = &files[fi];
        bytes.clear();
        let read =
            fs::File::open(shared.root.join(rel)).and_then(|mut f| std::io::Read::read_to_end(&mut f, &mut bytes));
        if let Err(e) = read {
            let mut p = Problems::default();
            recorded(rel, Err(e), &mut p);
            part.by_file.push((fi, p));
            continue;
        }
        let body = table::body(&bytes);
        // `check` already reads files on two threads.
        let split = matches!(shared.scope, Scope::Month(_));
        let file = (rel.as_str(), name.as_str());
        let mut one = read_split(body, split, |rows| read_log_file(shared, fi, file, body, rows));
        if shared.per_file && !one.canon.is_empty() {
            // Only this file holds its month's rows: digest them now and
            // let the rows go (ten years closed would not fit otherwise).
            one.digests = std::mem::take(&mut one.canon).digests();
        }
        let mut lines = problem::Lines::new(body);
        for (offset, minutes) in std::mem::take(&mut one.long) {
            let line = lines.line(offset);
            one.problems.warning(
                rel,
                Some(line),
                None,
                format!("minutes: {minutes} is more than 24 hours in one entry"),
            );
        }
        part.by_file.push((fi, std::mem::take(&mut one.problems)));
        part.absorb(one);
    }
    if matches!(shared.scope, Scope::All | Scope::Months(..)) {
        // Sorted here, on the reader's own thread; `repeated_keys` merges.
        part.id_keys.sort_unstable();
    }
    part
}

/// Below this many ids, lists not sorted yet (a month's, for `report`) are
/// searched for repeats with a hash set, faster than sorting them here; above
/// it the sorted 8-byte keys keep memory small. Lists the readers sorted on
/// their own threads (`check`, a statement) are merged.
const HASHED_IDS: usize = 250_000;

/// Keys that occur more than once in `lists`, together.
fn repeated_keys(lists: &mut [Vec<u64>]) -> HashSet<u64> {
    let mut repeated: HashSet<u64> = HashSet::new();
    if lists.iter().map(Vec::len).sum::<usize>() < HASHED_IDS && !lists.iter().all(|l| l.is_sorted()) {
        let mut seen = rustc_hash::FxHashSet::with_capacity_and_hasher(
            HASHED_IDS.min(lists.iter().map(Vec::len).sum()),
            Default::default(),
        );
        repeated.extend(lists.iter().flatten().filter(|k| !seen.insert(**k)));
        return repeated;
    }
    for l in lists.iter_mut().filter(|l| !l.is_sorted()) {
        l.sort_unstable();
    }
    for l in lists.iter() {
        repeated.extend(l.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]));
    }
    for (i, a) in lists.iter().enumerate() {
        for b in &lists[i + 1..] {
            // Merge walk over two sorted lists. The smaller key (both, when
            // equal) moves on without a branch: which one it is cannot be
            // predicted, and a wrong guess per key cost more than the walk.
            let (mut x, mut y) = (0, 0);
            while x < a.len() && y < b.len() {
                let (k, l) = (a[x], b[y]);
                if k == l {
                    repeated.insert(k);
                }
                x += usize::from(k <= l);
                y += usize::from(l <= k);
            }
        }
    }
    repeated
}

/// Second pass over the time log for rows whose id keys repeat: reports each
/// row whose full id was already used, naming the first place.
fn report_duplicate_ids(
    root: &Path,
    files: &[(String, String)],
    index: &ContractIndex<'_>,
    keys: &HashSet<u64>,
    p: &mut Problems,
) {
    let mut found: Vec<(u128, usize, usize)> = Vec::new();
    for (fi, (rel, name)) in files.iter().enumerate() {
        let Ok(bytes) = fs::read(root.join(rel)) else { continue };
        // Problems were recorded by the first pass.
        let mut ignore = Problems::default();
        let mut lines = problem::Lines::new(table::body(&bytes));
        timelog::read(rel, name, &bytes, 0..usize::MAX, index, &mut ignore, |r, _| {
            if let Some(id) = r.id.filter(|id| keys.contains(&(*id as u64))) {
                found.push((id, fi, lines.line(r.offset)));
            }
        });
    }
    found.sort_unstable();
    for pair in found.chunk_by(|a, b| a.0 == b.0) {
        let (_, ffi, fline) = pair[0];
        for &(id, fi, line) in &pair[1..] {
            p.error(
                &files[fi].0,
                Some(line),
                None,
                format!(
                    "id: {} is already used at {}:{fline}; ids must be unique (a row copied, or edited on one side of a merge?)",
                    ulid::Ulid(id),
                    files[ffi].0
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Scope, load, repeated_keys};

    /// A ledger whose November file is large enough to be read in halves.
    fn big_ledger(extra_rows: &[(usize, &str)]) -> (tempfile::TempDir, usize) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("contracts")).unwrap();
        std::fs::create_dir_all(root.join("timelog")).unwrap();
        std::fs::write(root.join("supportctl.toml"), "").unwrap();
        std::fs::write(root.join("contracts/acme.toml"), "customer = \"A\"\ntier = \"16h\"\nstart = \"2026-01\"\n")
            .unwrap();
        let mut text = String::from("date,contract,minutes,note,id\n");
        let n = 6000;
        for i in 0..n {
            if let Some((_, row)) = extra_rows.iter().find(|(at, _)| *at == i) {
                text.push_str(row);
                text.push('\n');
            }
            text.push_str(&format!(
                "2026-11-{:02},acme,{},\"note, {i}\",{}\n",
                i % 28 + 1,
                i % 50 + 1,
                ulid::Ulid(i as u128 + 1)
            ));
        }
        assert!(text.len() > super::SPLIT_BYTES);
        std::fs::write(root.join("timelog/2026-11.csv"), text).unwrap();
        (dir, n)
    }

    #[test]
    fn a_large_month_file_read_in_halves_gives_every_row_once() {
        let (dir, n) = big_ledger(&[]);
        let m = "2026-11".parse().unwrap();
        let month = load(dir.path(), Scope::Month(m));
        assert!(month.problems.list.is_empty(), "{:?}", month.problems.list);
        assert_eq!((month.rows, month.entries.len()), (n, n));
        let total: u64 = month.entries.iter().map(|e| e.minutes).sum();
        let all = load(dir.path(), Scope::All);
        assert_eq!(all.usage.values().map(|u| u.used).sum::<u64>(), total);
    }

    #[test]
    fn a_long_entry_in_the_second_half_is_warned_at_its_file_line() {
        let (dir, _) = big_ledger(&[(4000, "2026-11-03,acme,1500,long,")]);
        let month = load(dir.path(), Scope::Month("2026-11".parse().unwrap()));
        let shown: Vec<String> = month.problems.list.iter().map(|p| p.to_string()).collect();
        assert_eq!(shown, ["timelog/2026-11.csv:4002: minutes: 1500 is more than 24 hours in one entry"]);
    }

    #[test]
    fn problems_in_either_half_are_at_the_lines_of_a_whole_read() {
        // A bad row late in the file, a long entry and a repeated id: the
        // lines must be those of the file, not of a half.
        let (dir, _) = big_ledger(&[
            (100, "2026-11-03,acme,1500,long,01KB2Z7Q8W3N5YV0M4T6R9J1XA"),
            (5000, "2026-11-03,acme,x,bad,"),
            (5500, "2026-11-03,acme,30,again,01KB2Z7Q8W3N5YV0M4T6R9J1XA"),
        ]);
        let m = "2026-11".parse().unwrap();
        let month = load(dir.path(), Scope::Month(m));
        let shown: Vec<String> = month.problems.list.iter().map(|p| p.to_string()).collect();
        let all: Vec<String> = load(dir.path(), Scope::All).problems.list.iter().map(|p| p.to_string()).collect();
        assert_eq!(shown, all);
        assert!(shown.iter().any(|p| p.starts_with("timelog/2026-11.csv:5003: minutes: \"x\"")), "{shown:?}");
        assert!(
            shown.iter().any(|p| p.starts_with("timelog/2026-11.csv:102: warning")
                || p.starts_with("timelog/2026-11.csv:102: minutes")),
            "{shown:?}"
        );
        assert!(shown.iter().any(|p| p.starts_with("timelog/2026-11.csv:5504: id:")), "{shown:?}");
    }

    /// An approvals file large enough to be read in halves: 6,000 rows over
    /// 2026-01..2026-12, `extra` rows inserted before the given indices.
    fn big_approvals(extra: &[(usize, &str)]) -> tempfile::TempDir {
        let (dir, _) = big_ledger(&[]);
        let mut text = String::from("date,contract,month,minutes,reference,note,id\n");
        for i in 0..6000 {
            if let Some((_, row)) = extra.iter().find(|(at, _)| *at == i) {
                text.push_str(row);
                text.push('\n');
            }
            let m = i % 12 + 1;
            text.push_str(&format!(
                "2026-{m:02}-20,acme,2026-{m:02},{},\"mail, {i}\",,{}\n",
                i % 50 + 1,
                ulid::Ulid(i as u128 + 1)
            ));
        }
        assert!(text.len() > super::SPLIT_BYTES);
        std::fs::write(dir.path().join("approvals.csv"), text).unwrap();
        dir
    }

    #[test]
    fn a_large_approvals_file_read_in_halves_keeps_the_months_rows() {
        let dir = big_approvals(&[]);
        let month = load(dir.path(), Scope::Month("2026-11".parse().unwrap()));
        assert!(month.problems.list.is_empty(), "{:?}", month.problems.list);
        assert_eq!(month.approvals.len(), 500);
        assert!(month.approvals.iter().all(|a| a.approval.month == "2026-11".parse().unwrap()));
        // Lines are the file's: row i stands on line i + 2.
        assert_eq!(month.approvals[499].line, 5998 + 2);
        assert!(month.approvals.windows(2).all(|w| w[0].line < w[1].line));
        assert_eq!(load(dir.path(), Scope::All).approvals.len(), 6000);
    }

    /// Problems of `load` for November next to those of one whole read of
    /// `approvals.csv`.
    fn approvals_problems(dir: &tempfile::TempDir) -> (Vec<String>, Vec<String>) {
        let shown = load(dir.path(), Scope::Month("2026-11".parse().unwrap())).problems.list;
        let data = std::fs::read(dir.path().join("approvals.csv")).unwrap();
        let contracts = load(dir.path(), Scope::Terms).contracts;
        let index = super::ContractIndex::new(&contracts, Default::default());
        let mut whole = super::Problems::default();
        super::approvals::read("approvals.csv", &data, &index, |_| true, &mut whole);
        let text = |l: Vec<super::Problem>| l.iter().map(|p| p.to_string()).collect();
        (text(shown), text(whole.list))
    }

    #[test]
    fn a_repeated_approval_id_across_the_halves_is_found_as_in_a_whole_read() {
        // The same id near the top and near the end, one in each half.
        let dup = "01KB2Z7Q8W3N5YV0M4T6R9J1XA";
        let dir = big_approvals(&[
            (10, &format!("2026-11-20,acme,2026-11,30,SD-1,,{dup}")),
            (5900, &format!("2026-11-21,acme,2026-11,30,SD-3,,{dup}")),
        ]);
        let (shown, whole) = approvals_problems(&dir);
        assert_eq!(shown, [format!("approvals.csv:5903: id: {dup} is already used at line 12; ids must be unique")]);
        assert_eq!(shown, whole);
        // A bad row in the second half as well: then the file is read whole.
        let dir = big_approvals(&[
            (10, &format!("2026-11-20,acme,2026-11,30,SD-1,,{dup}")),
            (5000, "2026-11-20,acme,2026-11,x,SD-2,,"),
            (5900, &format!("2026-11-21,acme,2026-11,30,SD-3,,{dup}")),
        ]);
        let (shown, whole) = approvals_problems(&dir);
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(shown[0].starts_with("approvals.csv:5003: minutes: \"x\""), "{shown:?}");
        assert_eq!(shown, whole);
    }

    /// A file that cannot be read (gone since the folder was listed) is an
    /// error of that file, kept in file order with the problems of the others.
    #[test]
    fn a_time_log_file_that_cannot_be_read_is_an_error_of_that_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("timelog")).unwrap();
        std::fs::write(dir.path().join("timelog/2026-10.csv"), "date,contract,minutes\n2026-10-01,gone,5\n").unwrap();
        let contracts = Vec::new();
        let index = super::ContractIndex::new(&contracts, Default::default());
        let digests = Default::default();
        let shared = super::Shared {
            root: dir.path(),
            scope: Scope::All,
            index: &index,
            contracts: &contracts,
            digests: &digests,
            per_file: true,
            keep: None,
        };
        let files: Vec<(String, String)> =
            ["2026-10.csv", "2026-11.csv"].iter().map(|n| (format!("timelog/{n}"), n.to_string())).collect();
        let part = super::read_log_files(&shared, &files, &super::one_by_one(files.len()));
        let shown: Vec<(usize, Vec<String>)> =
            part.by_file.iter().map(|(fi, p)| (*fi, p.list.iter().map(|p| p.to_string()).collect())).collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(shown[0].1[0].starts_with("timelog/2026-10.csv:2: contract: unknown contract"), "{shown:?}");
        assert!(shown[1].1[0].starts_with("timelog/2026-11.csv: cannot read: "), "{shown:?}");
        assert!(part.problems.list.is_empty());
    }

    #[test]
    fn repeated_keys_short_and_long_sorted_or_not() {
        let mut short = vec![vec![5, 1, 9], vec![7, 1]];
        assert_eq!(repeated_keys(&mut short).into_iter().collect::<Vec<_>>(), vec![1]);
        // Sorted by their readers: merged, within a list and across.
        let mut sorted = vec![vec![1, 3, 3, 8], vec![2, 8, 9]];
        let mut found: Vec<u64> = repeated_keys(&mut sorted).into_iter().collect();
        found.sort_unstable();
        assert_eq!(found, vec![3, 8]);
        // Above HASHED_IDS: the sorted path.
        let a: Vec<u64> = (0..200_000).rev().collect();
        let b: Vec<u64> = (199_990..400_000).collect();
        let mut long = vec![a, b];
        let mut found: Vec<u64> = repeated_keys(&mut long).into_iter().collect();
        found.sort_unstable();
        assert_eq!(found, (199_990..200_000).collect::<Vec<_>>());
        let mut within = vec![(0..300_000).chain([42]).collect::<Vec<u64>>()];
        assert_eq!(repeated_keys(&mut within).into_iter().collect::<Vec<_>>(), vec![42]);
    }
}
