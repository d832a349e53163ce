//! A CloudFormation or SAM template as a design: mapped resources become services, the
//! references between them edges, VPCs and subnets group boxes, and everything else is either
//! folded into what it configures or reported as left out.

use std::collections::{BTreeMap, BTreeSet};

use super::ImportError;
use super::mapping::mapping;
use super::yaml::{self, At, Node, Value};
use crate::catalog::{Endpoint, catalog};
use crate::layout::{self, Direction};
use crate::model::{Design, Edge, EdgeKind, Group, GroupKind, Node as DesignNode, Pos};

/// Tags a template may use; any other is an error rather than a silent guess.
const INTRINSICS: &[&str] = &[
    "Ref",
    "GetAtt",
    "Sub",
    "Join",
    "Select",
    "GetAZs",
    "If",
    "Equals",
    "FindInMap",
    "ImportValue",
    "Base64",
    "Cidr",
    "Split",
    "Condition",
    "And",
    "Or",
    "Not",
    "Transform",
    "ToJsonString",
    "Length",
];

/// One resource of the template.
#[derive(Debug)]
struct Resource<'a> {
    id: String,
    resource_type: String,
    properties: Option<&'a Node>,
}

/// What an import made and what it says about it.
#[derive(Debug)]
pub struct Imported {
    pub design: Design,
    /// One paragraph: counts of what became what and which types were left out.
    pub report: String,
}

fn error(path: &str, at: Option<At>, message: impl Into<String>) -> ImportError {
    ImportError {
        path: path.to_string(),
        at,
        message: message.into(),
    }
}

/// Imports a template's text; `path` names it in messages.
pub fn import_template(text: &str, path: &str) -> Result<Imported, ImportError> {
    let doc = yaml::parse(text).map_err(|e| error(path, Some(e.at), e.message))?;
    check_tags(&doc, path)?;
    let resources = resources(&doc, path)?;
    Ok(build(&resources))
}

/// Every tag must be a known intrinsic function.
fn check_tags(node: &Node, path: &str) -> Result<(), ImportError> {
    if let Some(tag) = &node.tag
        && !INTRINSICS.contains(&tag.as_str())
    {
        return Err(error(
            path,
            Some(node.at),
            format!("unknown intrinsic function !{tag}"),
        ));
    }
    match &node.value {
        Value::Seq(items) => items.iter().try_for_each(|n| check_tags(n, path)),
        Value::Map(entries) => entries.iter().try_for_each(|(_, n)| check_tags(n, path)),
        Value::Scalar(_) => Ok(()),
    }
}

/// The resources, in file order; a file without them is not a template.
fn resources<'a>(doc: &'a Node, path: &str) -> Result<Vec<Resource<'a>>, ImportError> {
    let not_template = || {
        error(
            path,
            None,
            "not a CloudFormation or SAM template: there is no Resources section of typed resources",
        )
    };
    let section = doc.get("Resources").ok_or_else(not_template)?;
    if section.entries().is_empty() {
        return Err(not_template());
    }
    let mut out = Vec::new();
    for (key, body) in section.entries() {
        // A loop of the language extensions transform cannot be expanded here: reported as
        // left out, like an unmapped type.
        if key.text.starts_with("Fn::ForEach") {
            out.push(Resource {
                id: key.text.clone(),
                resource_type: "Fn::ForEach".into(),
                properties: None,
            });
            continue;
        }
        let Some(resource_type) = body.get("Type").and_then(Node::as_str) else {
            return Err(error(
                path,
                Some(key.at),
                format!("resource {} has no Type", key.text),
            ));
        };
        if !crate::model::is_valid_id(&key.text) {
            return Err(error(
                path,
                Some(key.at),
                format!("resource name {:?} is not a logical id", key.text),
            ));
        }
        out.push(Resource {
            id: key.text.clone(),
            resource_type: resource_type.to_string(),
            properties: body.get("Properties"),
        });
    }
    Ok(out)
}

/// Whether the node is an intrinsic function rather than a literal value.
fn is_intrinsic(node: &Node) -> bool {
    node.tag.is_some()
        || matches!(&node.value, Value::Map(e) if e.len() == 1
            && (e[0].0.text == "Ref" || e[0].0.text.starts_with("Fn::")))
}

/// Adds a logical id (the part before a `.` attribute) unless seen or a pseudo parameter.
fn add_name(out: &mut Vec<String>, name: &str) {
    let name = name.split('.').next().unwrap_or(name);
    if !name.is_empty() && !name.starts_with("AWS::") && !out.iter().any(|n| n == name) {
        out.push(name.to_string());
    }
}

/// The `${Name}` and `${Name.Attribute}` references of a `Sub` string (not `${!Literal}`).
fn add_sub_names(out: &mut Vec<String>, text: &str) {
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.starts_with('!') {
            add_name(out, name);
        }
        rest = &after[end + 1..];
    }
}

/// The logical id a `GetAtt` names, in either form (`A.B` or `[A, B]`).
fn add_getatt(out: &mut Vec<String>, value: &Value) {
    match value {
        Value::Scalar(s) => add_name(out, s),
        Value::Seq(items) => {
            if let Some(s) = items.first().and_then(Node::as_str) {
                add_name(out, s);
            }
        }
        Value::Map(_) => {}
    }
}

