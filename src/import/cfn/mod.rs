//! A CloudFormation or SAM template as a design: mapped resources become services, the
//! references between them edges, VPCs and subnets group boxes, and everything else is either
//! folded into what it configures or reported as left out.

use std::collections::{BTreeMap, BTreeSet};

mod edges;
mod grants;
mod outside;
mod references;

use super::ImportError;
use super::mapping::{Mapping, mapping};
use super::network;
use super::yaml::{self, At, Node, Value};
use crate::catalog::{Endpoint, catalog};
use crate::imported::{Counts, ImportReport};
use crate::layout::{self, Direction};
use crate::model::{Design, Edge, EdgeKind, GroupKind, Node as DesignNode, NodeId, Pos};
use edges::{EDGE_PASSES, Edges, Making};
use grants::{
    arns_by_name, dms_endpoints, integration_reads, integrations_through_roles,
    permissions_as_triggers,
};
use outside::{mark_invokers, mark_outside_ends};
use references::{collect_literals, literal, scalars, values_of_key};
pub(in crate::import) use references::{intrinsic, references_of, refs_at};

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
    // The functions of a template's Rules section.
    "Contains",
    "EachMemberEquals",
    "EachMemberIn",
    "RefAll",
    "ValueOf",
    "ValueOfAll",
];

/// One resource of the template.
#[derive(Debug)]
pub(super) struct Resource<'a> {
    pub(super) id: String,
    /// Where its logical id is written.
    at: At,
    pub(super) resource_type: String,
    pub(super) properties: Option<&'a Node>,
    depends_on: Vec<String>,
}

pub use crate::imported::Imported;

/// Choices a person makes about an import.
#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    /// Keep resources the table does not map as nodes of unknown service (their type), so
    /// nothing of the template is missing from the picture.
    pub keep_unmapped: bool,
    /// Draw every resource and both branches of every `Fn::If`, as the template is written,
    /// rather than what deploys with the parameters' defaults.
    pub every_condition: bool,
}

fn error(path: &str, at: Option<At>, message: impl Into<String>) -> ImportError {
    ImportError {
        path: path.to_string(),
        at,
        message: message.into(),
    }
}

/// Imports a template's text with the default options; `path` names it in messages.
pub fn import_template(text: &str, path: &str) -> Result<Imported, ImportError> {
    import_template_with(text, path, ImportOptions::default())
}

/// Imports a template's text; `path` names it in messages.
pub fn import_template_with(
    text: &str,
    path: &str,
    options: ImportOptions,
) -> Result<Imported, ImportError> {
    let doc = yaml::parse(text).map_err(|e| error(path, Some(e.at), e.message))?;
    let (doc, loops) = match super::for_each::expand(&doc) {
        Some((expanded, done)) => (expanded, Some(done)),
        None => (doc, None),
    };
    let doc = super::sam::expand(&doc).unwrap_or(doc);
    let doc = super::stand_ins::resolve(&doc).unwrap_or(doc);
    let defaults = parameter_defaults(&doc);
    let deployed = if options.every_condition {
        None
    } else {
        super::conditions::resolve(&doc, &defaults)
    };
    let (doc, not_deployed) = match deployed {
        Some(deployed) => (deployed.doc, deployed.left_out),
        None => (doc, Vec::new()),
    };
    let mut foreign = BTreeMap::new();
    foreign_tags(&doc, &mut foreign);
    let resources = resources(&doc, path)?;
    check_depends_on(&resources, path)?;
    let mut imported = build(&resources, &defaults, options);
    describe(&mut imported.design, &doc);
    if let Some(loops) = loops {
        for (id, parameter) in &loops.repeated {
            if let Some(node) = imported.design.node_mut(NodeId::made(id.as_str())) {
                *node.label = format!("{id} × each {parameter}");
            }
        }
        imported
            .report
            .say(format!("Expanded {} Fn::ForEach loops.", loops.loops));
        if !loops.repeated.is_empty() {
            let once: Vec<String> = loops
                .repeated
                .iter()
                .map(|(id, parameter)| format!("{id} (one per value of {parameter})"))
                .collect();
            imported.report.say(format!(
                "Drawn once, for a parameter without a default: {}.",
                once.join(", ")
            ));
        }
    }
    if !not_deployed.is_empty() {
        let named: Vec<String> = not_deployed
            .iter()
            .map(|(id, condition)| format!("{id} ({condition})"))
            .collect();
        imported.report.say(format!(
            "Left out, as their condition is false with the parameters' defaults (--every-condition draws them): {}.",
            named.join(", ")
        ));
    }
    if !foreign.is_empty() {
        let tags: Vec<String> = foreign
            .iter()
            .map(|(tag, at)| format!("!{tag} (line {})", at.line))
            .collect();
        imported.report.say(format!(
            "Kept as written the values of tags CloudFormation does not define: {}.",
            tags.join(", ")
        ));
    }
    Ok(imported)
}

