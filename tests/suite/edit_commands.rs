//! Every edit applies and inverts exactly: random sequences undo back to the start and redo
//! back to the end, and each command kind round-trips on its own.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use common::{el, gid, nid};

use archsketch::edit::{EditCommand, Field, History, Target, apply, ops};
use archsketch::io::load_str;
use archsketch::model::{
    Design, Edge, EdgeId, EdgeKind, EdgeStyle, ElementId, ElementRef, Frame, Group, GroupId,
    GroupKind, Node, NodeId, Pos, Suppression,
};
use proptest::prelude::*;

fn example() -> Design {
    load_str(
        include_str!("../fixtures/format_example.ron"),
        "example.ron",
    )
    .unwrap()
}

/// Applies `cmd`, checks the design still validates, then checks the inverse restores it.
fn round_trip(design: &Design, cmd: EditCommand) -> Design {
    let mut d = design.clone();
    let inverse = apply(&mut d, cmd).expect("command applies");
    d.validate().expect("a command keeps the design valid");
    let after = d.clone();
    let redo = apply(&mut d, inverse).expect("inverse applies");
    assert_eq!(&d, design, "the inverse restores the design");
    apply(&mut d, redo).expect("redo applies");
    assert_eq!(d, after, "the inverse of the inverse redoes the change");
    after
}

#[test]
fn each_command_kind_applies_and_inverts() {
    let d = example();
    let n = Node::new(nid("new_node"), "lambda", Pos::new(5.0, 6.0));
    round_trip(&d, EditCommand::InsertNode { index: 2, node: n });
    let with_lonely = round_trip(
        &d,
        EditCommand::InsertNode {
            index: 99,
            node: Node::new(nid("lonely"), "sqs", Pos::default()),
        },
    );
    round_trip(&with_lonely, EditCommand::RemoveNode { id: nid("lonely") });
    round_trip(
        &d,
        EditCommand::InsertEdge {
            index: 1,
            edge: Edge::new(nid("app"), nid("sql"), EdgeKind::Route),
        },
    );
    round_trip(
        &d,
        EditCommand::RemoveEdge {
            id: d.edges()[3].id,
        },
    );
    round_trip(
        &d,
        EditCommand::InsertGroup {
            index: 0,
            group: Group::new(gid("vpc"), GroupKind::Vpc),
        },
    );
    let with_empty = round_trip(
        &d,
        EditCommand::InsertGroup {
            index: 2,
            group: Group::new(gid("box"), GroupKind::Generic),
        },
    );
    round_trip(&with_empty, EditCommand::RemoveGroup { id: gid("box") });
    round_trip(
        &with_empty,
        EditCommand::SetParent {
            id: nid("raw").into(),
            parent: Some(gid("box")),
            index: 0,
        },
    );
    round_trip(
        &d,
        EditCommand::SetParent {
            id: nid("app").into(),
            parent: Some(gid("region")),
            index: 1,
        },
    );
    round_trip(
        &d,
        EditCommand::SetParent {
            id: nid("sql").into(),
            parent: None,
            index: 0,
        },
    );
    round_trip(
        &d,
        EditCommand::SetPositions(vec![
            (nid("raw"), Pos::new(1.5, -2.25)),
            (nid("app"), Pos::new(9.0, 9.0)),
        ]),
    );
    for (target, field, value) in [
        (Target::Design, Field::Title, Some("T".to_string())),
        (Target::Design, Field::Description, Some("D".into())),
        (Target::Node(nid("raw")), Field::Label, Some("Raw".into())),
        (Target::Node(nid("raw")), Field::Note, Some("n".into())),
        (
            Target::Node(nid("raw")),
            Field::Service,
            Some("s3_glacier".into()),
        ),
        (
            Target::Node(nid("raw")),
            Field::Prop("versioning".into()),
            Some("suspended".into()),
        ),
        (
            Target::Node(nid("raw")),
            Field::Prop("versioning".into()),
            None,
        ),
        (
            Target::Node(nid("raw")),
            Field::Prop("new".into()),
            Some("x".into()),
        ),
        (Target::Edge(EdgeId(0)), Field::Label, Some("clicks".into())),
        (
            Target::Edge(EdgeId(0)),
            Field::Prop("k".into()),
            Some("v".into()),
        ),
        (
            Target::Group(gid("region")),
            Field::Label,
            Some("eu-west-1".into()),
        ),
        (
            Target::Group(gid("region")),
            Field::Prop("region".into()),
            None,
        ),
    ] {
        round_trip(
            &d,
            EditCommand::SetField {
                target,
                field,
                value,
            },
        );
    }
    round_trip(
        &d,
        EditCommand::InsertSuppression {
            index: 0,
            suppression: Suppression {
                rule: "R001".into(),
                target: None,
                reason: String::new(),
            },
        },
    );
    round_trip(&d, EditCommand::RemoveSuppression { index: 0 });
    round_trip(
        &d,
        EditCommand::SetEdgeKind {
            edge: EdgeId(0),
            kind: EdgeKind::Trigger,
        },
    );
    round_trip(
        &d,
        EditCommand::SetGroupKind {
            id: gid("region"),
            kind: GroupKind::AvailabilityZone,
        },
    );
    round_trip(
        &d,
        EditCommand::SetRoute {
            edge: EdgeId(1),
            style: Some(EdgeStyle::Curved),
            bends: Vec::new(),
        },
    );
}

