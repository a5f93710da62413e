import type { securityZhCN } from './security.zh-CN.ts';

type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };

/** Authenticator (two-factor) — English; every key of security.zh-CN.ts, checked by the type. */
export const securityEn: DeepStrings<typeof securityZhCN> = {
  title: 'Authenticator (two-factor)',
  menu: 'Two-factor',
  mustEnrol:
    'Under this installation’s security policy (MLPS level 3) administrator accounts must set up an authenticator app before going on.',
  intro:
    'Scan the QR code with an authenticator app on your phone (Tencent Authenticator mini program, Google Authenticator, Microsoft Authenticator …), then enter the 6-digit code it shows.',
  start: 'Show the QR code',
  secret: 'Key to type in if you cannot scan',
  code: '6-digit code',
  codeRequired: 'Enter the 6-digit code',
  confirm: 'Finish setup',
  enabled: 'An authenticator is set up. Each login asks for its code.',
  enabledSuccess: 'Authenticator set up',
  notEnabled: 'No authenticator yet. Once set up, logging in needs the code from your phone as well as the password.',
  lostPhone:
    'If you change or lose your phone, ask an administrator above you to reset the authenticator on the Accounts page.',
  loginCode: 'Authenticator code',
  loginCodeHint: 'Open the authenticator on your phone and enter the 6-digit code for Jingwei',
  resetAction: 'Reset authenticator',
  resetConfirm:
    'Remove the authenticator of “{{name}}”? The account sets one up again at its next login (if the policy requires it).',
  resetDone: 'Authenticator of {{username}} reset',
};
