//! draw.io import speed on a 1,040-cell diagram made from a real one: the two pages of
//! `tests/fixtures/drawio/closed-network.drawio` (104 cells of AWS 4 groups, subnets, icons,
//! text and arrows), repeated ten times side by side on one page with renamed ids, so the mix
//! of boxes, names and loose and glued arrows is real.
//!
//! - `drawio_import/1040`: read every page, classify, place in boxes, name, connect, as
//!   `archsketch import` does after reading the file.
//! - `drawio_import_command/1040`: the whole `archsketch import` process, from start to the
//!   design written, as a person or a CI job waits for it.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};

/// Every id-valued attribute of the cells renamed with `suffix`, but the root and layer.
fn renamed(cells: &str, suffix: &str) -> String {
    let mut out = String::with_capacity(cells.len() + cells.len() / 8);
    let mut rest = cells;
    while let Some(at) = ["id=\"", "parent=\"", "source=\"", "target=\""]
        .iter()
        .filter_map(|key| rest.find(key).map(|i| (i, key.len())))
        .min()
    {
        let (i, len) = at;
        out.push_str(&rest[..i + len]);
        rest = &rest[i + len..];
        let end = rest.find('"').unwrap();
        let value = &rest[..end];
        out.push_str(value);
        if value != "0" && value != "1" {
            out.push_str(suffix);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The fixture's cells (both pages) as one page, `copies` times, each copy in a box of its
/// own further right.
fn big_diagram(copies: usize) -> (String, usize) {
    let text = std::fs::read_to_string("tests/fixtures/drawio/closed-network.drawio").unwrap();
    let mut cells = String::new();
    for page in text.split("<root>").skip(1) {
        let body = page.split("</root>").next().unwrap();
        // Without the root and layer cells, which every page repeats.
        let body = body.replacen(r#"<mxCell id="0" />"#, "", 1).replacen(
            r#"<mxCell id="1" parent="0" />"#,
            "",
            1,
        );
        cells.push_str(&body);
    }
    let mut out = String::from(
        r#"<mxfile><diagram name="Big"><mxGraphModel><root><mxCell id="0" /><mxCell id="1" parent="0" />"#,
    );
    for k in 0..copies {
        let suffix = format!("_c{k}");
        out.push_str(&format!(
            r#"<mxCell id="copy{k}" style="group" vertex="1" parent="1"><mxGeometry x="{}" y="0" width="10" height="10" as="geometry" /></mxCell>"#,
            k * 4000
        ));
        let copy =
            renamed(&cells, &suffix).replace(r#"parent="1""#, &format!(r#"parent="copy{k}""#));
        out.push_str(&copy);
    }
    out.push_str("</root></mxGraphModel></diagram></mxfile>");
    let count = out.matches("<mxCell").count();
    (out, count)
}

fn bench(c: &mut Criterion) {
    let (text, count) = big_diagram(10);
    assert!(count >= 1000, "{count}");
    let imported = archsketch::drawio::import_drawio(&text, "big.drawio").unwrap();
    assert!(imported.design.nodes().len() >= 300, "{}", imported.report);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.drawio");
    std::fs::write(&input, &text).unwrap();
    let output = dir.path().join("big.ron");
    let mut group = c.benchmark_group("drawio_import");
    group.sample_size(20);
    group.bench_function("drawio_import/1040", |b| {
        b.iter(|| archsketch::drawio::import_drawio(&text, "big.drawio").unwrap())
    });
    group.bench_function("drawio_import_command/1040", |b| {
        b.iter(|| {
            let run = Command::new(env!("CARGO_BIN_EXE_archsketch"))
                .arg("import")
                .arg(&input)
                .arg("-o")
                .arg(&output)
                .output()
                .unwrap();
            assert!(run.status.success());
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
