// The sharing workflow in real Chromium (issue: catalog and sharing, must-show 1): a department
// user finds a resource in the portal by a Chinese keyword, applies for two of its fields for
// 30 days; the three approvers — the applicant's department, the information centre, the owning
// department — each approve in turn from their to-do list; the request's timeline shows every step
// with who and when; the consumer then gets exactly those two fields through the gateway; the
// system admin revokes the request in 申请管理 and the next call is refused (403 gw_not_granted).
//
// The stage (departments, business roles, users, the consumer and its HMAC key, the gateway API on
// a small upstream, the published catalog entry with the API mounted) is set up through the
// console API, as an administrator and a cataloguer would; everything the applicant and the
// approvers do happens in the browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { Client, BadResponseSignatureError } from 'xietong-sdk';
import { startXietong, launchBrowser, newPage, BOOTSTRAP } from './harness.mjs';
import { ConsoleApi, byCode } from './consoleApi.mjs';

const shots = new URL('../test-results/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });

const ID_NUMBER = '11010519491231002X';
const UPSTREAM_BODY = JSON.stringify({
  code: 0,
  data: { items: [{ name: '张三', phone: '13812341234', aac002: ID_NUMBER, salary: 9000 }] },
});
const FIRST = 'Initial#2026pw';
const PASS = 'Sharing#Pass-2026';

let server, browser, upstream, upstreamURL;

before(async () => {
  upstream = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(UPSTREAM_BODY);
  });
  await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamURL = `http://127.0.0.1:${upstream.address().port}/person/info`;
  // The information centre (信息中心) is the organisation with code xxzx: the default chain's middle level.
  process.env.XIETONG_CENTRE_ORG = 'xxzx';
  server = await startXietong();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => (upstream ? upstream.close(resolve) : resolve()));
});

const input = (page, name) => page.locator(`[data-test="${name}"] input, input[data-test="${name}"], [data-test="${name}"] textarea, textarea[data-test="${name}"]`).first();
const hook = (page, name) => page.locator(`[data-test="${name}"]`);

async function login(page, user, pass) {
  await page.goto('/login');
  await input(page, 'login-username').fill(user);
  await input(page, 'login-password').fill(pass);
  await hook(page, 'login-submit').click();
}

// A user created by the admin logs in for the first time: the password must change first.
async function firstLogin(page, user) {
  await login(page, user, FIRST);
  await page.waitForURL((u) => u.pathname.includes('password'));
  await input(page, 'pwd-old').fill(FIRST);
  await input(page, 'pwd-new').fill(PASS);
  await input(page, 'pwd-confirm').fill(PASS);
  await hook(page, 'pwd-submit').click();
  await page.waitForURL((u) => u.pathname === '/home');
}

async function openMenu(page, code) {
  const item = hook(page, `menu-${code}`);
  if (!(await item.isVisible())) await hook(page, `menu-${code.split('.')[0]}`).click();
  await item.click();
}

async function logout(page) {
  await hook(page, 'logout').click();
  await page.waitForURL((u) => u.pathname === '/login');
}

// ---- the stage, through the console API ----

