//! `contracts`: every contract with its terms for a month, as a terminal
//! table fitted to the terminal's width (see [`Layout`]).

use std::io::{self, Write};

use comfy_table::{CellAlignment, Table};

use super::human::{amount, keep_figures_whole, money};
use super::width::{
    Names, Width, display_width, ellipsize, fit_table, left_out_note, shorten_to_fit, table, write_wrapped,
};
use crate::model::amount::increment_text;
use crate::model::{Contract, Locale, Month, Terms, TermsPatch};

/// Where a contract stands in the month listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    Active,
    /// Starts in a later month.
    NotYet,
    Ended,
}

/// A contract and the terms shown for it: those of the month, or of the
/// nearest month it covers.
#[derive(Clone, Debug)]
pub struct Listed<'a> {
    pub contract: &'a Contract,
    pub terms: Terms,
    pub standing: Standing,
}

/// What the terminal table of `contracts` shows. [`LAYOUTS`] runs from
/// every column (pipes, files, `--wide`) to the fewest; the contract, tier,
/// hours, rate, fee and period always show, and changes of terms are listed
/// below the table when their column is left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Money cells carry the currency; else the title names it once.
    pub currency_in_cells: bool,
    /// Period and standing in two columns (`2026-03 – 2026-10`, `ended`)
    /// and the changes in a third; else one column says `since 2026-04`,
    /// `until 2026-12`, `ended 2026-10` or `from 2027-01`, and the changes
    /// are listed below the table.
    pub separate: bool,
    pub customer: Names,
    pub rounding: bool,
    pub vat: bool,
    pub overage_rate: bool,
}

const FULL: Layout = Layout {
    currency_in_cells: true,
    separate: true,
    customer: Names::Full,
    rounding: true,
    vat: true,
    overage_rate: true,
};
const NO_CURRENCY: Layout = Layout { currency_in_cells: false, ..FULL };
const COMPACT: Layout = Layout { separate: false, ..NO_CURRENCY };
const SHORT_NAMES: Layout = Layout { customer: Names::Shortened, ..COMPACT };
const NO_CUSTOMER: Layout = Layout { customer: Names::Hidden, ..COMPACT };
const NO_ROUNDING: Layout = Layout { rounding: false, ..NO_CUSTOMER };
const NO_VAT: Layout = Layout { vat: false, ..NO_ROUNDING };
const FEWEST: Layout = Layout { overage_rate: false, ..NO_VAT };

/// From every column to the fewest; the first that fits is printed.
pub const LAYOUTS: [Layout; 8] = [FULL, NO_CURRENCY, COMPACT, SHORT_NAMES, NO_CUSTOMER, NO_ROUNDING, NO_VAT, FEWEST];

const HEADER: [&str; 12] = [
    "Contract",
    "Customer",
    "Tier",
    "Hours",
    "Rate",
    "Overage rate",
    "VAT %",
    "Rounding",
    "Fee",
    "Active",
    "In month",
    "Changes",
];

/// Columns right-aligned.
const NUMERIC: std::ops::RangeInclusive<usize> = 3..=8;

/// A customer's name is shortened to no fewer columns than this.
const MIN_CUSTOMER: usize = 14;

impl Layout {
    /// The columns shown, by index into [`HEADER`].
    fn columns(self) -> Vec<usize> {
        let shown = [
            true,
            self.customer != Names::Hidden,
            true,
            true,
            true,
            self.overage_rate,
            self.vat,
            self.rounding,
            true,
            true,
            self.separate,
            self.separate,
        ];
        (0..HEADER.len()).filter(|&i| shown[i]).collect()
    }

    fn title(self, i: usize) -> &'static str {
        match (self.currency_in_cells, HEADER[i]) {
            (false, "Overage rate") => "Overage\nrate",
            (_, h) => h,
        }
    }

    /// The names of the columns left out, as the reader knows them.
    fn left_out(self) -> Vec<&'static str> {
        let names = ["", "customer", "", "", "", "overage rate", "VAT", "rounding", "", "", "", ""];
        (0..HEADER.len()).filter(|i| !self.columns().contains(i) && !names[*i].is_empty()).map(|i| names[i]).collect()
    }
}

