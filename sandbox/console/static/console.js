// The console's script: the buttons and settings call the documented /_sandbox controls,
// the journal polls for new calls, and the state panels are re-read from the server
// after a change. Everything is rendered by the server; without this script the pages
// still read. No dependencies: the sandbox works offline.
"use strict";

(function () {
  const POLL_MS = 500;          // a call appears within a second
  const REFRESH_MS = 3000;      // webhook attempts and a running clock change by themselves
  const page = document.querySelector(".tenant-page");
  const notice = document.getElementById("notice");

  function say(text, isError) {
    notice.textContent = text;
    notice.classList.toggle("error", Boolean(isError));
    notice.hidden = false;
  }

  async function control(method, path, body) {
    const response = await fetch(path, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: method === "GET" || method === "DELETE" ? undefined : JSON.stringify(body || {}),
    });
    let answer = null;
    const text = await response.text();
    if (text) {
      try { answer = JSON.parse(text); } catch (e) { answer = text; }
    }
    if (!response.ok) {
      const message = answer && answer.error ? answer.error.message : response.statusText;
      const details = answer && answer.error && answer.error.details
        ? " " + JSON.stringify(answer.error.details) : "";
      throw new Error(method + " " + path + " → " + response.status + ": " + message + details);
    }
    return answer;
  }

  // --- buttons -------------------------------------------------------------------------
  document.addEventListener("click", async function (event) {
    const button = event.target.closest("button.action");
    if (!button) return;
    event.preventDefault();
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    button.disabled = true;
    try {
      const answer = await control(button.dataset.method, button.dataset.path,
                                   JSON.parse(button.dataset.body || "{}"));
      say(button.textContent.trim() + ": done (" + button.dataset.method + " " +
          button.dataset.path + ")");
      if (button.dataset.name === "create-tenant" && answer && answer.tenant) {
        window.location.assign("/console/tenants/" + encodeURIComponent(answer.tenant));
        return;
      }
      await refresh();
    } catch (error) {
      say(error.message, true);
    } finally {
      button.disabled = false;
    }
  });

  // --- settings ------------------------------------------------------------------------
  function settingValue(input) {
    switch (input.dataset.kind) {
      case "toggle": return input.checked;
      case "number": return input.value === "" ? null : Number(input.value);
      case "text": return input.value === "" && input.dataset.nullable ? null : input.value;
      default: return input.value;
    }
  }

  document.addEventListener("change", async function (event) {
    const input = event.target.closest("form.settings [data-kind]");
    if (!input) return;
    const form = input.closest("form.settings");
    const change = {};
    change[input.name] = settingValue(input);
    input.disabled = true;
    try {
      await control("PATCH", form.dataset.path, change);
      say(input.name + " = " + JSON.stringify(change[input.name]) + " (PATCH " +
          form.dataset.path + ")");
      await refresh();
    } catch (error) {
      say(error.message, true);
      await refresh(true);  // back to what the sandbox holds
    } finally {
      input.disabled = false;
    }
  });
  document.addEventListener("submit", function (event) {
    if (event.target.matches("form.settings")) event.preventDefault();  // Enter: change
  });

  if (!page) return;  // the index and sign-in pages need no more

  // --- the state panels ----------------------------------------------------------------
  const panels = document.getElementById("panels");
  let refreshing = null;

  async function refresh(force) {
    // Not while someone types into a setting: the new page would take their text away.
    const active = document.activeElement;
    if (!force && active && panels.contains(active) && active.matches("input[type=text], input[type=number]")) return;
    if (refreshing) return refreshing;
    refreshing = (async function () {
      try {
        const response = await fetch(page.dataset.panels, { credentials: "same-origin" });
        if (!response.ok) return;
        const fresh = await response.text();
        // Read just before the swap, so a section opened while the page was fetched stays open.
        const open = Array.from(panels.querySelectorAll("details[open][id]")).map((d) => d.id);
        const scroll = window.scrollY;
        panels.innerHTML = fresh;
        open.forEach(function (id) {
          const again = document.getElementById(id);
          if (again) again.open = true;
        });
        window.scrollTo(0, scroll);
        startClock();
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  // --- the clock: a running one ticks here between refreshes ---------------------------
  let ticking = null;
  function startClock() {
    if (ticking) window.clearInterval(ticking);
    const clock = document.getElementById("clock");
    if (!clock || clock.dataset.frozen === "true") return;
    const then = Date.parse(clock.dataset.now);
    const loaded = Date.now();
    ticking = window.setInterval(function () {
      const shown = document.getElementById("clock-now");
      if (!shown) return;
      const now = new Date(then + (Date.now() - loaded));
      shown.textContent = now.toISOString().slice(0, 19).replace("T", " ") + " UTC";
    }, 1000);
  }
  startClock();

  // --- the live journal ----------------------------------------------------------------
  const journal = document.getElementById("journal");
  const list = document.getElementById("journal-entries");
  const empty = document.getElementById("journal-empty");
  let after = Number(journal.dataset.after || 0);

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function pretty(body) {
    try { return JSON.stringify(JSON.parse(body), null, 2); } catch (e) { return body; }
  }

  function entryNode(entry) {  // the same structure as _entry.html
    const item = element("li", "entry");
    item.dataset.seq = entry.seq;
    item.classList.add("new");
    const details = element("details");
    const summary = element("summary");
    const time = element("time", "", entry.at.slice(11, 19));
    time.setAttribute("datetime", entry.at);
    summary.append(time, " ", element("span", "provider", entry.provider), " ",
      element("span", "method", entry.method), " ",
      element("span", "path", entry.path + (entry.query ? "?" + entry.query : "")), " ",
      element("span", "code s" + Math.floor(entry.response.status / 100) + "xx",
              String(entry.response.status)), " ",
      element("span", "ms", entry.durationMs.toFixed(1) + " ms"));
    const bodies = element("div", "bodies");
    bodies.append(element("h4", "", "Request headers"),
      element("pre", "", JSON.stringify(entry.request.headers, null, 2)),
      element("h4", "", "Request body"), element("pre", "", pretty(entry.request.body) || "(empty)"),
      element("h4", "", "Response body"), element("pre", "", pretty(entry.response.body) || "(empty)"));
    details.append(summary, bodies);
    item.append(details);
    return item;
  }

  async function poll() {
    try {
      const answer = await control("GET", journal.dataset.path + "?after=" + after);
      if (answer.entries.length) {
        answer.entries.forEach(function (entry) {
          list.prepend(entryNode(entry));
          after = Math.max(after, entry.seq);
        });
        empty.hidden = true;
        await refresh();  // the call may have changed what the vendors show
      }
      journal.classList.remove("offline");
    } catch (error) {
      journal.classList.add("offline");  // the sandbox stopped, or the tenant went
    } finally {
      window.setTimeout(poll, POLL_MS);
    }
  }
  window.setTimeout(poll, POLL_MS);
  window.setInterval(function () { refresh(); }, REFRESH_MS);
})();
