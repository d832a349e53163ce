//! Names that stand for a resource. A Lambda version or alias is the function it publishes,
//! so CloudFront's Lambda@Edge association, a Greengrass subscription or an API integration
//! that names `MyFunctionVersion` reaches `MyFunction` (the version itself is folded: it is
//! plumbing), a function URL is its function, a listener its load balancer, and a REST API's VPC link is the load balancer behind it. And a parameter that gives one resource its name (`Name: !Ref StreamName`) is
//! that resource wherever else it is named: a producer's `STREAM: !Ref StreamName` variable
//! and its policy on `!Ref StreamName` reach the stream. [`resolve`] rewrites every such
//! reference into a reference to the resource before the import reads the links.

use super::cfn::{intrinsic, references_of};
use super::yaml::{Node, Value};
use std::collections::BTreeMap;

/// Types that stand for the resource their property names.
const STAND_INS: [(&str, &str); 5] = [
    ("AWS::Lambda::Version", "FunctionName"),
    ("AWS::Lambda::Alias", "FunctionName"),
    // A function URL is its function (a distribution's origin, a webhook's target).
    ("AWS::Lambda::Url", "TargetFunctionArn"),
    // A REST API's VPC link reaches the one network load balancer it targets.
    ("AWS::ApiGateway::VpcLink", "TargetArns"),
    // An HTTP API's VPC link integration names a listener: its load balancer takes the traffic.
    ("AWS::ElasticLoadBalancingV2::Listener", "LoadBalancerArn"),
];

/// The template with references to stand-ins made to what they stand for, or `None` when it
/// has no stand-in for a resource of its own.
pub fn resolve(doc: &Node) -> Option<Node> {
    let resources = doc.get("Resources")?;
    let mut stands_for: BTreeMap<String, String> = BTreeMap::new();
    for (key, resource) in resources.entries() {
        let t = resource
            .get("Type")
            .and_then(Node::as_str)
            .unwrap_or_default();
        let Some((_, at)) = STAND_INS.iter().find(|(kind, _)| *kind == t) else {
            continue;
        };
        let target = resource
            .get("Properties")
            .and_then(|p| p.get(at))
            .and_then(|n| match &n.value {
                Value::Seq(items) if items.len() == 1 => named(&items[0]),
                _ => named(n),
            });
        if let Some(target) = target.filter(|id| resources.get(id).is_some()) {
            stands_for.insert(key.text.clone(), target);
        }
    }
    let owners = named_by_parameter(doc, resources);
    if stands_for.is_empty() && owners.is_empty() {
        return None;
    }
    // An alias may name a version: follow the chain to the end (never round a circle).
    let ends: BTreeMap<String, String> = stands_for
        .keys()
        .map(|id| {
            let mut end = id.clone();
            for _ in 0..stands_for.len() {
                match stands_for.get(&end) {
                    Some(next) => end = next.clone(),
                    None => break,
                }
            }
            (id.clone(), end)
        })
        .chain(owners.iter().map(|(p, id)| (p.clone(), id.clone())))
        .collect();
    let mut out = doc.clone();
    if let Value::Map(entries) = &mut out.value {
        for (key, section) in entries.iter_mut() {
            if key.text != "Resources" {
                continue;
            }
            if let Value::Map(resources) = &mut section.value {
                for (id, resource) in resources.iter_mut() {
                    // A stand-in keeps naming its own function.
                    if stands_for.contains_key(&id.text) {
                        continue;
                    }
                    // A resource keeps the parameter that names it.
                    if owners.values().any(|owner| *owner == id.text) {
                        let mut others = ends.clone();
                        others.retain(|p, _| owners.get(p) != Some(&id.text));
                        rewrite(resource, &others);
                    } else {
                        rewrite(resource, &ends);
                    }
                }
            }
        }
    }
    Some(out)
}

/// The property that gives a resource of each type its name.
const NAME_PROPERTIES: [(&str, &str); 11] = [
    ("AWS::Kinesis::Stream", "Name"),
    ("AWS::KinesisFirehose::DeliveryStream", "DeliveryStreamName"),
    ("AWS::SQS::Queue", "QueueName"),
    ("AWS::SNS::Topic", "TopicName"),
    ("AWS::DynamoDB::Table", "TableName"),
    ("AWS::Serverless::SimpleTable", "TableName"),
    ("AWS::S3::Bucket", "BucketName"),
    ("AWS::Lambda::Function", "FunctionName"),
    ("AWS::Serverless::Function", "FunctionName"),
    ("AWS::StepFunctions::StateMachine", "StateMachineName"),
    ("AWS::Events::EventBus", "Name"),
];

/// Parameters that name exactly one resource (`Name: !Ref StreamName`), with that resource.
fn named_by_parameter(doc: &Node, resources: &Node) -> BTreeMap<String, String> {
    let Some(parameters) = doc.get("Parameters") else {
        return BTreeMap::new();
    };
    let mut named: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, resource) in resources.entries() {
        let t = resource
            .get("Type")
            .and_then(Node::as_str)
            .unwrap_or_default();
        let Some((_, at)) = NAME_PROPERTIES.iter().find(|(kind, _)| *kind == t) else {
            continue;
        };
        let name = resource.get("Properties").and_then(|p| p.get(at));
        if let Some(("Ref", Value::Scalar(p))) = name.and_then(intrinsic)
            && parameters.get(p).is_some()
        {
            named.entry(p.clone()).or_default().push(key.text.clone());
        }
    }
    named
        .into_iter()
        .filter(|(_, ids)| ids.len() == 1)
        .map(|(p, mut ids)| (p, ids.remove(0)))
        .collect()
}

