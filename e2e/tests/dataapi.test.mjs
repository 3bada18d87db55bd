// Data APIs in real Chromium, against the real PostgreSQL and MariaDB: the system admin
// registers each bureau database as a data source and tests its connection, writes a SQL
// template with a 公民身份号码 parameter, tries it with a sample value, describes the result
// fields with their sensitive categories and submits it; a second person reviews and
// publishes it; the security admin grants two fields to a bank; the bank calls the gateway
// with the Go SDK (`xietong call`) and gets exactly those two fields, masked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { startXietong, launchBrowser, newPage, BOOTSTRAP } from './harness.mjs';

const shots = new URL('../test-results/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });

// A valid 公民身份号码 from its first 17 digits (GB 11643, ISO 7064 MOD 11-2).
function completeID(body) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}
const PEOPLE = [
  [1001, completeID('32060219800101001'), '张三丰', '13812345678', '320602'],
  [1002, completeID('32060219900202002'), '李四光', '13987654321', '320611'],
  [1003, completeID('32060220000303003'), '王五', '13700001111', '320612'],
];

// The services, from the same variables the Go suites use. Without them the test skips
// (with a notice); in CI it fails instead.
const pgDSN = process.env.XIETONG_TEST_POSTGRES;
const myDSN = process.env.XIETONG_TEST_MARIADB;
const missing = !pgDSN || !myDSN;
if (missing) {
  if (process.env.CI === 'true') throw new Error('CI=true but XIETONG_TEST_POSTGRES or XIETONG_TEST_MARIADB is not set');
  console.log('NOTICE: XIETONG_TEST_POSTGRES / XIETONG_TEST_MARIADB not set; the data-API browser test is skipped');
}

const suffix = Math.random().toString(16).slice(2, 10);
const schema = `xt_e2e_${suffix}`;
let pg, my, server, browser;

function parseMy(dsn) {
  // go-sql-driver form: user[:password]@tcp(host:port)/
  const m = dsn.match(/^([^:@]+)(?::([^@]*))?@tcp\(([^:)]+):(\d+)\)\//);
  if (!m) throw new Error(`XIETONG_TEST_MARIADB ${dsn}: want user[:password]@tcp(host:port)/`);
  return { user: m[1], password: m[2] ?? '', host: m[3], port: Number(m[4]) };
}

const rows = PEOPLE.map((p) => `(${p[0]}, '${p[1]}', '${p[2]}', '${p[3]}', '${p[4]}')`).join(', ');
const table = `aac001 BIGINT PRIMARY KEY, aac002 VARCHAR(18) NOT NULL, aac003 VARCHAR(50) NOT NULL, aae005 VARCHAR(20) NOT NULL, aab301 VARCHAR(6) NOT NULL`;

