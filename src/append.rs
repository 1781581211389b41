//! The one write path of the ledger (SPEC §6, RELIABILITY S1–S7, S6, S11).
//!
//! Appending one row to a CSV file: lock → check the tail → one `write_all`
//! of the whole line → `sync_data`; on any failure the file is truncated back
//! to its old length. The file is opened read+append (never truncating),
//! created with its header under the same lock when new, so two processes
//! never both write a header.
//!
//! Writing a whole file (a closing, an invoice, a statement): the bytes go to
//! a hidden temporary file beside the target, are synced, and the temporary
//! file is renamed into place (or linked, for a file that must not exist yet),
//! then the folder is synced: a crash leaves the target absent or whole, never
//! half-written. Readers skip hidden files; `check` reports stale ones. The
//! same in two steps ([`prepare`], then [`Prepared::commit`]) lets another
//! write go in between: an invoice's register row is appended after its
//! file is synced and before that file is renamed into place (SPEC §9).

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow, bail};

use crate::read::table::{self, Column};

/// How long to wait for another process's lock before giving up.
pub fn lock_wait() -> Duration {
    let ms = std::env::var("SUPPORTCTL_LOCK_WAIT_MS").ok().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    Duration::from_millis(ms)
}

/// A test hook: `SUPPORTCTL_FAILPOINT=write` fails the append after writing
/// half of the line, `sync` fails the sync, exactly as a full disk or an I/O
/// error would; the rollback must leave the file as it was. `write@N` and
/// `sync@N` fail only the N-th append of the process (an import's second
/// month file: `write@2`).
fn failpoint(name: &str) -> io::Result<()> {
    failpoint_at(name, 0)
}

/// [`failpoint`] for the `nth` append of this process (0: not counted).
fn failpoint_at(name: &str, nth: usize) -> io::Result<()> {
    let Ok(v) = std::env::var("SUPPORTCTL_FAILPOINT") else { return Ok(()) };
    let hit = match v.split_once('@') {
        None => v == name,
        Some((n, k)) => n == name && nth > 0 && k.parse() == Ok(nth),
    };
    if hit {
        return Err(io::Error::other(format!("injected failure ({v})")));
    }
    Ok(())
}

/// Appends made by this process so far (for `write@N`).
static APPENDS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How [`write_file`] treats an existing target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// Replace it (a statement written again).
    Replace,
    /// Refuse: the file is written once and never changed (a closing, an
    /// invoice). Two processes racing for the same name: one wins, the
    /// other gets [`io::ErrorKind::AlreadyExists`] in the error chain.
    Refuse,
}

/// Prefix of the temporary files [`write_file`] leaves behind only when the
/// process dies between writing and renaming (`.NAME.tmp-PID`).
pub fn temp_name(name: &str) -> String {
    format!(".{name}.tmp-{}", std::process::id())
}

/// Whether a file name is one of [`write_file`]'s temporary files.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.contains(".tmp-")
}

/// Writes `bytes` as the whole file `path` (`shown` is its name for messages)
/// through a synced temporary file and a rename; creates the folder. On any
/// failure the target is as it was and the temporary file is removed.
///
/// Failpoints for tests: `SUPPORTCTL_FAILPOINT=rename` fails between the
/// synced temporary file and the rename (an I/O error: cleaned up);
/// `crash-before-rename` aborts the process right there, as a power cut
/// would, leaving the temporary file and no target.
pub fn write_file(path: &Path, shown: &str, bytes: &[u8], existing: Existing) -> Result<()> {
    prepare(path, shown, bytes, existing)?.commit()
}

/// A whole file written to a synced temporary file beside its target, not
/// yet in place: [`Prepared::commit`] renames it into place, dropping it
/// removes it. Between the two another write may go first (an invoice's
/// register row is appended before its file is renamed into place).
#[derive(Debug)]
pub struct Prepared {
    tmp: std::path::PathBuf,
    path: std::path::PathBuf,
    dir: std::path::PathBuf,
    shown: String,
    existing: Existing,
    committed: bool,
}

