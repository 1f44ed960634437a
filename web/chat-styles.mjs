// Styles of <llmbase-chat>: one stylesheet for its shadow root, themed through --llmbase-* custom properties.
//
// Every colour, the radius, the font and the height come from a public custom property with a
// default; a host page sets them on the element or any ancestor:
//   llmbase-chat { --llmbase-accent: #0a7; --llmbase-height: 40rem; }
// The defaults follow prefers-color-scheme (or the theme="light|dark" attribute). A property the
// host sets wins in both schemes, so a host with its own dark palette sets it in its own media query.

const LIGHT = {
  bg: '#ffffff',
  fg: '#1d1d1f',
  muted: '#5b616b',
  border: '#cfd3da',
  accent: '#2f54d0',
  'accent-fg': '#ffffff',
  'user-bg': '#e6edfd',
  'assistant-bg': '#f3f4f6',
  'code-bg': '#eceef1',
  error: '#a3211a',
  'error-bg': '#fdeceb',
  focus: '#1a5fd6',
  badge: '#e3e7ee',
};

const DARK = {
  bg: '#1b1c20',
  fg: '#e9e9ec',
  muted: '#a4a9b3',
  border: '#3b3e46',
  accent: '#8fa8ff',
  'accent-fg': '#0c1222',
  'user-bg': '#27314b',
  'assistant-bg': '#25262b',
  'code-bg': '#131417',
  error: '#ff9c94',
  'error-bg': '#3a2121',
  focus: '#9dbcff',
  badge: '#30333b',
};

// Private --_name variables resolve the public --llmbase-name or the scheme's default.
const palette = (colors) =>
  Object.entries(colors)
    .map(([name, value]) => `--_${name}: var(--llmbase-${name}, ${value});`)
    .join('\n    ');

