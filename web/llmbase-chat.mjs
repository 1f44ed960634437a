// <llmbase-chat>: a chat widget for static pages (custom element, shadow DOM) over the llmbase-wasm browser build.
//
// A site owner adds one script and one element:
//   <script type="module" src="/chat/llmbase-chat.mjs"></script>
//   <llmbase-chat base-url="https://chat-proxy.example.com/v1" model="deepseek/deepseek-v4-flash"></llmbase-chat>
// and puts next to llmbase-chat.mjs the other web/*.mjs files it imports (chat-*.mjs, markdown*.mjs,
// model-info.mjs) and the package's dist/ folder as ./dist/. The one line that says where the
// package is, is the import below: point it elsewhere (a CDN copy of dist/browser.mjs, a bundler's
// 'llmbase-wasm') and nothing else changes.
//
// The page never holds a key. base-url is a server the site owner controls that adds the key on its
// side, e.g. `LLMBASE_API_KEY=… npx llmbase serve --proxy --upstream https://api.llmbase.ai/v1`;
// without base-url the widget uses /v1 on its own origin. There is no api-key attribute: one in
// the markup is ignored with a console error.
import { LLMBase } from './dist/browser.mjs';
import { CHAT_CSS } from './chat-styles.mjs';
import { describeError } from './chat-errors.mjs';
import { MarkdownStream } from './markdown-stream.mjs';
import { assistantBubble, userBubble } from './chat-bubbles.mjs';
import { acceptsImages, capabilities, contextText, maxOutput, optionLabel, priceText } from './model-info.mjs';

export const DEFAULT_MAX_TOKENS = 1024;
const MAX_IMAGE_BYTES = 2.5 * 1024 * 1024; // as a data URL it grows by 4/3; proxies take 4 MiB bodies by default

/**
 * The client the widget uses: no key and no Authorization header at all (allowMissingKey), since the
 * server at `baseURL` adds the key; no cookies either, the proxy needs none.
 */
export function createWidgetClient(baseURL) {
  return new LLMBase({
    baseURL,
    apiKey: '',
    allowMissingKey: true,
    // A person is waiting: at most one quiet retry, and never a long silent wait for a server's
    // retry-after; past 3 s the widget says how long to wait instead.
    maxRetries: 1,
    maxRetryAfterMs: 3000,
    fetch: (url, init) => fetch(url, { ...init, credentials: 'omit' }),
  });
}

const TEMPLATE = `
  <section class="chat" part="chat" aria-labelledby="title">
    <header class="head" part="header">
      <h2 class="title" id="title"></h2>
      <div class="picker">
        <label for="model">Model</label>
        <select id="model" aria-describedby="model-info"><option value="">Loading models…</option></select>
      </div>
      <p class="model-info" id="model-info"></p>
    </header>
    <div class="log" id="log" part="log" role="log" aria-live="polite" aria-relevant="additions" aria-busy="false" aria-label="Conversation" tabindex="0">
      <p class="empty" id="empty">No messages yet. Replies stream in as they are written.</p>
    </div>
    <div class="visually-hidden" id="announce" role="status" aria-live="polite"></div>
    <div class="error" id="error" part="error" role="alert" hidden>
      <p class="error-title" id="error-title"></p>
      <ul id="findings" hidden></ul>
      <p id="error-hint"></p>
      <div class="row">
        <button type="button" class="small" id="retry">Try again</button>
        <button type="button" class="small" id="dismiss">Dismiss</button>
      </div>
    </div>
    <form id="form" part="form">
      <label for="prompt" class="visually-hidden">Message</label>
      <textarea id="prompt" rows="2" aria-describedby="keys-hint"></textarea>
      <span class="visually-hidden" id="keys-hint">Enter sends, Shift+Enter adds a line, Escape stops a reply.</span>
      <div class="actions">
        <button type="button" id="attach" hidden>Attach image</button>
        <input type="file" id="file" accept="image/*" hidden tabindex="-1">
        <span class="attachment" id="attachment" hidden><span id="attachment-name"></span>
          <button type="button" class="small" id="unattach">Remove</button></span>
        <span class="spacer"></span>
        <button type="button" id="clear">New chat</button>
        <button type="button" id="stop" disabled>Stop</button>
        <button type="submit" class="primary" id="send">Send</button>
      </div>
    </form>
  </section>`;

