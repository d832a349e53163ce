//! CloudFormation reads some templates that YAML itself rejects: a flow collection (`[...]`,
//! `{...}`) whose continuation lines are indented no deeper than the key that holds it, as in
//!
//! ```yaml
//!       Schema: {"type": "object",
//!       "title": "Stats"}
//! ```
//!
//! YAML requires those lines to be indented more than the key; CloudFormation's parser does
//! not. When a template fails to parse, its continuation lines inside flow collections are
//! indented past their key and the parse is tried once more. Only lines inside a flow
//! collection move, so every resource's logical id keeps its line and column.

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
    fn brackets_in_quotes_comments_and_block_scalars_open_nothing() {
        let text = "A: '[x' # {\nB: |\n  code = [1,\n  2]\nC: \"}\"\n";
        assert_eq!(indent_flow_continuations(text), None);
    }
}
