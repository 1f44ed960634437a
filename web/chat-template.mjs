// The fixed markup of <llmbase-chat>'s shadow root; its words are filled in from the string table by applyStrings().
//
// data-t="key" sets an element's text, data-t-label="key" its aria-label: always as text, so a
// site owner's strings cannot inject markup either. Model text never passes through here.

export const TEMPLATE = `
  <section class="chat" part="chat" aria-labelledby="title">
    <header class="head" part="header">
      <h2 class="title" id="title"></h2>
      <div class="picker">
        <label for="model" data-t="model"></label>
        <select id="model" aria-describedby="model-info"><option value="" data-t="loadingModels"></option></select>
      </div>
      <p class="model-info" id="model-info"></p>
    </header>
    <div class="log-wrap">
      <div class="log" id="log" part="log" role="log" aria-live="polite" aria-relevant="additions" aria-busy="false" data-t-label="conversation" tabindex="0">
        <p class="empty" id="empty" data-t="empty"></p>
      </div>
      <button type="button" class="jump small" id="jump" data-t="jump" hidden></button>
    </div>
    <div class="visually-hidden" id="announce" role="status" aria-live="polite"></div>
    <div class="error" id="error" part="error" role="alert" hidden>
      <p class="error-title" id="error-title"></p>
      <ul id="findings" hidden></ul>
      <p id="error-hint"></p>
      <div class="row">
        <button type="button" class="small" id="retry" data-t="retry"></button>
        <button type="button" class="small" id="dismiss" data-t="dismiss"></button>
      </div>
    </div>
    <form id="form" part="form">
      <label for="prompt" class="visually-hidden" data-t="message"></label>
      <p class="drop-hint" id="drop-hint" data-t="dropHere" hidden></p>
      <textarea id="prompt" rows="2" aria-describedby="keys-hint"></textarea>
      <span class="visually-hidden" id="keys-hint" data-t="keysHint"></span>
      <div class="actions">
        <button type="button" id="attach" data-t="attach" hidden></button>
        <input type="file" id="file" accept="image/*" hidden tabindex="-1">
        <span class="attachment" id="attachment" hidden><span id="attachment-name"></span>
          <button type="button" class="small" id="unattach" data-t="unattach"></button></span>
        <span class="spacer"></span>
        <button type="button" id="clear" data-t="newChat"></button>
        <button type="button" id="stop" data-t="stop" disabled></button>
        <button type="submit" class="primary" id="send" data-t="send"></button>
      </div>
    </form>
  </section>`;

/** Sets every data-t / data-t-label text of `root` from the translator `t`. */
export function applyStrings(root, t) {
  for (const node of root.querySelectorAll('[data-t]')) node.textContent = t(node.dataset.t);
  for (const node of root.querySelectorAll('[data-t-label]')) node.setAttribute('aria-label', t(node.dataset.tLabel));
}
