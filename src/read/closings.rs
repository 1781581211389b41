//! `closings/<YYYY-MM>.toml`: closed months (SPEC §8), one file each,
//! written once and never changed.

use std::path::Path;

use crate::model::Month;

/// The folder of the closing files.
pub const CLOSINGS_DIR: &str = "closings";

/// `closings/2026-10.toml`, relative to the ledger root.
pub fn file(m: Month) -> String {
    format!("{CLOSINGS_DIR}/{m}.toml")
}

/// Whether month `m` is closed: its closing file exists. Costs one `stat`,
/// so that writing commands (`log`, `approve`, `import`) can refuse a closed
/// month without reading any closing.
pub fn is_closed(root: &Path, m: Month) -> bool {
    root.join(file(m)).is_file()
}