#[test]
fn invalid_commands_change_nothing() {
    let d = example();
    for cmd in [
        EditCommand::RemoveNode { id: nid("raw") }, // still has edges
        EditCommand::InsertNode {
            index: 0,
            node: Node::new(nid("raw"), "s3", Pos::default()),
        },
        EditCommand::InsertEdge {
            index: 0,
            edge: Edge::new(nid("raw"), nid("ghost"), EdgeKind::Data),
        },
        EditCommand::SetParent {
            id: gid("cloud").into(),
            parent: Some(gid("region")),
            index: 0,
        },
        EditCommand::SetField {
            target: Target::Edge(EdgeId(99)),
            field: Field::Label,
            value: None,
        },
        EditCommand::SetEdgeKind {
            edge: EdgeId(99),
            kind: EdgeKind::Trigger,
        },
        EditCommand::SetGroupKind {
            id: gid("ghost"),
            kind: GroupKind::Vpc,
        },
        EditCommand::Batch(vec![
            EditCommand::SetField {
                target: Target::Design,
                field: Field::Title,
                value: Some("x".into()),
            },
            EditCommand::RemoveEdge {
                id: archsketch::model::EdgeId(99),
            },
        ]),
    ] {
        let mut copy = d.clone();
        assert!(apply(&mut copy, cmd).is_err());
        assert_eq!(copy, d);
    }
}

#[test]
fn deleting_a_group_takes_its_contents_and_edges_and_undo_restores_all() {
    let d = example();
    let cmd = ops::delete(&d, &[ElementRef::Group(gid("region"))]).unwrap();
    let after = round_trip(&d, cmd);
    assert_eq!(after.nodes().len(), 1, "only the app stays");
    assert!(after.edges().is_empty());
    assert!(after.suppressions.is_empty());
}

#[test]
fn a_drag_or_a_typing_burst_is_one_undo_step() {
    let mut d = example();
    let start = d.clone();
    let mut h = History::default();
    for i in 1..=30 {
        let cmd =
            ops::move_elements(&start, &[ElementRef::Node(nid("raw"))], i as f32, 0.0).unwrap();
        h.apply(&mut d, cmd, Some("drag-1")).unwrap();
    }
    let out_of_region = ops::reparent(&d, &nid("raw").into(), None).unwrap();
    h.apply(&mut d, out_of_region, Some("drag-1")).unwrap();
    h.seal();
    for text in ["R", "Ra", "Raw"] {
        let cmd = EditCommand::SetField {
            target: Target::Node(nid("raw")),
            field: Field::Label,
            value: Some(text.into()),
        };
        h.apply(&mut d, cmd, Some("node:raw:label")).unwrap();
    }
    assert!(h.is_modified());
    assert!(h.undo(&mut d));
    assert_eq!(
        d.node(nid("raw")).unwrap().label,
        "Raw zone",
        "one undo takes the whole word back"
    );
    assert!(h.undo(&mut d));
    assert_eq!(
        d, start,
        "one undo takes the whole drag back, membership included"
    );
    assert!(!h.is_modified());
    assert!(!h.undo(&mut d));
}

