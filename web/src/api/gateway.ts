// The sharing gateway's console routes (/api/v1/gateway/…): consumers and APIs (system admin),
// credentials and grants (security admin), the call log (audit admin), the running status.
import { http, type Query } from './client'
import type {
  CallFilters,
  Consumer,
  ConsumerInput,
  DataKey,
  GatewayApi,
  GatewayApiInput,
  GatewayCall,
  GatewayStatus,
  Grant,
  GrantInput,
  GrantListParams,
  GrantOptions,
  Id,
  IssuedKey,
  KeyInput,
  ListParams,
  Page,
  PlatformKey,
  RotateInput,
} from './types'

const seg = (id: Id) => encodeURIComponent(String(id))

export const consumerApi = {
  list: (params: ListParams) => http.get<Page<Consumer>>('/gateway/consumers', { ...params }),
  create: (body: ConsumerInput) => http.post<Consumer>('/gateway/consumers', body),
  update: (id: Id, body: ConsumerInput) => http.put<Consumer>(`/gateway/consumers/${seg(id)}`, body),
  remove: (id: Id) => http.del(`/gateway/consumers/${seg(id)}`),
}

export const gatewayApiApi = {
  list: (params: ListParams) => http.get<Page<GatewayApi>>('/gateway/apis', { ...params }),
  create: (body: GatewayApiInput) => http.post<GatewayApi>('/gateway/apis', body),
  update: (id: Id, body: GatewayApiInput) => http.put<GatewayApi>(`/gateway/apis/${seg(id)}`, body),
  remove: (id: Id) => http.del(`/gateway/apis/${seg(id)}`),
}

export const gatewayStatusApi = {
  /** `silent`: the auto-refresh shows its own error instead of a toast every 5 s. */
  get: (silent = false) => http.get<GatewayStatus>('/gateway/status', undefined, { silent }),
}

export const credentialApi = {
  /** The consumer with its keys and data keys. */
  get: (consumerId: Id) => http.get<Consumer>(`/gateway/consumers/${seg(consumerId)}/credentials`),
  issueKey: (consumerId: Id, body: KeyInput) => http.post<IssuedKey>(`/gateway/consumers/${seg(consumerId)}/keys`, body),
  rotateKey: (id: Id, body: RotateInput) => http.post<IssuedKey>(`/gateway/keys/${seg(id)}/rotate`, body),
  revokeKey: (id: Id) => http.post<void>(`/gateway/keys/${seg(id)}/revoke`),
  /** 409 needs_sm2_key when the consumer has no active SM2 key (the envelope is encrypted to it). */
  issueDataKey: (consumerId: Id, expiresInDays: number) =>
    http.post<DataKey>(`/gateway/consumers/${seg(consumerId)}/data-keys`, { expires_in_days: expiresInDays }),
  revokeDataKey: (id: Id) => http.post<void>(`/gateway/data-keys/${seg(id)}/revoke`),
  platformKeys: () => http.get<PlatformKey[] | null>('/gateway/platform-keys'),
  rotatePlatformKey: () => http.post<PlatformKey>('/gateway/platform-keys/rotate'),
  /** The consumers a credential can be issued to (the 密钥与凭证 page's own route). */
  options: () => http.get<GrantOptions>('/gateway/credential-options'),
}

export const grantApi = {
  options: () => http.get<GrantOptions>('/gateway/grant-options'),
  list: (params: GrantListParams) => http.get<Page<Grant>>('/gateway/grants', { ...params }),
  create: (body: GrantInput) => http.post<Grant>('/gateway/grants', body),
  update: (id: Id, body: GrantInput) => http.put<Grant>(`/gateway/grants/${seg(id)}`, body),
  remove: (id: Id) => http.del(`/gateway/grants/${seg(id)}`),
}

export function callQuery(filters: CallFilters): Query {
  return { ...filters }
}

export const callLogApi = {
  list: (filters: CallFilters, params: ListParams) =>
    http.get<Page<GatewayCall>>('/gateway/calls', { ...callQuery(filters), ...params }),
  export: (filters: CallFilters) => http.download('/gateway/calls/export', callQuery(filters), 'gateway-calls.csv'),
  retention: () => http.get<{ retention_days: number }>('/gateway/calls/retention', undefined, { silent: true }),
}
