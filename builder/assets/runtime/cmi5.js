/*
 * Bon Sens: the cmi5 adapter of the launch-page runtime (core.js does the rest; see its header for
 * the adapter interface). The LMS launches the AU with an xAPI endpoint and a one-time token; this
 * file turns the course's progress into xAPI statements and a State document.
 *
 * The cmi5 rules it keeps (cmi5 spec; ADL's Content Test Suite checks each one, tests/cmi5/):
 *   - launch parameters endpoint, fetch, actor, registration, activityId used exactly as given;
 *     without them there is no LMS (connect() resolves null: the course works offline);
 *   - the fetch URL POSTed once for the token, kept in this page only; then, in this order, the
 *     LMS.LaunchData State, the cmi5LearnerPreferences agent profile (404 is fine), our own
 *     State document "bonsens" (resume), and only then `initialized`, sent alone;
 *   - every statement: uuid, UTC timestamp, the launch actor, the launch data's context template
 *     (copied; lists appended to, never reordered) plus the registration; cmi5-defined statements
 *     add the cmi5 category, completed/passed/failed the moveOn one and the mastery score;
 *   - `completed` once per registration, when every lesson is read and every quiz taken;
 *     `passed` once per registration, when the score reaches the mastery score (scaled = raw/100,
 *     compared as the LMS compares it); `failed` at most once per session, never after `passed`
 *     nor before it in one session: when failing is final, or at the end of a session in which
 *     the learner was scored and failed; the State document remembers what was reported;
 *   - Browse and Review: no completed/passed/failed; Review writes no State document;
 *   - one `answered` statement per question of each submitted attempt (interaction definition,
 *     response in xAPI's formats, success, duration);
 *   - one queue, sent in order; a send that fails (network, 5xx, 10 s timeout) keeps it for core's
 *     retries; the queued answers go to the safety copy (outbox) and survive a reload;
 *   - `terminated` last, once, nothing after it; on Exit, then, the LMS's returnURL.
 */
