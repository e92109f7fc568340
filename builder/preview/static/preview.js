/*
 * Bon Sens preview: the page of the local LMS.
 *
 * Reads what the server says of the package (/_preview/package.json) and the data models saved
 * so far (/_preview/state.json); shows the table of contents; launches a SCO; shows every API
 * call and the SCO's data model as they happen; saves the data models back to the server after
 * every change, so that reloading the page keeps them.
 *
 * The package runs on another origin (see server.py), in the frame, inside the relay page
 * (relay.js), which gives the SCO its API and tells this page every call. This page replays each
 * call on its own LMS (lms-api.js), strictly: what it shows and saves comes from there, never
 * from what the package's origin claims the data model is.
 */
(function () {
  "use strict";

  var LOG_LIMIT = 3000;
  var LMS = window.BonSensLMS;
  var REPORT = window.BonSensReport;

  var info = null; // the package, from the manifest
  var items = {}; // item identifier -> item
  var order = []; // launchable item identifiers, in the manifest's order
  var models = {}; // item identifier -> data model (the very object the LMS changes)
  var launches = {}; // item identifier -> how many times launched
  var current = null; // the selected item's identifier
  var launched = false; // whether the selected item is in the frame
  var lms = null;
  var started = Date.now();
  var callNumber = 0;
  var errorCount = 0;
  var expectedErrors = 0; // of errorCount: those a normal first launch makes (see appendCall)
  var changedKeys = {};
  var lastModel = {};
  var renderPending = false;
  var saveTimer = null;
  var queue = Promise.resolve();
  var RELAY_WAIT = 3000; // ms to wait for the relay's answer
  var MAX_ARGUMENTS = 4;
  var relaySequence = 0;
  var relayWaiting = {}; // sequence number -> resolve

  function $(id) { return document.getElementById(id); }

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else if (name === "className") node.className = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function getJSON(url) {
    return fetch(url, { cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  }

  // ------------------------------------------------------------------ start

  function start() {
    Promise.all([getJSON("/_preview/package.json"), getJSON("/_preview/state.json")]).then(function (results) {
      info = results[0];
      restore(results[1]);
      info.items.forEach(function (item) {
        items[item.identifier] = item;
        if (item.launch) order.push(item.identifier);
      });
      lms = LMS.create(info.standard, {
        onCall: onCall, onChange: onChange, onCommit: saveSoon, onTerminate: onTerminate, onNote: note
      }, { items: order });
      showPackage();
      window.addEventListener("message", onRelayMessage);
      return loadRelay();
    }).then(function () {
      var first = restoredSelection && items[restoredSelection] ? restoredSelection : order[0];
      return select(first);
    }).then(function () {
      document.body.setAttribute("data-ready", "true");
    }).catch(function (error) {
      $("package-line").textContent = "The preview could not start: " + error.message;
    });
    $("relaunch").addEventListener("click", function () { if (current) launch(current, "resume"); });
    $("reset").addEventListener("click", function () { if (current) launch(current, "reset"); });
    $("download").addEventListener("click", download);
    $("download-report").addEventListener("click", function () {
      if (current) offer(REPORT.html(report()), "text/html", current + "-report.html");
    });
    $("download-csv").addEventListener("click", function () {
      if (current) offer(REPORT.csv(report()), "text/csv", current + "-answers.csv");
    });
    $("clear-log").addEventListener("click", function () {
      $("log").tBodies[0].textContent = "";
      errorCount = 0;
      expectedErrors = 0;
      callNumber = 0;
      updateLogCount();
    });
    window.addEventListener("pagehide", function () { save(true); });
  }

  var restoredSelection = null;

  function restore(saved) {
    if (!saved || saved.format !== 1 || !saved.items) return;
    Object.keys(saved.items).forEach(function (id) {
      var entry = saved.items[id];
      if (entry && entry.model && typeof entry.model === "object") {
        models[id] = entry.model;
        launches[id] = entry.launches || 0;
      }
    });
    restoredSelection = saved.selected || null;
  }

  function showPackage() {
    $("course-title").textContent = "— " + (info.title || info.identifier);
    document.title = "Preview: " + (info.title || info.package);
    var api = info.standard === "1.2" ? "window.API (LMSInitialize…)" : "window.API_1484_11 (Initialize…)";
    $("package-line").textContent = info.package + " · SCORM " + info.standard +
      (info.schemaversion && info.schemaversion !== info.standard ? " (" + info.schemaversion + ")" : "") +
      " · " + order.length + " item(s) to launch · API: " + api;
    renderToc();
  }

  // ------------------------------------------------------------------ table of contents

  function renderToc() {
    var body = $("toc").tBodies[0];
    body.textContent = "";
    info.items.forEach(function (item) {
      var summary = item.launch ? LMS.summary(info.standard, models[item.identifier]) : null;
      var row = element("tr", { "data-item": item.identifier, className: item.launch ? "launchable" : "cluster" });
      if (item.identifier === current) row.className += " selected";
      var titleCell = element("td", { className: "title" });
      titleCell.style.paddingLeft = (0.5 + item.depth * 1.2) + "rem";
      if (item.launch) {
        var button = element("button", { type: "button", className: "link", text: item.title,
          title: "Launch " + item.title + " (" + item.path + ")" });
        button.addEventListener("click", function () { launch(item.identifier, "resume"); });
        titleCell.appendChild(button);
        var details = [item.scorm_type === "asset" ? "asset (no tracking)" : "SCO"];
        if (item.mastery_score !== null) details.push("mastery score " + item.mastery_score);
        if (item.scaled_passing_score !== null) details.push("passing " + Math.round(item.scaled_passing_score * 100) + " %");
        if (!item.visible) details.push("hidden from the learner's menu");
        titleCell.appendChild(element("div", { className: "muted small", text: details.join(" · ") }));
        if (item.prerequisites) {
          var met = prerequisitesMet(item.prerequisites);
          titleCell.appendChild(element("div", { className: "small requires" + (met ? " met" : " unmet"),
            text: (met ? "✓ " : "🔒 ") + "requires " + describe(item.prerequisites) }));
        }
      } else {
        titleCell.appendChild(element("strong", { text: item.title }));
      }
      row.appendChild(titleCell);
      row.appendChild(element("td", { className: "status", text: summary ? summary.status : "" }));
      row.appendChild(element("td", { className: "score", text: summary ? summary.score : "" }));
      body.appendChild(row);
    });
  }

  function describe(expression) {
    return expression.replace(/[^&|~()\s]+/g, function (id) { return items[id] ? "“" + items[id].title + "”" : id; })
      .replace(/&/g, " and ").replace(/\|/g, " or ").replace(/~/g, "not ");
  }

  /* Evaluate an aicc_script prerequisite: identifiers, & (and), | (or), ~ (not), parentheses. */
  function prerequisitesMet(expression) {
    var tokens = expression.match(/[&|~()]|[^&|~()\s]+/g) || [];
    var position = 0;
    function satisfied(id) {
      var summary = LMS.summary(info.standard, models[id]);
      return Boolean(items[id]) && summary.satisfied;
    }
    function primary() {
      var token = tokens[position++];
      if (token === "~") return !primary();
      if (token === "(") { var value = either(); position++; return value; }
      return satisfied(token);
    }
    function both() {
      var value = primary();
      while (tokens[position] === "&") { position++; value = primary() && value; }
      return value;
    }
    function either() {
      var value = both();
      while (tokens[position] === "|") { position++; value = both() || value; }
      return value;
    }
    try { return either(); } catch (e) { return true; }
  }

  // ------------------------------------------------------------------ launching

  function select(id) {
    current = id;
    launched = false;
    var stored = models[id];
    // Not launched: the API is ready for this SCO's next session, the stored model stays as it is
    // until that session changes something.
    var model = stored ? LMS.resumedModel(info.standard, stored).model : LMS.newModel(info.standard, items[id]);
    lms.begin(model, items[id]);
    $("current-title").textContent = items[id].title;
    lastModel = {};
    changedKeys = {};
    renderToc();
    updateState();
    renderSoon();
    return tellRelay({ bonsens: "begin", model: model, item: items[id], url: null });
  }

  // ------------------------------------------------------------------ the relay (the package's origin)

  function relayFrame() { return $("sco-frame"); }

  /* Load the relay page into the frame; resolves once it is there, ready for messages. */
  function loadRelay() {
    return new Promise(function (resolve) {
      var frame = relayFrame();
      function loaded() {
        frame.removeEventListener("load", loaded);
        resolve();
      }
      frame.addEventListener("load", loaded);
      frame.src = info.package_origin + "/_relay/";
    });
  }

  /* Send the relay a message; resolves with whether it answered in time. */
  function tellRelay(message) {
    relaySequence += 1;
    var sequence = relaySequence;
    message.seq = sequence;
    message.standard = info.standard;
    message.items = order;
    return new Promise(function (resolve) {
      var timer = setTimeout(function () {
        delete relayWaiting[sequence];
        resolve(false);
      }, RELAY_WAIT);
      relayWaiting[sequence] = function () {
        clearTimeout(timer);
        delete relayWaiting[sequence];
        resolve(true);
      };
      relayFrame().contentWindow.postMessage(message, info.package_origin);
    });
  }

  /* A session for the selected SCO in the relay; a relay that the package navigated away from or
     broke is loaded again. */
  function beginInRelay(message) {
    return tellRelay(message).then(function (answered) {
      if (answered) return true;
      note("warn", "The relay page that gives the SCO its API did not answer (did the SCO navigate away from it?): " +
        "loading it again.");
      return loadRelay().then(function () { return tellRelay(message); });
    });
  }

  /* Only the relay's window, from the package's origin, is heard; what it says is untrusted. */
  function onRelayMessage(event) {
    var message = event.data;
    if (event.source !== relayFrame().contentWindow || event.origin !== info.package_origin) return;
    if (!message || typeof message !== "object") return;
    if (message.bonsens === "ack" && typeof relayWaiting[message.seq] === "function") relayWaiting[message.seq]();
    else if (message.bonsens === "call") replay(message.method, message.args);
  }

  /* A call the SCO made, replayed on this page's LMS: strict checks, log and data model here. */
  function replay(method, args) {
    if (!lms || typeof method !== "string" || lms.methods.indexOf(method) < 0 || !Array.isArray(args)) return;
    lms.binding[method].apply(null, args.slice(0, MAX_ARGUMENTS).map(plain));
  }

  function plain(value) {
    var kind = typeof value;
    if (value === null || kind === "undefined" || kind === "string" || kind === "number" || kind === "boolean") {
      return value;
    }
    return "";
  }

  /* Launch (or relaunch) a SCO: unload what is in the frame, end its session, start a new one. */
  function launch(id, mode) {
    queue = queue.then(function () { return doLaunch(id, mode); }).catch(function (error) {
      note("warn", "Launch failed: " + error.message);
    });
    return queue;
  }

  function doLaunch(id, mode) {
    var item = items[id];
    var entry;
    return unloadSco().then(function () {
      lms.end();
      var stored = models[id];
      var model;
      if (mode === "reset" || !stored) {
        model = LMS.newModel(info.standard, item);
        entry = mode === "reset" ? "Reset attempt: a fresh data model" : "First launch: a fresh data model";
      } else {
        var resumed = LMS.resumedModel(info.standard, stored);
        model = resumed.model;
        entry = resumed.suspended ? "Resume: the SCO exited with suspend" : "Relaunch: the SCO did not exit with suspend";
      }
      models[id] = model;
      launches[id] = (launches[id] || 0) + 1;
      current = id;
      launched = true;
      lms.begin(model, item);
      lastModel = {};
      changedKeys = {};
      return beginInRelay({ bonsens: "begin", model: model, item: item, url: item.launch });
    }).then(function () {
      var model = models[id];
      var is12 = info.standard === "1.2";
      var location = model[is12 ? "cmi.core.lesson_location" : "cmi.location"] || "";
      var suspendData = model["cmi.suspend_data"] || "";
      note("launch", "Launch " + (launches[id]) + " of “" + item.title + "” (" + item.path + "). " + entry + ": " +
        (is12 ? "cmi.core.entry" : "cmi.entry") + " = \"" + model[is12 ? "cmi.core.entry" : "cmi.entry"] + "\", " +
        "location = \"" + location + "\", suspend_data = " + suspendData.length + " characters.");
      if (item.prerequisites && !prerequisitesMet(item.prerequisites)) {
        note("warn", "Prerequisites not met (" + describe(item.prerequisites) + "): an LMS would not let the learner launch this yet.");
      }
      if (item.scorm_type === "asset") note("info", "This item is an asset: it has no SCORM session to track.");
      $("current-title").textContent = item.title;
      renderToc();
      updateState();
      renderSoon();
      saveSoon();
    });
  }

  /* Unload the SCO in the relay: its unload handlers run, their calls arrive before the answer. */
  function unloadSco() {
    if (!launched) return Promise.resolve(true);
    return tellRelay({ bonsens: "unload" });
  }

  function updateState() {
    var state = lms.state();
    var text = {
      idle: "idle",
      "not initialized": launched ? "launched · waiting for Initialize" : "not launched · API ready",
      running: "running (initialized)",
      terminated: "terminated"
    }[state] || state;
    var pill = $("session-state");
    pill.textContent = text;
    pill.setAttribute("data-state", state);
  }

  // ------------------------------------------------------------------ API hooks

  function onCall(entry) {
    appendCall(entry);
    updateState();
    renderSoon();
  }

  function onChange(model) {
    if (current && lms.model() === model) models[current] = model;
    renderSoon();
    saveSoon();
  }

  function onTerminate() {
    updateState();
    renderToc();
    save(false);
  }

  // ------------------------------------------------------------------ the log

  function shortText(value) {
    if (typeof value !== "string") return value === undefined ? "undefined" : JSON.stringify(value);
    var text = value.length > 80 ? value.slice(0, 77) + "…" : value;
    return JSON.stringify(text) + (value.length > 80 ? " (" + value.length.toLocaleString("en") + " characters)" : "");
  }

  function appendCall(entry) {
    callNumber += 1;
    var query = /GetLastError|GetErrorString|GetDiagnostic/.test(entry.method);
    var failed = !query && entry.error !== 0;
    // 403 in SCORM 2004: reading what was never set, as a SCO does on its first launch. An error
    // code all the same, shown in a softer colour.
    var expected = failed && info.standard === "2004" && entry.error === 403;
    if (failed) errorCount += 1;
    if (expected) expectedErrors += 1;
    var row = element("tr", {
      className: "call" + (failed ? " error" : "") + (expected ? " expected" : "") + (query ? " query" : ""),
      "data-method": entry.method, "data-error": String(query ? 0 : entry.error)
    });
    row.appendChild(element("td", { className: "num", text: String(callNumber) }));
    row.appendChild(element("td", { className: "time", text: elapsed() }));
    row.appendChild(element("td", { className: "method" }, [
      element("code", { text: entry.method + "(" + entry.args.map(shortText).join(", ") + ")" })
    ]));
    row.appendChild(element("td", { className: "result" }, [element("code", { text: shortText(entry.result) })]));
    var errorCell = element("td", { className: "code" });
    if (failed) {
      errorCell.appendChild(element("strong", { text: entry.error + " " + entry.errorString }));
      if (entry.diagnostic) errorCell.appendChild(element("div", { className: "diagnostic", text: entry.diagnostic }));
      if (expected) errorCell.appendChild(element("div", { className: "diagnostic", text: "Expected on a first launch." }));
    } else {
      errorCell.textContent = query ? "" : "0";
    }
    row.appendChild(errorCell);
    addLogRow(row);
  }

  function note(level, text) {
    var row = element("tr", { className: "note " + level, "data-method": "LMS", "data-error": "0" });
    row.appendChild(element("td", { className: "num", text: "" }));
    row.appendChild(element("td", { className: "time", text: elapsed() }));
    var cell = element("td", { colspan: "3", text: text });
    row.appendChild(cell);
    addLogRow(row);
  }

  function addLogRow(row) {
    var body = $("log").tBodies[0];
    var scroller = $("log-scroll");
    var atBottom = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 30;
    body.appendChild(row);
    while (body.rows.length > LOG_LIMIT) body.deleteRow(0);
    if (atBottom) scroller.scrollTop = scroller.scrollHeight;
    updateLogCount();
  }

  function updateLogCount() {
    $("log-count").textContent = "(" + callNumber + " call(s), " + errorCount + " error(s))";
  }

  function elapsed() {
    var seconds = (Date.now() - started) / 1000;
    var minutes = Math.floor(seconds / 60);
    return minutes + ":" + (seconds % 60).toFixed(1).padStart(4, "0");
  }

  // ------------------------------------------------------------------ the data model panel

  function renderSoon() {
    if (renderPending) return;
    renderPending = true;
    window.requestAnimationFrame(function () {
      renderPending = false;
      renderModel();
      renderSummary();
      renderToc();
    });
  }

  // ------------------------------------------------------------------ what the LMS will record

  /* The summary of the selected SCO, from the strict LMS's data model (report.js). */
  function report() {
    return REPORT.summarize(info.standard, lms.model(), {
      itemId: current, items: items, title: items[current].title, course: info.title, package: info.package,
      exported: new Date().toISOString().slice(0, 16).replace("T", " "),
      errors: { total: errorCount, expected: expectedErrors }, sessionOpen: lms.state() === "running"
    });
  }

  function renderSummary() {
    if (!lms || !current) return;
    REPORT.render($("summary"), report());
    $("summary-of").textContent = "for “" + items[current].title + "”";
  }

  function compareElements(a, b) {
    var left = a.split(".");
    var right = b.split(".");
    for (var i = 0; i < Math.min(left.length, right.length); i += 1) {
      if (left[i] === right[i]) continue;
      var numeric = /^\d+$/.test(left[i]) && /^\d+$/.test(right[i]);
      if (numeric) return Number(left[i]) - Number(right[i]);
      return left[i] < right[i] ? -1 : 1;
    }
    return left.length - right.length;
  }

  function renderModel() {
    if (!lms) return;
    var model = lms.model();
    var keys = Object.keys(model).sort(compareElements);
    var first = Object.keys(lastModel).length === 0; // a new session: nothing "changed" yet
    keys.forEach(function (key) { if (!first && lastModel[key] !== model[key]) changedKeys[key] = Date.now(); });
    var body = $("datamodel").tBodies[0];
    body.textContent = "";
    keys.forEach(function (key) {
      var value = model[key];
      var recent = changedKeys[key] && Date.now() - changedKeys[key] < 1500;
      var row = element("tr", { "data-element": key, className: recent ? "changed" : "" });
      row.appendChild(element("td", {}, [element("code", { text: key })]));
      var shown = value.length > 300 ? value.slice(0, 297) + "…" : value;
      var cell = element("td", { className: "value", text: shown });
      if (value.length > 300) cell.title = value.length.toLocaleString("en") + " characters";
      row.appendChild(cell);
      row.appendChild(element("td", { className: "access", text: lms.elementAccess(key) }));
      body.appendChild(row);
    });
    $("datamodel-count").textContent = current ? "of “" + items[current].title + "” (" + keys.length + " elements)" : "";
    lastModel = {};
    keys.forEach(function (key) { lastModel[key] = model[key]; });
  }

  // ------------------------------------------------------------------ saving and download

  function snapshot() {
    var saved = { format: 1, package: info.package, identifier: info.identifier, selected: current, items: {} };
    Object.keys(models).forEach(function (id) {
      saved.items[id] = { model: models[id], launches: launches[id] || 0 };
    });
    return saved;
  }

  function saveSoon() {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(function () { save(false); }, 250);
  }

  function save(leaving) {
    if (!info) return;
    if (saveTimer) { clearTimeout(saveTimer); saveTimer = null; }
    var body = JSON.stringify(snapshot());
    fetch("/_preview/state.json", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: body,
      keepalive: leaving && body.length < 60000
    }).catch(function () {
      if (!leaving) note("warn", "Could not save the data models to the preview server (is it still running?).");
    });
  }

  function download() {
    if (!current) return;
    var data = {
      package: info.package, standard: "SCORM " + info.standard, item: current, title: items[current].title,
      session: lms.state(), exported: new Date().toISOString(), model: lms.model()
    };
    offer(JSON.stringify(data, null, 2) + "\n", "application/json", current + "-data-model.json");
  }

  /* Hand a text made here to the browser as a file to save. */
  function offer(text, type, name) {
    var blob = new Blob([text], { type: type + ";charset=utf-8" });
    var link = element("a", { href: URL.createObjectURL(blob), download: name });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
  }

  window.BonSensPreview = {
    launch: launch,
    lms: function () { return lms; },
    models: function () { return models; }
  };

  start();
})();
