//! One headless frame of the canvas (layout, painting and tessellation) over generated
//! designs of 100, 1,000 and 10,000 nodes: zoomed to fit (everything visible) and at 100%
//! (most of it culled). `drag/1000` is one frame of dragging a node: the node moves, the scene
//! is rebuilt from the last one (only the edges the move touched are routed again, within the
//! window's budget), and the canvas is drawn and tessellated.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use archsketch::model::sample::pipelines;
use archsketch::scene;
use archsketch::ui::canvas::{self, CanvasState};
use archsketch::ui::edits::Edits;
use archsketch::ui::findings::FindingsView;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn frame(
    ctx: &egui::Context,
    design: &archsketch::model::Design,
    scene: &scene::Scene,
    state: &mut CanvasState,
) -> usize {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1600.0, 1000.0),
        )),
        ..Default::default()
    };
    let out = ctx.run_ui(input, |ui| {
        let mut edits = Edits::default();
        canvas::show(
            ui,
            design,
            scene,
            state,
            &FindingsView::default(),
            &mut edits,
        );
    });
    ctx.tessellate(out.shapes, out.pixels_per_point).len()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("canvas_frame");
    for n in [100usize, 1_000, 10_000] {
        let design = pipelines(n, 200.0);
        let built = scene::build(&design);
        // The app rebuilds the scene only when the design changes (after an edit).
        group.bench_with_input(BenchmarkId::new("scene_build", n), &design, |b, d| {
            b.iter(|| scene::build(d))
        });
        for (name, fit) in [("fit", true), ("100%", false)] {
            let ctx = egui::Context::default();
            egui_extras::install_image_loaders(&ctx);
            let mut state = CanvasState::default();
            state.fit_requested = fit;
            // Warm up: the first frame rasterises glyphs and fonts.
            for _ in 0..3 {
                frame(&ctx, &design, &built, &mut state);
            }
            group.bench_with_input(BenchmarkId::new(name, n), &design, |b, d| {
                b.iter(|| frame(&ctx, d, &built, &mut state));
            });
        }
    }
    // Dragging one node of a 1,000-node design, as the window does it every frame.
    let mut design = pipelines(1_000, 200.0);
    let mut current = scene::build(&design);
    let ctx = egui::Context::default();
    egui_extras::install_image_loaders(&ctx);
    let mut state = CanvasState::default();
    state.fit_requested = true;
    for _ in 0..3 {
        frame(&ctx, &design, &current, &mut state);
    }
    let mut step = 0u32;
    group.bench_function(BenchmarkId::new("drag", 1_000), |b| {
        b.iter(|| {
            step += 1;
            if let Some(node) = design.node_at_mut(7) {
                node.pos.y += if step.is_multiple_of(2) { 3.0 } else { -3.0 };
            }
            current = scene::build_from(
                &design,
                Some(&current),
                Some(std::time::Duration::from_millis(6)),
            );
            frame(&ctx, &design, &current, &mut state)
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