/// Logical ids named anywhere below `node` by `Ref`, `GetAtt` or `Sub`, in order, once each.
fn references(node: &Node, out: &mut Vec<String>) {
    match (node.tag.as_deref(), &node.value) {
        (Some("Ref"), Value::Scalar(s)) => add_name(out, s),
        (Some("GetAtt"), value) => add_getatt(out, value),
        (Some("Sub"), Value::Scalar(s)) => add_sub_names(out, s),
        (Some("Sub"), Value::Seq(items)) => {
            if let Some(s) = items.first().and_then(Node::as_str) {
                add_sub_names(out, s);
            }
        }
        _ => {}
    }
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                match (key.text.as_str(), &value.value) {
                    ("Ref", Value::Scalar(s)) => add_name(out, s),
                    ("Fn::GetAtt", v) => add_getatt(out, v),
                    ("Fn::Sub", Value::Scalar(s)) => add_sub_names(out, s),
                    ("Fn::Sub", Value::Seq(items)) => {
                        if let Some(s) = items.first().and_then(Node::as_str) {
                            add_sub_names(out, s);
                        }
                    }
                    _ => {}
                }
                references(value, out);
            }
        }
        Value::Seq(items) => {
            for item in items {
                references(item, out);
            }
        }
        Value::Scalar(_) => {}
    }
}

fn refs_at(node: Option<&Node>, dotted: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(n) = node.and_then(|n| n.path(dotted)) {
        references(n, &mut out);
    }
    out
}

/// The edges of a design being built: at most one between any two resources, whichever way.
#[derive(Default)]
struct Edges {
    list: Vec<Edge>,
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

    fn add(&mut self, from: &str, to: &str, kind: EdgeKind) {
        if from != to && self.pairs.insert(Self::pair(from, to)) {
            self.list.push(Edge::new(from, to, kind));
        }
    }

    fn linked(&self, a: &str, b: &str) -> bool {
        self.pairs.contains(&Self::pair(a, b))
    }
}

