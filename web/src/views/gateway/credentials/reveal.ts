// What the reveal dialog shows after each credential operation.
import type { DataKey, GatewayKey, IssuedKey, PlatformKey } from '@/api/types'
import { i18n } from '@/i18n'

export interface RevealItem {
  /** Hook suffix: `once-<name>`, `once-copy-<name>`, `once-download-<name>`. */
  name: string
  label: string
  value: string
  /** A PEM or an envelope: a textarea. */
  multiline?: boolean
  /** Offer a download under this file name. */
  filename?: string
}

export interface Reveal {
  title: string
  items: RevealItem[]
  once: boolean
  info?: string
}

/** After issuing or rotating a key: the secret or generated private key is here once. */
export function revealIssued(key: IssuedKey): Reveal {
  const t = i18n.t
  const items: RevealItem[] = [{ name: 'key-id', label: t('gw.reveal.keyId'), value: key.key_id }]
  if (key.secret) {
    items.push({ name: 'secret', label: t('gw.reveal.secret'), value: key.secret })
    return { title: t('gw.reveal.secretTitle'), items, once: true }
  }
  if (key.private_pem) {
    items.push({ name: 'private-pem', label: t('gw.reveal.privatePem'), value: key.private_pem, multiline: true, filename: `${key.key_id}.key.pem` })
  }
  if (key.public_pem) {
    items.push({ name: 'public-pem', label: t('gw.reveal.publicPem'), value: key.public_pem, multiline: true, filename: `${key.key_id}.pub.pem` })
  }
  return key.private_pem
    ? { title: t('gw.reveal.privateTitle'), items, once: true }
    : { title: t('gw.reveal.registeredTitle'), items, once: false }
}

/** A public key that can be shown again at any time (an SM2 access key, a platform key). */
export function revealPublic(key: GatewayKey | PlatformKey): Reveal {
  const t = i18n.t
  return {
    title: t('gw.cred.publicPem'),
    once: false,
    items: [
      { name: 'key-id', label: t('gw.reveal.keyId'), value: key.key_id },
      { name: 'public-pem', label: t('gw.reveal.publicPem'), value: key.public_pem ?? '', multiline: true, filename: `${key.key_id}.pub.pem` },
    ],
  }
}

/** A data key's envelope: opened only by the consumer's private key, so it may be shown again. */
export function revealEnvelope(dk: DataKey, fresh: boolean): Reveal {
  const t = i18n.t
  return {
    title: fresh ? t('gw.reveal.envelopeTitle') : t('gw.cred.envelope'),
    once: false,
    info: t('gw.reveal.envelopeInfo'),
    items: [
      { name: 'key-id', label: t('gw.reveal.dataKeyId'), value: dk.key_id },
      { name: 'envelope', label: t('gw.reveal.envelope'), value: dk.envelope, multiline: true, filename: `${dk.key_id}.envelope.b64` },
    ],
  }
}
