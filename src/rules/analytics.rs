//! Analytics, data lake and machine-learning rules (R001-R025).

use super::fixes::{
    add_source, add_target, add_watcher, insert_between, replace_service, set_prop,
};
use super::{Hit, Rule, Severity, edge_ref, node, on_node, q};
use crate::model::EdgeKind;

/// This module's rules, in id order.
pub const RULES: &[Rule] = &[
    R001, R002, R003, R004, R005, R006, R007, R008, R009, R010, R011, R012, R013, R014, R015, R016,
    R017, R018, R019, R020, R021, R022, R023, R024, R025,
];

rule! {
    R001: Warning, "Athena queries data in S3.",
    quote: "Used to query data in S3",
    source: "2:640",
    fn r001(ix) -> Vec<FixedHit> {
        ix.of(&["athena"])
            .into_iter()
            .filter(|a| !ix.any_upstream(&a.id, |u| ix.service(u) == Some("s3")))
            .map(|a| {
                // An edge from Athena to a bucket is a query drawn against the data's flow:
                // say that instead of "no source", which the person can see is not so.
                let reversed = ix
                    .flow_out(&a.id)
                    .into_iter()
                    .find(|o| ix.service(o) == Some("s3"));
                on_node(ix, &a.id, |l| match reversed {
                    Some(b) => format!(
                        "{l} points at {} but takes no data from S3: draw the edge from the bucket to Athena",
                        q(ix, b)
                    ),
                    None => format!("{l} has no S3 source: Athena queries data in S3"),
                })
                .fix(
                    "Add an S3 bucket that Athena queries",
                    add_source(ix, &a.id, "s3", EdgeKind::Query),
                )
            })
            .collect()
    }
}

rule! {
    R002: Info, "Athena writes query results back to S3.",
    quote: "Output results back to S3",
    source: "2:642",
    fn r002(ix) -> Vec<Hit> {
        let results_store = |e: &crate::model::Edge| {
            e.kind == EdgeKind::Data
                && ix.category(&e.to) == "storage"
                && ix.service(&e.to) != Some("s3")
        };
        super::flow_edge_hits(ix, &ix.of(&["athena"]), results_store, |a, t| {
            format!("{a} writes results to {t}, not S3")
        })
    }
}

rule! {
    R003: Warning, "Glue catalogs and transforms; it doesn't store data. Connect what consumes it.",
    quote: "Creates catalogues of data, doesn't store any data.",
    source: "4:13",
    fn r003(ix) -> Vec<FixedHit> {
        ix.of(&["glue", "glue_data_catalog"])
            .into_iter()
            .filter(|g| {
                !ix.out(&g.id)
                    .any(|(_, e)| ix.in_family(&e.to, "catalog_consumers"))
            })
            .map(|g| {
                on_node(ix, &g.id, |l| {
                    format!("Nothing consumes {l}: Glue doesn't store data")
                })
                .fix(
                    "Add Athena to query the catalog",
                    add_target(ix, &g.id, "athena", EdgeKind::Catalog),
                )
            })
            .collect()
    }
}

rule! {
    R004: Warning, "Glue needs sources to catalog or ETL.",
    quote: "Gluing together multiple schemas, databases, sources and load it into a final destination.",
    source: "4:13",
    fn r004(ix) -> Vec<FixedHit> {
        ix.of(&["glue"])
            .into_iter()
            .filter(|g| ix.inn(&g.id).next().is_none())
            .map(|g| {
                on_node(ix, &g.id, |l| {
                    format!("{l} has no source to catalog or transform")
                })
                .fix(
                    "Add an S3 bucket for Glue to crawl",
                    add_source(ix, &g.id, "s3", EdgeKind::Catalog),
                )
            })
            .collect()
    }
}

rule! {
    R005: Info, "The notes list Athena, Redshift and EMR as catalog consumers.",
    quote: "can be used by Athena, Redshift, EMR",
    source: "2:652",
    fn r005(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for g in ix.of(&["glue_data_catalog"]) {
            for (i, e) in ix.out(&g.id) {
                if e.kind == EdgeKind::Catalog
                    && !matches!(ix.service(&e.to), Some("athena" | "redshift" | "emr"))
                {
                    hits.push(Hit::new(
                        vec![node(&g.id), edge_ref(ix, i)],
                        format!("{} serves its catalog to {}", q(ix, &g.id), q(ix, &e.to)),
                    ));
                }
            }
        }
        hits
    }
}

