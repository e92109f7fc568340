/*
 * Bon Sens: the one progress model, shared by the site's pages (progress.js: home, navigation,
 * lesson indicator, certificate) and the SCO runtime (sco-runtime.js: what the LMS receives).
 * One set of rules, written once, so that every display and the LMS agree:
 *
 *   - a lesson is read once its end has been reached (or it was marked read);
 *   - a module is done when all its lessons are read AND its quiz is passed;
 *   - the course is done when every module is done AND the final exam is passed.
 *
 * The percentage counts steps: each lesson read, each module quiz passed and the exam passed is
 * one step of the same weight. It is rounded DOWN, so 100 % means everything is done; the SCO
 * sends the same number to the LMS (SCORM 2004 cmi.progress_measure = percent / 100).
 *
 * A learning path is an outline of its own (its modules, lessons and quizzes); the final exam
 * passed counts for the path it was taken in: a result that names another path (`path`) is not
 * this path's, a result that names none (an older one, or a package's: one path) counts as before.
 *
 *   outline: {modules: [{id, lessons: [lesson ids], quiz: quiz id or null}], exam: id or null,
 *             path: the path's id, optional}
 *   state:   {lessons: {id: true}, quizzes: {id: {passed, attempts, path?, ...}}, inProgress: {id: …}}
 *
 * The stored state is read and written here too, for both trackers (progress.js's local one,
 * sco-runtime.js's for the LMS): what is kept of whatever storage or an LMS hands back, and how
 * a quiz's result is recorded.
 *
 * Pure functions of their arguments; no DOM. Attached to `window.BonSensModel`.
 */
