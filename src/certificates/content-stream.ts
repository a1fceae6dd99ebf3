import { AppError } from '../core/errors.ts';
import type { PreparedFont } from './fonts.ts';
import type { Line, Rgb } from './layout.ts';

/**
 * A PDF page content stream written as text: the handful of operators a certificate needs (text
 * in an embedded font, lines, rectangles, circles). Writing them directly, rather than through
 * pdf-lib's drawing calls (which lay text out with fontkit on every call), keeps a certificate
 * within a few milliseconds.
 */
export class ContentStream {
  private readonly parts: string[] = [];

  /** `fonts` maps each prepared font to its resource name on the page (/F1, /F2). */
  constructor(private readonly fonts: ReadonlyMap<PreparedFont, string>) {}

  raw(operators: string): this {
    this.parts.push(operators);
    return this;
  }

  fill(color: Rgb): this {
    return this.raw(`${num(color[0])} ${num(color[1])} ${num(color[2])} rg`);
  }

  stroke(color: Rgb): this {
    return this.raw(`${num(color[0])} ${num(color[1])} ${num(color[2])} RG`);
  }

  /** Text with its baseline starting at (x, y); `spacing` adds room after each letter. */
  text(font: PreparedFont, size: number, x: number, y: number, text: string, color: Rgb, spacing = 0): this {
    if (!text) return this;
    this.fill(color);
    const tc = spacing ? `${num(spacing)} Tc ` : '';
    const reset = spacing ? ' 0 Tc' : '';
    return this.raw(`BT /${this.fontName(font)} ${num(size)} Tf ${tc}${num(x)} ${num(y)} Td <${font.encode(text)}> Tj${reset} ET`);
  }

  /** Text turned by `angle` radians about its start (x, y). */
  rotatedText(font: PreparedFont, size: number, x: number, y: number, angle: number, text: string, color: Rgb): this {
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    this.fill(color);
    return this.raw(
      `BT /${this.fontName(font)} ${num(size)} Tf ${num(c)} ${num(s)} ${num(-s)} ${num(c)} ${num(x)} ${num(y)} Tm <${font.encode(text)}> Tj ET`,
    );
  }

  line(line: Line): this {
    this.stroke(line.color);
    const dash = line.dash?.length ? `[${line.dash.map(num).join(' ')}] 0 d ` : '';
    const undash = line.dash?.length ? ' [] 0 d' : '';
    return this.raw(`${dash}${num(line.width)} w ${num(line.x1)} ${num(line.y1)} m ${num(line.x2)} ${num(line.y2)} l S${undash}`);
  }

  strokeRect(x: number, y: number, width: number, height: number, lineWidth: number, color: Rgb): this {
    this.stroke(color);
    return this.raw(`${num(lineWidth)} w ${num(x)} ${num(y)} ${num(width)} ${num(height)} re S`);
  }

  fillRect(x: number, y: number, width: number, height: number, color: Rgb): this {
    this.fill(color);
    return this.raw(`${num(x)} ${num(y)} ${num(width)} ${num(height)} re f`);
  }

  /** A circle from four Bézier quarters (k = 0.5523 is the usual control distance). */
  circle(cx: number, cy: number, r: number, lineWidth: number, color: Rgb, dash: number[] = []): this {
    const k = 0.5523 * r;
    this.stroke(color);
    return this.raw(
      [
        dash.length ? `[${dash.map(num).join(' ')}] 0 d` : '',
        `${num(lineWidth)} w ${num(cx + r)} ${num(cy)} m`,
        `${num(cx + r)} ${num(cy + k)} ${num(cx + k)} ${num(cy + r)} ${num(cx)} ${num(cy + r)} c`,
        `${num(cx - k)} ${num(cy + r)} ${num(cx - r)} ${num(cy + k)} ${num(cx - r)} ${num(cy)} c`,
        `${num(cx - r)} ${num(cy - k)} ${num(cx - k)} ${num(cy - r)} ${num(cx)} ${num(cy - r)} c`,
        `${num(cx + k)} ${num(cy - r)} ${num(cx + r)} ${num(cy - k)} ${num(cx + r)} ${num(cy)} c S`,
        dash.length ? '[] 0 d' : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
  }

  /** A filled square standing on its point. */
  diamond(cx: number, cy: number, r: number, color: Rgb): this {
    this.fill(color);
    return this.raw(`${num(cx)} ${num(cy + r)} m ${num(cx + r)} ${num(cy)} l ${num(cx)} ${num(cy - r)} l ${num(cx - r)} ${num(cy)} l f`);
  }

  toString(): string {
    return this.parts.join('\n');
  }

  private fontName(font: PreparedFont): string {
    const name = this.fonts.get(font);
    if (!name) throw new AppError('internal', 'a certificate font was drawn without being added to the page');
    return name;
  }
}

/** A number as PDF writes it: at most three decimals, no exponent, no trailing zeros. */
export function num(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}
