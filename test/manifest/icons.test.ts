/**
 * The committed icons follow Microsoft's rules (color 192×192 full-bleed, outline 32×32 white on
 * transparent) and are what scripts/make-icons.ts draws.
 * https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package#app-icons
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { MANIFEST_DIR, pngSize } from '../../scripts/package-app';
import { drawColorIcon, drawOutlineIcon } from '../../scripts/make-icons';

function read(file: string): { header: ReturnType<typeof pngSize>; png: PNG } {
  const bytes = fs.readFileSync(path.join(MANIFEST_DIR, file));
  return { header: pngSize(bytes), png: PNG.sync.read(bytes) };
}

/** Largest per-channel difference: the drawing uses floating point, so allow rounding at edges. */
function maxDifference(a: Buffer, b: Buffer): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

function pixels(png: PNG): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (let i = 0; i < png.data.length; i += 4) {
    out.push([png.data[i] as number, png.data[i + 1] as number, png.data[i + 2] as number, png.data[i + 3] as number]);
  }
  return out;
}

describe('color.png', () => {
  const { header, png } = read('color.png');

  it('is 192×192', () => {
    expect([header.width, header.height]).toEqual([192, 192]);
  });

  it('is full-bleed: every pixel opaque, corners in the brand colour', () => {
    expect(pixels(png).every(([, , , a]) => a === 255)).toBe(true);
    const corner = [png.data[0], png.data[1], png.data[2]];
    expect(corner).toEqual([0x1f, 0x4e, 0x79]);
  });

  it('shows red, amber and green', () => {
    const colours = new Set(pixels(png).map(([r, g, b]) => `${r},${g},${b}`));
    for (const rag of ['209,52,56', '247,169,13', '46,139,58']) expect(colours.has(rag)).toBe(true);
  });

  it('is what scripts/make-icons.ts draws', () => {
    expect(maxDifference(png.data, drawColorIcon().data)).toBeLessThanOrEqual(2);
  });
});

describe('outline.png', () => {
  const { header, png } = read('outline.png');

  it('is 32×32 with an alpha channel (RGBA)', () => {
    expect([header.width, header.height]).toEqual([32, 32]);
    expect(header.colorType).toBe(6);
  });

  it('has a transparent background', () => {
    const all = pixels(png);
    const transparent = all.filter(([, , , a]) => a === 0).length;
    expect(transparent).toBeGreaterThan(all.length / 2);
    expect(png.data[3]).toBe(0); // top-left corner
  });

  it('is white wherever it is not transparent', () => {
    const drawn = pixels(png).filter(([, , , a]) => a > 0);
    expect(drawn.length).toBeGreaterThan(50);
    expect(drawn.every(([r, g, b]) => r === 255 && g === 255 && b === 255)).toBe(true);
  });

  it('is what scripts/make-icons.ts draws', () => {
    expect(maxDifference(png.data, drawOutlineIcon().data)).toBeLessThanOrEqual(2);
  });
});
