import react from '@vitejs/plugin-react';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Writes a .br and a .gz beside every text asset of the build; the server sends them as they are (@fastify/static
 * preCompressed) to a browser that accepts them. On a weak 4G signal the bytes are what a member waits for: the login
 * page's scripts shrink to about a third, and nothing is compressed again on each request.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'lianxin-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = path.resolve(c.root, c.build.outDir);
    },
    // After vite-plugin-pwa has written sw.js (closeBundle too, registered before this plugin).
    async closeBundle() {
      const files = await readdir(outDir, { recursive: true });
      await Promise.all(files.filter((f) => /\.(js|css|html|svg|json|webmanifest)$/.test(f) && !f.startsWith('.vite')).map(async (f) => {
        const file = path.join(outDir, f);
        const body = await readFile(file);
        if (body.length < 1024) return;
        await writeFile(`${file}.br`, brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
        await writeFile(`${file}.gz`, gzipSync(body, { level: 9 }));
      }));
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      // Registered by features/offline when a member's page loads (never by index.html): the login page and the
      // office's pages carry no service-worker code.
      injectRegister: false,
      registerType: 'prompt',
      manifest: {
        name: '连心 · 党群连心工程',
        short_name: '连心',
        description: '党员联户走访：今天要走访谁、记录走访，没有信号也能用。',
        lang: 'zh-CN',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#c8161d',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell: every built script, style and icon, so any page a member opened online opens offline too.
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        // index.html for every page address (a client route), never for the API, the health checks or the API docs.
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/(healthz|readyz)$/],
        // No runtime caching at all: API answers carry personal data and are `no-store`; the only offline copy of one
        // is 今天, kept by the app in IndexedDB (features/offline/today-cache.ts) where logging out clears it.
        runtimeCaching: [],
        cleanupOutdatedCaches: true,
        // A new version takes over when every tab of the old one is closed: a page never loads a chunk of the next
        // build into code of the previous one.
        skipWaiting: false,
        clientsClaim: false,
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
      },
    }),
    precompress(),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // scripts/check-bundle.mjs reads dist/.vite/manifest.json to measure what each route loads.
    manifest: true,
    target: 'es2022',
  },
  server: {
    // LIANXIN_API: where the dev server (and `vite preview`) sends /api; the Fastify server's default port otherwise.
    proxy: { '/api': { target: process.env.LIANXIN_API ?? 'http://localhost:3000', changeOrigin: false } },
  },
});
