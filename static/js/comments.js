// Comment on selected words: turn a selection inside the wording into a passage for the form.
// Without this script the form still works for a whole text or one paragraph of it.
(function () {
  "use strict";

  // Offsets count UTF-16 code units of the element's text, as the server expects.
  function offsetWithin(root, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(root);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function selectionIn(root) {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
    var text = range.toString();
    if (!text.trim()) return null;
    return {
      start: offsetWithin(root, range.startContainer, range.startOffset),
      end: offsetWithin(root, range.endContainer, range.endOffset),
      exact: text
    };
  }

  function setup(root) {
    var tools = root.nextElementSibling;
    var form = document.getElementById("comment-form");
    if (!form || !tools || !tools.hasAttribute("hidden") && !tools.classList.contains("selection-tools")) return;
    var button = tools.querySelector("[data-comment-on-selection]");
    var quote = form.querySelector("[data-selection-quote]");
    var paragraphField = form.querySelector("[data-paragraph-field]");
    var pending = null;

    // A keyboard user tabs into the text; put the caret at its start so that
    // Shift with the arrow keys selects words from there.
    root.addEventListener("focus", function () {
      var selection = window.getSelection();
      if (selection && !selection.isCollapsed && root.contains(selection.anchorNode)) return;
      var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      var first = walker.nextNode();
      while (first && !first.data.trim()) first = walker.nextNode();
      var range = document.createRange();
      range.setStart(first || root, first ? first.data.length - first.data.trimStart().length : 0);
      range.collapse(true);
      selection.removeAllRanges();
      selection.addRange(range);
    });

    // Browsers only move a caret through plain text when caret browsing is on, so
    // Shift with the arrow keys (and Ctrl or Alt for whole words) is handled here.
    root.addEventListener("keydown", function (event) {
      if (!event.shiftKey) return;
      var direction = { ArrowRight: "forward", ArrowLeft: "backward" }[event.key];
      var lines = { ArrowDown: "forward", ArrowUp: "backward" }[event.key];
      if (!direction && !lines) return;
      var selection = window.getSelection();
      if (!selection.rangeCount || !root.contains(selection.focusNode)) return;
      var unit = lines ? "line" : event.ctrlKey || event.altKey ? "word" : "character";
      selection.modify("extend", direction || lines, unit);
      event.preventDefault();
    });

    document.addEventListener("selectionchange", function () {
      var found = selectionIn(root);
      if (found) {
        pending = found;
        tools.hidden = false;
      } else if (!tools.contains(document.activeElement)) {
        tools.hidden = true;
      }
    });

    button.addEventListener("click", function () {
      // selectionchange arrives as a later task: a quick keyboard user can press the button
      // before the last one, so read the selection as it is now when it is still there.
      pending = selectionIn(root) || pending;
      if (!pending) return;
      form.querySelector("[data-selection-start]").value = pending.start;
      form.querySelector("[data-selection-end]").value = pending.end;
      form.querySelector("[data-selection-exact]").value = pending.exact;
      quote.querySelector("[data-selection-text]").textContent = pending.exact.trim();
      quote.hidden = false;
      if (paragraphField) paragraphField.hidden = true;
      tools.hidden = true;
      form.querySelector("textarea").focus();
    });

    var clear = quote.querySelector("[data-clear-selection]");
    clear.addEventListener("click", function () {
      ["start", "end", "exact"].forEach(function (name) {
        form.querySelector("[data-selection-" + name + "]").value = "";
      });
      quote.hidden = true;
      if (paragraphField) paragraphField.hidden = false;
      form.querySelector("textarea").focus();
    });
    if (!quote.hidden && paragraphField) paragraphField.hidden = true;

    // Words are selected: Tab goes to what to do with them, past the marks in between.
    root.addEventListener("keydown", function (event) {
      if (event.key === "Tab" && !event.shiftKey && !tools.hidden) {
        event.preventDefault();
        button.focus();
      }
    });
  }

  // From the highlighted words to the threads about them: the same address the list of
  // most discussed words links to without this script. For every reader, signed in or not.
  function linkMarks(root) {
    function threadsOn(mark) {
      var url = new URL(window.location.href);
      url.searchParams.set("on", mark.getAttribute("data-on"));
      url.searchParams.delete("filter");
      url.searchParams.delete("cursor");
      url.hash = "discussion";
      window.location.assign(url.toString());
    }
    Array.prototype.forEach.call(root.querySelectorAll("mark.comment-mark"), function (mark) {
      mark.tabIndex = 0;
      mark.setAttribute("role", "link");
    });
    root.addEventListener("click", function (event) {
      var mark = event.target.closest("mark.comment-mark");
      if (!mark || !window.getSelection().isCollapsed) return;
      threadsOn(mark);
    });
    root.addEventListener("keydown", function (event) {
      var mark = event.target.closest && event.target.closest("mark.comment-mark");
      if (mark && event.key === "Enter") {
        event.preventDefault();
        threadsOn(mark);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-anchorable]"), function (root) {
      linkMarks(root);
      setup(root);
    });
  });
})();
