// Source of the Node CommonJS entry point (dist/index.cjs is this file bundled by esbuild).
export * from './index.mjs';
export { default } from './index.mjs';
