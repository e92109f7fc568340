/*
 * Bon Sens preview: the relay, on the package's origin, between the preview page and the SCO.
 *
 * A SCO looks for its LMS on a parent window (window.API or window.API_1484_11), which must be
 * of its own origin. The preview page is of another origin, so that the package cannot touch
 * it; this page, of the package's origin, frames the SCO and holds a copy of the strict LMS
 * (lms-api.js) to answer each call at once. It forwards every call to the preview page, which
 * replays it on its own LMS: that one is what the preview shows and saves, whatever the package
 * does to this page.
 *
 * The preview page drives the relay with messages, each answered {bonsens: "ack", seq}:
 *   {bonsens: "begin", seq, standard, items, model, item, url}  a new session; url: the SCO to load
 *   {bonsens: "unload", seq}  unload the SCO (its unload handlers still reach the API)
 * and hears {bonsens: "call", method, args} for every API call.
 */
(function () {
  "use strict";

  var MAX_ARGUMENTS = 4;
  var UNLOAD_WAIT = 3000;

  var LMS = window.BonSensLMS;
  var frame = document.getElementById("sco");
  var lms = null;
  var page = null; // the preview page's origin, from its first message

  function send(message) {
    if (page) window.parent.postMessage(message, page);
  }

  /* An argument as both LMS copies will see it: a primitive as it is, anything else as text. */
  function plain(value) {
    var kind = typeof value;
    if (value === null || kind === "undefined" || kind === "string" || kind === "number" || kind === "boolean") {
      return value;
    }
    try {
      return String(value);
    } catch (e) {
      return "";
    }
  }

  /* The API the SCO finds on this window: the local LMS answers, the preview page is told. */
  function forwardingBinding(local) {
    var api = {};
    local.methods.forEach(function (name) {
      api[name] = function () {
        var args = Array.prototype.slice.call(arguments, 0, MAX_ARGUMENTS).map(plain);
        var result = local.binding[name].apply(null, args);
        send({ bonsens: "call", method: name, args: args });
        return result;
      };
    });
    api.version = local.binding.version;
    return api;
  }

  function begin(message) {
    if (!lms || lms.standard !== message.standard) {
      lms = LMS.create(message.standard, {}, { items: message.items || [] });
      window[message.standard === "1.2" ? "API" : "API_1484_11"] = forwardingBinding(lms);
    }
    lms.end();
    lms.begin(message.model, message.item);
    if (typeof message.url === "string" && message.url.indexOf("/package/") === 0) frame.src = message.url;
    send({ bonsens: "ack", seq: message.seq });
  }

  function unload(seq) {
    var done = false;
    function finish() {
      if (done) return;
      done = true;
      frame.removeEventListener("load", finish);
      send({ bonsens: "ack", seq: seq });
    }
    frame.addEventListener("load", finish);
    frame.src = "about:blank"; // the SCO's unload handlers run now, while its session is still current
    setTimeout(finish, UNLOAD_WAIT);
  }

  window.addEventListener("message", function (event) {
    var message = event.data;
    if (event.source !== window.parent || !message || typeof message !== "object") return;
    if (page === null) page = event.origin;
    if (event.origin !== page) return;
    if (message.bonsens === "begin") begin(message);
    else if (message.bonsens === "unload") unload(message.seq);
  });
})();
