// The conversation of <llmbase-chat>: its messages with their bubbles, message actions, inline edit, and persistence.
import { assistantBubble, editForm, userBubble } from './chat-bubbles.mjs';
import { clearHistory, loadHistory, pageStorage, saveHistory, textOf } from './chat-history.mjs';
import { renderMarkdown } from './markdown-render.mjs';

/** Entries { message, node, image }: the API message, its bubble, the name of an image it carried. */
export class Transcript {
  #log;
  #empty;
  #entries = [];

  constructor(log, empty) {
    this.#log = log;
    this.#empty = empty;
  }

  get messages() {
    return this.#entries.map((e) => e.message);
  }

  get last() {
    return this.#entries[this.#entries.length - 1];
  }

  entryOf(node) {
    return this.#entries.find((e) => e.node.contains(node)) || null;
  }

  add(message, node, image) {
    this.#empty.hidden = true;
    const entry = { message, node, image };
    this.#entries.push(entry);
    if (!node.isConnected) this.#log.append(node);
    return entry;
  }

  /** Removes `entry` and every later one (bubbles too); returns what was removed. */
  removeFrom(entry) {
    const at = this.#entries.indexOf(entry);
    const removed = at === -1 ? [] : this.#entries.splice(at);
    for (const later of removed) later.node.remove();
    return removed;
  }

  clear() {
    this.#entries = [];
    for (const node of [...this.#log.children]) if (node !== this.#empty) node.remove();
    this.#empty.hidden = false;
  }

  /** Edit on the last user message and Regenerate on a last reply, only while nothing runs. */
  refreshActions(busy) {
    const last = this.last;
    const lastUser = [...this.#entries].reverse().find((e) => e.message.role === 'user');
    for (const entry of this.#entries) {
      const edit = entry.node.querySelector('[data-action=edit]');
      const regenerate = entry.node.querySelector('[data-action=regenerate]');
      if (edit) edit.hidden = busy || entry !== lastUser;
      if (regenerate) regenerate.hidden = busy || entry !== last;
    }
  }

  save(key) {
    if (key) saveHistory(pageStorage(), key, this.#entries);
  }

  forget(key) {
    clearHistory(pageStorage(), key);
  }

  /**
   * Adds the conversation stored under `key`: untrusted text, user messages as text and replies
   * through the same safe Markdown renderer as live ones. Returns how many messages came back.
   */
  restore(key, t, labels) {
    const { messages } = loadHistory(pageStorage(), key);
    for (const message of messages) {
      let node;
      if (message.role === 'user') {
        node = userBubble(message.content, message.image, t, { kept: false });
      } else {
        const bubble = assistantBubble('', t);
        bubble.body.append(renderMarkdown(message.content, document, labels));
        bubble.finish(null);
        node = bubble.node;
      }
      this.add({ role: message.role, content: message.content }, node, message.image);
    }
    return messages.length;
  }

  /**
   * Opens the inline editor on `entry` (a user message). `onSubmit(text, image, removeOld)` gets
   * the new text, the image the message carried ({ name, url } or null) and a function that removes
   * the entry and all later ones. Returns false when an editor is already open.
   */
  edit(entry, t, onSubmit) {
    if (entry.node.querySelector('form.edit')) return false;
    const { form, box, cancel } = editForm(textOf(entry.message.content), t);
    const text = entry.node.querySelector('.user-text');
    text.hidden = true;
    entry.node.append(form);
    cancel.addEventListener('click', () => {
      form.remove();
      text.hidden = false;
      entry.node.querySelector('[data-action=edit]').focus();
    });
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation(); // Escape cancels the edit here, it does not stop a reply
        cancel.click();
      } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const part = Array.isArray(entry.message.content) && entry.message.content.find((p) => p.type === 'image_url');
      const image = part ? { name: entry.image || 'image', url: part.image_url.url } : null;
      onSubmit(box.value, image, () => this.removeFrom(entry));
    });
    box.focus();
    return true;
  }
}
