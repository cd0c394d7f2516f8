/**
 * Draws the two Teams app icons and writes them to manifest/ (run `npx tsx scripts/make-icons.ts`).
 *
 * Microsoft's rules (https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package#app-icons):
 * - color.png: 192×192, full colour, the motif on a full-bleed background;
 * - outline.png: 32×32, white (#FFFFFF) on a transparent background, no other colour.
 *
 * The motif is a plan card with three rows, each a RAG status dot and a line of text:
 * red, amber and green on the brand blue for the colour icon; the same rows in white for the outline.
 * Shapes are drawn from signed distances with 4×4 supersampling, so edges are anti-aliased and
 * the output is the same on every machine (the test compares the committed PNGs with these pixels).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

export const BRAND_BLUE = '#1F4E79';

type Rgb = readonly [number, number, number];
/** Returns coverage of a shape at a point: negative distance is inside. */
type Sdf = (x: number, y: number) => number;

interface Layer {
  shape: Sdf;
  color: Rgb;
}

export interface Raster {
  width: number;
  height: number;
  /** RGBA, row-major, 4 bytes a pixel. */
  data: Buffer;
}

function hex(color: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) throw new Error(`not a #rrggbb colour: ${color}`);
  return [parseInt(m[1] as string, 16), parseInt(m[2] as string, 16), parseInt(m[3] as string, 16)];
}

function circle(cx: number, cy: number, r: number): Sdf {
  return (x, y) => Math.hypot(x - cx, y - cy) - r;
}

function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): Sdf {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const hx = (x1 - x0) / 2 - r;
  const hy = (y1 - y0) / 2 - r;
  return (x, y) => {
    const qx = Math.abs(x - cx) - hx;
    const qy = Math.abs(y - cy) - hy;
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
  };
}

const SAMPLES = 4;

/**
 * Renders layers over a background (null = transparent) with SAMPLES×SAMPLES supersampling.
 * Colours are composited per sample, then averaged (premultiplied), so edges blend correctly.
 */
function render(size: number, background: Rgb | null, layers: readonly Layer[]): Raster {
  const data = Buffer.alloc(size * size * 4);
  const n = SAMPLES * SAMPLES;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = px + (sx + 0.5) / SAMPLES;
          const y = py + (sy + 0.5) / SAMPLES;
          let color: Rgb | null = background;
          for (const layer of layers) {
            if (layer.shape(x, y) <= 0) color = layer.color;
          }
          if (color) {
            r += color[0];
            g += color[1];
            b += color[2];
            a += 1;
          }
        }
      }
      const i = (py * size + px) * 4;
      // Un-premultiply: the colour of the covered samples, alpha from the coverage.
      data[i] = a ? Math.round(r / a) : 0;
      data[i + 1] = a ? Math.round(g / a) : 0;
      data[i + 2] = a ? Math.round(b / a) : 0;
      data[i + 3] = Math.round((a / n) * 255);
    }
  }
  return { width: size, height: size, data };
}

/** 192×192 colour icon: a white plan card with red/amber/green rows on the brand blue. */
export function drawColorIcon(): Raster {
  const white = hex('#FFFFFF');
  const line = hex('#B9C7D6');
  const rows: Array<[number, Rgb]> = [
    [64, hex('#D13438')], // red
    [96, hex('#F7A90D')], // amber
    [128, hex('#2E8B3A')], // green
  ];
  const layers: Layer[] = [{ shape: roundedRect(34, 30, 158, 162, 18), color: white }];
  for (const [cy, rag] of rows) {
    layers.push({ shape: circle(66, cy, 11), color: rag });
    layers.push({ shape: roundedRect(88, cy - 5, 138, cy + 5, 5), color: line });
  }
  return render(192, hex(BRAND_BLUE), layers);
}

/** 32×32 outline icon: the same three rows, white on transparent. */
export function drawOutlineIcon(): Raster {
  const white = hex('#FFFFFF');
  const layers: Layer[] = [];
  for (const cy of [8, 16, 24]) {
    layers.push({ shape: circle(8, cy, 3), color: white });
    layers.push({ shape: roundedRect(14, cy - 1.5, 27, cy + 1.5, 1.5), color: white });
  }
  return render(32, null, layers);
}

/** Encodes a raster: RGB (colour type 2) when opaque, else RGBA (colour type 6). */
export function encodePng(raster: Raster, opaque: boolean): Buffer {
  const png = new PNG({ width: raster.width, height: raster.height });
  raster.data.copy(png.data);
  return PNG.sync.write(png, { colorType: opaque ? 2 : 6 });
}

export function writeIcons(dir: string): { color: string; outline: string } {
  const color = path.join(dir, 'color.png');
  const outline = path.join(dir, 'outline.png');
  fs.writeFileSync(color, encodePng(drawColorIcon(), true));
  fs.writeFileSync(outline, encodePng(drawOutlineIcon(), false));
  return { color, outline };
}

if (require.main === module) {
  const written = writeIcons(path.resolve(__dirname, '..', 'manifest'));
  console.log(`wrote ${path.relative(process.cwd(), written.color)} and ${path.relative(process.cwd(), written.outline)}`);
}
