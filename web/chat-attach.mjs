// Image attachments of <llmbase-chat>: from the file picker, a paste or a drop; read as data URLs within a size limit; the one waiting to be sent.
export const MAX_IMAGE_BYTES = 2.5 * 1024 * 1024; // as a data URL it grows by 4/3; proxies take 4 MiB bodies by default

/** The files a paste or drop carries (clipboardData / dataTransfer), images or not. */
export function droppedFiles(transfer) {
  if (!transfer) return [];
  const files = [...(transfer.files || [])];
  if (files.length) return files;
  return [...(transfer.items || [])]
    .filter((item) => item.kind === 'file')
    .map((item) => item.getAsFile())
    .filter(Boolean);
}

/** Whether a drag carries files (their names and types are hidden until the drop). */
export const carriesFiles = (transfer) => Boolean(transfer) && [...(transfer.types || [])].includes('Files');

/**
 * Reads `file` as { name, url }. Rejects with an error the widget shows (kind invalid_argument or
 * a 413 bad_request) when it is not an image or is too large; `t` gives the words.
 */
export function readImage(file, t) {
  const name = file.name || 'image';
  if (!/^image\//.test(file.type)) return Promise.reject({ kind: 'invalid_argument', message: t('errNotImage', { name }) });
  if (file.size > MAX_IMAGE_BYTES) {
    const size = (file.size / 1048576).toFixed(1);
    return Promise.reject({ kind: 'bad_request', status: 413, message: t('errImageSize', { size, limit: MAX_IMAGE_BYTES / 1048576 }) });
  }
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ name, url: String(reader.result) });
    reader.onerror = () => reject({ kind: 'invalid_argument', message: t('errNotImage', { name }) });
    reader.readAsDataURL(file);
  });
}

/**
 * Calls `onFile(file)` for a file pasted into `box` or dropped anywhere on `area`; `hint` shows
 * while files are dragged over the area.
 */
export function wireImageInput(box, area, hint, onFile) {
  box.addEventListener('paste', (event) => {
    const [file] = droppedFiles(event.clipboardData);
    if (!file) return; // text pastes as usual
    event.preventDefault();
    onFile(file);
  });
  area.addEventListener('dragover', (event) => {
    if (!carriesFiles(event.dataTransfer)) return;
    event.preventDefault(); // without this the browser would open the file instead of dropping it here
    hint.hidden = false;
  });
  area.addEventListener('dragleave', (event) => {
    if (!area.contains(event.relatedTarget)) hint.hidden = true;
  });
  area.addEventListener('drop', (event) => {
    const [file] = droppedFiles(event.dataTransfer);
    hint.hidden = true;
    if (!file) return;
    event.preventDefault();
    onFile(file);
  });
}

/** The image that goes with the next message: its chip under the text box, announced when it is attached. */
export class PendingImage {
  #chip;
  #name;
  #announce;
  #image = null;

  /** `chip`: the element shown while an image waits; `name`: where its name goes; `announce(text)`: the live region. */
  constructor(chip, name, announce) {
    this.#chip = chip;
    this.#name = name;
    this.#announce = announce;
  }

  /** { name, url } (readImage), or null. */
  get image() {
    return this.#image;
  }

  /** Attaches `image` ({ name, url }), or removes the attached one (null); `t` gives the words. */
  set(image, t) {
    this.#image = image;
    this.#chip.hidden = !image;
    this.#name.textContent = image ? t('imageName', { name: image.name }) : '';
    if (image) this.#announce(t('imageAttached', { name: image.name }));
  }

  /**
   * Reads `file` and attaches it. Rejects with an error the widget shows when it is no image or
   * too large, or when `vision` is false: the chosen model (`model`) takes no images.
   */
  take(file, { vision, model }, t) {
    if (!vision) return Promise.reject({ kind: 'invalid_argument', message: t('errNoVision', { model }) });
    return readImage(file, t).then((image) => this.set(image, t));
  }

  /** The user message of `text` and the attached image (a text part, then the image part). */
  message(text) {
    const image = this.#image;
    return {
      role: 'user',
      content: image
        ? [
            { type: 'text', text },
            { type: 'image_url', image_url: { url: image.url } },
          ]
        : text,
    };
  }
}
