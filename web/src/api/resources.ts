// Integrated systems, menus and URL resources.
import { http } from './client'
import type {
  Id,
  IntegratedSystem,
  ListParams,
  MenuInput,
  MenuNode,
  Page,
  SystemInput,
  UrlResource,
  UrlResourceInput,
} from './types'

const seg = (id: Id) => encodeURIComponent(String(id))

export const systemApi = {
  list: (params: ListParams) => http.get<Page<IntegratedSystem>>('/systems', { ...params }),
  create: (body: SystemInput) => http.post<IntegratedSystem>('/systems', body),
  update: (id: Id, body: SystemInput) => http.put<IntegratedSystem>(`/systems/${seg(id)}`, body),
  remove: (id: Id) => http.del(`/systems/${seg(id)}`),
}

export const menuApi = {
  tree: () => http.get<MenuNode[] | null>('/menus/tree'),
  assignable: () => http.get<MenuNode[] | null>('/menus/assignable'),
  create: (body: MenuInput) => http.post<MenuNode>('/menus', body),
  update: (id: Id, body: MenuInput) => http.put<MenuNode>(`/menus/${seg(id)}`, body),
  remove: (id: Id) => http.del(`/menus/${seg(id)}`),
  setResources: (id: Id, resourceIds: Id[]) =>
    http.put<MenuNode>(`/menus/${seg(id)}/resources`, { resource_ids: resourceIds }),
}

export const urlResourceApi = {
  list: (params: ListParams) => http.get<Page<UrlResource>>('/url-resources', { ...params }),
  create: (body: UrlResourceInput) => http.post<UrlResource>('/url-resources', body),
  update: (id: Id, body: UrlResourceInput) => http.put<UrlResource>(`/url-resources/${seg(id)}`, body),
  remove: (id: Id) => http.del(`/url-resources/${seg(id)}`),
}
