//! The real window's UI, driven through egui_kittest: pointer and keyboard events go in,
//! and the resulting design is checked. No rendering; state assertions only.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use common::{el, nid};

use archsketch::edit::ops;
use archsketch::model::{Design, EdgeKind, ElementRef, GroupKind, Pos};
use archsketch::ui::ArchApp;
use archsketch::ui::app::SettingsStore;
use archsketch::ui::document::{Document, RecentFiles};
use egui::{Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::collections::BTreeSet;

fn harness(design: Design) -> Harness<'static, ArchApp> {
    harness_of(ArchApp::new(
        Document::unsaved(design, 0),
        None,
        RecentFiles::load(None),
    ))
}

fn harness_of(app: ArchApp) -> Harness<'static, ArchApp> {
    harness_stepping(app, 0.25)
}

/// A harness whose frames are `step_dt` seconds apart (short, for double-clicks).
fn harness_stepping(app: ArchApp, step_dt: f32) -> Harness<'static, ArchApp> {
    Harness::builder()
        .with_step_dt(step_dt)
        .with_size(egui::vec2(1400.0, 900.0))
        .with_context_setup(|ctx| {
            egui_extras::install_image_loaders(ctx);
            ctx.set_theme(egui::Theme::Light);
        })
        .build_ui_state(|ui, app: &mut ArchApp| app.show(ui), app)
}

/// Presses at `from`, moves in small steps to `to`, and releases, as a hand would.
fn drag(h: &mut Harness<'_, ArchApp>, from: Pos2, to: Pos2) {
    h.hover_at(from);
    h.run_steps(2);
    h.drag_at(from);
    h.run_steps(2);
    for i in 1..=10 {
        let t = i as f32 / 10.0;
        h.hover_at(from + (to - from) * t);
        h.step();
    }
    h.drop_at(to);
    h.run_steps(3);
}

fn screen_of(h: &Harness<'_, ArchApp>, p: Pos) -> Pos2 {
    let state = h.state();
    let view = state.canvas.last_view.expect("the canvas was drawn");
    state.canvas.camera.canvas_to_screen(view, p)
}

fn two_node_design() -> Design {
    let mut d = Design::default();
    let (a, _) = ops::add_node(&d, "s3", Pos::new(0.0, 0.0), None);
    archsketch::edit::apply(&mut d, a).unwrap();
    let (b, _) = ops::add_node(&d, "athena", Pos::new(300.0, 0.0), None);
    archsketch::edit::apply(&mut d, b).unwrap();
    *d.node_at_mut(0).unwrap().label = "Raw zone".into();
    *d.node_at_mut(1).unwrap().label = "Ad-hoc SQL".into();
    d
}

#[test]
fn dragging_a_service_from_the_palette_creates_a_node_where_it_is_dropped() {
    let mut h = harness(Design::default());
    h.run_steps(2);
    h.get_by_label("Search services").focus();
    h.run_steps(1);
    h.get_by_label("Search services").type_text("bucket");
    h.run_steps(2);
    let item = h.get_by_label("Amazon S3").rect().center();
    let view = h.state().canvas.last_view.unwrap();
    let target = view.center();
    drag(&mut h, item, target);
    let d = &h.state().doc.design();
    assert_eq!(d.nodes().len(), 1, "one node was created");
    assert_eq!(d.nodes()[0].service, "s3");
    assert_eq!(d.nodes()[0].id, "s3");
    let dropped_at = screen_of(&h, d.nodes()[0].pos);
    assert!(
        (dropped_at - target).length() < 8.0,
        "the node sits where it was dropped ({dropped_at:?} vs {target:?})"
    );
    assert!(h.state().doc.is_modified());
}

#[test]
fn enter_on_a_search_hit_adds_it_at_the_view_centre() {
    let mut h = harness(Design::default());
    h.run_steps(2);
    let search = "Search services";
    h.get_by_label(search).focus();
    h.run_steps(1);
    h.get_by_label(search).type_text("queue");
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(2);
    let d = &h.state().doc.design();
    assert_eq!(
        d.nodes()
            .iter()
            .map(|n| n.service.as_str())
            .collect::<Vec<_>>(),
        ["sqs"]
    );
}

#[test]
fn dragging_from_the_connection_handle_connects_two_nodes_with_the_catalog_kind() {
    let mut h = harness(two_node_design());
    h.run_steps(3);
    let a = screen_of(&h, Pos::new(0.0, 0.0));
    let b = screen_of(&h, Pos::new(300.0, 0.0));
    h.hover_at(a);
    h.run_steps(3);
    let handle = h.get_by_label("Connect from Raw zone").rect().center();
    drag(&mut h, handle, b);
    let d = &h.state().doc.design();
    assert_eq!(d.edges().len(), 1, "an edge was created");
    assert_eq!(
        (d.edges()[0].from.as_str(), d.edges()[0].to.as_str()),
        ("s3", "athena")
    );
    assert_eq!(
        d.edges()[0].kind,
        EdgeKind::Query,
        "s3 -> athena is a Query edge"
    );
}

#[test]
fn dropping_a_connection_on_empty_canvas_creates_nothing() {
    let mut h = harness(two_node_design());
    h.run_steps(3);
    let a = screen_of(&h, Pos::new(0.0, 0.0));
    h.hover_at(a);
    h.run_steps(3);
    let handle = h.get_by_label("Connect from Raw zone").rect().center();
    let empty = screen_of(&h, Pos::new(150.0, 200.0));
    drag(&mut h, handle, empty);
    assert!(h.state().doc.design().edges().is_empty());
}

#[test]
fn renaming_in_the_inspector_then_undo_and_redo() {
    let mut h = harness(two_node_design());
    h.run_steps(3);
    h.get_by_label("Raw zone").click();
    h.run_steps(2);
    let field = h.get_by_label("Label");
    field.focus();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.get_by_label("Label").type_text("Landing");
    h.run_steps(2);
    assert_eq!(h.state().doc.design().nodes()[0].label, "Landing");
    // Leave the field, then undo the whole typing burst in one step.
    h.key_press(Key::Escape);
    h.run_steps(1);
    h.hover_at(screen_of(&h, Pos::new(150.0, 300.0)));
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().doc.design().nodes()[0].label, "Raw zone");
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().doc.design().nodes()[0].label, "Landing");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run_steps(2);
    assert_eq!(
        h.state().doc.design().nodes()[0].label,
        "Landing",
        "Ctrl+Y redoes too"
    );
}

#[test]
fn grouping_two_selected_nodes_with_ctrl_g() {
    let mut h = harness(two_node_design());
    h.run_steps(3);
    h.get_by_label("Raw zone").click();
    h.run_steps(1);
    h.get_by_label("Ad-hoc SQL")
        .click_modifiers(Modifiers::SHIFT);
    h.run_steps(1);
    assert_eq!(h.state().canvas.selection.len(), 2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::G);
    h.run_steps(2);
    let d = &h.state().doc.design();
    assert_eq!(d.groups().len(), 1);
    assert_eq!(d.groups()[0].kind, GroupKind::Generic);
    assert_eq!(d.groups()[0].children, ["s3", "athena"]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert!(h.state().doc.design().groups().is_empty());
}

#[test]
fn dragging_a_node_moves_it_and_is_one_undo_step() {
    let mut h = harness(two_node_design());
    h.run_steps(3);
    let from = screen_of(&h, Pos::new(300.0, 0.0));
    let to = from + egui::vec2(0.0, 120.0);
    drag(&mut h, from, to);
    let moved = h.state().doc.design().nodes()[1].pos;
    let zoom = h.state().canvas.camera.zoom;
    assert!((moved.y - 120.0 / zoom).abs() < 2.0, "moved to {moved:?}");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().doc.design().nodes()[1].pos, Pos::new(300.0, 0.0));
}

