// Message bubbles of <llmbase-chat>: built with createElement and text nodes only, never markup.

/** The bubble of a user message: plain text (and the name of an attached image). */
export function userBubble(text, attachment) {
  const node = document.createElement('article');
  node.className = 'msg user';
  node.setAttribute('aria-label', 'You');
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = 'You';
  node.append(who, text);
  if (attachment) {
    const note = document.createElement('span');
    note.className = 'attached';
    note.textContent = `Image: ${attachment.name}`;
    node.append(note);
  }
  return node;
}

/**
 * The bubble of a reply being written: `body` receives the Markdown, a typing indicator shows until
 * the first text, `reasoning()` adds to a collapsed "Thinking" section, `note()` and `finish()` end it.
 */
export function assistantBubble(model) {
  const node = document.createElement('article');
  node.className = 'msg assistant';
  node.setAttribute('aria-label', 'Assistant');
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = `Assistant · ${model}`;
  const body = document.createElement('div');
  body.className = 'md';
  const typing = document.createElement('span');
  typing.className = 'typing';
  typing.setAttribute('aria-hidden', 'true');
  typing.append(document.createElement('span'), document.createElement('span'), document.createElement('span'));
  node.append(who, typing, body);
  let thinking = null;
  return {
    node,
    body,
    started: () => typing.remove(),
    reasoning(text) {
      if (!thinking) {
        const details = document.createElement('details');
        details.className = 'thinking';
        const summary = document.createElement('summary');
        summary.textContent = 'Thinking';
        thinking = document.createElement('div');
        thinking.className = 'reasoning';
        details.append(summary, thinking);
        node.insertBefore(details, body);
      }
      thinking.append(text); // plain text, as written
    },
    note(text, warn = false) {
      typing.remove();
      const p = document.createElement('p');
      p.className = warn ? 'note warn' : 'note';
      p.textContent = text;
      node.append(p);
    },
    finish(completion) {
      typing.remove();
      const usage = completion && completion.usage;
      if (!usage) return;
      const usd = completion.cost && completion.cost.usd;
      const cost = typeof usd === 'number' && Number.isFinite(usd) ? ` · $${usd.toPrecision(2)}` : '';
      const meta = document.createElement('p');
      meta.className = 'meta';
      meta.textContent = `${usage.total_tokens} tokens${cost}`;
      node.append(meta);
    },
    remove: () => node.remove(),
  };
}
