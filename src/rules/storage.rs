//! S3 rules (R055-R073).

use std::collections::HashMap;

use super::fixes::{label_edge, set_prop};
use super::{Hit, Index, Rule, Severity, edge_ref, node, on_node, q};
use crate::catalog::catalog;
use crate::edit::EditCommand;
use crate::model::{EdgeKind, Node};

/// This module's rules, in id order.
pub const RULES: &[Rule] = &[
    R055, R056, R057, R058, R059, R060, R061, R062, R063, R064, R065, R066, R067, R068, R069, R070,
    R071, R072, R073,
];

/// The shortest and longest bucket names the notes allow (catalog limits).
fn bucket_name_lengths() -> (usize, usize) {
    let cat = catalog();
    (
        cat.limit("bucket_name_min") as usize,
        cat.limit("bucket_name_max") as usize,
    )
}

/// Why a bucket name breaks the rules of 2:372-376, if it does.
pub fn bucket_name_problem(name: &str) -> Option<String> {
    let len = name.chars().count();
    let (shortest, longest) = bucket_name_lengths();
    if !(shortest..=longest).contains(&len) {
        return Some(format!("must be {shortest}-{longest} characters long"));
    }
    let problem = if name.chars().any(|c| c.is_ascii_uppercase()) {
        "must have no uppercase letters"
    } else if name.contains('_') {
        "must have no underscores"
    } else if !name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        "must start with a lowercase letter or a number"
    } else if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
    {
        "may contain only lowercase letters, digits, dots and hyphens"
    } else if name.split('.').count() == 4 && name.split('.').all(|p| p.parse::<u8>().is_ok()) {
        "must not be an IP address"
    } else {
        return None;
    };
    Some(problem.to_string())
}

/// A valid name close to `name`: lowercase, `-` for `_` and other characters, padded or cut.
pub fn fixed_bucket_name(name: &str) -> String {
    let mut s: String = name
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    s = s.trim_start_matches(['-', '.']).to_string();
    if s.split('.').count() == 4 && s.split('.').all(|p| p.parse::<u8>().is_ok()) {
        s = format!("bucket-{}", s.replace('.', "-"));
    }
    let (shortest, longest) = bucket_name_lengths();
    while s.len() < shortest {
        s.push('0');
    }
    s.truncate(longest);
    s
}

rule! {
    R055: Error, "Bucket names are 3-63 lowercase letters, digits, dots and hyphens, start with a letter or digit, and are not IP addresses.",
    quote: "3-63 Character long",
    source: "2:372-376",
    fn r055(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for b in ix.of(&["s3"]) {
            let Some(name) = ix.prop(b, "bucket_name").filter(|n| !n.is_empty()) else {
                continue;
            };
            if let Some(problem) = bucket_name_problem(name) {
                let fixed = fixed_bucket_name(name);
                hits.push(
                    on_node(ix, &b.id, |l| {
                        format!("Bucket name \"{name}\" of {l} {problem}")
                    })
                    .fix(
                        format!("Rename the bucket \"{fixed}\""),
                        set_prop(&b.id, "bucket_name", &fixed),
                    ),
                );
            }
        }
        hits
    }
}

