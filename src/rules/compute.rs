//! EC2 rules: purchasing options, load balancing and Auto Scaling, EBS, instance store,
//! EFS and AMIs (R026-R041). Access, serverless and container rules are in `containers`.

use super::fixes::{add_source, set_prop};
use super::{Hit, Index, Rule, Severity, group, node, on_node, q};
use crate::model::idmap::HashSet;
use crate::model::{EdgeKind, GroupKind};

/// This module's rules, in id order.
pub const RULES: &[Rule] = &[
    R026, R027, R028, R029, R030, R031, R032, R033, R034, R035, R036, R037, R038, R039, R040, R041,
];

rule! {
    R026: Error, "Spot instances can be reclaimed; don't use them for databases or critical jobs.",
    quote: "Not suitable for critical jobs or database",
    source: "2:248",
    fn r026(ix) -> Vec<FixedHit> {
        ix.of(&["ec2"])
            .into_iter()
            .filter(|n| {
                ix.prop(n, "purchasing") == Some("spot")
                    && (ix.prop(n, "role") == Some("database") || ix.flag(n, "critical"))
            })
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!("{l} is a database or critical instance on Spot")
                })
                .fix(
                    "Run it On-Demand",
                    set_prop(&n.id, "purchasing", "on_demand"),
                )
            })
            .collect()
    }
}

rule! {
    R027: Info, "A purchasing option fits this workload better.",
    quote: "Useful for workloads that are resilient to failure",
    source: "2:242",
    fn r027(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for n in ix.of(&["ec2"]) {
            let purchasing = ix.prop(n, "purchasing");
            let role = ix.prop(n, "role");
            let (advice, option) =
                if ix.prop(n, "license") == Some("byol") && purchasing != Some("dedicated_host") {
                    (
                        "brings its own licence: a Dedicated Host fits",
                        "dedicated_host",
                    )
                } else if purchasing == Some("on_demand")
                    && matches!(role, Some("batch" | "analysis" | "image_processing"))
                    && !ix.flag(n, "critical")
                {
                    (
                        "does fault-tolerant work On-Demand: Spot costs up to 90% less",
                        "spot",
                    )
                } else if purchasing == Some("on_demand") && role == Some("database") {
                    (
                        "is a steady database On-Demand: Reserved fits steady use",
                        "reserved",
                    )
                } else {
                    continue;
                };
            hits.push(on_node(ix, &n.id, |l| format!("{l} {advice}")).fix(
                format!("Use {option}"),
                set_prop(&n.id, "purchasing", option),
            ));
        }
        hits
    }
}

rule! {
    R028: Error, "Reserved terms are 1 or 3 years; Scheduled RIs are 1 year only.",
    quote: "1 year = + discount | 3 years = +++ discount",
    source: "2:225",
    fn r028(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for n in ix.of(&["ec2"]) {
            let Some(term) = ix.number(n, "term_years") else {
                continue;
            };
            let bad = match ix.prop(n, "purchasing") {
                Some("reserved" | "convertible_reserved") => term != 1.0 && term != 3.0,
                Some("scheduled_reserved") => term != 1.0,
                _ => false,
            };
            if bad {
                hits.push(on_node(ix, &n.id, |l| {
                    format!("{l} has a {term}-year term")
                }));
            }
        }
        hits
    }
}

rule! {
    R029: Warning, "Standard RIs fix the instance type.",
    quote: "Reserve a specific instance type",
    source: "2:227",
    fn r029(ix) -> Vec<FixedHit> {
        ix.of(&["ec2"])
            .into_iter()
            .filter(|n| ix.prop(n, "purchasing") == Some("reserved"))
            .filter(|n| matches!((ix.prop(n, "instance_type"), ix.prop(n, "reserved_type")), (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() && a != b))
            .map(|n| Hit::new(vec![node(&n.id)], format!("{} runs {} on a Standard RI for {}", q(ix, &n.id), ix.prop(n, "instance_type").unwrap_or_default(), ix.prop(n, "reserved_type").unwrap_or_default())).fix("Make it a Convertible RI", set_prop(&n.id, "purchasing", "convertible_reserved")))
            .collect()
    }
}

/// The EC2 instances an LB's traffic reaches: directly, through target groups and ASG nodes,
/// and inside Auto Scaling group boxes. Also whether an ASG is involved.
fn lb_targets<'a>(ix: &Index<'a>, lb: &str) -> (Vec<&'a str>, bool, bool) {
    let mut ec2 = Vec::new();
    let mut any_target = false;
    let mut scaled = false;
    for t in ix.flow_out(lb) {
        any_target = true;
        match ix.service(t) {
            Some("ec2") | Some("ecs_container_instance") => {
                ec2.push(t);
                scaled |= ix.inside(t, GroupKind::AutoScalingGroup);
            }
            Some("target_group") | Some("ec2_auto_scaling") => {
                scaled |= ix.service(t) == Some("ec2_auto_scaling")
                    || ix.inside(t, GroupKind::AutoScalingGroup);
                let inner: Vec<&str> = ix
                    .flow_out(t)
                    .into_iter()
                    .filter(|x| ix.service(x) == Some("ec2"))
                    .collect();
                // A target group is a group of instances: count at least two when drawn alone.
                if inner.is_empty() {
                    ec2.extend([t, t]);
                }
                ec2.extend(inner);
            }
            None => {
                if let Some(g) = ix.group(t) {
                    scaled |= g.kind == GroupKind::AutoScalingGroup;
                    ec2.extend(
                        ix.nodes_within(&g.id)
                            .into_iter()
                            .filter_map(|id| ix.node(id))
                            .filter(|n| n.service == "ec2")
                            .map(|n| n.id.as_str()),
                    );
                }
            }
            _ => {}
        }
    }
    (ec2, any_target, scaled)
}

