//! Routing and Arrange on real material: every template as drawn by hand, with its nodes
//! shuffled among siblings (what an edit or an import does to a layout), and after Arrange.
//! Quality is counted on exactly what the exports draw (`scene::quality`).

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use common::{gid, nid};

use archsketch::layout::{self, Direction};
use archsketch::model::{Design, EdgeStyle, Pos, Rect};
use archsketch::scene::{self, quality};
use archsketch::templates::TEMPLATES;

fn templates() -> Vec<(&'static str, Design)> {
    TEMPLATES
        .iter()
        .map(|t| (t.id, t.design().expect("template loads")))
        .collect()
}

fn assert_clean(name: &str, design: &Design, diagonal_too: bool) {
    let s = scene::build(design);
    let q = quality::measure(&s);
    assert_eq!(q.fallbacks, 0, "{name}: unrouted edges {q:?}");
    assert_eq!(q.through_icons, 0, "{name}: {q:?}");
    assert_eq!(q.through_labels, 0, "{name}: {q:?}");
    assert_eq!(q.overlaps, 0, "{name}: {q:?}");
    if diagonal_too {
        assert_eq!(q.diagonal, 0, "{name}: {q:?}");
    }
}

/// Group boxes of siblings do not overlap, and no node sits inside a box it does not
/// belong to.
fn assert_groups_hold(name: &str, design: &Design) {
    let s = scene::build(design);
    let rect_of = |id: &archsketch::model::GroupId| -> Option<Rect> {
        let gi = design.group_index(id)?;
        s.groups.iter().find(|g| g.index == gi).map(|g| g.rect)
    };
    for (i, a) in design.groups().iter().enumerate() {
        for b in &design.groups()[i + 1..] {
            if design.parent_id(&a.id) != design.parent_id(&b.id) {
                continue;
            }
            let (ra, rb) = (rect_of(&a.id).unwrap(), rect_of(&b.id).unwrap());
            let overlap = ra.min.x < rb.max.x - 0.5
                && rb.min.x < ra.max.x - 0.5
                && ra.min.y < rb.max.y - 0.5
                && rb.min.y < ra.max.y - 0.5;
            assert!(
                !overlap,
                "{name}: sibling boxes {} and {} overlap",
                a.id, b.id
            );
        }
    }
    for n in &s.nodes {
        let id = &design.nodes()[n.index].id;
        for g in design.groups() {
            let inside = design.is_within(id, &g.id);
            let r = rect_of(&g.id).unwrap();
            let overlaps = r.intersects(&n.footprint.expand(-1.0));
            assert_eq!(
                inside, overlaps,
                "{name}: node {id} vs group {} (member: {inside})",
                g.id
            );
        }
    }
}

#[test]
fn every_template_routes_clear_of_icons_and_labels() {
    for (id, d) in templates() {
        assert_clean(id, &d, true);
    }
}

#[test]
fn shuffled_templates_route_clear_of_icons_and_labels() {
    for (id, d) in templates() {
        assert_clean(&format!("{id} shuffled"), &common::shuffled(&d), true);
    }
}

