import type { ErrorId } from '@lianxin/contracts';

/** The one error catalogue: every error the API returns is an AppError with a stable id and an HTTP status. */
const statusOf: Record<ErrorId, number> = {
  validation_error: 400,
  unauthenticated: 401,
  totp_required: 401,
  forbidden: 403,
  password_change_required: 403,
  totp_setup_required: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
};

export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly id: ErrorId,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.statusCode = statusOf[id];
  }
}

export const errors = {
  validation: (message: string, details?: unknown) => new AppError('validation_error', message, details),
  unauthenticated: (message = '请先登录') => new AppError('unauthenticated', message),
  forbidden: (message = '没有权限执行此操作') => new AppError('forbidden', message),
  totpRequired: (message = '请输入动态验证码') => new AppError('totp_required', message),
  passwordChangeRequired: () => new AppError('password_change_required', '请先修改一次性密码后再继续'),
  totpSetupRequired: () => new AppError('totp_setup_required', '登录安全策略要求先在"我的账户"中设置动态验证码'),
  notFound: (message = '未找到或无权查看') => new AppError('not_found', message),
  conflict: (message: string, details?: unknown) => new AppError('conflict', message, details),
  rateLimited: (message: string, details?: unknown) => new AppError('rate_limited', message, details),
  unsupportedMediaType: (message: string) => new AppError('unsupported_media_type', message),
};
