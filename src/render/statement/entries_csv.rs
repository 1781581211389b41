//! The statement's entries as CSV (SPEC §10): exactly the columns
//! `date,ticket,kind,level,channel,engineer,note,minutes_worked,minutes_billed`,
//! ISO dates and whole minutes in every locale, no subtotal or total rows.

use crate::compute::statement::Statement;

/// The header of the CSV.
pub const COLUMNS: [&str; 9] =
    ["date", "ticket", "kind", "level", "channel", "engineer", "note", "minutes_worked", "minutes_billed"];

pub fn csv(s: &Statement) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::with_capacity(128 * (s.entries.len() + 1)));
    // Writing to a Vec cannot fail, and every record has the header's length.
    let written = (|| -> csv::Result<()> {
        w.write_record(COLUMNS)?;
        for e in &s.entries {
            let x = &e.entry;
            w.write_record([
                x.date.format("%Y-%m-%d").to_string().as_str(),
                &x.ticket,
                x.kind.as_str(),
                &x.level,
                &x.channel,
                &x.engineer,
                &x.note,
                &x.minutes.to_string(),
                &e.billed.to_string(),
            ])?;
        }
        w.flush()?;
        Ok(())
    })();
    written.expect("CSV into memory cannot fail");
    w.into_inner().expect("flushed above")
}
