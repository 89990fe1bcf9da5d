import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { bundleBudget } from './build/bundle-budget.js';

/** `pnpm dev` proxies the API (and the chat WebSocket) to a running `pnpm start` gateway. */
const gateway = process.env.AGENTAUTH_GATEWAY_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  // The build fails when the first load grows past its budget (build/bundle-budget.ts).
  plugins: [react(), bundleBudget()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: { '/api': { target: gateway, ws: true, changeOrigin: false } },
  },
});
