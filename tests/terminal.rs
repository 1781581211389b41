//! Human output in a real terminal: each daily command runs inside a tmux
//! pane 80 and 120 columns wide, on a copy of the demo ledger, and the
//! screen is read back. No line may be wider than the pane (tmux marks a
//! line the terminal wrapped; `capture-pane -J` joins it again, so the
//! joined screen must have no line wider than the pane and as many lines as
//! the plain one), and the figures that matter must be on the screen. The
//! figures expected are taken from the same command's JSON output, never
//! written here by hand.
//!
//! tmux is required: without it these tests fail (`tests/setup/tmux.sh`
//! installs it, run by `.ci/run` and by the first test that needs it).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

use common::{TODAY, bin, demo_copy, require, run_with, stdout};

/// "Now" for the ticket commands, as in the README's tour.
const NOW: &str = "2026-11-27T10:00:00+01:00";

/// The widths every command is tried at.
const WIDTHS: [usize; 2] = [80, 120];

/// One tmux server of its own, on a socket in a folder of its own (so that
/// nothing is left behind), killed when dropped.
struct Tmux {
    dir: TempDir,
}

impl Tmux {
    fn new() -> Tmux {
        // Installs tmux when missing (tests/setup/tmux.sh), or fails saying why.
        require("tmux");
        Tmux { dir: TempDir::new().unwrap() }
    }

    fn socket(&self) -> String {
        self.dir.path().join("tmux.sock").display().to_string()
    }

    fn command(&self) -> Command {
        let mut c = Command::new("tmux");
        // -u and a UTF-8 locale: box drawing, ⚠ and … come back as written.
        c.args(["-u", "-f", "/dev/null", "-S", &self.socket()]).env("LC_ALL", "C.UTF-8");
        c
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        let out = self.command().args(args).stdin(Stdio::null()).output().unwrap_or_else(|e| {
            panic!("tmux is required for the terminal tests (tests/setup/tmux.sh installs it): {e}")
        });
        assert!(out.status.success(), "tmux {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.command().arg("kill-server").stdin(Stdio::null()).stderr(Stdio::null()).status();
    }
}

/// What a command left on the screen.
struct Screen {
    width: usize,
    /// The pane's lines as the terminal shows them.
    plain: Vec<String>,
    /// The same with lines the terminal wrapped joined again.
    joined: Vec<String>,
}

impl Screen {
    /// The whole screen as one line, runs of spaces made one: a figure or
    /// sentence that the program wrapped onto two lines is found whole.
    fn flat(&self) -> String {
        self.plain.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn text(&self) -> String {
        self.plain.join("\n")
    }

    /// Nothing wrapped by the terminal, nothing wider than the pane.
    fn assert_fits(&self, what: &str) {
        let screen = self.text();
        for line in &self.joined {
            let w = unicode_width::UnicodeWidthStr::width(line.trim_end());
            assert!(
                w <= self.width,
                "{what}: a line of {w} columns in a {}-column terminal:\n{line}\n\n{screen}",
                self.width
            );
        }
        assert_eq!(self.joined.len(), self.plain.len(), "{what}: the terminal wrapped a line:\n{screen}");
    }

    /// The line holding `needle` (first), for checks within a table row.
    fn line_with(&self, needle: &str) -> &str {
        self.plain
            .iter()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?}:\n{}", self.text()))
    }
}

/// The environment of a run: nothing from the test's own environment (no
/// COLUMNS, no SUPPORTCTL_LEDGER, no NO_COLOR) but these, and `env`.
fn variables(home: &Path, env: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut vars: Vec<(String, String)> = vec![
        ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
        ("HOME".into(), home.display().to_string()),
        ("XDG_DATA_HOME".into(), home.join("data").display().to_string()),
        ("XDG_CONFIG_HOME".into(), home.join("config").display().to_string()),
        ("SUPPORTCTL_TODAY".into(), TODAY.into()),
        ("SUPPORTCTL_NOW".into(), NOW.into()),
        ("LC_ALL".into(), "C.UTF-8".into()),
        ("TERM".into(), "screen".into()),
    ];
    vars.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    vars
}

/// `env -i K=V … ` for a shell line.
fn env_prefix(vars: &[(String, String)]) -> String {
    let mut line = String::from("env -i");
    for (k, v) in vars {
        line.push_str(&format!(" {k}={}", quote(v)));
    }
    line
}

/// Runs `supportctl --ledger LEDGER ARGS` in a `width`-column tmux pane with
/// `env` added (isolated like every test: no ledger from the environment,
/// today and now pinned, an empty home) and reads the screen back.
fn screen(ledger: &Path, width: usize, args: &[&str], env: &[(&str, &str)]) -> Screen {
    let home = TempDir::new().unwrap();
    let mut line = env_prefix(&variables(home.path(), env));
    line.push_str(&format!(
        " {} --ledger {}",
        quote(&bin().display().to_string()),
        quote(&ledger.display().to_string())
    ));
    for a in args {
        line.push_str(&format!(" {}", quote(a)));
    }
    in_pane(width, &line, home.path())
}

/// Runs the shell line `line` in a fresh tmux pane `width` columns wide
/// and reads the screen back once it is done (`scratch` holds its script).
fn in_pane(width: usize, line: &str, scratch: &Path) -> Screen {
    let tmux = Tmux::new();
    let script = scratch.join("run.sh");
    let done = "done";
    let tmux_again = format!("tmux -u -f /dev/null -S {}", quote(&tmux.socket()));
    std::fs::write(&script, format!("{line}\n{tmux_again} wait-for -S {done}\nexec sleep 600\n")).unwrap();
    let (w, h) = (width.to_string(), "100".to_string());
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        &w,
        "-y",
        &h,
        &format!("sh {}", quote(&script.display().to_string())),
    ]);
    wait_for(&tmux, done);
    let capture = |join: bool| -> Vec<String> {
        let mut args = vec!["capture-pane", "-p", "-t", "t", "-S", "-", "-E", "-"];
        if join {
            args.push("-J");
        }
        let out = String::from_utf8(tmux.run(&args).stdout).expect("the screen is UTF-8");
        let mut lines: Vec<String> = out.lines().map(|l| l.trim_end().to_string()).collect();
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        lines
    };
    Screen { width, plain: capture(false), joined: capture(true) }
}

