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

/// `text` with each line that continues a flow collection indented deeper than the line
/// that opened it, or `None` when no line needs it.
pub fn indent_flow_continuations(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut depth = 0usize;
    // Indentation of the line where the outermost open flow collection started.
    let mut opened_at = 0usize;
    // A block scalar (`|`, `>`) under way: lines indented deeper than this are its text.
    let mut block_scalar: Option<usize> = None;
    let mut changed = false;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(key_indent) = block_scalar {
            if blank || indent > key_indent {
                out.push_str(line);
                continue;
            }
            block_scalar = None;
        }
        if depth > 0 && !blank && indent <= opened_at {
            out.extend(std::iter::repeat_n(' ', opened_at + 2 - indent));
            changed = true;
        }
        let start_depth = depth;
        let scan = scan_line(line, depth);
        depth = scan.depth;
        if start_depth == 0 && depth > 0 {
            opened_at = indent;
        }
        if depth == 0 && scan.block_scalar {
            block_scalar = Some(indent);
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
    let chars: Vec<char> = text.chars().collect();
    // For each open flow collection: its bracket, and where its current entry starts.
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut opens: Vec<usize> = Vec::new();
    let mut closes: Vec<usize> = Vec::new();
    // Per open collection: whether the current entry is a bare pair (its start).
    let mut pair: Vec<Option<usize>> = Vec::new();
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            if q == '"' && c == '\\' {
                i += 1;
            } else if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        let after_space = i == 0 || chars[i - 1].is_whitespace();
        match c {
            '#' if after_space => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '\'' | '"' => quote = Some(c),
            '[' | '{' => {
                stack.push((c, i + 1));
                pair.push(None);
            }
            ']' | '}' | ',' if !stack.is_empty() => {
                if let Some(Some(start)) = pair.last().copied() {
                    opens.push(start);
                    closes.push(i);
                }
                if c == ',' {
                    if let Some(top) = stack.last_mut() {
                        top.1 = i + 1;
                    }
                    if let Some(p) = pair.last_mut() {
                        *p = None;
                    }
                } else {
                    stack.pop();
                    pair.pop();
                }
            }
            ':' if stack.last().is_some_and(|t| t.0 == '[')
                && chars.get(i + 1).is_none_or(|n| n.is_whitespace())
                && pair.last().is_some_and(Option::is_none) =>
            {
                let start = stack.last().map_or(i, |t| t.1);
                let entry: String = chars[start..i].iter().collect();
                let key = entry.trim();
                let plain = !key.is_empty()
                    && !key.contains(['[', ']', '{', '}', '"', '\'', '!', '&', '*']);
                if plain {
                    let first = start + entry.len() - entry.trim_start().len();
                    if let Some(p) = pair.last_mut() {
                        *p = Some(first);
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    if opens.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 2 * opens.len());
    let (mut o, mut k) = (0, 0);
    for (i, c) in chars.iter().enumerate() {
        while o < opens.len() && opens[o] == i {
            out.push('{');
            o += 1;
        }
        while k < closes.len() && closes[k] == i {
            out.push('}');
            k += 1;
        }
        out.push(*c);
    }
    Some(out)
}

/// What a line leaves open.
struct Scan {
    /// Flow nesting depth after the line.
    depth: usize,
    /// The line ends by starting a block scalar (`key: |`, `- >-`).
    block_scalar: bool,
}

/// Follows brackets outside quotes and comments along one line.
fn scan_line(line: &str, mut depth: usize) -> Scan {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    let mut chars = line.chars().peekable();
    let mut last_token = String::new();
    while let Some(c) = chars.next() {
        match quote {
            Some('\'') if c == '\'' => {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some('"') if c == '"' => quote = None,
            Some(_) => {}
            None => match c {
                '#' if previous.is_whitespace() => break,
                '\'' | '"' => quote = Some(c),
                '[' | '{' => depth += 1,
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        if quote.is_none() && !c.is_whitespace() {
            if previous.is_whitespace() {
                last_token.clear();
            }
            last_token.push(c);
        }
        previous = c;
    }
    let indicator =
        last_token.trim_end_matches(['-', '+', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    Scan {
        depth,
        block_scalar: quote.is_none() && (indicator == "|" || indicator == ">"),
    }
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
