//! Nothing quadratic is left in load, check (with its report) and SVG export: doubling a
//! design at most about doubles the work. The work is counted in instructions under callgrind
//! (`common::work`), every thread's, so the two sizes may fall either side of the size where
//! checking moves to two threads; speed itself is measured in `benches/scale.rs`.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use archsketch::export::{self, ExportOptions};
use archsketch::model::sample;
use archsketch::{io, report, rules};
use common::work::{self, Case};

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

fn pipelines(n: usize) -> String {
    io::to_ron_string(&sample::pipelines(n, 200.0))
}

fn fan_out(n: usize) -> String {
    io::to_ron_string(&sample::fan_out(n, 5 * n))
}

fn nested(n: usize) -> String {
    io::to_ron_string(&sample::nested(n))
}

/// Each shape, checked and exported, at the smaller of its two sizes.
const CASES: &[Case] = &[
    Case {
        name: "pipelines: check",
        size: 1_800,
        input: pipelines,
        work: check,
    },
    Case {
        name: "pipelines: export",
        size: 1_800,
        input: pipelines,
        work: svg,
    },
    Case {
        name: "fan-out: check",
        size: 900,
        input: fan_out,
        work: check,
    },
    Case {
        name: "fan-out: export",
        size: 900,
        input: fan_out,
        work: svg,
    },
    Case {
        name: "nested: check",
        size: 900,
        input: nested,
        work: check,
    },
    Case {
        name: "nested: export",
        size: 900,
        input: nested,
        work: svg,
    },
];

/// Twice the design may take at most this many times the instructions: linear work takes
/// about 2, quadratic about 4.
const BOUND: f64 = 2.6;

#[test]
fn doubling_a_design_at_most_about_doubles_the_work() {
    for case in CASES {
        let r = work::doubling_ratio("scale::counted_case", case);
        eprintln!(
            "{}: twice the design took {r:.2}x the instructions",
            case.name
        );
        assert!(
            r < BOUND,
            "{}: twice the design took {r:.2}x the instructions",
            case.name
        );
    }
}

/// The child side of the count: runs the case the parent names (nothing when run by hand).
#[test]
#[ignore = "run by doubling_a_design_at_most_about_doubles_the_work under callgrind"]
fn counted_case() {
    work::run_requested(CASES);
}
