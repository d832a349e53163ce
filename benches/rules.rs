//! Checking speed: every rule and the reference-architecture matcher over generated designs
//! of 1,000 and 10,000 nodes (rows of the T01 pipeline, one Region box each).

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use archsketch::model::sample::pipelines;
use archsketch::rules;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    for n in [1_000usize, 10_000] {
        let design = pipelines(n, 200.0);
        group.bench_with_input(BenchmarkId::from_parameter(n), &design, |b, d| {
            b.iter(|| rules::check(d))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
