//! The fuzz targets without libFuzzer (issue 6 items 2, 3 and 7): every file
//! under `tests/fuzz/seeds/<target>/` and `tests/fuzz/regressions/<target>/`
//! goes through `supportctl::read::fuzz::<target>`, the function the
//! cargo-fuzz target of that name calls, so `cargo test` (and CI) replays the
//! committed corpus; then a quick proptest per target with arbitrary bytes
//! and with byte mutations of the seeds (RELIABILITY (c) 18).
//!
//! A crash found by fuzzing is minimised and added as a file under
//! `tests/fuzz/regressions/<target>/`; nothing else needs changing here.

use std::fs;
use std::panic;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use supportctl::read::fuzz;

/// A fuzz target's function.
type Target = fn(&[u8]);

/// Every fuzz target: its name (the folder names under `seeds/` and
/// `regressions/`) and its function.
const TARGETS: &[(&str, Target)] = &[
    ("timelog", fuzz::timelog),
    ("approvals", fuzz::approvals),
    ("settings_toml", fuzz::settings_toml),
    ("contract_toml", fuzz::contract_toml),
    ("duration", fuzz::duration),
    ("ticket_time", fuzz::ticket_time),
    ("tickets_csv", fuzz::tickets_csv),
    ("csv_records", fuzz::csv_records),
    ("parties_toml", fuzz::parties_toml),
    ("import_jira", fuzz::import_jira),
    ("import_tempo", fuzz::import_tempo),
];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz")
}

