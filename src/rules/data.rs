//! Database and migration rules (R074-R086).

use super::fixes::{add_watcher, set_prop};
use super::{Hit, Index, Rule, node, on_node, q};
use crate::model::EdgeKind;

/// This module's rules, in id order.
pub const RULES: &[Rule] = &[
    R074, R075, R076, R077, R078, R079, R080, R081, R082, R083, R084, R085, R086,
];

rule! {
    R074: Warning, "Unsupported RDS engine (per notes).",
    quote: "RDS engines: Postgres, MySQL, MariaDB, Oracle, Microsoft SQL Server, Aurora",
    source: "2:566-571",
    fn r074(ix) -> Vec<Hit> {
        // The engines the notes list are the ones the catalog offers for RDS.
        let notes_engines = crate::catalog::catalog()
            .service("rds")
            .and_then(|s| s.prop("engine"))
            .map_or(&[][..], |p| p.kind.choices());
        ix.of(&["rds"])
            .into_iter()
            .filter_map(|n| {
                ix.prop(n, "engine")
                    .filter(|e| !notes_engines.iter().any(|known| known == e))
                    .map(|e| (n, e))
            })
            .map(|(n, e)| {
                on_node(ix, &n.id, |l| {
                    format!("{l} runs engine \"{e}\", which the notes do not list for RDS")
                })
            })
            .collect()
    }
}

rule! {
    R075: Error, "Aurora supports MySQL and PostgreSQL.",
    quote: "PostgreSQL and MySQL are both supported as Aurora DB",
    source: "2:586",
    fn r075(ix) -> Vec<FixedHit> {
        ix.of(&["aurora"])
            .into_iter()
            .filter_map(|n| {
                ix.prop(n, "engine")
                    .filter(|e| !matches!(*e, "mysql" | "postgresql"))
                    .map(|e| (n, e))
            })
            .map(|(n, e)| {
                on_node(ix, &n.id, |l| format!("{l} is Aurora with engine \"{e}\"")).fix(
                    "Use Aurora PostgreSQL",
                    set_prop(&n.id, "engine", "postgresql"),
                )
            })
            .collect()
    }
}

rule! {
    R076: Info, "Aurora is not in the free tier.",
    quote: "Not in the free tier",
    source: "2:590",
    fn r076(ix) -> Vec<Hit> {
        ix.of(&["aurora"])
            .into_iter()
            .filter(|n| {
                ix.flag(n, "free_tier")
                    || ix
                        .enclosing(&n.id)
                        .any(|g| g.props.get("free_tier").is_some_and(|v| v == "true"))
            })
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!("{l} is Aurora in a free-tier design")
                })
            })
            .collect()
    }
}

rule! {
    R077: Info, "The notes give a 64 TB maximum (an older limit).",
    quote: "up to 64 TB.",
    source: "2:588",
    fn r077(ix) -> Vec<Hit> {
        ix.of(&["aurora"])
            .into_iter()
            .filter(|n| {
                ix.number(n, "storage_tb")
                    .is_some_and(|t| t > crate::catalog::catalog().limit("aurora_storage_tb"))
            })
            .map(|n| {
                Hit::new(
                    vec![node(&n.id)],
                    format!(
                        "{} plans {} TB; the notes say up to {} TB (see C3)",
                        q(ix, &n.id),
                        ix.prop(n, "storage_tb").unwrap_or_default(),
                        crate::catalog::catalog().limit("aurora_storage_tb")
                    ),
                )
            })
            .collect()
    }
}

rule! {
    R078: Info, "Add a cache or read replicas.",
    quote: "Helps reduce load off databases for read intensive workloads",
    source: "2:597",
    fn r078(ix) -> Vec<FixedHit> {
        ix.of(&["rds", "aurora"])
            .into_iter()
            .filter(|n| ix.prop(n, "workload") == Some("read_heavy"))
            .filter(|n| {
                !ix.touching(&n.id).iter().any(|(_, e, o)| {
                    matches!(ix.service(o), Some("elasticache" | "memorydb"))
                        || (e.kind == EdgeKind::Replicate && e.from == n.id)
                })
            })
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!("{l} is read-heavy with no cache or read replica")
                })
                .fix(
                    "Put ElastiCache in front",
                    add_watcher(ix, &n.id, "elasticache", EdgeKind::Data),
                )
            })
            .collect()
    }
}

