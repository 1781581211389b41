//! `supportctl status`: every active contract's usage for a month.

use std::io::{IsTerminal, Write};

use anyhow::Result;

use super::{Context, Outcome, load_month};
use crate::cli::MonthArg;
use crate::compute;
use crate::render::status::status;

pub fn run(ctx: &Context, month: MonthArg, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome> {
    let Some((loaded, m)) = load_month(ctx, month, "status", err)? else { return Ok(Outcome::DataError) };
    let approvals: Vec<_> = loaded.approvals.iter().map(|a| a.approval.clone()).collect();
    let report = compute::month(m, &loaded.settings().currency, &loaded.contracts, &loaded.entries, &approvals);
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    status(&report, color, ctx.out_width(), out)?;
    Ok(Outcome::Ok)
}