rule! {
    R006: Warning, "Redshift is batch-loaded; land the data in S3 and load it with Glue.",
    quote: "Load data once every hour, not every second",
    source: "2:619",
    fn r006(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for r in ix.of(&["redshift"]) {
            for (i, e) in ix.inn(&r.id) {
                if !e.kind.is_relation() && ix.in_family(&e.from, "streaming_sources") {
                    let fix = insert_between(
                        ix,
                        e,
                        &[("s3", e.kind), ("glue", EdgeKind::Catalog)],
                        EdgeKind::Data,
                    );
                    let hit = Hit::new(
                        vec![node(&e.from), node(&r.id), edge_ref(ix, i)],
                        format!(
                            "{} streams straight into Redshift {}",
                            q(ix, &e.from),
                            q(ix, &r.id)
                        ),
                    );
                    hits.push(hit.fix_if("Land the stream in S3 and load it with Glue", fix));
                }
            }
        }
        hits
    }
}

rule! {
    R007: Warning, "Redshift is OLAP, not OLTP; use RDS, Aurora or DynamoDB.",
    quote: "it's not used for OLTP",
    source: "2:617",
    fn r007(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for r in ix.of(&["redshift"]) {
            for from in ix.flow_in(&r.id) {
                let Some(n) = ix.node(from) else { continue };
                let transactional = matches!(
                    n.service.as_str(),
                    "users" | "client" | "elb" | "mobile_app"
                ) || (matches!(n.service.as_str(), "ec2" | "lambda")
                    && matches!(ix.prop(n, "role"), Some("web" | "app")));
                if transactional {
                    hits.push(Hit::new(
                        vec![node(from), node(&r.id)],
                        format!(
                            "{} sends transactional traffic to Redshift {}",
                            q(ix, from),
                            q(ix, &r.id)
                        ),
                    ));
                }
            }
        }
        hits
    }
}

rule! {
    R008: Warning, "Redshift needs structured data.",
    quote: "Redshift requires the data that it works with to be appropriately structured",
    source: "0:27",
    fn r008(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for r in ix.of(&["redshift"]) {
            for (_, e) in ix.inn(&r.id) {
                if e.kind.is_relation() {
                    continue;
                }
                // Walk back from the edge's source, stopping at Glue (which structures the data).
                let mut stack = vec![e.from.as_str()];
                let mut seen = std::collections::HashSet::new();
                while let Some(x) = stack.pop() {
                    if !seen.insert(x) || matches!(ix.service(x), Some("glue" | "glue_data_catalog")) {
                        continue;
                    }
                    let Some(n) = ix.node(x) else { continue };
                    if n.service == "kinesis_video_streams"
                        || ix.prop(n, "format") == Some("unstructured")
                    {
                        let hit = Hit::new(
                            vec![node(x), node(&r.id)],
                            format!(
                                "Unstructured data from {} reaches Redshift {} without a Glue transform",
                                q(ix, x),
                                q(ix, &r.id)
                            ),
                        );
                        let fix =
                            insert_between(ix, e, &[("glue", EdgeKind::Data)], EdgeKind::Data);
                        hits.push(hit.fix_if("Insert a Glue transform before Redshift", fix));
                        break;
                    }
                    stack.extend(ix.flow_in(x));
                }
            }
        }
        hits
    }
}

rule! {
    R009: Error, "QuickSight needs a data source (Athena, Redshift...).",
    quote: "QuickSight can read data from Athena",
    source: "1:618",
    fn r009(ix) -> Vec<FixedHit> {
        ix.of(&["quicksight"])
            .into_iter()
            .filter(|n| ix.flow_in(&n.id).is_empty())
            .map(|n| {
                on_node(ix, &n.id, |l| format!("{l} has no data source")).fix(
                    "Connect Athena as its data source",
                    add_source(ix, &n.id, "athena", EdgeKind::Query),
                )
            })
            .collect()
    }
}

rule! {
    R010: Info, "EMR integrates well with S3.",
    quote: "Integrates well with S3.",
    source: "4:40",
    fn r010(ix) -> Vec<Hit> {
        ix.of(&["emr"])
            .into_iter()
            .filter(|n| {
                !ix.touching(&n.id)
                    .iter()
                    .any(|(_, _, o)| ix.service(o) == Some("s3"))
            })
            // A bucket named by URL (`LogUri: s3://...`) is an S3 connection too.
            .filter(|n| ix.prop(n, "s3_uri").is_none_or(|u| !u.starts_with("s3://")))
            .map(|n| on_node(ix, &n.id, |l| format!("{l} has no S3 connection")))
            .collect()
    }
}

