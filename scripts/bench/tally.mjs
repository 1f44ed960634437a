// Benchmark part shared by the Node runners and the Chromium page: counts chunks and the accumulated text of choice 0, noting the first token.

/** A tally of chat.completion.chunk objects; `now` is the clock of the first content token. */
export function newTally(now) {
  const tally = { chunks: 0, content: 0, reasoning: 0, arguments: 0, toolCalls: 0, first: 0 };
  const toolIndexes = new Set();
  tally.add = (chunk) => {
    tally.chunks += 1;
    const choice = chunk.choices && chunk.choices[0];
    const delta = choice && choice.delta;
    if (!delta) return;
    const { content } = delta;
    if (content) {
      if (!tally.first) tally.first = now();
      tally.content += content.length;
    }
    if (delta.reasoning_content) tally.reasoning += delta.reasoning_content.length;
    if (delta.reasoning) tally.reasoning += delta.reasoning.length;
    if (delta.tool_calls) {
      for (const call of delta.tool_calls) {
        if (!toolIndexes.has(call.index)) {
          toolIndexes.add(call.index);
          tally.toolCalls = toolIndexes.size;
        }
        if (call.function && call.function.arguments) tally.arguments += call.function.arguments.length;
      }
    }
  };
  tally.counts = () => ({
    chunks: tally.chunks,
    content: tally.content,
    reasoning: tally.reasoning,
    arguments: tally.arguments,
    toolCalls: tally.toolCalls,
  });
  return tally;
}

/**
 * The plain JS loop over a fetch body (a ReadableStream, in Node and in Chromium alike):
 * TextDecoder, split on blank lines, JSON.parse each data line.
 */
export async function plainLoop(body, tally) {
  // Inline rather than an async generator: the lower bound should pay for nothing extra.
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (event.startsWith('data: ') && event !== 'data: [DONE]') tally.add(JSON.parse(event.slice(6)));
    }
  }
  return tally;
}
