/// <reference types="vite/client" />

import type { vTestRows } from './directives/testRows'

declare module 'vue' {
  interface GlobalDirectives {
    vTestRows: typeof vTestRows
  }
}
