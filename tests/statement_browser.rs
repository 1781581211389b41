//! The HTML statement in a real browser (SPEC §10): Debian's headless
//! Chromium renders it, and the checks read the rendered page: the chart's
//! bars have heights in proportion to the months' used time, every entry row
//! is shown, rows and the chart are kept whole across pages, and printing to
//! PDF gives A4 pages with the entry table's header on each of them
//! (poppler's `pdfinfo` and `pdftotext`). Chromium and poppler-utils come
//! from `tests/setup/chromium.sh`; without them these tests fail.
//!
//! Geometry is read by a measuring script added to a copy of the page (the
//! statement itself has none): it writes what the layout engine reports
//! (`getBoundingClientRect`, `getComputedStyle`) into the document, which
//! `--dump-dom` prints once the page has loaded.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde::Deserialize;

/// Runs headless Chromium with `args` on a fresh profile; its stdout. Fails
/// the test when Chromium cannot start or takes longer than two minutes.
fn chromium(args: &[&str]) -> String {
    require("chromium");
    let profile = tempfile::tempdir().unwrap();
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--mute-audio",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(out.reopen().unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("chromium cannot be started: {e}"));
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium {args:?} did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "chromium {args:?}: {status}");
    std::fs::read_to_string(out.path()).unwrap()
}

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// What the measuring script reports.
#[derive(Debug, Deserialize)]
struct Measured {
    bars: Vec<MeasuredBar>,
    rows: usize,
    shown_rows: usize,
    row_break: String,
    row_page_break: String,
    chart_break: String,
    header_group: String,
    scripts: usize,
}

#[derive(Debug, Deserialize)]
struct MeasuredBar {
    month: String,
    used: u64,
    height: f64,
}

