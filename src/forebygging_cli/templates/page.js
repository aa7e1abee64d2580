/* Filters for the published plan. They read what the tool computed (data-*
   attributes on each measure: ages, units, folded text) and apply the rules of
   `forebygging query`: an age matches a measure whose computed range contains
   it (a measure that states no age only when asked for); a unit stands for
   itself and its sub-units; every word (or "quoted phrase") must occur. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  form.hidden = false;
  var status = document.getElementById("filter-status");
  var measures = Array.prototype.slice.call(document.querySelectorAll(".measure"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".group"));
  var total = measures.length;
  var words = {showing: status.dataset.showing, all: status.dataset.all};  /* from the catalogues */

  /* The tool's table of nynorsk and bokmål forms (vocab.py), which the page gets as data: the same
     words are one word however they are written (rettleiing / veiledning, skule / skole). */
  var forms = JSON.parse(document.getElementById("written-forms").textContent);

  /* As the tool folds text: lower case, æ→ae, ø→o, å→a, accents off, one space; then nynorsk forms
     written as bokmål, parts of words first, whole words after. */
  function fold(text) {
    var lowered = text.toLowerCase().replace(/ø/g, "o").replace(/æ/g, "ae").replace(/å/g, "a");
    var plain = lowered.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    var folded = plain.replace(/[\u2013\u2014]/g, "-").split(/\s+/).filter(Boolean).join(" ");
    forms.parts.forEach(function (pair) { folded = folded.split(pair[0]).join(pair[1]); });
    return folded.replace(/[^\W_]+/g, function (word) {
      return Object.prototype.hasOwnProperty.call(forms.words, word) ? forms.words[word] : word;
    });
  }

  /* 'TAN "de skulle"' -> ["tan", "de skulle"]: words, and phrases in quotes. */
  function terms(text) {
    var found = [], pattern = /"([^"]*)"|'([^']*)'|(\S+)/g, match;
    while ((match = pattern.exec(text)) !== null) {
      var term = fold(match[1] !== undefined ? match[1] : (match[2] !== undefined ? match[2] : match[3]));
      if (term) { found.push(term); }
    }
    return found;
  }

  function matches(item, age, level, units, wanted, unknown) {
    var data = item.dataset;
    if (level && data.level !== level) { return false; }
    if (units) {
      var own = data.units.split(" ");
      if (!own.some(function (unit) { return units.indexOf(unit) >= 0; })) { return false; }
    }
    if (wanted.length && !wanted.every(function (term) { return data.search.indexOf(term) >= 0; })) { return false; }
    if (age !== null) {
      if (data.ageKnown !== "1") { return unknown; }
      if (data.ageMin === "") { return false; }
      var low = Number(data.ageMin), high = data.ageMax === "" ? Infinity : Number(data.ageMax);
      if (age < low || age > high) { return false; }
    }
    return true;
  }

  function apply() {
    var ageText = form.elements.age.value.trim();
    var age = ageText === "" || isNaN(Number(ageText)) ? null : Math.floor(Number(ageText));
    var level = form.elements.level.value;
    var option = form.elements.unit.selectedOptions[0];
    var units = form.elements.unit.value ? option.dataset.includes.split(" ") : null;
    var wanted = terms(form.elements.text.value);
    var unknown = form.elements.unknown.checked;
    var shown = 0;
    measures.forEach(function (item) {
      var visible = matches(item, age, level, units, wanted, unknown);
      item.hidden = !visible;
      if (visible) { shown += 1; }
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector(".measure:not([hidden])");
    });
    var template = shown === total ? words.all : words.showing;
    status.textContent = template.replace("{shown}", shown).replace("{total}", total);
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  apply();
}());
