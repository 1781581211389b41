//! Robustness of reading and appending (issue 6 items 3–5; RELIABILITY (c)
//! 15, 17, 18; S3–S7):
//!
//! - crash consistency: a month file (and `approvals.csv`) of the demo ledger
//!   cut at every byte of its last two rows is either accepted, when the cut
//!   ends at a row boundary, with the report of exactly the rows kept, or
//!   refused with an error on its last line — never a different total
//!   without an error;
//! - arbitrary and mutated bytes as a month file: `check` (the library's
//!   `load`, as `check` calls it) never panics, every problem's line lies in
//!   its file, and an accepted file reports what an independent CSV reading
//!   of it says;
//! - fault injection beyond `tests/recording.rs` (which covers the write and
//!   sync failpoints, a held lock and unwritable targets): a real partial
//!   write cut short by the kernel (a file-size limit, as a full disk does),
//!   a read-only ledger for an unprivileged user, a missing month folder that
//!   cannot be created, a missing ledger folder. Each leaves every file
//!   byte-identical and exits 1 saying that nothing was written.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use supportctl::compute::{self, MonthReport};
use supportctl::model::amount::round_up;
use supportctl::model::{Kind, Month};
use supportctl::read::fuzz::editor_lines;

use common::Tree;
use supportctl::read::{self, Loaded, Scope};

const NOV: &str = "timelog/2026-11.csv";

fn month(s: &str) -> Month {
    s.parse().unwrap()
}

fn errors(l: &Loaded) -> Vec<String> {
    l.problems.errors().map(|p| p.to_string()).collect()
}

/// The report of `m` as `report --month m` computes it.
fn report(root: &Path, m: Month) -> MonthReport {
    let l = read::load(root, Scope::Month(m));
    assert!(errors(&l).is_empty(), "{:?}", errors(&l));
    let approvals: Vec<_> = l.approvals.iter().map(|a| a.approval.clone()).collect();
    compute::month(m, &l.settings().currency, &l.contracts, &l.entries, &approvals)
}

/// Byte ranges `start..end` (end before the line break) of the data rows of
/// a file with a header, and the rows' fields by column name.
fn rows_of(data: &[u8]) -> Vec<(usize, usize, BTreeMap<String, String>)> {
    let mut out = Vec::new();
    let mut start = data.iter().position(|&b| b == b'\n').unwrap() + 1;
    let header: Vec<String> = String::from_utf8_lossy(&data[..start - 1]).split(',').map(str::to_string).collect();
    while start < data.len() {
        let end = start + data[start..].iter().position(|&b| b == b'\n').unwrap();
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(&data[start..end]);
        let rec = r.records().next().unwrap().unwrap();
        out.push((start, end, header.iter().cloned().zip(rec.iter().map(str::to_string)).collect()));
        start = end + 1;
    }
    out
}

/// The cut offsets of the last two rows: from the start of the one before
/// last to the end of the file.
fn cuts(rows: &[(usize, usize, BTreeMap<String, String>)], len: usize) -> std::ops::RangeInclusive<usize> {
    rows[rows.len() - 2].0..=len
}

/// Asserts that every error of `l` is on the last line of `rel`, cut to `prefix`.
fn assert_error_on_last_line(l: &Loaded, rel: &str, prefix: &[u8], k: usize) {
    let last = editor_lines(prefix);
    for p in l.problems.errors() {
        assert!(
            p.file == rel && p.line == Some(last),
            "cut at byte {k}: an error elsewhere than on the last line ({last}) of {rel}: {p}"
        );
    }
}

