/*
 * Bon Sens: the SCORM adapter (SCORM 1.2 and SCORM 2004 4th edition packages).
 *
 * Loaded last, after core.js (the launch page's runtime, which knows no standard) and
 * scorm-codec.js (suspend_data's "B1" text); builds the adapter core.js describes at its top and
 * starts the core with it. It:
 *   - finds the LMS API (window, then up to 7 parents, then the opener and its parents; retried
 *     every 250 ms for 2 s) and initialises it once; without one, the core works offline;
 *   - hands the core suspend_data and the location whatever cmi.entry says, and the learner;
 *   - reports statuses, score, objectives and interactions in each version's names and formats,
 *     exit and session time, and commits when the core saves (lesson read, quiz submitted, page
 *     change, page hidden, exit); keeps the interactions not yet committed (its outbox);
 *   - terminates once, asking a 2004 LMS to suspend an unfinished attempt on Exit;
 *   - lets the course's passing score decide passed/failed whatever the LMS hands (passingScore).
 */
(function () {
  "use strict";

  const runtime = window.BonSensRuntime;
  if (!runtime) return; // no valid configuration: the core said so
  const { config, isObject, finite, dict, MODEL, QUESTIONS, OBJECTIVES, OUTLINE, attemptsLeft, plainText, asList,
    session } = runtime.util;
  const codec = runtime.codec;
  // 2004 or 1.2: each package's runtime has the answer written in instead (builder/runtime_assets.py),
  // so that the minifier leaves the other version's code out
  const V2004 = config.standard === "2004";
  const SUSPEND_LIMIT = V2004 ? 64000 : 4096;
  const startedAt = Date.now();

  // ------------------------------------------------------------------------ the LMS API

  const NAMES = V2004
    ? { api: "API_1484_11", init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue",
        commit: "Commit", error: "GetLastError", text: "GetErrorString", diagnostic: "GetDiagnostic" }
    : { api: "API", init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue",
        commit: "LMSCommit", error: "LMSGetLastError", text: "LMSGetErrorString", diagnostic: "LMSGetDiagnostic" };

  /* The data model elements of each standard, by role. */
  const CMI = V2004
    ? { location: "cmi.location", suspend: "cmi.suspend_data", mode: "cmi.mode", exit: "cmi.exit",
        session: "cmi.session_time", learner: "cmi.learner_id", name: "cmi.learner_name",
        mastery: "cmi.scaled_passing_score" }
    : { location: "cmi.core.lesson_location", suspend: "cmi.suspend_data", mode: "cmi.core.lesson_mode",
        exit: "cmi.core.exit", session: "cmi.core.session_time", learner: "cmi.core.student_id",
        name: "cmi.core.student_name", mastery: "cmi.student_data.mastery_score" };

  function apiIn(win) {
    try {
      const api = win[NAMES.api];
      return api && typeof api[NAMES.init] === "function" ? api : null;
    } catch (e) {
      return null; // a window of another origin
    }
  }

  /* The standard search: this window and up to 7 parents, then the opener and its parents. */
  function scan(start) {
    let win = start;
    for (let level = 0; win && level <= 7; level++) {
      const api = apiIn(win);
      if (api) return api;
      let parent = null;
      try {
        parent = win.parent;
      } catch (e) {
        parent = null;
      }
      if (!parent || parent === win) break;
      win = parent;
    }
    return null;
  }

  function findApi() {
    let found = scan(window);
    if (found) return found;
    const openers = [];
    try {
      if (window.top && window.top.opener) openers.push(window.top.opener);
    } catch (e) {
      // cross-origin top: no opener to look at
    }
    try {
      if (window.opener) openers.push(window.opener);
    } catch (e) {
      // ignore
    }
    for (const opener of openers) {
      found = scan(opener);
      if (found) return found;
    }
    return null;
  }

  let api = null; // the LMS's, once it took our session
  let connected = false;
  let terminated = false;

  function call(name, args) {
    try {
      return String(api[NAMES[name]].apply(api, args));
    } catch (e) {
      console.warn("Bon Sens: the LMS call " + NAMES[name] + " failed:", e);
      return "false";
    }
  }

  function lastError() {
    const code = call("error", []);
    return code === "" ? "0" : code;
  }

  function diagnostic(code) {
    return call("text", [code]) + " " + call("diagnostic", [code]);
  }

  function getValue(element) {
    if (!connected || terminated) return "";
    const value = call("get", [element]);
    return value === "false" && lastError() !== "0" ? "" : value;
  }

  function setValue(element, value) {
    if (!connected || terminated) return false;
    const ok = call("set", [element, String(value)]) === "true";
    if (!ok) {
      const code = lastError();
      console.warn("Bon Sens: the LMS refused " + element + " = " + JSON.stringify(String(value)) +
        " (" + code + ": " + diagnostic(code) + ")");
    }
    return ok;
  }

  function commitValues() {
    if (!connected || terminated) return false;
    const ok = call("commit", [""]) === "true";
    if (!ok) {
      const code = lastError();
      console.warn("Bon Sens: the LMS could not save (" + code + ": " + diagnostic(code) + ")");
    }
    return ok;
  }

  function terminate() {
    if (!connected || terminated) return false;
    terminated = true;
    return call("finish", [""]) === "true";
  }

  // ------------------------------------------------------------------------ time formats

  function pad(n, width) {
    let s = String(n);
    while (s.length < width) s = "0" + s;
    return s;
  }

  function twoDigits(n) {
    return pad(n, 2);
  }

  function clock(date) {
    return twoDigits(date.getHours()) + ":" + twoDigits(date.getMinutes()) + ":" + twoDigits(date.getSeconds());
  }

  // Each as a choice of two functions, so that a bundle for one version leaves the other's out
  // (builder/runtime_assets.py writes the version in)

  /* A length of time: SCORM 2004 timeinterval, ISO 8601 such as PT1H2M3.5S, PT0S; SCORM 1.2
     CMITimespan, HHHH:MM:SS.SS (hours on 2 to 4 digits). */
  const duration = V2004
    ? function (ms) {
      const centis = Math.max(0, Math.round(ms / 10));
      const hours = Math.floor(centis / 360000);
      const minutes = Math.floor((centis % 360000) / 6000);
      const seconds = (centis % 6000) / 100;
      let text = "PT";
      if (hours) text += hours + "H";
      if (minutes) text += minutes + "M";
      if (seconds || (!hours && !minutes)) text += String(Number(seconds.toFixed(2))) + "S";
      return text;
    }
    : function (ms) {
      let centis = Math.max(0, Math.round(ms / 10));
      const max = 9999 * 360000 + 59 * 6000 + 5999;
      if (centis > max) centis = max;
      const hours = Math.floor(centis / 360000);
      const minutes = Math.floor((centis % 360000) / 6000);
      const seconds = Math.floor((centis % 6000) / 100);
      return pad(hours, 4) + ":" + twoDigits(minutes) + ":" + twoDigits(seconds) + "." + twoDigits(centis % 100);
    };

  /* A moment: SCORM 2004 timestamp (local date and time), SCORM 1.2 time (local time). */
  const timestamp = V2004
    ? (date) => date.getFullYear() + "-" + twoDigits(date.getMonth() + 1) + "-" + twoDigits(date.getDate()) + "T" +
      clock(date)
    : clock;

  // ------------------------------------------------------------------------ what the LMS holds

  // Element -> last value set, so that unchanged values are not sent again (on the core's
  // session: tests and diagnostics read it there)
  const written = (session.written = dict());
  const initialStatus = {};
  const objectiveIndex = dict();
  let pending = []; // interactions not yet in a successful commit

  function setOnce(element, value) {
    const text = String(value);
    if (written[element] === text) return true;
    const ok = setValue(element, text);
    if (ok) written[element] = text;
    return ok;
  }

  // ------------------------------------------------------------------------ what to report

  /* A status the LMS already holds is never taken back (lost suspend data, reset progress). */
  function keepBest(computed, initial, order) {
    return order.indexOf(initial) > order.indexOf(computed) ? initial : computed;
  }

  function writeScore(prefix, score) {
    setOnce(prefix + ".min", "0");
    setOnce(prefix + ".max", "100");
    setOnce(prefix + ".raw", String(score));
    if (V2004) setOnce(prefix + ".scaled", String(Math.round(score * 100) / 10000));
  }

  /* Statuses, score and objectives from the core's summary `s` of `state`. */
  function reportStatuses(s, state) {
    if (V2004) {
      // While retrying: incomplete (what keeps the attempt open) and failed (what the LMS itself
      // derives from score.scaled and scaled_passing_score, RTE 4.2.21); progress stays under 1.
      const completion = keepBest(s.complete && !s.retrying ? "completed" : "incomplete",
        initialStatus.completion, ["unknown", "not attempted", "incomplete", "completed"]);
      const success = keepBest(s.success, initialStatus.success, ["unknown", "failed", "passed"]);
      setOnce("cmi.completion_status", completion);
      setOnce("cmi.success_status", success);
      setOnce("cmi.progress_measure", String(completion === "completed" ? 1 : Math.min(s.progress, 0.99)));
    } else {
      let status;
      if (session.masteryScore !== null && s.score !== null) status = s.retrying ? "incomplete" : s.success;
      else if (session.masteryScore === null && s.complete) status = "completed";
      else status = "incomplete";
      status = keepBest(status, initialStatus.lesson,
        ["", "not attempted", "browsed", "incomplete", "completed", "failed", "passed"]);
      setOnce("cmi.core.lesson_status", status);
    }
    if (s.score !== null) writeScore(V2004 ? "cmi.score" : "cmi.core.score", s.score);
    reportObjectives(state);
  }

  function objectiveSlot(id) {
    if (objectiveIndex[id] !== undefined) return objectiveIndex[id];
    // Bounded: an LMS that claims millions of objectives must not freeze the page.
    const count = Math.min(Math.max(parseInt(getValue("cmi.objectives._count"), 10) || 0, 0), 1000);
    for (let i = 0; i < count; i++) {
      if (getValue("cmi.objectives." + i + ".id") === id) {
        objectiveIndex[id] = i;
        return i;
      }
    }
    const used = Object.keys(objectiveIndex).map((k) => objectiveIndex[k]);
    const next = Math.max(count, used.length ? Math.max.apply(null, used) + 1 : 0);
    if (!setOnce("cmi.objectives." + next + ".id", id)) return null;
    objectiveIndex[id] = next;
    return next;
  }

  function reportObjectives(state) {
    OUTLINE.modules.forEach((objective) => {
      const module = MODEL.moduleProgress(state, objective);
      const record = objective.quiz ? state.quizzes[objective.quiz] : null;
      const taken = !!(record && record.attempts > 0);
      // Done as the pages say (lessons read, quiz passed), or read with no attempt left to pass
      const settled = module.read === module.lessons && taken && attemptsLeft(state, objective.quiz) === 0;
      const completion = module.done || settled ? "completed" : module.read > 0 || taken ? "incomplete" : "not attempted";
      const index = objectiveSlot(objective.id);
      if (index === null) return;
      const prefix = "cmi.objectives." + index;
      if (taken) writeScore(prefix + ".score", record.best);
      if (V2004) {
        setOnce(prefix + ".success_status", taken ? (record.passed ? "passed" : "failed") : "unknown");
        setOnce(prefix + ".completion_status", completion);
        setOnce(prefix + ".progress_measure", String(completion === "completed" ? 1
          : Math.floor((module.stepsDone / module.steps) * 100) / 100));
      } else {
        setOnce(prefix + ".status", taken ? (record.passed ? "passed" : "failed") : completion);
      }
    });
  }

  // ------------------------------------------------------------------------ interactions

  function identifier(text) {
    return String(text).replace(/[^A-Za-z0-9_.-]/g, "_");
  }

  /* A text on one line; in 2004, without what would read as its delimiters. */
  function lmsText(text, limit) {
    const t = String(text).replace(/[\r\n\t]+/g, " ");
    return plainText(V2004 ? t.replace(/\[[,.]\]/g, (m) => m.charAt(1)).replace(/^\{+/, "(") : t, limit);
  }

  /* The learner's response in the exact format of the standard and type, or null. */
  function formatResponse(type, response) {
    const list = V2004 ? "[,]" : ",";
    const pair = V2004 ? "[.]" : ".";
    if (response === null || response === undefined) return null;
    switch (type) {
      case "true-false":
        return V2004 ? String(response === true) : response === true ? "t" : "f";
      case "choice":
        return (Array.isArray(response) ? response.map(String).join(list) : String(response)) || null;
      case "sequencing":
        return Array.isArray(response) && response.length ? response.map(String).join(list) : null;
      case "matching":
        if (!isObject(response)) return null;
        return Object.keys(response).map((left) => left + pair + String(response[left])).join(list) || null;
      case "fill-in": {
        const text = lmsText(response, V2004 ? 250 : 255).trim();
        return text === "" ? null : text;
      }
      default:
        return null;
    }
  }

  /* Every answered question of a submitted attempt, ready to be written. */
  function interactionsOf(quizId, result, attemptNumber) {
    const when = new Date(Date.parse(result.finishedAt) || Date.now());
    const list = [];
    (Array.isArray(result.questions) ? result.questions : []).forEach((q) => {
      // The quiz page's data says how to report each question (builder/interactions.py)
      const spec = q && QUESTIONS.indexOf(q.id) >= 0 && isObject(q.lms) ? q.lms : null;
      if (!spec) return;
      const type = V2004 ? spec.type2004 : spec.type12;
      const response = formatResponse(type, q.response);
      if (response === null) return;
      const suffix = attemptNumber > 1 ? "_a" + attemptNumber : "";
      const objective = OBJECTIVES.find((o) => o && o.quiz === quizId);
      list.push({
        id: identifier(q.id).slice(0, 250 - suffix.length) + suffix,
        type: type,
        response: response,
        patterns: V2004 ? asList(spec.correct2004).slice(0, 10) : [String(spec.correct12 || "")],
        result: q.correct ? "correct" : V2004 ? "incorrect" : "wrong",
        weighting: String(finite(spec.weight, 1)),
        latency: typeof q.latencyMs === "number" && q.latencyMs >= 0 ? q.latencyMs : null,
        when: timestamp(when),
        description: V2004 && spec.description ? lmsText(spec.description, 250) : "",
        objective: objective ? objective.id : "",
      });
    });
    return list;
  }

  function writeInteraction(item) {
    let index = session.count;
    let prefix = "cmi.interactions." + index;
    if (!setValue(prefix + ".id", item.id)) {
      // The LMS does not keep earlier interactions (or kept more): use its own count.
      const count = parseInt(getValue("cmi.interactions._count"), 10);
      if (!isFinite(count) || count === index) return false;
      index = count;
      prefix = "cmi.interactions." + index;
      if (!setValue(prefix + ".id", item.id)) return false;
    }
    session.count = index + 1;
    setValue(prefix + ".type", item.type);
    if (item.objective) setValue(prefix + ".objectives.0.id", item.objective);
    setValue(prefix + (V2004 ? ".timestamp" : ".time"), item.when);
    item.patterns.forEach((pattern, k) => {
      if (pattern !== "") setValue(prefix + ".correct_responses." + k + ".pattern", pattern);
    });
    setValue(prefix + ".weighting", item.weighting);
    setValue(prefix + (V2004 ? ".learner_response" : ".student_response"), item.response);
    setValue(prefix + ".result", item.result);
    if (typeof item.latency === "number" && isFinite(item.latency)) {
      setValue(prefix + ".latency", duration(item.latency));
    }
    if (item.description) setValue(prefix + ".description", item.description);
    return true;
  }

  // ------------------------------------------------------------------------ the adapter

  /* The course's passing score decides passed/failed, whatever the LMS hands (lms-pitfalls 6):
     Moodle gives a 2004 SCO the measure of the last objective it parsed, 1.0 when that one has
     none; values may also come empty or out of range. The log says when the LMS's value is set aside. */
  function passingScore(fromLms) {
    const course = finite(config.mastery_score, null);
    const text = String(fromLms === undefined || fromLms === null ? "" : fromLms).trim();
    if (text === "") {
      if (course !== null) console.info("Bon Sens: the LMS gives no passing score: the course's " + course + " % decides passed or failed.");
      return course;
    }
    const given = Number(text) * (V2004 ? 100 : 1);
    const valid = isFinite(given) && given >= 0 && given <= 100;
    if (!valid || course === null || Math.abs(given - course) > 1e-6) {
      console.info("Bon Sens: the LMS's passing score " + JSON.stringify(text) + (valid ? "" : " is not valid and") +
        " is set aside: " + (course === null ? "this SCO has no passing score." : "the course's " + course + " % decides passed or failed."));
    }
    return course;
  }

  /* Opens the LMS session; what the core needs of it, or null when the LMS refuses. */
  function connect(found) {
    api = found;
    let ok = call("init", [""]) === "true";
    if (!ok && lastError() === (V2004 ? "103" : "101") && call("get", [CMI.mode]) !== "") {
      ok = true; // initialised already by an earlier launch page in this same window
    }
    if (!ok) {
      console.warn("Bon Sens: the LMS did not start the session (" + lastError() + ").");
      api = null;
      return null;
    }
    connected = true;
    const learner = getValue(CMI.learner);
    const learnerName = getValue(CMI.name);
    const mode = getValue(CMI.mode);
    const masteryScore = passingScore(getValue(CMI.mastery));
    if (V2004) {
      initialStatus.completion = getValue("cmi.completion_status");
      initialStatus.success = getValue("cmi.success_status");
    } else {
      initialStatus.lesson = getValue("cmi.core.lesson_status");
    }
    // suspend_data and the location whatever cmi.entry says (the core restores from them)
    const saved = { text: getValue(CMI.suspend), location: getValue(CMI.location) };
    return { learner, learnerName, mode, masteryScore, saved, initialStatus };
  }

  /* Writes everything the LMS should hold now (no commit). */
  function writeAll(snapshot) {
    if (!connected || terminated) return;
    const s = snapshot.summary;
    if (!snapshot.reviewing) reportStatuses(s, snapshot.state);
    setOnce(CMI.exit, s.finished ? (V2004 ? "normal" : "") : "suspend");
    if (snapshot.location) setOnce(CMI.location, snapshot.location);
    setOnce(CMI.suspend, codec.encode(snapshot.state, snapshot, SUSPEND_LIMIT));
    const elapsed = Date.now() - startedAt;
    setValue(CMI.session, duration(elapsed));
  }

  /* Writes and commits: true when the LMS holds it all, the interactions sent included. */
  function commit(snapshot, explicit) {
    writeAll(snapshot);
    // Unfinished: suspend the whole attempt. Finished: no request, the LMS's own navigation takes
    // over. Never exitAll: Moodle 4.3 runs it through its sequencing code, which fails in PHP, and
    // the SCO's Terminate then reports a save that did happen as failed.
    if (V2004 && explicit && !snapshot.summary.finished) setValue("adl.nav.request", "suspendAll");
    const ok = commitValues();
    if (ok) pending = [];
    return ok;
  }

  runtime.start({
    standard: V2004 ? "2004" : "1.2",
    codec: codec,

    /* The API at once, else looked for every 250 ms for up to 2 s before working without it. */
    connect() {
      return (function search(tries) {
        const found = findApi();
        if (found || tries >= 8) return found ? connect(found) : null;
        return new Promise((resolve) => setTimeout(() => resolve(search(tries + 1)), 250));
      })(0);
    },

    /* Statuses and exit at once, uncommitted: "incomplete" and "suspend" until finished. */
    begin: writeAll,

    save(snapshot) {
      return commit(snapshot, false);
    },

    answered(quizId, result, attemptNumber) {
      interactionsOf(quizId, result, attemptNumber).forEach((item) => {
        pending.push(item);
        if (!terminated) writeInteraction(item);
      });
    },

    outbox() {
      return pending;
    },

    resend(items) {
      items.forEach((item) => {
        if (isObject(item) && typeof item.id === "string" && Array.isArray(item.patterns)) {
          pending.push(item);
          writeInteraction(item);
        }
      });
    },

    finish(snapshot, explicit) {
      if (!connected || terminated) return false;
      const committed = commit(snapshot, explicit);
      const finished = terminate();
      return committed && finished;
    },
  });
})();
