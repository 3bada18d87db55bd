import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import './styles/main.css'
import App from './App.vue'
import { connectApi } from './api/setup'
import { vTestRows } from './directives/testRows'
import { createAppRouter } from './router'
import { installGuards } from './router/guards'
import { useSessionStore } from './stores/session'

const app = createApp(App)
const pinia = createPinia()
const router = createAppRouter()
app.use(pinia)
app.use(ElementPlus)
app.directive('test-rows', vTestRows)

const session = useSessionStore(pinia)
connectApi({ router, session })
installGuards(router, session)

app.use(router)
void router.isReady().then(() => app.mount('#app'))