rule! {
    R079: Warning, "A cache sits between the app and the DB.",
    quote: "Minimizes the load on backend servers",
    source: "1:487",
    fn r079(ix) -> Vec<Hit> {
        ix.of(&["elasticache"])
            .into_iter()
            .filter(|n| {
                ix.touching(&n.id)
                    .iter()
                    .all(|(_, e, _)| e.kind.is_relation())
            })
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!("{l} is connected to no application or database")
                })
            })
            .collect()
    }
}

rule! {
    R080: Info, "Use Multi-AZ for DR.",
    quote: "Multi AZ setup for DR (Disaster Recovery)",
    source: "2:577",
    fn r080(ix) -> Vec<FixedHit> {
        ix.of(&["rds", "aurora"])
            .into_iter()
            .filter(|n| ix.prop(n, "environment") == Some("production") && !ix.flag(n, "multi_az"))
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!("Production database {l} is not Multi-AZ")
                })
                .fix("Enable Multi-AZ", set_prop(&n.id, "multi_az", "true"))
            })
            .collect()
    }
}

rule! {
    R081: Warning, "Backups for self-hosted DBs are your job.",
    quote: "Responsibility for backups and patching lies with the user",
    source: "1:238",
    fn r081(ix) -> Vec<FixedHit> {
        ix.of(&["ec2_hosted_db"])
            .into_iter()
            .filter(|n| {
                !ix.touching(&n.id)
                    .iter()
                    .any(|(_, _, o)| matches!(ix.service(o), Some("aws_backup" | "ebs_snapshot")))
            })
            .map(|n| {
                on_node(ix, &n.id, |l| format!("Self-hosted {l} has no backup")).fix(
                    "Back it up with AWS Backup",
                    add_watcher(ix, &n.id, "aws_backup", EdgeKind::Backup),
                )
            })
            .collect()
    }
}

rule! {
    R082: Warning, "DynamoDB is not relational.",
    quote: "NoSQL database - not a relational database",
    source: "2:605",
    fn r082(ix) -> Vec<Hit> {
        ix.of(&["dynamodb", "documentdb"])
            .into_iter()
            .filter(|n| ix.prop(n, "workload") == Some("relational"))
            .map(|n| on_node(ix, &n.id, |l| format!("{l} carries a relational workload")))
            .collect()
    }
}

rule! {
    R083: Error, "DMS needs a source and a target.",
    quote: "Supports diverse source and target databases",
    source: "1:268",
    fn r083(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for d in ix.of(&["dms"]) {
            // A migration drawn in parts (instance, endpoints, task, as a template has them)
            // is judged as the whole its DMS pieces make together.
            let parts = dms_parts(ix, d.id.as_str());
            let store = |s: &&str| ix.in_family(s, "data_stores");
            let src = parts.iter().any(|p| ix.flow_in(p).iter().any(store));
            let dst = parts.iter().any(|p| ix.flow_out(p).iter().any(store));
            if !src || !dst {
                let missing = match (src, dst) {
                    (false, false) => "source or target",
                    (false, true) => "source",
                    _ => "target",
                };
                hits.push(on_node(ix, &d.id, |l| {
                    format!("{l} has no {missing} database")
                }));
            }
        }
        hits
    }
}

/// The DMS nodes joined to `id` by edges of any kind, `id` included.
fn dms_parts<'a>(ix: &Index<'a>, id: &'a str) -> Vec<&'a str> {
    let mut parts = vec![id];
    let mut i = 0;
    while let Some(&p) = parts.get(i) {
        for (_, _, other) in ix.touching(p) {
            if ix.service(other) == Some("dms") && !parts.contains(&other) {
                parts.push(other);
            }
        }
        i += 1;
    }
    parts
}

