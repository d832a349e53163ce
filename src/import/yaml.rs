//! A YAML (and so JSON) document as a tree that keeps what CloudFormation needs and generic
//! YAML loaders drop: the tag of every node (`!Ref`, `!GetAtt`, ...) and where it starts, so
//! an import or a check can point at the template's own line and column.
//!
//! Built on `yaml-rust2`'s event parser, which reports tags and positions.

use crate::limits::{MAX_NESTING, MAX_YAML_VALUES};
use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::Marker;

pub use crate::imported::At;

/// One node of the document.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    /// The short tag without its `!` (`Ref`, `GetAtt`), if any; standard `!!` tags are dropped.
    pub tag: Option<String>,
    pub at: At,
}

/// What a node holds. Scalars stay text: templates compare them as text anyway.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A mapping key and where it stands (a resource's logical id is pointed at by its key).
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub text: String,
    pub at: At,
}

impl Node {
    /// The text of a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The entry `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.text == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The entries of a mapping (empty for anything else).
    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The items of a sequence (empty for anything else).
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    /// The items of a list, or the node itself when it is one value: what a template means by
    /// a property that takes one or many (`Statement`, `Targets`).
    pub fn one_or_many(&self) -> Vec<&Node> {
        match &self.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![self],
        }
    }

    /// A node at a dotted path of mapping keys (`VersioningConfiguration.Status`).
    pub fn path(&self, dotted: &str) -> Option<&Node> {
        dotted.split('.').try_fold(self, |node, key| node.get(key))
    }

    /// Every node at a dotted path, stepping into each item of a sequence met on the way
    /// (`Policies.SQSSendMessagePolicy` reaches into every policy of a SAM function's list).
    pub fn reach(&self, dotted: &str) -> Vec<&Node> {
        let mut here = vec![self];
        for key in dotted.split('.') {
            here = here
                .into_iter()
                .flat_map(|node| match &node.value {
                    Value::Seq(items) => items.iter().filter_map(|i| i.get(key)).collect(),
                    _ => node.get(key).into_iter().collect::<Vec<_>>(),
                })
                .collect();
        }
        here
    }
}

/// Why a text is not a YAML document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub at: At,
    pub message: String,
}

/// Parses the first document of `text`; when YAML rejects it, once more with flow
/// collections written the way CloudFormation accepts them and YAML or yaml-rust2 does not
/// (see [`super::lenient`]). The error reported is the first one, about the file as written.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    use super::lenient::{brace_flow_pairs, indent_flow_continuations};
    parse_strict(text).or_else(|first| {
        // A file over a limit is refused as it is: rewriting it would not bring it under.
        if first.message.contains(LIMIT_NOTE) {
            return Err(first);
        }
        let indented = indent_flow_continuations(text);
        let base = indented.as_deref().unwrap_or(text);
        let braced = brace_flow_pairs(base);
        [indented.as_deref(), braced.as_deref()]
            .into_iter()
            .flatten()
            .find_map(|fixed| parse_strict(fixed).ok())
            .ok_or(first)
    })
}

fn parse_strict(text: &str) -> Result<Node, SyntaxError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    // The events of the first document, taken one by one: the parser's own `load` recurses
    // once per level of nesting, which a deep enough file turns into a stack overflow.
    loop {
        let (event, mark) = parser.next_token().map_err(|e| SyntaxError {
            at: at(e.marker()),
            // The scanner's own bound on nested flow collections (`[[[...`) is this limit too.
            message: if e.info() == "recursion limit exceeded" {
                Limit::Nesting.message()
            } else {
                e.info().to_string()
            },
        })?;
        let end = matches!(event, Event::DocumentEnd | Event::StreamEnd);
        builder.on_event(event, mark);
        if end || builder.over.is_some() {
            break;
        }
    }
    // CloudFormation refuses a template that names a key twice (two resources with one
    // logical id among them); a YAML parser would keep one silently.
    if let Some((key, first, again)) = builder.duplicate {
        return Err(SyntaxError {
            at: again,
            message: format!(
                "the key {key:?} is written twice, at line {} and at line {}; CloudFormation refuses such a template",
                first.line, again.line
            ),
        });
    }
    if let Some((limit, at)) = builder.over {
        return Err(SyntaxError {
            at,
            message: limit.message(),
        });
    }
    builder.root.ok_or(SyntaxError {
        at: At { line: 1, column: 1 },
        message: "the file is empty".into(),
    })
}

