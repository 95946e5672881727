//! Notes of our own for the docs of particular operations: what the spec
//! cannot say, such as what to do when a call that changes something fails
//! with its outcome unknown.
//!
//! A short hand-written table keyed by path, in our own words (Plaid's
//! prose never carries over). The generator adds each note to the
//! operation's builder and client method docs.

/// The notes, by operation path. Each is doc-comment text (Markdown),
/// one paragraph per string, without the `///`.
pub const NOTES: &[(&str, &[&str])] = &[(
    "/item/public_token/exchange",
    &[
        "**If the call fails with [`Error::may_have_reached_plaid`](crate::Error::may_have_reached_plaid) \
true** (a timeout or a broken connection after the request went out), Plaid may have \
used up the public token and created the item although you got no access token. Do not \
simply send the exchange again: a public token is good for one exchange, so a second one \
fails with `INVALID_PUBLIC_TOKEN` and gains nothing. Instead, have the user link again \
(a fresh public token from Link), or, if your backend learns the item another way (its \
`item_id` in a webhook), look it up before starting over. Treat an item you cannot \
reach as abandoned.",
    ],
)];

/// The note paragraphs for `path`, if it has any.
pub fn note_for(path: &str) -> &'static [&'static str] {
    NOTES
        .iter()
        .find(|(p, _)| *p == path)
        .map_or(&[], |(_, note)| note)
}

/// `note` as doc-comment lines, each line starting with `indent` and
/// `///`, wrapped near 90 columns, with a blank doc line before each
/// paragraph.
pub fn doc_lines(note: &[&str], indent: &str) -> String {
    let mut out = String::new();
    for paragraph in note {
        out.push_str(indent);
        out.push_str("///\n");
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && indent.len() + 4 + line.len() + 1 + word.len() > 90 {
                out.push_str(&format!("{indent}/// {line}\n"));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            out.push_str(&format!("{indent}/// {line}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_become_wrapped_doc_lines_and_unknown_paths_have_none() {
        assert!(note_for("/item/get").is_empty());
        let lines = doc_lines(note_for("/item/public_token/exchange"), "    ");
        assert!(lines.starts_with("    ///\n    /// **If the call fails"));
        assert!(lines.contains("INVALID_PUBLIC_TOKEN"));
        assert!(lines
            .lines()
            .all(|l| l.len() <= 90 && l.starts_with("    ///")));
    }
}
