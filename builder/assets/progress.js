/*
 * Bon Sens: progress store, progress display and certificate.
 *
 * A classic script. Load it after progress-model.js (the one progress model and stored state,
 * shared with the SCO runtime) and before learning-paths.js (the site only) and quiz.js (all
 * synchronously or all with `defer`). It attaches to `window.BonSens`:
 *
 *   BonSens.util      helpers shared with quiz.js: course data, labels, building DOM safely.
 *   BonSens.tracker   where progress is kept: inside an LMS package, the tracker of the SCO's
 *                     launch page (sco-runtime.js), which holds the LMS session; else the one
 *                     below, in localStorage (or memory when localStorage is unavailable). One
 *                     defined before this script runs is used instead.
 *   BonSens.progress  the progress display: marks in the navigation, the course home, the
 *                     indicator on lesson and quiz pages, the "mark as read" button at the end
 *                     of lessons, the name and the certificate.
 *   BonSens.init(root)  initialises every Bon Sens component found under `root`. Called on
 *                     DOMContentLoaded; calling it again is harmless.
 *
 * Plain text (ids, titles, labels) is always inserted with textContent. Only the `*_html`
 * fields of the quiz data, sanitised by the Python side, are inserted as HTML.
 */
(() => {
  "use strict";

  const BS = (window.BonSens = window.BonSens || {});
  const MODEL = window.BonSensModel; // progress-model.js, loaded first: the rules and the stored state
  const { isObject, finite, dict, emptyState, normaliseState } = MODEL;

  // ------------------------------------------------------------------------ course data

  const str = (value, fallback) => (typeof value === "string" ? value : fallback);

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
        meta: str(m.meta, ""),
        url: link(m.url),
        lessons: (Array.isArray(m.lessons) ? m.lessons : []).filter(isObject).map(withLink),
        quiz: withLink(m.quiz),
      })),
      final_exam: withLink(raw.final_exam),
      logo: link(raw.logo),
      pages: { home: link(pages.home), certificate: link(pages.certificate) },
      labels: isObject(raw.labels) ? raw.labels : {},
      learners_choose: raw.learners_choose === true,
    };
    // The paths offered, the default first: always one at least (pages.course_data; a course
    // without `paths:` offers the whole course as its one path)
    courseCache.paths = (Array.isArray(raw.paths) ? raw.paths : []).filter(isObject).map(normalisePath);
    courseCache.default_path = str(raw.default_path, courseCache.paths[0].id);
    return courseCache;
  }

  // ------------------------------------------------------------------------ learning paths

  const strings = (list) => (Array.isArray(list) ? list.filter((x) => typeof x === "string") : []);

  /* One offered path (pages.path_data): what it holds, and each of its quizzes' pool and draw. */
  function normalisePath(p) {
    const quizzes = dict();
    if (isObject(p.quizzes)) {
      Object.entries(p.quizzes).forEach(([id, pool]) => {
        if (!isObject(pool)) return;
        const draw = finite(pool.draw, 0) >= 1 ? Math.floor(pool.draw) : null;
        quizzes[id] = { questions: strings(pool.questions), draw };
      });
    }
    return {
      id: str(p.id, ""),
      title: str(p.title, ""),
      description: str(p.description, ""),
      duration: str(p.duration, ""),
      facts: str(p.facts, ""),
      certificate: str(p.certificate, ""),
      covered: str(p.covered, ""),
      partial: p.partial === true,
      declared: p.declared !== false,
      modules: (Array.isArray(p.modules) ? p.modules : []).filter(isObject).map((m) => ({
        id: str(m.id, ""),
        lessons: strings(m.lessons),
        quiz: typeof m.quiz === "string" ? m.quiz : null,
        meta: str(m.meta, ""),
        part: str(m.part, ""),
      })),
      exam: typeof p.exam === "string" ? p.exam : null,
      quizzes,
    };
  }

  /* The learner's path: the one they chose, while it is offered and choosing is allowed; else
     the organisation's default. */
  function currentPath() {
    const course = getCourse();
    const chosen = state().path;
    const find = (id) => course.paths.find((p) => p.id === id);
    return (course.learners_choose && chosen && find(chosen)) || find(course.default_path) || course.paths[0];
  }

  const viewCache = new Map();

  /* The course as a path's learner follows it: the path's modules (each with its course number),
     lessons, quizzes and exam, in the course's order. Everything that counts progress, lists what
     is left or says where to go next reads this, not the whole course. */
  function pathCourse(path) {
    if (viewCache.has(path.id)) return viewCache.get(path.id);
    const course = getCourse();
    const modules = [];
    path.modules.forEach((pm) => {
      const number = course.modules.findIndex((m) => m.id === pm.id) + 1;
      const module = course.modules[number - 1];
      if (!module) return;
      const lessons = module.lessons.filter((l) => pm.lessons.indexOf(l.id) >= 0);
      const quiz = module.quiz && module.quiz.id === pm.quiz ? module.quiz : null;
      if (!lessons.length && !quiz) return;
      const url = lessons.length ? lessons[0].url : module.url;
      modules.push(Object.assign({}, module, { lessons, quiz, number, url, part: pm.part })); // part: "2 lessons of 4"
    });
    const exam = course.final_exam && course.final_exam.id === path.exam ? course.final_exam : null;
    const view = Object.assign({}, course, { modules, final_exam: exam, path });
    viewCache.set(path.id, view);
    return view;
  }

  /* The course of the learner's current path. */
  const pathView = () => pathCourse(currentPath());

  /* Whether a lesson or quiz id is on the path's way. */
  function inPath(view, id) {
    return (
      view.modules.some((m) => m.lessons.some((l) => l.id === id) || (m.quiz && m.quiz.id === id)) ||
      (!!view.final_exam && view.final_exam.id === id)
    );
  }

  /* The quizzes the certificate needs (of a path's course: pathCourse), every module quiz then the
     final exam; only the exam when the LMS already enforced the modules. */
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

  /* A label in the page's language (labels.py, carried by the course outline), formatted; the
     key itself if the outline lacks it (one set of words, kept in Python, not copied here). */
  function label(key, vars) {
    const labels = getCourse().labels;
    return format(typeof labels[key] === "string" ? labels[key] : key, vars);
  }

  /* The label for a whole number: its `KEY_one` form where the language says "one" (French: 0
     and 1; English: 1), as labels.counted does; else KEY. */
  function counted(key, n, vars) {
    const one = n === 1 || (n === 0 && /^fr\b/i.test(getCourse().lang));
    return label(one && getCourse().labels[key + "_one"] ? key + "_one" : key, vars);
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

  /* "80 %" in French (a narrow no-break space, as the build typesets: builder/typography.py),
     "80%" in English. */
  const formatPercent = (n) => formatNumber(n) + (/^fr\b/i.test(getCourse().lang) ? "\u202f%" : "%");

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

  const isPersistent = () => !(BS.tracker && BS.tracker.persistent === false);
  const notice = () => h("p", { class: "bs-notice", text: label("saved_locally_notice") });

  BS.util = {
    readJson,
    getCourse,
    format,
    label,
    counted,
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
    notice,
    isPersistent,
  };

  // ------------------------------------------------------------------------ the default tracker

  /* The progress object (its shape: progress-model.js), kept under one localStorage key
     "bonsens:<course id>:<version>". */
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
      if (!storage) return normaliseState(memory); // a copy
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
        MODEL.recordResult(state, quizId, result);
        write(state);
      },
      saveQuizInProgress(quizId, attemptState) {
        const state = read();
        if (attemptState) state.inProgress[quizId] = attemptState;
        else delete state.inProgress[quizId];
        write(state);
      },
      recordVisit(pageId) {
        const state = read();
        if (state.last === pageId) return;
        state.last = String(pageId);
        write(state);
      },
    };
  }

  /* Inside an LMS package, the page sits in its SCO's launch page (sco.html), which holds the one
     LMS session: progress goes to that page's tracker. Elsewhere (the site; a parent of another
     origin), to this device's. */
  function launchPageTracker() {
    try {
      const sco = window.parent !== window && window.parent.BonSensSCO;
      return (sco && sco.tracker) || null;
    } catch (e) {
      return null; // a parent from another origin: not our launch page
    }
  }

  if (!BS.tracker) BS.tracker = launchPageTracker() || createLocalTracker();

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

  /* The course in the terms of the one progress model (progress-model.js), which the SCO
     runtime uses too: what the home, the navigation, the indicator and the certificate say. */
  function outline(view) {
    return {
      modules: view.modules.map((m) => ({ id: m.id, lessons: m.lessons.map((l) => l.id), quiz: m.quiz && m.quiz.id })),
      exam: view.final_exam && view.final_exam.id,
      path: view.path && view.path.declared ? view.path.id : undefined,
    };
  }

  /* The learner's progress on their path (or on `view`, a path's course: pathCourse). */
  const summarise = (st, view) => MODEL.summarise(st, outline(view || pathView()));
  /* Whether a quiz is passed, an exam in this path (progress-model.js). */
  const passedHere = (st, view, quizId) =>
    quizPassed(st, quizId) && MODEL.resultOfPath(st, quizId, outline(view).path);

  /* False in a SCO that holds one module only (a multi-SCO package): course-wide numbers would
     count the other modules as not started, so the pages show the module's own. */
  function wholeCourse(course) {
    const scope = BS.tracker && BS.tracker.scope;
    if (!scope || !Array.isArray(scope.lessons)) return true;
    return course.modules.every((m) => m.lessons.every((l) => scope.lessons.indexOf(l.id) >= 0));
  }

  /* Every lesson and quiz page of a course (or of a path's: pathCourse), in reading order, with
     its module's position in the course. */
  function coursePages(course) {
    const list = [];
    course.modules.forEach((m, i) => {
      const number = m.number || i + 1;
      m.lessons.forEach((l) => list.push({ item: l, module: m, number, kind: "lesson" }));
      if (m.quiz) list.push({ item: m.quiz, module: m, number, kind: "quiz" });
    });
    if (course.final_exam) list.push({ item: course.final_exam, module: null, number: 0, kind: "exam" });
    return list;
  }

  /* Where the home's one button leads: the page of the path visited last; else its first step
     not done. */
  function resumeTarget(st, view) {
    const pages = coursePages(view);
    const last = pages.find((p) => p.item.id === st.last);
    if (last) return last.item;
    const todo = pages.find((p) => !(st.lessons[p.item.id] || passedHere(st, view, p.item.id)));
    return todo ? todo.item : null;
  }

  /* The way on from a lesson or quiz (pages.next_step, for the learner's path): the path's next
     page after this one in the course's order (from a page outside the path, the way back to
     it), or the certificate. {kind: lesson|module|quiz|exam|certificate, title, url} or null. */
  function nextStep(itemId) {
    const course = getCourse();
    const view = pathView();
    const all = coursePages(course);
    const index = all.findIndex((p) => p.item.id === itemId);
    if (index < 0) return null;
    const here = all[index];
    const after = all.slice(index + 1).find((p) => inPath(view, p.item.id));
    if (!after) {
      return course.pages.certificate
        ? { kind: "certificate", title: label("certificate_title"), url: course.pages.certificate }
        : null;
    }
    if (after.kind !== "lesson") return { kind: after.kind, title: after.item.title, url: after.item.url };
    const sameModule = here.module && after.module.id === here.module.id;
    return sameModule
      ? { kind: "lesson", title: after.item.title, url: after.item.url }
      : { kind: "module", title: after.module.title, url: after.item.url };
  }

  /* Tells every display on the page that progress changed (quiz.js calls it after a result). */
  function changed() {
    document.dispatchEvent(new CustomEvent("bonsens:progress-change"));
  }

  // ------------------------------------------------------------------------ navigation marks

  const mark = (text) => h("span", { class: "bs-nav-mark" }, icon("check"), srOnly(" " + text));

  /* A check mark and a hidden "(read)" / "(passed)" on the navigation's lesson and quiz links, and
     "(module completed)" on a module's own entry (its link leads to its first lesson, whose
     mark it must not borrow) once the module is done as the model says. */
  function markNavigation() {
    const course = getCourse();
    const view = pathView();
    const st = state();
    const progress = summarise(st);
    const pageMarks = new Map(); // page key -> label key
    const moduleByPage = new Map(); // page key -> module of the path
    view.modules.forEach((m, i) => {
      m.lessons.forEach((l) => moduleByPage.set(pageKey(l.url), Object.assign({ part: m.part }, progress.modules[i])));
    });
    coursePages(course).forEach((p) => {
      const key = pageKey(p.item.url);
      if (p.kind === "lesson" && st.lessons[p.item.id]) pageMarks.set(key, "read");
      else if (p.kind !== "lesson" && passedHere(st, view, p.item.id)) pageMarks.set(key, "passed_mark");
    });

    document.querySelectorAll(".bs-nav-mark").forEach((old) => old.remove());
    document.querySelectorAll(".bs-nav-done").forEach((el) => el.classList.remove("bs-nav-done"));
    document.querySelectorAll(".md-nav--primary .md-nav__item--nested").forEach((item) => {
      const own = item.querySelector(":scope > .md-nav__link");
      const links = Array.from(item.querySelectorAll("a.md-nav__link[href]"));
      const found = links.map((a) => moduleByPage.get(pageKey(a.getAttribute("href")))).find(Boolean);
      if (own && found && found.done) {
        own.classList.add("bs-nav-done");
        (own.querySelector(".md-ellipsis") || own).after(mark(label(found.part ? "path_done_mark" : "module_done_mark")));
      }
    });
    document.querySelectorAll("a.md-nav__link").forEach((link) => {
      const href = link.getAttribute("href");
      if (!href || href.startsWith("#")) return; // the table of contents
      if (link.parentElement && link.parentElement.classList.contains("md-nav__item--nested")) return; // a module
      const kind = pageMarks.get(pageKey(href));
      if (!kind) return;
      link.classList.add("bs-nav-done");
      link.append(mark(label(kind)));
    });
    // On the site, the course's pages outside the learner's path say so (learning-paths.js)
    if (BS.paths) BS.paths.markOutside(view);
  }

  // ------------------------------------------------------------------------ course home

  /* "Completed", or "Done for your path" for a module the path takes in part (`part`). */
  function statusBadge(status, part) {
    const kind = { completed: "check", in_progress: "half" }[status] || "empty";
    const words = label(part && status === "completed" ? "completed_path" : status);
    return h("span", { class: "bs-state bs-state--" + status.replace("_", "-") }, icon(kind), " ", words);
  }

  function verdict(record) {
    return h(
      "span",
      { class: "bs-score" },
      formatPercent(record.best),
      " ",
      h(
        "span",
        { class: "bs-verdict bs-verdict--" + (record.passed ? "passed" : "failed") },
        icon(record.passed ? "ok" : "ko"),
        " ",
        label(record.passed ? "passed" : "failed")
      )
    );
  }

  function bar(value, max, name) {
    return h("progress", { class: "bs-bar", max: String(max), value: String(value), "aria-label": name });
  }

  /* One module card's progress: state, a bar of its steps, lessons read, the quiz's result. */
  function renderModuleProgress(slot, st, module, progress) {
    const quiz = module.quiz && quizRecord(st, module.quiz.id);
    setChildren(
      slot,
      h("p", { class: "bs-module-state" }, statusBadge(progress.status, module.part)),
      bar(progress.stepsDone, progress.steps || 1, module.title),
      h(
        "p",
        { class: "bs-module-facts" },
        counted("lessons_progress", progress.read, { read: progress.read, total: progress.lessons }),
        module.quiz ? " · " : null,
        module.quiz ? (quiz ? labelNodes("quiz_result", { score: verdict(quiz) }) : label("quiz_not_taken")) : null
      )
    );
  }

  function renderExamProgress(slot, st, exam, status) {
    const record = quizRecord(st, exam.id);
    setChildren(
      slot,
      h("p", { class: "bs-module-state" }, statusBadge(status)),
      record ? h("p", { class: "bs-module-facts" }, verdict(record)) : null
    );
  }

  /* Fills the home's slots (home_html in pages.py) with the learner's progress. */
  function renderHome(home) {
    const course = pathView();
    // On the site, the learner's own path (learning-paths.js): its name, facts and module cards.
    // A package's home is its one path's already (path_pages.py)
    if (BS.paths) BS.paths.showHome(home, course);
    const st = state();
    const progress = summarise(st);
    const barId = uniqueId("bs-overall");
    const overall = home.querySelector(".bs-home-overall");
    if (overall) {
      setChildren(
        overall,
        h(
          "label",
          { for: barId },
          h("span", { text: label("overall") }),
          " ",
          h("span", { class: "bs-overall-value", text: formatPercent(progress.percent) })
        ),
        h("progress", { id: barId, class: "bs-bar", max: "100", value: String(progress.percent) })
      );
    }
    const start = home.querySelector(".bs-home-start");
    if (start) {
      const target = progress.done ? null : resumeTarget(st, course);
      const begun = progress.stepsDone > 0 || !!st.last;
      if (progress.done && course.pages.certificate) {
        start.textContent = label("see_certificate");
        start.setAttribute("href", course.pages.certificate);
      } else if (begun && target) {
        start.textContent = label("resume", { page: target.title });
        start.setAttribute("href", target.url);
      } else if (course.modules.length && course.modules[0].lessons.length) {
        start.textContent = label("start");
        start.setAttribute("href", course.modules[0].lessons[0].url);
      }
    }
    // A card outside the path counts for nothing here: no progress shown on it
    home.querySelectorAll(".bs-module--outside .bs-module-progress").forEach((slot) => slot.replaceChildren());
    home.querySelectorAll(".bs-module--outside").forEach((card) => card.classList.remove("bs-module--done"));
    course.modules.forEach((m, i) => {
      const card = Array.from(home.querySelectorAll(".bs-module[data-module-id]")).find(
        (el) => el.getAttribute("data-module-id") === m.id
      );
      const slot = card && card.querySelector(".bs-module-progress");
      if (!slot) return;
      card.classList.toggle("bs-module--done", progress.modules[i].done);
      renderModuleProgress(slot, st, m, progress.modules[i]);
    });
    const examSlot = home.querySelector(".bs-module--exam .bs-module-progress");
    if (examSlot && course.final_exam) renderExamProgress(examSlot, st, course.final_exam, progress.examStatus);
  }

  /* The reset button, and its confirmation step. */
  function renderResetControls(area, onReset) {
    const status = h("p", { class: "bs-sr-only", role: "status" });
    const confirmId = uniqueId("bs-reset-confirm");
    const button = h("button", {
      type: "button",
      class: "bs-link-button",
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

  function initHome(home) {
    if (!isPersistent()) home.prepend(notice());
    renderHome(home);
    const reset = home.querySelector(".bs-home-reset");
    if (reset) {
      renderResetControls(reset, () => {
        const fresh = emptyState();
        fresh.path = state().path; // progress starts over; the path chosen stays
        BS.tracker.setState(fresh);
        changed();
      });
    }
    document.addEventListener("bonsens:progress-change", () => renderHome(home));
  }

  // ------------------------------------------------------------------------ lesson and quiz pages

  /* The page being read, when it is a lesson, a quiz or the exam of the course. */
  function currentPage(course) {
    const here = pageKey(location.href);
    return coursePages(course).find((p) => pageKey(p.item.url) === here) || null;
  }

  /* "Module 2 · 3/5 · Course 40 %" above the title, kept up to date as the page is read; on a
     page outside the learner's path, that it is (and stays available). */
  function renderTrail(trail, current) {
    const course = pathView();
    // On the site, a page outside the learner's path says so instead (learning-paths.js)
    if (BS.paths && BS.paths.noteOutside(trail, course, current.item.id)) return;
    const progress = summarise(state());
    const module = progress.modules[course.modules.findIndex((m) => m.id === current.module.id)];
    const whole = wholeCourse(course);
    const vars = { n: current.number, done: module.stepsDone, total: module.steps, percent: formatPercent(progress.percent) };
    const text = label("trail", vars);
    // A module's SCO knows only its module: the course part is left out rather than wrong
    trail.textContent = whole ? text : text.split(" · ").slice(0, 2).join(" · ");
    trail.setAttribute("aria-label", whole ? label("trail_label", vars) : trail.textContent);
  }

  function initCoursePage(article) {
    const course = getCourse();
    const current = currentPage(course);
    if (!current) return;
    if (BS.tracker && typeof BS.tracker.recordVisit === "function") BS.tracker.recordVisit(current.item.id);
    // The way on, made for the default path: on the site, along the learner's (learning-paths.js)
    const next = document.querySelector("nav.bs-next");
    if (next && BS.paths) BS.paths.pointNextStep(next, current.item.id);
    if (!current.module && inPath(pathView(), current.item.id)) return; // the exam: no module to follow
    const trail = h("p", { class: "bs-root bs-trail", role: "note" });
    article.prepend(trail);
    renderTrail(trail, current);
    document.addEventListener("bonsens:progress-change", () => renderTrail(trail, current));
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

  /* "1er décembre 2026" in French (the first of the month only), "December 1, 2026". */
  function formatDate(date) {
    try {
      const lang = getCourse().lang;
      const text = new Intl.DateTimeFormat(lang, { year: "numeric", month: "long", day: "numeric" }).format(date);
      return /^fr\b/i.test(lang) ? text.replace(/^1(?=\s)/, "1er") : text;
    } catch (e) {
      return MODEL.localDate(date);
    }
  }

  /* Marks the certificate's ancestors: print styles then hide every other branch of the page. */
  function markPrintPath(node) {
    document.documentElement.classList.add("bs-print-certificate");
    for (let n = node.parentElement; n; n = n.parentElement) n.classList.add("bs-print-path");
  }

  /* What is left before the certificate, module by module, then the exam (the one model). */
  function missingSteps(st, course, progress) {
    const list = [];
    // In the exam SCO of a multi-SCO package the LMS's sequencing has required the modules
    const modulesMet = BS.tracker && BS.tracker.prerequisitesMet === true;
    course.modules.forEach((m, i) => {
      const p = progress.modules[i];
      if (modulesMet || p.done) return;
      const parts = [];
      if (p.read < p.lessons) parts.push(counted("missing_lessons", p.lessons - p.read, { n: p.lessons - p.read }));
      if (m.quiz && !p.quizPassed) parts.push(label("missing_quiz"));
      const next = m.lessons.find((l) => !st.lessons[l.id]) || m.quiz || m;
      list.push({ title: m.title, detail: parts.join(", "), url: next.url });
    });
    const exam = course.final_exam;
    if (exam && !progress.examPassed) list.push({ title: exam.title || label("final_exam"), detail: "", url: exam.url });
    return list;
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
              missing.map((r) =>
                h("li", null, h("a", { href: r.url, text: r.title }), r.detail ? " — " + r.detail : null)
              )
            )
          : null
      )
    );
  }

  /* Asks for the name once, kindly; prefilled with the LMS's name for the learner to correct. */
  function renderNameForm(container, value, onSave) {
    const inputId = uniqueId("bs-cert-name");
    const titleId = uniqueId("bs-name-title");
    const input = h("input", {
      id: inputId,
      type: "text",
      class: "bs-input",
      autocomplete: "name",
      maxlength: "120",
      required: true,
      value: value,
    });
    const form = h(
      "form",
      { class: "bs-name-form", "aria-labelledby": titleId, novalidate: true },
      h("h2", { id: titleId, text: label("name_prompt") }),
      h("p", { class: "bs-name-private", text: label("name_private") }),
      h("div", { class: "bs-field" }, h("label", { for: inputId, text: label("certificate_name_label") }), input),
      h("button", { type: "submit", class: "bs-button", text: label("name_save") }),
      isPersistent() ? null : notice()
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const name = input.value.replace(/\s+/g, " ").trim();
      input.setAttribute("aria-invalid", name ? "false" : "true");
      if (name) onSave(name);
      else input.focus();
    });
    setChildren(container, form);
    return input;
  }

  function certificateArticle(st, course, progress, name) {
    // Dated the day the last required quiz was first passed; scored by the final exam.
    const required = requiredQuizzes(course).filter((r) => quizRecord(st, r.quiz.id));
    const dates = required.map((r) => quizRecord(st, r.quiz.id).passedOn || "").sort();
    const date = parseLocalDate(dates[dates.length - 1]) || new Date();
    const bests = required.map((r) => quizRecord(st, r.quiz.id).best);
    const exam = course.final_exam;
    const score = exam
      ? quizRecord(st, exam.id).best
      : Math.round(bests.reduce((a, b) => a + b, 0) / Math.max(1, bests.length));
    const lines = course.modules.map((m) => {
      const r = m.quiz && quizRecord(st, m.quiz.id);
      const title = m.part ? m.title + " (" + m.part + ")" : m.title; // a module the path takes in part
      return h("li", { text: r ? label("certificate_module_line", { module: title, score: formatPercent(r.best) }) : title });
    });
    if (exam) {
      lines.push(h("li", { text: label("certificate_exam_line", { exam: exam.title || label("final_exam"), score: formatPercent(score) }) }));
    }
    const titleId = uniqueId("bs-cert-title");
    const path = course.path && course.path.declared ? course.path : null;
    return h(
      "article",
      { class: "bs-cert", "aria-labelledby": titleId },
      course.organisation || course.logo
        ? h(
            "p",
            { class: "bs-cert-org" },
            course.logo ? h("img", { class: "bs-cert-logo", src: course.logo, alt: course.organisation ? "" : "logo" }) : null,
            course.organisation ? h("span", { text: course.organisation }) : null
          )
        : null,
      h("h2", { class: "bs-cert-title", id: titleId, tabindex: "-1", text: label("certificate_title") }),
      h("p", { class: "bs-cert-name", text: name }),
      h(
        "p",
        { class: "bs-cert-text" },
        // A path that takes modules in part is certified as the path it is, not as the course
        labelNodes(path && path.partial ? "certificate_text_part" : "certificate_text", {
          course: h("strong", { class: "bs-cert-course", text: course.title }),
          path: path && h("strong", { text: path.title }),
          date: formatDate(date),
          score: formatNumber(score),
        })
      ),
      path ? h("p", { class: "bs-cert-path", text: path.certificate }) : null,
      h("p", { class: "bs-cert-modules-title", text: path ? path.covered : label("certificate_modules") }),
      h("ul", { class: "bs-cert-modules" }, lines),
      h("div", { class: "bs-cert-seal", "aria-hidden": "true" }, icon("check"))
    );
  }

  function initCertificate(container) {
    // What the learner's path asks, and only that; on the site, the path asked for (learning-paths.js)
    // (and its exam's result, kept apart when the learner switched paths)
    const course = BS.paths ? BS.paths.certificateView() : pathView();
    const read = () => (BS.paths ? BS.paths.stateOf(state(), course.path) : state());
    const progress = summarise(read(), course);
    const missing = missingSteps(read(), course, progress);
    if (missing.length || !progress.steps) {
      renderCertificateLocked(container, missing);
      if (BS.paths) BS.paths.earnedElsewhere(container, course);
      return;
    }

    const saveName = (name) => {
      const current = state();
      current.name = name;
      BS.tracker.setState(current);
    };

    function showCertificate(focus) {
      const st = read();
      const certificate = certificateArticle(st, course, progress, st.name);
      setChildren(
        container,
        h(
          "div",
          { class: "bs-cert-tools" },
          h("button", { type: "button", class: "bs-button", text: label("certificate_print"), onclick: () => window.print() }),
          h("button", {
            type: "button",
            class: "bs-button bs-button--secondary",
            text: label("name_edit"),
            onclick: () => askName(st.name).focus(),
          }),
          isPersistent() ? null : notice()
        ),
        certificate
      );
      markPrintPath(certificate);
      if (focus) certificate.querySelector(".bs-cert-title").focus();
    }

    function askName(value) {
      return renderNameForm(container, value, (name) => {
        saveName(name);
        showCertificate(true);
      });
    }

    const name = state().name;
    if (name) showCertificate(false);
    else askName((BS.tracker && BS.tracker.learnerName) || "");
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
    root.querySelectorAll(".bs-home").forEach((el) => once(el) && initHome(el));
    root.querySelectorAll("article.md-content__inner:not([data-bs-trail])").forEach((el) => {
      el.setAttribute("data-bs-trail", ""); // the article is the theme's: no bs-root styles on it
      initCoursePage(el);
    });
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
    state,
    emptyState,
    normaliseState,
    currentPath,
    pathView,
    pathCourse,
    summarise,
    coursePages,
    inPath,
    nextStep,
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
