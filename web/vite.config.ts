import type { Plugin } from 'vite'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// The Go binary embeds web/dist with a pattern that needs at least one file
// present in a fresh checkout, so dist/.keep is committed. Vite empties the
// output directory on every build; this plugin emits the marker again.
function keepDistMarker(): Plugin {
  return {
    name: 'xietong-keep-dist-marker',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '.keep', source: '' })
    },
  }
}

export default defineConfig({
  base: '/',
  plugins: [vue(), keepDistMarker()],
  resolve: {
    alias: {
      '@': decodeURIComponent(new URL('./src', import.meta.url).pathname),
    },
  },
  server: {
    // The unit tests read docs/gateway-protocol.md (?raw) to check the result-code table, and the
    // server's route table (internal/app/routes.go) and built-in menus (internal/iam/seed.go) to check
    // the console's routes and permission strings.
    fs: {
      allow: [
        decodeURIComponent(new URL('.', import.meta.url).pathname),
        decodeURIComponent(new URL('../docs', import.meta.url).pathname),
        decodeURIComponent(new URL('../internal/app', import.meta.url).pathname),
        decodeURIComponent(new URL('../internal/iam', import.meta.url).pathname),
      ],
    },
    proxy: {
      '/api': {
        target: 'https://127.0.0.1:8443',
        changeOrigin: false,
        secure: false,
      },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) {
            return 'element-plus'
          }
          if (id.includes('node_modules/')) return 'vendor'
          return undefined
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['tests/unit/**/*.spec.ts'],
    restoreMocks: true,
  },
})
