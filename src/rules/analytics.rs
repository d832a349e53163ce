//! Analytics, data lake and machine-learning rules (R001-R025).

use super::fixes::{
    add_source, add_target, add_watcher, insert_between, replace_service, set_prop,
};
use super::{Hit, Index, Rule, Severity, node, on_node, q};
use crate::model::EdgeKind;

pub const RULES: &[Rule] = &[
    Rule {
        id: "R001",
        severity: Severity::Warning,
        title: "Athena queries data in S3.",
        quote: "Used to query data in S3",
        source: "2:640",
        has_fix: true,
        check: r001,
    },
    Rule {
        id: "R002",
        severity: Severity::Info,
        title: "Athena writes query results back to S3.",
        quote: "Output results back to S3",
        source: "2:642",
        has_fix: false,
        check: r002,
    },
    Rule {
        id: "R003",
        severity: Severity::Warning,
        title: "Glue catalogs and transforms; it doesn't store data. Connect what consumes it.",
        quote: "Creates catalogues of data, doesn't store any data.",
        source: "4:13",
        has_fix: true,
        check: r003,
    },
    Rule {
        id: "R004",
        severity: Severity::Warning,
        title: "Glue needs sources to catalog or ETL.",
        quote: "Gluing together multiple schemas, databases, sources and load it into a final destination.",
        source: "4:13",
        has_fix: true,
        check: r004,
    },
    Rule {
        id: "R005",
        severity: Severity::Info,
        title: "The notes list Athena, Redshift and EMR as catalog consumers.",
        quote: "can be used by Athena, Redshift, EMR",
        source: "2:652",
        has_fix: false,
        check: r005,
    },
    Rule {
        id: "R006",
        severity: Severity::Warning,
        title: "Redshift is batch-loaded; land the data in S3 and load it with Glue.",
        quote: "Load data once every hour, not every second",
        source: "2:619",
        has_fix: true,
        check: r006,
    },
    Rule {
        id: "R007",
        severity: Severity::Warning,
        title: "Redshift is OLAP, not OLTP; use RDS, Aurora or DynamoDB.",
        quote: "it's not used for OLTP",
        source: "2:617",
        has_fix: false,
        check: r007,
    },
    Rule {
        id: "R008",
        severity: Severity::Warning,
        title: "Redshift needs structured data.",
        quote: "Redshift requires the data that it works with to be appropriately structured",
        source: "0:27",
        has_fix: true,
        check: r008,
    },
    Rule {
        id: "R009",
        severity: Severity::Error,
        title: "QuickSight needs a data source (Athena, Redshift...).",
        quote: "QuickSight can read data from Athena",
        source: "1:618",
        has_fix: true,
        check: r009,
    },
    Rule {
        id: "R010",
        severity: Severity::Info,
        title: "EMR integrates well with S3.",
        quote: "Integrates well with S3.",
        source: "4:40",
        has_fix: false,
        check: r010,
    },
    Rule {
        id: "R011",
        severity: Severity::Warning,
        title: "Spark runs inside EMR or SageMaker.",
        quote: "Can run inside EMR & Sagemaker",
        source: "4:44",
        has_fix: false,
        check: r011,
    },
    Rule {
        id: "R012",
        severity: Severity::Warning,
        title: "Only task nodes can be lost without failing the cluster; put Spot on task nodes.",
        quote: "Task nodes can be ripped out without failing the whole cluster == Spot instances",
        source: "4:41",
        has_fix: true,
        check: r012,
    },
    Rule {
        id: "R013",
        severity: Severity::Warning,
        title: "Kinesis captures streams; connect a producer and a destination such as S3 or Lambda.",
        quote: "Kinesis (or other) captures data > S3 stores it",
        source: "4:8",
        has_fix: true,
        check: r013,
    },
    Rule {
        id: "R014",
        severity: Severity::Info,
        title: "Use the Kinesis variant that fits the payload.",
        quote: "Video stream: Can store video for up to 7 days and playback",
        source: "4:28-31",
        has_fix: true,
        check: r014,
    },
    Rule {
        id: "R015",
        severity: Severity::Info,
        title: "The notes say video is stored up to 7 days.",
        quote: "Can store video for up to 7 days and playback",
        source: "4:28",
        has_fix: false,
        check: r015,
    },
    Rule {
        id: "R016",
        severity: Severity::Warning,
        title: "Add Macie to discover and protect sensitive data in S3.",
        quote: "automatically discovers and protects sensitive data in S3",
        source: "1:603",
        has_fix: true,
        check: r016,
    },
    Rule {
        id: "R017",
        severity: Severity::Info,
        title: "Macie discovers data in S3; the notes also apply it to Redshift and Athena (unverified).",
        quote: "Amazon Macie will be set up across S3, Redshift, and Athena to monitor for any sensitive data",
        source: "1:616",
        has_fix: false,
        check: r017,
    },
    Rule {
        id: "R018",
        severity: Severity::Warning,
        title: "Macie needs S3 buckets to monitor.",
        quote: "automatically discovers and protects sensitive data in S3",
        source: "1:603",
        has_fix: false,
        check: r018,
    },
    Rule {
        id: "R019",
        severity: Severity::Info,
        title: "SageMaker reads training data directly from S3.",
        quote: "SageMaker which reads data directly from S3.",
        source: "1:567",
        has_fix: true,
        check: r019,
    },
    Rule {
        id: "R020",
        severity: Severity::Error,
        title: "Amazon Machine Learning is deprecated.",
        quote: "no longer exists. Comes up as a red-herring, never the right answer",
        source: "4:58",
        has_fix: true,
        check: r020,
    },
    Rule {
        id: "R021",
        severity: Severity::Error,
        title: "SageMaker uses ml.* instance types.",
        quote: "Sagemaker specific: _ml.*_",
        source: "4:50",
        has_fix: false,
        check: r021,
    },
    Rule {
        id: "R022",
        severity: Severity::Info,
        title: "Service limits apply by default; raising them takes days.",
        quote: "Can be lifted, but have to be requested (takes days)",
        source: "4:55",
        has_fix: false,
        check: r022,
    },
    Rule {
        id: "R023",
        severity: Severity::Info,
        title: "Use accelerated-computing (GPU) instances.",
        quote: "Pair with EC2 accelerated computing instances to run ML containers",
        source: "1:140",
        has_fix: true,
        check: r023,
    },
    Rule {
        id: "R024",
        severity: Severity::Warning,
        title: "The retraining Lambda should fire on new data and kick off training and deployment.",
        quote: "a lambda job will kick the re-training and deployment of the pipeline whenever new data is available.",
        source: "1:569",
        has_fix: false,
        check: r024,
    },
    Rule {
        id: "R025",
        severity: Severity::Info,
        title: "The instance family does not match the workload.",
        quote: "Accelerated Computing: deep learning, game graphics",
        source: "1:18-47",
        has_fix: true,
        check: r025,
    },
];