before(async () => {
  if (missing) return;
  const u = new URL(pgDSN);
  pg = { host: u.hostname, port: Number(u.port || 5432), database: u.pathname.slice(1), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
  execFileSync('psql', [pgDSN, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.ac01 (${table}); INSERT INTO ${schema}.ac01 VALUES ${rows};`]);
  my = parseMy(myDSN);
  const myArgs = ['-h', my.host, '-P', String(my.port), '-u', my.user, ...(my.password ? [`-p${my.password}`] : [])];
  execFileSync('mariadb', [...myArgs, '-e', `CREATE DATABASE ${schema} CHARACTER SET utf8mb4; CREATE TABLE ${schema}.ac01 (${table}); INSERT INTO ${schema}.ac01 VALUES ${rows};`]);
  my.args = myArgs;
  server = await startXietong();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (pg) execFileSync('psql', [pgDSN, '-q', '-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`]);
  if (my?.args) execFileSync('mariadb', [...my.args, '-e', `DROP DATABASE IF EXISTS ${schema}`]);
});

const input = (page, name) => page.locator(`[data-test="${name}"] input, input[data-test="${name}"], [data-test="${name}"] textarea, textarea[data-test="${name}"]`).first();
const hook = (page, name) => page.locator(`[data-test="${name}"]`);

async function login(page, user, pass) {
  await page.goto('/login');
  await input(page, 'login-username').fill(user);
  await input(page, 'login-password').fill(pass);
  await hook(page, 'login-submit').click();
}

async function firstLogin(page, user, first, next) {
  await login(page, user, first);
  await page.waitForURL((u) => u.pathname.includes('password'));
  await input(page, 'pwd-old').fill(first);
  await input(page, 'pwd-new').fill(next);
  await input(page, 'pwd-confirm').fill(next);
  await hook(page, 'pwd-submit').click();
  await page.waitForURL((u) => u.pathname === '/home');
}

async function logout(page) {
  await hook(page, 'logout').click();
  await page.waitForURL((u) => u.pathname === '/login');
}

async function openMenu(page, dir, code) {
  const item = hook(page, `menu-${code}`);
  if (!(await item.isVisible())) await hook(page, `menu-${dir}`).click();
  await item.click();
}

async function pick(page, select, option) {
  await hook(page, select).click();
  await hook(page, option).click();
}

// The console API with the page's session (for the set-up the story does not show).
async function api(page, method, path, body) {
  const me = await page.request.get('/api/v1/me');
  const { csrf_token: csrf } = await me.json();
  const res = await page.request.fetch(path, { method, data: body, headers: { 'X-CSRF-Token': csrf, Origin: server.url } });
  const text = await res.text();
  assert.ok(res.status() < 300, `${method} ${path}: ${res.status()} ${text}`);
  return text ? JSON.parse(text) : null;
}

// Registers a data source in the dialog and tests it there.
async function addSource(page, code, kind, db, database) {
  await hook(page, 'ds-create').click();
  await pick(page, 'ds-kind', `ds-kind-option-${kind}`);
  await input(page, 'ds-code').fill(code);
  await input(page, 'ds-name').fill(`业务库 ${code}`);
  await input(page, 'ds-host').fill(db.host);
  await input(page, 'ds-port').fill(String(db.port));
  await input(page, 'ds-database').fill(database);
  await input(page, 'ds-username').fill(db.user);
  if (db.password) await input(page, 'ds-password').fill(db.password);
  if (kind === 'postgres') {
    await hook(page, 'ds-option-sslmode').click();
    await hook(page, 'ds-option-sslmode-option-disable').click();
  }
  await hook(page, 'ds-test').click();
  const result = hook(page, 'ds-dialog').locator('[data-test="ds-test-result"]');
  await result.waitFor();
  assert.equal(await result.getAttribute('data-ok'), 'true', await result.innerText());
  await page.screenshot({ path: shots + `dapi-1-source-${kind}.png` });
  await hook(page, 'ds-save').click();
  await hook(page, `ds-row-${code}`).waitFor();
}

// Writes, tries and submits a data API over a source.
async function writeAPI(page, code, source, tbl) {
  await openMenu(page, 'data', 'data.apis');
  await hook(page, 'dapi-create').click();
  await page.waitForURL(/\/data\/apis\/new/);
  await input(page, 'dapi-code').fill(code);
  await input(page, 'dapi-name').fill('按公民身份号码查询参保人');
  await pick(page, 'dapi-source', `dapi-source-option-${source}`);
  await input(page, 'dapi-path').fill(`/data/${code}`);
  await input(page, 'dapi-sql').fill(`SELECT aac001, aac002, aac003, aae005, aab301\nFROM ${tbl}\nWHERE aac002 = \${sfzh}`);
  await hook(page, 'dapi-param-add').click();
  await input(page, 'dapi-param-name-0').fill('sfzh');
  await pick(page, 'dapi-param-type-0', 'dapi-param-type-0-option-id_card');
  await hook(page, 'dapi-param-required-0').click();

  // A wrong check digit is refused before the database sees it.
  const p = PEOPLE[1];
  const wrong = p[1].slice(0, 17) + (p[1][17] === '0' ? '1' : '0');
  await input(page, 'dapi-try-value-sfzh').fill(wrong);
  await hook(page, 'dapi-try-run').click();
  await page.locator('[data-test="dapi-try"] .el-form-item__error').first().waitFor();

  await input(page, 'dapi-try-value-sfzh').fill(p[1]);
  await hook(page, 'dapi-try-run').click();
  await hook(page, 'dapi-try-result').waitFor();
  const result = await hook(page, 'dapi-try-table').innerText();
  assert.match(result, new RegExp(p[2]), 'the console shows the row to its author');
  await hook(page, 'dapi-fields-from-try').click();
  await pick(page, 'dapi-field-category-1', 'dapi-field-category-1-option-id_number');
  await pick(page, 'dapi-field-category-2', 'dapi-field-category-2-option-name');
  await pick(page, 'dapi-field-category-3', 'dapi-field-category-3-option-phone');
  await page.screenshot({ path: shots + `dapi-2-editor-${source}.png`, fullPage: true });
  await hook(page, 'dapi-save').click();
  await page.waitForURL(/\/data\/apis\/\d+/);
  await hook(page, 'dapi-submit').click();
  await input(page, 'dapi-submit-comment').fill('银行贷款审核核验参保身份');
  await hook(page, 'dapi-submit-confirm').click();
  await page.locator('[data-test="dapi-editor-status"]', { hasText: '待审核' }).waitFor();
}

test('a SQL query becomes a governed gateway API over PostgreSQL and MariaDB', { skip: missing }, async () => {
  const page = await newPage(browser, server.url);
  await firstLogin(page, 'sysadmin', BOOTSTRAP, 'DataAPI#Sys-2026');

  // A reviewer: another person holding the data-API pages and the review button.
  const [root] = await api(page, 'GET', '/api/v1/orgs/tree');
  const flat = [];
  const walk = (ns) => ns.forEach((n) => { flat.push(n); walk(n.children ?? []); });
  walk(await api(page, 'GET', '/api/v1/menus/assignable'));
  const menu = (code) => flat.find((m) => m.code === code).id;
  const role = await api(page, 'POST', '/api/v1/business-roles', { code: 'dapi-review', name: '数据API审核', menu_ids: [menu('data'), menu('data.apis'), menu('data.apis.review')] });
  const reviewer = await api(page, 'POST', '/api/v1/users', { username: 'shenhe', display_name: '审核人', org_id: root.id, password: 'Initial#2026pw' });
  await api(page, 'PUT', `/api/v1/users/${reviewer.id}/roles`, { business_role_ids: [role.id] });
  const consumer = await api(page, 'POST', '/api/v1/gateway/consumers', { code: 'bank-a', name: '甲银行' });

  // The system admin: two sources, tested; a data API on each, tried and submitted.
  await openMenu(page, 'data', 'data.sources');
  await page.waitForURL(/\/data\/sources/);
  await addSource(page, 'pg-biz', 'postgres', pg, pg.database);
  await addSource(page, 'my-biz', 'mariadb', my, schema);
  await writeAPI(page, 'person-pg', 'pg-biz', `${schema}.ac01`);
  await writeAPI(page, 'person-my', 'my-biz', `${schema}.ac01`);

  // The author cannot approve their own version.
  await openMenu(page, 'data', 'data.apis');
  await hook(page, 'dapi-tab-reviews').click();
  await hook(page, 'dapi-review-open-person-pg').click();
  await hook(page, 'dapi-approve').click();
  const refusal = hook(page, 'dapi-review-error');
  await refusal.waitFor();
  assert.equal(await refusal.getAttribute('data-code'), 'dataapi_self_review');
  await hook(page, 'dapi-review-cancel').click();
  await logout(page);

  // The reviewer approves both: they are published on the gateway.
  await firstLogin(page, 'shenhe', 'Initial#2026pw', 'Review#Pass-2026');
  await openMenu(page, 'data', 'data.apis');
  await hook(page, 'dapi-tab-reviews').click();
  for (const code of ['person-pg', 'person-my']) {
    await hook(page, `dapi-review-open-${code}`).click();
    await hook(page, 'dapi-review-sql').waitFor();
    assert.match(await hook(page, 'dapi-review-sql').innerText(), /\$\{sfzh\}/);
    await input(page, 'dapi-review-comment').fill('同意发布');
    await page.screenshot({ path: shots + `dapi-3-review-${code}.png` });
    await hook(page, 'dapi-approve').click();
    await hook(page, 'dapi-review-dialog').waitFor({ state: 'hidden' });
  }
  await hook(page, 'dapi-tab-all').click();
  for (const code of ['person-pg', 'person-my']) {
    await page.locator(`[data-test="dapi-status-${code}"][data-status="published"]`).waitFor();
  }
  await logout(page);

  // The security admin: a key for the bank and a grant of two fields per API.
  await firstLogin(page, 'secadmin', BOOTSTRAP, 'DataAPI#Sec-2026');
  const key = await api(page, 'POST', `/api/v1/gateway/consumers/${consumer.id}/keys`, { kind: 'hmac' });
  const options = await api(page, 'GET', '/api/v1/gateway/grant-options');
  for (const code of ['person-pg', 'person-my']) {
    const gw = options.apis.find((a) => a.code === code);
    assert.ok(gw, `the gateway API ${code} exists`);
    await api(page, 'POST', '/api/v1/gateway/grants', { consumer_id: consumer.id, api_id: gw.id, fields: ['data[].aac002', 'data[].aac003'] });
  }

  // The bank calls with the Go SDK: exactly the granted fields, masked.
  const p = PEOPLE[1];
  const callOnce = (code) => {
    try {
      return { ok: true, out: execFileSync(process.env.XIETONG_BIN, ['call', '--gateway', server.gatewayUrl, '--key-id', key.key_id, `/gw/data/${code}`, '-q', `sfzh=${p[1]}`],
        { env: { ...process.env, XIETONG_CALL_SECRET: key.secret }, encoding: 'utf8' }) };
    } catch (e) {
      return { ok: false, out: String(e.stdout) + String(e.stderr) };
    }
  };
  for (const code of ['person-pg', 'person-my']) {
    let r;
    for (let i = 0; i < 40; i++) { // the gateway picks the grant up within a second
      r = callOnce(code);
      if (r.ok) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.ok(r.ok, r.out);
    const body = JSON.parse(r.out.split('\n').slice(1).join('\n'));
    assert.equal(body.data.length, 1, r.out);
    assert.deepEqual(Object.keys(body.data[0]).sort(), ['aac002', 'aac003'], `only the granted fields: ${r.out}`);
    assert.equal(body.data[0].aac002, p[1].slice(0, 6) + '********' + p[1].slice(14), 'the 公民身份号码 is masked');
    assert.equal(body.data[0].aac003, '李**', 'the name is masked');
    assert.ok(!r.out.includes(p[3]), 'the phone number never leaves');
  }
  await page.context().close();
});
