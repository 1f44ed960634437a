// The demo page's "Try the features" controls: example messages, the widget's language and direction.
const chat = document.querySelector('llmbase-chat');

const MARKDOWN = `## Release checklist

| Step | Owner | Done |
|:-----|:-----:|-----:|
| Build the **wasm** | CI | yes |
| Run \`npm test\` | you | ~~no~~ yes |

- [x] tables with alignment
- [x] task lists and ~~strikethrough~~
- [ ] your own reply

\`\`\`js
const chat = document.querySelector('llmbase-chat');
chat.send('echo: hello');
\`\`\`

> Quotes, [links](https://llmbase.ai) and *emphasis* render too.`;

const LONG = Array.from(
  { length: 20 },
  (_, i) => `Paragraph ${i + 1}: a long reply keeps streaming, so scroll up and it stays where you are.`
).join('\n\n');

const HOSTILE = [
  '<img src=x onerror=alert(1)> and <script>alert(2)</script> are shown as text.',
  '',
  '| [click](javascript:alert(3)) | <b onclick=alert(4)>cell</b> |',
  '|---|---|',
  '| safe | text |',
  '',
  `${'>'.repeat(300)} nested 300 deep: the quotes stop at 16, the rest is text.`,
].join('\n');

const EXAMPLES = { markdown: MARKDOWN, long: LONG, hostile: HOSTILE };

for (const button of document.querySelectorAll('[data-example]')) {
  button.addEventListener('click', () => {
    chat.send(`echo: ${EXAMPLES[button.dataset.example]}`);
    chat.focus();
  });
}
document.getElementById('demo-lang').addEventListener('change', (event) => chat.setAttribute('lang', event.target.value));
document.getElementById('demo-rtl').addEventListener('change', (event) => chat.setAttribute('dir', event.target.checked ? 'rtl' : 'ltr'));
