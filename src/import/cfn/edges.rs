//! The connections of a template, made in passes over its resources. The passes run in
//! the order of [`EDGE_PASSES`], and that order is their precedence: [`Edges`] keeps at most
//! one edge between two resources, so where two passes would join the same pair, the earlier
//! pass decides the edge's direction and kind. Explicit connections come first (connector
//! resources, listener rules, SAM connectors, SAM events), then properties the mapping table
//! names (an inline policy's grant last of them), then ARNs and endpoints, the roles SAM
//! makes, any other reference (as a relation), and last the grants and integrations that
//! only turn an existing pair's kind into what the access is for.

use super::*;

/// A template's resources while their edges are made.
pub(super) struct Making<'r, 'a> {
    pub(super) resources: &'r [Resource<'a>],
    /// Logical id -> service of every resource drawn as a service.
    pub(super) mapped: &'r BTreeMap<&'r str, &'r str>,
    pub(super) table: &'static Mapping,
    pub(super) design: &'r mut Design,
    pub(super) edges: Edges,
    /// SAM events whose source the design does not draw, by function.
    pub(super) outside_events: BTreeMap<String, Vec<String>>,
    /// How many IAM roles SAM would make were drawn.
    pub(super) made_roles: usize,
}

/// One pass: what it reads, and the function that adds its edges.
pub(super) type Pass = (&'static str, fn(&mut Making<'_, '_>));

/// Every pass, in order of precedence (see the module's documentation).
pub(super) const EDGE_PASSES: &[Pass] = &[
    ("connector resources", connectors),
    ("listener rules", listener_rules),
    ("SAM connectors", sam_connectors),
    ("SAM events", sam_events),
    ("properties the mapping table names", linked_properties),
    ("ARNs written by name", |m| {
        arns_by_name(m.resources, m.mapped, &mut m.edges)
    }),
    ("DMS endpoints", |m| {
        dms_endpoints(m.resources, m.mapped, &mut m.edges)
    }),
    ("roles SAM makes", |m| {
        m.made_roles = sam_function_roles(m.resources, m.mapped, m.design, &mut m.edges)
    }),
    ("any other reference", other_references),
    ("Lambda permissions", |m| {
        permissions_as_triggers(m.resources, m.mapped, &mut m.edges)
    }),
    ("integrations through roles", |m| {
        integrations_through_roles(m.resources, m.mapped, &mut m.edges)
    }),
];

/// The edges of a design being built: at most one between any two resources, whichever way.
#[derive(Default)]
pub(super) struct Edges {
    pub(super) list: Vec<Edge>,
    /// Each linked pair, in sorted order.
    pairs: BTreeSet<(String, String)>,
}

impl Edges {
    fn pair(a: &str, b: &str) -> (String, String) {
        if a <= b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        }
    }

    pub(super) fn add(&mut self, from: &str, to: &str, kind: EdgeKind) {
        if from != to && self.pairs.insert(Self::pair(from, to)) {
            // Every end is a resource drawn as a service; VPCs and subnets become boxes
            // and are never an edge's end.
            let (from, to) = (NodeId::made(from), NodeId::made(to));
            self.list.push(Edge::new(from, to, kind));
        }
    }

    pub(super) fn linked(&self, a: &str, b: &str) -> bool {
        self.pairs.contains(&Self::pair(a, b))
    }
}

/// Resources that are connections (an event source mapping, a subscription, a listener) join what they name.
fn connectors(m: &mut Making<'_, '_>) {
    let (resources, mapped, table, edges) = (m.resources, m.mapped, m.table, &mut m.edges);
    // Connectors: an event source mapping, a subscription, a listener.
    for r in resources {
        let Some(row) = table.connector(&r.resource_type) else {
            continue;
        };
        let reads = integration_reads(r);
        for a in refs_at(r.properties, &row.from) {
            for b in refs_at(r.properties, &row.to) {
                if mapped.contains_key(a.as_str()) && mapped.contains_key(b.as_str()) {
                    if reads && mapped.get(b.as_str()) != Some(&"iam_role") {
                        edges.add(&b, &a, EdgeKind::Data);
                    } else {
                        edges.add(&a, &b, row.kind);
                    }
                }
            }
        }
    }
}

