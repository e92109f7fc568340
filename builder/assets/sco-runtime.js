/*
 * Bon Sens: the SCO runtime (SCORM 1.2 and SCORM 2004 4th edition).
 *
 * Loaded by the launch page of each SCO (sco.html), after progress-model.js (the one progress
 * model, shared with the pages). The launch page holds the one LMS session and shows the course
 * pages in a frame. Every page in that frame reports to `window.BonSensSCO.tracker` (see progress.js),
 * which has the semantics of progress.js's local tracker: getState, setState, recordLessonRead,
 * recordQuizResult, saveQuizInProgress, recordVisit, persistent; plus learnerName and scope.
 *
 * What it does, in order:
 *   1. finds the LMS API (window, then up to 7 parents, then the opener and its parents; retried
 *      every 250 ms for 2 s), initialises it once; without an API, the course still works and
 *      keeps progress on this device (a notice says so);
 *   2. restores the state from suspend_data whatever cmi.entry says, else from the safety copy in
 *      localStorage, and opens the saved location if it is one of this SCO's pages;
 *   3. reports statuses, score, objectives and interactions, and commits at meaningful moments
 *      (lesson read, quiz submitted, page change, page hidden, exit), retrying failed commits
 *      with backoff while the state waits in localStorage;
 *   4. terminates exactly once: on the Exit button, else when the launch page goes away.
 *
 * ---------------------------------------------------------------------------------------------
 * suspend_data encoding ("B1"): positional against this SCO's config, ASCII only
 * ---------------------------------------------------------------------------------------------
 *   B1~HASH~LESSONS~QUIZZES~ATTEMPTS~NAME~COUNT~LAST
 *
 *   HASH      base36 FNV-1a hash of [config.lessons, config.quizzes, config.questions]: data
 *             written for another structure of the SCO is not decoded position by position.
 *   LESSONS   bitset of config.lessons (bit i = lesson i read), 6 bits per character in the
 *             alphabet A-Z a-z 0-9 - _ , trailing "A"s dropped.
 *   QUIZZES   one entry per quiz of config.quizzes, by position, separated by ","; trailing
 *             empty entries dropped. Entry: "" (never taken) or BEST.ATTEMPTS.LAST.FLAGS.DAY
 *             (numbers in base36; FLAGS: "p" passed, "l" last attempt passed; DAY: passedOn as
 *             days since 2000-01-01, base36).
 *   ATTEMPTS  attempts in progress, separated by ",": Q.START.TOKENS where Q is the quiz's
 *             position (base36), START the attempt's start in seconds since 2020-01-01 (base36)
 *             and TOKENS the attempt's questions in display order, separated by ";". A question
 *             token is IDX ORDER [":" ANSWER [":" MS]] where
 *               IDX     the question's position in config.questions (every question of the
 *                       SCO's quizzes: quizzes in config.quizzes order, questions in each quiz's
 *                       order), in base36 on a fixed width (2 characters up to 1,296 questions);
 *               ORDER   the display order of its choices / options / items as id tokens;
 *               ANSWER  "" none, "T"/"F" true/false, "'"TEXT fill-in, "*"IDS a list (multiple,
 *                       ordering), "="PAIRS matching (left id, right id, ...), ID single choice;
 *               MS      time to the first answer, in tenths of a second, base36.
 *             An id token is the id itself when it is one letter a-z (our choice ids), else
 *             "(" TEXT ")".
 *   NAME      the name typed on the certificate (TEXT).
 *   COUNT     interactions written so far (base36): SCORM 1.2 interactions are write-only.
 *   LAST      the lesson or quiz visited last, for the home page's "Resume" button: its position
 *             in config.lessons followed by config.quizzes (base36); absent in older data.
 *
 *   TEXT keeps A-Z a-z 0-9 space - _ as they are; any other character is "!" + 2 base36 digits
 *   (code point < 1296) or "!!" + 4 base36 digits. Fill-in answers are capped (100 characters).
 *
 *   Size: the encoder tries the full form first, then drops detail until the text fits the
 *   standard's limit (4,096 characters in 1.2, 64,000 in 2004): shorter fill-in answers, no
 *   display orders nor timings (they are drawn again), only the attempt touched last, no attempt
 *   in progress, no name. Lessons read, quiz results and the last page are always kept.
 *
 *   Decoding trusts nothing (an LMS may hand back anything): every field is read on its own and
 *   any text at all gives a valid state; a field that does not parse (a number out of range, an
 *   unknown question, a bad date) is dropped alone. States are keyed by authored ids in maps
 *   without a prototype, so an id such as "constructor" means nothing special.
 *
 * localStorage safety copy: key "bonsens:<course>:<version>:lms", JSON
 *   {v: 1, scos: {<sco id>: {data, location, learner, committed, pending: [interactions], at}}}
 * written at every change and marked committed once the LMS accepted a commit; without an LMS
 * it is the only store.
 */
