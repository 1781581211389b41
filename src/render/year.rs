//! `report --year`: the year view ([`YearReport`]) as JSON, CSV (one row per
//! contract and month), a terminal table fitted to the width, or Markdown.

use std::io::{self, Write};

use comfy_table::{CellAlignment, Table};

use super::Format;
use super::human::{amount, hours, keep_figures_whole, money};
use super::width::{Width, fit_table, left_out_note, table, write_wrapped};
use crate::compute::year::{YearMonth, YearReport, YearTotals};
use crate::model::Locale;

/// The columns of `report --year --format csv`, one row per contract and month.
pub const FIELDS: &[&str] = &[
    "contract",
    "customer",
    "month",
    "used_minutes",
    "forfeited_minutes",
    "approved_overage_minutes",
    "unapproved_overage_minutes",
    "written_off_minutes",
    "net",
];

pub fn year(format: Format, r: &YearReport, locale: Locale, width: Width, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Json => super::machine::json(r, out),
        Format::Csv => {
            let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(out);
            w.write_record(FIELDS)?;
            for c in &r.contracts {
                for YearMonth { month, figures: m } in &c.months {
                    w.write_record([
                        c.contract.clone(),
                        c.customer.clone(),
                        month.to_string(),
                        m.used_minutes.to_string(),
                        m.forfeited_minutes.to_string(),
                        m.approved_overage_minutes.to_string(),
                        m.unapproved_overage_minutes.to_string(),
                        m.written_off_minutes.to_string(),
                        m.net.to_string(),
                    ])?;
                }
            }
            w.flush()
        }
        Format::Table => year_table(r, locale, width, out),
        Format::Markdown => year_markdown(r, locale, out),
    }
}

/// What the terminal table shows: every column, or (narrow) the overage in
/// one column and no forfeited time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub separate_overage: bool,
    pub forfeited: bool,
}

pub const LAYOUTS: [Layout; 2] =
    [Layout { separate_overage: true, forfeited: true }, Layout { separate_overage: false, forfeited: false }];

impl Layout {
    fn header(self) -> Vec<&'static str> {
        let mut h = vec!["Contract", "Month", "Used"];
        if self.forfeited {
            h.push("Forfeited");
        }
        if self.separate_overage {
            h.extend(["Approved", "Unapproved", "Written off"]);
        } else {
            h.push("Overage");
        }
        h.push("Net");
        h
    }

    fn left_out(self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if !self.forfeited {
            out.push("forfeited");
        }
        if !self.separate_overage {
            out.push("overage approved, unapproved and written off apart");
        }
        out
    }
}

/// The cells of a month (or of sums) from the third column on.
fn figures(m: &YearTotals, layout: Layout, locale: Locale, cur: Option<&str>) -> Vec<String> {
    let mut cells = vec![hours(m.used_minutes)];
    if layout.forfeited {
        cells.push(hours(m.forfeited_minutes));
    }
    if layout.separate_overage {
        cells.push(hours(m.approved_overage_minutes));
        cells.push(if m.unapproved_overage_minutes > 0 {
            format!("{} ⚠", hours(m.unapproved_overage_minutes))
        } else {
            hours(0)
        });
        cells.push(hours(m.written_off_minutes));
    } else {
        let over = m.approved_overage_minutes + m.unapproved_overage_minutes + m.written_off_minutes;
        cells.push(if m.unapproved_overage_minutes > 0 {
            format!("{} (⚠ {})", hours(over), hours(m.unapproved_overage_minutes))
        } else {
            hours(over)
        });
    }
    cells.push(match cur {
        Some(cur) => money(m.net, locale, cur),
        None => amount(m.net, locale),
    });
    cells
}

fn grid(r: &YearReport, layout: Layout, locale: Locale, cur: Option<&str>) -> Table {
    let mut t = table();
    t.set_header(layout.header());
    for c in &r.contracts {
        for (i, m) in c.months.iter().enumerate() {
            let mut row = vec![if i == 0 { c.contract.clone() } else { String::new() }, m.month.to_string()];
            row.extend(figures(&m.figures, layout, locale, cur));
            t.add_row(row);
        }
        let mut row = vec![String::new(), "total".to_string()];
        row.extend(figures(&c.totals, layout, locale, cur));
        t.add_row(row);
    }
    let mut row = vec!["Total".to_string(), super::human::plural(r.contracts.len(), "contract")];
    row.extend(figures(&r.totals, layout, locale, cur));
    t.add_row(row);
    keep_figures_whole(&mut t, &[]);
    for i in 2..layout.header().len() {
        if let Some(col) = t.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

pub fn year_table(r: &YearReport, locale: Locale, width: Width, out: &mut dyn Write) -> io::Result<()> {
    let (layout, t) = fit_table(width, &LAYOUTS, |layout, _| grid(r, layout, locale, None));
    write_wrapped(out, &format!("Support year {} (amounts in {})", r.year, r.currency), width, 2)?;
    writeln!(out, "{t}")?;
    if r.totals.unapproved_overage_minutes > 0 {
        write_wrapped(
            out,
            &format!("⚠ {} of overage not approved and not invoiced.", hours(r.totals.unapproved_overage_minutes)),
            width,
            2,
        )?;
    }
    if let Some(note) = left_out_note(&layout.left_out()) {
        write_wrapped(out, &note, width, 2)?;
    }
    Ok(())
}

pub fn year_markdown(r: &YearReport, locale: Locale, out: &mut dyn Write) -> io::Result<()> {
    let layout = LAYOUTS[0];
    writeln!(out, "# Support year {}\n", r.year)?;
    let header = layout.header();
    writeln!(out, "| {} |", header.join(" | "))?;
    let align: Vec<&str> = (0..header.len()).map(|i| if i >= 2 { "---:" } else { "---" }).collect();
    writeln!(out, "| {} |", align.join(" | "))?;
    let cur = Some(r.currency.as_str());
    for c in &r.contracts {
        for m in &c.months {
            let mut row = vec![super::table::md_escape(&c.contract), m.month.to_string()];
            row.extend(figures(&m.figures, layout, locale, cur));
            writeln!(out, "| {} |", row.join(" | "))?;
        }
        let mut row = vec![super::table::md_escape(&c.contract), "**total**".to_string()];
        row.extend(figures(&c.totals, layout, locale, cur).into_iter().map(|s| format!("**{s}**")));
        writeln!(out, "| {} |", row.join(" | "))?;
    }
    let mut row = vec!["**Total**".to_string(), format!("**{}**", super::human::plural(r.contracts.len(), "contract"))];
    row.extend(figures(&r.totals, layout, locale, cur).into_iter().map(|s| format!("**{s}**")));
    writeln!(out, "| {} |", row.join(" | "))?;
    Ok(())
}