#[test]
fn arranged_templates_are_clean_and_keep_their_groups() {
    for (id, d) in templates() {
        for (variant, source) in [("", d.clone()), (" shuffled", common::shuffled(&d))] {
            for direction in [Direction::Right, Direction::Down] {
                let name = format!("{id}{variant} arranged {direction:?}");
                let a = layout::arranged(&source, direction);
                assert_clean(&name, &a, true);
                assert_groups_hold(&name, &a);
                let membership = |d: &Design| {
                    d.groups()
                        .iter()
                        .map(|g| (g.id.clone(), g.kind, g.children.clone()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(membership(&a), membership(&source), "{name}");
            }
        }
    }
}

#[test]
fn arrange_is_deterministic_and_follows_the_flow() {
    let d = common::d(
        "app: mobile_app
         stream: kinesis_data_streams
         raw: s3
         crawler: glue
         sql: athena
         guard: macie
         app -> stream
         stream -> raw
         raw -> crawler : Catalog
         crawler -> sql : Catalog
         guard -> raw : Monitor
         @region: Region [stream, raw, crawler, sql, guard]",
    );
    let a = layout::arranged(&d, Direction::Right);
    let b = layout::arranged(&d, Direction::Right);
    assert_eq!(
        archsketch::io::to_ron_string(&a),
        archsketch::io::to_ron_string(&b)
    );
    let x = |id: &str| a.node(nid(id)).unwrap().pos.x;
    assert!(x("app") < x("stream") && x("stream") < x("raw"));
    assert!(x("raw") < x("crawler") && x("crawler") < x("sql"));
    // Macie watches the bucket: same column, right next to it.
    assert_eq!(x("guard"), x("raw"));
    let dy = (a.node(nid("guard")).unwrap().pos.y - a.node(nid("raw")).unwrap().pos.y).abs();
    assert!(dy < 160.0, "Macie is {dy} units from its bucket");
    // A straight pipeline reads as one row.
    assert_eq!(
        a.node(nid("stream")).unwrap().pos.y,
        a.node(nid("raw")).unwrap().pos.y
    );
    // The user outside every group stays outside the Region.
    assert_groups_hold("pipeline", &a);
    let down = layout::arranged(&d, Direction::Down);
    let y = |id: &str| down.node(nid(id)).unwrap().pos.y;
    assert!(y("app") < y("stream") && y("stream") < y("raw"));
}

#[test]
fn cycles_and_disconnected_pipelines_are_arranged_without_overlap() {
    let d = common::d(
        "a: lambda
         b: sqs
         c: dynamodb
         x: s3
         y: athena
         a -> b
         b -> c
         c -> a
         x -> y : Query",
    );
    let a = layout::arranged(&d, Direction::Right);
    let s = scene::build(&a);
    for (i, n) in s.nodes.iter().enumerate() {
        for m in &s.nodes[i + 1..] {
            assert!(
                !n.footprint.intersects(&m.footprint),
                "{} and {} overlap",
                a.nodes()[n.index].id,
                a.nodes()[m.index].id
            );
        }
    }
    assert_clean("cycle", &a, true);
}

/// An edge from outside a box to a member past the box's first layer runs through a lane
/// kept for it, not between the first layer's services across their own edges (T12's SSH
/// edge before lanes).
#[test]
fn an_edge_entering_a_box_deep_gets_a_lane_and_crosses_nothing() {
    let d = common::d(
        "admin: ssh_client
         ops: users
         ssm: session_manager
         ic: ec2_instance_connect
         vm: ec2
         admin -> vm
         ops -> ssm
         ops -> ic
         ssm -> vm
         ic -> vm
         @region: Region [ssm, ic, vm]",
    );
    for direction in [Direction::Right, Direction::Down] {
        let a = layout::arranged(&d, direction);
        let q = quality::measure(&scene::build(&a));
        assert_eq!(q.crossings, 0, "{direction:?}: {q:?}");
        assert_clean("lane", &a, true);
        assert_groups_hold("lane", &a);
    }
}

#[test]
fn edge_styles_are_kept_and_drawn() {
    let mut d = common::d(
        "a: s3
         b: athena
         c: glue
         a -> b : Query \"reads\"
         a -> c : Catalog",
    );
    *d.node_at_mut(1).unwrap().pos = Pos::new(300.0, 200.0);
    *d.edge_at_mut(1).unwrap().style = Some(EdgeStyle::Curved);
    let s = scene::build(&d);
    assert!(s.edges[0].points.len() >= 3, "orthogonal with a bend");
    assert!(s.edges[1].points.len() > 10, "a sampled curve");
    d.edge_style = EdgeStyle::Straight;
    let s = scene::build(&d);
    assert_eq!(s.edges[0].points.len(), 2);
    let text = archsketch::io::to_ron_string(&d);
    assert!(text.contains("edge_style: Straight"), "{text}");
    assert!(text.contains("style: Curved"), "{text}");
    let back = archsketch::io::load_str(&text, "t.ron").unwrap();
    assert_eq!(back, d);
}

#[test]
fn bends_a_person_placed_are_kept_while_valid() {
    let mut d = common::d(
        "a: s3
         b: athena
         a -> b : Query",
    );
    *d.node_at_mut(1).unwrap().pos = Pos::new(300.0, 200.0);
    // Leave a to the right, go down at x = 100, enter b from the left.
    *d.edge_at_mut(0).unwrap().bends = vec![Pos::new(100.0, 0.0), Pos::new(100.0, 200.0)];
    let s = scene::build(&d);
    let p = &s.edges[0].points;
    assert_eq!(p.len(), 4, "{p:?}");
    assert_eq!(p[1], Pos::new(100.0, 0.0));
    assert_eq!(p[2], Pos::new(100.0, 200.0));
    // Bends through a tile are not a route: the router takes over, right-angled as ever.
    *d.edge_at_mut(0).unwrap().bends = vec![Pos::new(300.0, 0.0), Pos::new(300.0, 200.0)];
    let s = scene::build(&d);
    assert!(!s.edges[0].points.contains(&Pos::new(300.0, 0.0)));
    assert!(!s.edges[0].fallback, "{:?}", s.edges[0].points);
    assert!(s.edges[0].points.len() >= 3, "{:?}", s.edges[0].points);
    let text = archsketch::io::to_ron_string(&d);
    assert!(
        text.contains("bends: [(300.0, 0.0), (300.0, 200.0)]"),
        "{text}"
    );
    assert_eq!(archsketch::io::load_str(&text, "t.ron").unwrap(), d);
}

#[test]
fn a_far_away_node_does_not_make_routing_allocate_the_distance() {
    let d = archsketch::io::load_str(
        r#"Design(format: 1, nodes: [Node(id: "a", service: "s3", pos: (0.0, 0.0)), Node(id: "b",
           service: "s3", pos: (1e9, 0.0))], edges: [Edge(from: "a", to: "b")],
           groups: [Group(id: "r", kind: Region, children: ["a", "b"])])"#,
        "far.ron",
    )
    .unwrap();
    let s = scene::build(&d);
    assert_eq!(s.edges.len(), 1);
}

