//! `supportctl report`: the month computation in a chosen format. A closed
//! month shows its closing's figures, after verifying them against the
//! files; an open month shows the corrections of closed months billed in it.

use std::io::Write;

use anyhow::Result;

use super::verify::{corrections_of, figures_now, month_figures, read_corrected};
use super::{Context, Outcome, load_month, print_problems};
use crate::cli::MonthArg;
use crate::compute::{MonthReport, Totals};
use crate::model::amount::hm;
use crate::read::closings;
use crate::read::{Problems, suggest};
use crate::render::{self, Format};

pub fn run(
    ctx: &Context,
    month: MonthArg,
    only: &[String],
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome> {
    let Some((mut loaded, m)) = load_month(ctx, month, "report", err)? else { return Ok(Outcome::DataError) };
    let root = ctx.ledger()?;
    let mut p = Problems::default();
    let figures = month_figures(&root, &loaded, m, &mut p);
    let closed = matches!(figures, Some((_, Some(_))));
    let Some((mut report, _)) = figures.filter(|_| !p.has_errors()) else {
        loaded.problems.list.extend(p.list);
        let errors = print_problems(&loaded, err)?;
        if closed {
            writeln!(
                err,
                "error: no report for {m}: the ledger no longer gives the figures of its closing ({}); see `supportctl verify --month {m}`",
                closings::file(m)
            )?;
        } else {
            super::refuse(m, "report", errors.max(1), err)?;
        }
        return Ok(Outcome::DataError);
    };
    if !only.is_empty() {
        for id in only {
            if report.contracts.iter().any(|c| &c.contract == id) {
                continue;
            }
            if loaded.contracts.iter().any(|c| &c.id == id) {
                writeln!(err, "error: --contract: \"{id}\" is not active in {m} and has no corrections billed in it")?;
            } else {
                let hint = suggest::hint(id, loaded.contracts.iter().map(|c| c.id.as_str()));
                writeln!(err, "error: --contract: unknown contract \"{id}\"{hint}")?;
            }
            return Ok(Outcome::DataError);
        }
        report.contracts.retain(|c| only.contains(&c.contract));
        report.totals = Totals::of(&report.contracts);
    }
    let settings = loaded.settings();
    render::report(format, &report, settings.locale, ctx.out_width(), out)?;
    out.flush()?;
    for c in report.contracts.iter().filter(|c| c.unsettled_overage_minutes() > 0) {
        writeln!(
            err,
            "warning: {}: {} of {} overage in {m} is not approved and not invoiced; record the agreement with `supportctl approve {} {} --month {m} --ref …` or write it off",
            c.contract,
            hm(c.unsettled_overage_minutes()),
            hm(c.overage_minutes),
            c.contract,
            hm(c.unsettled_overage_minutes()),
        )?;
    }
    Ok(Outcome::Ok)
}

/// `supportctl report --year Y`: each month of Y up to the current one as
/// its report gives it (a closed month from its closing), per contract,
/// with sums.
pub fn run_year(
    ctx: &Context,
    year: i32,
    only: &[String],
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome> {
    use crate::model::Month;
    use crate::read::Want;

    let root = ctx.ledger()?;
    let mut listing = Problems::default();
    let closed = closings::list(&root, &mut listing);
    let first = Month::new(year, 1).expect("a four-digit year");
    let mut last = None;
    let mut loaded = crate::read::load_want(&root, |s| {
        let this = ctx.this_month(s);
        let to = Month::new(year, 12).expect("a four-digit year").min(this);
        last = Some(to);
        Want::months(first, to, &closed)
    });
    loaded.problems.list.extend(listing.list);
    let last = last.expect("load_want always asks what to read");
    let months: Vec<Month> = first.through(last).collect();
    let mut p = Problems::default();
    let mut files = std::mem::take(&mut loaded.closings);
    read_corrected(&root, &loaded, &months, &mut files, &mut p);
    loaded.problems.list.extend(p.list);
    let errors = print_problems(&loaded, err)?;
    if errors > 0 {
        writeln!(
            err,
            "error: no report for {year}: {} in the ledger, and figures computed from part of the data would be wrong (see `supportctl check`)",
            super::plural(errors, "error")
        )?;
        return Ok(Outcome::DataError);
    }
    let corrections = corrections_of(&loaded, &files);
    let mut reports: Vec<MonthReport> = months
        .iter()
        .map(|&m| match files.get(&m) {
            Some(cf) => cf.closing.report(),
            None => figures_now(&loaded, m, &corrections),
        })
        .collect();
    for id in only {
        if !loaded.contracts.iter().any(|c| &c.id == id) {
            let hint = suggest::hint(id, loaded.contracts.iter().map(|c| c.id.as_str()));
            writeln!(err, "error: --contract: unknown contract \"{id}\"{hint}")?;
            return Ok(Outcome::DataError);
        }
    }
    if !only.is_empty() {
        for r in &mut reports {
            r.contracts.retain(|c| only.contains(&c.contract));
        }
    }
    let settings = loaded.settings();
    let y = crate::compute::year::year(year, &settings.currency, &reports);
    render::year::year(format, &y, settings.locale, ctx.out_width(), out)?;
    Ok(Outcome::Ok)
}
