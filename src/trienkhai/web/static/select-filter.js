// Narrow a long <select> while typing in the text box that names it (data-filter="select id").
// Diacritics are folded so "dak ha" finds "Đắk Hà". Without JavaScript the select still works.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d").toLowerCase().trim();
  }
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.dataset.filter) return;
    var select = document.getElementById(box.dataset.filter);
    if (!select) return;
    var needle = fold(box.value);
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
  });
})();