rule! {
    R056: Error, "Bucket names are globally unique.",
    quote: "Buckets must have globally unique name (across all region all account)",
    source: "2:368",
    fn r056(ix) -> Vec<Hit> {
        let mut by_name: HashMap<&str, Vec<&Node>> = HashMap::new();
        for b in ix.of(&["s3"]) {
            if let Some(name) = b.props.get("bucket_name").filter(|n| !n.is_empty()) {
                by_name.entry(name).or_default().push(b);
            }
        }
        let mut hits: Vec<Hit> = by_name
            .into_iter()
            .filter(|(_, v)| v.len() > 1)
            .map(|(name, v)| {
                Hit::new(
                    v.iter().map(|b| node(&b.id)).collect(),
                    format!(
                        "{} buckets are named \"{name}\": {}",
                        v.len(),
                        v.iter()
                            .map(|b| q(ix, &b.id))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
            .collect();
        hits.sort_by(|a, b| a.message.cmp(&b.message));
        hits
    }
}

rule! {
    R057: Warning, "Buckets live in a Region.",
    quote: "S3 look like a global service but buckets are created in a region",
    source: "2:370",
    fn r057(ix) -> Vec<Hit> {
        ix.of(&["s3"])
            .into_iter()
            .filter(|b| {
                ix.scope(&b.id, "region")
                    .is_none_or(|r| r.eq_ignore_ascii_case("global"))
            })
            .map(|b| {
                let region_group = ix.region_group(&b.id);
                let global = ix.scope(&b.id, "region").is_some();
                on_node(ix, &b.id, |l| match (global, region_group) {
                    (true, _) => format!(
                        "{l} has its region set to \"global\", but a bucket lives in one Region: name the Region"
                    ),
                    (false, Some(g)) => format!(
                        "{l} is in Region group {}, which names no region: set the group's region or label it with one",
                        q(ix, &g.id)
                    ),
                    (false, None) => {
                        format!("{l} has no Region: set its region or put it in a Region group")
                    }
                })
            })
            .collect()
    }
}

rule! {
    R058: Error, "Max 5 TB; above 5 GB use multipart upload.",
    quote: "Max Object Size is 5TB (5000GB)",
    source: "2:389",
    fn r058(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for b in ix.of(&["s3"]) {
            let Some(gb) = ix.number(b, "object_size_gb") else {
                continue;
            };
            if gb > catalog().limit("s3_object_gb") {
                hits.push(
                    on_node(ix, &b.id, |l| {
                        format!("{l} stores {gb} GB objects; the maximum is 5 TB")
                    })
                    .into(),
                );
            } else if gb > catalog().limit("s3_single_put_gb")
                && ix.prop(b, "upload") != Some("multipart")
            {
                hits.push(
                    on_node(ix, &b.id, |l| {
                        format!("{l} uploads {gb} GB objects in one part; above 5 GB use multipart")
                    })
                    .severity(Severity::Warning)
                    .fix(
                        "Use multipart upload",
                        set_prop(&b.id, "upload", "multipart"),
                    ),
                );
            }
        }
        hits
    }
}

rule! {
    R059: Error, "S3 objects take at most 10 tags.",
    quote: "Tags (Unicode key / value pair – up to 10)",
    source: "2:392",
    fn r059(ix) -> Vec<Hit> {
        ix.of(&["s3"])
            .into_iter()
            .filter(|b| {
                ix.number(b, "object_tags")
                    .is_some_and(|t| t > catalog().limit("s3_object_tags"))
            })
            .map(|b| {
                Hit::new(
                    vec![node(&b.id)],
                    format!(
                        "{} tags objects with {} tags; at most {}",
                        q(ix, &b.id),
                        ix.prop(b, "object_tags").unwrap_or_default(),
                        catalog().limit("s3_object_tags")
                    ),
                )
            })
            .collect()
    }
}

fn replications<'a>(ix: &Index<'a>) -> Vec<(usize, &'a crate::model::Edge)> {
    ix.design
        .edges()
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.kind == EdgeKind::Replicate
                && ix.service(&e.from) == Some("s3")
                && ix.service(&e.to) == Some("s3")
        })
        .collect()
}

rule! {
    R060: Error, "Replication needs versioning on both buckets.",
    quote: "Must enable versioning in source and destination",
    source: "2:453",
    fn r060(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for (i, e) in replications(ix) {
            let off: Vec<&str> = [e.from.as_str(), e.to.as_str()]
                .into_iter()
                .filter(|b| {
                    ix.node(b)
                        .is_some_and(|n| ix.prop(n, "versioning") != Some("enabled"))
                })
                .collect();
            if !off.is_empty() {
                let fix = EditCommand::Batch(
                    off.iter()
                        .map(|b| set_prop(b, "versioning", "enabled"))
                        .collect(),
                );
                hits.push(
                    Hit::new(
                        vec![edge_ref(ix, i), node(&e.from), node(&e.to)],
                        format!(
                            "Replication {} -> {} without versioning on {}",
                            q(ix, &e.from),
                            q(ix, &e.to),
                            off.iter()
                                .map(|b| q(ix, b))
                                .collect::<Vec<_>>()
                                .join(" and ")
                        ),
                    )
                    .fix("Enable versioning on both buckets", fix),
                );
            }
        }
        hits
    }
}

rule! {
    R061: Warning, "Grant S3 the IAM permissions.",
    quote: "Must give proper IAM permissions to S3",
    source: "2:458",
    fn r061(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for (i, e) in replications(ix) {
            let has_role = e.props.get("iam_role").is_some_and(|r| !r.is_empty())
                || [&e.from, &e.to].iter().any(|b| {
                    ix.related(b, EdgeKind::AssumeRole)
                        .iter()
                        .any(|r| ix.service(r) == Some("iam_role"))
                });
            if !has_role {
                hits.push(
                    Hit::new(
                        vec![edge_ref(ix, i)],
                        format!(
                            "Replication {} -> {} has no IAM role",
                            q(ix, &e.from),
                            q(ix, &e.to)
                        ),
                    )
                    .fix(
                        "Name the replication role",
                        EditCommand::SetField {
                            target: crate::edit::Target::Edge(ix.design.edges()[i].id),
                            field: crate::edit::Field::Prop("iam_role".into()),
                            value: Some("s3-replication-role".into()),
                        },
                    ),
                );
            }
        }
        hits
    }
}

rule! {
    R062: Info, "Replication across Regions is CRR, within one Region SRR; it is asynchronous.",
    quote: "Cross Region Replication (CRR) ... Same Region Replication (SRR)",
    source: "2:454-457",
    fn r062(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for (i, e) in replications(ix) {
            let (Some(a), Some(b)) = (ix.scope(&e.from, "region"), ix.scope(&e.to, "region")) else {
                continue;
            };
            let kind = if a == b { "SRR" } else { "CRR" };
            if !e.label.contains(kind) {
                hits.push(
                    Hit::new(
                        vec![edge_ref(ix, i)],
                        format!(
                            "{} -> {} is {kind} ({a} to {b}), asynchronous",
                            q(ix, &e.from),
                            q(ix, &e.to)
                        ),
                    )
                    .fix(format!("Label it {kind}"), label_edge(ix.design.edges()[i].id, kind)),
                );
            }
        }
        hits
    }
}

rule! {
    R063: Info, "Best practice: version your buckets.",
    quote: "It is best practice to version your buckets",
    source: "2:437",
    fn r063(ix) -> Vec<FixedHit> {
        ix.of(&["s3"])
            .into_iter()
            .filter(|b| ix.prop(b, "versioning") != Some("enabled"))
            // A directory bucket (S3 Express One Zone) cannot be versioned.
            .filter(|b| ix.prop(b, "bucket_type") != Some("directory"))
            .map(|b| {
                on_node(ix, &b.id, |l| format!("{l} is not versioned")).fix(
                    "Enable versioning",
                    set_prop(&b.id, "versioning", "enabled"),
                )
            })
            .collect()
    }
}

rule! {
    R064: Warning, "Public access is blocked by default; without public reads you'll get 403.",
    quote: "If we get a 403 (Forbidden) error, make sure the bucket policy allows",
    source: "2:429",
    fn r064(ix) -> Vec<FixedHit> {
        ix.of(&["s3"])
            .into_iter()
            .filter(|b| {
                ix.flow_in(&b.id)
                    .iter()
                    .any(|s| matches!(ix.service(s), Some("users" | "internet" | "client")))
            })
            .filter(|b| {
                !ix.flag(b, "public_read")
                    && !ix
                        .related(&b.id, EdgeKind::Attach)
                        .iter()
                        .any(|p| ix.service(p) == Some("s3_bucket_policy"))
            })
            .map(|b| {
                on_node(ix, &b.id, |l| {
                    format!("Users read {l} but it allows no public reads (403)")
                })
                .fix("Allow public reads", set_prop(&b.id, "public_read", "true"))
            })
            .collect()
    }
}

rule! {
    R065: Error, "Access logs go to another bucket.",
    quote: "will be logged into another S3 bucket",
    source: "2:447",
    fn r065(ix) -> Vec<Hit> {
        ix.design
            .edges()
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == EdgeKind::LogTo && e.from == e.to)
            .map(|(i, e)| {
                Hit::new(
                    vec![node(&e.from), edge_ref(ix, i)],
                    format!("{} writes its access logs to itself", q(ix, &e.from)),
                )
            })
            .collect()
    }
}

