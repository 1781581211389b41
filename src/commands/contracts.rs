//! `supportctl contracts`: every contract with its terms for a month.

use std::io::Write;

use anyhow::Result;

use super::{Context, Outcome, print_problems_in};
use crate::cli::MonthArg;
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
    if print_problems_in(&loaded, err, ctx.err_width())? > 0 {
        return Ok(Outcome::DataError);
    }
    let s = loaded.settings();
    let mut contracts: Vec<_> = loaded.contracts.iter().collect();
    contracts.sort_by(|a, b| a.id.cmp(&b.id));
    let list: Vec<Listed> = contracts
        .into_iter()
        .map(|c| {
            // Terms of the month, or of the nearest month the contract covers.
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
        .collect();
    contracts_in(m, &list, s.locale, &s.currency, ctx.out_width(), out)?;
    Ok(Outcome::Ok)
}
