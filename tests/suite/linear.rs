//! The paths a stranger's file can make quadratic (issue "Bounded") stay linear: twice the
//! input takes about twice as long. Each case once took seconds to minutes at these sizes:
//! a template of many resources (a repeated-key check per key), one resource naming all
//! the others, draw.io cells sharing one id (a fresh id found by counting up), a rule pack
//! of many rules (each id checked against every earlier one), Arrange of many unconnected
//! services (a table of every block per component); and, linear already and kept so, the SVG
//! of many edges from one node, the `.drawio` export of many services and a draw.io page of
//! many cells; Ctrl+A, Ctrl+G and undo on many services (each member's box once looked up
//! by a walk over every box and every other member) and the undo of deleting many edges
//! (each restored id once checked against the whole edge list). The work is counted in
//! instructions under callgrind (`common::work`), so a busy machine cannot fail the test.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use common::nid;

use archsketch::model::{Design, Node, Pos};
use common::work::{self, Case};

/// Twice the input may take at most this many times the instructions: linear work takes
/// about 2, quadratic about 4.
const BOUND: f64 = 2.6;

fn queues(n: usize) -> String {
    let mut t = String::from("Resources:\n");
    for i in 0..n {
        t.push_str(&format!("  Q{i}:\n    Type: AWS::SQS::Queue\n"));
    }
    t
}

fn import_template(text: &str) -> usize {
    archsketch::import::cfn::import_template(text, "t.yaml")
        .unwrap()
        .design
        .nodes()
        .len()
}

fn drawio_nodes(text: &str) -> usize {
    archsketch::drawio::import_drawio(text, "d.drawio")
        .unwrap()
        .design
        .nodes()
        .len()
}

fn same_id_cells(n: usize) -> String {
    let mut cells = String::new();
    for i in 0..n {
        cells.push_str(&format!(
            "<mxCell id=\"same\" value=\"b{i}\" style=\"shape=mxgraph.aws4.s3;\" vertex=\"1\" parent=\"1\"><mxGeometry x=\"{}\" y=\"{}\" width=\"40\" height=\"40\" as=\"geometry\"/></mxCell>",
            (i % 100) * 60,
            (i / 100) * 60
        ));
    }
    format!(
        "<mxfile><diagram name=\"P\"><mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\"/>{cells}</root></mxGraphModel></diagram></mxfile>"
    )
}

fn pack(n: usize) -> String {
    let mut rules = String::new();
    for i in 0..n {
        rules.push_str(&format!(
            "Rule(id: \"T-{i}\", severity: Warning, message: \"{{label}} x\", on: Service(\"s3\"), require: Property(key: \"encryption\", one_of: [\"sse_kms\"])),\n"
        ));
    }
    format!("RulePack(rules: [\n{rules}])\n")
}

fn unconnected(n: usize) -> String {
    let mut d = Design::default();
    for i in 0..n {
        let at = Pos::new((i % 100) as f32 * 150.0, (i / 100) as f32 * 150.0);
        d.push_node(Node::new(nid(&format!("n{i}")), "s3", at))
            .unwrap();
    }
    archsketch::io::to_ron_string(&d)
}

fn fan_from_one(n: usize) -> String {
    let mut d = Design::default();
    d.push_node(Node::new(nid("src"), "lambda", Pos::new(0.0, 0.0)))
        .unwrap();
    for i in 0..n {
        let at = Pos::new(300.0 + (i % 64) as f32 * 150.0, (i / 64) as f32 * 150.0);
        d.push_node(Node::new(nid(&format!("q{i}")), "sqs", at))
            .unwrap();
        d.push_edge(archsketch::model::Edge::new(
            nid("src"),
            nid(&format!("q{i}")),
            archsketch::model::EdgeKind::Data,
        ));
    }
    archsketch::io::to_ron_string(&d)
}

fn cells(n: usize) -> String {
    let text = same_id_cells(n);
    let mut out = String::with_capacity(text.len() + 8 * n);
    for (i, part) in text.split("id=\"same\"").enumerate() {
        if i > 0 {
            out.push_str(&format!("id=\"c{i}\""));
        }
        out.push_str(part);
    }
    out
}

