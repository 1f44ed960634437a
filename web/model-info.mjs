// Model facts for the <llmbase-chat> picker: capabilities (tools, JSON, reasoning, vision) and prices from model metadata.
// Each function that returns words takes the widget's translator `t` (English by default).
import { EN, translator } from './chat-strings.mjs';

const english = translator(EN);

const has = (list, name) => Array.isArray(list) && list.includes(name);

/** The capabilities the picker shows, in a fixed order: [{ id, label, description }]. */
export function capabilities(model, t = english) {
  const caps = [];
  const cap = (id, key) => caps.push({ id, label: t(key), description: t(`${key}Info`) });
  if (has(model.supported_features, 'tools')) cap('tools', 'capTools');
  if (has(model.supported_features, 'json_mode') || has(model.supported_features, 'structured_outputs')) cap('json', 'capJson');
  if (has(model.supported_features, 'reasoning')) cap('reasoning', 'capReasoning');
  if (acceptsImages(model)) cap('vision', 'capVision');
  return caps;
}

export function acceptsImages(model) {
  return Boolean(model) && has(model.input_modalities, 'image');
}

// Metadata prices are USD per 1M tokens, numbers or numeric strings (Decisions §1).
function price(value) {
  if (value === undefined || value === null || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

function usd(value) {
  return value !== 0 && value < 0.01 ? `$${value.toPrecision(2)}` : `$${value.toFixed(2)}`;
}

/** { input, output } in USD per 1M tokens, either null when unknown. */
export function prices(model) {
  const pricing = model.pricing || {};
  return { input: price(pricing.input ?? pricing.prompt), output: price(pricing.output ?? pricing.completion) };
}

/** "$0.20 in / $0.30 out per 1M tokens", or "price unknown". */
export function priceText(model, t = english) {
  const { input, output } = prices(model);
  if (input === null && output === null) return t('priceUnknown');
  return t('priceText', { input: input === null ? '?' : usd(input), output: output === null ? '?' : usd(output) });
}

/** The text of a picker option: id · capabilities · prices. */
export function optionLabel(model, t = english) {
  const caps = capabilities(model, t).map((c) => c.label);
  const { input, output } = prices(model);
  const cost =
    input === null && output === null
      ? t('priceUnknown')
      : t('priceShort', { input: input === null ? '?' : usd(input), output: output === null ? '?' : usd(output) });
  return `${model.id} · ${caps.length ? caps.join(', ') : t('optionText')} · ${cost}`;
}

/** "1,048,576-token context" or null. */
export function contextText(model, t = english, lang = 'en-US') {
  const length = Number(model.context_length);
  return Number.isFinite(length) && length > 0 ? t('contextText', { tokens: length.toLocaleString(lang) }) : null;
}

/** The largest max_tokens the model takes (its max_output_length), or null when unknown. */
export function maxOutput(model) {
  const length = Number(model && model.max_output_length);
  return Number.isInteger(length) && length > 0 ? length : null;
}
