/*
 * Bon Sens: the quiz player.
 *
 * A classic script without dependencies; load it after progress.js, which provides
 * BonSens.util (course data, labels, DOM helpers) and BonSens.tracker (where results go).
 *
 * A quiz page contains
 *   <div class="bs-quiz" data-quiz-id="quiz-m1"></div>
 *   <script type="application/json" class="bs-quiz-data" data-quiz-id="quiz-m1">{…}</script>
 * and the player renders every question of an attempt on one page, in a <fieldset> each.
 *
 * The attempt in progress (drawn questions, their order, the answers so far) is saved through
 * BonSens.tracker.saveQuizInProgress() at every change, and restored on load. On submission the
 * result goes to BonSens.tracker.recordQuizResult().
 *
 * Only the `*_html` fields (sanitised by the Python side) are inserted as HTML; every other
 * string is inserted as text.
 */
(() => {
  "use strict";

  const BS = (window.BonSens = window.BonSens || {});
  const ATTEMPT_VERSION = 1;
  const TYPES = ["single", "multiple", "true_false", "matching", "ordering", "fill_in"];

  // Helpers of progress.js and progress-model.js, both loaded first
  const { h, label, icon, srOnly, inlineHtml, htmlToText, labelNodes, joinNodes, formatNumber } = BS.util;
  /* Maps keyed by question ids have no prototype: a question "constructor" starts unanswered. */
  const { isObject, dict } = window.BonSensModel;
  const finite = (value) => typeof value === "number" && isFinite(value);
  /* obj[key] only when obj holds it itself: a saved attempt comes from JSON and inherits. */
  const own = (obj, key) => (isObject(obj) && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined);

  /* "Move up: <item>": the item is added even when the label has no {item} placeholder. */
  function withItem(key, item) {
    const template = label(key, {});
    return template.includes("{item}") ? label(key, { item }) : template + ", " + item;
  }

  // ------------------------------------------------------------------------ random order

  function shuffle(list) {
    const copy = list.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  function sameOrder(a, b) {
    return a.length === b.length && a.every((value, i) => value === b[i]);
  }

  /* A shuffled copy that is never in the original order (when there are 2 items or more). */
  function shuffleAway(list) {
    if (list.length < 2) return list.slice();
    let copy;
    do copy = shuffle(list);
    while (sameOrder(copy, list));
    return copy;
  }

  function isPermutation(candidate, ids) {
    return (
      Array.isArray(candidate) &&
      candidate.length === ids.length &&
      new Set(candidate).size === ids.length &&
      candidate.every((id) => ids.includes(id))
    );
  }

  // ------------------------------------------------------------------------ quiz data

  function idsOf(list) {
    return list.map((item) => item.id);
  }

  /* Quiz JSON with every field present and malformed questions left out. */
  function normaliseQuiz(raw, fallbackId) {
    const questions = (Array.isArray(raw.questions) ? raw.questions : []).filter(
      (q) => isObject(q) && typeof q.id === "string" && TYPES.includes(q.type)
    );
    const keepWithId = (list) =>
      (Array.isArray(list) ? list : []).filter((x) => isObject(x) && typeof x.id === "string");
    questions.forEach((q) => {
      q.weight = finite(q.weight) && q.weight > 0 ? q.weight : 1;
      if (q.type === "single" || q.type === "multiple") q.choices = keepWithId(q.choices);
      if (q.type === "matching") q.pairs = keepWithId(q.pairs);
      if (q.type === "ordering") q.items = keepWithId(q.items);
      if (q.type === "true_false") q.answer = q.answer === true;
      if (q.type === "fill_in") {
        q.answers = (Array.isArray(q.answers) ? q.answers : []).filter((a) => typeof a === "string");
        q.ignore_case = q.ignore_case !== false;
        q.ignore_accents = q.ignore_accents !== false;
      }
    });
    const attempts = finite(raw.attempts) ? Math.max(0, Math.floor(raw.attempts)) : 0;
    const draw = finite(raw.draw) && raw.draw >= 1 ? Math.floor(raw.draw) : null;
    return {
      id: typeof raw.id === "string" ? raw.id : fallbackId,
      title: typeof raw.title === "string" ? raw.title : "",
      passing_score: finite(raw.passing_score) ? raw.passing_score : 0,
      attempts,
      shuffle_questions: raw.shuffle_questions === true,
      shuffle_choices: raw.shuffle_choices !== false,
      draw,
      is_exam: raw.is_exam === true,
      questions,
    };
  }

  /* The ids whose display order an attempt keeps, or null for types without one. */
  function orderedIds(q) {
    if (q.type === "single" || q.type === "multiple") return idsOf(q.choices);
    if (q.type === "matching") return idsOf(q.pairs); // order of the right-hand options
    if (q.type === "ordering") return idsOf(q.items);
    return null;
  }

  function initialOrder(quiz, q) {
    const ids = orderedIds(q);
    if (!ids) return null;
    if (q.type === "single" || q.type === "multiple") return quiz.shuffle_choices ? shuffle(ids) : ids;
    return shuffleAway(ids); // matching options and ordering items: always shuffled
  }

  // ------------------------------------------------------------------------ attempts

  /*
   * An attempt, as saved through the tracker:
   *   {v: 1, startedAt: ISO date, questions: [question ids in display order],
   *    order: {questionId: [choice/option/item ids in display order]},
   *    answers: {questionId: response}, firstAnswerMs: {questionId: ms after start}}
   * Responses: single "b"; multiple ["a","c"]; true_false true; matching {leftId: rightId};
   * ordering ["c","a","b"] (present once the learner moved an item); fill_in "text".
   */
  function newAttempt(quiz) {
    let ids = idsOf(quiz.questions);
    if (quiz.draw && quiz.draw < ids.length) {
      const drawn = new Set(shuffle(ids).slice(0, quiz.draw));
      ids = ids.filter((id) => drawn.has(id));
    }
    if (quiz.shuffle_questions) ids = shuffle(ids);
    const attempt = {
      v: ATTEMPT_VERSION,
      startedAt: new Date().toISOString(),
      questions: ids,
      order: dict(),
      answers: dict(),
      firstAnswerMs: dict(),
    };
    ids.forEach((id) => {
      const order = initialOrder(quiz, questionById(quiz, id));
      if (order) attempt.order[id] = order;
    });
    return attempt;
  }

  function questionById(quiz, id) {
    return quiz.questions.find((q) => q.id === id) || null;
  }

  /* A stored answer if it fits the question, else undefined. */
  function cleanAnswer(q, answer) {
    switch (q.type) {
      case "single":
        return idsOf(q.choices).includes(answer) ? answer : undefined;
      case "multiple": {
        if (!Array.isArray(answer)) return undefined;
        const valid = idsOf(q.choices).filter((id) => answer.includes(id));
        return valid.length ? valid : undefined;
      }
      case "true_false":
        return typeof answer === "boolean" ? answer : undefined;
      case "matching": {
        if (!isObject(answer)) return undefined;
        const ids = idsOf(q.pairs);
        const clean = dict();
        ids.forEach((left) => {
          if (ids.includes(own(answer, left))) clean[left] = answer[left];
        });
        return Object.keys(clean).length ? clean : undefined;
      }
      case "ordering":
        return isPermutation(answer, idsOf(q.items)) ? answer.slice() : undefined;
      case "fill_in":
        return typeof answer === "string" ? answer.slice(0, 500) : undefined;
      default:
        return undefined;
    }
  }

  /* Rebuilds a saved attempt, or returns null if it does not fit this quiz any more. */
  function restoreAttempt(quiz, saved) {
    if (!isObject(saved) || saved.v !== ATTEMPT_VERSION) return null;
    const ids = saved.questions;
    if (!Array.isArray(ids) || !ids.length || new Set(ids).size !== ids.length) return null;
    if (!ids.every((id) => typeof id === "string" && questionById(quiz, id))) return null;
    const started = typeof saved.startedAt === "string" ? new Date(saved.startedAt) : null;
    const attempt = {
      v: ATTEMPT_VERSION,
      startedAt: started && !isNaN(started.getTime()) ? started.toISOString() : new Date().toISOString(),
      questions: ids.slice(),
      order: dict(),
      answers: dict(),
      firstAnswerMs: dict(),
    };
    ids.forEach((id) => {
      const q = questionById(quiz, id);
      const expected = orderedIds(q);
      const order = own(saved.order, id);
      if (expected) attempt.order[id] = keptOrder(quiz, q, order, expected);
      const answer = cleanAnswer(q, own(saved.answers, id));
      if (answer !== undefined) attempt.answers[id] = answer;
      const ms = own(saved.firstAnswerMs, id);
      if (finite(ms) && ms >= 0) attempt.firstAnswerMs[id] = ms;
    });
    return attempt;
  }

  /* A saved display order, if it still fits; never an ordering already in the right order. */
  function keptOrder(quiz, q, order, expected) {
    if (!isPermutation(order, expected)) return initialOrder(quiz, q);
    if (q.type === "ordering" && expected.length > 1 && sameOrder(order, expected)) return initialOrder(quiz, q);
    return order.slice();
  }

  // ------------------------------------------------------------------------ grading

  /* Text compared the forgiving way the question asks for. */
  function normaliseText(text, q) {
    let t = String(text)
      .normalize("NFC")
      .replace(/[\u2018\u2019\u201B\u02BC\u2032\u00B4`]/g, "'")
      .replace(/\s+/g, " ")
      .trim();
    if (q.ignore_accents) {
      t = t
        .normalize("NFD")
        .replace(/[\u0300-\u036f]/g, "")
        .replace(/œ/g, "oe")
        .replace(/Œ/g, "OE")
        .replace(/æ/g, "ae")
        .replace(/Æ/g, "AE");
    }
    if (q.ignore_case) t = t.toLowerCase();
    return t;
  }

  /*
   * {correct, partial, hits, total, wrong} for a response (null when unanswered). A question
   * scores its weight only when it is entirely right; "partial" (some pairs, places or choices
   * right) scores 0, as the LMS is told (interaction result "wrong"), and the review says so
   * with the counts.
   */
  function grade(q, response) {
    switch (q.type) {
      case "single": {
        const choice = q.choices.find((c) => c.id === response);
        return { correct: !!(choice && choice.correct === true), partial: false };
      }
      case "multiple": {
        const chosen = new Set(response || []);
        const right = q.choices.filter((c) => c.correct === true).map((c) => c.id);
        const hits = right.filter((id) => chosen.has(id)).length;
        const correct = chosen.size === right.length && hits === right.length;
        return { correct, partial: !correct && hits > 0, hits, total: right.length, wrong: chosen.size - hits };
      }
      case "true_false":
        return { correct: response === q.answer, partial: false };
      case "matching": {
        // Compared by content, so two identical right-hand items are interchangeable.
        const rightHtml = (id) => (q.pairs.find((p) => p.id === id) || {}).right_html;
        const hits = q.pairs.filter(
          (p) => response && response[p.id] !== undefined && rightHtml(response[p.id]) === p.right_html
        ).length;
        const correct = q.pairs.length > 0 && hits === q.pairs.length;
        return { correct, partial: !correct && hits > 0, hits, total: q.pairs.length };
      }
      case "ordering": {
        const right = idsOf(q.items);
        const hits = (response || []).filter((id, i) => id === right[i]).length;
        const correct = right.length > 0 && hits === right.length;
        return { correct, partial: !correct && hits > 0, hits, total: right.length };
      }
      case "fill_in": {
        if (typeof response !== "string" || !normaliseText(response, q)) {
          return { correct: false, partial: false };
        }
        const given = normaliseText(response, q);
        return { correct: q.answers.some((a) => normaliseText(a, q) === given), partial: false };
      }
      default:
        return { correct: false, partial: false };
    }
  }

  /* What "partly correct" means for this question: "3 of 4 pairs right", and that it scores 0. */
  function partialNote(q, hits, total, wrong) {
    const counts = { hits: formatNumber(hits), total: formatNumber(total) };
    const what = { matching: "partial_pairs", ordering: "partial_places" }[q.type] || "partial_choices";
    const parts = [label(what, counts)];
    if (wrong > 0) parts.push(label("partial_wrong", { wrong: formatNumber(wrong) }));
    parts.push(label("partial_rule"));
    return parts.join(" ");
  }

  // ------------------------------------------------------------------------ the player

  class QuizPlayer {
    constructor(container, quiz) {
      this.container = container;
      this.quiz = quiz;
      this.prefix = "bs-" + quiz.id;
      this.attempt = null;
      this.submitted = false;
    }

    get tracker() {
      return BS.tracker;
    }

    progressState() {
      return BS.progress.state();
    }

    /* This quiz's result; an exam's only when taken in the learner's path (progress-model.js). */
    record() {
      const state = this.progressState();
      const path = this.examPath();
      const own = !path || window.BonSensModel.resultOfPath(state, this.quiz.id, path);
      return (own && state.quizzes[this.quiz.id]) || null;
    }

    /* The path whose exam this is, when it is one: its result is recorded with the path. */
    examPath() {
      const path = BS.progress && BS.progress.currentPath ? BS.progress.currentPath() : null;
      return path && path.declared && path.exam === this.quiz.id ? path.id : null;
    }

    /* Attempts still allowed: Infinity when unlimited. */
    attemptsLeft() {
      if (!this.quiz.attempts) return Infinity;
      const record = this.record();
      return Math.max(0, this.quiz.attempts - (record ? record.attempts : 0));
    }

    /* Modules whose quiz is not passed yet, when this is a final exam that waits for them. */
    missingModules() {
      const course = BS.progress.pathView(); // the modules of the learner's path
      const exam = BS.util.getCourse().final_exam;
      if (!this.quiz.is_exam || !exam || exam.after_modules === false) return [];
      // An LMS already enforces the order (the exam SCO of a multi-SCO package).
      if (BS.tracker && BS.tracker.prerequisitesMet === true) return [];
      const quizzes = this.progressState().quizzes;
      return course.modules.filter((m) => m.quiz && !(quizzes[m.quiz.id] && quizzes[m.quiz.id].passed));
    }

    start() {
      const missing = this.missingModules();
      if (missing.length) return this.renderLocked(missing);
      const restored = restoreAttempt(this.quiz, this.progressState().inProgress[this.quiz.id]);
      if (restored) return this.renderAttempt(restored);
      if (this.attemptsLeft() === 0) return this.renderNoAttemptsLeft();
      return this.renderAttempt(newAttempt(this.quiz));
    }

    save() {
      try {
        this.tracker.saveQuizInProgress(this.quiz.id, this.attempt);
      } catch (e) {
        console.error("Bon Sens: could not save the attempt", e);
      }
    }

    // -------------------------------------------------------------- locked and exhausted

    renderLocked(missing) {
      const links = missing.map((m) => h("a", { href: (m.quiz && m.quiz.url) || m.url, text: m.title }));
      this.container.replaceChildren(
        h(
          "div",
          { class: "bs-locked" },
          h(
            "p",
            null,
            icon("lock"),
            " ",
            labelNodes("exam_locked", { missing: joinNodes(links) })
          )
        )
      );
    }

    renderNoAttemptsLeft() {
      const record = this.record() || { best: 0, passed: false };
      this.container.replaceChildren(
        h(
          "div",
          { class: "bs-summary bs-summary--" + (record.passed ? "passed" : "failed") },
          h(
            "p",
            { class: "bs-summary-verdict" },
            icon(record.passed ? "ok" : "ko"),
            " ",
            label(record.passed ? "passed" : "failed")
          ),
          h("p", { text: this.bestText(record) }),
          h("p", { text: label("no_attempts_left") })
        )
      );
    }

    bestText(record) {
      return label("best_so_far", {
        score: formatNumber(record.best),
        status: label(record.passed ? "passed" : "failed"),
      });
    }

    // -------------------------------------------------------------- an attempt

    renderAttempt(attempt) {
      this.attempt = attempt;
      this.submitted = false;
      const quiz = this.quiz;
      const total = attempt.questions.length;
      const record = this.record();
      const left = this.attemptsLeft();

      this.result = h("div", { class: "bs-quiz-result", "aria-live": "polite" });
      // What the page does not say already (it shows the question count and the passing score).
      this.meta = h(
        "div",
        { class: "bs-quiz-meta", tabindex: "-1" },
        left !== Infinity ? h("p", { text: label("attempts_left", { n: left }) }) : null,
        record ? h("p", { text: this.bestText(record) }) : null,
        BS.util.isPersistent() ? null : BS.util.notice()
      );
      this.warning = h("div", { class: "bs-warning-slot", role: "alert" });
      this.footer = h(
        "div",
        { class: "bs-quiz-footer" },
        this.warning,
        h(
          "div",
          { class: "bs-actions" },
          h("button", { type: "submit", class: "bs-button", text: label("submit") })
        )
      );
      this.form = h(
        "form",
        { class: "bs-quiz-form", novalidate: true },
        attempt.questions.map((id, i) => this.renderQuestion(questionById(quiz, id), i, total)),
        this.footer
      );

      this.form.addEventListener("change", (event) => this.onEdit(event));
      this.form.addEventListener("input", (event) => this.onEdit(event));
      this.form.addEventListener("click", (event) => {
        const button = event.target.closest(".bs-move");
        if (button && this.form.contains(button)) this.move(button);
      });
      this.form.addEventListener("keydown", (event) => {
        // Enter in a text field must not submit the whole quiz by accident.
        if (event.key === "Enter" && event.target.matches("input[type=text]")) event.preventDefault();
      });
      this.form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.onSubmit(false);
      });

      this.container.replaceChildren(this.result, this.meta, this.form);
    }

    fieldsetId(q) {
      return this.prefix + "-" + q.id;
    }

    renderQuestion(q, index, total) {
      const id = this.fieldsetId(q);
      const fieldset = h(
        "fieldset",
        { class: "bs-question bs-question--" + q.type.replace("_", "-"), id, "data-question-id": q.id },
        h(
          "legend",
          { class: "bs-question-legend" },
          h("span", { class: "bs-question-number", text: label("question_of", { n: index + 1, total }) }),
          h("div", { class: "bs-question-prompt", html: q.prompt_html || "" })
        )
      );
      const hintKey = { multiple: "multiple_hint", ordering: "ordering_hint" }[q.type];
      if (hintKey) {
        const hintId = id + "-hint";
        fieldset.append(h("p", { class: "bs-hint", id: hintId, text: label(hintKey) }));
        fieldset.setAttribute("aria-describedby", hintId);
      }
      fieldset.append(h("div", { class: "bs-question-body" }, this.renderControls(q, id)));
      return fieldset;
    }

    renderControls(q, id) {
      const answer = this.attempt.answers[q.id];
      const order = this.attempt.order[q.id];
      switch (q.type) {
        case "single":
        case "multiple":
          return this.renderChoices(
            id,
            q.type === "single" ? "radio" : "checkbox",
            order.map((cid) => {
              const choice = q.choices.find((c) => c.id === cid);
              const checked =
                q.type === "single" ? answer === cid : Array.isArray(answer) && answer.includes(cid);
              return { value: cid, content: inlineHtml(choice.html), checked };
            })
          );
        case "true_false":
          return this.renderChoices(id, "radio", [
            { value: "true", content: label("true"), checked: answer === true },
            { value: "false", content: label("false"), checked: answer === false },
          ]);
        case "matching":
          return this.renderMatching(q, id, order, answer || {});
        case "ordering":
          return this.renderOrdering(q, id, answer || order);
        case "fill_in":
          return this.renderFillIn(id, typeof answer === "string" ? answer : "");
        default:
          return null;
      }
    }

    renderChoices(id, type, options) {
      return h(
        "div",
        { class: "bs-choices" },
        options.map((option) => {
          const inputId = id + "-" + option.value;
          return h(
            "div",
            { class: "bs-choice", "data-value": option.value },
            h("input", { type, id: inputId, name: id, value: option.value, checked: option.checked }),
            h("label", { for: inputId, class: "bs-choice-label" }, option.content)
          );
        })
      );
    }

    renderMatching(q, id, optionOrder, answer) {
      return h(
        "div",
        { class: "bs-matches" },
        q.pairs.map((pair) => {
          const selectId = id + "-" + pair.id;
          return h(
            "div",
            { class: "bs-match", "data-left-id": pair.id },
            h("label", { for: selectId, class: "bs-match-left" }, inlineHtml(pair.left_html)),
            h(
              "select",
              { id: selectId, class: "bs-select", "data-left-id": pair.id },
              h("option", { value: "", text: label("select_match") }),
              optionOrder.map((rightId) => {
                const right = q.pairs.find((p) => p.id === rightId);
                return h("option", {
                  value: rightId,
                  text: htmlToText(right.right_html),
                  selected: answer[pair.id] === rightId,
                });
              })
            )
          );
        })
      );
    }

    renderOrdering(q, id, order) {
      const list = h(
        "ol",
        { class: "bs-order", role: "list" },
        order.map((itemId) => {
          const item = q.items.find((it) => it.id === itemId);
          const text = htmlToText(item.html);
          return h(
            "li",
            { class: "bs-order-item", "data-item-id": itemId },
            h("span", { class: "bs-order-pos" }),
            h("div", { class: "bs-order-text" }, inlineHtml(item.html)),
            h(
              "span",
              { class: "bs-order-buttons" },
              h(
                "button",
                { type: "button", class: "bs-move", "data-move": "-1" },
                icon("up"),
                srOnly(withItem("move_up", text))
              ),
              h(
                "button",
                { type: "button", class: "bs-move", "data-move": "1" },
                icon("down"),
                srOnly(withItem("move_down", text))
              )
            )
          );
        })
      );
      const live = h("p", { class: "bs-sr-only bs-order-live", "aria-live": "polite" });
      this.refreshOrdering(list);
      return [list, live];
    }

    /* Renumbers an ordering list and enables the buttons that can move something. */
    refreshOrdering(list) {
      const items = Array.from(list.children);
      items.forEach((li, i) => {
        li.querySelector(".bs-order-pos").textContent = String(i + 1);
        const [up, down] = li.querySelectorAll(".bs-move");
        const upDisabled = i === 0;
        const downDisabled = i === items.length - 1;
        // Never disable the focused button: focus would be lost. Hand it to its neighbour.
        if (upDisabled && document.activeElement === up && !downDisabled) down.focus();
        if (downDisabled && document.activeElement === down && !upDisabled) up.focus();
        up.disabled = upDisabled;
        down.disabled = downDisabled;
      });
    }

    move(button) {
      if (this.submitted) return;
      const li = button.closest(".bs-order-item");
      const list = li.parentElement;
      // Move the neighbour rather than the item itself, so the pressed button keeps focus.
      if (button.getAttribute("data-move") === "-1") {
        const previous = li.previousElementSibling;
        if (!previous) return;
        list.insertBefore(previous, li.nextElementSibling);
      } else {
        const next = li.nextElementSibling;
        if (!next) return;
        list.insertBefore(next, li);
      }
      this.refreshOrdering(list);
      const items = Array.from(list.children);
      const live = list.parentElement.querySelector(".bs-order-live");
      const message = label("position", {
        item: htmlToText(li.querySelector(".bs-order-text").innerHTML),
        n: items.indexOf(li) + 1,
        total: items.length,
      });
      live.textContent = "";
      // A new text node a moment later is announced even when the message repeats.
      setTimeout(() => {
        live.textContent = message;
      }, 50);
      this.onEdit({ target: li });
    }

    renderFillIn(id, value) {
      const inputId = id + "-answer";
      return h(
        "div",
        { class: "bs-field" },
        h("label", { for: inputId, text: label("your_answer") }),
        h("input", {
          type: "text",
          id: inputId,
          class: "bs-input",
          autocomplete: "off",
          autocapitalize: "off",
          spellcheck: "false",
          maxlength: "200",
          placeholder: label("fill_in_placeholder"),
          value,
        })
      );
    }

    // -------------------------------------------------------------- answers

    /* Reads the learner's current response to a question from its controls. */
    readControls(q, fieldset) {
      const checked = () => Array.from(fieldset.querySelectorAll("input:checked"), (input) => input.value);
      switch (q.type) {
        case "single":
          return checked()[0];
        case "multiple": {
          const values = checked();
          return values.length ? idsOf(q.choices).filter((id) => values.includes(id)) : undefined;
        }
        case "true_false": {
          const value = checked()[0];
          return value === undefined ? undefined : value === "true";
        }
        case "matching": {
          const answer = dict();
          fieldset.querySelectorAll("select").forEach((select) => {
            if (select.value) answer[select.getAttribute("data-left-id")] = select.value;
          });
          return Object.keys(answer).length ? answer : undefined;
        }
        case "ordering":
          return Array.from(fieldset.querySelectorAll(".bs-order-item"), (li) =>
            li.getAttribute("data-item-id")
          );
        case "fill_in": {
          const value = fieldset.querySelector("input").value;
          return value.trim() ? value : undefined;
        }
        default:
          return undefined;
      }
    }

    onEdit(event) {
      if (this.submitted || !event.target || !event.target.closest) return;
      // Text fields report every keystroke ("input"); other controls report each change once.
      const isText = event.target.matches && event.target.matches("input[type=text]");
      if (event.type === "input" && !isText) return;
      if (event.type === "change" && isText) return;
      const fieldset = event.target.closest(".bs-question");
      if (!fieldset) return;
      const q = questionById(this.quiz, fieldset.getAttribute("data-question-id"));
      if (!q) return;
      const response = this.readControls(q, fieldset);
      const attempt = this.attempt;
      if (response === undefined) delete attempt.answers[q.id];
      else {
        attempt.answers[q.id] = response;
        if (attempt.firstAnswerMs[q.id] === undefined) {
          attempt.firstAnswerMs[q.id] = Math.max(0, Date.now() - Date.parse(attempt.startedAt));
        }
      }
      this.save();
    }

    /* Whether a question has an answer. An ordering always has one: the order on screen, moved
       or not (the learner may find it right as shown), graded and sent to the LMS as it is. */
    isAnswered(q) {
      if (q.type === "ordering") return true;
      const answer = this.attempt.answers[q.id];
      if (answer === undefined) return false;
      if (q.type === "matching") return q.pairs.every((p) => answer[p.id] !== undefined);
      if (q.type === "fill_in") return answer.trim() !== "";
      return true;
    }

    /* The response reported and graded: null when unanswered; for an ordering, the order shown. */
    response(q) {
      const answer = this.attempt.answers[q.id];
      if (q.type === "ordering") return answer || this.attempt.order[q.id];
      return answer === undefined ? null : answer;
    }

    // -------------------------------------------------------------- submission

    onSubmit(anyway) {
      if (this.submitted) return;
      const unanswered = this.attempt.questions
        .map((id, index) => ({ q: questionById(this.quiz, id), index }))
        .filter(({ q }) => !this.isAnswered(q));
      if (unanswered.length && !anyway) {
        this.showUnansweredWarning(unanswered);
        return;
      }
      this.finish();
    }

    showUnansweredWarning(unanswered) {
      const links = unanswered.map(({ q, index }) =>
        h(
          "li",
          null,
          h("a", {
            href: "#" + this.fieldsetId(q),
            text: label("question_of", { n: index + 1, total: this.attempt.questions.length }),
            onclick: (event) => {
              event.preventDefault();
              this.focusQuestion(q);
            },
          })
        )
      );
      this.warning.replaceChildren(
        h(
          "div",
          { class: "bs-warning" },
          h("p", null, icon("warning"), " ", label("unanswered_warning", { count: unanswered.length })),
          h("ul", { class: "bs-unanswered" }, links),
          h(
            "div",
            { class: "bs-actions" },
            h("button", {
              type: "button",
              class: "bs-button",
              text: label("keep_answering"),
              onclick: () => this.focusQuestion(unanswered[0].q),
            }),
            h("button", {
              type: "button",
              class: "bs-button bs-button--secondary",
              text: label("submit_anyway"),
              onclick: () => this.onSubmit(true),
            })
          )
        )
      );
    }

    /* Scrolls to a question and puts the focus on its first control. */
    focusQuestion(q) {
      const fieldset = document.getElementById(this.fieldsetId(q));
      const control = fieldset.querySelector("input, select, button:not([disabled])");
      fieldset.scrollIntoView({ block: "start" });
      if (control) control.focus({ preventScroll: true });
    }

    finish() {
      const quiz = this.quiz;
      const attempt = this.attempt;
      const finishedAt = new Date();
      const graded = attempt.questions.map((id) => {
        const q = questionById(quiz, id);
        const response = this.response(q);
        return { q, response, ...grade(q, response) };
      });
      const totalWeight = graded.reduce((sum, g) => sum + g.q.weight, 0);
      const earned = graded.reduce((sum, g) => sum + (g.correct ? g.q.weight : 0), 0);
      const score = totalWeight ? Math.round((earned / totalWeight) * 100) : 0;
      const passed = score >= quiz.passing_score;

      const answers = dict();
      graded.forEach((g) => {
        answers[g.q.id] = g.response;
      });
      const result = {
        score,
        passed,
        answers,
        startedAt: attempt.startedAt,
        finishedAt: finishedAt.toISOString(),
        path: this.examPath() || undefined, // an exam counts for the path it was taken in
        questions: graded.map((g) => ({
          id: g.q.id,
          type: g.q.type,
          response: g.response,
          correct: g.correct,
          weight: g.q.weight,
          latencyMs: finite(attempt.firstAnswerMs[g.q.id]) ? attempt.firstAnswerMs[g.q.id] : null,
          lms: g.q.lms, // how an LMS package reports it: SCORM type and correct patterns
        })),
      };
      try {
        this.tracker.recordQuizResult(quiz.id, result);
        this.tracker.saveQuizInProgress(quiz.id, null);
      } catch (e) {
        console.error("Bon Sens: could not record the result", e);
      }

      this.submitted = true;
      this.form.classList.add("bs-quiz-form--reviewed");
      graded.forEach((g) => this.review(g));
      this.warning.replaceChildren();
      this.renderSummary(score, passed);
      if (BS.progress) BS.progress.changed();
    }

    // -------------------------------------------------------------- review

    review({ q, response, correct, partial, hits, total, wrong }) {
      const fieldset = document.getElementById(this.fieldsetId(q));
      const status = correct ? "correct" : partial ? "partially_correct" : "incorrect";
      const statusClass = correct ? "ok" : partial ? "partial" : "ko";
      fieldset.disabled = true;
      fieldset.classList.add("bs-question--" + statusClass);
      const verdict = [
        h("p", { class: "bs-verdict bs-verdict--" + statusClass }, icon(statusClass), " ", label(status)),
      ];
      if (partial) verdict.push(h("p", { class: "bs-partial-note", text: partialNote(q, hits, total, wrong) }));
      fieldset.querySelector("legend").after(...verdict);

      const body = fieldset.querySelector(".bs-question-body");
      const unanswered = response === null;
      if (unanswered && q.type !== "fill_in") {
        body.prepend(
          h("p", { class: "bs-review-line" }, label("your_answer_is", { answer: label("no_answer") }))
        );
      }

      switch (q.type) {
        case "single":
        case "multiple":
          q.choices.forEach((choice) => {
            const chosen =
              q.type === "single" ? response === choice.id : (response || []).includes(choice.id);
            this.annotateChoice(body, choice.id, chosen, choice.correct === true, choice.feedback_html);
          });
          break;
        case "true_false":
          [true, false].forEach((value) => {
            const feedback = value ? q.feedback_true_html : q.feedback_false_html;
            this.annotateChoice(body, String(value), response === value, q.answer === value, feedback);
          });
          break;
        case "matching":
          this.reviewMatching(q, body, response || {});
          break;
        case "ordering":
          this.reviewOrdering(q, body, response, correct);
          break;
        case "fill_in":
          body.append(
            h(
              "p",
              { class: "bs-review-line" },
              label("your_answer_is", { answer: unanswered ? label("no_answer") : response.trim() })
            )
          );
          if (!correct && q.answers.length) {
            body.append(
              h(
                "p",
                { class: "bs-review-line" },
                label("correct_answer_is", { answer: q.answers.join(" / ") })
              )
            );
          }
          break;
        default:
          break;
      }

      if (q.explanation_html) {
        fieldset.append(
          h(
            "div",
            { class: "bs-explanation" },
            h("p", { class: "bs-explanation-title", text: label("explanation") }),
            h("div", { class: "bs-explanation-body", html: q.explanation_html })
          )
        );
      }
    }

    /* Tags a choice "your answer" / "correct answer" and shows its feedback when relevant. */
    annotateChoice(body, value, chosen, right, feedbackHtml) {
      const row = Array.from(body.querySelectorAll(".bs-choice")).find(
        (el) => el.getAttribute("data-value") === value
      );
      if (!row) return;
      row.classList.toggle("bs-choice--chosen", chosen);
      row.classList.toggle("bs-choice--right", right);
      const tags = h("span", { class: "bs-tags" });
      if (chosen) {
        tags.append(
          h(
            "span",
            { class: "bs-tag bs-tag--" + (right ? "ok" : "ko") },
            icon(right ? "ok" : "ko"),
            " ",
            label("your_answer")
          )
        );
      }
      if (right)
        tags.append(h("span", { class: "bs-tag bs-tag--ok" }, icon("ok"), " ", label("correct_answer")));
      if (tags.childNodes.length) row.append(tags);
      if (feedbackHtml && (chosen || right))
        row.append(h("div", { class: "bs-feedback", html: feedbackHtml }));
    }

    reviewMatching(q, body, response) {
      q.pairs.forEach((pair) => {
        const row = Array.from(body.querySelectorAll(".bs-match")).find(
          (el) => el.getAttribute("data-left-id") === pair.id
        );
        const given = q.pairs.find((p) => p.id === response[pair.id]);
        const ok = !!given && given.right_html === pair.right_html;
        const review = h(
          "div",
          { class: "bs-review-line bs-review-line--" + (ok ? "ok" : "ko") },
          h("span", null, icon(ok ? "ok" : "ko"), " ", label(ok ? "correct" : "incorrect"))
        );
        if (!ok) {
          // The select may be too narrow to show the whole answer: say it in full.
          review.append(
            h(
              "span",
              null,
              labelNodes("your_answer_is", {
                answer: given
                  ? h("span", { class: "bs-inline" }, inlineHtml(given.right_html))
                  : label("no_answer"),
              })
            ),
            h(
              "span",
              null,
              labelNodes("correct_answer_is", {
                answer: h("span", { class: "bs-inline" }, inlineHtml(pair.right_html)),
              })
            )
          );
        }
        if (row) row.append(review);
      });
    }

    reviewOrdering(q, body, response, correct) {
      const right = idsOf(q.items);
      body.querySelector(".bs-order-live").textContent = "";
      body.querySelectorAll(".bs-order-item").forEach((li, i) => {
        const ok = li.getAttribute("data-item-id") === right[i];
        li.classList.add(ok ? "bs-order-item--ok" : "bs-order-item--ko");
        li.querySelector(".bs-order-buttons").replaceWith(
          h(
            "span",
            { class: "bs-order-mark" },
            icon(ok ? "ok" : "ko"),
            srOnly(label(ok ? "correct" : "incorrect"))
          )
        );
      });
      if (!correct) {
        body.append(
          h("p", { class: "bs-review-title", text: label("correct_answer") }),
          h(
            "ol",
            { class: "bs-order bs-order--solution", role: "list" },
            q.items.map((item, i) =>
              h(
                "li",
                { class: "bs-order-item" },
                h("span", { class: "bs-order-pos", text: String(i + 1) }),
                h("div", { class: "bs-order-text" }, inlineHtml(item.html))
              )
            )
          )
        );
      }
    }

    // -------------------------------------------------------------- result

    /* Where a passed quiz leads: the next page of the learner's path (progress.js). */
    nextStep() {
      return BS.progress.nextStep(this.quiz.id);
    }

    renderSummary(score, passed) {
      const left = this.attemptsLeft();
      const record = this.record();
      const next = passed ? this.nextStep() : null;
      const retry = () =>
        h("button", {
          type: "button",
          class: "bs-button" + (passed ? " bs-button--secondary" : ""),
          text: label("retry"),
          onclick: () => this.retry(),
        });
      const scoreText = label("score", { score: formatNumber(score) });
      const heading = h("h2", { class: "bs-summary-title", tabindex: "-1", text: scoreText });
      const nextLink = () => h("a", { class: "bs-button", href: next.url }, label("next"), " — ", next.title);
      const actions = h("div", { class: "bs-actions" }, next ? nextLink() : null, left > 0 ? retry() : null);
      this.result.replaceChildren(
        h(
          "section",
          { class: "bs-summary bs-summary--" + (passed ? "passed" : "failed") },
          heading,
          h(
            "p",
            { class: "bs-summary-verdict" },
            icon(passed ? "ok" : "ko"),
            " ",
            label(passed ? "passed" : "failed")
          ),
          h("p", { text: label("passing", { passing: formatNumber(this.quiz.passing_score) }) }),
          record && record.best > score ? h("p", { text: this.bestText(record) }) : null,
          left === Infinity
            ? null
            : h("p", { text: left > 0 ? label("attempts_left", { n: left }) : label("no_attempts_left") }),
          actions.childNodes.length ? actions : null
        )
      );
      // At the bottom of the reviewed questions: the same way on, without scrolling back up.
      const bottom = this.footer.querySelector(".bs-actions");
      bottom.replaceChildren();
      if (next) bottom.append(nextLink());
      if (left > 0) bottom.append(retry());
      heading.focus();
    }

    retry() {
      if (this.attemptsLeft() === 0) return;
      this.renderAttempt(newAttempt(this.quiz));
      if (this.meta.childNodes.length) this.meta.focus();
      else this.focusQuestion(questionById(this.quiz, this.attempt.questions[0]));
    }
  }

  // ------------------------------------------------------------------------ initialisation

  function quizData(id) {
    return Array.from(document.querySelectorAll("script.bs-quiz-data")).find(
      (el) => el.getAttribute("data-quiz-id") === id
    );
  }

  function initQuizzes(root) {
    root.querySelectorAll(".bs-quiz[data-quiz-id]").forEach((container) => {
      if (container.hasAttribute("data-bs-ready")) return;
      container.setAttribute("data-bs-ready", "");
      const id = container.getAttribute("data-quiz-id");
      const raw = BS.util.readJson(quizData(id));
      let quiz = isObject(raw) ? normaliseQuiz(raw, id) : null;
      // On the site, the part of the bank the learner's path asks (learning-paths.js); a
      // package's quiz data holds its one path's questions already (path_pages.py)
      if (quiz && BS.paths) quiz = BS.paths.quizOfPath(quiz);
      if (!quiz || !quiz.questions.length) {
        container.replaceChildren(h("p", { class: "bs-notice", text: label("quiz_unavailable") }));
        return;
      }
      container.classList.add("bs-root");
      if (BS.paths) BS.paths.sayWhatIsAsked(container, quiz);
      new QuizPlayer(container, quiz).start();
    });
  }

  BS.quiz = { normaliseText, grade, normaliseQuiz, newAttempt, restoreAttempt, QuizPlayer };

  BS.start(initQuizzes); // progress.js, loaded first, runs it when the page is ready
})();
