import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { LOG_REDACT, logSerializers } from './lib/log.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { peopleRoutes } from './modules/people/people.routes.ts';
import { businessRoutes } from './modules/businesses/businesses.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { homeRoutes } from './modules/home/home.routes.ts';
import { householdRoutes, residentRoutes, tagRoutes } from './modules/households/households.routes.ts';
import { searchRoutes } from './modules/search/search.routes.ts';
import { printRoutes, publicCardRoutes } from './modules/print/print.routes.ts';
import { gridRoutes } from './modules/grids/grids.routes.ts';
import { campaignRoutes } from './modules/campaigns/campaigns.routes.ts';
import { handbookRoutes } from './modules/handbook/handbook.routes.ts';
import { accountRoutes } from './modules/accounts/accounts.routes.ts';
import { importRoutes, retentionRoutes } from './modules/imports/imports.routes.ts';
import { coverageRoutes, linkRoutes, targetLoadRoutes } from './modules/links/links.routes.ts';
import { orgRoutes } from './modules/orgs/orgs.routes.ts';
import { contactGroupRoutes, notificationRoutes, outboxRoutes } from './modules/notifications/notifications.routes.ts';
import { systemRoutes } from './modules/jobs/jobs.routes.ts';
import { rulesRoutes } from './modules/rules/rules.routes.ts';
import { itemCategoryRoutes, raisedItemRoutes, visitRoutes } from './modules/visits/visits.routes.ts';
import { authPlugin } from './plugins/auth.ts';
import { clientErrorHandler, frameworkErrors, installErrorHandler } from './plugins/error-handler.ts';
import { rejectIllFormedText } from './plugins/well-formed.ts';
import { swaggerOptions } from './openapi/document.ts';

export interface BuildOptions {
  config: Config;
  database: Database;
  logger?: FastifyServerOptions['logger'];
}

/** 64 KiB: the largest JSON body the foundation's API accepts (imports upload files through their own route). */
const BODY_LIMIT = 64 * 1024;

export const defaultWebDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Builds the API and web server. Never listens: main.ts does, tests use app.inject. */
export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const { config, database } = opts;
  const trusted = config.trustProxy;
  const app = Fastify({
    // Personal data never reaches the logs (lib/log.ts): requests as method and path, database errors without values.
    logger: opts.logger ? { ...(opts.logger === true ? {} : opts.logger), serializers: logSerializers, redact: LOG_REDACT } : false,
    bodyLimit: BODY_LIMIT,
    // request.ip (rate limits, lockout, audit, sessions) comes from X-Forwarded-For only when LIANXIN_TRUST_PROXY names the proxy.
    // Fastify 5 ignores a numeric hop count (it cannot check the peer); a hop count here means the operator has made the
    // proxy the only way in (README), so trust exactly that many hops.
    trustProxy: typeof trusted === 'number' ? (_addr: string, hop: number) => hop < trusted : trusted,
    genReqId: () => crypto.randomUUID(),
    routerOptions: { maxParamLength: 200 },
    frameworkErrors,
    clientErrorHandler,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  // API answers carry personal data (registry detail, reveals, exports, the public card's member phone): no browser or
  // proxy may keep a copy. A route that wants caching sets its own Cache-Control, which this leaves alone.
  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  rejectIllFormedText(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd's CSS-in-JS injects <style> elements at runtime.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: config.production ? [] : null,
      },
    },
  });
  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, swaggerOptions);
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await app.register(authPlugin, { db: database.db, config, pool: database.pool });

  await app.register(healthRoutes, { database });
  await app.register(authRoutes, { prefix: '/api/v1/auth', db: database.db, config });
  await app.register(orgRoutes, { prefix: '/api/v1/orgs', db: database.db });
  await app.register(householdRoutes, { prefix: '/api/v1/households', db: database.db, config });
  await app.register(residentRoutes, { prefix: '/api/v1/residents', db: database.db, config });
  await app.register(tagRoutes, { prefix: '/api/v1/tags', db: database.db });
  await app.register(linkRoutes, { prefix: '/api/v1/links', db: database.db });
  await app.register(coverageRoutes, { prefix: '/api/v1/coverage', db: database.db });
  await app.register(peopleRoutes, { prefix: '/api/v1/people', db: database.db, config });
  await app.register(targetLoadRoutes, { prefix: '/api/v1/settings/target-load', db: database.db });
  await app.register(businessRoutes, { prefix: '/api/v1/businesses', db: database.db, config });
  await app.register(importRoutes, { prefix: '/api/v1/imports', db: database.db, config });
  await app.register(retentionRoutes, { prefix: '/api/v1/settings/retention', db: database.db, config });
  await app.register(homeRoutes, { prefix: '/api/v1/home', db: database.db });
  await app.register(searchRoutes, { prefix: '/api/v1/search', db: database.db, config });
  await app.register(printRoutes, { prefix: '/api/v1/orgs', db: database.db, config });
  await app.register(gridRoutes, { prefix: '/api/v1/grids', db: database.db });
  await app.register(campaignRoutes, { prefix: '/api/v1/campaigns', db: database.db });
  await app.register(handbookRoutes, { prefix: '/api/v1/people', db: database.db });
  await app.register(auditRoutes, { prefix: '/api/v1/audit', db: database.db, config });
  await app.register(publicCardRoutes, { prefix: '/api/v1/public', db: database.db, config });
  await app.register(rulesRoutes, { prefix: '/api/v1', db: database.db });
  await app.register(accountRoutes, { prefix: '/api/v1/accounts', db: database.db, config });
  await app.register(systemRoutes, { prefix: '/api/v1/system', db: database.db, config });
  await app.register(visitRoutes, { prefix: '/api/v1/visits', db: database.db });
  await app.register(raisedItemRoutes, { prefix: '/api/v1/raised-items', db: database.db });
  await app.register(itemCategoryRoutes, { prefix: '/api/v1/item-categories', db: database.db });
  await app.register(outboxRoutes, { prefix: '/api/v1/system', db: database.db });
  await app.register(notificationRoutes, { prefix: '/api/v1/notifications', db: database.db });
  await app.register(contactGroupRoutes, { prefix: '/api/v1/people', db: database.db });

  const webDist = config.webDist ?? defaultWebDist;
  const hasWeb = existsSync(path.join(webDist, 'index.html'));
  // preCompressed: the build writes .br/.gz beside each asset (web/vite.config.ts); a phone on a weak signal gets those.
  if (hasWeb) await app.register(fastifyStatic, { root: webDist, wildcard: false, index: 'index.html', preCompressed: true });
  app.setNotFoundHandler((req, reply) => {
    // SPA fallback: client routes (/orgs/…) get index.html; API paths and missing files keep the JSON 404.
    const isPage = req.method === 'GET' && !req.url.startsWith('/api/') && !path.extname(req.url.split('?')[0]!);
    if (hasWeb && isPage) return reply.type('text/html').sendFile('index.html');
    return reply.code(404).send({ error: { id: 'not_found', message: '未找到或无权查看' } });
  });
  return app;
}
