//! Where things are written in a design's text, found in one pass over it.
//!
//! Reports point every finding at a line and column; looking each one up by searching the
//! text again made `check` quadratic on big designs. [`Locations`] reads the text once, as RON
//! is read (strings, raw strings and nested comments skipped), and answers each lookup by a
//! hash or a binary search.

use std::collections::HashMap;

use crate::model::ElementRef;

/// The places of a design text's element definitions and edges, and where its lines start.
#[derive(Clone, Debug, Default)]
pub struct Locations {
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// Node or group id -> byte offset of its first `id: "..."` string.
    definitions: HashMap<String, usize>,
    /// Byte offset of each `Edge(`, in file order: an edge's index finds its place.
    edges: Vec<usize>,
    text_len: usize,
}

impl Locations {
    /// Reads `text` once. Text that is not valid RON still gives what could be found.
    pub fn of(text: &str) -> Self {
        let mut found = Locations {
            line_starts: std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
            text_len: text.len(),
            ..Locations::default()
        };
        let tokens = Tokens::new(text);
        // The two tokens before this one: `id` `:` makes a string a definition.
        let mut previous: Option<Token> = None;
        let mut before: Option<Token> = None;
        for token in tokens {
            match (&before, &previous, &token) {
                (Some(Token::Ident(_, "id")), Some(Token::Colon), Token::Str(at, value)) => {
                    found.definitions.entry(value.to_string()).or_insert(*at);
                }
                (_, Some(Token::Ident(at, "Edge")), Token::Open) => found.edges.push(*at),
                _ => {}
            }
            before = previous;
            previous = Some(token);
        }
        found
    }

    /// The first `format: N` outside strings and comments, read only as far as needed (the
    /// field opens every file archsketch writes).
    pub fn format_of(text: &str) -> Option<(usize, u32)> {
        let mut window: [Option<Token>; 2] = [None, None];
        for token in Tokens::new(text) {
            if let ([Some(Token::Ident(at, "format")), Some(Token::Colon)], Token::Number(v)) =
                (&window, &token)
                && let Ok(v) = v.parse()
            {
                return Some((*at, v));
            }
            window = [window[1].take(), Some(token)];
        }
        None
    }

    /// Byte offset of the `id: "..."` that defines a node or group.
    pub fn definition(&self, id: &str) -> Option<usize> {
        self.definitions.get(id).copied()
    }

    /// 1-based line and column of the line's first non-blank character where an element is
    /// written (its `Node(`, `Group(` or `Edge(` when that starts the line).
    pub fn element(&self, text: &str, element: &ElementRef) -> Option<(usize, usize)> {
        let offset = match element {
            ElementRef::Node(id) => self.definition(id.as_str())?,
            ElementRef::Group(id) => self.definition(id.as_str())?,
            // A design loaded from this text numbers its edges in the text's order.
            ElementRef::Edge(id) => *self.edges.get(id.0 as usize)?,
        };
        let line = self.line_index(offset);
        let line_start = self.line_starts[line];
        let start = text
            .get(line_start..offset)?
            .find(|c: char| !c.is_whitespace())
            .map_or(offset, |i| line_start + i);
        Some(self.line_col(text, start))
    }

    /// 1-based line and column of a byte offset (clamped to the text); the column counts
    /// characters, not bytes.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(self.text_len.min(text.len())));
        let line = self.line_index(offset);
        let start = self.line_starts[line].min(offset);
        (line + 1, text[start..offset].chars().count() + 1)
    }

    fn line_index(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }
}

