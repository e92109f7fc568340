/*
 * Bon Sens: progress store, progress display and certificate.
 *
 * A classic script without dependencies. Load it before quiz.js (both synchronously or both
 * with `defer`). It attaches to `window.BonSens`:
 *
 *   BonSens.util      helpers shared with quiz.js: course data, labels, building DOM safely.
 *   BonSens.tracker   where progress is kept. The default one below uses localStorage (or memory
 *                     when localStorage is unavailable). A SCORM adapter may define its own
 *                     `BonSens.tracker` before this script runs; it is then used instead.
 *   BonSens.progress  the progress display: marks in the navigation, the home page table, the
 *                     "mark as read" button at the end of lessons and the certificate.
 *   BonSens.init(root)  initialises every Bon Sens component found under `root`. Called on
 *                     DOMContentLoaded; calling it again is harmless.
 *
 * Plain text (ids, titles, labels) is always inserted with textContent. Only the `*_html`
 * fields of the quiz data, sanitised by the Python side, are inserted as HTML.
 */
(() => {
  "use strict";

  const BS = (window.BonSens = window.BonSens || {});

  // ------------------------------------------------------------------------ labels

  /* English fallbacks, used only when the page's course data lacks a key. */
  const DEFAULT_LABELS = {
    attempts_left: "You have {n} attempt(s) left.",
    best_score: "Best score",
    best_so_far: "Your best score so far: {score} % ({status}).",
    cancel: "Cancel",
    certificate_locked: "Pass every module quiz and the final exam to get your certificate.",
    certificate_name_label: "Your name, as it should appear on the certificate",
    certificate_print: "Print the certificate",
    certificate_remaining: "Still to do:",
    certificate_text:
      "has successfully completed the course “{course}” on {date}, with a final exam score of {score} %.",
    certificate_title: "Certificate of completion",
    completed: "Completed",
    confirm: "Confirm",
    correct: "Correct",
    correct_answer: "Expected answer",
    correct_answer_is: "Expected answer: {answer}",
    exam_locked: "Complete every module first: {missing}",
    explanation: "Explanation",
    failed: "Not passed yet",
    false: "False",
    fill_in_placeholder: "Your answer",
    final_exam: "Final exam",
    in_progress: "In progress",
    incorrect: "Incorrect",
    keep_answering: "Keep answering",
    lessons_read: "Lessons read",
    mark_read: "I have read this lesson",
    marked_read: "Lesson read",
    modules: "Modules",
    move_down: "Move down",
    move_up: "Move up",
    multiple_hint: "Several answers may be correct: tick all that apply.",
    next: "Next",
    no_answer: "(no answer)",
    no_attempts_left: "You have used all your attempts.",
    not_started: "Not started",
    ordering_hint: "Use the buttons to put the items in the right order.",
    overall: "Whole course",
    partially_correct: "Partly correct",
    passed: "Passed",
    passed_mark: "(passed)",
    passing: "Passing score: {passing} %",
    position: "{item}: position {n} of {total}",
    progress_title: "Your progress",
    question_of: "Question {n} of {total}",
    quiz_unavailable: "This quiz could not be loaded. Please reload the page.",
    read: "(read)",
    reset_confirm: "Erase all your progress on this device? This cannot be undone.",
    reset_done: "Progress erased.",
    reset_progress: "Reset my progress",
    retry: "Try again",
    saved_locally_notice:
      "Your browser does not allow saving progress: it will be lost when this page closes.",
    score: "Your score: {score} %",
    select_match: "Choose the matching item",
    status: "Status",
    submit: "Submit my answers",
    submit_anyway: "Submit anyway",
    true: "True",
    unanswered_warning: "{count} question(s) not answered. Submit anyway?",
    your_answer: "Your answer",
    your_answer_is: "Your answer: {answer}",
  };

  // ------------------------------------------------------------------------ course data

  const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
  const str = (value, fallback) => (typeof value === "string" ? value : fallback);
  const finite = (value, fallback) => (typeof value === "number" && isFinite(value) ? value : fallback);
  const percent = (value) => Math.min(100, Math.max(0, finite(value, 0)));
  /* A map keyed by authored ids: without a prototype, "constructor" is not in it until set. */
  const dict = () => Object.create(null);

  /* Parses the JSON inside a <script type="application/json">; null if absent or invalid. */
  function readJson(el) {
    if (!el) return null;
    try {
      return JSON.parse(el.textContent);
    } catch (e) {
      return null;
    }
  }

  let courseCache = null;

  /* The course outline (`window.BonSensCourse`, from the language's bonsens-course.js), with every
     field present and its links made relative to this page: the file's links start at the
     language's root, and the page loads it through `<script data-bs-course src="../…">`: found
     by that attribute, which authored content cannot carry (an id could be clobbered). */
  function getCourse() {
    if (courseCache) return courseCache;
    const script = document.querySelector("script[data-bs-course]");
    const up = script ? (script.getAttribute("src") || "").replace(/[^/]*$/, "") : "";
    const link = (url) => (typeof url === "string" && url ? up + url : "");
    const raw = isObject(window.BonSensCourse) ? window.BonSensCourse : {};
    const withLink = (item) => (isObject(item) ? Object.assign({}, item, { url: link(item.url) }) : null);
    const pages = isObject(raw.pages) ? raw.pages : {};
    courseCache = {
      id: str(raw.id, "course"),
      version: str(raw.version, "0"),
      lang: str(raw.lang, document.documentElement.lang || "en"),
      title: str(raw.title, document.title),
      organisation: str(raw.organisation, ""),
      modules: (Array.isArray(raw.modules) ? raw.modules : []).filter(isObject).map((m) => ({
        id: str(m.id, ""),
        title: str(m.title, ""),
        url: link(m.url),
        lessons: (Array.isArray(m.lessons) ? m.lessons : []).filter(isObject).map(withLink),
        quiz: withLink(m.quiz),
      })),
      final_exam: withLink(raw.final_exam),
      pages: { home: link(pages.home), certificate: link(pages.certificate) },
      labels: isObject(raw.labels) ? raw.labels : {},
    };
    return courseCache;
  }

  /* The quizzes to pass for the certificate: every module quiz, then the final exam. */
  /* The quizzes the certificate needs; only the exam when the LMS already enforced the modules. */
  function requiredQuizzes(course) {
    const modulesMet = BS.tracker && BS.tracker.prerequisitesMet === true && course.final_exam;
    const list = modulesMet ? [] : course.modules.filter((m) => m.quiz).map((m) => ({ quiz: m.quiz, module: m }));
    if (course.final_exam) list.push({ quiz: course.final_exam, module: null });
    return list;
  }

  // ------------------------------------------------------------------------ text helpers

  /* Replaces {name} placeholders with values; unknown placeholders are left as they are. */
  function format(template, vars) {
    return String(template).replace(/\{(\w+)\}/g, (whole, name) =>
      vars && vars[name] !== undefined && vars[name] !== null ? String(vars[name]) : whole
    );
  }

  /* A label in the page's language, formatted; falls back to English, then to the key. */
  function label(key, vars) {
    const labels = getCourse().labels;
    const template = typeof labels[key] === "string" ? labels[key] : DEFAULT_LABELS[key];
    return format(template === undefined ? key : template, vars);
  }

  /* Like label(), but placeholders may be replaced by DOM nodes (links, emphasis). */
  function labelNodes(key, vars) {
    const fragment = document.createDocumentFragment();
    const template = label(key);
    const re = /\{(\w+)\}/g;
    let last = 0;
    let match;
    while ((match = re.exec(template)) !== null) {
      fragment.append(template.slice(last, match.index));
      const value = vars ? vars[match[1]] : undefined;
      if (value instanceof Node) fragment.append(value);
      else fragment.append(value === undefined || value === null ? match[0] : String(value));
      last = re.lastIndex;
    }
    fragment.append(template.slice(last));
    return fragment;
  }

  function formatNumber(n) {
    try {
      return new Intl.NumberFormat(getCourse().lang, { maximumFractionDigits: 1 }).format(n);
    } catch (e) {
      return String(n);
    }
  }

  /* "80 %", with a no-break space as French typography wants (and the labels' " %" style). */
  const formatPercent = (n) => formatNumber(n) + "\u00a0%";

  /* Nodes joined as a list in the page's language: "A, B and C" / "A, B et C". */
  function joinNodes(nodes) {
    const fragment = document.createDocumentFragment();
    let parts = null;
    try {
      const placeholders = nodes.map((_, i) => "\u0000" + i + "\u0000");
      parts = new Intl.ListFormat(getCourse().lang, { type: "conjunction" }).formatToParts(placeholders);
    } catch (e) {
      parts = null; // Intl.ListFormat unsupported: plain commas
    }
    if (!parts) {
      nodes.forEach((node, i) => fragment.append(i > 0 ? ", " : "", node));
      return fragment;
    }
    parts.forEach((part) => {
      fragment.append(part.type === "element" ? nodes[Number(part.value.slice(1, -1))] : part.value);
    });
    return fragment;
  }

  // ------------------------------------------------------------------------ DOM helpers

  function append(parent, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach((c) => append(parent, c));
    else parent.append(child instanceof Node ? child : String(child));
  }

  /*
   * h("p", {class: "x", text: "plain"}, child, ...) builds an element.
   * Attributes: `class`, `text` (textContent), `html` (ONLY for the sanitised *_html fields),
   * `on<event>` (a listener), booleans (true: empty attribute; false or null: absent).
   * Children: nodes, strings (as text), arrays; null, undefined and false are skipped.
   */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (value === null || value === undefined || value === false) return;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key === "html") node.innerHTML = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    });
    append(node, children);
    return node;
  }

  /* Replaces the children of parent (same children as h()). */
  function setChildren(parent, ...children) {
    parent.replaceChildren();
    append(parent, children);
  }

  /*
   * Sanitised HTML as a fragment for an inline context (a <label>, a list item): a lone
   * wrapping <p> produced by Markdown is unwrapped. <template> parsing runs no script.
   */
  function inlineHtml(html) {
    const template = document.createElement("template");
    template.innerHTML = html || "";
    const content = template.content;
    const first = content.firstElementChild;
    const onlyP =
      content.childElementCount === 1 &&
      first.tagName === "P" &&
      Array.from(content.childNodes).every((n) => n === first || (n.nodeType === 3 && !n.textContent.trim()));
    const fragment = document.createDocumentFragment();
    Array.from((onlyP ? first : content).childNodes).forEach((n) =>
      fragment.append(document.importNode(n, true))
    );
    return fragment;
  }

  /* The plain text of sanitised HTML (for <option>s and accessible names). */
  function htmlToText(html) {
    const template = document.createElement("template");
    template.innerHTML = html || "";
    return template.content.textContent.replace(/\s+/g, " ").trim();
  }

  const icon = (kind) => h("span", { class: "bs-icon bs-icon--" + kind, "aria-hidden": "true" });
  const srOnly = (text) => h("span", { class: "bs-sr-only", text });

  let lastId = 0;
  function uniqueId(prefix) {
    lastId += 1;
    return (prefix || "bs") + "-" + lastId;
  }

  /* A comparable key for a page address: no query, no fragment, "index.html" dropped. */
  function pageKey(url) {
    if (typeof url !== "string" || url === "") return null;
    try {
      const u = new URL(url, location.href);
      return u.protocol + "//" + u.host + u.pathname.replace(/\/index\.html?$/i, "/");
    } catch (e) {
      return null;
    }
  }

  /* "2026-03-05", in local time. */
  function localDate(date) {
    const pad = (n) => String(n).padStart(2, "0");
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  const isPersistent = () => !(BS.tracker && BS.tracker.persistent === false);
  const notice = () => h("p", { class: "bs-notice", text: label("saved_locally_notice") });

  BS.util = {
    DEFAULT_LABELS,
    readJson,
    isObject,
    getCourse,
    requiredQuizzes,
    format,
    label,
    labelNodes,
    formatNumber,
    formatPercent,
    joinNodes,
    h,
    setChildren,
    inlineHtml,
    htmlToText,
    icon,
    srOnly,
    uniqueId,
    pageKey,
    localDate,
    notice,
    isPersistent,
  };

  // ------------------------------------------------------------------------ the default tracker

  /*
   * The progress object, kept under one localStorage key "bonsens:<course id>:<version>":
   *   {lessons: {lessonId: true},
   *    quizzes: {quizId: {best, passed, attempts, last: {score, passed}, passedOn: "YYYY-MM-DD"}},
   *    inProgress: {quizId: attempt (see quiz.js)},
   *    name: "name on the certificate"}
   * passedOn (the day a quiz was first passed) dates the certificate; nothing else is timed.
   */
  const emptyState = () => ({ lessons: dict(), quizzes: dict(), inProgress: dict(), name: "" });

  /* Keeps the well-formed parts of a stored state: corrupt data never breaks the page. */
  function normaliseState(raw) {
    const state = emptyState();
    if (!isObject(raw)) return state;
    if (isObject(raw.lessons)) {
      Object.keys(raw.lessons).forEach((id) => {
        if (raw.lessons[id] === true) state.lessons[id] = true;
      });
    }
    if (isObject(raw.quizzes)) {
      Object.entries(raw.quizzes).forEach(([id, r]) => {
        if (!isObject(r)) return;
        const record = {
          best: percent(r.best),
          passed: r.passed === true,
          attempts: Math.max(0, Math.floor(finite(r.attempts, 0))),
          last: isObject(r.last) ? { score: percent(r.last.score), passed: r.last.passed === true } : null,
        };
        if (typeof r.passedOn === "string" && /^\d{4}-\d{2}-\d{2}$/.test(r.passedOn))
          record.passedOn = r.passedOn;
        state.quizzes[id] = record;
      });
    }
    if (isObject(raw.inProgress)) {
      Object.entries(raw.inProgress).forEach(([id, attempt]) => {
        if (isObject(attempt)) state.inProgress[id] = attempt; // checked in detail by quiz.js
      });
    }
    if (typeof raw.name === "string") state.name = raw.name.slice(0, 200);
    return state;
  }

  function createLocalTracker() {
    let storage = null; // window.localStorage, once known to work
    let probed = false;
    let memory = emptyState(); // the state while storage does not work

    function probe() {
      if (probed) return;
      probed = true;
      try {
        const s = window.localStorage;
        s.setItem("bonsens:test", "1");
        s.removeItem("bonsens:test");
        storage = s;
      } catch (e) {
        storage = null; // private mode, storage disabled, sandboxed frame…
      }
    }

    function key() {
      const course = getCourse();
      return "bonsens:" + course.id + ":" + course.version;
    }

    function read() {
      probe();
      if (!storage) return normaliseState(JSON.parse(JSON.stringify(memory)));
      try {
        const text = storage.getItem(key());
        return normaliseState(text ? JSON.parse(text) : null);
      } catch (e) {
        return emptyState(); // corrupt JSON: start afresh
      }
    }

    function write(state) {
      probe();
      memory = state;
      if (!storage) return;
      try {
        storage.setItem(key(), JSON.stringify(state));
      } catch (e) {
        storage = null; // quota exceeded or storage revoked: carry on in memory
      }
    }

    return {
      /* false when progress only lives in memory: the pages then say so. */
      get persistent() {
        probe();
        return storage !== null;
      },
      getState() {
        return read();
      },
      setState(state) {
        write(normaliseState(state));
      },
      recordLessonRead(lessonId) {
        const state = read();
        state.lessons[String(lessonId)] = true;
        write(state);
      },
      recordQuizResult(quizId, result) {
        const state = read();
        const score = finite(result && result.score, 0);
        const passed = !!(result && result.passed);
        const record = state.quizzes[quizId] || { best: 0, passed: false, attempts: 0, last: null };
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
        write(state);
      },
      saveQuizInProgress(quizId, attemptState) {
        const state = read();
        if (attemptState) state.inProgress[quizId] = attemptState;
        else delete state.inProgress[quizId];
        write(state);
      },
    };
  }

  if (!BS.tracker) BS.tracker = createLocalTracker();

  // ------------------------------------------------------------------------ progress queries

  function state() {
    try {
      return normaliseState(BS.tracker.getState());
    } catch (e) {
      return emptyState();
    }
  }

  const quizRecord = (st, quizId) => (quizId && st.quizzes[quizId]) || null;
  const quizPassed = (st, quizId) => !!(quizRecord(st, quizId) || {}).passed;
  const lessonsRead = (st, m) => m.lessons.filter((l) => st.lessons[l.id]).length;

  function moduleStatus(st, m) {
    const read = lessonsRead(st, m);
    const quizId = m.quiz && m.quiz.id;
    if (read === m.lessons.length && (!m.quiz || quizPassed(st, quizId))) return "completed";
    if (read > 0 || quizRecord(st, quizId) || (quizId && st.inProgress[quizId])) return "in_progress";
    return "not_started";
  }

  function examStatus(st, exam) {
    if (quizPassed(st, exam.id)) return "completed";
    if (quizRecord(st, exam.id) || st.inProgress[exam.id]) return "in_progress";
    return "not_started";
  }

  /* Lessons read and quizzes passed, out of all lessons and quizzes. */
  function overallPercent(st, course) {
    let total = 0;
    let done = 0;
    course.modules.forEach((m) => {
      total += m.lessons.length;
      done += lessonsRead(st, m);
    });
    requiredQuizzes(course).forEach((r) => {
      total += 1;
      if (quizPassed(st, r.quiz.id)) done += 1;
    });
    return total ? Math.round((done / total) * 100) : 0;
  }

  /* Tells every display on the page that progress changed (quiz.js calls it after a result). */
  function changed() {
    document.dispatchEvent(new CustomEvent("bonsens:progress-change"));
  }

  // ------------------------------------------------------------------------ navigation marks

  /* Adds a check mark and a hidden "(read)"/"(passed)" to mkdocs-material's navigation links. */
  function markNavigation() {
    const course = getCourse();
    const st = state();
    const marks = new Map(); // page key -> label key
    course.modules.forEach((m) => {
      m.lessons.forEach((l) => {
        if (st.lessons[l.id]) marks.set(pageKey(l.url), "read");
      });
      if (m.quiz && quizPassed(st, m.quiz.id)) marks.set(pageKey(m.quiz.url), "passed_mark");
    });
    if (course.final_exam && quizPassed(st, course.final_exam.id)) {
      marks.set(pageKey(course.final_exam.url), "passed_mark");
    }
    marks.delete(null);

    document.querySelectorAll("a.md-nav__link").forEach((link) => {
      const old = link.querySelector(".bs-nav-mark");
      if (old) old.remove();
      link.classList.remove("bs-nav-done");
      const href = link.getAttribute("href");
      if (!href || href.startsWith("#")) return; // the table of contents
      const kind = marks.get(pageKey(href));
      if (!kind) return;
      link.classList.add("bs-nav-done");
      link.append(h("span", { class: "bs-nav-mark" }, icon("check"), srOnly(" " + label(kind))));
    });
  }

  // ------------------------------------------------------------------------ home page table

  function statusCell(status) {
    const kind = { completed: "check", in_progress: "half" }[status] || "empty";
    return h(
      "span",
      { class: "bs-state bs-state--" + status.replace("_", "-") },
      icon(kind),
      " ",
      label(status)
    );
  }

  function quizCell(st, quiz) {
    const r = quiz && quizRecord(st, quiz.id);
    if (!r) return h("span", { "aria-hidden": "true", text: "—" });
    return h(
      "span",
      { class: "bs-score" },
      formatPercent(r.best),
      " ",
      h(
        "span",
        { class: "bs-verdict bs-verdict--" + (r.passed ? "passed" : "failed") },
        icon(r.passed ? "ok" : "ko"),
        " ",
        label(r.passed ? "passed" : "failed")
      )
    );
  }

  function progressRow(st, title, url, lessonsText, quiz, status) {
    return h(
      "tr",
      null,
      h("th", { scope: "row" }, url ? h("a", { href: url, text: title }) : title),
      h("td", { "data-label": label("lessons_read") }, lessonsText),
      h("td", { "data-label": label("best_score") }, quizCell(st, quiz)),
      h("td", { "data-label": label("status") }, statusCell(status))
    );
  }

  function renderProgressBody(body) {
    const course = getCourse();
    const st = state();
    const percent = overallPercent(st, course);
    const barId = uniqueId("bs-overall");
    const rows = course.modules.map((m) =>
      progressRow(
        st,
        m.title,
        m.url,
        lessonsRead(st, m) + " / " + m.lessons.length,
        m.quiz,
        moduleStatus(st, m)
      )
    );
    const exam = course.final_exam;
    if (exam) {
      const none = h("span", { "aria-hidden": "true", text: "—" });
      rows.push(
        progressRow(st, exam.title || label("final_exam"), exam.url, none, exam, examStatus(st, exam))
      );
    }
    setChildren(
      body,
      h(
        "div",
        { class: "bs-overall" },
        h(
          "label",
          { for: barId },
          h("span", { text: label("overall") }),
          " ",
          h("span", { class: "bs-overall-value", text: formatPercent(percent) })
        ),
        h("progress", { id: barId, max: "100", value: String(percent) }, formatPercent(percent))
      ),
      h(
        "div",
        { class: "bs-table-wrap" },
        h(
          "table",
          { class: "bs-progress-table" },
          h("caption", { class: "bs-sr-only", text: label("progress_title") }),
          h(
            "thead",
            null,
            h(
              "tr",
              null,
              ["modules", "lessons_read", "best_score", "status"].map((key) =>
                h("th", { scope: "col", text: label(key) })
              )
            )
          ),
          h("tbody", null, rows)
        )
      )
    );
  }

  /* The reset button, and its confirmation step. */
  function renderResetControls(area, onReset) {
    const status = h("p", { class: "bs-sr-only", role: "status" });
    const confirmId = uniqueId("bs-reset-confirm");
    const button = h("button", {
      type: "button",
      class: "bs-button bs-button--secondary",
      "aria-expanded": "false",
      "aria-controls": confirmId,
      text: label("reset_progress"),
    });
    const close = () => {
      confirmBox.hidden = true;
      button.setAttribute("aria-expanded", "false");
      button.focus();
    };
    const confirmBox = h(
      "div",
      { class: "bs-confirm", id: confirmId, hidden: true },
      h("p", { class: "bs-confirm-text", tabindex: "-1", text: label("reset_confirm") }),
      h(
        "div",
        { class: "bs-actions" },
        h("button", {
          type: "button",
          class: "bs-button bs-button--danger",
          text: label("confirm"),
          onclick: () => {
            onReset();
            close();
            status.textContent = label("reset_done");
          },
        }),
        h("button", {
          type: "button",
          class: "bs-button bs-button--secondary",
          text: label("cancel"),
          onclick: close,
        })
      )
    );
    button.addEventListener("click", () => {
      status.textContent = "";
      confirmBox.hidden = false;
      button.setAttribute("aria-expanded", "true");
      confirmBox.querySelector(".bs-confirm-text").focus(); // the question is read out first
    });
    confirmBox.addEventListener("keydown", (event) => {
      if (event.key === "Escape") close();
    });
    setChildren(area, button, confirmBox, status);
  }

  function initProgressPanel(container) {
    const headingId = uniqueId("bs-progress-title");
    const body = h("div", { class: "bs-progress-body" });
    const reset = h("div", { class: "bs-reset" });
    setChildren(
      container,
      h("h2", { id: headingId, text: label("progress_title") }),
      isPersistent() ? null : notice(),
      body,
      reset
    );
    container.setAttribute("role", "region");
    container.setAttribute("aria-labelledby", headingId);
    renderProgressBody(body);
    renderResetControls(reset, () => {
      BS.tracker.setState(emptyState());
      changed();
    });
    document.addEventListener("bonsens:progress-change", () => renderProgressBody(body));
  }

  // ------------------------------------------------------------------------ end of a lesson

  /* "Mark as read" at the end of a lesson; the lesson is also marked when the end comes into view. */
  function initLessonEnd(container) {
    const lessonId = container.getAttribute("data-lesson-id");
    if (!lessonId) return;
    const live = h("p", { class: "bs-sr-only", role: "status" });
    const slot = h("div", { class: "bs-lesson-end-body" });
    setChildren(container, slot, live, isPersistent() ? null : notice());

    const isRead = () => !!state().lessons[lessonId];

    function showRead(announce) {
      const done = h(
        "p",
        { class: "bs-lesson-done", tabindex: "-1" },
        icon("check"),
        " ",
        label("marked_read")
      );
      const hadFocus = slot.contains(document.activeElement);
      setChildren(slot, done);
      if (hadFocus) done.focus(); // the button is gone: its confirmation takes the focus
      if (announce) live.textContent = label("marked_read");
    }

    function markRead(announce) {
      if (!isRead()) {
        BS.tracker.recordLessonRead(lessonId);
        changed();
      }
      showRead(announce);
    }

    if (isRead()) {
      showRead(false);
      return;
    }
    setChildren(
      slot,
      h("button", {
        type: "button",
        class: "bs-button",
        text: label("mark_read"),
        onclick: () => markRead(false),
      })
    );
    if ("IntersectionObserver" in window) {
      const observer = new IntersectionObserver((entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        if (!isRead()) markRead(true);
      });
      observer.observe(container);
    }
  }

  // ------------------------------------------------------------------------ certificate

  function parseLocalDate(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
  }

  function formatDate(date) {
    try {
      return new Intl.DateTimeFormat(getCourse().lang, {
        year: "numeric",
        month: "long",
        day: "numeric",
      }).format(date);
    } catch (e) {
      return localDate(date);
    }
  }

  /* Marks the certificate's ancestors: print styles then hide every other branch of the page. */
  function markPrintPath(node) {
    document.documentElement.classList.add("bs-print-certificate");
    for (let n = node.parentElement; n; n = n.parentElement) n.classList.add("bs-print-path");
  }

  function renderCertificateLocked(container, missing) {
    setChildren(
      container,
      h(
        "div",
        { class: "bs-locked" },
        h("p", null, icon("lock"), " ", label("certificate_locked")),
        missing.length ? h("p", { text: label("certificate_remaining") }) : null,
        missing.length
          ? h(
              "ul",
              { class: "bs-missing" },
              missing.map((r) => {
                const title = r.module ? r.module.title + " — " + (r.quiz.title || "") : r.quiz.title;
                return h("li", null, h("a", { href: r.quiz.url, text: title || r.quiz.id }));
              })
            )
          : null
      )
    );
  }

  function initCertificate(container) {
    const course = getCourse();
    const st = state();
    const required = requiredQuizzes(course);
    const missing = required.filter((r) => !quizPassed(st, r.quiz.id));
    if (missing.length || !required.length) {
      renderCertificateLocked(container, missing);
      return;
    }

    // Dated the day the last required quiz was first passed; scored by the final exam.
    const dates = required.map((r) => quizRecord(st, r.quiz.id).passedOn || "").sort();
    const date = parseLocalDate(dates[dates.length - 1]) || new Date();
    const bests = required.map((r) => quizRecord(st, r.quiz.id).best);
    const score = course.final_exam
      ? quizRecord(st, course.final_exam.id).best
      : Math.round(bests.reduce((a, b) => a + b, 0) / bests.length);

    const inputId = uniqueId("bs-cert-name");
    const nameOut = h("p", { class: "bs-cert-name" });
    const input = h("input", {
      id: inputId,
      type: "text",
      class: "bs-input",
      autocomplete: "name",
      maxlength: "120",
      value: st.name || "",
    });
    const showName = () => {
      nameOut.textContent = input.value.trim();
      nameOut.classList.toggle("bs-cert-name--blank", !input.value.trim());
    };
    let saveTimer = null;
    const saveName = () => {
      clearTimeout(saveTimer);
      const current = state();
      if (current.name === input.value.trim()) return;
      current.name = input.value.trim();
      BS.tracker.setState(current);
    };
    input.addEventListener("input", () => {
      showName();
      clearTimeout(saveTimer);
      saveTimer = setTimeout(saveName, 400);
    });
    input.addEventListener("change", saveName);
    window.addEventListener("pagehide", saveName);
    showName();

    const titleId = uniqueId("bs-cert-title");
    const certificate = h(
      "article",
      { class: "bs-cert", "aria-labelledby": titleId },
      course.organisation ? h("p", { class: "bs-cert-org", text: course.organisation }) : null,
      h("h2", { class: "bs-cert-title", id: titleId, text: label("certificate_title") }),
      nameOut,
      h(
        "p",
        { class: "bs-cert-text" },
        labelNodes("certificate_text", {
          course: h("strong", { class: "bs-cert-course", text: course.title }),
          date: formatDate(date),
          score: formatNumber(score),
        })
      ),
      h("div", { class: "bs-cert-seal", "aria-hidden": "true" }, icon("check"))
    );

    setChildren(
      container,
      h(
        "div",
        { class: "bs-cert-tools" },
        h(
          "div",
          { class: "bs-field" },
          h("label", { for: inputId, text: label("certificate_name_label") }),
          input
        ),
        h("button", {
          type: "button",
          class: "bs-button",
          text: label("certificate_print"),
          onclick: () => {
            saveName();
            window.print();
          },
        }),
        isPersistent() ? null : notice()
      ),
      certificate
    );
    markPrintPath(certificate);
  }

  // ------------------------------------------------------------------------ initialisation

  /* True the first time a component is met; marks it as a Bon Sens root for the styles. */
  function once(el) {
    if (el.hasAttribute("data-bs-ready")) return false;
    el.setAttribute("data-bs-ready", "");
    el.classList.add("bs-root");
    return true;
  }

  let listening = false;

  function initProgress(root) {
    root.querySelectorAll(".bs-lesson-end").forEach((el) => once(el) && initLessonEnd(el));
    root.querySelectorAll(".bs-progress").forEach((el) => once(el) && initProgressPanel(el));
    root.querySelectorAll(".bs-certificate").forEach((el) => once(el) && initCertificate(el));
    markNavigation();
    if (!listening) {
      listening = true;
      document.addEventListener("bonsens:progress-change", markNavigation);
      // Another tab of the same course changed the progress.
      window.addEventListener("storage", (event) => {
        if (event.key && event.key.startsWith("bonsens:")) changed();
      });
    }
  }

  BS.progress = {
    changed,
    emptyState,
    normaliseState,
    createLocalTracker,
    markNavigation,
    quizPassed: (quizId) => quizPassed(state(), quizId),
  };

  /* Start-up, shared with quiz.js (loaded after this file): each part registers its
     initialiser; BonSens.init runs them all on DOMContentLoaded, or at once when a part is
     loaded after the page is ready. One part failing never stops the others. */
  const safely = (init, root) => {
    try {
      init(root);
    } catch (e) {
      console.error("Bon Sens:", e);
    }
  };
  BS.initialisers = [];
  BS.init = (root) => BS.initialisers.forEach((init) => safely(init, root || document));
  BS.start = (init) => {
    BS.initialisers.push(init);
    if (document.readyState !== "loading") setTimeout(() => safely(init, document), 0);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => BS.init(document));
  BS.start(initProgress);
})();
