//! `supportctl report`: the month computation in a chosen format.

use std::io::Write;

use anyhow::Result;

use super::{Context, Outcome, load_month};
use crate::cli::MonthArg;
use crate::compute;
use crate::model::Contract;
use crate::model::amount::hm;
use crate::read::suggest;
use crate::render::{self, Format};

pub fn run(
    ctx: &Context,
    month: MonthArg,
    only: &[String],
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome> {
    let Some((loaded, m)) = load_month(ctx, month, "report", err)? else { return Ok(Outcome::DataError) };
    let settings = loaded.settings();
    if !only.is_empty() {
        for id in only {
            let Some(c) = loaded.contracts.iter().find(|c| &c.id == id) else {
                let hint = suggest::hint(id, loaded.contracts.iter().map(|c| c.id.as_str()));
                writeln!(err, "error: --contract: unknown contract \"{id}\"{hint}")?;
                return Ok(Outcome::DataError);
            };
            if !c.is_active(m) {
                writeln!(err, "error: --contract: \"{id}\" is not active in {m}")?;
                return Ok(Outcome::DataError);
            }
        }
    }
    // Only a `--contract` filter needs a copy of the contracts.
    let filtered: Vec<Contract>;
    let contracts: &[Contract] = if only.is_empty() {
        &loaded.contracts
    } else {
        filtered = loaded.contracts.iter().filter(|c| only.contains(&c.id)).cloned().collect();
        &filtered
    };
    let approvals: Vec<_> = loaded.approvals.iter().map(|a| a.approval.clone()).collect();
    let report = compute::month(m, &settings.currency, contracts, &loaded.entries, &approvals);
    match format {
        Format::Table => render::table::report_table_in(&report, settings.locale, ctx.out_width(), out)?,
        _ => render::report(format, &report, settings.locale, out)?,
    }
    out.flush()?;
    for c in report.contracts.iter().filter(|c| c.unapproved_overage_minutes > 0) {
        writeln!(
            err,
            "warning: {}: {} of {} overage in {m} is not approved and not invoiced; record the agreement with `supportctl approve {} {} --month {m} --ref …` or write it off",
            c.contract,
            hm(c.unapproved_overage_minutes),
            hm(c.overage_minutes),
            c.contract,
            hm(c.unapproved_overage_minutes),
        )?;
    }
    Ok(Outcome::Ok)
}