(function () {
  "use strict";

  const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
  const finite = (value, fallback) => (typeof value === "number" && isFinite(value) ? value : fallback);
  const percent = (value) => Math.min(100, Math.max(0, finite(value, 0)));
  /* A map keyed by authored ids: without a prototype, "constructor" is not in it until set. */
  const dict = () => Object.create(null);

  function has(map, id) {
    return !!map && Object.prototype.hasOwnProperty.call(map, id);
  }

  function lessonRead(state, id) {
    return has(state.lessons, id) && state.lessons[id] === true;
  }

  function quizPassed(state, id) {
    return !!id && has(state.quizzes, id) && !!state.quizzes[id] && state.quizzes[id].passed === true;
  }

  /* Whether a quiz's result belongs to a path: it names that path, or none. */
  function resultOfPath(state, id, path) {
    const record = has(state.quizzes, id) ? state.quizzes[id] : null;
    return !path || !record || typeof record.path !== "string" || record.path === path;
  }

  /* Taken at least once, or an attempt under way. */
  function quizStarted(state, id) {
    return !!id && ((has(state.quizzes, id) && !!state.quizzes[id]) || has(state.inProgress, id));
  }

  /* One module: its steps (lessons, then the quiz) and where the learner is. */
  function moduleProgress(state, module) {
    const read = module.lessons.filter((id) => lessonRead(state, id)).length;
    const passed = quizPassed(state, module.quiz);
    const steps = module.lessons.length + (module.quiz ? 1 : 0);
    const done = read + (passed ? 1 : 0);
    const started = read > 0 || quizStarted(state, module.quiz);
    return {
      id: module.id,
      read: read,
      lessons: module.lessons.length,
      quizPassed: passed,
      steps: steps,
      stepsDone: done,
      done: done === steps,
      status: done === steps ? "completed" : started ? "in_progress" : "not_started",
    };
  }

  /* The whole outline: per module, the exam, the course, and the percentage shown everywhere. */
  function summarise(state, outline) {
    const modules = outline.modules.map((m) => moduleProgress(state, m));
    const exam = outline.exam || null;
    const examPassed = quizPassed(state, exam) && resultOfPath(state, exam, outline.path);
    let steps = exam ? 1 : 0;
    let done = examPassed ? 1 : 0;
    modules.forEach((m) => {
      steps += m.steps;
      done += m.stepsDone;
    });
    return {
      modules: modules,
      modulesDone: modules.every((m) => m.done),
      examPassed: examPassed,
      examStatus: examPassed
        ? "completed"
        : quizStarted(state, exam) && resultOfPath(state, exam, outline.path)
          ? "in_progress"
          : "not_started",
      steps: steps,
      stepsDone: done,
      percent: steps ? Math.floor((done / steps) * 100) : 0,
      done: steps > 0 && done === steps,
    };
  }

  // ------------------------------------------------------------------------ the stored state

  /*
   *   {lessons: {lessonId: true},
   *    quizzes: {quizId: {best, passed, attempts, last: {score, passed}, passedOn: "YYYY-MM-DD",
   *                        path: "the learning path an exam was taken in"}},
   *    inProgress: {quizId: attempt (see quiz.js)},
   *    name: "name on the certificate",
   *    last: "id of the lesson or quiz visited last" (the home page's "Resume"),
   *    path: "id of the learning path chosen" (none: the organisation's default)}
   * passedOn (the day a quiz was first passed) dates the certificate; nothing else is timed.
   */
  const emptyState = () => ({ lessons: dict(), quizzes: dict(), inProgress: dict(), name: "", last: "", path: "" });

  /* The well-formed parts of a stored state, copied: corrupt data never breaks a page. `scope`
     (a SCO's {lessons, quizzes, visitable}: id lists) keeps only the ids it lists. */
  function normaliseState(raw, scope) {
    const state = emptyState();
    if (!isObject(raw)) return state;
    const ids = (map, list) => (isObject(map) ? (list || Object.keys(map)).filter((id) => has(map, id)) : []);
    ids(raw.lessons, scope && scope.lessons).forEach((id) => {
      if (raw.lessons[id] === true) state.lessons[id] = true;
    });
    ids(raw.quizzes, scope && scope.quizzes).forEach((id) => {
      const r = raw.quizzes[id];
      if (!isObject(r)) return;
      const record = {
        best: percent(r.best),
        passed: r.passed === true,
        attempts: Math.max(0, Math.floor(finite(r.attempts, 0))),
        last: isObject(r.last) ? { score: percent(r.last.score), passed: r.last.passed === true } : null,
      };
      if (typeof r.passedOn === "string" && /^\d{4}-\d{2}-\d{2}$/.test(r.passedOn)) record.passedOn = r.passedOn;
      if (typeof r.path === "string") record.path = r.path.slice(0, 200);
      state.quizzes[id] = record;
    });
    ids(raw.inProgress, scope && scope.quizzes).forEach((id) => {
      const attempt = raw.inProgress[id]; // checked in detail by quiz.js
      if (isObject(attempt)) state.inProgress[id] = JSON.parse(JSON.stringify(attempt));
    });
    const text = (value) => (typeof value === "string" ? value.slice(0, 200) : "");
    state.name = text(raw.name);
    state.last = !scope ? text(raw.last) : scope.visitable.indexOf(raw.last) >= 0 ? raw.last : "";
    state.path = text(raw.path);
    return state;
  }

  /* "2026-03-05", in local time. */
  function localDate(date) {
    const pad = (n) => String(n).padStart(2, "0");
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  /* A quiz's result recorded in `state`: one attempt more, the best score kept, the day it was
     first passed; the attempt in progress is over. An exam counts for the path it was taken in
     (`result.path`): taken in another, that path's record starts. Returns the record. */
  function recordResult(state, quizId, result) {
    const score = finite(result && result.score, 0);
    const passed = !!(result && result.passed);
    const path = result && typeof result.path === "string" ? result.path : null;
    const kept = state.quizzes[quizId];
    const own = kept && !(path && typeof kept.path === "string" && kept.path !== path);
    const record = own ? kept : { best: 0, passed: false, attempts: 0, last: null };
    if (path) record.path = path;
    record.attempts += 1;
    record.best = Math.max(record.best, score);
    record.last = { score, passed };
    if (passed && !record.passed) {
      const finished = new Date(result.finishedAt || Date.now());
      record.passedOn = localDate(isNaN(finished.getTime()) ? new Date() : finished);
    }
    record.passed = record.passed || passed;
    state.quizzes[quizId] = record;
    delete state.inProgress[quizId];
    return record;
  }

  window.BonSensModel = {
    resultOfPath,
    moduleProgress,
    summarise,
    emptyState,
    normaliseState,
    recordResult,
    localDate,
    isObject,
    finite,
    dict,
  };
})();
