// Every word <llmbase-chat> shows, in English (the default) and German; a site owner overrides any of them.
//
// `lang="de"` (on the element or an ancestor) picks a built-in table; the `strings` property
// merges overrides over it: `chat.strings = { send: 'Go', replyStarted: '{model} is typing…' }`.
// `{name}` in a string is replaced by a value; everything is set as text, never as markup.

export const EN = {
  title: 'Chat', model: 'Model', loadingModels: 'Loading models…', noModels: 'No models available',
  notInList: '{model} · not in the model list', modelsFailed: 'The model list could not be loaded.',
  noMetadata: 'No metadata for this model: requests are checked for their shape only.', textOnly: 'Text only',
  capTools: 'Tools', capToolsInfo: 'can call tools', capJson: 'JSON', capJsonInfo: 'JSON output',
  capReasoning: 'Reasoning', capReasoningInfo: 'thinks before answering', capVision: 'Vision', capVisionInfo: 'accepts images',
  priceUnknown: 'price unknown', priceText: '{input} in / {output} out per 1M tokens', priceShort: '{input}/{output} per 1M',
  optionText: 'text only', contextText: '{tokens}-token context',
  conversation: 'Conversation', empty: 'No messages yet. Replies stream in as they are written.',
  retry: 'Try again', dismiss: 'Dismiss', message: 'Message', placeholder: 'Ask something…',
  keysHint: 'Enter sends, Shift+Enter adds a line, Escape stops a reply. Paste or drop an image on vision models.',
  attach: 'Attach image', unattach: 'Remove', newChat: 'New chat', stop: 'Stop', send: 'Send', jump: 'Jump to latest',
  you: 'You', assistant: 'Assistant', assistantModel: 'Assistant · {model}', thinking: 'Thinking', imageName: 'Image: {name}',
  imageNotKept: 'Image: {name} (not kept after reload)', tokens: '{tokens} tokens',
  copyMessage: 'Copy', copyMessageLabel: 'Copy message as Markdown', edit: 'Edit', editLabel: 'Edit message',
  regenerate: 'Regenerate', regenerateLabel: 'Regenerate reply', editBox: 'Edit your message', resend: 'Send again',
  cancel: 'Cancel', stopped: 'Stopped. The reply above is incomplete.', brokeOff: 'The reply broke off here.',
  replyStarted: 'Reply from {model} started.', replyFinished: 'Reply finished.', replyStopped: 'Reply stopped.',
  replyFailed: 'Reply failed.', newChatStarted: 'New chat started.', codeCopied: 'Code copied.', messageCopied: 'Message copied.',
  copyFailedNote: 'Copying failed.', imageAttached: 'Image {name} attached.', restored: 'Earlier conversation restored.',
  imageDropped: 'The attached image was removed: this model does not accept images.', editing: 'Editing your last message.',
  dropHere: 'Drop the image to attach it',
  // The Markdown renderer's words.
  copy: 'Copy', copied: 'Copied', copyFailed: 'Copy failed', copyCode: 'Copy code', copyLangCode: 'Copy {lang} code',
  code: 'code', table: 'Table', taskDone: 'Done', taskOpen: 'Not done', image: 'Image: {label}',
  // Errors: what happened (title) and what to do (hint).
  errValidation: 'Not sent: the message does not fit {model}.', errValidationHint: 'Fix what is listed below, pick another model, or start a new chat.',
  errAuth: 'The chat server refused its API key (401).',
  errAuthHint: 'Site owner: check the key the proxy uses (LLMBASE_API_KEY). Visitors: the chat is unavailable for now; try again later.',
  errBalance: 'The LLMBase account behind this chat is out of credit (402).', errBalanceKnown: 'The LLMBase account behind this chat is out of credit (402): the balance is {balance}.',
  errBalanceHint: 'Site owner: top up the prepaid balance. A lower max-tokens also lowers what a request has to reserve.',
  errConcurrency: 'Too many replies are being written at once (429).', errConcurrencyHint: 'Wait a few seconds, then try again.',
  errRate: 'Too many messages in a short time (429).', errRateWait: 'Wait {seconds} s, then try again.', errRateHint: 'Wait a moment, then try again.',
  errForbidden: 'Not allowed (403): {detail}', errForbiddenHint: 'Pick another model, or ask the site owner to allow this page or model.',
  errNotFound: 'Not found (404): {detail}', errNotFoundHint: 'Pick another model; site owner: check base-url ({baseURL}).', notSet: 'not set',
  errRefused: 'The server refused the request ({status}): {detail}', errRefusedHint: 'Change the message or the model, then send again.',
  errIdle: 'The reply stalled: no data arrived for too long.', errIdleHint: 'Try again; what arrived so far is kept above.',
  errTimeout: 'The request took too long and was stopped.', errTimeoutHint: 'Try again, perhaps with a shorter question.',
  errConnection: 'Could not reach the chat server.', errConnectionAt: 'Could not reach the chat server at {baseURL}.',
  errConnectionHint: 'Check your internet connection and try again. If it keeps failing, the server may be down.',
  errIncomplete: 'The connection broke off before the reply was complete.', errIncompleteHint: 'What arrived is kept above. Try again for a full reply.',
  errServer: 'The chat server had a problem ({status}).', errServerHint: 'Try again in a moment.', serverError: 'server error',
  errStream: 'The reply failed part-way: {detail}', errStreamHint: 'Try again.',
  errSetup: 'The widget is not set up correctly: {detail}', errSetupHint: 'Site owner: check the element\'s attributes.',
  errOther: 'Something went wrong: {detail}', errOtherHint: 'Try again.',
  errNoModel: 'no model is available to send to.', errNotImage: '{name} is not an image.',
  errImageSize: 'the image is {size} MB; the limit is {limit} MB.', errNoVision: '{model} does not accept images; pick a model marked Vision.',
};