#[derive(Clone, Debug)]
enum Op {
    Add(u8, i16, i16),
    Connect(u8, u8),
    Delete(u8),
    Group(u8, u8),
    Ungroup(u8),
    Move(u8, i16, i16),
    Rename(u8, u8),
    Reparent(u8, u8),
    Prop(u8, bool),
    Suppress(u8),
    /// An edge's own style and bend points, as dragging a segment sets them.
    Route(u8, u8, i16, i16),
    /// What an edge means.
    EdgeKind(u8, u8),
    /// The style of every edge without one of its own.
    EdgeStyle(u8),
    /// A box's kind.
    GroupKind(u8, u8),
    /// A box given a frame of its own (resized by a handle), or let go of it.
    Frame(u8, i16, i16),
    /// Copy of one or two elements, pasted.
    Paste(u8, u8),
    /// Align or distribute a selection of services.
    Align(u8, u8, u8),
    Distribute(u8, u8, u8, bool),
    /// Arrange, of the whole design or of a selection.
    Arrange(u8, bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (any::<u8>(), any::<i16>(), any::<i16>()).prop_map(|(a, x, y)| Op::Add(a, x, y)),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::Connect(a, b)),
        any::<u8>().prop_map(Op::Delete),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::Group(a, b)),
        any::<u8>().prop_map(Op::Ungroup),
        (any::<u8>(), any::<i16>(), any::<i16>()).prop_map(|(a, x, y)| Op::Move(a, x, y)),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::Rename(a, b)),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::Reparent(a, b)),
        (any::<u8>(), any::<bool>()).prop_map(|(a, b)| Op::Prop(a, b)),
        any::<u8>().prop_map(Op::Suppress),
        (any::<u8>(), any::<u8>(), any::<i16>(), any::<i16>())
            .prop_map(|(a, b, x, y)| Op::Route(a, b, x, y)),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::EdgeKind(a, b)),
        any::<u8>().prop_map(Op::EdgeStyle),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::GroupKind(a, b)),
        (any::<u8>(), any::<i16>(), any::<i16>()).prop_map(|(a, w, h)| Op::Frame(a, w, h)),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::Paste(a, b)),
        (any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(a, b, c)| Op::Align(a, b, c)),
        (any::<u8>(), any::<u8>(), any::<u8>(), any::<bool>())
            .prop_map(|(a, b, c, h)| Op::Distribute(a, b, c, h)),
        (any::<u8>(), any::<bool>()).prop_map(|(a, all)| Op::Arrange(a, all)),
    ]
}

/// The node or group with this id, as a selection names it.
fn element(id: ElementId) -> ElementRef {
    id.into()
}

const EDGE_KINDS: [EdgeKind; 4] = [
    EdgeKind::Data,
    EdgeKind::Catalog,
    EdgeKind::Monitor,
    EdgeKind::Connect,
];
const EDGE_STYLES: [EdgeStyle; 3] = [
    EdgeStyle::Orthogonal,
    EdgeStyle::Straight,
    EdgeStyle::Curved,
];

fn pick<T: Clone>(items: &[T], i: u8) -> Option<T> {
    (!items.is_empty()).then(|| items[i as usize % items.len()].clone())
}

/// The design with every edge id reset, to compare what a file holds.
fn without_edge_ids(d: Design) -> Design {
    let mut parts = d.into_parts();
    for e in &mut parts.edges {
        e.id = archsketch::model::EdgeId::UNASSIGNED;
    }
    Design::from_parts(parts).unwrap()
}

