// Copies text: the async Clipboard API where the page may use it (HTTPS), else the old
// execCommand('copy') on a hidden textarea. Resolves false when neither worked.
export async function copyText(text: string): Promise<boolean> {
  try {
    if (typeof navigator !== 'undefined' && navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // fall through: permission refused, or not a secure context
  }
  if (typeof document === 'undefined') return false
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.appendChild(area)
  area.select()
  let ok = false
  try {
    ok = typeof document.execCommand === 'function' && document.execCommand('copy')
  } catch {
    ok = false
  }
  area.remove()
  return ok
}

/** Saves text as a file (a PEM, an envelope) with the browser's download. */
export function textBlob(text: string, type = 'text/plain'): Blob {
  return new Blob([text.endsWith('\n') ? text : `${text}\n`], { type: `${type};charset=utf-8` })
}
