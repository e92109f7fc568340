/*
 * Manual test harness for the Bon Sens browser code (not shipped with the site).
 *
 * Serve the project root and open a page, e.g.
 *   python -m http.server --bind 127.0.0.1 8000 -d /work/main
 *   http://127.0.0.1:8000/tests/harness/quiz.html
 *
 * This script wraps each page in a mkdocs-material-like layout (header, navigation sidebar),
 * adds the data the Python side puts in every page (the course JSON, the quiz JSON) from
 * ./fixtures/, then loads the scripts under test (builder/assets/progress.js and quiz.js),
 * which start on their own. The page sets `data-harness-ready` on <body> once they have.
 *
 * Query parameters (kept when following the navigation):
 *   lang=fr          French labels (fixtures/labels.fr.json) and French dates
 *   scheme=slate     mkdocs-material's dark colour scheme
 *   nostorage=1      localStorage unusable, as in some private modes
 *   tracker=memory   a stand-in for a SCORM adapter: BonSens.tracker defined before progress.js;
 *                    its calls are logged in window.harnessTrackerLog
 */
(() => {
  "use strict";

  const params = new URLSearchParams(location.search);
  const lang = params.get("lang") === "fr" ? "fr" : "en";
  const scheme = params.get("scheme") === "slate" ? "slate" : "default";
  const body = document.body;
  const page = body.getAttribute("data-harness-page");

  document.documentElement.lang = lang;
  body.setAttribute("data-md-color-scheme", scheme);
  body.setAttribute("data-md-color-primary", "indigo");
  body.setAttribute("data-md-color-accent", "indigo");

  // ---------------------------------------------------------------- environment switches

  if (params.get("nostorage") === "1") {
    try {
      Object.defineProperty(window, "localStorage", {
        configurable: true,
        get() {
          throw new DOMException("The harness disabled localStorage.", "SecurityError");
        },
      });
    } catch (e) {
      console.warn("harness: could not disable localStorage", e);
    }
  }

  if (params.get("tracker") === "memory") {
    const log = (window.harnessTrackerLog = []);
    let state = { lessons: {}, quizzes: {}, inProgress: {}, name: "" };
    const copy = (value) => JSON.parse(JSON.stringify(value));
    window.BonSens = window.BonSens || {};
    window.BonSens.tracker = {
      persistent: true,
      getState: () => copy(state),
      setState: (next) => {
        log.push(["setState", copy(next)]);
        state = copy(next);
      },
      recordLessonRead: (id) => {
        log.push(["recordLessonRead", id]);
        state.lessons[id] = true;
      },
      recordQuizResult: (id, result) => {
        log.push(["recordQuizResult", id, copy(result)]);
        const old = state.quizzes[id] || { best: 0, passed: false, attempts: 0 };
        state.quizzes[id] = {
          best: Math.max(old.best, result.score),
          passed: old.passed || result.passed,
          attempts: old.attempts + 1,
          last: { score: result.score, passed: result.passed },
        };
        delete state.inProgress[id];
      },
      saveQuizInProgress: (id, attempt) => {
        log.push(["saveQuizInProgress", id, copy(attempt)]);
        if (attempt) state.inProgress[id] = copy(attempt);
        else delete state.inProgress[id];
      },
    };
  }

  // ---------------------------------------------------------------- layout

  const NAV = [
    ["home.html", "Home"],
    ["lesson.html", "1. Privacy: settings and traces"],
    ["quiz.html", "1. Privacy quiz"],
    ["lesson-m2.html", "2. Discretion: who owes what?"],
    ["quiz-m2.html", "2. Discretion quiz"],
    ["exam.html", "Final exam"],
    ["certificate.html", "Certificate"],
  ];

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => node.setAttribute(key, value));
    node.append(...children);
    return node;
  }

  function withParams(href, changes) {
    const next = new URLSearchParams(location.search);
    Object.entries(changes || {}).forEach(([key, value]) => {
      if (value === null) next.delete(key);
      else next.set(key, value);
    });
    const query = next.toString();
    return href + (query ? "?" + query : "");
  }

  const here = location.pathname.split("/").pop() || "home.html";
  const article = document.querySelector("article");

  const header = el(
    "header",
    { class: "md-header" },
    el("a", { class: "md-header__title", href: withParams("home.html") }, "Bon Sens — harness"),
    el(
      "span",
      { class: "harness-switches" },
      el(
        "a",
        { href: withParams(here, { scheme: scheme === "slate" ? null : "slate" }) },
        scheme === "slate" ? "Light" : "Dark"
      ),
      el(
        "a",
        {
          href: withParams(here, { lang: lang === "fr" ? null : "fr" }),
          hreflang: lang === "fr" ? "en" : "fr",
        },
        lang === "fr" ? "English" : "Français"
      )
    )
  );

  const nav = el(
    "nav",
    { class: "md-nav md-nav--primary", "aria-label": "Course" },
    el(
      "ul",
      { class: "md-nav__list" },
      ...NAV.map(([href, title]) => {
        const attrs = { class: "md-nav__link", href: withParams(href) };
        if (href === here) {
          attrs.class += " md-nav__link--active";
          attrs["aria-current"] = "page";
        }
        return el(
          "li",
          { class: "md-nav__item" },
          el("a", attrs, el("span", { class: "md-ellipsis" }, title))
        );
      })
    ),
    // A table-of-contents link, as mkdocs-material has: it must never get a mark.
    el(
      "ul",
      { class: "md-nav__list" },
      el(
        "li",
        { class: "md-nav__item" },
        el("a", { class: "md-nav__link", href: "#top" }, "Top of this page")
      )
    )
  );

  const main = el(
    "div",
    { class: "md-main" },
    el("div", { class: "md-sidebar" }, nav),
    el("main", { class: "md-content", id: "top" }, article)
  );
  const footer = el(
    "footer",
    { class: "md-footer" },
    "Harness footer: hidden when printing the certificate."
  );
  body.prepend(header, main, footer);

  // ---------------------------------------------------------------- data

  const getJson = (name) =>
    fetch("fixtures/" + name).then((response) => {
      if (!response.ok) throw new Error(name + ": " + response.status);
      return response.json();
    });

  function addJsonScript(attrs, data) {
    const script = el("script", Object.assign({ type: "application/json" }, attrs));
    // As the Python side must: "</" inside the JSON would end the <script> element.
    script.textContent = JSON.stringify(data).replace(/<\//g, "<\\/");
    body.append(script);
  }

  const ASSETS = ["../../builder/assets/progress.js", "../../builder/assets/quiz.js"];

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = el("script", { src });
      script.async = false; // run in document order
      script.addEventListener("load", resolve);
      script.addEventListener("error", () => reject(new Error("could not load " + src)));
      body.append(script);
    });
  }

  const quizId =
    article.querySelector(".bs-quiz") && article.querySelector(".bs-quiz").getAttribute("data-quiz-id");
  Promise.all([
    getJson("course.json"),
    getJson("labels." + lang + ".json"),
    quizId ? getJson(quizId + ".json") : null,
  ])
    .then(([course, labels, quiz]) => {
      course.lang = lang;
      course.labels = labels;
      addJsonScript({ id: "bs-course" }, course);
      if (quiz) addJsonScript({ class: "bs-quiz-data", "data-quiz-id": quizId }, quiz);
      // The scripts under test come last, as on the site, and start on their own.
      return Promise.all(ASSETS.map(loadScript));
    })
    .then(() => {
      setTimeout(() => body.setAttribute("data-harness-ready", ""), 0);
    })
    .catch((error) => {
      console.error("harness:", error);
      article.prepend(
        el(
          "p",
          { class: "harness-error" },
          "Harness: " + error.message + " (serve over HTTP, see harness.js)."
        )
      );
    });

  window.harnessPage = page;
})();
