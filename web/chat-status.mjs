// What <llmbase-chat> tells the reader about its state: the live region's announcements and the busy controls.
export class ChatStatus {
  #host;
  #ui;

  /** `host`: the element (it carries the `streaming` attribute); `ui`: its shadow parts. */
  constructor(host, ui) {
    this.#host = host;
    this.#ui = ui;
  }

  /** Says `text` through the live region (role="status"); the last text stays in data-last. */
  announce(text) {
    // Cleared first, set a moment later, so that the same words twice in a row are announced again.
    const region = this.#ui.announce;
    region.textContent = '';
    setTimeout(() => {
      region.textContent = text;
    }, 20);
    region.dataset.last = text;
  }

  /**
   * Send off and Stop on while `busy`. `preparing`: a send that has not reached the network yet,
   * so the log is not marked busy and the element does not say it is streaming.
   */
  busy(busy, { preparing = false } = {}) {
    const ui = this.#ui;
    if (!preparing) ui.log.setAttribute('aria-busy', String(busy));
    ui.send.disabled = busy;
    ui.stop.disabled = !busy;
    this.#host.toggleAttribute('streaming', busy && !preparing);
  }
}
