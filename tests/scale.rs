//! Nothing quadratic is left in load, check (with its report) and SVG export: doubling a
//! design at most about doubles the work. Speed itself is measured in `benches/scale.rs`; this
//! only compares a design with its double, best of three runs each, so a noisy machine cannot
//! fake a square law (which would show as a ratio near 4).

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use archsketch::export::{self, ExportOptions};
use archsketch::model::{Design, sample};
use archsketch::{io, report, rules};

/// Load, then check with the text report, as `check` does them.
fn check(text: &str) -> usize {
    let design = io::load_str(text, "scale.ron").expect("the sample loads");
    let findings = rules::check(&design);
    let checked = [report::Checked {
        team: None,
        path: "scale.ron".into(),
        file: "scale.ron".into(),
        source: report::Source::design(text.to_string()),
        design,
        findings,
    }];
    report::text(&checked).len()
}

/// Load, then SVG export, as `export -o x.svg` does them.
fn svg(text: &str) -> usize {
    let design = io::load_str(text, "scale.ron").expect("the sample loads");
    export::to_svg(&design, &ExportOptions::default()).len()
}

/// How much longer `check` and `export` take on `large` than on `small`.
fn ratios(small: Design, large: Design) -> [f64; 2] {
    let (small, large) = (io::to_ron_string(&small), io::to_ron_string(&large));
    [check as fn(&str) -> usize, svg]
        .map(|work| common::doubling_ratio(&|| work(&small), &|| work(&large), BOUND))
}

/// Twice the design may take at most this many times as long: linear work takes about 2.
const BOUND: f64 = 3.0;

#[test]
fn doubling_a_design_at_most_about_doubles_the_work() {
    let cases = [
        (
            "pipelines",
            ratios(
                sample::pipelines(2_400, 200.0),
                sample::pipelines(4_800, 200.0),
            ),
        ),
        (
            "fan-out",
            // Both sizes on one side of the size where checking moves to two threads
            // (2,000 nodes), so the ratio compares like with like.
            ratios(sample::fan_out(900, 4_500), sample::fan_out(1_800, 9_000)),
        ),
        ("nested", ratios(sample::nested(900), sample::nested(1_800))),
    ];
    for (name, [check, svg]) in cases {
        eprintln!("{name}: twice the design: check {check:.2}x, export {svg:.2}x");
        assert!(
            check < BOUND,
            "{name}: twice the design took {check:.2}x to check"
        );
        assert!(
            svg < BOUND,
            "{name}: twice the design took {svg:.2}x to export"
        );
    }
}
