//! What Ctrl+A, Ctrl+G and Ctrl+Z cost on a big design, as the window runs them: the
//! selection of every service and box, the grouping command built from it and applied to
//! the history, and its undo. Each once grew with the square of the design.
//!
//! `cargo bench --bench edit`

use std::collections::BTreeSet;

use archsketch::edit::{History, ops};
use archsketch::model::{Design, ElementRef, GroupKind, sample};
use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};

/// Every service and box of the design, as Ctrl+A selects them.
fn select_all(d: &Design) -> BTreeSet<ElementRef> {
    d.nodes()
        .iter()
        .map(|n| ElementRef::Node(n.id.clone()))
        .chain(d.groups().iter().map(|g| ElementRef::Group(g.id.clone())))
        .collect()
}

/// Ctrl+G on a selection: the command built and applied as one undo step.
fn group(d: &mut Design, history: &mut History, selection: &BTreeSet<ElementRef>) {
    let ids = d.ids_among(selection);
    if let Some((command, _)) = ops::group_selection(d, &ids, GroupKind::Generic) {
        let applied = history.apply(d, command, None);
        assert!(applied.is_ok());
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("edit");
    g.sample_size(20);
    {
        let n = 10_000usize;
        let design = sample::pipelines(n, 200.0);
        g.bench_with_input(BenchmarkId::new("select_all", n), &design, |b, d| {
            b.iter(|| select_all(d).len())
        });
        let selection = select_all(&design);
        g.bench_with_input(BenchmarkId::new("group", n), &design, |b, d| {
            b.iter_batched(
                || (d.clone(), History::default()),
                |(mut d, mut h)| {
                    group(&mut d, &mut h, &selection);
                    d
                },
                BatchSize::LargeInput,
            )
        });
        g.bench_with_input(BenchmarkId::new("undo_group", n), &design, |b, d| {
            b.iter_batched(
                || {
                    let (mut d, mut h) = (d.clone(), History::default());
                    group(&mut d, &mut h, &selection);
                    (d, h)
                },
                |(mut d, mut h)| {
                    assert!(h.undo(&mut d));
                    d
                },
                BatchSize::LargeInput,
            )
        });
        let everything: Vec<ElementRef> = selection.iter().cloned().collect();
        g.bench_with_input(BenchmarkId::new("undo_delete_all", n), &design, |b, d| {
            b.iter_batched(
                || {
                    let (mut d, mut h) = (d.clone(), History::default());
                    if let Some(command) = ops::delete(&d, &everything) {
                        assert!(h.apply(&mut d, command, None).is_ok());
                    }
                    (d, h)
                },
                |(mut d, mut h)| {
                    assert!(h.undo(&mut d));
                    d
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
