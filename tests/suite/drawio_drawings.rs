//! draw.io diagrams as people draw them: every page, every AWS stencil family, boxes by
//! their drawn rectangles, names in text boxes, loose arrows, notes, and findings true of
//! the drawing. Real diagrams (tests/fixtures/drawio/SOURCES) and small hand-made ones.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use common::nid;

use std::process::Command;

use archsketch::drawio::{PagePick, import_drawio, import_drawio_page, import_pages, to_drawio};
use archsketch::model::{Design, EdgeKind, GroupKind};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("tests/fixtures/drawio/{name}")).unwrap()
}

/// A one-page draw.io file of these cells (after the root and layer cells).
fn page(cells: &str) -> String {
    format!(
        r#"<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>{cells}</root></mxGraphModel>"#
    )
}

fn vertex(id: &str, label: &str, style: &str, (x, y, w, h): (f32, f32, f32, f32)) -> String {
    format!(
        r#"<mxCell id="{id}" value="{label}" style="{style}" vertex="1" parent="1"><mxGeometry x="{x}" y="{y}" width="{w}" height="{h}" as="geometry"/></mxCell>"#
    )
}

fn loose_edge(id: &str, from: (f32, f32), to: (f32, f32)) -> String {
    format!(
        r#"<mxCell id="{id}" style="edgeStyle=orthogonalEdgeStyle;" edge="1" parent="1"><mxGeometry relative="1" as="geometry"><mxPoint x="{}" y="{}" as="sourcePoint"/><mxPoint x="{}" y="{}" as="targetPoint"/></mxGeometry></mxCell>"#,
        from.0, from.1, to.0, to.1
    )
}

const S3: &str = "shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.s3;";
const LAMBDA: &str = "shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.lambda;";
const TEXT: &str = "text;html=1;strokeColor=none;fillColor=none;";

fn service_of<'a>(d: &'a Design, label: &str) -> &'a str {
    &d.nodes().iter().find(|n| n.label == label).unwrap().service
}

fn parent_kind(d: &Design, id: &str) -> Option<GroupKind> {
    d.groups()
        .iter()
        .find(|g| g.children.iter().any(|c| c == id))
        .map(|g| g.kind)
}

#[test]
fn every_stencil_family_reads_as_its_service() {
    let cells = [
        ("a", "mxgraph.aws3.ec2", "ec2"),
        ("b", "mxgraph.aws3.sqs", "sqs"),
        ("c", "mxgraph.aws3.application_load_balancer", "elb"),
        ("d", "mxgraph.aws3.route_53", "route53"),
        ("e", "mxgraph.aws3d.elasticLoadBalancing", "elb"),
        (
            "f",
            "mxgraph.aws2.compute_and_networking.ec2_instance",
            "ec2",
        ),
        ("g", "mxgraph.aws4.lambda_function", "lambda"),
        ("h", "mxgraph.aws4.rds_instance", "rds"),
        ("i", "mxgraph.aws4.nat_gateway", "nat_gateway"),
        ("j", "mxgraph.aws4.elastic_ip_address", "elastic_ip"),
        ("k", "mxgraph.aws3.users", "users"),
    ];
    let body: String = cells
        .iter()
        .enumerate()
        .map(|(i, (id, shape, _))| {
            vertex(
                id,
                id,
                &format!("shape={shape};"),
                (i as f32 * 120.0, 0.0, 60.0, 60.0),
            )
        })
        .collect();
    // An instance type is EC2 with its type.
    let body = body
        + &vertex(
            "m4",
            "m4",
            "shape=mxgraph.aws4.m4_instance;",
            (0.0, 300.0, 48.0, 48.0),
        );
    let d = import_drawio(&page(&body), "families.drawio")
        .unwrap()
        .design;
    for (id, shape, service) in cells {
        assert_eq!(service_of(&d, id), service, "{shape}");
    }
    let m4 = d.nodes().iter().find(|n| n.label == "m4").unwrap();
    assert_eq!(m4.service, "ec2");
    assert_eq!(
        m4.props.get("instance_type").map(String::as_str),
        Some("m4")
    );
}

