// Suggestions as you type, an enhancement: the search form works without it.
// The last word of the box is completed from /api/suggest (characters,
// pinyin or pinyin initials: ygsz → 一岗双责); arrows move, Enter takes,
// Escape closes.
(function () {
  "use strict";
  var input = document.getElementById("q");
  if (!input || !window.fetch) { return; }
  var form = input.form;
  var list = document.createElement("ul");
  list.id = "suggest";
  list.className = "suggest";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  input.parentNode.insertBefore(list, input.nextSibling);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", "suggest");
  input.setAttribute("aria-expanded", "false");

  var active = -1, timer = null, seq = 0;

  function lastWord() {
    var parts = input.value.split(/[\s\u3000]+/);
    return parts[parts.length - 1];
  }
  function close() {
    list.hidden = true;
    list.textContent = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function mark(i) {
    var items = list.children;
    for (var k = 0; k < items.length; k++) {
      items[k].setAttribute("aria-selected", k === i ? "true" : "false");
    }
    active = i;
    if (i >= 0) { input.setAttribute("aria-activedescendant", items[i].id); }
  }
  function take(word) {
    var v = input.value;
    var w = lastWord();
    input.value = v.slice(0, v.length - w.length) + word;
    close();
    form.submit();
  }
  function show(words) {
    list.textContent = "";
    if (!words.length) { close(); return; }
    words.forEach(function (s, i) {
      // A suggestion is {word, sections, notices}; a bare string is taken too.
      var w = typeof s === "string" ? s : s.word;
      var li = document.createElement("li");
      li.id = "suggest-" + i;
      li.setAttribute("role", "option");
      li.dataset.word = w;
      li.textContent = w;
      if (typeof s === "object" && s.notices) {
        var n = document.createElement("span");
        n.className = "suggest-count";
        n.textContent = s.notices + " 篇";
        li.appendChild(n);
      }
      li.addEventListener("mousedown", function (e) { e.preventDefault(); take(w); });
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    mark(-1);
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var w = lastWord();
    if (!w || w.indexOf(":") >= 0 || w.indexOf("：") >= 0) { close(); return; }
    timer = setTimeout(function () {
      var mine = ++seq;
      fetch("/api/suggest?prefix=" + encodeURIComponent(w))
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (d) { if (mine === seq) { show(d.suggestions || []); } })
        .catch(close);
    }, 120);
  });
  input.addEventListener("keydown", function (e) {
    if (list.hidden) { return; }
    var n = list.children.length;
    if (e.key === "ArrowDown") { e.preventDefault(); mark((active + 1) % n); }
    else if (e.key === "ArrowUp") { e.preventDefault(); mark((active - 1 + n) % n); }
    else if (e.key === "Enter" && active >= 0) { e.preventDefault(); take(list.children[active].dataset.word); }
    else if (e.key === "Escape") { close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
