//! The logical ids SAM derives from data: a SHA-1 of the value, its first ten hex digits
//! after a prefix (`RecordSetGroup1194dea82a` for the hosted zone of a custom domain), as
//! SAM's `LogicalIdGenerator` makes them, so the resources the import adds carry the ids the
//! deployed stack has. A string is hashed as written; anything else as compact JSON with
//! sorted keys, intrinsic functions in their long form (`{"Ref":"Zone"}`).

use super::yaml::{Node, Value};

/// `prefix` and the first ten hex digits of the SHA-1 of `data`, as SAM generates them.
pub fn generated(prefix: &str, data: &Node) -> String {
    let text = match (&data.value, &data.tag) {
        (Value::Scalar(s), None) => s.clone(),
        _ => json(data),
    };
    format!("{prefix}{}", &hex(&sha1(text.as_bytes()))[..10])
}

/// The same for a list of values (`[zone, domain]`).
pub fn generated_from_list(prefix: &str, items: &[&Node]) -> String {
    let list = serde_json::Value::Array(items.iter().map(|n| value(n)).collect());
    let text = ascii(&serde_json::to_string(&list).unwrap_or_default());
    format!("{prefix}{}", &hex(&sha1(text.as_bytes()))[..10])
}

/// A node as Python's `json.dumps(separators=(",", ":"), sort_keys=True)` writes it:
/// serde_json's compact form (its maps keep keys sorted), with Python's `ensure_ascii`.
fn json(node: &Node) -> String {
    ascii(&serde_json::to_string(&value(node)).unwrap_or_default())
}

/// JSON text with every non-ASCII character escaped (`\u00e9`), as Python writes it.
fn ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// A node as JSON, intrinsic functions in their long form (`!GetAtt A.B` is
/// `{"Fn::GetAtt": ["A", "B"]}`).
fn value(node: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    let plain = match &node.value {
        Value::Scalar(s) => J::String(s.clone()),
        Value::Seq(items) => J::Array(items.iter().map(value).collect()),
        Value::Map(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| (k.text.clone(), value(v)))
                .collect(),
        ),
    };
    let Some(tag) = &node.tag else { return plain };
    let name = if tag == "Ref" {
        "Ref".to_string()
    } else {
        format!("Fn::{tag}")
    };
    let arg = match (tag.as_str(), &node.value) {
        ("GetAtt", Value::Scalar(s)) => {
            let (a, b) = s.split_once('.').unwrap_or((s, ""));
            J::Array(vec![J::String(a.into()), J::String(b.into())])
        }
        _ => plain,
    };
    J::Object([(name, arg)].into_iter().collect())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-1 (FIPS 180-4): only to reproduce SAM's ids, never for security.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut message = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bits.to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, &word) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(word);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, word) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::yaml::parse;

    #[test]
    fn sha1_matches_the_standard_vectors() {
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(hex(&sha1(long)), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    }

    #[test]
    fn ids_are_the_ones_sam_gives() {
        // As `LogicalIdGenerator("RecordSetGroup", ...).gen()` computes them (aws-sam-translator).
        let doc = parse("a: ZQ1UAL4EFZVME\nb: !Ref Zone\n").unwrap();
        assert_eq!(
            generated("RecordSetGroup", doc.get("a").unwrap()),
            format!("RecordSetGroup{}", &hex(&sha1(b"ZQ1UAL4EFZVME"))[..10])
        );
        assert_eq!(
            generated("X", doc.get("b").unwrap()),
            format!("X{}", &hex(&sha1(br#"{"Ref":"Zone"}"#))[..10])
        );
        let list = generated_from_list("G", &[doc.get("a").unwrap(), doc.get("b").unwrap()]);
        assert_eq!(
            list,
            format!(
                "G{}",
                &hex(&sha1(br#"["ZQ1UAL4EFZVME",{"Ref":"Zone"}]"#))[..10]
            )
        );
    }
}
