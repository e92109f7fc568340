/*
 * Bon Sens: the learner's own learning path, on the site only.
 *
 * Where a course declares learning paths, the site's pages are written for the organisation's
 * default path, and the learner may hold another: the one they chose on the home, where the
 * organisation lets them choose. This script shows the course as that path asks it:
 *
 *   - on the home, the switch between the paths offered, and the path's name, length, facts and
 *     module cards (the others folded "outside the path");
 *   - in the navigation, the course's pages outside the path, marked so;
 *   - at the end of a page, the next step along the path;
 *   - on a quiz page, only the questions the path asks of the quiz (its pool and draw), and an
 *     introduction that counts them.
 *
 * An LMS package holds one path, already applied by the build (builder/path_pages.py), with no
 * choice and no page outside it: packages do without this file. Load it after progress.js
 * (BonSens.util, .progress, .start) and before quiz.js, on every page of a course that declares
 * paths; it attaches `BonSens.paths`, which progress.js and quiz.js call.
 */
(() => {
  "use strict";

  const BS = window.BonSens;
  const { h, setChildren, label, uniqueId, getCourse, pageKey, icon, srOnly } = BS.util;

  /* The home as the learner's path shows it (pages.home_html does the default path): its name,
     length and purpose, the facts, and its modules' cards, the others folded "outside the path".
     The words are the build's (pages.path_data); only their places change here. `view` is the
     path's course (progress.js, pathView). */
  function showHome(home, view) {
    const course = getCourse();
    const path = view.path;
    const put = (selector, text) => home.querySelectorAll(selector).forEach((el) => {
      el.textContent = text;
      el.hidden = !text;
    });
    if (path.declared) {
      put(".bs-path-title", path.title);
      put(".bs-path-time", path.duration);
      put(".bs-path-description", path.description);
      put(".bs-home-facts", path.facts);
    }
    const inside = home.querySelector("ol.bs-modules");
    const outsideList = home.querySelector(".bs-modules--outside");
    if (!inside || !outsideList) return; // a course without declared paths: every card is the path's
    home.querySelectorAll(".bs-module").forEach((card) => {
      const id = card.getAttribute("data-module-id");
      const own = view.modules.find((m) => m.id === id);
      const held = card.hasAttribute("data-exam-id") ? !!view.final_exam : !!own;
      card.classList.toggle("bs-module--outside", !held);
      (held ? inside : outsideList).append(card); // met in the course's order, kept in it
      const module = own || course.modules.find((m) => m.id === id);
      if (!module) return; // the exam
      const meta = card.querySelector(".bs-module-meta");
      if (meta) meta.textContent = own ? path.modules.find((m) => m.id === id).meta : module.meta;
      const link = card.querySelector(".bs-module-title a");
      if (link && module.lessons.length) link.setAttribute("href", module.lessons[0].url);
    });
    outsideList.closest(".bs-outside").hidden = !outsideList.children.length;
  }

  /* Where the organisation lets learners choose: the paths as a radio group. Switching keeps
     every lesson read and quiz result; the home then shows the new path, and says so. */
  function renderSwitch(home) {
    const course = getCourse();
    const slot = home.querySelector(".bs-path-switch");
    if (!slot || slot.firstChild || !course.learners_choose || course.paths.length < 2) return; // once
    const current = BS.progress.currentPath();
    const name = uniqueId("bs-path");
    const status = h("p", { class: "bs-sr-only", role: "status" });
    const options = course.paths.map((path) => {
      const id = uniqueId("bs-path-option");
      const descriptionId = path.description ? uniqueId("bs-path-description") : null;
      const input = h("input", {
        type: "radio",
        id,
        name,
        value: path.id,
        checked: path.id === current.id,
        "aria-describedby": descriptionId,
      });
      input.addEventListener("change", () => {
        if (!input.checked) return;
        const st = BS.progress.state();
        st.path = path.id;
        BS.tracker.setState(st);
        status.textContent = label("path_switched", { path: path.title });
        BS.progress.changed();
      });
      return h(
        "div",
        { class: "bs-path-option" },
        input,
        h(
          "label",
          { for: id },
          h("span", { class: "bs-path-option-title", text: path.title }),
          " · ",
          path.duration,
          descriptionId ? h("span", { class: "bs-path-option-description", id: descriptionId, text: path.description }) : null
        )
      );
    });
    setChildren(
      slot,
      h(
        "fieldset",
        { class: "bs-path-choice" },
        h("legend", { text: label("path_choose") }),
        options,
        h("p", { class: "bs-path-keeps", text: label("path_keeps") })
      ),
      status
    );
  }

  /* The quiz as the learner's learning path asks it (pages.path_data): only the path's
     questions, drawn as the path says. A quiz outside the path is asked whole. */
  function quizOfPath(quiz) {
    const pool = BS.progress.currentPath().quizzes[quiz.id];
    if (!pool) return quiz;
    const keep = new Set(pool.questions);
    const questions = quiz.questions.filter((q) => keep.has(q.id));
    return Object.assign({}, quiz, { questions, draw: pool.draw && pool.draw < questions.length ? pool.draw : null });
  }

  /* The line above the questions (pages._quiz_page, written for the default path) says how many
     questions the learner's path asks. */
  function sayWhatIsAsked(container, quiz) {
    const line = container.previousElementSibling;
    const path = BS.progress.currentPath();
    if (!line || line.tagName !== "P" || !path.quizzes[quiz.id] || path.id === getCourse().default_path) return;
    const passing = BS.util.formatNumber(quiz.passing_score);
    const bank = quiz.questions.length;
    const asked = quiz.draw
      ? label("exam_intro", { draw: quiz.draw, bank, passing })
      : label("quiz_intro", { count: bank, passing });
    const attempts = quiz.attempts ? label("attempts_limited", { n: quiz.attempts }) : label("attempts_unlimited");
    line.textContent = asked + " " + attempts;
  }

  /* The next-step button at the end of a page (mkdocs_plugin._next_step, made for the default
     path), pointed along the learner's own path. */
  function pointNextStep(nav, itemId) {
    const link = nav.querySelector(".bs-next-link");
    const step = BS.progress.nextStep(itemId);
    if (!link || !step) return;
    const kind = label("next_" + step.kind);
    link.setAttribute("href", step.url);
    const named = step.title && step.title.toLocaleLowerCase() !== kind.toLocaleLowerCase();
    setChildren(
      link,
      h("span", { class: "bs-next-kind", text: kind }),
      named ? h("span", { class: "bs-next-title", text: step.title }) : null
    );
  }

  /* "not in your path" on the navigation's links to the course's pages outside the learner's
     path (`view`: progress.js, pathView): still there, said in words (not by colour alone),
     before the page's own mark (progress.js, markNavigation, which calls this). */
  function markOutside(view) {
    document.querySelectorAll(".bs-nav-outside").forEach((old) => old.remove());
    const outside = new Set(
      BS.progress.coursePages(getCourse())
        .filter((p) => !BS.progress.inPath(view, p.item.id))
        .map((p) => pageKey(p.item.url))
    );
    const words = label("outside_path");
    document.querySelectorAll("a.md-nav__link").forEach((link) => {
      const href = link.getAttribute("href");
      if (!href || href.startsWith("#") || !outside.has(pageKey(href))) return; // the table of contents too
      if (link.parentElement && link.parentElement.classList.contains("md-nav__item--nested")) return; // a module
      const mark = h("span", { class: "bs-nav-outside", title: words }, icon("outside"), srOnly(" (" + words + ")"));
      link.insertBefore(mark, link.querySelector(":scope > .bs-nav-mark"));
    });
  }

  BS.paths = { showHome, quizOfPath, sayWhatIsAsked, pointNextStep, markOutside };

  BS.start((root) => root.querySelectorAll(".bs-home").forEach(renderSwitch));
})();
