// createLLMBase(): the Vercel AI SDK provider (ProviderV4) whose models run on an LLMBase client.
import { NoSuchModelError } from '@ai-sdk/provider';
import { LLMBase } from './client.mjs';
import { LLMBaseChatLanguageModel } from './ai-sdk-model.mjs';

/**
 * `createLLMBase(options)` → `provider(modelId, settings?)`. Options are the LLMBase client's
 * (apiKey, baseURL, validation, budgetUSD, fallback, idleTimeout, fetch, …) or `client`, an
 * existing LLMBase. The client is made on first use, so importing never needs a key. Retries are
 * left to the AI SDK (its maxRetries, which honours retry-after), so the client's default is 0.
 */
export function createLLMBase(options = {}) {
  const { client: given, ...clientOptions } = options;
  let client = given || null;
  const getClient = () => {
    if (!client) client = new LLMBase({ maxRetries: 0, ...clientOptions });
    return client;
  };
  const languageModel = (modelId, settings) => {
    if (typeof modelId !== 'string' || modelId === '') {
      throw new TypeError(
        `llmbase(modelId): modelId must be an LLMBase model id such as "deepseek/deepseek-v4-flash", got ${JSON.stringify(modelId)}.`
      );
    }
    return new LLMBaseChatLanguageModel(modelId, settings, { provider: 'llmbase.chat', client: getClient });
  };
  const noSuch = (modelType) => (modelId) => {
    throw new NoSuchModelError({ modelId, modelType, message: `LLMBase serves chat models only; there is no ${modelType} ${modelId}.` });
  };
  const provider = function llmbase(modelId, settings) {
    if (new.target) throw new TypeError('The LLMBase provider is a function: call llmbase(modelId), without new.');
    return languageModel(modelId, settings);
  };
  provider.specificationVersion = 'v4';
  provider.languageModel = languageModel;
  provider.chat = languageModel;
  provider.embeddingModel = noSuch('embeddingModel');
  provider.imageModel = noSuch('imageModel');
  Object.defineProperty(provider, 'client', { get: getClient, enumerable: false });
  return provider;
}

/** The default provider: key from LLMBASE_API_KEY, base URL from LLMBASE_BASE_URL. */
export const llmbase = createLLMBase();
