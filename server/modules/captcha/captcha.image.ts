import crypto from 'node:crypto';
import { CAPTCHA_ALPHABET, CAPTCHA_LENGTH } from '../../../domain/captcha.ts';

/**
 * Draws a captcha as SVG strokes: every character is a hand-made polyline "font" (10 × 16 units),
 * each point jittered, the glyph scaled, rotated and sheared at random, drawn as quadratic curves, with
 * crossing noise curves and dots in similar colours. The answer never appears as <text>, so reading it
 * takes recognising shapes, not parsing the file. No font file or image library needed.
 */
const GLYPHS: Record<string, [number, number][][]> = {
  '2': [
    [
      [1, 4],
      [2, 1.5],
      [5, 0.5],
      [8, 1.5],
      [9, 4],
      [8, 7],
      [1, 16],
      [9, 16],
    ],
  ],
  '3': [
    [
      [1, 2],
      [4, 0.5],
      [8, 1.5],
      [8.5, 4.5],
      [5, 7.5],
      [8.5, 10],
      [9, 13],
      [7, 15.5],
      [4, 16],
      [1, 14.5],
    ],
  ],
  '4': [
    [
      [7, 16],
      [7, 0],
      [0.5, 11],
      [9.5, 11],
    ],
  ],
  '5': [
    [
      [9, 0.5],
      [2, 0.5],
      [1.5, 7],
      [5, 6],
      [8, 7.5],
      [9, 11],
      [8, 14.5],
      [5, 16],
      [1, 14.5],
    ],
  ],
  '6': [
    [
      [8, 1],
      [5, 0.5],
      [2, 3],
      [1, 8],
      [1, 12],
      [3, 15.5],
      [6, 16],
      [8.5, 13.5],
      [8.5, 10],
      [6, 8],
      [3, 8.5],
      [1, 11],
    ],
  ],
  '7': [
    [
      [1, 0.5],
      [9, 0.5],
      [4, 16],
    ],
  ],
  '9': [
    [
      [9, 5],
      [7, 8],
      [4, 8.5],
      [1.5, 6.5],
      [1.5, 3],
      [4, 0.5],
      [7, 0.7],
      [9, 3.5],
      [9, 9],
      [7, 14],
      [4, 16],
      [1.5, 15],
    ],
  ],
  A: [
    [
      [0.5, 16],
      [5, 0],
      [9.5, 16],
    ],
    [
      [2.3, 10],
      [7.7, 10],
    ],
  ],
  C: [
    [
      [9, 2.5],
      [6.5, 0.5],
      [3.5, 0.5],
      [1, 4],
      [1, 12],
      [3.5, 15.5],
      [6.5, 15.5],
      [9, 13.5],
    ],
  ],
  E: [
    [
      [9, 0.5],
      [1, 0.5],
      [1, 15.5],
      [9, 15.5],
    ],
    [
      [1, 8],
      [7, 8],
    ],
  ],
  F: [
    [
      [9, 0.5],
      [1, 0.5],
      [1, 16],
    ],
    [
      [1, 8],
      [7, 8],
    ],
  ],
  H: [
    [
      [1, 0],
      [1, 16],
    ],
    [
      [9, 0],
      [9, 16],
    ],
    [
      [1, 8],
      [9, 8],
    ],
  ],
  K: [
    [
      [1, 0],
      [1, 16],
    ],
    [
      [9, 0],
      [1, 10],
    ],
    [
      [3.5, 7.5],
      [9, 16],
    ],
  ],
  M: [
    [
      [0.5, 16],
      [1, 0],
      [5, 10],
      [9, 0],
      [9.5, 16],
    ],
  ],
  N: [
    [
      [1, 16],
      [1, 0],
      [9, 16],
      [9, 0],
    ],
  ],
  P: [
    [
      [1, 16],
      [1, 0.5],
      [6, 0.5],
      [8.5, 2],
      [9, 4.5],
      [8.5, 7],
      [6, 8.5],
      [1, 8.5],
    ],
  ],
  R: [
    [
      [1, 16],
      [1, 0.5],
      [6, 0.5],
      [8.5, 2],
      [9, 4.5],
      [8.5, 7],
      [6, 8.5],
      [1, 8.5],
    ],
    [
      [5, 8.5],
      [9, 16],
    ],
  ],
  T: [
    [
      [0.5, 0.5],
      [9.5, 0.5],
    ],
    [
      [5, 0.5],
      [5, 16],
    ],
  ],
  X: [
    [
      [1, 0],
      [9, 16],
    ],
    [
      [9, 0],
      [1, 16],
    ],
  ],
  Y: [
    [
      [1, 0],
      [5, 8],
    ],
    [
      [9, 0],
      [5, 8],
      [5, 16],
    ],
  ],
};

