// Safe Markdown for model output, in one import: the block parser, the inline scanner and the DOM renderer.
export { MAX_NESTING, parseBlocks, parseLineBlocks, splitRow } from './markdown-blocks.mjs';
export { MAX_INLINE_DEPTH, renderInline, safeHref } from './markdown-inline.mjs';
export {
  BlockGroups,
  GROUP_SIZE,
  MARKDOWN_LABELS,
  copyButton,
  copyText,
  renderBlocks,
  renderCodeBlock,
  renderMarkdown,
} from './markdown-render.mjs';