/// Invariant 17 for the time log: cuts at every byte of the last two rows of
/// the demo's November, checked through the library; the report of an
/// accepted cut equals the uncut report less the billed minutes of the rows
/// cut off.
#[test]
fn a_month_file_cut_anywhere_in_its_last_rows_is_accepted_whole_or_refused_on_its_last_line() {
    let dir = common::demo_copy();
    let root = dir.path();
    let m = month("2026-11");
    let full = fs::read(root.join(NOV)).unwrap();
    assert!(full.ends_with(b"\n"));
    let rows = rows_of(&full);
    let uncut = report(root, m);
    let contracts = read::load(root, Scope::Terms).contracts;
    let billed = |r: &BTreeMap<String, String>| -> (String, Kind, u64) {
        let c = contracts.iter().find(|c| c.id == r["contract"]).unwrap();
        let kind = match r["kind"].as_str() {
            "" | "support" => Kind::Support,
            "escalation" => Kind::Escalation,
            _ => Kind::Nonbillable,
        };
        let minutes: u64 = r["minutes"].parse().unwrap();
        let b = if kind == Kind::Nonbillable { minutes } else { round_up(minutes, c.terms(m).rounding) };
        (c.id.clone(), kind, b)
    };

    let (mut accepted, mut refused) = (0, 0);
    for k in cuts(&rows, full.len()) {
        let prefix = &full[..k];
        fs::write(root.join(NOV), prefix).unwrap();
        let l = read::load(root, Scope::All);
        if l.problems.has_errors() {
            refused += 1;
            assert_error_on_last_line(&l, NOV, prefix, k);
            continue;
        }
        accepted += 1;
        // Accepted: the cut ends where a row ends (with or without its line
        // break) or where one starts; the rows kept are those ending by `k`.
        let at_boundary = rows.iter().any(|(s, e, _)| k == *s || k == *e || k == e + 1);
        assert!(at_boundary, "cut at byte {k} (inside a row) accepted: {:?}", String::from_utf8_lossy(prefix));
        let mut want = uncut.clone();
        for (_, _, r) in rows.iter().filter(|(_, e, _)| *e > k) {
            let (id, kind, b) = billed(r);
            let c = want.contracts.iter_mut().find(|c| c.contract == id).unwrap();
            match kind {
                Kind::Nonbillable => c.nonbillable_minutes -= b,
                Kind::Escalation => {
                    c.used_minutes -= b;
                    c.escalated_minutes -= b;
                }
                Kind::Support => c.used_minutes -= b,
            }
        }
        let got = report(root, m);
        for (g, w) in got.contracts.iter().zip(&want.contracts) {
            assert_eq!(g.contract, w.contract);
            assert_eq!(
                (g.used_minutes, g.escalated_minutes, g.nonbillable_minutes),
                (w.used_minutes, w.escalated_minutes, w.nonbillable_minutes),
                "cut at byte {k}: {}",
                g.contract
            );
            assert_eq!(g.forfeited_minutes + w.used_minutes, g.quota_minutes + g.overage_minutes, "{}", g.contract);
        }
        assert_eq!(got.contracts.len(), want.contracts.len());
    }
    // Accepted: both rows gone, the row before last with or without its
    // line break, the whole file with or without its last line break.
    assert_eq!(accepted, 5, "accepted cuts");
    assert!(refused > 100, "{refused} refused cuts");
}