const MEASURE: &str = r#"<script>
(function () {
  var bars = Array.prototype.map.call(document.querySelectorAll('svg.plot g.bar'), function (g) {
    var h = 0;
    g.querySelectorAll('rect.seg').forEach(function (r) { h += r.getBoundingClientRect().height; });
    return { month: g.getAttribute('data-month'), used: +g.getAttribute('data-used-minutes'), height: h };
  });
  var rows = document.querySelectorAll('table.entries tbody tr.entry');
  var shown = Array.prototype.filter.call(rows, function (r) {
    var b = r.getBoundingClientRect();
    return b.width > 0 && b.height > 0 && getComputedStyle(r).visibility === 'visible';
  }).length;
  var first = rows.length ? getComputedStyle(rows[0]) : null;
  var thead = document.querySelector('table.entries thead');
  var out = {
    bars: bars, rows: rows.length, shown_rows: shown,
    row_break: first ? first.getPropertyValue('break-inside') : '',
    row_page_break: first ? first.getPropertyValue('page-break-inside') : '',
    chart_break: getComputedStyle(document.querySelector('figure.chart')).getPropertyValue('break-inside'),
    header_group: thead ? getComputedStyle(thead).display : '',
    scripts: document.scripts.length - 1
  };
  var pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"#;

/// Renders `html` in Chromium with the measuring script added; what it measured.
fn measure(html: &str) -> Measured {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("measured.html");
    let with_script = html.replacen("</body>", &format!("{MEASURE}</body>"), 1);
    assert_ne!(with_script, html, "the page has a </body>");
    std::fs::write(&page, with_script).unwrap();
    let dom = chromium(&["--window-size=1000,1400", "--dump-dom", &url(&page)]);
    let start = dom.find("<pre id=\"measured\">").expect("the measuring script ran") + "<pre id=\"measured\">".len();
    let json = &dom[start..start + dom[start..].find("</pre>").unwrap()];
    let json = json.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

fn statement_html(ledger: &Path, contract: &str, month: &str) -> String {
    stdout(&run_on(ledger, &["statement", "--contract", contract, "--month", month]).success())
}

/// Prints `html` to PDF; the PDF's path (in `dir`).
fn print_pdf(html: &str, dir: &Path) -> PathBuf {
    let page = dir.join("statement.html");
    std::fs::write(&page, html).unwrap();
    let pdf = dir.join("statement.pdf");
    chromium(&["--no-pdf-header-footer", &format!("--print-to-pdf={}", pdf.display()), &url(&page)]);
    assert!(pdf.is_file(), "no PDF written");
    pdf
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(out.status.success(), "{name} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// `pdfinfo`: the number of pages and the page size line.
fn pdf_pages(pdf: &Path) -> (usize, String) {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("no {name} in {info}"))
            .trim()
            .to_string()
    };
    (field("Pages:").parse().unwrap(), field("Page size:"))
}

/// `pdfinfo`'s page size is A4 portrait: 595 × 842 pt (210 × 297 mm), to a point.
fn assert_a4(size: &str) {
    let (w, rest) = size.split_once(" x ").unwrap_or_else(|| panic!("{size}"));
    let h = rest.split_whitespace().next().unwrap();
    let (w, h): (f64, f64) = (w.parse().unwrap(), h.parse().unwrap());
    assert!((w - 595.0).abs() < 1.0 && (h - 842.0).abs() < 1.0, "{size}");
    assert!(size.ends_with("(A4)"), "{size}");
}

/// The text of page `n` (1-based).
fn page_text(pdf: &Path, n: usize) -> String {
    let n = n.to_string();
    tool("pdftotext", &["-layout", "-f", &n, "-l", &n, pdf.to_str().unwrap(), "-"])
}

/// Bars within a pixel of `used × (tallest bar's pixels per minute)`.
fn assert_proportional(bars: &[MeasuredBar]) {
    let tallest = bars.iter().max_by_key(|b| b.used).unwrap();
    assert!(tallest.used > 0 && tallest.height > 20.0, "{bars:?}");
    let per_minute = tallest.height / tallest.used as f64;
    for b in bars {
        let want = b.used as f64 * per_minute;
        assert!((b.height - want).abs() <= 1.0, "{}: {} px for {} min, want {want:.1} px", b.month, b.height, b.used);
    }
}

#[test]
fn the_demo_statements_bars_are_in_proportion_and_every_row_is_shown() {
    let demo = demo_copy();
    // December: no entries yet, twelve bars; the others with entries.
    for (contract, month) in
        [("hansa-versicherung", "2026-12"), ("nordwind-energie", "2026-11"), ("brandt-logistik", "2026-10")]
    {
        let html = statement_html(demo.path(), contract, month);
        let m = measure(&html);
        let csv = stdout(
            &run_on(demo.path(), &["statement", "--contract", contract, "--month", month, "--format", "csv"]).success(),
        );
        let entries = csv.lines().count() - 1;
        assert_eq!((m.rows, m.shown_rows), (entries, entries), "{contract}: every entry row is rendered");
        assert_eq!(m.scripts, 0, "the statement brings no script of its own");
        if entries > 0 {
            assert_eq!(m.row_break, "avoid", "rows are not cut across pages");
            assert_eq!(m.row_page_break, "avoid");
        }
        assert_eq!(m.chart_break, "avoid", "the chart is never split");
        if entries > 0 {
            assert_eq!(m.header_group, "table-header-group", "the header repeats on each page");
        }
        assert_proportional(&m.bars);
        assert!(m.bars.iter().any(|b| b.used > 0 && b.used != m.bars[0].used), "{contract}: bars of different heights");
    }
}

#[test]
fn bars_with_overage_and_empty_months_are_in_proportion_too() {
    // Twelve months: nothing, a little, exactly the quota, approved and
    // unapproved overage.
    let mut log = String::from("date,contract,minutes,kind\n");
    for (m, minutes) in [
        (1, 0),
        (2, 30),
        (3, 600),
        (4, 1200),
        (5, 1500),
        (6, 1999),
        (7, 1),
        (8, 1201),
        (9, 900),
        (10, 2400),
        (11, 45),
        (12, 1210),
    ] {
        if minutes > 0 {
            log.push_str(&format!("2026-{m:02}-10,acme,{minutes},support\n"));
        }
    }
    let l = small_ledger(&[
        ("timelog/all.csv", log.as_str()),
        (
            "approvals.csv",
            "date,contract,month,minutes,reference\n2026-05-20,acme,2026-05,100,SD-1\n2026-10-20,acme,2026-10,1200,SD-2\n",
        ),
    ]);
    let html = statement_html(l.path(), "acme", "2026-12");
    let m = measure(&html);
    assert_eq!(m.bars.len(), 12);
    assert_eq!(
        m.bars.iter().map(|b| b.used).collect::<Vec<_>>(),
        [0, 30, 600, 1200, 1500, 1999, 1, 1201, 900, 2400, 45, 1210]
    );
    assert_proportional(&m.bars);
    assert_eq!(m.bars[0].height, 0.0);
}

#[test]
fn printing_gives_a4_pages() {
    let demo = demo_copy();
    let dir = tempfile::tempdir().unwrap();
    let pdf = print_pdf(&statement_html(demo.path(), "hansa-versicherung", "2026-10"), dir.path());
    let (pages, size) = pdf_pages(&pdf);
    assert_a4(&size);
    assert!(pages >= 1);
    assert!(page_text(&pdf, 1).contains("Statement of work"));
}

#[test]
fn a_long_month_prints_on_several_pages_with_the_header_on_each_and_no_row_cut() {
    // 300 entries, each note long enough to wrap, with a start and an end word.
    let mut log = String::from("date,contract,minutes,ticket,kind,level,channel,engineer,note\n");
    for i in 0..300 {
        log.push_str(&format!(
            "2026-11-{:02},acme,{},SD-{},support,2,desk,anna,\"begin{i:03} checked the space permissions and the group memberships of the department once more end{i:03}\"\n",
            i % 28 + 1,
            i % 90 + 5,
            1000 + i / 3
        ));
    }
    let l = small_ledger(&[("timelog/2026-11.csv", log.as_str())]);
    let html = statement_html(l.path(), "acme", "2026-11");
    let m = measure(&html);
    assert_eq!((m.rows, m.shown_rows), (300, 300));

    let dir = tempfile::tempdir().unwrap();
    let pdf = print_pdf(&html, dir.path());
    let (pages, size) = pdf_pages(&pdf);
    assert_a4(&size);
    assert!(pages >= 4, "300 entries on {pages} pages");
    let texts: Vec<String> = (1..=pages).map(|p| page_text(&pdf, p)).collect();
    let mut seen = 0;
    for (p, text) in texts.iter().enumerate() {
        let here = (0..300).filter(|i| text.contains(&format!("begin{i:03}"))).count();
        if here == 0 {
            continue;
        }
        seen += here;
        // The entry table's header on every page that holds entries.
        let header = text.lines().find(|l| l.contains("Date") && l.contains("Ticket") && l.contains("Engineer"));
        assert!(
            header.is_some_and(|h| h.contains("Worked") && h.contains("Billed")),
            "page {}: no header\n{text}",
            p + 1
        );
        // Each entry whole on one page: its first and last word together.
        for i in 0..300 {
            let (b, e) = (format!("begin{i:03}"), format!("end{i:03}"));
            assert_eq!(text.contains(&b), text.contains(&e), "entry {i} is cut at page {}", p + 1);
        }
    }
    assert_eq!(seen, 300, "every entry printed once");
}

#[test]
fn the_screenshot_script_renders_the_demo_statement() {
    require("chromium");
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("shot.png");
    let out = Command::new("bash")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/screenshot.sh"))
        .arg(&png)
        .env("SUPPORTCTL", bin())
        .env_remove("SUPPORTCTL_LEDGER")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let (w, h) =
        (u32::from_be_bytes(bytes[16..20].try_into().unwrap()), u32::from_be_bytes(bytes[20..24].try_into().unwrap()));
    assert!(w >= 700 && h >= 700, "{w}x{h}");
    // The committed screenshot is one that script made (same size).
    let committed = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/statement.png")).unwrap();
    assert_eq!(&committed[16..24], &bytes[16..24], "examples/statement.png has the script's size");
}