/// `tier 30h, rate 110.00` — what a `[[change]]` names.
pub fn describe(p: &TermsPatch) -> String {
    let mut parts = Vec::new();
    if let Some(t) = &p.tier {
        parts.push(format!("tier {}", t.name));
    }
    if let Some(h) = p.hours {
        parts.push(format!("hours {h}"));
    }
    if let Some(r) = p.rate {
        parts.push(format!("rate {r}"));
    }
    if let Some(r) = p.overage_rate {
        parts.push(format!("overage rate {r}"));
    }
    if let Some(v) = p.vat_rate {
        parts.push(format!("VAT {v} %"));
    }
    if let Some(r) = p.rounding {
        parts.push(format!("rounding {}", increment_text(r)));
    }
    parts.join(", ")
}

/// The cells of one contract, by index into [`HEADER`].
fn row(l: &Listed, layout: Layout, locale: Locale, currency: &str) -> [String; 12] {
    let c = l.contract;
    let t = &l.terms;
    let cash = |m| if layout.currency_in_cells { money(m, locale, currency) } else { amount(m, locale) };
    let (active, in_month) = if layout.separate {
        let period = format!("{} – {}", c.start, c.end.map(|e| e.to_string()).unwrap_or_default());
        let standing = match l.standing {
            Standing::Active => "active".to_string(),
            Standing::NotYet => format!("starts {}", c.start),
            Standing::Ended => "ended".to_string(),
        };
        (period, standing)
    } else {
        let period = match (l.standing, c.end) {
            (Standing::Active, None) => format!("since {}", c.start),
            (Standing::Active, Some(end)) => format!("until {end}"),
            (Standing::NotYet, _) => format!("from {}", c.start),
            (Standing::Ended, Some(end)) => format!("ended {end}"),
            (Standing::Ended, None) => "ended".to_string(),
        };
        (period, String::new())
    };
    [
        c.id.clone(),
        c.customer.clone(),
        t.tier.clone().unwrap_or_else(|| "custom".into()),
        t.hours.to_string(),
        cash(t.rate),
        cash(t.overage_rate),
        t.vat_rate.to_string(),
        increment_text(t.rounding),
        cash(t.fee()),
        active,
        in_month,
        c.changes.iter().map(|(from, p)| format!("{from}: {}", describe(p))).collect::<Vec<_>>().join("; "),
    ]
}

