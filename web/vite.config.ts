import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
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
