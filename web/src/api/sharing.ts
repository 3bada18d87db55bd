// The sharing workflow (/api/v1/sharing/…): requests for catalog resources through their
// approval chain, supply and demand, and the current user's notifications (/api/v1/me/notifications).
import { http } from './client'
import type {
  ApplyInput,
  ConsumerOption,
  Demand,
  DemandInput,
  DemandStatus,
  DemandStepInput,
  DecisionInput,
  Id,
  ListParams,
  NotificationPage,
  Page,
  RequestListParams,
  SharingRequest,
} from './types'

const seg = (id: Id) => encodeURIComponent(String(id))

export const sharingApi = {
  consumerOptions: () => http.get<ConsumerOption[] | null>('/sharing/consumer-options'),
  /** Quiet: the apply dialog shows 409 sharing_negative_listed and the field errors itself. */
  apply: (body: ApplyInput) => http.post<SharingRequest>('/sharing/requests', body, { silent: true }),
  mine: (params: RequestListParams) => http.get<Page<SharingRequest>>('/sharing/requests/mine', { ...params }),
  /** With the timeline; 403 for a request that does not concern the caller. */
  get: (id: Id) => http.get<SharingRequest>(`/sharing/requests/${seg(id)}`),
  withdraw: (id: Id) => http.post<SharingRequest>(`/sharing/requests/${seg(id)}/withdraw`),
  resubmit: (id: Id, body: ApplyInput) => http.post<SharingRequest>(`/sharing/requests/${seg(id)}/resubmit`, body, { silent: true }),
  /** 待办 (done false) or 已办 (done true). */
  todo: (params: ListParams, done = false) => http.get<Page<SharingRequest>>('/sharing/todo', { ...params, done: done ? 1 : undefined }),
  /** Quiet: the decide dialog shows sharing_self_approval, sharing_out_of_order, … in place. */
  decide: (id: Id, body: DecisionInput) => http.post<SharingRequest>(`/sharing/requests/${seg(id)}/decide`, body, { silent: true }),
  all: (params: RequestListParams) => http.get<Page<SharingRequest>>('/sharing/requests', { ...params }),
  revoke: (id: Id, comment: string) => http.post<SharingRequest>(`/sharing/requests/${seg(id)}/revoke`, { comment }, { silent: true }),
}

export const demandApi = {
  list: (params: ListParams & { status?: DemandStatus | '' }) => http.get<Page<Demand>>('/sharing/demands', { ...params }),
  get: (id: Id) => http.get<Demand>(`/sharing/demands/${seg(id)}`),
  register: (body: DemandInput) => http.post<Demand>('/sharing/demands', body),
  /** Quiet: demand_not_your_turn and demand_wrong_state are shown in the step dialog. */
  step: (id: Id, body: DemandStepInput) => http.post<Demand>(`/sharing/demands/${seg(id)}/step`, body, { silent: true }),
}

export const notificationApi = {
  /** Quiet: the bell polls; a failed poll is not worth a toast every 30 s. */
  list: (params: ListParams = {}, silent = true) => http.get<NotificationPage>('/me/notifications', { ...params }, { silent }),
  read: (id: Id) => http.post<void>(`/me/notifications/${seg(id)}/read`),
  readAll: () => http.post<void>('/me/notifications/read-all'),
}
