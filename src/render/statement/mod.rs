//! A customer statement (`compute::statement::Statement`) as an HTML page,
//! Markdown or the CSV of its entries. Formatting only.

pub mod entries_csv;
pub mod html;
pub mod markdown;
pub mod text;

use crate::compute::statement::Statement;

/// Output formats of `statement`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StatementFormat {
    /// One self-contained page with the usage chart, for the browser and print
    Html,
    /// The same content without the chart
    Markdown,
    /// The month's entries only, one row each
    Csv,
}

impl StatementFormat {
    /// File extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            StatementFormat::Html => "html",
            StatementFormat::Markdown => "md",
            StatementFormat::Csv => "csv",
        }
    }
}

/// The statement in `format`, as the bytes of a file.
pub fn render(format: StatementFormat, s: &Statement) -> Vec<u8> {
    match format {
        StatementFormat::Html => html::html(s).into_bytes(),
        StatementFormat::Markdown => markdown::markdown(s).into_bytes(),
        StatementFormat::Csv => entries_csv::csv(s),
    }
}

/// The VAT rates of the month's invoice: the month's own, and those of the
/// months its corrections correct (`19 %`, `7 % / 19 %`).
pub fn vat_rates(s: &crate::compute::statement::Statement, t: &text::Text<'_>) -> String {
    let rates = crate::compute::vat_by_rate(s.figures.amounts_by_rate());
    rates.iter().map(|(rate, _, _)| t.percent(*rate)).collect::<Vec<_>>().join(" / ")
}
