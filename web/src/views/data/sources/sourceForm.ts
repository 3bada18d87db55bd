// The data-source dialog's form: which fields a kind shows, what is sent, and how a saved source
// fills the form. The password and private key are write-only: never filled in from the server,
// and left out of the body when empty, so the stored ones stay.
import type { DataSource, DataSourceInput, DataSourceKind, Id, PoolSettings } from '@/api/types'

/** The base fields a kind can list; everything else it lists is `options.<key>`. */
export const BASE_FIELDS = ['host', 'port', 'database', 'username', 'password', 'private_key'] as const
export type BaseField = (typeof BASE_FIELDS)[number]

/** Options shown as a switch, sent as "true" / "false". */
export const SWITCH_OPTIONS = ['tls', 'passive'] as const
/** Options with a known label; any other `options.x` is a text input labelled x. */
export const KNOWN_OPTIONS = ['sslmode', 'path', 'url', 'soap_action', 'service_name', 'tls', 'passive', 'host_key'] as const

// As many idle as open: fewer idle connections make a busy pool close and reopen database sessions (bench/dataapi saw 174 new sessions in 30 s at 500 req/s).
export const DEFAULT_POOL: Readonly<PoolSettings> = { max_open: 10, max_idle: 10, lifetime_seconds: 1800 }

export interface SourceForm {
  code: string
  name: string
  kind: string
  group_id: Id | null
  host: string
  port: number | null
  database: string
  username: string
  password: string
  private_key: string
  clear_secret: boolean
  options: Record<string, string>
  pool: PoolSettings
  description: string
}

export function emptySourceForm(groupId: Id | null = null): SourceForm {
  return {
    code: '',
    name: '',
    kind: '',
    group_id: groupId,
    host: '',
    port: null,
    database: '',
    username: '',
    password: '',
    private_key: '',
    clear_secret: false,
    options: {},
    pool: { ...DEFAULT_POOL },
    description: '',
  }
}

export function sourceFormFrom(ds: DataSource): SourceForm {
  return {
    code: ds.code,
    name: ds.name,
    kind: ds.kind,
    group_id: ds.group_id ?? null,
    host: ds.host ?? '',
    port: ds.port ? ds.port : null,
    database: ds.database ?? '',
    username: ds.username ?? '',
    // never pre-filled: the server does not send them, and "empty" means "keep"
    password: '',
    private_key: '',
    clear_secret: false,
    options: { ...(ds.options ?? {}) },
    pool: { ...DEFAULT_POOL, ...(ds.pool ?? {}) },
    description: ds.description ?? '',
  }
}

export interface KindLayout {
  /** Base fields in the order the kind lists them. */
  base: Set<BaseField>
  /** Option keys (without "options.") in the kind's order. */
  options: string[]
  sql: boolean
}

export function layoutOf(kind: DataSourceKind | undefined): KindLayout {
  const base = new Set<BaseField>()
  const options: string[] = []
  for (const f of kind?.fields ?? []) {
    if ((BASE_FIELDS as readonly string[]).includes(f)) base.add(f as BaseField)
    else if (f.startsWith('options.') && f.length > 'options.'.length) options.push(f.slice('options.'.length))
  }
  return { base, options, sql: kind?.family === 'sql' }
}

export const isSwitchOption = (key: string) => (SWITCH_OPTIONS as readonly string[]).includes(key)
export const isKnownOption = (key: string) => (KNOWN_OPTIONS as readonly string[]).includes(key)

/**
 * After the kind changed: the port follows the kind's default unless the user typed another, and
 * switches get a value. FTP is passive unless told otherwise.
 */
export function applyKind(form: SourceForm, next: DataSourceKind | undefined, previous: DataSourceKind | undefined): void {
  if (!next) return
  if (form.port === null || form.port === 0 || (previous && form.port === previous.default_port)) {
    form.port = next.default_port || null
  }
  for (const key of layoutOf(next).options) {
    if (isSwitchOption(key) && form.options[key] !== 'true' && form.options[key] !== 'false') {
      form.options[key] = key === 'passive' ? 'true' : 'false'
    }
  }
}

/**
 * The body of POST/PUT /datasources (and of POST /datasources/test): only what the kind shows,
 * the pool for SQL sources, and the secrets only when typed.
 */
export function toSourceInput(form: SourceForm, kind: DataSourceKind | undefined): DataSourceInput {
  const { base, options: optionKeys, sql } = layoutOf(kind)
  const text = (field: BaseField, v: string) => (base.has(field) ? v.trim() : '')
  const options: Record<string, string> = {}
  for (const key of optionKeys) {
    const v = form.options[key]
    if (isSwitchOption(key)) options[key] = v === 'true' ? 'true' : 'false'
    else if (v !== undefined && v.trim() !== '') options[key] = v.trim()
  }
  const body: DataSourceInput = {
    code: form.code.trim(),
    name: form.name.trim(),
    kind: form.kind,
    group_id: form.group_id ?? null,
    host: text('host', form.host),
    port: base.has('port') && form.port ? Math.trunc(form.port) : 0,
    database: text('database', form.database),
    username: text('username', form.username),
    options,
    pool: sql ? { ...form.pool } : { ...DEFAULT_POOL },
    description: form.description.trim(),
  }
  if (base.has('password') && form.password !== '') body.password = form.password
  if (base.has('private_key') && form.private_key.trim() !== '') body.private_key = form.private_key
  if (form.clear_secret) body.clear_secret = true
  return body
}

/** Where a source is, for the list: host:port, a URL or a path. */
export function endpointOf(ds: Pick<DataSource, 'host' | 'port' | 'options'>): string {
  const o = ds.options ?? {}
  if (o.url) return o.url
  const hostPort = ds.host ? (ds.port ? `${ds.host}:${ds.port}` : ds.host) : ''
  if (hostPort && o.path) return `${hostPort}${o.path.startsWith('/') ? '' : '/'}${o.path}`
  return hostPort || o.path || ''
}

/** Suggestions for options.sslmode by kind (the select also takes any other value). */
export function sslModes(kind: string): string[] {
  if (['mysql', 'mariadb', 'oceanbase', 'tidb', 'doris', 'starrocks'].includes(kind)) return ['false', 'true', 'skip-verify', 'preferred']
  if (kind === 'sqlserver') return ['disable', 'false', 'true', 'strict']
  return ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']
}
