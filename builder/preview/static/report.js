/*
 * Bon Sens preview: what the LMS will record, in words an HR person reads.
 *
 * The developer panels show the data model as the LMS stores it (cmi.* rows); HR wants what the
 * LMS's own report will show: the status in the LMS's words, the score and where it comes from,
 * the time spent, the objectives, and every answered question with its answers. This file turns
 * a data model into that summary (summarize), shows it on the page (render), and writes it as a
 * page to keep (html) and as a spreadsheet (csv) — all from the same summary, so they agree.
 */
(function (root) {
  "use strict";

  // ------------------------------------------------------------------ words for the statuses

  var STATUS_12 = {
    "passed": "Passed: the learner reached the passing score.",
    "failed": "Failed: the learner finished below the passing score.",
    "completed": "Completed: the learner went through the course (no pass mark applies).",
    "incomplete": "Incomplete: started, not finished yet — the LMS shows it as in progress.",
    "browsed": "Browsed: opened in browse mode, not tracked as an attempt.",
    "not attempted": "Not attempted: the learner has not started yet."
  };
  var COMPLETION_2004 = {
    "completed": "Completed: the learner went through all the content.",
    "incomplete": "Incomplete: started, not all the content seen yet.",
    "not attempted": "Not attempted: nothing seen yet.",
    "unknown": "Unknown: the course has not said yet — the LMS shows it as not started or in progress."
  };
  var SUCCESS_2004 = {
    "passed": "Passed: the learner reached the passing score.",
    "failed": "Failed: the learner is below the passing score.",
    "unknown": "Unknown: no scored test taken yet, so neither passed nor failed."
  };

  function lookup(table, value) { return table[value] || value; }

  // ------------------------------------------------------------------ reading the data model

  function number(value) {
    var parsed = Number(value);
    return value === undefined || value === "" || !isFinite(parsed) ? null : parsed;
  }

  /* Seconds in a SCORM 1.2 timespan (HHHH:MM:SS.SS) or a 2004 duration (PT1H2M3.4S). */
  function seconds(value) {
    if (!value) return null;
    var clock = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value);
    if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
    var iso = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
    if (!iso) return null;
    var parts = iso.slice(1).map(function (part) { return Number(part || 0); });
    return ((parts[0] * 365 + parts[1] * 30 + parts[2]) * 24 + parts[3]) * 3600 + parts[4] * 60 + parts[5];
  }

  /* "1 h 05 min", "12 min", "40 s": how long, as a report says it. */
  function spoken(total) {
    if (total === null) return "";
    var whole = Math.round(total);
    var hours = Math.floor(whole / 3600);
    var minutes = Math.floor((whole % 3600) / 60);
    if (hours) return hours + " h " + String(minutes).padStart(2, "0") + " min";
    if (minutes) return minutes + " min";
    return whole + " s";
  }

  /* A response pattern as an LMS report shows it: "a[,]b" -> "a, b", "a[.]x" -> "a → x". */
  function readable(pattern, standard, type) {
    if (pattern === undefined || pattern === null) return "";
    var text = String(pattern).replace(/^(\{(case_matters|order_matters|lang)=[^}]*\})+/, "");
    if (standard === "1.2") {
      // 1.2 has no delimiters of its own: commas and dots separate only in lists and pairs
      if (type === "matching") return text.replace(/,/g, ", ").replace(/\./g, " → ");
      if (type === "true-false") return { t: "true", f: "false", 1: "true", 0: "false" }[text] || text;
      return /^(choice|sequencing)$/.test(type) ? text.replace(/,/g, ", ") : text;
    }
    return text.replace(/\[,\]/g, ", ").replace(/\[\.\]/g, " → ").replace(/\[:\]/g, " to ");
  }

  function objectiveTitle(id, context) {
    if (id === "course-mastery") return "The whole course";
    var item = context.items && context.items["item-" + id];
    return item ? item.title : id;
  }

  function objectivesOf(standard, model, context) {
    var list = [];
    var count = Math.min(number(model["cmi.objectives._count"]) || 0, 1000);
    for (var i = 0; i < count; i += 1) {
      var prefix = "cmi.objectives." + i + ".";
      var id = model[prefix + "id"] || "";
      var status = standard === "1.2" ? model[prefix + "status"] || "" :
        [model[prefix + "completion_status"], model[prefix + "success_status"]].filter(Boolean).join(" / ");
      var raw = model[prefix + "score.raw"];
      var max = model[prefix + "score.max"];
      list.push({ id: id, title: objectiveTitle(id, context), status: status,
        score: raw === undefined || raw === "" ? "" : raw + (max ? " / " + max : "") });
    }
    return list;
  }

  function questionsOf(standard, model) {
    var list = [];
    var count = Math.min(number(model["cmi.interactions._count"]) || 0, 1000);
    for (var i = 0; i < count; i += 1) {
      var prefix = "cmi.interactions." + i + ".";
      var id = model[prefix + "id"] || "";
      var attempt = /_a(\d+)$/.exec(id);
      var type = model[prefix + "type"] || "";
      var patterns = [];
      var k = 0;
      while (model[prefix + "correct_responses." + k + ".pattern"] !== undefined) {
        patterns.push(readable(model[prefix + "correct_responses." + k + ".pattern"], standard, type));
        k += 1;
      }
      var result = model[prefix + "result"] || "";
      list.push({
        id: id,
        attempt: attempt ? Number(attempt[1]) : 1,
        text: model[prefix + "description"] || (standard === "1.2" ? "(not recorded in SCORM 1.2)" : ""),
        answer: readable(model[prefix + (standard === "1.2" ? "student_response" : "learner_response")], standard, type),
        correctAnswer: patterns.join(" or "),
        result: result === "correct" ? "correct" : result === "wrong" || result === "incorrect" ? "wrong" : result,
        weighting: model[prefix + "weighting"] || "",
        latency: spoken(seconds(model[prefix + "latency"])),
        time: model[prefix + (standard === "1.2" ? "time" : "timestamp")] || "",
        objective: model[prefix + "objectives.0.id"] || ""
      });
    }
    return list;
  }

  function scoreOf(standard, model, questions, context) {
    var raw = model[standard === "1.2" ? "cmi.core.score.raw" : "cmi.score.raw"];
    var max = model[standard === "1.2" ? "cmi.core.score.max" : "cmi.score.max"];
    var shown = raw === undefined || raw === "" ? "" : raw + " / " + (max || "100");
    var exam = /exam/i.test(context.itemId || "") || questions.some(function (q) { return !q.objective; });
    var source;
    if (!shown) {
      source = "No score yet. In Bon Sens packages the score is the final exam's (or, for a course without an exam, " +
        "the average of its module quizzes): passing a module quiz alone does not set it.";
    } else if (exam) {
      source = "From the final exam. Module quizzes do not count towards it.";
    } else {
      source = "The average of the module quizzes (no final exam counted in this package).";
    }
    return { value: shown, source: source };
  }

  function statusOf(standard, model) {
    if (standard === "1.2") {
      var status = model["cmi.core.lesson_status"] || "not attempted";
      return [{ label: "Status", value: status, meaning: lookup(STATUS_12, status) }];
    }
    var completion = model["cmi.completion_status"] || "unknown";
    var success = model["cmi.success_status"] || "unknown";
    return [
      { label: "Completion", value: completion, meaning: lookup(COMPLETION_2004, completion) },
      { label: "Success", value: success, meaning: lookup(SUCCESS_2004, success) }
    ];
  }

  /* Things that look wrong but are not, each with its one-line explanation. */
  function notesOf(standard, model, context) {
    var notes = [];
    if (standard !== "1.2" && (model["cmi.completion_status"] || "unknown") !== "completed" &&
        (model["cmi.success_status"] || "unknown") === "unknown") {
      notes.push("“" + (model["cmi.completion_status"] || "unknown") + " / unknown” is expected until the learner " +
        "finishes the course and takes the exam: SCORM 2004 records completion and success separately.");
    }
    var errors = context.errors || { total: 0, expected: 0 };
    if (errors.expected > 0) {
      notes.push(errors.expected + " of the API log's error(s) are expected: the course asks for values that do not " +
        "exist yet on a first launch (error 403, “not initialized”), which is how SCORM 2004 answers.");
    }
    if (errors.total > errors.expected) {
      notes.push((errors.total - errors.expected) + " error(s) that are not expected: see the API calls below.");
    }
    return notes;
  }

  /* Everything the LMS will record for one SCO, in words. */
  function summarize(standard, model, context) {
    model = model || {};
    context = context || {};
    var is12 = standard === "1.2";
    var questions = questionsOf(standard, model);
    var total = seconds(model[is12 ? "cmi.core.total_time" : "cmi.total_time"]);
    var session = seconds(model[is12 ? "cmi.core.session_time" : "cmi.session_time"]);
    return {
      title: context.title || "",
      course: context.course || "",
      package: context.package || "",
      standard: "SCORM " + standard,
      exported: context.exported || "",
      learner: model[is12 ? "cmi.core.student_name" : "cmi.learner_name"] || "",
      status: statusOf(standard, model),
      score: scoreOf(standard, model, questions, context),
      // The LMS adds the session to the total when the session ends; until then, add it here.
      time: { total: spoken((total || 0) + (context.sessionOpen ? session || 0 : 0)), session: spoken(session) },
      objectives: objectivesOf(standard, model, context),
      questions: questions,
      notes: notesOf(standard, model, context)
    };
  }

  // ------------------------------------------------------------------ on the page

  var QUESTION_COLUMNS = [
    ["Question", function (q) { return q.text; }],
    ["Learner's answer", function (q) { return q.answer; }],
    ["Right answer", function (q) { return q.correctAnswer; }],
    ["Result", function (q) { return q.result; }],
    ["Weight", function (q) { return q.weighting; }],
    ["Attempt", function (q) { return String(q.attempt); }],
    ["Question id", function (q) { return q.id; }]
  ];
  var OBJECTIVE_COLUMNS = [
    ["Objective", function (o) { return o.title; }],
    ["Status", function (o) { return o.status; }],
    ["Score", function (o) { return o.score; }]
  ];

  function node(tag, className, text) {
    var made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  function domTable(columns, rows, caption, rowClass) {
    var table = node("table", "summary-table");
    table.appendChild(node("caption", "", caption));
    var head = table.createTHead().insertRow();
    columns.forEach(function (column) {
      var th = node("th", "", column[0]);
      th.scope = "col";
      head.appendChild(th);
    });
    var body = table.createTBody();
    rows.forEach(function (row) {
      var tr = body.insertRow();
      if (rowClass) tr.className = rowClass(row);
      columns.forEach(function (column) { tr.insertCell().textContent = column[1](row); });
    });
    return table;
  }

  function facts(data) {
    var list = data.status.map(function (s) { return [s.label, s.value, s.meaning]; });
    list.push(["Score", data.score.value || "none yet", data.score.source]);
    list.push(["Time spent", data.time.total, "Every session added up" +
      (data.time.session ? ", this one " + data.time.session + " so far." : ".")]);
    list.push(["Questions answered", String(data.questions.length),
      data.questions.filter(function (q) { return q.result === "correct"; }).length + " correct, every attempt kept."]);
    return list;
  }

  /* Show the summary in the page's container (everything as text: nothing from the SCO is markup). */
  function render(container, data) {
    container.textContent = "";
    var list = node("dl", "facts");
    facts(data).forEach(function (fact) {
      var wrap = node("div", "fact");
      wrap.appendChild(node("dt", "", fact[0]));
      var value = node("dd", "");
      value.appendChild(node("strong", "", fact[1]));
      value.appendChild(node("span", "meaning", " " + fact[2]));
      wrap.appendChild(value);
      list.appendChild(wrap);
    });
    container.appendChild(list);
    if (data.notes.length) {
      var notes = node("ul", "expected");
      data.notes.forEach(function (text) { notes.appendChild(node("li", "", text)); });
      container.appendChild(notes);
    }
    if (data.objectives.length) {
      container.appendChild(domTable(OBJECTIVE_COLUMNS, data.objectives, "Objectives (per module)"));
    }
    var questions = domTable(QUESTION_COLUMNS, data.questions, "Answered questions (" + data.questions.length + ")",
      function (q) { return "result-" + q.result; });
    questions.id = "summary-questions";
    if (!data.questions.length) {
      var empty = questions.tBodies[0].insertRow().insertCell();
      empty.colSpan = QUESTION_COLUMNS.length;
      empty.textContent = "No question answered yet: the LMS records each answer when a quiz is submitted.";
    }
    container.appendChild(questions);
  }

  // ------------------------------------------------------------------ a page to keep

  function escape(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function htmlTable(columns, rows, caption) {
    var head = columns.map(function (c) { return "<th scope=\"col\">" + escape(c[0]) + "</th>"; }).join("");
    var body = rows.map(function (row) {
      return "<tr>" + columns.map(function (c) { return "<td>" + escape(c[1](row)) + "</td>"; }).join("") + "</tr>";
    }).join("\n");
    return "<table>\n<caption>" + escape(caption) + "</caption>\n<thead><tr>" + head + "</tr></thead>\n<tbody>\n" +
      body + "\n</tbody>\n</table>\n";
  }

  /* A self-contained, printable page: no script, nothing loaded from anywhere. */
  function html(data) {
    var heading = "What the LMS will record: " + (data.title || data.course);
    var parts = [
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(heading) + "</title>\n",
      "<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2330}table{border-collapse:collapse;" +
        "width:100%;margin:1rem 0}th,td{border:1px solid #b8bec8;padding:.3rem .5rem;text-align:left;" +
        "vertical-align:top}caption{text-align:left;font-weight:600;padding:.3rem 0}dt{font-weight:600}" +
        "dd{margin:0 0 .5rem}@media print{body{margin:0}}</style>\n</head>\n<body>\n",
      "<h1>" + escape(heading) + "</h1>\n",
      "<p>" + escape([data.package, data.standard, data.learner && "learner: " + data.learner,
        data.exported && "exported " + data.exported].filter(Boolean).join(" · ")) + "</p>\n<dl>\n"
    ];
    facts(data).forEach(function (fact) {
      parts.push("<dt>" + escape(fact[0]) + "</dt><dd><strong>" + escape(fact[1]) + "</strong> " + escape(fact[2]) +
        "</dd>\n");
    });
    parts.push("</dl>\n");
    if (data.notes.length) {
      parts.push("<ul>\n" + data.notes.map(function (t) { return "<li>" + escape(t) + "</li>"; }).join("\n") + "\n</ul>\n");
    }
    if (data.objectives.length) parts.push(htmlTable(OBJECTIVE_COLUMNS, data.objectives, "Objectives (per module)"));
    parts.push(htmlTable(QUESTION_COLUMNS, data.questions, "Answered questions (" + data.questions.length + ")"));
    parts.push("<p>Made by the Bon Sens preview, a local test LMS: compare with your LMS's own report.</p>\n" +
      "</body>\n</html>\n");
    return parts.join("");
  }

  // ------------------------------------------------------------------ a spreadsheet

  var CSV_COLUMNS = [
    ["question id", function (q) { return q.id; }],
    ["question text", function (q) { return q.text; }],
    ["learner answer", function (q) { return q.answer; }],
    ["correct answer", function (q) { return q.correctAnswer; }],
    ["result", function (q) { return q.result; }],
    ["weighting", function (q) { return q.weighting; }],
    ["latency", function (q) { return q.latency; }],
    ["time", function (q) { return q.time; }]
  ];

  /* RFC 4180: every field quoted, quotes doubled, CRLF line ends. */
  function csvField(value) { return "\"" + String(value).replace(/"/g, "\"\"") + "\""; }

  /* One row per answered question; a byte order mark first, so that Excel reads the accents right. */
  function csv(data) {
    var lines = [CSV_COLUMNS.map(function (c) { return csvField(c[0]); }).join(",")];
    data.questions.forEach(function (q) {
      lines.push(CSV_COLUMNS.map(function (c) { return csvField(c[1](q)); }).join(","));
    });
    return "\uFEFF" + lines.join("\r\n") + "\r\n";
  }

  root.BonSensReport = { summarize: summarize, render: render, html: html, csv: csv, seconds: seconds };
})(window);