rule! {
    R011: Warning, "Spark runs inside EMR or SageMaker.",
    quote: "Can run inside EMR & Sagemaker",
    source: "4:44",
    fn r011(ix) -> Vec<Hit> {
        ix.of(&["apache_spark"])
            .into_iter()
            .filter(|n| {
                !ix.touching(&n.id)
                    .iter()
                    .any(|(_, _, o)| matches!(ix.service(o), Some("emr" | "sagemaker")))
            })
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!("{l} is not attached to EMR or SageMaker")
                })
            })
            .collect()
    }
}

rule! {
    R012: Warning, "Only task nodes can be lost without failing the cluster; put Spot on task nodes.",
    quote: "Task nodes can be ripped out without failing the whole cluster == Spot instances",
    source: "4:41",
    fn r012(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for n in ix.of(&["emr"]) {
            let role = ix.prop(n, "role");
            let purchasing = ix.prop(n, "purchasing");
            if matches!(role, Some("master" | "core")) && purchasing == Some("spot") {
                hits.push(
                    Hit::new(
                        vec![node(&n.id)],
                        format!(
                            "{} runs {} nodes on Spot",
                            q(ix, &n.id),
                            role.unwrap_or_default()
                        ),
                    )
                    .fix(
                        "Run them On-Demand",
                        set_prop(&n.id, "purchasing", "on_demand"),
                    ),
                );
            } else if role == Some("task") && purchasing == Some("on_demand") {
                hits.push(
                    on_node(ix, &n.id, |l| {
                        format!("{l} runs task nodes On-Demand; Spot fits them")
                    })
                    .severity(Severity::Info)
                    .fix(
                        "Run task nodes on Spot",
                        set_prop(&n.id, "purchasing", "spot"),
                    ),
                );
            }
        }
        hits
    }
}

rule! {
    R013: Warning, "Kinesis captures streams; connect a producer and a destination such as S3 or Lambda.",
    quote: "Kinesis (or other) captures data > S3 stores it",
    source: "4:8",
    fn r013(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for n in ix.of_family("kinesis") {
            if ix.flow_in(&n.id).is_empty() {
                hits.push(on_node(ix, &n.id, |l| format!("{l} has no producer")).fix(
                    "Add IoT devices as the producer",
                    add_source(ix, &n.id, "iot_devices", EdgeKind::Data),
                ));
            } else if ix.flow_out(&n.id).is_empty() {
                hits.push(
                    on_node(ix, &n.id, |l| format!("{l} has no destination")).fix(
                        "Store the stream in S3",
                        add_target(ix, &n.id, "s3", EdgeKind::Data),
                    ),
                );
            }
        }
        hits
    }
}

rule! {
    R014: Info, "Use the Kinesis variant that fits the payload.",
    quote: "Video stream: Can store video for up to 7 days and playback",
    source: "4:28-31",
    fn r014(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for n in ix.of_family("kinesis") {
            let want = match ix.prop(n, "payload") {
                Some("video") => "kinesis_video_streams",
                Some("sql") => "kinesis_data_analytics",
                _ => continue,
            };
            if n.service != want {
                hits.push(
                    Hit::new(
                        vec![node(&n.id)],
                        format!(
                            "{} carries {} but is {}",
                            q(ix, &n.id),
                            ix.prop(n, "payload").unwrap_or_default(),
                            crate::catalog::catalog().display_name(&n.service)
                        ),
                    )
                    .fix(
                        format!("Use {}", crate::catalog::catalog().display_name(want)),
                        replace_service(&n.id, want),
                    ),
                );
            }
        }
        hits
    }
}

rule! {
    R015: Info, "The notes say video is stored up to 7 days.",
    quote: "Can store video for up to 7 days and playback",
    source: "4:28",
    fn r015(ix) -> Vec<Hit> {
        ix.of(&["kinesis_video_streams"])
            .into_iter()
            .filter(|n| {
                ix.number(n, "retention_days")
                    .is_some_and(|d| d > crate::catalog::catalog().limit("video_retention_days"))
            })
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!(
                        "{l} keeps video longer than the notes' {} days (AWS allows more; see C7)",
                        crate::catalog::catalog().limit("video_retention_days")
                    )
                })
            })
            .collect()
    }
}

