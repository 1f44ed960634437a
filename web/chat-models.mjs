// The model list of <llmbase-chat>: the metadata loaded through the client, the picker it fills, and the chosen model.
import { fillPicker, selectModel, showModelInfo } from './chat-picker.mjs';
import { acceptsImages } from './model-info.mjs';

export class ModelChoice {
  #select;
  #info;
  #models = [];

  /** `select`: the picker; `info`: where the chosen model's capabilities and prices are shown. */
  constructor(select, info) {
    this.#select = select;
    this.#info = info;
  }

  /** The metadata list the picker was filled from ([] before it loaded, or when it failed). */
  get list() {
    return this.#models;
  }

  /** The chosen model id ("" when there is none). */
  get chosen() {
    return this.#select.value;
  }

  /** The metadata of model `id` (default: the chosen one), or undefined when the list does not name it. */
  metadata(id = this.#select.value) {
    return this.#models.find((m) => m.id === id);
  }

  /** Whether model `id` (default: the chosen one) takes images, by its metadata. */
  acceptsImages(id) {
    return acceptsImages(this.metadata(id));
  }

  /**
   * Loads the list through `client`, fills the picker and selects `wanted` (else the first model).
   * Rejects when the list cannot be had: the picker then offers `wanted` alone, which can still be
   * used (validation then covers the request's shape only).
   */
  async load(client, wanted, t) {
    try {
      const { data } = await client.models.metadata();
      this.#models = data;
      fillPicker(this.#select, data, t);
      this.select(wanted && wanted.trim() ? wanted.trim() : (data[0] && data[0].id) || '', t);
    } catch (error) {
      this.#models = [];
      this.#select.replaceChildren(wanted ? new Option(wanted, wanted) : new Option(t('noModels'), ''));
      this.#info.textContent = t('modelsFailed');
      throw error;
    }
  }

  /** Selects `id` (added as "not in the model list" when the metadata does not name it). */
  select(id, t) {
    selectModel(this.#select, id, t);
  }

  /** Shows what the chosen model can do and costs; `lang` formats the numbers. */
  show(t, lang) {
    showModelInfo(this.#info, this.metadata(), this.#select.value, t, lang);
  }

  /** Writes the options again in the words of `t` (after a language change). */
  relabel(t) {
    if (this.#models.length) fillPicker(this.#select, this.#models, t);
  }
}
