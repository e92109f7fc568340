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
(function () {
  "use strict";

  var BS = (window.BonSens = window.BonSens || {});

  // ------------------------------------------------------------------------ labels

  /* English fallbacks, used only when the page's course data lacks a key. */
  var DEFAULT_LABELS = {
    submit: "Submit my answers",
    submit_anyway: "Submit anyway",
    retry: "Try again",
    next_step: "Continue: {title}",
    question_of: "Question {n} of {total}",
    question_n: "Question {n}",
    quiz_meta: "{count} question(s). Passing score: {passing} %.",
    multiple_hint: "Several answers may be correct: tick all that apply.",
    ordering_hint: "Use the buttons to put the items in the right order.",
    "true": "True",
    "false": "False",
    select_match: "Choose the matching item",
    move_up: "Move up: {item}",
    move_down: "Move down: {item}",
    moved_to: "{item}: position {position} of {total}",
    fill_in_placeholder: "Type your answer",
    unanswered_warning: "{count} question(s) not answered yet:",
    result_title: "Your result",
    score: "Your score: {score} %",
    percent: "{value} %",
    passing: "Passing score: {passing} %",
    passed: "Passed",
    failed: "Not passed",
    best_so_far: "Your best score so far: {score} % ({status}).",
    attempts_left: "{n} attempt(s) left",
    no_attempts_left: "You have used all your attempts.",
    correct: "Correct",
    incorrect: "Incorrect",
    partially_correct: "Partially correct",
    your_answer: "Your answer",
    your_answer_is: "Your answer: {answer}",
    no_answer: "no answer",
    correct_answer: "Correct answer",
    correct_answer_is: "Correct answer: {answer}",
    correct_order: "The right order",
    explanation: "Explanation",
    quiz_unavailable: "This quiz could not be loaded. Please reload the page.",
    exam_locked: "Complete every module first: {missing}",
    mark_read: "Mark this lesson as read",
    marked_read: "Lesson marked as read",
    nav_read: "(read)",
    nav_passed: "(passed)",
    nav_completed: "(completed)",
    progress_title: "Your progress",
    overall_progress: "Overall progress: {percent} %",
    module: "Module",
    lessons_read: "Lessons read",
    best_score: "Best quiz score",
    status: "Status",
    not_started: "Not started",
    in_progress: "In progress",
    completed: "Completed",
    final_exam: "Final exam",
    reset_progress: "Erase my progress",
    reset_confirm: "Erase all your progress in this course on this device? This cannot be undone.",
    reset_yes: "Yes, erase",
    cancel: "Cancel",
    reset_done: "Your progress has been erased.",
    certificate_title: "Certificate of completion",
    certificate_name_label: "Your name, as it should appear on the certificate",
    certificate_print: "Print the certificate",
    certificate_locked: "Pass every module quiz and the final exam to get your certificate.",
    certificate_remaining: "Still to pass:",
    certificate_text: "has completed the course {course} on {date} with a final score of {score} %",
    saved_locally_notice:
      "Your browser does not let this site store your progress: it will be lost when you close this page."
  };

  // ------------------------------------------------------------------------ course data

  var courseCache = { el: null, course: null };

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  /* Parses the JSON inside a <script type="application/json">; null if absent or invalid. */
  function readJson(el) {
    if (!el) return null;
    try {
      return JSON.parse(el.textContent);
    } catch (e) {
      return null;
    }
  }

  function str(value, fallback) {
    return typeof value === "string" ? value : fallback;
  }

  /* The course data of this page (`#bs-course`), with every field present. */
  function getCourse() {
    var el = document.getElementById("bs-course");
    if (courseCache.course && courseCache.el === el) return courseCache.course;
    var raw = readJson(el);
    if (!isObject(raw)) raw = {};
    var course = {
      id: str(raw.id, "course"),
      version: str(raw.version, "0"),
      lang: str(raw.lang, document.documentElement.lang || "en"),
      title: str(raw.title, document.title),
      organisation: str(raw.organisation, ""),
      modules: [],
      final_exam: isObject(raw.final_exam) ? raw.final_exam : null,
      pages: isObject(raw.pages) ? raw.pages : {},
      labels: isObject(raw.labels) ? raw.labels : {}
    };
    (Array.isArray(raw.modules) ? raw.modules : []).forEach(function (m) {
      if (!isObject(m)) return;
      course.modules.push({
        id: str(m.id, ""),
        title: str(m.title, ""),
        url: str(m.url, ""),
        lessons: (Array.isArray(m.lessons) ? m.lessons : []).filter(isObject),
        quiz: isObject(m.quiz) ? m.quiz : null
      });
    });
    courseCache = { el: el, course: course };
    return course;
  }

  /* The quizzes that must be passed: every module quiz, then the final exam. */
  function requiredQuizzes(course) {
    var list = [];
    course.modules.forEach(function (m) {
      if (m.quiz) list.push({ quiz: m.quiz, module: m });
    });
    if (course.final_exam) list.push({ quiz: course.final_exam, module: null });
    return list;
  }

  // ------------------------------------------------------------------------ text helpers

  /* Replaces {name} placeholders with values; unknown placeholders are left as they are. */
  function format(template, vars) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, name) {
      return vars && vars[name] !== undefined && vars[name] !== null ? String(vars[name]) : whole;
    });
  }

  /* A label of the page's language, formatted; falls back to English, then to the key. */
  function label(key, vars) {
    var labels = getCourse().labels;
    var template = typeof labels[key] === "string" ? labels[key] : DEFAULT_LABELS[key];
    return format(template === undefined ? key : template, vars);
  }

  /* Like label(), but placeholders may be replaced by DOM nodes (links, emphasis). */
  function labelNodes(key, vars) {
    var fragment = document.createDocumentFragment();
    var template = label(key);
    var re = /\{(\w+)\}/g;
    var last = 0;
    var match;
    while ((match = re.exec(template)) !== null) {
      fragment.append(template.slice(last, match.index));
      var value = vars ? vars[match[1]] : undefined;
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

  /* Nodes joined as a list in the page's language: "A, B and C" / "A, B et C". */
  function joinNodes(nodes) {
    var fragment = document.createDocumentFragment();
    var parts = null;
    try {
      var placeholders = nodes.map(function (_, i) {
        return "\u0000" + i + "\u0000";
      });
      parts = new Intl.ListFormat(getCourse().lang, { type: "conjunction" }).formatToParts(
        placeholders
      );
    } catch (e) {
      parts = null;
    }
    if (!parts) {
      nodes.forEach(function (node, i) {
        if (i > 0) fragment.append(", ");
        fragment.append(node);
      });
      return fragment;
    }
    parts.forEach(function (part) {
      if (part.type === "element") fragment.append(nodes[Number(part.value.slice(1, -1))]);
      else fragment.append(part.value);
    });
    return fragment;
  }

  // ------------------------------------------------------------------------ DOM helpers

  /*
   * h("p", {class: "x", text: "plain"}, child, ...) builds an element.
   * Attributes: `class`, `text` (textContent), `html` (ONLY for sanitised *_html fields),
   * `on<event>` (listener), booleans (true → empty attribute, false/null → absent).
   */
  function h(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key === "html") node.innerHTML = value;
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    });
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  /* Replaces the children of parent; null, undefined and false children are skipped. */
  function setChildren(parent) {
    parent.replaceChildren();
    for (var i = 1; i < arguments.length; i++) append(parent, arguments[i]);
  }

  function append(parent, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(parent, c); });
    else parent.append(child instanceof Node ? child : String(child));
  }

  /*
   * Sanitised HTML as a fragment for an inline context (a <label>, a list item): a lone
   * wrapping <p> produced by Markdown is unwrapped.
   */
  function inlineHtml(html) {
    var template = document.createElement("template");
    template.innerHTML = html || "";
    var content = template.content;
    var elements = content.children;
    var onlyP =
      elements.length === 1 &&
      elements[0].tagName === "P" &&
      Array.prototype.every.call(content.childNodes, function (n) {
        return n === elements[0] || (n.nodeType === 3 && !n.textContent.trim());
      });
    if (!onlyP) return document.importNode(content, true);
    var fragment = document.createDocumentFragment();
    Array.prototype.slice.call(elements[0].childNodes).forEach(function (n) {
      fragment.append(document.importNode(n, true));
    });
    return fragment;
  }

  /* The plain text of sanitised HTML (for <option>s and accessible names). */
  function htmlToText(html) {
    var template = document.createElement("template");
    template.innerHTML = html || "";
    return template.content.textContent.replace(/\s+/g, " ").trim();
  }

  function icon(kind) {
    return h("span", { class: "bs-icon bs-icon--" + kind, "aria-hidden": "true" });
  }

  function srOnly(text) {
    return h("span", { class: "bs-sr-only", text: text });
  }

  var uid = 0;
  function uniqueId(prefix) {
    uid += 1;
    return (prefix || "bs") + "-" + uid;
  }

  /* A comparable key for a page address: no query, no fragment, "index.html" dropped. */
  function pageKey(url) {
    if (typeof url !== "string" || url === "") return null;
    try {
      var u = new URL(url, location.href);
      return u.protocol + "//" + u.host + u.pathname.replace(/\/index\.html?$/i, "/");
    } catch (e) {
      return null;
    }
  }

  function localDate(date) {
    var d = date || new Date();
    var pad = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function notice() {
    return h("p", { class: "bs-notice", text: label("saved_locally_notice") });
  }

  function isPersistent() {
    return !(BS.tracker && BS.tracker.persistent === false);
  }

  BS.util = {
    DEFAULT_LABELS: DEFAULT_LABELS,
    readJson: readJson,
    isObject: isObject,
    getCourse: getCourse,
    requiredQuizzes: requiredQuizzes,
    format: format,
    label: label,
    labelNodes: labelNodes,
    formatNumber: formatNumber,
    joinNodes: joinNodes,
    h: h,
    setChildren: setChildren,
    inlineHtml: inlineHtml,
    htmlToText: htmlToText,
    icon: icon,
    srOnly: srOnly,
    uniqueId: uniqueId,
    pageKey: pageKey,
    localDate: localDate,
    notice: notice,
    isPersistent: isPersistent
  };

  // ------------------------------------------------------------------------ the default tracker

  function emptyState() {
    return { lessons: {}, quizzes: {}, inProgress: {}, name: "" };
  }

  function finite(value, fallback) {
    return typeof value === "number" && isFinite(value) ? value : fallback;
  }

  /* Keeps only well-formed parts of a stored state: corrupt data never breaks the page. */
  function normaliseState(raw) {
    var state = emptyState();
    if (!isObject(raw)) return state;
    if (isObject(raw.lessons)) {
      Object.keys(raw.lessons).forEach(function (id) {
        if (raw.lessons[id] === true) state.lessons[id] = true;
      });
    }
    if (isObject(raw.quizzes)) {
      Object.keys(raw.quizzes).forEach(function (id) {
        var r = raw.quizzes[id];
        if (!isObject(r)) return;
        var record = {
          best: finite(r.best, 0),
          passed: r.passed === true,
          attempts: Math.max(0, Math.floor(finite(r.attempts, 0))),
          last: isObject(r.last)
            ? { score: finite(r.last.score, 0), passed: r.last.passed === true }
            : null
        };
        if (typeof r.passedOn === "string" && /^\d{4}-\d{2}-\d{2}$/.test(r.passedOn)) {
          record.passedOn = r.passedOn;
        }
        state.quizzes[id] = record;
      });
    }
    if (isObject(raw.inProgress)) {
      Object.keys(raw.inProgress).forEach(function (id) {
        // Checked in detail by quiz.js when it restores an attempt.
        if (isObject(raw.inProgress[id])) state.inProgress[id] = raw.inProgress[id];
      });
    }
    if (typeof raw.name === "string") state.name = raw.name.slice(0, 200);
    return state;
  }

  function createLocalTracker() {
    var storage = null; // window.localStorage when usable
    var probed = false;
    var memory = emptyState(); // the state when storage is unusable

    function probe() {
      if (probed) return;
      probed = true;
      try {
        var s = window.localStorage;
        var test = "bonsens:test";
        s.setItem(test, "1");
        s.removeItem(test);
        storage = s;
      } catch (e) {
        storage = null; // private mode, storage disabled, sandboxed frame…
      }
    }

    function key() {
      var course = getCourse();
      return "bonsens:" + course.id + ":" + course.version;
    }

    function read() {
      probe();
      if (!storage) return normaliseState(JSON.parse(JSON.stringify(memory)));
      try {
        var text = storage.getItem(key());
        return normaliseState(text ? JSON.parse(text) : null);
      } catch (e) {
        return emptyState(); // corrupt JSON: start fresh
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
      /* false when progress only lives in memory (shown to the learner). */
      get persistent() {
        probe();
        return storage !== null;
      },
      getState: function () {
        return read();
      },
      setState: function (state) {
        write(normaliseState(state));
      },
      recordLessonRead: function (lessonId) {
        var state = read();
        state.lessons[String(lessonId)] = true;
        write(state);
      },
      recordQuizResult: function (quizId, result) {
        var state = read();
        var score = finite(result && result.score, 0);
        var passed = !!(result && result.passed);
        var record = state.quizzes[quizId] || { best: 0, passed: false, attempts: 0, last: null };
        record.attempts += 1;
        record.best = Math.max(record.best, score);
        record.last = { score: score, passed: passed };
        if (passed && !record.passed) {
          var finished = result.finishedAt ? new Date(result.finishedAt) : new Date();
          record.passedOn = localDate(isNaN(finished.getTime()) ? new Date() : finished);
        }
        record.passed = record.passed || passed;
        state.quizzes[quizId] = record;
        delete state.inProgress[quizId];
        write(state);
      },
      saveQuizInProgress: function (quizId, attemptState) {
        var state = read();
        if (attemptState) state.inProgress[quizId] = attemptState;
        else delete state.inProgress[quizId];
        write(state);
      }
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

  function quizRecord(st, quizId) {
    return (quizId && st.quizzes[quizId]) || null;
  }

  function quizPassed(st, quizId) {
    var r = quizRecord(st, quizId);
    return !!(r && r.passed);
  }

  function moduleStatus(st, m) {
    var read = m.lessons.filter(function (l) {
      return st.lessons[l.id];
    }).length;
    var quizId = m.quiz && m.quiz.id;
    var quizDone = !m.quiz || quizPassed(st, quizId);
    if (read === m.lessons.length && quizDone) return "completed";
    if (read > 0 || quizRecord(st, quizId) || (quizId && st.inProgress[quizId])) return "in_progress";
    return "not_started";
  }

  function examStatus(st, exam) {
    if (quizPassed(st, exam.id)) return "completed";
    if (quizRecord(st, exam.id) || st.inProgress[exam.id]) return "in_progress";
    return "not_started";
  }

  function overallPercent(st, course) {
    var total = 0;
    var done = 0;
    course.modules.forEach(function (m) {
      m.lessons.forEach(function (l) {
        total += 1;
        if (st.lessons[l.id]) done += 1;
      });
    });
    requiredQuizzes(course).forEach(function (r) {
      total += 1;
      if (quizPassed(st, r.quiz.id)) done += 1;
    });
    return total ? Math.round((done / total) * 100) : 0;
  }

  /* Tells every display that progress changed (quiz.js calls it after a result). */
  function changed() {
    document.dispatchEvent(new CustomEvent("bonsens:progress-change"));
  }

  // ------------------------------------------------------------------------ navigation marks

  function markNavigation() {
    var course = getCourse();
    var st = state();
    var marks = {};
    course.modules.forEach(function (m) {
      if (moduleStatus(st, m) === "completed") marks[pageKey(m.url)] = "nav_completed";
      m.lessons.forEach(function (l) {
        if (st.lessons[l.id]) marks[pageKey(l.url)] = "nav_read";
      });
      if (m.quiz && quizPassed(st, m.quiz.id)) marks[pageKey(m.quiz.url)] = "nav_passed";
    });
    if (course.final_exam && quizPassed(st, course.final_exam.id)) {
      marks[pageKey(course.final_exam.url)] = "nav_passed";
    }
    delete marks[null];

    document.querySelectorAll("a.md-nav__link").forEach(function (link) {
      var old = link.querySelector(".bs-nav-mark");
      if (old) old.remove();
      link.classList.remove("bs-nav-done");
      var href = link.getAttribute("href");
      if (!href || href.charAt(0) === "#") return; // table of contents
      var kind = marks[pageKey(href)];
      if (!kind) return;
      link.classList.add("bs-nav-done");
      link.append(h("span", { class: "bs-nav-mark" }, icon("check"), srOnly(" " + label(kind))));
    });
  }

  // ------------------------------------------------------------------------ home page table

  function statusCell(status) {
    return h(
      "span",
      { class: "bs-state bs-state--" + status.replace("_", "-") },
      icon(status === "completed" ? "check" : status === "in_progress" ? "half" : "empty"),
      " ",
      label(status)
    );
  }

  function quizCell(st, quiz) {
    var r = quiz && quizRecord(st, quiz.id);
    if (!r) return h("span", { "aria-hidden": "true", text: "—" });
    return h(
      "span",
      { class: "bs-score" },
      label("percent", { value: formatNumber(r.best) }),
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
    var heading = url ? h("a", { href: url, text: title }) : title;
    return h(
      "tr",
      null,
      h("th", { scope: "row", "data-label": label("module") }, heading),
      h("td", { "data-label": label("lessons_read") }, lessonsText),
      h("td", { "data-label": label("best_score") }, quizCell(st, quiz)),
      h("td", { "data-label": label("status") }, statusCell(status))
    );
  }

  function renderProgressBody(body) {
    var course = getCourse();
    var st = state();
    var percent = overallPercent(st, course);
    var barId = uniqueId("bs-overall");
    var rows = course.modules.map(function (m) {
      var read = m.lessons.filter(function (l) {
        return st.lessons[l.id];
      }).length;
      return progressRow(st, m.title, m.url, read + " / " + m.lessons.length, m.quiz, moduleStatus(st, m));
    });
    if (course.final_exam) {
      var exam = course.final_exam;
      rows.push(
        progressRow(st, exam.title || label("final_exam"), exam.url,
          h("span", { "aria-hidden": "true", text: "—" }), exam, examStatus(st, exam))
      );
    }
    setChildren(
      body,
      h(
        "div",
        { class: "bs-overall" },
        h("label", { for: barId, text: label("overall_progress", { percent: formatNumber(percent) }) }),
        h("progress", { id: barId, max: "100", value: String(percent) },
          label("percent", { value: formatNumber(percent) }))
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
              h("th", { scope: "col", text: label("module") }),
              h("th", { scope: "col", text: label("lessons_read") }),
              h("th", { scope: "col", text: label("best_score") }),
              h("th", { scope: "col", text: label("status") })
            )
          ),
          h("tbody", null, rows)
        )
      )
    );
  }

  function renderResetControls(area, onReset) {
    var status = h("p", { class: "bs-sr-only", role: "status" });
    var button = h("button", {
      type: "button",
      class: "bs-button bs-button--secondary",
      "aria-expanded": "false",
      text: label("reset_progress")
    });
    var confirmId = uniqueId("bs-reset-confirm");
    var confirmBox = h(
      "div",
      { class: "bs-confirm", id: confirmId, hidden: true },
      h("p", { class: "bs-confirm-text", tabindex: "-1", text: label("reset_confirm") }),
      h(
        "div",
        { class: "bs-actions" },
        h("button", {
          type: "button",
          class: "bs-button bs-button--danger",
          text: label("reset_yes"),
          onclick: function () {
            onReset();
            close();
            status.textContent = label("reset_done");
            button.focus();
          }
        }),
        h("button", {
          type: "button",
          class: "bs-button bs-button--secondary",
          text: label("cancel"),
          onclick: function () {
            close();
            button.focus();
          }
        })
      )
    );
    function close() {
      confirmBox.hidden = true;
      button.setAttribute("aria-expanded", "false");
    }
    button.setAttribute("aria-controls", confirmId);
    button.addEventListener("click", function () {
      status.textContent = "";
      confirmBox.hidden = false;
      button.setAttribute("aria-expanded", "true");
      confirmBox.querySelector(".bs-confirm-text").focus();
    });
    confirmBox.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        close();
        button.focus();
      }
    });
    setChildren(area, button, confirmBox, status);
  }

  function initProgressPanel(container) {
    var headingId = uniqueId("bs-progress-title");
    var body = h("div", { class: "bs-progress-body" });
    var reset = h("div", { class: "bs-reset" });
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
    renderResetControls(reset, function () {
      BS.tracker.setState(emptyState());
      changed();
    });
    document.addEventListener("bonsens:progress-change", function () {
      renderProgressBody(body);
    });
  }

  // ------------------------------------------------------------------------ end of a lesson

  function initLessonEnd(container) {
    var lessonId = container.getAttribute("data-lesson-id");
    if (!lessonId) return;
    var live = h("p", { class: "bs-sr-only", role: "status" });
    var slot = h("div", { class: "bs-lesson-end-body" });
    setChildren(container, slot, live, isPersistent() ? null : notice());

    function isRead() {
      return !!state().lessons[lessonId];
    }

    function showRead(announce) {
      var done = h("p", { class: "bs-lesson-done", tabindex: "-1" }, icon("check"), " ", label("marked_read"));
      var hadFocus = slot.contains(document.activeElement);
      setChildren(slot, done);
      if (hadFocus) done.focus();
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
        onclick: function () {
          markRead(false); // focus moves to the confirmation, which is read out
        }
      })
    );
    if ("IntersectionObserver" in window) {
      var observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) {
          observer.disconnect();
          if (!isRead()) markRead(true);
        }
      });
      observer.observe(container);
    }
  }

  // ------------------------------------------------------------------------ certificate

  function parseLocalDate(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
  }

  function formatDate(date) {
    try {
      return new Intl.DateTimeFormat(getCourse().lang, { year: "numeric", month: "long", day: "numeric" })
        .format(date);
    } catch (e) {
      return localDate(date);
    }
  }

  /* Marks the certificate's ancestors so that print styles can hide everything else. */
  function markPrintPath(node) {
    document.documentElement.classList.add("bs-print-certificate");
    for (var n = node.parentElement; n; n = n.parentElement) n.classList.add("bs-print-path");
  }

  function initCertificate(container) {
    var course = getCourse();
    var st = state();
    var required = requiredQuizzes(course);
    var missing = required.filter(function (r) {
      return !quizPassed(st, r.quiz.id);
    });

    if (missing.length || !required.length) {
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
                missing.map(function (r) {
                  var title = r.module ? r.module.title + " — " + (r.quiz.title || "") : r.quiz.title;
                  return h("li", null, h("a", { href: r.quiz.url, text: title || r.quiz.id }));
                })
              )
            : null
        )
      );
      return;
    }

    // Completion date: the day the last required quiz was first passed.
    var dates = required
      .map(function (r) {
        return quizRecord(st, r.quiz.id).passedOn || "";
      })
      .sort();
    var date = parseLocalDate(dates[dates.length - 1]) || new Date();
    var score;
    if (course.final_exam) {
      score = quizRecord(st, course.final_exam.id).best;
    } else {
      var sum = required.reduce(function (total, r) {
        return total + quizRecord(st, r.quiz.id).best;
      }, 0);
      score = Math.round(sum / required.length);
    }

    var inputId = uniqueId("bs-cert-name");
    var nameOut = h("p", { class: "bs-cert-name" });
    var input = h("input", {
      id: inputId,
      type: "text",
      class: "bs-input",
      autocomplete: "name",
      maxlength: "120",
      value: st.name || ""
    });
    function showName() {
      var name = input.value.trim();
      nameOut.textContent = name;
      nameOut.classList.toggle("bs-cert-name--blank", !name);
    }
    var saveTimer = null;
    function saveName() {
      clearTimeout(saveTimer);
      var current = state();
      if (current.name === input.value.trim()) return;
      current.name = input.value.trim();
      BS.tracker.setState(current);
    }
    input.addEventListener("input", function () {
      showName();
      clearTimeout(saveTimer);
      saveTimer = setTimeout(saveName, 400);
    });
    input.addEventListener("change", saveName);
    window.addEventListener("pagehide", saveName);
    showName();

    var titleId = uniqueId("bs-cert-title");
    var certificate = h(
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
          score: formatNumber(score)
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
          onclick: function () {
            saveName();
            window.print();
          }
        }),
        isPersistent() ? null : notice()
      ),
      certificate
    );
    markPrintPath(certificate);
  }

  // ------------------------------------------------------------------------ initialisation

  function once(el) {
    if (el.hasAttribute("data-bs-ready")) return false;
    el.setAttribute("data-bs-ready", "");
    el.classList.add("bs-root");
    return true;
  }

  var navListening = false;

  function initProgress(root) {
    root.querySelectorAll(".bs-lesson-end").forEach(function (el) {
      if (once(el)) initLessonEnd(el);
    });
    root.querySelectorAll(".bs-progress").forEach(function (el) {
      if (once(el)) initProgressPanel(el);
    });
    root.querySelectorAll(".bs-certificate").forEach(function (el) {
      if (once(el)) initCertificate(el);
    });
    markNavigation();
    if (!navListening) {
      navListening = true;
      document.addEventListener("bonsens:progress-change", markNavigation);
      // Another tab of the same course changed the progress.
      window.addEventListener("storage", function (event) {
        if (event.key && event.key.indexOf("bonsens:") === 0) changed();
      });
    }
  }

  BS.progress = {
    changed: changed,
    emptyState: emptyState,
    normaliseState: normaliseState,
    createLocalTracker: createLocalTracker,
    quizPassed: function (quizId) {
      return quizPassed(state(), quizId);
    },
    markNavigation: markNavigation
  };

  // Start-up, shared with quiz.js: whichever file runs first defines BonSens.init and waits for
  // DOMContentLoaded; a file loaded after that starts its own part at once.
  BS.initialisers = BS.initialisers || [];
  BS.initialisers.push(initProgress);
  if (!BS.init) {
    BS.init = function (root) {
      BS.initialisers.forEach(function (init) {
        safely(init, root || document);
      });
    };
  }
  if (document.readyState === "loading") {
    if (!BS.waitingForDom) {
      BS.waitingForDom = true;
      document.addEventListener("DOMContentLoaded", function () {
        BS.init(document);
      });
    }
  } else {
    setTimeout(function () {
      safely(initProgress, document);
    }, 0);
  }

  function safely(init, root) {
    try {
      init(root);
    } catch (e) {
      console.error("Bon Sens:", e);
    }
  }
})();