rule! {
    R016: Warning, "Add Macie to discover and protect sensitive data in S3.",
    quote: "automatically discovers and protects sensitive data in S3",
    source: "1:603",
    fn r016(ix) -> Vec<FixedHit> {
        ix.of(&["s3"])
            .into_iter()
            .filter(|n| ix.flag(n, "contains_pii"))
            .filter(|n| {
                !ix.inn(&n.id)
                    .any(|(_, e)| e.kind == EdgeKind::Monitor && ix.service(&e.from) == Some("macie"))
            })
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!("{l} holds PII but no Macie watches it")
                })
                .fix(
                    "Add Macie monitoring the bucket",
                    add_watcher(ix, &n.id, "macie", EdgeKind::Monitor),
                )
            })
            .collect()
    }
}

rule! {
    R017: Info, "Macie discovers data in S3; the notes also apply it to Redshift and Athena (unverified).",
    quote: "Amazon Macie will be set up across S3, Redshift, and Athena to monitor for any sensitive data",
    source: "1:616",
    fn r017(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for m in ix.of(&["macie"]) {
            for (i, e) in ix.out(&m.id) {
                if e.kind == EdgeKind::Monitor && ix.service(&e.to) != Some("s3") {
                    hits.push(Hit::new(
                        vec![node(&m.id), edge_ref(ix, i)],
                        format!(
                            "{} monitors {}, which is not S3",
                            q(ix, &m.id),
                            q(ix, &e.to)
                        ),
                    ));
                }
            }
        }
        hits
    }
}

rule! {
    R018: Warning, "Macie needs S3 buckets to monitor.",
    quote: "automatically discovers and protects sensitive data in S3",
    source: "1:603",
    fn r018(ix) -> Vec<Hit> {
        ix.of(&["macie"])
            .into_iter()
            .filter(|m| !ix.out(&m.id).any(|(_, e)| ix.service(&e.to) == Some("s3")))
            .map(|m| on_node(ix, &m.id, |l| format!("{l} monitors no S3 bucket")))
            .collect()
    }
}

rule! {
    R019: Info, "SageMaker reads training data directly from S3.",
    quote: "SageMaker which reads data directly from S3.",
    source: "1:567",
    fn r019(ix) -> Vec<FixedHit> {
        ix.of(&["sagemaker"])
            .into_iter()
            .filter(|n| {
                !ix.inn(&n.id)
                    .any(|(_, e)| !e.kind.is_relation() && e.kind != EdgeKind::Trigger)
            })
            // A model loaded from trained artifacts (`ModelDataUrl`) was trained elsewhere.
            .filter(|n| ix.prop(n, "model_data").is_none_or(str::is_empty))
            .map(|n| {
                on_node(ix, &n.id, |l| format!("{l} has no training data source")).fix(
                    "Read training data from S3",
                    add_source(ix, &n.id, "s3", EdgeKind::Data),
                )
            })
            .collect()
    }
}

rule! {
    R020: Error, "Amazon Machine Learning is deprecated.",
    quote: "no longer exists. Comes up as a red-herring, never the right answer",
    source: "4:58",
    fn r020(ix) -> Vec<FixedHit> {
        ix.of(&["amazon_machine_learning"])
            .into_iter()
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!("{l} uses Amazon Machine Learning, which no longer exists")
                })
                .fix(
                    "Replace it with SageMaker",
                    replace_service(&n.id, "sagemaker"),
                )
            })
            .collect()
    }
}

rule! {
    R021: Error, "SageMaker uses ml.* instance types.",
    quote: "Sagemaker specific: _ml.*_",
    source: "4:50",
    fn r021(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for n in ix.of(&["sagemaker", "ec2"]) {
            let Some(t) = ix.prop(n, "instance_type").filter(|t| !t.is_empty()) else {
                continue;
            };
            let ml = t.starts_with("ml.");
            if n.service == "sagemaker" && !ml {
                hits.push(on_node(ix, &n.id, |l| {
                    format!("{l} uses instance type {t}; SageMaker needs ml.*")
                }));
            } else if n.service == "ec2" && ml {
                hits.push(on_node(ix, &n.id, |l| {
                    format!("{l} is EC2 with the SageMaker type {t}")
                }));
            }
        }
        hits
    }
}

