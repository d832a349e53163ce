//! `Fn::ForEach` loops of CloudFormation's language extensions, expanded as CloudFormation
//! expands them before it deploys: each value of the collection gives a copy of the loop's
//! resources, the identifier replaced in their keys (`${Name}`, `&{Name}`), their strings and
//! `Ref`s. A collection that is a literal list, or a parameter with a default, is known; over
//! a parameter without one, the loop's resources are drawn once and said to be repeated.

use std::collections::BTreeMap;

use super::yaml::{Key, Node, Value};

/// What the expansion did, for the report.
#[derive(Debug, Default)]
pub struct Expanded {
    /// Logical id of a resource drawn once for a loop whose collection is not known -> the
    /// parameter it runs over.
    pub repeated: BTreeMap<String, String>,
    /// How many loops were expanded.
    pub loops: usize,
}

/// The most copies one template's loops may make: a loop over a huge default list stops here.
const MAX_COPIES: usize = 10_000;

/// The document with the loops of its `Resources` expanded; `None` when it has none.
pub fn expand(doc: &Node) -> Option<(Node, Expanded)> {
    let resources = doc.get("Resources")?;
    let Value::Map(entries) = &resources.value else {
        return None;
    };
    if !entries
        .iter()
        .any(|(k, _)| k.text.starts_with("Fn::ForEach"))
    {
        return None;
    }
    let mut out = Expanded::default();
    let mut copies = 0usize;
    let mut expanded: Vec<(Key, Node)> = Vec::new();
    for (key, body) in entries {
        if !key.text.starts_with("Fn::ForEach") {
            expanded.push((key.clone(), body.clone()));
            continue;
        }
        let Some((ident, collection, template)) = parts(body) else {
            // Not a loop CloudFormation could read: kept, and reported as left out.
            expanded.push((key.clone(), body.clone()));
            continue;
        };
        out.loops += 1;
        let values = match values_of(collection, doc) {
            Ok(values) => values,
            Err(parameter) => {
                // Drawn once, with the identifier standing for every value.
                for (k, b) in entries_of(template) {
                    let id = substitute_text(&k.text, ident, ident);
                    out.repeated.insert(id.clone(), parameter.clone());
                    expanded.push((Key { text: id, at: k.at }, b.clone()));
                }
                continue;
            }
        };
        for value in values {
            for (k, b) in entries_of(template) {
                if copies >= MAX_COPIES {
                    break;
                }
                copies += 1;
                let text = substitute_text(&k.text, ident, &value);
                expanded.push((Key { text, at: k.at }, substitute(b, ident, &value)));
            }
        }
    }
    let mut doc = doc.clone();
    if let Value::Map(top) = &mut doc.value
        && let Some((_, section)) = top.iter_mut().find(|(k, _)| k.text == "Resources")
    {
        section.value = Value::Map(expanded);
    }
    Some((doc, out))
}

/// A loop's identifier, collection and output template.
fn parts(body: &Node) -> Option<(&str, &Node, &Node)> {
    let items = body.items();
    let [ident, collection, template] = items else {
        return None;
    };
    Some((ident.as_str()?, collection, template))
}

fn entries_of(node: &Node) -> &[(Key, Node)] {
    node.entries()
}

/// The values a collection holds, or the parameter it runs over when that has no default.
fn values_of(collection: &Node, doc: &Node) -> Result<Vec<String>, String> {
    if let Value::Seq(items) = &collection.value
        && collection.tag.is_none()
    {
        return Ok(items
            .iter()
            .filter_map(Node::as_str)
            .map(str::to_string)
            .collect());
    }
    let parameter = match (&collection.tag, &collection.value) {
        (Some(tag), Value::Scalar(name)) if tag == "Ref" => name.clone(),
        (None, Value::Map(_)) => match collection.get("Ref").and_then(Node::as_str) {
            Some(name) => name.to_string(),
            None => return Err("a value archsketch cannot work out".into()),
        },
        _ => return Err("a value archsketch cannot work out".into()),
    };
    let default = doc
        .get("Parameters")
        .and_then(|p| p.get(&parameter))
        .and_then(|p| p.get("Default"));
    match default.map(|d| &d.value) {
        Some(Value::Scalar(list)) => Ok(list
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect()),
        Some(Value::Seq(items)) => Ok(items
            .iter()
            .filter_map(Node::as_str)
            .map(str::to_string)
            .collect()),
        _ => Err(parameter),
    }
}

