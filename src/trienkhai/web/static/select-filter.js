// Narrow a long <select> while typing in the text box that names it (data-filter="select id").
// Diacritics are folded so "dak ha" finds "Đắk Hà". Without JavaScript the select still works.
// A select with data-source (a nation's 5,000 units are not written into the page) is filled
// from that address as the user types: a JSON list of {id, name}, chosen options kept.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d").toLowerCase().trim();
  }
  function narrow(select, needle) {
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var shown = !option.value || fold(option.text).indexOf(needle) !== -1;
      option.hidden = !shown;
      if (shown && option.value && first === null) first = option;
    });
    // A multiple select keeps what was chosen; a single one moves to the first shown option.
    if (!select.multiple && first && select.selectedOptions[0] && select.selectedOptions[0].hidden) {
      first.selected = true;
    }
  }
  function fill(select, units) {
    var keep = {};
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value || option.selected) keep[option.value] = true;
    });
    Array.prototype.slice.call(select.options).forEach(function (option) {
      if (!keep[option.value]) option.remove();
    });
    units.forEach(function (unit) {
      if (keep[String(unit.id)]) return;
      select.add(new Option(unit.name, String(unit.id)));
    });
    if (!select.multiple && units.length) select.value = String(units[0].id);
  }
  var timers = {};
  function ask(select, typed) {
    clearTimeout(timers[select.id]);
    timers[select.id] = setTimeout(function () {
      var sep = select.dataset.source.indexOf("?") === -1 ? "?" : "&";
      fetch(select.dataset.source + sep + "q=" + encodeURIComponent(typed),
            {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (units) { fill(select, units); });
    }, 200);
  }
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.dataset.filter) return;
    var select = document.getElementById(box.dataset.filter);
    if (!select) return;
    if (select.dataset.source) ask(select, box.value);
    else narrow(select, fold(box.value));
  });
})();
