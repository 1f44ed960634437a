// Model facts for the <llmbase-chat> picker: capabilities (tools, JSON, reasoning, vision) and prices from model metadata.

const has = (list, name) => Array.isArray(list) && list.includes(name);

/** The capabilities the picker shows, in a fixed order: [{ id, label, description }]. */
export function capabilities(model) {
  const caps = [];
  if (has(model.supported_features, 'tools')) caps.push({ id: 'tools', label: 'Tools', description: 'can call tools' });
  if (has(model.supported_features, 'json_mode') || has(model.supported_features, 'structured_outputs')) {
    caps.push({ id: 'json', label: 'JSON', description: 'JSON output' });
  }
  if (has(model.supported_features, 'reasoning')) caps.push({ id: 'reasoning', label: 'Reasoning', description: 'thinks before answering' });
  if (acceptsImages(model)) caps.push({ id: 'vision', label: 'Vision', description: 'accepts images' });
  return caps;
}

export function acceptsImages(model) {
  return Boolean(model) && has(model.input_modalities, 'image');
}

// Metadata prices are USD per 1M tokens, numbers or numeric strings (llmbase-api.md Decisions §1).
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
export function priceText(model) {
  const { input, output } = prices(model);
  if (input === null && output === null) return 'price unknown';
  return `${input === null ? '?' : usd(input)} in / ${output === null ? '?' : usd(output)} out per 1M tokens`;
}

/** The text of a picker option: id · capabilities · prices. */
export function optionLabel(model) {
  const caps = capabilities(model).map((c) => c.label);
  const { input, output } = prices(model);
  const cost = input === null && output === null ? 'price unknown' : `${input === null ? '?' : usd(input)}/${output === null ? '?' : usd(output)} per 1M`;
  return `${model.id} · ${caps.length ? caps.join(', ') : 'text only'} · ${cost}`;
}

/** "1,048,576-token context" or null. */
export function contextText(model) {
  const length = Number(model.context_length);
  return Number.isFinite(length) && length > 0 ? `${length.toLocaleString('en-US')}-token context` : null;
}

/** The largest max_tokens the model takes (its max_output_length), or null when unknown. */
export function maxOutput(model) {
  const length = Number(model && model.max_output_length);
  return Number.isInteger(length) && length > 0 ? length : null;
}