/// `${Name}` and `&{Name}` (the value with only its letters and digits) replaced in a text.
fn substitute_text(text: &str, ident: &str, value: &str) -> String {
    let alnum: String = value.chars().filter(char::is_ascii_alphanumeric).collect();
    text.replace(&format!("${{{ident}}}"), value)
        .replace(&format!("&{{{ident}}}"), &alnum)
}

/// A copy of a node with the identifier replaced: in every text, and a `Ref` to it by its value.
fn substitute(node: &Node, ident: &str, value: &str) -> Node {
    let is_ref = |n: &Node| match (&n.tag, &n.value) {
        (Some(tag), Value::Scalar(name)) => tag == "Ref" && name == ident,
        (None, Value::Map(entries)) => {
            entries.len() == 1 && entries[0].0.text == "Ref" && entries[0].1.as_str() == Some(ident)
        }
        _ => false,
    };
    if is_ref(node) {
        return Node {
            value: Value::Scalar(value.to_string()),
            tag: None,
            at: node.at,
        };
    }
    let value_of = match &node.value {
        Value::Scalar(text) => Value::Scalar(substitute_text(text, ident, value)),
        Value::Seq(items) => {
            Value::Seq(items.iter().map(|n| substitute(n, ident, value)).collect())
        }
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, n)| {
                    (
                        Key {
                            text: substitute_text(&k.text, ident, value),
                            at: k.at,
                        },
                        substitute(n, ident, value),
                    )
                })
                .collect(),
        ),
    };
    Node {
        value: value_of,
        tag: node.tag.clone(),
        at: node.at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::yaml::parse;

    #[test]
    fn a_loop_over_a_list_or_a_default_is_expanded_and_over_a_bare_parameter_kept_once() {
        let text = "Parameters:\n  Envs:\n    Type: CommaDelimitedList\n    Default: dev,prod\n  Names:\n    Type: CommaDelimitedList\nResources:\n  Fn::ForEach::Topics:\n    - Topic\n    - [Success, Fail-ure]\n    - 'Sns${Topic}':\n        Type: AWS::SNS::Topic\n        Properties:\n          TopicName: !Ref Topic\n  Fn::ForEach::Buckets:\n    - Env\n    - !Ref Envs\n    - 'Bucket&{Env}':\n        Type: AWS::S3::Bucket\n  Fn::ForEach::Queues:\n    - Name\n    - !Ref Names\n    - 'Queue${Name}':\n        Type: AWS::SQS::Queue\n";
        let doc = parse(text).unwrap();
        let (doc, done) = expand(&doc).unwrap();
        let keys: Vec<&str> = doc
            .get("Resources")
            .unwrap()
            .entries()
            .iter()
            .map(|(k, _)| k.text.as_str())
            .collect();
        assert_eq!(
            keys,
            [
                "SnsSuccess",
                "SnsFail-ure",
                "Bucketdev",
                "Bucketprod",
                "QueueName"
            ]
        );
        let name = doc
            .get("Resources")
            .and_then(|r| r.get("SnsSuccess"))
            .and_then(|r| r.path("Properties.TopicName"))
            .and_then(Node::as_str);
        assert_eq!(name, Some("Success"));
        assert_eq!(done.loops, 3);
        assert_eq!(
            done.repeated.get("QueueName").map(String::as_str),
            Some("Names")
        );
    }
}
