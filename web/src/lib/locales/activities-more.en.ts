import type { activitiesMoreZhCN } from './activities-more.zh-CN.ts';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

/** Activities (more): plan approval level and the youth's call inbox — English. */
export const activitiesMoreEn: Shape<typeof activitiesMoreZhCN> = {
  settings: {
    tab: 'Approval',
    title: 'Who approves activity plans',
    planApprover: 'Plans are approved by',
    hint: 'The org of this level, or any org above it, may approve or return a plan; the proposing org never approves its own. A change applies at once to plans awaiting approval.',
    level: {
      parent: 'The org directly above (default)',
      town: 'The town (street) committee above',
      district: 'The district committee',
    },
    readOnly: 'Only district admins can change this',
    saved: 'Approval level saved',
  },
  inbox: {
    title: 'My calls',
    hello: '{{name}}, these calls were sent to you',
    empty: 'No call is taking sign-ups right now',
    from: 'From: {{org}}',
    time: 'When: {{start}} – {{end}}',
    venue: 'Where: {{venue}}',
    closes: 'Sign-up closes: {{time}}',
    placesLeft: '{{count}} places left',
    full: 'Full: you can join the waiting list',
    signup: 'Sign up',
    signedUp: 'Signed up',
    withdrawn: 'The sign-up code was withdrawn',
    expires: 'This link is valid until {{time}} and is yours only; please do not forward it.',
    invalid: 'This link is not valid',
  },
};
