// Runs `load` now and then every `intervalMs` while `enabled` is on: never two at once, not
// while the page is hidden, and stopped when the component goes away.
import { getCurrentInstance, onBeforeUnmount, onMounted, ref, watch } from 'vue'

export interface AutoRefreshOptions {
  intervalMs?: number
  /** Start with auto-refresh on (default true). */
  enabled?: boolean
  /** Load when mounted (default true). */
  immediate?: boolean
}

export function useAutoRefresh(load: () => Promise<unknown>, options: AutoRefreshOptions = {}) {
  const intervalMs = options.intervalMs ?? 5000
  const enabled = ref(options.enabled ?? true)
  const running = ref(false)
  const lastRun = ref<Date | null>(null)
  let timer: ReturnType<typeof setInterval> | null = null

  async function refresh(): Promise<void> {
    if (running.value) return
    running.value = true
    try {
      await load()
    } catch {
      // the loader shows its own error
    } finally {
      running.value = false
      lastRun.value = new Date()
    }
  }

  function tick(): void {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return
    void refresh()
  }

  function stop(): void {
    if (timer !== null) clearInterval(timer)
    timer = null
  }

  function start(): void {
    stop()
    timer = setInterval(tick, intervalMs)
  }

  watch(enabled, (on) => (on ? start() : stop()))

  const mountedHere = getCurrentInstance() !== null
  if (mountedHere) {
    onMounted(() => {
      if (options.immediate ?? true) void refresh()
      if (enabled.value) start()
    })
    onBeforeUnmount(stop)
  } else if (enabled.value) {
    start()
  }

  return { enabled, running, lastRun, refresh, stop }
}