#[test]
fn delete_removes_the_selection_with_its_edges() {
    let mut d = two_node_design();
    let e = ops::connect(&d, &el(&d, "s3"), &el(&d, "athena")).unwrap();
    archsketch::edit::apply(&mut d, e).unwrap();
    let mut h = harness(d);
    h.run_steps(3);
    h.get_by_label("Raw zone").click();
    h.run_steps(1);
    h.key_press(Key::Delete);
    h.run_steps(2);
    let d = &h.state().doc.design();
    assert_eq!(d.nodes().len(), 1);
    assert!(d.edges().is_empty());
}

#[test]
fn a_bad_file_opens_the_window_with_the_message_showing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.ron");
    std::fs::write(&path, "Design(format: 1, nodes: [Node(id: \"a\")])").unwrap();
    let app = ArchApp::start(Some(&path), RecentFiles::load(None));
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_context_setup(egui_extras::install_image_loaders)
        .build_ui_state(|ui, app: &mut ArchApp| app.show(ui), app);
    h.run_steps(2);
    let banner = h.get_by_label_contains("missing required field `service`");
    assert!(banner.rect().width() > 0.0);
    assert!(h.state().doc.design().nodes().is_empty());
}

#[test]
fn opening_a_bad_file_keeps_the_current_design() {
    let mut h = harness(two_node_design());
    h.run_steps(2);
    h.state_mut()
        .open_path(std::path::Path::new("/no/such/file.ron"));
    h.run_steps(2);
    assert_eq!(h.state().doc.design().nodes().len(), 2);
    h.get_by_label_contains("no such file");
}

#[test]
fn title_marks_unsaved_changes() {
    let mut h = harness(Design::default());
    h.run_steps(1);
    assert_eq!(h.state().title(), "Untitled design — archsketch");
    h.get_by_label("Title").focus();
    h.run_steps(1);
    h.get_by_label("Title").type_text("Lake");
    h.run_steps(2);
    assert_eq!(h.state().title(), "● Lake — archsketch");
}

#[test]
fn every_catalog_text_renders_with_the_bundled_fonts() {
    let mut h = Harness::builder()
        .with_size(egui::vec2(800.0, 600.0))
        .build_ui(|ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                for s in &archsketch::catalog::catalog().services {
                    ui.label(&s.name);
                    ui.label(&s.description);
                    for t in s.uses.iter().chain(&s.facts) {
                        ui.label(t);
                    }
                }
                for k in archsketch::model::EdgeKind::ALL {
                    ui.label(archsketch::ui::inspector::edge_kind_help(k));
                }
            });
        });
    // A glyph the fonts lack panics while laying out; getting here means all render.
    h.run_steps(1);
}

fn grouped_design() -> Design {
    let mut d = two_node_design();
    let (cmd, _) = ops::group_selection(&d, &[el(&d, "s3")], GroupKind::Vpc).unwrap();
    archsketch::edit::apply(&mut d, cmd).unwrap();
    d
}

#[test]
fn dragging_a_node_out_of_a_group_and_back_in_changes_membership() {
    let mut h = harness(grouped_design());
    h.run_steps(3);
    let from = screen_of(&h, Pos::new(0.0, 0.0));
    let outside = screen_of(&h, Pos::new(0.0, 300.0));
    drag(&mut h, from, outside);
    assert!(
        h.state().doc.design().groups()[0].children.is_empty(),
        "dragged out of the VPC"
    );
    // Back in: drop the Athena node into the (now empty, self-sized) VPC? The VPC lost its
    // only child, so instead drop the S3 node next to Athena inside a new group drawn around Athena.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(
        h.state().doc.design().groups()[0].children,
        ["s3"],
        "one undo restores position and membership"
    );
    let athena = screen_of(&h, Pos::new(300.0, 0.0));
    let into_vpc = screen_of(&h, Pos::new(0.0, 40.0));
    drag(&mut h, athena, into_vpc);
    assert_eq!(
        h.state().doc.design().groups()[0].children,
        ["s3", "athena"],
        "dropped into the VPC"
    );
}

#[test]
fn dragging_a_group_caption_moves_the_group_with_its_contents() {
    let mut h = harness(grouped_design());
    h.run_steps(3);
    let caption = h.get_by_label("VPC").rect().center();
    drag(&mut h, caption, caption + egui::vec2(0.0, 100.0));
    let d = &h.state().doc.design();
    let zoom = h.state().canvas.camera.zoom;
    assert!(
        (d.node(nid("s3")).unwrap().pos.y - 100.0 / zoom).abs() < 2.0,
        "the member moved with its group"
    );
    assert_eq!(
        d.node(nid("athena")).unwrap().pos,
        Pos::new(300.0, 0.0),
        "non-members stay"
    );
    assert_eq!(d.groups()[0].children, ["s3"]);
}

