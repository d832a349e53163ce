//! CloudFormation reads some templates that YAML itself rejects: a flow collection (`[...]`,
//! `{...}`) whose continuation lines are indented no deeper than the key that holds it, as in
//!
//! ```yaml
//!       Schema: {"type": "object",
//!       "title": "Stats"}
//! ```
//!
//! YAML requires those lines to be indented more than the key; CloudFormation's parser does
//! not. And a bare `key: value` pair inside a flow sequence whose value is a flow collection
//! (`!Sub [x, ID: !Select [2, y]]`) is YAML that yaml-rust2 cannot read. When a template fails
//! to parse, those lines are indented past their key, those pairs put in braces, and the parse
//! is tried once more. Only text inside flow collections changes, so every resource's logical
//! id keeps its line and column.

/// A character that shapes flow collections, found outside quotes, comments and block
/// scalars.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mark {
    /// `[` or `{`.
    Open(char),
    /// `]` or `}`.
    Close,
    /// `,` between entries.
    Comma,
    /// `:` ending a key inside a flow collection.
    Colon,
}

/// The marks of `text` by byte offset: one walk that knows YAML's quotes (which open only
/// where a scalar starts), comments and block scalars (`|`, `>`), so both fixes below read
/// the same structure.
fn marks(text: &str) -> Vec<(usize, Mark)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    // A block scalar under way: lines indented deeper than its key are its text.
    let mut block_scalar: Option<usize> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let indent = line.len() - line.trim_start_matches(' ').len();
        if quote.is_none()
            && let Some(key_indent) = block_scalar
        {
            if line.trim().is_empty() || indent > key_indent {
                continue;
            }
            block_scalar = None;
        }
        let mut previous = ' ';
        let mut last_token = String::new();
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            match quote {
                Some('\'') if c == '\'' && next == Some('\'') => {
                    chars.next();
                }
                Some('"') if c == '\\' => {
                    chars.next();
                }
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => {
                    let scalar_starts = previous.is_whitespace() || "[{,".contains(previous);
                    let mark = match c {
                        '#' if previous.is_whitespace() => break,
                        '\'' | '"' if scalar_starts => {
                            quote = Some(c);
                            None
                        }
                        // Outside a flow collection a bracket opens one only where a value
                        // starts; inside one, brackets and commas are always structure.
                        '[' | '{' if depth > 0 || scalar_starts => Some(Mark::Open(c)),
                        ']' | '}' if depth > 0 => Some(Mark::Close),
                        ',' if depth > 0 => Some(Mark::Comma),
                        ':' if depth > 0 && next.is_none_or(char::is_whitespace) => {
                            Some(Mark::Colon)
                        }
                        _ => None,
                    };
                    match mark {
                        Some(Mark::Open(_)) => depth += 1,
                        Some(Mark::Close) => depth -= 1,
                        _ => {}
                    }
                    out.extend(mark.map(|m| (start + i, m)));
                    if !c.is_whitespace() {
                        if previous.is_whitespace() {
                            last_token.clear();
                        }
                        last_token.push(c);
                    }
                }
            }
            previous = c;
        }
        let indicator = last_token
            .trim_end_matches(['-', '+', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
        if quote.is_none() && depth == 0 && (indicator == "|" || indicator == ">") {
            block_scalar = Some(indent);
        }
    }
    out
}

/// `text` with each line that continues a flow collection indented deeper than the line
/// that opened it, or `None` when no line needs it or when the indenting would add more
/// than four times the text (at least 1 MiB): a collection opened far to the right with many
/// lines under it would otherwise grow lines x indentation (a 1.3 MB file into gigabytes).
pub fn indent_flow_continuations(text: &str) -> Option<String> {
    let mut budget = text.len().saturating_mul(4).max(1 << 20);
    let marks = marks(text);
    let mut next = 0;
    let mut out = String::with_capacity(text.len() + 64);
    let mut depth = 0usize;
    // Indentation of the line where the outermost open flow collection started.
    let mut opened_at = 0usize;
    let mut changed = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        offset += line.len();
        let indent = line.len() - line.trim_start_matches(' ').len();
        if depth > 0 && !line.trim().is_empty() && indent <= opened_at {
            let pad = opened_at + 2 - indent;
            budget = budget.checked_sub(pad)?;
            out.extend(std::iter::repeat_n(' ', pad));
            changed = true;
        }
        let start_depth = depth;
        while let Some(&(at, mark)) = marks.get(next)
            && at < offset
        {
            match mark {
                Mark::Open(_) => depth += 1,
                Mark::Close => depth = depth.saturating_sub(1),
                _ => {}
            }
            next += 1;
        }
        if start_depth == 0 && depth > 0 {
            opened_at = indent;
        }
        out.push_str(line);
    }
    changed.then_some(out)
}

