import { useSyncExternalStore } from 'react';

const KEY = 'jingwei.map.tiandituKey';
const listeners = new Set<() => void>();

/**
 * 天地图 key of this browser. Kept in localStorage (key `jingwei.map.tiandituKey`): without one the
 * maps draw on a blank base and request no tiles at all.
 */
export function getTiandituKey(): string {
  try {
    return localStorage.getItem(KEY)?.trim() ?? '';
  } catch {
    return '';
  }
}

export function setTiandituKey(value: string): void {
  try {
    if (value.trim()) localStorage.setItem(KEY, value.trim());
    else localStorage.removeItem(KEY);
  } catch {
    // private mode: nothing to keep
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => {
    if (e.key === KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function useTiandituKey(): string {
  return useSyncExternalStore(subscribe, getTiandituKey, () => '');
}
