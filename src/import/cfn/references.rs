//! How a template names one resource from another: `Ref`, `Fn::GetAtt`, `Fn::Sub`'s
//! `${Name}`, and the literal values a property holds once parameters take their defaults.

use super::*;

/// An intrinsic function in either spelling, `!Name arg` or `{"Fn::Name": arg}` (`Ref`
/// has no `Fn::`): its name without the prefix, and its argument.
pub(in crate::import) fn intrinsic(node: &Node) -> Option<(&str, &Value)> {
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
pub(super) fn add_name(out: &mut Vec<String>, name: &str) {
    let name = name.split('.').next().unwrap_or(name);
    if !name.is_empty() && !name.starts_with("AWS::") && !out.iter().any(|n| n == name) {
        out.push(name.to_string());
    }
}

/// The `${Name}` and `${Name.Attribute}` references of a `Sub` string (not `${!Literal}`).
pub(super) fn add_sub_names(out: &mut Vec<String>, text: &str) {
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
pub(super) fn add_getatt(out: &mut Vec<String>, value: &Value) {
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
pub(super) fn references(node: &Node, out: &mut Vec<String>) {
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
pub(in crate::import) fn refs_at(node: Option<&Node>, dotted: &str) -> Vec<String> {
    let mut out = Vec::new();
    for n in node.map(|n| n.reach(dotted)).unwrap_or_default() {
        references(n, &mut out);
    }
    out
}

/// The logical ids a value names.
pub(in crate::import) fn references_of(node: &Node) -> Vec<String> {
    let mut out = Vec::new();
    references(node, &mut out);
    out
}

/// The text values written under `key` anywhere below `node`.
pub(super) fn values_of_key<'n>(node: &'n Node, key: &str, out: &mut Vec<&'n str>) {
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

/// Every text written below a value.
pub(super) fn scalars<'n>(node: &'n Node, out: &mut Vec<&'n str>) {
    match &node.value {
        Value::Scalar(s) => out.push(s),
        Value::Seq(items) => items.iter().for_each(|i| scalars(i, out)),
        Value::Map(entries) => entries.iter().for_each(|(_, v)| scalars(v, out)),
    }
}

/// A property's value as deployed: the text written, or the default of the parameter it
/// names; `None` for anything computed.
pub(super) fn literal(node: &Node, defaults: &BTreeMap<String, String>) -> Option<String> {
    match intrinsic(node) {
        Some(("Ref", Value::Scalar(name))) => defaults.get(name).cloned(),
        Some(("Sub", Value::Scalar(text))) => Some(text.clone()),
        Some(_) => None,
        None => node.as_str().map(str::to_string),
    }
}

/// Every value below `node` as deployed (see [`literal`]).
pub(super) fn collect_literals(
    node: &Node,
    defaults: &BTreeMap<String, String>,
    out: &mut Vec<String>,
) {
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