rule! {
    R030: Error, "A load balancer spreads traffic across multiple instances for HA.",
    quote: "even distribution of incoming traffic among multiple EC2 instances, preventing overload on a single server",
    source: "1:69",
    fn r030(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for lb in ix.of(&["elb"]) {
            let (ec2, any, scaled) = lb_targets(ix, lb.id.as_str());
            if !any {
                hits.push(on_node(ix, &lb.id, |l| format!("{l} has no targets")));
            } else if ec2.len() == 1 && !scaled {
                hits.push(
                    Hit::new(
                        vec![node(&lb.id), node(ec2[0])],
                        format!(
                            "{} balances a single instance {}",
                            q(ix, &lb.id),
                            q(ix, ec2[0])
                        ),
                    )
                    .severity(Severity::Warning),
                );
            }
        }
        hits
    }
}

rule! {
    R031: Info, "Nothing sends traffic to this LB.",
    quote: "Users send requests",
    source: "1:79",
    fn r031(ix) -> Vec<FixedHit> {
        let internet_facing =
            |n: &crate::model::Node| ix.prop(n, "scheme") == Some("internet-facing");
        // Traffic may come through other hops: a load balancer behind another one's target
        // group, or behind an API's VPC link. One walk from every source finds all it reaches.
        let mut fed: HashSet<&str> = HashSet::default();
        let mut stack: Vec<&str> = ix
            .design
            .nodes()
            .iter()
            .filter(|n| {
                ix.in_family(&n.id, "traffic_sources") || (n.service == "elb" && internet_facing(n))
            })
            .map(|n| n.id.as_str())
            .collect();
        while let Some(x) = stack.pop() {
            for next in ix.flow_out(x) {
                if fed.insert(next) {
                    stack.push(next);
                }
            }
        }
        ix.of(&["elb"])
            .into_iter()
            // An internet-facing load balancer takes the internet's traffic.
            .filter(|lb| !internet_facing(lb))
            .filter(|lb| !fed.contains(lb.id.as_str()))
            .map(|lb| {
                on_node(ix, &lb.id, |l| format!("Nothing sends traffic to {l}")).fix(
                    "Add users sending requests",
                    add_source(ix, &lb.id, "users", EdgeKind::Route),
                )
            })
            .collect()
    }
}

