import type { RouteRecordRaw } from 'vue-router'
import './meta'

export const LOGIN_PATH = '/login'
export const HOME_PATH = '/home'
export const FORCED_PASSWORD_ROUTE = 'password'

export const routes: RouteRecordRaw[] = [
  {
    path: LOGIN_PATH,
    name: 'login',
    component: () => import('@/views/auth/LoginView.vue'),
    meta: { public: true, title: 'login.title' },
  },
  {
    // Stand-alone page for the forced change; no menus are reachable until it is done.
    path: '/password',
    name: FORCED_PASSWORD_ROUTE,
    component: () => import('@/views/auth/ForcedPasswordView.vue'),
    meta: { title: 'password.title' },
  },
  {
    path: '/',
    component: () => import('@/layouts/AppLayout.vue'),
    redirect: HOME_PATH,
    children: [
      { path: 'home', name: 'home', component: () => import('@/views/HomeView.vue'), meta: { title: 'nav.home' } },
      { path: 'profile', name: 'profile', component: () => import('@/views/profile/ProfileView.vue'), meta: { title: 'nav.profile' } },
      {
        path: 'profile/password',
        name: 'profile-password',
        component: () => import('@/views/profile/ChangePasswordView.vue'),
        meta: { title: 'nav.password' },
      },
      { path: 'portal/frame', name: 'frame', component: () => import('@/views/FrameView.vue'), meta: { title: 'nav.frame' } },
      { path: 'system/orgs', name: 'orgs', component: () => import('@/views/system/orgs/OrgsView.vue'), meta: { title: 'nav.orgs' } },
      { path: 'system/users', name: 'users', component: () => import('@/views/system/users/UsersView.vue'), meta: { title: 'nav.users' } },
      {
        path: 'system/management-roles',
        name: 'management-roles',
        component: () => import('@/views/system/mroles/ManagementRolesView.vue'),
        meta: { title: 'nav.managementRoles' },
      },
      {
        path: 'system/business-roles',
        name: 'business-roles',
        component: () => import('@/views/system/broles/BusinessRolesView.vue'),
        meta: { title: 'nav.businessRoles' },
      },
      { path: 'system/systems', name: 'systems', component: () => import('@/views/system/systems/SystemsView.vue'), meta: { title: 'nav.systems' } },
      { path: 'system/menus', name: 'menus', component: () => import('@/views/system/menus/MenusView.vue'), meta: { title: 'nav.menus' } },
      {
        path: 'system/url-resources',
        name: 'url-resources',
        component: () => import('@/views/system/urlres/UrlResourcesView.vue'),
        meta: { title: 'nav.urlResources' },
      },
      { path: 'security/policy', name: 'policy', component: () => import('@/views/security/PolicyView.vue'), meta: { title: 'nav.policy' } },
      { path: 'security/accounts', name: 'accounts', component: () => import('@/views/security/AccountsView.vue'), meta: { title: 'nav.accounts' } },
      { path: 'audit/events', name: 'audit', component: () => import('@/views/audit/AuditEventsView.vue'), meta: { title: 'nav.audit' } },
      {
        path: 'gateway/consumers',
        name: 'gw-consumers',
        component: () => import('@/views/gateway/consumers/ConsumersView.vue'),
        meta: { title: 'nav.gwConsumers' },
      },
      { path: 'gateway/apis', name: 'gw-apis', component: () => import('@/views/gateway/apis/ApisView.vue'), meta: { title: 'nav.gwApis' } },
      { path: 'gateway/status', name: 'gw-status', component: () => import('@/views/gateway/status/StatusView.vue'), meta: { title: 'nav.gwStatus' } },
      {
        path: 'gateway/credentials',
        name: 'gw-credentials',
        component: () => import('@/views/gateway/credentials/CredentialsView.vue'),
        meta: { title: 'nav.gwCredentials' },
      },
      { path: 'gateway/grants', name: 'gw-grants', component: () => import('@/views/gateway/grants/GrantsView.vue'), meta: { title: 'nav.gwGrants' } },
      { path: 'gateway/calls', name: 'gw-calls', component: () => import('@/views/gateway/calls/CallsView.vue'), meta: { title: 'nav.gwCalls' } },
      {
        path: 'data/sources',
        name: 'data-sources',
        component: () => import('@/views/data/sources/DataSourcesView.vue'),
        meta: { title: 'nav.dataSources' },
      },
      { path: 'data/apis', name: 'data-apis', component: () => import('@/views/data/apis/DataApisView.vue'), meta: { title: 'nav.dataApis' } },
      {
        path: 'data/apis/new',
        name: 'data-api-new',
        component: () => import('@/views/data/apis/DataApiEditor.vue'),
        meta: { title: 'nav.dataApiNew', menuPath: '/data/apis' },
      },
      {
        path: 'data/apis/:id',
        name: 'data-api-edit',
        component: () => import('@/views/data/apis/DataApiEditor.vue'),
        meta: { title: 'nav.dataApiEdit', menuPath: '/data/apis' },
      },
      { path: 'catalog/portal', name: 'portal', component: () => import('@/views/catalog/portal/PortalView.vue'), meta: { title: 'nav.portal' } },
      {
        path: 'catalog/portal/:id',
        name: 'portal-entry',
        component: () => import('@/views/catalog/portal/PortalEntryView.vue'),
        meta: { title: 'nav.portalEntry', menuPath: '/catalog/portal' },
      },
      {
        path: 'catalog/entries',
        name: 'catalog-entries',
        component: () => import('@/views/catalog/entries/EntriesView.vue'),
        meta: { title: 'nav.catalogEntries' },
      },
      {
        path: 'catalog/entries/new',
        name: 'catalog-entry-new',
        component: () => import('@/views/catalog/entries/EntryEditor.vue'),
        meta: { title: 'nav.catalogEntryNew', menuPath: '/catalog/entries' },
      },
      {
        path: 'catalog/entries/:id',
        name: 'catalog-entry-edit',
        component: () => import('@/views/catalog/entries/EntryEditor.vue'),
        meta: { title: 'nav.catalogEntryEdit', menuPath: '/catalog/entries' },
      },
      {
        path: 'catalog/negative-list',
        name: 'catalog-negative',
        component: () => import('@/views/catalog/negative/NegativeListView.vue'),
        meta: { title: 'nav.negativeList' },
      },
      { path: 'sharing/mine', name: 'sharing-mine', component: () => import('@/views/sharing/MineView.vue'), meta: { title: 'nav.sharingMine' } },
      {
        path: 'sharing/requests/:id',
        name: 'sharing-request',
        component: () => import('@/views/sharing/RequestView.vue'),
        meta: { title: 'nav.sharingRequest', menuPath: '/sharing/mine' },
      },
      { path: 'sharing/todo', name: 'sharing-todo', component: () => import('@/views/sharing/TodoView.vue'), meta: { title: 'nav.sharingTodo' } },
      {
        path: 'sharing/requests',
        name: 'sharing-requests',
        component: () => import('@/views/sharing/RequestsView.vue'),
        meta: { title: 'nav.sharingRequests' },
      },
      {
        path: 'sharing/demands',
        name: 'sharing-demands',
        component: () => import('@/views/sharing/demands/DemandsView.vue'),
        meta: { title: 'nav.sharingDemands' },
      },
      {
        path: 'sharing/demands/:id',
        name: 'sharing-demand',
        component: () => import('@/views/sharing/demands/DemandView.vue'),
        meta: { title: 'nav.sharingDemand', menuPath: '/sharing/demands' },
      },
      { path: 'supervision/rules', name: 'sv-rules', component: () => import('@/views/supervision/rules/RulesView.vue'), meta: { title: 'nav.svRules' } },
      { path: 'supervision/runs', name: 'sv-runs', component: () => import('@/views/supervision/runs/RunsView.vue'), meta: { title: 'nav.svRuns' } },
      {
        path: 'supervision/warnings',
        name: 'sv-warnings',
        component: () => import('@/views/supervision/warnings/WarningsView.vue'),
        meta: { title: 'nav.svWarnings' },
      },
      {
        path: 'supervision/warnings/:id',
        name: 'sv-warning',
        component: () => import('@/views/supervision/warnings/WarningView.vue'),
        meta: { title: 'nav.svWarning', menuPath: '/supervision/warnings' },
      },
      { path: 'supervision/verify', name: 'sv-verify', component: () => import('@/views/supervision/verify/VerifyView.vue'), meta: { title: 'nav.svVerify' } },
      { path: 'supervision/loads', name: 'sv-loads', component: () => import('@/views/supervision/loads/LoadsView.vue'), meta: { title: 'nav.svLoads' } },
      { path: 'supervision/stats', name: 'sv-stats', component: () => import('@/views/supervision/stats/StatsView.vue'), meta: { title: 'nav.svStats' } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue'), meta: { title: 'nav.notFound' } },
    ],
  },
]
