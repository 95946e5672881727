//! plaid-mock: placeholder