fn r001(ix: &Index) -> Vec<Hit> {
    ix.of(&["athena"])
        .into_iter()
        .filter(|a| !ix.any_upstream(&a.id, |u| ix.service(u) == Some("s3")))
        .map(|a| {
            on_node(ix, &a.id, |l| {
                format!("{l} has no S3 source: Athena queries data in S3")
            })
            .fix(
                "Add an S3 bucket that Athena queries",
                add_source(ix, &a.id, "s3", EdgeKind::Query),
            )
        })
        .collect()
}

fn r002(ix: &Index) -> Vec<Hit> {
    let results_store = |e: &crate::model::Edge| {
        e.kind == EdgeKind::Data
            && ix.category(&e.to) == "storage"
            && ix.service(&e.to) != Some("s3")
    };
    super::flow_edge_hits(ix, &ix.of(&["athena"]), results_store, |a, t| {
        format!("{a} writes results to {t}, not S3")
    })
}

fn r003(ix: &Index) -> Vec<Hit> {
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

fn r004(ix: &Index) -> Vec<Hit> {
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

fn r005(ix: &Index) -> Vec<Hit> {
    let mut hits = Vec::new();
    for g in ix.of(&["glue_data_catalog"]) {
        for (i, e) in ix.out(&g.id) {
            if e.kind == EdgeKind::Catalog
                && !matches!(ix.service(&e.to), Some("athena" | "redshift" | "emr"))
            {
                hits.push(Hit::new(
                    vec![node(&g.id), super::ElementRef::Edge(i)],
                    format!("{} serves its catalog to {}", q(ix, &g.id), q(ix, &e.to)),
                ));
            }
        }
    }
    hits
}

fn r006(ix: &Index) -> Vec<Hit> {
    let mut hits = Vec::new();
    for r in ix.of(&["redshift"]) {
        for (i, e) in ix.inn(&r.id) {
            if !e.kind.is_relation() && ix.in_family(&e.from, "streaming_sources") {
                let fix = insert_between(
                    ix,
                    i,
                    &[("s3", e.kind), ("glue", EdgeKind::Catalog)],
                    EdgeKind::Data,
                );
                let mut hit = Hit::new(
                    vec![node(&e.from), node(&r.id), super::ElementRef::Edge(i)],
                    format!(
                        "{} streams straight into Redshift {}",
                        q(ix, &e.from),
                        q(ix, &r.id)
                    ),
                );
                if let Some(f) = fix {
                    hit = hit.fix("Land the stream in S3 and load it with Glue", f);
                }
                hits.push(hit);
            }
        }
    }
    hits
}

fn r007(ix: &Index) -> Vec<Hit> {
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

fn r008(ix: &Index) -> Vec<Hit> {
    let mut hits = Vec::new();
    for r in ix.of(&["redshift"]) {
        for (i, e) in ix.inn(&r.id) {
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
                    let mut hit = Hit::new(
                        vec![node(x), node(&r.id)],
                        format!(
                            "Unstructured data from {} reaches Redshift {} without a Glue transform",
                            q(ix, x),
                            q(ix, &r.id)
                        ),
                    );
                    if let Some(f) =
                        insert_between(ix, i, &[("glue", EdgeKind::Data)], EdgeKind::Data)
                    {
                        hit = hit.fix("Insert a Glue transform before Redshift", f);
                    }
                    hits.push(hit);
                    break;
                }
                stack.extend(ix.flow_in(x));
            }
        }
    }
    hits
}

fn r009(ix: &Index) -> Vec<Hit> {
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

fn r010(ix: &Index) -> Vec<Hit> {
    ix.of(&["emr"])
        .into_iter()
        .filter(|n| {
            !ix.touching(&n.id)
                .iter()
                .any(|(_, _, o)| ix.service(o) == Some("s3"))
        })
        .map(|n| on_node(ix, &n.id, |l| format!("{l} has no S3 connection")))
        .collect()
}

fn r011(ix: &Index) -> Vec<Hit> {
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

fn r012(ix: &Index) -> Vec<Hit> {
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

fn r013(ix: &Index) -> Vec<Hit> {
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

fn r014(ix: &Index) -> Vec<Hit> {
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

fn r015(ix: &Index) -> Vec<Hit> {
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

fn r016(ix: &Index) -> Vec<Hit> {
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

fn r017(ix: &Index) -> Vec<Hit> {
    let mut hits = Vec::new();
    for m in ix.of(&["macie"]) {
        for (i, e) in ix.out(&m.id) {
            if e.kind == EdgeKind::Monitor && ix.service(&e.to) != Some("s3") {
                hits.push(Hit::new(
                    vec![node(&m.id), super::ElementRef::Edge(i)],
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

fn r018(ix: &Index) -> Vec<Hit> {
    ix.of(&["macie"])
        .into_iter()
        .filter(|m| !ix.out(&m.id).any(|(_, e)| ix.service(&e.to) == Some("s3")))
        .map(|m| on_node(ix, &m.id, |l| format!("{l} monitors no S3 bucket")))
        .collect()
}

fn r019(ix: &Index) -> Vec<Hit> {
    ix.of(&["sagemaker"])
        .into_iter()
        .filter(|n| {
            !ix.inn(&n.id)
                .any(|(_, e)| !e.kind.is_relation() && e.kind != EdgeKind::Trigger)
        })
        .map(|n| {
            on_node(ix, &n.id, |l| format!("{l} has no training data source")).fix(
                "Read training data from S3",
                add_source(ix, &n.id, "s3", EdgeKind::Data),
            )
        })
        .collect()
}

fn r020(ix: &Index) -> Vec<Hit> {
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

fn r021(ix: &Index) -> Vec<Hit> {
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

fn r022(ix: &Index) -> Vec<Hit> {
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

fn r023(ix: &Index) -> Vec<Hit> {
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

fn r024(ix: &Index) -> Vec<Hit> {
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

/// The instance family for each workload (knowledge.md E1).
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

fn r025(ix: &Index) -> Vec<Hit> {
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
