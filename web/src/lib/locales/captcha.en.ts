import type { captchaZhCN, registerMoreZhCN } from './captcha.zh-CN.ts';

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

export const captchaEn: Strings<typeof captchaZhCN> = {
  label: 'Picture code',
  placeholder: 'Characters in the picture',
  alt: 'Picture code; tap for another',
  refresh: 'Another picture',
  loadFailed: 'Not loaded',
  hint: 'Many attempts: type the characters in the picture (any case)',
  required: 'Please enter the picture code',
};

export const registerMoreEn: Strings<typeof registerMoreZhCN> = {
  locate: 'Suggest a grid from my location',
  locating: 'Getting your location…',
  locateDenied: 'Your location is not available (not allowed or not supported); please fill in the form',
  locateNone: 'No grid of this organisation within 500 m: you will be registered with the organisation',
  suggestion: 'You seem to be in “{{grid}}” ({{org}}). Register there?',
  suggestionNear: 'The nearest grid is “{{grid}}” ({{org}}, about {{meters}} m). Register there?',
  useSuggestion: 'Register in this grid',
  dismiss: 'No, thanks',
  chosenGrid: 'Grid: {{grid}}',
  clearGrid: 'Register with the organisation instead',
  known: {
    open: 'Already in the youth registry? Confirm with one tap',
    title: 'One-tap confirm',
    intro:
      'Enter your mobile and ID number (or birth date); once we find your registration you can join without the form.',
    find: 'Find my registration',
    found: 'We found your registration: {{name}}',
    alreadyHere: 'You are already registered in this grid; nothing more to do.',
    notFound: 'No matching registration: please fill in the form below (your mobile is filled in).',
    confirm: 'That’s me: I accept the privacy notice, join “{{place}}”',
    cancel: 'Back to the form',
  },
};
