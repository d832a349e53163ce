//! Access, serverless and container rules (R042-R054): SSH and Session Manager, open
//! ports, Lambda's event sources, what serverless means, and images, registries and launch
//! types of containers.

use super::compute::attached;
use super::fixes::{add_source, set_prop};
use super::{Hit, Index, Rule, Severity, edge_ref, node, on_node, q};
use crate::model::{EdgeKind, GroupKind};

/// This module's rules, in id order.
pub const RULES: &[Rule] = &[
    R042, R043, R044, R045, R046, R047, R048, R049, R050, R051, R052, R053, R054,
];

/// Whether an edge is an SSH session: from an SSH client, or labelled/propertied as SSH.
fn is_ssh(ix: &Index, e: &crate::model::Edge) -> bool {
    ix.service(&e.from) == Some("ssh_client")
        || e.label.to_lowercase().contains("ssh")
        || e.props.get("protocol").is_some_and(|p| p == "ssh")
}

rule! {
    R042: Error, "You can't SSH into RDS instances.",
    quote: "BUT you can't SSH into your instances",
    source: "2:581",
    fn r042(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for db in ix.of(&["rds", "aurora"]) {
            for (i, e) in ix.inn(&db.id) {
                if is_ssh(ix, e) {
                    hits.push(Hit::new(
                        vec![node(&db.id), edge_ref(ix, i)],
                        format!("{} opens SSH into {}", q(ix, &e.from), q(ix, &db.id)),
                    ));
                }
            }
        }
        hits
    }
}

/// Ports the security groups attached to an instance open, or None when none is drawn.
fn open_ports(ix: &Index, id: &str) -> Option<Vec<u16>> {
    let sgs: Vec<&str> = attached(ix, id)
        .into_iter()
        .filter(|o| ix.service(o) == Some("security_group"))
        .collect();
    if sgs.is_empty() {
        return None;
    }
    Some(
        sgs.iter()
            .filter_map(|s| ix.node(s))
            .flat_map(|s| {
                ix.prop(s, "inbound_ports")
                    .unwrap_or("")
                    .split([',', ' '])
                    .filter_map(|p| p.trim().parse().ok())
                    .collect::<Vec<u16>>()
            })
            .collect(),
    )
}

rule! {
    R043: Warning, "SSH needs a private key and an open port.",
    quote: "requiring a private key for direct terminal access",
    source: "1:59",
    fn r043(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for n in ix.of(&["ec2"]) {
            if !ix.inn(&n.id).any(|(_, e)| is_ssh(ix, e)) {
                continue;
            }
            let key = attached(ix, n.id.as_str())
                .iter()
                .chain(ix.flow_in(&n.id).iter())
                .any(|o| ix.service(o) == Some("key_pair"));
            let port = if ix.prop(n, "os") == Some("windows") {
                3389
            } else {
                22
            };
            let open = open_ports(ix, n.id.as_str()).is_none_or(|p| p.contains(&port));
            if !key || !open {
                let why = if !key {
                    "no key pair".to_string()
                } else {
                    format!("no security group opening port {port}")
                };
                hits.push(on_node(ix, &n.id, |l| format!("SSH to {l} has {why}")));
            }
        }
        hits
    }
}

rule! {
    R044: Info, "Session Manager needs no open ports; close 22.",
    quote: "eliminating the need for SSH keys or open ports",
    source: "1:62",
    fn r044(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for sm in ix.of(&["session_manager"]) {
            for t in ix.flow_out(&sm.id) {
                if open_ports(ix, t).is_some_and(|p| p.contains(&22)) {
                    hits.push(Hit::new(
                        vec![node(t)],
                        format!(
                            "{} is reached through Session Manager but still opens port 22",
                            q(ix, t)
                        ),
                    ));
                }
            }
        }
        hits
    }
}

