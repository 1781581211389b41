//! Shared helpers of the integration tests: temp ledgers built from
//! `(relative path, content)` pairs and the binary run in isolation (no
//! `SUPPORTCTL_LEDGER`, a pinned "today", an empty home and XDG folders).

// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use assert_cmd::assert::Assert;
use tempfile::TempDir;

/// "Today" for every run: `--month current` is 2026-11, `last` is 2026-10.
pub const TODAY: &str = "2026-11-27";

/// Makes sure the tool that `tests/setup/NAME.sh` installs is there: runs the
/// script (idempotent, quick when nothing is missing) once per test binary
/// and panics with its output when it fails. Tests never skip for a missing
/// tool; see `tests/setup/README.md`.
pub fn require(name: &str) {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static DONE: OnceLock<Mutex<HashMap<String, Result<(), String>>>> = OnceLock::new();
    let mut done = DONE.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    let result = done.entry(name.to_string()).or_insert_with(|| {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/setup").join(format!("{name}.sh"));
        let out = std::process::Command::new("bash")
            .arg(&script)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{} failed ({}):\n{}{}",
                script.display(),
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    });
    if let Err(e) = result {
        panic!("a tool this test needs is missing and could not be installed: {e}");
    }
}

/// The binary under test.
pub fn bin() -> &'static Path {
    assert_cmd::cargo::cargo_bin!("supportctl")
}

/// `examples/demo`, the demo ledger of the repository (never written to).
pub fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo")
}

/// `examples/month-end.sh`.
pub fn month_end_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/month-end.sh")
}

/// Writes `content` to `root/rel`, creating the parent folders.
pub fn write(root: &Path, rel: &str, content: impl AsRef<[u8]>) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, content).unwrap();
}

/// Appends `content` to `root/rel`.
pub fn append(root: &Path, rel: &str, content: impl AsRef<[u8]>) {
    use std::io::Write;
    let mut f = fs::OpenOptions::new().append(true).open(root.join(rel)).unwrap();
    f.write_all(content.as_ref()).unwrap();
}

/// A temp folder holding `files`: `(path relative to the root, content)`.
pub fn ledger<C: AsRef<[u8]>>(files: &[(&str, C)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, content) in files {
        write(dir.path(), rel, content);
    }
    dir
}

/// Contract `acme`: 20h tier (1,200 min, 2,000.00 fee), from 2026-01, open-ended.
pub const ACME: &str = "customer = \"ACME GmbH\"\ntier = \"20h\"\nstart = \"2026-01\"\n";
/// Contract `beta`: 16h tier, 2026-01 to 2026-10.
pub const BETA: &str = "customer = \"Beta AG\"\ntier = \"16h\"\nstart = \"2026-01\"\nend = \"2026-10\"\n";

/// A small valid ledger (empty settings: every default; contracts `acme` and
/// `beta`; no time log, no approvals) plus `files`, which may replace its own.
pub fn small_ledger<C: AsRef<[u8]>>(files: &[(&str, C)]) -> TempDir {
    let dir = ledger(&[("supportctl.toml", ""), ("contracts/acme.toml", ACME), ("contracts/beta.toml", BETA)]);
    fs::create_dir_all(dir.path().join("timelog")).unwrap();
    for (rel, content) in files {
        write(dir.path(), rel, content);
    }
    dir
}

/// A copy of the demo ledger in a temp folder (for tests that change it).
pub fn demo_copy() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&demo(), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Makes `cmd` independent of the developer's machine: no ledger from the
/// environment, today pinned to [`TODAY`], `home` as HOME and XDG folders
/// (so that the per-user data folder holds no ledger), run in `cwd`.
pub fn isolate(cmd: &mut Command, cwd: &Path, home: &Path) {
    cmd.current_dir(cwd)
        .env_remove("SUPPORTCTL_LEDGER")
        .env_remove("SUPPORTCTL_ENGINEER")
        .env("SUPPORTCTL_TODAY", TODAY)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("NO_COLOR", "1");
}

/// Runs `supportctl ARGS` isolated in `cwd`; `tweak` may add environment
/// variables or arguments before the run.
pub fn run_with(cwd: &Path, args: &[&str], tweak: impl FnOnce(&mut Command, &Path)) -> Assert {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(bin());
    isolate(&mut cmd, cwd, home.path());
    cmd.args(args);
    tweak(&mut cmd, home.path());
    cmd.assert()
}

/// Runs `supportctl ARGS` isolated in `cwd`.
pub fn run(cwd: &Path, args: &[&str]) -> Assert {
    run_with(cwd, args, |_, _| {})
}

/// Runs `supportctl --ledger LEDGER ARGS` isolated, from an unrelated folder.
pub fn run_on(ledger: &Path, args: &[&str]) -> Assert {
    let elsewhere = tempfile::tempdir().unwrap();
    let mut all = vec!["--ledger", ledger.to_str().unwrap()];
    all.extend_from_slice(args);
    run(elsewhere.path(), &all)
}

pub fn stdout(a: &Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(a: &Assert) -> String {
    String::from_utf8(a.get_output().stderr.clone()).expect("stderr is UTF-8")
}

/// The problem lines of stderr (`file:line: message`, warnings included),
/// without `check`'s closing summary and `report`'s refusal line.
pub fn problem_lines(a: &Assert) -> Vec<String> {
    stderr(a)
        .lines()
        .filter(|l| !l.starts_with("check: ") && !l.starts_with("error: no report for "))
        .map(str::to_string)
        .collect()
}

/// A file tree as relative path → `None` for a folder, `Some(bytes)` for a file.
pub type Tree = std::collections::BTreeMap<PathBuf, Option<Vec<u8>>>;

/// Every folder and file below `root` with its bytes.
pub fn tree(root: &Path) -> Tree {
    fn walk(base: &Path, dir: &Path, out: &mut Tree) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(base).unwrap().to_path_buf();
            if p.is_dir() {
                out.insert(rel, None);
                walk(base, &p, out);
            } else {
                out.insert(rel, Some(fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Tree::new();
    walk(root, root, &mut out);
    out
}

/// `../shared/einvoice`: the official validation artefacts and validate.py.
pub fn einvoice_artefacts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/einvoice")
}

/// Validates CII invoices against the CII XSD, the EN 16931 schematron and
/// the XRechnung schematron with `validate.py`: its exit code (0 valid) and
/// what it printed. The validator's Python environment is required, not
/// optional (`tests/setup/einvoice.sh`).
pub fn validate_invoices(files: &[PathBuf]) -> (i32, String) {
    require("einvoice");
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/einvoice-venv/bin/python");
    let out = std::process::Command::new(python)
        .arg(einvoice_artefacts().join("validate.py"))
        .arg(einvoice_artefacts())
        .args(files)
        .output()
        .expect("run validate.py");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}
