// The hub slows sign-ins after repeated wrong passwords: the phone says so in
// plain words — not "cannot reach the server" — and the right password still works once
// the short wait is over. Its own hub, so no other test's sign-ins are slowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phoneWithProfile, signIn } from './harness.mjs';

const setup = phoneWithProfile();

test('after ten wrong passwords the phone says to wait, then the right one gets in', async () => {
  const p = setup.phone;
  const error = p.page.getByTestId('login-error');
  // One sign-in attempt, finished: the form empties the password field when it has the
  // answer. Returns the message shown.
  const attempt = async (password) => {
    await signIn(p.page, password);
    await p.page.waitForFunction(() => document.querySelector('[data-testid=login-password]')?.value === '', null, { timeout: 30_000 });
    return (await error.textContent()) ?? '';
  };
  let failures = 0;
  let message = '';
  for (; failures < 16; failures++) {
    message = await attempt(`wrong-${failures}`);
    if (!message.includes('用户名或密码不正确')) break;
  }
  assert.ok(failures >= 10, `slowed after only ${failures} wrong passwords`);
  assert.match(message, /尝试太频繁/, 'says to wait, not that the server is unreachable');
  // The wait doubles from one second after the tenth failure; then the right password
  // signs in.
  await new Promise((r) => setTimeout(r, 1000 * 2 ** (failures - 10) + 1500));
  await signIn(p.page);
  await p.page.getByTestId('signed-in').waitFor({ timeout: 30_000 });
  assert.deepEqual(p.errors, []);
});
