/*
 * Bon Sens: the launch page in the learner's language, for a package that holds several (cmi5's:
 * every language of the course, the first at the root, the others under <lang>/, as on the site).
 *
 * Loaded after core.js and before the adapter, in such a package's runtime only
 * (builder/runtime_assets.py): a SCORM package holds one language and leaves this file out. Its
 * config has, besides the default language's keys, `languages` ({code: {pages, labels, title}})
 * and `language` (the default). Once the adapter has connected, it picks the first of the
 * learner's languages the package holds (connect's `language`, such as "en-US,fr-FR", compared by
 * primary subtag: "en-US" is "en"), else the default, and sets that language's pages and texts
 * where the core reads them (config.pages, config.labels), the page's language and title. A
 * location the LMS saved in another language becomes the page at the same position. Lesson, quiz
 * and question ids are the same in every language: the state needs no change.
 */
(function () {
  "use strict";

  const runtime = window.BonSensRuntime;
  if (!runtime) return; // no valid configuration: the core said so
  const { config, own, isObject } = runtime.util;
  const languages = isObject(config.languages) ? config.languages : null;
  if (!languages) return;

  /* The code of the learner's first language the package holds, else the default's, or null. */
  function choose(preferred) {
    const wanted = String(preferred || "").split(",").concat(config.language);
    return wanted.map((tag) => String(tag).trim().split("-")[0].toLowerCase())
      .find((code) => Array.isArray(own(own(languages, code), "pages"))) || null;
  }

  /* The page at the same position in `pages` for a page of any language; else `path` unchanged. */
  function samePage(path, pages) {
    for (const code of Object.keys(languages)) {
      const index = Array.isArray(languages[code].pages) ? languages[code].pages.indexOf(path) : -1;
      if (index >= 0 && index < pages.length) return pages[index];
    }
    return path;
  }

  function use(lms) {
    const lang = choose(lms && lms.language);
    if (!lang) return;
    const chosen = languages[lang];
    config.pages = chosen.pages;
    if (isObject(chosen.labels)) config.labels = chosen.labels;
    document.documentElement.lang = lang;
    if (typeof chosen.title === "string") {
      document.title = chosen.title;
      document.getElementById("bs-sco-frame").title = chosen.title;
    }
    if (lms && isObject(lms.saved)) lms.saved.location = samePage(lms.saved.location, chosen.pages);
  }

  // The adapter's connect() with the language applied before the core restores and opens a page
  const start = runtime.start;
  runtime.start = (adapter) => {
    const connect = adapter.connect;
    adapter.connect = () => Promise.resolve(connect.call(adapter)).then((lms) => {
      use(lms);
      return lms;
    });
    start(adapter);
  };
})();