/// The same cuts through the binary for a sample of offsets: `check` exits 0
/// exactly when the library accepts, else it names the last line; `report`
/// refuses whenever `check` fails and otherwise prints the kept rows' total.
#[test]
fn the_binary_agrees_on_a_sample_of_cuts() {
    let dir = common::demo_copy();
    let root = dir.path();
    let full = fs::read(root.join(NOV)).unwrap();
    let rows = rows_of(&full);
    let (s1, e1) = (rows[rows.len() - 2].0, rows[rows.len() - 2].1);
    let e2 = rows[rows.len() - 1].1;
    let used = |out: &[u8]| -> BTreeMap<String, u64> {
        let v: serde_json::Value = serde_json::from_slice(out).unwrap();
        v["contracts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["contract"].as_str().unwrap().to_string(), c["used_minutes"].as_u64().unwrap()))
            .collect()
    };
    let complete = common::run_on(root, &["report", "--month", "2026-11", "--format", "json"]).success();
    let uncut = used(&complete.get_output().stdout);
    for k in [s1, s1 + 1, s1 + 11, e1 - 1, e1, e1 + 1, e1 + 40, e2 - 26, e2 - 1, e2, full.len()] {
        let prefix = &full[..k];
        fs::write(root.join(NOV), prefix).unwrap();
        let lib_ok = !read::load(root, Scope::All).problems.has_errors();
        let check = common::run_on(root, &["check"]);
        let code = check.get_output().status.code();
        let rep = common::run_on(root, &["report", "--month", "2026-11", "--format", "json"]);
        if lib_ok {
            assert_eq!(code, Some(0), "cut at {k}: {}", common::stderr(&check));
            let got = used(&rep.success().get_output().stdout);
            let lost: u64 = uncut.values().sum::<u64>() - got.values().sum::<u64>();
            assert!(k >= e2 || lost > 0, "cut at {k}: rows cut off but the same total");
        } else {
            assert_eq!(code, Some(1), "cut at {k}");
            let last = editor_lines(prefix);
            let e = common::stderr(&check);
            assert!(e.contains(&format!("{NOV}:{last}: ")), "cut at {k}: no error on line {last}: {e}");
            let rep = rep.code(1);
            assert!(rep.get_output().stdout.is_empty(), "cut at {k}: report printed figures");
        }
    }
}

/// Invariant 17 for `approvals.csv`: the approvals read from a cut file are
/// exactly its complete rows, or the last line is reported.
#[test]
fn approvals_cut_anywhere_in_their_last_rows_are_accepted_whole_or_refused_on_the_last_line() {
    let dir = common::demo_copy();
    let root = dir.path();
    let full = fs::read(root.join("approvals.csv")).unwrap();
    let rows = rows_of(&full);
    let mut accepted = 0;
    for k in cuts(&rows, full.len()) {
        let prefix = &full[..k];
        fs::write(root.join("approvals.csv"), prefix).unwrap();
        let l = read::load(root, Scope::Terms);
        if l.problems.has_errors() {
            assert_error_on_last_line(&l, "approvals.csv", prefix, k);
            continue;
        }
        accepted += 1;
        let kept: Vec<_> = rows.iter().filter(|(_, e, _)| *e <= k).collect();
        assert!(rows.iter().any(|(s, e, _)| k == *s || k == *e || k == e + 1), "cut at {k} accepted");
        assert_eq!(l.approvals.len(), kept.len(), "cut at {k}");
        for (a, (_, _, r)) in l.approvals.iter().zip(kept) {
            assert_eq!(a.approval.minutes.to_string(), r["minutes"], "cut at {k}");
            assert_eq!(&*a.approval.contract, r["contract"], "cut at {k}");
        }
    }
    assert_eq!(accepted, 5);
}

// ------------------------------------------------ arbitrary month files

/// Every problem of `l` with a line names a line of its file as it is on disk.
fn assert_lines_within_files(l: &Loaded, root: &Path, what: &str) {
    for p in &l.problems.list {
        let Some(line) = p.line else { continue };
        let data = fs::read(root.join(&p.file)).unwrap_or_default();
        let lines = editor_lines(&data);
        assert!((1..=lines).contains(&line), "{what}: line outside 1..={lines}: {p}");
    }
}

/// (contract, kind) → minutes of a time-log file read independently with
/// the csv crate (columns by trimmed header name, BOM and blank lines as csv
/// itself handles them).
fn independent_sums(data: &[u8]) -> BTreeMap<(String, String), u64> {
    if supportctl::read::table::body(data).is_empty() {
        return BTreeMap::new(); // accepted with a warning: no header, no rows
    }
    let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(data);
    let header: Vec<String> = r.headers().unwrap().iter().map(|h| h.trim().to_string()).collect();
    let col = |n: &str| header.iter().position(|h| h == n);
    let (c, mi, ki) = (col("contract").unwrap(), col("minutes").unwrap(), col("kind"));
    let mut sums = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let kind = ki.map_or("", |i| &rec[i]);
        let kind = if kind.is_empty() { "support" } else { kind };
        *sums.entry((rec[c].to_string(), kind.to_string())).or_insert(0) += rec[mi].parse::<u64>().unwrap();
    }
    sums
}

