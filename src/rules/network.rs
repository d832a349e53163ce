//! Networking rules (R087-R098): VPCs, subnets, security groups and NACLs, internet and
//! on-premises connectivity, endpoints, DNS and CDNs. Integration rules are in
//! `messaging`, IAM rules in `identity`.

use std::collections::BTreeSet;

use super::fixes::{add_source, add_target, set_prop};
use super::{Hit, Index, Rule, edge_ref, group, node, on_node, q};
use crate::model::{EdgeKind, GroupKind};

/// This module's rules, in id order.
pub const RULES: &[Rule] = &[
    R087, R088, R089, R090, R091, R092, R093, R094, R095, R096, R097, R098,
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
            if !in_vpc(g.id.as_str()) {
                hits.push(Hit::new(
                    vec![group(&g.id)],
                    format!("Subnet {} is not inside a VPC", q(ix, &g.id)),
                ));
            }
        }
        for n in ix.of(&["subnet"]) {
            if !in_vpc(n.id.as_str()) {
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
                    && !ix.of(&["security_group"]).iter().any(|o| o.id.as_str() == *s)
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
