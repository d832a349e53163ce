//! Mermaid export: every template, a design with boxes in boxes and hostile labels, and a real
//! imported drawing become flowcharts that hold each service, box and connection once, nested
//! as in the design, and that Mermaid's own parser accepts.
//!
//! The parser runs where it is at hand and the test says why it was skipped where not: `node`,
//! with the npm packages `mermaid` and `jsdom` on `NODE_PATH` (`npm install mermaid jsdom` in
//! any folder, then `NODE_PATH=that/node_modules`), driven by `tools/mermaid_parse.mjs`.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use archsketch::export::mermaid::to_mermaid;
use archsketch::model::Design;
use archsketch::templates::TEMPLATES;

use crate::common;

/// What the chart declares: node definitions (`name["..."]` on their own line), subgraphs,
/// `end`s and connections, counted from the text as Mermaid reads it.
fn counts(chart: &str) -> (usize, usize, usize, usize) {
    let lines: Vec<&str> = chart.lines().map(str::trim).collect();
    let subgraphs = lines.iter().filter(|l| l.starts_with("subgraph ")).count();
    let ends = lines.iter().filter(|l| **l == "end").count();
    let edges = lines
        .iter()
        .filter(|l| {
            [" --> ", " -->|", " -.-> ", " -.->|"]
                .iter()
                .any(|a| l.contains(a))
        })
        .count();
    let nodes = lines
        .iter()
        .filter(|l| !l.starts_with("subgraph ") && !l.contains("-->") && !l.contains("-.->"))
        .filter(|l| l.ends_with("\"]") && l.contains("[\""))
        .count();
    (nodes, subgraphs, ends, edges)
}

fn assert_whole(name: &str, design: &Design, chart: &str) {
    let (nodes, subgraphs, ends, edges) = counts(chart);
    assert_eq!(nodes, design.nodes().len(), "{name}: services\n{chart}");
    assert_eq!(subgraphs, design.groups().len(), "{name}: boxes\n{chart}");
    assert_eq!(ends, subgraphs, "{name}: every box is closed\n{chart}");
    assert_eq!(edges, design.edges().len(), "{name}: connections\n{chart}");
}

#[test]
fn every_template_becomes_a_flowchart_holding_all_of_it() {
    for t in TEMPLATES {
        let design = t.design().unwrap();
        let chart = to_mermaid(&design);
        assert!(chart.contains("flowchart LR\n"), "{}", t.id);
        assert_whole(t.id, &design, &chart);
    }
}

/// Boxes in boxes, a box named by a Mermaid keyword, a label with quotes and markup.
fn nested() -> Design {
    common::d(
        r#"
        app: users "Shoppers"
        raw: s3 "Raw "zone" <1>"
        sql: athena
        watch: cloudwatch
        raw -> sql : Query
        watch -> raw : Monitor
        @sub: PrivateSubnet [sql]
        @vpc: Vpc [sub, raw]
        @end: Region [vpc, watch] "us-east-1"
        "#,
    )
}

#[test]
fn boxes_nest_as_in_the_design_and_connections_keep_their_kind() {
    let design = nested();
    let chart = to_mermaid(&design);
    assert_whole("nested", &design, &chart);
    // `end` is a Mermaid keyword: the box gets a name of its own, still titled by its label.
    assert!(chart.contains("subgraph id_end[\"us-east-1\"]"), "{chart}");
    let at = |needle: &str| {
        chart
            .find(needle)
            .unwrap_or_else(|| panic!("{needle}\n{chart}"))
    };
    assert!(at("subgraph id_end") < at("subgraph vpc") && at("subgraph vpc") < at("subgraph sub"));
    assert!(at("subgraph sub") < at("    sql[") && at("    sql[") < at("    raw["));
    // A label cannot end its quotes or open markup.
    assert!(chart.contains("Raw #quot;zone#quot; #lt;1#gt;"), "{chart}");
    assert!(chart.contains("raw -->|\"Query\"| sql"), "{chart}");
    assert!(chart.contains("watch -.->|\"Monitor\"| raw"), "{chart}");
    assert!(chart.contains("class vpc box_Vpc"), "{chart}");
}

/// What is missing to run Mermaid's parser here, if anything.
fn parser_missing() -> Option<String> {
    if Command::new("node").arg("--version").output().is_err() {
        return Some("no node".into());
    }
    let found = Command::new("node")
        .args(["-e", "require.resolve('mermaid'); require.resolve('jsdom')"])
        .output()
        .is_ok_and(|o| o.status.success());
    (!found).then(|| "mermaid and jsdom are not on NODE_PATH".into())
}

#[test]
fn mermaid_itself_parses_every_chart() {
    if let Some(why) = parser_missing() {
        eprintln!("skipped: Mermaid's parser is not available here ({why})");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut designs: Vec<(String, Design)> = TEMPLATES
        .iter()
        .map(|t| (t.id.to_string(), t.design().unwrap()))
        .collect();
    let drawing =
        std::fs::read_to_string("tests/fixtures/drawio/appsync-athena.drawio.xml").unwrap();
    let imported = archsketch::drawio::import_drawio(&drawing, "appsync.drawio").unwrap();
    designs.push(("appsync-athena".into(), imported.design));
    designs.push(("nested".into(), nested()));
    let template =
        std::fs::read_to_string("tests/fixtures/cfn/vpc-nat-private-subnet.yaml").unwrap();
    let imported = archsketch::import::import_template(&template, "vpc.yaml").unwrap();
    designs.push(("vpc-nat-private-subnet".into(), imported.design));
    for (name, design) in &designs {
        let file = dir.path().join(format!("{name}.mmd"));
        std::fs::write(&file, to_mermaid(design)).unwrap();
        files.push(file);
    }
    let run = Command::new("node")
        .arg("tools/mermaid_parse.mjs")
        .args(&files)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&run.stdout);
    let parsed: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        parsed.len(),
        files.len(),
        "{out}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for p in &parsed {
        assert_eq!(p["ok"], true, "{p}");
        assert_eq!(p["type"], "flowchart-v2", "{p}");
    }
    // A chart broken on purpose is refused: the parser is really reading them.
    let broken = dir.path().join("broken.mmd");
    std::fs::write(&broken, "flowchart LR\n    a -->|\"x| b\n").unwrap();
    let run = Command::new("node")
        .arg("tools/mermaid_parse.mjs")
        .arg(&broken)
        .output()
        .unwrap();
    assert!(!run.status.success());
}
