// Comment on chosen words: turn a passage of the wording into the form's hidden fields.
// Two ways in: a selection made with a mouse or a long press, and a "choose words" mode
// for keyboards, screen readers and touch, which needs no native selection at all.
// Without this script the form still works for a whole text or one paragraph of it.
(function () {
  "use strict";

  var BLOCKS = "p, li, td, th, blockquote, pre, h1, h2, h3, h4, h5, h6, dd, dt, div";
  var LETTERS = /[\p{L}\p{N}]/u;

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

  // The wording's text nodes with where each starts, and its words with their offsets.
  // A word never runs from one paragraph or list item into the next; the punctuation
  // around a word is left out, so that "task." chooses "task".
  function readWords(root) {
    var nodes = [];
    var words = [];
    var at = 0;
    var word = null;
    var block = null;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    function finish() {
      if (!word) return;
      var text = word.text;
      var lead = text.search(LETTERS);
      if (lead >= 0) {
        var tail = text.length;
        while (!LETTERS.test(text.charAt(tail - 1))) tail -= 1;
        words.push({ start: word.start + lead, end: word.start + tail });
      }
      word = null;
    }
    while (walker.nextNode()) {
      var node = walker.currentNode;
      var parent = node.parentElement.closest(BLOCKS);
      if (parent !== block) finish();
      block = parent;
      nodes.push({ node: node, start: at });
      for (var i = 0; i < node.data.length; i += 1) {
        if (/\s/.test(node.data.charAt(i))) {
          finish();
        } else {
          if (!word) word = { start: at + i, text: "" };
          word.text += node.data.charAt(i);
        }
      }
      at += node.data.length;
    }
    finish();
    return { nodes: nodes, words: words, text: root.textContent };
  }

  function rangeFor(nodes, start, end) {
    function point(offset, isEnd) {
      for (var i = nodes.length - 1; i >= 0; i -= 1) {
        var n = nodes[i];
        if (offset > n.start || (offset === n.start && !isEnd) || i === 0) {
          return [n.node, Math.min(offset - n.start, n.node.data.length)];
        }
      }
    }
    var range = document.createRange();
    range.setStart.apply(range, point(start, false));
    range.setEnd.apply(range, point(end, true));
    return range;
  }

  function quoted(words) {
    var list = words.split(/\s+/);
    if (list.length <= 12) return "“" + words + "”";
    return "“" + list.slice(0, 5).join(" ") + " … " + list.slice(-5).join(" ") + "”";
  }

  function setup(root) {
    var bar = root.nextElementSibling;
    var status = bar && bar.querySelector("[data-choose-status]");
    var tools = bar && bar.querySelector(".selection-tools");
    var chooser = root.previousElementSibling;
    var form = document.getElementById("comment-form");
    if (!form || !tools || !tools.classList.contains("selection-tools")) return;
    var button = tools.querySelector("[data-comment-on-selection]");
    var quote = form.querySelector("[data-selection-quote]");
    var paragraphField = form.querySelector("[data-paragraph-field]");
    var pending = null;

    function fillForm(passage) {
      form.querySelector("[data-selection-start]").value = passage.start;
      form.querySelector("[data-selection-end]").value = passage.end;
      form.querySelector("[data-selection-exact]").value = passage.exact;
      quote.querySelector("[data-selection-text]").textContent = passage.exact.trim();
      quote.hidden = false;
      if (paragraphField) paragraphField.hidden = true;
      tools.hidden = true;
      form.querySelector("textarea").focus();
    }

    // Mouse, or a long press and its handles on a touch screen.
    document.addEventListener("selectionchange", function () {
      if (choosing) return;
      var found = selectionIn(root);
      if (found) {
        pending = found;
        tools.hidden = false;
      } else if (!tools.contains(document.activeElement)) {
        tools.hidden = true;
      }
    });

    button.addEventListener("click", function () {
      if (choosing) {
        var passage = chosen();
        stop();
        fillForm(passage);
        return;
      }
      // selectionchange arrives as a later task: a quick user can press the button
      // before the last one, so read the selection as it is now when it is still there.
      pending = selectionIn(root) || pending;
      if (pending) fillForm(pending);
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

    if (!chooser || !chooser.hasAttribute("data-choose-words")) return;
    var start = chooser.querySelector("[data-choose-start]");
    // The words come from the page, in the reader's language: {quote}, {count} and {label} are
    // filled in here.
    var say = chooser.dataset;
    var language = document.documentElement.lang || undefined;
    var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(language) : null;
    // A message's form for a number: data-chosen-few for 3 in Polish, data-chosen-other if the
    // page has no form for that category.
    function pluralForm(name, n) {
      var category = plurals ? plurals.select(n) : n === 1 ? "one" : "other";
      var key = name + category.charAt(0).toUpperCase() + category.slice(1);
      return say[key] || say[name + "Other"];
    }
    function fill(message, values) {
      return message.replace(/\{(\w+)\}/g, function (whole, name) {
        return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
      });
    }
    var help = chooser.querySelector("[data-choose-help]");
    var highlights = window.CSS && CSS.highlights && window.Highlight;
    var choosing = false;
    var text = null;
    var anchor = 0;
    var cursor = 0;
    var parked = [];
    var tappedOne = false; // the last tap chose one word: the next one chooses up to it
    chooser.hidden = false;

    function chosen() {
      var lo = Math.min(anchor, cursor);
      var hi = Math.max(anchor, cursor);
      var from = text.words[lo].start;
      var to = text.words[hi].end;
      return { start: from, end: to, exact: text.text.slice(from, to), count: hi - lo + 1 };
    }

    function show() {
      var passage = chosen();
      var word = text.words[cursor];
      var wordRange = rangeFor(text.nodes, word.start, word.end);
      var chosenRange = rangeFor(text.nodes, passage.start, passage.end);
      if (highlights) {
        CSS.highlights.set("chosen-words", new Highlight(chosenRange));
        CSS.highlights.set("word-cursor", new Highlight(wordRange));
      }
      var count = passage.count.toLocaleString(language);
      status.textContent = fill(pluralForm("chosen", passage.count), {
        quote: quoted(passage.exact), count: count
      });
      var box = wordRange.getBoundingClientRect();
      // The bar with the button stays at the foot of the screen: keep the word above it.
      if (box.top < 0 || box.bottom > window.innerHeight - bar.offsetHeight - 8) {
        window.scrollBy(0, box.top - window.innerHeight / 3);
      }
    }

    // Links and highlighted comments inside the wording take no focus and go nowhere
    // while words are chosen: Tab goes straight on to the button for the chosen words.
    function park() {
      parked = Array.prototype.map.call(root.querySelectorAll("a[href], [tabindex]"), function (el) {
        var before = el.getAttribute("tabindex");
        el.setAttribute("tabindex", "-1");
        return [el, before];
      });
    }

    function unpark() {
      parked.forEach(function (pair) {
        if (pair[1] === null) pair[0].removeAttribute("tabindex");
        else pair[0].setAttribute("tabindex", pair[1]);
      });
      parked = [];
    }

    function begin() {
      text = readWords(root);
      if (!text.words.length) return;
      choosing = true;
      tappedOne = false;
      anchor = cursor = 0;
      park();
      window.getSelection().removeAllRanges();
      root.classList.add("anchorable--choosing");
      root.setAttribute("tabindex", "0");
      root.setAttribute("role", "textbox");
      root.setAttribute("aria-readonly", "true");
      root.setAttribute("aria-multiline", "true");
      root.setAttribute("aria-label", fill(say.chooseLabel, { label: root.getAttribute("data-label") }));
      root.setAttribute("aria-describedby", help.id);
      help.hidden = false;
      start.textContent = say.stop;
      tools.hidden = false;
      show();
      root.focus();
    }

    function stop() {
      if (!choosing) return;
      choosing = false;
      unpark();
      if (highlights) {
        CSS.highlights.delete("chosen-words");
        CSS.highlights.delete("word-cursor");
      }
      root.classList.remove("anchorable--choosing");
      ["tabindex", "role", "aria-readonly", "aria-multiline", "aria-label", "aria-describedby"].forEach(
        function (name) { root.removeAttribute(name); }
      );
      help.hidden = true;
      start.textContent = say.start;
      status.textContent = "";
      tools.hidden = true;
    }

    // The word on the next or previous line nearest across, for the up and down arrows.
    function lineMove(step) {
      function box(i) {
        return rangeFor(text.nodes, text.words[i].start, text.words[i].end).getClientRects()[0];
      }
      var here = box(cursor);
      var line = null;
      var best = cursor;
      var bestGap = Infinity;
      var centre = here.left + here.width / 2;
      for (var i = cursor + step; i >= 0 && i < text.words.length; i += step) {
        var r = box(i);
        if (!r) continue;
        var other = step > 0 ? r.top >= here.bottom - 2 : r.bottom <= here.top + 2;
        if (!other) continue;
        if (line === null) line = r.top;
        if (Math.abs(r.top - line) > 2) break;
        var gap = Math.abs(r.left + r.width / 2 - centre);
        if (gap < bestGap) {
          bestGap = gap;
          best = i;
        }
      }
      return best;
    }

    start.addEventListener("click", function () {
      if (choosing) {
        stop();
        status.textContent = say.stopped;
      } else {
        begin();
      }
    });

    root.addEventListener("keydown", function (event) {
      if (!choosing || event.target !== root || event.altKey || event.ctrlKey || event.metaKey) return;
      var last = text.words.length - 1;
      var to = {
        ArrowRight: Math.min(cursor + 1, last),
        ArrowLeft: Math.max(cursor - 1, 0),
        Home: 0,
        End: last
      }[event.key];
      if (event.key === "ArrowDown") to = lineMove(1);
      if (event.key === "ArrowUp") to = lineMove(-1);
      if (to !== undefined) {
        event.preventDefault();
        tappedOne = false;
        cursor = to;
        if (!event.shiftKey) anchor = cursor;
        show();
      } else if (event.key === "Enter") {
        event.preventDefault();
        button.click();
      } else if (event.key === "Escape") {
        event.preventDefault();
        stop();
        status.textContent = say.stopped;
        start.focus();
      }
    });

    // A tap (or click) on a word chooses it; a tap on a second word chooses all the words
    // from the first to it; the next tap starts again. Links in the wording stay put.
    function wordAt(x, y) {
      var nearest = 0;
      var nearestGap = Infinity;
      for (var i = 0; i < text.words.length; i += 1) {
        var rects = rangeFor(text.nodes, text.words[i].start, text.words[i].end).getClientRects();
        for (var j = 0; j < rects.length; j += 1) {
          var r = rects[j];
          var dx = x < r.left ? r.left - x : x > r.right ? x - r.right : 0;
          var dy = y < r.top ? r.top - y : y > r.bottom ? y - r.bottom : 0;
          var gap = dy * 1000 + dx;
          if (gap < nearestGap) {
            nearestGap = gap;
            nearest = i;
          }
        }
      }
      return nearest;
    }

    root.addEventListener("click", function (event) {
      if (!choosing) return;
      event.preventDefault();
      var i = wordAt(event.clientX, event.clientY);
      if ((tappedOne && i !== cursor) || event.shiftKey) {
        cursor = i;
        tappedOne = false;
      } else {
        anchor = cursor = i;
        tappedOne = true;
      }
      window.getSelection().removeAllRanges();
      show();
      root.focus();
    });

    // Focus gone elsewhere than the wording, its button or the start button: stop choosing.
    document.addEventListener("focusin", function (event) {
      if (!choosing) return;
      var t = event.target;
      if (root.contains(t) || t === button || t === start) return;
      stop();
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
      if (root.classList.contains("anchorable--choosing")) return;
      var mark = event.target.closest("mark.comment-mark");
      if (!mark || !window.getSelection().isCollapsed) return;
      threadsOn(mark);
    });
    root.addEventListener("keydown", function (event) {
      if (root.classList.contains("anchorable--choosing")) return;
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
