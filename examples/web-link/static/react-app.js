// The page half of the example written with react-plaid-link: the hook loads
// Plaid's CDN URL (or reuses a tag that already has it), then the backend
// exchanges the public token. No JSX, so no bundler: React and the hook come
// as UMD files (window.React, window.ReactDOM, window.PlaidLink).
// window.linkEvents / linkSuccess / linkExit / linked are read by the tests.
"use strict";

window.linkEvents = [];
window.linkSuccess = null;
window.linkExit = null;
window.linked = null;

const h = React.createElement;

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body || {}),
  });
  return response.json();
}

function LinkButton({ token, onLinked }) {
  const { open, ready, error } = PlaidLink.usePlaidLink({
    token,
    onEvent: (eventName, metadata) => {
      window.linkEvents.push({ eventName, metadata });
    },
    onSuccess: async (publicToken, metadata) => {
      window.linkSuccess = { publicToken, metadata };
      onLinked(await post("/api/exchange", { public_token: publicToken }));
    },
    onExit: (error, metadata) => {
      window.linkExit = { error, metadata };
    },
  });
  if (error) {
    return h("p", { role: "alert" }, "Link did not load.");
  }
  return h("button", { type: "button", disabled: !ready, onClick: () => open() }, "Link an account");
}

function App() {
  const [token, setToken] = React.useState(null);
  const [linked, setLinked] = React.useState(null);
  React.useEffect(() => {
    post("/api/link_token", {}).then((created) => setToken(created.link_token));
  }, []);
  const onLinked = (status) => {
    window.linked = status;
    setLinked(status);
  };
  return h(
    "main",
    null,
    token ? h(LinkButton, { token, onLinked }) : h("p", null, "Getting a link token…"),
    h("pre", { "aria-label": "Result" }, linked ? JSON.stringify(linked, null, 2) : "Nothing linked yet.")
  );
}

ReactDOM.createRoot(document.getElementById("root")).render(h(App));