/// Invariant 18: bytes as `timelog/2026-11.csv` of the demo ledger — random,
/// or the demo's own November with a few bytes changed — never make the
/// reading panic; every problem lies within its file; when nothing is wrong
/// the month's entries are what the csv crate reads from the file.
#[test]
fn arbitrary_and_mutated_month_files_never_panic_and_problems_stay_in_their_files() {
    let dir = common::demo_copy();
    let root = dir.path().to_path_buf();
    let original = fs::read(root.join(NOV)).unwrap();
    let edited = |original: Vec<u8>, bytes: BoxedStrategy<u8>| {
        proptest::collection::vec((any::<prop::sample::Index>(), bytes, any::<bool>()), 1..4).prop_map(move |edits| {
            let mut d = original.clone();
            for (at, b, insert) in edits {
                let i = at.index(d.len());
                if insert { d.insert(i, b) } else { d[i] = b }
            }
            d
        })
    };
    let original_lines: Vec<Vec<u8>> = original.split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let lines = original_lines.clone();
    let data = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..400),
        edited(original.clone(), any::<u8>().boxed()),
        edited(original.clone(), prop_oneof![b'a'..=b'z', Just(b' '), Just(b','), Just(b'"')].boxed()),
        // A row removed (a clean file) or repeated (a duplicate id).
        (1..lines.len(), any::<bool>()).prop_map(move |(i, repeat)| {
            let mut l = lines.clone();
            if repeat {
                l.insert(i, l[i].clone())
            } else {
                drop(l.remove(i))
            }
            l.concat()
        }),
    ];
    // One case: whether the file was accepted.
    let case = |bytes: &[u8]| -> Result<bool, TestCaseError> {
        fs::write(root.join(NOV), bytes).unwrap();
        let all = read::load(&root, Scope::All);
        assert_lines_within_files(&all, &root, &format!("{:?}", String::from_utf8_lossy(bytes)));
        if all.problems.has_errors() {
            return Ok(false);
        }
        let nov = read::load(&root, Scope::Month(month("2026-11")));
        prop_assert!(!nov.problems.has_errors());
        let mut got: BTreeMap<(String, String), u64> = BTreeMap::new();
        for e in &nov.entries {
            *got.entry((e.contract.to_string(), e.kind.as_str().to_string())).or_insert(0) += e.minutes;
        }
        prop_assert_eq!(got, independent_sums(bytes));
        Ok(true)
    };
    // Both outcomes are covered whatever the random cases are.
    let without_second_row: Vec<u8> =
        original_lines.iter().enumerate().filter(|(i, _)| *i != 2).flat_map(|(_, l)| l.clone()).collect();
    assert!(case(&without_second_row).unwrap(), "a month without one of its rows is accepted");
    assert!(!case(&[original_lines.concat(), b"\0\0\n".to_vec()].concat()).unwrap(), "NUL bytes are refused");
    // An empty file (what a rolled-back first append leaves) is accepted;
    // random bytes hit it about once in 20 runs.
    assert!(case(b"").unwrap(), "an empty month file is accepted");
    assert!(case(b"\xEF\xBB\xBF").unwrap(), "a month file of only a byte order mark is accepted");
    let mut runner = TestRunner::new(Config { cases: 64, failure_persistence: None, ..Config::default() });
    runner.run(&data, |bytes| case(&bytes).map(|_| ())).unwrap();
}

// ---------------------------------------------------------- fault injection

/// A small ledger in `root/ledger` with November and approvals holding one
/// row each, padded so that their sizes are `size` bytes; an empty home.
struct Faulty {
    root: tempfile::TempDir,
}

const HEADER: &str = "date,contract,minutes,ticket,kind,level,channel,engineer,note,id";
const APPROVALS_HEADER: &str = "date,contract,month,minutes,reference,note,id";

