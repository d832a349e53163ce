//! The whole window's frame, as the person waits for it: every panel (menus, palette,
//! inspector, findings, canvas), the findings and scene brought up to date, and tessellation,
//! for generated designs of 1,000 and 10,000 nodes. Cases: an idle frame zoomed to fit and at
//! 100%, a frame while panning, a frame of dragging one service, a frame of dragging every
//! service (after Select all), the frame that settles the routes when a drag of one
//! service ends, and one undo of moving every service.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use archsketch::edit::EditCommand;
use archsketch::model::Pos;
use archsketch::model::sample::pipelines;
use archsketch::ui::ArchApp;
use archsketch::ui::document::{Document, RecentFiles};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

/// One frame of the window: the egui pass over the whole app, then tessellation.
fn frame(ctx: &egui::Context, app: &mut ArchApp) -> usize {
    frame_with(ctx, app, Vec::new())
}

/// One frame that receives `events` (the pointer moving, a button pressed).
fn frame_with(ctx: &egui::Context, app: &mut ArchApp, events: Vec<egui::Event>) -> usize {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1600.0, 1000.0),
        )),
        events,
        ..Default::default()
    };
    let out = ctx.run_ui(input, |ui| app.show(ui));
    ctx.tessellate(out.shapes, out.pixels_per_point).len()
}

fn app_with(n: usize, fit: bool) -> (egui::Context, ArchApp) {
    let ctx = egui::Context::default();
    egui_extras::install_image_loaders(&ctx);
    let mut app = ArchApp::new(
        Document::unsaved(pipelines(n, 200.0), 0),
        None,
        RecentFiles::load(None),
    );
    app.canvas.fit_requested = fit;
    if !fit {
        app.canvas.camera = Default::default();
    }
    // Warm up: fonts, icons, the first scene and findings.
    for _ in 0..3 {
        frame(&ctx, &mut app);
    }
    (ctx, app)
}

/// Every node moved by `d`, as a drag's frame sets it.
fn moved(app: &ArchApp, ids: &[usize], d: f32) -> EditCommand {
    let design = app.doc.design();
    EditCommand::SetPositions(
        ids.iter()
            .map(|&i| {
                let n = &design.nodes()[i];
                (n.id.clone(), Pos::new(n.pos.x + d, n.pos.y))
            })
            .collect(),
    )
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("window_frame");
    for n in [1_000usize, 10_000] {
        for (name, fit) in [("idle_fit", true), ("idle_100%", false)] {
            let (ctx, mut app) = app_with(n, fit);
            group.bench_function(BenchmarkId::new(name, n), |b| {
                b.iter(|| frame(&ctx, &mut app))
            });
        }
        let (ctx, mut app) = app_with(n, true);
        let mut right = false;
        group.bench_function(BenchmarkId::new("pan", n), |b| {
            b.iter(|| {
                right = !right;
                app.canvas.camera.pan.x += if right { 4.0 } else { -4.0 };
                frame(&ctx, &mut app)
            })
        });
        for (name, all) in [("drag_one", false), ("drag_all", true)] {
            let (ctx, mut app) = app_with(n, true);
            let ids: Vec<usize> = if all {
                (0..app.doc.design().nodes().len()).collect()
            } else {
                vec![7]
            };
            let mut flip = false;
            group.bench_function(BenchmarkId::new(name, n), |b| {
                b.iter(|| {
                    flip = !flip;
                    // A drag's frames merge into one undo step, as the canvas does it.
                    let command = moved(&app, &ids, if flip { 3.0 } else { -3.0 });
                    app.doc.apply(command, Some("bench-drag")).unwrap();
                    frame(&ctx, &mut app)
                })
            });
        }
        // The same drags as a hand makes them, at 100%: the pointer pressed on a service
        // and moved, through the canvas's own gesture (snapping, guides, drop targets).
        for (name, all) in [("pointer_drag_one", false), ("pointer_drag_all", true)] {
            let (ctx, mut app) = app_with(n, false);
            if all {
                app.canvas.selection = all_elements(&app);
            }
            let view = app.canvas.last_view.unwrap();
            let grab = app
                .canvas
                .camera
                .canvas_to_screen(view, app.doc.design().nodes()[7].pos);
            let press = |pressed| egui::Event::PointerButton {
                pos: grab,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: Default::default(),
            };
            frame_with(&ctx, &mut app, vec![egui::Event::PointerMoved(grab)]);
            frame_with(&ctx, &mut app, vec![press(true)]);
            let mut flip = false;
            let mut ran = false;
            group.bench_function(BenchmarkId::new(name, n), |b| {
                b.iter(|| {
                    flip = !flip;
                    ran = true;
                    let at = grab + egui::vec2(if flip { 37.0 } else { 61.0 }, 23.0);
                    frame_with(&ctx, &mut app, vec![egui::Event::PointerMoved(at)])
                })
            });
            // (Filtered out, the bench never ran.)
            assert!(
                !ran || app.doc.history().can_undo(),
                "{name}: the drag moved nothing"
            );
        }
        // The frame after a drag of one service ends: every route settled with the others.
        let (ctx, mut app) = app_with(n, true);
        let mut flip = false;
        group.bench_function(BenchmarkId::new("drop_one", n), |b| {
            b.iter_custom(|iters| {
                let mut spent = std::time::Duration::ZERO;
                for _ in 0..iters {
                    flip = !flip;
                    let command = moved(&app, &[7], if flip { 40.0 } else { -40.0 });
                    app.doc.apply(command, None).unwrap();
                    frame(&ctx, &mut app);
                    let start = std::time::Instant::now();
                    frame(&ctx, &mut app);
                    spent += start.elapsed();
                }
                spent
            })
        });
        let (ctx, mut app) = app_with(n, true);
        let all: Vec<usize> = (0..app.doc.design().nodes().len()).collect();
        group.bench_function(BenchmarkId::new("undo_move_all", n), |b| {
            b.iter_custom(|iters| {
                let mut spent = std::time::Duration::ZERO;
                for _ in 0..iters {
                    app.doc.seal();
                    let command = moved(&app, &all, 10.0);
                    app.doc.apply(command, None).unwrap();
                    frame(&ctx, &mut app);
                    let start = std::time::Instant::now();
                    app.doc.undo();
                    frame(&ctx, &mut app);
                    spent += start.elapsed();
                }
                spent
            })
        });
    }
    group.finish();
}

/// Every node and group, as Select all leaves the selection.
fn all_elements(app: &ArchApp) -> std::collections::BTreeSet<archsketch::model::ElementRef> {
    use archsketch::model::ElementRef;
    let d = app.doc.design();
    d.nodes()
        .iter()
        .map(|n| ElementRef::Node(n.id.clone()))
        .chain(d.groups().iter().map(|g| ElementRef::Group(g.id.clone())))
        .collect()
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
