// Organisations, users and roles.
import { http } from './client'
import type {
  BusinessRole,
  BusinessRoleInput,
  Id,
  ListParams,
  ManagementRole,
  ManagementRoleInput,
  ManagementRoleNode,
  Org,
  OrgInput,
  OrgNode,
  Page,
  User,
  UserCreate,
  UserListParams,
  UserRolesInput,
  UserUpdate,
} from './types'

const seg = (id: Id) => encodeURIComponent(String(id))

export const orgApi = {
  tree: () => http.get<OrgNode[] | null>('/orgs/tree'),
  get: (id: Id) => http.get<Org>(`/orgs/${seg(id)}`),
  create: (body: OrgInput) => http.post<Org>('/orgs', body),
  update: (id: Id, body: OrgInput) => http.put<Org>(`/orgs/${seg(id)}`, body),
  remove: (id: Id) => http.del(`/orgs/${seg(id)}`),
  users: (id: Id, params: ListParams) => http.get<Page<User>>(`/orgs/${seg(id)}/users`, { ...params }),
}

export const userApi = {
  list: (params: UserListParams) => http.get<Page<User>>('/users', { ...params }),
  get: (id: Id) => http.get<User>(`/users/${seg(id)}`),
  create: (body: UserCreate) => http.post<User>('/users', body),
  update: (id: Id, body: UserUpdate) => http.put<User>(`/users/${seg(id)}`, body),
  remove: (id: Id) => http.del(`/users/${seg(id)}`),
  resetPassword: (id: Id, password: string) => http.post<void>(`/users/${seg(id)}/password`, { password }),
  setRoles: (id: Id, body: UserRolesInput) => http.put<User>(`/users/${seg(id)}/roles`, body),
}

export const managementRoleApi = {
  tree: () => http.get<ManagementRoleNode[] | null>('/management-roles/tree'),
  get: (id: Id) => http.get<ManagementRole>(`/management-roles/${seg(id)}`),
  create: (body: ManagementRoleInput) => http.post<ManagementRole>('/management-roles', body),
  update: (id: Id, body: ManagementRoleInput) => http.put<ManagementRole>(`/management-roles/${seg(id)}`, body),
  remove: (id: Id) => http.del(`/management-roles/${seg(id)}`),
}

export const businessRoleApi = {
  list: (params: ListParams) => http.get<Page<BusinessRole>>('/business-roles', { ...params }),
  get: (id: Id) => http.get<BusinessRole>(`/business-roles/${seg(id)}`),
  create: (body: BusinessRoleInput) => http.post<BusinessRole>('/business-roles', body),
  update: (id: Id, body: BusinessRoleInput) => http.put<BusinessRole>(`/business-roles/${seg(id)}`, body),
  remove: (id: Id) => http.del(`/business-roles/${seg(id)}`),
}
