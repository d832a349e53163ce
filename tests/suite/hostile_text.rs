//! Text a design can hold that would harm an output if written raw: terminal escapes, bidi
//! overrides, characters XML forbids, markup look-alikes, NUL. Every output stays what it
//! claims to be: one line per finding on a terminal, valid JSON and SARIF, SVG that parses as
//! XML, PNG and PDF that render.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use common::nid;

use std::process::Command;

use archsketch::export::{self, ExportOptions, Format, RasterSize};
use archsketch::io;

/// Labels and a bucket name made of everything hostile at once.
const PAYLOADS: [&str; 8] = [
    "ok\u{1b}[2K\rFAKE: all clear\n",
    "\u{1b}]0;pwned\u{7}title",
    "c1\u{85}\u{9b}31m",
    "bidi \u{202e}txt.exe\u{202c} \u{2066}x\u{2069}",
    "nonchars \u{fffe}\u{ffff}",
    "cdata ]]> end",
    "</text><script>alert(1)</script>",
    "nul \u{0} here",
];

fn hostile_design() -> String {
    let mut nodes = String::new();
    for (i, p) in PAYLOADS.iter().enumerate() {
        nodes.push_str(&format!(
            "Node(id: \"n{i}\", service: \"s3\", label: {}, pos: ({}.0, 0.0), props: {{\"bucket_name\": {}}}),\n",
            io::quote(p),
            i * 160,
            io::quote(p)
        ));
    }
    format!(
        "Design(format: 1, title: {}, nodes: [\n{nodes}])\n",
        io::quote(PAYLOADS[0])
    )
}

fn run(args: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_archsketch"))
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn acts_on_a_terminal(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn every_output_survives_hostile_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.ron");
    std::fs::write(&path, hostile_design()).unwrap();
    let file = path.to_str().unwrap();
    let design = io::load_file(&path).expect("hostile text is still a valid design");

    // Text: nothing acts on the terminal, and each finding is one line.
    let (text, _) = run(&["check", file]);
    assert!(!text.chars().any(acts_on_a_terminal), "{text:?}");
    let findings = archsketch::rules::check(&design).len();
    assert_eq!(text.lines().count(), findings + 1, "{text}");
    assert!(text.contains("\\u{1b}[2K"), "escapes are shown: {text}");

    // JSON and SARIF parse, and keep the text exactly.
    for format in ["json", "sarif"] {
        let (out, _) = run(&["check", file, "--format", format]);
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(value.to_string().contains("FAKE: all clear"), "{format}");
    }

    // SVG parses as XML, and no markup got in.
    let options = ExportOptions {
        title: true,
        ..ExportOptions::default()
    };
    let svg = export::to_svg(&design, &options);
    let doc = roxmltree::Document::parse(&svg).expect("the SVG is XML");
    assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
    assert!(svg.contains("&lt;/text&gt;"));

    // draw.io is XML too; PNG and PDF render.
    let size = RasterSize::Scale(1.0);
    let drawio = export::render(&design, Format::Drawio, &options, size).unwrap();
    roxmltree::Document::parse(std::str::from_utf8(&drawio).unwrap()).expect("draw.io is XML");
    let png = export::render(&design, Format::Png, &options, size).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let pdf = export::render(&design, Format::Pdf, &options, size).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
}

#[test]
fn load_errors_do_not_reach_the_terminal_raw() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.ron");
    std::fs::write(
        &path,
        "Design(format: 1, nodes: [Node(id: \"a\", service: \"s3\", pos: (0.0, 0.0))], edges: [Edge(from: \"a\", to: \"x\\u{1b}]0;title\\u{7}\")])",
    )
    .unwrap();
    let (_, err) = run(&["check", path.to_str().unwrap()]);
    assert!(err.contains("no node or group"), "{err}");
    assert!(!err.chars().any(acts_on_a_terminal), "{err:?}");
}

