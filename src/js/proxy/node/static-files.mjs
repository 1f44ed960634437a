// Static file serving on Node: the key-safe proxy's site (`staticDir`) and the local server's (`--static DIR`, the demo page and the browser tests).
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { HttpError, methodNotAllowed } from '../http-error.mjs';

// `.wasm` must be application/wasm or WebAssembly.instantiateStreaming refuses it (toolchain.md §2);
// modules must have a JavaScript MIME type or browsers refuse to run them.
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export function contentTypeFor(filePath) {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

const inside = (root, target) => target === root || target.startsWith(root + path.sep);

// Dotfiles (.env, .git/, .npmrc…) are never served: they hold secrets and build state, not pages.
// Only /.well-known/ (RFC 8615) is public by definition.
function hidden(root, target) {
  const segments = path.relative(root, target).split(path.sep);
  return segments.some((segment, i) => segment.startsWith('.') && !(i === 0 && segment === '.well-known'));
}

// Every static response may be framed only by its own origin (clickjacking of the widget's Send
// and Stop); HTML pages also get a CSP: scripts from the origin only (no inline or foreign
// scripts), no plugins, no <base> or form retargeting. connect-src stays open because a widget's
// base-url may be any proxy; inline styles are allowed for the page's own <style>.
// No 'unsafe-eval': the wasm glue is linked with -sDYNAMIC_EXECUTION=0, so embind builds its
// invokers without new Function(); 'wasm-unsafe-eval' is what compiling the .wasm needs.
const FRAME_HEADERS = { 'X-Frame-Options': 'SAMEORIGIN' };
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "connect-src 'self' http: https:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * Serves `pathname` from `rootDir`. Path traversal is refused twice: once on the decoded, resolved path
 * (`..`, `%2e%2e%2f`, absolute tricks) and once on the real path (symlinks pointing out of the root).
 */
export async function serveStatic(req, res, rootDir, pathname) {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req.method, ['GET', 'HEAD']);
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    throw new HttpError(400, 'invalid_path', 'The URL path is not valid percent-encoding.');
  }
  if (decoded.includes('\0')) throw new HttpError(400, 'invalid_path', 'The URL path contains a NUL byte.');
  const root = await realpath(rootDir);
  let target = path.resolve(root, `.${path.sep}${decoded}`);
  if (!inside(root, target)) throw new HttpError(403, 'forbidden', 'The path leads outside the static directory.');
  const notFound = () => new HttpError(404, 'not_found', `No file at ${pathname}.`);
  if (hidden(root, target)) throw notFound();
  let info;
  try {
    target = await realpath(target);
    if (!inside(root, target)) throw new HttpError(403, 'forbidden', 'The path leads outside the static directory.');
    if (hidden(root, target)) throw notFound(); // a symlink to a dotfile inside the root
    info = await stat(target);
    if (info.isDirectory()) {
      target = await realpath(path.join(target, 'index.html'));
      if (!inside(root, target)) throw new HttpError(403, 'forbidden', 'The path leads outside the static directory.');
      info = await stat(target);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw notFound();
  }
  if (!info.isFile()) throw notFound();
  res.statusCode = 200;
  res.setHeader('Content-Type', contentTypeFor(target));
  res.setHeader('Content-Length', info.size);
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  for (const [name, value] of Object.entries(FRAME_HEADERS)) res.setHeader(name, value);
  const type = contentTypeFor(target);
  res.setHeader('Content-Security-Policy', type.startsWith('text/html') ? PAGE_CSP : "frame-ancestors 'self'");
  if (req.method === 'HEAD') return res.end();
  await new Promise((resolve) => {
    const stream = createReadStream(target);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    stream.on('end', resolve);
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}
