import type { CertificateRow, CertificateTemplate, LocalText, ValueTemplate } from './templates.ts';

/**
 * The page geometry of a certificate, computed from its template alone (no fonts, no values): a
 * printed form has fixed places, so every certificate of a template puts each value in the same
 * box, and the renderer can draw the unchanging part once and reuse it. A value that is too long
 * for its box is shrunk or wrapped inside it (text-fit.ts), never pushing the rows below.
 * Coordinates are PDF points from the lower left corner of an A4 page.
 */

export type Rgb = readonly [number, number, number];

export const colors = {
  ink: [0.07, 0.09, 0.16] as Rgb,
  label: [0.22, 0.24, 0.3] as Rgb,
  secondLabel: [0.42, 0.44, 0.5] as Rgb,
  /** the deep blue of the heading, border and rules: dark enough for a black-and-white printer */
  accent: [0.04, 0.27, 0.44] as Rgb,
  rule: [0.62, 0.66, 0.72] as Rgb,
  tint: [0.93, 0.96, 0.98] as Rgb,
  watermark: [0.75, 0.12, 0.12] as Rgb,
};

export const page = { width: 595.28, height: 841.89 };
/** the double frame: outer line, an ornamented band, inner line */
export const frame = { outer: 22, inner: 32 };
const left = 48;
const right = page.width - 48;
const labelWidth = 172;
const valueX = 228;
const footerTop = 188;

/** A fixed piece of text: a title, a label, a caption. */
export interface TextSpot {
  text: string;
  x: number;
  /** baseline */
  y: number;
  /** the text shrinks to this width when longer */
  maxWidth: number;
  size: number;
  bold: boolean;
  align: 'left' | 'center' | 'right';
  color: Rgb;
  /** extra space between letters, in points (spaced capitals of headings) */
  spacing?: number;
}

/** A box a value is printed in: one line, or two smaller lines when it is too long for one. */
export interface ValueBox {
  x: number;
  /** baseline of a one-line value */
  y: number;
  width: number;
  size: number;
  /** the height the value may use (two wrapped lines share it) */
  lineHeight: number;
  bold: boolean;
  align: 'left' | 'right';
}

/** One value to fill in: which template text, in which language (null: all languages, joined). */
export interface ValueSpot {
  value: ValueTemplate;
  language: string | null;
  box: ValueBox;
  /** the template field, for error messages */
  field: string;
}

export interface Line {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  width: number;
  color: Rgb;
  dash?: number[];
}

export interface CertificateLayout {
  texts: TextSpot[];
  lines: Line[];
  /** the copy/extract marking's frame */
  boxes: { x: number; y: number; width: number; height: number; color: Rgb; lineWidth: number }[];
  stamp: { cx: number; cy: number; r: number };
  /** small filled diamonds: the heading's ornament */
  diamonds: { cx: number; cy: number; r: number }[];
  values: ValueSpot[];
  qr: { x: number; y: number; size: number };
  /** where the rows ended and where the footer starts: the rows must end above it */
  rowsEnd: number;
  rowsLimit: number;
}

const labelSizes = [7.8, 7.2, 7.2];
const labelLeading = 8.8;
const valueSize = 10.5;
const emphasisSize = 12.5;
const valueLeading = 13.5;

const joined = (text: LocalText, languages: readonly string[]) => languages.map((l) => text[l]!).join(' / ');

function labelTexts(label: LocalText, languages: readonly string[], x: number, top: number, width: number): TextSpot[] {
  return languages.map((language, i) => ({
    text: label[language]!,
    x,
    y: top - 8 - i * labelLeading,
    maxWidth: width,
    size: labelSizes[i] ?? 7.2,
    bold: false,
    align: 'left' as const,
    color: i === 0 ? colors.label : colors.secondLabel,
  }));
}

/** Whether a row prints one line per language (its value differs by language). */
type PerLanguage = (row: { value: ValueTemplate; languages?: 'stack' | 'join' }) => boolean;

/**
 * A labelled row at `top`: the label's languages stacked on the left, the value (a line per
 * language, or one) on the right over a thin rule. Returns the row's height.
 */