#[test]
fn the_cli_arranges_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.ron");
    let output = dir.path().join("out.ron");
    let t = archsketch::templates::find("t09").unwrap();
    std::fs::write(&input, t.text).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_archsketch"))
        .args([
            "layout",
            input.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let arranged = archsketch::io::load_file(&output).unwrap();
    assert_eq!(arranged.nodes().len(), t.design().unwrap().nodes().len());
    assert_clean("t09 via cli", &arranged, true);
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_archsketch"))
        .args(["layout", "missing.ron", "-o", output.to_str().unwrap()])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
}

mod random {
    use super::*;
    use archsketch::model::{Edge, EdgeKind, Group, GroupKind, Node};
    use proptest::prelude::*;

    /// Up to 20 services on distinct cells of a coarse grid (so tiles never overlap), random
    /// connections, and a Region holding a run of them with a VPC inside holding part of it.
    fn design() -> impl Strategy<Value = Design> {
        (
            prop::collection::vec((0u8..7, 0u8..6), 2..20),
            prop::collection::vec((0usize..20, 0usize..20, 0u8..4), 0..28),
            0usize..12,
            0usize..12,
        )
            .prop_map(|(cells, links, g_start, g_len)| {
                let services = [
                    "s3",
                    "athena",
                    "glue",
                    "lambda",
                    "kinesis_data_streams",
                    "ec2",
                ];
                let mut d = Design::default();
                let mut taken = std::collections::BTreeSet::new();
                for (i, (cx, cy)) in cells.into_iter().enumerate() {
                    if !taken.insert((cx, cy)) {
                        continue;
                    }
                    let mut n = Node::new(
                        nid(&format!("n{i}")),
                        services[i % services.len()],
                        Pos::new(cx as f32 * 220.0, cy as f32 * 160.0),
                    );
                    n.label = format!("Service number {i}");
                    d.push_node(n).unwrap();
                }
                let count = d.nodes().len();
                for (a, b, flavour) in links {
                    let (a, b) = (a % count, b % count);
                    if a != b {
                        let kind = if flavour == 0 {
                            EdgeKind::Monitor
                        } else {
                            EdgeKind::Data
                        };
                        let mut e =
                            Edge::new(d.nodes()[a].id.clone(), d.nodes()[b].id.clone(), kind);
                        if flavour == 3 {
                            e.label = format!("flow {a}-{b}");
                        }
                        d.push_edge(e);
                    }
                }
                let start = g_start % count;
                let end = (start + 1 + g_len % count).min(count);
                let mut region = Group::new(gid("region"), GroupKind::Region);
                let mut vpc = Group::new(gid("vpc"), GroupKind::Vpc);
                for (k, n) in d.nodes()[start..end].iter().enumerate() {
                    if k % 2 == 0 {
                        vpc.children.push((&n.id).into());
                    } else {
                        region.children.push((&n.id).into());
                    }
                }
                if !vpc.children.is_empty() {
                    region.children.push(gid("vpc").into());
                    d.push_group(vpc).unwrap();
                }
                d.insert_group(0, region).unwrap();
                d
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arranged_random_designs_route_cleanly_and_keep_their_groups(d in design()) {
            prop_assert!(d.validate().is_ok());
            let a = layout::arranged(&d, Direction::Right);
            assert_groups_hold("random", &a);
            let s = scene::build(&a);
            let q = quality::measure(&s);
            prop_assert_eq!((q.diagonal, q.fallbacks), (0, 0), "{:?}", q);
            // Every route starts and ends just outside the tiles (or labels) of its ends.
            for e in &s.edges {
                let edge = &a.edges()[e.index];
                for (id, p) in [(&edge.from, e.start()), (&edge.to, e.end())] {
                    let n = s.nodes.iter().find(|n| a.nodes()[n.index].id == *id).unwrap();
                    let body = n.tile.union(scene::label_rect(n.tile, &n.lines));
                    prop_assert!(body.expand(3.0).contains(p) && !n.tile.contains(p), "{id}: {p:?}");
                }
            }
        }

        /// Labels on a shared channel are crossed by the neighbouring segments until those
        /// go around them (a case this test found: a port right under a label).
        #[test]
        fn arranged_random_designs_keep_clear_of_icons_and_labels(d in design()) {
            let s = scene::build(&layout::arranged(&d, Direction::Right));
            let q = quality::measure(&s);
            prop_assert_eq!((q.through_icons, q.through_labels), (0, 0), "{:?}", q);
        }
    }
}
