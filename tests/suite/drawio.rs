//! draw.io both ways: every template survives export and import with the same services,
//! labels, groups and edges; compressed pages read; a real draw.io file reads; bad files get
//! a clear error.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use archsketch::drawio::{import_drawio, to_drawio};
use archsketch::model::Design;
use base64::Engine as _;

/// What a round trip must keep, in a comparable form.
fn essence(d: &Design) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut nodes: Vec<String> = d
        .nodes()
        .iter()
        .map(|n| format!("{}:{}:{}:{:?}", n.id, n.service, n.label, n.props))
        .collect();
    let mut groups: Vec<String> = d
        .groups()
        .iter()
        .map(|g| {
            let mut children = g.children.clone();
            children.sort();
            format!("{}:{:?}:{}:{children:?}", g.id, g.kind, g.label)
        })
        .collect();
    let mut edges: Vec<String> = d
        .edges()
        .iter()
        .map(|e| format!("{}->{}:{:?}:{}", e.from, e.to, e.kind, e.label))
        .collect();
    nodes.sort();
    groups.sort();
    edges.sort();
    (nodes, groups, edges)
}

#[test]
fn every_template_comes_back_from_drawio_as_it_went() {
    for t in archsketch::templates::TEMPLATES {
        let design = t.design().unwrap();
        let file = to_drawio(&design);
        let back = import_drawio(&file, "t.drawio").unwrap();
        assert_eq!(essence(&back.design), essence(&design), "{}", t.id);
        assert!(back.design.validate().is_ok(), "{}", t.id);
        // Positions as on the canvas.
        for n in design.nodes() {
            let m = back.design.node(&n.id).unwrap();
            assert!(
                (m.pos.x - n.pos.x).abs() < 0.5 && (m.pos.y - n.pos.y).abs() < 0.5,
                "{}",
                n.id
            );
        }
    }
}

#[test]
fn the_file_uses_drawio_aws_shapes_and_connected_orthogonal_edges() {
    let design = archsketch::templates::TEMPLATES[0].design().unwrap();
    let file = to_drawio(&design);
    assert!(file.starts_with("<mxfile"));
    assert!(file.contains("shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.s3;"));
    assert!(file.contains("grIcon=mxgraph.aws4.group_aws_cloud_alt"));
    assert!(file.contains("edgeStyle=orthogonalEdgeStyle"));
    let doc = roxmltree::Document::parse(&file).unwrap();
    let ids: std::collections::HashSet<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let edges: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("edge") == Some("1"))
        .collect();
    assert_eq!(edges.len(), design.edges().len());
    for e in edges {
        assert!(ids.contains(e.attribute("source").unwrap()));
        assert!(ids.contains(e.attribute("target").unwrap()));
    }
}