function placeRow(
  layout: CertificateLayout,
  row: CertificateRow,
  field: string,
  top: number,
  languages: readonly string[],
  perLanguage: PerLanguage,
  valueRight: number,
): number {
  layout.texts.push(...labelTexts(row.label, languages, left, top, labelWidth));
  const stacked = perLanguage(row) ? languages : [null];
  const size = row.emphasis ? emphasisSize : valueSize;
  stacked.forEach((language, i) => {
    const y = top - (row.emphasis ? 13 : 12) - i * valueLeading;
    layout.values.push({
      value: row.value,
      language,
      field,
      box: { x: valueX, y, width: valueRight - valueX, size, lineHeight: valueLeading, bold: true, align: 'left' },
    });
    layout.lines.push({ x1: valueX, y1: y - 3.5, x2: valueRight, y2: y - 3.5, width: 0.4, color: colors.rule, dash: [1, 1.5] });
  });
  const labelHeight = languages.length * labelLeading + 2;
  const valueHeight = (row.emphasis ? 3 : 1.5) + stacked.length * valueLeading;
  return Math.max(labelHeight, valueHeight) + 4;
}

/** Lays out a template on A4. Pure: the same template always gives the same places. */
export function layoutCertificate(template: CertificateTemplate, perLanguage: PerLanguage): CertificateLayout {
  const languages = template.languages;
  const layout: CertificateLayout = {
    texts: [],
    lines: [],
    boxes: [],
    stamp: { cx: 138, cy: 120, r: 33 },
    diamonds: [],
    values: [],
    qr: { x: template.qr.x, y: template.qr.y, size: template.qr.size },
    rowsEnd: 0,
    rowsLimit: 0,
  };
  const center = page.width / 2;
  const top = page.height - frame.inner;

  // Heading: the state's name in every language, an ornament, the title, the subtitle.
  let y = top - 30;
  languages.forEach((language, i) => {
    layout.texts.push({
      text: template.state[language]!,
      x: center,
      y,
      maxWidth: 250,
      size: i === 0 ? 11 : 9.5,
      bold: true,
      align: 'center',
      color: colors.accent,
      spacing: i === 0 ? 1.4 : 1,
    });
    y -= 14;
  });
  y += 2;
  layout.lines.push({ x1: center - 70, y1: y, x2: center - 8, y2: y, width: 0.8, color: colors.accent });
  layout.lines.push({ x1: center + 8, y1: y, x2: center + 70, y2: y, width: 0.8, color: colors.accent });
  layout.diamonds.push({ cx: center, cy: y, r: 4 });
  y -= 30;
  languages.forEach((language, i) => {
    layout.texts.push({
      text: template.title[language]!,
      x: center,
      y,
      maxWidth: right - left - 40,
      size: i === 0 ? 21 : 15,
      bold: true,
      align: 'center',
      color: colors.ink,
      spacing: i === 0 ? 0.6 : 0.3,
    });
    y -= i === 0 ? 20 : 17;
  });
  if (template.subtitle) {
    layout.texts.push({
      text: joined(template.subtitle, languages),
      x: center,
      y: y + 2,
      maxWidth: right - left - 60,
      size: 9,
      bold: false,
      align: 'center',
      color: colors.label,
    });
    y -= 13;
  }
  // The marking (copy, extract) in a frame at the top left, the form's number at the top right:
  // both beside the heading, so a copy has the same room for its rows as the original.
  const headTop = top - 22;
  if (template.marking) {
    const lines = languages.map((l) => template.marking![l]!);
    const height = 10 + lines.length * 14;
    layout.boxes.push({ x: left, y: headTop - height, width: 112, height, color: colors.accent, lineWidth: 1.2 });
    lines.forEach((text, i) =>
      layout.texts.push({
        text,
        x: left + 56,
        y: headTop - 17 - i * 14,
        maxWidth: 100,
        size: 11,
        bold: true,
        align: 'center',
        color: colors.accent,
        spacing: 1.5,
      }),
    );
  }
  layout.values.push({
    value: template.number,
    language: null,
    field: 'number',
    box: { x: right - 150, y: headTop - 12, width: 150, size: 10, lineHeight: 13, bold: true, align: 'right' },
  });

  // The rows, section by section, down to the footer.
  y -= 4;
  template.sections.forEach((section, s) => {
    if (section.heading) {
      y -= 5;
      layout.texts.push({
        text: joined(section.heading, languages),
        x: left,
        y: y - 9,
        maxWidth: right - left,
        size: 8,
        bold: true,
        align: 'left',
        color: colors.accent,
        spacing: 0.8,
      });
      layout.lines.push({ x1: left, y1: y - 12.5, x2: right, y2: y - 12.5, width: 0.6, color: colors.accent });
      y -= 15.5;
    }
    section.rows.forEach((row, r) => {
      y -= placeRow(layout, row, `sections[${s}].rows[${r}]`, y, languages, perLanguage, right);
    });
  });
  layout.rowsEnd = y;

  // Footer, left of the QR: "certified by" (a copy), the registrar, the signature line, the stamp,
  // the printed form's serial at the bottom.
  const footerRight = Math.min(right, template.qr.x - 12);
  const registrarTop = template.footer.certifiedBy ? footerTop - 4 : footerTop - 10;
  if (template.footer.certifiedBy) {
    layout.texts.push({
      text: joined(template.footer.certifiedBy, languages),
      x: left,
      y: registrarTop + 8,
      maxWidth: footerRight - left,
      size: 8,
      bold: true,
      align: 'left',
      color: colors.ink,
    });
  }
  layout.rowsLimit = registrarTop + (template.footer.certifiedBy ? 22 : 8);
  placeRow(layout, template.footer.registrar, 'footer.registrar', registrarTop, languages, () => false, footerRight);
  const signatureY = 140;
  layout.lines.push({ x1: valueX, y1: signatureY, x2: Math.min(valueX + 150, footerRight), y2: signatureY, width: 0.6, color: colors.ink });
  layout.texts.push({
    text: `(${joined(template.footer.signature, languages)})`,
    x: valueX,
    y: signatureY - 9,
    maxWidth: Math.min(150, footerRight - valueX),
    size: 6.5,
    bold: false,
    align: 'left',
    color: colors.secondLabel,
  });
  languages.forEach((language, i) =>
    layout.texts.push({
      text: template.footer.stamp[language]!,
      x: layout.stamp.cx,
      y: layout.stamp.cy + 2 - i * 10 + ((languages.length - 1) * 10) / 2,
      maxWidth: layout.stamp.r * 1.6,
      size: 8,
      bold: false,
      align: 'center',
      color: colors.secondLabel,
    }),
  );
  placeRow(layout, template.footer.serial, 'footer.serial', 78, languages, () => false, footerRight);

  const { x, y: qrY, size } = template.qr;
  layout.texts.push({
    text: [...languages, 'en'].filter((l, i, all) => template.qr.caption[l] && all.indexOf(l) === i).map((l) => template.qr.caption[l]!).join(' · '),
    x: x + size / 2,
    y: qrY - 8,
    maxWidth: size + 20,
    size: 7,
    bold: false,
    align: 'center',
    color: colors.label,
  });
  return layout;
}

/** The first thing that does not fit on the page, named by template field, or undefined. */
export function checkLayout(template: CertificateTemplate, perLanguage: PerLanguage): { field: string; message: string } | undefined {
  const layout = layoutCertificate(template, perLanguage);
  if (layout.rowsEnd < layout.rowsLimit) {
    return {
      field: 'sections',
      message: `do not fit on one A4 page: the rows run ${Math.ceil(layout.rowsLimit - layout.rowsEnd)} pt into the footer; remove rows or join languages on one line ("languages": "join")`,
    };
  }
  const { x, y, size } = template.qr;
  const inside = frame.inner + 6;
  if (x < inside || x + size > page.width - inside || y - 12 < inside || y + size > layout.rowsLimit) {
    return {
      field: 'qr',
      message: `must lie inside the frame and below the rows, with room for its caption: x from ${inside} to ${Math.floor(page.width - inside - size)}, y from ${inside + 12} to ${Math.floor(layout.rowsLimit - size)} for this size`,
    };
  }
  if (x < valueX + 100) return { field: 'qr.x', message: `must leave the footer room for the registrar's name: at least ${valueX + 100}` };
  return undefined;
}
