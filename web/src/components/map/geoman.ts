import '@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css';
// types only: geoman augments Leaflet's (map.pm, pm:create …)
import type {} from '@geoman-io/leaflet-geoman-free';
import geomanUrl from '@geoman-io/leaflet-geoman-free?url';
import { L } from './leaflet.ts';

let loading: Promise<void> | null = null;

/**
 * Loads leaflet-geoman (drawing and editing) on first use. It is a script that extends the global
 * `L`, so it is served as a file of its own (same origin, CSP-safe) and run after `L` is set: bundled
 * with the vendor code it would run before Leaflet is global.
 */
export function loadGeoman(): Promise<void> {
  (window as unknown as { L: typeof L }).L = L;
  loading ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = geomanUrl;
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => {
      loading = null;
      reject(new Error('leaflet-geoman failed to load'));
    };
    document.head.appendChild(script);
  });
  return loading;
}
