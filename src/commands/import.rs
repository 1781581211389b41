//! `supportctl import FORMAT FILE [--apply] [--issues FILE]`: worklogs from
//! a Jira or Tempo export into the time log (SPEC §11). Reads the settings
//! and contracts, the export (streamed), `--issues`, and every time-log file
//! (for rows imported before); plans; prints the summary; with `--apply`
//! appends each month file's rows in one locked write, month by month.

use std::collections::{BTreeSet, HashMap};
use std::io::{BufReader, Write};
use std::path::Path;

use anyhow::Result;
use rustc_hash::FxHashSet;

use super::{Context, Outcome, plural, print_problems};
use crate::append::{self, Ids};
use crate::compute::import::{Ledger, plan};
use crate::model::Month;
use crate::model::worklog::{Item, Source};
use crate::read::import::{existing, issues};
use crate::read::{self, CONTRACTS_DIR, SETTINGS_FILE, Scope, TIMELOG_DIR, timelog};
use crate::render::import::{Shown, summary, written};

/// Worklogs held per chunk while the export is read.
const CHUNK: usize = 4096;

pub fn run(
    ctx: &Context,
    source: Source,
    file: &Path,
    apply: bool,
    issues_file: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome> {
    // Long refusals (a field's path and what it held) wrap at the terminal.
    let out = &mut crate::render::width::WrapLines::new(out, ctx.out_width());
    let root = ctx.ledger()?;
    let mut loaded = read::load(&root, Scope::Terms);
    // The settings (time zone) and contracts (projects) decide every row;
    // problems elsewhere are `check`'s.
    loaded.problems.list.retain(|p| p.file == SETTINGS_FILE || p.file.starts_with(&format!("{CONTRACTS_DIR}/")));
    if print_problems(&loaded, err)? > 0 {
        writeln!(
            err,
            "error: cannot import: the settings or contracts have errors; fix them first (see `supportctl check`); nothing was written"
        )?;
        return Ok(Outcome::DataError);
    }
    let tz = loaded.settings().timezone;

    let issue_keys = match issues_file {
        None => HashMap::new(),
        Some(p) => {
            let shown = p.display().to_string();
            let bytes = match std::fs::read(p) {
                Ok(b) => b,
                Err(e) => {
                    writeln!(err, "error: cannot read {shown}: {e}; nothing was written")?;
                    return Ok(Outcome::DataError);
                }
            };
            let mut problems = read::Problems::default();
            let map = issues::read(&shown, &bytes, &mut problems);
            if problems.has_errors() {
                for p in problems.errors() {
                    writeln!(err, "{p}")?;
                }
                writeln!(err, "error: {shown} has errors; nothing was written")?;
                return Ok(Outcome::DataError);
            }
            map
        }
    };

    let shown_file = file.display().to_string();
    let input = match std::fs::File::open(file) {
        Ok(f) => BufReader::with_capacity(1 << 16, f),
        Err(e) => {
            writeln!(err, "error: cannot read {shown_file}: {e}; nothing was written")?;
            return Ok(Outcome::DataError);
        }
    };
    // In chunks, so that the plan frees each chunk once it is through it:
    // the worklogs and the rows planned from them are never all held twice.
    let mut items: Vec<Vec<Item>> = Vec::new();
    let collect = |i: Item| match items.last_mut() {
        Some(chunk) if chunk.len() < CHUNK => chunk.push(i),
        _ => {
            let mut chunk = Vec::with_capacity(CHUNK);
            chunk.push(i);
            items.push(chunk);
        }
    };
    if let Err(e) = crate::read::import::read(source, input, tz, collect) {
        writeln!(err, "error: {}; nothing was written", e.show(&shown_file))?;
        return Ok(Outcome::DataError);
    }

    let mut wanted: FxHashSet<u128> = FxHashSet::default();
    let mut months: BTreeSet<Month> = BTreeSet::new();
    for i in items.iter().flatten() {
        if let Item::Worklog(w) = i {
            wanted.insert(w.id);
            months.insert(Month::of(w.day));
        }
    }
    let found = existing::scan(&root, &wanted, &months);
    if found.problems.has_errors() {
        for p in found.problems.errors() {
            writeln!(err, "{p}")?;
        }
        writeln!(
            err,
            "error: cannot import: {} in the time log, which could hide rows imported before; fix {} first (see `supportctl check`); nothing was written",
            plural(found.problems.errors().count(), "error"),
            if found.problems.errors().count() == 1 { "it" } else { "them" }
        )?;
        return Ok(Outcome::DataError);
    }
    let closed: BTreeSet<Month> = months.iter().copied().filter(|m| read::closings::is_closed(&root, *m)).collect();
    let ledger = Ledger {
        contracts: &loaded.contracts,
        issues: &issue_keys,
        closed: &closed,
        existing: &found.rows,
        headers: &found.headers,
    };
    // Not freed: the process ends with this command, and giving back
    // 100,000 rows of small strings one by one costs a sixth of its time.
    let mut plan = std::mem::ManuallyDrop::new(plan(source, items.into_iter().flatten(), &ledger));
    show_ledger_versions(&root, &mut plan.refused);
    let shown = Shown { source, file: &shown_file, apply, issues: issues_file.is_some() };
    summary(&plan, &shown, out)?;
    if !apply {
        return Ok(Outcome::Ok);
    }

    if !plan.rows.is_empty() {
        writeln!(out)?;
    }
    let names = timelog::HEADER;
    let mut done: Vec<String> = Vec::new();
    for (month, rows) in &plan.rows {
        let rel = format!("{TIMELOG_DIR}/{month}.csv");
        // The cells that are made per row: date, minutes, id.
        let made: Vec<[String; 3]> =
            rows.iter().map(|r| [r.date.to_string(), r.minutes.to_string(), ulid::Ulid(r.id).to_string()]).collect();
        let values: Vec<Vec<&str>> = rows
            .iter()
            .zip(&made)
            .map(|(r, [date, minutes, id])| {
                // In the order of `timelog::HEADER`.
                vec![
                    date.as_str(),
                    &*r.contract,
                    minutes.as_str(),
                    r.ticket.as_str(),
                    "support",
                    "",
                    "",
                    &*r.engineer,
                    r.note.as_str(),
                    id.as_str(),
                ]
            })
            .collect();
        match append::append_rows(&root.join(&rel), &rel, timelog::HEADER, names, &values, &["kind"], Ids::Unique) {
            Ok(a) => {
                written(&rel, a.written, a.skipped, out)?;
                done.push(rel);
            }
            Err(e) => {
                out.flush()?;
                writeln!(err, "error: {e:#}")?;
                let rest = plan.rows.len() - done.len();
                writeln!(
                    err,
                    "error: {} written, {} not ({} and the months after it); run the same import again to add the rest (rows already written are recognised by their ids)",
                    plural(done.len(), "month file"),
                    rest,
                    rel
                )?;
                return Ok(Outcome::DataError);
            }
        }
    }
    out.flush()?;
    if !plan.refused.is_empty() {
        writeln!(err, "error: {} could not be imported (listed above)", plural(plan.refused.len(), "worklog"))?;
        return Ok(Outcome::DataError);
    }
    Ok(Outcome::Ok)
}

/// Fills in the cells of the rows changed upstream (the plan has their
/// places and fingerprints only), reading each file concerned once.
fn show_ledger_versions(root: &Path, refused: &mut [crate::compute::import::Refused]) {
    use crate::compute::import::Reason;
    let mut by_file: std::collections::BTreeMap<String, FxHashSet<u128>> = Default::default();
    for r in refused.iter() {
        if let (Reason::ChangedUpstream { file, .. }, Some(id)) = (&r.reason, r.id) {
            by_file.entry(file.to_string()).or_default().insert(id);
        }
    }
    for (file, ids) in by_file {
        let rows = existing::rows_at(root, &file, &ids);
        for r in refused.iter_mut() {
            let Some(id) = r.id else { continue };
            if let Reason::ChangedUpstream { file: f, ledger, .. } = &mut r.reason
                && **f == *file
                && let Some(found) = rows.get(&id)
            {
                *ledger = Some(Box::new(found.row.clone()));
            }
        }
    }
}
