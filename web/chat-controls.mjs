// <llmbase-chat>'s controls: the shadow DOM they live in, and their events (form, keys, buttons, picker, images, actions).
import { CHAT_CSS } from './chat-styles.mjs';
import { TEMPLATE } from './chat-template.mjs';
import { wireImageInput } from './chat-attach.mjs';
import { textOf } from './chat-history.mjs';
import { copyText } from './markdown-render.mjs';

/** Fills the shadow `root` with the widget's style and markup; `ui` gets its elements by camelCased id. */
export function fillShadow(root, ui) {
  const style = document.createElement('style');
  style.textContent = CHAT_CSS;
  const holder = document.createElement('template');
  holder.innerHTML = TEMPLATE; // our own fixed markup; model text never goes through innerHTML
  root.append(style, holder.content.cloneNode(true));
  for (const node of root.querySelectorAll('[id]')) ui[node.id.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = node;
}

/**
 * Connects the widget's controls (`ui`, its elements by camelCased id, inside `root`) to what the
 * element does (`on`: send, stop, clear, busy, modelChanged, takeImage, unattach, codeCopied, and for a
 * message's buttons entryOf, messageCopied, edit, regenerate).
 */
export function wireControls(root, ui, on) {
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    on.send();
    ui.prompt.focus();
  });
  ui.prompt.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (!on.busy()) on.send();
    }
  });
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && on.busy()) {
      event.preventDefault();
      on.stop();
      ui.prompt.focus();
    }
  });
  ui.stop.addEventListener('click', () => {
    on.stop();
    ui.prompt.focus(); // the Stop button is about to be disabled: keep focus somewhere useful
  });
  ui.clear.addEventListener('click', () => on.clear());
  ui.model.addEventListener('change', () => on.modelChanged());
  ui.attach.addEventListener('click', () => ui.file.click());
  ui.file.addEventListener('change', () => {
    const file = ui.file.files && ui.file.files[0];
    ui.file.value = '';
    if (file) on.takeImage(file);
  });
  ui.unattach.addEventListener('click', () => {
    on.unattach();
    ui.attach.focus();
  });
  ui.log.addEventListener('md-copy', (event) => on.codeCopied(event.detail.ok));
  ui.log.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    const entry = button && on.entryOf(button);
    if (!entry) return;
    const action = button.dataset.action;
    if (action === 'copy') {
      copyText(textOf(entry.message.content)).then((ok) => on.messageCopied(ok));
    } else if (action === 'edit') {
      on.edit(entry);
    } else if (action === 'regenerate') {
      on.regenerate();
      ui.prompt.focus();
    }
  });
  // An image pasted into the message box, or dropped anywhere on the widget, is attached.
  wireImageInput(ui.prompt, ui.form.parentElement, ui.dropHint, (file) => on.takeImage(file));
}
