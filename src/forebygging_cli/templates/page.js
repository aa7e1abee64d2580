/* The finder of the published plan (and of a site's index): the answers `forebygging query` gives.

   What can be computed in Python is: each measure carries, in data-* attributes, what query filters it by
   (its computed ages, level, audience, whether only staff take part, the unit choices that find it, and
   the folded text --text searches). What has to run here is reading what a person types: splitting words
   as query.search_terms does (shlex, POSIX; on an unbalanced quote the words as they are), folding them as
   vocab.fold_words does, and reading an age or grade as query.parse_age and parse_grade do. Those follow
   the rules below, with every table and pattern they use shipped by the tool (render/finder.py, the JSON
   island "finder-data"). tests/test_page_filters.py holds both sides to the same answers.

   Without this script the page shows every measure and no form. */
(function () {
  "use strict";
  var island = document.getElementById("finder-data");
  var form = document.getElementById("filters");
  if (!island || !form) { return; }
  var data = JSON.parse(island.textContent);
  var has = function (object, key) { return Object.prototype.hasOwnProperty.call(object, key); };

  /* ---- folding: vocab.fold and vocab.fold_words --------------------------------------------------- */
  var folding = data.fold;
  var COMBINING = new RegExp("[" + folding.combining + "]", "gu");
  var WHITESPACE = new RegExp("[" + folding.whitespace + "]+", "u");
  var WORD = /[\p{L}\p{N}]+/gu;  /* Python's [^\W_]: letters and numbers */

  /* vocab.fold: casefold, ø/æ/å, NFKD without combining marks, dashes, one space. One character at a
     time: the shipped table where Python's fold differs from the browser's own lower case and NFKD. */
  function fold(text) {
    var out = "";
    for (var character of text) {
      out += has(folding.casefold, character) ? folding.casefold[character] : character.toLowerCase();
    }
    out = out.normalize("NFKD").replace(COMBINING, "");
    return out.split(WHITESPACE).filter(Boolean).join(" ");
  }

  /* vocab.written_forms: nynorsk forms written as bokmål, parts of words first, then whole words. */
  function writtenForms(folded) {
    folding.parts.forEach(function (pair) { folded = folded.split(pair[0]).join(pair[1]); });
    return folded.replace(WORD, function (word) { return has(folding.words, word) ? folding.words[word] : word; });
  }

  function foldWords(text) { return writtenForms(fold(text)); }

  /* ---- splitting: shlex.split (POSIX, whitespace_split, no comments) ----------------------------- */
  var SHLEX_SPACE = " \t\r\n";

  function shlexSplit(text) {
    var tokens = [], token = "", state = " ", quoted = false, escaped = "a";
    var characters = Array.from(text);
    for (var i = 0; i <= characters.length; i += 1) {
      var c = i < characters.length ? characters[i] : null;  /* null: the end */
      if (state === " ") {
        if (c === null) { break; }
        if (SHLEX_SPACE.indexOf(c) >= 0) {
          if (token || quoted) { tokens.push(token); token = ""; quoted = false; }
        } else if (c === "\\") { escaped = "a"; state = "\\"; }
        else if (c === "'" || c === "\"") { state = c; }
        else { token = c; state = "a"; }
      } else if (state === "'" || state === "\"") {
        quoted = true;
        if (c === null) { throw new Error("No closing quotation"); }
        if (c === state) { state = "a"; }
        else if (c === "\\" && state === "\"") { escaped = state; state = "\\"; }
        else { token += c; }
      } else if (state === "\\") {
        if (c === null) { throw new Error("No escaped character"); }
        if ((escaped === "'" || escaped === "\"") && c !== state && c !== escaped) { token += state; }
        token += c;
        state = escaped;
      } else {  /* "a": in a word */
        if (c === null) { break; }
        if (SHLEX_SPACE.indexOf(c) >= 0) {
          state = " ";
          if (token || quoted) { tokens.push(token); token = ""; quoted = false; }
        } else if (c === "'" || c === "\"") { state = c; }
        else if (c === "\\") { escaped = "a"; state = "\\"; }
        else { token += c; }
      }
    }
    if (token || quoted) { tokens.push(token); }
    return tokens;
  }

  /* query.search_terms: the folded words and "quoted phrases" of what was typed. */
  function terms(text) {
    var parts;
    try {
      parts = shlexSplit(text);
    } catch (problem) {  /* an unbalanced quote: the words as they are */
      parts = text.replace(/"/g, " ").replace(/'/g, " ").split(WHITESPACE).filter(Boolean);
    }
    return parts.map(foldWords).filter(Boolean);
  }

  /* ---- ages and grades: query.parse_age and query.parse_grade ------------------------------------ */
  var grammar = data.grammar;
  var AGE = new RegExp("^(?:" + grammar.age + ")$", "iu");
  var GRADE = new RegExp("^(?:" + grammar.grade + ")$", "u");

  /* int() of a run of decimal digits of any script */
  function integer(digits) {
    var value = 0;
    for (var character of digits) {
      var code = character.codePointAt(0), digit = null;
      grammar.zeros.forEach(function (zero) { if (code >= zero && code <= zero + 9) { digit = code - zero; } });
      value = value * 10 + digit;
    }
    return value;
  }

  /* {range: [low, high]} or {problem: name of the message, low, high} */
  function parseAge(text) {
    var match = AGE.exec(text);
    if (!match || (match[2] === "+" && match[3] !== undefined)) { return {problem: "age_invalid"}; }
    var low = integer(match[1]);
    var high = match[3] !== undefined ? integer(match[3]) : (match[2] !== undefined ? grammar.highest_age : low);
    if (low > high) { return {problem: "age_reversed", low: low, high: high}; }
    if (high > grammar.highest_age) { return {problem: "age_implausible"}; }
    return {range: [low, high]};
  }

  /* {grades: [low, high], range: [lowest age, highest age]} or {problem} */
  function parseGrade(text) {
    var match = GRADE.exec(fold(text));
    if (!match) { return {problem: "grade_invalid"}; }
    var low = match[1] !== undefined ? integer(match[1]) + 10 : integer(match[2]);
    var high = match[3] !== undefined ? integer(match[3]) + 10 : (match[4] !== undefined ? integer(match[4]) : low);
    if (!(low >= 1 && low <= high && high <= grammar.highest_grade)) { return {problem: "grade_range"}; }
    return {grades: [low, high], range: grammar.grade_ages[low][high]};
  }

  /* for the tests, which hold these to the Python functions */
  window.forebygging = {fold: fold, foldWords: foldWords, terms: terms, shlexSplit: shlexSplit,
                        parseAge: parseAge, parseGrade: parseGrade};

  /* ---- the page ------------------------------------------------------------------------------------ */
  var fields = form.elements;
  var bar = document.getElementById("filter-bar");
  var status = document.getElementById("filter-status");
  var unknownButton = document.getElementById("filter-unknown");
  var resetButton = document.getElementById("filter-reset");
  var empty = document.getElementById("filter-empty");
  var levelHelp = document.getElementById("filter-level-help");
  var more = document.getElementById("filter-more");
  var measures = Array.prototype.slice.call(document.querySelectorAll(".measure"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".group"));
  var words = data.messages;
  var includeUnknown = false;
  var linked = null;

  function number(value) {
    return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, words.thousands);
  }

  function counted(message, count) {
    return message.forms[message.index[Math.min(count, message.index.length - 1)]].replace("{count}", number(count));
  }

  function overlaps(item, range) {
    var d = item.dataset;
    if (d.ageMin === "") { return false; }  /* pregnancy only: no age in years */
    var low = Number(d.ageMin), high = d.ageMax === "" ? Infinity : Number(d.ageMax);
    return low <= range[1] && range[0] <= high;
  }

  /* query.search: "yes", "no", or "unknown" (passes every other filter, but states no age) */
  function verdict(item, wanted) {
    var d = item.dataset;
    if (wanted.plan && d.plan !== wanted.plan) { return "no"; }
    if (wanted.level && d.level !== wanted.level) { return "no"; }
    if (wanted.unit && d.units.split(" ").indexOf(wanted.unit) < 0) { return "no"; }
    if (wanted.audience && d.audience.split(" ").indexOf(wanted.audience) < 0) { return "no"; }
    if (wanted.staff && d.staff === "1") { return "no"; }
    if (wanted.terms.length && !wanted.terms.every(function (term) { return d.search.indexOf(term) >= 0; })) {
      return "no";
    }
    if (wanted.age || wanted.grade) {
      if (d.ageKnown !== "1") { return "unknown"; }
      if (wanted.age && !overlaps(item, wanted.age)) { return "no"; }
      if (wanted.grade && !overlaps(item, wanted.grade)) { return "no"; }
    }
    return "yes";
  }

  function problem(field, answer) {
    var box = document.getElementById(field.id + "-problem");
    if (answer && answer.problem) {
      box.textContent = words[answer.problem].replace("{value}", field.value.trim())
        .replace("{low}", answer.low).replace("{high}", answer.high);
      box.hidden = false;
      field.setAttribute("aria-invalid", "true");
      return null;
    }
    box.hidden = true;
    box.textContent = "";
    field.removeAttribute("aria-invalid");
    return answer ? answer.range : null;
  }

  function wanted() {
    var ageText = fields.age.value.trim(), gradeText = fields.grade.value.trim();
    return {
      plan: fields.plan ? fields.plan.value : "",
      age: problem(fields.age, ageText ? parseAge(fields.age.value) : null),
      grade: problem(fields.grade, gradeText ? parseGrade(fields.grade.value) : null),
      audience: fields["for"].value,
      level: fields.level.value,
      unit: fields.unit.value,
      staff: fields.staff.checked,
      terms: terms(fields.text.value)
    };
  }

  function apply() {
    var want = wanted();
    var hasAge = Boolean(want.age || want.grade);
    var shown = 0, leftOut = 0, unknownShown = 0, staffHidden = 0;
    measures.forEach(function (item) {
      var answer = verdict(item, want);
      if (answer === "unknown") {
        if (includeUnknown) { answer = "yes"; unknownShown += 1; } else { leftOut += 1; }
      }
      if (answer === "no" && want.staff && item.dataset.staff === "1" &&
          verdict(item, Object.assign({}, want, {staff: false})) !== "no") {
        staffHidden += 1;
      }
      var show = answer === "yes";
      item.classList.toggle("unknown-age", show && hasAge && item.dataset.ageKnown !== "1");
      var isLinked = !show && linked !== null && item.contains(linked);
      item.classList.toggle("linked", isLinked);
      item.hidden = !show && !isLinked;
      if (show) { shown += 1; }
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector(".measure:not([hidden])");
    });
    var total = measures.length;
    var sentences = [(shown === total && !hasAge ? words.all : words.showing)
      .replace("{shown}", number(shown)).replace("{total}", number(total))];
    if (hasAge && includeUnknown && unknownShown) { sentences.push(counted(words.included, unknownShown)); }
    if (hasAge && !includeUnknown && leftOut) { sentences.push(counted(words.left_out, leftOut)); }
    if (staffHidden) { sentences.push(counted(words.staff_hidden, staffHidden)); }
    status.textContent = sentences.join(" ");
    var unknownCount = includeUnknown ? unknownShown : leftOut;
    unknownButton.hidden = !hasAge || (!includeUnknown && !leftOut);
    unknownButton.setAttribute("aria-pressed", includeUnknown ? "true" : "false");
    unknownButton.textContent = counted(words.include, unknownCount);
    var active = hasAge || want.audience || want.level || want.unit || want.staff || want.terms.length ||
      want.plan || fields.age.value.trim() || fields.grade.value.trim();
    resetButton.hidden = !active;
    empty.hidden = shown > 0;
    empty.textContent = shown > 0 ? "" : (leftOut ? words.empty_unknown : words.empty);
    levelHelp.textContent = want.level ? data.level_help[want.level] : "";
    levelHelp.hidden = !want.level;
    document.body.classList.toggle("include-unknown", includeUnknown);
    write();
  }

  /* ---- the address: ?alder=13&for=foreldre, in the page's language; English names are read too ---- */
  var address = data.address;
  var FIELDS = {age: "age", grade: "grade", words: "text"};
  var CHOICES = {"for": "for", level: "level", unit: "unit", plan: "plan"};

  function write() {
    var params = new URLSearchParams();
    var names = address.write.names, values = address.write.values;
    Object.keys(FIELDS).forEach(function (key) {
      var value = fields[FIELDS[key]].value.trim();
      if (value) { params.set(names[key], value); }
    });
    Object.keys(CHOICES).forEach(function (key) {
      var field = fields[CHOICES[key]];
      if (!field || !field.value) { return; }
      var kind = values[key];
      params.set(names[key], kind && has(kind, field.value) ? kind[field.value] : field.value);
    });
    if (includeUnknown) { params.set(names.unknown, values.yes.yes); }
    if (fields.staff.checked) { params.set(names.staff, values.yes.yes); }
    var query = params.toString();
    var target = location.pathname + (query ? "?" + query : "") + location.hash;
    if (target !== location.pathname + location.search + location.hash) {
      try { history.replaceState(history.state, "", target); } catch (problem) { /* an address it may not change */ }
    }
  }

  function read() {
    var params = new URLSearchParams(location.search);
    var names = address.read.names, values = address.read.values;
    params.forEach(function (value, name) {
      var key = names[fold(name)];
      if (!key) { return; }
      var word = fold(value).replace(/ /g, "-");
      if (has(FIELDS, key)) { fields[FIELDS[key]].value = value; }
      else if (key === "unknown") { includeUnknown = has(values.yes, word); }
      else if (key === "staff") { fields.staff.checked = has(values.yes, word); }
      else if (has(CHOICES, key) && fields[CHOICES[key]]) {
        var field = fields[CHOICES[key]];
        var choice = values[key] && has(values[key], word) ? values[key][word] : value;
        if (Array.prototype.some.call(field.options, function (o) { return o.value === choice; })) {
          field.value = choice;
        }
      }
    });
    if (fields.unit.value || fields.text.value || fields.staff.checked) { more.open = true; }
  }

  /* ---- #tiltak-ID: a link to one measure shows it, even when the filters would hide it ------------- */
  function follow() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    linked = target && target.closest(".measure") ? target : null;
    apply();
    measures.forEach(function (item) {
      var note = item.querySelector(".linked-note");
      if (item.classList.contains("linked") && !note) {
        note = document.createElement("p");
        note.className = "linked-note";
        note.textContent = words.linked;
        item.querySelector("article").appendChild(note);
      } else if (!item.classList.contains("linked") && note) {
        note.remove();
      }
    });
    if (linked) { linked.scrollIntoView(); }
  }

  form.hidden = false;
  bar.hidden = false;
  read();
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  unknownButton.addEventListener("click", function () { includeUnknown = !includeUnknown; apply(); });
  resetButton.addEventListener("click", function () {
    form.reset();
    includeUnknown = false;
    apply();
    fields.age.focus();
  });
  window.addEventListener("hashchange", follow);
  /* printing prints the plan: every measure, each opened */
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.setAttribute("open", "");
      details.dataset.printed = "1";
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-printed]").forEach(function (details) {
      details.removeAttribute("open");
      delete details.dataset.printed;
    });
  });
  follow();
}());
