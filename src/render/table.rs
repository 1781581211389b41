//! `report` for people: a comfy-table for the terminal, fitted to its width,
//! and GitHub Markdown (never fitted: a document, not a screen).

use std::io::{self, Write};

use comfy_table::{CellAlignment, Table};

use super::human::{amount, hours, keep_figures_whole, money};
use super::width::{
    Names, Width, display_width, ellipsize, fit_table, left_out_note, shorten_to_fit, table, write_wrapped,
};
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

/// Money as `layout` shows it: with or without the currency.
fn cash(m: crate::model::Money, locale: Locale, cur: &str, layout: Layout) -> String {
    if layout.currency_in_cells { money(m, locale, cur) } else { amount(m, locale) }
}

/// The cells of one contract's row.
fn row(c: &ContractMonth, locale: Locale, cur: &str, layout: Layout) -> [String; 11] {
    let overage = if c.overage_minutes == 0 {
        "–".to_string()
    } else if c.unsettled_overage_minutes() > 0 {
        if layout.overage_in_words {
            format!("{} (⚠ {} unapproved)", hours(c.overage_minutes), hours(c.unsettled_overage_minutes()))
        } else {
            format!("{} ⚠", hours(c.overage_minutes))
        }
    } else if c.written_off_minutes > 0 && layout.overage_in_words {
        format!("{} ({} written off)", hours(c.overage_minutes), hours(c.written_off_minutes))
    } else {
        hours(c.overage_minutes)
    };
    let money = |m| cash(m, locale, cur, layout);
    [
        c.contract.clone(),
        c.customer.clone(),
        c.tier.clone().unwrap_or_else(|| if c.rate.is_none() { "–".into() } else { "custom".into() }),
        format!("{} / {}", hours(c.used_minutes), hours(c.quota_minutes)),
        hours(c.forfeited_minutes),
        overage,
        money(c.fee),
        money(c.overage_amount),
        money(c.net),
        money(c.vat),
        money(c.gross),
    ]
}

fn totals(r: &MonthReport, locale: Locale, layout: Layout) -> [String; 11] {
    let t = &r.totals;
    let money = |m| cash(m, locale, &r.currency, layout);
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
        money(t.fee),
        money(t.overage_amount),
        money(t.net),
        money(t.vat),
        money(t.gross),
    ]
}

/// What the terminal table of `report` shows. [`LAYOUTS`] runs from every
/// column (pipes, files, `--wide`) to the fewest; the contract, used / quota,
/// overage, net and gross always show, and so do the totals (below the
/// table when their columns are left out) and unapproved overage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Money cells carry the currency (`1,600.00 EUR`); else the title
    /// names it once.
    pub currency_in_cells: bool,
    pub customer: Names,
    pub tier: bool,
    pub forfeited: bool,
    /// Overage as `2:20 (⚠ 1:35 unapproved)`; else `2:20 ⚠` with the
    /// unapproved part named below the table.
    pub overage_in_words: bool,
    pub fee: bool,
    pub overage_amount: bool,
    pub vat: bool,
}

const FULL: Layout = Layout {
    currency_in_cells: true,
    customer: Names::Full,
    tier: true,
    forfeited: true,
    overage_in_words: true,
    fee: true,
    overage_amount: true,
    vat: true,
};
const NO_CURRENCY: Layout = Layout { currency_in_cells: false, ..FULL };
const COMPACT: Layout = Layout { tier: false, overage_in_words: false, ..NO_CURRENCY };
const SHORT_NAMES: Layout = Layout { customer: Names::Shortened, ..COMPACT };
const NO_CUSTOMER: Layout = Layout { customer: Names::Hidden, ..COMPACT };
const NO_FORFEITED: Layout = Layout { forfeited: false, ..NO_CUSTOMER };
const NO_FEE: Layout = Layout { fee: false, ..NO_FORFEITED };
const NO_VAT: Layout = Layout { vat: false, ..NO_FEE };
const FEWEST: Layout = Layout { overage_amount: false, ..NO_VAT };

/// From every column to the fewest; the first that fits is printed.
pub const LAYOUTS: [Layout; 9] =
    [FULL, NO_CURRENCY, COMPACT, SHORT_NAMES, NO_CUSTOMER, NO_FORFEITED, NO_FEE, NO_VAT, FEWEST];

/// A customer's name is shortened to no fewer columns than this; below, it is
/// left out (the contract id names the customer too).
const MIN_CUSTOMER: usize = 14;

impl Layout {
    /// The columns shown, by index into [`HEADER`].
    fn columns(self) -> Vec<usize> {
        let shown = [
            true,
            self.customer != Names::Hidden,
            self.tier,
            true,
            self.forfeited,
            true,
            self.fee,
            self.overage_amount,
            true,
            self.vat,
            true,
        ];
        (0..HEADER.len()).filter(|&i| shown[i]).collect()
    }

