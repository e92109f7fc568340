/*
 * Bon Sens: the learner's own learning path, on the site only.
 *
 * Where a course declares learning paths, the site's pages are written for the organisation's
 * default path, and the learner may hold another: the one they chose on the home, where the
 * organisation lets them choose. This script shows the course as that path asks it:
 *
 *   - on the home, the path's name, purpose, facts and module cards (a module's lessons outside
 *     the path offered on its card, the other modules folded "outside the path"), and the switch
 *     between the paths offered, folded under "Change path";
 *   - in the navigation, the course's pages outside the path, marked so; on such a page, a note;
 *   - at the end of a page, the next step along the path, and Material's footer (previous / next)
 *     along it too;
 *   - each path's final exam result kept apart, so that a certificate earned in one path stays
 *     available after a switch (certificate.html?path=ID shows it);
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
  const { h, setChildren, label, counted, uniqueId, getCourse, pageKey, icon, srOnly } = BS.util;

  const lessons = (n) => label(n === 1 ? "lesson_one" : "lesson_many", { n });
  const byId = (id) => getCourse().paths.find((p) => p.id === id);

  // ------------------------------------------------------------------------ each path's certificate

  /* The stored state `st` as `path` reads it: the final exam's result is the path's own (an exam
     counts for the path it was taken in, progress-model.js). The result of another path is kept
     under "EXAM@PATH", and a path's own comes back from there: switching keeps both. */
  function stateOf(st, path) {
    const exam = getCourse().final_exam;
    if (!exam || !path || !path.declared) return st;
    const now = st.quizzes[exam.id];
    const kept = st.quizzes[exam.id + "@" + path.id];
    if (now && typeof now.path === "string" && now.path !== path.id) {
      st.quizzes[exam.id + "@" + now.path] = now;
      delete st.quizzes[exam.id];
    }
    if (kept) {
      st.quizzes[exam.id] = kept;
      delete st.quizzes[exam.id + "@" + path.id];
    }
    return st;
  }

  /* Whether the learner has earned a path's certificate. */
  const earned = (path) =>
    BS.progress.summarise(stateOf(BS.progress.state(), path), BS.progress.pathCourse(path)).done;

  /* The certificate page shows the path asked for (?path=ID), else the learner's. */
  function certificateView() {
    const path = byId(new URLSearchParams(location.search).get("path"));
    return path ? BS.progress.pathCourse(path) : BS.progress.pathView();
  }

  /* "See my certificate (The essentials)": links to the certificates earned in other paths. */
  function certificateLinks(except) {
    const url = getCourse().pages.certificate;
    return getCourse()
      .paths.filter((p) => p.declared && p.id !== except.id && url && earned(p))
      .map((p) =>
        h("p", { class: "bs-path-earned" }, h("a", { href: url + "?path=" + encodeURIComponent(p.id) }, label("path_certificate_link", { path: p.title })))
      );
  }

  /* On the certificate page of a path not done yet: the certificates earned in others. */
  function earnedElsewhere(container, view) {
    container.append(...certificateLinks(view.path));
  }

  // ------------------------------------------------------------------------ the home

  /* The home as the learner's path shows it (pages.home_html does the default path): its name,
     purpose and facts, and its modules' cards (a module taken in part offers its other lessons),
     the others folded "outside the path". The words are the build's (pages.path_data); only
     their places change here. `view` is the path's course (progress.js, pathView). */
  function showHome(home, view) {
    const course = getCourse();
    const path = view.path;
    const put = (selector, text) => home.querySelectorAll(selector).forEach((el) => {
      el.textContent = text;
      el.hidden = !text;
    });
    if (path.declared) {
      put(".bs-path-title", path.title);
      put(".bs-path-description", path.description);
      put(".bs-home-facts", path.facts);
    }
    const panel = home.querySelector(".bs-path");
    if (panel) {
      panel.querySelectorAll(".bs-path-earned").forEach((old) => old.remove());
      panel.append(...certificateLinks(path));
    }
    home.querySelectorAll(".bs-path-option-kept").forEach((note) => {
      note.textContent = earned(byId(note.getAttribute("data-path-id"))) ? label("path_certificate_kept") : "";
    });
    const inside = home.querySelector("ol.bs-modules");
    const outsideList = home.querySelector(".bs-modules--outside");
    if (!inside || !outsideList) return; // a course without declared paths: every card is the path's
    home.querySelectorAll(".bs-module").forEach((card) => {
      const id = card.getAttribute("data-module-id");
      const own = view.modules.find((m) => m.id === id);
      const held = card.hasAttribute("data-exam-id") ? !!view.final_exam : !!own;
      card.classList.toggle("bs-module--outside", !held);
      (held ? inside : outsideList).append(card); // met in the course's order, kept in it
      const whole = course.modules.find((m) => m.id === id);
      const module = own || whole;
      if (!module) return; // the exam
      const meta = card.querySelector(".bs-module-meta");
      if (meta) meta.textContent = own ? path.modules.find((m) => m.id === id).meta : module.meta;
      const link = card.querySelector(".bs-module-title a");
      if (link && module.lessons.length) link.setAttribute("href", module.lessons[0].url);
      card.querySelectorAll(".bs-module-more").forEach((old) => old.remove());
      const others = own ? whole.lessons.filter((l) => !own.lessons.some((o) => o.id === l.id)) : [];
      if (meta && others.length) meta.after(moreLessons(others));
    });
    outsideList.closest(".bs-outside").hidden = !outsideList.children.length;
  }

  /* "+ 2 lessons outside your path", folded on a module's card: its other lessons, as links. */
  function moreLessons(list) {
    return h(
      "details",
      { class: "bs-module-more" },
      h("summary", { text: label("outside_lessons", { lessons: lessons(list.length) }) }),
      h("ul", null, list.map((l) => h("li", null, h("a", { href: l.url, text: l.title }))))
    );
  }

  /* Where the organisation lets learners choose: "Change path" opens the paths as a radio group.
     Switching keeps every lesson read and quiz result (each path's exam result apart: stateOf);
     the home then shows the new path, and says so. */
  function renderSwitch(home) {
    const course = getCourse();
    const slot = home.querySelector(".bs-path-switch");
    if (!slot || slot.firstChild || !course.learners_choose || course.paths.length < 2) return; // once
    const current = BS.progress.currentPath();
    const name = uniqueId("bs-path");
    const status = h("p", { class: "bs-sr-only", role: "status" });
    const options = course.paths.map((path) => {
      const id = uniqueId("bs-path-option");
      const about = uniqueId("bs-path-about");
      const input = h("input", { type: "radio", id, name, value: path.id, checked: path.id === current.id, "aria-describedby": about });
      input.addEventListener("change", () => {
        if (!input.checked) return;
        const st = stateOf(BS.progress.state(), path);
        st.path = path.id;
        BS.tracker.setState(st);
        status.textContent = label("path_switched", { path: path.title });
        BS.progress.changed();
      });
      return h(
        "div",
        { class: "bs-path-option" },
        input,
        h("label", { for: id }, h("span", { class: "bs-path-option-title", text: path.title }), " · ", path.duration),
        h(
          "span",
          { class: "bs-path-option-about", id: about },
          path.description ? h("span", { text: path.description + " " }) : null,
          // "Your certificate for this path stays available", once earned (showHome)
          h("strong", { class: "bs-path-option-kept", "data-path-id": path.id })
        )
      );
    });
    const groupId = uniqueId("bs-path-choice");
    const group = h(
      "fieldset",
      { class: "bs-path-choice", id: groupId, hidden: true },
      h("legend", { text: label("path_choose") }),
      options,
      h("p", { class: "bs-path-keeps", text: label("path_keeps") })
    );
    const toggle = h("button", {
      type: "button",
      class: "bs-link-button bs-path-toggle",
      "aria-expanded": "false",
      "aria-controls": groupId,
      text: label("path_change"),
    });
    toggle.addEventListener("click", () => {
      group.hidden = !group.hidden;
      toggle.setAttribute("aria-expanded", String(!group.hidden));
    });
    setChildren(slot, toggle, group, status);
    showHome(home, BS.progress.pathView()); // the notes of the certificates earned
  }

  // ------------------------------------------------------------------------ quiz pages

  /* The quiz as the learner's learning path asks it (pages.path_data): only the path's
     questions, drawn as the path says. A quiz outside the path is asked whole. */
  function quizOfPath(quiz) {
    const pool = BS.progress.currentPath().quizzes[quiz.id];
    if (!pool) return quiz;
    const keep = new Set(pool.questions);
    const questions = quiz.questions.filter((q) => keep.has(q.id));
    return Object.assign({}, quiz, { questions, draw: pool.draw && pool.draw < questions.length ? pool.draw : null });
  }

  /* The line above the questions (pages.quiz_intro, written for the default path) says how many
     questions the learner's path asks. */
  function sayWhatIsAsked(container, quiz) {
    const line = container.previousElementSibling;
    const path = BS.progress.currentPath();
    if (!line || line.tagName !== "P" || !path.quizzes[quiz.id] || path.id === getCourse().default_path) return;
    const passing = BS.util.formatNumber(quiz.passing_score);
    const bank = quiz.questions.length;
    const asked = quiz.draw
      ? counted("exam_intro", quiz.draw, { draw: quiz.draw, bank, passing })
      : counted("quiz_intro", bank, { count: bank, passing });
    const attempts = quiz.attempts ? counted("attempts_limited", quiz.attempts, { n: quiz.attempts }) : label("attempts_unlimited");
    line.textContent = asked + " " + attempts;
  }

  // ------------------------------------------------------------------------ the way on

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

  /* Material's footer, "Previous" / "Next" (and its <link rel=prev/next>, which its keyboard
     shortcuts follow), along the learner's path like the next step: the path's pages around this
     one, from the home to the certificate; from a page outside the path, the nearest pages of
     the path before and after it. The elements stay; only where they lead and their titles change. */
  function pointFooter() {
    const course = getCourse();
    const view = BS.progress.pathView();
    const way = [{ url: course.pages.home, title: label("home"), on: true }]
      .concat(BS.progress.coursePages(course).map((p) => ({ url: p.item.url, title: p.item.title, on: BS.progress.inPath(view, p.item.id) })))
      .concat([{ url: course.pages.certificate, title: label("certificate"), on: true }]);
    const here = way.findIndex((p) => pageKey(p.url) === pageKey(location.href));
    if (here < 0) return; // the HR pages
    const around = { prev: way.slice(0, here).reverse().find((p) => p.on), next: way.slice(here + 1).find((p) => p.on) };
    Object.keys(around).forEach((dir) => {
      const to = around[dir];
      document.querySelectorAll("link[rel=" + dir + "], a.md-footer__link--" + dir).forEach((link) => {
        if (!to) return link.remove();
        link.setAttribute("href", to.url);
        if (link.tagName === "LINK") return;
        link.setAttribute("aria-label", (link.getAttribute("aria-label") || "").split(":")[0] + ": " + to.title);
        const title = link.querySelector(".md-ellipsis");
        if (title) title.textContent = to.title;
      });
    });
  }

  // ------------------------------------------------------------------------ pages outside the path

  /* On a page outside the learner's path, the note above the title says so, with the mark the
     navigation shows beside such pages (its key, in words). True when it did. */
  function noteOutside(trail, view, itemId) {
    if (BS.progress.inPath(view, itemId)) return false;
    trail.classList.add("bs-trail--outside");
    setChildren(trail, icon("outside"), " ", label("outside_path_note", { path: view.path.title }));
    trail.removeAttribute("aria-label");
    return true;
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

  BS.paths = { showHome, quizOfPath, sayWhatIsAsked, pointNextStep, markOutside, noteOutside, certificateView, stateOf, earnedElsewhere };

  let listening = false;
  BS.start((root) => {
    root.querySelectorAll(".bs-home").forEach(renderSwitch);
    pointFooter();
    if (!listening) document.addEventListener("bonsens:progress-change", pointFooter);
    listening = true;
  });
})();
