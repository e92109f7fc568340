/*
 * Bon Sens: the "B1" codec of SCORM's suspend_data (SCORM 1.2 and 2004 packages).
 *
 * Loaded between the core (core.js, which it takes the SCO's lessons, quizzes and questions
 * from) and the SCORM adapter (scorm.js), which reports through it; the core keeps the same text
 * in its safety copy. Sets `BonSensRuntime.codec = {encode(state, meta, limit), decode(text)}`;
 * meta: {count, lastQuiz}.
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
 */
(function () {
  "use strict";

  const runtime = window.BonSensRuntime;
  if (!runtime) return; // no valid configuration: the core said so
  const { own, isObject, dict, emptyState, LESSONS, QUIZZES, QUESTIONS, VISITABLE } = runtime.util;
  const FILL_IN_CAP = 100;

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

  runtime.codec = { encode: encode, decode: decode };
})();
