// Bearer-key check of the local server, following llmbase-api.md §2 and Decisions §9.
import { HttpError } from './http-utils.mjs';

/** Where `llmbase_chat_` keys belong (llmbase-api.md §1); named in the 401 so the fix is obvious. */
export const AGENTS_BASE_URL = 'https://llmbase.ai/api/v1/agents';

/**
 * Accepts or refuses the request's key. Rules, in order:
 * 1. no `Authorization: Bearer <key>` → 401 `missing_api_key`;
 * 2. an `llmbase_chat_` key → 401 `invalid_api_key` naming the agents base URL (checked first: it also
 *    starts with `llmbase_`, and it is never valid on the inference host, even if listed in `keys`);
 * 3. with `keys` set, only those exact keys pass; without it, any key starting `llmbase_` passes and any
 *    other key (e.g. an OpenAI `sk-…` key) is refused with `invalid_api_key`, as the real host would.
 * Messages never echo the key.
 */
export function authenticate(req, keys) {
  const header = req.headers.authorization;
  if (typeof header !== 'string' || header.trim() === '') {
    throw new HttpError(401, 'missing_api_key', 'No API key provided. Send "Authorization: Bearer <key>" with an llmbase_ inference key.');
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  if (!match) {
    throw new HttpError(401, 'missing_api_key', 'The Authorization header must use the Bearer scheme: "Authorization: Bearer <key>".');
  }
  const key = match[1];
  if (key.startsWith('llmbase_chat_')) {
    throw new HttpError(
      401,
      'invalid_api_key',
      `This is a chat-agent key (llmbase_chat_…); it only works with ${AGENTS_BASE_URL}. ` + 'Use an llmbase_ inference key with this API.'
    );
  }
  if (keys) {
    if (!keys.includes(key)) throw new HttpError(401, 'invalid_api_key', 'API key not recognised.');
  } else if (!key.startsWith('llmbase_')) {
    throw new HttpError(401, 'invalid_api_key', 'API key not recognised: LLMBase inference keys start with "llmbase_".');
  }
  return key;
}
