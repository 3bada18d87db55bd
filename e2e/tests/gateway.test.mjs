// The sharing gateway's story in real Chromium: the system admin registers a consumer
// (接入方) and publishes an API with classified fields; the security admin issues an HMAC
// key — read from the once-only dialog — and grants the API with some fields; the bank
// then calls the gateway with the JS SDK and gets the granted fields, masked; the audit
// admin finds the call in the call log by the person it asked about (查询对象).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Client, BadResponseSignatureError } from 'xietong-sdk';
import { startXietong, launchBrowser, newPage, BOOTSTRAP } from './harness.mjs';

const shots = new URL('../test-results/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });

const ID_NUMBER = '11010519491231002X';
const OTHER_ID = '110105200002291235';
const UPSTREAM_BODY = JSON.stringify({
  code: 0,
  data: { items: [{ name: '张三', phone: '13812341234', aac002: ID_NUMBER, salary: 9000 }] },
});

let server, browser, upstream, upstreamURL;
const upstreamHits = [];

before(async () => {
  // The bureau's system behind the gateway: one fixed JSON answer.
  upstream = createServer((req, res) => {
    upstreamHits.push(req.url);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(UPSTREAM_BODY);
  });
  await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamURL = `http://127.0.0.1:${upstream.address().port}/person/info`;
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

// A first login lands on the forced password change.
async function firstLogin(page, user, next) {
  await login(page, user, BOOTSTRAP);
  await page.waitForURL((u) => u.pathname.includes('password'));
  await input(page, 'pwd-old').fill(BOOTSTRAP);
  await input(page, 'pwd-new').fill(next);
  await input(page, 'pwd-confirm').fill(next);
  await hook(page, 'pwd-submit').click();
  await page.waitForURL((u) => u.pathname === '/home');
}

async function openMenu(page, code) {
  const item = hook(page, `menu-${code}`);
  if (!(await item.isVisible())) await hook(page, 'menu-gateway').click();
  await item.click();
}

async function logout(page) {
  await hook(page, 'logout').click();
  await page.waitForURL((u) => u.pathname === '/login');
}

// Picks an option of an el-select: open it by its hook, click the option's hook.
async function pick(page, select, option) {
  await hook(page, select).click();
  await hook(page, option).click();
}

test('consumer, API, key and grant set up in the console; the bank calls; the audit admin finds the call', async () => {
  const page = await newPage(browser, server.url);

  // ---- System admin: the consumer and the API. ----
  await firstLogin(page, 'sysadmin', 'Gateway#Sys-2026');
  await openMenu(page, 'gateway.consumers');
  await page.waitForURL(/\/gateway\/consumers/);
  await hook(page, 'consumer-add').click();
  await input(page, 'consumer-code').fill('bank-a');
  await input(page, 'consumer-name').fill('甲银行');
  await input(page, 'consumer-org-name').fill('甲银行股份有限公司');
  await input(page, 'consumer-contact').fill('李四');
  await input(page, 'consumer-phone').fill('010-88886666');
  await hook(page, 'consumer-save').click();
  await hook(page, 'consumer-edit-bank-a').waitFor();

  await openMenu(page, 'gateway.apis');
  await page.waitForURL(/\/gateway\/apis/);
  await hook(page, 'gwapi-add').click();
  await input(page, 'gwapi-code').fill('person.info');
  await input(page, 'gwapi-name').fill('人员基本信息查询');
  await hook(page, 'gwapi-method-GET').click();
  await input(page, 'gwapi-path').fill('/gw/person/v1/info');
  await input(page, 'gwapi-upstream').fill(upstreamURL);
  // A bad path is marked on its row before anything is sent.
  await hook(page, 'gwapi-field-add').click();
  await input(page, 'gwapi-field-path-0').fill('data.items[].phone!');
  await hook(page, 'gwapi-fields').locator('text=路径格式应为').waitFor();
  await input(page, 'gwapi-field-path-0').fill('data.items[].phone');
  await pick(page, 'gwapi-field-category-0', 'gwapi-field-category-0-option-phone');
  await hook(page, 'gwapi-field-add').click();
  await input(page, 'gwapi-field-path-1').fill('data.items[].aac002');
  await pick(page, 'gwapi-field-category-1', 'gwapi-field-category-1-option-id_number');
  await page.screenshot({ path: shots + 'gw-1-api-dialog.png' });
  await hook(page, 'gwapi-save').click();
  await hook(page, 'gwapi-edit-person.info').waitFor();
  await hook(page, 'gwapi-dialog').waitFor({ state: 'hidden' });
  assert.match(await hook(page, 'gwapi-table').innerText(), /\/gw\/person\/v1\/info/);

  await openMenu(page, 'gateway.status');
  await page.waitForURL(/\/gateway\/status/);
  await hook(page, 'gwstatus-version').waitFor();
  assert.match(await hook(page, 'gwstatus-state').innerText(), /内存|Redis/);
  await logout(page);

  // ---- Security admin: an HMAC key, shown once, and the grant. ----
  await firstLogin(page, 'secadmin', 'Keys#Security-2026');
  await openMenu(page, 'gateway.credentials');
  await page.waitForURL(/\/gateway\/credentials/);
  await pick(page, 'cred-consumer', 'cred-consumer-option-bank-a');
  await hook(page, 'cred-issue-hmac').click();
  await hook(page, 'cred-key-kind-hmac').waitFor();
  await hook(page, 'cred-key-save').click();
  await hook(page, 'once-secret').waitFor();
  const keyId = await input(page, 'once-key-id').inputValue();
  const secret = await input(page, 'once-secret').inputValue();
  assert.match(keyId, /^ak_[A-Za-z0-9]{20}$/, `key id ${keyId}`);
  assert.match(secret, /^[A-Za-z0-9_-]{43}$/, 'the secret is 43 characters of base64url');
  assert.match(await hook(page, 'once-warning').innerText(), /只显示这一次/);
  assert.ok(await hook(page, 'once-close').isDisabled(), 'the once-only dialog closes only after the acknowledgement');
  await page.screenshot({ path: shots + 'gw-2-secret-once.png' });
  await hook(page, 'once-ack').click();
  await hook(page, 'once-close').click();
  await hook(page, 'once-dialog').waitFor({ state: 'detached' });
  assert.equal(await hook(page, 'once-secret').count(), 0, 'the secret is gone from the page');
  await hook(page, `cred-key-revoke-${keyId}`).waitFor();

  // A data key needs an SM2 key first: the server's refusal is shown in the dialog.
  await hook(page, 'cred-issue-datakey').click();
  await hook(page, 'cred-datakey-nosm2').waitFor();
  await hook(page, 'cred-datakey-save').click();
  await hook(page, 'cred-datakey-error').waitFor();
  assert.equal(await hook(page, 'cred-datakey-error').getAttribute('data-code'), 'needs_sm2_key');
  assert.match(await hook(page, 'cred-datakey-error').innerText(), /SM2/);
  await hook(page, 'cred-datakey-cancel').click();
  await hook(page, 'cred-datakey-dialog').waitFor({ state: 'hidden' });

  // An SM2 pair made by the platform: the passphrase must have 12 characters; the private key is shown once.
  await hook(page, 'cred-add-sm2').click();
  await hook(page, 'cred-key-source-generate').click();
  await input(page, 'cred-key-passphrase').fill('too-short');
  await input(page, 'cred-key-passphrase-confirm').fill('too-short');
  await hook(page, 'cred-key-save').click();
  await page.locator('.el-form-item__error', { hasText: '口令至少 12 个字符' }).waitFor();
  await input(page, 'cred-key-passphrase').fill('Bank-A passphrase 2026');
  await input(page, 'cred-key-passphrase-confirm').fill('Bank-A passphrase 2026');
  await hook(page, 'cred-key-save').click();
  await hook(page, 'once-private-pem').waitFor();
  assert.match(await input(page, 'once-private-pem').inputValue(), /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  const [pem] = await Promise.all([page.waitForEvent('download'), hook(page, 'once-download-private-pem').click()]);
  assert.match(pem.suggestedFilename(), /^ak_\w+\.key\.pem$/);
  await hook(page, 'once-ack').click();
  await hook(page, 'once-close').click();
  await hook(page, 'once-dialog').waitFor({ state: 'detached' });

  // Now a data key can be issued: its envelope is shown, and stays downloadable from the list.
  await hook(page, 'cred-issue-datakey').click();
  assert.equal(await hook(page, 'cred-datakey-nosm2').count(), 0);
  await hook(page, 'cred-datakey-save').click();
  await hook(page, 'once-envelope').waitFor();
  assert.match(await input(page, 'once-envelope').inputValue(), /^[A-Za-z0-9+/]+=*$/);
  await hook(page, 'once-close').click();
  await hook(page, 'once-dialog').waitFor({ state: 'detached' });
  await hook(page, 'cred-dk-row').waitFor();
  await page.screenshot({ path: shots + 'gw-2b-credentials.png', fullPage: true });

  await openMenu(page, 'gateway.grants');
  await page.waitForURL(/\/gateway\/grants/);
  await hook(page, 'grant-add').click();
  await pick(page, 'grant-consumer', 'grant-consumer-option-bank-a');
  await pick(page, 'grant-api', 'grant-api-option-person.info');
  for (const f of ['code', 'data.items[].name', 'data.items[].phone', 'data.items[].aac002']) {
    await input(page, 'grant-fields').fill(f);
    await input(page, 'grant-fields').press('Enter');
    await hook(page, `grant-fields-tag-${f}`).waitFor();
  }
  await hook(page, 'grant-method-GET').click();
  await page.screenshot({ path: shots + 'gw-3-grant-dialog.png' });
  await hook(page, 'grant-save').click();
  await hook(page, 'grant-edit-bank-a-person.info').waitFor();
  const grantRow = await hook(page, 'grant-row').first().innerText();
  assert.ok(grantRow.includes('data.items[].phone') && !grantRow.includes('salary'), grantRow);
  assert.match(grantRow, /全部脱敏/);
  await logout(page);

  // ---- The bank: a signed call through the gateway with the JS SDK. ----
  const client = new Client({ baseURL: server.gatewayUrl, keyId, hmacSecret: secret });
  let res;
  const deadline = Date.now() + 4000; // the gateway polls the configuration every 500 ms
  for (;;) {
    try {
      res = await client.request('GET', '/gw/person/v1/info', { query: { aac002: ID_NUMBER } });
      if (res.status === 200) break;
    } catch (e) {
      // Before the key reaches the gateway its refusal is unsigned.
      if (!(e instanceof BadResponseSignatureError)) throw e;
    }
    if (Date.now() > deadline) assert.fail(`the gateway did not take the configuration: ${res?.status} ${res?.text()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(res.status, 200);
  const body = res.json();
  const item = body.data.items[0];
  assert.equal(body.code, 0);
  assert.equal(item.name, '张三');
  assert.equal(item.phone, '138****1234');
  assert.equal(item.aac002, '110105********002X');
  assert.equal('salary' in item, false, 'salary was not granted');
  assert.ok(upstreamHits.some((u) => u.includes(`aac002=${ID_NUMBER}`)), `upstream saw ${upstreamHits}`);
  // A call about somebody else, which the search by 查询对象 must leave out.
  const other = await client.request('GET', '/gw/person/v1/info', { query: { aac002: OTHER_ID } });
  assert.equal(other.status, 200);

  // ---- Audit admin: who looked up this person? ----
  await firstLogin(page, 'auditadmin', 'Calls#Audit-2026');
  await openMenu(page, 'gateway.calls');
  await page.waitForURL(/\/gateway\/calls/);
  // How long the log keeps a call is said under the title (by default: forever).
  assert.match(await hook(page, 'calls-retention').innerText(), /永久保留/);
  // A wrong check character is refused on the field.
  await input(page, 'calls-subject').fill('110105194912310021');
  await hook(page, 'calls-search').click();
  await page.locator('.el-form-item__error', { hasText: '校验位' }).waitFor();
  await input(page, 'calls-subject').fill(ID_NUMBER);
  const row = hook(page, 'calls-row').first();
  const found = Date.now() + 10000; // the call log is ingested from the journal every 200 ms
  for (;;) {
    const answer = page.waitForResponse((r) => r.url().includes('/api/v1/gateway/calls?') && r.url().includes(`subject=${ID_NUMBER}`));
    await hook(page, 'calls-search').click();
    await (await answer).finished();
    await page.waitForTimeout(100); // let the table render the answer
    if ((await hook(page, 'calls-row').count()) > 0) break;
    if (Date.now() > found) assert.fail('the call did not reach the call log');
    await page.waitForTimeout(300);
  }
  assert.equal((await row.locator('[data-test="calls-status-cell"]').innerText()).trim(), '200');
  assert.equal((await row.locator('[data-test="calls-records-cell"]').innerText()).trim(), '1');
  assert.equal((await row.locator('[data-test="calls-subject-cell"]').innerText()).trim(), '110105********002X');
  const text = await row.innerText();
  assert.ok(text.includes('bank-a') && text.includes('person.info') && text.includes('/gw/person/v1/info') && text.includes('成功'), text);
  assert.equal(await hook(page, 'calls-row').count(), 1, 'only the call about this person, not the other one');
  await page.screenshot({ path: shots + 'gw-4-call-log.png', fullPage: true });

  // The export of the current filter downloads a CSV.
  const [download] = await Promise.all([page.waitForEvent('download'), hook(page, 'calls-export-csv').click()]);
  assert.match(download.suggestedFilename(), /\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').trim().split('\n');
  assert.equal(csv.length, 2, `the export holds the header and the one call: ${csv}`);
  assert.ok(csv[1].includes('bank-a') && csv[1].includes('110105********002X'), csv[1]);
});
