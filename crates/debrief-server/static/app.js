// Debrief's pages work without this file; it only adds what needs a script:
// - the editor keeps unsaved text in this browser's local storage until it is saved, and
//   offers it back after a reload, a crash or an expired session;
// - the import page reads a chosen file into the text area;
// - a page reached after a successful save forgets the draft it saved.
(function () {
  "use strict";

  function onReady(f) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", f);
    } else {
      f();
    }
  }

  function store() {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  function keepDrafts() {
    var area = document.querySelector("textarea[data-draft-key]");
    var ls = store();
    if (!area || !ls) return;
    var key = "debrief:" + area.getAttribute("data-draft-key");
    var kept = ls.getItem(key);
    var note = document.getElementById("draft-note");
    if (kept !== null && kept !== area.value && note) {
      note.hidden = false;
      note.textContent = "This browser kept text you had not saved. ";
      var restore = document.createElement("button");
      restore.type = "button";
      restore.className = "secondary";
      restore.textContent = "Restore it";
      restore.addEventListener("click", function () {
        area.value = kept;
        note.hidden = true;
        area.dispatchEvent(new Event("input", { bubbles: true }));
      });
      var drop = document.createElement("button");
      drop.type = "button";
      drop.className = "secondary";
      drop.textContent = "Discard it";
      drop.addEventListener("click", function () {
        ls.removeItem(key);
        note.hidden = true;
      });
      note.appendChild(restore);
      note.appendChild(document.createTextNode(" "));
      note.appendChild(drop);
    }
    area.addEventListener("input", function () {
      ls.setItem(key, area.value);
    });
  }

  function forgetSaved() {
    var ls = store();
    if (!ls) return;
    var saved = new URLSearchParams(window.location.search).get("saved");
    if (saved) {
      ls.removeItem("debrief:" + saved);
      var keys = [];
      for (var i = 0; i < ls.length; i++) {
        var k = ls.key(i);
        if (k && saved === "draft:new" && k.indexOf("debrief:draft:new") === 0) keys.push(k);
      }
      keys.forEach(function (k) { ls.removeItem(k); });
      var url = new URL(window.location.href);
      url.searchParams.delete("saved");
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    }
  }

  function fileReaders() {
    document.querySelectorAll("input[type=file][data-fills]").forEach(function (input) {
      var target = document.getElementById(input.getAttribute("data-fills"));
      if (!target) return;
      input.hidden = false;
      var label = document.querySelector("label[for='" + input.id + "']");
      if (label) label.hidden = false;
      input.addEventListener("change", function () {
        var f = input.files && input.files[0];
        if (!f) return;
        if (f.size > 2 * 1024 * 1024) {
          window.alert("This file is larger than 2 MB, the most Debrief takes for one postmortem.");
          return;
        }
        f.text().then(function (t) { target.value = t; });
      });
    });
  }

  onReady(function () {
    forgetSaved();
    keepDrafts();
    fileReaders();
  });
})();
