//! How archsketch grows with the design: the whole `check` and `export -o x.svg` commands, from
//! process start, and loading alone, over generated designs of three shapes: rows of the T01
//! pipeline (1,000, 10,000 and 100,000 nodes), a fan-out of 10,000 functions with 50,000
//! edges, and 10,000 boxes nested one in the other.
//!
//! `cargo bench --bench scale`

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use archsketch::io;
use archsketch::model::{Design, sample};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn cases() -> Vec<(&'static str, Design)> {
    vec![
        ("pipelines_1000", sample::pipelines(1_000, 200.0)),
        ("pipelines_10000", sample::pipelines(10_000, 200.0)),
        ("pipelines_100000", sample::pipelines(100_000, 200.0)),
        ("fan_out_10000x50000", sample::fan_out(10_000, 50_000)),
        ("nested_10000", sample::nested(10_000)),
    ]
}

fn command(args: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_archsketch"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("archsketch runs");
    // `check` exits 1 when a design has errors; anything else means it failed.
    assert!(matches!(status.code(), Some(0 | 1)), "{args:?}: {status}");
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let files: Vec<(&str, PathBuf, String)> = cases()
        .into_iter()
        .map(|(name, design)| {
            let path = dir.path().join(format!("{name}.ron"));
            let text = io::to_ron_string(&design);
            std::fs::write(&path, &text).expect("the sample is written");
            (name, path, text)
        })
        .collect();

    let mut load = c.benchmark_group("scale_load");
    for (name, _, text) in &files {
        load.bench_with_input(BenchmarkId::from_parameter(name), text, |b, t| {
            b.iter(|| io::load_str(t, "bench.ron").expect("the sample loads"))
        });
    }
    load.finish();

    let mut check = c.benchmark_group("scale_check_command");
    for (name, path, _) in &files {
        check.bench_with_input(BenchmarkId::from_parameter(name), path, |b, p| {
            b.iter(|| command(&["check", path_str(p)]))
        });
    }
    check.finish();

    let svg = dir.path().join("out.svg");
    let mut export = c.benchmark_group("scale_export_svg_command");
    for (name, path, _) in &files {
        export.bench_with_input(BenchmarkId::from_parameter(name), path, |b, p| {
            b.iter(|| command(&["export", path_str(p), "-o", path_str(&svg)]))
        });
    }
    export.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(8));
    targets = bench
}
criterion_main!(benches);
