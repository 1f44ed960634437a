// APIPromise: awaits to the parsed result, and `.withResponse()` also gives the HTTP response (as in openai-node).

/**
 * A thenable over a `{ data, response }` promise. `await p` gives `data`;
 * `await p.withResponse()` gives `{ data, response, requestId }`, so callers can read headers
 * such as x-llmbase-served-model without a second request; `await p.asResponse()` the Response.
 */
export class APIPromise {
  #inner;

  constructor(inner) {
    this.#inner = inner;
    this.#inner.catch(() => {}); // rejections are observed by whoever awaits this promise
  }

  then(onFulfilled, onRejected) {
    return this.#inner.then((r) => r.data).then(onFulfilled, onRejected);
  }

  catch(onRejected) {
    return this.then(undefined, onRejected);
  }

  finally(onFinally) {
    return this.then().finally(onFinally);
  }

  withResponse() {
    return this.#inner.then(({ data, response }) => ({
      data,
      response,
      requestId: response && response.headers ? response.headers.get('x-request-id') : null,
    }));
  }

  asResponse() {
    return this.#inner.then(({ response }) => response);
  }

  get [Symbol.toStringTag]() {
    return 'APIPromise';
  }
}
