//! The string formats a request value is checked against (`date`,
//! `date-time`, `email`, `uri`, `uuid`, `ipv4`, `ipv6`), each as the
//! standard that names it defines it, so that a value the fake accepts is
//! also one a client decoding the answer accepts where the fake carries it
//! back.
//!
//! Formats the spec uses only as a description (`url`, `double`, …) are
//! not checked: nothing says what they allow.

use time::format_description::well_known::Rfc3339;

/// What is wrong with `text` for `format`, or `None` when it fits (or the
/// format is not one the fake checks).
pub(crate) fn problem(format: &str, text: &str) -> Option<&'static str> {
    let fits = match format {
        "date" => is_date(text),
        "date-time" => is_date_time(text),
        "email" => is_email(text),
        "uri" => is_uri(text),
        "uuid" => is_uuid(text),
        "ipv4" => is_ipv4(text),
        "ipv6" => text.parse::<std::net::Ipv6Addr>().is_ok(),
        _ => true,
    };
    if fits {
        return None;
    }
    Some(match format {
        "date" => "must be a date in the format YYYY-MM-DD",
        "date-time" => "must be an ISO 8601 date-time, e.g. 2024-01-31T12:00:00Z",
        "email" => "must be an email address, e.g. jane@example.com",
        "uri" => "must be an absolute URI, e.g. https://example.com/path",
        "uuid" => "must be a UUID, e.g. 6c5516e1-92dc-479e-a8ff-5a51992e0001",
        "ipv4" => "must be an IPv4 address, e.g. 192.0.2.1",
        _ => "must be an IPv6 address, e.g. 2001:db8::1",
    })
}

/// Whether `text` is a calendar date `YYYY-MM-DD`.
pub(crate) fn is_date(text: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    text.len() == 10
        && text.bytes().take(4).all(|b| b.is_ascii_digit())
        && time::Date::parse(text, &format).is_ok()
}

/// Whether `text` is an RFC 3339 date-time (`2024-01-31T12:00:00Z`).
fn is_date_time(text: &str) -> bool {
    text.is_ascii()
        && text
            .get(..4)
            .is_some_and(|y| y.bytes().all(|b| b.is_ascii_digit()))
        && time::OffsetDateTime::parse(text, &Rfc3339).is_ok()
}

/// Whether `text` is an address `local@domain`: a dot-separated local part
/// of the characters RFC 5322 allows unquoted, and a domain of letter,
/// digit and hyphen labels (or an IP literal in brackets).
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    let local_fits = !local.is_empty()
        && local.len() <= 64
        && local
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(atext));
    local_fits && (is_host_name(domain) || is_address_literal(domain))
}

fn is_host_name(domain: &str) -> bool {
    !domain.is_empty()
        && domain.len() <= 253
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

fn is_address_literal(domain: &str) -> bool {
    let Some(inner) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) else {
        return false;
    };
    match inner.strip_prefix("IPv6:") {
        Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
        None => is_ipv4(inner),
    }
}

/// Whether `text` is an absolute URI (RFC 3986): a scheme, `:`, and only
/// the characters a URI may hold, with `%` followed by two hex digits.
fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let scheme_fits = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !scheme_fits {
        return false;
    }
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
            continue;
        }
        let allowed = b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b);
        if !allowed {
            return false;
        }
        i += 1;
    }
    uri_authority_fits(rest)
}

/// The authority of `//host:port/…`, when there is one: a port of digits
/// and a host without stray brackets.
fn uri_authority_fits(rest: &str) -> bool {
    let Some(after) = rest.strip_prefix("//") else {
        return !rest.contains('[') && !rest.contains(']');
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, tail) = after.split_at(end);
    if tail.contains('[') || tail.contains(']') {
        return false;
    }
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(literal) = host_port.strip_prefix('[') {
        let Some((inside, port)) = literal.split_once(']') else {
            return false;
        };
        return inside.parse::<std::net::Ipv6Addr>().is_ok()
            && (port.is_empty()
                || port
                    .strip_prefix(':')
                    .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit())));
    }
    if host_port.contains('[') || host_port.contains(']') {
        return false;
    }
    match host_port.rsplit_once(':') {
        Some((_, port)) => port.bytes().all(|b| b.is_ascii_digit()),
        None => true,
    }
}

/// Whether `text` is a UUID in its hyphenated form (8-4-4-4-12 hex digits).
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether `text` is a dotted-quad IPv4 address (no leading zeros).
fn is_ipv4(text: &str) -> bool {
    text.parse::<std::net::Ipv4Addr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_accepts_its_standard_form_and_refuses_others() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "date",
                &["2024-02-29"],
                &["2023-02-29", "24-01-01", "", "+999-01-01"],
            ),
            (
                "date-time",
                &["2024-01-31T12:00:00Z", "2024-01-31T12:00:00.5+01:00"],
                &["2024-01-31", "2024-01-31 12:00:00", ""],
            ),
            (
                "email",
                &[
                    "jane@example.com",
                    "j.d+tag@mail.example.co.uk",
                    "x@[192.0.2.1]",
                ],
                &[
                    "",
                    "@example.com",
                    "jane@",
                    "jane",
                    "ja ne@example.com",
                    "a..b@example.com",
                    "a@-x.com",
                ],
            ),
            (
                "uri",
                &[
                    "https://example.com/a?b=c#d",
                    "urn:isbn:0451450523",
                    "http://[2001:db8::1]:8080/",
                ],
                &[
                    "AAA",
                    "",
                    "1http://x",
                    "http://exa mple.com",
                    "http://x/%zz",
                    "http://x:port/",
                ],
            ),
            (
                "uuid",
                &["6c5516e1-92dc-479e-a8ff-5a51992e0001"],
                &["6c5516e1", "6c5516e1-92dc-479e-a8ff-5a51992e000g", ""],
            ),
            (
                "ipv4",
                &["192.0.2.1"],
                &["192.0.2", "256.0.0.1", "01.2.3.4"],
            ),
            (
                "ipv6",
                &["2001:db8::1", "::1"],
                &["2001:db8:::1", "192.0.2.1"],
            ),
        ];
        for (format, good, bad) in cases {
            for text in *good {
                assert_eq!(problem(format, text), None, "{format}: {text:?}");
            }
            for text in *bad {
                assert!(problem(format, text).is_some(), "{format}: {text:?}");
            }
        }
        assert_eq!(problem("url", "not a url"), None);
    }
}
