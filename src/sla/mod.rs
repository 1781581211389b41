//! The 48-hour guarantee (SPEC §7): clocks, holidays and ticket times.