#[test]
fn a_text_box_under_an_icon_names_it_and_other_text_becomes_a_note() {
    let body = [
        vertex("s3", "", S3, (0.0, 0.0, 60.0, 60.0)),
        vertex("name", "Raw zone", TEXT, (-10.0, 64.0, 80.0, 20.0)),
        vertex("title", "Clickstream pipeline", TEXT, (400.0, -200.0, 200.0, 30.0)),
        // An arrow glued to the name belongs to the icon it names.
        vertex("fn", "Loader", LAMBDA, (300.0, 0.0, 60.0, 60.0)),
        r#"<mxCell id="e" edge="1" parent="1" source="fn" target="name"><mxGeometry relative="1" as="geometry"/></mxCell>"#.into(),
    ]
    .concat();
    let imported = import_drawio(&page(&body), "names.drawio").unwrap();
    let d = &imported.design;
    assert_eq!(service_of(d, "Raw zone"), "s3");
    let note = d.nodes().iter().find(|n| n.is_note()).unwrap();
    assert_eq!(note.label, "Clickstream pipeline");
    assert_eq!(
        d.nodes().iter().filter(|n| n.is_note()).count(),
        1,
        "the name is used up"
    );
    assert_eq!(d.edges().len(), 1);
    assert_eq!(
        (d.edges()[0].from.as_str(), d.edges()[0].to.as_str()),
        ("fn", "s3")
    );
    assert!(
        imported.report.to_string().contains("1 notes"),
        "{}",
        imported.report
    );
    // Notes are not checked.
    let findings = archsketch::rules::check(d);
    assert!(
        findings.iter().all(|f| !f
            .elements
            .iter()
            .any(|e| e.display_id() == note.id.as_str())),
        "{findings:?}"
    );
}

