// The model picker of <llmbase-chat>: options from the metadata, and the chosen model's capabilities and prices.
import { capabilities, contextText, optionLabel, priceText } from './model-info.mjs';

// An option whose text (a model id, prices) takes its direction from its first letter.
function option(label, value) {
  const node = new Option(label, value);
  node.dir = 'auto';
  return node;
}

/** Fills `select` with `models` (keeping the chosen one); `t` gives the words. */
export function fillPicker(select, models, t) {
  const chosen = select.value;
  select.replaceChildren(...models.map((model) => option(optionLabel(model, t), model.id)));
  if (chosen) selectModel(select, chosen, t);
}

/** Selects `id`, adding it as "not in the model list" when the metadata does not name it. */
export function selectModel(select, id, t) {
  if (id && ![...select.options].some((o) => o.value === id)) select.append(option(t('notInList', { model: id }), id));
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
  // One span of text (a flex item of its own), so its words and numbers keep their order in dir="rtl" too.
  const text = document.createElement('span');
  text.className = 'model-text';
  const context = contextText(model, t, lang);
  text.textContent = `${caps.length ? '' : `${t('textOnly')} `}${priceText(model, t)}${context ? ` · ${context}` : ''}`;
  info.append(text);
}
