//! Rules about the design itself rather than the notes: services the catalog does not know,
//! property values the catalog does not allow, and positions far outside any drawing (the
//! file format: a finding, never a load error).

use super::{Hit, Rule, node, on_node, q};
use crate::catalog::{PropKind, catalog};

/// This module's rules, in id order.
pub const RULES: &[Rule] = &[G001, G002, G003];

rule! {
    G003: Warning, "A position or size far outside any drawing: it is drawn clamped to the edge of the canvas.",
    quote: "Positions and sizes lie within 10,000,000 canvas units of the origin",
    source: "docs/format.md",
    fn g003(ix) -> Vec<Hit> {
        let out = |v: f32| v.abs() > crate::model::SANE_COORDINATE;
        let mut hits: Vec<Hit> = ix
            .design
            .nodes()
            .iter()
            .filter(|n| out(n.pos.x) || out(n.pos.y))
            .map(|n| {
                on_node(ix, &n.id, |l| {
                    format!(
                        "{l} is at ({}, {}), beyond the {} units a design may span",
                        n.pos.x,
                        n.pos.y,
                        crate::model::SANE_COORDINATE
                    )
                })
            })
            .collect();
        for g in ix.design.groups() {
            let far = g.frame.and_then(|f| {
                crate::model::Frame::PROPS
                    .into_iter()
                    .zip(f.values())
                    .find(|(_, v)| out(*v))
            });
            if let Some((key, value)) = far {
                hits.push(Hit::new(
                    vec![crate::model::ElementRef::Group(g.id.clone())],
                    format!(
                        "group \"{}\" has {key} = {value}, beyond the {} units a design may span",
                        g.id,
                        crate::model::SANE_COORDINATE
                    ),
                ));
            }
        }
        hits
    }
}

rule! {
    G001: Warning, "Unknown service: the catalog does not know it, so nothing about it can be checked.",
    quote: "A node whose `service` the catalog does not know still loads, is drawn as an unknown service, is reported as a finding",
    source: "docs/format.md",
    fn g001(ix) -> Vec<Hit> {
        ix.design
            .nodes()
            .iter()
            .filter(|n| catalog().service(&n.service).is_none())
            .map(|n| {
                Hit::new(
                    vec![node(&n.id)],
                    // An unlabelled node would be named by its unknown service: name its id.
                    if n.label.is_empty() {
                        format!("Node \"{}\" uses unknown service \"{}\"", n.id, n.service)
                    } else {
                        format!("{} uses unknown service \"{}\"", q(ix, &n.id), n.service)
                    },
                )
            })
            .collect()
    }
}

/// Properties with a rule of their own (R074, R075) are left to it.
const OWN_RULE: &[(&str, &str)] = &[("rds", "engine"), ("aurora", "engine")];

rule! {
    G002: Warning, "A property value the catalog does not allow.",
    quote: "a value the catalog does not allow is a finding, never a load error",
    source: "docs/format.md",
    fn g002(ix) -> Vec<Hit> {
        let mut hits = Vec::new();
        for n in ix.design.nodes() {
            let Some(service) = catalog().service(&n.service) else {
                continue;
            };
            for (key, value) in &n.props {
                if OWN_RULE.contains(&(n.service.as_str(), key.as_str())) {
                    continue;
                }
                let Some(spec) = service.prop(key) else {
                    continue;
                };
                let allowed = match &spec.kind {
                    PropKind::Text => true,
                    PropKind::Bool => value == "true" || value == "false",
                    PropKind::Number => value.trim().parse::<f64>().is_ok_and(f64::is_finite),
                    PropKind::Enum(values) => values.contains(value),
                };
                if !allowed {
                    hits.push(on_node(ix, &n.id, |l| {
                        format!("{l}: {key} = \"{value}\" is not an allowed value")
                    }));
                }
            }
        }
        hits
    }
}
