/*
 * A test LMS around scorm-again: it creates the real SCORM runtime for the standard under test,
 * exposes it where a SCO looks for it (window.API or window.API_1484_11), launches one SCO in a
 * frame and records every API call (with scorm-again's own error code after it) and every commit
 * (a JSON snapshot of cmi). A test drives it with page.evaluate:
 *
 *   LMS.launch({standard: "1.2"|"2004", url, cmi, noApi, mastery, mode, apiDelay})
 *                                start a session (cmi: data to preload, else a first launch's;
 *                                mode: "browse"/"review"; apiDelay: ms before the API appears)
 *   LMS.setFailing(true|false)   make commits fail (and succeed again)
 *   LMS.close()                  remove the SCO's frame, as an LMS closing the player does
 *   LMS.blank()                  navigate the SCO's frame away (about:blank)
 *   LMS.nextLaunchData()         what an LMS hands the next session: the committed data model,
 *                                entry "resume" after exit "suspend"
 *   LMS.calls, LMS.commits       the records
 */
(function () {
  "use strict";

  const API_METHODS = {
    "1.2": ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError",
      "LMSGetErrorString", "LMSGetDiagnostic"],
    "2004": ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError", "GetErrorString",
      "GetDiagnostic"],
  };

  const LMS = {
    standard: null,
    api: null,
    calls: [],
    commits: [],
    failing: false,
    frame: null,

    launch(options) {
      const standard = options.standard;
      this.standard = standard;
      this.calls = [];
      this.commits = [];
      this.failing = false;
      delete window.API;
      delete window.API_1484_11;
      if (!options.noApi) {
        const settings = {
          logLevel: 5,
          autocommit: false,
          lmsCommitUrl: "/lms/commit", // never fetched: the http service below stands for the server
          httpService: this.httpService(standard),
        };
        const api = standard === "2004" ? new Scorm2004API(settings) : new Scorm12API(settings);
        const data = options.cmi || this.firstLaunchData(standard, options.mastery);
        if (options.mode !== undefined) {
          if (standard === "2004") data.mode = options.mode;
          else data.core.lesson_mode = options.mode;
        }
        api.loadFromJSON(data);
        this.api = api;
        const facade = this.record(api, API_METHODS[standard]);
        const expose = () => {
          if (standard === "2004") window.API_1484_11 = facade;
          else window.API = facade;
        };
        if (options.apiDelay) setTimeout(expose, options.apiDelay); // an LMS slow to set up its API
        else expose();
      }
      const frame = document.createElement("iframe");
      frame.id = "sco";
      frame.title = "SCO";
      document.getElementById("holder").replaceChildren(frame);
      this.frame = frame;
      frame.src = options.url;
    },

    firstLaunchData(standard, mastery) {
      if (standard === "2004") {
        const data = { learner_id: "learner-1", learner_name: "Doe, Alex", entry: "ab-initio", mode: "normal",
          credit: "credit" };
        if (typeof mastery === "number") data.scaled_passing_score = String(mastery / 100);
        return data;
      }
      const data = { core: { student_id: "learner-1", student_name: "Doe, Alex", entry: "ab-initio",
        lesson_status: "not attempted", lesson_mode: "normal", credit: "credit" } };
      if (typeof mastery === "number") data.student_data = { mastery_score: String(mastery) };
      return data;
    },

    /* The next launch's data model, from the last successful commit of this one. */
    nextLaunchData(mastery) {
      const saved = this.lastCmi();
      const data = this.firstLaunchData(this.standard, mastery);
      if (!saved) return data;
      if (this.standard === "2004") {
        ["location", "suspend_data", "completion_status", "success_status", "progress_measure", "score",
          "objectives", "interactions", "total_time"].forEach((key) => {
          if (saved[key] !== undefined && saved[key] !== "") data[key] = saved[key];
        });
        data.entry = saved.exit === "suspend" ? "resume" : "";
      } else {
        data.core.lesson_location = saved.core.lesson_location;
        data.core.lesson_status = saved.core.lesson_status;
        data.core.score = saved.core.score;
        data.core.total_time = saved.core.total_time;
        data.core.entry = saved.core.exit === "suspend" ? "resume" : "";
        data.suspend_data = saved.suspend_data;
        data.objectives = saved.objectives;
        data.interactions = saved.interactions;
      }
      return data;
    },

    lastCmi() {
      for (let i = this.commits.length - 1; i >= 0; i--) {
        if (this.commits[i].ok) return this.commits[i].cmi;
      }
      return null;
    },

    setFailing(value) {
      this.failing = !!value;
    },

    close() {
      if (this.frame) this.frame.remove();
      this.frame = null;
    },

    blank() {
      if (this.frame) this.frame.src = "about:blank";
    },

    httpService(standard) {
      const lms = this;
      return {
        processHttpRequest(url, params, immediate) {
          const snapshot = JSON.parse(JSON.stringify(params));
          const ok = !lms.failing;
          lms.commits.push({ ok: ok, terminate: !!immediate, cmi: snapshot.cmi, at: Date.now() });
          if (ok) return { result: true, errorCode: 0 };
          return { result: false, errorCode: standard === "2004" ? 391 : 101 };
        },
        updateSettings() {},
      };
    },

    record(api, methods) {
      const lms = this;
      const facade = {};
      methods.forEach((name) => {
        facade[name] = function () {
          const args = Array.prototype.slice.call(arguments).map(String);
          const result = api[name].apply(api, arguments);
          lms.calls.push({ fn: name, args: args, result: String(result), error: String(api.lastErrorCode),
            at: Date.now() });
          return result;
        };
      });
      return facade;
    },
  };

  window.LMS = LMS;
})();
