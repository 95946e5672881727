//! The rustls client configuration a transport uses unless it is given
//! one: the ring provider, its safe default protocol versions, and the
//! trust anchors of a [`RootStore`].

use std::sync::Arc;

use rustls::client::WantsClientCert;
use rustls::{ClientConfig, ConfigBuilder, WantsVerifier};

use crate::error::BuildError;
use crate::settings::RootStore;

/// The default configuration, trusting `store`.
pub(crate) fn default_config(store: RootStore) -> Result<ClientConfig, BuildError> {
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(BuildError::tls)?;
    Ok(with_roots(tls, store)?.with_no_client_auth())
}

/// Adds the trust anchors of `store` to a rustls config under construction.
fn with_roots(
    builder: ConfigBuilder<ClientConfig, WantsVerifier>,
    store: RootStore,
) -> Result<ConfigBuilder<ClientConfig, WantsClientCert>, BuildError> {
    match store {
        RootStore::Webpki => {
            #[cfg(feature = "webpki-roots")]
            {
                use hyper_rustls::ConfigBuilderExt as _;
                Ok(builder.with_webpki_roots())
            }
            #[cfg(not(feature = "webpki-roots"))]
            {
                drop(builder);
                Err(BuildError::root_store_unavailable(store))
            }
        }
        RootStore::Native => {
            #[cfg(feature = "native-roots")]
            {
                use hyper_rustls::ConfigBuilderExt as _;
                builder
                    .with_native_roots()
                    .map_err(|err| BuildError::root_store(store, err))
            }
            #[cfg(not(feature = "native-roots"))]
            {
                drop(builder);
                Err(BuildError::root_store_unavailable(store))
            }
        }
    }
}
