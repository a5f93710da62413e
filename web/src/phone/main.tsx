/**
 * The light entry of the phone registration page (web/phone.html, served for /r/:token by server/app.ts):
 * React and a hand-written stylesheet only — no antd, router, react-query or i18next — so a phone on a slow
 * line opens it quickly (issue 10: first load < 150 KB gzip). The other phone pages stay in the console.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './phone.css';
import { lang, t } from './i18n.ts';
import { RegisterPage } from './RegisterPage.tsx';

/** /r/<token>: the token is the path's last segment. */
function tokenFromPath(pathname: string): string {
  const segment = pathname.replace(/\/+$/, '').split('/').pop() ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

document.documentElement.lang = lang;
document.title = t('register.pageTitle');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RegisterPage token={tokenFromPath(location.pathname)} />
  </StrictMode>,
);
