/*
 * Bon Sens: inside an LMS package, every page reports to the SCO's launch page.
 *
 * The launch page (sco.html) holds the one LMS session and shows the pages in a frame. When
 * this page sits in that frame, it uses the launch page's tracker instead of localStorage.
 * On the public site there is no such parent and nothing happens. Load before progress.js.
 */
(function () {
  "use strict";
  var sco = null;
  try {
    if (window.parent && window.parent !== window) sco = window.parent.BonSensSCO || null;
  } catch (e) {
    sco = null; // a parent from another origin: not our launch page
  }
  if (sco && sco.tracker) {
    window.BonSens = window.BonSens || {};
    window.BonSens.tracker = sco.tracker;
    document.documentElement.classList.add("bs-in-lms");
  }
})();