    /// The names of the columns left out, as the reader knows them.
    fn left_out(self) -> Vec<&'static str> {
        let all = ["contract", "customer", "tier", "", "forfeited", "", "fee", "overage amount", "", "VAT", ""];
        (0..HEADER.len()).filter(|i| !self.columns().contains(i) && !all[*i].is_empty()).map(|i| all[i]).collect()
    }
}

/// The terminal table of `report`, fitted to `width` (see [`Layout`]).
pub fn report_table(r: &MonthReport, locale: Locale, width: Width, out: &mut dyn Write) -> io::Result<()> {
    let (layout, t) = fit_report(r, locale, width);
    if layout.currency_in_cells {
        write_wrapped(out, &format!("Support report {} ({}){}", r.month, r.currency, closed_note(r)), width, 2)?;
    } else {
        let title = format!("Support report {} (amounts in {}){}", r.month, r.currency, closed_note(r));
        write_wrapped(out, &title, width, 2)?;
    }
    writeln!(out, "{t}")?;
    for line in correction_lines(r, locale).iter().chain(&report_notes(r, locale, layout)) {
        write_wrapped(out, line, width, 2)?;
    }
    Ok(())
}

/// `, closed 2026-11-02 09:14 by anna` for a closed month (the time as the
/// closing recorded it, without seconds and offset).
fn closed_note(r: &MonthReport) -> String {
    r.closed
        .as_ref()
        .map(|c| {
            let at = chrono::DateTime::parse_from_rfc3339(&c.at)
                .map_or_else(|_| c.at.clone(), |t| t.format("%Y-%m-%d %H:%M").to_string());
            format!(", closed {at} by {}", c.by)
        })
        .unwrap_or_default()
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

/// The first layout of [`LAYOUTS`] whose table fits `width`, with the table.
pub fn fit_report(r: &MonthReport, locale: Locale, width: Width) -> (Layout, Table) {
    let longest_customer = r.contracts.iter().map(|c| display_width(&c.customer)).max().unwrap_or(0);
    fit_table(width, &LAYOUTS, |layout, width| {
        if layout.customer != Names::Shortened {
            return report_grid(r, locale, layout, usize::MAX);
        }
        let build = |n| report_grid(r, locale, layout, n);
        match shorten_to_fit(width, MIN_CUSTOMER, longest_customer.max(MIN_CUSTOMER), build) {
            Some((_, t)) => t,
            None => report_grid(r, locale, layout, MIN_CUSTOMER),
        }
    })
}

/// The table of `layout`, customer names shortened to `customer_max` columns.
fn report_grid(r: &MonthReport, locale: Locale, layout: Layout, customer_max: usize) -> Table {
    let columns = layout.columns();
    let pick = |cells: [String; 11]| -> Vec<String> { columns.iter().map(|&i| cells[i].clone()).collect() };
    let mut t = table();
    t.set_header(pick(HEADER.map(String::from)));
    for c in &r.contracts {
        let mut cells = row(c, locale, &r.currency, layout);
        cells[1] = ellipsize(&cells[1], customer_max);
        t.add_row(pick(cells));
    }
    t.add_row(pick(totals(r, locale, layout)));
    let customer = columns.iter().position(|&i| i == 1);
    keep_figures_whole(&mut t, customer.as_slice());
    for (pos, i) in columns.iter().enumerate() {
        if NUMERIC.contains(i)
            && let Some(col) = t.column_mut(pos)
        {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// Lines below the table for what a compact layout leaves out: unapproved
/// overage, the totals of hidden money columns, the hidden columns.
fn report_notes(r: &MonthReport, locale: Locale, layout: Layout) -> Vec<String> {
    let mut notes = Vec::new();
    let unapproved: Vec<String> = r
        .contracts
        .iter()
        .filter(|c| c.unsettled_overage_minutes() > 0)
        .map(|c| format!("{} {}", c.contract, hours(c.unsettled_overage_minutes())))
        .collect();
    if !layout.overage_in_words && !unapproved.is_empty() {
        notes.push(format!("⚠ Not approved, not invoiced: {}.", unapproved.join(", ")));
    }
    let written_off: Vec<String> = r
        .contracts
        .iter()
        .filter(|c| c.written_off_minutes > 0)
        .map(|c| format!("{} {}", c.contract, hours(c.written_off_minutes)))
        .collect();
    if !layout.overage_in_words && !written_off.is_empty() {
        notes.push(format!("Written off when the month was closed: {}.", written_off.join(", ")));
    }
    if !(layout.fee && layout.overage_amount && layout.vat) {
        let t = &r.totals;
        let a = |m| amount(m, locale);
        let corrections = if t.correction_amount == crate::model::Money::ZERO {
            String::new()
        } else {
            format!(" + corrections {}", a(t.correction_amount))
        };
        notes.push(format!(
            "Total: fee {} + overage {}{corrections} = net {} + VAT {} = gross {} {}.",
            a(t.fee),
            a(t.overage_amount),
            a(t.net),
            a(t.vat),
            a(t.gross),
            r.currency
        ));
    }
    notes.extend(left_out_note(&layout.left_out()));
    notes
}
pub(super) fn md_escape(s: &str) -> String {
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
        let cells: Vec<String> = row(c, locale, &r.currency, FULL).iter().map(|s| md_escape(s)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    let cells: Vec<String> = totals(r, locale, FULL)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures::demo_month;
    use crate::render::width::max_line_width;

    fn text(r: &MonthReport, width: Width) -> String {
        let mut out = Vec::new();
        report_table(r, Locale::En, width, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn layouts_run_from_every_column_to_the_essential_ones() {
        assert_eq!(FULL.columns().len(), HEADER.len());
        assert!(FULL.left_out().is_empty());
        let mut previous = usize::MAX;
        for l in LAYOUTS {
            let n = l.columns().len();
            assert!(n <= previous, "{l:?} shows more columns than the layout before it");
            previous = n;
            // Contract, used / quota, overage, net and gross always show.
            for always in [0, 3, 5, 8, 10] {
                assert!(l.columns().contains(&always), "{l:?} leaves out {}", HEADER[always]);
            }
        }
        assert_eq!(FEWEST.left_out(), ["customer", "tier", "forfeited", "fee", "overage amount", "VAT"]);
    }

    #[test]
    fn without_a_limit_every_column_with_the_currency_in_each_cell() {
        let r = demo_month("2026-10");
        let (layout, _) = fit_report(&r, Locale::En, Width::Unlimited);
        assert_eq!(layout, FULL);
        let out = text(&r, Width::Unlimited);
        assert!(out.starts_with("Support report 2026-10 (EUR)\n"), "{out}");
        assert!(out.contains("2:20 (⚠ 1:35 unapproved)") && out.contains("21,589.53 EUR"), "{out}");
        assert!(!out.contains("--wide"), "nothing left out, nothing to point at:\n{out}");
    }

    #[test]
    fn at_120_columns_the_money_columns_stay() {
        let r = demo_month("2026-10");
        let (layout, _) = fit_report(&r, Locale::En, Width::Columns(120));
        assert_eq!(layout, NO_FORFEITED);
        let out = text(&r, Width::Columns(120));
        assert!(max_line_width(&out) <= 120, "{out}");
        assert!(out.starts_with("Support report 2026-10 (amounts in EUR)\n"), "{out}");
        let total = out.lines().find(|l| l.contains("Total")).unwrap();
        for figure in ["188:55 / 190:00", "8:00", "18,240.00", "381.46", "18,621.46", "2,968.07", "21,589.53"] {
            assert!(total.contains(figure), "{figure} in {total}");
        }
        assert!(!total.contains("EUR"), "the currency is named once, in the title: {total}");
        assert!(out.contains("⚠ Not approved, not invoiced: nordwind-energie 1:35, stadtwerke-rheinpfalz 2:35."));
        assert!(out.contains("--wide adds customer, tier and forfeited.\n"), "{out}");
        assert!(!out.contains("Total: fee"), "every money column shows; no totals line:\n{out}");
    }

    #[test]
    fn at_80_columns_net_and_gross_with_every_total_below() {
        let r = demo_month("2026-10");
        let (layout, _) = fit_report(&r, Locale::En, Width::Columns(80));
        assert_eq!(layout, FEWEST);
        let out = text(&r, Width::Columns(80));
        assert!(max_line_width(&out) <= 80, "{out}");
        let row = out.lines().find(|l| l.contains("nordwind-energie")).unwrap();
        assert!(row.contains("26:20 / 24:00") && row.contains("2:20 ⚠") && row.contains("2,871.62"), "{row}");
        let flat = out.replace("\n  ", " ");
        assert!(
            flat.contains(
                "Total: fee 18,240.00 + overage 381.46 = net 18,621.46 + VAT 2,968.07 = gross 21,589.53 EUR."
            )
        );
        assert!(flat.contains("⚠ Not approved, not invoiced: nordwind-energie 1:35, stadtwerke-rheinpfalz 2:35."));
        assert!(flat.contains("--wide adds customer, tier, forfeited, fee, overage amount and VAT."), "{out}");
    }

    #[test]
    fn a_customer_name_is_shortened_before_it_is_left_out() {
        let r = demo_month("2026-10");
        // Between the width of NO_CURRENCY and that of COMPACT with full names.
        let (layout, t) = fit_report(&r, Locale::En, Width::Columns(150));
        assert_eq!(layout, SHORT_NAMES);
        let out = t.to_string();
        assert_eq!(max_line_width(&out), 150, "the name takes the room there is:\n{out}");
        assert!(out.contains("┆ Müller Maschinenb… ┆"), "{out}");
        assert!(out.contains("┆ 6 contracts        ┆"), "{out}");
    }

    #[test]
    fn german_numbers_fit_the_same() {
        let r = demo_month("2026-10");
        let mut out = Vec::new();
        report_table(&r, Locale::De, Width::Columns(80), &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(max_line_width(&out) <= 80 && out.contains("21.589,53"), "{out}");
    }
}
