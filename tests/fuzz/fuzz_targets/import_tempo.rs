//! Fuzz target: `supportctl::read::fuzz::import_tempo` (its invariants are documented there).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| supportctl::read::fuzz::import_tempo(data));