#[test]
fn ctrl_e_opens_the_export_dialog_and_its_choices_drive_the_export() {
    let mut h = harness(two_node_design());
    h.run_steps(2);
    h.get_by_label("Raw zone").click();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_steps(2);
    h.get_by_label("SVG").click();
    h.run_steps(3);
    assert_eq!(
        h.state().canvas.selection.len(),
        1,
        "selected before the dialog"
    );
    h.get_by_label("Selection only").click();
    h.run_steps(1);
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert!(
        h.query_by_label("Selection only").is_none(),
        "the dialog closed"
    );
    assert_eq!(
        h.state().export.format,
        archsketch::export::Format::Svg,
        "choices are remembered"
    );
    assert!(h.state().export.selection_only, "scope is remembered");
    assert_eq!(
        h.state().canvas.selection.len(),
        1,
        "the selection survives the dialog"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("part.svg");
    h.state_mut()
        .export_to(&out, archsketch::export::Format::Svg);
    let svg = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        svg.matches(r#"<g class="node""#).count(),
        1,
        "only the selected node"
    );
}

fn bad_bucket_design() -> Design {
    let mut d = Design::default();
    let (a, _) = ops::add_node(&d, "s3", Pos::new(0.0, 0.0), None);
    archsketch::edit::apply(&mut d, a).unwrap();
    *d.node_at_mut(0).unwrap().label = "Raw zone".into();
    d.node_at_mut(0)
        .unwrap()
        .props
        .insert("bucket_name".into(), "Shop_Raw".into());
    d
}

fn has_rule(h: &mut Harness<'_, ArchApp>, rule: &str) -> bool {
    h.state_mut()
        .findings()
        .iter()
        .any(|f| f.rule == rule && !f.suppressed)
}

#[test]
fn clicking_a_findings_fix_removes_it_and_one_undo_brings_it_back() {
    let mut h = harness(bad_bucket_design());
    h.run_steps(3);
    assert!(has_rule(&mut h, "R055"));
    h.get_by_label_contains("Bucket name \"Shop_Raw\"").click();
    h.run_steps(2);
    assert_eq!(
        h.state().canvas.selection.len(),
        1,
        "clicking a finding selects its element"
    );
    // The detail view and the inspector both offer it.
    h.get_all_by_label("Fix: Rename the bucket \"shop-raw\"")
        .next()
        .unwrap()
        .click();
    h.run_steps(3);
    assert!(!has_rule(&mut h, "R055"), "the fix resolved the finding");
    assert_eq!(
        h.state().doc.design().nodes()[0].props["bucket_name"],
        "shop-raw"
    );
    h.hover_at(egui::pos2(700.0, 300.0));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert!(has_rule(&mut h, "R055"), "one undo brings it back");
}

/// A quick fix is stamped with the state its findings were made for. Findings of a big
/// design come from a worker and lag behind edits, so a fix can arrive for a state that is
/// gone: it is refused with a message rather than applied to what the design has become.
#[test]
fn a_fix_made_for_an_older_state_of_the_design_is_refused() {
    use archsketch::edit::{EditCommand, Field, Target};
    use archsketch::ui::edits::Edits;
    let mut app = ArchApp::new(
        Document::unsaved(bad_bucket_design(), 0),
        None,
        RecentFiles::load(None),
    );
    let view = app.findings();
    let node = ElementRef::Node(app.doc.design().nodes()[0].id.clone());
    let fix = view
        .on(&node)
        .into_iter()
        .find(|f| f.rule == "R055")
        .and_then(|f| f.fix.clone())
        .expect("R055 offers a rename");
    // Another edit lands first: the bucket gets another (still bad) name.
    let mut first = Edits::default();
    first.push(EditCommand::SetField {
        target: Target::Node(app.doc.design().nodes()[0].id.clone()),
        field: Field::Prop("bucket_name".into()),
        value: Some("Other_Name".into()),
    });
    app.apply(first);
    let mut late = Edits {
        findings_made_for: view.made_for,
        ..Edits::default()
    };
    late.push_fix(fix.command.clone());
    app.apply(late);
    assert_eq!(
        app.doc.design().nodes()[0].props["bucket_name"],
        "Other_Name",
        "the stale fix changed nothing"
    );
    assert!(
        app.banner
            .as_ref()
            .is_some_and(|b| b.is_error && b.text.contains("changed since"))
    );
    // The near miss: the same fix, stamped with the state it is applied to, applies.
    let fresh = app.findings();
    let mut current = Edits {
        findings_made_for: fresh.made_for,
        ..Edits::default()
    };
    current.push_fix(fix.command);
    app.apply(current);
    assert_eq!(app.doc.design().nodes()[0].props["bucket_name"], "shop-raw");
}

#[test]
fn ignore_here_asks_for_a_reason_and_writes_a_suppression() {
    let mut h = harness(bad_bucket_design());
    h.run_steps(3);
    h.get_by_label_contains("is not versioned").click();
    h.run_steps(2);
    h.get_by_label("Ignore here...").click();
    h.run_steps(2);
    h.get_by_label("Why is this acceptable here?").focus();
    h.run_steps(1);
    h.get_by_label("Why is this acceptable here?")
        .type_text("versioned by the backup job");
    h.run_steps(2);
    h.get_by_label_contains("Ignore R063 for").click();
    h.run_steps(3);
    let s = &h.state().doc.design().suppressions;
    assert_eq!(s.len(), 1);
    assert_eq!(
        (
            s[0].rule.as_str(),
            s[0].target.as_ref().map(|t| t.as_str()),
            s[0].reason.as_str()
        ),
        ("R063", Some("s3"), "versioned by the backup job")
    );
    assert!(!has_rule(&mut h, "R063"));
}

#[test]
fn arrange_from_the_edit_menu_lays_out_the_design_and_one_undo_restores_it() {
    // T09 as a person might have left it: every node shuffled onto its neighbour's place.
    let mut d = archsketch::templates::find("t09")
        .unwrap()
        .design()
        .unwrap();
    let original: Vec<Pos> = d.nodes().iter().map(|n| n.pos).collect();
    let count = d.nodes().len();
    for (i, n) in d.nodes_mut().enumerate() {
        *n.pos = original[(i + 1) % count];
    }
    let before: Vec<Pos> = d.nodes().iter().map(|n| n.pos).collect();
    let mut h = harness(d);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::L);
    h.run_steps(3);
    let arranged = h.state().doc.design().clone();
    let after: Vec<Pos> = arranged.nodes().iter().map(|n| n.pos).collect();
    assert_ne!(after, before, "Arrange moved the nodes");
    // Every member lies inside its group's box, and nothing else does.
    let s = archsketch::scene::build(&arranged);
    for g in &s.groups {
        let group = &arranged.groups()[g.index];
        for n in &s.nodes {
            let id = &arranged.nodes()[n.index].id;
            let member = arranged.is_within(id, &group.id);
            assert_eq!(
                member,
                g.rect.contains_rect(&n.footprint),
                "{id} and {}",
                group.id
            );
        }
    }
    let q = archsketch::scene::quality::measure(&s);
    assert_eq!(
        (q.through_icons, q.through_labels, q.diagonal),
        (0, 0, 0),
        "{q:?}"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    let undone: Vec<Pos> = h
        .state()
        .doc
        .design()
        .nodes()
        .iter()
        .map(|n| n.pos)
        .collect();
    assert_eq!(undone, before, "one undo restores every position");
}

/// S3 at the origin connected to Athena at `athena`, in a window.
fn connected_pair(athena: Pos) -> Harness<'static, ArchApp> {
    let mut d = two_node_design();
    *d.node_at_mut(1).unwrap().pos = athena;
    let connect = ops::connect(&d, &el(&d, "s3"), &el(&d, "athena")).unwrap();
    archsketch::edit::apply(&mut d, connect).unwrap();
    let mut h = harness(d);
    h.run_steps(3);
    h
}

/// The route of the first connection as the window's design draws it.
fn drawn_route(h: &Harness<'_, ArchApp>) -> Vec<Pos> {
    archsketch::scene::build(h.state().doc.design()).edges[0]
        .points
        .clone()
}