/// Every service and box of a design, as Ctrl+A selects them.
fn everything(d: &Design) -> Vec<archsketch::model::ElementRef> {
    use archsketch::model::ElementRef;
    d.nodes()
        .iter()
        .map(|n| ElementRef::Node(n.id.clone()))
        .chain(d.groups().iter().map(|g| ElementRef::Group(g.id.clone())))
        .collect()
}

fn select_all_group_undo(text: &str) -> usize {
    let mut d = archsketch::io::load_str(text, "u.ron").unwrap();
    let mut history = archsketch::edit::History::default();
    let selection = everything(&d).into_iter().collect();
    let ids = d.ids_among(&selection);
    let (group, _) =
        archsketch::edit::ops::group_selection(&d, &ids, archsketch::model::GroupKind::Generic)
            .unwrap();
    history.apply(&mut d, group, None).unwrap();
    assert!(history.undo(&mut d));
    d.groups().len()
}

fn delete_all_undo(text: &str) -> usize {
    let mut d = archsketch::io::load_str(text, "f.ron").unwrap();
    let mut history = archsketch::edit::History::default();
    let delete = archsketch::edit::ops::delete(&d, &everything(&d)).unwrap();
    history.apply(&mut d, delete, None).unwrap();
    assert!(history.undo(&mut d));
    d.edges().len()
}

/// The cases, each at the smaller of its two sizes.
const CASES: &[Case] = &[
    Case {
        name: "Ctrl+A, Ctrl+G and undo on N services",
        size: 4_000,
        input: unconnected,
        work: select_all_group_undo,
    },
    Case {
        name: "deleting N edges and undoing it",
        size: 4_000,
        input: fan_from_one,
        work: delete_all_undo,
    },
    Case {
        name: "SVG of N edges from one node",
        size: 1_000,
        input: fan_from_one,
        work: |text| {
            let design = archsketch::io::load_str(text, "f.ron").unwrap();
            archsketch::export::to_svg(&design, &Default::default()).len()
        },
    },
    Case {
        name: ".drawio export of N services",
        size: 6_000,
        input: unconnected,
        work: |text| {
            let design = archsketch::io::load_str(text, "u.ron").unwrap();
            archsketch::drawio::to_drawio(&design).len()
        },
    },
    Case {
        name: "draw.io page of N cells",
        size: 6_000,
        input: cells,
        work: drawio_nodes,
    },
    Case {
        name: "template of N resources",
        size: 3_000,
        input: queues,
        work: import_template,
    },
    Case {
        name: "one resource naming N others",
        size: 3_000,
        input: |n| {
            let mut t = queues(n);
            t.push_str("  F:\n    Type: AWS::Lambda::Function\n    DependsOn:\n");
            for i in 0..n {
                t.push_str(&format!("      - Q{i}\n"));
            }
            t
        },
        work: import_template,
    },
    Case {
        name: "draw.io cells sharing one id",
        size: 3_000,
        input: same_id_cells,
        work: drawio_nodes,
    },
    Case {
        name: "rule pack of N rules",
        size: 3_000,
        input: pack,
        work: |text| {
            archsketch::rules::pack::parse(text, "p.rules.ron")
                .unwrap()
                .rules
                .len()
        },
    },
    Case {
        name: "Arrange of N unconnected services",
        size: 3_000,
        input: unconnected,
        work: |text| {
            let design = archsketch::io::load_str(text, "u.ron").unwrap();
            archsketch::layout::arranged(&design, archsketch::layout::Direction::Right)
                .nodes()
                .len()
        },
    },
];

#[test]
fn twice_the_input_at_most_about_doubles_the_work() {
    for case in CASES {
        let r = work::doubling_ratio("linear::counted_case", case);
        eprintln!(
            "{}: twice the input took {r:.2}x the instructions",
            case.name
        );
        assert!(
            r < BOUND,
            "{}: twice the input took {r:.2}x the instructions",
            case.name
        );
    }
}

/// The child side of the count: runs the case the parent names (nothing when run by hand).
#[test]
#[ignore = "run by twice_the_input_at_most_about_doubles_the_work under callgrind"]
fn counted_case() {
    work::run_requested(CASES);
}
