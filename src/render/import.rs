//! `import`'s summary: per contract and month what is (or would be) added
//! and what was there already, then every worklog that cannot be imported
//! with its place and reason, and the Tempo-app worklogs skipped. Plain
//! text within 80 columns; formats only, the plan decides.

use std::io::{self, Write};

use crate::compute::import::{Plan, Reason, Refused};
use crate::model::amount::hm;
use crate::model::worklog::{Source, TimelogRow};
use crate::read::TIMELOG_DIR;
use crate::render::human::plural;

/// What the summary says besides the plan.
pub struct Shown<'a> {
    pub source: Source,
    /// The export as named on the command line.
    pub file: &'a str,
    /// `--apply` was given (the rows are written).
    pub apply: bool,
    /// `--issues` was given.
    pub issues: bool,
}

/// `n worklog` / `n worklogs`.
/// The summary before anything is written (dry run) or before the writes
/// (`--apply`, which then reports each file with [`written`]).
pub fn summary(plan: &Plan, s: &Shown<'_>, out: &mut dyn Write) -> io::Result<()> {
    let files = plan.rows.len();
    let minutes: u64 = plan.rows.values().flatten().map(|r| r.minutes).sum();
    writeln!(out, "{} {}: {} read", s.source.name(), s.file, plural(plan.worklogs, "worklog"))?;
    let adding = if plan.to_add() == 0 {
        "nothing to add".to_string()
    } else {
        format!(
            "{} {} ({}) to {}",
            if s.apply { "adding" } else { "would add" },
            plural(plan.to_add(), "worklog"),
            hm(minutes),
            plural(files, "month file"),
        )
    };
    writeln!(out, "{adding}\n{} already in the ledger, {} cannot be imported", plan.already(), plan.refused.len())?;
    if !plan.groups.is_empty() {
        let width = plan.groups.keys().map(|(c, _)| c.chars().count()).max().unwrap_or(0).max(8);
        writeln!(out)?;
        writeln!(
            out,
            "{:<width$}  {:<7}  {:>6}  {:>7}  {:>7}  {:>7}",
            "contract",
            "month",
            if s.apply { "added" } else { "to add" },
            "time",
            "already",
            "time"
        )?;
        for ((contract, month), g) in &plan.groups {
            writeln!(
                out,
                "{contract:<width$}  {month}  {:>6}  {:>7}  {:>7}  {:>7}",
                g.add,
                hm(g.add_minutes),
                g.already,
                hm(g.already_minutes)
            )?;
        }
    }
    if !plan.refused.is_empty() {
        writeln!(out)?;
        writeln!(out, "cannot be imported ({}):", plan.refused.len())?;
        for r in &plan.refused {
            refusal(r, s, out)?;
        }
    }
    if plan.by_app.0 > 0 {
        writeln!(out)?;
        writeln!(
            out,
            "skipped: {} ({}) written into Jira by the Tempo app",
            plural(plan.by_app.0, "worklog"),
            hm(plan.by_app.1)
        )?;
        writeln!(out, "  import Tempo's own export with `supportctl import tempo` instead")?;
    }
    if plan.repeated > 0 {
        writeln!(out, "note: {} given twice in the file, counted once", plural(plan.repeated, "worklog"))?;
    }
    if plan.already_unmapped.0 > 0 {
        writeln!(
            out,
            "note: {} ({}) already in the ledger whose project no single contract lists now; their rows stay as they are",
            plural(plan.already_unmapped.0, "worklog"),
            hm(plan.already_unmapped.1)
        )?;
    }
    if plan.notes_cut > 0 {
        writeln!(
            out,
            "note: {} with a comment longer than {} bytes: the note is cut and ends with …",
            plural(plan.notes_cut, "worklog"),
            crate::read::table::MAX_FIELD_BYTES
        )?;
    }
    if !s.apply {
        writeln!(out)?;
        let what = if plan.to_add() > 0 { "; add --apply to write the rows" } else { "" };
        writeln!(out, "dry run: nothing was written{what}")?;
    }
    Ok(())
}

/// One line (more for a change upstream) per worklog that cannot be imported.
fn refusal(r: &Refused, s: &Shown<'_>, out: &mut dyn Write) -> io::Result<()> {
    let id = r.source_id.as_ref().map(|i| format!(" (id {})", shorten(i, 24))).unwrap_or_default();
    let why = match &r.reason {
        Reason::Unreadable(m) => m.clone(),
        Reason::ZeroTime => "zero time".into(),
        Reason::NoIssueKey { issue_id: None } => "no issue key (no issueKey, issue.key or issueId)".into(),
        Reason::NoIssueKey { issue_id: Some(i) } if s.issues => {
            format!("no issue key: issue id {} is not in the --issues file", shorten(i, 24))
        }
        Reason::NoIssueKey { issue_id: Some(i) } => {
            format!("no issue key: only issue id {}; give --issues FILE (CSV id,key)", shorten(i, 24))
        }
        Reason::Unmappable { project } => {
            format!("unmappable project {project}: no contract lists it in jira_projects")
        }
        Reason::Ambiguous { project, contracts } => {
            format!("project {project} is listed by {}: whose is it?", contracts.join(" and "))
        }
        Reason::NotActive { contract, month } => format!("contract {contract} is not active in {month}"),
        Reason::MonthClosed { month } => {
            format!("month closed: {month} ({})", crate::read::closings::file(*month))
        }
        Reason::MissingColumn { month, column } => {
            format!("{TIMELOG_DIR}/{month}.csv has no \"{column}\" column; add it to the file's header")
        }
        Reason::RepeatedInFile { first } => format!("repeated in the file with other values (first at {first})"),
        Reason::ChangedUpstream { file, line, ledger, now } => {
            writeln!(out, "  {}{id}: changed upstream since it was imported:", r.pos)?;
            writeln!(out, "    ledger {file}:{line}")?;
            if let Some(l) = ledger {
                writeln!(out, "      {}", row(l))?;
            }
            writeln!(out, "    now in the export")?;
            writeln!(out, "      {}", row(now))?;
            return Ok(());
        }
    };
    writeln!(out, "  {}{id}: {}", r.pos, crate::read::problem::visible(&why))
}

/// A time-log row on one short line.
fn row(r: &TimelogRow) -> String {
    let minutes = r.minutes.parse::<u64>().map_or_else(|_| format!("\"{}\" min", r.minutes), hm);
    let mut s = format!("{} {} {minutes} {}", r.date, r.contract, r.ticket);
    if !r.kind.is_empty() && r.kind != "support" {
        s.push_str(&format!(" ({})", r.kind));
    }
    if !r.engineer.is_empty() {
        s.push_str(&format!(" {}", shorten(&r.engineer, 20)));
    }
    if !r.note.is_empty() {
        s.push_str(&format!(": {}", shorten(&r.note, 30)));
    }
    crate::read::problem::visible(&s).into_owned()
}

/// `text`, cut to `max` characters with `…`.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max - 1).collect();
    s.push('…');
    s
}

/// After `--apply`: the rows written to one month file.
pub fn written(file: &str, rows: usize, skipped: usize, out: &mut dyn Write) -> io::Result<()> {
    let extra = if skipped > 0 { format!(" ({skipped} were there already)") } else { String::new() };
    writeln!(out, "wrote {} to {file}{extra}", plural(rows, "row"))
}