/// The first step of [`write_file`]: creates the folder, refuses an existing
/// target under [`Existing::Refuse`], writes and syncs the temporary file.
pub fn prepare(path: &Path, shown: &str, bytes: &[u8], existing: Existing) -> Result<Prepared> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}; nothing was written", dir.display()))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if existing == Existing::Refuse && path.exists() {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists))
            .with_context(|| format!("{shown} exists already; it is written once and never changed"));
    }
    let tmp = dir.join(temp_name(&name));
    let written = (|| -> io::Result<()> {
        let mut f = OpenOptions::new().write(true).create(true).truncate(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(anyhow::Error::new(e).context(format!("cannot write {shown}: nothing was written")));
    }
    Ok(Prepared { tmp, path: path.to_path_buf(), dir, shown: shown.to_string(), existing, committed: false })
}

impl Prepared {
    /// The second step of [`write_file`] without the folder's sync: renames
    /// (or links, for [`Existing::Refuse`]) the temporary file into place and
    /// returns its folder, which the caller syncs ([`sync_dir`]) once after
    /// many such renames. On failure the target is as it was and the
    /// temporary file is gone.
    pub fn commit_unsynced(mut self) -> Result<std::path::PathBuf> {
        let (tmp, path, existing) = (&self.tmp, &self.path, self.existing);
        let moved = (|| -> io::Result<()> {
            if std::env::var("SUPPORTCTL_FAILPOINT").is_ok_and(|v| v == "crash-before-rename") {
                std::process::abort();
            }
            failpoint("rename")?;
            match existing {
                Existing::Replace => std::fs::rename(tmp, path),
                Existing::Refuse => match std::fs::hard_link(tmp, path) {
                    // A link never replaces: of two racing writers one fails here.
                    Ok(()) => std::fs::remove_file(tmp),
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
                    // File systems without hard links: a rename after the check above.
                    Err(_) if !path.exists() => std::fs::rename(tmp, path),
                    Err(e) => Err(e),
                },
            }
        })();
        if let Err(e) = moved {
            let _ = std::fs::remove_file(tmp);
            self.committed = true;
            let what = if e.kind() == io::ErrorKind::AlreadyExists {
                format!("{} exists already; it is written once and never changed", self.shown)
            } else {
                format!("cannot write {}: {e}; nothing was written", self.shown)
            };
            return Err(anyhow::Error::new(e).context(what));
        }
        self.committed = true;
        Ok(self.dir.clone())
    }

    /// [`Prepared::commit_unsynced`], then the folder synced.
    pub fn commit(self) -> Result<()> {
        let dir = self.commit_unsynced()?;
        sync_dir(&dir);
        Ok(())
    }
}

/// Syncs a folder: a rename in it is durable once its entry is.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

impl Drop for Prepared {
    /// Not committed: the temporary file goes, the target stays as it was.
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// What was appended.
#[derive(Debug)]
pub struct Appended {
    /// The file had no `id` column, so the rows have none (SPEC §6.1).
    pub without_id: bool,
    /// Rows written.
    pub written: usize,
    /// Rows not written because their id was in the file already
    /// ([`Ids::Unique`]).
    pub skipped: usize,
}

/// What [`append_rows`] does with the rows' ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ids {
    /// A file without an `id` column gets rows without ids (`log`,
    /// `approve`: a header is never rewritten).
    Optional,
    /// The file must have an `id` column, and a row whose id is in the file
    /// already (looked up under the lock) is not written again (`import`).
    Unique,
}

/// Locks `file` exclusively, waiting until `deadline` at most.
fn lock(file: &File, shown: &str, deadline: Instant) -> Result<()> {
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) => {
                if Instant::now() >= deadline {
                    bail!(
                        "{shown} is locked by another process (waited {:.1} s); nothing was written. Is another supportctl hanging?",
                        lock_wait().as_secs_f32()
                    );
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e).with_context(|| format!("cannot lock {shown}")),
        }
    }
}

