//! Export speed on the reference graph: 100 chains of Kinesis -> S3 -> Glue -> Athena ->
//! SageMaker -> QuickSight, 200 units apart (600 nodes, 500 edges, 100 groups).

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use archsketch::export::{self, ExportOptions, RasterSize};
use archsketch::model::sample::pipelines;
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let design = pipelines(600, 200.0);
    let options = ExportOptions::default();
    let mut group = c.benchmark_group("export_600_nodes");
    group.bench_function("svg", |b| b.iter(|| export::to_svg(&design, &options)));
    let svg = export::to_svg(&design, &options);
    group.bench_function("png_1x_from_design", |b| {
        b.iter(|| export::design_to_png(&design, &options, RasterSize::Scale(1.0)).unwrap())
    });
    group.bench_function("pdf_from_svg", |b| b.iter(|| export::to_pdf(&svg).unwrap()));
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(8));
    targets = bench
}
criterion_main!(benches);
