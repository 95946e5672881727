//! The person in Link, for the server's Link stand-in: each step of the
//! panes ([`LinkStep`]) runs against the fake's state, and the webhooks
//! it produces (an item's, `SESSION_FINISHED`) go out.

use serde_json::{json, Map, Value};

use crate::kernel::errors::ErrorAnswer;
use crate::kit::fields::{strings, text};
use crate::mock::{lock, MockPlaid};
use crate::products::link_flow;

/// One step of a Link session, as the panes send it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkStep {
    /// The person opened Link.
    Open,
    /// The person typed into the institution search.
    Institutions,
    /// The person submitted a username and password.
    Credentials,
    /// The person answered one round of MFA.
    Mfa,
    /// The person finished (picked the accounts, or had nothing to pick).
    Finish,
    /// The person left without finishing.
    Exit,
}

impl LinkStep {
    /// The step named by the last segment of a pane's request path.
    pub(crate) fn named(name: &str) -> Option<Self> {
        Some(match name {
            "open" => Self::Open,
            "institutions" => Self::Institutions,
            "credentials" => Self::Credentials,
            "mfa" => Self::Mfa,
            "finish" => Self::Finish,
            "exit" => Self::Exit,
            _ => return None,
        })
    }
}

impl MockPlaid {
    /// Runs one step of a Link session with the panes' JSON `body`; every
    /// answer carries a fresh `request_id`.
    pub(crate) fn link_step(
        &self,
        step: LinkStep,
        body: &Map<String, Value>,
    ) -> Result<Value, ErrorAnswer> {
        let token = text(body, "link_token");
        let result = {
            let mut state = lock(&self.shared.state);
            let state = &mut *state;
            let answer = match step {
                LinkStep::Open => link_flow::open(state, token),
                LinkStep::Institutions => Ok(link_flow::institutions(text(body, "query"))),
                LinkStep::Credentials => link_flow::credentials(
                    state,
                    token,
                    text(body, "username"),
                    text(body, "password"),
                ),
                LinkStep::Mfa => {
                    let answers = strings(body.get("answers"));
                    let round = body
                        .get("round")
                        .and_then(Value::as_u64)
                        .and_then(|r| usize::try_from(r).ok())
                        .unwrap_or(0);
                    link_flow::mfa(
                        state,
                        token,
                        text(body, "username"),
                        text(body, "password"),
                        round,
                        &answers,
                    )
                }
                LinkStep::Finish => link_flow::finish(state, body),
                LinkStep::Exit => link_flow::exit(state, token, text(body, "link_session_id")),
            };
            let request_id = state.rng.id()[..15].to_owned();
            answer.map(|mut value| {
                value["request_id"] = json!(request_id);
                value
            })
        };
        self.flush_webhooks();
        result
    }
}