fn command_for(d: &Design, op: &Op) -> Option<EditCommand> {
    let nodes: Vec<NodeId> = d.nodes().iter().map(|n| n.id.clone()).collect();
    let groups: Vec<GroupId> = d.groups().iter().map(|g| g.id.clone()).collect();
    let ids: Vec<ElementId> = nodes
        .iter()
        .map(ElementId::from)
        .chain(groups.iter().map(ElementId::from))
        .collect();
    const SERVICES: [&str; 5] = ["s3", "glue", "athena", "ebs", "ec2"];
    match op {
        Op::Add(s, x, y) => Some(
            ops::add_node(
                d,
                SERVICES[*s as usize % 5],
                Pos::new(*x as f32, *y as f32),
                pick(&groups, *s).as_ref(),
            )
            .0,
        ),
        Op::Connect(a, b) => ops::connect(d, &pick(&ids, *a)?, &pick(&ids, *b)?),
        Op::Delete(a) => {
            let e = element(pick(&ids, *a)?);
            let mut sel = vec![e];
            if !d.edges().is_empty() {
                sel.push(ElementRef::Edge(
                    d.edges()[*a as usize % d.edges().len()].id,
                ));
            }
            ops::delete(d, &sel)
        }
        Op::Group(a, b) => ops::group_selection(
            d,
            &[pick(&ids, *a)?, pick(&ids, *b)?],
            GroupKind::ALL[*a as usize % 11],
        )
        .map(|x| x.0),
        Op::Ungroup(a) => ops::ungroup(d, &pick(&groups, *a)?),
        Op::Move(a, x, y) => {
            let e = element(pick(&ids, *a)?);
            ops::move_elements(d, &[e], *x as f32 / 8.0, *y as f32 / 8.0)
        }
        Op::Rename(a, b) => Some(EditCommand::SetField {
            target: Target::Node(pick(&nodes, *a)?),
            field: Field::Label,
            value: Some(format!("label {b}")),
        }),
        Op::Reparent(a, b) => ops::reparent(
            d,
            &pick(&ids, *a)?,
            if *b % 3 == 0 { None } else { pick(&groups, *b) }.as_ref(),
        ),
        Op::Prop(a, on) => Some(EditCommand::SetField {
            target: Target::Node(pick(&nodes, *a)?),
            field: Field::Prop("versioning".into()),
            value: on.then(|| "enabled".to_string()),
        }),
        Op::Suppress(a) => Some(EditCommand::InsertSuppression {
            index: *a as usize,
            suppression: Suppression {
                rule: format!("R{:03}", a % 110 + 1),
                target: pick(&ids, *a),
                reason: "accepted".into(),
            },
        }),
        Op::Route(a, b, x, y) => {
            let e = pick(d.edges(), *a)?;
            let style = (*b % 4 != 3).then(|| EDGE_STYLES[*b as usize % 3]);
            let bends = if *b % 2 == 0 {
                Vec::new()
            } else {
                vec![Pos::new(*x as f32, 0.0), Pos::new(*x as f32, *y as f32)]
            };
            Some(EditCommand::SetRoute {
                edge: e.id,
                style,
                bends,
            })
        }
        Op::EdgeKind(a, b) => Some(EditCommand::SetEdgeKind {
            edge: pick(d.edges(), *a)?.id,
            kind: EDGE_KINDS[*b as usize % EDGE_KINDS.len()],
        }),
        Op::EdgeStyle(a) => Some(EditCommand::SetEdgeStyle(EDGE_STYLES[*a as usize % 3])),
        Op::GroupKind(a, b) => Some(EditCommand::SetGroupKind {
            id: pick(&groups, *a)?,
            kind: GroupKind::ALL[*b as usize % GroupKind::ALL.len()],
        }),
        Op::Frame(a, w, h) => Some(EditCommand::SetGroupFrame {
            id: pick(&groups, *a)?,
            frame: (*w % 5 != 0).then(|| {
                Frame::new(
                    Pos::new(*w as f32 / 4.0, *h as f32 / 4.0),
                    100.0 + w.unsigned_abs() as f32 / 16.0,
                    80.0 + h.unsigned_abs() as f32 / 16.0,
                )
            }),
        }),
        Op::Paste(a, b) => {
            let sel = [element(pick(&ids, *a)?), element(pick(&ids, *b)?)];
            let text = archsketch::edit::clipboard::copy(d, &sel)?;
            let at = Pos::new(*a as f32 * 10.0, *b as f32 * 10.0);
            archsketch::edit::clipboard::paste(d, &text, (*a % 2 == 0).then_some(at))
                .ok()
                .flatten()
                .map(|p| p.command)
        }
        Op::Align(a, b, how) => {
            let sel = [
                ElementRef::Node(pick(&nodes, *a)?),
                ElementRef::Node(pick(&nodes, *b)?),
            ];
            let how = [
                ops::Align::Left,
                ops::Align::Centre,
                ops::Align::Right,
                ops::Align::Top,
                ops::Align::Middle,
                ops::Align::Bottom,
            ][*how as usize % 6];
            ops::align(d, &sel, how)
        }
        Op::Distribute(a, b, c, across) => {
            let sel: Vec<ElementRef> = [a, b, c]
                .iter()
                .filter_map(|i| pick(&nodes, **i))
                .map(ElementRef::Node)
                .collect();
            ops::distribute(d, &sel, *across)
        }
        Op::Arrange(a, all) => {
            let sel = [element(pick(&ids, *a)?)];
            let direction = if *a % 2 == 0 {
                archsketch::layout::Direction::Right
            } else {
                archsketch::layout::Direction::Down
            };
            archsketch::layout::arrange_command(d, (!*all).then_some(&sel[..]), direction)
        }
    }
}