async function setUp() {
  const sys = await new ConsoleApi(server.url).login('sysadmin', BOOTSTRAP, 'Sharing#Sys-2026');
  const [root] = await sys.get('/orgs/tree');
  const orgs = {};
  for (const [code, name] of [['ybj', '医疗保障局'], ['xxzx', '信息中心'], ['ylc', '养老保险处']]) {
    orgs[code] = (await sys.post('/orgs', { parent_id: root.id, code, name, kind: 'department' })).id;
  }
  const menus = byCode(await sys.get('/menus/assignable'));
  const role = async (code, name, codes) =>
    (await sys.post('/business-roles', { code, name, menu_ids: codes.map((c) => menus[c].id) })).id;
  const roles = {
    user: await role('dept-user', '部门经办人', ['catalog', 'catalog.portal', 'sharing', 'sharing.mine']),
    approver: await role('approver', '共享审批人', ['catalog', 'catalog.portal', 'sharing', 'sharing.mine', 'sharing.todo']),
    cataloguer: await role('cataloguer', '编目员', ['catalog', 'catalog.entries', 'catalog.entries.write']),
    catReviewer: await role('cat-reviewer', '目录审核员', ['catalog', 'catalog.entries', 'catalog.entries.review']),
  };
  const users = {};
  for (const [username, name, org, r] of [
    ['shenqing', '申请人小申', 'ybj', 'user'],
    ['bumen', '医保局审批人', 'ybj', 'approver'],
    ['zhongxin', '信息中心审批人', 'xxzx', 'approver'],
    ['shuyuan', '养老处审批人', 'ylc', 'approver'],
    ['bianmu', '编目员小卞', 'ylc', 'cataloguer'],
    ['mushen', '目录审核员小沐', 'xxzx', 'catReviewer'],
  ]) {
    const u = await sys.post('/users', { username, display_name: name, org_id: orgs[org], password: FIRST });
    await sys.put(`/users/${u.id}/roles`, { business_role_ids: [roles[r]] });
    users[username] = { id: u.id, name };
  }

  // The consumer (接入方) and the API the owning department's system answers.
  const consumer = await sys.post('/gateway/consumers', { code: 'bank-a', name: '甲银行', org_name: '甲银行股份有限公司', status: 'active' });
  const api = await sys.post('/gateway/apis', {
    code: 'person.info',
    name: '参保人员查询接口',
    method: 'GET',
    path: '/gw/person/v1/info',
    upstream_url: upstreamURL,
    fields: [
      { path: 'data.items[].name', category: 'name' },
      { path: 'data.items[].phone', category: 'phone' },
      { path: 'data.items[].aac002', category: 'id_number' },
    ],
    status: 'published',
  });
  const sec = await new ConsoleApi(server.url).login('secadmin', BOOTSTRAP, 'Sharing#Sec-2026');
  const key = await sec.post(`/gateway/consumers/${consumer.id}/keys`, { kind: 'hmac' });

  // The owning department catalogues the entry; another person approves it and the mount.
  const cat = await new ConsoleApi(server.url).login('bianmu', FIRST, PASS);
  const rev = await new ConsoleApi(server.url).login('mushen', FIRST, PASS);
  const entry = await cat.post('/catalog/entries', {
    code: 'yl-person',
    name: '养老保险参保人员信息',
    description: '按公民身份号码查询参保人员基本信息',
    keywords: '养老 参保 人员',
    org_id: orgs.ylc,
    share_attr: 'conditional',
    open_attr: 'closed',
    update_frequency: 'daily',
    fields: [
      { name: 'name', label: '姓名', category: 'name', path: 'data.items[].name' },
      { name: 'phone', label: '联系电话', category: 'phone', path: 'data.items[].phone' },
      { name: 'aac002', label: '公民身份号码', category: 'id_number', path: 'data.items[].aac002' },
      { name: 'salary', label: '缴费工资', path: 'data.items[].salary' },
    ],
  });
  await cat.post(`/catalog/entries/${entry.id}/submit`, {});
  await rev.post(`/catalog/entries/${entry.id}/review`, { decision: 'approve' });
  const options = await cat.get('/catalog/api-options');
  const apiID = options.find((o) => o.code === 'person.info').id;
  assert.equal(apiID, api.id);
  const resource = await cat.post(`/catalog/entries/${entry.id}/resources`, { kind: 'gateway_api', api_id: apiID, name: '参保人员查询接口' });
  await rev.post(`/catalog/resources/${resource.id}/review`, { decision: 'approve' });
  // The 公民身份号码 field must not be shared: the apply dialog shows it disabled.
  await sys.post('/catalog/negative-list', { entry_id: entry.id, field: 'aac002', reason: '身份证件号码不对外共享' });

  return { sys, orgs, users, key, entry, resource };
}