export const DE = {
  title: 'Chat', model: 'Modell', loadingModels: 'Modelle werden geladen…', noModels: 'Keine Modelle verfügbar',
  notInList: '{model} · nicht in der Modellliste', modelsFailed: 'Die Modellliste konnte nicht geladen werden.',
  noMetadata: 'Keine Metadaten für dieses Modell: Anfragen werden nur auf ihre Form geprüft.', textOnly: 'Nur Text',
  capTools: 'Werkzeuge', capToolsInfo: 'kann Werkzeuge aufrufen', capJson: 'JSON', capJsonInfo: 'JSON-Ausgabe',
  capReasoning: 'Denken', capReasoningInfo: 'denkt vor der Antwort nach', capVision: 'Bilder', capVisionInfo: 'nimmt Bilder an',
  priceUnknown: 'Preis unbekannt', priceText: '{input} ein / {output} aus pro 1 Mio. Tokens', priceShort: '{input}/{output} pro 1 Mio.',
  optionText: 'nur Text', contextText: '{tokens} Tokens Kontext',
  conversation: 'Unterhaltung', empty: 'Noch keine Nachrichten. Antworten erscheinen, während sie geschrieben werden.',
  retry: 'Erneut versuchen', dismiss: 'Schließen', message: 'Nachricht', placeholder: 'Frag etwas…',
  keysHint: 'Eingabe sendet, Umschalt+Eingabe fügt eine Zeile hinzu, Escape stoppt eine Antwort. Bilder lassen sich bei Bildmodellen einfügen oder hineinziehen.',
  attach: 'Bild anhängen', unattach: 'Entfernen', newChat: 'Neuer Chat', stop: 'Stopp', send: 'Senden', jump: 'Zur neuesten Nachricht',
  you: 'Du', assistant: 'Assistent', assistantModel: 'Assistent · {model}', thinking: 'Denkt nach', imageName: 'Bild: {name}',
  imageNotKept: 'Bild: {name} (nach dem Neuladen nicht mehr vorhanden)', tokens: '{tokens} Tokens',
  copyMessage: 'Kopieren', copyMessageLabel: 'Nachricht als Markdown kopieren', edit: 'Bearbeiten', editLabel: 'Nachricht bearbeiten',
  regenerate: 'Neu erzeugen', regenerateLabel: 'Antwort neu erzeugen', editBox: 'Nachricht bearbeiten', resend: 'Erneut senden',
  cancel: 'Abbrechen', stopped: 'Gestoppt. Die Antwort oben ist unvollständig.', brokeOff: 'Die Antwort ist hier abgebrochen.',
  replyStarted: 'Antwort von {model} beginnt.', replyFinished: 'Antwort fertig.', replyStopped: 'Antwort gestoppt.',
  replyFailed: 'Antwort fehlgeschlagen.', newChatStarted: 'Neuer Chat begonnen.', codeCopied: 'Code kopiert.', messageCopied: 'Nachricht kopiert.',
  copyFailedNote: 'Kopieren fehlgeschlagen.', imageAttached: 'Bild {name} angehängt.', restored: 'Frühere Unterhaltung wiederhergestellt.',
  imageDropped: 'Das angehängte Bild wurde entfernt: dieses Modell nimmt keine Bilder an.', editing: 'Du bearbeitest deine letzte Nachricht.',
  dropHere: 'Bild loslassen, um es anzuhängen',
  copy: 'Kopieren', copied: 'Kopiert', copyFailed: 'Fehlgeschlagen', copyCode: 'Code kopieren', copyLangCode: '{lang}-Code kopieren',
  code: 'Code', table: 'Tabelle', taskDone: 'Erledigt', taskOpen: 'Offen', image: 'Bild: {label}',
  errValidation: 'Nicht gesendet: die Nachricht passt nicht zu {model}.', errValidationHint: 'Behebe das unten Genannte, wähle ein anderes Modell oder beginne einen neuen Chat.',
  errAuth: 'Der Chat-Server hat seinen API-Schlüssel abgelehnt (401).',
  errAuthHint: 'Betreiber: prüft den Schlüssel des Proxys (LLMBASE_API_KEY). Besucher: der Chat ist gerade nicht verfügbar; versuche es später.',
  errBalance: 'Das LLMBase-Konto hinter diesem Chat hat kein Guthaben mehr (402).', errBalanceKnown: 'Das LLMBase-Konto hinter diesem Chat hat kein Guthaben mehr (402): das Guthaben beträgt {balance}.',
  errBalanceHint: 'Betreiber: ladet das Guthaben auf. Ein kleineres max-tokens senkt auch, was eine Anfrage reservieren muss.',
  errConcurrency: 'Zu viele Antworten werden gleichzeitig geschrieben (429).', errConcurrencyHint: 'Warte ein paar Sekunden und versuche es dann erneut.',
  errRate: 'Zu viele Nachrichten in kurzer Zeit (429).', errRateWait: 'Warte {seconds} s und versuche es dann erneut.', errRateHint: 'Warte kurz und versuche es dann erneut.',
  errForbidden: 'Nicht erlaubt (403): {detail}', errForbiddenHint: 'Wähle ein anderes Modell oder bitte den Betreiber, diese Seite oder dieses Modell zu erlauben.',
  errNotFound: 'Nicht gefunden (404): {detail}', errNotFoundHint: 'Wähle ein anderes Modell; Betreiber: prüft base-url ({baseURL}).', notSet: 'nicht gesetzt',
  errRefused: 'Der Server hat die Anfrage abgelehnt ({status}): {detail}', errRefusedHint: 'Ändere die Nachricht oder das Modell und sende erneut.',
  errIdle: 'Die Antwort stockt: zu lange kamen keine Daten.', errIdleHint: 'Versuche es erneut; was bisher kam, bleibt oben stehen.',
  errTimeout: 'Die Anfrage dauerte zu lange und wurde beendet.', errTimeoutHint: 'Versuche es erneut, vielleicht mit einer kürzeren Frage.',
  errConnection: 'Der Chat-Server ist nicht erreichbar.', errConnectionAt: 'Der Chat-Server unter {baseURL} ist nicht erreichbar.',
  errConnectionHint: 'Prüfe deine Internetverbindung und versuche es erneut. Scheitert es weiter, ist der Server vielleicht nicht erreichbar.',
  errIncomplete: 'Die Verbindung brach ab, bevor die Antwort vollständig war.', errIncompleteHint: 'Was ankam, bleibt oben stehen. Versuche es erneut für eine vollständige Antwort.',
  errServer: 'Der Chat-Server hatte ein Problem ({status}).', errServerHint: 'Versuche es gleich noch einmal.', serverError: 'Serverfehler',
  errStream: 'Die Antwort brach mittendrin ab: {detail}', errStreamHint: 'Versuche es erneut.',
  errSetup: 'Das Widget ist nicht richtig eingerichtet: {detail}', errSetupHint: 'Betreiber: prüft die Attribute des Elements.',
  errOther: 'Etwas ist schiefgegangen: {detail}', errOtherHint: 'Versuche es erneut.',
  errNoModel: 'es ist kein Modell zum Senden verfügbar.', errNotImage: '{name} ist kein Bild.',
  errImageSize: 'das Bild hat {size} MB; die Grenze ist {limit} MB.', errNoVision: '{model} nimmt keine Bilder an; wähle ein Modell mit „Bilder“.',
};

export const LOCALES = { en: EN, de: DE };

/** The built-in table for a BCP 47 tag ("de-AT" → German), English when there is none. */
export function localeFor(lang) {
  const primary = String(lang || '').toLowerCase().split('-')[0];
  return Object.hasOwn(LOCALES, primary) ? { lang: primary, strings: LOCALES[primary] } : { lang: 'en', strings: EN };
}

/**
 * A translator over the locale's table and the overrides: t(key, { name: value }). Only string
 * overrides of known keys are taken; a key nobody defined shows as itself, so a gap is visible.
 */
export function translator(base, overrides) {
  const table = { ...base };
  if (overrides && typeof overrides === 'object') {
    for (const [key, value] of Object.entries(overrides)) if (Object.hasOwn(EN, key) && typeof value === 'string') table[key] = value;
  }
  return (key, vars) => {
    const template = Object.hasOwn(table, key) ? table[key] : key;
    return vars ? template.replace(/\{(\w+)\}/g, (whole, name) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole)) : template;
  };
}