rule! {
    R032: Error, "Auto Scaling adds and removes EC2 instances.",
    quote: "Ability to add/remove EC2 instances",
    source: "1:108",
    fn r032(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for g in ix
            .design
            .groups()
            .iter()
            .filter(|g| g.kind == GroupKind::AutoScalingGroup)
        {
            let members: Vec<&str> = g
                .children
                .iter()
                .filter_map(|c| ix.node(c))
                .map(|n| n.id.as_str())
                .collect();
            let strangers: Vec<&str> = members
                .iter()
                .copied()
                // An ECS service in the group runs on the group's EC2 container instances;
                // a note is words about the drawing.
                .filter(|m| {
                    !matches!(
                        ix.service(m),
                        Some("ec2" | "ecs_container_instance" | "ecs" | crate::model::NOTE_SERVICE)
                    )
                })
                .collect();
            if !strangers.is_empty() {
                let mut els = vec![group(&g.id)];
                els.extend(strangers.iter().map(node));
                hits.push(Hit::new(
                    els,
                    format!(
                        "Auto Scaling group {} contains {}, which is not EC2",
                        q(ix, &g.id),
                        strangers
                            .iter()
                            .map(|s| q(ix, s))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            } else if members.is_empty() && g.children.is_empty() {
                hits.push(
                    Hit::new(
                        vec![group(&g.id)],
                        format!(
                            "Auto Scaling group {} contains no EC2 instance",
                            q(ix, &g.id)
                        ),
                    )
                    .severity(Severity::Warning),
                );
            }
        }
        for n in ix.of(&["ec2_auto_scaling"]) {
            // What it scales; its notifications (a topic, a lifecycle hook's queue) it only
            // tells.
            let targets: Vec<&str> = ix
                .out(&n.id)
                .filter(|(_, e)| !e.kind.is_relation() && e.kind != EdgeKind::Notify)
                .map(|(_, e)| e.to.as_str())
                .filter(|t| ix.node(t).is_some())
                .collect();
            let strangers: Vec<&str> = targets
                .iter()
                .copied()
                .filter(|t| !matches!(ix.service(t), Some("ec2" | "ecs_container_instance")))
                .collect();
            if !strangers.is_empty() {
                hits.push(Hit::new(
                    vec![node(&n.id)],
                    format!(
                        "{} scales {}, which is not EC2",
                        q(ix, &n.id),
                        strangers
                            .iter()
                            .map(|s| q(ix, s))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            } else if targets.is_empty()
                && !ix
                    .design
                    .groups()
                    .iter()
                    .any(|g| g.kind == GroupKind::AutoScalingGroup)
            {
                hits.push(
                    on_node(ix, &n.id, |l| format!("{l} scales no EC2 instance"))
                        .severity(Severity::Warning),
                );
            }
        }
        hits
    }
}

rule! {
    R033: Info, "The LB only uses existing instances; add an ASG to meet demand.",
    quote: "utilize existing EC2 instances",
    source: "1:108",
    fn r033(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for lb in ix.of(&["elb"]) {
            let direct: Vec<&str> = ix
                .flow_out(&lb.id)
                .into_iter()
                .filter(|t| ix.service(t) == Some("ec2"))
                .collect();
            let (ec2, _, scaled) = lb_targets(ix, lb.id.as_str());
            if !direct.is_empty()
                && !scaled
                && ec2.len() >= 2
                && ix.of(&["ec2_auto_scaling"]).is_empty()
            {
                hits.push(on_node(ix, &lb.id, |l| {
                    format!("{l} routes to fixed instances with no Auto Scaling")
                }));
            }
        }
        hits
    }
}

pub(super) fn attached<'a>(ix: &Index<'a>, id: &str) -> Vec<&'a str> {
    ix.related(id, EdgeKind::Attach)
}

rule! {
    R034: Error, "An EBS volume mounts to one instance at a time.",
    quote: "They can only be mounted to one instance at a time (at the CCp level)",
    source: "2:278",
    fn r034(ix) -> Vec<Hit> {
        ix.of(&["ebs"])
            .into_iter()
            .filter(|v| !ix.flag(v, "multi_attach"))
            .filter_map(|v| {
                let instances: Vec<&str> = attached(ix, v.id.as_str())
                    .into_iter()
                    .filter(|o| ix.service(o) == Some("ec2"))
                    .collect();
                (instances.len() > 1).then(|| {
                    let mut els = vec![node(&v.id)];
                    els.extend(instances.iter().map(node));
                    Hit::new(
                        els,
                        format!(
                            "{} is attached to {} instances",
                            q(ix, &v.id),
                            instances.len()
                        ),
                    )
                })
            })
            .collect()
    }
}

rule! {
    R035: Error, "EBS is locked to its AZ.",
    quote: "An EBS Volume in us-east-1a cannot be attached to us-east-1b",
    source: "2:290",
    fn r035(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for v in ix.of(&["ebs"]) {
            let Some(vaz) = ix.scope(&v.id, "az") else {
                continue;
            };
            for i in attached(ix, v.id.as_str())
                .into_iter()
                .filter(|o| ix.service(o) == Some("ec2"))
            {
                if let Some(iaz) = ix.scope(i, "az").filter(|a| *a != vaz) {
                    hits.push(
                        Hit::new(
                            vec![node(&v.id), node(i)],
                            format!("{} is in {vaz} but {} is in {iaz}", q(ix, &v.id), q(ix, i)),
                        )
                        .fix(
                            format!("Snapshot it and restore it in {iaz}"),
                            set_prop(&v.id, "az", &iaz),
                        ),
                    );
                }
            }
        }
        hits
    }
}

rule! {
    R036: Error, "EBS attaches to EC2 instances.",
    quote: "network drive you can attach to youur instances",
    source: "2:276",
    fn r036(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for v in ix.of(&["ebs"]) {
            for o in attached(ix, v.id.as_str()) {
                if ix.node(o).is_some()
                    && !matches!(
                        ix.service(o),
                        Some("ec2" | "ecs_container_instance" | "ec2_hosted_db" | "ebs_snapshot")
                    )
                {
                    hits.push(Hit::new(
                        vec![node(&v.id), node(o)],
                        format!(
                            "{} is attached to {}, which is not an EC2 instance",
                            q(ix, &v.id),
                            q(ix, o)
                        ),
                    ));
                }
            }
        }
        hits
    }
}

rule! {
    R037: Info, "You still pay for the provisioned size.",
    quote: "You get billed for all the provisioned capacity",
    source: "2:293",
    fn r037(ix) -> Vec<Hit> {
        ix.of(&["ebs"])
            .into_iter()
            .filter(|v| attached(ix, v.id.as_str()).is_empty() && ix.touching(&v.id).is_empty())
            .map(|v| {
                on_node(ix, &v.id, |l| {
                    format!("{l} is attached to nothing but is still billed")
                })
            })
            .collect()
    }
}

rule! {
    R038: Warning, "Instance store is ephemeral.",
    quote: "lose their storage if they're stopped (ephemeral)",
    source: "2:331",
    fn r038(ix) -> Vec<Hit> {
        ix.of(&["ec2_instance_store"])
            .into_iter()
            .filter(|n| {
                matches!(
                    ix.prop(n, "data"),
                    Some("persistent" | "database" | "only_copy")
                )
            })
            .map(|n| {
                Hit::new(
                    vec![node(&n.id)],
                    format!(
                        "{} holds {} data on ephemeral storage",
                        q(ix, &n.id),
                        ix.prop(n, "data").unwrap_or_default()
                    ),
                )
            })
            .collect()
    }
}

rule! {
    R039: Error, "EFS works with Linux EC2.",
    quote: "EFS works with Linux EC2 instances in multi-AZ",
    source: "2:339",
    fn r039(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for fs in ix.of(&["efs"]) {
            for i in ix.related(&fs.id, EdgeKind::Mount) {
                if let Some(n) = ix
                    .node(i)
                    .filter(|n| n.service == "ec2" && ix.prop(n, "os") == Some("windows"))
                {
                    hits.push(
                        Hit::new(
                            vec![node(&fs.id), node(&n.id)],
                            format!(
                                "{} is mounted by Windows instance {}",
                                q(ix, &fs.id),
                                q(ix, &n.id)
                            ),
                        )
                        .fix("Run the instance on Linux", set_prop(&n.id, "os", "linux")),
                    );
                }
            }
        }
        hits
    }
}

rule! {
    R040: Error, "AMIs are regional.",
    quote: "AMI are built for a specfic region (and can be copied accross regions)",
    source: "2:313",
    fn r040(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for ami in ix.of(&["ami"]) {
            let Some(ar) = ix.scope(&ami.id, "region") else {
                continue;
            };
            for t in ix
                .flow_out(&ami.id)
                .into_iter()
                .filter(|t| ix.service(t) == Some("ec2"))
            {
                if let Some(ir) = ix.scope(t, "region").filter(|r| *r != ar) {
                    hits.push(
                        Hit::new(
                            vec![node(&ami.id), node(t)],
                            format!(
                                "{} is in {ar} but launches {} in {ir}",
                                q(ix, &ami.id),
                                q(ix, t)
                            ),
                        )
                        .fix(
                            format!("Copy the AMI to {ir}"),
                            set_prop(&ami.id, "region", &ir),
                        ),
                    );
                }
            }
        }
        hits
    }
}

rule! {
    R041: Info, "Stop the instance first.",
    quote: "Stop the instance (for data integirty)",
    source: "2:322",
    fn r041(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for ami in ix.of(&["ami"]) {
            for s in ix.flow_in(&ami.id) {
                if let Some(n) = ix
                    .node(s)
                    .filter(|n| n.service == "ec2" && ix.prop(n, "state") == Some("running"))
                {
                    hits.push(
                        Hit::new(
                            vec![node(&n.id), node(&ami.id)],
                            format!(
                                "{} is built from running instance {}",
                                q(ix, &ami.id),
                                q(ix, &n.id)
                            ),
                        )
                        .fix(
                            "Stop the instance first",
                            set_prop(&n.id, "state", "stopped"),
                        ),
                    );
                }
            }
        }
        hits
    }
}
