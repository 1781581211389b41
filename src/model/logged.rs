//! One time-log row with every column (SPEC §2.3), as a customer statement
//! lists it. The month computation needs only [`super::Entry`]; this is the
//! whole row, validated exactly like it by `read/`.

use chrono::NaiveDate;

use super::Kind;

/// A valid time-log row with all its columns (an absent column is empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedEntry {
    pub date: NaiveDate,
    pub ticket: String,
    pub kind: Kind,
    /// `2`, `3` or empty.
    pub level: String,
    /// `desk`, `email`, `phone` or empty.
    pub channel: String,
    pub engineer: String,
    pub note: String,
    /// Minutes worked, as logged (never rounded).
    pub minutes: u64,
}
