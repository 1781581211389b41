//! `supportctl log`: append one time-log entry, then show the month's usage.

use std::io::Write;

use anyhow::Result;

use super::{Context, Outcome, find_contract, note_problems};
use crate::append;
use crate::cli::DayArg;
use crate::compute::{self, ContractMonth};
use crate::model::amount::hm;
use crate::model::{Entry, Kind, Month};
use crate::read::table::MAX_FIELD_BYTES;
use crate::read::{self, Scope, TIMELOG_DIR, timelog};
use crate::render::width::WrapLines;

/// The longest single entry `log` accepts; `check` warns about longer rows.
pub const MAX_ENTRY_MINUTES: u64 = 24 * 60;

/// An entry as given on the command line.
pub struct NewEntry {
    pub contract: String,
    pub minutes: u64,
    pub note: String,
    pub date: DayArg,
    pub ticket: Option<String>,
    pub kind: Option<&'static str>,
    pub level: Option<String>,
    pub channel: Option<String>,
    pub engineer: Option<String>,
}

pub fn run(ctx: &Context, new: NewEntry, quiet: bool, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome> {
    // Lines of prose, wrapped to the terminal.
    let out = &mut WrapLines::new(out, ctx.out_width());
    if let Some(c) = new.note.chars().find(|c| c.is_control()) {
        writeln!(err, "error: the note contains a control character ({c:?}); line breaks and tabs are not allowed")?;
        return Ok(Outcome::UsageError);
    }
    if new.note.len() > MAX_FIELD_BYTES {
        writeln!(err, "error: the note is longer than {MAX_FIELD_BYTES} bytes; nothing was written")?;
        return Ok(Outcome::UsageError);
    }
    if new.minutes > MAX_ENTRY_MINUTES {
        writeln!(
            err,
            "error: {} in one entry is more than 24 hours, almost always a typo; log each day's work on its own date",
            hm(new.minutes)
        )?;
        return Ok(Outcome::UsageError);
    }
    let root = ctx.ledger()?;
    let mut day = None;
    let mut loaded = read::load_with(&root, |s| {
        let today = ctx.today(s);
        let date = new.date.resolve(today);
        day = Some((date, today));
        Scope::Month(Month::of(date))
    });
    let (date, today) = day.expect("load_with always asks for the scope");
    if date > today.succ_opt().unwrap_or(today) {
        writeln!(err, "error: --date {date} is in the future (today is {today}); nothing was written")?;
        return Ok(Outcome::UsageError);
    }
    let month = Month::of(date);
    if read::closings::is_closed(&root, month) {
        writeln!(
            err,
            "error: {month} is closed ({}): its time log is final; record the work as a correction billed in an open month: `supportctl correct {} {} --month {month} --reason \"…\"`; nothing was written",
            read::closings::file(month),
            new.contract,
            crate::model::amount::duration_text(new.minutes)
        )?;
        return Ok(Outcome::DataError);
    }
    let Some(contract) = find_contract(&loaded, &root, &new.contract, err)? else { return Ok(Outcome::DataError) };
    if !contract.is_active(month) {
        let end = contract.end.map_or_else(|| "on".to_string(), |e| format!("to {e}"));
        writeln!(
            err,
            "error: contract \"{}\" is not active in {month} (active {} {end}); nothing was written",
            contract.id, contract.start
        )?;
        return Ok(Outcome::DataError);
    }

    let id = ulid::Ulid::generate().to_string();
    let date_s = date.to_string();
    let minutes_s = new.minutes.to_string();
    // A default engineer is left out of a hand-made file without that column.
    let droppable: &[&str] = if new.engineer.is_some() { &[] } else { &["engineer"] };
    let engineer = super::engineer(new.engineer);
    let values = [
        ("date", date_s.as_str()),
        ("contract", contract.id.as_str()),
        ("minutes", minutes_s.as_str()),
        ("ticket", new.ticket.as_deref().unwrap_or("")),
        ("kind", new.kind.unwrap_or("")),
        ("level", new.level.as_deref().unwrap_or("")),
        ("channel", new.channel.as_deref().unwrap_or("")),
        ("engineer", engineer.as_str()),
        ("note", new.note.as_str()),
        ("id", id.as_str()),
    ];
    let rel = format!("{TIMELOG_DIR}/{month}.csv");
    let appended = append::append_row(&root.join(&rel), &rel, timelog::HEADER, &values, droppable)?;
    if quiet {
        return Ok(Outcome::Ok);
    }

    let kind = Kind::parse(new.kind.unwrap_or("")).unwrap_or_default();
    let mut entries: Vec<Entry> = loaded.entries.iter().filter(|e| *e.contract == *contract.id).cloned().collect();
    entries.push(Entry { date, contract: contract.id.as_str().into(), minutes: new.minutes, kind });
    let approvals: Vec<_> =
        loaded.approvals.iter().filter(|a| a.contract_id() == contract.id).map(|a| a.approval.clone()).collect();
    let report =
        compute::month(month, &loaded.settings().currency, std::slice::from_ref(contract), &entries, &approvals);
    let ticket = new.ticket.as_ref().map(|t| format!(" ({t})")).unwrap_or_default();
    writeln!(out, "logged {} for {} on {date}{ticket}", hm(new.minutes), contract.id)?;
    if let Some(cm) = report.contracts.first() {
        writeln!(out, "{}", usage_line(cm, month))?;
        usage_warnings(cm, month, err)?;
    }
    if let Some(t) = &new.ticket {
        ticket_reminder(&mut loaded, &root, t, ctx, err)?;
    }
    if appended.without_id {
        writeln!(err, "note: {rel} has no id column, so this row has no id (see README: row ids)")?;
    }
    note_problems(&loaded, err)?;
    Ok(Outcome::Ok)
}

/// SPEC §7: a reminder when the ticket has been received but not answered.
fn ticket_reminder(
    loaded: &mut read::Loaded,
    root: &std::path::Path,
    ticket: &str,
    ctx: &Context,
    err: &mut dyn Write,
) -> std::io::Result<()> {
    let events = loaded.read_tickets(root);
    let Some(evs) = read::tickets::by_ticket(&events).remove(ticket) else { return Ok(()) };
    let Some(c) = loaded.contracts.iter().find(|c| c.id == evs[0].contract) else { return Ok(()) };
    let settings = loaded.settings();
    let now = ctx.now(settings);
    let terms = crate::sla::terms::contract_terms(settings, c);
    let st = crate::sla::tickets::status(&evs, &terms, now);
    if st.first_response.is_some() || st.state != crate::sla::tickets::State::Open {
        return Ok(());
    }
    let deadline = crate::sla::time::format_at(st.response_deadline.0);
    if now > st.response_deadline.0 {
        let late = terms.clock.minutes_between(st.response_deadline.0, now);
        writeln!(
            err,
            "reminder: {ticket} has no first response; its deadline {deadline} passed {} ago",
            hm(late.unsigned_abs())
        )
    } else {
        let left = terms.clock.minutes_between(now, st.response_deadline.0);
        writeln!(
            err,
            "reminder: {ticket} has no first response yet: {} left (due {deadline}); record it with `supportctl ticket respond {ticket}`",
            hm(left.unsigned_abs())
        )
    }
}

/// `acme 2026-11: 12:15 of 16:00 used, 3:45 left`.
pub fn usage_line(cm: &ContractMonth, month: Month) -> String {
    let rest = if cm.overage_minutes > 0 {
        format!("{} over", hm(cm.overage_minutes))
    } else {
        format!("{} left", hm(cm.forfeited_minutes))
    };
    format!("{} {month}: {} of {} used, {rest}", cm.contract, hm(cm.used_minutes), hm(cm.quota_minutes))
}

/// The warnings of SPEC §5 `log`: 80 % used, used up, overage beyond what is approved.
pub fn usage_warnings(cm: &ContractMonth, month: Month, err: &mut dyn Write) -> std::io::Result<()> {
    let id = &cm.contract;
    if cm.unapproved_overage_minutes > 0 {
        writeln!(
            err,
            "warning: {id} is {} over its quota in {month}, {} of it not approved; agree it with the customer first, then `supportctl approve {id} {} --month {month} --ref …`",
            hm(cm.overage_minutes),
            hm(cm.unapproved_overage_minutes),
            hm(cm.unapproved_overage_minutes),
        )
    } else if cm.overage_minutes > 0 {
        writeln!(
            err,
            "warning: {id} is over its quota in {month} ({} approved overage)",
            hm(cm.approved_overage_minutes)
        )
    } else if cm.quota_minutes > 0 && cm.used_minutes >= cm.quota_minutes {
        writeln!(
            err,
            "warning: {id} has used up its quota of {} in {month}; more work is overage and needs the customer's approval",
            hm(cm.quota_minutes)
        )
    } else if cm.quota_minutes > 0 && cm.used_minutes * 100 >= cm.quota_minutes * 80 {
        writeln!(err, "warning: {id} has used {} % of its quota in {month}", cm.used_minutes * 100 / cm.quota_minutes)
    } else {
        Ok(())
    }
}
