// Auto-scroll of the <llmbase-chat> transcript: follows the stream only while the reader is at the bottom.
//
// Scrolling up (wheel, keys, touch) unpins it and shows the "jump to latest" button; reaching the
// bottom again, or the button, pins it. Content growing does not unpin: only a smaller scrollTop
// than the one we left (the reader moving up) does.
const NEAR = 48; // px from the bottom that still count as "at the bottom"

export class AutoScroll {
  #log;
  #button;
  #pinned = true;
  #lastTop = 0;

  constructor(log, button) {
    this.#log = log;
    this.#button = button;
    log.addEventListener('scroll', () => this.#onScroll(), { passive: true });
    button.addEventListener('click', () => {
      this.toBottom();
      log.focus({ preventScroll: true });
    });
  }

  get pinned() {
    return this.#pinned;
  }

  #atBottom() {
    const log = this.#log;
    return log.scrollHeight - log.scrollTop - log.clientHeight < NEAR;
  }

  #onScroll() {
    const top = this.#log.scrollTop;
    if (this.#atBottom()) this.#pin(true);
    else if (top < this.#lastTop - 1) this.#pin(false);
    this.#lastTop = top;
  }

  #pin(pinned) {
    this.#pinned = pinned;
    this.#button.hidden = pinned;
  }

  /** After the transcript changed: keeps the bottom in view if pinned, else offers the button. */
  follow() {
    if (this.#pinned) {
      this.#log.scrollTop = this.#log.scrollHeight;
      this.#lastTop = this.#log.scrollTop;
    } else if (!this.#atBottom()) {
      this.#button.hidden = false;
    }
  }

  toBottom() {
    this.#pin(true);
    this.follow();
  }
}
