// One assistant reply on screen: its bubble, the streamed Markdown in it, and how it ends (done, stopped, broke off).
import { MarkdownStream } from './markdown-stream.mjs';
import { assistantBubble } from './chat-bubbles.mjs';

/**
 * Shows the reply `stream(bubble, markdown)` writes (it resolves to streamReply's result). `t` and
 * `labels` are read when needed (the language may change meanwhile); `keep(bubble, text, extra)`
 * is called for a reply that belongs in the conversation. Resolves to the result, bubble and text.
 */
export async function showReply({ log, model, t, labels, follow, stream, keep }) {
  const bubble = assistantBubble(model, t());
  log.append(bubble.node);
  follow();
  const markdown = new MarkdownStream(bubble.body, { labels: labels(), onRender: follow });
  const result = await stream(bubble, markdown);
  const { outcome, completion } = result;
  if (outcome === 'done') {
    bubble.finish(completion);
    keep(bubble, markdown.text, { usage: completion.usage || null, cost: completion.cost || null, completion });
  } else if (outcome === 'stopped' && markdown.text) {
    bubble.note(t()('stopped'));
    keep(bubble, markdown.text, { stopped: true }); // what the user saw is the context
  } else if (outcome === 'error' && markdown.text) {
    bubble.note(t()('brokeOff'), true);
  } else {
    bubble.remove();
  }
  return { ...result, bubble, text: markdown.text };
}