export const CHAT_CSS = `
  :host {
    ${palette(LIGHT)}
    --_radius: var(--llmbase-radius, 12px);
    --_font: var(--llmbase-font, system-ui, -apple-system, "Segoe UI", sans-serif);
    display: block;
    height: var(--llmbase-height, 34rem);
    color-scheme: light;
    font: 15px/1.5 var(--_font);
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme="light"])) {
      ${palette(DARK)}
      color-scheme: dark;
    }
  }
  :host([theme="dark"]) {
    ${palette(DARK)}
    color-scheme: dark;
  }
  :host([hidden]) { display: none; }
  * { box-sizing: border-box; }
  .chat {
    display: flex; flex-direction: column; height: 100%; overflow: hidden;
    background: var(--_bg); color: var(--_fg);
    border: 1px solid var(--_border); border-radius: var(--_radius);
  }
  .head { padding: .75rem 1rem .6rem; border-bottom: 1px solid var(--_border); }
  .title { margin: 0 0 .5rem; font-size: 1.05rem; font-weight: 650; }
  .picker { display: flex; align-items: center; gap: .5rem; flex-wrap: wrap; }
  .picker label { font-size: .85rem; color: var(--_muted); }
  select, textarea, button {
    font: inherit; color: inherit; background: var(--_bg);
    border: 1px solid var(--_border); border-radius: calc(var(--_radius) * .6);
  }
  select { flex: 1; min-width: 0; padding: .3rem .45rem; font-size: .9rem; }
  .model-info { margin: .45rem 0 0; display: flex; flex-wrap: wrap; gap: .3rem .4rem; align-items: center; font-size: .8rem; color: var(--_muted); }
  .badge { padding: .05rem .45rem; border-radius: 999px; background: var(--_badge); color: var(--_fg); font-weight: 550; }
  .log-wrap { flex: 1; min-height: 0; position: relative; display: flex; flex-direction: column; }
  .log { flex: 1; overflow-y: auto; padding: 1rem; display: flex; flex-direction: column; gap: .75rem; overscroll-behavior: contain; }
  .empty { margin: auto; color: var(--_muted); text-align: center; font-size: .9rem; }
  .msg { max-width: 92%; padding: .55rem .8rem; border-radius: var(--_radius); overflow-wrap: anywhere; }
  .msg.user { align-self: flex-end; background: var(--_user-bg); }
  .user-text { white-space: pre-wrap; unicode-bidi: plaintext; display: block; }
  .msg.assistant { align-self: flex-start; background: var(--_assistant-bg); width: 92%; }
  .who { display: block; font-size: .75rem; font-weight: 650; color: var(--_muted); margin-bottom: .15rem; white-space: normal; }
  .attached { display: block; font-size: .8rem; color: var(--_muted); }
  .note, .meta { margin: .35rem 0 0; font-size: .78rem; color: var(--_muted); }
  .note.warn { color: var(--_error); }
  .md > :first-child, .md > .md-part:first-child > .md-part:first-child > :first-child { margin-top: 0; }
  .md > :last-child, .md > .md-part:last-child > .md-part:last-child > :last-child { margin-bottom: 0; }
  .md p, .md ul, .md ol, .md blockquote, .md .md-code { margin: .45rem 0; }
  .md ul, .md ol { padding-inline-start: 1.4rem; }
  .md li.md-task-item { list-style: none; }
  .md-task { margin: 0 .35rem 0 0; margin-inline: 0 .35rem; vertical-align: middle; }
  .md p, .md li, .md th, .md td, .md h3, .md h4, .md h5, .md h6 { unicode-bidi: plaintext; }
  /* Text that mixes words, model ids and numbers takes its direction from its first letter, so a
     price or a token count stays in order whatever the layout's direction (dir="rtl"). */
  select, textarea, textarea::placeholder, .model-text, .who, .meta, .note, .attached, .empty, .error p, .error li { unicode-bidi: plaintext; }
  .md-table { overflow-x: auto; margin: .45rem 0; }
  .md table { border-collapse: collapse; font-size: .9em; }
  .md th, .md td { border: 1px solid var(--_border); padding: .25rem .55rem; text-align: start; vertical-align: top; }
  .md th { background: var(--_code-bg); font-weight: 650; }
  .md h3, .md h4, .md h5, .md h6 { margin: .7rem 0 .3rem; font-size: 1rem; }
  .md h3 { font-size: 1.1rem; }
  .md blockquote { margin-inline: 0; padding-inline-start: .75rem; border-inline-start: 3px solid var(--_border); color: var(--_muted); }
  .md hr { border: 0; border-top: 1px solid var(--_border); }
  .md a { color: var(--_accent); text-underline-offset: 2px; }
  .md code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .88em; background: var(--_code-bg); padding: .05rem .3rem; border-radius: 4px; }
  .md-code { border: 1px solid var(--_border); border-radius: calc(var(--_radius) * .6); overflow: hidden; background: var(--_code-bg); }
  .md-code-bar { display: flex; justify-content: space-between; align-items: center; padding-block: .2rem; padding-inline: .6rem .3rem; font-size: .75rem; color: var(--_muted); border-bottom: 1px solid var(--_border); }
  .md-code pre { margin: 0; padding: .6rem .75rem; overflow-x: auto; direction: ltr; text-align: left; }
  .md-code pre code { background: none; padding: 0; font-size: .85rem; white-space: pre; }
  .md-copy { padding: .1rem .55rem; font-size: .75rem; cursor: pointer; }
  .thinking { margin: 0 0 .4rem; font-size: .85rem; color: var(--_muted); }
  .thinking summary { cursor: pointer; }
  .reasoning { white-space: pre-wrap; margin-top: .25rem; }
  .typing { display: inline-flex; gap: .25rem; padding: .3rem 0; }
  .typing span { width: .4rem; height: .4rem; border-radius: 50%; background: var(--_muted); animation: blink 1.2s infinite ease-in-out; }
  .typing span:nth-child(2) { animation-delay: .2s; }
  .typing span:nth-child(3) { animation-delay: .4s; }
  @keyframes blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }
  .error { margin: 0 1rem .5rem; padding: .6rem .8rem; border-radius: calc(var(--_radius) * .6); background: var(--_error-bg); color: var(--_error); font-size: .88rem; }
  .error p { margin: 0; }
  .error .error-title { font-weight: 650; }
  .error ul { margin: .3rem 0 0; padding-inline-start: 1.2rem; }
  .error code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85em; }
  .error .row { display: flex; gap: .5rem; margin-top: .45rem; }
  form { padding: .6rem 1rem .8rem; border-top: 1px solid var(--_border); display: grid; gap: .45rem; }
  textarea { width: 100%; resize: vertical; min-height: 2.6rem; max-height: 12rem; padding: .45rem .6rem; }
  textarea::placeholder { color: var(--_muted); opacity: 1; }
  .actions { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
  .actions .spacer { flex: 1; }
  .msg-actions { display: flex; gap: .35rem; margin-top: .35rem; }
  .msg-actions button { padding: 0 .45rem; font-size: .72rem; color: var(--_muted); }
  .msg.user .msg-actions { justify-content: flex-end; }
  .edit { display: grid; gap: .35rem; margin-top: .25rem; }
  .edit .row { display: flex; gap: .4rem; justify-content: flex-end; }
  .jump { position: absolute; bottom: .6rem; left: 50%; transform: translateX(-50%); box-shadow: 0 2px 8px rgb(0 0 0 / .2); background: var(--_bg); }
  .drop-hint { margin: 0; padding: .4rem; text-align: center; border: 2px dashed var(--_accent); border-radius: calc(var(--_radius) * .6); color: var(--_accent); font-size: .85rem; }
  .attachment { font-size: .8rem; color: var(--_muted); display: inline-flex; gap: .3rem; align-items: center; }
  button { padding: .35rem .9rem; cursor: pointer; }
  button.primary { background: var(--_accent); color: var(--_accent-fg); border-color: var(--_accent); font-weight: 600; }
  button:disabled { opacity: .45; cursor: not-allowed; }
  button.small { padding: .1rem .5rem; font-size: .78rem; }
  :focus-visible { outline: 3px solid var(--_focus); outline-offset: 2px; }
  .log:focus-visible { outline-offset: -3px; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
  [hidden] { display: none !important; }
  @media (prefers-reduced-motion: reduce) {
    .typing span { animation: none; opacity: .6; }
    .log { scroll-behavior: auto; }
  }
  @media (forced-colors: active) {
    .badge, .msg, .error { border: 1px solid CanvasText; }
  }
`;