pub(super) fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The RON tokens [`Locations`] cares about; everything else is skipped.
#[derive(Debug)]
enum Token<'a> {
    Ident(usize, &'a str),
    /// A string's offset (of its opening quote) and its raw content.
    Str(usize, &'a str),
    Number(&'a str),
    Colon,
    Open,
    Other,
}

struct Tokens<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Self {
        Tokens {
            text,
            bytes: text.as_bytes(),
            at: 0,
        }
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.at + ahead).copied().unwrap_or(0)
    }

    fn skip_block_comment(&mut self) {
        // RON block comments nest.
        let mut depth = 0usize;
        while self.at < self.bytes.len() {
            match (self.peek(0), self.peek(1)) {
                (b'/', b'*') => {
                    depth += 1;
                    self.at += 2;
                }
                (b'*', b'/') => {
                    depth = depth.saturating_sub(1);
                    self.at += 2;
                    if depth == 0 {
                        return;
                    }
                }
                _ => self.at += 1,
            }
        }
    }

    fn string(&mut self) -> Token<'a> {
        let start = self.at;
        self.at += 1;
        while self.at < self.bytes.len() {
            match self.bytes[self.at] {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Token::Str(start, &self.text[start + 1..self.at - 1]);
                }
                _ => self.at += 1,
            }
        }
        self.at = self.bytes.len();
        Token::Other
    }

    /// `r"..."`, `r#"..."#`: no escapes, ends at a quote followed by as many `#`.
    fn raw_string(&mut self) -> Token<'a> {
        let start = self.at;
        self.at += 1;
        let mut hashes = 0;
        while self.peek(0) == b'#' {
            hashes += 1;
            self.at += 1;
        }
        if self.peek(0) != b'"' {
            return Token::Other;
        }
        self.at += 1;
        let content = self.at;
        while self.at < self.bytes.len() {
            if self.bytes[self.at] == b'"'
                && (1..=hashes).all(|k| self.bytes.get(self.at + k) == Some(&b'#'))
            {
                let end = self.at;
                self.at += 1 + hashes;
                return Token::Str(start, &self.text[content..end]);
            }
            self.at += 1;
        }
        Token::Other
    }

    fn run(&mut self, part_of: impl Fn(u8) -> bool) -> &'a str {
        let start = self.at;
        while self.at < self.bytes.len() && part_of(self.bytes[self.at]) {
            self.at += 1;
        }
        &self.text[start..self.at]
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let c = *self.bytes.get(self.at)?;
            match c {
                b' ' | b'\t' | b'\r' | b'\n' => self.at += 1,
                b'/' if self.peek(1) == b'/' => {
                    self.run(|b| b != b'\n');
                }
                b'/' if self.peek(1) == b'*' => self.skip_block_comment(),
                b'"' => return Some(self.string()),
                b'r' if matches!(self.peek(1), b'"' | b'#') => return Some(self.raw_string()),
                b':' => {
                    self.at += 1;
                    return Some(Token::Colon);
                }
                b'(' => {
                    self.at += 1;
                    return Some(Token::Open);
                }
                b'0'..=b'9' => {
                    return Some(Token::Number(
                        self.run(|b| b.is_ascii_alphanumeric() || b == b'.'),
                    ));
                }
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    let at = self.at;
                    let word = self.run(|b| b.is_ascii_alphanumeric() || b == b'_');
                    return Some(Token::Ident(at, word));
                }
                _ => {
                    // Any other byte (punctuation, the rest of a UTF-8 character).
                    self.at += 1;
                    return Some(Token::Other);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::nid;

    #[test]
    fn strings_and_comments_hide_look_alikes() {
        let text = "// format: 9 Edge(\n/* id: \"c\" /* nested */ Edge( */\nDesign(\n  format: 1,\n  nodes: [\n    Node(id: \"a\", label: \"Edge( id: \\\"b\\\"\", service: \"s3\"),\n    Node(\n      id: \"b\", label: r#\"Edge(\"#),\n  ],\n  edges: [\n    Edge(from: \"a\", to: \"b\"),\n  ],\n)\n";
        let found = Locations::of(text);
        assert_eq!(Locations::format_of(text).map(|(_, v)| v), Some(1));
        assert_eq!(found.edges.len(), 1);
        assert_eq!(
            found.element(text, &ElementRef::Edge(crate::model::EdgeId(0))),
            Some((11, 5)),
            "the edge, not the label"
        );
        assert_eq!(
            found.element(text, &ElementRef::Node(nid("a"))),
            Some((6, 5))
        );
        // Where `id:` has its own line, that line is the place.
        assert_eq!(
            found.element(text, &ElementRef::Node(nid("b"))),
            Some((8, 7))
        );
        assert_eq!(found.definition("c"), None, "inside a comment");
        assert_eq!(
            found.element(text, &ElementRef::Edge(crate::model::EdgeId(1))),
            None
        );
    }

    #[test]
    fn columns_count_characters_and_offsets_are_clamped() {
        let text = "é\nxy";
        let found = Locations::of(text);
        assert_eq!(found.line_col(text, 0), (1, 1));
        assert_eq!(found.line_col(text, 1), (1, 1), "inside a character");
        assert_eq!(found.line_col(text, 2), (1, 2));
        assert_eq!(found.line_col(text, 4), (2, 2));
        assert_eq!(found.line_col(text, usize::MAX), (2, 3));
    }
}