#[test]
fn dragging_a_segment_of_a_routed_edge_stores_its_bends_and_reset_route_forgets_them() {
    let mut h = connected_pair(Pos::new(300.0, 30.0));
    let route = drawn_route(&h);
    assert_eq!(route.len(), 4, "a Z route with a middle segment: {route:?}");
    // Grab the middle (vertical) segment and drag it 60 units to the left.
    let mid = Pos::new(route[1].x, (route[1].y + route[2].y) / 2.0);
    let from = screen_of(&h, mid);
    let to = screen_of(&h, mid.offset(-60.0, 0.0));
    drag(&mut h, from, to);
    let edge = &h.state().doc.design().edges()[0];
    assert_eq!(edge.bends.len(), 2, "{:?}", edge.bends);
    assert!(
        (edge.bends[0].x - (route[1].x - 60.0)).abs() < 2.0,
        "{:?}",
        edge.bends
    );
    let drawn = drawn_route(&h);
    assert_eq!(
        drawn[1], edge.bends[0],
        "the route follows the stored bends"
    );
    h.get_by_label("Reset route").click();
    h.run_steps(2);
    assert!(h.state().doc.design().edges()[0].bends.is_empty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(
        h.state().doc.design().edges()[0].bends.len(),
        2,
        "undo brings the bends back"
    );
}

/// Vertices the window's last frame tessellated into.
fn frame_vertices(h: &Harness<'_, ArchApp>) -> usize {
    let out = h.output();
    h.ctx
        .tessellate(out.shapes.clone(), out.pixels_per_point)
        .iter()
        .map(|p| match &p.primitive {
            egui::epaint::Primitive::Mesh(m) => m.vertices.len(),
            egui::epaint::Primitive::Callback(_) => 0,
        })
        .sum()
}

#[test]
fn a_node_a_billion_units_away_costs_no_more_to_draw_than_a_near_one() {
    let design = |x: f32| {
        archsketch::io::load_str(
            &format!(
                "Design(format: 1, nodes: [Node(id: \"a\", service: \"s3\", pos: (0.0, 0.0)), Node(id: \"b\", service: \"s3\", pos: ({x:?}, 0.0))], groups: [Group(id: \"r\", kind: Region, children: [\"a\", \"b\"])])"
            ),
            "far.ron",
        )
        .expect("a far-away node still loads")
    };
    let far = design(1e9);
    assert!(
        archsketch::rules::check(&far)
            .iter()
            .any(|f| f.rule == "G003"
                && f.elements == [archsketch::model::ElementRef::Node(nid("b"))]),
        "a finding names the far node"
    );
    let mut counts = Vec::new();
    for d in [design(1e3), far] {
        let mut h = harness(d);
        h.run_steps(3);
        counts.push(frame_vertices(&h));
    }
    assert!(
        counts[1] <= counts[0] * 2 + 2_000 && counts[1] < 200_000,
        "near {} vertices, far {}",
        counts[0],
        counts[1]
    );
}

#[test]
fn the_template_gallery_opens_at_once_and_fills_its_previews_in_over_frames() {
    let mut h = harness(Design::default());
    h.run_steps(2);
    h.state_mut().gallery.open = true;
    h.step();
    let ready = h.state().gallery.previews_ready();
    assert!(
        ready <= 1,
        "the first frame renders at most one preview, not all 35 ({ready})"
    );
    h.run_steps(20);
    assert!(
        h.state().gallery.previews_ready() > ready,
        "later frames fill the previews in"
    );
    h.get_by_label("S3 data lake").click();
    h.run_steps(2);
    let state = h.state();
    assert!(!state.gallery.open, "picking a template closes the gallery");
    assert!(
        state
            .doc
            .design()
            .nodes()
            .iter()
            .any(|n| n.service == "athena"),
        "the picked template is the open design"
    );
}

#[test]
fn a_group_keeps_the_size_it_is_drawn_at_and_fits_its_contents_again() {
    let mut h = harness(grouped_design());
    h.run_steps(3);
    let id = h.state().doc.design().groups()[0].id.clone();
    h.state_mut()
        .canvas
        .select_only(archsketch::model::ElementRef::Group(id));
    h.run_steps(3);
    h.get_by_label("Keep this size").click();
    h.run_steps(3);
    let frame = h.state().doc.design().groups()[0]
        .frame
        .expect("the box has a size of its own");
    assert!(frame.width >= 40.0 && frame.height >= 40.0, "{frame:?}");
    h.get_by_label("Fit contents").click();
    h.run_steps(3);
    assert!(h.state().doc.design().groups()[0].frame.is_none());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(
        h.state().doc.design().groups()[0].frame,
        Some(frame),
        "one undo step each"
    );
}

#[test]
fn copy_and_paste_put_a_fresh_copy_under_the_pointer_and_select_it() {
    let mut h = harness(two_node_design());
    h.run_steps(3);
    h.state_mut()
        .canvas
        .select_only(archsketch::model::ElementRef::Node(nid("s3")));
    // The window's Ctrl+C arrives as a copy event.
    h.event(egui::Event::Copy);
    h.run_steps(2);
    let copied = h
        .state()
        .clipboard
        .clone()
        .expect("the selection was copied");
    assert!(copied.contains("Raw zone"), "{copied}");
    let spot = screen_of(&h, Pos::new(150.0, 300.0));
    h.hover_at(spot);
    h.run_steps(2);
    h.event(egui::Event::Paste(copied));
    h.run_steps(3);
    let d = h.state().doc.design();
    assert_eq!(d.nodes().len(), 3);
    let pasted = d.node(nid("s3_2")).expect("a fresh readable id");
    assert_eq!(pasted.label, "Raw zone");
    assert_eq!(
        pasted.pos,
        Pos::new(150.0, 300.0),
        "under the pointer, on the grid"
    );
    assert_eq!(
        h.state().canvas.selection.iter().collect::<Vec<_>>(),
        [&archsketch::model::ElementRef::Node(nid("s3_2"))]
    );
    assert_eq!(
        h.state().doc.history().undo_label(),
        Some("Add Amazon S3"),
        "the Edit menu says what Undo undoes"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().doc.design().nodes().len(), 2, "one undo step");
}

#[test]
fn duplicate_and_cut_then_paste() {
    let mut h = harness(two_node_design());
    h.run_steps(3);
    h.state_mut()
        .canvas
        .select_only(archsketch::model::ElementRef::Node(nid("athena")));
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    h.run_steps(3);
    let d = h.state().doc.design();
    let original = d.node(nid("athena")).unwrap().pos;
    assert_eq!(
        d.node(nid("athena_2")).unwrap().pos,
        original.offset(40.0, 40.0)
    );
    // Cut takes the copy away; paste brings it back (its id is free again).
    h.event(egui::Event::Cut);
    h.run_steps(3);
    assert!(h.state().doc.design().node(nid("athena_2")).is_none());
    h.hover_at(egui::pos2(5.0, 5.0)); // over the menu bar, not the canvas
    h.key_press_modifiers(Modifiers::COMMAND, Key::V);
    h.run_steps(3);
    assert!(h.state().doc.design().node(nid("athena_2")).is_some());
}

#[test]
fn pasting_text_that_is_no_design_says_so_and_changes_nothing() {
    let mut h = harness(two_node_design());
    h.run_steps(3);
    let before = h.state().doc.design().clone();
    h.event(egui::Event::Paste("hello from a text editor".into()));
    h.run_steps(3);
    assert_eq!(h.state().doc.design(), &before);
    let banner = h.state().banner.as_ref().expect("a banner explains");
    assert!(
        banner.is_error && banner.text.contains("no archsketch design"),
        "{}",
        banner.text
    );
}

#[test]
fn a_fix_that_adds_a_device_puts_it_outside_the_cloud_selects_it_and_shows_it() {
    // A stream with no producer, inside Region > AWS Cloud, far to the right of the view.
    let mut d = Design::default();
    let (cmd, _) = ops::add_node(&d, "kinesis_data_streams", Pos::new(5000.0, 0.0), None);
    archsketch::edit::apply(&mut d, cmd).unwrap();
    let (cmd, _) = ops::add_node(&d, "s3", Pos::new(5300.0, 0.0), None);
    archsketch::edit::apply(&mut d, cmd).unwrap();
    let cmd = ops::connect(&d, &el(&d, "kinesis_data_streams"), &el(&d, "s3")).unwrap();
    archsketch::edit::apply(&mut d, cmd).unwrap();
    let ids = [el(&d, "kinesis_data_streams"), el(&d, "s3")];
    let (cmd, region) = ops::group_selection(&d, &ids, GroupKind::Region).unwrap();
    archsketch::edit::apply(&mut d, cmd).unwrap();
    let (cmd, _) = ops::group_selection(&d, &[region.into()], GroupKind::AwsCloud).unwrap();
    archsketch::edit::apply(&mut d, cmd).unwrap();
    let mut h = harness(d);
    h.run_steps(3);
    h.state_mut().canvas.camera = Default::default(); // looking at the origin, not at them
    h.run_steps(2);
    h.get_by_label_contains("has no producer").click();
    h.run_steps(2);
    h.get_all_by_label_contains("Fix: ").next().unwrap().click();
    h.run_steps(3);
    let state = h.state();
    let design = state.doc.design();
    let device = design
        .nodes()
        .iter()
        .find(|n| n.service == "iot_devices")
        .expect("the fix added IoT devices");
    assert!(
        design.parent_of(&device.id).is_none(),
        "devices are not inside the AWS Cloud"
    );
    assert_eq!(
        state.canvas.selection.iter().collect::<Vec<_>>(),
        [&archsketch::model::ElementRef::Node(device.id.clone())]
    );
    let view = state.canvas.last_view.unwrap();
    let on_screen = state.canvas.camera.canvas_to_screen(view, device.pos);
    assert!(view.contains(on_screen), "the view moved to show it");
}

#[test]
fn clicking_a_services_caption_selects_it() {
    let mut h = harness(two_node_design());
    h.run_steps(3);
    let caption = screen_of(&h, Pos::new(0.0, 38.0)); // below the tile, on "Raw zone"
    h.hover_at(caption);
    h.run_steps(1);
    h.drag_at(caption);
    h.step();
    h.drop_at(caption);
    h.run_steps(2);
    assert_eq!(
        h.state().canvas.selection.iter().collect::<Vec<_>>(),
        [&archsketch::model::ElementRef::Node(nid("s3"))]
    );
}

#[test]
fn f1_lists_every_shortcut_from_the_action_table() {
    let mut h = harness(two_node_design());
    h.run_steps(2);
    h.key_press(Key::F1);
    h.run_steps(3);
    assert!(h.state().shortcuts_open);
    assert!(
        h.query_by_label("Duplicate").is_some(),
        "actions are listed"
    );
    assert!(
        h.query_by_label("Alt+drag").is_some(),
        "and the canvas gestures"
    );
    h.key_press(Key::F1);
    h.run_steps(2);
    assert!(!h.state().shortcuts_open, "F1 again closes it");
}

#[test]
fn the_findings_panel_names_the_reference_and_shows_it_beside_the_design() {
    let design = archsketch::io::load_str(
        &std::fs::read_to_string("examples/team/orders.ron").unwrap(),
        "orders.ron",
    )
    .unwrap();
    let mut app = ArchApp::new(Document::unsaved(design, 0), None, RecentFiles::load(None));
    // What the window does for a design opened from examples/team: the pack and references/
    // next to it are the team's standards.
    let (pack, own) =
        archsketch::standards::find(std::path::Path::new("examples/team"), None, None).unwrap();
    app.rule_options.team = Some(std::sync::Arc::new(archsketch::rules::team::Team::new(
        pack, own,
    )));
    let mut h = harness_of(app);
    h.run_steps(3);
    h.get_by_label_contains("TEAM-PII-KMS");
    h.get_by_label("event-pipeline Our event pipeline").click();
    h.run_steps(3);
    h.get_by_label_contains("Reference: Our event pipeline (event-pipeline)");
    h.get_by_label("not in the pipeline");
    h.get_by_label("your \"Place order\"");
}

#[test]
fn file_use_as_reference_matches_pipelines_with_the_chosen_design() {
    let design = archsketch::io::load_str(
        &std::fs::read_to_string("examples/team/orders.ron").unwrap(),
        "orders.ron",
    )
    .unwrap();
    let mut app = ArchApp::new(Document::unsaved(design, 0), None, RecentFiles::load(None));
    assert!(!app.findings().iter().any(|f| f.rule == "event-pipeline"));
    app.use_as_reference(std::path::Path::new(
        "examples/team/references/event-pipeline.ron",
    ));
    let banner = app.banner.clone().unwrap();
    assert!(!banner.is_error, "{}", banner.text);
    let findings = app.findings();
    let f = findings
        .iter()
        .find(|f| f.rule == "event-pipeline")
        .unwrap();
    assert!(f.message.contains("missing Buffer"), "{}", f.message);
    // A file that is no design is refused with a clear banner, and nothing changes.
    app.use_as_reference(std::path::Path::new("README.md"));
    assert!(app.banner.clone().unwrap().is_error);
    assert!(app.findings().iter().any(|f| f.rule == "event-pipeline"));
}

#[test]
fn opening_a_design_reads_the_team_standards_next_to_it() {
    let mut app = ArchApp::new(
        Document::unsaved(Design::default(), 0),
        None,
        RecentFiles::load(None),
    );
    app.open_path(std::path::Path::new("examples/team/orders.ron"));
    let findings = app.findings();
    assert!(findings.iter().any(|f| f.rule == "TEAM-PII-KMS"));
    assert!(findings.iter().any(|f| f.rule == "event-pipeline"));
    // A design elsewhere has only the built-in rules.
    app.open_path(std::path::Path::new(
        "templates/t05-kinesis-lambda-database.ron",
    ));
    assert!(!app.findings().iter().any(|f| f.rule.starts_with("TEAM-")));
}

#[test]
fn the_command_palette_filters_commands_and_runs_the_chosen_one() {
    let mut d = two_node_design();
    *d.node_at_mut(1).unwrap().pos = Pos::new(300.0, 120.0);
    let mut h = harness(d);
    h.run_steps(3);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    h.run_steps(2);
    assert!(h.state().palette_ui.open);
    h.get_by_label_contains("Keyboard shortcuts");
    h.event(egui::Event::Text("align top".into()));
    h.run_steps(2);
    // Only matching commands are listed, each with its shortcut.
    assert!(h.query_by_label_contains("Keyboard shortcuts").is_none());
    h.get_by_label_contains("Align top");
    h.key_press(Key::Enter);
    h.run_steps(3);
    let state = h.state();
    assert!(!state.palette_ui.open);
    let d = state.doc.design();
    assert_eq!(d.nodes()[0].pos.y, d.nodes()[1].pos.y, "Align top ran");
    assert!(state.doc.history().can_undo(), "one undoable step");
}

#[test]
fn right_click_offers_the_commands_for_what_is_under_the_pointer() {
    let mut h = harness(two_node_design());
    h.run_steps(3);
    let s3 = h.get_by_label("Raw zone").rect().center();
    h.event(egui::Event::PointerMoved(s3));
    h.run_steps(1);
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: s3,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.run_steps(2);
    assert_eq!(
        h.state().canvas.selection.len(),
        1,
        "the bucket is selected"
    );
    h.get_by_label_contains("Duplicate");
    h.get_by_label_contains("Delete").click();
    h.run_steps(3);
    let d = &h.state().doc.design().nodes();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].service, "athena");
}