fn grid(list: &[Listed], layout: Layout, locale: Locale, currency: &str, customer_max: usize) -> Table {
    let columns = layout.columns();
    let mut t = table();
    t.set_header(columns.iter().map(|&i| layout.title(i)).collect::<Vec<_>>());
    for l in list {
        let mut cells = row(l, layout, locale, currency);
        cells[1] = ellipsize(&cells[1], customer_max);
        t.add_row(columns.iter().map(|&i| cells[i].clone()).collect::<Vec<_>>());
    }
    let wrap: Vec<usize> =
        columns.iter().enumerate().filter(|(_, i)| matches!(i, 1 | 11)).map(|(pos, _)| pos).collect();
    keep_figures_whole(&mut t, &wrap);
    for (pos, i) in columns.iter().enumerate() {
        if NUMERIC.contains(i)
            && let Some(col) = t.column_mut(pos)
        {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// The first layout of [`LAYOUTS`] whose table fits `width`, with the table.
pub fn fit(list: &[Listed], locale: Locale, currency: &str, width: Width) -> (Layout, Table) {
    let longest_customer = list.iter().map(|l| display_width(&l.contract.customer)).max().unwrap_or(0);
    fit_table(width, &LAYOUTS, |layout, width| {
        if layout.customer != Names::Shortened {
            return grid(list, layout, locale, currency, usize::MAX);
        }
        let build = |n| grid(list, layout, locale, currency, n);
        match shorten_to_fit(width, MIN_CUSTOMER, longest_customer.max(MIN_CUSTOMER), build) {
            Some((_, t)) => t,
            None => grid(list, layout, locale, currency, MIN_CUSTOMER),
        }
    })
}

/// The contracts with their terms for `month`, fitted to `width`.
pub fn contracts_in(
    month: Month,
    list: &[Listed],
    locale: Locale,
    currency: &str,
    width: Width,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (layout, t) = fit(list, locale, currency, width);
    if layout.currency_in_cells {
        writeln!(out, "Contracts, terms for {month}")?;
    } else {
        writeln!(out, "Contracts, terms for {month} (amounts in {currency})")?;
    }
    writeln!(out, "{t}")?;
    if !layout.separate {
        for l in list {
            for (from, p) in &l.contract.changes {
                write_wrapped(out, &format!("{}: {} from {from}.", l.contract.id, describe(p)), width, 2)?;
            }
        }
    }
    if let Some(note) = left_out_note(&layout.left_out()) {
        write_wrapped(out, &note, width, 2)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Scope;
    use crate::render::fixtures::demo;
    use crate::render::width::max_line_width;

    fn text(month: &str, width: Width) -> String {
        let loaded = demo(Scope::Terms);
        let list = crate::commands::contracts::list(&loaded.contracts, month.parse().unwrap());
        let mut out = Vec::new();
        contracts_in(month.parse().unwrap(), &list, Locale::En, "EUR", width, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn layout(width: Width) -> Layout {
        let loaded = demo(Scope::Terms);
        let list = crate::commands::contracts::list(&loaded.contracts, "2026-11".parse().unwrap());
        fit(&list, Locale::En, "EUR", width).0
    }

    #[test]
    fn layouts_keep_the_terms_that_make_the_fee() {
        for l in LAYOUTS {
            // Contract, tier, hours, rate, fee, active.
            for always in [0, 2, 3, 4, 8, 9] {
                assert!(l.columns().contains(&always), "{l:?} leaves out {}", HEADER[always]);
            }
        }
        assert_eq!(FEWEST.left_out(), ["customer", "overage rate", "VAT", "rounding"]);
    }

    #[test]
    fn full_width_has_every_column() {
        assert_eq!(layout(Width::Unlimited), FULL);
        let out = text("2026-11", Width::Unlimited);
        assert!(out.starts_with("Contracts, terms for 2026-11\n"), "{out}");
        assert!(out.contains("2026-03 – 2026-10 ┆ ended") && out.contains("2026-10: tier 30h"), "{out}");
    }

    #[test]
    fn narrower_terminals_merge_the_period_and_list_changes_below() {
        assert_eq!(layout(Width::Columns(160)), COMPACT, "whole names before split columns");
        assert_eq!(layout(Width::Columns(120)), NO_CUSTOMER);
        assert_eq!(layout(Width::Columns(80)), FEWEST);
        for width in [120, 80] {
            let out = text("2026-11", Width::Columns(width));
            assert!(max_line_width(&out) <= width, "{out}");
            assert!(out.starts_with("Contracts, terms for 2026-11 (amounts in EUR)\n"), "{out}");
            let row = out.lines().find(|l| l.contains("stadtwerke-rheinpfalz")).unwrap();
            assert!(row.contains("95.00") && row.contains("3,800.00") && row.contains("ended 2026-10"), "{row}");
            assert!(out.contains("\nbrandt-logistik: tier 30h from 2026-10.\n"), "{out}");
        }
        let out = text("2026-10", Width::Columns(80));
        assert!(max_line_width(&out) <= 80, "{out}");
        assert!(out.contains("until 2026-10"), "{out}");
        let out = text("2027-05", Width::Columns(80));
        assert!(out.contains("since 2026-04"), "{out}");
        let out = text("2025-12", Width::Columns(80));
        assert!(out.contains("from 2026-04"), "{out}");
    }
}
