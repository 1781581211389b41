//! The 48-hour guarantee (SPEC §7): clocks, holidays and ticket times, as
//! pure functions over values (no I/O, no printing, no clock reads; "now" is
//! always passed in). [`time`] parses and formats event instants in the
//! ledger's timezone; [`holidays`] knows public holidays; [`clock`] measures
//! guaranteed time on the calendar or business clock and finds deadlines;
//! [`terms`] and [`tickets`] turn settings and ticket events into SLA figures.

pub mod clock;
pub mod holidays;
pub mod terms;
pub mod tickets;
pub mod time;
