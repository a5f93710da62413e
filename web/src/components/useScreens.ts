import { useSyncExternalStore } from 'react';

/** antd's breakpoints (min widths), as Grid.useBreakpoint reports them. */
const QUERIES = {
  sm: '(min-width: 576px)',
  md: '(min-width: 768px)',
  lg: '(min-width: 992px)',
  xl: '(min-width: 1200px)',
} as const;

export type Screens = Record<keyof typeof QUERIES, boolean>;

let lists: [keyof Screens, MediaQueryList][] | null = null;
let snapshot: Screens | null = null;

const mediaLists = () => {
  lists ??= (Object.keys(QUERIES) as (keyof Screens)[]).map((k) => [k, window.matchMedia(QUERIES[k])]);
  return lists;
};

function read(): Screens {
  const next = Object.fromEntries(mediaLists().map(([k, l]) => [k, l.matches])) as Screens;
  if (!snapshot || mediaLists().some(([k]) => snapshot![k] !== next[k])) snapshot = next;
  return snapshot;
}

function subscribe(onChange: () => void): () => void {
  for (const [, l] of mediaLists()) l.addEventListener('change', onChange);
  return () => {
    for (const [, l] of mediaLists()) l.removeEventListener('change', onChange);
  };
}

/**
 * The screen's breakpoints, right from the first render. antd's Grid.useBreakpoint starts empty and fills in from a
 * layout effect, which re-rendered the whole console layout (and the page inside it) synchronously once more
 * right after it mounted (issue 10: the dashboard's longest main-thread task).
 */
export function useScreens(): Screens {
  return useSyncExternalStore(subscribe, read);
}