rule! {
    R045: Warning, "Open HTTP(80)/HTTPS(443).",
    quote: "443 = HTTPS – access secured websites",
    source: "2:200",
    fn r045(ix) -> Vec<Hit> {
        ix.of(&["elb", "ec2"])
            .into_iter()
            .filter(|n| {
                ix.flow_in(&n.id)
                    .iter()
                    .any(|s| matches!(ix.service(s), Some("users" | "internet" | "client")))
            })
            .filter(|n| open_ports(ix, n.id.as_str()).is_some_and(|p| !p.contains(&80) && !p.contains(&443)))
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!("{l} faces users but its security group opens neither 80 nor 443")
                })
            })
            .collect()
    }
}

rule! {
    R046: Warning, "Lambda runs in response to events; connect an event source.",
    quote: "Run code in response to events",
    source: "1:157",
    fn r046(ix) -> Vec<FixedHit> {
        ix.of(&["lambda"])
            .into_iter()
            // Invoked from outside the design (a function URL, CloudFormation, an event from
            // another stack), as an import says.
            .filter(|n| ix.prop(n, "invoked_by").is_none_or(str::is_empty))
            .filter(|n| ix.flow_in(&n.id).is_empty())
            .map(|n| {
                on_node(ix, &n.id, |l| format!("{l} has no event source")).fix(
                    "Trigger it from an S3 bucket",
                    add_source(ix, &n.id, "s3", EdgeKind::Trigger),
                )
            })
            .collect()
    }
}

rule! {
    R047: Error, "This service is serverless; you don't manage instances.",
    quote: "eliminating the need to provision, scale, or maintain servers",
    source: "1:147",
    fn r047(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        if !ix.has_group(GroupKind::AutoScalingGroup) && ix.of(&["ebs", "ec2_auto_scaling"]).is_empty()
        {
            return hits;
        }
        for n in ix.of_family("serverless") {
            let in_asg = ix.inside(&n.id, GroupKind::AutoScalingGroup);
            let ebs = attached(ix, n.id.as_str())
                .iter()
                .any(|o| ix.service(o) == Some("ebs"));
            let on_ec2 = ix
                .flow_in(&n.id)
                .iter()
                .chain(ix.related(&n.id, EdgeKind::Attach).iter())
                .any(|o| ix.service(o) == Some("ec2_auto_scaling"));
            if in_asg || ebs || on_ec2 {
                let how = if ebs {
                    "has an EBS volume attached"
                } else {
                    "is placed in an Auto Scaling group"
                };
                hits.push(on_node(ix, &n.id, |l| format!("Serverless {l} {how}")));
            }
        }
        hits
    }
}

rule! {
    R048: Info, "Consider containers.",
    quote: "containers are suited for predictable, resource-intensive operations",
    source: "1:143",
    fn r048(ix) -> Vec<Hit> {
        ix.of(&["lambda"])
            .into_iter()
            .filter(|n| ix.prop(n, "load") == Some("steady_heavy"))
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!("{l} has a steady, resource-intensive load")
                })
            })
            .collect()
    }
}

rule! {
    R049: Warning, "Containers run images pulled from a registry.",
    quote: "This is where we store Docker images so they can be run by ECS or fagate",
    source: "2:701",
    fn r049(ix) -> Vec<FixedHit> {
        ix.of_family("container_runtimes")
            .into_iter()
            // The image's name says its registry (an import reads it from the task).
            .filter(|n| ix.prop(n, "image_registry").is_none_or(str::is_empty))
            .filter(|n| {
                !ix.upstream(&n.id)
                    .iter()
                    .chain(ix.related(&n.id, EdgeKind::Pull).iter())
                    .any(|u| matches!(ix.service(u), Some("ecr" | "docker_hub")))
            })
            .filter(|n| !ix.inn(&n.id).any(|(_, e)| e.kind == EdgeKind::Pull))
            .filter(|n| {
                !ix.inn(&n.id)
                    .any(|(_, e)| ix.service(&e.from) == Some("container_image"))
            })
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!("{l} pulls its images from no registry")
                })
                .fix(
                    "Pull images from ECR",
                    add_source(ix, &n.id, "ecr", EdgeKind::Pull),
                )
            })
            .collect()
    }
}

