//! Renderers: a computed [`MonthReport`] (or a contract list) → text. They
//! format, they never compute or round; each writes to any `io::Write`.

pub mod advise;
pub mod cii;
pub mod closing;
pub mod contracts;
pub mod human;
pub mod import;
pub mod machine;
pub mod sla;
pub mod statement;
pub mod status;
pub mod table;
pub mod tickets;
pub mod width;
pub mod year;

#[cfg(test)]
pub mod fixtures;

use std::io::{self, Write};

use crate::compute::MonthReport;
use crate::model::Locale;

/// Output formats of `report` (SPEC §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Markdown,
}

/// Writes `report` in `format`; the table fitted to `width` (the other
/// formats never depend on it).
pub fn report(
    format: Format,
    report: &MonthReport,
    locale: Locale,
    width: width::Width,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => machine::json(report, out),
        Format::Csv => machine::csv(report, out),
        Format::Table => table::report_table(report, locale, width, out),
        Format::Markdown => table::report_markdown(report, locale, out),
    }
}
