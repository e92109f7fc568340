/*
 * Bon Sens: the launch page's runtime, its core (every package: SCORM 1.2, SCORM 2004, cmi5).
 *
 * Each package ships one file, assets/bonsens/sco-runtime.js: this core, then its standard's
 * adapter (scorm-codec.js + scorm.js, or languages.js + cmi5.js), minified together
 * (builder/runtime_assets.py).
 * The launch page (sco.html) loads it after progress-model.js, holds the one LMS session and
 * shows the course pages in a frame. Every page in that frame reports to
 * `window.BonSensSCO.tracker` (see progress.js), with the semantics of progress.js's local
 * tracker: getState, setState, recordLessonRead, recordQuizResult, saveQuizInProgress,
 * recordVisit, persistent; plus learnerName and scope.
 *
 * The core knows no standard. It holds the configuration, the state and its rules, the safety
 * copy, the tracker, the frame and its links, the notices and the Exit button, when to save (now,
 * soon, again with backoff while it fails) and the restore at start. It defines
 * `window.BonSensRuntime = {util, start(adapter)}` and waits: the adapter's file, loaded last,
 * calls start() with
 *   standard         "1.2" | "2004" | "cmi5"
 *   codec            {encode(state, meta, limit), decode(text) -> {state, count} | null}: the
 *                    safety copy's text (SCORM: its suspend_data)
 *   connect()        null without an LMS (progress then stays on this device), else {learner,
 *                    learnerName, mode, masteryScore, saved: {text, location}, language}
 *   begin(snapshot)  optional: the restored session's first snapshot (SCORM writes its statuses)
 *   save(snapshot)   make what the LMS holds durable; true once it holds everything sent
 *   answered(quizId, result, attemptNumber)   one submitted attempt (not in browse or review)
 *   outbox(), resend(items)   sent but not acknowledged: kept in the safety copy, handed back
 *                    at the next launch when the last session ended unsaved
 *   finish(snapshot, explicit)   ends the session once; true when the LMS took the last data
 * Any of them may answer with a Promise (waited for, but at pagehide). A snapshot is
 * {state, location, summary, count, lastQuiz, reviewing}.
 *
 * The core reads config.pages (this SCO's pages, the first where it starts) and config.labels
 * (the bar's texts) where it uses them: in a package that holds several languages (cmi5's),
 * languages.js, loaded between the core and the adapter, sets them to the learner's language
 * once connected. SCORM packages hold one language and leave languages.js out.
 *
 * localStorage safety copy: key "bonsens:<course>:<version>:lms", JSON
 *   {v: 1, scos: {<sco id>: {data, location, learner, committed, pending, at}}}
 * (data: codec.encode; pending: the adapter's outbox) written at every change and marked
 * committed once the LMS holds it; without an LMS it is the only store.
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
  const LESSONS = asList(config.lessons);
  const QUIZZES = asList(config.quizzes);
  const SCORING = asList(config.scoring_quizzes).filter((id) => QUIZZES.indexOf(id) >= 0);
  const OBJECTIVES = Array.isArray(config.objectives) ? config.objectives : [];
  const QUESTIONS = asList(config.questions);
  const STORAGE_KEY = "bonsens:" + config.course + ":" + config.version + ":lms";

  function asList(value) {
    return Array.isArray(value) ? value.filter((x) => typeof x === "string") : [];
  }

  /* A text of the SCO's bar, in the course language (package.py writes them into the config). */
  function label(key) {
    const labels = config.labels || {};
    return typeof labels[key] === "string" ? labels[key] : "";
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

  /* A value, or what its Promise resolves to (false when it fails), handed to `then`; at once
     when it is no Promise, so that an adapter answering at once (SCORM) keeps its calls' order. */
  function when(value, then) {
    return value && typeof value.then === "function" ? value.then(then, () => then(false)) : then(value);
  }

  /* A text the LMS shows on one line, within `limit` characters. */
  function plainText(text, limit) {
    return String(text).replace(/[\r\n\t]+/g, " ").slice(0, limit);
  }

  // ------------------------------------------------------------------------ state

  /* Lessons then quizzes: what the saved "last visited" counts positions in. */
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

  // ------------------------------------------------------------------------ the safety copy

  let storage = null; // localStorage, when this browser lets us use it

  function probeStorage() {
    try {
      const s = window.localStorage;
      s.setItem("bonsens:test", "1");
      s.removeItem("bonsens:test");
      storage = s;
    } catch (e) {
      storage = null;
    }
  }

  function readAll() {
    let all = null;
    try {
      all = storage && JSON.parse(storage.getItem(STORAGE_KEY) || "null");
    } catch (e) {
      // not JSON: start again
    }
    return isObject(all) && isObject(all.scos) ? all : { v: 1, scos: {} };
  }

  function readLocal() {
    const entry = own(readAll().scos, config.sco);
    return isObject(entry) ? entry : null;
  }

  function writeLocal(entry) {
    if (!storage) return;
    const all = readAll();
    if (entry) all.scos[config.sco] = entry;
    else delete all.scos[config.sco];
    try {
      if (Object.keys(all.scos).length) storage.setItem(STORAGE_KEY, JSON.stringify(all));
      else storage.removeItem(STORAGE_KEY);
    } catch (e) {
      // quota exceeded: the LMS copy is all we have
    }
  }

  // ------------------------------------------------------------------------ the session

  let adapter = null; // the standard's, given to start()
  let connected = false; // to an LMS that took our session
  const session = {
    state: emptyState(),
    count: 0, // records the adapter numbered so far (SCORM 1.2's interactions cannot be read back)
    lastQuiz: null, // the quiz whose attempt changed last (kept first when space is short)
    location: null,
    learner: "",
    learnerName: "", // as the LMS knows it, to prefill the certificate's name
    mode: "normal",
    masteryScore: null,
  };
  let committed = true; // the LMS holds every change
  let changes = 0; // changes so far: a save that ends after a newer change leaves it uncommitted
  let saving = false;
  let again = false; // a save was asked for while one was under way
  let finished = false; // the session ended
  let failures = 0;
  let retryTimer = null;
  let lazyTimer = null;

  function reviewing() {
    return session.mode === "browse" || session.mode === "review";
  }

  /* What the adapter reports from: the session (state, location, count, lastQuiz…), summed up. */
  function snapshot() {
    return Object.assign({ summary: summary(session.state), reviewing: reviewing() }, session);
  }

  // ------------------------------------------------------------------------ saving

  function saveLocal() {
    writeLocal({
      data: adapter.codec.encode(session.state, session, 64000),
      location: session.location,
      learner: session.learner,
      committed: committed,
      pending: adapter.outbox(),
      at: new Date().toISOString(),
    });
  }

  function changed() {
    changes += 1;
    committed = false;
    saveLocal();
  }

  /* Has the LMS keep everything now; while it cannot, says so and tries again, ever later. */
  function saveNow() {
    clearTimeout(lazyTimer);
    clearTimeout(retryTimer);
    retryTimer = null;
    if (!connected || finished) return;
    if (saving) {
      again = true;
      return;
    }
    const sent = changes;
    saving = true;
    when(adapter.save(snapshot()), (saved) => {
      const more = again;
      saving = again = false;
      if (finished) return;
      if (saved) {
        failures = 0;
        committed = changes === sent;
        saveLocal();
        showNotice(label("lms_notice"), false);
        if (more) saveNow();
      } else {
        failures += 1;
        committed = false;
        saveLocal();
        showNotice(label("lms_save_warning"), true);
        const delay = Math.min(30000, 1000 * Math.pow(2, failures - 1));
        retryTimer = setTimeout(saveNow, delay);
      }
    });
  }

  /* Answers typed in a quiz: saved in the frame's session soon, not at each key. */
  function saveSoon() {
    clearTimeout(lazyTimer);
    if (retryTimer) return;
    lazyTimer = setTimeout(saveNow, 10000);
  }

  /* Ends the session once; true (or a Promise of true) when the LMS accepted the last data. */
  function finishSession(explicit) {
    if (!connected || finished) return false;
    finished = true;
    clearTimeout(lazyTimer);
    clearTimeout(retryTimer);
    return when(adapter.finish(snapshot(), explicit), (saved) => {
      if (saved) {
        committed = true;
        writeLocal(null);
      } else saveLocal();
      return !!saved;
    });
  }

  // ------------------------------------------------------------------------ the tracker

  const tracker = {
    /* In the exam SCO of a multi-SCO package the LMS's sequencing has already required the
       modules: quiz.js and progress.js then ask for the exam alone. */
    prerequisitesMet: config.role === "exam",

    get persistent() {
      return connected || storage !== null;
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
      changed(); // saved with the page change (onFrameLoad)
    },

    getState() {
      return clone(session.state);
    },

    setState(state) {
      session.state = normalise(state);
      changed();
      saveSoon();
    },

    recordLessonRead(lessonId) {
      const id = String(lessonId);
      if (LESSONS.indexOf(id) < 0 || session.state.lessons[id]) return;
      session.state.lessons[id] = true;
      changed();
      saveNow();
    },

    recordQuizResult(quizId, result) {
      const id = String(quizId);
      if (QUIZZES.indexOf(id) < 0) return;
      const record = MODEL.recordResult(session.state, id, result);
      if (connected && !reviewing() && result) adapter.answered(id, result, record.attempts);
      changed();
      saveNow();
    },

    saveQuizInProgress(quizId, attempt) {
      const id = String(quizId);
      if (QUIZZES.indexOf(id) < 0) return;
      if (attempt) {
        session.state.inProgress[id] = clone(attempt);
        session.lastQuiz = id;
      } else delete session.state.inProgress[id];
      changed();
      saveSoon();
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
    return path !== null && config.pages.indexOf(path) >= 0; // the first is where the SCO starts
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
        if (link.closest(".bs-actions") && connected) exit();
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
      open(framePage || config.pages[0]);
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
    saveNow();
  }

  function exit() {
    if (finished) return;
    when(finishSession(true), (saved) => {
      frame.removeAttribute("src");
      frame.hidden = true;
      exitButton.hidden = true;
      showNotice(label(saved ? "lms_exited" : "lms_exited_unsaved"), !saved);
    });
  }

  // ------------------------------------------------------------------------ start-up

  function restore(lms) {
    const codec = adapter.codec;
    const held = (lms && lms.saved) || {};
    const saved = readLocal();
    const sameLearner = saved && (saved.learner || "") === session.learner;
    const unsaved = sameLearner && saved.committed === false; // the last session ended unsaved
    const fromLms = lms ? codec.decode(held.text) : null;
    const fromLocal = sameLearner && typeof saved.data === "string" ? codec.decode(saved.data) : null;
    if (fromLms) {
      session.state = fromLms.state;
      session.count = fromLms.count;
      if (fromLocal && unsaved) {
        session.state = merge(fromLms.state, fromLocal.state);
        session.count = Math.max(fromLms.count, fromLocal.count);
      }
    } else if (fromLocal) {
      session.state = fromLocal.state;
      session.count = fromLocal.count;
    }
    const lmsPage = lms && allowed(held.location) ? held.location : null;
    const localPage = sameLearner && allowed(saved.location) ? saved.location : null;
    session.location = localPage && (unsaved || !lmsPage) ? localPage : lmsPage;
    if (lms && unsaved && Array.isArray(saved.pending)) {
      adapter.resend(saved.pending); // sent while the LMS could not keep it, in a session that ended since
    }
  }

  function opened(lms) {
    connected = !!lms;
    if (lms) {
      session.learner = String(lms.learner || "");
      session.learnerName = readableName(lms.learnerName);
      session.mode = lms.mode || "normal";
      session.masteryScore = finite(lms.masteryScore, null);
    } else session.masteryScore = finite(config.mastery_score, null);
    restore(lms);
    window.BonSensSCO = { tracker: tracker, exit: exit, config: config };
    if (connected) {
      showNotice(label("lms_notice"), false);
      exitButton.textContent = label("lms_exit");
      exitButton.hidden = false;
      exitButton.addEventListener("click", exit);
      if (adapter.begin) adapter.begin(snapshot());
    } else {
      showNotice(label("lms_offline_notice"), false);
    }
    saveLocal();
    frame.addEventListener("load", onFrameLoad);
    open(session.location || config.pages[0]);
  }

  function start(given) {
    adapter = given;
    // For tests and diagnostics: the codec, pure functions of the configuration, and the session.
    window.BonSensSCOInternals = { encode: adapter.codec.encode, decode: adapter.codec.decode, session: session };
    probeStorage();
    when(adapter.connect(), opened);
  }

  window.addEventListener("pagehide", () => finishSession(false));
  window.addEventListener("unload", () => finishSession(false));
  window.addEventListener("beforeunload", saveNow);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") saveNow();
  });

  window.BonSensRuntime = {
    // What the adapters use of the core (`session`: SCORM keeps its interactions' `count` there)
    util: {
      config, own, clone, isObject, finite, dict, emptyState, normalise, MODEL, LESSONS, QUIZZES, QUESTIONS,
      OBJECTIVES, OUTLINE, VISITABLE, quizTaken, attemptsLeft, plainText, asList, session,
    },
    start: start,
  };
})();
