// Web UI build (web/ → web/dist, served by the revloop server). `npx vite` runs a dev server that proxies
// the API to a running revloop (REVLOOP_URL, default http://127.0.0.1:4000).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const api = process.env.REVLOOP_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': api, '/v1': api } },
});
