//! Property: the report does not depend on the order of rows nor on how they
//! are split across time-log files (RELIABILITY invariant 12), run through
//! the real binary and its readers, not only the pure core.

mod common;

use common::{run_on, small_ledger, stdout};
use proptest::prelude::*;

const HEADER: &str = "date,contract,minutes,kind,id\n";

/// One November row of contract `acme` (`beta` ended in October).
fn row(i: usize, (day, minutes, kind): (u32, u32, u8)) -> String {
    let kind = ["", "support", "escalation", "nonbillable"][kind as usize];
    // A valid ULID per row, distinct by its last characters.
    format!("2026-11-{day:02},acme,{minutes},{kind},01KB2Z7Q8W3N5YV0M4T6R{i:05}\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn report_is_independent_of_row_order_and_file_split(
        rows in prop::collection::vec((1u32..=30, 1u32..=240, 0u8..4), 1..30),
        split in any::<Vec<bool>>(),
        approved in 0u32..600,
    ) {
        let lines: Vec<String> = rows.iter().enumerate().map(|(i, r)| row(i, *r)).collect();
        let approvals = format!(
            "date,contract,month,minutes,reference\n2026-11-20,acme,2026-11,{},SD-1\n",
            approved.max(1)
        );
        let one = small_ledger(&[
            ("timelog/2026-11.csv", format!("{HEADER}{}", lines.concat())),
            ("approvals.csv", approvals.clone()),
        ]);
        // The same rows reversed and dealt over the month file and an extra file.
        let (mut a, mut b) = (String::from(HEADER), String::from(HEADER));
        for (i, l) in lines.iter().enumerate().rev() {
            if split.get(i).copied().unwrap_or(false) { b.push_str(l) } else { a.push_str(l) }
        }
        let two = small_ledger(&[
            ("timelog/2026-11.csv", a),
            ("timelog/extra.csv", b),
            ("approvals.csv", approvals),
        ]);
        let args = ["report", "--month", "2026-11", "--format", "json"];
        let r1 = stdout(&run_on(one.path(), &args).success());
        let r2 = stdout(&run_on(two.path(), &args).success());
        prop_assert!(r1.contains("\"used_minutes\""));
        prop_assert_eq!(r1, r2);
    }
}