rule! {
    R050: Warning, "Push the image to a registry first.",
    quote: "Container Image --> container registry (ECR, Docker Hub) <-- VPC (ECS)",
    source: "3:88",
    fn r050(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for img in ix.of(&["container_image"]) {
            for (i, e) in ix.out(&img.id) {
                if ix.in_family(&e.to, "container_runtimes") {
                    let hit = Hit::new(
                        vec![node(&img.id), edge_ref(ix, i)],
                        format!(
                            "{} goes straight to {} without a registry",
                            q(ix, &img.id),
                            q(ix, &e.to)
                        ),
                    );
                    let fix = super::fixes::insert_between(
                        ix,
                        e,
                        &[("ecr", EdgeKind::Push)],
                        EdgeKind::Pull,
                    );
                    hits.push(hit.fix_if("Push it to ECR first", fix));
                }
            }
        }
        hits
    }
}

rule! {
    R051: Error, "The EC2 launch type needs instances; Fargate needs none.",
    quote: "You must provision & maintain the infrastructure (the EC2 instances)",
    source: "2:687",
    fn r051(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        let hosts = |id: &str| {
            ix.touching(id)
                .iter()
                .filter(|(_, _, o)| matches!(ix.service(o), Some("ec2" | "ecs_container_instance")))
                .count()
        };
        for n in ix.of(&["ecs"]) {
            if ix.prop(n, "launch_type") == Some("ec2") && hosts(n.id.as_str()) == 0 {
                hits.push(on_node(ix, &n.id, |l| {
                    format!("{l} uses the EC2 launch type but has no container instances")
                }));
            }
        }
        for n in ix.of(&["fargate"]) {
            if hosts(n.id.as_str()) > 0 {
                hits.push(
                    on_node(ix, &n.id, |l| {
                        format!("{l} is Fargate but has EC2 instances attached")
                    })
                    .severity(Severity::Warning),
                );
            }
        }
        hits
    }
}

rule! {
    R052: Warning, "Docker Hub is public; use ECR.",
    quote: "Private Docketr Registry on AWS",
    source: "2:700",
    fn r052(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for img in ix
            .of(&["container_image"])
            .into_iter()
            .filter(|n| ix.prop(n, "visibility") == Some("private"))
        {
            for (i, e) in ix.out(&img.id) {
                if ix.service(&e.to) == Some("docker_hub") {
                    hits.push(Hit::new(
                        vec![node(&img.id), edge_ref(ix, i)],
                        format!(
                            "Private image {} is pushed to public {}",
                            q(ix, &img.id),
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
    R053: Info, "Each Fargate task lives in one AZ; spread tasks across AZs.",
    quote: "Fargate (will be part of one availability zone).",
    source: "3:93",
    fn r053(ix) -> Vec<Hit> {
        let tasks = ix.of(&["fargate"]);
        let azs: Vec<Option<String>> = tasks.iter().map(|t| ix.scope(&t.id, "az")).collect();
        if tasks.len() >= 2 && azs.iter().all(|a| a.is_some()) && azs.windows(2).all(|w| w[0] == w[1]) {
            return vec![Hit::new(
                tasks.iter().map(|t| node(&t.id)).collect(),
                format!(
                    "All {} Fargate tasks run in {}",
                    tasks.len(),
                    azs[0].clone().unwrap_or_default()
                ),
            )];
        }
        Vec::new()
    }
}

rule! {
    R054: Info, "ECS integrates with the ALB.",
    quote: "Has integrations with the Application Load Balancer",
    source: "2:689",
    fn r054(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for lb in ix
            .of(&["elb"])
            .into_iter()
            .filter(|lb| ix.prop(lb, "type").is_some_and(|t| t != "alb"))
        {
            for t in ix
                .flow_out(&lb.id)
                .into_iter()
                .filter(|t| ix.service(t) == Some("ecs"))
            {
                hits.push(
                    Hit::new(
                        vec![node(&lb.id), node(t)],
                        format!(
                            "ECS {} sits behind {} ({}), not an ALB",
                            q(ix, t),
                            q(ix, &lb.id),
                            ix.prop(lb, "type").unwrap_or_default().to_uppercase()
                        ),
                    )
                    .fix("Make it an ALB", set_prop(&lb.id, "type", "alb")),
                );
            }
        }
        hits
    }
}
