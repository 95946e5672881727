/*
 * plaid-mock's stand-in for Plaid Link's web SDK (link-initialize.js).
 *
 * Defines window.Plaid with create(config) -> handler {open, exit, destroy,
 * submit}, and calls the config's onLoad, onSuccess, onExit and onEvent with
 * the shapes Plaid documents. Link's panes run in an iframe served by the
 * fake at FAKE_ORIGIN; nothing is loaded from anywhere else.
 */
(function () {
  "use strict";

  // The fake's own base URL, written in by the server that served this file.
  var FAKE_ORIGIN = "__PLAID_MOCK_ORIGIN__";

  if (window.Plaid && window.Plaid.isPlaidMock) {
    return; // loaded twice (e.g. react-plaid-link adding its own tag)
  }

  var nextId = 1;

  function noop() {}

  function callback(config, name) {
    return typeof config[name] === "function" ? config[name] : noop;
  }

  function create(config) {
    if (!config || typeof config !== "object") {
      throw new Error("Plaid.create needs a config object with a token");
    }
    if (typeof config.token !== "string" || config.token === "") {
      throw new Error("Plaid.create: config.token must be a link token from /link/token/create");
    }
    var id = "plaid-mock-link-" + nextId++;
    var onSuccess = callback(config, "onSuccess");
    var onExit = callback(config, "onExit");
    var onEvent = callback(config, "onEvent");
    var onLoad = callback(config, "onLoad");
    var loaded = false;
    var openWhenLoaded = false;
    var destroyed = false;
    var isOpen = false;

    var iframe = document.createElement("iframe");
    iframe.id = id;
    iframe.name = id;
    iframe.title = "Plaid Link";
    iframe.setAttribute("aria-hidden", "true");
    iframe.src =
      FAKE_ORIGIN +
      "/link/ui?token=" + encodeURIComponent(config.token) +
      "&origin=" + encodeURIComponent(window.location.origin);
    var style = iframe.style;
    style.position = "fixed";
    style.top = "0";
    style.left = "0";
    style.width = "100%";
    style.height = "100%";
    style.border = "0";
    style.zIndex = "2147483647";
    style.display = "none";
    style.background = "transparent";

    function mount() {
      (document.body || document.documentElement).appendChild(iframe);
    }
    if (document.body) {
      mount();
    } else {
      document.addEventListener("DOMContentLoaded", mount);
    }

    function post(message) {
      if (iframe.contentWindow) {
        iframe.contentWindow.postMessage(message, FAKE_ORIGIN);
      }
    }

    function show() {
      isOpen = true;
      style.display = "block";
      iframe.removeAttribute("aria-hidden");
      post({ plaidMock: "open" });
    }

    function hide() {
      isOpen = false;
      style.display = "none";
      iframe.setAttribute("aria-hidden", "true");
    }

    function onMessage(event) {
      if (event.origin !== FAKE_ORIGIN || event.source !== iframe.contentWindow) {
        return;
      }
      var data = event.data || {};
      switch (data.plaidMock) {
        case "ready":
          if (!loaded) {
            loaded = true;
            onLoad();
          }
          if (openWhenLoaded) {
            openWhenLoaded = false;
            show();
          }
          break;
        case "event":
          onEvent(data.eventName, data.metadata);
          break;
        case "success":
          hide();
          onSuccess(data.publicToken, data.metadata);
          break;
        case "exit":
          hide();
          onExit(data.error, data.metadata);
          break;
        default:
          break;
      }
    }
    window.addEventListener("message", onMessage);

    return {
      open: function () {
        if (destroyed) {
          return;
        }
        if (loaded) {
          show();
        } else {
          openWhenLoaded = true;
        }
      },
      exit: function (options, callbackWhenDone) {
        if (destroyed || !isOpen) {
          if (typeof callbackWhenDone === "function") {
            callbackWhenDone();
          }
          return;
        }
        post({ plaidMock: "exit", force: !!(options && options.force) });
        if (typeof callbackWhenDone === "function") {
          callbackWhenDone();
        }
      },
      submit: function (data) {
        // Layer's phone-number submission: the stand-in has no Layer flow.
        post({ plaidMock: "submit", data: data === undefined ? null : data });
      },
      destroy: function () {
        destroyed = true;
        hide();
        window.removeEventListener("message", onMessage);
        if (iframe.parentNode) {
          iframe.parentNode.removeChild(iframe);
        }
      },
    };
  }

  window.Plaid = {
    create: create,
    isPlaidMock: true,
    version: "plaid-mock",
  };
})();