#[test]
fn a_compressed_page_reads_like_a_plain_one() {
    let design = archsketch::templates::TEMPLATES[1].design().unwrap();
    let plain = to_drawio(&design);
    let model_start = plain.find("<mxGraphModel").unwrap();
    let model_end = plain.find("</mxGraphModel>").unwrap() + "</mxGraphModel>".len();
    let model = &plain[model_start..model_end];
    // draw.io's own packing: URL-encode, raw deflate, base64.
    let encoded = percent_encoding::utf8_percent_encode(model, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    let packed = base64::engine::general_purpose::STANDARD
        .encode(miniz_oxide::deflate::compress_to_vec(encoded.as_bytes(), 6));
    let compressed =
        format!("<mxfile><diagram id=\"x\" name=\"Page-1\">{packed}</diagram></mxfile>");
    let back = import_drawio(&compressed, "c.drawio").unwrap();
    assert_eq!(essence(&back.design), essence(&design));
}

#[test]
fn a_real_drawio_aws_template_reads_as_services_groups_and_edges() {
    let text = std::fs::read_to_string("tests/fixtures/drawio/aws-3.drawio").unwrap();
    let imported = import_drawio(&text, "aws-3.drawio").unwrap();
    let d = &imported.design;
    let mut services: Vec<&str> = d.nodes().iter().map(|n| n.service.as_str()).collect();
    services.sort();
    services.dedup();
    assert_eq!(
        services,
        [
            "cloudtrail",
            "cloudwatch",
            "dynamodb",
            "kinesis_firehose",
            "lambda",
            "s3",
            "sns",
            "sqs"
        ]
    );
    // Its S3 "Object" is drawn with S3's object shape: part of S3, kept with its arrow.
    assert_eq!(d.nodes().len(), 13);
    assert_eq!(d.edges().len(), 13);
    assert!(
        !imported.report.to_string().contains("does not know")
            && !imported.report.to_string().contains("not connected"),
        "{}",
        imported.report
    );
    let clouds = d
        .groups()
        .iter()
        .filter(|g| g.kind == archsketch::model::GroupKind::AwsCloud)
        .count();
    assert_eq!(clouds, 2, "two accounts, each in an AWS Cloud box");
    // Drawn side by side, they stay side by side: archsketch's padding must not make them overlap.
    let scene = archsketch::scene::build_layout_only(d);
    let top: Vec<_> = scene.groups.iter().filter(|g| g.depth == 0).collect();
    for (k, a) in top.iter().enumerate() {
        for b in &top[k + 1..] {
            assert!(
                a.rect.intersection(b.rect).is_empty(),
                "{} and {} overlap",
                a.caption,
                b.caption
            );
        }
    }
    // Every service sits in a box drawn around it, though the file does not nest them.
    let placed: usize = d.groups().iter().map(|g| g.children.len()).sum();
    assert!(placed >= 12, "{placed}");
    assert!(d.validate().is_ok());
    let sqs = d.nodes().iter().find(|n| n.service == "sqs").unwrap();
    let lambda = d.nodes().iter().find(|n| n.service == "lambda").unwrap();
    let e = d
        .edges()
        .iter()
        .find(|e| e.from == sqs.id && e.to == lambda.id)
        .expect("the queue triggers the function");
    assert_eq!(e.kind, archsketch::model::EdgeKind::Trigger);
}

#[test]
fn bad_files_get_a_clear_error_and_never_a_panic() {
    let cases = [
        ("not xml at all", "not a readable draw.io file"),
        ("<svg></svg>", "not a draw.io file"),
        ("<mxfile></mxfile>", "has no page"),
        (
            "<mxfile><diagram>!!!not base64</diagram></mxfile>",
            "not base64",
        ),
        (
            "<mxfile><diagram>AAAA</diagram></mxfile>",
            "does not inflate",
        ),
        ("<mxGraphModel></mxGraphModel>", "no <root>"),
    ];
    for (text, expected) in cases {
        let err = import_drawio(text, "bad.drawio").unwrap_err().to_string();
        assert!(err.starts_with("bad.drawio"), "{err}");
        assert!(err.contains(expected), "{text}: {err}");
    }
    // Cells pointing at missing parents or at themselves still read.
    let odd = r#"<mxGraphModel><root><mxCell id="0"/><mxCell id="a" parent="b" vertex="1" style="shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.s3;"><mxGeometry x="1" y="2" width="48" height="48" as="geometry"/></mxCell><mxCell id="b" parent="a" vertex="1" style="container=1;"/><mxCell id="e" edge="1" source="a" target="zz" parent="0"/></root></mxGraphModel>"#;
    let imported = import_drawio(odd, "odd.drawio").unwrap();
    assert_eq!(imported.design.nodes().len(), 1);
    assert!(
        imported
            .report
            .to_string()
            .contains("1 edges not connected"),
        "{}",
        imported.report
    );
}

#[test]
fn the_commands_export_and_import_drawio() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.drawio");
    let back = dir.path().join("back.ron");
    let bin = env!("CARGO_BIN_EXE_archsketch");
    let template = "templates/t01-s3-data-lake.ron";
    let export = Command::new(bin)
        .args(["export", template, "-o", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let import = Command::new(bin)
        .args([
            "import",
            file.to_str().unwrap(),
            "-o",
            back.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let original = archsketch::io::load_file(std::path::Path::new(template)).unwrap();
    let again = archsketch::io::load_file(&back).unwrap();
    assert_eq!(essence(&again), essence(&original));
}
