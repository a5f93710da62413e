import { describe, expect, it } from 'vitest';
import { distanceMeters, gcj02ToWgs84, type LngLat, toWgs84, wgs84ToGcj02 } from './geo.ts';

describe('GCJ-02 ↔ WGS-84', () => {
  it('the forward formula gives the published eviltransform value (Beijing)', () => {
    // eviltransform's test vector: WGS-84 39.915, 116.404 → GCJ-02 39.91640428150164, 116.41024449916938
    const [lng, lat] = wgs84ToGcj02([116.404, 39.915]);
    expect(lng).toBeCloseTo(116.41024449916938, 9);
    expect(lat).toBeCloseTo(39.91640428150164, 9);
  });

  it('the inverse brings a forward-transformed point back within 0.5 m, all over China', () => {
    const points: LngLat[] = [
      [116.404, 39.915], // Beijing
      [120.5005, 30.0005], // Shaoxing, the test squares
      [121.4737, 31.2304], // Shanghai
      [87.6168, 43.8256], // Ürümqi
      [126.535, 45.8038], // Harbin
      [109.5119, 18.2528], // Sanya
    ];
    for (const p of points) {
      const gcj = wgs84ToGcj02(p);
      expect(distanceMeters(p, gcj), `offset at ${p}`).toBeGreaterThan(50); // GCJ-02 moves points by 100s of m
      expect(distanceMeters(p, gcj02ToWgs84(gcj)), `round trip at ${p}`).toBeLessThan(0.5);
    }
  });

  it('outside China positions are unchanged both ways', () => {
    for (const p of [
      [2.3522, 48.8566],
      [139.6917, 35.6895],
      [151.2093, -33.8688],
      [-74.006, 40.7128],
    ] as LngLat[]) {
      expect(gcj02ToWgs84(p)).toEqual(p);
      expect(wgs84ToGcj02(p)).toEqual(p);
    }
  });

  it('toWgs84 converts only GCJ-02', () => {
    expect(toWgs84([120.5, 30], 'wgs84')).toEqual([120.5, 30]);
    expect(toWgs84(wgs84ToGcj02([120.5, 30]), 'gcj02')[0]).toBeCloseTo(120.5, 6);
  });
});
