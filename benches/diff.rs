//! Reviewing a change of a 10,000-service design: the comparison alone, and the whole
//! `archsketch diff` command from process start (both files read, both checked, compared,
//! printed). `cargo bench --bench diff`
//!
//! The change: 100 services relabelled, 50 renamed, 50 connections removed, 20 services added.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use archsketch::model::sample::pipelines;
use criterion::{Criterion, criterion_group, criterion_main};

/// The sample design as a file, and the same file changed.
fn versions() -> (String, String) {
    let old = archsketch::io::to_ron_string(&pipelines(10_000, 200.0));
    let mut new = old.clone();
    for i in 0..100 {
        new = new.replacen(
            &format!("label: \"s3 {i}\""),
            &format!("label: \"bucket {i}\""),
            1,
        );
    }
    for i in 0..50 {
        // A rename: the node's id and every mention of it.
        new = new.replace(&format!("\"n{i}_3\""), &format!("\"query_{i}\""));
    }
    let mut lines: Vec<&str> = new.lines().collect();
    let mut removed = 0;
    lines.retain(|l| {
        let edge = l.trim_start().starts_with("Edge(from: \"n1");
        if edge && removed < 50 {
            removed += 1;
            return false;
        }
        true
    });
    let mut new = lines.join("\n");
    let added: String = (0..20)
        .map(|i| {
            format!(
                "        Node(id: \"extra_{i}\", service: \"sqs\", pos: ({}.0, -300.0)),\n",
                i * 200
            )
        })
        .collect();
    new = new.replacen("    nodes: [\n", &format!("    nodes: [\n{added}"), 1);
    (old, new)
}

fn bench(c: &mut Criterion) {
    let (old_text, new_text) = versions();
    let old = archsketch::io::load_str(&old_text, "old.ron").unwrap();
    let new = archsketch::io::load_str(&new_text, "new.ron").unwrap();
    let review = archsketch::review::compare(&old, &new);
    assert_eq!(
        review.services.added.len(),
        20,
        "{:?}",
        review.services.added
    );
    assert!(review.services.changed.len() >= 150);
    let dir = tempfile::tempdir().unwrap();
    let (old_file, new_file) = (dir.path().join("old.ron"), dir.path().join("new.ron"));
    std::fs::write(&old_file, &old_text).unwrap();
    std::fs::write(&new_file, &new_text).unwrap();
    let mut group = c.benchmark_group("diff");
    group.sample_size(20);
    group.bench_function("compare/10000", |b| {
        b.iter(|| archsketch::review::compare(&old, &new))
    });
    group.bench_function("diff_command/10000", |b| {
        b.iter(|| {
            let run = Command::new(env!("CARGO_BIN_EXE_archsketch"))
                .arg("diff")
                .arg(&old_file)
                .arg(&new_file)
                .output()
                .unwrap();
            assert!(run.status.success());
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
