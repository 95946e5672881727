//! The client id and secret, ready to send.

use http::header::HeaderValue;

/// The client id and secret as header values (the secret marked sensitive,
/// so HTTP/2 never indexes it and `Debug` of a header map hides it).
pub(crate) struct Credentials {
    pub(crate) client_id: HeaderValue,
    pub(crate) secret: HeaderValue,
}