/// `DependsOn` must never go round in a circle, as CloudFormation itself requires. A name
/// that is not a resource here is let be: SAM makes resources (`MyApiProdStage`) the
/// template never declares.
fn check_depends_on(resources: &[Resource<'_>], path: &str) -> Result<(), ImportError> {
    let index: BTreeMap<&str, usize> = resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    // Depth-first search with three colours: 0 unseen, 1 on the current path, 2 done.
    let mut colour = vec![0u8; resources.len()];
    for start in 0..resources.len() {
        if colour[start] != 0 {
            continue;
        }
        // (resource, next dependency to visit)
        let mut stack = vec![(start, 0usize)];
        colour[start] = 1;
        while let Some(&mut (at, ref mut next)) = stack.last_mut() {
            let deps = &resources[at].depends_on;
            if *next == deps.len() {
                colour[at] = 2;
                stack.pop();
                continue;
            }
            let dep = index.get(deps[*next].as_str()).copied();
            *next += 1;
            let Some(dep) = dep else { continue };
            match colour[dep] {
                0 => {
                    colour[dep] = 1;
                    stack.push((dep, 0));
                }
                1 => {
                    let from = stack.iter().position(|(i, _)| *i == dep).unwrap_or(0);
                    let mut circle: Vec<&str> = stack[from..]
                        .iter()
                        .map(|(i, _)| resources[*i].id.as_str())
                        .collect();
                    circle.push(&resources[dep].id);
                    return Err(error(
                        path,
                        Some(resources[dep].at),
                        format!("DependsOn goes round in a circle: {}", circle.join(" -> ")),
                    ));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// The design says what the template says of itself: its title is the template's
/// `Description` (its first sentence), and the Region box names the region the template fixes
/// (its zones are written `us-east-1a`, ...).
fn describe(design: &mut Design, doc: &Node) {
    if let Some(text) = doc.get("Description").and_then(Node::as_str) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let first = text
            .split_once(". ")
            .map_or(text.as_str(), |(first, _)| first)
            .trim_end_matches('.');
        design.title = if first.chars().count() > 100 {
            let cut: String = first.chars().take(99).collect();
            format!("{}…", cut.trim_end())
        } else {
            first.to_string()
        };
        design.description = text;
    }
    let region = design
        .groups()
        .iter()
        .filter(|g| g.kind == GroupKind::AvailabilityZone)
        .find_map(|g| {
            let zone = g.label.trim();
            let region = zone.strip_suffix(|c: char| c.is_ascii_lowercase())?;
            let parts: Vec<&str> = region.split('-').collect();
            let named = parts.len() == 3
                && parts[0].chars().all(|c| c.is_ascii_lowercase())
                && parts[2].chars().all(|c| c.is_ascii_digit());
            named.then(|| region.to_string())
        });
    if let Some(region) = region
        && let Some(g) = design
            .groups_mut()
            .find(|g| *g.kind == GroupKind::Region && g.label.as_str() == "Region")
    {
        *g.label = region.clone();
        g.props.insert("region".into(), region);
    }
}

/// Tags that are not CloudFormation's own (a tool's, such as Rain's `!Rain::Embed`), each
/// with where it is first written: their values are kept as they are and the report says so.
fn foreign_tags(node: &Node, out: &mut BTreeMap<String, At>) {
    if let Some(tag) = &node.tag
        && !INTRINSICS.contains(&tag.as_str())
    {
        out.entry(tag.clone()).or_insert(node.at);
    }
    match &node.value {
        Value::Seq(items) => items.iter().for_each(|n| foreign_tags(n, out)),
        Value::Map(entries) => entries.iter().for_each(|(_, n)| foreign_tags(n, out)),
        Value::Scalar(_) => {}
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
                at: key.at,
                resource_type: "Fn::ForEach".into(),
                properties: None,
                depends_on: Vec::new(),
            });
            continue;
        }
        // A tool's own resource (Rain's `Type: {Rain::Module: ...}`) is expanded by that
        // tool before CloudFormation sees it: left out by name, like an unmapped type.
        if let Some(Value::Map(entries)) = body.get("Type").map(|t| &t.value)
            && let Some((tool, _)) = entries.first()
        {
            out.push(Resource {
                id: key.text.clone(),
                at: key.at,
                resource_type: tool.text.clone(),
                properties: None,
                depends_on: Vec::new(),
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
        let depends_on = match body.get("DependsOn").map(|d| &d.value) {
            Some(Value::Scalar(name)) => vec![name.clone()],
            Some(Value::Seq(items)) => items
                .iter()
                .filter_map(Node::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        };
        out.push(Resource {
            id: key.text.clone(),
            at: key.at,
            resource_type: resource_type.to_string(),
            properties: body.get("Properties"),
            depends_on,
        });
    }
    Ok(out)
}

/// Each parameter's default, so a value given as `!Ref Param` reads as what it deploys with.
fn parameter_defaults(doc: &Node) -> BTreeMap<String, String> {
    let Some(Value::Map(params)) = doc.get("Parameters").map(|p| &p.value) else {
        return BTreeMap::new();
    };
    params
        .iter()
        .filter_map(|(name, p)| {
            let default = p.get("Default")?.as_str()?;
            Some((name.text.clone(), default.to_string()))
        })
        .collect()
}

fn build(
    resources: &[Resource<'_>],
    defaults: &BTreeMap<String, String>,
    options: ImportOptions,
) -> Imported {
    let table = mapping();
    let mut design = Design::default();
    let mut left_out: BTreeMap<&str, usize> = BTreeMap::new();
    // Logical id -> service of every resource drawn as a service.
    let mut mapped: BTreeMap<&str, &str> = BTreeMap::new();
    let mut kept = 0;
    for r in resources {
        let t = r.resource_type.as_str();
        let row = table.service(t);
        let service = match row {
            Some(row) => row.service.as_str(),
            None if table.connector(t).is_some()
                || table.is_plumbing(t)
                || network::is_structure(t) =>
            {
                continue;
            }
            // Kept under its type, which the catalog does not know (G001 says so).
            None if options.keep_unmapped && crate::model::is_valid_id(&r.id) => {
                kept += 1;
                t
            }
            None => {
                *left_out.entry(t).or_default() += 1;
                continue;
            }
        };
        let mut node = DesignNode::new(NodeId::made(r.id.clone()), service, Pos::new(0.0, 0.0));
        node.label = r.id.clone();
        for p in row.map_or(&[][..], |row| &row.props) {
            let value = r.properties.and_then(|n| n.path(&p.from));
            let literal = value.filter(|v| intrinsic(v).is_none());
            if let Some(text) = literal.and_then(Node::as_str) {
                let text = if p.lower {
                    text.to_lowercase()
                } else {
                    text.to_string()
                };
                node.props.insert(p.to.clone(), text);
            }
        }
        // A rule fed by a schedule or by AWS's own events has its source outside the stack.
        if let Some(p) = r.properties {
            if p.get("ScheduleExpression").is_some() {
                node.props.insert("source".into(), "schedule".into());
            } else if p.get("EventPattern").is_some() {
                node.props.insert("source".into(), "pattern".into());
            }
        }
        mapped.insert(r.id.as_str(), service);
        design.push_built_node(node);
    }
    let mut making = Making {
        resources,
        mapped: &mapped,
        table,
        design: &mut design,
        edges: Edges::default(),
        outside_events: BTreeMap::new(),
        made_roles: 0,
    };
    for (_, pass) in EDGE_PASSES {
        pass(&mut making);
    }
    let Making {
        edges,
        outside_events,
        made_roles,
        ..
    } = making;
    mark_invokers(resources, &mapped, &outside_events, &mut design);
    mark_outside_ends(resources, defaults, &mut design);
    for edge in edges.list {
        design.push_edge(edge);
    }
    for group in network::structure(resources, &design) {
        design.push_built_group(group);
    }

    let mut report = ImportReport::new(Counts::Template {
        resources: resources.len(),
        services: design.nodes().len() - kept - made_roles,
        edges: design.edges().len(),
        groups: design.groups().len(),
    });
    if made_roles > 0 {
        report.clauses.push(format!(
            "drew the {made_roles} IAM roles SAM makes for functions without one"
        ));
    }
    if kept > 0 {
        report.clauses.push(format!(
            "kept {kept} unmapped resources as unknown services"
        ));
    }
    let left_total: usize = left_out.values().sum();
    if left_total > 0 {
        let types: Vec<String> = left_out.iter().map(|(t, n)| format!("{t} ({n})")).collect();
        report.clauses.push(format!(
            "left out {left_total} resources of {} types: {}",
            left_out.len(),
            types.join(", ")
        ));
    }
    if design.nodes().is_empty() && design.groups().is_empty() {
        report.say(
            "Nothing here is drawable: every resource is configuration that archsketch folds into what it configures, and the template names nothing it configures.",
        );
    }
    let design = layout::arranged(&design, Direction::Right);
    let anchors = resources.iter().map(|r| (r.id.clone(), r.at)).collect();
    Imported {
        design,
        report,
        anchors,
    }
}
