//! The request trait: what one operation sends and what it answers with.

use std::borrow::Cow;

use bytes::Bytes;
use serde::Serialize;

use super::FromResponseBody;

/// One Plaid operation: its request body and what it answers with.
///
/// ```
/// use std::borrow::Cow;
/// use plaid_core::PlaidRequest;
/// use serde::{Deserialize, Serialize};
///
/// /// `/item/get` written by hand.
/// #[derive(Serialize)]
/// struct ItemGet { access_token: String }
///
/// #[derive(Deserialize)]
/// struct ItemGetAnswer { request_id: String }
///
/// impl PlaidRequest for ItemGet {
///     type Response = ItemGetAnswer;
///     fn path(&self) -> Cow<'_, str> { "/item/get".into() }
/// }
/// ```
pub trait PlaidRequest: Serialize + Send + Sync {
    /// What a 2xx answer decodes into.
    type Response: FromResponseBody + Send + 'static;

    /// The operation's path, e.g. `/item/get`.
    fn path(&self) -> Cow<'_, str>;

    /// The HTTP method. Plaid uses `POST` for all but three FDX operations.
    fn method(&self) -> http::Method {
        http::Method::POST
    }

    /// Whether the operation needs the client id and secret. Only
    /// `/categories/get` does not.
    fn requires_credentials(&self) -> bool {
        true
    }

    /// The request body; JSON of `self` unless the method is `GET`.
    fn body(&self) -> Result<Option<Bytes>, serde_json::Error> {
        if self.method() == http::Method::GET {
            return Ok(None);
        }
        serde_json::to_vec(self).map(|v| Some(Bytes::from(v)))
    }
}

impl<R: PlaidRequest + ?Sized> PlaidRequest for &R {
    type Response = R::Response;

    fn path(&self) -> Cow<'_, str> {
        (**self).path()
    }

    fn method(&self) -> http::Method {
        (**self).method()
    }

    fn requires_credentials(&self) -> bool {
        (**self).requires_credentials()
    }

    fn body(&self) -> Result<Option<Bytes>, serde_json::Error> {
        (**self).body()
    }
}
