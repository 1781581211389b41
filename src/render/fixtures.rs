//! Test data for the renderers' unit tests: the figures of the demo ledger
//! (`examples/demo`), read and computed as the commands do, so that layouts
//! are chosen on real widths (ids, names, amounts).

use std::path::{Path, PathBuf};

use crate::compute::{self, MonthReport};
use crate::read::{self, Loaded, Scope};

/// The demo ledger's folder.
pub fn demo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo")
}

/// The demo ledger read for `scope`; panics on any error in it.
pub fn demo(scope: Scope) -> Loaded {
    let loaded = read::load(&demo_root(), scope);
    assert_eq!(loaded.problems.errors().count(), 0, "the demo ledger reads without errors");
    loaded
}

/// The month computation of the demo ledger for `month` (`YYYY-MM`).
pub fn demo_month(month: &str) -> MonthReport {
    let m = month.parse().expect("a YYYY-MM month");
    let loaded = demo(Scope::Month(m));
    let approvals: Vec<_> = loaded.approvals.iter().map(|a| a.approval.clone()).collect();
    compute::month(m, &loaded.settings().currency, &loaded.contracts, &loaded.entries, &approvals)
}