/// `text` with each single-pair mapping written bare inside a flow sequence
/// (`[x, ID: !Select [2, y]]`) wrapped in braces (`[x, {ID: !Select [2, y]}]`), as YAML allows
/// both and yaml-rust2 reads only the second when the value is itself a flow collection;
/// `None` when there is none. Brackets and colons inside quotes and comments are left alone.
pub fn brace_flow_pairs(text: &str) -> Option<String> {
    /// One open flow collection: a sequence or not, where its current entry starts, and
    /// where the entry's key starts when the entry is a bare pair.
    struct Open {
        sequence: bool,
        entry: usize,
        pair: Option<usize>,
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut inserts: Vec<(usize, char)> = Vec::new();
    for (at, mark) in marks(text) {
        match mark {
            Mark::Open(c) => stack.push(Open {
                sequence: c == '[',
                entry: at + 1,
                pair: None,
            }),
            Mark::Comma | Mark::Close => {
                if let Some(start) = stack.last().and_then(|o| o.pair) {
                    inserts.push((start, '{'));
                    inserts.push((at, '}'));
                }
                if mark == Mark::Close {
                    stack.pop();
                } else if let Some(open) = stack.last_mut() {
                    (open.entry, open.pair) = (at + 1, None);
                }
            }
            Mark::Colon => {
                if let Some(open) = stack.last_mut()
                    && open.sequence
                    && open.pair.is_none()
                {
                    let entry = &text[open.entry..at];
                    let key = entry.trim();
                    let plain = !key.is_empty()
                        && !key.contains(['[', ']', '{', '}', '"', '\'', '!', '&', '*']);
                    if plain {
                        open.pair = Some(open.entry + entry.len() - entry.trim_start().len());
                    }
                }
            }
        }
    }
    if inserts.is_empty() {
        return None;
    }
    inserts.sort_by_key(|&(at, _)| at);
    let mut out = String::with_capacity(text.len() + inserts.len());
    let mut from = 0;
    for (at, c) in inserts {
        out.push_str(&text[from..at]);
        out.push(c);
        from = at;
    }
    out.push_str(&text[from..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_lines_move_past_their_key_and_nothing_else_moves() {
        let text = "A:\n  Schema: {\"type\": \"object\",\n  \"title\": \"Stats\"}\n  Next: 1\n";
        let fixed = indent_flow_continuations(text).unwrap();
        assert_eq!(
            fixed,
            "A:\n  Schema: {\"type\": \"object\",\n    \"title\": \"Stats\"}\n  Next: 1\n"
        );
    }

    #[test]
    fn indenting_that_would_grow_the_text_many_times_is_not_tried() {
        // A sequence opened 20,000 columns in, with 50,000 lines under it at column 0.
        let text = " ".repeat(20_000) + "A: [1,\n" + &"2,\n".repeat(50_000) + "3]\n";
        assert_eq!(indent_flow_continuations(&text), None);
        // The near miss: the same sequence opened at the left margin is indented.
        let text = "A: [1,\n".to_string() + &"2,\n".repeat(50_000) + "3]\n";
        let fixed = indent_flow_continuations(&text).unwrap();
        assert_eq!(fixed.len(), text.len() + 2 * 50_001);
    }

    #[test]
    fn a_bare_pair_in_a_flow_sequence_gets_braces() {
        let text = "A: !Sub [\n  \"x-${ID}\",\n  ID: !Select [2, !Split [\"/\", !Ref S]],\n]\n";
        assert_eq!(
            brace_flow_pairs(text).unwrap(),
            "A: !Sub [\n  \"x-${ID}\",\n  {ID: !Select [2, !Split [\"/\", !Ref S]]},\n]\n"
        );
        assert_eq!(brace_flow_pairs("A: [x, 'k: v', {a: b}] # [c: d\n"), None);
    }

    #[test]
    fn brackets_in_quotes_comments_and_block_scalars_open_nothing() {
        let text = "A: '[x' # {\nB: |\n  code = [1,\n  2]\nC: \"}\"\n";
        assert_eq!(indent_flow_continuations(text), None);
    }
}
