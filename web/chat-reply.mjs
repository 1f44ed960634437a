// One reply of <llmbase-chat>: the request it sends, and the stream read into a bubble and its Markdown.
import { maxOutput } from './model-info.mjs';

export const DEFAULT_MAX_TOKENS = 1024;

/** The chat request: the system prompt, the conversation, stream, and always max_tokens (capped by the model). */
export function requestParams({ model, system, maxTokens, models, messages }) {
  const limit = maxOutput(models.find((m) => m.id === model));
  const capped = limit ? Math.min(maxTokens, limit) : maxTokens;
  return { model, stream: true, max_tokens: capped, messages: [...(system ? [{ role: 'system', content: system }] : []), ...messages] };
}

/**
 * Streams `params` into `bubble` (reasoning) and `markdown` (content); `onChange` runs after a
 * reasoning update. Resolves { outcome: 'done', completion } | { outcome: 'stopped' | 'error', error }.
 */
export async function streamReply(client, params, signal, { bubble, markdown, onChange }) {
  try {
    const stream = await client.chat.completions.create(params, { signal });
    for await (const chunk of stream) {
      const delta = (chunk.choices && chunk.choices[0] && chunk.choices[0].delta) || {};
      const thinking = delta.reasoning_content || delta.reasoning;
      if (thinking) {
        bubble.reasoning(thinking);
        onChange();
      }
      if (delta.content) {
        bubble.started();
        markdown.append(delta.content);
      }
    }
    return { outcome: 'done', completion: await stream.finalChatCompletion() };
  } catch (error) {
    const stopped = signal.aborted || (error && error.kind === 'user_abort');
    return { outcome: stopped ? 'stopped' : 'error', error };
  } finally {
    markdown.finish(); // what arrived is drawn, whatever the outcome
  }
}