/// The files of `tests/fuzz/<kind>/<target>/`, sorted; none when it is missing.
fn corpus(kind: &str, target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = fuzz_dir().join(kind).join(target);
    let Ok(rd) = fs::read_dir(&dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = rd.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    files.sort();
    files.into_iter().map(|p| (p.clone(), fs::read(&p).unwrap())).collect()
}

/// Runs every seed and regression of `target`; fails naming each file that panics.
fn replay(target: &str) {
    let (_, f) = TARGETS.iter().find(|(n, _)| *n == target).unwrap();
    let seeds = corpus("seeds", target);
    assert!(!seeds.is_empty(), "no seeds for {target} in {}", fuzz_dir().join("seeds").display());
    let mut failed = Vec::new();
    let all = seeds.iter().chain(corpus("regressions", target).iter()).cloned().collect::<Vec<_>>();
    for (path, data) in &all {
        if panic::catch_unwind(|| f(data)).is_err() {
            failed.push(path.strip_prefix(fuzz_dir()).unwrap_or(path).display().to_string());
        }
    }
    assert!(failed.is_empty(), "{target}: {} of {} corpus files fail: {failed:?}", failed.len(), all.len());
}

#[test]
fn every_target_has_seeds_and_a_cargo_fuzz_binary() {
    let manifest = fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    for (name, _) in TARGETS {
        assert!(manifest.contains(&format!("name = \"{name}\"")), "tests/fuzz/Cargo.toml lacks the target {name}");
        let src = fs::read_to_string(fuzz_dir().join(format!("fuzz_targets/{name}.rs"))).unwrap();
        assert!(src.contains(&format!("supportctl::read::fuzz::{name}(")), "fuzz_targets/{name}.rs");
        assert!(!corpus("seeds", name).is_empty(), "no seeds for {name}");
    }
    // No folder for a target that does not exist.
    for kind in ["seeds", "regressions"] {
        let Ok(rd) = fs::read_dir(fuzz_dir().join(kind)) else { continue };
        for e in rd {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(TARGETS.iter().any(|(n, _)| *n == name), "tests/fuzz/{kind}/{name} names no target");
        }
    }
}

#[test]
fn timelog_corpus() {
    replay("timelog");
}

#[test]
fn csv_records_corpus() {
    replay("csv_records");
}

#[test]
fn approvals_corpus() {
    replay("approvals");
}

#[test]
fn settings_toml_corpus() {
    replay("settings_toml");
}

#[test]
fn contract_toml_corpus() {
    replay("contract_toml");
}

#[test]
fn duration_corpus() {
    replay("duration");
}

#[test]
fn ticket_time_corpus() {
    replay("ticket_time");
}

#[test]
fn tickets_csv_corpus() {
    replay("tickets_csv");
}

#[test]
fn parties_toml_corpus() {
    replay("parties_toml");
}

#[test]
fn import_jira_corpus() {
    replay("import_jira");
}

#[test]
fn import_tempo_corpus() {
    replay("import_tempo");
}

#[test]
fn editor_lines_counts_as_an_editor_shows() {
    for (text, lines) in
        [("", 1), ("\n", 1), ("a", 1), ("a\n", 1), ("a\nb", 2), ("a\nb\n", 2), ("\n\n", 2), ("a\r\n", 1)]
    {
        assert_eq!(fuzz::editor_lines(text.as_bytes()), lines, "{text:?}");
    }
}

// ------------------------------------------------------------- known bugs

/// TOML texts whose syntax error lies at the very end, after a final line break.
const TOML_EOF_ERRORS: &[&str] = &["\"\"\"\n", "a = [\n", "[x]\nb = \n", "a = \"\"\"x\n"];

/// The lines of problems that `supportctl.toml` and a contract with `src` get.
fn toml_problem_lines(src: &str) -> Vec<(String, usize)> {
    use supportctl::read::{Problems, contracts, settings};
    let mut p = Problems::default();
    settings::read("supportctl.toml", src, &mut p);
    contracts::read("acme", "contracts/acme.toml", src, &settings::defaults(), &mut p);
    p.list.iter().filter_map(|p| p.line.map(|l| (p.to_string(), l))).collect()
}

#[test]
fn toml_errors_at_the_end_of_input_stay_within_the_file() {
    let mut texts: Vec<String> = TOML_EOF_ERRORS.iter().map(|s| s.to_string()).collect();
    for target in ["settings_toml", "contract_toml"] {
        texts.extend(corpus("regressions", target).into_iter().map(|(_, d)| String::from_utf8_lossy(&d).into_owned()));
    }
    for src in &texts {
        let lines = fuzz::editor_lines(src.as_bytes());
        for (shown, line) in toml_problem_lines(src) {
            assert!(line <= lines, "{src:?} has {lines} lines, but: {shown}");
        }
    }
}

/// Whether `text`, accepted by `parse_at` in Europe/Berlin, is kept to the
/// minute and reads back from `format_at` as the same instant.
fn ticket_time_reads_back(text: &str) -> Result<(), String> {
    use supportctl::sla::time::{format_at, parse_at};
    let tz = chrono_tz::Europe::Berlin;
    let t = parse_at(text, tz).map_err(|e| format!("{text:?} is refused: {e}"))?;
    if t.timestamp() % 60 != 0 {
        return Err(format!("{text:?} → {t}: not a whole minute"));
    }
    let shown = format_at(t);
    match parse_at(&shown, tz) {
        Ok(u) if u == t => Ok(()),
        other => Err(format!("{text:?} → {t}, shown as {shown:?}, reads back as {other:?}")),
    }
}

/// Ticket times in Berlin's local mean time (+00:53:28, before 1893-04-01).
const LMT_TIMES: &[&str] = &["1800-01-01 00:00", "1893-03-31 23:59"];
/// Ticket times whose instant lies outside the years 0000–9999 in Berlin.
const OUT_OF_RANGE_TIMES: &[&str] = &["9999-12-31T23:59-10:00", "0000-01-01T00:00+01:00"];

/// Either the time is refused, or it reads back (the invariant of
/// `fuzz::ticket_time`, without its tolerance).
fn refused_or_reads_back(text: &str) -> Result<(), String> {
    match supportctl::sla::time::parse_at(text, chrono_tz::Europe::Berlin) {
        Err(_) => Ok(()),
        Ok(_) => ticket_time_reads_back(text),
    }
}

#[test]
fn ticket_times_before_1893_are_refused_or_read_back() {
    let mut texts: Vec<String> = LMT_TIMES.iter().map(|s| s.to_string()).collect();
    texts.extend(
        corpus("regressions", "ticket_time").into_iter().map(|(_, d)| String::from_utf8_lossy(&d).into_owned()),
    );
    let failures: Vec<String> = texts.iter().filter_map(|t| refused_or_reads_back(t).err()).collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn ticket_times_beyond_year_9999_are_refused_or_read_back() {
    let failures: Vec<String> = OUT_OF_RANGE_TIMES.iter().filter_map(|t| refused_or_reads_back(t).err()).collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

// ----------------------------------------------------------------- proptest

/// Bytes that are mostly what the readers look for.
fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(b"date,contract,minutes,ticket,kind,level,channel,engineer,note,id\n".to_vec()),
        Just(b"date,contract,month,minutes,reference,note,id\n".to_vec()),
        Just(b"2026-11-02,acme,30,SD-1,support,2,desk,anna,note,01KB2Z7Q8W3N5YV0M4T6R9J1XA\n".to_vec()),
        Just(b"2026-11-20,acme,2026-11,120,SD-1,,01KB2Z7Q8W3N5YV0M4T6R9J1XB\n".to_vec()),
        Just(b"at,ticket,contract,event,note,id\n".to_vec()),
        Just(b"2026-11-20 09:15,SD-1,mueller-maschinenbau,received,,\n".to_vec()),
        Just(b"2026-11-23T09:15+01:00,SD-1,mueller-maschinenbau,responded,,\n".to_vec()),
        Just(b"\"".to_vec()),
        Just(b",".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\0".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..8),
    ];
    proptest::collection::vec(token, 0..12).prop_map(|t| t.concat())
}

/// A seed of `target` with a few bytes replaced, inserted or removed.
fn mutated(target: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let seeds: Vec<Vec<u8>> = corpus("seeds", target).into_iter().map(|(_, d)| d).collect();
    let n = seeds.len();
    (0..n, proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<u8>()), 1..6)).prop_map(
        move |(i, edits)| {
            let mut d = seeds[i].clone();
            for (at, op, b) in edits {
                let pos = if d.is_empty() { 0 } else { at.index(d.len() + 1) };
                match op {
                    0 if pos < d.len() => d[pos] = b,
                    1 => d.insert(pos, b),
                    _ if pos < d.len() => {
                        d.remove(pos);
                    }
                    _ => d.push(b),
                }
            }
            d
        },
    )
}

