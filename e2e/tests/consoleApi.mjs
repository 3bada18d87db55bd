// A small console-API client for browser tests' setup: one session (cookie and CSRF token) per
// instance, over the binary's self-signed HTTPS. Only what the tests need to prepare the stage the
// browser then plays on; it is not a test subject itself.
import { request as httpsRequest } from 'node:https';

export class ConsoleApi {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
    this.csrf = '';
  }

  async call(method, path, body) {
    const url = new URL('/api/v1' + path, this.base);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { Accept: 'application/json' };
    if (payload) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    if (this.cookies.size) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && this.csrf) headers['X-CSRF-Token'] = this.csrf;
    const { status, text, setCookies } = await new Promise((resolve, reject) => {
      const req = httpsRequest(url, { method, headers, rejectUnauthorized: false }, (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode, text: data, setCookies: res.headers['set-cookie'] ?? [] }));
      });
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
    for (const c of setCookies) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const json = text ? JSON.parse(text) : undefined;
    if (status >= 400) {
      const err = new Error(`${method} ${path}: ${status} ${json?.code ?? ''} ${json?.detail_en ?? text}`);
      err.status = status;
      err.code = json?.code;
      throw err;
    }
    return json;
  }

  get(path) {
    return this.call('GET', path);
  }
  post(path, body = {}) {
    return this.call('POST', path, body);
  }
  put(path, body = {}) {
    return this.call('PUT', path, body);
  }

  /** Logs in; when the password must change first, changes it to `next`. */
  async login(username, password, next) {
    const res = await this.post('/auth/login', { username, password });
    this.csrf = res.csrf_token;
    if (res.must_change_password) {
      if (!next) throw new Error(`${username} must change the password first`);
      await this.post('/me/password', { old_password: password, new_password: next });
      const me = await this.get('/me');
      this.csrf = me.csrf_token;
    }
    return this;
  }
}

/** A tree's nodes by code (orgs, menus). */
export function byCode(nodes, out = {}) {
  for (const n of nodes ?? []) {
    out[n.code] = n;
    byCode(n.children, out);
  }
  return out;
}
