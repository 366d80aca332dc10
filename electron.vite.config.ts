import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Our folders do not follow electron-vite's src/main, src/preload, src/renderer convention,
// so every entry is named explicitly.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      // The worker threads that run pipelines are their own entry (out/main/worker.js).
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/app/main.ts'),
          worker: resolve(__dirname, 'src-main/orchestrator/pipeline-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: true,
      // Sandboxed preloads must be CommonJS.
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // electron-vite leaves the renderer unminified; the first load is what a user waits for.
      minify: true,
      chunkSizeWarningLimit: 1300,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-renderer/index.html') },
        // The big libraries in chunks of their own, named so a test can tell they are not
        // fetched before their view is shown (tests/e2e/first-load.test.ts). AG Grid alone is
        // over 1 MB minified, hence the higher warning limit.
        output: {
          codeSplitting: {
            groups: [
              // What every screen needs, first: a library's group takes its dependencies with
              // it, and React or zustand inside the grid's chunk would pull that in at start.
              {
                name: 'react',
                test: /node_modules[\\/](react|react-dom|scheduler|zustand|use-sync-external-store)[\\/]/,
                priority: 10,
              },
              { name: 'ag-grid', test: /node_modules[\\/]ag-grid/ },
              { name: 'xyflow', test: /node_modules[\\/](@xyflow|@dagrejs|d3-|classcat)/ },
              {
                name: 'codemirror',
                test: /node_modules[\\/](@codemirror|@lezer|codemirror|crelt|style-mod|w3c-keyname)/,
              },
            ],
          },
        },
      },
    },
  },
});
