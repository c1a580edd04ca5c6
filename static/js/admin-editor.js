// notesite admin: the Markdown editor's line numbers and error marks, its live preview (htmx)
// and Ctrl/Cmd+S to save. Without this file the form works as a plain textarea.
"use strict";

// The Content-Security-Policy allows no inline <style>, which htmx would add for indicators.
if (window.htmx) {
  htmx.config.includeIndicatorStyles = false;
  htmx.config.allowEval = false;
}

function lineElement(number, height, marks) {
  const line = document.createElement("div");
  line.textContent = String(number);
  line.style.height = `${height}px`; // CSSOM, which the policy allows (style="" it does not)
  if (marks.errors.has(number)) line.classList.add("has-error");
  else if (marks.warnings.has(number)) line.classList.add("has-warning");
  return line;
}

function setUpEditor(editor) {
  const textarea = editor.querySelector("textarea");
  const gutter = editor.querySelector(".editor-gutter");
  const mirror = document.createElement("div");
  mirror.className = "editor-mirror";
  mirror.setAttribute("aria-hidden", "true");
  editor.querySelector(".editor-pane").append(mirror);
  editor.querySelectorAll("[hidden]").forEach((element) => { element.hidden = false; });
  editor.classList.add("is-live");
  const marks = { errors: new Set(), warnings: new Set() };

  // Each number is as tall as its line, wrapped or not: a hidden copy of the text measures them.
  function renumber() {
    const lines = textarea.value.split("\n");
    mirror.style.width = `${textarea.clientWidth}px`;
    mirror.replaceChildren(...lines.map((text) => {
      const line = document.createElement("div");
      line.textContent = text || "\u200b";
      return line;
    }));
    const heights = Array.from(mirror.children, (line) => line.getBoundingClientRect().height);
    gutter.replaceChildren(...heights.map((height, index) => lineElement(index + 1, height, marks)));
    gutter.style.height = `${textarea.offsetHeight}px`;
    gutter.scrollTop = textarea.scrollTop;
  }

  let pending = false;
  function scheduleRenumber() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; renumber(); });
  }

  textarea.addEventListener("input", scheduleRenumber);
  textarea.addEventListener("scroll", () => { gutter.scrollTop = textarea.scrollTop; });
  new ResizeObserver(scheduleRenumber).observe(textarea);

  editor.addEventListener("htmx:afterSwap", () => {
    const result = editor.querySelector(".live-preview-result");
    const numbers = (value) => new Set((value || "").split(" ").filter(Boolean).map(Number));
    marks.errors = numbers(result && result.dataset.errorLines);
    marks.warnings = numbers(result && result.dataset.warningLines);
    scheduleRenumber();
  });
  renumber();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-markdown-editor]").forEach(setUpEditor);
});

// Ctrl/Cmd+S saves and stays on the page, as "Save and continue editing" does.
document.addEventListener("keydown", (event) => {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== "s") return;
  const editor = document.querySelector("[data-markdown-editor]");
  const save = editor && editor.closest("form").querySelector("input[name=_continue]");
  if (!save) return;
  event.preventDefault();
  save.click();
});
