import type { SwaggerOptions } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `POST /api/v1/households/:id/residents` → `postHouseholdsByIdResidents`: unique because method + path is. */
export function operationIdOf(method: string, url: string): string {
  const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);
  const words = url.replace(/^\/api\/v1(?=\/|$)/, '').split(/[/.\-_]+/).filter(Boolean)
    .map((w) => (w.startsWith(':') ? `By${cap(w.slice(1))}` : cap(w)));
  return method.toLowerCase() + words.join('');
}

/**
 * The OpenAPI document built from the route schemas (served at /api/docs, linted by `npm run lint:openapi`).
 * Every operation needs the session cookie, and writes also the CSRF header, unless its schema says `security: []`
 * (health probes, login, the public card). Paths are listed without the trailing slash Fastify's prefixes give `/`
 * routes (both forms are served), and each operation gets an operationId derived from its method and path.
 */
export const swaggerOptions: SwaggerOptions = {
  openapi: {
    info: {
      title: 'LianXin 连心 API', version: '0.1.0', description: '党群连心工程 — API v1',
      license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
    },
    servers: [{ url: '/', description: '本服务（同源）' }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'lx_session', description: '登录后设置的会话 Cookie（HttpOnly，签名）' },
        csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token', description: '会话的 CSRF 令牌（登录与 GET /api/v1/auth/me 返回 csrfToken）：所有写操作必须携带' },
      },
    },
    security: [{ session: [] }],
  },
  transform: (input) => {
    const { schema, url } = jsonSchemaTransform(input) as { schema: Record<string, unknown>; url: string };
    const path = url.length > 1 ? url.replace(/\/+$/, '') : url;
    const method = [input.route.method].flat()[0]!;
    schema.operationId ??= operationIdOf(method, path);
    if (schema.security === undefined && !SAFE_METHODS.has(method)) schema.security = [{ session: [], csrf: [] }];
    return { schema, url: path };
  },
};