/// The parser's 0-based column as the 1-based line and column people read.
fn at(mark: &Marker) -> At {
    At {
        line: mark.line(),
        column: mark.col() + 1,
    }
}

/// A container being filled: its node, its anchor id (0 for none) and, for a mapping, the
/// key waiting for its value.
struct Open {
    node: Node,
    anchor: usize,
    key: Option<Key>,
    /// A large mapping's keys and where each is first written, so a repeated key is found
    /// in constant time (a small mapping is searched as it is).
    seen: HashMap<String, At>,
}

/// Mappings with more keys than this look repeated keys up in [`Open::seen`].
const SCAN_KEYS: usize = 16;

#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    /// Each anchored node, with how many values it holds (what an alias to it adds).
    anchors: HashMap<usize, (Node, usize)>,
    root: Option<Node>,
    /// The first key a mapping names twice: its text and both places.
    duplicate: Option<(String, At, At)>,
    /// Values made so far, aliases expanded.
    values: usize,
    /// Containers opened past [`MAX_NESTING`], skipped until they close.
    skipped: usize,
    /// The first limit the document goes past, and where.
    over: Option<(Limit, At)>,
}

/// Words every limit's message holds, so [`parse`] knows not to retry.
const LIMIT_NOTE: &str = "archsketch reads at most";

/// A limit of [`crate::limits`] a YAML document can go past.
#[derive(Clone, Copy, Debug)]
enum Limit {
    Nesting,
    Values,
}

impl Limit {
    fn message(self) -> String {
        match self {
            Limit::Nesting => format!(
                "values nest more than {MAX_NESTING} levels deep here; {LIMIT_NOTE} {MAX_NESTING} (a limit against files made to exhaust it)"
            ),
            Limit::Values => format!(
                "the document holds more than {MAX_YAML_VALUES} values once its aliases (*name) are expanded; {LIMIT_NOTE} that many (a limit against alias bombs)"
            ),
        }
    }
}

/// How many values a node holds, itself included.
fn size(node: &Node) -> usize {
    1 + match &node.value {
        Value::Scalar(_) => 0,
        Value::Seq(items) => items.iter().map(size).sum(),
        Value::Map(entries) => entries.iter().map(|(_, v)| size(v)).sum(),
    }
}

fn short_tag(tag: Option<Tag>) -> Option<String> {
    let tag = tag?;
    (tag.handle == "!").then_some(tag.suffix)
}

impl Builder {
    fn push_value(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(open) => match (&mut open.node.value, open.key.take()) {
                (Value::Seq(items), _) => items.push(node),
                (Value::Map(entries), Some(key)) => {
                    if entries.len() == SCAN_KEYS {
                        for (k, _) in entries.iter().rev() {
                            open.seen.insert(k.text.clone(), k.at);
                        }
                    }
                    let first = if entries.len() < SCAN_KEYS {
                        entries
                            .iter()
                            .find(|(k, _)| k.text == key.text)
                            .map(|(k, _)| k.at)
                    } else {
                        match open.seen.entry(key.text.clone()) {
                            std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                            std::collections::hash_map::Entry::Vacant(e) => {
                                e.insert(key.at);
                                None
                            }
                        }
                    };
                    if self.duplicate.is_none()
                        && let Some(first) = first
                    {
                        self.duplicate = Some((key.text.clone(), first, key.at));
                    }
                    entries.push((key, node))
                }
                // A key: complex keys become their text, which templates never use.
                (Value::Map(_), None) => {
                    open.key = Some(Key {
                        text: node.as_str().unwrap_or_default().to_string(),
                        at: node.at,
                    });
                }
                (Value::Scalar(_), _) => {}
            },
        }
    }

    fn open(&mut self, value: Value, anchor: usize, tag: Option<Tag>, at: At) {
        self.stack.push(Open {
            node: Node {
                value,
                tag: short_tag(tag),
                at,
            },
            anchor,
            key: None,
            seen: HashMap::new(),
        });
    }
}

