//! `advise`: the tier advice as a table per contract (for people) or JSON.
//! Formats only; every figure comes from `compute::advise`.

use std::io::{self, Write};

use crate::compute::advise::{Advice, TierCost};
use crate::model::Locale;
use crate::model::amount::hm;
use crate::render::human::{money, plural};

/// `--format` of `advise`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AdviseFormat {
    Table,
    Json,
}

pub fn table(a: &Advice, locale: Locale, out: &mut dyn Write) -> io::Result<()> {
    let cur = &a.currency;
    writeln!(
        out,
        "Tier advice {} to {} ({}): net cost of each tier on the usage,",
        a.from,
        a.to,
        plural(a.months, "month")
    )?;
    writeln!(out, "overage as if approved at the tier's rate. * = current terms")?;
    if a.contracts.is_empty() {
        writeln!(out)?;
        writeln!(out, "No contract is active in these months.")?;
    }
    for c in &a.contracts {
        writeln!(out)?;
        let avg = c.used_minutes / c.active_months.max(1) as u64;
        writeln!(out, "{} ({})", c.contract, c.customer)?;
        writeln!(
            out,
            "  {}, {} used, {} a month on average",
            plural(c.active_months, "active month"),
            hm(c.used_minutes),
            hm(avg)
        )?;
        let rows: Vec<&TierCost> =
            c.tiers.iter().chain(std::iter::once(&c.current).filter(|t| t.tier.is_none())).collect();
        let costs: Vec<String> = rows.iter().map(|t| money(t.cost, locale, cur)).collect();
        let w = costs.iter().map(|s| s.chars().count()).max().unwrap_or(0).max(4);
        writeln!(out, "    {:<7} {:>5}  {:>w$}  {:>9}  {:>9}", "tier", "hours", "cost", "forfeited", "overage")?;
        for (t, cost) in rows.iter().zip(&costs) {
            writeln!(
                out,
                "  {} {:<7} {:>5}  {cost:>w$}  {:>9}  {:>9}",
                if t.current { "*" } else { " " },
                t.tier.as_deref().unwrap_or("custom"),
                t.hours,
                hm(t.forfeited_minutes),
                hm(t.overage_minutes),
            )?;
        }
        let current = c.current.tier.as_deref().unwrap_or("the custom terms");
        let period = if c.yearly {
            "a year".to_string()
        } else if c.active_months == a.months {
            "over these months".to_string()
        } else if c.active_months == 1 {
            "in its one active month".to_string()
        } else {
            format!("over its {} active months", c.active_months)
        };
        if c.saving.is_negative() {
            writeln!(
                out,
                "  cheapest tier: {}, {} more {period} than {current}: keep them",
                c.cheapest,
                money(c.saving.abs(), locale, cur)
            )?;
        } else if c.saving == crate::model::Money::ZERO {
            writeln!(out, "  cheapest: {current}, the current terms")?;
        } else {
            writeln!(
                out,
                "  cheapest: {}, saving {} {period} against {current}",
                c.cheapest,
                money(c.saving, locale, cur)
            )?;
        }
    }
    Ok(())
}
