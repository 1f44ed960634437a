// The attribute side of <llmbase-chat>: which attributes it observes, and the properties backed by them.
import { DEFAULT_MAX_TOKENS } from './chat-reply.mjs';

// True for the api-key attributes: they are ignored, with a console error when one is set.
export function ignoredKeyAttribute(name, value) {
  if (name === 'api-key' || name === 'data-api-key') {
    if (value !== null) {
      console.error(
        '<llmbase-chat>: the api-key attribute is ignored. A key in a page is readable by every visitor; point base-url at a proxy that holds it (npx llmbase serve --proxy).'
      );
    }
    return true;
  }
  return false;
}

export class ChatAttributes extends HTMLElement {
  static observedAttributes = [
    'base-url',
    'model',
    'system',
    'max-tokens',
    'placeholder',
    'title',
    'lang',
    'persist',
    'api-key',
    'data-api-key',
  ];

  // Attribute-backed properties: the attribute is the source of truth.
  get baseUrl() {
    return this.getAttribute('base-url') || '';
  }
  set baseUrl(value) {
    this.setAttribute('base-url', value);
  }
  get system() {
    return this.getAttribute('system') || '';
  }
  set system(value) {
    this.setAttribute('system', value);
  }
  get placeholder() {
    return this.getAttribute('placeholder') || '';
  }
  set placeholder(value) {
    this.setAttribute('placeholder', value);
  }
  get persist() {
    return this.getAttribute('persist') || '';
  }
  set persist(value) {
    this.setAttribute('persist', value);
  }
  get maxTokens() {
    const value = Number.parseInt(this.getAttribute('max-tokens'), 10);
    return Number.isInteger(value) && value > 0 ? value : DEFAULT_MAX_TOKENS;
  }
  set maxTokens(value) {
    this.setAttribute('max-tokens', String(value));
  }
}
