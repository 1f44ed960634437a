// Message bubbles of <llmbase-chat>: built with createElement and text nodes only, never markup; `t` gives their words.

function actionButton(t, action, text, label, hidden = false) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'small';
  button.dataset.action = action; // the widget handles clicks on the log, by action and bubble
  button.textContent = t(text);
  button.setAttribute('aria-label', t(label));
  button.hidden = hidden;
  return button;
}

function actions(...buttons) {
  const row = document.createElement('div');
  row.className = 'msg-actions';
  row.append(...buttons);
  return row;
}

/** The bubble of a user message: plain text (and the name of an attached image), Copy and Edit. */
export function userBubble(text, image, t, { kept = true } = {}) {
  const node = document.createElement('article');
  node.className = 'msg user';
  node.setAttribute('aria-label', t('you'));
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = t('you');
  const body = document.createElement('span');
  body.className = 'user-text';
  body.textContent = text;
  node.append(who, body);
  if (image) {
    const note = document.createElement('span');
    note.className = 'attached';
    note.textContent = t(kept ? 'imageName' : 'imageNotKept', { name: image });
    node.append(note);
  }
  node.append(actions(actionButton(t, 'copy', 'copyMessage', 'copyMessageLabel'), actionButton(t, 'edit', 'edit', 'editLabel', true)));
  return node;
}

/** The inline editor of a user bubble: a labelled text box, "Send again" and "Cancel". */
export function editForm(text, t) {
  const form = document.createElement('form');
  form.className = 'edit';
  const box = document.createElement('textarea');
  box.value = text;
  box.rows = 3;
  box.setAttribute('aria-label', t('editBox'));
  const row = document.createElement('div');
  row.className = 'row';
  const send = document.createElement('button');
  send.type = 'submit';
  send.className = 'small primary';
  send.textContent = t('resend');
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.className = 'small';
  cancel.textContent = t('cancel');
  row.append(send, cancel);
  form.append(box, row);
  return { form, box, cancel };
}

/**
 * The bubble of a reply being written: `body` receives the Markdown, a typing indicator shows until
 * the first text, `reasoning()` adds to a collapsed "Thinking" section, `note()` and `finish()` end it.
 */
export function assistantBubble(model, t) {
  const node = document.createElement('article');
  node.className = 'msg assistant';
  node.setAttribute('aria-label', t('assistant'));
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = model ? t('assistantModel', { model }) : t('assistant');
  const body = document.createElement('div');
  body.className = 'md';
  const typing = document.createElement('span');
  typing.className = 'typing';
  typing.setAttribute('aria-hidden', 'true');
  typing.append(document.createElement('span'), document.createElement('span'), document.createElement('span'));
  const row = actions(
    actionButton(t, 'copy', 'copyMessage', 'copyMessageLabel'),
    actionButton(t, 'regenerate', 'regenerate', 'regenerateLabel')
  );
  row.hidden = true; // shown once the reply has ended
  node.append(who, typing, body, row);
  let thinking = null;
  const end = () => {
    typing.remove();
    row.hidden = false;
  };
  return {
    node,
    body,
    started: () => typing.remove(),
    reasoning(text) {
      if (!thinking) {
        const details = document.createElement('details');
        details.className = 'thinking';
        const summary = document.createElement('summary');
        summary.textContent = t('thinking');
        thinking = document.createElement('div');
        thinking.className = 'reasoning';
        details.append(summary, thinking);
        node.insertBefore(details, body);
      }
      thinking.append(text); // plain text, as written
    },
    note(text, warn = false) {
      end();
      const p = document.createElement('p');
      p.className = warn ? 'note warn' : 'note';
      p.textContent = text;
      node.insertBefore(p, row);
    },
    finish(completion) {
      end();
      const usage = completion && completion.usage;
      if (!usage) return;
      const usd = completion.cost && completion.cost.usd;
      const cost = typeof usd === 'number' && Number.isFinite(usd) ? ` · $${usd.toPrecision(2)}` : '';
      const meta = document.createElement('p');
      meta.className = 'meta';
      meta.textContent = `${t('tokens', { tokens: usage.total_tokens })}${cost}`;
      node.insertBefore(meta, row);
    },
    remove: () => node.remove(),
  };
}