/// Storage class of a node: an S3 class node, or an S3 bucket's `storage_class`.
fn class_of(ix: &Index, id: &str) -> Option<String> {
    let n = ix.node(id)?;
    match n.service.as_str() {
        "s3" => ix.prop(n, "storage_class").map(str::to_string),
        s => s
            .strip_prefix("s3_")
            .filter(|c| RANK.iter().any(|(k, _)| k == c))
            .map(str::to_string),
    }
}

/// Coldness of each class (R066); within rank 1 the documented order breaks ties.
const RANK: &[(&str, f32)] = &[
    ("standard", 0.0),
    ("standard_ia", 1.0),
    ("intelligent_tiering", 1.1),
    ("one_zone_ia", 1.2),
    ("glacier", 2.0),
    ("glacier_deep_archive", 3.0),
];

fn rank(class: &str) -> Option<f32> {
    RANK.iter().find(|(k, _)| *k == class).map(|(_, r)| *r)
}

rule! {
    R066: Error, "Lifecycle moves data from hot to cold.",
    quote: "Ex Standard Tier(Hot Data) --> infrequent access --> Glacier (Cold data)",
    source: "3:18",
    fn r066(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (i, e) in ix
            .design
            .edges()
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == EdgeKind::Transition)
        {
            let (Some(a), Some(b)) = (class_of(ix, e.from.as_str()), class_of(ix, e.to.as_str())) else {
                continue;
            };
            if let (Some(ra), Some(rb)) = (rank(&a), rank(&b))
                && rb <= ra
            {
                hits.push(Hit::new(
                    vec![edge_ref(ix, i), node(&e.from), node(&e.to)],
                    format!(
                        "Lifecycle moves {} ({a}) to warmer or equal {} ({b})",
                        q(ix, &e.from),
                        q(ix, &e.to)
                    ),
                ));
            }
        }
        hits
    }
}

