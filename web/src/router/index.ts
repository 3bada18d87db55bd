import { createRouter, createWebHistory, type Router } from 'vue-router'
import { routes } from './routes'

export function createAppRouter(): Router {
  return createRouter({
    history: createWebHistory('/'),
    routes,
    scrollBehavior: () => ({ top: 0 }),
  })
}
