//! `supportctl advise [--contract C] [--months N] [--format table|json]`:
//! which tier of the price list would have suited each contract over the
//! last N complete months (SPEC §12). Reads only those months' time-log
//! files; writes nothing.

use std::io::Write;

use anyhow::Result;

use super::{Context, Outcome, plural, print_problems};
use crate::compute::advise::{ContractUsage, advise};
use crate::model::Month;
use crate::read::{self, Scope, suggest};
use crate::render::advise::{AdviseFormat, table};
use crate::render::machine::json;

pub fn run(
    ctx: &Context,
    only: Option<&str>,
    months: u32,
    format: AdviseFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome> {
    let root = ctx.ledger()?;
    let mut window = None;
    let loaded = read::load_with(&root, |s| {
        // The window ends with the last complete month.
        let to = ctx.this_month(s).prev();
        let from = to.back(months.saturating_sub(1));
        window = Some((from, to));
        Scope::Months(from, to)
    });
    let (from, to) = window.expect("load_with always asks for the scope");
    let errors = print_problems(&loaded, err)?;
    if errors > 0 {
        writeln!(
            err,
            "error: no advice for {from} to {to}: {} in the ledger, and advice from part of the data would be wrong (see `supportctl check`)",
            plural(errors, "error")
        )?;
        return Ok(Outcome::DataError);
    }
    if let Some(id) = only {
        match loaded.contracts.iter().find(|c| c.id == id) {
            None => {
                let hint = suggest::hint(id, loaded.contracts.iter().map(|c| c.id.as_str()));
                writeln!(err, "error: --contract: unknown contract \"{id}\"{hint}")?;
                return Ok(Outcome::DataError);
            }
            Some(c) if !from.through(to).any(|m| c.is_active(m)) => {
                writeln!(err, "error: --contract: \"{id}\" is not active in any month from {from} to {to}")?;
                return Ok(Outcome::DataError);
            }
            Some(_) => {}
        }
    }
    let usage: Vec<ContractUsage<'_>> = loaded
        .contracts
        .iter()
        .enumerate()
        .filter(|(_, c)| only.is_none_or(|id| c.id == id))
        .map(|(i, c)| ContractUsage {
            contract: c,
            months: from
                .through(to)
                .filter(|m| c.is_active(*m))
                .map(|m| (m, used_with_corrections(&loaded, i, m)))
                .collect(),
        })
        .collect();
    let settings = loaded.settings();
    let advice = advise(from, to, &settings.tiers, &settings.currency, &usage);
    match format {
        AdviseFormat::Json => json(&advice, out)?,
        AdviseFormat::Table => table(&advice, settings.locale, out)?,
    }
    Ok(Outcome::Ok)
}

/// The used minutes of contract `i` in `m` as the time log gives them, with
/// the corrections of `m` made after it was closed (time found or taken away
/// later was used, or not, in `m`).
fn used_with_corrections(loaded: &read::Loaded, i: usize, m: Month) -> u64 {
    let logged = loaded.usage.get(&(i, m)).map_or(0, |u| u.used);
    let corrected: i64 = loaded
        .corrections
        .iter()
        .filter(|c| c.contract == i && c.correction.month == m)
        .map(|c| c.correction.minutes)
        .sum();
    logged.saturating_add_signed(corrected)
}