impl Builder {
    /// Notes the first limit gone past; from then on nothing more is built.
    fn exceed(&mut self, limit: Limit, at: At) {
        if self.over.is_none() {
            self.over = Some((limit, at));
        }
    }

    /// Counts `n` more values, and says whether they still fit.
    fn fits(&mut self, n: usize, at: At) -> bool {
        self.values = self.values.saturating_add(n);
        if self.values > MAX_YAML_VALUES {
            self.exceed(Limit::Values, at);
        }
        self.over.is_none()
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let at = at(&mark);
        match event {
            // Inside containers skipped for their depth, only their ends matter.
            Event::SequenceStart(..) | Event::MappingStart(..) if self.skipped > 0 => {
                self.skipped += 1;
            }
            Event::SequenceEnd | Event::MappingEnd if self.skipped > 0 => self.skipped -= 1,
            _ if self.skipped > 0 || self.over.is_some() => {}
            Event::Scalar(text, _, anchor, tag) => {
                if !self.fits(1, at) {
                    return;
                }
                let node = Node {
                    value: Value::Scalar(text),
                    tag: short_tag(tag),
                    at,
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, (node.clone(), 1));
                }
                self.push_value(node);
            }
            Event::Alias(anchor) => {
                let (node, n) = self.anchors.get(&anchor).cloned().unwrap_or((
                    Node {
                        value: Value::Scalar(String::new()),
                        tag: None,
                        at,
                    },
                    1,
                ));
                // An alias copies its anchor: counted before it is copied.
                if self.fits(n, at) {
                    self.push_value(node);
                }
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag)
                if self.stack.len() >= MAX_NESTING =>
            {
                let _ = (anchor, tag);
                self.exceed(Limit::Nesting, at);
                self.skipped = 1;
            }
            Event::SequenceStart(anchor, tag) if self.fits(1, at) => {
                self.open(Value::Seq(Vec::new()), anchor, tag, at);
            }
            Event::MappingStart(anchor, tag) if self.fits(1, at) => {
                self.open(Value::Map(Vec::new()), anchor, tag, at);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(Open { node, anchor, .. }) = self.stack.pop() else {
                    return;
                };
                if anchor > 0 {
                    let n = size(&node);
                    self.anchors.insert(anchor, (node.clone(), n));
                }
                self.push_value(node);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_tags_positions_anchors_and_reads_json() {
        let text = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      \
                    BucketName: !Sub '${AWS::StackName}-raw'\n      Tags: &t [a, b]\n      \
                    Other: *t\n";
        let doc = parse(text).unwrap();
        let name = doc.path("Resources.Bucket.Properties.BucketName").unwrap();
        assert_eq!(name.tag.as_deref(), Some("Sub"));
        assert_eq!(name.as_str(), Some("${AWS::StackName}-raw"));
        let resources = doc.get("Resources").unwrap().entries();
        assert_eq!(
            (resources[0].0.text.as_str(), resources[0].0.at.line),
            ("Bucket", 2)
        );
        let other = doc.path("Resources.Bucket.Properties.Other").unwrap();
        assert_eq!(other.items().len(), 2);
        let json = parse("{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}}}").unwrap();
        assert_eq!(
            json.path("Resources.Q.Type").and_then(Node::as_str),
            Some("AWS::SQS::Queue")
        );
    }

    #[test]
    fn a_syntax_error_says_where() {
        let err = parse("Resources:\n  A: [1, 2\n  B: x\n").unwrap_err();
        assert!(err.at.line >= 2, "{err:?}");
    }
}
