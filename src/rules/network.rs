//! Networking, application-integration and IAM rules (R087-R110).

use std::collections::BTreeSet;

use super::fixes::{add_source, add_target, set_prop};
use super::{Hit, Index, Rule, Severity, edge_ref, group, node, on_node, q};
use crate::model::{EdgeKind, GroupKind};

/// This module's rules, in id order.
pub const RULES: &[Rule] = &[
    R087, R088, R089, R090, R091, R092, R093, R094, R095, R096, R097, R098, R099, R100, R101, R102,
    R103, R104, R105, R106, R107, R108, R109, R110,
];

fn is_vpc(ix: &Index, id: &str) -> bool {
    ix.service(id) == Some("vpc") || ix.group(id).is_some_and(|g| g.kind == GroupKind::Vpc)
}

rule! {
    R087: Error, "A VPC lives in one Region.",
    quote: "VPCs are regionally hosted, residing in one AWS region.",
    source: "1:310",
    fn r087(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for g in ix.design.groups().iter().filter(|g| g.kind == GroupKind::Vpc) {
            let mut regions = BTreeSet::new();
            for id in ix.descendants(&g.id) {
                if let Some(inner) = ix.group(id).filter(|x| x.kind == GroupKind::Region) {
                    regions.insert(
                        inner
                            .props
                            .get("region")
                            .cloned()
                            .unwrap_or_else(|| inner.label.clone()),
                    );
                } else if let Some(r) = ix.node(id).and_then(|n| n.props.get("region")) {
                    regions.insert(r.clone());
                }
            }
            if let Some(r) = ix
                .scope(&g.id, "region")
                .or_else(|| g.props.get("region").cloned())
            {
                regions.insert(r);
            }
            if regions.len() > 1 {
                hits.push(Hit::new(
                    vec![group(&g.id)],
                    format!(
                        "VPC {} spans Regions {}",
                        q(ix, &g.id),
                        regions.into_iter().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
        hits
    }
}

rule! {
    R088: Error, "Subnets divide a VPC's range.",
    quote: "Dividing your VPC IP address range into smaller, manageable segments",
    source: "1:322",
    fn r088(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        let in_vpc = |id: &str| {
            ix.inside(id, GroupKind::Vpc)
                || ix
                    .touching(id)
                    .iter()
                    .any(|(_, _, o)| ix.service(o) == Some("vpc"))
        };
        for g in ix
            .design
            .groups()
            .iter()
            .filter(|g| matches!(g.kind, GroupKind::PublicSubnet | GroupKind::PrivateSubnet))
        {
            if !in_vpc(&g.id) {
                hits.push(Hit::new(
                    vec![group(&g.id)],
                    format!("Subnet {} is not inside a VPC", q(ix, &g.id)),
                ));
            }
        }
        for n in ix.of(&["subnet"]) {
            if !in_vpc(&n.id) {
                hits.push(on_node(ix, &n.id, |l| {
                    format!("Subnet {l} is not inside a VPC")
                }));
            }
        }
        hits
    }
}

rule! {
    R089: Error, "NACL is subnet-level; the SG is instance-level.",
    quote: "Virtual Firewall at subnet level",
    source: "1:346",
    fn r089(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (i, e) in ix
            .design
            .edges()
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == EdgeKind::Attach)
        {
            for (a, b) in [(&e.from, &e.to), (&e.to, &e.from)] {
                let subnet = ix.service(b) == Some("subnet")
                    || ix.group(b).is_some_and(|g| {
                        matches!(g.kind, GroupKind::PublicSubnet | GroupKind::PrivateSubnet)
                    });
                let wrong = match ix.service(a) {
                    Some("nacl") => matches!(ix.service(b), Some("ec2" | "eni")),
                    Some("security_group") => subnet,
                    _ => false,
                };
                if wrong {
                    hits.push(Hit::new(
                        vec![node(a), edge_ref(ix, i)],
                        format!("{} is attached to {}", q(ix, a), q(ix, b)),
                    ));
                }
            }
        }
        hits
    }
}

rule! {
    R090: Error, "Security groups only contain allow rules.",
    quote: "Security groups only cotain allow rules",
    source: "2:185",
    fn r090(ix) -> Vec<FixedHit> {
        ix.of(&["security_group"])
            .into_iter()
            .filter(|n| ix.prop(n, "effect") == Some("deny"))
            .map(|n| {
                on_node(ix, &n.id, |l| format!("{l} has a deny rule")).fix(
                    "Make it an allow rule (deny in a NACL)",
                    set_prop(&n.id, "effect", "allow"),
                )
            })
            .collect()
    }
}

/// Whether `s` is an IPv4 or IPv6 CIDR block.
pub fn is_cidr(s: &str) -> bool {
    let Some((addr, bits)) = s.split_once('/') else {
        return false;
    };
    match (addr.parse::<std::net::IpAddr>(), bits.parse::<u8>()) {
        (Ok(std::net::IpAddr::V4(_)), Ok(b)) => b <= 32,
        (Ok(std::net::IpAddr::V6(_)), Ok(b)) => b <= 128,
        _ => false,
    }
}

rule! {
    R091: Error, "Rules reference IP ranges or security groups.",
    quote: "Security groups rules can reference by IP or by security group",
    source: "2:188",
    fn r091(ix) -> Vec<Hit> {
        ix.of(&["security_group"])
            .into_iter()
            .filter_map(|n| {
                ix.prop(n, "source")
                    .filter(|s| !s.is_empty())
                    .map(|s| (n, s))
            })
            .filter(|(_, s)| {
                !is_cidr(s)
                    && !s.starts_with("sg-")
                    && !ix.of(&["security_group"]).iter().any(|o| o.id == *s)
            })
            .map(|(n, s)| {
                on_node(ix, &n.id, |l| {
                    format!("{l} allows source \"{s}\", neither a CIDR nor a security group")
                })
            })
            .collect()
    }
}

rule! {
    R092: Error, "Custom VPCs need explicit internet configuration.",
    quote: "Require explicit configuration for internet access",
    source: "1:340",
    fn r092(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for g in
            ix.design.groups().iter().filter(|g| {
                g.kind == GroupKind::Vpc && g.props.get("custom").is_some_and(|v| v == "true")
            })
        {
            let inside = ix.descendants(&g.id);
            let facing = inside.iter().any(|id| {
                ix.flow_in(id).iter().any(|s| {
                    matches!(ix.service(s), Some("users" | "internet" | "client"))
                        && !inside.iter().any(|x| x == s)
                })
            });
            let gateway = inside
                .iter()
                .any(|id| ix.service(id) == Some("network_gateway"))
                || ix
                    .touching(&g.id)
                    .iter()
                    .any(|(_, _, o)| ix.service(o) == Some("network_gateway"));
            if facing && !gateway {
                let mut steps = Vec::new();
                let (add, _) = crate::edit::ops::add_node(
                    ix.design,
                    "network_gateway",
                    ix.design
                        .nodes()
                        .iter()
                        .find(|n| inside.contains(&n.id.as_str()))
                        .map_or_else(Default::default, |n| n.pos.offset(-160.0, 0.0)),
                    Some(&g.id),
                );
                steps.push(add);
                hits.push(
                    Hit::new(
                        vec![group(&g.id)],
                        format!(
                            "Custom VPC {} takes internet traffic but has no internet gateway",
                            q(ix, &g.id)
                        ),
                    )
                    .fix(
                        "Add an internet gateway",
                        crate::edit::EditCommand::Batch(steps),
                    ),
                );
            }
        }
        hits
    }
}

rule! {
    R093: Warning, "Connect on-prem through VPN or Direct Connect.",
    quote: "Securely connects your on-premises network to AWS over the internet",
    source: "1:364",
    fn r093(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for dc in ix.of(&["on_premises_dc"]) {
            for t in ix.flow_out(&dc.id) {
                if is_vpc(ix, t) || ix.inside(t, GroupKind::Vpc) {
                    hits.push(Hit::new(
                        vec![node(&dc.id), node(t)],
                        format!(
                            "{} reaches {} in a VPC without VPN, Direct Connect or PrivateLink",
                            q(ix, &dc.id),
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
    R094: Info, "VPN suits small or temporary links; Direct Connect suits mission-critical ones.",
    quote: "suitable for smaller workloads or temporary connections",
    source: "1:365",
    fn r094(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for n in ix.of(&["vpn"]).into_iter().filter(|n| {
            matches!(
                ix.prop(n, "traffic"),
                Some("mission_critical" | "high_bandwidth")
            )
        }) {
            hits.push(
                Hit::new(
                    vec![node(&n.id)],
                    format!(
                        "{} carries {} traffic: Direct Connect fits",
                        q(ix, &n.id),
                        ix.prop(n, "traffic").unwrap_or_default()
                    ),
                )
                .fix(
                    "Use Direct Connect",
                    super::fixes::replace_service(&n.id, "direct_connect"),
                ),
            );
        }
        for n in ix
            .of(&["direct_connect"])
            .into_iter()
            .filter(|n| ix.prop(n, "usage") == Some("temporary"))
        {
            hits.push(
                on_node(ix, &n.id, |l| {
                    format!("{l} is a dedicated line for a temporary need: a VPN fits")
                })
                .fix("Use a VPN", super::fixes::replace_service(&n.id, "vpn")),
            );
        }
        hits
    }
}

rule! {
    R095: Info, "Use a VPC endpoint.",
    quote: "allowing communication between services without public IP addresses",
    source: "1:354",
    fn r095(ix) -> Vec<Hit> {
        if !ix.has_group(GroupKind::PrivateSubnet) {
            return Vec::new();
        }
        let private: Vec<&crate::model::Node> = ix
            .design
            .nodes()
            .iter()
            .filter(|n| ix.inside(&n.id, GroupKind::PrivateSubnet))
            .collect();
        let to_storage = |e: &crate::model::Edge| matches!(ix.service(&e.to), Some("s3" | "dynamodb"));
        super::flow_edge_hits(ix, &private, to_storage, |a, t| {
            format!("Private {a} reaches {t} over a public path")
        })
    }
}

rule! {
    R096: Warning, "Route 53 must resolve to a resource.",
    quote: "Manages domain names and translate them to IP addresses",
    source: "1:380",
    fn r096(ix) -> Vec<Hit> {
        ix.of(&["route53"])
            .into_iter()
            // Records given by value (an IP, a name outside the design) resolve somewhere.
            .filter(|n| ix.prop(n, "resolves_to").is_none_or(str::is_empty))
            .filter(|n| ix.flow_out(&n.id).is_empty())
            .map(|n| on_node(ix, &n.id, |l| format!("{l} resolves to nothing")))
            .collect()
    }
}

rule! {
    R097: Warning, "Connect an origin and viewers.",
    quote: "Delivering digital content to end-users over the internet",
    source: "1:397",
    fn r097(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for n in ix.of(&["cloudfront"]) {
            // Origins outside the design (a domain given by a parameter) are origins too.
            let outside = ix.prop(n, "origins").is_some_and(|o| !o.is_empty());
            if ix.flow_out(&n.id).is_empty() && !outside {
                hits.push(on_node(ix, &n.id, |l| format!("{l} has no origin")).fix(
                    "Serve from an S3 origin",
                    add_target(ix, &n.id, "s3", EdgeKind::Route),
                ));
            } else if ix.flow_in(&n.id).is_empty()
                // Viewers from the internet, as an import says of every distribution.
                && ix.prop(n, "viewers").is_none_or(str::is_empty)
            {
                hits.push(
                    on_node(ix, &n.id, |l| format!("{l} has no viewers"))
                        .fix("Add users", add_source(ix, &n.id, "users", EdgeKind::Route)),
                );
            }
        }
        hits
    }
}

rule! {
    R098: Info, "A CDN reduces latency.",
    quote: "Delay in loading content due to geographical distance",
    source: "1:389",
    fn r098(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for u in ix.of(&["users"]) {
            for t in ix.flow_out(&u.id) {
                if let Some(n) = ix.node(t).filter(|n| {
                    matches!(n.service.as_str(), "s3" | "ec2")
                        && ix.prop(n, "content") == Some("global_static")
                }) {
                    hits.push(Hit::new(
                        vec![node(&u.id), node(&n.id)],
                        format!(
                            "{} fetch global static content from {} without a CDN",
                            q(ix, &u.id),
                            q(ix, &n.id)
                        ),
                    ));
                }
            }
        }
        hits
    }
}

fn ends(ix: &Index, id: &str) -> (bool, bool) {
    (!ix.flow_in(id).is_empty(), !ix.flow_out(id).is_empty())
}

/// A channel's ends, where services or accounts outside the design that its policy lets
/// publish (`publishers`, as an import reads it) count as a source.
fn fed(ix: &Index, n: &crate::model::Node) -> (bool, bool) {
    let (source, target) = ends(ix, &n.id);
    let outside = ix.prop(n, "publishers").is_some_and(|s| !s.is_empty());
    (source || outside, target)
}

rule! {
    R099: Warning, "A queue connects components.",
    quote: "reliable messaging between software components",
    source: "1:631",
    fn r099(ix) -> Vec<Hit> {
        ix.of(&["sqs"])
            .into_iter()
            .filter_map(|n| match fed(ix, n) {
                (true, true) => None,
                (false, _) => Some(on_node(ix, &n.id, |l| format!("{l} has no producer"))),
                (true, false) => Some(on_node(ix, &n.id, |l| format!("{l} has no consumer"))),
            })
            .collect()
    }
}

rule! {
    R100: Warning, "Add subscribers (apps, SMS, services).",
    quote: "(application-to-application) A2A and (application-to-person) A2P messaging",
    source: "1:636",
    fn r100(ix) -> Vec<FixedHit> {
        ix.of(&["sns"])
            .into_iter()
            .filter_map(|n| match fed(ix, n) {
                (true, true) => None,
                // People or endpoints outside the design subscribe (email, SMS, HTTPS).
                (true, false) if ix.prop(n, "subscribers").is_some_and(|s| !s.is_empty()) => None,
                (false, _) => Some(on_node(ix, &n.id, |l| format!("{l} has no publisher")).into()),
                (true, false) => Some(
                    on_node(ix, &n.id, |l| format!("{l} has no subscribers")).fix(
                        "Notify users",
                        add_target(ix, &n.id, "users", EdgeKind::Notify),
                    ),
                ),
            })
            .collect()
    }
}

rule! {
    R101: Warning, "EventBridge relays events between services.",
    quote: "responds to events within AWS or externally, connecting with all services to relay occurrences",
    source: "1:627",
    fn r101(ix) -> Vec<Hit> {
        let said = |n: &crate::model::Node, key: &str| ix.prop(n, key).is_some_and(|s| !s.is_empty());
        ix.of(&["eventbridge"])
            .into_iter()
            .filter_map(|n| {
                let (drawn_source, drawn_target) = fed(ix, n);
                // A rule run by a schedule or by AWS's own events has its source outside; one
                // sending to a log group or another stack's topic, its target.
                let has_source = drawn_source || said(n, "source");
                let has_target = drawn_target || said(n, "targets");
                let lacks = match (has_source, has_target) {
                    (true, true) => return None,
                    (true, false) => "a target",
                    (false, _) => "an event source",
                };
                Some(Hit::new(vec![node(&n.id)], format!("{} lacks {lacks}", q(ix, &n.id))))
            })
            .collect()
    }
}

rule! {
    R102: Info, "Ordering needs a FIFO topic.",
    quote: "strict order first-in-first-out",
    source: "1:638",
    fn r102(ix) -> Vec<FixedHit> {
        ix.of(&["sns"])
            .into_iter()
            .filter(|n| ix.flag(n, "ordered") && !ix.flag(n, "fifo"))
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!("{l} needs ordered delivery but is not a FIFO topic")
                })
                .fix("Make it a FIFO topic", set_prop(&n.id, "fifo", "true"))
            })
            .collect()
    }
}

rule! {
    R103: Error, "Don't use the root account; create IAM users.",
    quote: "Root account created by default, should not be used or shared",
    source: "2:64",
    fn r103(ix) -> Vec<Hit> {
        ix.of(&["iam_root_account"])
            .into_iter()
            .filter(|n| !ix.touching(&n.id).is_empty())
            .map(|n| {
                Hit::new(
                    vec![node(&n.id)],
                    format!(
                        "Root account {} is used for {}",
                        q(ix, &n.id),
                        ix.touching(&n.id)
                            .iter()
                            .map(|(_, _, o)| q(ix, o))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
            .collect()
    }
}

rule! {
    R104: Error, "Groups contain users only.",
    quote: "Groups only contain users, not groups",
    source: "2:66",
    fn r104(ix) -> Vec<Hit> {
        ix.design
            .edges()
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.kind == EdgeKind::MemberOf
                    && ix.service(&e.from) == Some("iam_group")
                    && ix.service(&e.to) == Some("iam_group")
            })
            .map(|(i, e)| {
                Hit::new(
                    vec![node(&e.from), edge_ref(ix, i)],
                    format!(
                        "Group {} is a member of group {}",
                        q(ix, &e.from),
                        q(ix, &e.to)
                    ),
                )
            })
            .collect()
    }
}

rule! {
    R105: Warning, "Apply least privilege.",
    quote: "dont give more permissions than a user needs",
    source: "2:76",
    fn r105(ix) -> Vec<Hit> {
        ix.of(&["iam_policy"])
            .into_iter()
            .filter(|n| {
                ix.prop(n, "actions").is_some_and(|a| a.contains('*')) || ix.flag(n, "unused_actions")
            })
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!("{l} grants wildcard or unused actions")
                })
            })
            .collect()
    }
}

rule! {
    R106: Warning, "Enable MFA.",
    quote: "MFA is most recommened to use",
    source: "2:92",
    fn r106(ix) -> Vec<FixedHit> {
        let mut hits = Vec::new();
        for u in ix.of(&["iam_user"]) {
            let device = ix
                .touching(&u.id)
                .iter()
                .any(|(_, _, o)| ix.service(o) == Some("mfa"));
            if !ix.flag(u, "mfa") && !device {
                hits.push(
                    on_node(ix, &u.id, |l| format!("IAM user {l} has no MFA"))
                        .fix("Enable MFA", set_prop(&u.id, "mfa", "true")),
                );
            }
        }
        if !ix.of(&["iam_user"]).is_empty() {
            for g in ix.design.groups().iter().filter(|g| {
                g.kind == GroupKind::Account
                    && g.props.get("password_policy").is_none_or(|v| v != "true")
            }) {
                hits.push(
                    Hit::new(
                        vec![group(&g.id)],
                        format!("Account {} sets no password policy", q(ix, &g.id)),
                    )
                    .severity(Severity::Info)
                    .into(),
                );
            }
        }
        hits
    }
}

rule! {
    R107: Error, "Access keys are personal secrets.",
    quote: "Access keys are secret, just like a password. Dont share them",
    source: "2:107",
    fn r107(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for k in ix.of(&["access_key"]) {
            let holders: Vec<&str> = ix
                .touching(&k.id)
                .into_iter()
                .map(|(_, _, o)| o)
                .filter(|o| matches!(ix.service(o), Some("iam_user" | "iam_root_account")))
                .collect();
            let root = holders
                .iter()
                .any(|h| ix.service(h) == Some("iam_root_account"));
            if holders.len() > 1 || root {
                hits.push(Hit::new(
                    vec![node(&k.id)],
                    format!(
                        "Access key {} belongs to {}",
                        q(ix, &k.id),
                        holders
                            .iter()
                            .map(|h| q(ix, h))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        hits
    }
}

rule! {
    R108: Warning, "Attach an IAM role.",
    quote: "we need assign permission to AWS services through IAM Role",
    source: "2:131",
    fn r108(ix) -> Vec<FixedHit> {
        // Only designs that model IAM are held to drawing roles.
        if !ix.design.nodes().iter().any(|n| n.service.starts_with("iam")) {
            return Vec::new();
        }
        ix.of(&["ec2", "lambda", "cloudformation"])
            .into_iter()
            .filter(|n| {
                ix.flow_out(&n.id)
                    .iter()
                    .any(|t| !matches!(ix.category(t), "" | "general"))
            })
            .filter(|n| {
                !ix.related(&n.id, EdgeKind::AssumeRole)
                    .iter()
                    .any(|r| ix.service(r) == Some("iam_role"))
            })
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!("{l} calls AWS services without an IAM role")
                })
                .fix(
                    "Attach an IAM role",
                    super::fixes::add_watcher(ix, &n.id, "iam_role", EdgeKind::AssumeRole),
                )
            })
            .collect()
    }
}

rule! {
    R109: Error, "Access needs an IAM or bucket-policy Allow and no explicit Deny.",
    quote: "the user IAM permissions allow it OR the resource policy ALLOWS it",
    source: "2:404",
    fn r109(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (i, e) in ix.design.edges().iter().enumerate() {
            if e.kind.is_relation()
                || !matches!(ix.service(&e.from), Some("iam_user" | "iam_role"))
                || ix.service(&e.to) != Some("s3")
            {
                continue;
            }
            let denied = e.props.get("decision").is_some_and(|d| d == "deny");
            let iam_allow = ix
                .related(&e.from, EdgeKind::Attach)
                .iter()
                .any(|p| ix.service(p) == Some("iam_policy"));
            let bucket_allow = ix
                .related(&e.to, EdgeKind::Attach)
                .iter()
                .any(|p| ix.service(p) == Some("s3_bucket_policy"));
            if denied || (!iam_allow && !bucket_allow) {
                let why = if denied {
                    "is explicitly denied"
                } else {
                    "is allowed by neither an IAM policy nor a bucket policy"
                };
                hits.push(Hit::new(
                    vec![edge_ref(ix, i), node(&e.from), node(&e.to)],
                    format!("{}'s access to {} {why}", q(ix, &e.from), q(ix, &e.to)),
                ));
            }
        }
        hits
    }
}

rule! {
    R110: Info, "Use IoT Core to connect devices.",
    quote: "IoT Core securely connects devices to the cloud",
    source: "1:671",
    fn r110(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for d in ix.of(&["iot_devices"]) {
            for t in ix.flow_out(&d.id) {
                if ix.node(t).is_some()
                    && !ix
                        .service(t)
                        .is_some_and(|s| s == "iot_core" || s.starts_with("kinesis"))
                {
                    hits.push(Hit::new(
                        vec![node(&d.id), node(t)],
                        format!("{} connect straight to {}", q(ix, &d.id), q(ix, t)),
                    ));
                }
            }
        }
        hits
    }
}
