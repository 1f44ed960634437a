// Minimal test-side SSE parsing for the server e2e tests (the product's real decoder lives in src/core).
//
// Follows the WHATWG event-stream rules the server may exercise: optional BOM, CR / LF / CRLF line ends,
// comment lines, `event:`/`id:`/`retry:` fields and multi-line `data:`.

export function parseSse(text) {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const events = [];
  const comments = [];
  let data = [];
  let event = 'message';
  let id;
  for (const line of body.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (data.length > 0) events.push({ event, data: data.join('\n'), id });
      data = [];
      event = 'message';
      continue;
    }
    if (line.startsWith(':')) {
      comments.push(line.slice(1).trim());
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id') id = value;
  }
  // A final event without its blank line is incomplete and, per the spec, dropped.
  return { events, comments };
}

/** Chunks of a parsed stream: JSON payloads, with `[DONE]` reported separately. */
export function chunksOf(events) {
  const chunks = [];
  let done = false;
  let afterDone = 0;
  for (const { data } of events) {
    if (done) afterDone += 1;
    if (data === '[DONE]') done = true;
    else chunks.push(JSON.parse(data));
  }
  return { chunks, done, afterDone };
}

/** Joins the deltas of chunks into a message (content, reasoning, tool calls by index). */
export function accumulate(chunks) {
  const message = { role: undefined, content: '', reasoning_content: '', reasoning: '', tool_calls: [] };
  let finishReason = null;
  let usage;
  for (const chunk of chunks) {
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      const delta = choice.delta ?? {};
      if (delta.role) message.role = delta.role;
      if (delta.content) message.content += delta.content;
      if (delta.reasoning_content) message.reasoning_content += delta.reasoning_content;
      if (delta.reasoning) message.reasoning += delta.reasoning;
      for (const call of delta.tool_calls ?? []) {
        message.tool_calls[call.index] ??= { id: undefined, type: undefined, function: { name: '', arguments: '' } };
        const target = message.tool_calls[call.index];
        if (call.id) target.id = call.id;
        if (call.type) target.type = call.type;
        if (call.function?.name) target.function.name += call.function.name;
        if (call.function?.arguments) target.function.arguments += call.function.arguments;
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
  }
  return { message, finishReason, usage };
}
