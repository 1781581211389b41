//! `supportctl approve`: append one overage agreement to approvals.csv.

use std::io::Write;

use anyhow::Result;

use super::log::usage_line;
use super::{Context, Outcome, find_contract, note_problems};
use crate::append;
use crate::cli::{DayArg, MonthArg};
use crate::compute;
use crate::model::amount::hm;
use crate::model::{Approval, Month};
use crate::read::{self, APPROVALS_FILE, Scope, approvals};
use crate::render::width::WrapLines;

/// An approval as given on the command line.
pub struct NewApproval {
    pub contract: String,
    pub minutes: u64,
    pub month: MonthArg,
    pub reference: String,
    pub date: DayArg,
    pub note: Option<String>,
}

pub fn run(ctx: &Context, new: NewApproval, quiet: bool, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome> {
    // Lines of prose, wrapped to the terminal.
    let out = &mut WrapLines::new(out, ctx.out_width());
    let root = ctx.ledger()?;
    let mut resolved = None;
    let loaded = read::load_with(&root, |s| {
        let today = ctx.today(s);
        let month = new.month.resolve(Month::of(today));
        resolved = Some((month, new.date.resolve(today), today));
        Scope::Month(month)
    });
    let (month, date, today) = resolved.expect("load_with always asks for the scope");
    if date > today.succ_opt().unwrap_or(today) {
        writeln!(err, "error: --date {date} is in the future (today is {today}); nothing was written")?;
        return Ok(Outcome::UsageError);
    }
    if read::closings::is_closed(&root, month) {
        writeln!(
            err,
            "error: {month} is closed ({}): its approvals are final, and overage agreed after the closing is not invoiced; to change what {month} bills, record a correction: `supportctl correct {} … --month {month} --reason \"…\"`; nothing was written",
            read::closings::file(month),
            new.contract
        )?;
        return Ok(Outcome::DataError);
    }
    let Some(contract) = find_contract(&loaded, &root, &new.contract, err)? else { return Ok(Outcome::DataError) };
    if !contract.is_active(month) {
        writeln!(err, "error: contract \"{}\" is not active in {month}; nothing was written", contract.id)?;
        return Ok(Outcome::DataError);
    }
    let id = ulid::Ulid::generate().to_string();
    let (date_s, month_s, minutes_s) = (date.to_string(), month.to_string(), new.minutes.to_string());
    let values = [
        ("date", date_s.as_str()),
        ("contract", contract.id.as_str()),
        ("month", month_s.as_str()),
        ("minutes", minutes_s.as_str()),
        ("reference", new.reference.as_str()),
        ("note", new.note.as_deref().unwrap_or("")),
        ("id", id.as_str()),
    ];
    append::append_row(&root.join(APPROVALS_FILE), APPROVALS_FILE, approvals::HEADER, &values, &[])?;
    if quiet {
        return Ok(Outcome::Ok);
    }
    let mut all: Vec<Approval> =
        loaded.approvals.iter().filter(|a| a.contract_id() == contract.id).map(|a| a.approval.clone()).collect();
    all.push(Approval { contract: contract.id.as_str().into(), month, minutes: new.minutes });
    let report =
        compute::month(month, &loaded.settings().currency, std::slice::from_ref(contract), &loaded.entries, &all);
    writeln!(out, "approved {} overage for {} in {month} (ref {})", hm(new.minutes), contract.id, new.reference)?;
    if let Some(cm) = report.contracts.first() {
        writeln!(
            out,
            "{}; overage approved {}, unapproved {}",
            usage_line(cm, month),
            hm(cm.approved_overage_minutes),
            hm(cm.unapproved_overage_minutes)
        )?;
        if cm.approved_minutes > cm.overage_minutes {
            writeln!(
                err,
                "warning: {} approved but the overage so far is {}; the surplus is not invoiced",
                hm(cm.approved_minutes),
                hm(cm.overage_minutes)
            )?;
        }
    }
    note_problems(&loaded, err)?;
    Ok(Outcome::Ok)
}
