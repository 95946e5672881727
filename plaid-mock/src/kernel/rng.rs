//! Deterministic randomness: one seed fixes every id, token and amount.

/// SplitMix64: small, fast, and good enough for test data (not for secrets).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Rng(u64);

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

impl Rng {
    /// A generator whose whole sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }

    /// A 37-character id like Plaid's `item_id` and `account_id`.
    pub fn id(&mut self) -> String {
        (0..37)
            .map(|_| BASE62[self.below(62) as usize] as char)
            .collect()
    }

    /// A version-4 UUID, as in Plaid's tokens.
    pub fn uuid(&mut self) -> String {
        let (a, b) = (self.next_u64(), self.next_u64());
        let bytes: Vec<u8> = a.to_be_bytes().into_iter().chain(b.to_be_bytes()).collect();
        let hex: String = bytes
            .iter()
            .enumerate()
            .map(|(i, byte)| match i {
                6 => format!("{:02x}", (byte & 0x0f) | 0x40),
                8 => format!("{:02x}", (byte & 0x3f) | 0x80),
                _ => format!("{byte:02x}"),
            })
            .collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_fixes_the_sequence() {
        let (mut a, mut b, mut c) = (Rng::new(7), Rng::new(7), Rng::new(8));
        let first: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        assert_eq!(first, (0..5).map(|_| b.next_u64()).collect::<Vec<_>>());
        assert_ne!(first, (0..5).map(|_| c.next_u64()).collect::<Vec<_>>());
    }

    #[test]
    fn ids_and_uuids_have_plaids_shapes() {
        let mut rng = Rng::new(1);
        let id = rng.id();
        assert_eq!(id.len(), 37);
        assert!(id.chars().all(|c| c.is_ascii_alphanumeric()));
        let uuid = rng.uuid();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
        assert!(matches!(&uuid[19..20], "8" | "9" | "a" | "b"));
    }
}
