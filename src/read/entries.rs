//! Every column of a time-log row, for a customer statement: the rows of
//! its month are kept whole as [`super::load_want`] reads them (see
//! [`super::Want::keep`]), through the same validation as every other row.

use super::table::Row;
use super::timelog::{self, LogRow};
use crate::model::logged::LoggedEntry;

/// The whole of a valid row.
pub fn logged(row: LogRow, r: &Row<'_>) -> LoggedEntry {
    LoggedEntry {
        date: row.date,
        ticket: r.get(timelog::TICKET).to_string(),
        kind: row.kind,
        level: r.get(timelog::LEVEL).to_string(),
        channel: r.get(timelog::CHANNEL).to_string(),
        engineer: r.get(timelog::ENGINEER).to_string(),
        note: r.get(timelog::NOTE).to_string(),
        minutes: row.minutes,
    }
}