export class LLMBaseChat extends HTMLElement {
  static observedAttributes = ['base-url', 'model', 'system', 'max-tokens', 'placeholder', 'title', 'api-key', 'data-api-key'];

  #ui = {};
  #client = null;
  #clientURL = '';
  #models = [];
  #messages = [];
  #streaming = null;
  #attachment = null;
  #failed = null; // { bubble } of the last reply that failed: Try again replaces it
  #retryAction = null;
  #ready = null;
  #preparing = false;
  #generation = 0; // bumped by clear(): a reply that ends after it must not touch the new chat

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = CHAT_CSS;
    const holder = document.createElement('template');
    holder.innerHTML = TEMPLATE; // our own fixed markup; model text never goes through innerHTML
    root.append(style, holder.content.cloneNode(true));
    for (const node of root.querySelectorAll('[id]')) this.#ui[node.id.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = node;
    this.#wire();
  }

  connectedCallback() {
    this.#render();
    if (!this.#ready) this.#ready = this.#loadModels();
  }

  disconnectedCallback() {
    this.stop(); // a reply nobody can see any more should not keep a connection (and a server slot) busy
  }

  /** Focuses the message box. */
  focus(options) {
    this.#ui.prompt.focus(options);
  }

  attributeChangedCallback(name, oldValue, value) {
    if (name === 'api-key' || name === 'data-api-key') {
      if (value !== null) {
        console.error('<llmbase-chat>: the api-key attribute is ignored. A key in a page is readable by every visitor; point base-url at a proxy that holds it (npx llmbase serve --proxy).');
      }
      return;
    }
    if (!this.shadowRoot) return;
    if (name === 'base-url' && this.isConnected && oldValue !== value) this.#ready = this.#loadModels();
    else if (name === 'model' && value && this.#models.length) this.#select(value);
    else this.#render();
  }

  // Attribute-backed properties: the attribute is the source of truth.
  get baseUrl() { return this.getAttribute('base-url') || ''; }
  set baseUrl(value) { this.setAttribute('base-url', value); }
  get system() { return this.getAttribute('system') || ''; }
  set system(value) { this.setAttribute('system', value); }
  get placeholder() { return this.getAttribute('placeholder') || ''; }
  set placeholder(value) { this.setAttribute('placeholder', value); }
  get maxTokens() {
    const value = Number.parseInt(this.getAttribute('max-tokens'), 10);
    return Number.isInteger(value) && value > 0 ? value : DEFAULT_MAX_TOKENS;
  }
  set maxTokens(value) { this.setAttribute('max-tokens', String(value)); }
  /** The selected model id (setting it selects that model). */
  get model() { return this.#ui.model.value || this.getAttribute('model') || ''; }
  set model(value) { this.setAttribute('model', value); }

  /** The model metadata list the picker was filled from. */
  get models() { return this.#models.slice(); }
  /** The conversation so far (what the next request sends, without the system message). */
  get messages() { return structuredClone(this.#messages); }
  get streaming() { return this.#streaming !== null; }
  /** Resolves once the model list has loaded (or failed to). */
  get ready() { return this.#ready ?? Promise.resolve(); }

  /** Sends `text` (default: what is in the text box) as the next user message. */
  async send(text) {
    // #preparing covers the awaits before the reply starts, so a double Enter sends once.
    if (this.#streaming || this.#preparing) return undefined;
    this.#preparing = true;
    try {
      return await this.#send(text);
    } finally {
      this.#preparing = false;
    }
  }

  async #send(text) {
    const typed = text === undefined;
    const content = (typed ? this.#ui.prompt.value : String(text)).trim();
    if (!content && !this.#attachment) return undefined;
    await this.ready;
    const model = this.model;
    if (!model) return this.#showError({ kind: 'invalid_argument', message: 'no model is available to send to.' });
    const user = { role: 'user', content: this.#attachment
      ? [{ type: 'text', text: content }, { type: 'image_url', image_url: { url: this.#attachment.url } }]
      : content };
    const params = this.#params(model, [...this.#messages, user]);
    // Checked against the model's metadata before anything is sent (the shared wasm validator).
    const check = await this.#client.validate(params).catch(() => null);
    if (check && !check.ok) {
      return this.#showError({ kind: 'validation', name: 'ValidationError', findings: check.findings }, { model });
    }
    const sending = this.#emit('llmbase-send', { model, message: user, params }, true);
    if (!sending) return undefined;
    this.#hideError();
    if (typed) this.#ui.prompt.value = '';
    this.#ui.log.setAttribute('aria-busy', 'true'); // the user bubble and the reply are announced together at the end
    this.#messages.push(user);
    this.#addUserBubble(content, this.#attachment);
    this.#setAttachment(null);
    this.#emit('llmbase-message', { role: 'user', content: user.content, model });
    this.#preparing = false;
    return this.#reply(model);
  }

  /** Stops the reply being written; what arrived stays. */
  stop() {
    if (this.#streaming) this.#streaming.abort();
  }

  /** Sends the last message again after a failed reply. */
  async retry() {
    const last = this.#messages[this.#messages.length - 1];
    if (this.#streaming || !last || last.role !== 'user') return undefined;
    this.#hideError();
    if (this.#failed && this.#failed.bubble) this.#failed.bubble.remove();
    this.#failed = null;
    this.#ui.log.setAttribute('aria-busy', 'true');
    return this.#reply(this.model);
  }

  /** Starts a new conversation. */
  clear() {
    this.stop();
    this.#generation += 1;
    this.#messages = [];
    this.#failed = null;
    this.#hideError();
    for (const node of [...this.#ui.log.children]) if (node !== this.#ui.empty) node.remove();
    this.#ui.empty.hidden = false;
    this.#announce('New chat started.');
    this.#ui.prompt.focus();
  }

  #params(model, messages) {
    const system = this.system ? [{ role: 'system', content: this.system }] : [];
    const limit = maxOutput(this.#models.find((m) => m.id === model));
    // Every request carries max_tokens: the attribute (default 1024), never above what the model allows.
    const maxTokens = limit ? Math.min(this.maxTokens, limit) : this.maxTokens;
    return { model, stream: true, max_tokens: maxTokens, messages: [...system, ...messages] };
  }

  async #reply(model) {
    const generation = this.#generation;
    const current = () => generation === this.#generation;
    const controller = new AbortController();
    this.#streaming = controller;
    this.#setBusy(true);
    this.#announce(`Reply from ${model} started.`);
    this.#emit('llmbase-stream-start', { model });
    const bubble = this.#addAssistantBubble(model);
    const markdown = new MarkdownStream(bubble.body);
    let outcome = 'done';
    try {
      const stream = await this.#client.chat.completions.create(this.#params(model, this.#messages), { signal: controller.signal });
      for await (const chunk of stream) {
        const delta = (chunk.choices && chunk.choices[0] && chunk.choices[0].delta) || {};
        const thinking = delta.reasoning_content || delta.reasoning;
        if (thinking) this.#follow(() => bubble.reasoning(thinking));
        if (delta.content) this.#follow(() => { bubble.started(); markdown.append(delta.content); });
      }
      const completion = await stream.finalChatCompletion();
      markdown.finish();
      bubble.finish(completion);
      if (current()) this.#messages.push({ role: 'assistant', content: markdown.text });
      this.#emit('llmbase-message', { role: 'assistant', content: markdown.text, model, usage: completion.usage || null, cost: completion.cost || null, completion });
    } catch (error) {
      markdown.finish();
      if (controller.signal.aborted || (error && error.kind === 'user_abort')) {
        outcome = 'stopped';
        if (markdown.text) {
          bubble.note('Stopped. The reply above is incomplete.');
          if (current()) this.#messages.push({ role: 'assistant', content: markdown.text }); // what the user saw is the context
          this.#emit('llmbase-message', { role: 'assistant', content: markdown.text, model, stopped: true });
        } else {
          bubble.remove();
        }
      } else {
        outcome = 'error';
        if (markdown.text) bubble.note('The reply broke off here.', true);
        else bubble.remove();
        if (current()) {
          this.#failed = { bubble: markdown.text ? bubble.node : null };
          this.#showError(error, { model });
        }
      }
    } finally {
      this.#streaming = null;
      this.#setBusy(false);
      this.#announce(outcome === 'done' ? 'Reply finished.' : outcome === 'stopped' ? 'Reply stopped.' : 'Reply failed.');
      this.#emit('llmbase-stream-end', { model, outcome });
    }
  }

  // Runs a DOM update and keeps the transcript pinned to the bottom if the reader was there.
  #follow(update) {
    const log = this.#ui.log;
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
    update();
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  async #loadModels() {
    const base = this.getAttribute('base-url');
    const baseURL = new URL(base || '/v1', document.baseURI).href.replace(/\/+$/, '');
    if (!this.#client || this.#clientURL !== baseURL) {
      this.#client = createWidgetClient(baseURL);
      this.#clientURL = baseURL;
    }
    const select = this.#ui.model;
    try {
      const { data } = await this.#client.models.metadata();
      this.#models = data;
      select.replaceChildren(...data.map((model) => new Option(optionLabel(model), model.id)));
      const wanted = this.getAttribute('model');
      this.#select(wanted && wanted.trim() ? wanted.trim() : (data[0] && data[0].id) || '');
      this.#emit('llmbase-ready', { models: this.models });
    } catch (error) {
      // Without metadata the named model can still be used; validation then covers the shape only.
      this.#models = [];
      const wanted = this.getAttribute('model');
      select.replaceChildren(wanted ? new Option(wanted, wanted) : new Option('No models available', ''));
      this.#ui.modelInfo.textContent = 'The model list could not be loaded.';
      this.#showError(error, { retry: () => { this.#ready = this.#loadModels(); return this.#ready; } });
    }
  }

  #select(id) {
    const select = this.#ui.model;
    if (id && ![...select.options].some((o) => o.value === id)) select.append(new Option(`${id} · not in the model list`, id));
    select.value = id;
    this.#showModel();
  }

  #showModel() {
    const model = this.#models.find((m) => m.id === this.#ui.model.value);
    const info = this.#ui.modelInfo;
    info.replaceChildren();
    if (!model) {
      info.textContent = this.#ui.model.value ? 'No metadata for this model: requests are checked for their shape only.' : '';
    } else {
      const caps = capabilities(model);
      for (const cap of caps) {
        const badge = document.createElement('span');
        badge.className = 'badge';
        badge.textContent = cap.label;
        badge.title = cap.description;
        info.append(badge);
      }
      if (!caps.length) info.append('Text only');
      info.append(` ${priceText(model)}`);
      const context = contextText(model);
      if (context) info.append(` · ${context}`);
    }
    const vision = acceptsImages(model);
    this.#ui.attach.hidden = !vision;
    if (!vision && this.#attachment) {
      this.#setAttachment(null);
      this.#announce('The attached image was removed: this model does not accept images.');
    }
  }

  #render() {
    const ui = this.#ui;
    ui.title.textContent = this.getAttribute('title') || 'Chat';
    ui.prompt.placeholder = this.placeholder || 'Ask something…';
  }

  #wire() {
    const ui = this.#ui;
    ui.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.send();
      ui.prompt.focus();
    });
    ui.prompt.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        if (!this.#streaming) this.send();
      }
    });
    this.shadowRoot.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.#streaming) {
        event.preventDefault();
        this.stop();
        ui.prompt.focus();
      }
    });
    ui.stop.addEventListener('click', () => {
      this.stop();
      ui.prompt.focus(); // the Stop button is about to be disabled: keep focus somewhere useful
    });
    ui.clear.addEventListener('click', () => this.clear());
    ui.model.addEventListener('change', () => {
      this.#showModel();
      this.#emit('llmbase-model-change', { model: ui.model.value, metadata: this.#models.find((m) => m.id === ui.model.value) || null });
    });
    ui.retry.addEventListener('click', () => {
      const action = this.#retryAction;
      this.#hideError();
      if (action) action();
      ui.prompt.focus();
    });
    ui.dismiss.addEventListener('click', () => {
      this.#hideError();
      ui.prompt.focus();
    });
    ui.attach.addEventListener('click', () => ui.file.click());
    ui.file.addEventListener('change', () => this.#readImage(ui.file.files && ui.file.files[0]));
    ui.unattach.addEventListener('click', () => {
      this.#setAttachment(null);
      ui.attach.focus();
    });
    ui.log.addEventListener('md-copy', (event) => this.#announce(event.detail.ok ? 'Code copied.' : 'Copying failed.'));
  }

  #readImage(file) {
    this.#ui.file.value = '';
    if (!file) return;
    if (!/^image\//.test(file.type)) return this.#showError({ kind: 'invalid_argument', message: `${file.name} is not an image.` });
    if (file.size > MAX_IMAGE_BYTES) {
      return this.#showError({ kind: 'bad_request', status: 413, message: `the image is ${(file.size / 1048576).toFixed(1)} MB; the limit is ${MAX_IMAGE_BYTES / 1048576} MB.` });
    }
    const reader = new FileReader();
    reader.onload = () => this.#setAttachment({ name: file.name, url: String(reader.result) });
    reader.readAsDataURL(file);
    return undefined;
  }

  #setAttachment(attachment) {
    this.#attachment = attachment;
    this.#ui.attachment.hidden = !attachment;
    this.#ui.attachmentName.textContent = attachment ? `Image: ${attachment.name}` : '';
    if (attachment) this.#announce(`Image ${attachment.name} attached.`);
  }

  #setBusy(busy) {
    const ui = this.#ui;
    ui.log.setAttribute('aria-busy', String(busy));
    ui.send.disabled = busy;
    ui.stop.disabled = !busy;
    this.toggleAttribute('streaming', busy);
  }

  #announce(text) {
    // Cleared first, set a moment later, so that the same words twice in a row are announced again.
    this.#ui.announce.textContent = '';
    setTimeout(() => { this.#ui.announce.textContent = text; }, 20);
    this.#ui.announce.dataset.last = text;
  }

  #showError(error, { model, retry } = {}) {
    const ui = this.#ui;
    const words = describeError(error, { baseURL: this.#clientURL, model: model || this.model });
    ui.errorTitle.textContent = words.title;
    ui.errorHint.textContent = words.hint;
    ui.findings.replaceChildren(...(words.findings || []).map((finding) => {
      const item = document.createElement('li');
      if (finding.path) {
        const path = document.createElement('code');
        path.textContent = finding.path;
        item.append(path, ': ');
      }
      item.append(finding.message);
      return item;
    }));
    ui.findings.hidden = !(words.findings && words.findings.length);
    this.#retryAction = retry || (words.retry ? () => this.retry() : null);
    ui.retry.hidden = !this.#retryAction;
    ui.error.hidden = false;
    this.#emit('llmbase-error', { error, title: words.title, hint: words.hint, findings: words.findings || null, status: error.status ?? null, kind: error.kind ?? null });
  }

  #hideError() {
    this.#ui.error.hidden = true;
    this.#retryAction = null;
  }

  #emit(type, detail, cancelable = false) {
    return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
  }

  #addUserBubble(text, attachment) {
    this.#ui.empty.hidden = true;
    this.#follow(() => this.#ui.log.append(userBubble(text, attachment)));
  }

  #addAssistantBubble(model) {
    const bubble = assistantBubble(model);
    this.#follow(() => this.#ui.log.append(bubble.node));
    return bubble;
  }
}

if (!customElements.get('llmbase-chat')) customElements.define('llmbase-chat', LLMBaseChat);