rule! {
    R067: Error, "The retrieval tier or time does not fit the storage class.",
    quote: "Expedited (1 to 5 minutes) ... Standard (12 hours) ... Bulk (48 hours)",
    source: "2:521-527",
    fn r067(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for n in ix.design.nodes() {
            let Some(class) = class_of(ix, n.id.as_str()) else {
                continue;
            };
            // Fastest retrieval in hours per tier (2:522-527).
            let tiers: &[(&str, f64)] = match class.as_str() {
                "glacier" => &[("expedited", 1.0 / 60.0), ("standard", 3.0), ("bulk", 5.0)],
                "glacier_deep_archive" => &[("standard", 12.0), ("bulk", 48.0)],
                _ => continue,
            };
            let tier = ix.prop(n, "retrieval_tier");
            if let Some(t) = tier.filter(|t| !tiers.iter().any(|(k, _)| k == t)) {
                hits.push(
                    on_node(ix, &n.id, |l| format!("{l} ({class}) has no {t} retrieval")).fix(
                        "Use Standard retrieval",
                        set_prop(&n.id, "retrieval_tier", "standard"),
                    ),
                );
                continue;
            }
            let fastest = tiers
                .iter()
                .filter(|(k, _)| tier.is_none_or(|t| t == *k))
                .map(|(_, h)| *h)
                .fold(f64::INFINITY, f64::min);
            if let Some(need) = ix
                .number(n, "required_retrieval_hours")
                .filter(|h| *h < fastest)
            {
                hits.push(
                    on_node(ix, &n.id, |l| {
                        format!(
                            "{l} must return data in {need} h but {class} takes at least {fastest:.2} h"
                        )
                    })
                    .fix(
                        "Keep the data in Standard-IA",
                        set_prop(&n.id, "storage_class", "standard_ia"),
                    ),
                );
            }
        }
        hits
    }
}

rule! {
    R068: Warning, "Archive retrieval takes minutes to hours.",
    quote: "retrieval times ranging from minutes to hours",
    source: "1:450",
    fn r068(ix) -> Vec<Hit> {
        let archives: Vec<&Node> = ix
            .design
            .nodes()
            .iter()
            .filter(|n| {
                matches!(
                    class_of(ix, n.id.as_str()).as_deref(),
                    Some("glacier" | "glacier_deep_archive")
                )
            })
            .collect();
        let interactive = |e: &crate::model::Edge| {
            e.kind != EdgeKind::Transition && ix.in_family(&e.to, "interactive_readers")
        };
        super::flow_edge_hits(ix, &archives, interactive, |a, t| {
            format!("Archive {a} feeds interactive {t}")
        })
    }
}