(function () {
  "use strict";

  // ------------------------------------------------------------------------ configuration

  const configElement = document.getElementById("bs-sco");
  let config;
  try {
    config = JSON.parse(configElement.textContent);
  } catch (e) {
    config = null;
  }
  if (!config || !Array.isArray(config.pages) || !config.pages.length) {
    console.error("Bon Sens: this launch page has no valid SCO configuration.");
    return;
  }
  const V2004 = config.standard === "2004";
  const LESSONS = asList(config.lessons);
  const QUIZZES = asList(config.quizzes);
  const SCORING = asList(config.scoring_quizzes).filter((id) => QUIZZES.indexOf(id) >= 0);
  const OBJECTIVES = Array.isArray(config.objectives) ? config.objectives : [];
  const QUESTIONS = asList(config.questions);
  const PAGES = config.pages.slice(); // the first is where the SCO starts
  const LABELS = config.labels || {};
  const SUSPEND_LIMIT = V2004 ? 64000 : 4096;
  const FILL_IN_CAP = 100;
  const STORAGE_KEY = "bonsens:" + config.course + ":" + config.version + ":lms";

  function asList(value) {
    return Array.isArray(value) ? value.filter((x) => typeof x === "string") : [];
  }

  /* A text of the SCO's bar, in the course language (package.py writes them into the config). */
  function label(key) {
    return typeof LABELS[key] === "string" ? LABELS[key] : "";
  }

  // ------------------------------------------------------------------------ small helpers

  // The one progress model and the stored state's rules, shared with the pages (progress-model.js)
  const MODEL = window.BonSensModel;
  const { isObject, finite, dict, emptyState } = MODEL;

  /* obj[key] only when obj holds it itself: objects from JSON.parse still inherit. */
  function own(obj, key) {
    return isObject(obj) && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  }

  function clone(value) {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  }

  function b36(n) {
    const v = Math.round(n);
    return (v > 0 && isFinite(v) ? v : 0).toString(36);
  }

  /* A whole number of at most 10 base36 digits (safe in a double), else NaN: never negative. */
  function fromB36(text) {
    return /^[0-9a-z]{1,10}$/.test(text) ? parseInt(text, 36) : NaN;
  }

  function pad(n, width) {
    let s = String(n);
    while (s.length < width) s = "0" + s;
    return s;
  }

  function hash(text) {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return (h >>> 0).toString(36);
  }

  // ------------------------------------------------------------------------ state

  /* Lessons then quizzes: what LAST counts positions in. */
  const VISITABLE = LESSONS.concat(QUIZZES);

  /* Keeps what fits this SCO: the rules of the pages' own (progress-model.js), this SCO's ids. */
  function normalise(raw) {
    return MODEL.normaliseState(raw, { lessons: LESSONS, quizzes: QUIZZES, visitable: VISITABLE });
  }

  /* Two states of the same learner: keep the most progress of each. */
  function merge(a, b) {
    const state = normalise(a);
    const other = normalise(b);
    LESSONS.forEach((id) => {
      if (other.lessons[id]) state.lessons[id] = true;
    });
    QUIZZES.forEach((id) => {
      const mine = state.quizzes[id];
      const theirs = other.quizzes[id];
      if (theirs && (!mine || theirs.attempts > mine.attempts)) state.quizzes[id] = theirs;
      if (mine && theirs) {
        state.quizzes[id].passed = mine.passed || theirs.passed;
        state.quizzes[id].best = Math.max(mine.best, theirs.best);
        if (!state.quizzes[id].passedOn) {
          const on = mine.passedOn || theirs.passedOn;
          if (on) state.quizzes[id].passedOn = on;
        }
      }
      if (!state.inProgress[id] && other.inProgress[id]) state.inProgress[id] = other.inProgress[id];
    });
    if (!state.name) state.name = other.name;
    if (!state.last) state.last = other.last;
    return state;
  }

  // ------------------------------------------------------------------------ suspend_data codec

  const STRUCTURE = hash(JSON.stringify([LESSONS, QUIZZES, QUESTIONS]));
  const INDEX_WIDTH = Math.max(1, Math.ceil(Math.log(Math.max(QUESTIONS.length, 2)) / Math.log(36)));
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const DAY_MS = 86400000;
  const DAY0 = Date.UTC(2000, 0, 1);
  const SECOND0 = Date.UTC(2020, 0, 1) / 1000;

  function escapeText(text) {
    let out = "";
    for (const ch of String(text)) {
      if (/^[A-Za-z0-9 _-]$/.test(ch)) out += ch;
      else {
        const code = ch.codePointAt(0);
        out += code < 1296 ? "!" + pad(code.toString(36), 2) : "!!" + pad(code.toString(36), 4);
      }
    }
    return out;
  }

  function unescapeText(text) {
    return text.replace(/!!([0-9a-z]{4})|!([0-9a-z]{2})/g, (whole, long, short) => {
      const code = parseInt(long || short, 36);
      try {
        return String.fromCodePoint(code);
      } catch (e) {
        return "";
      }
    });
  }

  function encodeBits(flags) {
    let out = "";
    for (let i = 0; i < flags.length; i += 6) {
      let v = 0;
      for (let j = 0; j < 6; j++) if (flags[i + j]) v |= 1 << j;
      out += B64.charAt(v);
    }
    return out.replace(/A+$/, "");
  }

  function decodeBits(text, count) {
    const flags = [];
    for (let i = 0; i < count; i++) {
      const v = B64.indexOf(text.charAt(Math.floor(i / 6)));
      flags.push(v > 0 && (v & (1 << i % 6)) !== 0);
    }
    return flags;
  }

  function idToken(id) {
    return /^[a-z]$/.test(id) ? id : "(" + escapeText(id) + ")";
  }

  /* Reads id tokens from text; returns the list of ids, or null when malformed. */
  function readIds(text) {
    const ids = [];
    let i = 0;
    while (i < text.length) {
      const ch = text.charAt(i);
      if (/[a-z]/.test(ch)) {
        ids.push(ch);
        i += 1;
      } else if (ch === "(") {
        const end = text.indexOf(")", i);
        if (end < 0) return null;
        ids.push(unescapeText(text.slice(i + 1, end)));
        i = end + 1;
      } else return null;
    }
    return ids;
  }

  function encodeAnswer(answer, fillCap) {
    if (answer === undefined || answer === null) return "";
    if (answer === true) return "T";
    if (answer === false) return "F";
    if (Array.isArray(answer)) return "*" + answer.map((id) => idToken(String(id))).join("");
    if (isObject(answer)) {
      return "=" + Object.keys(answer).map((left) => idToken(left) + idToken(String(answer[left]))).join("");
    }
    if (typeof answer === "string") {
      // A one-letter string is a single choice; anything else typed is a fill-in text.
      return /^[a-z]$/.test(answer) ? answer : "'" + escapeText(answer.slice(0, fillCap));
    }
    return "";
  }

  function decodeAnswer(text) {
    if (!text) return undefined;
    const head = text.charAt(0);
    if (text === "T") return true;
    if (text === "F") return false;
    if (head === "'") return unescapeText(text.slice(1));
    if (head === "*") return readIds(text.slice(1)) || undefined;
    if (head === "=") {
      const ids = readIds(text.slice(1));
      if (!ids || ids.length % 2) return undefined;
      const pairs = dict();
      for (let i = 0; i < ids.length; i += 2) pairs[ids[i]] = ids[i + 1];
      return pairs;
    }
    const single = readIds(text);
    return single && single.length === 1 ? single[0] : undefined;
  }

  function encodeQuizRecord(r) {
    if (!r) return "";
    const flags = (r.passed ? "p" : "") + (r.last && r.last.passed ? "l" : "");
    let day = "";
    if (r.passedOn) {
      const parts = r.passedOn.split("-").map(Number);
      day = b36((Date.UTC(parts[0], parts[1] - 1, parts[2]) - DAY0) / DAY_MS);
    }
    const last = r.last ? b36(r.last.score) : "";
    return [b36(r.best), b36(r.attempts), last, flags, day].join(".").replace(/\.+$/, "");
  }

  /* A record, or null when its best score is not one; a bad field after it is dropped alone. */
  function decodeQuizRecord(text) {
    const f = text.split(".");
    const best = fromB36(f[0]);
    if (!(best <= 100)) return null; // NaN too
    const flags = f[3] || "";
    const last = fromB36(f[2] || "");
    const record = {
      best: best,
      passed: flags.indexOf("p") >= 0,
      attempts: fromB36(f[1] || "") || 0,
      last: last <= 100 ? { score: last, passed: flags.indexOf("l") >= 0 } : null,
    };
    const day = fromB36(f[4] || "");
    if (day <= 36500) record.passedOn = new Date(DAY0 + day * DAY_MS).toISOString().slice(0, 10);
    return record;
  }

  function encodeAttempt(quizIndex, attempt, options) {
    if (!isObject(attempt) || !Array.isArray(attempt.questions)) return "";
    const started = Date.parse(attempt.startedAt);
    const tokens = [];
    for (const id of attempt.questions) {
      const index = QUESTIONS.indexOf(id);
      if (index < 0) return ""; // not a question of this SCO: the attempt cannot be restored anyway
      const answer = own(attempt.answers, id);
      const order = own(attempt.order, id);
      const ms = own(attempt.firstAnswerMs, id);
      const answered = answer !== undefined;
      let token = pad(index.toString(36), INDEX_WIDTH);
      if (Array.isArray(order) && (options.orders === "all" || (options.orders === "answered" && answered))) {
        token += order.map((x) => idToken(String(x))).join("");
      }
      const parts = [encodeAnswer(answer, options.fillCap)];
      if (options.timings && typeof ms === "number" && isFinite(ms)) parts.push(b36(ms / 100));
      const tail = parts.join(":").replace(/:+$/, "");
      tokens.push(tail ? token + ":" + tail : token);
    }
    const start = isFinite(started) ? b36(started / 1000 - SECOND0) : "";
    return b36(quizIndex) + "." + start + "." + tokens.join(";");
  }

  function decodeAttempt(text) {
    const f = text.split(".");
    if (f.length < 3) return null;
    const quiz = QUIZZES[fromB36(f[0])];
    if (!quiz) return null;
    // A start that is not a time before now (corrupt, or a clock gone wrong) becomes now.
    const now = Math.floor(Date.now() / 1000) - SECOND0;
    const seconds = fromB36(f[1]);
    const attempt = {
      v: 1,
      startedAt: new Date(((seconds <= now ? seconds : now) + SECOND0) * 1000).toISOString(),
      questions: [],
      order: dict(),
      answers: dict(),
      firstAnswerMs: dict(),
    };
    for (const token of f.slice(2).join(".").split(";")) {
      if (!token) continue;
      const parts = token.split(":");
      const id = QUESTIONS[fromB36(parts[0].slice(0, INDEX_WIDTH))];
      if (!id) return null;
      attempt.questions.push(id);
      const order = readIds(parts[0].slice(INDEX_WIDTH));
      if (order && order.length) attempt.order[id] = order;
      const answer = decodeAnswer(parts[1] || "");
      if (answer !== undefined) attempt.answers[id] = answer;
      const tenths = fromB36(parts[2] || "");
      if (tenths >= 0) attempt.firstAnswerMs[id] = tenths * 100;
    }
    return { quiz: quiz, attempt: attempt };
  }

  const LADDER = [
    { fillCap: FILL_IN_CAP, orders: "all", timings: true, attempts: "all", name: true },
    { fillCap: 40, orders: "all", timings: true, attempts: "all", name: true },
    { fillCap: 40, orders: "answered", timings: true, attempts: "all", name: true },
    { fillCap: 40, orders: "none", timings: false, attempts: "all", name: true },
    { fillCap: 10, orders: "none", timings: false, attempts: "all", name: true },
    { fillCap: 10, orders: "none", timings: false, attempts: "last", name: true },
    { fillCap: 10, orders: "none", timings: false, attempts: "none", name: true },
    { fillCap: 10, orders: "none", timings: false, attempts: "none", name: false },
  ];

  function encodeWith(state, meta, options) {
    const lessons = encodeBits(LESSONS.map((id) => !!state.lessons[id]));
    const quizzes = QUIZZES.map((id) => encodeQuizRecord(state.quizzes[id])).join(",").replace(/,+$/, "");
    const attempts = QUIZZES.map((id, i) => {
      if (!state.inProgress[id]) return "";
      if (options.attempts === "none") return "";
      if (options.attempts === "last" && id !== meta.lastQuiz) return "";
      return encodeAttempt(i, state.inProgress[id], options);
    }).filter(Boolean);
    const name = options.name ? escapeText(state.name.slice(0, 120)) : "";
    const last = VISITABLE.indexOf(state.last) >= 0 ? b36(VISITABLE.indexOf(state.last)) : "";
    return ["B1", STRUCTURE, lessons, quizzes, attempts.join(","), name, b36(meta.count || 0), last].join("~");
  }

  /* The suspend_data text for a state, within `limit` characters. */
  function encode(state, meta, limit) {
    let text = "";
    for (const options of LADDER) {
      text = encodeWith(state, meta, options);
      if (text.length <= limit) return text;
    }
    return text.slice(0, limit); // unreachable for any sane course: lessons and results are tiny
  }

  /* {state, count} from suspend_data, or null when it is not ours or not for this structure. */
  function decode(text) {
    if (typeof text !== "string" || text.indexOf("B1~") !== 0) return null;
    const f = text.split("~");
    if (f.length < 7 || f[1] !== STRUCTURE) return null;
    const state = emptyState();
    decodeBits(f[2], LESSONS.length).forEach((read, i) => {
      if (read) state.lessons[LESSONS[i]] = true;
    });
    f[3].split(",").forEach((entry, i) => {
      const record = i < QUIZZES.length ? decodeQuizRecord(entry) : null;
      if (record) state.quizzes[QUIZZES[i]] = record;
    });
    f[4].split(",").forEach((entry) => {
      if (!entry) return;
      const decoded = decodeAttempt(entry);
      if (decoded) state.inProgress[decoded.quiz] = decoded.attempt;
    });
    state.name = unescapeText(f[5]).slice(0, 120);
    state.last = VISITABLE[fromB36(f[7] || "")] || "";
    return { state: state, count: fromB36(f[6]) || 0 };
  }

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
    let api = scan(window);
    if (api) return api;
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
      api = scan(opener);
      if (api) return api;
    }
    return null;
  }

  const lms = {
    api: null,
    connected: false,
    terminated: false,

    call(name, args) {
      try {
        return String(this.api[NAMES[name]].apply(this.api, args));
      } catch (e) {
        console.warn("Bon Sens: the LMS call " + NAMES[name] + " failed:", e);
        return "false";
      }
    },

    lastError() {
      const code = this.call("error", []);
      return code === "" ? "0" : code;
    },

    diagnostic(code) {
      return this.call("text", [code]) + " " + this.call("diagnostic", [code]);
    },

    get(element) {
      if (!this.connected || this.terminated) return "";
      const value = this.call("get", [element]);
      return value === "false" && this.lastError() !== "0" ? "" : value;
    },

    set(element, value) {
      if (!this.connected || this.terminated) return false;
      const ok = this.call("set", [element, String(value)]) === "true";
      if (!ok) {
        const code = this.lastError();
        console.warn("Bon Sens: the LMS refused " + element + " = " + JSON.stringify(String(value)) +
          " (" + code + ": " + this.diagnostic(code) + ")");
      }
      return ok;
    },

    commit() {
      if (!this.connected || this.terminated) return false;
      const ok = this.call("commit", [""]) === "true";
      if (!ok) {
        const code = this.lastError();
        console.warn("Bon Sens: the LMS could not save (" + code + ": " + this.diagnostic(code) + ")");
      }
      return ok;
    },

    finish() {
      if (!this.connected || this.terminated) return false;
      this.terminated = true;
      return this.call("finish", [""]) === "true";
    },
  };

  // ------------------------------------------------------------------------ time formats

  function twoDigits(n) {
    return pad(n, 2);
  }

  /* SCORM 1.2 CMITimespan: HHHH:MM:SS.SS (hours on 2 to 4 digits). */
  function timespan12(ms) {
    let centis = Math.max(0, Math.round(ms / 10));
    const max = 9999 * 360000 + 59 * 6000 + 5999;
    if (centis > max) centis = max;
    const hours = Math.floor(centis / 360000);
    const minutes = Math.floor((centis % 360000) / 6000);
    const seconds = Math.floor((centis % 6000) / 100);
    return pad(hours, 4) + ":" + twoDigits(minutes) + ":" + twoDigits(seconds) + "." + twoDigits(centis % 100);
  }

  /* SCORM 2004 timeinterval: ISO 8601 duration such as PT1H2M3.5S, PT0S. */
  function duration2004(ms) {
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

  function clock12(date) {
    return twoDigits(date.getHours()) + ":" + twoDigits(date.getMinutes()) + ":" + twoDigits(date.getSeconds());
  }

  function timestamp2004(date) {
    return date.getFullYear() + "-" + twoDigits(date.getMonth() + 1) + "-" + twoDigits(date.getDate()) + "T" +
      clock12(date);
  }

  // ------------------------------------------------------------------------ the safety copy

  const local = {
    storage: null,

    probe() {
      try {
        const s = window.localStorage;
        s.setItem("bonsens:test", "1");
        s.removeItem("bonsens:test");
        this.storage = s;
      } catch (e) {
        this.storage = null;
      }
      return this.storage !== null;
    },

    readAll() {
      if (!this.storage) return { v: 1, scos: {} };
      try {
        const all = JSON.parse(this.storage.getItem(STORAGE_KEY) || "null");
        return isObject(all) && isObject(all.scos) ? all : { v: 1, scos: {} };
      } catch (e) {
        return { v: 1, scos: {} };
      }
    },

    read() {
      const entry = own(this.readAll().scos, config.sco);
      return isObject(entry) ? entry : null;
    },

    write(entry) {
      if (!this.storage) return;
      const all = this.readAll();
      if (entry) all.scos[config.sco] = entry;
      else delete all.scos[config.sco];
      try {
        if (Object.keys(all.scos).length) this.storage.setItem(STORAGE_KEY, JSON.stringify(all));
        else this.storage.removeItem(STORAGE_KEY);
      } catch (e) {
        // quota exceeded: the LMS copy is all we have
      }
    },
  };

  // ------------------------------------------------------------------------ the session

  const session = {
    state: emptyState(),
    count: 0, // interactions written (SCORM 1.2 cannot read them back)
    lastQuiz: null, // the quiz whose attempt changed last (kept first when space is short)
    location: null,
    learner: "",
    learnerName: "", // as the LMS knows it, to prefill the certificate's name
    mode: "normal",
    masteryScore: null,
    startedAt: Date.now(),
    written: dict(), // element -> last value set, so that unchanged values are not sent again
    initialStatus: {},
    pending: [], // interactions not yet in a successful commit
    committed: true,
    failures: 0,
    retryTimer: null,
    lazyTimer: null,
    objectiveIndex: dict(),
  };

  function reviewing() {
    return session.mode === "browse" || session.mode === "review";
  }

  function setOnce(element, value) {
    const text = String(value);
    if (session.written[element] === text) return true;
    const ok = lms.set(element, text);
    if (ok) session.written[element] = text;
    return ok;
  }

  // ------------------------------------------------------------------------ what to report

  function quizTaken(state, id) {
    const r = state.quizzes[id];
    return !!(r && r.attempts > 0);
  }

  /* Attempts still allowed at a quiz, counted as quiz.js counts them: Infinity when unlimited. */
  function attemptsLeft(state, id) {
    const allowed = Math.max(0, Math.floor(finite(own(config.attempts, id), 0)));
    if (!allowed) return Infinity;
    const record = state.quizzes[id];
    return Math.max(0, allowed - (record ? record.attempts : 0));
  }

  /* This SCO's part of the course, in the terms of the one progress model (progress-model.js):
     its modules (the objectives) and, when it holds one, the final exam. */
  const MODULE_QUIZZES = OBJECTIVES.map((o) => o && o.quiz).filter((id) => QUIZZES.indexOf(id) >= 0);
  const OUTLINE = {
    modules: OBJECTIVES.filter((o) => o && typeof o.id === "string").map((o) => ({
      id: o.id,
      lessons: asList(o.lessons).filter((id) => LESSONS.indexOf(id) >= 0),
      quiz: QUIZZES.indexOf(o.quiz) >= 0 ? o.quiz : null,
    })),
    exam: QUIZZES.filter((id) => MODULE_QUIZZES.indexOf(id) < 0)[0] || null,
  };
  /* "Martin, Camille" (how LMSs give the learner's name) as "Camille Martin". */
  function readableName(text) {
    const name = String(text || "").replace(/[\u0000-\u001f\u007f]/g, " ").replace(/\s+/g, " ").trim();
    const parts = name.split(",");
    const ordered = parts.length === 2 && parts[0].trim() && parts[1].trim()
      ? parts[1].trim() + " " + parts[0].trim() : name;
    return ordered.slice(0, 120);
  }

  function summary(state) {
    const read = LESSONS.filter((id) => state.lessons[id]).length;
    const taken = QUIZZES.filter((id) => quizTaken(state, id)).length;
    const model = MODEL.summarise(state, OUTLINE);
    // Everything seen and taken, and done by the model, or nothing left that could still be
    // passed (a quiz failed with no attempt left: the LMS must not wait for ever).
    const settled = () => QUIZZES.every((id) => state.quizzes[id].passed || attemptsLeft(state, id) === 0);
    const complete = read === LESSONS.length && taken === QUIZZES.length && (model.done || settled());
    const scored = SCORING.length > 0 && SCORING.every((id) => quizTaken(state, id));
    const score = scored
      ? Math.round(SCORING.reduce((sum, id) => sum + state.quizzes[id].best, 0) / SCORING.length * 100) / 100
      : null;
    const mastery = session.masteryScore;
    let success = "unknown";
    if (scored && mastery !== null) success = score >= mastery ? "passed" : "failed";
    // Failed, but a scoring quiz not passed yet may still be retried: the course says "not passed
    // yet, you can retry", so the LMS must keep the attempt open. Moodle ends it on a 1.2
    // lesson_status failed/passed/completed or a 2004 completion_status completed, and reopens it
    // in review mode, where a retake is not recorded.
    const retrying = success === "failed" &&
      SCORING.some((id) => !state.quizzes[id].passed && attemptsLeft(state, id) > 0);
    return {
      // The percentage the pages show, the same number (progress-model.js)
      progress: model.steps ? model.percent / 100 : 1,
      complete: complete,
      score: score,
      success: success,
      retrying: retrying,
      // Nothing left to do: everything seen and taken, and passed or no attempt left to pass.
      finished: complete && (mastery === null || success === "passed" || (success === "failed" && !retrying)),
    };
  }

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

  function reportStatuses() {
    const s = summary(session.state);
    if (V2004) {
      // While retrying: incomplete (what keeps the attempt open) and failed (what the LMS itself
      // derives from score.scaled and scaled_passing_score, RTE 4.2.21); progress stays under 1.
      const completion = keepBest(s.complete && !s.retrying ? "completed" : "incomplete",
        session.initialStatus.completion, ["unknown", "not attempted", "incomplete", "completed"]);
      const success = keepBest(s.success, session.initialStatus.success, ["unknown", "failed", "passed"]);
      setOnce("cmi.completion_status", completion);
      setOnce("cmi.success_status", success);
      setOnce("cmi.progress_measure", String(completion === "completed" ? 1 : Math.min(s.progress, 0.99)));
    } else {
      let status;
      if (session.masteryScore !== null && s.score !== null) status = s.retrying ? "incomplete" : s.success;
      else if (session.masteryScore === null && s.complete) status = "completed";
      else status = "incomplete";
      status = keepBest(status, session.initialStatus.lesson,
        ["", "not attempted", "browsed", "incomplete", "completed", "failed", "passed"]);
      setOnce("cmi.core.lesson_status", status);
    }
    if (s.score !== null) writeScore(V2004 ? "cmi.score" : "cmi.core.score", s.score);
    reportObjectives();
    return s;
  }

  function objectiveSlot(id) {
    if (session.objectiveIndex[id] !== undefined) return session.objectiveIndex[id];
    // Bounded: an LMS that claims millions of objectives must not freeze the page.
    const count = Math.min(Math.max(parseInt(lms.get("cmi.objectives._count"), 10) || 0, 0), 1000);
    for (let i = 0; i < count; i++) {
      if (lms.get("cmi.objectives." + i + ".id") === id) {
        session.objectiveIndex[id] = i;
        return i;
      }
    }
    const used = Object.keys(session.objectiveIndex).map((k) => session.objectiveIndex[k]);
    const next = Math.max(count, used.length ? Math.max.apply(null, used) + 1 : 0);
    if (!setOnce("cmi.objectives." + next + ".id", id)) return null;
    session.objectiveIndex[id] = next;
    return next;
  }

  function reportObjectives() {
    const state = session.state;
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

  function plainText(text, limit) {
    let t = String(text).replace(/[\r\n\t]+/g, " ");
    if (V2004) t = t.replace(/\[[,.]\]/g, (m) => m.charAt(1)).replace(/^\{+/, "(");
    return t.slice(0, limit);
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
        const text = plainText(response, V2004 ? 250 : 255).trim();
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
        when: V2004 ? timestamp2004(when) : clock12(when),
        description: V2004 && spec.description ? plainText(spec.description, 250) : "",
        objective: objective ? objective.id : "",
      });
    });
    return list;
  }

  function writeInteraction(item) {
    let index = session.count;
    let prefix = "cmi.interactions." + index;
    if (!lms.set(prefix + ".id", item.id)) {
      // The LMS does not keep earlier interactions (or kept more): use its own count.
      const count = parseInt(lms.get("cmi.interactions._count"), 10);
      if (!isFinite(count) || count === index) return false;
      index = count;
      prefix = "cmi.interactions." + index;
      if (!lms.set(prefix + ".id", item.id)) return false;
    }
    session.count = index + 1;
    lms.set(prefix + ".type", item.type);
    if (item.objective) lms.set(prefix + ".objectives.0.id", item.objective);
    lms.set(prefix + (V2004 ? ".timestamp" : ".time"), item.when);
    item.patterns.forEach((pattern, k) => {
      if (pattern !== "") lms.set(prefix + ".correct_responses." + k + ".pattern", pattern);
    });
    lms.set(prefix + ".weighting", item.weighting);
    lms.set(prefix + (V2004 ? ".learner_response" : ".student_response"), item.response);
    lms.set(prefix + ".result", item.result);
    if (typeof item.latency === "number" && isFinite(item.latency)) {
      lms.set(prefix + ".latency", V2004 ? duration2004(item.latency) : timespan12(item.latency));
    }
    if (item.description) lms.set(prefix + ".description", item.description);
    return true;
  }

  // ------------------------------------------------------------------------ saving

  function saveLocal() {
    const entry = {
      data: encode(session.state, session, 64000),
      location: session.location,
      learner: session.learner,
      committed: session.committed,
      pending: session.pending,
      at: new Date().toISOString(),
    };
    local.write(entry);
  }

  function changed() {
    session.committed = false;
    saveLocal();
  }

  /* Writes everything the LMS should hold now (no commit). */
  function writeAll() {
    if (!lms.connected || lms.terminated) return;
    if (!reviewing()) reportStatuses();
    const s = summary(session.state);
    setOnce(CMI.exit, s.finished ? (V2004 ? "normal" : "") : "suspend");
    if (session.location) setOnce(CMI.location, session.location);
    setOnce(CMI.suspend, encode(session.state, session, SUSPEND_LIMIT));
    const elapsed = Date.now() - session.startedAt;
    lms.set(CMI.session, V2004 ? duration2004(elapsed) : timespan12(elapsed));
  }

  function commitNow() {
    clearTimeout(session.lazyTimer);
    clearTimeout(session.retryTimer);
    session.retryTimer = null;
    if (!lms.connected || lms.terminated) return false;
    writeAll();
    if (lms.commit()) {
      session.failures = 0;
      session.committed = true;
      session.pending = [];
      saveLocal();
      showNotice(label("lms_notice"), false);
      return true;
    }
    session.failures += 1;
    session.committed = false;
    saveLocal();
    showNotice(label("lms_save_warning"), true);
    const delay = Math.min(30000, 1000 * Math.pow(2, session.failures - 1));
    session.retryTimer = setTimeout(commitNow, delay);
    return false;
  }

  /* Answers typed in a quiz: saved in the frame's session soon, without a commit at each key. */
  function commitSoon() {
    clearTimeout(session.lazyTimer);
    if (session.retryTimer) return;
    session.lazyTimer = setTimeout(commitNow, 10000);
  }

  /* Ends the session once; true when the LMS accepted the last data. */
  function finishSession(explicit) {
    if (!lms.connected || lms.terminated) return false;
    writeAll();
    // Unfinished: suspend the whole attempt. Finished: no request, the LMS's own navigation takes
    // over. Never exitAll: Moodle 4.3 runs it through its sequencing code, which fails in PHP, and
    // the SCO's Terminate then reports a save that did happen as failed.
    if (V2004 && explicit && !summary(session.state).finished) lms.set("adl.nav.request", "suspendAll");
    const committed = lms.commit();
    if (committed) {
      session.committed = true;
      session.pending = [];
    }
    clearTimeout(session.lazyTimer);
    clearTimeout(session.retryTimer);
    const finished = lms.finish();
    if (committed && finished) local.write(null);
    else saveLocal();
    return committed && finished;
  }

  // ------------------------------------------------------------------------ the tracker

  const tracker = {
    /* In the exam SCO of a multi-SCO package the LMS's sequencing has already required the
       modules: quiz.js and progress.js then ask for the exam alone. */
    prerequisitesMet: config.role === "exam",

    get persistent() {
      return lms.connected || local.storage !== null;
    },

    /* The learner's name as the LMS gives it, to prefill the certificate (never sent back). */
    get learnerName() {
      return session.learnerName;
    },

    /* What this SCO keeps: in a package with one SCO per module, the pages show the course-wide
       numbers only where the SCO holds the whole course. */
    scope: { lessons: LESSONS.slice(), quizzes: QUIZZES.slice() },

    /* The lesson or quiz visited last, for the home page's "Resume". */
    recordVisit(pageId) {
      const id = String(pageId);
      if (VISITABLE.indexOf(id) < 0 || session.state.last === id) return;
      session.state.last = id;
      changed(); // committed with the page change (onFrameLoad)
    },

    getState() {
      return clone(session.state);
    },

    setState(state) {
      session.state = normalise(state);
      changed();
      commitSoon();
    },

    recordLessonRead(lessonId) {
      const id = String(lessonId);
      if (LESSONS.indexOf(id) < 0 || session.state.lessons[id]) return;
      session.state.lessons[id] = true;
      changed();
      commitNow();
    },

    recordQuizResult(quizId, result) {
      const id = String(quizId);
      if (QUIZZES.indexOf(id) < 0) return;
      const record = MODEL.recordResult(session.state, id, result);
      if (lms.connected && !reviewing() && result) {
        interactionsOf(id, result, record.attempts).forEach((item) => {
          session.pending.push(item);
          if (!lms.terminated) writeInteraction(item);
        });
      }
      changed();
      commitNow();
    },

    saveQuizInProgress(quizId, attempt) {
      const id = String(quizId);
      if (QUIZZES.indexOf(id) < 0) return;
      if (attempt) {
        session.state.inProgress[id] = clone(attempt);
        session.lastQuiz = id;
      } else delete session.state.inProgress[id];
      changed();
      commitSoon();
    },
  };

  // ------------------------------------------------------------------------ the launch page

  const frame = document.getElementById("bs-sco-frame");
  const statusLine = document.getElementById("bs-sco-status");
  const exitButton = document.getElementById("bs-sco-exit");
  const base = new URL(".", location.href);
  let framePage = null; // the page shown, once the frame is ours
  let navigating = false;

  function showNotice(text, warning) {
    if (!statusLine) return;
    if (statusLine.textContent !== text) statusLine.textContent = text;
    statusLine.classList.toggle("bs-sco-warning", !!warning);
  }

  /* The package-relative path of a URL, or null when it is not in this package. */
  function packagePath(url) {
    try {
      const u = new URL(url, base);
      if (u.origin !== base.origin || u.pathname.indexOf(base.pathname) !== 0) return null;
      let path = decodeURIComponent(u.pathname.slice(base.pathname.length));
      if (path === "" || path.slice(-1) === "/") path += "index.html";
      return path;
    } catch (e) {
      return null;
    }
  }

  function allowed(path) {
    return path !== null && PAGES.indexOf(path) >= 0;
  }

  function open(path) {
    navigating = true;
    try {
      frame.contentWindow.location.replace(new URL(path, base).href);
    } catch (e) {
      frame.src = new URL(path, base).href;
    }
  }

  function hide(element) {
    element.hidden = true;
    element.style.setProperty("display", "none", "important"); // the theme's own display wins over [hidden]
  }

  /* Keeps the learner among this SCO's pages: hides the ways out, opens other sites aside. */
  function adaptFrame(doc) {
    doc.querySelectorAll("a[href]").forEach((link) => {
      const href = link.getAttribute("href");
      if (!href || href.charAt(0) === "#") return;
      const target = new URL(href, doc.baseURI);
      if (target.origin !== base.origin) {
        link.setAttribute("target", "_blank");
        link.setAttribute("rel", "noopener noreferrer");
        return;
      }
      const path = packagePath(target.href);
      if (path === null || allowed(path) || !/\.html$/.test(path)) return;
      if (link.closest("footer, .md-footer, header, .md-header, .md-nav__title")) hide(link);
      else if (link.closest("nav")) {
        const item = link.closest("li");
        const keep = item && Array.prototype.some.call(item.querySelectorAll("a[href]"), (a) => {
          const other = a.getAttribute("href");
          return other && other.charAt(0) !== "#" && allowed(packagePath(new URL(other, doc.baseURI).href));
        });
        hide(item && !keep ? item : link);
      }
    });
    if (!doc.documentElement.hasAttribute("data-bs-sco")) {
      doc.documentElement.setAttribute("data-bs-sco", config.sco);
      doc.addEventListener("click", (event) => {
        const link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
        if (!link || link.target === "_blank") return;
        const href = link.getAttribute("href");
        if (!href || href.charAt(0) === "#") return;
        const path = packagePath(new URL(href, doc.baseURI).href);
        if (path === null || !/\.html$/.test(path) || allowed(path)) return;
        event.preventDefault();
        // A quiz result's "Next — <next module>" leads to another SCO: the way there is the LMS's
        // (its table of contents), once this SCO has saved and ended its session.
        if (link.closest(".bs-actions") && lms.connected) exit();
      }, true);
    }
  }

  function onFrameLoad() {
    let path = null;
    let doc = null;
    try {
      doc = frame.contentDocument;
      path = doc && frame.contentWindow.location.href !== "about:blank" ? packagePath(frame.contentWindow.location.href) : null;
    } catch (e) {
      path = null; // another origin
    }
    if (!navigating && framePage === null) return; // the empty frame before start
    navigating = false;
    if (!allowed(path)) {
      open(framePage || PAGES[0]);
      return;
    }
    framePage = path;
    try {
      adaptFrame(doc);
    } catch (e) {
      console.warn("Bon Sens: could not adapt the page", e);
    }
    if (session.location !== path) {
      session.location = path;
      saveLocal();
    }
    commitNow();
  }

  function exit() {
    if (lms.terminated) return;
    const saved = finishSession(true);
    frame.removeAttribute("src");
    frame.hidden = true;
    exitButton.hidden = true;
    showNotice(label(saved ? "lms_exited" : "lms_exited_unsaved"), !saved);
  }

  // ------------------------------------------------------------------------ start-up

  function restore() {
    const saved = local.read();
    const sameLearner = saved && (saved.learner || "") === session.learner;
    const fromLms = decode(lms.connected ? lms.get(CMI.suspend) : "");
    const fromLocal = sameLearner && typeof saved.data === "string" ? decode(saved.data) : null;
    if (fromLms) {
      session.state = fromLms.state;
      session.count = fromLms.count;
      if (fromLocal && saved.committed === false) {
        session.state = merge(fromLms.state, fromLocal.state);
        session.count = Math.max(fromLms.count, fromLocal.count);
      }
    } else if (fromLocal) {
      session.state = fromLocal.state;
      session.count = fromLocal.count;
    }
    let location = lms.connected ? lms.get(CMI.location) : "";
    const newer = sameLearner && allowed(saved.location) && (saved.committed === false || !allowed(location));
    if (newer) location = saved.location;
    session.location = allowed(location) ? location : null;
    if (lms.connected && sameLearner && saved.committed === false && Array.isArray(saved.pending)) {
      // Answers submitted while the LMS could not save, in a session that ended since.
      saved.pending.forEach((item) => {
        if (isObject(item) && typeof item.id === "string" && Array.isArray(item.patterns)) {
          session.pending.push(item);
          writeInteraction(item);
        }
      });
    }
  }

  /* The course's passing score decides passed/failed, whatever the LMS hands (lms-pitfalls 6):
     Moodle gives a 2004 SCO the measure of the last objective it parsed, 1.0 when that one has
     none; values may also come empty or out of range. The log says when the LMS's value is set aside. */
  function passingScore(fromLms) {
    const course = typeof config.mastery_score === "number" && isFinite(config.mastery_score) ? config.mastery_score : null;
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

  function connect(api) {
    lms.api = api;
    let ok = lms.call("init", [""]) === "true";
    if (!ok && lms.lastError() === (V2004 ? "103" : "101") && lms.call("get", [CMI.mode]) !== "") {
      ok = true; // initialised already by an earlier launch page in this same window
    }
    if (!ok) {
      console.warn("Bon Sens: the LMS did not start the session (" + lms.lastError() + ").");
      lms.api = null;
      return false;
    }
    lms.connected = true;
    session.learner = lms.get(CMI.learner);
    session.learnerName = readableName(lms.get(CMI.name));
    session.mode = lms.get(CMI.mode) || "normal";
    session.masteryScore = passingScore(lms.get(CMI.mastery));
    if (V2004) {
      session.initialStatus.completion = lms.get("cmi.completion_status");
      session.initialStatus.success = lms.get("cmi.success_status");
    } else {
      session.initialStatus.lesson = lms.get("cmi.core.lesson_status");
    }
    return true;
  }

  function start(api) {
    local.probe();
    if (api) connect(api);
    if (!lms.connected && typeof config.mastery_score === "number") session.masteryScore = config.mastery_score;
    restore();
    window.BonSensSCO = { tracker: tracker, exit: exit, config: config };
    if (lms.connected) {
      showNotice(label("lms_notice"), false);
      exitButton.textContent = label("lms_exit");
      exitButton.hidden = false;
      exitButton.addEventListener("click", exit);
      writeAll(); // statuses and exit at once: "incomplete" and "suspend" until finished
    } else {
      showNotice(label("lms_offline_notice"), false);
    }
    saveLocal();
    frame.addEventListener("load", onFrameLoad);
    open(session.location || PAGES[0]);
  }

  window.addEventListener("pagehide", () => finishSession(false));
  window.addEventListener("unload", () => finishSession(false));
  window.addEventListener("beforeunload", () => {
    if (lms.connected && !lms.terminated) commitNow();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && lms.connected && !lms.terminated) commitNow();
  });

  // Find the API at once, else retry every 250 ms for up to 2 s before working without it.
  let tries = 0;
  (function search() {
    const api = findApi();
    if (api || tries >= 8) {
      start(api);
      return;
    }
    tries += 1;
    setTimeout(search, 250);
  })();

  // For tests and diagnostics: the codec, pure functions of the configuration, and the session.
  window.BonSensSCOInternals = { encode, decode, session };
})();