fn engine_of(ix: &Index, id: &str) -> Option<String> {
    let n = ix.node(id)?;
    let e = ix
        .prop(n, "engine")
        .filter(|e| !e.is_empty())
        .map(|e| e.to_lowercase());
    e.or_else(|| (n.service == "aurora").then(|| "aurora".to_string()))
}

rule! {
    R084: Warning, "Heterogeneous migration: add the Schema Conversion Tool.",
    quote: "AWS Schema Conversion Tool is useful for migration projects where the source and target databases have different structures",
    source: "1:293",
    fn r084(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for d in ix.of(&["dms"]) {
            let sct = ix
                .touching(&d.id)
                .iter()
                .any(|(_, _, o)| ix.service(o) == Some("sct"))
                || ix
                    .upstream(&d.id)
                    .iter()
                    .chain(ix.downstream(&d.id).iter())
                    .any(|o| ix.service(o) == Some("sct"));
            if sct {
                continue;
            }
            for s in ix.flow_in(&d.id) {
                for t in ix.flow_out(&d.id) {
                    let converted = [s, t].iter().any(|x| {
                        ix.touching(x)
                            .iter()
                            .any(|(_, _, o)| ix.service(o) == Some("sct"))
                    });
                    if converted {
                        continue;
                    }
                    if let (Some(a), Some(b)) = (engine_of(ix, s), engine_of(ix, t)) {
                        let same = a == b
                            || (b == "aurora"
                                && matches!(a.as_str(), "mysql" | "postgres" | "postgresql"));
                        if !same {
                            hits.push(
                                Hit::new(
                                    vec![node(s), node(&d.id), node(t)],
                                    format!(
                                        "{} migrates {a} to {b} without the Schema Conversion Tool",
                                        q(ix, &d.id)
                                    ),
                                )
                                .fix(
                                    "Add the Schema Conversion Tool",
                                    add_watcher(ix, &d.id, "sct", EdgeKind::Data),
                                ),
                            );
                        }
                    }
                }
            }
        }
        hits
    }
}

rule! {
    R085: Info, "Consider the Snow Family (offline transfer).",
    quote: "offline data transfer of petabyte-scale",
    source: "1:272",
    fn r085(ix) -> Vec<Hit> {
        ix.of(&["on_premises_dc"])
            .into_iter()
            .filter(|n| {
                ix.number(n, "data_volume_tb").is_some_and(|v| v >= 1000.0)
                    || ix.prop(n, "bandwidth") == Some("constrained")
            })
            .filter(|n| {
                !ix.touching(&n.id)
                    .iter()
                    .any(|(_, _, o)| ix.service(o) == Some("snow_family"))
            })
            .filter(|n| {
                ix.touching(&n.id).iter().any(|(_, _, o)| {
                    matches!(ix.service(o), Some("vpn" | "internet" | "datasync" | "dms"))
                })
            })
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!("{l} moves petabytes or has little bandwidth, over the network")
                })
            })
            .collect()
    }
}

rule! {
    R086: Warning, "DataSync moves on-prem storage to AWS storage; use DMS for databases.",
    quote: "Seamless integration with S3 and other AWS storage services",
    source: "1:279",
    fn r086(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for d in ix.of(&["datasync"]) {
            for s in ix.flow_in(&d.id) {
                if ix.service(s) != Some("on_premises_dc") {
                    hits.push(Hit::new(
                        vec![node(s), node(&d.id)],
                        format!(
                            "{} syncs from {}, which is not on-premises storage",
                            q(ix, &d.id),
                            q(ix, s)
                        ),
                    ));
                }
            }
            for t in ix.flow_out(&d.id) {
                if !matches!(ix.service(t), Some("s3" | "efs")) {
                    hits.push(Hit::new(
                        vec![node(&d.id), node(t)],
                        format!(
                            "{} syncs into {}, which is not S3 or EFS",
                            q(ix, &d.id),
                            q(ix, t)
                        ),
                    ));
                }
            }
        }
        hits
    }
}