fn toml_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("customer = \"A\"\n"),
        Just("tier = \"20h\"\n"),
        Just("start = \"2026-01\"\n"),
        Just("end = \"2026-12\"\n"),
        Just("hours = 20\n"),
        Just("rate = 100.005\n"),
        Just("vat_rate = \"19\"\n"),
        Just("rounding = \"15m\"\n"),
        Just("[[change]]\nfrom = \"2026-07\"\n"),
        Just("[[tier]]\nname = \"S\"\nhours = 10\nrate = \"120\"\n"),
        Just("\"\"\""),
        Just("["),
        Just("="),
        Just("\n"),
        Just("\r\n"),
        Just("#"),
        Just("ü"),
    ];
    (proptest::collection::vec(token, 0..10), "\\PC{0,6}").prop_map(|(t, tail)| format!("{}{tail}", t.concat()))
}

/// Text made of `[seller]`/`[buyer]` keys with plausible and odd values.
fn parties_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("[seller]\n"),
        Just("[buyer]\n"),
        Just("name = \"Beispiel GmbH\"\n"),
        Just("street = \"Musterstrasse 1\"\n"),
        Just("postcode = \"10115\"\n"),
        Just("city = \"Berlin\"\n"),
        Just("country = \"DE\"\n"),
        Just("country = \"AT\"\n"),
        Just("vat_id = \"DE123456789\"\n"),
        Just("vat_id = \"ATU12345678\"\n"),
        Just("tax_number = \"30/123/45678\"\n"),
        Just("email = \"a@b.example\"\n"),
        Just("contact_name = \"E\"\ncontact_phone = \"+49 30 1\"\ncontact_email = \"c@d.example\"\n"),
        Just("iban = \"DE75 5121 0800 1245 1261 99\"\n"),
        Just("bic = \"COBADEFFXXX\"\n"),
        Just("payment_days = 30\n"),
        Just("number_prefix = \"RE-\"\n"),
        Just("reference = \"04011000-1-03\"\n"),
        Just("vat_rate = \"0\"\n"),
        Just("vat_category = \"AE\"\n"),
        Just("vat_category = \"E\"\nvat_exemption_reason = \"frei\"\n"),
        Just("\""),
        Just("<&>"),
        Just("\\u0000"),
        Just("\n"),
    ];
    (proptest::collection::vec(token, 0..16), "\\PC{0,6}").prop_map(|(t, tail)| format!("{}{tail}", t.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn timelog_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        fuzz::timelog(&data);
    }

    #[test]
    fn timelog_csv_like_bytes(data in csv_bytes()) {
        fuzz::timelog(&data);
    }

    #[test]
    fn timelog_mutated_seeds(data in mutated("timelog")) {
        fuzz::timelog(&data);
    }

    #[test]
    fn approvals_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        fuzz::approvals(&data);
    }

    #[test]
    fn approvals_csv_like_bytes(data in csv_bytes()) {
        fuzz::approvals(&data);
    }

    #[test]
    fn approvals_mutated_seeds(data in mutated("approvals")) {
        fuzz::approvals(&data);
    }

    #[test]
    fn settings_toml_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        fuzz::settings_toml(&data);
    }

    #[test]
    fn settings_toml_like_text(src in toml_text()) {
        fuzz::settings_toml(src.as_bytes());
    }

    #[test]
    fn settings_toml_mutated_seeds(data in mutated("settings_toml")) {
        fuzz::settings_toml(&data);
    }

    #[test]
    fn contract_toml_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        fuzz::contract_toml(&data);
    }

    #[test]
    fn contract_toml_like_text(src in toml_text()) {
        fuzz::contract_toml(src.as_bytes());
    }

    #[test]
    fn contract_toml_mutated_seeds(data in mutated("contract_toml")) {
        fuzz::contract_toml(&data);
    }

    #[test]
    fn parties_toml_mutated_seeds(data in mutated("parties_toml")) {
        fuzz::parties_toml(&data);
    }

    #[test]
    fn parties_toml_like_text(src in parties_text()) {
        fuzz::parties_toml(src.as_bytes());
    }

    #[test]
    fn import_jira_mutated_seeds(data in mutated("import_jira")) {
        fuzz::import_jira(&data);
    }

    #[test]
    fn import_tempo_mutated_seeds(data in mutated("import_tempo")) {
        fuzz::import_tempo(&data);
    }

    #[test]
    fn import_jira_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        fuzz::import_jira(&data);
    }

    #[test]
    fn duration_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..16)) {
        fuzz::duration(&data);
    }

    #[test]
    fn duration_like_text(s in "[0-9]{0,6}([hm:.][0-9]{0,3}){0,3}[hm]?") {
        fuzz::duration(s.as_bytes());
    }

    #[test]
    fn tickets_csv_csv_like_bytes(data in csv_bytes()) {
        fuzz::tickets_csv(&data);
    }

    #[test]
    fn tickets_csv_mutated_seeds(data in mutated("tickets_csv")) {
        fuzz::tickets_csv(&data);
    }

    #[test]
    fn ticket_time_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..40)) {
        fuzz::ticket_time(&data);
    }

    #[test]
    fn ticket_time_like_text(
        s in "[0-9]{4}-[01][0-9]-[0-3][0-9][T ][0-2][0-9]:[0-5][0-9](:[0-6][0-9](\\.[0-9]{1,3})?)?(Z|[+-][0-2][0-9]:[0-5][0-9])?"
    ) {
        fuzz::ticket_time(s.as_bytes());
    }
}
