// Attachments while they upload: one item per picked file with its progress, state and error. The
// reducer is pure (the screen and the tests drive it); `startUpload` sends one file to
// POST /api/v1/uploads with XMLHttpRequest, because fetch() reports no upload progress.

export type UploadState = 'uploading' | 'done' | 'failed' | 'cancelled' | 'tooLarge';

export interface UploadItem {
  /** local key (the file picker gives no id) */
  readonly key: string;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  readonly loaded: number;
  readonly state: UploadState;
  /** the server's upload id once done (or the part of a message a restored draft refers to) */
  readonly ref: AttachmentRef | null;
  readonly error: unknown;
}

export interface AttachmentRef {
  readonly uploadId?: string;
  readonly messageId?: string;
  readonly partId?: string;
}

/** The server's default limit (GONGJIK_SMTP_MAX_MESSAGE_BYTES, 25 MiB); the server has the last word. */
export const DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export type UploadAction =
  | {
      readonly type: 'add';
      readonly key: string;
      readonly name: string;
      readonly size: number;
      readonly fileType: string;
      readonly maxBytes: number;
    }
  | {
      readonly type: 'restore';
      readonly key: string;
      readonly name: string;
      readonly size: number;
      readonly ref: AttachmentRef;
    }
  | { readonly type: 'progress'; readonly key: string; readonly loaded: number }
  | { readonly type: 'done'; readonly key: string; readonly uploadId: string }
  | { readonly type: 'failed'; readonly key: string; readonly error: unknown }
  | { readonly type: 'cancelled'; readonly key: string }
  | { readonly type: 'remove'; readonly key: string };

export function reduceUploads(items: readonly UploadItem[], action: UploadAction): UploadItem[] {
  const update = (fn: (item: UploadItem) => UploadItem) =>
    items.map((item) => (item.key === action.key ? fn(item) : item));
  switch (action.type) {
    case 'add': {
      const tooLarge = action.size > action.maxBytes;
      return [
        ...items,
        {
          key: action.key,
          name: action.name,
          size: action.size,
          type: action.fileType,
          loaded: 0,
          state: tooLarge ? 'tooLarge' : 'uploading',
          ref: null,
          error: null,
        },
      ];
    }
    case 'restore':
      return [
        ...items,
        {
          key: action.key,
          name: action.name,
          size: action.size,
          type: '',
          loaded: action.size,
          state: 'done',
          ref: action.ref,
          error: null,
        },
      ];
    case 'progress':
      return update((i) =>
        i.state === 'uploading' ? { ...i, loaded: Math.min(Math.max(action.loaded, i.loaded), i.size) } : i,
      );
    case 'done':
      return update((i) =>
        i.state === 'uploading'
          ? { ...i, loaded: i.size, state: 'done', ref: { uploadId: action.uploadId } }
          : i,
      );
    case 'failed':
      return update((i) => (i.state === 'uploading' ? { ...i, state: 'failed', error: action.error } : i));
    case 'cancelled':
      return update((i) => (i.state === 'uploading' ? { ...i, state: 'cancelled' } : i));
    case 'remove':
      return items.filter((i) => i.key !== action.key);
  }
}

/** 0–100, whole numbers; a zero-byte file is 100 once done. */
export function percent(item: UploadItem): number {
  if (item.state === 'done') return 100;
  if (item.size <= 0) return 0;
  return Math.floor((item.loaded / item.size) * 100);
}

/** What a send or a draft save may carry: finished uploads only. */
export function attachmentRefs(items: readonly UploadItem[]): AttachmentRef[] {
  return items.filter((i) => i.state === 'done' && i.ref).map((i) => i.ref as AttachmentRef);
}

/** Whether something is still on its way (sending now would leave it out). */
export function uploading(items: readonly UploadItem[]): boolean {
  return items.some((i) => i.state === 'uploading');
}

export interface UploadRequest {
  readonly file: Blob & { readonly name: string };
  readonly headers: Readonly<Record<string, string>>;
  readonly onProgress: (loaded: number) => void;
  /** resolves to the upload id, rejects with what `toError` makes of the answer */
  readonly toError: (status: number, body: string) => unknown;
  readonly networkError: () => unknown;
  readonly xhr?: () => XMLHttpRequest;
}

/** Sends one file; `cancel()` aborts it (the promise then rejects with `'cancelled'`). */
export function startUpload(req: UploadRequest): { done: Promise<string>; cancel: () => void } {
  const xhr = req.xhr ? req.xhr() : new XMLHttpRequest();
  const type = req.file.type || 'application/octet-stream';
  const url = `/api/v1/uploads?filename=${encodeURIComponent(req.file.name.slice(0, 255) || 'file')}&type=${encodeURIComponent(type.slice(0, 255))}`;
  const done = new Promise<string>((resolve, reject) => {
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    for (const [k, v] of Object.entries(req.headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => req.onProgress(e.loaded);
    xhr.onload = () => {
      if (xhr.status === 201 || xhr.status === 200) {
        try {
          const body = JSON.parse(xhr.responseText) as { id?: unknown };
          if (typeof body.id === 'string') return resolve(body.id);
        } catch {
          // fall through
        }
      }
      reject(req.toError(xhr.status, xhr.responseText));
    };
    xhr.onerror = () => reject(req.networkError());
    xhr.onabort = () => reject('cancelled');
    xhr.send(req.file);
  });
  return { done, cancel: () => xhr.abort() };
}
