import { TileLayer } from 'react-leaflet';
import { useTiandituKey } from './settings.ts';

const SUBDOMAINS = ['0', '1', '2', '3', '4', '5', '6', '7'];

function tiandituUrl(layer: 'vec' | 'cva', key: string): string {
  return (
    `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}` +
    `&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`
  );
}

/** 天地图 vector map and its annotation layer when a key is set; nothing (a blank base) otherwise. */
export function BaseLayers() {
  const key = useTiandituKey();
  if (!key) return null;
  return (
    <>
      <TileLayer
        key={`vec-${key}`}
        url={tiandituUrl('vec', key)}
        subdomains={SUBDOMAINS}
        maxZoom={18}
        attribution="© 天地图"
      />
      <TileLayer key={`cva-${key}`} url={tiandituUrl('cva', key)} subdomains={SUBDOMAINS} maxZoom={18} />
    </>
  );
}