/// Two clicks a frame apart (the harness must step well within the double-click time).
fn double_click(h: &mut Harness<'_, ArchApp>, at: Pos2) {
    h.event(egui::Event::PointerMoved(at));
    h.step();
    for _ in 0..2 {
        for pressed in [true, false] {
            h.event(egui::Event::PointerButton {
                pos: at,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            });
        }
        h.step();
    }
    h.run_steps(2);
}

#[test]
fn double_click_edits_a_label_in_place_enter_commits_escape_cancels() {
    let app = ArchApp::new(
        Document::unsaved(two_node_design(), 0),
        None,
        RecentFiles::load(None),
    );
    let mut h = harness_stepping(app, 0.02);
    h.run_steps(3);
    let tile = h.get_by_label("Raw zone").rect().center();
    double_click(&mut h, tile);
    assert!(h.state().canvas.label_edit.is_some(), "the field opened");
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.event(egui::Event::Text("Landing zone".into()));
    h.run_steps(1);
    assert_eq!(
        h.state().doc.design().nodes()[0].label,
        "Raw zone",
        "nothing changes while typing"
    );
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert!(h.state().canvas.label_edit.is_none());
    assert_eq!(h.state().doc.design().nodes()[0].label, "Landing zone");
    assert_eq!(h.state().doc.history().undo_label(), Some("Rename"));
    // Escape leaves the label as it was.
    let tile = h.get_by_label("Landing zone").rect().center();
    double_click(&mut h, tile);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.event(egui::Event::Text("Scratch".into()));
    h.run_steps(1);
    h.key_press(Key::Escape);
    h.run_steps(3);
    assert!(h.state().canvas.label_edit.is_none());
    assert_eq!(h.state().doc.design().nodes()[0].label, "Landing zone");
    // One Ctrl+Z undoes the whole rename.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().doc.design().nodes()[0].label, "Raw zone");
}

