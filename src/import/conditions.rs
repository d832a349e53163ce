//! A template as it deploys with its parameters' defaults: every `Fn::If` whose condition the
//! defaults decide is replaced by the branch CloudFormation would take, and a branch that is
//! `AWS::NoValue` removes its property. So `VersioningConfiguration: !If [HasVersioning,
//! {Status: Enabled}, !Ref AWS::NoValue]` with `Versioning` defaulting to `true` reads as a
//! versioned bucket. A resource whose `Condition` is false with the defaults is not deployed
//! and is left out (the report names it). A condition that depends on something unknown (a
//! parameter without a default, a pseudo parameter, an import) leaves its `Fn::If` as
//! written and its resource in.

use super::cfn::intrinsic;
use super::yaml::{Node, Value};
use std::collections::BTreeMap;

/// How deep conditions may name each other before the evaluation gives up (a circle).
const MAX_DEPTH: usize = 32;

/// What [`resolve`] made of a template.
pub struct Deployed {
    /// The template with its decidable `Fn::If`s taken.
    pub doc: Node,
    /// Resources left out, with the condition that is false: `(logical id, condition)`.
    pub left_out: Vec<(String, String)>,
}

/// The template with its decidable conditions applied, or `None` when none is decidable.
pub fn resolve(doc: &Node, defaults: &BTreeMap<String, String>) -> Option<Deployed> {
    let conditions = doc.get("Conditions")?;
    let known = Known {
        conditions,
        defaults,
    };
    let mut out = doc.clone();
    let mut changed = false;
    let mut left_out = Vec::new();
    if let Value::Map(entries) = &mut out.value {
        for (key, section) in entries.iter_mut() {
            if key.text == "Resources"
                && let Value::Map(resources) = &mut section.value
            {
                let off: Vec<(String, String)> = resources
                    .iter()
                    .filter_map(|(id, r)| {
                        let c = r.get("Condition").and_then(Node::as_str)?;
                        (known.condition(c, 0) == Some(false))
                            .then(|| (id.text.clone(), c.to_string()))
                    })
                    .collect();
                // A template none of whose resources deploy with the defaults (a legacy
                // stack kept for its parameters) is drawn whole rather than as nothing.
                if off.len() < resources.len() {
                    let gone: std::collections::BTreeSet<&str> =
                        off.iter().map(|(id, _)| id.as_str()).collect();
                    resources.retain(|(id, _)| !gone.contains(id.text.as_str()));
                    left_out = off;
                }
            }
            if matches!(key.text.as_str(), "Resources" | "Outputs") {
                changed |= take(section, &known);
            }
        }
    }
    (changed || !left_out.is_empty()).then_some(Deployed { doc: out, left_out })
}

struct Known<'a> {
    conditions: &'a Node,
    defaults: &'a BTreeMap<String, String>,
}

impl Known<'_> {
    /// A named condition's value with the defaults, if they decide it.
    fn condition(&self, name: &str, depth: usize) -> Option<bool> {
        self.truth(self.conditions.get(name)?, depth + 1)
    }

    fn truth(&self, node: &Node, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        let (name, arg) = intrinsic(node)?;
        let args: &[Node] = match arg {
            Value::Seq(items) => items,
            _ => &[],
        };
        match name {
            "Condition" => match arg {
                Value::Scalar(s) => self.condition(s, depth),
                _ => None,
            },
            "Equals" if args.len() == 2 => Some(self.text(&args[0])? == self.text(&args[1])?),
            "Not" if args.len() == 1 => self.truth(&args[0], depth + 1).map(|b| !b),
            "And" => args
                .iter()
                .try_fold(true, |all, a| Some(all & self.truth(a, depth + 1)?)),
            "Or" => args
                .iter()
                .try_fold(false, |any, a| Some(any | self.truth(a, depth + 1)?)),
            _ => None,
        }
    }

    /// A value's text as it deploys with the defaults.
    fn text(&self, node: &Node) -> Option<String> {
        match intrinsic(node) {
            Some(("Ref", Value::Scalar(name))) => self.defaults.get(name).cloned(),
            Some(_) => None,
            None => node.as_str().map(str::to_string),
        }
    }
}

/// What an `Fn::If` becomes: the branch taken, `None` for `AWS::NoValue`.
enum Taken {
    Branch(Node),
    NoValue,
}

