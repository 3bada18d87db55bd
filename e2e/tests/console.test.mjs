// The console story in real Chromium (issue: platform skeleton, must-show 2):
// the system admin logs in, is made to change the password, creates an
// organisation, a user and a business role, assigns it, logs out; the new
// user logs in and sees only that role's menus; the audit admin sees it all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startXietong, launchBrowser, newPage, BOOTSTRAP } from './harness.mjs';

const shots = new URL('../test-results/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });

let server, browser;
before(async () => {
  server = await startXietong();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const input = (page, name) => page.locator(`[data-test="${name}"] input, input[data-test="${name}"], [data-test="${name}"] textarea`).first();

async function login(page, user, pass) {
  await page.goto('/login');
  await input(page, 'login-username').fill(user);
  await input(page, 'login-password').fill(pass);
  await page.locator('[data-test="login-submit"]').click();
}

// A first login lands on the forced password change; nothing else is reachable until it is done.
async function firstLogin(page, user, first, next) {
  await login(page, user, first);
  await page.waitForURL((u) => u.pathname.includes('password'));
  await page.goto('/home');
  await page.waitForURL((u) => u.pathname.includes('password')); // still forced
  await input(page, 'pwd-old').fill(first);
  await input(page, 'pwd-new').fill(next);
  await input(page, 'pwd-confirm').fill(next);
  await page.locator('[data-test="pwd-submit"]').click();
  await page.waitForURL((u) => u.pathname === '/home');
}

async function openMenu(page, code, parent) {
  if (parent) {
    const sub = page.locator(`[data-test="menu-${parent}"]`);
    const item = page.locator(`[data-test="menu-${code}"]`);
    if (!(await item.isVisible())) await sub.click();
  }
  await page.locator(`[data-test="menu-${code}"]`).click();
}

async function logout(page) {
  await page.locator('[data-test="logout"]').click();
  await page.waitForURL((u) => u.pathname === '/login');
}

async function visibleMenus(page) {
  await page.locator('[data-test="menu-home"]').waitFor();
  return page.locator('[data-test^="menu-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-test')).filter((c) => c !== 'menu-empty'));
}

test('system admin sets up a user who sees only the role menus; audit admin sees it all', async () => {
  const sysPass = 'Platform#Changed-2026';
  const page = await newPage(browser, server.url);

  // A wrong password is refused with the Chinese message.
  await login(page, 'sysadmin', 'wrong-password');
  await assert.doesNotReject(page.locator('[data-test="login-error"]').waitFor());
  assert.match(await page.locator('[data-test="login-error"]').innerText(), /用户名或密码错误/);

  await firstLogin(page, 'sysadmin', BOOTSTRAP, sysPass);
  const adminMenus = await visibleMenus(page);
  assert.ok(adminMenus.includes('menu-system'), `system admin menus: ${adminMenus}`);
  assert.ok(!adminMenus.some((m) => m.startsWith('menu-audit') || m.startsWith('menu-security')), `system admin sees another admin's menus: ${adminMenus}`);

  // An organisation under the root.
  await openMenu(page, 'system.orgs', 'system');
  await page.waitForURL(/\/system\/orgs/);
  await page.locator('[data-test="org-node-root"]').click();
  await page.locator('[data-test="org-add"]').click();
  await input(page, 'org-code').fill('nt');
  await input(page, 'org-name').fill('南通市人社局');
  await page.locator('[data-test="org-kind-city"]').click();
  await input(page, 'org-region-code').fill('320600');
  await page.locator('[data-test="org-save"]').click();
  await page.locator('[data-test="org-node-nt"]').waitFor();

  // A user in it.
  await openMenu(page, 'system.users', 'system');
  await page.waitForURL(/\/system\/users/);
  await page.locator('[data-test="user-add"]').click();
  await input(page, 'user-username').fill('zhangsan');
  await input(page, 'user-display-name').fill('张三');
  await page.locator('[data-test="user-org"]').click();
  await page.locator('[data-test="user-org-option-nt"]').click();
  await input(page, 'user-password').fill('Initial#Pass-2026');
  await page.locator('[data-test="user-save"]').click();
  await page.locator('[data-test="user-roles-zhangsan"]').waitFor();

  // A business role with the organisation page only.
  await openMenu(page, 'system.broles', 'system');
  await page.waitForURL(/\/system\/business-roles/);
  await page.locator('[data-test="brole-add"]').click();
  await input(page, 'brole-code').fill('jbr');
  await input(page, 'brole-name').fill('经办人员');
  const check = (code) => page.locator(`[data-test="brole-menu-${code}"]`).locator('xpath=ancestor::*[contains(@class,"el-tree-node__content")][1]').locator('.el-checkbox').first();
  await check('system.orgs').click(); // checks the page and, by cascade, its buttons
  await check('system.orgs.write').click(); // view only: leave the edit button out
  await page.locator('[data-test="brole-save"]').click();
  await page.locator('[data-test="brole-edit-jbr"]').waitFor();

  // Assign it.
  await openMenu(page, 'system.users', 'system');
  await page.locator('[data-test="user-roles-zhangsan"]').click();
  await page.locator('[data-test="roles-business"]').click();
  await page.locator('[data-test="roles-business-option-jbr"]').click();
  await page.locator('[data-test="roles-dialog"] .el-dialog__header, [data-test="roles-dialog"] .el-dialog__title').first().click(); // close the dropdown
  await page.locator('[data-test="roles-save"]').click();
  await page.locator('[data-test="roles-dialog"]').waitFor({ state: 'hidden' });
  await page.screenshot({ path: shots + '1-sysadmin-users.png' });
  await logout(page);

  // The new user sees only home, the organisation page (under its directory) and the profile.
  await firstLogin(page, 'zhangsan', 'Initial#Pass-2026', 'Nantong#Own-2026');
  const menus = (await visibleMenus(page)).sort();
  assert.deepEqual(menus, ['menu-home', 'menu-profile', 'menu-system', 'menu-system.orgs'].sort());
  await openMenu(page, 'system.orgs', 'system');
  await page.locator('[data-test="org-node-nt"]').waitFor();
  assert.equal(await page.locator('[data-test="org-add"]').count(), 0, 'a viewer sees the add button');
  await page.screenshot({ path: shots + '2-user-menus.png' });
  await logout(page);

  // The audit admin sees every step.
  await firstLogin(page, 'auditadmin', BOOTSTRAP, 'Audit#Changed-2026');
  await openMenu(page, 'audit.events', 'audit');
  await page.waitForURL(/\/audit\/events/);
  await page.locator('[data-test="audit-row"]').first().waitFor();
  const text = await page.locator('[data-test="audit-table"]').innerText();
  for (const action of ['org.create', 'user.create', 'brole.create', 'user.set_roles', 'user.change_password', 'auth.login', 'auth.logout']) {
    assert.ok(text.includes(action), `audit table lacks ${action}`);
  }
  assert.ok(text.includes('zhangsan') && text.includes('sysadmin'), 'audit table lacks the actors');
  await page.locator('[data-test="audit-verify"]').click();
  await page.locator('[data-test="audit-verify-result"]').waitFor();
  assert.match(await page.locator('[data-test="audit-verify-result"]').innerText(), /通过|完整|OK/i);
  await page.screenshot({ path: shots + '3-audit-log.png', fullPage: true });
});