const WIDTH = 160;
const HEIGHT = 56;
const rnd = (min: number, max: number) => min + Math.random() * (max - min);
const f = (n: number) => n.toFixed(1);
const color = () => `hsl(${Math.floor(rnd(0, 360))},${Math.floor(rnd(45, 75))}%,${Math.floor(rnd(25, 42))}%)`;

/** A random answer of CAPTCHA_LENGTH characters of the alphabet (crypto-random). */
export function randomCaptchaText(): string {
  let text = '';
  for (let i = 0; i < CAPTCHA_LENGTH; i++) text += CAPTCHA_ALPHABET[crypto.randomInt(CAPTCHA_ALPHABET.length)];
  return text;
}

/** Glyphs drawn as curves; the others keep their corners (A, K, M, N … must stay sharp to be read). */
const CURVED = new Set('23569CPR');

/** A path through the points: straight segments, or quadratic curves with the points as controls. */
function curve(points: [number, number][], smooth: boolean): string {
  if (!smooth) return points.map(([x, y], i) => `${i ? 'L' : 'M'}${f(x)} ${f(y)}`).join('');
  if (points.length === 2) return `M${f(points[0][0])} ${f(points[0][1])}L${f(points[1][0])} ${f(points[1][1])}`;
  let d = `M${f(points[0][0])} ${f(points[0][1])}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [x, y] = points[i];
    const [nx, ny] = points[i + 1];
    const last = i === points.length - 2;
    d += `Q${f(x)} ${f(y)} ${f(last ? nx : (x + nx) / 2)} ${f(last ? ny : (y + ny) / 2)}`;
  }
  return d;
}

/** The SVG document of `text` (characters of CAPTCHA_ALPHABET). */
export function drawCaptcha(text: string): string {
  const parts: string[] = [];
  const cell = (WIDTH - 16) / text.length;
  for (let i = 0; i < text.length; i++) {
    const glyph = GLYPHS[text[i]];
    const scale = rnd(2.0, 2.5);
    const angle = (rnd(-18, 18) * Math.PI) / 180;
    const shear = rnd(-0.25, 0.25);
    const cx = 8 + cell * (i + 0.5) + rnd(-3, 3);
    const cy = HEIGHT / 2 + rnd(-4, 4);
    const place = ([x, y]: [number, number]): [number, number] => {
      const px = (x - 5 + rnd(-0.5, 0.5)) * scale;
      const py = (y - 8 + rnd(-0.5, 0.5)) * scale;
      const sx = px + shear * py;
      return [cx + sx * Math.cos(angle) - py * Math.sin(angle), cy + sx * Math.sin(angle) + py * Math.cos(angle)];
    };
    const d = glyph.map((stroke) => curve(stroke.map(place), CURVED.has(text[i]))).join('');
    parts.push(
      `<path d="${d}" fill="none" stroke="${color()}" stroke-width="${f(rnd(2.2, 3.2))}" stroke-linecap="round" stroke-linejoin="round"/>`,
    );
  }
  for (let i = 0; i < 4; i++) {
    const y = () => rnd(6, HEIGHT - 6);
    parts.push(
      `<path d="M${f(rnd(0, 20))} ${f(y())}C${f(rnd(30, 70))} ${f(rnd(-20, HEIGHT + 20))} ${f(rnd(90, 130))} ${f(rnd(-20, HEIGHT + 20))} ${f(rnd(140, WIDTH))} ${f(y())}" fill="none" stroke="${color()}" stroke-width="${f(rnd(0.8, 1.6))}"/>`,
    );
  }
  for (let i = 0; i < 24; i++) {
    parts.push(
      `<circle cx="${f(rnd(0, WIDTH))}" cy="${f(rnd(0, HEIGHT))}" r="${f(rnd(0.6, 1.6))}" fill="${color()}"/>`,
    );
  }
  const background = `hsl(${Math.floor(rnd(0, 360))},40%,95%)`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}"><rect width="100%" height="100%" fill="${background}"/>${parts.join('')}</svg>`;
}
