// notesite: keyboard and focus for quizzes. Every page also works without this file.
"use strict";

function quizCard() {
  return document.getElementById("quiz-card");
}

// After htmx swaps a card in, move focus to what it marks, so screen readers announce it.
document.addEventListener("htmx:afterSwap", () => {
  const card = quizCard();
  if (!card) return;
  const field = card.querySelector("input[autofocus]");
  const target = field || card.querySelector("[data-autofocus]");
  if (target) target.focus();
});

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  const card = quizCard();
  if (!card) return;
  const typing = event.target.closest("input, textarea, select");
  // Keys 1-4 pick an option of a multiple-choice question.
  if (!typing && /^[1-9]$/.test(event.key)) {
    const option = card.querySelector(`.options button[data-key="${event.key}"]`);
    if (option) {
      event.preventDefault();
      option.click();
    }
    return;
  }
  // Enter on the feedback goes on to the next question.
  if (event.key === "Enter" && !typing && !event.target.closest("a, button")) {
    const next = card.querySelector("a.next");
    if (next) {
      event.preventDefault();
      next.click();
    }
  }
});
