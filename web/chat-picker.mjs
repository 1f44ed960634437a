// The model picker of <llmbase-chat>: options from the metadata, and the chosen model's capabilities and prices.
import { capabilities, contextText, optionLabel, priceText } from './model-info.mjs';

/** Fills `select` with `models` (keeping the chosen one); `t` gives the words. */
export function fillPicker(select, models, t) {
  const chosen = select.value;
  select.replaceChildren(...models.map((model) => new Option(optionLabel(model, t), model.id)));
  if (chosen) selectModel(select, chosen, t);
}

/** Selects `id`, adding it as "not in the model list" when the metadata does not name it. */
export function selectModel(select, id, t) {
  if (id && ![...select.options].some((o) => o.value === id)) select.append(new Option(t('notInList', { model: id }), id));
  select.value = id;
}

/** Shows what `model` (metadata, or undefined) can do and costs in `info`. */
export function showModelInfo(info, model, id, t, lang) {
  info.replaceChildren();
  if (!model) {
    info.textContent = id ? t('noMetadata') : '';
    return;
  }
  const caps = capabilities(model, t);
  for (const cap of caps) {
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = cap.label;
    badge.title = cap.description;
    info.append(badge);
  }
  if (!caps.length) info.append(t('textOnly'));
  info.append(` ${priceText(model, t)}`);
  const context = contextText(model, t, lang);
  if (context) info.append(` · ${context}`);
}