(function () {
  "use strict";

  const RT = window.BonSensRuntime;
  if (!RT || !RT.util) return;
  const util = RT.util;
  const config = util.config;

  const VERB = "http://adlnet.gov/expapi/verbs/";
  const CMI5 = "https://w3id.org/xapi/cmi5/context/";
  const CATEGORY = CMI5 + "categories/cmi5";
  const MOVE_ON = CMI5 + "categories/moveon";
  const MASTERY = CMI5 + "extensions/masteryscore";
  const STATE_ID = "bonsens";
  const TIMEOUT_MS = 10000;
  const BATCH = 50;
  const SCORING = Array.isArray(config.scoring_quizzes) ? config.scoring_quizzes : [];

  // ------------------------------------------------------------------------ small helpers

  function uuid() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* An ISO 8601 duration in seconds, to the hundredth: PT75.5S */
  function duration(ms) {
    return "PT" + Math.max(0, Math.round(ms / 10)) / 100 + "S";
  }

  function plain(html) {
    const text = new DOMParser().parseFromString(String(html || ""), "text/html").body.textContent;
    return text.replace(/\s+/g, " ").trim().slice(0, 500);
  }

  // ------------------------------------------------------------------------ the LRS

  const lrs = {
    endpoint: "",
    headers: null,
    actor: null,
    registration: "",
    activityId: "",

    /* fetch() that gives up after TIMEOUT_MS; resolves a Response, or null on network failure. */
    request(method, path, body, keepalive) {
      const control = new AbortController();
      const timer = setTimeout(() => control.abort(), TIMEOUT_MS);
      const init = { method: method, headers: this.headers, keepalive: !!keepalive, signal: control.signal };
      if (body !== undefined) init.body = JSON.stringify(body);
      return fetch(this.endpoint + path, init).then(
        (response) => (clearTimeout(timer), response),
        () => (clearTimeout(timer), null));
    },

    /* A State API (or agent profile) query: this AU, this learner, this registration. */
    query(extra, withActivity) {
      const params = { agent: JSON.stringify(this.actor) };
      if (withActivity) {
        params.activityId = this.activityId;
        params.registration = this.registration;
      }
      return new URLSearchParams(Object.assign(params, extra)).toString();
    },

    /* A JSON document: its content, null when absent (404), undefined when it could not be read. */
    read(path) {
      return this.request("GET", path).then((response) => {
        if (!response) return undefined;
        if (response.status === 404) return null;
        return response.ok ? response.json().catch(() => null) : undefined;
      });
    },
  };

  // ------------------------------------------------------------------------ the session

  const session = {
    live: false, // connected, not terminated
    startedAt: Date.now(),
    mode: "normal",
    launch: null, // LMS.LaunchData
    masteryScaled: null, // LaunchData's masteryScore (0–1), or null
    queue: [], // statements to send, in order: {verb, object?, result, question?, ...} (see statement())
    initialized: false, // `initialized` acknowledged: the rest may go in batches
    failedSent: false, // `failed` this session
    scored: false, // a scoring quiz submitted this session
    doc: { v: 1, state: null, location: "", reported: { completed: false, passed: false } },
    stored: "", // the State document as last stored
    chain: Promise.resolve(true),
  };

  /* A queue entry as a full statement, in this session's context. */
  function statement(entry) {
    const context = util.clone(session.launch.contextTemplate) || {};
    context.registration = lrs.registration;
    const activities = (context.contextActivities = context.contextActivities || {});
    const add = (kind, id) => (activities[kind] = (activities[kind] || []).concat([{ id: id }]));
    const out = {
      id: entry.id,
      timestamp: entry.timestamp,
      actor: lrs.actor,
      verb: { id: VERB + entry.verb, display: { "en-US": entry.verb } },
      object: { id: lrs.activityId, objectType: "Activity" },
      context: context,
    };
    if (entry.question) {
      out.object = { id: lrs.activityId + "/question/" + entry.question, objectType: "Activity",
        definition: entry.definition };
      add("parent", lrs.activityId);
    } else {
      add("category", CATEGORY);
      if (entry.moveOn) add("category", MOVE_ON);
      if (entry.result && entry.result.score && session.masteryScaled !== null) {
        context.extensions = Object.assign(context.extensions || {}, { [MASTERY]: session.launch.masteryScore });
      }
    }
    if (entry.result) out.result = entry.result;
    return out;
  }

  function enqueue(verb, result, moveOn) {
    session.queue.push({ id: uuid(), timestamp: new Date().toISOString(), verb: verb, result: result,
      moveOn: !!moveOn });
  }

  /* POSTs statements in order; true when the LRS holds them. A statement refused for itself
     (4xx) is dropped after being tried alone, so that one bad statement cannot block the rest. */
  async function post(entries, keepalive) {
    const response = await lrs.request("POST", "statements", entries.map(statement), keepalive);
    if (!response) return false;
    if (response.ok || response.status === 409) return true; // 409: stored by an earlier try
    if (response.status >= 500 || response.status === 408 || response.status === 429) return false;
    console.error("Bon Sens: the LRS refused a statement (" + response.status + ")");
    if (entries.length > 1) {
      for (const entry of entries) await post([entry]);
    }
    return true;
  }

  /* Sends the queue, then the State document; true when the LRS holds everything. */
  async function sync() {
    while (session.live && session.queue.length) {
      const batch = session.queue.slice(0, session.initialized ? BATCH : 1);
      if (!(await post(batch))) return false;
      session.queue.splice(0, batch.length);
      session.initialized = true;
    }
    if (!session.live) return false;
    if (session.mode === "review") return true;
    const text = JSON.stringify(session.doc);
    if (text === session.stored) return true;
    const response = await lrs.request("PUT", "activities/state?" + lrs.query({ stateId: STATE_ID }, true),
      session.doc);
    if (!response || !response.ok) return false;
    session.stored = text;
    return true;
  }

  /* One sync after the others: statements never overtake each other. */
  function flush() {
    session.chain = session.chain.then(sync, sync);
    return session.chain;
  }

  // ------------------------------------------------------------------------ what to report

  /* The score and its verdict under the LMS's mastery score (or the course's without one). */
  function verdictOf(snapshot) {
    const raw = snapshot.summary.score;
    if (typeof raw !== "number" || !isFinite(raw)) return null;
    const scaled = Math.round(raw * 100) / 10000;
    const mastery = session.masteryScaled !== null ? session.masteryScaled
      : typeof config.mastery_score === "number" ? config.mastery_score / 100 : null;
    if (mastery === null) return null;
    return { passed: scaled >= mastery, score: { scaled: scaled, raw: raw, min: 0, max: 100 } };
  }

  /* Every lesson read and every quiz taken, pass or fail. */
  function completed(state) {
    return util.LESSONS.every((id) => state.lessons[id]) && util.QUIZZES.every((id) => util.quizTaken(state, id));
  }

  /* Notes the snapshot in the State document and queues what it newly earns (Normal mode only). */
  function note(snapshot, ending) {
    const doc = session.doc;
    doc.state = snapshot.state;
    doc.location = snapshot.location || "";
    if (session.mode !== "normal") return;
    const spent = duration(Date.now() - session.startedAt);
    if (!doc.reported.completed && completed(snapshot.state)) {
      enqueue("completed", { completion: true, duration: spent }, true);
      doc.reported.completed = true;
    }
    const verdict = verdictOf(snapshot);
    if (!verdict || doc.reported.passed || session.failedSent) return;
    if (verdict.passed) {
      enqueue("passed", { success: true, score: verdict.score, duration: spent }, true);
      doc.reported.passed = true;
    } else if (!snapshot.summary.retrying || (ending && session.scored)) {
      enqueue("failed", { success: false, score: verdict.score, duration: spent }, true);
      session.failedSent = true;
    }
  }

  // ------------------------------------------------------------------------ answered statements

  /* The questions of a quiz as its page holds them (texts of choices, pairs, items), by id. */
  function quizQuestions(quizId) {
    const byId = util.dict();
    try {
      const doc = document.getElementById("bs-sco-frame").contentDocument;
      const script = Array.from(doc.querySelectorAll("script.bs-quiz-data")).find(
        (element) => element.getAttribute("data-quiz-id") === quizId);
      JSON.parse(script.textContent).questions.forEach((q) => (byId[q.id] = q));
    } catch (e) {
      // no page data: the definitions go without the texts of their components
    }
    return byId;
  }

  /* The learner's response in xAPI's (SCORM 2004's) format, or null when unanswered. */
  function response(type, value) {
    if (value === null || value === undefined) return null;
    if (type === "true-false") return String(value === true);
    if (type === "matching") {
      return util.isObject(value) ? Object.keys(value).map((left) => left + "[.]" + value[left]).join("[,]") : null;
    }
    if (Array.isArray(value)) return value.length ? value.map(String).join("[,]") : null;
    const text = String(value).replace(/[\r\n\t]+/g, " ");
    return text.trim() === "" ? null : text;
  }

  function definition(spec, data, lang) {
    const words = (text) => ({ [lang]: text });
    const components = (list, key) => (list || []).map((c) => ({ id: c.id, description: words(plain(c[key])) }));
    const def = {
      type: "http://adlnet.gov/expapi/activities/cmi.interaction",
      name: words(spec.description || plain(data.prompt_html)),
      description: words(plain(data.prompt_html) || spec.description),
      interactionType: spec.type2004,
      correctResponsesPattern: Array.isArray(spec.correct2004) ? spec.correct2004 : [],
    };
    if (data.choices) def.choices = components(data.choices, "html");
    if (data.items) def.choices = components(data.items, "html");
    if (data.pairs) {
      def.source = components(data.pairs, "left_html");
      def.target = components(data.pairs, "right_html");
    }
    return def;
  }

  function answered(quizId, result, attemptNumber) {
    if (!session.live || session.mode !== "normal" || !result) return;
    if (SCORING.indexOf(quizId) >= 0) session.scored = true;
    const data = quizQuestions(quizId);
    const lang = document.documentElement.lang || config.language || "en";
    const spent = (Date.parse(result.finishedAt) || Date.now()) - (Date.parse(result.startedAt) || Date.now());
    (Array.isArray(result.questions) ? result.questions : []).forEach((q) => {
      const spec = q && util.isObject(q.lms) ? q.lms : null;
      const answer = spec ? response(spec.type2004, q.response) : null;
      if (answer === null) return;
      session.queue.push({
        id: uuid(),
        timestamp: new Date(Date.parse(result.finishedAt) || Date.now()).toISOString(),
        verb: "answered",
        question: String(q.id),
        definition: definition(spec, data[q.id] || {}, lang),
        result: { response: answer, success: !!q.correct,
          duration: duration(typeof q.latencyMs === "number" && q.latencyMs >= 0 ? q.latencyMs : spent) },
        attempt: attemptNumber,
      });
    });
  }

  /* A queue entry read back from the safety copy, when it is an answer of ours. */
  function validAnswer(item) {
    return util.isObject(item) && item.verb === "answered" && typeof item.question === "string" &&
      util.isObject(item.result);
  }

  // ------------------------------------------------------------------------ connect and finish

  async function connect() {
    const params = new URLSearchParams(location.search);
    const names = ["endpoint", "fetch", "actor", "registration", "activityId"];
    if (names.some((name) => !params.get(name))) return null;
    try {
      lrs.actor = JSON.parse(params.get("actor"));
      lrs.endpoint = params.get("endpoint").replace(/\/?$/, "/");
      lrs.registration = params.get("registration");
      lrs.activityId = params.get("activityId");
      const token = await (await fetch(params.get("fetch"), { method: "POST" })).json();
      if (!token["auth-token"]) throw new Error(JSON.stringify(token));
      lrs.headers = { Authorization: "Basic " + token["auth-token"], "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json" };
    } catch (e) {
      console.warn("Bon Sens: no cmi5 session", e);
      return null;
    }
    const launch = await lrs.read("activities/state?" + lrs.query({ stateId: "LMS.LaunchData" }, true));
    if (!util.isObject(launch)) return null; // no launch data: progress stays on this device
    const prefs = await lrs.read("agents/profile?" + lrs.query({ profileId: "cmi5LearnerPreferences" }));
    const saved = await lrs.read("activities/state?" + lrs.query({ stateId: STATE_ID }, true));
    session.launch = launch;
    session.mode = String(launch.launchMode || "Normal").toLowerCase();
    const mastery = Number(launch.masteryScore);
    session.masteryScaled = launch.masteryScore !== null && isFinite(mastery) && mastery >= 0 && mastery <= 1 ? mastery : null;
    if (util.isObject(saved) && util.isObject(saved.reported)) {
      session.doc.reported = { completed: saved.reported.completed === true, passed: saved.reported.passed === true };
      session.stored = JSON.stringify(saved);
    }
    session.live = true;
    session.startedAt = Date.now();
    enqueue("initialized");
    flush();
    const actor = lrs.actor || {};
    const account = actor.account || {};
    return {
      learner: account.name ? account.homePage + "|" + account.name : JSON.stringify(actor),
      learnerName: String(actor.name || account.name || ""),
      mode: session.mode,
      masteryScore: session.masteryScaled !== null ? Math.round(session.masteryScaled * 1e8) / 1e6
        : typeof config.mastery_score === "number" ? config.mastery_score : null,
      saved: {
        text: util.isObject(saved) && util.isObject(saved.state) ? JSON.stringify(saved.state) : "",
        location: util.isObject(saved) && typeof saved.location === "string" ? saved.location : "",
      },
      language: util.isObject(prefs) && typeof prefs.languagePreference === "string" ? prefs.languagePreference : undefined,
      initialStatus: {},
    };
  }

  function leave() {
    const to = session.launch && session.launch.returnURL;
    if (typeof to !== "string" || !to) return;
    try {
      window.top.location.href = to;
    } catch (e) {
      location.href = to;
    }
  }

  async function finish(snapshot, explicit) {
    if (!session.live) return false;
    note(snapshot, true);
    const end = { id: uuid(), timestamp: new Date().toISOString(), verb: "terminated",
      result: { duration: duration(Date.now() - session.startedAt) } };
    if (!explicit) {
      // The page is going: one request, with keepalive (its body must stay under 64 KB).
      let batch = session.initialized ? session.queue.concat([end]) : session.queue.slice(0, 1);
      if (JSON.stringify(batch.map(statement)).length > 60000) batch = [end];
      session.live = false;
      post(batch, true);
      return false;
    }
    const saved = await flush();
    const ended = session.initialized && (await post(session.queue.concat([end])));
    if (ended) session.queue = [];
    session.live = false;
    if (saved && ended) setTimeout(leave, 0); // after core has said "saved"
    return saved && ended;
  }

  RT.start({
    standard: "cmi5",
    codec: {
      encode: (state) => JSON.stringify(state),
      decode(text) {
        try {
          const state = JSON.parse(text);
          return util.isObject(state) ? { state: util.normalise(state), count: 0 } : null;
        } catch (e) {
          return null;
        }
      },
    },
    connect: connect,
    save(snapshot) {
      if (!session.live) return false;
      note(snapshot, false);
      return flush();
    },
    answered: answered,
    outbox: () => session.queue.filter((entry) => entry.verb === "answered"),
    resend(items) {
      if (!session.live || session.mode !== "normal" || !Array.isArray(items)) return;
      items.filter(validAnswer).forEach((item) => session.queue.push(Object.assign({}, item, { id: uuid() })));
    },
    finish: finish,
  });
})();