impl Faulty {
    fn new(size: usize) -> Faulty {
        let root = tempfile::tempdir().unwrap();
        let f = Faulty { root };
        fs::create_dir_all(f.path().join("timelog")).unwrap();
        fs::create_dir_all(f.home()).unwrap();
        common::write(&f.path(), "supportctl.toml", "");
        common::write(&f.path(), "contracts/acme.toml", common::ACME);
        let pad = |head: &str, row: &dyn Fn(&str) -> String| {
            let fixed = head.len() + 1 + row("").len();
            format!("{head}\n{}", row(&"x".repeat(size - fixed)))
        };
        common::write(
            &f.path(),
            NOV,
            pad(HEADER, &|note| format!("2026-11-02,acme,30,SD-1,,,,anna,{note},01KB2Z7Q8W3N5YV0M4T6R9J1XA\n")),
        );
        common::write(
            &f.path(),
            "approvals.csv",
            pad(APPROVALS_HEADER, &|note| {
                format!("2026-11-20,acme,2026-11,30,SD-1,{note},01KB2Z7Q8W3N5YV0M4T6R9J1XB\n")
            }),
        );
        f
    }

    fn path(&self) -> PathBuf {
        self.root.path().join("ledger")
    }

    fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    /// Every folder and file below the ledger with its bytes.
    fn tree(&self) -> Tree {
        common::tree(&self.path())
    }

    /// `program ARGS… supportctl --ledger LEDGER CMD…`, isolated.
    fn run(&self, wrapper: &[&str], args: &[&str]) -> Output {
        let (program, pre) = match wrapper.split_first() {
            Some((p, rest)) => (PathBuf::from(p), rest.iter().map(PathBuf::from).collect::<Vec<_>>()),
            None => (common::bin().to_path_buf(), vec![]),
        };
        let mut c = StdCommand::new(program);
        c.args(pre);
        if !wrapper.is_empty() {
            c.arg(common::bin());
        }
        c.arg("--ledger").arg(self.path()).args(args);
        for var in ["SUPPORTCTL_LEDGER", "SUPPORTCTL_FAILPOINT", "SUPPORTCTL_LOCK_WAIT_MS", "SUPPORTCTL_ENGINEER"] {
            c.env_remove(var);
        }
        c.env("SUPPORTCTL_TODAY", common::TODAY)
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.home().join("config"))
            .env("XDG_DATA_HOME", self.home().join("data"))
            .current_dir(self.home());
        c.output().unwrap()
    }
}

/// Asserts a refusal: exit 1, "nothing was written" naming `file`, nothing
/// on stdout, and the ledger (`after`) as it was (`before`).
fn assert_refused(o: &Output, file: &str, before: &Tree, after: &Tree, what: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{what}: {err}");
    assert!(err.contains("nothing was written") && err.contains(file), "{what}: {err}");
    assert!(!String::from_utf8_lossy(&o.stdout).contains("logged"), "{what}");
    for (p, v) in after {
        assert!(before.get(p) == Some(v), "{what}: {} was created or changed", p.display());
    }
    assert_eq!(before.len(), after.len(), "{what}: something was removed");
}