/// Appends one row given as `(column, value)` pairs to the CSV file at `path`
/// (`shown` is its name for messages). A new file gets `header` first. The
/// row follows the column order of the file's existing header; a value for a
/// column the file lacks is refused rather than dropped, except `id` and the
/// columns named in `droppable` (defaults nobody typed).
pub fn append_row(
    path: &Path,
    shown: &str,
    header: &[&str],
    values: &[(&str, &str)],
    droppable: &[&str],
) -> Result<Appended> {
    let names: Vec<&str> = values.iter().map(|(n, _)| *n).collect();
    let row: Vec<&str> = values.iter().map(|(_, v)| *v).collect();
    append_rows(path, shown, header, &names, &[row], droppable, Ids::Optional)
}

/// Appends `rows` (values in the order of `names`) to the CSV file at
/// `path` in one locked write: lock → check the tail and the header → one
/// `write_all` of every line → `sync_data`; on any failure the file is cut
/// back to its old length, so that either every row is there or none.
/// Columns as for [`append_row`]; `ids` says what a file without an `id`
/// column, and an id already in the file, mean.
pub fn append_rows(
    path: &Path,
    shown: &str,
    header: &[&str],
    names: &[&str],
    rows: &[Vec<&str>],
    droppable: &[&str],
    ids: Ids,
) -> Result<Appended> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create {}; nothing was written", dir.display()))?;
    }
    let deadline = Instant::now() + lock_wait();
    loop {
        let (mut file, created) = open(path, shown)?;
        lock(&file, shown, deadline)?;
        // A failed first write removes the file it created (below); whoever
        // opened that file meanwhile must not write into the removed inode.
        if !same_file(&file, path) {
            let _ = file.unlock();
            continue;
        }
        let batch = Batch { shown, header, names, rows, droppable, ids };
        let result = append_locked(&mut file, &batch);
        let wrote_nothing = result.as_ref().map_or(true, |a| a.written == 0);
        if wrote_nothing && created && file.metadata().is_ok_and(|m| m.len() == 0) {
            // Leave the ledger as it was: no empty file where there was none.
            let _ = std::fs::remove_file(path);
        }
        let _ = file.unlock();
        return result;
    }
}

/// What one [`append_rows`] writes.
struct Batch<'a> {
    shown: &'a str,
    header: &'a [&'a str],
    names: &'a [&'a str],
    rows: &'a [Vec<&'a str>],
    droppable: &'a [&'a str],
    ids: Ids,
}

/// Opens `path` read+append; creates it when missing and says so.
fn open(path: &Path, shown: &str) -> Result<(File, bool)> {
    let mut opts = OpenOptions::new();
    opts.read(true).append(true);
    match opts.open(path) {
        Ok(f) => return Ok((f, false)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("cannot open {shown}; nothing was written")),
    }
    match opts.clone().create_new(true).open(path) {
        Ok(f) => Ok((f, true)),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            Ok((opts.open(path).with_context(|| format!("cannot open {shown}; nothing was written"))?, false))
        }
        Err(e) => Err(e).with_context(|| format!("cannot create {shown}; nothing was written")),
    }
}

/// Whether the open `file` is still the one at `path`.
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

