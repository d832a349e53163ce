//! IAM rules (R103-R110): the root account, users and groups, least privilege, MFA, access
//! keys, roles and what a policy allows; and IoT Core for devices.

use super::fixes::set_prop;
use super::{Hit, Rule, Severity, edge_ref, group, node, on_node, q};
use crate::model::{EdgeKind, GroupKind};

/// This module's rules, in id order.
pub const RULES: &[Rule] = &[R103, R104, R105, R106, R107, R108, R109, R110];

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
