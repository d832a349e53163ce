//! Checking speed: every rule and the reference-architecture matcher over generated designs
//! of 1,000 and 10,000 nodes (rows of the T01 pipeline, one Region box each), and what a
//! team's standards (100 pack rules, 20 own references) add on the 10,000-node design.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use archsketch::model::sample::pipelines;
use archsketch::rules::team::{Team, reference_from_design};
use archsketch::rules::{self, CheckOptions, pack};
use archsketch::templates::TEMPLATES;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

/// 100 pack rules of every kind, on the services the sample design has and others; with
/// `firing`, ten of them fail on every bucket (16,670 findings more), to show what a finding
/// costs.
fn hundred_rules(firing: bool) -> pack::RulePack {
    let encryption = if firing {
        r#"on: Service("s3"), require: Property(key: "encryption", one_of: ["sse_kms"])"#
    } else {
        r#"on: Service("s3"), when: {"encryption": "sse_s3"}, require: Property(key: "encryption", one_of: ["sse_kms"])"#
    };
    let bodies = [
        r#"on: Service("s3"), when: {"contains_pii": "true"}, require: EdgeFrom(services: ["macie"], kind: Monitor)"#,
        r#"on: Service("athena"), require: EdgeFrom(services: ["glue"])"#,
        r#"on: Family("data_stores"), require: NoEdgeFrom(services: ["users", "client"])"#,
        r#"on: Service("s3"), require: NoPathFrom(["users"])"#,
        r#"on: Service("sagemaker"), require: PathFrom(["kinesis_data_streams"])"#,
        r#"on: Service("kinesis_data_streams"), require: PathTo(["s3"])"#,
        r#"on: Services(["rds", "aurora"]), require: Inside(PrivateSubnet)"#,
        r#"on: Service("emr"), require: NotInside(PublicSubnet)"#,
        encryption,
        r#"on: Service("nat_gateway"), require: AtMost(2)"#,
    ];
    let rules: Vec<String> = (0..100)
        .map(|i| {
            format!(
                r#"Rule(id: "TEAM-{i:03}", severity: Warning, message: "{{label}} breaks standard {i}", {})"#,
                bodies[i % bodies.len()]
            )
        })
        .collect();
    pack::parse(
        &format!("RulePack(rules: [{}])", rules.join(",\n")),
        "bench.rules.ron",
    )
    .unwrap()
}

/// 20 own references: the first 20 templates under other names.
fn twenty_references() -> Vec<rules::reference::Reference> {
    TEMPLATES[..20]
        .iter()
        .enumerate()
        .map(|(i, t)| {
            reference_from_design(&t.design().unwrap(), &format!("own-{i:02}"), t.file).unwrap()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    for n in [1_000usize, 10_000] {
        let design = pipelines(n, 200.0);
        group.bench_with_input(BenchmarkId::from_parameter(n), &design, |b, d| {
            b.iter(|| rules::check(d))
        });
    }
    group.finish();
    let design = pipelines(10_000, 200.0);
    for (name, firing) in [("check_with_team", false), ("check_with_team_firing", true)] {
        let options = CheckOptions {
            team: Some(Arc::new(Team::new(
                hundred_rules(firing),
                twenty_references(),
            ))),
            ..CheckOptions::default()
        };
        c.bench_function(&format!("{name}/10000"), |b| {
            b.iter(|| rules::check_with(&design, &options))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
