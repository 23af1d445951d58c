import type { ErrorBody, ErrorId } from '@lianxin/contracts';
import { takeEarly } from './early.ts';

/** Chinese fallbacks for when the server sends no message (or the network fails). */
const fallbackMessages: Record<ErrorId | 'network_error', string> = {
  validation_error: '填写的内容有误，请检查后重试',
  unauthenticated: '请先登录',
  totp_required: '请输入动态验证码',
  password_change_required: '请先修改一次性密码',
  totp_setup_required: '请先设置动态验证码',
  forbidden: '没有权限进行此操作',
  not_found: '未找到或无权查看',
  conflict: '数据已被修改，请刷新后重试',
  payload_too_large: '内容太大，无法提交',
  unsupported_media_type: '文件类型不支持',
  rate_limited: '操作太频繁，请稍后再试',
  internal_error: '服务器出错了，请稍后再试',
  network_error: '无法连接服务器，请检查网络后重试',
};

export class ApiError extends Error {
  readonly id: ErrorId | 'network_error';
  readonly status: number;
  readonly details: unknown;
  constructor(id: ErrorId | 'network_error', status: number, message: string, details?: unknown) {
    super(message || fallbackMessages[id] || fallbackMessages.internal_error);
    this.id = id;
    this.status = status;
    this.details = details;
  }
}

export function isApiError(e: unknown, id?: ApiError['id']): e is ApiError {
  return e instanceof ApiError && (id === undefined || e.id === id);
}

let csrfToken: string | null = null;
/** The session's CSRF token (from Me); sent on every non-GET request. */
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return send<T>(path, method, headers, init.body === undefined ? undefined : JSON.stringify(init.body), init.signal);
}

/** POSTs (or PUTs) a file as the raw request body (an xlsx upload, an image), with the CSRF header; errors as for api(). */
export function uploadFile<T>(path: string, file: Blob, contentType: string, signal?: AbortSignal, method: 'POST' | 'PUT' = 'POST'): Promise<T> {
  return send<T>(path, method, { accept: 'application/json', 'content-type': contentType }, file, signal);
}

/** PUTs a file as the raw request body at a path that names it (idempotent, e.g. a visit's photo by its number). */
export function putFile<T>(path: string, file: Blob, signal?: AbortSignal): Promise<T> {
  return send<T>(path, 'PUT', { accept: 'application/json', 'content-type': file.type || 'application/octet-stream' }, file, signal);
}

async function send<T>(path: string, method: string, headers: Record<string, string>, body: BodyInit | undefined, signal?: AbortSignal): Promise<T> {
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await ((method === 'GET' ? takeEarly(path) : undefined) ?? fetch(path, { method, headers, body, credentials: 'same-origin', signal }));
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError('network_error', 0, fallbackMessages.network_error);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) throw errorOf(res.status, json);
  return json as T;
}

function errorOf(status: number, json: unknown): ApiError {
  const err = (json as Partial<ErrorBody> | null)?.error;
  const id = err?.id ?? statusToId(status);
  return new ApiError(id, status, err?.message ?? fallbackMessages[id], err?.details);
}

/** POSTs JSON (with the CSRF header) and returns the response as a file, e.g. a PDF; errors as for api(). */
export async function postForFile(path: string, body: unknown): Promise<{ blob: Blob; filename: string | null }> {
  const headers: Record<string, string> = { accept: 'application/pdf, application/json', 'content-type': 'application/json' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError('network_error', 0, fallbackMessages.network_error);
  }
  if (!res.ok) {
    let json: unknown = null;
    try { json = await res.json(); } catch { json = null; }
    throw errorOf(res.status, json);
  }
  const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  return { blob: await res.blob(), filename: name ? decodeURIComponent(name) : null };
}

/** Hands a downloaded file to the browser's save dialog. */
/** Lets the browser download `href` itself (streamed to disk, named by the server's content-disposition). */
export function startDownload(href: string) {
  const a = document.createElement('a');
  a.href = href;
  a.download = '';
  document.body.append(a);
  a.click();
  a.remove();
}

export function saveFile(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function statusToId(status: number): ErrorId {
  if (status === 400) return 'validation_error';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  return 'internal_error';
}
