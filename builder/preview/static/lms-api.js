/*
 * Bon Sens preview: a strict LMS API for SCORM 1.2 (window.API) and SCORM 2004 (window.API_1484_11).
 *
 * A real LMS forgives a lot; this one does not. Every call is checked the way the run-time
 * references say (SCORM 1.2 RTE chapter 3, SCORM 2004 4th edition RTE chapter 4): session state,
 * element names, array indexes, read-only and write-only elements, vocabularies, formats and
 * lengths. A call that breaks a rule returns what the standard says ("false" or "") and sets the
 * standard's error code; GetDiagnostic tells exactly what was wrong.
 *
 * No dependency, no DOM: the preview page (preview.js) creates one LMS per standard with
 * BonSensLMS.create(standard, hooks), gives it a SCO's data model with begin(), and hears every
 * call through hooks.onCall; the relay page beside the SCO (relay.js) holds a second one, whose
 * lms.binding it exposes as window.API or window.API_1484_11, and forwards every call to the
 * page, which replays it on its own. Same code, same calls: the same answers.
 *
 * The data model is a flat object: element name -> string, e.g. "cmi.core.lesson_status",
 * "cmi.interactions.0.id", "cmi.interactions._count". What the LMS sets (learner, credit,
 * entry, mastery score from the manifest…) is in it from the start; what the SCO sets is added.
 */
