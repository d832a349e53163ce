//! A CloudFormation or SAM template as a design: mapped resources become services, the
//! references between them edges, VPCs and subnets group boxes, and everything else is either
//! folded into what it configures or reported as left out.

use std::collections::{BTreeMap, BTreeSet};

use super::ImportError;
use super::mapping::mapping;
use super::network;
use super::yaml::{self, At, Node, Value};
use crate::catalog::{Endpoint, catalog};
use crate::layout::{self, Direction};
use crate::model::{Design, Edge, EdgeKind, GroupKind, Node as DesignNode, Pos};

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
            if let Some(node) = imported.design.node_mut(id) {
                *node.label = format!("{id} × each {parameter}");
            }
        }
        imported
            .report
            .push_str(&format!(" Expanded {} Fn::ForEach loops.", loops.loops));
        if !loops.repeated.is_empty() {
            let once: Vec<String> = loops
                .repeated
                .iter()
                .map(|(id, parameter)| format!("{id} (one per value of {parameter})"))
                .collect();
            imported.report.push_str(&format!(
                " Drawn once, for a parameter without a default: {}.",
                once.join(", ")
            ));
        }
    }
    if !not_deployed.is_empty() {
        let named: Vec<String> = not_deployed
            .iter()
            .map(|(id, condition)| format!("{id} ({condition})"))
            .collect();
        imported.report.push_str(&format!(
            " Left out, as their condition is false with the parameters' defaults (--every-condition draws them): {}.",
            named.join(", ")
        ));
    }
    if !foreign.is_empty() {
        let tags: Vec<String> = foreign
            .iter()
            .map(|(tag, at)| format!("!{tag} (line {})", at.line))
            .collect();
        imported.report.push_str(&format!(
            " Kept as written the values of tags CloudFormation does not define: {}.",
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

/// An intrinsic function in either spelling, `!Name arg` or `{"Fn::Name": arg}` (`Ref`
/// has no `Fn::`): its name without the prefix, and its argument.
pub(super) fn intrinsic(node: &Node) -> Option<(&str, &Value)> {
    if let Some(tag) = &node.tag {
        return Some((tag.as_str(), &node.value));
    }
    match &node.value {
        Value::Map(entries) if entries.len() == 1 => {
            let (key, arg) = (&entries[0].0.text, &entries[0].1.value);
            let name = if key == "Ref" {
                key.as_str()
            } else {
                key.strip_prefix("Fn::")?
            };
            Some((name, arg))
        }
        _ => None,
    }
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
    match intrinsic(node) {
        Some(("Ref", Value::Scalar(s))) => add_name(out, s),
        Some(("GetAtt", value)) => add_getatt(out, value),
        Some(("Sub", Value::Scalar(s))) => add_sub_names(out, s),
        Some(("Sub", Value::Seq(items))) => {
            if let Some(s) = items.first().and_then(Node::as_str) {
                add_sub_names(out, s);
            }
        }
        _ => {}
    }
    match &node.value {
        Value::Map(entries) => entries.iter().for_each(|(_, v)| references(v, out)),
        Value::Seq(items) => items.iter().for_each(|item| references(item, out)),
        Value::Scalar(_) => {}
    }
}

/// Logical ids named below the property at a dotted path.
pub(super) fn refs_at(node: Option<&Node>, dotted: &str) -> Vec<String> {
    let mut out = Vec::new();
    for n in node.map(|n| n.reach(dotted)).unwrap_or_default() {
        references(n, &mut out);
    }
    out
}

/// ARNs written out by name (`!Sub "arn:aws:lambda:${AWS::Region}:...:function:my-fn"` in a
/// state machine's definition, an SNS topic's ARN in a rule's target) reach the resource whose
/// literal name they spell: a function is invoked, a topic or queue receives.
fn arns_by_name(resources: &[Resource<'_>], mapped: &BTreeMap<&str, &str>, edges: &mut Edges) {
    let mut named: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for r in resources
        .iter()
        .filter(|r| mapped.contains_key(r.id.as_str()))
    {
        let key = match r.resource_type.as_str() {
            "AWS::Lambda::Function" | "AWS::Serverless::Function" => ("function", "FunctionName"),
            "AWS::SNS::Topic" => ("sns", "TopicName"),
            "AWS::SQS::Queue" => ("sqs", "QueueName"),
            _ => continue,
        };
        if let Some(name) = r
            .properties
            .and_then(|p| p.get(key.1))
            .and_then(Node::as_str)
        {
            named.insert((key.0, name), r.id.as_str());
        }
    }
    if named.is_empty() {
        return;
    }
    for r in resources
        .iter()
        .filter(|r| mapped.contains_key(r.id.as_str()))
    {
        let mut found = Vec::new();
        if let Some(p) = r.properties {
            scalars(p, &mut found);
        }
        // A state machine's Lambda task may name its function by name alone
        // (`Parameters: {FunctionName: my-fn}`).
        if matches!(
            r.resource_type.as_str(),
            "AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine"
        ) {
            let mut names = Vec::new();
            if let Some(p) = r.properties {
                values_of_key(p, "FunctionName", &mut names);
            }
            for name in names {
                if let Some(&target) = named.get(&("function", name)) {
                    edges.add(&r.id, target, EdgeKind::Trigger);
                }
            }
        }
        for text in found {
            for (marker, kind, end) in [
                (":function:", "function", EdgeKind::Trigger),
                (":sns:", "sns", EdgeKind::Data),
                (":sqs:", "sqs", EdgeKind::Data),
            ] {
                for (at, _) in text.match_indices(marker) {
                    let rest = &text[at + marker.len()..];
                    // sns and sqs ARNs end region:account:name (the region and account often
                    // `${AWS::Region}`); a function ARN goes on with its name.
                    let tail = if kind == "function" {
                        rest
                    } else {
                        let arn: &str = rest
                            .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ','))
                            .next()
                            .unwrap_or_default();
                        arn.rsplit(':').next().unwrap_or_default()
                    };
                    let name: String = tail
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                        .collect();
                    if let Some(&target) = named.get(&(kind, name.as_str())) {
                        edges.add(&r.id, target, end);
                    }
                }
            }
        }
    }
}

/// The text values written under `key` anywhere below `node`.
fn values_of_key<'n>(node: &'n Node, key: &str, out: &mut Vec<&'n str>) {
    match &node.value {
        Value::Map(entries) => {
            for (k, v) in entries {
                match v.as_str().filter(|_| k.text == key && v.tag.is_none()) {
                    Some(text) => out.push(text),
                    None => values_of_key(v, key, out),
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|i| values_of_key(i, key, out)),
        Value::Scalar(_) => {}
    }
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

/// Resources that run the functions named at their paths as part of their own work, and who
/// that is: a macro's function runs on every template that uses it, an S3 Object Lambda
/// access point or a Transfer workflow runs its steps, a Greengrass core runs its functions on
/// its messages.
const RUN_BY: &[(&str, &[&str], &str)] = &[
    (
        "AWS::CloudFormation::Macro",
        &["FunctionName"],
        "cloudformation",
    ),
    (
        "AWS::S3ObjectLambda::AccessPoint",
        &["ObjectLambdaConfiguration"],
        "s3_object_lambda",
    ),
    (
        "AWS::Transfer::Workflow",
        &["Steps", "OnExceptionSteps"],
        "transfer_family",
    ),
    (
        "AWS::Greengrass::FunctionDefinition",
        &["InitialVersion.Functions.FunctionArn"],
        "iot_greengrass",
    ),
    (
        "AWS::Greengrass::FunctionDefinitionVersion",
        &["Functions.FunctionArn"],
        "iot_greengrass",
    ),
];

/// Functions invoked from outside what the design draws say by whom (`invoked_by`), so a
/// check does not call them idle: a function URL, CloudFormation itself (a custom resource's
/// `ServiceToken`), a principal granted `lambda:InvokeFunction` whose source is not drawn,
/// and a SAM event whose source is outside the template (an ARN, a parameter).
fn mark_invokers(
    resources: &[Resource<'_>],
    mapped: &BTreeMap<&str, &str>,
    outside_events: &BTreeMap<String, Vec<String>>,
    design: &mut Design,
) {
    let mut invoked: Vec<(String, String)> = Vec::new();
    for r in resources {
        let p = r.properties;
        let t = r.resource_type.as_str();
        if t == "AWS::Serverless::Function" {
            if p.and_then(|p| p.get("FunctionUrlConfig")).is_some() {
                invoked.push((r.id.clone(), "url".into()));
            }
            for event in outside_events.get(&r.id).into_iter().flatten() {
                invoked.push((r.id.clone(), event.clone()));
            }
        }
        let target = |at: &str| refs_at(p, at);
        match t {
            "AWS::Lambda::Url" => {
                for f in target("TargetFunctionArn") {
                    invoked.push((f, "url".into()));
                }
            }
            _ if t == "AWS::CloudFormation::CustomResource" || t.starts_with("Custom::") => {
                for f in target("ServiceToken") {
                    invoked.push((f, "cloudformation".into()));
                }
            }
            _ if let Some((_, paths, by)) = RUN_BY.iter().find(|(kind, ..)| *kind == t) => {
                for f in paths.iter().flat_map(|at| target(at)) {
                    invoked.push((f, (*by).into()));
                }
            }
            "AWS::Lambda::Permission" => {
                let principal = p
                    .and_then(|p| p.get("Principal"))
                    .and_then(Node::as_str)
                    .unwrap_or("a principal");
                let source_drawn = target("SourceArn")
                    .iter()
                    .any(|s| mapped.contains_key(s.as_str()));
                if !source_drawn {
                    for f in target("FunctionName") {
                        invoked.push((f, principal.to_string()));
                    }
                }
            }
            _ => {}
        }
    }
    let lambdas: BTreeSet<&str> = mapped
        .iter()
        .filter(|(_, s)| **s == "lambda")
        .map(|(id, _)| *id)
        .collect();
    let marks = invoked
        .into_iter()
        .filter(|(id, _)| lambdas.contains(id.as_str()))
        .map(|(id, by)| (id, "invoked_by", by))
        .collect();
    mark(design, marks);
}

/// Sets properties an import reads off the template on the nodes they belong to, the first
/// value of each kept.
fn mark(design: &mut Design, marks: Vec<(String, &str, String)>) {
    let at: BTreeMap<String, usize> = design
        .nodes()
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.to_string(), i))
        .collect();
    for (id, key, value) in marks {
        let Some(&i) = at.get(&id) else { continue };
        // Only a property the service declares: a nested stack's parameters name buckets
        // and functions too, which have no publishers.
        let declared = catalog()
            .service(&design.nodes()[i].service)
            .is_some_and(|s| s.prop(key).is_some());
        if declared && let Some(node) = design.node_at_mut(i) {
            node.props.entry(key.into()).or_insert(value);
        }
    }
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

/// A property's value as deployed: the text written, or the default of the parameter it
/// names; `None` for anything computed.
fn literal(node: &Node, defaults: &BTreeMap<String, String>) -> Option<String> {
    match intrinsic(node) {
        Some(("Ref", Value::Scalar(name))) => defaults.get(name).cloned(),
        Some(("Sub", Value::Scalar(text))) => Some(text.clone()),
        Some(_) => None,
        None => node.as_str().map(str::to_string),
    }
}

/// Every value below `node` as deployed (see [`literal`]).
fn collect_literals(node: &Node, defaults: &BTreeMap<String, String>, out: &mut Vec<String>) {
    if let Some(text) = literal(node, defaults) {
        out.push(text);
        return;
    }
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .for_each(|(_, v)| collect_literals(v, defaults, out)),
        Value::Seq(items) => items
            .iter()
            .for_each(|item| collect_literals(item, defaults, out)),
        Value::Scalar(_) => {}
    }
}

/// The registry an image name says it comes from.
fn registry_of(image: &str) -> &'static str {
    let host = image.split('/').next().unwrap_or_default();
    if image.contains(".dkr.ecr.") {
        "ecr"
    } else if image.starts_with("public.ecr.aws/") {
        "ecr_public"
    } else if !image.contains('/') || !(host.contains('.') || host.contains(':')) {
        // `nginx`, `httpd:2.4`, `library/redis`: Docker Hub.
        "docker_hub"
    } else {
        "other"
    }
}

/// Protocols whose subscribers are people or endpoints outside the template.
const OUTSIDE_SUBSCRIBERS: &[&str] = &["email", "email-json", "sms", "http", "https"];

/// Ends a template names by value rather than by a resource it draws: a record set's records
/// (`resolves_to`), the registry of a task's images (`image_registry`, read from the image
/// names of the task definition a service or cluster runs), the internet in front of a load
/// balancer (`scheme`) or a distribution (`viewers`), the people a topic mails (`subscribers`),
/// and a directory bucket, which has no versioning (`bucket_type`), so the checks do not call
/// them missing.
fn mark_outside_ends(
    resources: &[Resource<'_>],
    defaults: &BTreeMap<String, String>,
    design: &mut Design,
) {
    let by_id: BTreeMap<&str, &Resource<'_>> =
        resources.iter().map(|r| (r.id.as_str(), r)).collect();
    // An image names its registry; one built from the stack's own ECR repository, or with
    // an ECR host, is ECR; one given by a parameter without a default comes from a registry
    // the template does not say.
    let registry_of_task = |task: &str| -> Option<&'static str> {
        let t = by_id.get(task)?;
        let images = t.properties?.reach("ContainerDefinitions.Image");
        let image = images.first()?;
        let from_repository = references_of(image).iter().any(|r| {
            by_id
                .get(r.as_str())
                .is_some_and(|r| r.resource_type == "AWS::ECR::Repository")
        });
        let mut texts = Vec::new();
        scalars(image, &mut texts);
        if from_repository || texts.iter().any(|t| t.contains(".dkr.ecr.")) {
            return Some("ecr");
        }
        Some(literal(image, defaults).map_or("other", |i| registry_of(&i)))
    };
    let drawn: BTreeSet<String> = design.nodes().iter().map(|n| n.id.to_string()).collect();
    let mut marks: Vec<(String, &str, String)> = Vec::new();
    for r in resources {
        let p = r.properties;
        match r.resource_type.as_str() {
            "AWS::Route53::RecordSet"
                if p.is_some_and(|p| {
                    p.get("ResourceRecords").is_some() || p.get("AliasTarget").is_some()
                }) =>
            {
                marks.push((r.id.clone(), "resolves_to", "records".into()));
                // The zone holding a record resolves what the record resolves.
                for zone in refs_at(p, "HostedZoneId") {
                    marks.push((zone, "resolves_to", "records".into()));
                }
            }
            "AWS::Route53::RecordSetGroup" => {
                marks.push((r.id.clone(), "resolves_to", "records".into()));
                for zone in refs_at(p, "HostedZoneId") {
                    marks.push((zone, "resolves_to", "records".into()));
                }
            }
            // A model served from artifacts trained elsewhere.
            "AWS::SageMaker::Model" => {
                let mut artifacts = p
                    .map(|p| p.reach("PrimaryContainer.ModelDataUrl"))
                    .unwrap_or_default();
                artifacts.extend(
                    p.map(|p| p.reach("Containers.ModelDataUrl"))
                        .unwrap_or_default(),
                );
                if let Some(url) = artifacts.first() {
                    let url = literal(url, defaults).unwrap_or_else(|| "given".into());
                    marks.push((r.id.clone(), "model_data", url));
                }
            }
            // A cluster that logs to (or keeps its data in) a bucket named by URL.
            "AWS::EMR::Cluster" => {
                let mut values = p.map(|p| p.reach("LogUri")).unwrap_or_default();
                values.extend(p.map(|p| p.reach("Configurations")).unwrap_or_default());
                let mut found = Vec::new();
                for v in values {
                    collect_literals(v, defaults, &mut found);
                }
                if let Some(uri) = found.into_iter().find(|u| u.starts_with("s3://")) {
                    marks.push((r.id.clone(), "s3_uri", uri));
                }
            }
            // A load balancer is internet-facing unless its Scheme says internal.
            "AWS::ElasticLoadBalancingV2::LoadBalancer"
            | "AWS::ElasticLoadBalancing::LoadBalancer" => {
                let scheme = match p.and_then(|p| p.get("Scheme")) {
                    Some(s) => literal(s, defaults),
                    None => Some("internet-facing".into()),
                };
                if let Some(scheme) = scheme {
                    marks.push((r.id.clone(), "scheme", scheme));
                }
            }
            // A distribution serves whoever asks for its domain, from origins that may be
            // outside the template (a domain given by a parameter or written out).
            "AWS::CloudFront::Distribution" => {
                marks.push((r.id.clone(), "viewers", "internet".into()));
                let origins = p
                    .map(|p| p.reach("DistributionConfig.Origins.DomainName"))
                    .unwrap_or_default();
                let outside = origins.iter().any(|o| {
                    !references_of(o)
                        .iter()
                        .any(|r| by_id.contains_key(r.as_str()))
                });
                if outside {
                    marks.push((r.id.clone(), "origins", "outside".into()));
                }
            }
            "AWS::S3Express::DirectoryBucket" => {
                marks.push((r.id.clone(), "bucket_type", "directory".into()));
            }
            "AWS::SNS::Topic" => {
                for protocol in p
                    .map(|p| p.reach("Subscription.Protocol"))
                    .unwrap_or_default()
                {
                    if let Some(protocol) = literal(protocol, defaults)
                        && OUTSIDE_SUBSCRIBERS.contains(&protocol.to_ascii_lowercase().as_str())
                    {
                        marks.push((r.id.clone(), "subscribers", protocol));
                    }
                }
            }
            "AWS::SNS::Subscription" => {
                let protocol = p
                    .and_then(|p| p.get("Protocol"))
                    .and_then(|n| literal(n, defaults))
                    .unwrap_or_default();
                if OUTSIDE_SUBSCRIBERS.contains(&protocol.to_ascii_lowercase().as_str()) {
                    for topic in refs_at(p, "TopicArn") {
                        marks.push((topic, "subscribers", protocol.clone()));
                    }
                }
            }
            // A service's task names its images; the cluster it runs on pulls them too.
            "AWS::ECS::Service" => {
                let registry = refs_at(p, "TaskDefinition")
                    .iter()
                    .find_map(|t| registry_of_task(t));
                if let Some(registry) = registry {
                    marks.push((r.id.clone(), "image_registry", registry.into()));
                    for cluster in refs_at(p, "Cluster") {
                        marks.push((cluster, "image_registry", registry.into()));
                    }
                }
            }
            // A rule or schedule that runs a task on a cluster.
            "AWS::Events::Rule" | "AWS::Scheduler::Schedule" => {
                for target in p
                    .map(|p| {
                        let mut t = p.reach("Targets");
                        t.extend(p.reach("Target"));
                        t
                    })
                    .unwrap_or_default()
                    .into_iter()
                    .flat_map(Node::one_or_many)
                {
                    let task = refs_at(Some(target), "EcsParameters.TaskDefinitionArn");
                    if let Some(registry) = task.iter().find_map(|t| registry_of_task(t)) {
                        for cluster in refs_at(Some(target), "Arn") {
                            marks.push((cluster, "image_registry", registry.into()));
                        }
                    }
                    // A target the stack does not draw: a log group, another stack's topic
                    // (`Fn::ImportValue`), a bus in another region or account.
                    let drawn_target = refs_at(Some(target), "Arn")
                        .iter()
                        .any(|t| drawn.contains(t.as_str()));
                    if r.resource_type == "AWS::Events::Rule"
                        && target.get("Arn").is_some()
                        && !drawn_target
                    {
                        marks.push((r.id.clone(), "targets", "outside".into()));
                    }
                }
            }
            // A resource policy that lets a service or another account publish.
            "AWS::SNS::TopicPolicy" | "AWS::SQS::QueuePolicy" => {
                let (ends, action) = if r.resource_type == "AWS::SNS::TopicPolicy" {
                    ("Topics", "sns:publish")
                } else {
                    ("Queues", "sqs:sendmessage")
                };
                let statements = p
                    .map(|p| p.reach("PolicyDocument.Statement"))
                    .unwrap_or_default();
                let ends = refs_at(p, ends);
                for (end, who) in outside_publishers(&statements, action, &ends, &drawn) {
                    marks.push((end, "publishers", who));
                }
            }
            "AWS::Events::EventBusPolicy" => {
                let mut statements = p.map(|p| p.reach("Statement")).unwrap_or_default();
                statements.extend(p);
                let ends = refs_at(p, "EventBusName");
                for (end, who) in outside_publishers(&statements, "events:putevents", &ends, &drawn)
                {
                    marks.push((end, "publishers", who));
                }
            }
            // A resource handed to a nested stack or a stack set is fed from there, and one
            // handed to a custom resource from what its function sets up.
            "AWS::CloudFormation::Stack" | "AWS::CloudFormation::StackSet" => {
                for end in refs_at(p, "Parameters") {
                    marks.push((end, "publishers", "nested stack".into()));
                }
            }
            t if t == "AWS::CloudFormation::CustomResource" || t.starts_with("Custom::") => {
                for end in p.map(references_of).unwrap_or_default() {
                    marks.push((end, "publishers", "custom resource".into()));
                }
            }
            // Auto Scaling notifies a hook's target of a group the template does not draw.
            "AWS::AutoScaling::LifecycleHook" => {
                let group_drawn = refs_at(p, "AutoScalingGroupName")
                    .iter()
                    .any(|g| drawn.contains(g.as_str()));
                if !group_drawn {
                    for end in refs_at(p, "NotificationTargetARN") {
                        marks.push((end, "publishers", "ec2_auto_scaling".into()));
                    }
                }
            }
            // A state machine that runs a task on a cluster (`ecs:runTask.sync`).
            "AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine" => {
                let named = p.map(references_of).unwrap_or_default();
                let registry = named.iter().find_map(|t| {
                    by_id
                        .get(t.as_str())
                        .filter(|t| t.resource_type == "AWS::ECS::TaskDefinition")
                        .and_then(|t| registry_of_task(&t.id))
                });
                if let Some(registry) = registry {
                    for cluster in named.iter().filter(|c| {
                        by_id
                            .get(c.as_str())
                            .is_some_and(|c| c.resource_type == "AWS::ECS::Cluster")
                    }) {
                        marks.push((cluster.clone(), "image_registry", registry.into()));
                    }
                }
            }
            _ => {}
        }
    }
    mark(design, marks);
}

/// Who a resource policy lets publish from outside the design, for each of the policy's
/// `ends` (its queues, topics or bus) that a statement's `Resource` names, or all of them
/// when it names none: the services and other accounts its `Allow` statements grant
/// `action` (or a wildcard over it), unless the statement's condition names a source the
/// design draws.
fn outside_publishers(
    statements: &[&Node],
    action: &str,
    ends: &[String],
    drawn: &BTreeSet<String>,
) -> Vec<(String, String)> {
    let (service, _) = action.split_once(':').unwrap_or((action, ""));
    let mut who: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for statement in statements.iter().flat_map(|s| s.one_or_many()) {
        let effect = statement
            .get("Effect")
            .and_then(Node::as_str)
            .unwrap_or("Allow");
        if !effect.eq_ignore_ascii_case("allow") {
            continue;
        }
        let mut actions = Vec::new();
        if let Some(a) = statement.get("Action") {
            scalars(a, &mut actions);
        }
        let grants = actions.iter().any(|a| {
            let a = a.to_ascii_lowercase();
            a == action || a == "*" || a == format!("{service}:*")
        });
        let sourced = statement
            .get("Condition")
            .map(references_of)
            .unwrap_or_default()
            .iter()
            .any(|s| drawn.contains(s.as_str()));
        if !grants || sourced {
            continue;
        }
        let Some(principal) = statement.get("Principal") else {
            continue;
        };
        let mut names = Vec::new();
        let kinds: Vec<&Node> = match &principal.value {
            Value::Map(entries) => entries.iter().map(|(_, v)| v).collect(),
            _ => vec![principal],
        };
        for kind in kinds {
            let mut texts = Vec::new();
            scalars(kind, &mut texts);
            // The stack's own account sending is the demo's user, not a source outside.
            if !texts.iter().any(|t| t.contains("AWS::AccountId")) {
                names.extend(texts);
            }
        }
        let named: Vec<String> = statement
            .get("Resource")
            .map(references_of)
            .unwrap_or_default()
            .into_iter()
            .filter(|r| ends.contains(r))
            .collect();
        let covered = if named.is_empty() {
            ends.to_vec()
        } else {
            named
        };
        for end in covered {
            let list = who.entry(end).or_default();
            for name in &names {
                let short = name.trim_end_matches(".amazonaws.com").to_string();
                if !list.contains(&short) {
                    list.push(short);
                }
            }
        }
    }
    who.into_iter()
        .filter(|(_, names)| !names.is_empty())
        .map(|(end, names)| (end, names.join(", ")))
        .collect()
}

/// A DMS endpoint reads the store it names when it is a source and writes it when it is a
/// target, so data flows store > source endpoint > task > target endpoint > store.
fn dms_endpoints(resources: &[Resource<'_>], mapped: &BTreeMap<&str, &str>, edges: &mut Edges) {
    for r in resources
        .iter()
        .filter(|r| r.resource_type == "AWS::DMS::Endpoint")
    {
        let kind = r
            .properties
            .and_then(|p| p.get("EndpointType"))
            .and_then(Node::as_str)
            .map(str::to_ascii_lowercase);
        let source = match kind.as_deref() {
            Some("source") => true,
            Some("target") => false,
            _ => continue,
        };
        for store in r.properties.map(references_of).unwrap_or_default() {
            let Some(service) = mapped.get(store.as_str()) else {
                continue;
            };
            if !catalog().in_family(service, "data_stores") {
                continue;
            }
            if source {
                edges.add(&store, &r.id, EdgeKind::Data);
            } else {
                edges.add(&r.id, &store, EdgeKind::Data);
            }
        }
    }
}

/// A `Lambda::Permission` whose `SourceArn` names a drawn resource lets that resource invoke
/// the function: a trigger, unless something more telling (an API's integration, a bucket's
/// notification) already links the two.
fn permissions_as_triggers(
    resources: &[Resource<'_>],
    mapped: &BTreeMap<&str, &str>,
    edges: &mut Edges,
) {
    for r in resources
        .iter()
        .filter(|r| r.resource_type == "AWS::Lambda::Permission")
    {
        for source in refs_at(r.properties, "SourceArn") {
            for function in refs_at(r.properties, "FunctionName") {
                if mapped.contains_key(source.as_str()) && mapped.contains_key(function.as_str()) {
                    edges.add(&source, &function, EdgeKind::Trigger);
                }
            }
        }
    }
}

/// An API Gateway service integration (`arn:aws:apigateway:REGION:kinesis:action/PutRecord`)
/// often names its target only in the policy of the role it calls with: the API then sends to
/// (or, for a read, takes from) each resource of that service the role's policy names.
fn integrations_through_roles(
    resources: &[Resource<'_>],
    mapped: &BTreeMap<&str, &str>,
    edges: &mut Edges,
) {
    const SERVICES: &[(&str, &str)] = &[
        ("kinesis", "kinesis_data_streams"),
        ("firehose", "kinesis_firehose"),
        ("sqs", "sqs"),
        ("sns", "sns"),
        ("events", "eventbridge"),
        ("states", "step_functions"),
        ("dynamodb", "dynamodb"),
        ("s3", "s3"),
    ];
    let mut found: Vec<(String, String, bool)> = Vec::new();
    for r in resources.iter().filter(|r| {
        matches!(
            r.resource_type.as_str(),
            "AWS::ApiGateway::Method" | "AWS::ApiGatewayV2::Integration"
        )
    }) {
        let mut texts = Vec::new();
        for at in ["Integration.Uri", "IntegrationUri"] {
            for n in r.properties.map(|p| p.reach(at)).unwrap_or_default() {
                scalars(n, &mut texts);
            }
        }
        let service = texts.iter().find_map(|t| {
            let rest = t.split_once("apigateway:").map(|(_, r)| r).unwrap_or(t);
            SERVICES
                .iter()
                .find(|(segment, _)| {
                    rest.contains(&format!(":{segment}:"))
                        || rest.starts_with(&format!("{segment}:"))
                })
                .map(|(_, service)| *service)
        });
        let reads = integration_reads(r);
        let mut apis = refs_at(r.properties, "RestApiId");
        apis.extend(refs_at(r.properties, "ApiId"));
        // An HTTP API's first-class integration (`IntegrationSubtype: SQS-SendMessage`)
        // names its queue, stream, bus or state machine among its request parameters.
        if r.properties
            .and_then(|p| p.get("IntegrationSubtype"))
            .is_some()
        {
            for target in refs_at(r.properties, "RequestParameters") {
                let drawn = mapped.get(target.as_str());
                if drawn.is_some_and(|s| SERVICES.iter().any(|(_, t)| t == s)) {
                    for api in apis.iter().filter(|a| mapped.contains_key(a.as_str())) {
                        found.push((api.clone(), target.clone(), reads));
                    }
                }
            }
        }
        let Some(service) = service else { continue };
        let mut roles = refs_at(r.properties, "Integration.Credentials");
        roles.extend(refs_at(r.properties, "CredentialsArn"));
        for role in &roles {
            for e in &edges.list {
                let other = if e.from == role.as_str() {
                    e.to.as_str()
                } else if e.to == role.as_str() {
                    e.from.as_str()
                } else {
                    continue;
                };
                if mapped.get(other) == Some(&service) {
                    for api in apis.iter().filter(|a| mapped.contains_key(a.as_str())) {
                        found.push((api.clone(), other.to_string(), reads));
                    }
                }
            }
        }
    }
    found.extend(roles_for_api_gateway(resources, mapped, edges, SERVICES));
    for (api, target, reads) in found {
        if reads {
            edges.add(&target, &api, EdgeKind::Data);
        } else {
            edges.add(&api, &target, EdgeKind::Data);
        }
    }
}

/// Whether an API Gateway service integration reads from the service it calls (an SQS
/// `ReceiveMessage`, a Kinesis `GetRecords`, a DynamoDB `Query`), so data flows from the
/// service to the API rather than the other way.
/// A role that API Gateway assumes and that no integration in the template names is the
/// credentials of an integration written elsewhere (an OpenAPI file the template includes):
/// the API that names the role, or else the template's only API, sends to (or reads from)
/// what the role's policy grants, as its actions say.
fn roles_for_api_gateway(
    resources: &[Resource<'_>],
    mapped: &BTreeMap<&str, &str>,
    edges: &Edges,
    services: &[(&str, &str)],
) -> Vec<(String, String, bool)> {
    const WRITES: &[&str] = &[
        "SendMessage",
        "SendMessageBatch",
        "PutRecord",
        "PutRecords",
        "PutRecordBatch",
        "PutItem",
        "UpdateItem",
        "BatchWriteItem",
        "DeleteItem",
        "StartExecution",
        "StartSyncExecution",
        "PutEvents",
        "Publish",
        "PutObject",
    ];
    let claimed: BTreeSet<String> = resources
        .iter()
        .filter(|r| {
            matches!(
                r.resource_type.as_str(),
                "AWS::ApiGateway::Method" | "AWS::ApiGatewayV2::Integration"
            )
        })
        .flat_map(|r| r.properties.map(references_of).unwrap_or_default())
        .collect();
    let apis: Vec<&Resource<'_>> = resources
        .iter()
        .filter(|r| mapped.get(r.id.as_str()) == Some(&"api_gateway"))
        .collect();
    let mut found = Vec::new();
    for role in resources
        .iter()
        .filter(|r| r.resource_type == "AWS::IAM::Role" && mapped.contains_key(r.id.as_str()))
    {
        if claimed.contains(&role.id) {
            continue;
        }
        let mut principals = Vec::new();
        if let Some(trust) = role
            .properties
            .and_then(|p| p.get("AssumeRolePolicyDocument"))
        {
            scalars(trust, &mut principals);
        }
        if !principals
            .iter()
            .any(|p| p.contains("apigateway.amazonaws.com"))
        {
            continue;
        }
        let naming: Vec<&str> = apis
            .iter()
            .filter(|a| {
                a.properties
                    .map(references_of)
                    .unwrap_or_default()
                    .contains(&role.id)
            })
            .map(|a| a.id.as_str())
            .collect();
        let api = match (naming.as_slice(), apis.as_slice()) {
            ([one], _) => *one,
            ([], [only]) => only.id.as_str(),
            _ => continue,
        };
        let statements = role
            .properties
            .map(|p| p.reach("Policies.PolicyDocument.Statement"))
            .unwrap_or_default();
        for statement in statements.iter().flat_map(|s| s.one_or_many()) {
            let mut actions = Vec::new();
            if let Some(a) = statement.get("Action") {
                scalars(a, &mut actions);
            }
            let writes = actions.iter().any(|a| {
                let verb = a.rsplit(':').next().unwrap_or(a);
                verb == "*" || WRITES.contains(&verb)
            });
            for target in statement
                .get("Resource")
                .map(references_of)
                .unwrap_or_default()
            {
                let drawn = mapped.get(target.as_str());
                if drawn.is_some_and(|s| services.iter().any(|(_, t)| t == s))
                    && edges.linked(&role.id, &target)
                {
                    found.push((api.to_string(), target, !writes));
                }
            }
        }
    }
    found
}

fn integration_reads(r: &Resource<'_>) -> bool {
    const READS: &[&str] = &[
        "ReceiveMessage",
        "GetRecords",
        "GetShardIterator",
        "Query",
        "Scan",
        "GetItem",
        "BatchGetItem",
        "DescribeStream",
        "ListStreams",
    ];
    let Some(p) = r.properties else { return false };
    // `SQS-ReceiveMessage`, `Kinesis-PutRecord`: the verb after the service.
    if let Some(subtype) = p.get("IntegrationSubtype").and_then(Node::as_str) {
        let verb = subtype.split_once('-').map_or(subtype, |(_, v)| v);
        return READS.contains(&verb);
    }
    let mut texts = Vec::new();
    for at in [
        "Integration.Uri",
        "IntegrationUri",
        "Integration.RequestParameters",
    ] {
        for n in p.reach(at) {
            scalars(n, &mut texts);
        }
    }
    texts.iter().any(|t| {
        let action = t
            .rsplit_once(":action/")
            .map(|(_, a)| a)
            .or_else(|| t.rsplit_once("Action=").map(|(_, a)| a))
            .unwrap_or_default();
        let verb: String = action
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect();
        // A request parameter gives the action as a quoted literal: `'ReceiveMessage'`.
        READS.contains(&verb.as_str()) || READS.contains(&t.trim_matches(['\'', '"', ' ']))
    })
}

/// Every text written below a value.
fn scalars<'n>(node: &'n Node, out: &mut Vec<&'n str>) {
    match &node.value {
        Value::Scalar(s) => out.push(s),
        Value::Seq(items) => items.iter().for_each(|i| scalars(i, out)),
        Value::Map(entries) => entries.iter().for_each(|(_, v)| scalars(v, out)),
    }
}

/// The logical ids a value names.
pub(super) fn references_of(node: &Node) -> Vec<String> {
    let mut out = Vec::new();
    references(node, &mut out);
    out
}

/// SAM makes an IAM role for every function that names none. When the template draws roles of
/// its own, the design models IAM, so those made roles are drawn too: otherwise the function
/// would look like it runs without one.
fn sam_function_roles(
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
        let id = crate::model::unused_id(format!("{}Role", r.id), |c| design.has_id(c));
        let mut role = DesignNode::new(id.clone(), "iam_role", Pos::new(0.0, 0.0));
        role.label = format!("{id} (made by SAM)");
        design.push_built_node(role);
        edges.add(&r.id, &id, EdgeKind::AssumeRole);
        made += 1;
    }
    made
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
        let mut node = DesignNode::new(r.id.clone(), service, Pos::new(0.0, 0.0));
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
    let mut edges = Edges::default();
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
    // Events whose source the design does not draw, by function.
    let mut outside_events: BTreeMap<String, Vec<String>> = BTreeMap::new();
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
            for field in super::sam::event_sources(event_type) {
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
    arns_by_name(resources, &mapped, &mut edges);
    dms_endpoints(resources, &mapped, &mut edges);
    let made_roles = sam_function_roles(resources, &mapped, &mut design, &mut edges);
    mark_invokers(resources, &mapped, &outside_events, &mut design);
    mark_outside_ends(resources, defaults, &mut design);
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
    permissions_as_triggers(resources, &mapped, &mut edges);
    integrations_through_roles(resources, &mapped, &mut edges);
    for edge in edges.list {
        design.push_edge(edge);
    }
    for group in network::structure(resources, &design) {
        design.push_built_group(group);
    }

    let left_total: usize = left_out.values().sum();
    let mut report = format!(
        "{} resources as {} services, {} edges, {} groups",
        resources.len(),
        design.nodes().len() - kept - made_roles,
        design.edges().len(),
        design.groups().len()
    );
    if made_roles > 0 {
        report.push_str(&format!(
            "; drew the {made_roles} IAM roles SAM makes for functions without one"
        ));
    }
    if kept > 0 {
        report.push_str(&format!(
            "; kept {kept} unmapped resources as unknown services"
        ));
    }
    if left_total > 0 {
        let types: Vec<String> = left_out.iter().map(|(t, n)| format!("{t} ({n})")).collect();
        report.push_str(&format!(
            "; left out {left_total} resources of {} types: {}",
            left_out.len(),
            types.join(", ")
        ));
    }
    report.push('.');
    if design.nodes().is_empty() && design.groups().is_empty() {
        report.push_str(
            " Nothing here is drawable: every resource is configuration that archsketch folds into what it configures, and the template names nothing it configures.",
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
