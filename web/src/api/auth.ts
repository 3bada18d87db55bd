import { http } from './client'
import type { LoginResponse, MeResponse, PasswordPolicy, ProfileUpdate, User, UserMenu } from './types'

export const authApi = {
  login: (username: string, password: string) =>
    http.post<LoginResponse>('/auth/login', { username, password }, { silent: true }),
  logout: () => http.post<void>('/auth/logout'),
  logoutAll: () => http.post<void>('/auth/logout-all'),
  me: (opts: { skipAuthHooks?: boolean } = {}) => http.get<MeResponse>('/me', undefined, opts),
  updateMe: (body: ProfileUpdate) => http.put<User>('/me', body),
  changePassword: (oldPassword: string, newPassword: string) =>
    http.post<void>('/me/password', { old_password: oldPassword, new_password: newPassword }, { silent: true }),
  menus: () => http.get<UserMenu[] | null>('/me/menus'),
  passwordPolicy: () => http.get<PasswordPolicy>('/me/password-policy', undefined, { silent: true }),
}
