//! `supportctl status`: every active contract's usage for a month.

use std::io::{IsTerminal, Write};

use anyhow::Result;

use super::{Context, Outcome, plural, print_problems};
use crate::cli::MonthArg;
use crate::compute;
use crate::read::{self, Scope};
use crate::render::status::status;

pub fn run(ctx: &Context, month: MonthArg, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome> {
    let root = ctx.ledger()?;
    let mut seen = None;
    let loaded = read::load_with(&root, |s| {
        let m = month.resolve(ctx.this_month(s));
        seen = Some(m);
        Scope::Month(m)
    });
    let m = seen.expect("load_with always asks for the scope");
    let errors = print_problems(&loaded, err)?;
    if errors > 0 {
        writeln!(err, "error: no status for {m}: {} in the ledger (see `supportctl check`)", plural(errors, "error"))?;
        return Ok(Outcome::DataError);
    }
    let approvals: Vec<_> = loaded.approvals.iter().map(|a| a.approval.clone()).collect();
    let report = compute::month(m, &loaded.settings().currency, &loaded.contracts, &loaded.entries, &approvals);
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    status(&report, color, out)?;
    Ok(Outcome::Ok)
}
