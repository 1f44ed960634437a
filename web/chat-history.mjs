// Opt-in persistence of <llmbase-chat> (persist="key"): the conversation in localStorage, capped, and untrusted on load.
//
// What is stored is only { role, content } text plus an attached image's name: an image's data URL
// would fill the origin's ~5 MB quota on its own. Anything read back could have been written by
// another script on the origin, so every entry is checked for its shape and the text is rendered
// through the same safe Markdown path as a live reply; entries that fail the check are counted
// and left out.

export const PERSIST_LIMIT = 200_000; // characters of stored JSON (UTF-16: about 400 KB of quota)
const MAX_NAME = 200;
const VERSION = 1;

const storageKey = (key) => `llmbase-chat:${key}`;

/** localStorage, or null where the page may not use it (sandboxed frames, storage disabled). */
export function pageStorage() {
  try {
    return globalThis.localStorage || null;
  } catch {
    return null;
  }
}

/** The text of a message's content (a string, or the text parts of an array). */
export function textOf(content) {
  if (typeof content === 'string') return content;
  return Array.isArray(content)
    ? content
        .filter((p) => p && p.type === 'text')
        .map((p) => p.text)
        .join('\n')
    : '';
}

// An entry ({ message, image }: the API message and the name of an image it carried) as stored.
function toStored({ message, image }) {
  const out = { role: message.role, content: textOf(message.content) };
  if (image) out.image = String(image).slice(0, MAX_NAME);
  return out;
}

function validEntry(entry, limit) {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return false;
  if (entry.role !== 'user' && entry.role !== 'assistant') return false;
  if (typeof entry.content !== 'string' || entry.content.length > limit) return false;
  return entry.image === undefined || (typeof entry.image === 'string' && entry.image.length <= MAX_NAME);
}

/** { messages: [{ role, content, image? }], dropped } from storage; empty when nothing valid is there. */
export function loadHistory(storage, key, limit = PERSIST_LIMIT) {
  const empty = { messages: [], dropped: 0 };
  if (!storage || !key) return empty;
  let raw;
  try {
    raw = storage.getItem(storageKey(key));
  } catch {
    return empty;
  }
  if (typeof raw !== 'string' || raw.length > limit * 2) return { messages: [], dropped: raw ? 1 : 0 };
  let data;
  try {
    data = JSON.parse(raw);
  } catch {
    return { messages: [], dropped: 1 };
  }
  if (!data || data.v !== VERSION || !Array.isArray(data.messages)) return { messages: [], dropped: 1 };
  const messages = [];
  for (const entry of data.messages) {
    // Copied field by field: nothing else of the stored object (prototype keys included) comes along.
    if (validEntry(entry, limit))
      messages.push(
        entry.image === undefined
          ? { role: entry.role, content: entry.content }
          : { role: entry.role, content: entry.content, image: entry.image }
      );
  }
  return { messages, dropped: data.messages.length - messages.length };
}

/**
 * Stores the conversation (entries { message, image }) under `key`, dropping the oldest messages until it fits in `limit`
 * characters (a kept history starts with a user message). Returns how many messages were kept.
 */
export function saveHistory(storage, key, entries, limit = PERSIST_LIMIT) {
  if (!storage || !key) return 0;
  let kept = entries.map(toStored);
  let text = JSON.stringify({ v: VERSION, messages: kept });
  while (kept.length && text.length > limit) {
    kept = kept.slice(1);
    while (kept.length && kept[0].role !== 'user') kept = kept.slice(1);
    text = JSON.stringify({ v: VERSION, messages: kept });
  }
  try {
    if (kept.length) storage.setItem(storageKey(key), text);
    else storage.removeItem(storageKey(key));
  } catch {
    return 0; // quota exceeded or storage refused: the chat goes on, unsaved
  }
  return kept.length;
}

export function clearHistory(storage, key) {
  try {
    if (storage && key) storage.removeItem(storageKey(key));
  } catch {
    // storage refused: nothing was stored either
  }
}
