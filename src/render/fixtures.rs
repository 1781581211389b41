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

/// "Now" for the ticket figures: 2026-11-27 10:00 in the demo's time zone
/// (as `SUPPORTCTL_NOW` pins it in the README's tour).
pub fn demo_now(loaded: &Loaded) -> chrono::DateTime<chrono_tz::Tz> {
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00+01:00").expect("an RFC 3339 time");
    now.with_timezone(&loaded.settings().timezone)
}

/// The demo ledger's SLA report of `month`, as `sla` computes it.
pub fn demo_sla(month: &str) -> crate::sla::tickets::SlaReport {
    let mut loaded = demo(Scope::Terms);
    let events = loaded.read_tickets(&demo_root());
    let now = demo_now(&loaded);
    crate::commands::sla::report(&demo_root(), &loaded, &events, now, month.parse().expect("YYYY-MM"), None)
}

/// The demo ledger's tickets as `tickets` lists them: every open one
/// (`None`) or those received in a month.
pub fn demo_tickets(month: Option<&str>) -> Vec<super::tickets::Listed> {
    let mut loaded = demo(Scope::Terms);
    let events = loaded.read_tickets(&demo_root());
    let now = demo_now(&loaded);
    let month = month.map(|m| m.parse().expect("YYYY-MM"));
    crate::commands::tickets::list(&loaded, &events, now, month, None)
}
