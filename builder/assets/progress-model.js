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
 * Pure functions of their arguments; no DOM. Attached to `window.BonSensModel`.
 */
(function () {
  "use strict";

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

  window.BonSensModel = {
    lessonRead: lessonRead,
    quizPassed: quizPassed,
    resultOfPath: resultOfPath,
    moduleProgress: moduleProgress,
    summarise: summarise,
  };
})();