/// Waits (at most 60 s) until the script in the pane says it is done.
fn wait_for(tmux: &Tmux, channel: &str) {
    let mut child = tmux.command().args(["wait-for", channel]).stdin(Stdio::null()).spawn().expect("tmux wait-for");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "tmux wait-for failed");
            return;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the command in the tmux pane did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The JSON a command prints (`--format json`), run outside the terminal.
fn json(ledger: &Path, args: &[&str]) -> Value {
    let ledger = ledger.display().to_string();
    let mut all = vec!["--ledger", &ledger];
    all.extend(args);
    all.extend(["--format", "json"]);
    let elsewhere = TempDir::new().unwrap();
    let a = run_with(elsewhere.path(), &all, |c, _| {
        c.env("SUPPORTCTL_NOW", NOW);
    })
    .success();
    serde_json::from_str(&stdout(&a)).expect("valid JSON")
}

/// `"21589.53"` as the tables show it: `21,589.53`.
fn grouped(amount: &str) -> String {
    let (int, frac) = amount.split_once('.').expect("two decimals");
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out}.{frac}")
}

/// Minutes as `h:mm`.
fn hm(minutes: &Value) -> String {
    let m = minutes.as_u64().expect("minutes");
    format!("{}:{:02}", m / 60, m % 60)
}

fn ledger() -> (TempDir, PathBuf) {
    let dir = demo_copy();
    let path = dir.path().to_path_buf();
    (dir, path)
}