/// A listener rule routes its load balancer to its actions' target groups.
fn listener_rules(m: &mut Making<'_, '_>) {
    let (resources, mapped, edges) = (m.resources, m.mapped, &mut m.edges);
    // A listener rule forwards its listener's load balancer to its actions' target groups.
    let listeners: BTreeMap<&str, &Resource<'_>> = resources
        .iter()
        .filter(|r| r.resource_type == "AWS::ElasticLoadBalancingV2::Listener")
        .map(|r| (r.id.as_str(), r))
        .collect();
    for r in resources
        .iter()
        .filter(|r| r.resource_type == "AWS::ElasticLoadBalancingV2::ListenerRule")
    {
        // The listener stands for its load balancer (see `stand_ins`), unless it names it
        // in a way that is not a reference.
        let balancers: Vec<String> = refs_at(r.properties, "ListenerArn")
            .iter()
            .flat_map(|l| match listeners.get(l.as_str()) {
                Some(listener) => refs_at(listener.properties, "LoadBalancerArn"),
                None => vec![l.clone()],
            })
            .collect();
        for lb in balancers.iter().filter(|b| mapped.contains_key(b.as_str())) {
            for target in refs_at(r.properties, "Actions") {
                if mapped.contains_key(target.as_str()) {
                    edges.add(lb, &target, EdgeKind::Route);
                }
            }
        }
    }
}

/// SAM connectors: the access they grant is data flowing.
fn sam_connectors(m: &mut Making<'_, '_>) {
    let (resources, mapped, edges) = (m.resources, m.mapped, &mut m.edges);
    // SAM connectors: the access they grant is data flowing (Write: source to destination,
    // Read: destination to source).
    for r in resources
        .iter()
        .filter(|r| r.resource_type == "AWS::Serverless::Connector")
    {
        let ends = |at: &str| -> Vec<String> {
            let Some(node) = r.properties.and_then(|p| p.get(at)) else {
                return Vec::new();
            };
            let one = |n: &Node| -> Vec<String> {
                match n.get("Id").and_then(Node::as_str) {
                    Some(id) => vec![id.to_string()],
                    None => refs_at(Some(n), "Arn"),
                }
            };
            match &node.value {
                Value::Seq(items) => items.iter().flat_map(one).collect(),
                _ => one(node),
            }
        };
        let permissions: Vec<&str> = r
            .properties
            .map(|p| p.reach("Permissions"))
            .unwrap_or_default()
            .into_iter()
            .flat_map(|n| match &n.value {
                Value::Seq(items) => items.iter().filter_map(Node::as_str).collect(),
                Value::Scalar(s) => vec![s.as_str()],
                Value::Map(_) => Vec::new(),
            })
            .collect();
        for source in ends("Source") {
            for destination in ends("Destination") {
                if !mapped.contains_key(source.as_str())
                    || !mapped.contains_key(destination.as_str())
                {
                    continue;
                }
                if permissions.contains(&"Write") || !permissions.contains(&"Read") {
                    edges.add(&source, &destination, EdgeKind::Data);
                } else {
                    edges.add(&destination, &source, EdgeKind::Data);
                }
            }
        }
    }
}