fn build(resources: &[Resource<'_>]) -> Imported {
    let table = mapping();
    let mut design = Design::default();
    let mut left_out: BTreeMap<&str, usize> = BTreeMap::new();
    // Logical id -> service of every resource drawn as a service.
    let mut mapped: BTreeMap<&str, &str> = BTreeMap::new();
    for r in resources {
        if let Some(row) = table.service(&r.resource_type) {
            let mut node = DesignNode::new(r.id.clone(), row.service.clone(), Pos::new(0.0, 0.0));
            node.label = r.id.clone();
            for p in &row.props {
                let value = r.properties.and_then(|n| n.path(&p.from));
                if let Some(text) = value.filter(|v| !is_intrinsic(v)).and_then(Node::as_str) {
                    let text = if p.lower {
                        text.to_lowercase()
                    } else {
                        text.to_string()
                    };
                    node.props.insert(p.to.clone(), text);
                }
            }
            mapped.insert(r.id.as_str(), row.service.as_str());
            design.nodes.push(node);
        } else if table.connector(&r.resource_type).is_none()
            && !table.is_plumbing(&r.resource_type)
            && !is_structure(&r.resource_type)
        {
            *left_out.entry(r.resource_type.as_str()).or_default() += 1;
        }
    }
    let mut edges = Edges::default();
    // Connectors: an event source mapping, a subscription, a listener.
    for r in resources {
        let Some(row) = table.connector(&r.resource_type) else {
            continue;
        };
        for a in refs_at(r.properties, &row.from) {
            for b in refs_at(r.properties, &row.to) {
                if mapped.contains_key(a.as_str()) && mapped.contains_key(b.as_str()) {
                    edges.add(&a, &b, row.kind);
                }
            }
        }
    }
    // SAM events: the source triggers the function.
    for r in resources
        .iter()
        .filter(|r| r.resource_type == "AWS::Serverless::Function")
    {
        let Some(events) = r.properties.and_then(|p| p.get("Events")) else {
            continue;
        };
        for (_, event) in events.entries() {
            let kind = match event.get("Type").and_then(Node::as_str) {
                Some("SNS") => EdgeKind::Notify,
                _ => EdgeKind::Trigger,
            };
            for source in refs_at(Some(event), "Properties") {
                if mapped.contains_key(source.as_str()) {
                    edges.add(&source, &r.id, kind);
                }
            }
        }
    }
    // Properties that name another resource, as the table says.
    for r in resources
        .iter()
        .filter(|r| mapped.contains_key(r.id.as_str()))
    {
        for row in table
            .links
            .iter()
            .filter(|l| l.resource_type == "*" || l.resource_type == r.resource_type)
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
    // Any other reference between two mapped resources is a relation.
    for r in resources
        .iter()
        .filter(|r| mapped.contains_key(r.id.as_str()))
    {
        let mut named = Vec::new();
        if let Some(p) = r.properties {
            references(p, &mut named);
        }
        for other in named {
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
    design.edges = edges.list;
    design.groups = structure(resources, &design);

    let left_total: usize = left_out.values().sum();
    let mut report = format!(
        "{} resources as {} services, {} edges, {} groups",
        resources.len(),
        design.nodes.len(),
        design.edges.len(),
        design.groups.len()
    );
    if left_total > 0 {
        let types: Vec<String> = left_out.iter().map(|(t, n)| format!("{t} ({n})")).collect();
        report.push_str(&format!(
            "; left out {left_total} resources of {} types: {}",
            left_out.len(),
            types.join(", ")
        ));
    }
    report.push('.');
    let design = layout::arranged(&design, Direction::Right);
    Imported { design, report }
}

fn is_structure(resource_type: &str) -> bool {
    matches!(resource_type, "AWS::EC2::VPC" | "AWS::EC2::Subnet")
}

/// AWS Cloud > Region > VPC > subnet boxes, each service in the one subnet it names, or in
/// the VPC when it names several subnets or only the VPC.
fn structure(resources: &[Resource<'_>], design: &Design) -> Vec<Group> {
    let vpcs: Vec<&Resource<'_>> = resources
        .iter()
        .filter(|r| r.resource_type == "AWS::EC2::VPC")
        .collect();
    let subnets: Vec<&Resource<'_>> = resources
        .iter()
        .filter(|r| r.resource_type == "AWS::EC2::Subnet")
        .collect();
    // What each subnet and each service names, read once.
    let subnet_vpcs: BTreeMap<&str, Vec<String>> = subnets
        .iter()
        .map(|s| (s.id.as_str(), refs_at(s.properties, "VpcId")))
        .collect();
    let drawn: BTreeSet<&str> = design.nodes.iter().map(|n| n.id.as_str()).collect();
    // (service, the subnets it names, the VPCs it names)
    let services: Vec<(&str, Vec<String>, Vec<String>)> = resources
        .iter()
        .filter(|r| drawn.contains(r.id.as_str()))
        .map(|r| {
            (
                r.id.as_str(),
                subnets_named(r),
                refs_at(r.properties, "VpcId"),
            )
        })
        .collect();
    let mut groups: Vec<Group> = Vec::new();
    let mut region = Group::new("aws_region", GroupKind::Region);
    region.label = "Region".into();
    let mut placed: BTreeSet<String> = BTreeSet::new();
    for vpc in &vpcs {
        let in_this_vpc =
            |subnet: &str| subnet_vpcs.get(subnet).is_some_and(|v| v.contains(&vpc.id));
        let mut g = Group::new(vpc.id.clone(), GroupKind::Vpc);
        g.label = vpc.id.clone();
        for subnet in subnets.iter().filter(|s| in_this_vpc(&s.id)) {
            let public = subnet
                .properties
                .and_then(|p| p.get("MapPublicIpOnLaunch"))
                .and_then(Node::as_str)
                .is_some_and(|v| v.eq_ignore_ascii_case("true"));
            let kind = if public {
                GroupKind::PublicSubnet
            } else {
                GroupKind::PrivateSubnet
            };
            let mut sg = Group::new(subnet.id.clone(), kind);
            sg.label = subnet.id.clone();
            for (id, named, _) in &services {
                if named.len() == 1 && named[0] == subnet.id && placed.insert(id.to_string()) {
                    sg.children.push(id.to_string());
                }
            }
            g.children.push(sg.id.clone());
            groups.push(sg);
        }
        for (id, named, vpcs_named) in &services {
            let in_vpc = named.iter().any(|s| in_this_vpc(s)) || vpcs_named.contains(&vpc.id);
            if in_vpc && placed.insert(id.to_string()) {
                g.children.push(id.to_string());
            }
        }
        region.children.push(g.id.clone());
        groups.push(g);
    }
    // Every other service still runs in the Region.
    for n in &design.nodes {
        if !placed.contains(&n.id) {
            region.children.push(n.id.clone());
        }
    }
    let mut cloud = Group::new("aws_cloud", GroupKind::AwsCloud);
    cloud.label = "AWS Cloud".into();
    cloud.children.push(region.id.clone());
    let mut out = vec![cloud, region];
    out.extend(groups);
    // Boxes left empty go, and so do the references to them (a VPC with no service in it).
    loop {
        let empty: Vec<String> = out
            .iter()
            .filter(|g| g.children.is_empty())
            .map(|g| g.id.clone())
            .collect();
        if empty.is_empty() {
            return out;
        }
        out.retain(|g| !g.children.is_empty());
        for g in &mut out {
            g.children.retain(|c| !empty.contains(c));
        }
    }
}

/// The subnets a resource names (`SubnetId`, `SubnetIds`, `Subnets`, `VpcConfig.SubnetIds`,
/// `VPCZoneIdentifier`, ...).
fn subnets_named(r: &Resource<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for path in [
        "SubnetId",
        "SubnetIds",
        "Subnets",
        "VpcConfig.SubnetIds",
        "VPCZoneIdentifier",
        "NetworkConfiguration.AwsvpcConfiguration.Subnets",
        "DBSubnetGroupName",
    ] {
        for name in refs_at(r.properties, path) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}
