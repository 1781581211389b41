//! The help reads like a product: every command, however many there are
//! when this runs (the clap definition is walked, not listed here), has
//! examples in its help, each example runs on a fresh copy of the demo
//! ledger as a user would type it, and nothing a user reads (help, the man
//! page, the files `init` writes, messages in the code) points at internal
//! documents.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use supportctl::cli::Cli;

use common::{TODAY, bin, demo_copy, isolate};

/// "Now" for ticket examples, as in the README's tour.
const NOW: &str = "2026-11-27T10:00:00+01:00";

/// Every command below the root, with the words that call it
/// (`["ticket", "open"]`), the root first. clap's own `help` is left out.
fn commands() -> Vec<(Vec<String>, clap::Command)> {
    fn walk(path: Vec<String>, cmd: &clap::Command, out: &mut Vec<(Vec<String>, clap::Command)>) {
        out.push((path.clone(), cmd.clone()));
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut p = path.clone();
            p.push(sub.get_name().to_string());
            walk(p, sub, out);
        }
    }
    let mut out = Vec::new();
    walk(Vec::new(), &Cli::command(), &mut out);
    out
}

fn after_help(cmd: &clap::Command) -> String {
    cmd.get_after_help().map(|h| h.to_string()).unwrap_or_default()
}

/// The example lines of a help text: those that start with `supportctl `.
fn examples(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| l.starts_with("supportctl ")).map(str::to_string).collect()
}

#[test]
fn every_command_has_examples_of_itself() {
    let all = commands();
    assert!(all.len() > 10, "the walk finds the commands: {}", all.len());
    for (path, cmd) in &all {
        let name = format!("supportctl {}", path.join(" "));
        let text = after_help(cmd);
        let examples = examples(&text);
        assert!(!examples.is_empty(), "`{name} --help` has no example (after_help):\n{text}");
        for e in &examples {
            assert!(e.starts_with(name.trim_end()), "`{name} --help` shows an example of another command: {e}");
        }
        // Shown unwrapped in an 80-column terminal, so that it can be copied.
        for line in text.lines() {
            let w = unicode_width::UnicodeWidthStr::width(line);
            assert!(w <= 80, "`{name} --help`: a line of {w} columns wraps at 80:\n{line}");
        }
        let shown = cmd.clone().term_width(80).render_long_help().to_string();
        for e in &examples {
            assert!(shown.lines().any(|l| l.trim() == e), "`{name} --help` at 80 columns breaks:\n{e}\n\n{shown}");
        }
    }
}

/// A folder holding `supportctl`, the binary under test, for `PATH`.
fn bin_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(bin(), dir.path().join("supportctl")).unwrap();
    dir
}

/// Runs one example line with `sh` inside a fresh copy of the demo ledger,
/// as a user would type it there (`supportctl` on the `PATH`, shell
/// redirections working).
fn run_example(line: &str, bins: &Path) -> std::process::Output {
    let ledger = demo_copy();
    let home = tempfile::tempdir().unwrap();
    let path = format!("{}:{}", bins.display(), std::env::var("PATH").unwrap_or_default());
    let mut cmd = assert_cmd::Command::new("sh");
    isolate(&mut cmd, ledger.path(), home.path());
    cmd.env("PATH", path).env("SUPPORTCTL_NOW", NOW).arg("-c").arg(line);
    // The demo's months up to October are closed and November is not over
    // on TODAY: `close` examples run on the first of December.
    if line.starts_with("supportctl close ") {
        cmd.env("SUPPORTCTL_TODAY", "2026-12-01");
    }
    cmd.output().unwrap()
}

#[test]
fn every_example_runs_on_the_demo_ledger() {
    let bins = bin_dir();
    let mut ran = 0;
    for (path, cmd) in commands() {
        for line in examples(&after_help(&cmd)) {
            let out = run_example(&line, bins.path());
            assert!(
                out.status.success(),
                "`supportctl {} --help` example failed (exit {:?}, today {TODAY}, now {NOW}):\n$ {line}\n{}{}",
                path.join(" "),
                out.status.code(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 20, "{ran} examples ran");
}

/// What a user reads must not point at internal documents.
fn assert_no_internal_references(what: &str, text: &str) {
    for word in ["SPEC", "§"] {
        if let Some(line) = text.lines().find(|l| l.contains(word)) {
            panic!("{what} cites {word:?}:\n{line}");
        }
    }
}

#[test]
fn help_and_man_page_speak_of_the_product() {
    for (path, mut cmd) in commands() {
        let name = format!("supportctl {}", path.join(" "));
        assert_no_internal_references(&format!("`{name} --help`"), &cmd.render_long_help().to_string());
        assert_no_internal_references(&format!("`{name} -h`"), &cmd.render_help().to_string());
    }
    let home = tempfile::tempdir().unwrap();
    let mut man = assert_cmd::Command::new(bin());
    isolate(&mut man, home.path(), home.path());
    let out = man.arg("man").output().unwrap();
    assert!(out.status.success());
    assert_no_internal_references("the man page", &String::from_utf8_lossy(&out.stdout));
}

#[test]
fn the_files_init_writes_explain_themselves() {
    let home = tempfile::tempdir().unwrap();
    let mut init = assert_cmd::Command::new(bin());
    isolate(&mut init, home.path(), home.path());
    let out = init.args(["init", "fresh"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_no_internal_references("init's message", &String::from_utf8_lossy(&out.stdout));
    let mut files = 0;
    for (rel, content) in common::tree(&home.path().join("fresh")) {
        if let Some(bytes) = content {
            assert_no_internal_references(&rel.display().to_string(), &String::from_utf8_lossy(&bytes));
            files += 1;
        }
    }
    assert!(files >= 5, "{files} files written");
    // The settings say what each key does, in comments.
    let settings = fs::read_to_string(home.path().join("fresh/supportctl.toml")).unwrap();
    for key in ["currency", "vat_rate", "min_monthly_fee", "rounding", "timezone", "locale", "[[tier]]"] {
        let line = settings.lines().find(|l| l.starts_with(key)).unwrap_or_else(|| panic!("{key}:\n{settings}"));
        assert!(line.contains('#') || key == "[[tier]]", "{key} is explained: {line}");
    }
}

/// Messages in the code: a string literal (not a comment) citing the spec
/// would reach a user. Comments may cite it for developers.
#[test]
fn no_message_in_the_code_cites_the_spec() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs" || x == "toml") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("src"), &mut files);
    walk(&root.join("contracts"), &mut files);
    assert!(files.len() > 20);
    for f in files {
        let text = fs::read_to_string(&f).unwrap();
        let toml = f.extension().is_some_and(|x| x == "toml");
        for (n, line) in text.lines().enumerate() {
            // In Rust, what follows `//` outside a string is a comment; the
            // embedded TOML templates are read by users whole.
            let code = if toml { line } else { code_part(line) };
            // German law is cited with § too ("§ 4 Nr. 21 UStG"): that is
            // for users, a section of the spec is not.
            let law = code.contains("UStG") || code.contains("BGB") || code.contains("HGB");
            for word in ["SPEC", "§"] {
                if word == "§" && law {
                    continue;
                }
                assert!(!code.contains(word), "{}:{}: a user-facing text cites {word:?}:\n{line}", f.display(), n + 1);
            }
        }
    }
}

/// `line` up to a `//` comment that is not inside a string literal.
fn code_part(line: &str) -> &str {
    let trimmed = line.trim_start();
    // A doc comment on a clap item is help text: those are checked rendered.
    if trimmed.starts_with("//") {
        return "";
    }
    let mut in_string = false;
    let mut escaped = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
    }
    line
}