/// S4 with a real short write: under a file-size limit (as on a full disk)
/// the kernel writes the part of the row below the limit and refuses the
/// rest; the append must truncate that torn part away. `bash` sets the limit
/// (in KiB) and ignores SIGXFSZ, so that the write fails with EFBIG instead
/// of killing the process.
#[test]
fn a_write_cut_short_by_the_kernel_is_rolled_back() {
    if StdCommand::new("bash").arg("-c").arg("ulimit -f 1").status().map_or(true, |s| !s.success()) {
        println!("skipped: no bash with ulimit -f");
        return;
    }
    let limit = |kib: usize| format!("trap '' XFSZ; ulimit -f {kib}; exec \"$0\" \"$@\"");
    // Existing files ending 20 bytes below the limit: the row is torn there.
    let f = Faulty::new(2048 - 20);
    let before = f.tree();
    let script = limit(2);
    let o = f.run(&["bash", "-c", &script], &["log", "acme", "10", "a note"]);
    assert_refused(&o, NOV, &before, &f.tree(), "log under a file-size limit");
    let o = f.run(&["bash", "-c", &script], &["approve", "acme", "1h", "--month", "2026-11", "--ref", "SD-9"]);
    assert_refused(&o, "approvals.csv", &before, &f.tree(), "approve under a file-size limit");
    // A new month file: not a byte may be written; no file is left behind.
    let script = limit(0);
    let o = f.run(&["bash", "-c", &script], &["log", "acme", "10", "--date", "2026-10-05"]);
    assert_refused(&o, "2026-10.csv", &before, &f.tree(), "log into a new file under a zero limit");
    // Without the limit the same appends go through, and check passes.
    assert_eq!(f.run(&[], &["log", "acme", "10", "-q", "a note"]).status.code(), Some(0));
    let o = f.run(&[], &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

fn is_root() -> bool {
    StdCommand::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// S7: a read-only ledger (every file 0444, every folder 0555) refuses every
/// append for a user without the right to write; root runs the binary as
/// `nobody` through `setpriv` (permission bits do not stop root). The month
/// folder missing and not creatable is the "missing directory" case.
#[test]
fn a_read_only_ledger_refuses_every_append_and_stays_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let as_nobody: &[&str] = &["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"];
    let wrapper: &[&str] = if is_root() { as_nobody } else { &[] };
    if is_root() {
        let probe = StdCommand::new(as_nobody[0]).args(&as_nobody[1..]).arg(common::bin()).arg("--version").output();
        if !probe.is_ok_and(|o| o.status.success()) {
            println!("skipped: running as root, and setpriv cannot run the binary as nobody");
            return;
        }
    }
    let set_mode = |root: &Path, file_mode: u32, dir_mode: u32| {
        fn walk(p: &Path, file_mode: u32, dir_mode: u32) {
            let mode = if p.is_dir() { dir_mode } else { file_mode };
            if p.is_dir() {
                for e in fs::read_dir(p).unwrap() {
                    walk(&e.unwrap().path(), file_mode, dir_mode);
                }
            }
            fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
        }
        walk(root, file_mode, dir_mode);
    };

    let f = Faulty::new(400);
    fs::set_permissions(f.root.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(f.home(), fs::Permissions::from_mode(0o777)).unwrap();
    set_mode(&f.path(), 0o444, 0o555);
    let before = f.tree();
    let cases: [(&[&str], &str); 3] = [
        (&["log", "acme", "10", "into an existing file"], NOV),
        (&["log", "acme", "10", "--date", "2026-10-05", "into a new file"], "2026-10.csv"),
        (&["approve", "acme", "1h", "--month", "2026-11", "--ref", "SD-9"], "approvals.csv"),
    ];
    let outputs: Vec<(Output, Tree)> = cases.iter().map(|(args, _)| (f.run(wrapper, args), f.tree())).collect();
    // The month folder is missing and the ledger folder is read-only.
    set_mode(&f.path(), 0o644, 0o755);
    fs::remove_dir_all(f.path().join("timelog")).unwrap();
    set_mode(&f.path(), 0o444, 0o555);
    let before_missing = f.tree();
    let missing = f.run(wrapper, &["log", "acme", "10"]);
    let after_missing = f.tree();
    set_mode(&f.path(), 0o644, 0o755);

    for ((args, file), (o, after)) in cases.iter().zip(&outputs) {
        assert_refused(o, file, &before, after, &format!("read-only: {args:?}"));
    }
    assert_refused(&missing, "timelog", &before_missing, &after_missing, "missing timelog/ in a read-only ledger");
}

/// A ledger folder that is gone: exit 1 naming `supportctl init`, and
/// nothing is created (no folder, no file).
#[test]
fn a_missing_ledger_folder_is_refused_and_not_created() {
    let f = Faulty::new(400);
    fs::remove_dir_all(f.path()).unwrap();
    for args in [&["log", "acme", "10"][..], &["approve", "acme", "1h", "--month", "2026-11", "--ref", "SD-9"]] {
        let o = f.run(&[], args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("supportctl init"), "{args:?}: {err}");
        assert!(!f.path().exists(), "{args:?} created the ledger folder");
    }
}