/// The logical id a `Ref` or `GetAtt` names.
fn named(node: &Node) -> Option<String> {
    matches!(intrinsic(node), Some(("Ref" | "GetAtt", _)))
        .then(|| references_of(node).into_iter().next())
        .flatten()
}

fn rewrite(node: &mut Node, ends: &BTreeMap<String, String>) {
    let is_tagged = node.tag.is_some();
    let function = intrinsic(node).map(|(name, _)| name.to_string());
    match function.as_deref() {
        Some("Ref") | Some("GetAtt") | Some("Sub") => {
            let arg = if is_tagged {
                &mut node.value
            } else {
                match &mut node.value {
                    Value::Map(entries) => &mut entries[0].1.value,
                    _ => return,
                }
            };
            rename(arg, function.as_deref() == Some("Sub"), ends);
        }
        _ => {}
    }
    match &mut node.value {
        Value::Map(entries) => entries.iter_mut().for_each(|(_, v)| rewrite(v, ends)),
        Value::Seq(items) => items.iter_mut().for_each(|item| rewrite(item, ends)),
        Value::Scalar(_) => {}
    }
}

/// Renames the logical id at the head of a `Ref`/`GetAtt` argument, or inside a `Sub` string.
fn rename(arg: &mut Value, sub: bool, ends: &BTreeMap<String, String>) {
    let text = match arg {
        Value::Scalar(s) => s,
        Value::Seq(items) => match items.first_mut().map(|n| &mut n.value) {
            Some(Value::Scalar(s)) => s,
            _ => return,
        },
        Value::Map(_) => return,
    };
    if sub {
        *text = rename_in_sub(text, ends);
        return;
    }
    let (head, tail) = match text.find('.') {
        Some(dot) => (&text[..dot], &text[dot..]),
        None => (text.as_str(), ""),
    };
    if let Some(end) = ends.get(head) {
        *text = format!("{end}{tail}");
    }
}

fn rename_in_sub(text: &str, ends: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start + 2]);
        let after = &rest[start + 2..];
        let Some(close) = after.find('}') else {
            rest = after;
            break;
        };
        let name = &after[..close];
        let (head, tail) = match name.find('.') {
            Some(dot) => (&name[..dot], &name[dot..]),
            None => (name, ""),
        };
        match ends.get(head) {
            Some(end) => out.push_str(&format!("{end}{tail}")),
            None => out.push_str(name),
        }
        out.push('}');
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::yaml;

    #[test]
    fn a_version_and_an_alias_are_read_as_their_function() {
        let doc = yaml::parse(
            "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n  Ver:\n    Type: AWS::Lambda::Version\n    Properties:\n      FunctionName: !Ref Fn\n  Live:\n    Type: AWS::Lambda::Alias\n    Properties:\n      FunctionName: !Ref Ver\n  Dist:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n      A: !Ref Ver\n      B: !GetAtt Live.Arn\n      C: !Sub '${Ver}:x:${Other}'\n",
        )
        .unwrap();
        let out = resolve(&doc).unwrap();
        let dist = out.get("Resources").unwrap().get("Dist").unwrap();
        let p = dist.get("Properties").unwrap();
        assert_eq!(named(p.get("A").unwrap()).as_deref(), Some("Fn"));
        assert_eq!(named(p.get("B").unwrap()).as_deref(), Some("Fn"));
        assert_eq!(p.get("C").unwrap().as_str(), Some("${Fn}:x:${Other}"));
        // The version still names its function.
        let ver = out.get("Resources").unwrap().get("Ver").unwrap();
        let f = ver.get("Properties").unwrap().get("FunctionName").unwrap();
        assert_eq!(named(f).as_deref(), Some("Fn"));
    }

    #[test]
    fn a_parameter_that_names_one_resource_is_that_resource_elsewhere() {
        let doc = yaml::parse(
            "Parameters:\n  StreamName:\n    Type: String\n  Shared:\n    Type: String\nResources:\n  Stream:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      Name: !Ref StreamName\n  Q1:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref Shared\n  Q2:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref Shared\n  Producer:\n    Type: AWS::Lambda::Function\n    Properties:\n      S: !Ref StreamName\n      Q: !Ref Shared\n",
        )
        .unwrap();
        let out = resolve(&doc).unwrap();
        let r = out.get("Resources").unwrap();
        let p = r.path("Producer.Properties").unwrap();
        assert_eq!(named(p.get("S").unwrap()).as_deref(), Some("Stream"));
        // A parameter naming two resources names neither.
        assert_eq!(named(p.get("Q").unwrap()).as_deref(), Some("Shared"));
        // The stream keeps its parameter.
        let own = r.path("Stream.Properties.Name").unwrap();
        assert_eq!(named(own).as_deref(), Some("StreamName"));
    }

    #[test]
    fn a_template_without_stand_ins_is_left_alone() {
        let doc = yaml::parse("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n").unwrap();
        assert!(resolve(&doc).is_none());
    }
}
