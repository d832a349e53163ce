//! Application-integration rules (R099-R102): queues, topics and event buses need both
//! ends, and ordering needs FIFO.

use super::fixes::{add_target, set_prop};
use super::{Hit, Index, Rule, node, on_node, q};
use crate::model::EdgeKind;

/// This module's rules, in id order.
pub const RULES: &[Rule] = &[R099, R100, R101, R102];

fn ends(ix: &Index, id: &str) -> (bool, bool) {
    (!ix.flow_in(id).is_empty(), !ix.flow_out(id).is_empty())
}

/// A channel's ends, where services or accounts outside the design that its policy lets
/// publish (`publishers`, as an import reads it) count as a source.
fn fed(ix: &Index, n: &crate::model::Node) -> (bool, bool) {
    let (source, target) = ends(ix, n.id.as_str());
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
