//! A draw.io file's pages: each `<diagram>` of an `<mxfile>` (its model inline, or compressed
//! as base64 of raw deflate of URL-encoded XML), or a bare `<mxGraphModel>` as one page.
//! Inflating is bounded per page and for the whole file, so a small file cannot grow into
//! gigabytes.

use base64::Engine as _;

use crate::imported::ImportError;

/// The largest page archsketch inflates from a compressed diagram, against zip bombs.
const MAX_INFLATED: usize = 64 * 1024 * 1024;
/// The most all pages of one file may inflate to together.
const MAX_INFLATED_TOTAL: usize = 128 * 1024 * 1024;
/// The most pages one file is read for.
pub const MAX_PAGES: usize = 200;

/// One page: its name and the XML of its `<mxGraphModel>` (owned when it was compressed).
pub struct PageText {
    pub name: String,
    pub xml: PageXml,
}

/// Where a page's model is: inflated text of its own, or inline in the file's own XML.
pub enum PageXml {
    Inflated(String),
    /// The model is inline in the file, in its `diagram`-th `<diagram>` (or the file is the
    /// bare model).
    Inline {
        diagram: usize,
    },
    /// The page could not be read; the message says why.
    Broken(String),
}

pub(super) fn error(path: &str, message: impl Into<String>) -> ImportError {
    ImportError {
        path: path.to_string(),
        at: None,
        message: message.into(),
    }
}

/// The pages of a parsed draw.io document, in file order.
pub fn pages(doc: &roxmltree::Document<'_>, path: &str) -> Result<Vec<PageText>, ImportError> {
    let root = doc.root_element();
    match root.tag_name().name() {
        "mxGraphModel" => Ok(vec![PageText {
            name: "Page-1".into(),
            xml: PageXml::Inline { diagram: 0 },
        }]),
        "mxfile" => {
            let diagrams: Vec<_> = root
                .children()
                .filter(|n| n.has_tag_name("diagram"))
                .collect();
            if diagrams.is_empty() {
                return Err(error(path, "the draw.io file has no page"));
            }
            let mut budget = MAX_INFLATED_TOTAL;
            let mut out = Vec::new();
            for (i, diagram) in diagrams.iter().enumerate().take(MAX_PAGES) {
                let name = diagram
                    .attribute("name")
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map_or_else(|| format!("Page-{}", i + 1), str::to_string);
                let inline = diagram.children().any(|n| n.has_tag_name("mxGraphModel"));
                let xml = if inline {
                    PageXml::Inline { diagram: i }
                } else {
                    let text = diagram.text().unwrap_or_default().trim();
                    match inflate(text, budget.min(MAX_INFLATED)) {
                        Ok(xml) => {
                            budget = budget.saturating_sub(xml.len());
                            PageXml::Inflated(xml)
                        }
                        Err(message) => PageXml::Broken(message),
                    }
                };
                out.push(PageText { name, xml });
            }
            Ok(out)
        }
        other => Err(error(
            path,
            format!("not a draw.io file: it starts with <{other}>, not <mxfile> or <mxGraphModel>"),
        )),
    }
}

/// The `<mxGraphModel>` of an inline page.
pub fn inline_model<'a, 'input>(
    doc: &'a roxmltree::Document<'input>,
    diagram: usize,
) -> Option<roxmltree::Node<'a, 'input>> {
    let root = doc.root_element();
    if root.has_tag_name("mxGraphModel") {
        return Some(root);
    }
    root.children()
        .filter(|n| n.has_tag_name("diagram"))
        .nth(diagram)?
        .descendants()
        .find(|n| n.has_tag_name("mxGraphModel"))
}

/// A compressed page: base64, then raw deflate, then URL-encoding. The message names what
/// failed, never the data.
fn inflate(text: &str, limit: usize) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("the page is empty".into());
    }
    // Files written by other tools wrap the base64 in lines.
    let packed: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&packed)
        .map_err(|e| format!("the compressed page is not base64: {e}"))?;
    let raw =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, limit).map_err(|e| {
            match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => format!(
                    "the compressed page inflates past {} MiB, more than any drawing needs",
                    limit / (1024 * 1024)
                ),
                status => format!("the compressed page does not inflate ({status:?})"),
            }
        })?;
    let encoded = String::from_utf8(raw).map_err(|_| "the compressed page is not text")?;
    percent_encoding::percent_decode_str(&encoded)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| "the compressed page is not UTF-8 text".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compressed(xml: &str) -> String {
        let encoded: String =
            percent_encoding::utf8_percent_encode(xml, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        let deflated = miniz_oxide::deflate::compress_to_vec(encoded.as_bytes(), 6);
        base64::engine::general_purpose::STANDARD.encode(deflated)
    }

    #[test]
    fn base64_wrapped_in_lines_inflates_like_one_line() {
        let xml = "<mxGraphModel><root><mxCell id=\"0\"/></root></mxGraphModel>";
        let one_line = compressed(xml);
        let wrapped: String = one_line
            .as_bytes()
            .chunks(16)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("\r\n  ");
        assert_eq!(inflate(&one_line, 1 << 20).unwrap(), xml);
        assert_eq!(inflate(&format!("\n{wrapped}\n"), 1 << 20).unwrap(), xml);
        // The near miss: a character base64 does not have is still refused.
        assert!(inflate(&format!("{one_line}*"), 1 << 20).is_err());
    }
}
