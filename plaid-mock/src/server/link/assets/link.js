/*
 * The panes of plaid-mock's Link stand-in. Runs in the iframe the SDK
 * stand-in opens (/link/ui?token=…&origin=…) or as Hosted Link (/hl/<token>).
 * Every step asks the fake (POST /link/ui/api/<step>); the app's page hears
 * of it through postMessage: {plaidMock: "ready" | "event" | "success" | "exit"}.
 */
(function () {
  "use strict";

  var params = new URLSearchParams(window.location.search);
  var hostedPath = window.location.pathname.match(/^\/hl\/([^/]+)$/);
  var hosted = hostedPath !== null;
  var token = hosted ? decodeURIComponent(hostedPath[1]) : params.get("token") || "";
  var parentOrigin = params.get("origin");

  var title = document.getElementById("pane-title");
  var body = document.getElementById("pane-body");
  var closeButton = document.getElementById("close");

  // Everything the person did in this session.
  var s;
  function fresh() {
    s = {
      session: null, // the answer of the "open" step
      openError: null,
      requestId: null,
      started: false,
      finished: false,
      view: null,
      previousView: null,
      institution: null, // {name, institution_id}
      username: "",
      password: "",
      mfa: null, // the round being asked
      mfaAnswers: [], // answers of the rounds already passed
      lastError: null,
      result: null,
    };
  }
  fresh();

  // Events as sent, for tests of Hosted Link (which has no parent page).
  window.plaidMockEvents = [];

  function tell(message) {
    if (!hosted && parentOrigin && window.parent !== window) {
      window.parent.postMessage(message, parentOrigin);
    }
  }

  function api(step, payload) {
    payload.link_token = token;
    return fetch("/link/ui/api/" + step, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload),
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .catch(function (e) {
        return {
          ok: false,
          data: {
            error_type: "API_ERROR",
            error_code: "INTERNAL_SERVER_ERROR",
            error_message: "the fake could not be reached: " + e,
            display_message: null,
          },
        };
      })
      .then(function (answer) {
        if (answer.data && answer.data.request_id) {
          s.requestId = answer.data.request_id;
        }
        return answer;
      });
  }

  function institutionId() {
    return s.institution ? s.institution.institution_id : null;
  }

  function event(name, extra) {
    var metadata = {
      error_type: null,
      error_code: null,
      error_message: null,
      exit_status: null,
      institution_id: institutionId(),
      institution_name: s.institution ? s.institution.name : null,
      institution_search_query: null,
      link_session_id: s.session ? s.session.link_session_id : null,
      mfa_type: null,
      request_id: s.requestId,
      selection: null,
      timestamp: new Date().toISOString(),
      view_name: null,
    };
    Object.keys(extra || {}).forEach(function (key) {
      metadata[key] = extra[key];
    });
    window.plaidMockEvents.push({ eventName: name, metadata: metadata });
    tell({ plaidMock: "event", eventName: name, metadata: metadata });
  }

  function transition(view, extra) {
    s.previousView = s.view;
    s.view = view;
    var fields = { view_name: view };
    Object.keys(extra || {}).forEach(function (key) {
      fields[key] = extra[key];
    });
    event("TRANSITION_VIEW", fields);
  }

  // ---- building the panes --------------------------------------------------

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) {
      if (key === "text") {
        node.textContent = attributes[key];
      } else if (key === "onclick") {
        node.addEventListener("click", attributes[key]);
      } else {
        node.setAttribute(key, attributes[key]);
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  function pane(heading, children) {
    title.textContent = heading;
    body.textContent = "";
    children.forEach(function (child) {
      body.appendChild(child);
    });
    title.focus();
  }

  function field(id, labelText, type, extra) {
    var input = el("input", { id: id, name: id, type: type, autocomplete: "off" });
    Object.keys(extra || {}).forEach(function (key) {
      input.setAttribute(key, extra[key]);
    });
    return [el("label", { for: id, text: labelText }), input];
  }

  function loading() {
    if (s.view !== "LOADING") {
      transition("LOADING");
    }
    pane("Connecting", [el("p", { role: "status", text: "Please wait…" })]);
  }

  // ---- the flow ------------------------------------------------------------

  function start() {
    s.started = true;
    event("OPEN");
    if (s.openError) {
      fail(s.openError);
      return;
    }
    if (s.session.update_mode && s.session.institution) {
      s.institution = s.session.institution;
      showCredentials();
    } else {
      showSearch();
    }
  }

  function showSearch() {
    transition("SELECT_INSTITUTION");
    var list = el("ul", { class: "list", "aria-label": "Institutions" });
    var parts = field("search", "Search for your bank", "search", {
      placeholder: "e.g. Platypus",
    });
    var input = parts[1];
    var timer = null;
    var pending = false; // a query typed but not yet searched
    function search(query, announce) {
      pending = false;
      if (announce) {
        event("SEARCH_INSTITUTION", { institution_search_query: query, view_name: "SELECT_INSTITUTION" });
      }
      api("institutions", { query: query }).then(function (answer) {
        list.textContent = "";
        var found = (answer.data && answer.data.institutions) || [];
        if (found.length === 0) {
          list.appendChild(el("li", { text: "No institution matches “" + query + "”." }));
        }
        found.forEach(function (institution) {
          list.appendChild(
            el("li", {}, [
              el("button", {
                type: "button",
                class: "institution",
                text: institution.name,
                onclick: function () {
                  if (pending) {
                    // Picked before the search ran: it still counts.
                    clearTimeout(timer);
                    pending = false;
                    event("SEARCH_INSTITUTION", {
                      institution_search_query: input.value,
                      view_name: "SELECT_INSTITUTION",
                    });
                  }
                  s.institution = institution;
                  event("SELECT_INSTITUTION", { view_name: "SELECT_INSTITUTION" });
                  showCredentials();
                },
              }),
            ])
          );
        });
      });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      pending = true;
      timer = setTimeout(function () {
        search(input.value, true);
      }, 120);
    });
    pane("Select your bank", [parts[0], input, list]);
    search("", false);
  }

  function showCredentials() {
    transition("CREDENTIAL");
    var user = field("username", "Username", "text", { required: "required" });
    var pass = field("password", "Password", "password", { required: "required" });
    user[1].value = s.username;
    var form = el("form", {}, [
      el("p", { class: "hint", text: "Sandbox: user_good / pass_good." }),
      user[0], user[1], pass[0], pass[1],
      el("button", { type: "submit", class: "primary", text: "Submit" }),
    ]);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      s.username = user[1].value;
      s.password = pass[1].value;
      s.mfaAnswers = [];
      event("SUBMIT_CREDENTIALS", { view_name: "CREDENTIAL" });
      loading();
      api("credentials", { username: s.username, password: s.password }).then(next);
    });
    pane("Log in to " + (s.institution ? s.institution.name : "your bank"), [form]);
  }

  function next(answer) {
    if (!answer.ok) {
      fail(answer.data);
    } else if (answer.data.next === "mfa") {
      showMfa(answer.data.mfa);
    } else {
      afterLogin(answer.data.accounts || []);
    }
  }

  function mfaType(mfa) {
    return { device: "code", questions: "questions", selections: "selections" }[mfa.type];
  }

  function showMfa(mfa) {
    s.mfa = mfa;
    transition("MFA", { mfa_type: mfaType(mfa) });
    var inputs = [];
    var children = [];
    mfa.questions.forEach(function (question, i) {
      var id = "mfa-" + i;
      if (question.choices) {
        var radios = question.choices.map(function (choice, j) {
          var radio = el("input", { type: "radio", name: id, id: id + "-" + j, value: choice });
          return el("label", { class: "choice", for: id + "-" + j }, [radio, document.createTextNode(choice)]);
        });
        children.push(el("fieldset", {}, [el("legend", { text: question.text })].concat(radios)));
        inputs.push(function () {
          var picked = body.querySelector('input[name="' + id + '"]:checked');
          return picked ? picked.value : "";
        });
      } else {
        var label = mfa.type === "device" ? "Verification code" : question.text;
        var parts = field(id, label, "text");
        children.push(parts[0], parts[1]);
        inputs.push(function () {
          return parts[1].value;
        });
      }
    });
    var hint = {
      device: "Sandbox: the code is 1234.",
      questions: "Sandbox: answer_<round>_<question>, e.g. answer_1_1.",
      selections: "Sandbox: pick Yes, or answer_<round>_<question>_0.",
    }[mfa.type];
    var form = el("form", {}, [el("p", { class: "hint", text: hint })].concat(children, [
      el("button", { type: "submit", class: "primary", text: "Submit" }),
    ]));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var answers = inputs.map(function (read) {
        return read();
      });
      event("SUBMIT_MFA", { mfa_type: mfaType(mfa), view_name: "MFA" });
      loading();
      api("mfa", {
        username: s.username,
        password: s.password,
        round: mfa.round,
        answers: answers,
      }).then(function (answer) {
        if (answer.ok) {
          s.mfaAnswers.push(answers);
        }
        next(answer);
      });
    });
    pane(mfa.type === "device" ? "Enter your code" : "Answer your security questions", [form]);
  }

  function afterLogin(accounts) {
    if (s.session.select_account && !s.session.update_mode) {
      showAccounts(accounts);
    } else {
      finish(null);
    }
  }

  function showAccounts(accounts) {
    transition("SELECT_ACCOUNT");
    var boxes = accounts.map(function (account) {
      var id = "account-" + account.position;
      var box = el("input", { type: "checkbox", id: id, value: String(account.position) });
      return el("label", { class: "choice", for: id }, [
        box,
        document.createTextNode(account.name + " ••" + account.mask),
      ]);
    });
    var go = el("button", { type: "submit", class: "primary", text: "Continue", disabled: "disabled" });
    var form = el("form", {}, [el("fieldset", {}, [el("legend", { text: "Accounts" })].concat(boxes)), go]);
    form.addEventListener("change", function () {
      go.disabled = form.querySelectorAll("input:checked").length === 0;
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var picked = Array.prototype.map.call(form.querySelectorAll("input:checked"), function (box) {
        return Number(box.value);
      });
      finish(picked);
    });
    pane("Select accounts", [el("p", { text: "Which accounts do you want to share?" }), form]);
  }

  function finish(positions) {
    loading();
    var payload = {
      link_session_id: s.session.link_session_id,
      institution_id: institutionId(),
      username: s.username,
      password: s.password,
      mfa: s.mfaAnswers,
    };
    if (positions) {
      payload.accounts = positions;
    }
    api("finish", payload).then(function (answer) {
      if (!answer.ok) {
        fail(answer.data);
        return;
      }
      s.result = answer.data;
      s.finished = true;
      transition("CONNECTED");
      var name = s.session.client_name || "the app";
      pane("Success", [
        el("p", { text: "Your account is connected to " + name + "." }),
        el("button", { type: "button", class: "primary", text: "Continue", onclick: handoff }),
      ]);
    });
  }

  function handoff() {
    event("HANDOFF", { view_name: "CONNECTED" });
    tell({
      plaidMock: "success",
      publicToken: s.result.public_token,
      metadata: s.result.metadata,
    });
    leaveHosted("You are connected. You can close this window.");
  }

  function errorShape(data) {
    return {
      error_type: data.error_type || "API_ERROR",
      error_code: data.error_code || "INTERNAL_SERVER_ERROR",
      error_message: data.error_message || "",
      display_message: data.display_message === undefined ? null : data.display_message,
    };
  }

  function fail(data) {
    var error = errorShape(data || {});
    s.lastError = error;
    event("ERROR", {
      error_type: error.error_type,
      error_code: error.error_code,
      error_message: error.error_message,
      view_name: s.view,
    });
    transition("ERROR", {
      error_type: error.error_type,
      error_code: error.error_code,
      error_message: error.error_message,
    });
    var children = [
      el("p", { text: error.display_message || error.error_message }),
      el("p", { class: "error-code", text: error.error_type + " · " + error.error_code }),
    ];
    if (s.session && !s.openError) {
      children.push(el("button", { type: "button", class: "secondary", text: "Try again", onclick: showCredentials }));
    }
    children.push(el("button", { type: "button", class: "primary", text: "Exit", onclick: leave }));
    pane("Something went wrong", children);
  }

  function exitStatus() {
    var byView = {
      SELECT_INSTITUTION: "institution_not_found",
      CREDENTIAL: "requires_credentials",
      SELECT_ACCOUNT: "requires_account_selection",
      ERROR: "requires_credentials",
      CONNECTED: "requires_account_selection",
    };
    var view = s.view === "EXIT" ? s.previousView : s.view;
    if (view === "MFA" && s.mfa) {
      return { device: "requires_code", questions: "requires_questions", selections: "requires_selections" }[s.mfa.type];
    }
    return byView[view] || "requires_credentials";
  }

  function confirmExit() {
    var back = s.view;
    transition("EXIT");
    pane("Exit Link?", [
      el("p", { text: "Your progress will be lost." }),
      el("button", { type: "button", class: "primary", text: "Exit", onclick: leave }),
      el("button", {
        type: "button",
        class: "secondary",
        text: "Go back",
        onclick: function () {
          rerender(back);
        },
      }),
    ]);
  }

  function rerender(view) {
    if (view === "SELECT_INSTITUTION") {
      s.view = null;
      showSearch();
    } else if (view === "MFA" && s.mfa) {
      s.view = null;
      showMfa(s.mfa);
    } else if (view === "CONNECTED" && s.result) {
      s.view = null;
      transition("CONNECTED");
      pane("Success", [
        el("button", { type: "button", class: "primary", text: "Continue", onclick: handoff }),
      ]);
    } else {
      s.view = null;
      showCredentials();
    }
  }

  function leave() {
    if (s.finished && s.result) {
      handoff();
      return;
    }
    var status = exitStatus();
    event("EXIT", { exit_status: status, view_name: s.view });
    var metadata = {
      institution: s.institution,
      status: status,
      link_session_id: s.session ? s.session.link_session_id : null,
      request_id: s.requestId,
    };
    var error = s.lastError;
    var tellApp = function () {
      tell({ plaidMock: "exit", error: error, metadata: metadata });
      leaveHosted("You left Link. You can close this window.");
    };
    if (s.session) {
      api("exit", { link_session_id: s.session.link_session_id }).then(tellApp);
    } else {
      tellApp();
    }
  }

  function leaveHosted(message) {
    if (!hosted) {
      return;
    }
    var uri = s.session && s.session.completion_redirect_uri;
    if (uri && /^https?:\/\//.test(uri)) {
      window.location.assign(uri);
    } else {
      pane("Done", [el("p", { text: message })]);
    }
  }

  closeButton.addEventListener("click", function () {
    if (s.view === "EXIT" || s.view === "ERROR" || !s.session) {
      leave();
    } else {
      confirmExit();
    }
  });

  function openSession() {
    fresh();
    return api("open", {}).then(function (answer) {
      if (answer.ok) {
        s.session = answer.data;
      } else {
        s.openError = answer.data;
      }
    });
  }

  window.addEventListener("message", function (e) {
    if (hosted || e.source !== window.parent || e.origin !== parentOrigin) {
      return;
    }
    var data = e.data || {};
    if (data.plaidMock === "open") {
      if (s.started) {
        openSession().then(start); // opened again: a new Link session
      } else {
        start();
      }
    } else if (data.plaidMock === "exit") {
      if (data.force || s.view === "EXIT") {
        leave();
      } else if (s.started) {
        confirmExit();
      }
    }
  });

  openSession().then(function () {
    if (hosted) {
      start();
    } else {
      tell({ plaidMock: "ready" });
    }
  });
})();