fn decide(node: &Node, known: &Known<'_>) -> Option<Taken> {
    let ("If", Value::Seq(args)) = intrinsic(node)? else {
        return None;
    };
    if args.len() != 3 {
        return None;
    }
    let name = args[0].as_str()?;
    let branch = if known.condition(name, 0)? {
        &args[1]
    } else {
        &args[2]
    };
    Some(match intrinsic(branch) {
        Some(("Ref", Value::Scalar(s))) if s == "AWS::NoValue" => Taken::NoValue,
        _ => Taken::Branch(branch.clone()),
    })
}

/// Takes the decidable `Fn::If`s below `node`, which is itself not one; says whether any was.
fn take(node: &mut Node, known: &Known<'_>) -> bool {
    match &mut node.value {
        Value::Map(entries) => take_in(entries, |(_, v)| v, known),
        Value::Seq(items) => take_in(items, |item| item, known),
        Value::Scalar(_) => false,
    }
}

/// [`take`] over the values of a mapping or the items of a list: an `Fn::If` that is decided
/// becomes its branch (decided again, as it may be one itself), or goes for `AWS::NoValue`.
fn take_in<T>(values: &mut Vec<T>, node: impl Fn(&mut T) -> &mut Node, known: &Known<'_>) -> bool {
    let mut changed = false;
    let mut i = 0;
    while i < values.len() {
        match decide(node(&mut values[i]), known) {
            Some(Taken::NoValue) => {
                values.remove(i);
                changed = true;
            }
            Some(Taken::Branch(branch)) => {
                *node(&mut values[i]) = branch;
                changed = true;
            }
            None => {
                changed |= take(node(&mut values[i]), known);
                i += 1;
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::yaml;

    fn resolved(text: &str) -> Option<Node> {
        deployed(text).map(|d| d.doc)
    }

    fn deployed(text: &str) -> Option<Deployed> {
        let doc = yaml::parse(text).unwrap();
        let defaults: BTreeMap<String, String> = doc
            .get("Parameters")
            .map(|p| {
                p.entries()
                    .iter()
                    .filter_map(|(k, v)| {
                        Some((k.text.clone(), v.get("Default")?.as_str()?.to_string()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        resolve(&doc, &defaults)
    }

    const BUCKET: &str = "Parameters:\n  Versioning:\n    Type: String\n    Default: true\n  Other:\n    Type: String\nConditions:\n  HasVersioning: !Equals [!Ref Versioning, true]\n  Had: !And [!Not [!Condition HasVersioning], !Equals [!Ref Versioning, x]]\n  Unknown: !Equals [!Ref Other, x]\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration: !If [HasVersioning, {Status: Enabled}, !If [Had, {Status: Suspended}, !Ref AWS::NoValue]]\n      Tags: !If [Had, [a], !Ref AWS::NoValue]\n      Name: !If [Unknown, a, b]\n      Redrive: !If [Had, !Ref C, !Ref AWS::NoValue]\n  C:\n    Type: AWS::SQS::Queue\n    Condition: Had\n  D:\n    Type: AWS::SQS::Queue\n    Condition: Unknown\n";

    #[test]
    fn a_condition_the_defaults_decide_takes_its_branch() {
        let out = resolved(BUCKET).unwrap();
        let p = out.path("Resources.B.Properties").unwrap();
        assert_eq!(
            p.path("VersioningConfiguration.Status")
                .and_then(Node::as_str),
            Some("Enabled")
        );
        // `AWS::NoValue` removes the property.
        assert!(p.get("Tags").is_none());
        // A parameter without a default decides nothing.
        assert!(intrinsic(p.get("Name").unwrap()).is_some());
        // A resource not deployed with the defaults is left out, with the link to it.
        assert!(p.get("Redrive").is_none());
        let d = deployed(BUCKET).unwrap();
        assert_eq!(d.left_out, vec![("C".to_string(), "Had".to_string())]);
        // One whose condition is not decided stays.
        assert!(d.doc.path("Resources.D").is_some());
    }

    #[test]
    fn conditions_in_a_circle_decide_nothing() {
        let text = "Conditions:\n  A: !Condition B\n  B: !Condition A\nResources:\n  X:\n    Type: AWS::S3::Bucket\n    Properties:\n      N: !If [A, a, b]\n";
        assert!(resolved(text).is_none());
    }
}