#[test]
fn loose_arrows_reach_the_shapes_they_touch_or_point_at() {
    let body = [
        vertex("users", "Users", "ellipse;", (0.0, 0.0, 60.0, 60.0)),
        vertex("fn", "Loader", LAMBDA, (200.0, 0.0, 60.0, 60.0)),
        vertex("s3", "Bucket", S3, (400.0, 0.0, 60.0, 60.0)),
        // On the outline of the ellipse's box and of the function.
        loose_edge("a", (60.0, 30.0), (202.0, 30.0)),
        // Stops 30 units short of the bucket, pointing at it.
        loose_edge("b", (262.0, 30.0), (370.0, 30.0)),
        // Ends in the empty page: not an arrow between two things.
        loose_edge("c", (230.0, 200.0), (230.0, 400.0)),
    ]
    .concat();
    let imported = import_drawio(&page(&body), "loose.drawio").unwrap();
    let d = &imported.design;
    let pairs: Vec<(&str, &str)> = d
        .edges()
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    assert_eq!(pairs, [("users", "fn"), ("fn", "s3")]);
    // A plain shape an arrow reaches stands for what its label says.
    assert_eq!(service_of(d, "Users"), "users");
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
fn boxes_are_what_is_drawn_around_things_and_keep_their_place() {
    let group = |icon: &str| {
        format!(
            "shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.{icon};strokeColor=#8C4FFF;fillColor=none;"
        )
    };
    let az = "fillColor=none;strokeColor=#147EBA;dashed=1;";
    let body = [
        // A VPC with two zones drawn as bands reaching past its left border.
        vertex(
            "vpc",
            "VPC",
            &group("group_vpc2"),
            (100.0, 0.0, 800.0, 500.0),
        ),
        vertex("az1", "Availability Zone 1", az, (50.0, 40.0, 900.0, 200.0)),
        vertex(
            "az2",
            "Availability Zone 2",
            az,
            (50.0, 260.0, 900.0, 200.0),
        ),
        // Subnets drawn on top, not grouped in the file.
        vertex(
            "pub",
            "Public subnet",
            "fillColor=#E9F3E6;strokeColor=#7AA116;",
            (150.0, 60.0, 300.0, 160.0),
        ),
        vertex(
            "priv",
            "Private subnet",
            "fillColor=#E6F6F7;strokeColor=#00A4A6;",
            (150.0, 280.0, 300.0, 160.0),
        ),
        // An empty subnet is kept where it was drawn.
        vertex(
            "spare",
            "Private subnet 2",
            "fillColor=#E6F6F7;strokeColor=#00A4A6;",
            (500.0, 280.0, 300.0, 160.0),
        ),
        vertex(
            "web",
            "Web",
            "shape=mxgraph.aws4.instance2;",
            (250.0, 100.0, 48.0, 48.0),
        ),
    ]
    .concat();
    let d = import_drawio(&page(&body), "boxes.drawio").unwrap().design;
    let kind = |id: &str| {
        d.groups()
            .iter()
            .find(|g| g.id.as_str() == id)
            .unwrap()
            .kind
    };
    assert_eq!(kind("vpc"), GroupKind::Vpc);
    assert_eq!(kind("az1"), GroupKind::AvailabilityZone);
    assert_eq!(kind("pub"), GroupKind::PublicSubnet);
    assert_eq!(kind("spare"), GroupKind::PrivateSubnet);
    // The subnet sits in the VPC (not in the zone band that crosses the VPC's border) and
    // keeps its zone as a property.
    assert_eq!(parent_kind(&d, "pub"), Some(GroupKind::Vpc));
    let public = d.groups().iter().find(|g| g.id.as_str() == "pub").unwrap();
    assert_eq!(
        public.props.get("az").map(String::as_str),
        Some("Availability Zone 1")
    );
    assert_eq!(parent_kind(&d, "web"), Some(GroupKind::PublicSubnet));
    let spare = d
        .groups()
        .iter()
        .find(|g| g.id.as_str() == "spare")
        .unwrap();
    let frame = spare.frame.unwrap();
    assert_eq!(
        (frame.x, frame.y, frame.width, frame.height),
        (500.0, 280.0, 300.0, 160.0)
    );
    // And the checks agree with the drawing: the subnets are in a VPC.
    let findings = archsketch::rules::check(&d);
    assert!(findings.iter().all(|f| f.rule != "R088"), "{findings:?}");
}

#[test]
fn an_aws3_box_is_told_by_the_icon_on_its_corner() {
    let body = [
        vertex(
            "box",
            "Production",
            "rounded=1;fillColor=none;",
            (0.0, 0.0, 400.0, 300.0),
        ),
        vertex(
            "icon",
            "",
            "shape=mxgraph.aws3.virtual_private_cloud;",
            (-15.0, -15.0, 40.0, 30.0),
        ),
        vertex(
            "ec2",
            "App",
            "shape=mxgraph.aws3.ec2;",
            (100.0, 100.0, 60.0, 70.0),
        ),
    ]
    .concat();
    let d = import_drawio(&page(&body), "aws3.drawio").unwrap().design;
    assert_eq!(d.groups().len(), 1);
    assert_eq!(d.groups()[0].kind, GroupKind::Vpc);
    assert_eq!(d.groups()[0].label, "Production");
    assert!(d.node(nid("icon")).is_none(), "the icon belongs to its box");
    assert_eq!(parent_kind(&d, "ec2"), Some(GroupKind::Vpc));
}

#[test]
fn a_real_aws3_diagram_reads_whole() {
    let imported = import_drawio(&fixture("scatter-gather-aws3.drawio"), "s.drawio").unwrap();
    let d = &imported.design;
    let count = |s: &str| d.nodes().iter().filter(|n| n.service == s).count();
    assert_eq!(count("sqs"), 6, "three queues and three dead-letter queues");
    assert_eq!(count("lambda"), 3);
    assert_eq!(count("s3"), 3, "input, work and output buckets");
    assert_eq!(count("users"), 1, "the partner, drawn as a person");
    assert!(count("note") >= 8, "the explanations are kept as notes");
    assert!(d.edges().len() >= 16, "{}", d.edges().len());
    assert!(
        !imported.report.to_string().contains("does not know"),
        "{}",
        imported.report
    );
    assert!(d.validate().is_ok());
}

#[test]
fn loose_arrows_of_a_real_diagram_are_kept_and_its_analytics_read_the_way_data_flows() {
    let imported = import_drawio(&fixture("ppe-detection.drawio"), "p.drawio").unwrap();
    let d = &imported.design;
    // Every one of its 12 arrows is drawn loose, a few units short of the icons.
    assert_eq!(d.edges().len(), 12, "{}", imported.report);
    let id = |s: &str| {
        d.nodes()
            .iter()
            .find(|n| n.service == s)
            .unwrap()
            .id
            .clone()
    };
    // Drawn QuickSight -> Athena, meaning Athena feeds QuickSight.
    assert!(d.edges().iter().any(|e| e.from == id("athena").as_str()
        && e.to == id("quicksight").as_str()
        && e.kind == EdgeKind::Query));
    let errors: Vec<_> = archsketch::rules::check(d)
        .into_iter()
        .filter(|f| f.severity == archsketch::rules::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn every_page_is_read_and_a_page_can_be_picked() {
    let text = fixture("closed-network.drawio");
    let pages = import_pages(&text, "c.drawio").unwrap();
    let names: Vec<&str> = pages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["stacks", "Page-1"]);
    assert!(pages.iter().all(|p| p.aws_shapes > 0));
    let first = import_drawio(&text, "c.drawio").unwrap();
    assert!(
        first.report.to_string().contains("The file has 2 pages"),
        "{}",
        first.report
    );
    let second = import_drawio_page(&text, "c.drawio", &PagePick::Number(2)).unwrap();
    let by_name = import_drawio_page(&text, "c.drawio", &PagePick::Name("Page-1".into())).unwrap();
    assert_eq!(second.design, by_name.design);
    assert!(second.design.nodes().len() > first.design.nodes().len());
    let missing = import_drawio_page(&text, "c.drawio", &PagePick::Number(3)).unwrap_err();
    assert!(
        missing.to_string().contains("there is no page 3"),
        "{missing}"
    );
    assert!(missing.to_string().contains("\"stacks\""), "{missing}");
}

#[test]
fn a_file_without_aws_shapes_is_refused_naming_its_pages() {
    let text = r#"<mxfile><diagram name="Sketch"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/><mxCell id="a" value="A box" vertex="1" parent="1"><mxGeometry width="80" height="40" as="geometry"/></mxCell></root></mxGraphModel></diagram></mxfile>"#;
    let err = import_drawio(text, "plain.drawio").unwrap_err().to_string();
    assert!(err.contains("no page holds an AWS shape"), "{err}");
    assert!(err.contains("\"Sketch\""), "{err}");
}

#[test]
fn hostile_files_are_bounded() {
    // A page bomb: a few kilobytes that inflate to hundreds of megabytes.
    let zeros = vec![b'a'; 300 * 1024 * 1024];
    let deflated = miniz_oxide::deflate::compress_to_vec(&zeros, 10);
    drop(zeros);
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&deflated);
    let bomb = format!(r#"<mxfile><diagram name="Bomb">{b64}</diagram></mxfile>"#);
    assert!(bomb.len() < 2 * 1024 * 1024);
    let err = import_drawio(&bomb, "bomb.drawio").unwrap_err().to_string();
    assert!(err.contains("inflates past"), "{err}");
    assert!(
        err.len() < 400,
        "the message stays short: {} bytes",
        err.len()
    );
    // Parent loops, NaN and 1e308 geometry read, bounded, and say so.
    let odd = page(&[
        r#"<mxCell id="a" vertex="1" parent="b" style="shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.s3;"><mxGeometry x="NaN" y="1e308" width="48" height="48" as="geometry"/></mxCell>"#,
        r#"<mxCell id="b" vertex="1" parent="a" style="container=1;"><mxGeometry x="1e38" y="-1e38" width="10" height="10" as="geometry"/></mxCell>"#,
    ]
    .concat());
    let imported = import_drawio(&odd, "odd.drawio").unwrap();
    assert!(
        imported.report.to_string().contains("out of range"),
        "{}",
        imported.report
    );
    assert!(imported.design.validate().is_ok());
    for n in imported.design.nodes() {
        assert!(n.pos.x.is_finite() && n.pos.y.is_finite());
    }
}

#[test]
fn an_imported_drawing_comes_back_from_its_own_drawio_export() {
    for name in [
        "scatter-gather-aws3.drawio",
        "appsync-athena.drawio.xml",
        "ppe-detection.drawio",
    ] {
        let first = import_drawio(&fixture(name), name).unwrap().design;
        let again = import_drawio(&to_drawio(&first), name).unwrap().design;
        let essence = |d: &Design| {
            let mut nodes: Vec<String> = d
                .nodes()
                .iter()
                .map(|n| format!("{}:{}:{}", n.id, n.service, n.label))
                .collect();
            let mut groups: Vec<String> = d
                .groups()
                .iter()
                .map(|g| {
                    format!(
                        "{}:{:?}:{:?}:{}",
                        g.id,
                        g.kind,
                        g.frame.is_some(),
                        g.children.len()
                    )
                })
                .collect();
            let mut edges: Vec<String> = d
                .edges()
                .iter()
                .map(|e| format!("{}->{}:{:?}", e.from, e.to, e.kind))
                .collect();
            nodes.sort();
            groups.sort();
            edges.sort();
            (nodes, groups, edges)
        };
        assert_eq!(essence(&again), essence(&first), "{name}");
    }
}

#[test]
fn the_commands_read_pages_and_check_each() {
    let dir = tempfile::tempdir().unwrap();
    let exe = env!("CARGO_BIN_EXE_archsketch");
    let file = "tests/fixtures/drawio/closed-network.drawio";
    let out = dir.path().join("pages");
    let run = Command::new(exe)
        .args(["import", file, "--all-pages", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, ["01-stacks.ron", "02-page-1.ron"]);
    for w in &written {
        archsketch::io::load_file(&out.join(w)).unwrap();
    }
    let one = dir.path().join("one.ron");
    let run = Command::new(exe)
        .args(["import", file, "--page", "Page-1", "-o"])
        .arg(&one)
        .output()
        .unwrap();
    assert!(run.status.success());
    let check = Command::new(exe).args(["check", file]).output().unwrap();
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(text.contains("in 2 files"), "{text}");
    // A page that does not exist: exit 2, nothing written.
    let none = dir.path().join("none.ron");
    let run = Command::new(exe)
        .args(["import", file, "--page", "9", "-o"])
        .arg(&none)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(!none.exists());
    // The source is never the output.
    let copy = dir.path().join("copy.drawio");
    std::fs::copy(file, &copy).unwrap();
    let run = Command::new(exe)
        .arg("import")
        .arg(&copy)
        .arg("-o")
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(file).unwrap());
}

#[test]
fn an_aws3d_connector_shape_is_an_arrow_between_the_shapes_at_its_corners() {
    let body = [
        vertex(
            "elb",
            "Balancer",
            "shape=mxgraph.aws3d.elasticLoadBalancing;",
            (0.0, 0.0, 92.0, 88.0),
        ),
        vertex(
            "web",
            "Web",
            "shape=mxgraph.aws3d.application_server;",
            (300.0, 200.0, 123.0, 124.0),
        ),
        // Drawn from the balancer's lower right to the server's upper left.
        vertex(
            "arrow",
            "",
            "shape=mxgraph.aws3d.arrowSE;",
            (90.0, 86.0, 212.0, 116.0),
        ),
        // A plain connector joins whichever diagonal reaches two shapes.
        vertex(
            "db",
            "Data",
            "shape=mxgraph.aws3d.dynamoDb;",
            (600.0, 0.0, 180.0, 200.0),
        ),
        vertex(
            "line",
            "",
            "shape=mxgraph.aws3d.flatEdge;",
            (420.0, 190.0, 182.0, 40.0),
        ),
    ]
    .concat();
    let imported = import_drawio(&page(&body), "iso.drawio").unwrap();
    let d = &imported.design;
    let pairs: Vec<(&str, &str, EdgeKind)> = d
        .edges()
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str(), e.kind))
        .collect();
    assert!(
        pairs.contains(&("elb", "web", EdgeKind::Route)),
        "{pairs:?}"
    );
    assert!(
        pairs
            .iter()
            .any(|p| (p.0, p.1) == ("web", "db") || (p.0, p.1) == ("db", "web")),
        "{pairs:?}"
    );
    assert!(
        !imported.report.to_string().contains("does not know"),
        "{}",
        imported.report
    );
    let errors: Vec<_> = archsketch::rules::check(d)
        .into_iter()
        .filter(|f| f.rule == "R030" && f.severity == archsketch::rules::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "the balancer has its target: {errors:?}");
}
