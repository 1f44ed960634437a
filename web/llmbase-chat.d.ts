// Types of 'llmbase-wasm/chat': the <llmbase-chat> custom element (registered on import).

/** The chat widget element. Attributes: base-url, model, system, max-tokens, placeholder, title, theme, lang, persist. */
export declare class LLMBaseChat extends HTMLElement {
  baseUrl: string;
  model: string;
  system: string;
  placeholder: string;
  maxTokens: number;
  /** localStorage key under which the conversation is kept ('' = not kept). */
  persist: string;
  /** Overrides of the visible words, by key (see the English table in the package's chat sources). */
  strings: Record<string, string>;
  readonly models: Array<Record<string, unknown>>;
  readonly messages: Array<{ role: 'user' | 'assistant'; content: unknown }>;
  readonly streaming: boolean;
  readonly ready: Promise<void>;
  send(text?: string): Promise<void>;
  stop(): void;
  retry(): Promise<void>;
  regenerate(): Promise<void>;
  clear(): void;
}

export declare const DEFAULT_MAX_TOKENS: number;
/** The keyless client the widget uses for a proxy at `baseURL`. */
export declare function createWidgetClient(baseURL: string): unknown;

declare global {
  interface HTMLElementTagNameMap {
    'llmbase-chat': LLMBaseChat;
  }
}
