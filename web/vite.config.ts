import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * One build for every page (the customer portal now, the staff console next), into `web/dist`.
 * Each page is a script entry whose HTML shell the server renders (`shared/pages/shell.ts`), so the
 * shell can carry the portal's title and language and answer 404 for an unknown portal. Asset names
 * of the entries are fixed (`/assets/portal.js`): the shell names them without reading a manifest,
 * and they are served with `Cache-Control: no-cache` (revalidated by ETag; they are a few kilobytes).
 */
export default defineConfig({
  root: here('.'),
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: false,
    reportCompressedSize: false,
    rolldownOptions: {
      input: { portal: here('portal/main.ts'), console: here('console/main.ts') },
      output: {
        entryFileNames: 'assets/[name].js',
        // Chunks (each language's words) are named by their content: only the entries need fixed names.
        chunkFileNames: 'assets/[name]-[hash].js',
        assetFileNames: 'assets/[name][extname]',
      },
    },
  },
});
