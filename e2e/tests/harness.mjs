// Starts the real xietong binary on a fresh data dir (SQLite, HTTPS with its
// self-signed certificate; the gateway on its own port, plain HTTP on loopback)
// and Debian's Chromium through playwright-core.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const BOOTSTRAP = 'Bootstrap#2026-e2e';

// startXietong serves a fresh data dir. `cli` lists commands of the same binary run on that dir
// before serving (e.g. ['gen-data', '--persons', '1000']): what an operator would do first.
export async function startXietong({ cli = [] } = {}) {
  const bin = process.env.XIETONG_BIN;
  if (!bin) throw new Error('XIETONG_BIN must name the built binary (make test-e2e sets it)');
  const dataDir = mkdtempSync(join(tmpdir(), 'xietong-e2e-'));
  for (const args of cli) {
    await promisify(execFile)(bin, [args[0], '--data-dir', dataDir, ...args.slice(1)], { maxBuffer: 16 << 20 });
  }
  const proc = spawn(bin, ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--gateway-listen', '127.0.0.1:0'], {
    env: { ...process.env, XIETONG_BOOTSTRAP_PASSWORD: BOOTSTRAP, XIETONG_PASSWORD_ITERATIONS: '10000', XIETONG_GATEWAY_PLAIN_HTTP: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (b) => { stderr += b; });
  // The console line comes first, then the gateway's: wait for both.
  const { url, gatewayUrl } = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`xietong did not start in 30 s:\n${out}\n${stderr}`)), 30000);
    proc.stdout.on('data', (b) => {
      out += b;
      const c = out.match(/console at (https:\/\/[^/\s]+)\//);
      const g = out.match(/gateway at (https?:\/\/[^/\s]+)\//);
      if (c && g) { clearTimeout(timer); resolve({ url: c[1], gatewayUrl: g[1] }); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`xietong exited ${code}:\n${out}\n${stderr}`)); });
  });
  return {
    url,
    gatewayUrl,
    dataDir,
    logs: () => stderr,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

// newPage opens a fresh browser context (its own cookies) on the console.
export async function newPage(browser, base) {
  const ctx = await browser.newContext({ ignoreHTTPSErrors: true, baseURL: base, locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15000);
  return page;
}