#[test]
fn the_canvas_follows_the_theme_and_the_choice_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let store = SettingsStore::in_dir(dir.path());
    let ctx = egui::Context::default();
    let app = ArchApp::new(
        Document::unsaved(two_node_design(), 0),
        None,
        RecentFiles::load(None),
    )
    .with_settings(&ctx, store.clone());
    assert_eq!(
        app.theme,
        egui::ThemePreference::System,
        "follows the system at first"
    );
    let mut h = harness_of(app);
    h.run_steps(2);
    let ctx = h.ctx.clone();
    h.state_mut().set_theme(&ctx, egui::ThemePreference::Dark);
    h.run_steps(2);
    assert!(h.state().canvas.dark, "a dark window draws a dark canvas");
    let again = ArchApp::new(
        Document::unsaved(Design::default(), 0),
        None,
        RecentFiles::load(None),
    )
    .with_settings(&egui::Context::default(), store);
    assert_eq!(again.theme, egui::ThemePreference::Dark);
}

#[test]
fn the_minimap_shows_a_design_larger_than_the_view_and_moves_the_view() {
    let mut d = two_node_design();
    *d.node_at_mut(1).unwrap().pos = Pos::new(6000.0, 3000.0);
    let mut h = harness(d);
    h.run_steps(3);
    // Fitted, the whole design shows: no map.
    assert!(h.query_by_label("Minimap").is_none());
    // Actual size (100%).
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    h.run_steps(2);
    let state = h.state();
    let view = state.canvas.last_view.unwrap();
    let far = state.doc.design().nodes()[1].pos;
    assert!(!view.contains(state.canvas.camera.canvas_to_screen(view, far)));
    let map = h.get_by_label("Minimap").rect();
    // Click the map's bottom-right corner, where the far service is.
    let target = map.max - egui::vec2(2.0, 2.0);
    h.event(egui::Event::PointerMoved(target));
    h.step();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: target,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run_steps(2);
    let state = h.state();
    let view = state.canvas.last_view.unwrap();
    assert!(
        view.contains(state.canvas.camera.canvas_to_screen(view, far)),
        "the view moved to the far service"
    );
}

#[test]
fn dragging_a_boxs_corner_resizes_it_on_the_grid_never_below_its_contents() {
    let mut d = two_node_design();
    let ids = [el(&d, "s3"), el(&d, "athena")];
    let (cmd, region) = ops::group_selection(&d, &ids, GroupKind::Region).unwrap();
    archsketch::edit::apply(&mut d, cmd).unwrap();
    let mut h = harness(d);
    h.run_steps(3);
    h.state_mut().canvas.selection = [archsketch::model::ElementRef::Group(region.clone())].into();
    h.run_steps(2);
    let handle = h.get_by_label("Resize Region").rect().center();
    let before = h.state_mut().scene().groups[0].rect;
    // Grow by about 200 x 100 canvas units.
    let zoom = h.state().canvas.camera.zoom;
    drag(&mut h, handle, handle + egui::vec2(203.0, 97.0) * zoom);
    let state = h.state();
    let frame = state.doc.design().groups()[0]
        .frame
        .expect("the box has a size of its own");
    assert_eq!(frame.x, before.min.x);
    let corner = (frame.x + frame.width, frame.y + frame.height);
    assert!(
        (corner.0 / 10.0 - (corner.0 / 10.0).round()).abs() < 0.02
            && (corner.1 / 10.0 - (corner.1 / 10.0).round()).abs() < 0.02,
        "the corner is on the grid: {corner:?}"
    );
    assert!(
        frame.width >= before.width() + 190.0,
        "{frame:?} vs {before:?}"
    );
    assert_eq!(
        state.doc.history().undo_label(),
        Some("Resize box"),
        "one step for the whole drag"
    );
    // Dragging the corner into the box stops at what it holds.
    let handle = h.get_by_label("Resize Region").rect().center();
    drag(&mut h, handle, handle - egui::vec2(2000.0, 2000.0) * zoom);
    let after = h.state_mut().scene().groups[0].rect;
    assert!(after.width() >= before.width() - 1.0 && after.height() >= before.height() - 1.0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert!(
        h.state().doc.design().groups()[0].frame.is_none(),
        "two drags, two undos"
    );
}

#[test]
fn a_big_design_is_checked_beside_the_window_and_the_new_findings_arrive() {
    let design = archsketch::model::sample::pipelines(3_000, 200.0);
    let mut app = ArchApp::new(Document::unsaved(design, 0), None, RecentFiles::load(None));
    let before = app.findings().len();
    // Remove a bucket: its pipeline loses findings and gains others.
    let id = app.doc.design().nodes()[1].id.clone();
    let cmd = ops::delete(app.doc.design(), &[archsketch::model::ElementRef::Node(id)]).unwrap();
    app.doc.apply(cmd, None).unwrap();
    let at_once = app.findings();
    assert_eq!(
        at_once.len(),
        before,
        "the frame goes on with the last findings"
    );
    assert!(app.checking());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while app.checking() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
        app.findings();
    }
    let after = app.findings();
    let expected = archsketch::rules::check(app.doc.design());
    assert_eq!(
        after.len(),
        expected.len(),
        "the worker's findings are the design's"
    );
    assert_ne!(after.len(), before);
}

#[test]
fn a_move_a_few_units_off_another_service_lines_up_with_it() {
    // S3 sits off the grid; Athena dragged under it lands on the grid 3 units to its left,
    // and the guide pulls it onto S3's centre line.
    let mut d = two_node_design();
    *d.node_at_mut(0).unwrap().pos = Pos::new(3.0, 0.0);
    let mut h = harness(d.clone());
    h.run_steps(3);
    let zoom = h.state().canvas.camera.zoom;
    let from = screen_of(&h, Pos::new(300.0, 0.0));
    drag(&mut h, from, from + egui::vec2(-300.0 * zoom, 150.0 * zoom));
    let landed = h.state().doc.design().nodes()[1].pos;
    assert_eq!(landed.x, 3.0, "landed at {landed:?}");

    // Farther than the pull: the grid alone decides.
    *d.node_at_mut(0).unwrap().pos = Pos::new(23.0, 0.0);
    let mut h = harness(d);
    h.run_steps(3);
    let from = screen_of(&h, Pos::new(300.0, 0.0));
    drag(&mut h, from, from + egui::vec2(-300.0 * zoom, 150.0 * zoom));
    let landed = h.state().doc.design().nodes()[1].pos;
    assert_eq!(landed.x, 0.0, "landed at {landed:?}");
}

