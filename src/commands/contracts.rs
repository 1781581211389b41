//! `supportctl contracts`: every contract with its terms for a month.

use std::io::Write;

use anyhow::Result;

use super::{Context, Outcome, print_problems};
use crate::cli::MonthArg;
use crate::model::{Contract, Month};
use crate::read::{self, Scope};
use crate::render::contracts::{Listed, Standing, contracts_in};

pub fn run(ctx: &Context, month: MonthArg, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome> {
    let root = ctx.ledger()?;
    let mut month_seen = None;
    let loaded = read::load_with(&root, |s| {
        month_seen = Some(month.resolve(ctx.this_month(s)));
        Scope::Terms
    });
    let m = month_seen.expect("load_with always asks for the scope");
    if print_problems(&loaded, err)? > 0 {
        return Ok(Outcome::DataError);
    }
    let s = loaded.settings();
    let list = list(&loaded.contracts, m);
    contracts_in(m, &list, s.locale, &s.currency, ctx.out_width(), out)?;
    Ok(Outcome::Ok)
}

/// Every contract, sorted by id, with its terms for `m` (or for the nearest
/// month it covers) and whether it is active in `m`.
pub fn list(contracts: &[Contract], m: Month) -> Vec<Listed<'_>> {
    let mut contracts: Vec<&Contract> = contracts.iter().collect();
    contracts.sort_by(|a, b| a.id.cmp(&b.id));
    contracts
        .into_iter()
        .map(|c| {
            let at = if m < c.start { c.start } else { c.end.filter(|e| m > *e).unwrap_or(m) };
            let standing = if c.is_active(m) {
                Standing::Active
            } else if m < c.start {
                Standing::NotYet
            } else {
                Standing::Ended
            };
            Listed { contract: c, terms: c.terms(at), standing }
        })
        .collect()
}
