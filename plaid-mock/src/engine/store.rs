//! What the generic engine remembers: the objects create operations made,
//! by family, each with the item or user it belongs to. Serializable, so
//! the whole state can be saved to a file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One stored object.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Stored {
    /// Its id (the family's `id_answer` value).
    pub id: String,
    /// The object as `get` answers it.
    pub object: Value,
    /// The item it belongs to (the create request's `access_token`).
    pub item_id: Option<String>,
    /// The user it belongs to (`user_token` or `client_user_id`).
    pub user: Option<String>,
}

/// Resources stored by the generic engine (kept inside `State`).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct ResourceStore {
    /// Objects by family prefix, oldest first.
    families: BTreeMap<String, Vec<Stored>>,
    /// Ids of objects that were removed (alone or with their item or user).
    gone: std::collections::BTreeSet<String>,
    /// How many ids were made (they are derived from it, deterministically).
    minted: u64,
}

impl ResourceStore {
    /// Keeps `stored` in `family`.
    pub fn insert(&mut self, family: &str, stored: Stored) {
        self.families
            .entry(family.to_owned())
            .or_default()
            .push(stored);
    }

    /// The object `id` of `family`, to change it.
    pub fn get_mut(&mut self, family: &str, id: &str) -> Option<&mut Stored> {
        self.families
            .get_mut(family)?
            .iter_mut()
            .find(|s| s.id == id)
    }

    /// Whether `family` holds an object `id`.
    pub fn contains(&self, family: &str, id: &str) -> bool {
        self.families
            .get(family)
            .is_some_and(|list| list.iter().any(|s| s.id == id))
    }

    /// Whether `id` was made here and then removed.
    pub fn is_gone(&self, id: &str) -> bool {
        self.gone.contains(id)
    }

    /// Forgets the object `id` of `family`; whether it was there.
    pub fn remove(&mut self, family: &str, id: &str) -> bool {
        let Some(list) = self.families.get_mut(family) else {
            return false;
        };
        let before = list.len();
        list.retain(|s| s.id != id);
        self.gone.insert(id.to_owned());
        list.len() != before
    }

    /// Every object of `family`, newest first.
    pub fn newest_first(&self, family: &str) -> impl Iterator<Item = &Stored> {
        self.families.get(family).into_iter().flatten().rev()
    }

    /// Forgets everything that belongs to the item `item_id`.
    pub fn remove_item(&mut self, item_id: &str) {
        for list in self.families.values_mut() {
            for s in list
                .iter()
                .filter(|s| s.item_id.as_deref() == Some(item_id))
            {
                self.gone.insert(s.id.clone());
            }
            list.retain(|s| s.item_id.as_deref() != Some(item_id));
        }
    }

    /// Forgets everything that belongs to the user `user`.
    pub fn remove_user(&mut self, user: &str) {
        for list in self.families.values_mut() {
            for s in list.iter().filter(|s| s.user.as_deref() == Some(user)) {
                self.gone.insert(s.id.clone());
            }
            list.retain(|s| s.user.as_deref() != Some(user));
        }
    }

    /// A fresh id shaped like `example`: a UUID stays a UUID, `idv_…`
    /// keeps its prefix and length, `assets-sandbox-<uuid>` its prefix.
    pub fn fresh_id(&mut self, example: &str) -> String {
        self.minted += 1;
        let seed = self.minted;
        fresh_like(example, seed)
    }
}

/// A value shaped like `example` made from `seed`.
pub(crate) fn fresh_like(example: &str, seed: u64) -> String {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const HEX: &[u8] = b"0123456789abcdef";
    // Keep separators and a leading prefix (`idv_`, `assets-sandbox-`);
    // replace every other character with one of its own class.
    let prefix_end = example
        .rfind(['_', '-'])
        .filter(|_| !is_uuid(example))
        .filter(|at| example[..*at].chars().any(|c| c.is_ascii_alphabetic()))
        .map_or(0, |at| at + 1);
    let uuid_start = (0..example.len())
        .find(|at| example.is_char_boundary(*at) && is_uuid(&example[*at..]))
        .unwrap_or(example.len());
    let keep = prefix_end.min(uuid_start);
    let mut out = String::with_capacity(example.len());
    out.push_str(&example[..keep]);
    for (at, c) in example[keep..].char_indices() {
        let at = at + keep;
        let r = next() as usize;
        out.push(if at >= uuid_start {
            if c == '-' {
                '-'
            } else if c == '4' && at == uuid_start + 14 {
                '4'
            } else {
                HEX[r % 16] as char
            }
        } else if c.is_ascii_digit() {
            (b'0' + (r % 10) as u8) as char
        } else if c.is_ascii_alphanumeric() {
            BASE62[r % 62] as char
        } else {
            c
        });
    }
    out
}

/// Whether `text` is a UUID (8-4-4-4-12 hex digits).
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_ids_keep_the_example_shape() {
        let uuid = fresh_like("460cbe92-2dcc-8eae-5ad6-b37d0ec90fd9", 1);
        assert!(is_uuid(&uuid), "{uuid}");
        assert_ne!(uuid, "460cbe92-2dcc-8eae-5ad6-b37d0ec90fd9");
        let idv = fresh_like("idv_52xR9LKo77r1Np", 2);
        assert!(idv.starts_with("idv_") && idv.len() == 18, "{idv}");
        let token = fresh_like("assets-sandbox-6f12f5bb-22dd-4855-b918-f47ec439198a", 3);
        assert!(token.starts_with("assets-sandbox-"), "{token}");
        assert!(is_uuid(&token["assets-sandbox-".len()..]), "{token}");
        assert_ne!(fresh_like("abc", 4), fresh_like("abc", 5));
    }
}
