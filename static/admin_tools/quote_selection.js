/* "Create quote from selection" on the admin's article page.
 *
 * An editor selects a passage in the body textarea; the button opens the quote add form with
 * the article, the passage and which occurrence of it the selection is, so that a phrase the
 * body repeats is anchored where it was selected. Occurrences are counted as the server counts
 * them (claims.models.locate: non-overlapping matches from the start of the body), which also
 * keeps the count right where JavaScript and Python count characters differently.
 *
 * The server renders the container (ArticleAdmin.quote_from_selection) with the add form's URL
 * and the article's id; without it (a new article) the script does nothing.
 */
(function () {
  "use strict";

  // Python's str.strip() and JavaScript's trim() agree on what counts as white space here.
  function trimmed(body, start, end) {
    const raw = body.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    return {text: text, start: start + lead};
  }

  // 1-based rank of the match starting at `start` among the non-overlapping matches of `text`.
  function occurrenceAt(body, text, start) {
    let count = 0;
    let from = 0;
    for (;;) {
      const found = body.indexOf(text, from);
      if (found === -1 || found > start) {
        return null;
      }
      count += 1;
      if (found === start) {
        return count;
      }
      from = found + text.length;
    }
  }

  function normalized(value) {
    return value.replace(/\r\n?/g, "\n");
  }

  function setUp(container) {
    const body = document.getElementById("id_body");
    if (!body) {
      return;
    }
    const saved = normalized(body.value);
    const button = document.createElement("a");
    button.className = "button quote-selection-button";
    // Still a link (announced as disabled) while it has no address.
    button.setAttribute("role", "link");
    button.textContent = "Create quote from selection";
    button.target = "_blank";
    button.rel = "noopener";
    const status = document.createElement("p");
    status.className = "help quote-selection-status";
    status.setAttribute("aria-live", "polite");
    container.replaceChildren(button, status);
    // Beside the body, where the selection is made; the row it came in stays empty, so hide it.
    const row = container.closest(".form-row");
    body.insertAdjacentElement("afterend", container);
    if (row) {
      row.hidden = true;
    }

    function disable(message) {
      button.removeAttribute("href");
      button.setAttribute("aria-disabled", "true");
      button.classList.add("disabled");
      status.textContent = message;
    }

    function update() {
      const value = normalized(body.value);
      if (value !== saved) {
        disable("The body has unsaved changes: save the article, then select the passage.");
        return;
      }
      const selection = trimmed(value, body.selectionStart, body.selectionEnd);
      if (!selection.text) {
        disable("Select a passage of the body to quote it.");
        return;
      }
      const params = new URLSearchParams({
        article: container.dataset.article,
        text: selection.text,
      });
      const occurrence = occurrenceAt(value, selection.text, selection.start);
      if (occurrence !== null) {
        params.set("occurrence", String(occurrence));
      }
      button.href = container.dataset.addUrl + "?" + params.toString();
      button.removeAttribute("aria-disabled");
      button.classList.remove("disabled");
      const where = occurrence && occurrence > 1 ? ` (occurrence ${occurrence})` : "";
      status.textContent = `${selection.text.length} characters selected${where}.`;
    }

    for (const event of ["select", "selectionchange", "mouseup", "keyup", "input"]) {
      body.addEventListener(event, update);
    }
    document.addEventListener("selectionchange", function () {
      if (document.activeElement === body) {
        update();
      }
    });
    button.addEventListener("click", function (event) {
      if (!button.hasAttribute("href")) {
        event.preventDefault();
      }
    });
    update();
  }

  function start() {
    const container = document.querySelector(".quote-selection[data-add-url]");
    if (container) {
      setUp(container);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
