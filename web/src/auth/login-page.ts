import type { LoginBody, Me } from '@lianxin/contracts';
import { api, isApiError } from '../api/api-client.ts';
import { PASSWORD_PAGE, safeNext } from './safe-next.ts';
import './login-page.css';

/** One labelled input with the line under it for its problem (read out with it: aria-describedby). */
function field(id: string, label: string, attrs: Record<string, string>, extra?: string) {
  const wrap = document.createElement('div');
  wrap.className = 'lx-login-field';
  const l = document.createElement('label');
  l.htmlFor = id;
  l.textContent = label;
  const input = document.createElement('input');
  input.id = id;
  for (const [k, v] of Object.entries(attrs)) input.setAttribute(k, v);
  const problem = document.createElement('div');
  problem.id = `${id}-problem`;
  problem.className = 'lx-login-problem';
  input.setAttribute('aria-describedby', problem.id);
  wrap.append(l, input);
  if (extra) {
    const e = document.createElement('div');
    e.className = 'lx-login-extra';
    e.textContent = extra;
    wrap.append(e);
  }
  wrap.append(problem);
  const setProblem = (text: string | null) => {
    problem.textContent = text ?? '';
    if (text) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  return { wrap, input, setProblem };
}

const plain = { autocapitalize: 'off', autocorrect: 'off', spellcheck: 'false' };

/**
 * /login as a plain page: no React, no antd — the first download on a phone is this file, its CSS and the entry
 * (bench/lighthouse.ts). Same fields, words and answers as the app's forms: 用户名, 密码, and 动态验证码 once the
 * server asks for the second factor (401 totp_required; the password stays filled in). The server's messages are in
 * Chinese already (用户名或密码错误; 登录失败次数过多，请 N 分钟后再试 — the same words whether or not the name exists).
 * After logging in, the browser loads the page to go to (a one-time password is changed first).
 */
export function mountLoginPage(root: HTMLElement) {
  const main = document.createElement('main');
  main.className = 'lx-login';
  const card = document.createElement('div');
  card.className = 'lx-login-card';
  const h1 = document.createElement('h1');
  h1.textContent = '连心';
  const sub = document.createElement('p');
  sub.className = 'lx-login-sub';
  sub.textContent = '济源产城融合示范区 · 党群连心工程';
  const alert = document.createElement('div');
  alert.setAttribute('role', 'alert');
  alert.hidden = true;

  const form = document.createElement('form');
  form.noValidate = true;
  const username = field('login-username', '用户名', { name: 'username', autocomplete: 'username', ...plain });
  const password = field('login-password', '密码', { name: 'password', type: 'password', autocomplete: 'current-password' });
  const totp = field('login-totp', '动态验证码', { name: 'totpCode', autocomplete: 'one-time-code', inputmode: 'text', ...plain },
    '打开手机上的验证器应用，输入显示的 6 位数字；手机不在身边时可输入一个恢复码。');
  totp.wrap.hidden = true;
  const submit = document.createElement('button');
  submit.type = 'submit';
  submit.textContent = '登录';
  form.append(username.wrap, password.wrap, totp.wrap, submit);
  card.append(h1, sub, alert, form);
  main.append(card);
  root.replaceChildren(main);

  function showError(message: string, throttled: boolean) {
    alert.className = `lx-login-alert${throttled ? ' warning' : ''}`;
    const title = document.createElement('strong');
    title.textContent = throttled ? '暂时无法登录' : '登录失败';
    const text = document.createElement('div');
    text.textContent = message;
    alert.replaceChildren(title, text);
    alert.hidden = false;
  }

  /** The same checks as before the server: required, and not absurdly long. */
  function check(): boolean {
    const u = username.input.value.trim();
    username.setProblem(!u ? '请输入用户名' : u.length > 64 ? '用户名太长' : null);
    const p = password.input.value;
    password.setProblem(!p ? '请输入密码' : p.length > 256 ? '密码太长' : null);
    const c = totp.input.value.trim();
    totp.setProblem(totp.wrap.hidden ? null : !c ? '请输入动态验证码' : c.length > 32 ? '验证码太长' : null);
    const firstBad = [username, password, totp].find((f) => f.input.hasAttribute('aria-invalid'));
    firstBad?.input.focus();
    return !firstBad;
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (submit.disabled || !check()) return;
    void send();
  });

  async function send() {
    const code = totp.wrap.hidden ? '' : totp.input.value.trim();
    const body: LoginBody = { username: username.input.value.trim(), password: password.input.value, totpCode: code || undefined };
    submit.disabled = true;
    alert.hidden = true;
    try {
      const { data: me } = await api<{ data: Me }>('/api/v1/auth/login', { method: 'POST', body });
      location.replace(me.mustChangePassword ? PASSWORD_PAGE : safeNext(new URLSearchParams(location.search).get('next')));
      return;
    } catch (e) {
      if (isApiError(e, 'totp_required')) {
        const first = totp.wrap.hidden;
        totp.wrap.hidden = false;
        totp.input.focus();
        // The first answer only asks for the code: no error until a code was actually wrong.
        if (!first) showError(e.message, false);
      } else {
        showError(e instanceof Error ? e.message : '登录失败，请稍后再试', isApiError(e, 'rate_limited'));
      }
    }
    submit.disabled = false;
  }
}
