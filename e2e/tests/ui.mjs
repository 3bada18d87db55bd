// What every browser test does with the console's pages: find a hook, log in (the first time with
// the forced password change), open a menu, log out. Hooks are listed in web/TESTHOOKS.md.

/** The hook's element. */
export const hook = (page, name) => page.locator(`[data-test="${name}"]`);

/** The text field of a hook: an el-input's <input>/<textarea>, or the element itself. */
export const input = (page, name) =>
  page.locator(`[data-test="${name}"] input, input[data-test="${name}"], [data-test="${name}"] textarea, textarea[data-test="${name}"]`).first();

export async function login(page, user, pass) {
  await page.goto('/login');
  await input(page, 'login-username').fill(user);
  await input(page, 'login-password').fill(pass);
  await hook(page, 'login-submit').click();
}

/** A user created by an administrator logs in for the first time: the password must change first. */
export async function firstLogin(page, user, first, next) {
  await login(page, user, first);
  await page.waitForURL((u) => u.pathname.includes('password'));
  await input(page, 'pwd-old').fill(first);
  await input(page, 'pwd-new').fill(next);
  await input(page, 'pwd-confirm').fill(next);
  await hook(page, 'pwd-submit').click();
  await page.waitForURL((u) => u.pathname === '/home');
}

/** Opens a menu page by its code ("supervision.runs"), expanding its directory when closed. */
export async function openMenu(page, code) {
  const item = hook(page, `menu-${code}`);
  if (!(await item.isVisible())) await hook(page, `menu-${code.split('.')[0]}`).click();
  await item.click();
}

export async function logout(page) {
  await hook(page, 'logout').click();
  await page.waitForURL((u) => u.pathname === '/login');
}

/** Picks an option of an el-select: open it, click the option's hook. */
export async function pick(page, select, option) {
  await hook(page, select).click();
  await hook(page, option).click();
}
