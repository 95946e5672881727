//! What products keep, held by the sandbox without the sandbox knowing
//! their types: each product's state is one value of its own type
//! ([`Kept`]), found by type and saved under the product's key.
//!
//! A state saved by an earlier run stays as JSON until its product first
//! asks for it, so the sandbox never needs to name a product to load one.

use std::any::{Any, TypeId};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Mutex, OnceLock};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A product's state: made empty by `Default`, saved as JSON under `KEY`.
pub(crate) trait Kept:
    Default + Serialize + DeserializeOwned + Send + Sync + 'static
{
    /// The key the state is saved under (unique among products).
    const KEY: &'static str;
}

/// A kept value, whatever its type.
trait Erased: Any + Send {
    fn to_json(&self) -> Value;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Kept> Erased for T {
    fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// Every product's state.
#[derive(Default)]
pub(crate) struct ProductStore {
    /// States in use, by type, with their keys.
    live: HashMap<TypeId, (&'static str, Box<dyn Erased>)>,
    /// States read from a saved run and not asked for yet, by key.
    saved: BTreeMap<String, Value>,
}

impl fmt::Debug for ProductStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut keys: Vec<&str> = self.live.values().map(|(key, _)| *key).collect();
        keys.extend(self.saved.keys().map(String::as_str));
        keys.sort_unstable();
        f.debug_struct("ProductStore").field("keys", &keys).finish()
    }
}

impl ProductStore {
    /// `T`'s state, made (or read from the saved run) on first use.
    pub fn get_mut<T: Kept>(&mut self) -> &mut T {
        let saved = &mut self.saved;
        let (_, value) = self.live.entry(TypeId::of::<T>()).or_insert_with(|| {
            let value: T = saved
                .remove(T::KEY)
                .and_then(|json| serde_json::from_value(json).ok())
                .unwrap_or_default();
            (T::KEY, Box::new(value))
        });
        match value.as_any_mut().downcast_mut::<T>() {
            Some(state) => state,
            // Entries are keyed by their own type: this cannot be reached.
            None => unreachable!("a product state stored under another type's id"),
        }
    }

    /// `T`'s state as it is; an empty one while `T` has kept nothing yet.
    pub fn get<T: Kept>(&self) -> &T {
        match self.live.get(&TypeId::of::<T>()) {
            Some((_, value)) => value
                .as_any()
                .downcast_ref::<T>()
                .unwrap_or_else(|| empty()),
            None => empty(),
        }
    }

    /// Makes `T`'s state live now (so [`ProductStore::get`] sees what a
    /// saved run kept).
    pub fn load<T: Kept>(&mut self) {
        self.get_mut::<T>();
    }
}

/// An empty `T`, made once per type and kept for the life of the process.
fn empty<T: Kept>() -> &'static T {
    static EMPTY: OnceLock<Mutex<HashMap<TypeId, &'static (dyn Any + Send + Sync)>>> =
        OnceLock::new();
    let mut made = EMPTY
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let value = *made
        .entry(TypeId::of::<T>())
        .or_insert_with(|| Box::leak(Box::new(T::default())));
    match value.downcast_ref::<T>() {
        Some(empty) => empty,
        None => unreachable!("an empty state stored under another type's id"),
    }
}

impl Serialize for ProductStore {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut all = self.saved.clone();
        for (key, value) in self.live.values() {
            all.insert((*key).to_owned(), value.to_json());
        }
        all.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ProductStore {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(ProductStore {
            live: HashMap::new(),
            saved: BTreeMap::deserialize(deserializer)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Counter {
        count: u32,
    }

    impl Kept for Counter {
        const KEY: &'static str = "counter";
    }

    #[test]
    fn a_state_is_made_on_first_use_and_saved_under_its_key() {
        let mut store = ProductStore::default();
        assert_eq!(store.get::<Counter>().count, 0);
        store.get_mut::<Counter>().count = 3;
        let saved = serde_json::to_value(&store).unwrap();
        assert_eq!(saved, serde_json::json!({"counter": {"count": 3}}));
        let mut restored: ProductStore = serde_json::from_value(saved).unwrap();
        assert_eq!(restored.get::<Counter>().count, 0, "not loaded yet");
        restored.load::<Counter>();
        assert_eq!(restored.get::<Counter>().count, 3);
        assert_eq!(
            serde_json::to_value(&restored).unwrap(),
            serde_json::json!({"counter": {"count": 3}})
        );
    }
}
