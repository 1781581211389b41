//! `supportctl correct CONTRACT DURATION --month M --reason TEXT`: record a
//! correction of closed month M in `corrections.csv`, billed (or credited)
//! in the month it is dated in (SPEC §8.2).

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;

use super::verify::corrections_of;
use super::{Context, Outcome, find_contract, print_problems};
use crate::append;
use crate::cli::{DayArg, MonthArg};
use crate::model::amount::{duration_text, hm, hm_signed};
use crate::model::{Correction, Month};
use crate::read::closings;
use crate::read::{self, CORRECTIONS_FILE, Problems, Scope, corrections};
use crate::render::human::money;

/// A correction as given on the command line.
pub struct NewCorrection {
    pub contract: String,
    /// Billed minutes, negative to take time away.
    pub minutes: i64,
    pub month: MonthArg,
    pub reason: String,
    pub date: DayArg,
    pub ticket: Option<String>,
    pub engineer: Option<String>,
}

pub fn run(
    ctx: &Context,
    new: NewCorrection,
    quiet: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome> {
    let root = ctx.ledger()?;
    let mut resolved = None;
    let loaded = read::load_with(&root, |s| {
        let today = ctx.today(s);
        resolved = Some((new.month.resolve(Month::of(today)), new.date.resolve(today), today));
        Scope::Terms
    });
    let (m, date, today) = resolved.expect("load_with always asks for the scope");
    if date > today.succ_opt().unwrap_or(today) {
        writeln!(err, "error: --date {date} is in the future (today is {today}); nothing was written")?;
        return Ok(Outcome::UsageError);
    }
    let Some(contract) = find_contract(&loaded, &root, &new.contract, err)? else { return Ok(Outcome::DataError) };
    if !closings::is_closed(&root, m) {
        writeln!(
            err,
            "error: {m} is not closed; corrections are for closed months: log the time in {m} with `supportctl log {} {} --date …`; nothing was written",
            contract.id,
            duration_text(new.minutes.unsigned_abs())
        )?;
        return Ok(Outcome::DataError);
    }
    let dated = Month::of(date);
    if dated <= m {
        writeln!(
            err,
            "error: --date {date} is not after {m}: a correction is recorded in a later, open month (the month that bills it); nothing was written"
        )?;
        return Ok(Outcome::DataError);
    }
    if closings::is_closed(&root, dated) {
        writeln!(
            err,
            "error: --date {date} is in {dated}, which is closed ({}); date the correction in an open month; nothing was written",
            closings::file(dated)
        )?;
        return Ok(Outcome::DataError);
    }
    let mut p = Problems::default();
    let Some(cf) = closings::read(&root, m, &mut p) else {
        for e in &p.list {
            writeln!(err, "{e}")?;
        }
        writeln!(err, "error: the closing of {m} cannot be read; nothing was written")?;
        return Ok(Outcome::DataError);
    };
    let Some(base) = cf.closing.contract(&contract.id).and_then(|cc| crate::compute::ClosedBase::of(&cc.figures))
    else {
        writeln!(
            err,
            "error: {} is not in the closing of {m} ({}): it was not active then, so there is nothing to correct; nothing was written",
            contract.id,
            closings::file(m)
        )?;
        return Ok(Outcome::DataError);
    };
    // A correction is judged against every correction before it: the file
    // must read cleanly.
    let file_errors: Vec<_> = loaded.problems.errors().filter(|e| e.file == CORRECTIONS_FILE).collect();
    if !file_errors.is_empty() {
        print_problems(&loaded, err)?;
        writeln!(err, "error: {CORRECTIONS_FILE} has errors; fix them first; nothing was written")?;
        return Ok(Outcome::DataError);
    }
    let before: i64 = loaded
        .corrections
        .iter()
        .filter(|c| c.correction.contract.as_ref() == contract.id && c.correction.month == m)
        .map(|c| c.correction.minutes)
        .sum();
    if i128::from(base.used) + i128::from(before) + i128::from(new.minutes) < 0 {
        writeln!(
            err,
            "error: {} would take {m}'s used time below zero: {} used at closing{}; nothing was written",
            hm_signed(new.minutes),
            hm(base.used),
            if before == 0 { String::new() } else { format!(", {} corrected since", hm_signed(before)) }
        )?;
        return Ok(Outcome::DataError);
    }

    let id = ulid::Ulid::generate().to_string();
    // A default engineer is left out of a hand-made file without that column.
    let droppable: &[&str] = if new.engineer.is_some() { &[] } else { &["engineer"] };
    let engineer = super::engineer(new.engineer);
    let (date_s, month_s, minutes_s) = (date.to_string(), m.to_string(), new.minutes.to_string());
    let values = [
        ("date", date_s.as_str()),
        ("contract", contract.id.as_str()),
        ("month", month_s.as_str()),
        ("minutes", minutes_s.as_str()),
        ("reason", new.reason.as_str()),
        ("ticket", new.ticket.as_deref().unwrap_or("")),
        ("engineer", engineer.as_str()),
        ("id", id.as_str()),
    ];
    append::append_row(&root.join(CORRECTIONS_FILE), CORRECTIONS_FILE, corrections::HEADER, &values, droppable)?;
    if quiet {
        return Ok(Outcome::Ok);
    }
    let mut all = corrections_of(&loaded, &BTreeMap::from([(m, cf)]));
    all.rows.push(Correction {
        date,
        contract: contract.id.as_str().into(),
        month: m,
        minutes: new.minutes,
        reason: new.reason.clone(),
    });
    let s = loaded.settings();
    let amount = all.lines(dated, &contract.id).iter().filter(|l| l.month == m).map(|l| l.amount).sum();
    let corrected = base.corrected(before + new.minutes);
    writeln!(out, "recorded a correction of {} {m}: {} ({})", contract.id, hm_signed(new.minutes), new.reason)?;
    writeln!(
        out,
        "{} {m} corrected: {} used of {}, {} overage billed; {} in {dated}",
        contract.id,
        hm(corrected.used),
        hm(base.quota),
        hm(corrected.approved_overage),
        money(amount, s.locale, &s.currency)
    )?;
    if corrected.overage > corrected.approved_overage {
        writeln!(
            err,
            "note: {} of {m}'s overage is beyond its approvals and is not billed (approvals of a closed month are final)",
            hm(corrected.overage - corrected.approved_overage)
        )?;
    }
    Ok(Outcome::Ok)
}
