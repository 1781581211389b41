//! Human formats: comfy-table for the terminal and GitHub Markdown.

use std::io::{self, Write};

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::human::{hours, keep_figures_whole, money};
use crate::compute::{ContractMonth, MonthReport};
use crate::model::Locale;

const HEADER: [&str; 11] = [
    "Contract",
    "Customer",
    "Tier",
    "Used / quota",
    "Forfeited",
    "Overage",
    "Fee",
    "Overage amount",
    "Net",
    "VAT",
    "Gross",
];
/// Columns right-aligned in the terminal table.
const NUMERIC: std::ops::RangeInclusive<usize> = 3..=10;

/// The cells of one contract's row.
fn row(c: &ContractMonth, locale: Locale, cur: &str) -> [String; 11] {
    let overage = if c.overage_minutes == 0 {
        "–".to_string()
    } else if c.unsettled_overage_minutes() > 0 {
        format!("{} (⚠ {} unapproved)", hours(c.overage_minutes), hours(c.unsettled_overage_minutes()))
    } else if c.written_off_minutes > 0 {
        format!("{} ({} written off)", hours(c.overage_minutes), hours(c.written_off_minutes))
    } else {
        hours(c.overage_minutes)
    };
    [
        c.contract.clone(),
        c.customer.clone(),
        c.tier.clone().unwrap_or_else(|| if c.rate.is_none() { "–".into() } else { "custom".into() }),
        format!("{} / {}", hours(c.used_minutes), hours(c.quota_minutes)),
        hours(c.forfeited_minutes),
        overage,
        money(c.fee, locale, cur),
        money(c.overage_amount, locale, cur),
        money(c.net, locale, cur),
        money(c.vat, locale, cur),
        money(c.gross, locale, cur),
    ]
}

fn totals(r: &MonthReport, locale: Locale) -> [String; 11] {
    let t = &r.totals;
    let cur = r.currency.as_str();
    let used: u64 = r.contracts.iter().map(|c| c.used_minutes).sum();
    let quota: u64 = r.contracts.iter().map(|c| c.quota_minutes).sum();
    let forfeited: u64 = r.contracts.iter().map(|c| c.forfeited_minutes).sum();
    let overage: u64 = r.contracts.iter().map(|c| c.overage_minutes).sum();
    [
        "Total".into(),
        format!("{} contracts", r.contracts.len()),
        String::new(),
        format!("{} / {}", hours(used), hours(quota)),
        hours(forfeited),
        hours(overage),
        money(t.fee, locale, cur),
        money(t.overage_amount, locale, cur),
        money(t.net, locale, cur),
        money(t.vat, locale, cur),
        money(t.gross, locale, cur),
    ]
}

pub fn report_table(r: &MonthReport, locale: Locale, out: &mut dyn Write) -> io::Result<()> {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_header(HEADER);
    for c in &r.contracts {
        t.add_row(row(c, locale, &r.currency));
    }
    t.add_row(totals(r, locale));
    keep_figures_whole(&mut t, &[1]);
    for i in NUMERIC {
        if let Some(col) = t.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    writeln!(out, "Support report {} ({}){}", r.month, r.currency, closed_note(r))?;
    writeln!(out, "{t}")?;
    for line in correction_lines(r, locale) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// `, closed 2026-11-02T09:14:00+01:00 by anna` for a closed month.
fn closed_note(r: &MonthReport) -> String {
    r.closed.as_ref().map(|c| format!(", closed {} by {}", c.at, c.by)).unwrap_or_default()
}

/// The corrections of closed months billed in the month, one line each
/// (with a heading), for the terminal and Markdown alike.
pub fn correction_lines(r: &MonthReport, locale: Locale) -> Vec<String> {
    let mut lines = Vec::new();
    for c in &r.contracts {
        for l in &c.corrections {
            let sign = if l.minutes < 0 { "-" } else { "+" };
            lines.push(format!(
                "{} {}: {sign}{} {} ({})",
                c.contract,
                l.month,
                hours(l.minutes.unsigned_abs()),
                money(l.amount, locale, &r.currency),
                l.reasons.join("; ")
            ));
        }
    }
    if !lines.is_empty() {
        lines.insert(0, format!("Corrections of closed months billed in {}:", r.month));
    }
    lines
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

pub fn report_markdown(r: &MonthReport, locale: Locale, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# Support report {}\n", r.month)?;
    if let Some(c) = &r.closed {
        writeln!(out, "Closed {} by {}.\n", md_escape(&c.at), md_escape(&c.by))?;
    }
    writeln!(out, "| {} |", HEADER.join(" | "))?;
    let align: Vec<&str> = (0..HEADER.len()).map(|i| if NUMERIC.contains(&i) { "---:" } else { "---" }).collect();
    writeln!(out, "| {} |", align.join(" | "))?;
    for c in &r.contracts {
        let cells: Vec<String> = row(c, locale, &r.currency).iter().map(|s| md_escape(s)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    let cells: Vec<String> = totals(r, locale)
        .iter()
        .map(|s| if s.is_empty() { String::new() } else { format!("**{}**", md_escape(s)) })
        .collect();
    writeln!(out, "| {} |", cells.join(" | "))?;
    let corrections = correction_lines(r, locale);
    if let Some((head, rest)) = corrections.split_first() {
        writeln!(out, "\n**{}**\n", md_escape(head))?;
        for l in rest {
            writeln!(out, "- {}", md_escape(l))?;
        }
    }
    let unapproved: Vec<&ContractMonth> = r.contracts.iter().filter(|c| c.unsettled_overage_minutes() > 0).collect();
    if !unapproved.is_empty() {
        writeln!(out, "\n**Unapproved overage** (not invoiced):\n")?;
        for c in unapproved {
            writeln!(
                out,
                "- {}: {} of {} overage not approved",
                md_escape(&c.contract),
                hours(c.unsettled_overage_minutes()),
                hours(c.overage_minutes)
            )?;
        }
    }
    Ok(())
}