#[test]
fn a_drawio_export_keeps_labels_as_text_links_to_the_web_and_ids_clear_of_drawios_own() {
    let design = io::load_str(
        r#"Design(format: 1, nodes: [
  Node(id: "0", service: "s3", pos: (0.0, 0.0), label: "<img src=x onerror=alert(1)> & <b>b</b>", props: {"link": "javascript:alert(1)"}),
  Node(id: "1", service: "lambda", pos: (300.0, 0.0), label: "fn", props: {"link": "https://example.com/?a=1&b=2"}),
  Node(id: "cell-0", service: "sqs", pos: (600.0, 0.0), props: {"link": " JavaScript:alert(2)"}),
], edges: [Edge(from: "1", to: "0", kind: Data), Edge(from: "0", to: "cell-0", kind: Data)])"#,
        "hostile",
    )
    .unwrap();
    let xml = archsketch::drawio::to_drawio(&design);
    // No cell draw.io renders as HTML, so a label is shown as the characters it holds.
    assert!(!xml.contains("html=1"), "{xml}");
    // A script link never becomes a hyperlink; a web link does.
    assert!(!xml.to_ascii_lowercase().contains("javascript:"), "{xml}");
    assert!(xml.contains(r#"link="https://example.com/?a=1&amp;b=2""#));
    // Ids "0" and "1" are draw.io's root and layer: each cell id is used once.
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let mut ids: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("mxCell") || n.has_tag_name("object"))
        .filter_map(|n| n.attribute("id"))
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "a cell id is used twice: {xml}");
    // Read back, the design is the same: ids, labels, the edges between them.
    let back = archsketch::drawio::import_drawio(&xml, "back.drawio")
        .unwrap()
        .design;
    let ids: Vec<&str> = back.nodes().iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["0", "1", "cell-0"]);
    assert_eq!(back.nodes()[0].label, design.nodes()[0].label);
    let edges: Vec<(&str, &str)> = back
        .edges()
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    assert_eq!(edges, [("1", "0"), ("0", "cell-0")]);
}

#[test]
fn a_label_too_long_to_draw_whole_is_exported_whole_to_drawio_and_cut_in_pictures() {
    let long = "long words ".repeat(500);
    let mut design = archsketch::model::Design::default();
    let mut node =
        archsketch::model::Node::new(nid("a"), "s3", archsketch::model::Pos::new(0.0, 0.0));
    node.label = long.trim().to_string();
    design.push_node(node).unwrap();
    let xml = archsketch::drawio::to_drawio(&design);
    let back = archsketch::drawio::import_drawio(&xml, "long.drawio")
        .unwrap()
        .design;
    assert_eq!(
        back.nodes()[0].label,
        long.trim(),
        "a file format keeps every character"
    );
    let svg = export::to_svg(&design, &ExportOptions::default());
    assert!(
        svg.len() < 40_000,
        "a picture draws a few lines of it: {} bytes",
        svg.len()
    );
}

#[test]
fn a_finding_quotes_a_long_label_short_enough_to_read_in_a_list() {
    let mut design = archsketch::model::Design::default();
    let mut node =
        archsketch::model::Node::new(nid("a"), "s3", archsketch::model::Pos::new(0.0, 0.0));
    node.label = "Ingest bucket for raw clickstream events ".repeat(50);
    design.push_node(node).unwrap();
    let findings = archsketch::rules::check(&design);
    let quoted = findings.iter().find(|f| f.rule == "R063").unwrap();
    assert!(
        quoted.message.chars().count() < 160,
        "{} characters: {}",
        quoted.message.chars().count(),
        quoted.message
    );
    assert!(quoted.message.contains("Ingest bucket for raw"));
    // The near miss: a label of ordinary length is quoted whole.
    let short = archsketch::rules::check(&{
        let mut d = archsketch::model::Design::default();
        let mut n =
            archsketch::model::Node::new(nid("b"), "s3", archsketch::model::Pos::new(0.0, 0.0));
        n.label = "Raw zone".into();
        d.push_node(n).unwrap();
        d
    });
    assert!(short.iter().any(|f| f.message.contains("\"Raw zone\"")));
}