fn append_locked(file: &mut File, b: &Batch<'_>) -> Result<Appended> {
    let shown = b.shown;
    let mut old = Vec::new();
    file.read_to_end(&mut old).with_context(|| format!("cannot read {shown}; nothing was written"))?;
    let old_len = old.len() as u64;

    let mut lines = Vec::new();
    let (columns, crlf): (Vec<String>, bool) = match table::header_names(&old) {
        None if !old.is_empty() => {
            bail!("{shown} holds only blank space and no header; fix or remove it; nothing was written")
        }
        None => {
            lines.extend(encode(b.header.iter().copied(), false));
            (b.header.iter().map(|s| s.to_string()).collect(), false)
        }
        Some(columns) => {
            let body = table::body(&old);
            let first = body.split(|&c| c == b'\n').next().unwrap_or_default();
            let crlf = first.ends_with(b"\r");
            if !old.ends_with(b"\n") {
                check_unterminated_tail(shown, &old, &columns)?;
                lines.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
            }
            (columns, crlf)
        }
    };
    for (i, name) in b.names.iter().enumerate() {
        let given = b.rows.iter().map(|r| r.get(i).copied().unwrap_or("")).find(|v| !v.is_empty());
        if let Some(value) = given
            && *name != "id"
            && !b.droppable.contains(name)
            && !columns.iter().any(|c| c == name)
        {
            bail!(
                "{shown} has no column \"{name}\" for the value \"{value}\"; add the column to its header; nothing was written"
            );
        }
    }
    let without_id = !columns.iter().any(|c| c == "id");
    let id_at = b.names.iter().position(|n| *n == "id");
    let mut present: HashSet<u128> = HashSet::new();
    if b.ids == Ids::Unique {
        if without_id {
            bail!(
                "{shown} has no id column, which imported rows need (add id as the last column of its header); nothing was written"
            );
        }
        let mut ignore = crate::read::Problems::default();
        table::read_rows(shown, &old, &[Column { name: "id", required: true }], &mut ignore, |r| {
            if let Ok(id) = crate::read::timelog::parse_id(r.get(0)) {
                present.insert(id);
            }
            Ok(())
        });
    }
    let slots: Vec<Option<usize>> = columns.iter().map(|c| b.names.iter().position(|n| n == c)).collect();
    let mut w = csv::WriterBuilder::new()
        .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
        .from_writer(lines);
    let (mut written, mut skipped) = (0, 0);
    for row in b.rows {
        if b.ids == Ids::Unique {
            let id = id_at.and_then(|i| row.get(i)).and_then(|v| crate::read::timelog::parse_id(v).ok());
            match id {
                Some(id) if !present.insert(id) => {
                    skipped += 1;
                    continue;
                }
                Some(_) => {}
                None => bail!("{shown}: a row to import has no valid id; nothing was written"),
            }
        }
        // Writing to a Vec cannot fail.
        w.write_record(slots.iter().map(|s| s.and_then(|i| row.get(i).copied()).unwrap_or("")))
            .expect("writing CSV to memory");
        written += 1;
    }
    let lines = w.into_inner().expect("flushing CSV to memory");
    if written == 0 {
        return Ok(Appended { without_id, written, skipped });
    }

    if let Err(e) = write_all_synced(file, &lines) {
        let rollback = file.set_len(old_len).and_then(|()| file.sync_data());
        return Err(match rollback {
            Ok(()) => anyhow!("cannot write {shown}: {e}; nothing was written"),
            Err(r) => {
                anyhow!("cannot write {shown}: {e}; and rolling back failed too ({r}): check the end of the file")
            }
        });
    }
    Ok(Appended { without_id, written, skipped })
}

fn write_all_synced(file: &mut File, line: &[u8]) -> io::Result<()> {
    let nth = APPENDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
    if failpoint_at("write", nth).is_err() {
        file.write_all(&line[..line.len() / 2])?;
        failpoint_at("write", nth)?;
    }
    file.write_all(line)?;
    failpoint_at("sync", nth)?;
    file.sync_data()
}

/// One CSV line with its terminator, quoted where needed.
fn encode<'a>(cells: impl IntoIterator<Item = &'a str>, crlf: bool) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    w.write_record(cells).expect("writing CSV to memory");
    w.into_inner().expect("flushing CSV to memory")
}

