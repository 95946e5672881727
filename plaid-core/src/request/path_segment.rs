//! Percent-encoding of path parameters.

/// Percent-encodes one path segment (everything but RFC 3986 unreserved
/// characters), for operations with path parameters.
/// Only generated code needs it.
#[allow(dead_code)] // unused when no operation with a path parameter is compiled
pub(crate) fn encode_path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode_path_segment;

    #[test]
    fn keeps_unreserved_characters_and_encodes_the_rest() {
        assert_eq!(encode_path_segment("a b/c"), "a%20b%2Fc");
        assert_eq!(encode_path_segment("A-z.0_9~"), "A-z.0_9~");
        assert_eq!(encode_path_segment("é%"), "%C3%A9%25");
    }
}