(function (root) {
  "use strict";

  // ------------------------------------------------------------------ error codes

  var ERRORS_12 = {
    0: "No error",
    101: "General exception",
    201: "Invalid argument error",
    202: "Element cannot have children",
    203: "Element not an array - cannot have count",
    301: "Not initialized",
    401: "Not implemented error",
    402: "Invalid set value, element is a keyword",
    403: "Element is read only",
    404: "Element is write only",
    405: "Incorrect data type"
  };

  var ERRORS_2004 = {
    0: "No Error",
    101: "General Exception",
    102: "General Initialization Failure",
    103: "Already Initialized",
    104: "Content Instance Terminated",
    111: "General Termination Failure",
    112: "Termination Before Initialization",
    113: "Termination After Termination",
    122: "Retrieve Data Before Initialization",
    123: "Retrieve Data After Termination",
    132: "Store Data Before Initialization",
    133: "Store Data After Termination",
    142: "Commit Before Initialization",
    143: "Commit After Termination",
    201: "General Argument Error",
    301: "General Get Failure",
    351: "General Set Failure",
    391: "General Commit Failure",
    401: "Undefined Data Model Element",
    402: "Unimplemented Data Model Element",
    403: "Data Model Element Value Not Initialized",
    404: "Data Model Element Is Read Only",
    405: "Data Model Element Is Write Only",
    406: "Data Model Element Type Mismatch",
    407: "Data Model Element Value Out Of Range",
    408: "Data Model Dependency Not Established"
  };

  // What each kind of failure is called in each standard.
  var CODES = {
    "1.2": {
      initialized: 101, terminated: 101, notInitialized: 301, terminateBeforeInit: 301,
      getBeforeInit: 301, getAfterTerm: 101, setBeforeInit: 301, setAfterTerm: 101,
      commitBeforeInit: 301, commitAfterTerm: 101, reinitialize: 101, argument: 201,
      undefinedElement: 201, unimplemented: 401, noChildren: 202, noCount: 203,
      keyword: 402, readOnly: 403, writeOnly: 404, type: 405, range: 405,
      getIndex: 201, setIndex: 201, dependency: 201, setFailure: 101, emptyGet: 201, emptySet: 201,
      notSet: 0
    },
    "2004": {
      initialized: 103, terminated: 104, terminateBeforeInit: 112, terminateAfterTerm: 113,
      getBeforeInit: 122, getAfterTerm: 123, setBeforeInit: 132, setAfterTerm: 133,
      commitBeforeInit: 142, commitAfterTerm: 143, reinitialize: 104, argument: 201,
      undefinedElement: 401, unimplemented: 402, noChildren: 301, noCount: 301,
      keyword: 404, readOnly: 404, writeOnly: 405, type: 406, range: 407,
      getIndex: 301, setIndex: 351, dependency: 408, setFailure: 351, emptyGet: 301, emptySet: 351,
      notSet: 403
    }
  };

  // ------------------------------------------------------------------ value checks
  // A check returns null when the value is right, or [kind, diagnostic] with kind "type" or "range".

  function typeError(message) { return ["type", message]; }

  function quote(text) { return "\"" + text + "\""; }

  function shown(value) {
    return value.length > 60 ? quote(value.slice(0, 57) + "…") + " (" + value.length + " characters)" : quote(value);
  }

  function vocabulary(words) {
    return function (value) {
      if (words.indexOf(value) >= 0) return null;
      return typeError(shown(value) + " is not in the vocabulary: " + words.map(quote).join(", "));
    };
  }

  function maxLength(limit, what) {
    return function (value) {
      if (value.length <= limit) return null;
      return typeError("the value has " + value.length + " characters; " + what + " holds at most " +
        limit.toLocaleString("en") + " (the smallest maximum every LMS must keep)");
    };
  }

  function matches(regex, description) {
    return function (value) { return regex.test(value) ? null : typeError(shown(value) + " is not " + description); };
  }

  function all() {
    var checks = Array.prototype.slice.call(arguments);
    return function (value, context) {
      for (var i = 0; i < checks.length; i += 1) {
        var failure = checks[i](value, context);
        if (failure) return failure;
      }
      return null;
    };
  }

  // -- SCORM 1.2 formats (RTE 3.4.2 data types)
  var RE12 = {
    identifier: /^[\x21-\x7E]{1,255}$/,
    timespan: /^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$/,
    time: /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$/,
    decimal: /^-?(\d+(\.\d*)?|\.\d+)$/,
    sinteger: /^-?\d+$/
  };

  var identifier12 = matches(RE12.identifier, "a CMIIdentifier (1 to 255 printable characters, no space)");
  var timespan12 = matches(RE12.timespan, "a CMITimespan: HHHH:MM:SS.SS (2 to 4 digits of hours, e.g. 0000:12:30.5)");
  var time12 = matches(RE12.time, "a CMITime: HH:MM:SS.SS (e.g. 14:05:30)");
  var decimal12 = matches(RE12.decimal, "a CMIDecimal (a number such as 85 or 72.5)");

  function decimalIn12(low, high, blankAllowed) {
    return function (value) {
      if (value === "" && blankAllowed) return null;
      if (!RE12.decimal.test(value)) return typeError(shown(value) + " is not a CMIDecimal (a number such as 85 or 72.5)");
      var number = Number(value);
      if (number < low || number > high) return ["range", value + " is out of range: " + low + " to " + high];
      return null;
    };
  }

  function sintegerIn12(low, high) {
    return function (value) {
      if (!RE12.sinteger.test(value)) return typeError(shown(value) + " is not a CMISInteger (a whole number)");
      var number = Number(value);
      if (number < low || number > high) return ["range", value + " is out of range: " + low + " to " + high];
      return null;
    };
  }

  var STATUS_12 = ["passed", "completed", "failed", "incomplete", "browsed"];
  var TYPES_12 = ["true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric"];
  var RESULTS_12 = ["correct", "wrong", "unanticipated", "neutral"];

  // cmi.interactions.n.student_response and correct_responses.n.pattern, by interaction type (RTE 3.4.2.7)
  var RESPONSE_12 = {
    "true-false": matches(/^[01tf]$/, "a true-false response: 0, 1, t or f"),
    choice: matches(/^$|^[0-9a-z](,[0-9a-z])*$|^\{[0-9a-z](,[0-9a-z])*\}$/,
      "a choice response: single characters 0-9 a-z separated by commas, e.g. a,c"),
    "fill-in": maxLength(255, "a fill-in response"),
    numeric: decimal12,
    likert: matches(/^[0-9a-z]?$/, "a likert response: one character 0-9 a-z"),
    matching: matches(/^[0-9a-z]\.[0-9a-z](,[0-9a-z]\.[0-9a-z])*$|^\{[0-9a-z]\.[0-9a-z](,[0-9a-z]\.[0-9a-z])*\}$/,
      "a matching response: pairs source.target of single characters separated by commas, e.g. 1.a,2.c"),
    performance: maxLength(255, "a performance response"),
    sequencing: matches(/^[0-9a-z](,[0-9a-z])*$/, "a sequencing response: single characters separated by commas, e.g. c,a,b")
  };

  function response12(value, context) {
    var type = context.model["cmi.interactions." + context.indices[0] + ".type"];
    var tooLong = maxLength(255, "a CMIFeedback")(value);
    if (tooLong) return tooLong;
    return RESPONSE_12[type] ? RESPONSE_12[type](value) : null;
  }

  function result12(value) {
    if (RESULTS_12.indexOf(value) >= 0 || RE12.decimal.test(value)) return null;
    return typeError(shown(value) + " is not a result: " + RESULTS_12.map(quote).join(", ") + " or a number");
  }

  function comments12(value, context) {
    var total = (context.model["cmi.comments"] || "").length + value.length;
    if (total <= 4096) return null;
    return typeError("cmi.comments would hold " + total + " characters (each set adds to it); the limit is 4,096");
  }

  // -- SCORM 2004 formats (RTE 4.1.1 data types)
  var RE2004 = {
    real: /^-?(\d+(\.\d*)?|\.\d+)$/,
    // timeinterval (second,10,2): P[yY][mM][dD][T[hH][mM][s[.s]S]], no weeks, hundredths of a second at most
    duration: /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,2})?)S)?)?$/,
    // time (second,10,0): YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]], years 1970-2038 (ADL's conformance pattern)
    time: /^(19[7-9]\d|20[0-2]\d|203[0-8])((-(0[1-9]|1[0-2]))((-(0[1-9]|[12]\d|3[01]))(T([01]\d|2[0-3])((:[0-5]\d)((:[0-5]\d)((\.\d{1,2})((Z|([+-]([01]\d|2[0-3])))(:[0-5]\d)?)?)?)?)?)?)?)?$/,
    shortIdentifier: /^(?=.*\w)[\w\-()+.:=@;$!*'%/#]{1,250}$/,
    language: /^$|^([A-Za-z]{2,3}|[iIxX])(-[A-Za-z0-9]{1,8})*$/,
    langPrefix: /^\{lang=([^}]*)\}/
  };

  function real2004(low, high) {
    return function (value) {
      if (!RE2004.real.test(value)) return typeError(shown(value) + " is not a real number (e.g. 0.85)");
      var number = Number(value);
      if ((low !== null && number < low) || (high !== null && number > high)) {
        return ["range", value + " is out of range: " + (low === null ? "" : low) + " to " + (high === null ? "" : high)];
      }
      return null;
    };
  }

  var real = real2004(null, null);

  function duration2004(value) {
    if (RE2004.duration.test(value) && value !== "P" && value.slice(-1) !== "T") return null;
    return typeError(shown(value) + " is not a timeinterval: ISO 8601 duration such as PT1H2M3.5S " +
      "(P, then [nY][nM][nD], then T[nH][nM][n.nnS]; at most 2 decimals of seconds)");
  }

  function time2004(value) {
    if (RE2004.time.test(value)) return null;
    var hint = /\.\d{3,}/.test(value) ? "; Date.toISOString() gives 3 decimals: keep 2" : "";
    return typeError(shown(value) + " is not a time (second,10,0): YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]], " +
      "e.g. 2024-05-01T14:05:30.5Z (year 1970-2038, at most 2 decimals of seconds" + hint + ")");
  }

  function longIdentifier(value) {
    if (!value.length) return typeError("an identifier cannot be empty");
    if (value.length > 4000) return typeError("the identifier has " + value.length + " characters; at most 4,000");
    if (/\s/.test(value)) return typeError(shown(value) + " is not a long_identifier_type: no spaces allowed (a URI)");
    if (/^urn:/i.test(value) && !/^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$/i.test(value)) {
      return typeError(shown(value) + " is not a valid URN (urn:NID:NSS)");
    }
    return null;
  }

  function shortIdentifier(value) {
    if (RE2004.shortIdentifier.test(value)) return null;
    return typeError(shown(value) + " is not a short_identifier_type (1 to 250 of letters, digits and - ( ) + . : = @ ; $ _ ! * ' % / #)");
  }

  function language2004(value) {
    return RE2004.language.test(value) ? null : typeError(shown(value) + " is not a language code such as en or fr-CA");
  }

  function localized(limit) {
    return function (value) {
      var text = value;
      var prefix = RE2004.langPrefix.exec(value);
      if (prefix) {
        if (!prefix[1] || language2004(prefix[1])) return typeError(quote(prefix[0]) + " is not a valid {lang=...} delimiter");
        text = value.slice(prefix[0].length);
      }
      if (text.length > limit) {
        return typeError("the text has " + text.length + " characters; a localized_string_type(" + limit +
          ") holds at most " + limit.toLocaleString("en") + " (the smallest maximum every LMS must keep)");
      }
      return null;
    };
  }

  var characterstring = function (limit) { return maxLength(limit, "a characterstring(" + limit + ")"); };

  var COMPLETION_2004 = ["completed", "incomplete", "not attempted", "unknown"];
  var SUCCESS_2004 = ["passed", "failed", "unknown"];
  var EXIT_2004 = ["time-out", "suspend", "logout", "normal", ""];
  var TYPES_2004 = ["true-false", "choice", "fill-in", "long-fill-in", "likert", "matching", "performance",
    "sequencing", "numeric", "other"];
  var RESULTS_2004 = ["correct", "incorrect", "unanticipated", "neutral"];
  var NAV_2004 = ["continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll", "_none_"];

  function result2004(value) {
    if (RESULTS_2004.indexOf(value) >= 0 || RE2004.real.test(value)) return null;
    return typeError(shown(value) + " is not a result: " + RESULTS_2004.map(quote).join(", ") + " or a real number");
  }

  function navRequest(value) {
    if (NAV_2004.indexOf(value) >= 0 || /^\{target=[^}\s]+\}(choice|jump)$/.test(value)) return null;
    return typeError(shown(value) + " is not a navigation request: " + NAV_2004.map(quote).join(", ") +
      ", {target=ID}choice or {target=ID}jump");
  }

  // Learner responses and correct-response patterns (RTE 4.1.6.1.x): "[,]" between parts, "[.]" in pairs.
  function parts(value, delimiter) { return value.split(delimiter); }

  function leadingFlags(value, allowed) {
    var rest = value;
    var match;
    while ((match = /^\{(case_matters|order_matters)=([^}]*)\}/.exec(rest))) {
      if (allowed.indexOf(match[1]) < 0) return { error: quote(match[0]) + " is not allowed here" };
      if (match[2] !== "true" && match[2] !== "false") return { error: quote(match[0]) + " must be =true or =false" };
      rest = rest.slice(match[0].length);
    }
    return { rest: rest };
  }

  function listOf(check, limit, unique, label) {
    return function (value) {
      if (value === "") return null;
      var items = parts(value, "[,]");
      if (items.length > limit) return typeError(label + " holds at most " + limit + " parts; this one has " + items.length);
      var seen = Object.create(null); // "constructor" is an identifier like any other
      for (var i = 0; i < items.length; i += 1) {
        var failure = check(items[i]);
        if (failure) return typeError("part " + (i + 1) + " of " + label + ": " + failure[1]);
        if (unique && seen[items[i]]) return typeError(label + " repeats " + quote(items[i]) + "; each identifier may appear once");
        seen[items[i]] = true;
      }
      return null;
    };
  }

  function pairOf(first, second, label) {
    return function (part) {
      var halves = parts(part, "[.]");
      if (halves.length !== 2) return typeError(quote(part) + " is not a " + label + " pair: source[.]target");
      return first(halves[0]) || second(halves[1]);
    };
  }

  function optionalShort(value) { return value === "" ? null : shortIdentifier(value); }

  function stepAnswer(allowRange) {
    return function (value) {
      if (value === "") return null;
      if (allowRange && /^(-?(\d+(\.\d+)?))?\[:\](-?(\d+(\.\d+)?))?$/.test(value)) return null;
      if (/\[[,.:]\]/.test(value)) return typeError(quote(value) + " contains a reserved delimiter");
      return maxLength(250, "a step answer")(value);
    };
  }

  function numericRange(value) {
    var bounds = parts(value, "[:]");
    if (bounds.length > 2) return typeError(shown(value) + " is not a numeric range: min[:]max");
    for (var i = 0; i < bounds.length; i += 1) {
      if (bounds[i] !== "" && !RE2004.real.test(bounds[i])) return typeError(quote(bounds[i]) + " is not a real number");
    }
    if (bounds.length === 2 && bounds[0] !== "" && bounds[1] !== "" && Number(bounds[0]) > Number(bounds[1])) {
      return typeError("the range " + shown(value) + " has its minimum above its maximum");
    }
    return null;
  }

  var TRUE_FALSE = matches(/^(true|false)$/, "a true-false response: true or false");

  var RESPONSE_2004 = {
    "true-false": TRUE_FALSE,
    choice: listOf(shortIdentifier, 36, true, "a choice response"),
    "fill-in": listOf(localized(250), 10, false, "a fill-in response"),
    "long-fill-in": localized(4000),
    likert: shortIdentifier,
    matching: listOf(pairOf(shortIdentifier, shortIdentifier, "matching"), 36, false, "a matching response"),
    performance: listOf(pairOf(optionalShort, stepAnswer(false), "performance"), 250, false, "a performance response"),
    sequencing: listOf(shortIdentifier, 36, false, "a sequencing response"),
    numeric: real,
    other: characterstring(4000)
  };

  var PATTERN_2004 = {
    "true-false": TRUE_FALSE,
    choice: RESPONSE_2004.choice,
    "fill-in": withFlags(["case_matters", "order_matters"], RESPONSE_2004["fill-in"]),
    "long-fill-in": withFlags(["case_matters"], RESPONSE_2004["long-fill-in"]),
    likert: shortIdentifier,
    matching: RESPONSE_2004.matching,
    performance: withFlags(["order_matters"],
      listOf(pairOf(optionalShort, stepAnswer(true), "performance"), 250, false, "a performance pattern")),
    sequencing: RESPONSE_2004.sequencing,
    numeric: numericRange,
    other: characterstring(4000)
  };

  function withFlags(allowed, check) {
    return function (value) {
      var flags = leadingFlags(value, allowed);
      return flags.error ? typeError(flags.error) : check(flags.rest);
    };
  }

  function interactionType(context) {
    return context.model["cmi.interactions." + context.indices[0] + ".type"];
  }

  function learnerResponse(value, context) {
    return RESPONSE_2004[interactionType(context)](value);
  }

  function correctPattern(value, context) {
    return PATTERN_2004[interactionType(context)](value);
  }

  // ------------------------------------------------------------------ data models
  // access: r (LMS sets, SCO reads), w (SCO writes, cannot read), rw. check: the value's format.

  var DM12 = {
    version: "3.4",
    children: {
      "cmi": "core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions",
      "cmi.core": "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
      "cmi.core.score": "raw,min,max",
      "cmi.objectives": "id,score,status",
      "cmi.objectives.n.score": "raw,min,max",
      "cmi.student_data": "mastery_score,max_time_allowed,time_limit_action",
      "cmi.student_preference": "audio,language,speed,text",
      "cmi.interactions": "id,objectives,time,type,correct_responses,weighting,student_response,result,latency"
    },
    arrays: ["cmi.objectives", "cmi.interactions", "cmi.interactions.n.objectives", "cmi.interactions.n.correct_responses"],
    elements: {
      "cmi.core.student_id": { access: "r" },
      "cmi.core.student_name": { access: "r" },
      "cmi.core.lesson_location": { access: "rw", check: maxLength(255, "a CMIString255") },
      "cmi.core.credit": { access: "r" },
      "cmi.core.lesson_status": { access: "rw", check: vocabulary(STATUS_12) },
      "cmi.core.entry": { access: "r" },
      "cmi.core.score.raw": { access: "rw", check: decimalIn12(0, 100, true) },
      "cmi.core.score.min": { access: "rw", check: decimalIn12(0, 100, true) },
      "cmi.core.score.max": { access: "rw", check: decimalIn12(0, 100, true) },
      "cmi.core.total_time": { access: "r" },
      "cmi.core.lesson_mode": { access: "r" },
      "cmi.core.exit": { access: "w", check: vocabulary(["time-out", "suspend", "logout", ""]) },
      "cmi.core.session_time": { access: "w", check: timespan12 },
      "cmi.suspend_data": { access: "rw", check: maxLength(4096, "cmi.suspend_data (CMIString4096)") },
      "cmi.launch_data": { access: "r" },
      "cmi.comments": { access: "rw", check: comments12 },
      "cmi.comments_from_lms": { access: "r" },
      "cmi.objectives.n.id": { access: "rw", check: identifier12 },
      "cmi.objectives.n.score.raw": { access: "rw", check: decimalIn12(0, 100, true) },
      "cmi.objectives.n.score.min": { access: "rw", check: decimalIn12(0, 100, true) },
      "cmi.objectives.n.score.max": { access: "rw", check: decimalIn12(0, 100, true) },
      "cmi.objectives.n.status": { access: "rw", check: vocabulary(STATUS_12.concat(["not attempted"])) },
      "cmi.student_data.mastery_score": { access: "r" },
      "cmi.student_data.max_time_allowed": { access: "r" },
      "cmi.student_data.time_limit_action": { access: "r" },
      "cmi.student_preference.audio": { access: "rw", check: sintegerIn12(-1, 100) },
      "cmi.student_preference.language": { access: "rw", check: maxLength(255, "a CMIString255") },
      "cmi.student_preference.speed": { access: "rw", check: sintegerIn12(-100, 100) },
      "cmi.student_preference.text": { access: "rw", check: sintegerIn12(-1, 1) },
      "cmi.interactions.n.id": { access: "w", check: identifier12 },
      "cmi.interactions.n.objectives.n.id": { access: "w", check: identifier12 },
      "cmi.interactions.n.time": { access: "w", check: time12 },
      "cmi.interactions.n.type": { access: "w", check: vocabulary(TYPES_12) },
      "cmi.interactions.n.correct_responses.n.pattern": { access: "w", check: response12 },
      "cmi.interactions.n.weighting": { access: "w", check: decimal12 },
      "cmi.interactions.n.student_response": { access: "w", check: response12 },
      "cmi.interactions.n.result": { access: "w", check: result12 },
      "cmi.interactions.n.latency": { access: "w", check: timespan12 }
    }
  };

  var score2004 = {
    scaled: { access: "rw", check: real2004(-1, 1) },
    raw: { access: "rw", check: real },
    min: { access: "rw", check: real },
    max: { access: "rw", check: real }
  };

  var DM2004 = {
    version: "1.0",
    children: {
      "cmi.comments_from_learner": "comment,location,timestamp",
      "cmi.comments_from_lms": "comment,location,timestamp",
      "cmi.interactions": "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description",
      "cmi.learner_preference": "audio_level,language,delivery_speed,audio_captioning",
      "cmi.objectives": "id,score,success_status,completion_status,progress_measure,description",
      "cmi.objectives.n.score": "scaled,raw,min,max",
      "cmi.score": "scaled,raw,min,max"
    },
    arrays: ["cmi.comments_from_learner", "cmi.comments_from_lms", "cmi.interactions", "cmi.objectives",
      "cmi.interactions.n.objectives", "cmi.interactions.n.correct_responses"],
    elements: {
      "cmi.comments_from_learner.n.comment": { access: "rw", check: localized(4000), creates: true },
      "cmi.comments_from_learner.n.location": { access: "rw", check: characterstring(250), creates: true },
      "cmi.comments_from_learner.n.timestamp": { access: "rw", check: time2004, creates: true },
      "cmi.comments_from_lms.n.comment": { access: "r" },
      "cmi.comments_from_lms.n.location": { access: "r" },
      "cmi.comments_from_lms.n.timestamp": { access: "r" },
      "cmi.completion_status": { access: "rw", check: vocabulary(COMPLETION_2004) },
      "cmi.completion_threshold": { access: "r" },
      "cmi.credit": { access: "r" },
      "cmi.entry": { access: "r" },
      "cmi.exit": { access: "w", check: vocabulary(EXIT_2004) },
      "cmi.interactions.n.id": { access: "rw", check: longIdentifier, creates: true },
      "cmi.interactions.n.type": { access: "rw", check: vocabulary(TYPES_2004), needs: "id" },
      "cmi.interactions.n.objectives.n.id": { access: "rw", check: longIdentifier, creates: true, needs: "id" },
      "cmi.interactions.n.timestamp": { access: "rw", check: time2004, needs: "id" },
      "cmi.interactions.n.correct_responses.n.pattern": { access: "rw", check: correctPattern, creates: true, needs: "type" },
      "cmi.interactions.n.weighting": { access: "rw", check: real, needs: "id" },
      "cmi.interactions.n.learner_response": { access: "rw", check: learnerResponse, needs: "type" },
      "cmi.interactions.n.result": { access: "rw", check: result2004, needs: "id" },
      "cmi.interactions.n.latency": { access: "rw", check: duration2004, needs: "id" },
      "cmi.interactions.n.description": { access: "rw", check: localized(250), needs: "id" },
      "cmi.launch_data": { access: "r" },
      "cmi.learner_id": { access: "r" },
      "cmi.learner_name": { access: "r" },
      "cmi.learner_preference.audio_level": { access: "rw", check: real2004(0, null) },
      "cmi.learner_preference.language": { access: "rw", check: language2004 },
      "cmi.learner_preference.delivery_speed": { access: "rw", check: real2004(0, null) },
      "cmi.learner_preference.audio_captioning": { access: "rw", check: vocabulary(["-1", "0", "1"]) },
      "cmi.location": { access: "rw", check: characterstring(1000) },
      "cmi.max_time_allowed": { access: "r" },
      "cmi.mode": { access: "r" },
      "cmi.objectives.n.id": { access: "rw", check: longIdentifier, creates: true },
      "cmi.objectives.n.score.scaled": { access: "rw", check: score2004.scaled.check, needs: "id" },
      "cmi.objectives.n.score.raw": { access: "rw", check: real, needs: "id" },
      "cmi.objectives.n.score.min": { access: "rw", check: real, needs: "id" },
      "cmi.objectives.n.score.max": { access: "rw", check: real, needs: "id" },
      "cmi.objectives.n.success_status": { access: "rw", check: vocabulary(SUCCESS_2004), needs: "id" },
      "cmi.objectives.n.completion_status": { access: "rw", check: vocabulary(COMPLETION_2004), needs: "id" },
      "cmi.objectives.n.progress_measure": { access: "rw", check: real2004(0, 1), needs: "id" },
      "cmi.objectives.n.description": { access: "rw", check: localized(250), needs: "id" },
      "cmi.progress_measure": { access: "rw", check: real2004(0, 1) },
      "cmi.scaled_passing_score": { access: "r" },
      "cmi.score.scaled": score2004.scaled,
      "cmi.score.raw": score2004.raw,
      "cmi.score.min": score2004.min,
      "cmi.score.max": score2004.max,
      "cmi.session_time": { access: "w", check: duration2004 },
      "cmi.success_status": { access: "rw", check: vocabulary(SUCCESS_2004) },
      "cmi.suspend_data": { access: "rw", check: characterstring(64000) },
      "cmi.time_limit_action": { access: "r" },
      "cmi.total_time": { access: "r" },
      "adl.nav.request": { access: "rw", check: navRequest },
      "adl.nav.request_valid.continue": { access: "r", computed: true },
      "adl.nav.request_valid.previous": { access: "r", computed: true }
    }
  };

  // ------------------------------------------------------------------ time arithmetic

  function centiseconds12(value) {
    var match = /^(\d+):(\d{2}):(\d{2}(?:\.\d{1,2})?)$/.exec(value || "");
    if (!match) return 0;
    return Math.round(((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 100);
  }

  function format12(total) {
    var hours = Math.floor(total / 360000);
    var minutes = Math.floor((total % 360000) / 6000);
    var seconds = (total % 6000) / 100;
    return String(hours).padStart(4, "0") + ":" + String(minutes).padStart(2, "0") + ":" +
      seconds.toFixed(2).padStart(5, "0");
  }

  function centiseconds2004(value) {
    var match = RE2004.duration.exec(value || "");
    if (!match) return 0;
    var days = Number(match[1] || 0) * 365 + Number(match[2] || 0) * 30 + Number(match[3] || 0);
    var seconds = ((days * 24 + Number(match[4] || 0)) * 60 + Number(match[5] || 0)) * 60 + Number(match[6] || 0);
    return Math.round(seconds * 100);
  }

  function format2004(total) {
    var hours = Math.floor(total / 360000);
    var minutes = Math.floor((total % 360000) / 6000);
    var seconds = String(Number(((total % 6000) / 100).toFixed(2)));
    return "PT" + hours + "H" + minutes + "M" + seconds + "S";
  }

  // ------------------------------------------------------------------ models: new, resumed, summary

  function numberText(value) { return value === null || value === undefined ? "" : String(value); }

  /* The data model an LMS gives a SCO on its first launch, from what the manifest says of its item. */
  function newModel(standard, item) {
    item = item || {};
    var model;
    if (standard === "1.2") {
      model = {
        "cmi.core.student_id": "preview-learner",
        "cmi.core.student_name": "Learner, Preview",
        "cmi.core.lesson_location": "",
        "cmi.core.credit": "credit",
        "cmi.core.lesson_status": "not attempted",
        "cmi.core.entry": "ab-initio",
        "cmi.core.score.raw": "",
        "cmi.core.score.min": "",
        "cmi.core.score.max": "",
        "cmi.core.total_time": "0000:00:00.00",
        "cmi.core.lesson_mode": "normal",
        "cmi.suspend_data": "",
        "cmi.launch_data": item.launch_data || "",
        "cmi.comments": "",
        "cmi.comments_from_lms": "",
        "cmi.objectives._count": "0",
        "cmi.student_data.mastery_score": numberText(item.mastery_score),
        "cmi.student_data.max_time_allowed": item.max_time_allowed || "",
        "cmi.student_data.time_limit_action": item.time_limit_action || "",
        "cmi.student_preference.audio": "0",
        "cmi.student_preference.language": "",
        "cmi.student_preference.speed": "0",
        "cmi.student_preference.text": "0",
        "cmi.interactions._count": "0"
      };
      return model;
    }
    model = {
      "cmi.comments_from_learner._count": "0",
      "cmi.comments_from_lms._count": "0",
      "cmi.completion_status": "unknown",
      "cmi.credit": "credit",
      "cmi.entry": "ab-initio",
      "cmi.interactions._count": "0",
      "cmi.learner_id": "preview-learner",
      "cmi.learner_name": "Preview Learner",
      "cmi.learner_preference.audio_level": "1",
      "cmi.learner_preference.language": "",
      "cmi.learner_preference.delivery_speed": "1",
      "cmi.learner_preference.audio_captioning": "0",
      "cmi.mode": "normal",
      "cmi.objectives._count": "0",
      "cmi.success_status": "unknown",
      "cmi.time_limit_action": item.time_limit_action || "continue,no message",
      "cmi.total_time": "PT0H0M0S",
      "adl.nav.request": "_none_"
    };
    if (item.launch_data) model["cmi.launch_data"] = item.launch_data;
    if (item.max_time_allowed) model["cmi.max_time_allowed"] = item.max_time_allowed;
    if (item.scaled_passing_score !== null && item.scaled_passing_score !== undefined) {
      model["cmi.scaled_passing_score"] = String(item.scaled_passing_score);
    }
    if (item.completion_threshold !== null && item.completion_threshold !== undefined) {
      model["cmi.completion_threshold"] = String(item.completion_threshold);
    }
    (item.objectives || []).forEach(function (id, index) {
      model["cmi.objectives." + index + ".id"] = id;
      model["cmi.objectives." + index + ".success_status"] = "unknown";
      model["cmi.objectives." + index + ".completion_status"] = "unknown";
      model["cmi.objectives._count"] = String(index + 1);
    });
    return model;
  }

  /* The data model for the next launch of a SCO that ran before: everything kept, entry from its exit. */
  function resumedModel(standard, stored) {
    var model = {};
    Object.keys(stored).forEach(function (key) { model[key] = stored[key]; });
    var exitKey = standard === "1.2" ? "cmi.core.exit" : "cmi.exit";
    var suspended = model[exitKey] === "suspend";
    delete model[exitKey];
    delete model[standard === "1.2" ? "cmi.core.session_time" : "cmi.session_time"];
    model[standard === "1.2" ? "cmi.core.entry" : "cmi.entry"] = suspended ? "resume" : "";
    if (standard !== "1.2") model["adl.nav.request"] = "_none_";
    return { model: model, suspended: suspended };
  }

  function evaluatedCompletion(model) {
    var threshold = model["cmi.completion_threshold"];
    if (threshold !== undefined) {
      var measure = model["cmi.progress_measure"];
      if (measure === undefined) return "unknown";
      return Number(measure) >= Number(threshold) ? "completed" : "incomplete";
    }
    return model["cmi.completion_status"] || "unknown";
  }

  function evaluatedSuccess(model) {
    var passing = model["cmi.scaled_passing_score"];
    if (passing !== undefined) {
      var scaled = model["cmi.score.scaled"];
      if (scaled === undefined) return "unknown";
      return Number(scaled) >= Number(passing) ? "passed" : "failed";
    }
    return model["cmi.success_status"] || "unknown";
  }

  /* What the table of contents shows for a SCO: its status and score. */
  function summary(standard, model) {
    if (!model) return { status: "not attempted", score: "", satisfied: false };
    if (standard === "1.2") {
      var status = model["cmi.core.lesson_status"] || "not attempted";
      return { status: status, score: model["cmi.core.score.raw"] || "",
        satisfied: status === "passed" || status === "completed" };
    }
    var completion = evaluatedCompletion(model);
    var success = evaluatedSuccess(model);
    var score = "";
    if (model["cmi.score.scaled"] !== undefined) score = Math.round(Number(model["cmi.score.scaled"]) * 1000) / 10 + " %";
    else if (model["cmi.score.raw"] !== undefined) score = model["cmi.score.raw"];
    return { status: completion + " / " + success, score: score, satisfied: success === "passed" };
  }

  // ------------------------------------------------------------------ the API

  /*
   * hooks: onCall(entry) after every API call; onChange(model) when the data model changed;
   * onCommit(model) on Commit; onTerminate(model) when the session ended; onNote(level, text)
   * for what the LMS itself does (status set on finish, session ended without Terminate…).
   * options.items: the launchable item ids in order (for adl.nav.request_valid.*).
   */
  function create(standard, hooks, options) {
    var is12 = standard === "1.2";
    var dm = is12 ? DM12 : DM2004;
    var codes = CODES[standard];
    var errors = is12 ? ERRORS_12 : ERRORS_2004;
    var items = (options && options.items) || [];
    var session = { state: "idle", model: {}, item: null, lastError: 0, diagnostic: "" };
    hooks = hooks || {};

    function emit(name) {
      if (typeof hooks[name] === "function") hooks[name].apply(null, Array.prototype.slice.call(arguments, 1));
    }

    function succeed() { session.lastError = 0; session.diagnostic = ""; }

    function failWith(code, diagnostic) {
      session.lastError = code;
      session.diagnostic = diagnostic;
      return code;
    }

    function record(method, args, result) {
      emit("onCall", {
        method: method, args: args, result: result, error: session.lastError,
        errorString: errors[session.lastError] || "", diagnostic: session.diagnostic,
        item: session.item ? session.item.identifier : ""
      });
      return result;
    }

    function emptyArgument(method, args) {
      if (args.length === 1 && args[0] === "") return true;
      var got = args.length === 0 ? "no argument" : args.map(function (a) { return JSON.stringify(a); }).join(", ");
      failWith(codes.argument, method + " takes one argument, the empty string \"\"; it got " + got);
      return false;
    }

    // -- element names

    function resolve(element) {
      var names = element.split(".");
      var indices = [];
      var patternNames = names.map(function (name) {
        if (/^\d+$/.test(name)) { indices.push(Number(name)); return "n"; }
        return name;
      });
      var pattern = patternNames.join(".");
      var last = patternNames[patternNames.length - 1];
      var parent = patternNames.slice(0, -1).join(".");
      var parentKnown = known(parent);
      if (last === "_version") {
        return pattern === "cmi._version" ? { keyword: "_version", pattern: pattern } : { error: "undefined" };
      }
      if (last === "_children") {
        if (dm.children[parent]) return { keyword: "_children", pattern: pattern, value: dm.children[parent] };
        return parentKnown ? { error: "noChildren", parent: parent } : { error: "undefined" };
      }
      if (last === "_count") {
        if (dm.arrays.indexOf(parent) >= 0) return { keyword: "_count", pattern: pattern, array: parent, indices: indices };
        return parentKnown ? { error: "noCount", parent: parent } : { error: "undefined" };
      }
      var definition = dm.elements[pattern];
      if (!definition && !is12 && /^adl\.nav\.request_valid\.(choice|jump)\.\{target=[^}]+\}$/.test(element)) {
        return { definition: { access: "r", computed: true }, pattern: pattern, indices: indices, key: element };
      }
      if (!definition) return { error: "undefined" };
      var index = 0;
      var key = patternNames.map(function (name) { return name === "n" ? String(indices[index++]) : name; }).join(".");
      return { definition: definition, pattern: pattern, indices: indices, key: key };
    }

    function known(prefix) {
      if (!prefix) return false;
      if (dm.elements[prefix] || dm.children[prefix] || dm.arrays.indexOf(prefix) >= 0) return true;
      return Object.keys(dm.elements).some(function (name) { return name.indexOf(prefix + ".") === 0; });
    }

    function undefinedElement(element) {
      if (is12 && /^adl\./.test(element)) {
        return failWith(codes.unimplemented, element + " is not implemented by this SCORM 1.2 LMS");
      }
      var hint = "";
      if (is12 && /^cmi\.(completion_status|success_status|location|exit|session_time|score\.|learner_|mode|entry)/.test(element)) {
        hint = " (that is a SCORM 2004 element; SCORM 1.2 has cmi.core.*)";
      } else if (!is12 && /^cmi\.(core|student_data|student_preference)\./.test(element)) {
        hint = " (that is a SCORM 1.2 element; SCORM 2004 has no cmi.core.*)";
      }
      return failWith(codes.undefinedElement, element + " is not a SCORM " + standard + " data model element" + hint);
    }

    // The arrays an element sits in, outermost first: [{array, index, countKey}]
    function arraysOf(resolved) {
      var result = [];
      var names = resolved.pattern.split(".");
      var built = [];
      var index = 0;
      for (var i = 0; i < names.length; i += 1) {
        if (names[i] === "n") {
          var arrayPattern = built.join(".");
          var arrayKey = concrete(arrayPattern, resolved.indices.slice(0, index));
          result.push({ array: arrayPattern, index: resolved.indices[index], countKey: arrayKey + "._count",
            itemKey: arrayKey + "." + resolved.indices[index] });
          index += 1;
        }
        built.push(names[i]);
      }
      return result;
    }

    function concrete(pattern, indices) {
      var index = 0;
      return pattern.split(".").map(function (name) { return name === "n" ? String(indices[index++]) : name; }).join(".");
    }

    function count(countKey) { return Number(session.model[countKey] || 0); }

    // -- GetValue

    function getValue(element) {
      if (typeof element !== "string") element = String(element);
      if (element === "") { failWith(codes.emptyGet, "GetValue needs a data model element name; it got \"\""); return ""; }
      var resolved = resolve(element);
      if (resolved.error === "undefined") { undefinedElement(element); return ""; }
      if (resolved.error === "noChildren") {
        failWith(codes.noChildren, resolved.parent + " has no children: _children is not defined for it");
        return "";
      }
      if (resolved.error === "noCount") {
        failWith(codes.noCount, resolved.parent + " is not an array: _count is not defined for it");
        return "";
      }
      if (resolved.keyword === "_version") { succeed(); return dm.version; }
      if (resolved.keyword === "_children") { succeed(); return resolved.value; }
      if (resolved.keyword === "_count") {
        var outer = arraysOf({ pattern: resolved.array + ".n", indices: resolved.indices });
        for (var i = 0; i < outer.length - 1; i += 1) {
          if (outer[i].index >= count(outer[i].countKey)) {
            failWith(codes.getIndex, outer[i].itemKey + " does not exist (" + outer[i].countKey + " is " + count(outer[i].countKey) + ")");
            return "";
          }
        }
        succeed();
        return String(count(concrete(resolved.array, resolved.indices) + "._count"));
      }
      var definition = resolved.definition;
      if (definition.access === "w") {
        failWith(codes.writeOnly, element + " is write-only: the SCO can set it but never read it");
        return "";
      }
      var arrays = arraysOf(resolved);
      for (var j = 0; j < arrays.length; j += 1) {
        if (arrays[j].index >= count(arrays[j].countKey)) {
          failWith(codes.getIndex, arrays[j].itemKey + " does not exist: " + arrays[j].countKey + " is " +
            count(arrays[j].countKey) + ", so the index must be below that");
          return "";
        }
      }
      if (definition.computed) { succeed(); return navValid(element); }
      if (!is12 && element === "cmi.completion_status") { succeed(); return evaluatedCompletion(session.model); }
      if (!is12 && element === "cmi.success_status") { succeed(); return evaluatedSuccess(session.model); }
      var value = session.model[resolved.key];
      if (value === undefined) {
        if (codes.notSet) {
          failWith(codes.notSet, element + " has no value yet: neither the LMS nor the SCO has set it");
          return "";
        }
        succeed();
        return "";
      }
      succeed();
      return value;
    }

    function navValid(element) {
      var position = session.item ? items.indexOf(session.item.identifier) : -1;
      if (element === "adl.nav.request_valid.continue") return position >= 0 && position < items.length - 1 ? "true" : "false";
      if (element === "adl.nav.request_valid.previous") return position > 0 ? "true" : "false";
      var target = /\{target=([^}]+)\}$/.exec(element);
      return target && items.indexOf(target[1]) >= 0 ? "true" : "false";
    }

    // -- SetValue

    function setValue(element, value) {
      if (typeof element !== "string") element = String(element);
      if (element === "") { failWith(codes.emptySet, "SetValue needs a data model element name; it got \"\""); return false; }
      if (value === undefined || value === null || typeof value === "object" || typeof value === "function") {
        failWith(codes.argument, "SetValue(" + element + ", value): the value must be a string; it got " +
          (value === null ? "null" : typeof value));
        return false;
      }
      value = String(value);
      var resolved = resolve(element);
      if (resolved.error === "undefined") { undefinedElement(element); return false; }
      if (resolved.keyword || resolved.error) {
        failWith(codes.keyword, element + " is a keyword the LMS computes; it cannot be set");
        return false;
      }
      var definition = resolved.definition;
      if (definition.access === "r") {
        failWith(codes.readOnly, element + " is read-only: the LMS sets it, the SCO can only read it");
        return false;
      }
      var arrays = arraysOf(resolved);
      var created = [];
      for (var i = 0; i < arrays.length; i += 1) {
        var entry = arrays[i];
        var size = count(entry.countKey);
        var innermost = i === arrays.length - 1;
        if (entry.index > size) {
          failWith(codes.setIndex, element + ": index " + entry.index + " skips entries; " + entry.countKey +
            " is " + size + ", so the next new entry is " + entry.countKey.replace(/_count$/, String(size)));
          return false;
        }
        if (entry.index === size) {
          if (!is12 && !(innermost && definition.creates)) {
            failWith(codes.dependency, element + ": " + entry.itemKey + " does not exist yet; " +
              (entry.array === "cmi.interactions.n.correct_responses" ? "set a pattern" : "set " + entry.itemKey + ".id") + " first");
            return false;
          }
          created.push(entry);
        }
      }
      if (!is12 && definition.needs) {
        var itemKey = arrays.length ? arrays[0].itemKey : "";
        if (session.model[itemKey + ".id"] === undefined) {
          failWith(codes.dependency, element + " cannot be set before " + itemKey + ".id");
          return false;
        }
        if (definition.needs === "type" && session.model[itemKey + ".type"] === undefined) {
          failWith(codes.dependency, element + " cannot be set before " + itemKey + ".type: its format depends on the type");
          return false;
        }
      }
      var failure = definition.check ? definition.check(value, { model: session.model, indices: resolved.indices, key: resolved.key }) : null;
      if (failure) {
        failWith(failure[0] === "range" ? codes.range : codes.type, element + ": " + failure[1]);
        return false;
      }
      var conflict = is12 ? null : uniqueness(resolved, value, arrays);
      if (conflict) { failWith(codes.setFailure, element + ": " + conflict); return false; }
      created.forEach(function (entry) { session.model[entry.countKey] = String(count(entry.countKey) + 1); });
      session.model[resolved.key] = resolved.key === "cmi.comments" ? (session.model[resolved.key] || "") + value : value;
      succeed();
      return true;
    }

    function uniqueness(resolved, value, arrays) {
      var last = arrays[arrays.length - 1];
      if (resolved.pattern === "cmi.objectives.n.id" || resolved.pattern === "cmi.interactions.n.objectives.n.id") {
        var current = session.model[resolved.key];
        if (resolved.pattern === "cmi.objectives.n.id" && current !== undefined && current !== value) {
          return "an objective's id cannot change once set (it is " + quote(current) + ")";
        }
        for (var i = 0; i < count(last.countKey); i += 1) {
          var other = last.countKey.replace(/_count$/, i + ".id");
          if (i !== last.index && session.model[other] === value) return quote(value) + " is already the id of " + other.replace(/\.id$/, "");
        }
      }
      if (resolved.pattern === "cmi.interactions.n.correct_responses.n.pattern") {
        var type = session.model["cmi.interactions." + resolved.indices[0] + ".type"];
        var single = ["true-false", "likert", "numeric", "other", "long-fill-in"];
        if (single.indexOf(type) >= 0 && last.index > 0) return "a " + type + " interaction has one correct response pattern only";
        for (var j = 0; j < count(last.countKey); j += 1) {
          var sibling = last.countKey.replace(/_count$/, j + ".pattern");
          if (j !== last.index && session.model[sibling] === value) return "the same pattern is already " + sibling;
        }
      }
      return null;
    }

    // -- session

    function initialize(method, args) {
      if (!emptyArgument(method, args)) return "false";
      if (session.state === "running") { failWith(codes.initialized, method + " was already called in this session"); return "false"; }
      if (session.state === "terminated") {
        failWith(codes.reinitialize, "this session is over (" + (is12 ? "LMSFinish" : "Terminate") +
          " was called); relaunch the SCO for a new one");
        return "false";
      }
      if (session.state === "idle") { failWith(is12 ? 101 : 102, "no SCO is selected in the preview"); return "false"; }
      session.state = "running";
      session.started = Date.now();
      succeed();
      emit("onChange", session.model);
      return "true";
    }

    function stateError(kind) {
      if (session.state === "running") return false;
      var name = { get: "GetValue", set: "SetValue", commit: "Commit", terminate: is12 ? "LMSFinish" : "Terminate" }[kind];
      if (session.state === "terminated") {
        var code = { get: codes.getAfterTerm, set: codes.setAfterTerm, commit: codes.commitAfterTerm,
          terminate: codes.terminateAfterTerm || codes.terminated }[kind];
        failWith(code, name + " after " + (is12 ? "LMSFinish" : "Terminate") + ": the session is over");
        return true;
      }
      var before = { get: codes.getBeforeInit, set: codes.setBeforeInit, commit: codes.commitBeforeInit,
        terminate: codes.terminateBeforeInit }[kind];
      failWith(before, name + " before " + (is12 ? "LMSInitialize" : "Initialize") + ": the session has not started");
      return true;
    }

    function commit(method, args) {
      if (!emptyArgument(method, args)) return "false";
      if (stateError("commit")) return "false";
      succeed();
      emit("onCommit", session.model);
      return "true";
    }

    function terminate(method, args) {
      if (!emptyArgument(method, args)) return "false";
      if (stateError("terminate")) return "false";
      finish(false);
      succeed();
      return "true";
    }

    /* What the LMS does when a session ends: time, status, then it keeps the data model. */
    function finish(forced) {
      var model = session.model;
      session.state = "terminated";
      if (forced) {
        emit("onNote", "warn", "The SCO was unloaded without calling " + (is12 ? "LMSFinish" : "Terminate") +
          ": a real LMS may lose what it set since its last commit.");
      }
      if (is12) {
        if (model["cmi.core.session_time"] !== undefined) {
          model["cmi.core.total_time"] = format12(centiseconds12(model["cmi.core.total_time"]) + centiseconds12(model["cmi.core.session_time"]));
        }
        if (model["cmi.core.lesson_status"] === "not attempted") {
          model["cmi.core.lesson_status"] = "completed";
          emit("onNote", "info", "LMS: the SCO did not set cmi.core.lesson_status; it becomes \"completed\" (RTE 3.4.4).");
        }
        var mastery = model["cmi.student_data.mastery_score"];
        var raw = model["cmi.core.score.raw"];
        if (mastery && raw && model["cmi.core.credit"] === "credit" && model["cmi.core.lesson_status"] !== "incomplete") {
          var status = Number(raw) >= Number(mastery) ? "passed" : "failed";
          if (status !== model["cmi.core.lesson_status"]) {
            emit("onNote", "info", "LMS: score " + raw + " against mastery score " + mastery + ": cmi.core.lesson_status becomes \"" +
              status + "\" (was \"" + model["cmi.core.lesson_status"] + "\").");
          }
          model["cmi.core.lesson_status"] = status;
        }
      } else {
        if (model["cmi.session_time"] !== undefined) {
          model["cmi.total_time"] = format2004(centiseconds2004(model["cmi.total_time"]) + centiseconds2004(model["cmi.session_time"]));
        }
        ["completion", "success"].forEach(function (kind) {
          var key = "cmi." + kind + "_status";
          var evaluated = kind === "completion" ? evaluatedCompletion(model) : evaluatedSuccess(model);
          if (evaluated !== (model[key] || "unknown")) {
            emit("onNote", "info", "LMS: " + key + " evaluated as \"" + evaluated + "\" from " +
              (kind === "completion" ? "progress_measure and completion_threshold." : "score.scaled and scaled_passing_score."));
          }
          model[key] = evaluated;
        });
        var exit = model["cmi.exit"] || "";
        if (exit !== "suspend") {
          emit("onNote", "info", "LMS: cmi.exit is " + quote(exit) + ", not \"suspend\": a SCORM 2004 LMS ends the attempt here, " +
            "and the next launch starts a new one. The preview keeps the data model to show it; \"Reset attempt\" starts afresh.");
        }
        if (model["adl.nav.request"] && model["adl.nav.request"] !== "_none_") {
          emit("onNote", "info", "The SCO asked for navigation: adl.nav.request = " + quote(model["adl.nav.request"]) + ".");
        }
      }
      emit("onChange", model);
      emit("onTerminate", model);
    }

    // -- errors

    function errorString(code) {
      code = String(code === undefined || code === null ? "" : code);
      return Object.prototype.hasOwnProperty.call(errors, code) ? errors[code] : "";
    }

    function diagnostic(code) {
      code = String(code === undefined || code === null ? "" : code);
      if (code === "" || code === String(session.lastError)) return session.diagnostic || errorString(session.lastError);
      return errorString(code);
    }

    // -- the binding the SCO finds on its parent window

    function wrap(method, body) {
      return function () {
        var args = Array.prototype.slice.call(arguments);
        var result = body(method, args);
        return record(method, args, result);
      };
    }

    function wrapQuiet(method, body) {
      return function () {
        var args = Array.prototype.slice.call(arguments);
        return record(method, args, body(args));
      };
    }

    var names = is12
      ? ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"]
      : ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError", "GetErrorString", "GetDiagnostic"];
    var binding = {};
    binding[names[0]] = wrap(names[0], initialize);
    binding[names[1]] = wrap(names[1], terminate);
    binding[names[2]] = wrap(names[2], function (method, args) {
      if (stateError("get")) return "";
      if (args.length < 1) { failWith(codes.argument, method + " needs a data model element name"); return ""; }
      return getValue(args[0]);
    });
    binding[names[3]] = wrap(names[3], function (method, args) {
      if (stateError("set")) return "false";
      if (args.length < 2) {
        failWith(codes.argument, method + "(element, value) needs two arguments; it got " + args.length);
        return "false";
      }
      var changed = setValue(args[0], args[1]);
      if (changed) emit("onChange", session.model);
      return changed ? "true" : "false";
    });
    binding[names[4]] = wrap(names[4], commit);
    // The error functions never change the last error (RTE 3.4.4 / 4.1.1).
    binding[names[5]] = wrapQuiet(names[5], function () { return String(session.lastError); });
    binding[names[6]] = wrapQuiet(names[6], function (args) { return errorString(args[0]); });
    binding[names[7]] = wrapQuiet(names[7], function (args) { return diagnostic(args[0]); });
    binding.version = is12 ? "3.4" : "1.0";

    return {
      standard: standard,
      binding: binding,
      methods: names,
      /* A new session for `item` with this data model: the SCO may now call Initialize. */
      begin: function (model, item) {
        session = { state: "not initialized", model: model, item: item, lastError: 0, diagnostic: "" };
      },
      /* The LMS ends the session (the SCO is unloaded). Returns whether the SCO had left it open. */
      end: function () {
        if (session.state !== "running") return false;
        finish(true);
        return true;
      },
      state: function () { return session.state; },
      model: function () { return session.model; },
      item: function () { return session.item; },
      elementAccess: function (key) {
        var resolved = resolve(key);
        return resolved.definition ? resolved.definition.access : "r";
      }
    };
  }

  root.BonSensLMS = {
    create: create,
    newModel: newModel,
    resumedModel: resumedModel,
    summary: summary,
    errors: { "1.2": ERRORS_12, "2004": ERRORS_2004 },
    formats: { centiseconds12: centiseconds12, format12: format12, centiseconds2004: centiseconds2004, format2004: format2004 }
  };
})(typeof window !== "undefined" ? window : globalThis);
