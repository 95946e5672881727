// The page half of the example: Plaid.create, then the backend exchanges the
// public token. window.linkEvents / linkSuccess / linkExit / linked are read
// by the browser tests.
"use strict";

window.linkEvents = [];
window.linkSuccess = null;
window.linkExit = null;
window.linked = null;
let itemId = null;

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body || {}),
  });
  return response.json();
}

function show(value) {
  document.getElementById("result").textContent = JSON.stringify(value, null, 2);
}

async function openLink(options) {
  const created = await post("/api/link_token", options);
  if (!created.link_token) {
    show(created);
    return;
  }
  const handler = Plaid.create({
    token: created.link_token,
    onLoad: () => {
      window.linkLoaded = true;
    },
    onEvent: (eventName, metadata) => {
      window.linkEvents.push({ eventName, metadata });
      const item = document.createElement("li");
      item.textContent = eventName + (metadata.view_name ? " " + metadata.view_name : "");
      document.getElementById("events").appendChild(item);
    },
    onSuccess: async (publicToken, metadata) => {
      window.linkSuccess = { publicToken, metadata };
      // Update mode repairs the item: there is nothing to exchange.
      const status = options.item_id
        ? await post("/api/item_status", { item_id: options.item_id })
        : await post("/api/exchange", { public_token: publicToken });
      itemId = status.item_id;
      window.linked = status;
      document.getElementById("fix").disabled = false;
      document.getElementById("break").disabled = false;
      show(status);
      handler.destroy();
    },
    onExit: (error, metadata) => {
      window.linkExit = { error, metadata };
      show({ exited: metadata.status, error });
      handler.destroy();
    },
  });
  handler.open();
  window.linkHandler = handler;
}

document.getElementById("link").addEventListener("click", () => openLink({}));
document.getElementById("link-choose").addEventListener("click", () =>
  openLink({ choose_accounts: true })
);
document.getElementById("fix").addEventListener("click", () => openLink({ item_id: itemId }));
document.getElementById("break").addEventListener("click", async () => {
  const status = await post("/api/sandbox/reset_login", { item_id: itemId });
  window.linked = status;
  show(status);
});
document.getElementById("hosted").addEventListener("click", async () => {
  const created = await post("/api/link_token", { hosted: true });
  window.location.assign(created.hosted_link_url);
});