#[test]
fn undo_brings_back_the_selection_of_the_step_and_redo_the_one_after_it() {
    let mut h = harness(two_node_design());
    h.run_steps(3);
    let from = screen_of(&h, Pos::new(300.0, 0.0));
    drag(&mut h, from, from + egui::vec2(0.0, 100.0));
    let athena = ElementRef::Node(nid("athena"));
    assert_eq!(h.state().canvas.selection, BTreeSet::from([athena.clone()]));
    // The selection wanders off to the other service...
    h.get_by_label("Raw zone").click();
    h.run_steps(2);
    assert!(!h.state().canvas.selection.contains(&athena));
    // ...and Undo of the move selects what moved again.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().doc.design().nodes()[1].pos, Pos::new(300.0, 0.0));
    assert_eq!(h.state().canvas.selection, BTreeSet::from([athena.clone()]));
    h.get_by_label("Raw zone").click();
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run_steps(2);
    assert_ne!(h.state().doc.design().nodes()[1].pos, Pos::new(300.0, 0.0));
    assert_eq!(h.state().canvas.selection, BTreeSet::from([athena]));
}

#[test]
fn ctrl_z_during_a_drag_changes_nothing_and_the_drag_stays_one_step() {
    let mut h = harness(two_node_design());
    // Something to undo from before the drag: a rename.
    let rename = archsketch::edit::EditCommand::SetField {
        target: archsketch::edit::Target::Node(nid("s3")),
        field: archsketch::edit::Field::Label,
        value: Some("Landing".into()),
    };
    h.state_mut().doc.apply(rename, None).unwrap();
    h.run_steps(3);
    let from = screen_of(&h, Pos::new(300.0, 0.0));
    let to = from + egui::vec2(0.0, 100.0);
    h.hover_at(from);
    h.run_steps(2);
    h.drag_at(from);
    h.run_steps(2);
    for i in 1..=5 {
        h.hover_at(from + (to - from) * (i as f32 / 5.0));
        h.step();
    }
    let mid = h.state().doc.design().nodes()[1].pos;
    assert_ne!(mid, Pos::new(300.0, 0.0), "the drag is under way");
    let revision = h.state().doc.history().revision();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.step();
    assert_eq!(h.state().doc.history().revision(), revision);
    assert_eq!(h.state().doc.design().nodes()[1].pos, mid);
    h.drop_at(to);
    h.run_steps(3);
    // One undo takes back the whole drag, and nothing else.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().doc.design().nodes()[1].pos, Pos::new(300.0, 0.0));
    assert_eq!(h.state().doc.design().nodes()[0].label, "Landing");
    assert_eq!(h.state().doc.history().undo_label(), Some("Rename"));
}

/// The text the window handed to the system clipboard in its last frame, if any.
fn clipboard_text(h: &Harness<'_, ArchApp>) -> Option<String> {
    h.output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
}

#[test]
fn a_selection_copied_in_one_window_pastes_into_another_through_the_clipboard_text() {
    let mut d = grouped_design();
    let edge = ops::connect(&d, &el(&d, "s3"), &el(&d, "athena")).unwrap();
    archsketch::edit::apply(&mut d, edge).unwrap();
    let mut first = harness(d);
    first.run_steps(3);
    first.key_press_modifiers(Modifiers::COMMAND, Key::A);
    first.run_steps(2);
    first.event(egui::Event::Copy);
    first.step();
    let text = clipboard_text(&first).expect("Copy hands text to the system clipboard");
    // Plain RON a person can read and edit in a text editor.
    assert!(
        text.contains("Design(") && text.contains("Raw zone"),
        "{text}"
    );

    // A second window, a different design: it knows nothing but the clipboard's text.
    let mut second = harness(two_node_design());
    second.run_steps(3);
    second.event(egui::Event::Paste(text));
    second.run_steps(3);
    let copied = first.state().doc.design();
    let d = second.state().doc.design();
    assert_eq!(d.nodes().len(), 2 + copied.nodes().len());
    assert_eq!(d.groups().len(), copied.groups().len());
    assert_eq!(d.edges().len(), 1);
    // Ids that clashed got fresh readable ones; the group holds the pasted nodes.
    let group = &d.groups()[0];
    assert_eq!(group.kind, copied.groups()[0].kind);
    for child in &group.children {
        assert!(
            d.node(child).is_some() || d.group(child).is_some(),
            "{child}"
        );
        assert!(
            !["s3", "athena"].contains(&child.as_str()),
            "{child} is the second window's own"
        );
    }
    assert!(second.state().doc.is_modified());
}

#[test]
fn new_with_unsaved_changes_asks_first_cancel_keeps_save_writes_dont_save_drops() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lake.ron");
    archsketch::io::save_file(&two_node_design(), &path).unwrap();
    let open = |path: &std::path::Path| {
        harness_of(ArchApp::new(
            Document::open(path, 0).unwrap(),
            None,
            RecentFiles::load(None),
        ))
    };
    let rename = |h: &mut Harness<'_, ArchApp>, label: &str| {
        let cmd = archsketch::edit::EditCommand::SetField {
            target: archsketch::edit::Target::Node(nid("s3")),
            field: archsketch::edit::Field::Label,
            value: Some(label.into()),
        };
        h.state_mut().doc.apply(cmd, None).unwrap();
        h.run_steps(2);
    };

    let mut h = open(&path);
    h.run_steps(3);
    rename(&mut h, "Landing");
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run_steps(2);
    h.get_by_label("Save changes?");
    // Cancel: nothing happens to the design.
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert!(h.query_by_label("Save changes?").is_none());
    assert_eq!(h.state().doc.design().nodes()[0].label, "Landing");

    // Save: the file gets the change, then the new design opens.
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run_steps(2);
    h.get_by_label("Save").click();
    h.run_steps(2);
    assert!(h.state().doc.design().nodes().is_empty(), "the new design");
    let saved = archsketch::io::load_file(&path).unwrap();
    assert_eq!(saved.nodes()[0].label, "Landing");

    // Don't save: the change is dropped, the file keeps what it had.
    let mut h = open(&path);
    h.run_steps(3);
    rename(&mut h, "Never saved");
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run_steps(2);
    h.get_by_label("Don't save").click();
    h.run_steps(2);
    assert!(h.state().doc.design().nodes().is_empty());
    assert_eq!(
        archsketch::io::load_file(&path).unwrap().nodes()[0].label,
        "Landing"
    );
}

