import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../errors.ts';

/** Every error leaves as `{ error: { id, message, details? } }`; unknown errors are logged and become a bare 500. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      return reply.code(err.statusCode).send({ error: { id: err.id, message: err.message, details: err.details } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        path: `${err.validationContext ?? ''}${v.instancePath}`,
        message: v.message,
      }));
      return reply.code(400).send({ error: { id: 'validation_error', message: '请求参数不正确', details: issues } });
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
      if (process.env.LX_DEBUG) console.error(JSON.stringify(err.cause.issues));
      return reply.code(500).send({ error: { id: 'internal_error', message: '服务器内部错误' } });
    }
    // Safety net behind edge validation: bytes PostgreSQL cannot store (NUL, invalid encoding) are the client's
    // fault and the statement's transaction has rolled back — a 400, never a 500.
    const pgCode = (err as { code?: string; cause?: { code?: string } }).cause?.code ?? err.code;
    if (pgCode === '22021' || pgCode === '22P05') {
      return reply.code(400).send({ error: { id: 'validation_error', message: '包含无效字符' } });
    }
    const status = err.statusCode ?? 500;
    if (status === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error: { id: 'payload_too_large', message: '请求内容过大' } });
    }
    if (status === 429) {
      return reply.code(429).send({ error: { id: 'rate_limited', message: '请求过于频繁，请稍后再试' } });
    }
    if (status >= 400 && status < 500) {
      // Fastify's own 4xx: malformed JSON, wrong content type, empty body, bad URL encoding…
      return reply.code(status === 415 ? 415 : 400).send({
        error: { id: 'validation_error', message: '请求格式不正确', details: { code: err.code } },
      });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: { id: 'internal_error', message: '服务器内部错误' } });
  });
}

/**
 * Errors Fastify raises before routing (Fastify's `frameworkErrors`): malformed percent-encoding in the path
 * (`/api/v1/orgs/%`) and a path parameter over maxParamLength (414) — answered in the error shape too.
 */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.code(414).send({ error: { id: 'payload_too_large', message: '请求地址过长' } });
    return;
  }
  void reply.code(400).send({ error: { id: 'validation_error', message: '请求地址格式不正确', details: { code: err.code } } });
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (Fastify's `clientErrorHandler`): headers or request
 * line over the size limit (431) and unparsable requests (400), answered in the error shape and the connection closed.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, id, message] = err.code === 'HPE_HEADER_OVERFLOW'
    ? [431, 'payload_too_large', '请求头过大'] as const
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'validation_error', '请求超时'] as const : [400, 'validation_error', '请求格式不正确'] as const;
  const body = JSON.stringify({ error: { id, message } });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