/// The design is whole after a step: every invariant a file must meet, and the model's
/// lookups equal to ones built from scratch.
fn assert_whole(d: &Design) -> Result<(), TestCaseError> {
    prop_assert!(d.validate().is_ok(), "{:?}", d.validate());
    prop_assert!(
        d.index_differences().is_empty(),
        "{:?}",
        d.index_differences()
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_edit_sequences_undo_to_the_start_and_redo_to_the_end(ops in prop::collection::vec(op(), 1..60)) {
        let start = example();
        let mut d = start.clone();
        let mut h = History::default();
        let mut applied = 0;
        for op in &ops {
            if let Some(cmd) = command_for(&d, op)
                && h.apply(&mut d, cmd, None).is_ok() {
                    applied += 1;
                    assert_whole(&d)?;
                }
        }
        let end = d.clone();
        for _ in 0..applied {
            prop_assert!(h.undo(&mut d));
            assert_whole(&d)?;
        }
        prop_assert_eq!(&d, &start);
        prop_assert!(!h.is_modified());
        for _ in 0..applied {
            prop_assert!(h.redo(&mut d));
            assert_whole(&d)?;
        }
        prop_assert_eq!(&d, &end);
        // And every state saves and loads back unchanged, checks and exports without panicking.
        let text = archsketch::io::to_ron_string(&d);
        // Edge ids live only while a design is open; a loaded file numbers its edges afresh.
        prop_assert_eq!(without_edge_ids(load_str(&text, "x.ron").unwrap()), without_edge_ids(d.clone()));
        for f in archsketch::rules::check(&d) {
            if let Some(fix) = f.fix {
                let mut fixed = d.clone();
                prop_assert!(archsketch::edit::apply(&mut fixed, fix.command).is_ok(), "fix of {} fails", f.rule);
                prop_assert!(fixed.validate().is_ok());
            }
        }
        let svg = archsketch::export::to_svg(&d, &archsketch::export::ExportOptions::default());
        prop_assert!(svg.ends_with("</svg>\n"));
    }
}

#[test]
fn an_edge_keeps_its_id_when_an_earlier_edge_is_deleted_and_through_undo() {
    let mut d = example();
    let mut h = History::default();
    let last = d.edges().last().unwrap().clone();
    let first = d.edges()[0].id;
    let delete = ops::delete(&d, &[ElementRef::Edge(first)]).unwrap();
    h.apply(&mut d, delete, None).unwrap();
    // The last edge moved up one place in the list, but is still found by its id, and a
    // selection or finding naming it still names it.
    let moved = d.edge(last.id).expect("still there under its id");
    assert_eq!(
        (moved.from.as_str(), moved.to.as_str()),
        (last.from.as_str(), last.to.as_str())
    );
    assert_eq!(d.edge_index(last.id), Some(d.edges().len() - 1));
    assert!(
        d.edge(first).is_none(),
        "the deleted edge's id names nothing"
    );
    assert!(h.undo(&mut d));
    assert_eq!(
        d.edges()[0].id,
        first,
        "undo brings the edge back under its own id"
    );
    // A new edge never reuses an id, even one whose edge is gone.
    let connect = ops::connect(&d, &el(&d, "sql"), &el(&d, "guard")).unwrap();
    h.apply(&mut d, connect, None).unwrap();
    let new_id = d.edges().last().unwrap().id;
    assert!(
        d.edges()[..d.edges().len() - 1]
            .iter()
            .all(|e| e.id != new_id)
    );
}
