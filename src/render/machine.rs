//! Machine formats of `report` (SPEC §5.1): JSON and CSV with fixed field
//! names, `.` decimals and money as strings with two decimals.

use std::io::{self, Write};

use crate::compute::MonthReport;

pub fn json(report: &MonthReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

/// One row per contract, the §5.1 field names as header, no totals row.
pub fn csv(report: &MonthReport, out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(out);
    w.write_record(FIELDS)?;
    for c in &report.contracts {
        w.serialize(c)?;
    }
    w.flush()
}

/// The columns of `report --format csv`, in order (one per `ContractMonth` field).
pub const FIELDS: &[&str] = &[
    "contract",
    "customer",
    "tier",
    "quota_minutes",
    "used_minutes",
    "escalated_minutes",
    "nonbillable_minutes",
    "forfeited_minutes",
    "overage_minutes",
    "approved_minutes",
    "approved_overage_minutes",
    "unapproved_overage_minutes",
    "rate",
    "overage_rate",
    "vat_rate",
    "fee",
    "overage_amount",
    "net",
    "vat",
    "gross",
];
