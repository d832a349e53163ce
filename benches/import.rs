//! Import speed on a 312-resource template made by repeating a real one (the public
//! collection's `VPC_With_Managed_NAT_And_Private_Subnet`, 26 resources, 12 times with
//! renamed logical ids), so the mix of subnets, routes, gateways and references is real.
//!
//! - `import/312`: parse, map, group and Arrange, as `archsketch import` does after reading.
//! - `import_command/312`: the whole `archsketch import` process, from start to the design
//!   written, as a person or a CI job waits for it.

// Test code may unwrap: a panic here is a failed test, not a crash in a person's hands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Map, Value};

/// Renames every logical id of the template the way CloudFormation would see them renamed.
fn renamed(value: &Value, ids: &[String], suffix: &str) -> Value {
    let rename = |name: &str| {
        let (id, rest) = name.split_once('.').unwrap_or((name, ""));
        if ids.iter().any(|i| i == id) {
            if rest.is_empty() {
                format!("{id}{suffix}")
            } else {
                format!("{id}{suffix}.{rest}")
            }
        } else {
            name.to_string()
        }
    };
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let v = match (k.as_str(), v) {
                    ("Ref", Value::String(s)) => Value::String(rename(s)),
                    ("DependsOn", Value::String(s)) => Value::String(rename(s)),
                    ("Fn::GetAtt", Value::Array(a)) if !a.is_empty() => {
                        let mut a = a.clone();
                        if let Value::String(s) = &a[0] {
                            a[0] = Value::String(rename(s));
                        }
                        Value::Array(a)
                    }
                    _ => renamed(v, ids, suffix),
                };
                out.insert(k.clone(), v);
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| renamed(v, ids, suffix)).collect())
        }
        other => other.clone(),
    }
}

fn big_template(copies: usize) -> (String, usize) {
    let text = std::fs::read_to_string("tests/fixtures/cfn/vpc-nat-private-subnet.json").unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let resources = doc["Resources"].as_object().unwrap();
    let ids: Vec<String> = resources.keys().cloned().collect();
    let mut all = Map::new();
    for k in 0..copies {
        let suffix = format!("C{k}");
        for (id, body) in resources {
            all.insert(format!("{id}{suffix}"), renamed(body, &ids, &suffix));
        }
    }
    let count = all.len();
    let mut out = doc.clone();
    out["Resources"] = Value::Object(all);
    (serde_json::to_string_pretty(&out).unwrap(), count)
}

fn bench(c: &mut Criterion) {
    let (text, count) = big_template(12);
    assert_eq!(count, 312);
    let imported = archsketch::import::import_template(&text, "big.json").unwrap();
    assert!(imported.design.nodes().len() >= 40, "{}", imported.report);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.json");
    std::fs::write(&input, &text).unwrap();
    let output = dir.path().join("big.ron");
    let mut group = c.benchmark_group("import");
    group.sample_size(20);
    group.bench_function("import/312", |b| {
        b.iter(|| archsketch::import::import_template(&text, "big.json").unwrap())
    });
    group.bench_function("import_command/312", |b| {
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
