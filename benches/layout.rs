//! Routing and Arrange speed on the reference graph (`archsketch sample`: chains of
//! Kinesis -> S3 -> Glue -> Athena -> SageMaker -> QuickSight, one Region box each).
//!
//! - `route/600`: the scene of the 600-node sample, every edge routed (what an export or an
//!   opened file waits for); `route_shuffled/600` the same with every node moved to the place of
//!   its neighbour, so most edges need bends and detours; `layout_only/600` the same scene
//!   without edges, to show routing's share.
//! - `arrange_and_route/600`: Arrange, then the routed scene.
//! - `arrange/10000`: Arrange of the 10,000-node sample.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use archsketch::layout::{self, Direction};
use archsketch::model::Design;
use archsketch::model::sample::pipelines;
use archsketch::scene;
use criterion::{Criterion, criterion_group, criterion_main};

/// Every node takes the place of the next node of its chain (the last the first's).
fn shuffled(design: &Design) -> Design {
    let mut out = design.clone();
    for g in design.groups() {
        let idx: Vec<usize> = g
            .children
            .iter()
            .filter_map(|c| design.node_index(c))
            .collect();
        for (k, &i) in idx.iter().enumerate() {
            *out.node_at_mut(i).unwrap().pos = design.nodes()[idx[(k + 1) % idx.len()]].pos;
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let design = pipelines(600, 200.0);
    let mixed = shuffled(&design);
    let mut group = c.benchmark_group("layout");
    group.bench_function("layout_only/600", |b| {
        b.iter(|| scene::build_layout_only(&design))
    });
    group.bench_function("route/600", |b| b.iter(|| scene::build(&design)));
    group.bench_function("route_shuffled/600", |b| b.iter(|| scene::build(&mixed)));
    group.bench_function("arrange_and_route/600", |b| {
        b.iter(|| scene::build(&layout::arranged(&mixed, Direction::Right)))
    });
    let big = pipelines(10_000, 200.0);
    group.sample_size(10);
    group.bench_function("arrange/10000", |b| {
        b.iter(|| layout::arranged(&big, Direction::Right))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
