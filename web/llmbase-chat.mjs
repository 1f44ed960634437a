// <llmbase-chat>: a chat widget for static pages (custom element, shadow DOM) over the llmbase-wasm browser build.
//
// A site owner adds one script and one element (the package ships this file bundled as
// dist/llmbase-chat.js, with llmbase_core_chat.wasm next to it; bundlers import 'llmbase-wasm/chat'):
//   <script type="module" src="/node_modules/llmbase-wasm/dist/llmbase-chat.js"></script>
//   <llmbase-chat base-url="https://chat-proxy.example.com/v1" model="deepseek/deepseek-v4-flash"></llmbase-chat>
// In this repository the import below reaches the package's dist/ served next to web/.
//
// The page never holds a key. base-url is a server the site owner controls that adds the key on its
// side, e.g. `LLMBASE_API_KEY=… npx llmbase serve --proxy --upstream https://api.llmbase.ai/v1`;
// without base-url the widget uses /v1 on its own origin. There is no api-key attribute: one in
// the markup is ignored with a console error. Attributes: base-url, model, system, max-tokens,
// placeholder, title, theme, lang, persist (a localStorage key: the conversation survives reloads).
import { createWidgetClient } from './chat-client.mjs';
import { ErrorBox, describeError, errorEventDetail } from './chat-errors.mjs';
import { localeFor, translator } from './chat-strings.mjs';
import { applyStrings } from './chat-template.mjs';
import { AutoScroll } from './chat-scroll.mjs';
import { PendingImage } from './chat-attach.mjs';
import { fillShadow, wireControls } from './chat-controls.mjs';
import { ChatAttributes, ignoredKeyAttribute } from './chat-attributes.mjs';
import { Transcript } from './chat-transcript.mjs';
import { ModelChoice } from './chat-models.mjs';
import { ChatStatus } from './chat-status.mjs';
import { markdownLabels } from './markdown-render.mjs';
import { userBubble } from './chat-bubbles.mjs';
import { DEFAULT_MAX_TOKENS, requestParams, streamReply } from './chat-reply.mjs';
import { showReply } from './chat-reply-view.mjs';

export { DEFAULT_MAX_TOKENS, createWidgetClient };

export class LLMBaseChat extends ChatAttributes {
  #ui = {};
  #client = null;
  #clientURL = '';
  #choice; // the model list and the picker
  #transcript; // the conversation and its bubbles
  #streaming = null;
  #preparing = null; // AbortController of a send that has not reached the network yet
  #pending; // the image that goes with the next message
  #failed = null; // { bubble } of the last reply that failed: Try again replaces it
  #errors;
  #ready = null;
  #generation = 0; // bumped by clear(): a reply that ends after it must not touch the new chat
  #overrides = null;
  #t = translator(localeFor('en').strings);
  #lang = 'en';
  #scroll;
  #status; // the live region and the busy controls
  #restored = false;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    fillShadow(root, this.#ui);
    applyStrings(root, this.#t); // English until connectedCallback knows the element's lang
    this.#status = new ChatStatus(this, this.#ui);
    this.#scroll = new AutoScroll(this.#ui.log, this.#ui.jump);
    this.#transcript = new Transcript(this.#ui.log, this.#ui.empty);
    this.#errors = new ErrorBox(this.#ui, this.#ui.prompt);
    this.#choice = new ModelChoice(this.#ui.model, this.#ui.modelInfo);
    this.#pending = new PendingImage(this.#ui.attachment, this.#ui.attachmentName, (text) => this.#status.announce(text));
    this.#wire();
  }

