//! Opening what a stranger sent in the real window (egui_kittest): a design with a huge label
//! draws its frames quickly, the label shown cut to a length a person can read.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use common::nid;

use std::time::{Duration, Instant};

use archsketch::model::{Design, Node, Pos};
use archsketch::ui::ArchApp;
use archsketch::ui::document::{Document, RecentFiles};
use egui_kittest::Harness;

/// The window around `app`, as the real one is set up.
fn window(app: ArchApp) -> Harness<'static, ArchApp> {
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_context_setup(|ctx| {
            egui_extras::install_image_loaders(ctx);
            ctx.set_theme(egui::Theme::Light);
        })
        .build_ui_state(|ui, app: &mut ArchApp| app.show(ui), app)
}

fn frames_of(design: Design) -> Duration {
    let mut h = window(ArchApp::new(
        Document::unsaved(design, 0),
        None,
        RecentFiles::load(None),
    ));
    let start = Instant::now();
    h.run_steps(4);
    // Selected, the inspector shows the label too.
    h.state_mut()
        .canvas
        .selection
        .insert(archsketch::model::ElementRef::Node(nid("big")));
    h.run_steps(4);
    start.elapsed()
}

#[test]
fn a_ten_megabyte_label_does_not_stall_the_window() {
    let mut design = Design::default();
    let mut node = Node::new(nid("big"), "s3", Pos::new(0.0, 0.0));
    node.label = "word ".repeat(2_000_000);
    design.push_node(node).unwrap();
    design
        .push_node(Node::new(nid("other"), "sqs", Pos::new(300.0, 0.0)))
        .unwrap();
    let took = frames_of(design);
    assert!(took < Duration::from_secs(20), "eight frames took {took:?}");
}

#[test]
fn attack_files_open_in_the_window_as_a_message_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let deep_xml = dir.path().join("deep.drawio");
    std::fs::write(
        &deep_xml,
        format!(
            "<mxfile><diagram name=\"P\"><mxGraphModel><root>{}{}</root></mxGraphModel></diagram></mxfile>",
            "<object id=\"x\">".repeat(20_000),
            "</object>".repeat(20_000)
        ),
    )
    .unwrap();
    let deep_yaml = dir.path().join("deep.yaml");
    std::fs::write(&deep_yaml, format!("Resources: {}", "[".repeat(25_000))).unwrap();
    let mut bomb = String::from("Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n");
    bomb.push_str(
        "      a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for level in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
        let prev = (level as u8 - 1) as char;
        bomb.push_str(&format!(
            "      {level}: &{level} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    let bomb_file = dir.path().join("bomb.yaml");
    std::fs::write(&bomb_file, bomb).unwrap();
    for file in [
        deep_xml.as_path(),
        deep_yaml.as_path(),
        bomb_file.as_path(),
        std::path::Path::new("/dev/zero"),
    ] {
        let start = Instant::now();
        let mut h = window(ArchApp::start(Some(file), RecentFiles::load(None)));
        h.run_steps(3);
        assert!(
            h.state().doc.design().nodes().is_empty(),
            "{}: nothing of it is opened",
            file.display()
        );
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{}",
            file.display()
        );
    }
}