rule! {
    R069: Warning, "One Zone-IA keeps a single AZ copy; use it only for data you can recreate.",
    quote: "Ideal for infrequently accessed data that can be easily reproduced",
    source: "1:446",
    fn r069(ix) -> Vec<FixedHit> {
        ix.design
            .nodes()
            .iter()
            .filter(|n| class_of(ix, n.id.as_str()).as_deref() == Some("one_zone_ia"))
            .filter(|n| matches!(ix.prop(n, "data"), Some("primary" | "non_reproducible")))
            .map(|n| {
                let fix = if n.service == "s3" {
                    set_prop(&n.id, "storage_class", "standard_ia")
                } else {
                    super::fixes::replace_service(&n.id, "s3_standard_ia")
                };
                on_node(ix, &n.id, |l| {
                    format!("{l} keeps data it cannot recreate in One Zone-IA")
                })
                .fix("Use Standard-IA", fix)
            })
            .collect()
    }
}

rule! {
    R070: Info, "The storage class does not fit the access pattern.",
    quote: "Moves objects between tiers based on changing access patterns",
    source: "1:443",
    fn r070(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for n in ix.of(&["s3"]) {
            let class = ix.prop(n, "storage_class").unwrap_or("standard");
            match ix.prop(n, "access") {
                Some("frequent")
                    if matches!(
                        class,
                        "standard_ia" | "one_zone_ia" | "glacier" | "glacier_deep_archive"
                    ) =>
                {
                    hits.push(
                        on_node(ix, &n.id, |l| {
                            format!(
                                "{l} is read often but stored in {class}, which charges per retrieval"
                            )
                        })
                        .fix("Use Standard", set_prop(&n.id, "storage_class", "standard")),
                    );
                }
                Some("unknown") if class != "intelligent_tiering" => {
                    hits.push(
                        on_node(ix, &n.id, |l| format!("{l} has an unknown access pattern")).fix(
                            "Use Intelligent-Tiering",
                            set_prop(&n.id, "storage_class", "intelligent_tiering"),
                        ),
                    );
                }
                _ => {}
            }
        }
        hits
    }
}

rule! {
    R071: Error, "RRS is deprecated.",
    quote: "Amazon S3 Reduced Redundancy Storage (deprecated - omitted)",
    source: "2:470",
    fn r071(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for n in ix.design.nodes() {
            if n.service == "s3_rrs" {
                hits.push(
                    on_node(ix, &n.id, |l| {
                        format!("{l} uses Reduced Redundancy Storage")
                    })
                    .fix(
                        "Use S3 Standard",
                        super::fixes::replace_service(&n.id, "s3_standard"),
                    ),
                );
            } else if n.service == "s3" && ix.prop(n, "storage_class") == Some("reduced_redundancy") {
                hits.push(
                    on_node(ix, &n.id, |l| {
                        format!("{l} uses Reduced Redundancy Storage")
                    })
                    .fix(
                        "Use S3 Standard",
                        set_prop(&n.id, "storage_class", "standard"),
                    ),
                );
            }
        }
        hits
    }
}

rule! {
    R072: Info, "S3 has no directories; keys are prefixes.",
    quote: "There's no concept of \u{201c}directories\u{201d} within buckets",
    source: "2:386",
    fn r072(ix) -> Vec<Hit> {
        ix.design
            .nodes()
            .iter()
            .filter(|n| {
                n.label.ends_with('/')
                    && ix
                        .touching(&n.id)
                        .iter()
                        .any(|(_, _, o)| ix.service(o) == Some("s3"))
            })
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!("{l} looks like a folder in a bucket")
                })
            })
            .collect()
    }
}

rule! {
    R073: Info, "Use a bucket policy to force encryption at upload.",
    quote: "Force objects to be encrypted at upload",
    source: "2:418",
    fn r073(ix) -> Vec<FixedHit> {
        ix.of(&["s3"])
            .into_iter()
            .filter(|b| {
                ix.flag(b, "contains_pii") && matches!(ix.prop(b, "encryption"), None | Some("none"))
            })
            .map(|b| {
                on_node(ix, &b.id, |l| {
                    format!("{l} holds PII without enforced encryption")
                })
                .fix(
                    "Enforce encryption at upload",
                    set_prop(&b.id, "encryption", "enforced"),
                )
            })
            .collect()
    }
}