#[test]
fn saving_over_a_file_changed_on_disk_asks_and_cancel_keeps_the_other_work() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ron");
    archsketch::io::save_file(&two_node_design(), &path).unwrap();
    let mut h = harness_of(ArchApp::new(
        Document::open(&path, 0).unwrap(),
        None,
        RecentFiles::load(None),
    ));
    h.run_steps(3);
    let cmd = archsketch::edit::EditCommand::SetField {
        target: archsketch::edit::Target::Node(nid("s3")),
        field: archsketch::edit::Field::Label,
        value: Some("Mine".into()),
    };
    h.state_mut().doc.apply(cmd, None).unwrap();
    // Another window saves the same file meanwhile.
    let mut theirs = two_node_design();
    *theirs.node_at_mut(0).unwrap().label = "Theirs".into();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&path, archsketch::io::to_ron_string(&theirs)).unwrap();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    h.get_by_label("The file changed on disk");
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert_eq!(
        archsketch::io::load_file(&path).unwrap().nodes()[0].label,
        "Theirs"
    );
    assert!(
        h.state().doc.is_modified(),
        "this window's work is still unsaved"
    );
    // Overwrite is the person's choice.
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    h.get_by_label("Overwrite").click();
    h.run_steps(2);
    assert_eq!(
        archsketch::io::load_file(&path).unwrap().nodes()[0].label,
        "Mine"
    );
    assert!(!h.state().doc.is_modified());
    // The near miss: nothing changed on disk since, so the next save asks nothing.
    let cmd = archsketch::edit::EditCommand::SetField {
        target: archsketch::edit::Target::Node(nid("s3")),
        field: archsketch::edit::Field::Label,
        value: Some("Mine again".into()),
    };
    h.state_mut().doc.apply(cmd, None).unwrap();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    assert!(h.query_by_label("The file changed on disk").is_none());
    assert_eq!(
        archsketch::io::load_file(&path).unwrap().nodes()[0].label,
        "Mine again"
    );
}

#[test]
fn align_and_distribute_from_the_keyboard_are_one_undo_step_each() {
    let mut d = two_node_design();
    let (c, _) = ops::add_node(&d, "glue", Pos::new(130.0, 400.0), None);
    archsketch::edit::apply(&mut d, c).unwrap();
    *d.node_at_mut(1).unwrap().pos = Pos::new(300.0, 70.0);
    let mut h = harness(d);
    h.run_steps(3);
    let press = |h: &mut Harness<'_, ArchApp>, modifiers, key| {
        h.key_press_modifiers(modifiers, key);
        h.run_steps(2);
        let d = h.state().doc.design();
        let at: Vec<(f32, f32)> = d.nodes().iter().map(|n| (n.pos.x, n.pos.y)).collect();
        at
    };
    press(&mut h, Modifiers::COMMAND, Key::A);
    let at = press(&mut h, Modifiers::ALT | Modifiers::SHIFT, Key::L);
    assert!(at.iter().all(|p| p.0 == 0.0), "aligned left: {at:?}");
    let at = press(&mut h, Modifiers::ALT | Modifiers::SHIFT, Key::V);
    let ys: Vec<f32> = at.iter().map(|p| p.1).collect();
    assert_eq!(ys, [0.0, 200.0, 400.0], "spread evenly down");
    let at = press(&mut h, Modifiers::COMMAND, Key::Z);
    let ys: Vec<f32> = at.iter().map(|p| p.1).collect();
    assert_eq!(
        ys,
        [0.0, 70.0, 400.0],
        "one undo takes back the spread only"
    );
}

#[test]
fn dragging_the_end_segment_of_a_straight_connection_slides_it_then_jogs() {
    let mut h = connected_pair(Pos::new(300.0, 0.0));
    let route = drawn_route(&h);
    assert_eq!(route.len(), 2, "one straight segment: {route:?}");
    let mid = Pos::new(150.0, 0.0);
    // A little: both ports slide along the tiles' sides, the line stays straight.
    let (from, to) = (screen_of(&h, mid), screen_of(&h, mid.offset(0.0, 14.0)));
    drag(&mut h, from, to);
    let drawn = drawn_route(&h);
    assert_eq!(drawn.len(), 2, "{drawn:?}");
    assert!(
        (drawn[0].y - 14.0).abs() < 2.0 && drawn[0].y == drawn[1].y,
        "{drawn:?}"
    );
    // Far beyond the tiles: the ports stay, the route jogs out and back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    let (from, to) = (screen_of(&h, mid), screen_of(&h, mid.offset(0.0, 90.0)));
    drag(&mut h, from, to);
    let drawn = drawn_route(&h);
    assert_eq!(drawn.len(), 6, "{drawn:?}");
    assert_eq!((drawn[0].y, drawn[5].y), (0.0, 0.0));
    assert!((drawn[2].y - 90.0).abs() < 2.0, "{drawn:?}");
}

#[test]
fn importing_a_drawio_file_of_several_pages_asks_which_page() {
    let mut h = harness(Design::default());
    h.state_mut().import_path(std::path::Path::new(
        "tests/fixtures/drawio/closed-network.drawio",
    ));
    h.run_steps(2);
    // Both pages are offered by name; nothing is imported until one is picked.
    assert!(h.state().doc.design().nodes().is_empty());
    h.get_by_label("1. stacks");
    h.get_by_label("2. Page-1").click();
    h.run_steps(3);
    let design = h.state().doc.design();
    assert!(design.nodes().len() > 25, "{}", design.nodes().len());
    assert!(
        h.state()
            .banner
            .as_ref()
            .is_some_and(|b| b.text.contains("page \"Page-1\" of 2")),
        "{:?}",
        h.state().banner
    );
}

#[test]
fn every_menu_item_is_an_action_that_runs_from_the_table() {
    use archsketch::ui::actions::{self, Action};
    use archsketch::ui::edits::Edits;
    let ctx = egui::Context::default();
    let mut app = ArchApp::new(
        Document::unsaved(two_node_design(), 0),
        None,
        RecentFiles::load(None),
    );
    let raw = app.doc.design().nodes()[0].id.clone();
    // Group as needs a selection, and says which box it makes.
    assert!(!app.can_run(Action::GroupAs(GroupKind::Vpc)));
    app.canvas.selection = BTreeSet::from([ElementRef::Node(raw.clone())]);
    assert!(app.can_run(Action::GroupAs(GroupKind::Vpc)));
    assert_eq!(
        app.action_name(Action::GroupAs(GroupKind::Vpc)),
        "Group as VPC"
    );
    let mut edits = Edits::default();
    app.run(&ctx, Action::GroupAs(GroupKind::Vpc), &mut edits);
    app.apply(edits);
    let groups = app.doc.design().groups();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].kind, GroupKind::Vpc);
    assert_eq!(groups[0].children, [raw.as_str()]);
    // On/off actions say whether they are on, and running one turns it over.
    let snap = app.checked(Action::SnapToGrid);
    assert_eq!(snap, Some(true));
    app.run(&ctx, Action::SnapToGrid, &mut Edits::default());
    assert_eq!(app.checked(Action::SnapToGrid), Some(false));
    app.run(
        &ctx,
        Action::Theme(egui::ThemePreference::Dark),
        &mut Edits::default(),
    );
    assert_eq!(
        app.checked(Action::Theme(egui::ThemePreference::Dark)),
        Some(true)
    );
    assert_eq!(
        app.checked(Action::Theme(egui::ThemePreference::Light)),
        Some(false)
    );
    assert_eq!(app.checked(Action::Undo), None);
    // The command palette offers every action once, Group as once for every kind of box.
    let all: Vec<Action> = actions::all().collect();
    for kind in GroupKind::ALL {
        assert_eq!(
            all.iter().filter(|a| **a == Action::GroupAs(kind)).count(),
            1
        );
    }
    assert_eq!(all.len(), actions::ACTIONS.len() + GroupKind::ALL.len());
}