// Calls the gateway as the bank until `done` accepts the answer (the gateway picks up
// configuration changes within about a second).
async function callUntil(client, done, what) {
  const deadline = Date.now() + 5000;
  let res;
  for (;;) {
    try {
      res = await client.request('GET', '/gw/person/v1/info', { query: { aac002: ID_NUMBER } });
      if (done(res)) return res;
    } catch (e) {
      if (!(e instanceof BadResponseSignatureError)) throw e;
    }
    if (Date.now() > deadline) assert.fail(`${what}: ${res?.status} ${res?.text()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a department applies in the portal, three departments approve in turn, the consumer gets exactly the two fields, revocation ends it', async () => {
  const stage = await setUp();
  const { users, key } = stage;
  const page = await newPage(browser, server.url);
  const client = new Client({ baseURL: server.gatewayUrl, keyId: key.key_id, hmacSecret: key.secret });

  // Nothing is granted before the request is approved.
  const ungranted = await callUntil(client, (r) => r.status === 403, 'an ungranted call');
  assert.equal(ungranted.json().code, 'gw_not_granted');

  // ---- The applicant finds the resource by a Chinese keyword and applies. ----
  await firstLogin(page, 'shenqing');
  await openMenu(page, 'catalog.portal');
  await page.waitForURL(/\/catalog\/portal$/);
  await hook(page, 'portal-total-entries').waitFor();
  await input(page, 'portal-search').fill('工伤');
  await hook(page, 'portal-search-btn').click();
  await hook(page, 'portal-no-results').waitFor();
  await input(page, 'portal-search').fill('参保人员');
  await hook(page, 'portal-search-btn').click();
  await hook(page, 'portal-entry-yl-person').waitFor();
  assert.equal(await page.locator('[data-test^="portal-entry-"]').count(), 1, 'one entry matches 参保人员');
  await page.screenshot({ path: shots + 'share-1-portal.png', fullPage: true });
  await hook(page, 'portal-open-yl-person').click();
  await page.waitForURL(/\/catalog\/portal\/\d+$/);
  assert.equal((await hook(page, 'portal-detail-name').innerText()).trim(), '养老保险参保人员信息');
  assert.equal(await hook(page, 'portal-detail-share').getAttribute('data-share'), 'conditional');
  await hook(page, 'portal-field-negative-aac002').waitFor();
  assert.equal(await hook(page, 'portal-field-negative-name').count(), 0);
  assert.match(await hook(page, 'portal-resources-table').innerText(), /\/gw\/person\/v1\/info/);

  await hook(page, 'portal-apply').click();
  await hook(page, 'portal-apply-dialog').waitFor();
  await hook(page, 'portal-apply-consumer').click();
  await hook(page, 'portal-apply-consumer-option-bank-a').click();
  // The negative-listed field cannot be ticked, and says why.
  assert.ok(await hook(page, 'portal-apply-field-aac002').locator('input').isDisabled(), 'aac002 is on the negative list');
  await hook(page, 'portal-apply-field-reason-aac002').waitFor();
  // Nothing is sent without a field, a purpose and a legal basis.
  await hook(page, 'portal-apply-submit').click();
  await page.locator('[data-test="portal-apply-dialog"] .el-form-item__error', { hasText: '请至少选择一个信息项' }).waitFor();
  await page.locator('[data-test="portal-apply-dialog"] .el-form-item__error', { hasText: '请填写用途' }).waitFor();
  await hook(page, 'portal-apply-field-name').click();
  await hook(page, 'portal-apply-field-salary').click();
  await input(page, 'portal-apply-purpose').fill('核验贷款申请人参保缴费情况');
  await input(page, 'portal-apply-legal-basis').fill('《社会保险法》第七十四条');
  assert.equal(await input(page, 'portal-apply-period').inputValue(), '30', 'the period is 30 days by default');
  await input(page, 'portal-apply-daily').fill('1000');
  await input(page, 'portal-apply-daily').press('Tab');
  await page.screenshot({ path: shots + 'share-2-apply.png' });
  await hook(page, 'portal-apply-submit').click();
  await page.waitForURL(/\/sharing\/requests\/\d+$/);
  const requestPath = new URL(page.url()).pathname;
  await hook(page, 'req-code').waitFor();
  const code = (await hook(page, 'req-code').innerText()).trim();
  assert.match(code, /^SQ\d{8}[0-9A-F]{6}$/);
  assert.equal(await hook(page, 'req-status').getAttribute('data-status'), 'pending');
  assert.equal(await hook(page, 'req-step-0').getAttribute('data-state'), 'current');
  assert.equal(await hook(page, 'req-step-1').getAttribute('data-state'), 'wait');
  assert.deepEqual(
    await page.locator('[data-test^="req-field-"]').evaluateAll((els) => els.map((e) => e.textContent.trim())),
    ['name', 'salary'],
  );
  assert.equal((await hook(page, 'req-period').innerText()).trim(), '30 天');
  await logout(page);

  // ---- Three departments approve in turn, each from its to-do list. ----
  const levels = [
    ['bumen', '申请部门审核', '医疗保障局'],
    ['zhongxin', '信息中心审核', '信息中心'],
    ['shuyuan', '数源部门审核', '养老保险处'],
  ];
  for (const [i, [user, levelName, orgName]] of levels.entries()) {
    await firstLogin(page, user);
    // The bell says there is work (the notification of this level).
    await page.waitForFunction(() => Number(document.querySelector('[data-test="notif-count"]')?.getAttribute('data-unread') ?? 0) > 0);
    if (i === 1) {
      // The centre follows its notification to the request page, then decides from the to-do list.
      await hook(page, 'notif-bell').click();
      await page.locator('[data-test^="notif-item-"]').first().click();
      await page.waitForURL((u) => u.pathname === requestPath);
      await hook(page, 'req-your-turn').waitFor();
      assert.equal(await hook(page, 'req-step-1').getAttribute('data-state'), 'current');
      assert.equal(await hook(page, 'req-step-0').getAttribute('data-state'), 'done');
    }
    await openMenu(page, 'sharing.todo');
    await page.waitForURL(/\/sharing\/todo$/);
    await hook(page, `todo-row-${code}`).waitFor();
    await hook(page, `todo-decide-${code}`).click();
    await hook(page, 'todo-decide-dialog').waitFor();
    const level = hook(page, 'todo-decide-level');
    assert.equal(await level.getAttribute('data-level'), String(i));
    assert.match(await level.innerText(), new RegExp(`${levelName}.*${orgName}`));
    if (i === 0) {
      // A return needs a reason: nothing is sent without one.
      await hook(page, 'todo-return').click();
      await page.locator('[data-test="todo-decide-dialog"] .el-form-item__error', { hasText: '须填写审批意见' }).waitFor();
    }
    await input(page, 'todo-decide-comment').fill(`同意（${levelName}）`);
    if (i === 2) await page.screenshot({ path: shots + 'share-3-decide.png' });
    await hook(page, 'todo-approve').click();
    await hook(page, 'todo-decide-dialog').waitFor({ state: 'hidden' });
    await hook(page, `todo-row-${code}`).waitFor({ state: 'detached' });
    await hook(page, 'todo-tab-done').click();
    await hook(page, `todo-done-row-${code}`).waitFor();
    await logout(page);
  }

  // ---- The applicant sees the approval and the whole timeline. ----
  await login(page, 'shenqing', PASS);
  await page.waitForURL((u) => u.pathname === '/home');
  await page.waitForFunction(() => Number(document.querySelector('[data-test="notif-count"]')?.getAttribute('data-unread') ?? 0) > 0);
  await hook(page, 'notif-bell').click();
  await page.locator('[data-test="notif-panel"]', { hasText: '已批准' }).waitFor();
  await hook(page, 'notif-read-all').click();
  await page.waitForFunction(() => document.querySelector('[data-test="notif-count"]')?.getAttribute('data-unread') === '0');
  await page.keyboard.press('Escape');
  await openMenu(page, 'sharing.mine');
  await hook(page, `req-row-${code}`).waitFor();
  await hook(page, `req-view-${code}`).click();
  await page.waitForURL((u) => u.pathname === requestPath);
  await hook(page, 'req-timeline').waitFor();
  assert.equal(await hook(page, 'req-status').getAttribute('data-status'), 'approved');
  for (const i of [0, 1, 2]) assert.equal(await hook(page, `req-step-${i}`).getAttribute('data-state'), 'done');
  await hook(page, 'req-validity').waitFor();
  const want = [
    ['submit', '提交申请', '', users.shenqing.name],
    ['approve', '同意', '申请部门审核', users.bumen.name],
    ['approve', '同意', '信息中心审核', users.zhongxin.name],
    ['approve', '同意', '数源部门审核', users.shuyuan.name],
    ['grant', '授权生效', '', users.shuyuan.name],
  ];
  assert.equal(await page.locator('[data-test^="req-event-"][data-action]').count(), want.length, 'one timeline item per step');
  for (const [i, [action, label, levelName, actor]] of want.entries()) {
    assert.equal(await hook(page, `req-event-${i}`).getAttribute('data-action'), action, `step ${i}`);
    assert.equal((await hook(page, `req-event-action-${i}`).innerText()).trim(), label);
    assert.equal((await hook(page, `req-event-actor-${i}`).innerText()).trim(), actor, `who took step ${i}`);
    assert.match((await hook(page, `req-event-at-${i}`).innerText()).trim(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, `when step ${i} was taken`);
    if (levelName) assert.equal((await hook(page, `req-event-level-${i}`).innerText()).trim(), levelName);
    else assert.equal(await hook(page, `req-event-level-${i}`).count(), 0);
  }
  assert.match(await hook(page, 'req-event-comment-2').innerText(), /信息中心审核/);
  await page.screenshot({ path: shots + 'share-4-timeline.png', fullPage: true });
  await logout(page);

  // ---- The consumer calls: exactly the two approved fields. ----
  const res = await callUntil(client, (r) => r.status === 200, 'the approved grant did not reach the gateway');
  const item = res.json().data.items[0];
  assert.deepEqual(Object.keys(item).sort(), ['name', 'salary'], `the consumer gets exactly the approved fields: ${res.text()}`);
  assert.equal(item.name, '张*', 'a name is masked');
  assert.equal(item.salary, 9000);

  // ---- The system admin revokes it in 申请管理; the next call is refused. ----
  await login(page, 'sysadmin', 'Sharing#Sys-2026');
  await page.waitForURL((u) => u.pathname === '/home');
  await openMenu(page, 'sharing.requests');
  await page.waitForURL(/\/sharing\/requests$/);
  await hook(page, `req-all-row-${code}`).waitFor();
  await hook(page, `req-all-revoke-${code}`).click();
  await hook(page, 'req-revoke-dialog').waitFor();
  await hook(page, 'req-revoke-submit').click(); // a reason is required
  await page.locator('[data-test="req-revoke-dialog"] .el-form-item__error', { hasText: '撤销原因' }).waitFor();
  await input(page, 'req-revoke-comment').fill('业务终止');
  await hook(page, 'req-revoke-submit').click();
  await hook(page, 'req-revoke-dialog').waitFor({ state: 'hidden' });
  await page.locator(`[data-test="req-all-row-${code}"] [data-status="revoked"]`).waitFor();
  assert.equal(await hook(page, `req-all-revoke-${code}`).count(), 0, 'a revoked request cannot be revoked again');
  await page.screenshot({ path: shots + 'share-5-revoked.png', fullPage: true });

  const refused = await callUntil(client, (r) => r.status === 403, 'the revoked grant still answers');
  assert.equal(refused.json().code, 'gw_not_granted');
});
