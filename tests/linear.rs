//! The paths a stranger's file can make quadratic (issue "Bounded") stay linear: twice the
//! input takes about twice as long. Each case once took seconds to minutes at these sizes:
//! a template of many resources (a repeated-key check per key), one resource naming all
//! the others, draw.io cells sharing one id (a fresh id found by counting up), a rule pack
//! of many rules (each id checked against every earlier one), Arrange of many unconnected
//! services (a table of every block per component); and, linear already and kept so, the SVG
//! of many edges from one node, the `.drawio` export of many services and a draw.io page of
//! many cells; Ctrl+A, Ctrl+G and undo on many services (each member's box once looked up
//! by a walk over every box and every other member) and the undo of deleting many edges
//! (each restored id once checked against the whole edge list). Whole runs are timed, the best of
//! three, and a ratio over the bound is measured again (a shared machine can be busy).

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use archsketch::model::{Design, Node, Pos};

/// Twice the input may take at most this many times as long: linear work takes about 2.
const BOUND: f64 = 3.0;

/// How much longer `work` takes on the input of size `2n` than of size `n`.
fn ratio(make: &dyn Fn(usize) -> String, n: usize, work: &dyn Fn(&str) -> usize) -> f64 {
    let (small, large) = (make(n), make(2 * n));
    common::doubling_ratio(&|| work(&small), &|| work(&large), BOUND)
}

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
        d.push_node(Node::new(format!("n{i}"), "s3", at)).unwrap();
    }
    archsketch::io::to_ron_string(&d)
}

fn fan_from_one(n: usize) -> String {
    let mut d = Design::default();
    d.push_node(Node::new("src", "lambda", Pos::new(0.0, 0.0)))
        .unwrap();
    for i in 0..n {
        let at = Pos::new(300.0 + (i % 64) as f32 * 150.0, (i / 64) as f32 * 150.0);
        d.push_node(Node::new(format!("q{i}"), "sqs", at)).unwrap();
        d.push_edge(archsketch::model::Edge::new(
            "src",
            format!("q{i}"),
            archsketch::model::EdgeKind::Data,
        ));
    }
    archsketch::io::to_ron_string(&d)
}

fn cells(n: usize) -> String {
    let mut counter = 0;
    same_id_cells(n)
        .split("id=\"same\"")
        .map(str::to_string)
        .reduce(|acc, part| {
            counter += 1;
            format!("{acc}id=\"c{counter}\"{part}")
        })
        .unwrap_or_default()
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

#[test]
fn twice_the_input_at_most_about_doubles_the_work() {
    let cases: [(&str, f64); 10] = [
        (
            "Ctrl+A, Ctrl+G and undo on N services",
            ratio(&unconnected, 10_000, &|text| select_all_group_undo(text)),
        ),
        (
            "deleting N edges and undoing it",
            ratio(&fan_from_one, 10_000, &|text| delete_all_undo(text)),
        ),
        (
            "SVG of N edges from one node",
            ratio(&fan_from_one, 1_000, &|text| {
                let design = archsketch::io::load_str(text, "f.ron").unwrap();
                archsketch::export::to_svg(&design, &Default::default()).len()
            }),
        ),
        (
            ".drawio export of N services",
            ratio(&unconnected, 25_000, &|text| {
                let design = archsketch::io::load_str(text, "u.ron").unwrap();
                archsketch::drawio::to_drawio(&design).len()
            }),
        ),
        (
            "draw.io page of N cells",
            ratio(&cells, 25_000, &drawio_nodes),
        ),
        (
            "template of N resources",
            ratio(&queues, 8_000, &import_template),
        ),
        (
            "one resource naming N others",
            ratio(
                &|n| {
                    let mut t = queues(n);
                    t.push_str("  F:\n    Type: AWS::Lambda::Function\n    DependsOn:\n");
                    for i in 0..n {
                        t.push_str(&format!("      - Q{i}\n"));
                    }
                    t
                },
                8_000,
                &import_template,
            ),
        ),
        (
            "draw.io cells sharing one id",
            ratio(&same_id_cells, 4_000, &drawio_nodes),
        ),
        (
            "rule pack of N rules",
            ratio(&pack, 8_000, &|text| {
                archsketch::rules::pack::parse(text, "p.rules.ron")
                    .unwrap()
                    .rules
                    .len()
            }),
        ),
        (
            "Arrange of N unconnected services",
            ratio(&unconnected, 8_000, &|text| {
                let design = archsketch::io::load_str(text, "u.ron").unwrap();
                archsketch::layout::arranged(&design, archsketch::layout::Direction::Right)
                    .nodes()
                    .len()
            }),
        ),
    ];
    for (name, r) in cases {
        eprintln!("{name}: twice the input took {r:.2}x");
        assert!(r < BOUND, "{name}: twice the input took {r:.2}x");
    }
}
