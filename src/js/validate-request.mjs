// The standalone validateRequest(params, modelMetadata) export: the core's validator, with no client and no network.
import { loadCore } from './core-loader.mjs';

/** The standalone validateRequest(params, modelMetadata) export: no network. */
export async function validateRequest(params, modelMetadata, options = {}) {
  const core = await loadCore();
  const metadata = modelMetadata === undefined || modelMetadata === null ? '' : JSON.stringify(modelMetadata);
  return JSON.parse(core.validateRequest(JSON.stringify(params), metadata, JSON.stringify({ allow_params: options.allowParams || [] })));
}
