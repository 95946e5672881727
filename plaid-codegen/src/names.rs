//! Turning wire names into Rust identifiers.

use std::collections::HashSet;

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Splits a wire name into words: at non-alphanumerics and at case changes
/// (`createdTime` → created, time; `KYBCheck` → kyb, check).
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_is_lower)
            {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `snake_case`, safe as a field or method name: keywords get a trailing
/// `_`, a leading digit gets an `n` prefix.
pub fn snake(name: &str) -> String {
    let mut out = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if out.is_empty() {
        out = "value".into();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'n');
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// `PascalCase`, safe as a type or variant name. All-caps words are
/// softened (`IN_STORE` → `InStore`); a leading digit gets a `V` prefix.
pub fn pascal(name: &str) -> String {
    let mut out = String::new();
    for word in words(name) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            let rest: String = chars.collect();
            if word.chars().all(|c| !c.is_ascii_lowercase()) {
                out.push_str(&rest.to_ascii_lowercase());
            } else {
                out.push_str(&rest);
            }
        }
    }
    if out.is_empty() {
        out = "Empty".into();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    if out == "Self" {
        out.push('_');
    }
    out
}

/// A schema name as a type name: underscores dropped, the rest kept
/// (`Investments_TransactionsOverride` → `InvestmentsTransactionsOverride`).
pub fn type_name(schema: &str) -> String {
    let mut out = String::new();
    let mut upper_next = true;
    for c in schema.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(if upper_next {
                c.to_ascii_uppercase()
            } else {
                c
            });
            upper_next = false;
        } else {
            upper_next = true;
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

/// Hands out names, adding a numeric suffix when one is taken.
#[derive(Debug, Default)]
pub struct NameSet(HashSet<String>);

impl NameSet {
    /// `wanted`, or `wanted2`, `wanted3`, … whichever is free first.
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.0.insert(wanted.to_owned()) {
            return wanted.to_owned();
        }
        let base = wanted.trim_end_matches('_');
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|candidate| self.0.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_handles_camel_acronyms_digits_and_keywords() {
        assert_eq!(snake("createdTime"), "created_time");
        assert_eq!(snake("KYBCheck"), "kyb_check");
        assert_eq!(snake("account_id"), "account_id");
        assert_eq!(snake("credit card"), "credit_card");
        assert_eq!(snake("401k"), "n401k");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("match"), "match_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("ADA"), "ada");
        assert_eq!(snake("homeUri"), "home_uri");
    }

    #[test]
    fn pascal_case_softens_caps_and_prefixes_digits() {
        assert_eq!(pascal("IN_STORE"), "InStore");
        assert_eq!(pascal("credit card"), "CreditCard");
        assert_eq!(pascal("401k"), "V401k");
        assert_eq!(pascal("roth 403B"), "Roth403B");
        assert_eq!(pascal("non-custodial wallet"), "NonCustodialWallet");
        assert_eq!(pascal(""), "Empty");
        assert_eq!(pascal("public_token"), "PublicToken");
    }

    #[test]
    fn type_names_drop_underscores() {
        assert_eq!(
            type_name("Investments_TransactionsOverride"),
            "InvestmentsTransactionsOverride"
        );
        assert_eq!(
            type_name("BusinessVerificationStatus__KYBCheck"),
            "BusinessVerificationStatusKYBCheck"
        );
    }

    #[test]
    fn name_set_suffixes_collisions() {
        let mut names = NameSet::default();
        assert_eq!(names.claim("value"), "value");
        assert_eq!(names.claim("value"), "value2");
        assert_eq!(names.claim("type_"), "type_");
        assert_eq!(names.claim("type_"), "type2");
    }
}