#[test]
fn report_fits_and_shows_the_totals_and_the_unapproved_overage() {
    let (_dir, l) = ledger();
    for month in ["2026-10", "2026-11"] {
        let data = json(&l, &["report", "--month", month]);
        // Unapproved overage that was not written off when a month was closed.
        let unapproved: Vec<&Value> = data["contracts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["unapproved_overage_minutes"] != c["written_off_minutes"])
            .collect();
        assert_eq!(unapproved.is_empty(), month == "2026-10", "only November has overage still to be agreed");
        for width in WIDTHS {
            let s = screen(&l, width, &["report", "--month", month], &[]);
            s.assert_fits(&format!("report --month {month} at {width}"));
            let flat = s.flat();
            let total = s.line_with("Total ");
            for key in ["net", "gross"] {
                let figure = grouped(data["totals"][key].as_str().unwrap());
                assert!(total.contains(&figure), "{width}: total {key} {figure} in {total}");
            }
            // Every total is on the screen: in the totals row or the line below.
            for key in ["fee", "overage_amount", "vat"] {
                let figure = grouped(data["totals"][key].as_str().unwrap());
                assert!(flat.contains(&figure), "{width}: total {key} {figure}:\n{}", s.text());
            }
            for c in &unapproved {
                let id = c["contract"].as_str().unwrap();
                let row = s.line_with(&format!("│ {id} "));
                assert!(row.contains('⚠'), "{width}: {id} is marked:\n{row}");
                let (over, open) = (hm(&c["overage_minutes"]), hm(&c["unapproved_overage_minutes"]));
                let warning =
                    format!("warning: {id}: {open} of {over} overage in {month} is not approved and not invoiced");
                assert!(flat.contains(&warning), "{width}: {warning}\n{}", s.text());
            }
        }
    }
}

#[test]
fn status_fits_and_shows_every_contracts_usage() {
    let (_dir, l) = ledger();
    let data = json(&l, &["report", "--month", "2026-11"]);
    for width in WIDTHS {
        let s = screen(&l, width, &["status"], &[]);
        s.assert_fits(&format!("status at {width}"));
        for c in data["contracts"].as_array().unwrap() {
            let id = c["contract"].as_str().unwrap();
            let line = s.line_with(&format!("{id} "));
            let figures = format!("{} / {}", hm(&c["used_minutes"]), hm(&c["quota_minutes"]));
            assert!(line.contains(&figures), "{width}: {figures} in {line}");
            if c["unapproved_overage_minutes"] != 0 {
                assert!(line.contains('⚠') && line.contains(&hm(&c["unapproved_overage_minutes"])), "{line}");
            }
        }
    }
}

#[test]
fn contracts_fit_and_show_each_fee() {
    let (_dir, l) = ledger();
    for month in ["2026-10", "2026-11"] {
        let data = json(&l, &["report", "--month", month]);
        for width in WIDTHS {
            let s = screen(&l, width, &["contracts", "--month", month], &[]);
            s.assert_fits(&format!("contracts --month {month} at {width}"));
            for c in data["contracts"].as_array().unwrap() {
                let id = c["contract"].as_str().unwrap();
                let row = s.line_with(&format!("│ {id} "));
                assert!(row.contains(&grouped(c["fee"].as_str().unwrap())), "{width}: the fee of {id}:\n{row}");
            }
        }
    }
}

#[test]
fn sla_fits_and_lists_every_breach() {
    let (_dir, l) = ledger();
    let data = json(&l, &["sla", "--month", "2026-11"]);
    let breached: Vec<&Value> =
        data["tickets"].as_array().unwrap().iter().filter(|t| t["response_met"] == false).collect();
    assert!(!breached.is_empty(), "the demo has a breach in 2026-11");
    for width in WIDTHS {
        let s = screen(&l, width, &["sla", "--month", "2026-11"], &[]);
        s.assert_fits(&format!("sla at {width}"));
        for c in data["contracts"].as_array().unwrap() {
            let id = c["contract"].as_str().unwrap();
            let row = s.line_with(&format!("│ {id} "));
            let median = c["median_response_minutes"].as_u64().map_or("–".to_string(), |m| hm(&m.into()));
            assert!(row.contains(&median), "{width}: median of {id} {median}:\n{row}");
        }
        let flat = s.flat();
        for t in &breached {
            let line = format!("⚠ {} ({})", t["ticket"].as_str().unwrap(), t["contract"].as_str().unwrap());
            assert!(flat.contains(&line), "{width}: {line}:\n{}", s.text());
        }
    }
}

#[test]
fn tickets_fit_open_and_by_month() {
    let (_dir, l) = ledger();
    let data = json(&l, &["sla", "--month", "2026-11"]);
    let tickets = data["tickets"].as_array().unwrap();
    for width in WIDTHS {
        let s = screen(&l, width, &["tickets", "--month", "2026-11"], &[]);
        s.assert_fits(&format!("tickets --month at {width}"));
        for t in tickets {
            let key = t["ticket"].as_str().unwrap();
            let row = s.line_with(&format!("│ {key} "));
            assert!(row.contains(t["contract"].as_str().unwrap()), "{width}: {row}");
            if t["response_met"] == false {
                assert!(row.contains('⚠'), "{width}: the late response of {key} is marked:\n{row}");
            }
        }
        let s = screen(&l, width, &["tickets", "--open"], &[]);
        s.assert_fits(&format!("tickets --open at {width}"));
        for t in tickets.iter().filter(|t| t["state"] == "open") {
            s.line_with(&format!("│ {} ", t["ticket"].as_str().unwrap()));
        }
    }
}

#[test]
fn check_fits() {
    let (_dir, l) = ledger();
    for width in WIDTHS {
        let s = screen(&l, width, &["check"], &[]);
        s.assert_fits(&format!("check at {width}"));
        assert!(s.text().starts_with("ok: 6 contracts"), "{}", s.text());
    }
}

#[test]
fn columns_wins_over_the_pane_and_wide_gives_every_column() {
    let (_dir, l) = ledger();
    // COLUMNS=80 in a 120-column pane: the 80-column layout.
    let s = screen(&l, 120, &["report", "--month", "2026-10"], &[("COLUMNS", "80")]);
    s.assert_fits("report with COLUMNS=80");
    let widest = s.joined.iter().map(|l| unicode_width::UnicodeWidthStr::width(l.as_str())).max().unwrap();
    assert!(widest <= 80, "COLUMNS=80 is respected: a line of {widest}\n{}", s.text());
    // --wide: every column, and the terminal wraps the lines.
    let s = screen(&l, 120, &["--wide", "report", "--month", "2026-10"], &[]);
    assert!(s.joined.len() < s.plain.len(), "--wide prints wider than the pane:\n{}", s.text());
    let header = s.joined.iter().find(|l| l.contains("Contract")).unwrap();
    for column in ["Customer", "Tier", "Forfeited", "Fee", "Overage amount", "VAT"] {
        assert!(header.contains(column), "--wide shows {column}: {header}");
    }
    assert!(s.flat().contains("21,589.53 EUR"), "the currency in each cell:\n{}", s.text());
}

#[test]
fn messages_of_the_writing_commands_fit() {
    for width in WIDTHS {
        // Each on a fresh copy, as the README's tour runs them.
        let (_dir, l) = ledger();
        let s = screen(
            &l,
            width,
            &["log", "brandt-logistik", "45m", "Fixed the page tree macro", "--ticket", "SD-1432"],
            &[],
        );
        s.assert_fits(&format!("log at {width}"));
        let flat = s.flat();
        assert!(flat.contains("logged 0:45 for brandt-logistik on 2026-11-27 (SD-1432)"), "{}", s.text());
        assert!(flat.contains("warning: brandt-logistik is 2:25 over its quota in 2026-11"), "{}", s.text());
        let s = screen(&l, width, &["approve", "brandt-logistik", "2:25", "--month", "2026-11", "--ref", "mail"], &[]);
        s.assert_fits(&format!("approve at {width}"));
        assert!(s.flat().contains("overage approved 2:25, unapproved 0:00"), "{}", s.text());
        let s = screen(
            &l,
            width,
            &["ticket", "open", "SD-1275", "--contract", "alpen-kliniken", "--at", "2026-11-27 09:40"],
            &[],
        );
        s.assert_fits(&format!("ticket open at {width}"));
        assert!(s.flat().contains("first response due by 2026-11-29T09:40:00+01:00"), "{}", s.text());
    }
}

#[test]
fn problems_fit() {
    let (_dir, l) = ledger();
    common::append(
        &l,
        "timelog/2026-11.csv",
        "2026-11-31,brandt-logistik,1,5,SD-1,support,2,desk,anna,\"A note long enough to need more than one line of an 80-column terminal\",\n",
    );
    for width in WIDTHS {
        let s = screen(&l, width, &["check"], &[]);
        s.assert_fits(&format!("check with problems at {width}"));
        assert!(s.flat().contains("timelog/2026-11.csv:"), "{}", s.text());
        let s = screen(&l, width, &["report"], &[]);
        s.assert_fits(&format!("a refused report at {width}"));
        assert!(s.flat().contains("error: no report for 2026-11"), "{}", s.text());
    }
}

/// The hex digits of a line that is exactly `sha256:<64 hex digits>`.
fn sha_line(line: &str) -> Option<&str> {
    line.strip_prefix("sha256:").filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The README's tour, session by session: each `$ ` line runs in an
/// 80-column pane (in the folder the lines before it in its block left the
/// session in, starting from the repository with the demo ledger at
/// `examples/demo`; `supportctl` on the PATH; `/tmp/` a folder of the
/// test's own; the clock pinned as the prose before the block says), and
/// the screen must be exactly the lines the README shows below it.
#[test]
fn the_readme_tour_is_what_an_80_column_terminal_shows() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let tour = readme.split("\n## A whirlwind tour\n").nth(1).expect("the README has a tour");
    let tour = tour.split("\n## ").next().unwrap();
    let parts: Vec<&str> = tour.split("```console\n").collect();
    // Each block with the prose before it (after the block before).
    let blocks: Vec<(&str, &str)> =
        parts.windows(2).map(|w| (w[0].rsplit("\n```").next().unwrap(), w[1].split("\n```").next().unwrap())).collect();
    assert!(blocks.len() >= 3, "the tour's console blocks");

    let work = TempDir::new().unwrap();
    let bins = work.path().join("bin");
    std::fs::create_dir_all(&bins).unwrap();
    std::os::unix::fs::symlink(bin(), bins.join("supportctl")).unwrap();
    let repo = work.path().join("repo");
    let demo = demo_copy();
    std::fs::create_dir_all(repo.join("examples")).unwrap();
    assert!(Command::new("cp").arg("-r").arg(demo.path()).arg(repo.join("examples/demo")).status().unwrap().success());
    // The tour's scratch copies (`/tmp/…`), somewhere of this test's own.
    let scratch = work.path().join("tmp");
    std::fs::create_dir_all(&scratch).unwrap();
    let state = work.path().join("cwd");

    let mut ran = 0;
    let mut shas: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for (prose, block) in blocks {
        // A session starts in the repository, with the clock the prose
        // before it pins (`SUPPORTCTL_TODAY=…`, `SUPPORTCTL_NOW=…`).
        std::fs::write(&state, repo.display().to_string()).unwrap();
        let pinned = |name: &str| -> Option<String> {
            let at = prose.find(&format!("`{name}="))? + name.len() + 2;
            Some(prose[at..].split('`').next()?.to_string())
        };
        let (today, now) = (pinned("SUPPORTCTL_TODAY"), pinned("SUPPORTCTL_NOW"));
        let mut steps: Vec<(String, Vec<String>)> = Vec::new();
        for line in block.lines() {
            match line.strip_prefix("$ ") {
                Some(cmd) => steps.push((cmd.to_string(), Vec::new())),
                None => steps.last_mut().expect("a block starts with a command").1.push(line.to_string()),
            }
        }
        for (cmd, mut expected) in steps {
            while expected.last().is_some_and(|l| l.is_empty()) {
                expected.pop();
            }
            let cwd = std::fs::read_to_string(&state).unwrap().trim_end_matches('\n').to_string();
            let home = TempDir::new().unwrap();
            let path = format!("{}:{}", bins.display(), std::env::var("PATH").unwrap_or_default());
            let mut env = vec![("PATH", path.as_str())];
            env.extend(today.as_deref().map(|t| ("SUPPORTCTL_TODAY", t)));
            env.extend(now.as_deref().map(|n| ("SUPPORTCTL_NOW", n)));
            let vars = variables(home.path(), &env);
            let cmd_here = cmd.replace("/tmp/", &format!("{}/", scratch.display()));
            let line = format!(
                "{} sh -c 'cd \"$1\" && eval \"$2\"; pwd > \"$3\"' sh {} {} {}",
                env_prefix(&vars),
                quote(&cwd),
                quote(&cmd_here),
                quote(&state.display().to_string())
            );
            let s = in_pane(80, &line, home.path());
            s.assert_fits(&cmd);
            // A closing's SHA-256 covers row ids that `log` and `approve`
            // draw at random: the README's value stands for whatever this
            // run gives, the same one wherever the README repeats it.
            let mut shown = s.plain.clone();
            for (got, want) in shown.iter_mut().zip(&expected) {
                if let (Some(g), Some(w)) = (sha_line(got), sha_line(want)) {
                    let bound = shas.entry(w.to_string()).or_insert_with(|| g.to_string());
                    assert_eq!(bound, g, "$ {cmd}\nthe README repeats {w}, the terminal shows another SHA-256");
                    *got = want.clone();
                }
            }
            assert_eq!(
                shown,
                expected,
                "$ {cmd}\nthe README shows:\n{}\n\nthe terminal shows:\n{}",
                expected.join("\n"),
                s.text()
            );
            ran += 1;
        }
    }
    assert!(ran >= 9, "{ran} commands of the tour ran");
}