/// A last line without its line break is completed only when it is a whole
/// row; a torn one (an interrupted write) stops the append.
fn check_unterminated_tail(shown: &str, old: &[u8], columns: &[String]) -> Result<()> {
    let start = old.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let line_no = old.iter().filter(|&&b| b == b'\n').count() + 1;
    if start == 0 {
        bail!("{shown}: the header has no line break; fix the file first; nothing was written");
    }
    let cols: Vec<Column<'_>> = columns.iter().map(|c| Column { name: c, required: false }).collect();
    let mut probe = columns.join(",").into_bytes();
    probe.push(b'\n');
    probe.extend_from_slice(&old[start..]);
    let mut problems = crate::read::Problems::default();
    let id_col = columns.iter().position(|c| c == "id");
    table::read_rows(shown, &probe, &cols, &mut problems, |r| match id_col {
        Some(i) => crate::read::timelog::row_id(r, i).map(|_| ()),
        None => Ok(()),
    });
    if let Some(p) = problems.errors().next() {
        bail!(
            "{shown}:{line_no}: the last line is incomplete ({}), probably an interrupted write; remove it after checking; nothing was written",
            p.message.split(table::TORN_HINT).next().unwrap_or(&p.message)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &[&str] = &["date", "contract", "minutes", "note", "id"];

    fn values() -> Vec<(&'static str, &'static str)> {
        vec![
            ("date", "2026-11-02"),
            ("contract", "acme"),
            ("minutes", "30"),
            ("note", "a, \"b\""),
            ("id", "01KB2Z7Q8W3N5YV0M4T6R9J1XA"),
        ]
    }

    #[test]
    fn whole_file_writes_replace_or_refuse() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("closings/2026-10.toml");
        write_file(&p, "closings/2026-10.toml", b"a = 1\n", Existing::Refuse).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"a = 1\n");
        let e = write_file(&p, "closings/2026-10.toml", b"a = 2\n", Existing::Refuse).unwrap_err();
        assert!(e.to_string().contains("exists already"), "{e}");
        assert!(
            e.chain().any(|c| c.downcast_ref::<io::Error>().is_some_and(|i| i.kind() == io::ErrorKind::AlreadyExists))
        );
        assert_eq!(std::fs::read(&p).unwrap(), b"a = 1\n");
        write_file(&p, "closings/2026-10.toml", b"a = 3\n", Existing::Replace).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"a = 3\n");
        // No temporary file is left behind.
        let names: Vec<String> = std::fs::read_dir(p.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["2026-10.toml"]);
        assert!(is_temp_name(&temp_name("2026-10.toml")));
        assert!(!is_temp_name("2026-10.toml"));
    }

    #[test]
    fn a_prepared_file_is_in_place_only_once_committed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("invoices/RE-2026-0001.xml");
        let names = || -> Vec<String> {
            let mut n: Vec<String> = std::fs::read_dir(p.parent().unwrap())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            n.sort();
            n
        };
        let prepared = prepare(&p, "invoices/RE-2026-0001.xml", b"<x/>", Existing::Refuse).unwrap();
        assert!(!p.exists());
        assert_eq!(names(), [temp_name("RE-2026-0001.xml")]);
        prepared.commit().unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"<x/>");
        assert_eq!(names(), ["RE-2026-0001.xml"]);
        // Dropped without commit: nothing stays behind.
        let q = dir.path().join("invoices/RE-2026-0002.xml");
        drop(prepare(&q, "q", b"<y/>", Existing::Refuse).unwrap());
        assert_eq!(names(), ["RE-2026-0001.xml"]);
        // An existing target is refused before anything is written.
        let e = prepare(&p, "invoices/RE-2026-0001.xml", b"<z/>", Existing::Refuse).unwrap_err();
        assert!(e.to_string().contains("exists already"), "{e}");
        assert_eq!(names(), ["RE-2026-0001.xml"]);
    }

    #[test]
    fn creates_with_header_then_appends() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("timelog/2026-11.csv");
        append_row(&p, "t.csv", H, &values(), &[]).unwrap();
        append_row(&p, "t.csv", H, &values(), &[]).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(
            text,
            "date,contract,minutes,note,id\n2026-11-02,acme,30,\"a, \"\"b\"\"\",01KB2Z7Q8W3N5YV0M4T6R9J1XA\n2026-11-02,acme,30,\"a, \"\"b\"\"\",01KB2Z7Q8W3N5YV0M4T6R9J1XA\n"
        );
    }

    #[test]
    fn follows_existing_column_order_and_line_endings() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.csv");
        std::fs::write(&p, "minutes,date,contract,note\r\n10,2026-11-01,acme,x").unwrap();
        let a = append_row(&p, "x.csv", H, &values(), &[]).unwrap();
        assert!(a.without_id);
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "minutes,date,contract,note\r\n10,2026-11-01,acme,x\r\n30,2026-11-02,acme,\"a, \"\"b\"\"\"\r\n"
        );
    }

    #[test]
    fn refuses_after_a_torn_row_and_for_missing_columns() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.csv");
        let torn = "date,contract,minutes,note,id\n2026-11-01,acme,10,x,01KB2Z7Q8W3N5YV0M4T6R9J1XA\n2026-11-01,ac";
        std::fs::write(&p, torn).unwrap();
        let e = append_row(&p, "x.csv", H, &values(), &[]).unwrap_err().to_string();
        assert!(e.starts_with("x.csv:3: the last line is incomplete"), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), torn);
        std::fs::write(&p, "date,contract,minutes\n").unwrap();
        let e = append_row(&p, "x.csv", H, &values(), &[]).unwrap_err().to_string();
        assert!(e.contains("has no column \"note\""), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "date,contract,minutes\n");
    }

    #[test]
    fn many_rows_in_one_write_follow_the_header_and_skip_ids_already_there() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("timelog/2026-11.csv");
        let names = ["date", "contract", "minutes", "note", "id"];
        let a = ulid::Ulid(1).to_string();
        let b = ulid::Ulid(2).to_string();
        let rows = vec![
            vec!["2026-11-02", "acme", "30", "x, y", a.as_str()],
            vec!["2026-11-03", "acme", "45", "", b.as_str()],
            vec!["2026-11-03", "acme", "45", "", b.as_str()],
        ];
        let done = append_rows(&p, "t.csv", H, &names, &rows, &[], Ids::Unique).unwrap();
        assert_eq!((done.written, done.skipped, done.without_id), (2, 1, false));
        let first = std::fs::read_to_string(&p).unwrap();
        assert_eq!(
            first,
            format!("date,contract,minutes,note,id\n2026-11-02,acme,30,\"x, y\",{a}\n2026-11-03,acme,45,,{b}\n")
        );
        // Again: every id is there already; nothing is written.
        let again = append_rows(&p, "t.csv", H, &names, &rows, &[], Ids::Unique).unwrap();
        assert_eq!((again.written, again.skipped), (0, 3));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), first);
        // A new file that gets nothing is not left behind.
        let q = dir.path().join("timelog/2026-12.csv");
        let none = append_rows(&q, "q.csv", H, &names, &[], &[], Ids::Unique).unwrap();
        assert_eq!(none.written, 0);
        assert!(!q.exists());
    }

    #[test]
    fn unique_ids_need_an_id_column_and_optional_ones_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.csv");
        std::fs::write(&p, "date,contract,minutes,note\r\n").unwrap();
        let names = ["date", "contract", "minutes", "id"];
        let id = ulid::Ulid(5).to_string();
        let rows = vec![vec!["2026-11-02", "acme", "30", id.as_str()]];
        let e = append_rows(&p, "x.csv", H, &names, &rows, &[], Ids::Unique).unwrap_err().to_string();
        assert!(e.starts_with("x.csv has no id column"), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "date,contract,minutes,note\r\n");
        let done = append_rows(&p, "x.csv", H, &names, &rows, &[], Ids::Optional).unwrap();
        assert!(done.without_id);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "date,contract,minutes,note\r\n2026-11-02,acme,30,\r\n");
    }
}
