//! How deeply an XML text nests, found before it is parsed: the XML parser descends one call
//! per element, so 20,000 nested elements would overflow the stack. A draw.io file nests
//! about ten deep.

/// The byte offset of the first element opened deeper than `limit`, if any. Comments,
/// CDATA, processing instructions and quoted attribute values are skipped as XML reads them;
/// text the scan cannot make sense of is left for the parser to refuse.
pub fn too_deep_at(text: &str, limit: usize) -> Option<usize> {
    let b = text.as_bytes();
    let find = |from: usize, what: &[u8]| {
        b.get(from..)?
            .windows(what.len())
            .position(|w| w == what)
            .map(|p| from + p + what.len())
    };
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(p) = b
        .get(i..)
        .and_then(|rest| rest.iter().position(|&c| c == b'<'))
    {
        let at = i + p;
        let rest = &b[at..];
        let skip_to = if rest.starts_with(b"<!--") {
            find(at + 4, b"-->")
        } else if rest.starts_with(b"<![CDATA[") {
            find(at + 9, b"]]>")
        } else if rest.starts_with(b"<?") {
            find(at + 2, b"?>")
        } else if rest.starts_with(b"<!") {
            find(at + 2, b">")
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            find(at + 2, b">")
        } else {
            // An opening tag: its end is the first `>` outside quotes.
            let mut quote = None;
            let mut end = None;
            for (k, &c) in rest.iter().enumerate().skip(1) {
                match (quote, c) {
                    (None, b'"' | b'\'') => quote = Some(c),
                    (Some(q), c) if c == q => quote = None,
                    (None, b'>') => {
                        end = Some(k);
                        break;
                    }
                    _ => {}
                }
            }
            let end = end?;
            if rest[end - 1] != b'/' {
                depth += 1;
                if depth > limit {
                    return Some(at);
                }
            }
            Some(at + end + 1)
        };
        i = skip_to?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_elements_not_what_only_looks_like_them() {
        let nested = |n: usize| "<a>".repeat(n) + &"</a>".repeat(n);
        assert_eq!(too_deep_at(&nested(10), 10), None);
        assert_eq!(too_deep_at(&nested(11), 10), Some(30));
        // Siblings, empty elements, comments, CDATA and quoted `>` do not nest.
        let flat = format!(
            "<?xml version=\"1.0\"?><r>{}<!-- <a><a><a> --><![CDATA[<a><a>]]><b v=\"x>y\" w='/>'/></r>",
            "<c/><d></d>".repeat(50)
        );
        assert_eq!(too_deep_at(&flat, 2), None);
    }
}