rule! {
    R022: Info, "Service limits apply by default; raising them takes days.",
    quote: "Can be lifted, but have to be requested (takes days)",
    source: "4:55",
    fn r022(ix) -> Vec<Hit> {
        ix.of(&["ec2", "sagemaker"])
            .into_iter()
            .filter(|n| {
                let count = ix.number(n, "count").unwrap_or(1.0);
                count >= 20.0 || (count >= 8.0 && ix.prop(n, "family") == Some("accelerated"))
            })
            .map(|n| {
                Hit::new(
                    vec![node(&n.id)],
                    format!(
                        "{} needs {} instances: check the service limits early",
                        q(ix, &n.id),
                        ix.prop(n, "count").unwrap_or_default()
                    ),
                )
            })
            .collect()
    }
}

rule! {
    R023: Info, "Use accelerated-computing (GPU) instances.",
    quote: "Pair with EC2 accelerated computing instances to run ML containers",
    source: "1:140",
    fn r023(ix) -> Vec<FixedHit> {
        ix.of(&["ec2", "eks"])
            .into_iter()
            .filter(|n| {
                matches!(
                    ix.prop(n, "workload"),
                    Some("deep_learning" | "ml_containers")
                )
            })
            .filter(|n| ix.prop(n, "family") != Some("accelerated"))
            .map(|n| {
                Hit::new(
                    vec![node(&n.id)],
                    format!(
                        "{} runs {} on a non-accelerated family",
                        q(ix, &n.id),
                        ix.prop(n, "workload").unwrap_or_default()
                    ),
                )
                .fix(
                    "Use the accelerated family",
                    set_prop(&n.id, "family", "accelerated"),
                )
            })
            .collect()
    }
}

rule! {
    R024: Warning, "The retraining Lambda should fire on new data and kick off training and deployment.",
    quote: "a lambda job will kick the re-training and deployment of the pipeline whenever new data is available.",
    source: "1:569",
    fn r024(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for n in ix.of(&["lambda"]) {
            let retrains = ix.prop(n, "purpose") == Some("retraining")
                || ix
                    .out(&n.id)
                    .any(|(_, e)| ix.service(&e.to) == Some("sagemaker"));
            if !retrains {
                continue;
            }
            let fired = ix.inn(&n.id).any(|(_, e)| e.kind == EdgeKind::Trigger);
            let kicks = ix
                .out(&n.id)
                .any(|(_, e)| matches!(ix.service(&e.to), Some("sagemaker" | "eks" | "ecs")));
            if !fired || !kicks {
                let missing = if !fired {
                    "no new-data trigger"
                } else {
                    "no edge to SageMaker or the deploy target"
                };
                hits.push(on_node(ix, &n.id, |l| {
                    format!("Retraining Lambda {l} has {missing}")
                }));
            }
        }
        hits
    }
}

/// The instance family the notes give for each workload.
pub const FAMILY_FOR_WORKLOAD: &[(&str, &str)] = &[
    ("web", "general_purpose"),
    ("code_repository", "general_purpose"),
    ("data_warehouse", "storage_optimized"),
    ("database", "storage_optimized"),
    ("simulation", "compute_optimized"),
    ("financial_modeling", "compute_optimized"),
    ("stream_analytics", "memory_optimized"),
    ("captions", "memory_optimized"),
    ("deep_learning", "accelerated"),
    ("game_graphics", "accelerated"),
    ("weather_forecasting", "hpc"),
    ("crash_simulation", "hpc"),
];

rule! {
    R025: Info, "The instance family does not match the workload.",
    quote: "Accelerated Computing: deep learning, game graphics",
    source: "1:18-47",
    fn r025(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for n in ix.of(&["ec2"]) {
            let (Some(w), Some(f)) = (ix.prop(n, "workload"), ix.prop(n, "family")) else {
                continue;
            };
            if let Some((_, want)) = FAMILY_FOR_WORKLOAD.iter().find(|(k, _)| *k == w)
                && *want != f
            {
                hits.push(
                    on_node(ix, &n.id, |l| {
                        format!("{l} runs {w} on {f}; the notes pair it with {want}")
                    })
                    .fix(format!("Use {want}"), set_prop(&n.id, "family", want)),
                );
            }
        }
        hits
    }
}