  connectedCallback() {
    this.#localize();
    this.#restore();
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
    if (ignoredKeyAttribute(name, value)) return;
    if (!this.shadowRoot) return;
    if (name === 'base-url' && this.isConnected && oldValue !== value) this.#ready = this.#loadModels();
    else if (name === 'model' && value && this.#choice.list.length) this.#select(value);
    else if (name === 'lang') this.#localize();
    else if (name === 'persist' && this.isConnected) this.#restore();
    else this.#render();
  }

  /** The selected model id (setting it selects that model). */
  get model() {
    return this.#choice.chosen || this.getAttribute('model') || '';
  }
  set model(value) {
    this.setAttribute('model', value);
  }
  /** Overrides of the visible words (keys of chat-strings.mjs), merged over the `lang` table. */
  get strings() {
    return { ...this.#overrides };
  }
  set strings(value) {
    this.#overrides = value && typeof value === 'object' ? { ...value } : null;
    this.#localize();
  }

  /** The model metadata list the picker was filled from. */
  get models() {
    return this.#choice.list.slice();
  }
  /** The conversation so far (what the next request sends, without the system message). */
  get messages() {
    return structuredClone(this.#transcript.messages);
  }
  get streaming() {
    return this.#streaming !== null;
  }
  /** Resolves once the model list has loaded (or failed to). */
  get ready() {
    return this.#ready ?? Promise.resolve();
  }

  /** Sends `text` (default: what is in the text box) as the next user message. */
  async send(text) {
    // #preparing covers the awaits before the reply starts, so a double Enter sends once, and
    // Stop works there too.
    if (this.#streaming || this.#preparing) return undefined;
    const preparing = new AbortController();
    this.#preparing = preparing;
    try {
      return await this.#send(text, preparing.signal);
    } finally {
      if (this.#preparing === preparing) {
        this.#preparing = null;
        this.#setBusy(this.#streaming !== null);
      }
    }
  }

  async #send(text, signal) {
    const typed = text === undefined;
    const content = (typed ? this.#ui.prompt.value : String(text)).trim();
    if (!content && !this.#pending.image) return undefined;
    this.#setBusy(true, { preparing: true });
    const stopped = () => {
      this.#status.announce(this.#t('replyStopped'));
      return undefined;
    };
    await this.ready;
    if (signal.aborted) return stopped();
    const model = this.model;
    if (!model) return this.#showError({ kind: 'invalid_argument', message: this.#t('errNoModel') });
    const attachment = this.#pending.image;
    const user = this.#pending.message(content);
    const params = this.#params(model, [...this.#transcript.messages, user]);
    // Checked against the model's metadata before anything is sent (the shared wasm validator).
    const check = await this.#client.validate(params).catch(() => null);
    if (signal.aborted) return stopped();
    if (check && !check.ok) {
      return this.#showError({ kind: 'validation', name: 'ValidationError', findings: check.findings }, { model });
    }
    const sending = this.#emit('llmbase-send', { model, message: user, params }, true);
    if (!sending) return undefined;
    this.#errors.hide();
    if (typed) this.#ui.prompt.value = '';
    this.#ui.log.setAttribute('aria-busy', 'true'); // the user bubble and the reply are announced together at the end
    this.#transcript.add(user, userBubble(content, attachment && attachment.name, this.#t), attachment && attachment.name);
    this.#scroll.toBottom(); // the reader just wrote: show them the reply
    this.#pending.set(null, this.#t);
    this.#save();
    this.#emit('llmbase-message', { role: 'user', content: user.content, model });
    this.#preparing = null;
    return this.#reply(model);
  }

  /** Stops the reply being written (what arrived stays), or a send that has not gone out yet. */
  stop() {
    if (this.#streaming) this.#streaming.abort();
    if (this.#preparing) this.#preparing.abort();
  }

  /** Sends the last message again after a failed reply. */
  async retry() {
    const last = this.#transcript.last;
    if (this.#busy() || !last || last.message.role !== 'user') return undefined;
    this.#errors.hide();
    if (this.#failed && this.#failed.bubble) this.#failed.bubble.remove();
    this.#failed = null;
    this.#ui.log.setAttribute('aria-busy', 'true');
    return this.#reply(this.model);
  }

  /** Writes the last reply again: it is replaced by a new one to the same conversation. */
  async regenerate() {
    const last = this.#transcript.last;
    if (this.#busy() || !last || last.message.role !== 'assistant') return undefined;
    this.#transcript.removeFrom(last);
    this.#save();
    return this.retry();
  }

  /** Starts a new conversation (and forgets the stored one). */
  clear() {
    this.stop();
    this.#generation += 1;
    this.#failed = null;
    this.#errors.hide();
    this.#transcript.clear();
    this.#transcript.forget(this.persist);
    this.#scroll.toBottom();
    this.#status.announce(this.#t('newChatStarted'));
    this.#ui.prompt.focus();
  }

  #busy() {
    return this.#streaming !== null || this.#preparing !== null;
  }

  #params(model, messages = this.#transcript.messages) {
    return requestParams({ model, system: this.system, maxTokens: this.maxTokens, models: this.#choice.list, messages });
  }

  async #reply(model) {
    const generation = this.#generation;
    const current = () => generation === this.#generation;
    const controller = new AbortController();
    this.#streaming = controller;
    this.#setBusy(true);
    this.#status.announce(this.#t('replyStarted', { model }));
    this.#emit('llmbase-stream-start', { model });
    const follow = () => this.#scroll.follow();
    const { outcome, error, bubble, text } = await showReply({
      log: this.#ui.log,
      model,
      t: () => this.#t,
      labels: () => markdownLabels(this.#t),
      follow,
      stream: (bubble, markdown) =>
        streamReply(this.#client, this.#params(model), controller.signal, { bubble, markdown, onChange: follow }),
      keep: (bubble, content, extra) => {
        if (!current()) return;
        this.#transcript.add({ role: 'assistant', content }, bubble.node);
        this.#save();
        this.#emit('llmbase-message', { role: 'assistant', content, model, ...extra });
      },
    });
    if (outcome === 'error' && current()) {
      this.#failed = { bubble: text ? bubble.node : null };
      this.#showError(error, { model });
    }
    this.#streaming = null;
    this.#setBusy(false);
    this.#scroll.follow();
    this.#status.announce(this.#t(outcome === 'done' ? 'replyFinished' : outcome === 'stopped' ? 'replyStopped' : 'replyFailed'));
    this.#emit('llmbase-stream-end', { model, outcome });
  }

  async #loadModels() {
    const base = this.getAttribute('base-url');
    const baseURL = new URL(base || '/v1', document.baseURI).href.replace(/\/+$/, '');
    if (!this.#client || this.#clientURL !== baseURL) {
      this.#client = createWidgetClient(baseURL);
      this.#clientURL = baseURL;
    }
    try {
      await this.#choice.load(this.#client, this.getAttribute('model'), this.#t);
      this.#showModel();
      this.#emit('llmbase-ready', { models: this.models });
    } catch (error) {
      this.#showError(error, {
        retry: () => {
          this.#ready = this.#loadModels();
          return this.#ready;
        },
      });
    }
  }

  #select(id) {
    this.#choice.select(id, this.#t);
    this.#showModel();
  }

  // The chosen model's capabilities; a model without vision has no attach button, nor an image waiting.
  #showModel() {
    this.#choice.show(this.#t, this.#lang);
    const vision = this.#choice.acceptsImages();
    this.#ui.attach.hidden = !vision;
    if (!vision && this.#pending.image) {
      this.#pending.set(null, this.#t);
      this.#status.announce(this.#t('imageDropped'));
    }
  }

  // The words: lang (on the element or an ancestor) picks the table, `strings` overrides it.
  #localize() {
    const holder = this.closest('[lang]');
    const { lang, strings } = localeFor(holder ? holder.getAttribute('lang') : 'en');
    this.#lang = lang;
    this.#t = translator(strings, this.#overrides);
    this.#ui.form.parentElement.setAttribute('lang', lang); // screen readers pronounce the words in their language
    applyStrings(this.shadowRoot, this.#t);
    this.#choice.relabel(this.#t);
    this.#render();
  }

  #render() {
    const ui = this.#ui;
    ui.title.textContent = this.getAttribute('title') || this.#t('title');
    ui.prompt.placeholder = this.placeholder || this.#t('placeholder');
    this.#refreshActions();
  }

  #refreshActions() {
    this.#transcript.refreshActions(this.#busy());
  }

  // The stored conversation (persist="key"), once, when the element has none yet.
  #restore() {
    if (this.#restored || !this.persist || this.#transcript.last) return;
    this.#restored = true;
    if (!this.#transcript.restore(this.persist, this.#t, markdownLabels(this.#t))) return;
    this.#refreshActions();
    this.#scroll.toBottom();
    this.#status.announce(this.#t('restored'));
  }

  #save() {
    this.#transcript.save(this.persist);
  }

  #edit(entry) {
    if (this.#busy()) return;
    const opened = this.#transcript.edit(entry, this.#t, (text, image, removeOld) => {
      if (this.#busy()) return;
      // The edited message replaces the old one and everything after it; its image goes along.
      removeOld();
      if (this.#failed && this.#failed.bubble) this.#failed.bubble.remove();
      this.#failed = null;
      this.#pending.set(image, this.#t);
      this.#save();
      this.send(text);
    });
    if (opened) this.#status.announce(this.#t('editing'));
  }

  #wire() {
    wireControls(this.shadowRoot, this.#ui, {
      send: () => this.send(),
      stop: () => this.stop(),
      clear: () => this.clear(),
      busy: () => this.#busy(),
      modelChanged: () => {
        this.#showModel();
        this.#emit('llmbase-model-change', {
          model: this.#choice.chosen,
          metadata: this.#choice.metadata() || null,
        });
      },
      takeImage: (file) =>
        this.#pending
          .take(file, { vision: this.#choice.acceptsImages(this.model), model: this.model }, this.#t)
          .catch((error) => this.#showError(error)),
      unattach: () => this.#pending.set(null, this.#t),
      codeCopied: (ok) => this.#status.announce(this.#t(ok ? 'codeCopied' : 'copyFailedNote')),
      entryOf: (button) => this.#transcript.entryOf(button),
      messageCopied: (ok) => this.#status.announce(this.#t(ok ? 'messageCopied' : 'copyFailedNote')),
      edit: (entry) => this.#edit(entry),
      regenerate: () => this.regenerate(),
    });
  }

  #setBusy(busy, options) {
    this.#status.busy(busy, options);
    this.#refreshActions();
  }

  #showError(error, { model, retry } = {}) {
    const words = describeError(error, { baseURL: this.#clientURL, model: model || this.model, t: this.#t });
    this.#errors.show(words, retry || (words.retry ? () => this.retry() : null));
    this.#emit('llmbase-error', errorEventDetail(error, words));
  }

  #emit(type, detail, cancelable = false) {
    return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
  }
}

if (!customElements.get('llmbase-chat')) customElements.define('llmbase-chat', LLMBaseChat);