/// SAM events trigger their function; those whose source is not drawn are noted for [`mark_invokers`].
fn sam_events(m: &mut Making<'_, '_>) {
    let (resources, mapped, edges, outside_events) =
        (m.resources, m.mapped, &mut m.edges, &mut m.outside_events);
    // Events whose source the design does not draw, by function.
    // SAM events: the source triggers the function.
    for r in resources
        .iter()
        .filter(|r| r.resource_type == "AWS::Serverless::Function")
    {
        let Some(events) = r.properties.and_then(|p| p.get("Events")) else {
            continue;
        };
        for (_, event) in events.entries() {
            let event_type = event.get("Type").and_then(Node::as_str).unwrap_or_default();
            let kind = match event_type {
                "SNS" => EdgeKind::Notify,
                // An API routes requests to the function, as its deployed integration says.
                "Api" | "HttpApi" => EdgeKind::Route,
                _ => EdgeKind::Trigger,
            };
            // The event's source, not its filters, credentials or destinations.
            let properties = event.get("Properties");
            let mut drawn = false;
            for field in crate::import::sam::event_sources(event_type) {
                // SAM also takes a logical id written as a plain string (`RestApiId: MyApi`).
                let mut sources = refs_at(properties, field);
                if let Some(id) = properties
                    .and_then(|p| p.get(field))
                    .filter(|n| intrinsic(n).is_none())
                    .and_then(Node::as_str)
                    .filter(|id| mapped.contains_key(id))
                {
                    sources.push(id.to_string());
                }
                for source in sources {
                    if mapped.contains_key(source.as_str()) {
                        drawn = true;
                        edges.add(&source, &r.id, kind);
                    }
                }
            }
            if !drawn {
                outside_events
                    .entry(r.id.clone())
                    .or_default()
                    .push(format!("{event_type} event"));
            }
            // Where the function sends what it failed (or managed) to process.
            for outcome in ["OnFailure", "OnSuccess"] {
                let at = format!("DestinationConfig.{outcome}.Destination");
                for target in refs_at(properties, &at) {
                    if mapped.contains_key(target.as_str()) {
                        edges.add(&r.id, &target, EdgeKind::Data);
                    }
                }
            }
        }
    }
}

/// Properties that name another resource, as the mapping table says.
fn linked_properties(m: &mut Making<'_, '_>) {
    let (resources, mapped, table, edges) = (m.resources, m.mapped, m.table, &mut m.edges);
    // Properties that name another resource, as the table says; an inline policy statement's
    // grant last, so an invocation or a route decides the kind before a bare IAM grant.
    for granted in [false, true] {
        for r in resources
            .iter()
            .filter(|r| mapped.contains_key(r.id.as_str()))
        {
            for row in table
                .links
                .iter()
                .filter(|l| l.resource_type == "*" || l.resource_type == r.resource_type)
                .filter(|l| (l.at == "Policies.Statement") == granted)
            {
                for other in refs_at(r.properties, &row.at) {
                    if !mapped.contains_key(other.as_str()) {
                        continue;
                    }
                    if row.out {
                        edges.add(&r.id, &other, row.kind);
                    } else {
                        edges.add(&other, &r.id, row.kind);
                    }
                }
            }
        }
    }
}

/// Any other reference between two drawn resources is a relation.
fn other_references(m: &mut Making<'_, '_>) {
    let (resources, mapped, edges) = (m.resources, m.mapped, &mut m.edges);
    // Any other reference between two mapped resources is a relation.
    for r in resources
        .iter()
        .filter(|r| mapped.contains_key(r.id.as_str()))
    {
        for other in r.properties.map(references_of).unwrap_or_default() {
            if !mapped.contains_key(other.as_str()) || edges.linked(&r.id, &other) {
                continue;
            }
            let (Some(a), Some(b)) = (mapped.get(r.id.as_str()), mapped.get(other.as_str())) else {
                continue;
            };
            let kind = catalog().default_edge_kind(Endpoint::Service(a), Endpoint::Service(b));
            let kind = if kind.is_relation() {
                kind
            } else {
                EdgeKind::Connect
            };
            edges.add(&r.id, &other, kind);
        }
    }
}

/// SAM makes an IAM role for every function that names none. When the template draws roles of
/// its own, the design models IAM, so those made roles are drawn too: otherwise the function
/// would look like it runs without one.
pub(super) fn sam_function_roles(
    resources: &[Resource<'_>],
    mapped: &BTreeMap<&str, &str>,
    design: &mut Design,
    edges: &mut Edges,
) -> usize {
    if !mapped.values().any(|s| *s == "iam_role") {
        return 0;
    }
    let mut made = 0;
    for r in resources.iter().filter(|r| {
        r.resource_type == "AWS::Serverless::Function"
            && mapped.contains_key(r.id.as_str())
            && r.properties.and_then(|p| p.get("Role")).is_none()
    }) {
        let id = crate::model::unused_id(format!("{}Role", r.id), |c| design.has_text_id(c));
        let mut role = DesignNode::new(NodeId::made(id.clone()), "iam_role", Pos::new(0.0, 0.0));
        role.label = format!("{id} (made by SAM)");
        design.push_built_node(role);
        edges.add(&r.id, &id, EdgeKind::AssumeRole);
        made += 1;
    }
    made
}
