//! Fuzz target: `supportctl::read::fuzz::parties_toml` (its invariants are documented there).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| supportctl::read::fuzz::parties_toml(data));
