import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFRawStream, type PDFRef } from 'pdf-lib';
import { AppError } from '../core/errors.ts';
import { ContentStream } from './content-stream.ts';
import { type CertificateFonts, certificateFonts, embedPreparedFont, type PreparedFont, unprintableCharacters } from './fonts.ts';
import { type CertificateLayout, colors, frame, layoutCertificate, page, type TextSpot, type ValueSpot } from './layout.ts';
import { qrMatrix, qrPathOperators } from './qr-drawing.ts';
import { type CertificateFields, type CertificateTemplate, fieldText, fillJoined, fillValue, rowIsPerLanguage } from './templates.ts';
import { fitText } from './text-fit.ts';

/**
 * Renders a certificate as a one-page A4 PDF: the template's fixed part (frame, headings, labels,
 * rules), drawn once per template and process and reused as a ready compressed content stream,
 * then this certificate's values and QR code. `preview` draws a diagonal ҮЛГІ · ОБРАЗЕЦ · PREVIEW
 * across the page and no QR, for a registrar to check before printing. No network is used.
 */
export interface RenderOptions {
  /** the signed QR text (KZ1:… or https://…/verify#KZ1:…); null draws no QR */
  qrText: string | null;
  preview: boolean;
  /** the PDF's creation date (default now): give the issue time to render the same bytes again */
  createdAt?: Date;
}

export const previewWatermark = 'ҮЛГІ · ОБРАЗЕЦ · PREVIEW';

export async function renderCertificatePdf(
  template: CertificateTemplate,
  fields: CertificateFields,
  options: RenderOptions,
): Promise<Uint8Array> {
  const layout = layoutOf(template);
  const values = fillValues(template, layout, fields);
  const fonts = await fontsFor(template, fields, values);

  const doc = await PDFDocument.create({ updateMetadata: false });
  const { context } = doc;
  const created = options.createdAt ?? new Date();
  const title = template.languages.map((l) => template.title[l]).join(' / ');
  doc.setTitle(title, { showInWindowTitleBar: true });
  doc.setSubject(template.title.en ?? title);
  doc.setLanguage(template.languages[0]!);
  doc.setProducer('tirkeu');
  doc.setCreator('tirkeu certificates');
  doc.setCreationDate(created);
  doc.setModificationDate(created);

  const pdfPage = doc.addPage([page.width, page.height]);
  const resources = fontResources(fonts);
  for (const [font, name] of resources) pdfPage.node.setFontDictionary(PDFName.of(name), embedPreparedFont(context, font));

  const content = new ContentStream(resources);
  drawValues(content, fonts, values);
  if (options.qrText !== null && !options.preview) {
    content.fill(colors.ink).raw(qrPathOperators(qrMatrix(options.qrText), layout.qr.x, layout.qr.y, layout.qr.size));
  } else {
    drawQrPlaceholder(content, fonts, layout, options.preview);
  }
  if (options.preview) {
    const state = context.register(context.obj({ Type: 'ExtGState', ca: 0.2, CA: 0.2 }));
    pdfPage.node.setExtGState(PDFName.of('GW'), state);
    drawWatermark(content, fonts.bold);
  }
  const streams: PDFRef[] = [
    context.register(PDFRawStream.of(context.obj({ Filter: 'FlateDecode' }), staticLayer(template, layout, fonts))),
    // Level 1: this stream is mostly the QR's rectangles; a stronger level saves 1 KB for twice the time.
    context.register(PDFRawStream.of(context.obj({ Filter: 'FlateDecode' }), deflateSync(Buffer.from(content.toString(), 'latin1'), { level: 1 }))),
  ];
  pdfPage.node.set(PDFName.of('Contents'), context.obj(streams));
  return doc.save({ useObjectStreams: false });
}

/**
 * Does the once-per-process work for a template ahead of time (cutting the fonts down, about a
 * second; drawing the template's fixed part), so the first certificate a registrar prints after a
 * restart comes as fast as the rest. Optional: rendering does it when first needed.
 */
export async function prepareCertificateRendering(template: CertificateTemplate): Promise<void> {
  const layout = layoutOf(template);
  staticLayer(template, layout, await certificateFonts(template.characters));
}

const layouts = new WeakMap<CertificateTemplate, CertificateLayout>();

function layoutOf(template: CertificateTemplate): CertificateLayout {
  let layout = layouts.get(template);
  if (!layout) {
    layout = layoutCertificate(template, rowIsPerLanguage);
    layouts.set(template, layout);
  }
  return layout;
}

interface FilledValue {
  spot: ValueSpot;
  text: string;
}

/**
 * Every value of the page as text. A line per language prints only when it says something the
 * line above did not (a name written the same in both languages prints once); a joined value
 * shows each field's different language versions once, "kk / ru".
 */
function fillValues(template: CertificateTemplate, layout: CertificateLayout, fields: CertificateFields): FilledValue[] {
  const languages = template.languages;
  const filled: FilledValue[] = [];
  const shown = new Map<string, Set<string>>();
  for (const spot of layout.values) {
    let text: string;
    if (spot.language === null) {
      text = fillJoined(spot.value, fields, languages);
    } else {
      text = fillValue(spot.value, fields, spot.language, languages);
      const before = shown.get(spot.field) ?? new Set<string>();
      shown.set(spot.field, before);
      if (before.has(text)) continue;
      before.add(text);
    }
    filled.push({ spot, text });
  }
  return filled;
}

const templateCharacters = new WeakMap<CertificateTemplate, Set<string>>();

/**
 * The fonts for this certificate: the pack's alphabet, or when a value holds a letter beyond it
 * that DejaVu has (a name from another script), a font with that letter too. A letter DejaVu lacks
 * is refused, naming the field, rather than printed as an empty box.
 */
async function fontsFor(template: CertificateTemplate, fields: CertificateFields, values: FilledValue[]): Promise<CertificateFonts> {
  let known = templateCharacters.get(template);
  if (!known) {
    known = new Set(Array.from(template.characters));
    templateCharacters.set(template, known);
  }
  const extra = new Set<string>();
  for (const { text } of values) for (const ch of text) if (!known.has(ch)) extra.add(ch);
  if (extra.size === 0) return certificateFonts(template.characters);
  const unprintable = unprintableCharacters([...extra].join(''));
  if (unprintable.length) {
    const ch = unprintable[0]!;
    const field = Object.keys(fields).find((name) =>
      [...template.languages, 'en'].some((l) => fieldText(fields, name, l, template.languages)?.includes(ch)),
    );
    const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    throw new AppError('validation_failed', `${field ?? 'a value'} holds "${ch}" (${code}), which the certificate fonts cannot print`, {
      field: field ?? 'fields',
      hint: 'write the value in Cyrillic or Latin letters, as it is to appear on the certificate',
    });
  }
  return certificateFonts(template.characters + [...extra].join(''));
}

function fontResources(fonts: CertificateFonts): Map<PreparedFont, string> {
  return new Map([
    [fonts.regular, 'F1'],
    [fonts.bold, 'F2'],
  ]);
}

const fontOf = (fonts: CertificateFonts, bold: boolean) => (bold ? fonts.bold : fonts.regular);

function drawText(content: ContentStream, fonts: CertificateFonts, spot: TextSpot): void {
  const font = fontOf(fonts, spot.bold);
  const spacing = spot.spacing ?? 0;
  const letters = Array.from(spot.text).length;
  const widthAt = (size: number, space: number) => font.widthOf(spot.text, size) + space * Math.max(0, letters - 1);
  let size = spot.size;
  let space = spacing;
  if (widthAt(size, space) > spot.maxWidth) {
    space = 0;
    size = Math.floor(size * (spot.maxWidth / widthAt(size, 0)) * 20) / 20;
  }
  const width = widthAt(size, space);
  const x = spot.align === 'center' ? spot.x - width / 2 : spot.align === 'right' ? spot.x - width : spot.x;
  content.text(font, size, x, spot.y, spot.text, spot.color, space);
}

function drawValues(content: ContentStream, fonts: CertificateFonts, values: FilledValue[]): void {
  for (const { spot, text } of values) {
    const font = fontOf(fonts, spot.box.bold);
    const fitted = fitText(text, spot.box, (t, size) => font.widthOf(t, size));
    for (const line of fitted.lines) {
      const width = font.widthOf(line.text, fitted.size);
      const x = spot.box.align === 'right' ? spot.box.x + spot.box.width - width : spot.box.x;
      content.text(font, fitted.size, x, spot.box.y + line.dy, line.text, colors.ink);
    }
  }
}

function drawQrPlaceholder(content: ContentStream, fonts: CertificateFonts, layout: CertificateLayout, preview: boolean): void {
  const { x, y, size } = layout.qr;
  const inset = size * 0.08;
  content.raw('[3 2] 0 d').strokeRect(x + inset, y + inset, size - 2 * inset, size - 2 * inset, 0.6, colors.rule).raw('[] 0 d');
  if (preview) {
    drawText(content, fonts, {
      text: 'QR',
      x: x + size / 2,
      y: y + size / 2 - 6,
      maxWidth: size / 2,
      size: 16,
      bold: true,
      align: 'center',
      color: colors.rule,
    });
  }
}

function drawWatermark(content: ContentStream, font: PreparedFont): void {
  const angle = Math.atan2(page.height, page.width);
  const diagonal = Math.hypot(page.width, page.height);
  const size = Math.floor(((diagonal * 0.78) / font.widthOf(previewWatermark, 1)) * 10) / 10;
  const width = font.widthOf(previewWatermark, size);
  const capHeight = (font.subset.metrics.capHeight / 1000) * size;
  // Start so that the line's middle sits on the page's centre.
  const x = page.width / 2 - (width / 2) * Math.cos(angle) + (capHeight / 2) * Math.sin(angle);
  const y = page.height / 2 - (width / 2) * Math.sin(angle) - (capHeight / 2) * Math.cos(angle);
  content.raw('q /GW gs').rotatedText(font, size, x, y, angle, previewWatermark, colors.watermark).raw('Q');
}

const staticLayers = new WeakMap<CertificateTemplate, WeakMap<CertificateFonts, Uint8Array>>();

/** The template's unchanging part, compressed, made once per template and font set. */
function staticLayer(template: CertificateTemplate, layout: CertificateLayout, fonts: CertificateFonts): Uint8Array {
  let byFonts = staticLayers.get(template);
  if (!byFonts) {
    byFonts = new WeakMap();
    staticLayers.set(template, byFonts);
  }
  let bytes = byFonts.get(fonts);
  if (!bytes) {
    const content = new ContentStream(fontResources(fonts));
    drawFrame(content);
    for (const line of layout.lines) content.line(line);
    for (const box of layout.boxes) content.strokeRect(box.x, box.y, box.width, box.height, box.lineWidth, box.color);
    for (const d of layout.diamonds) content.diamond(d.cx, d.cy, d.r, colors.accent);
    content.circle(layout.stamp.cx, layout.stamp.cy, layout.stamp.r, 0.6, colors.rule, [2, 2]);
    for (const text of layout.texts) drawText(content, fonts, text);
    bytes = deflateSync(Buffer.from(content.toString(), 'latin1'), { level: 9 });
    byFonts.set(fonts, bytes);
  }
  return bytes;
}

/**
 * The double frame: a tinted band between two lines, with two interlaced waves along it (a simple
 * guilloche, the engraved pattern of state papers) and a diamond at each corner.
 */
function drawFrame(content: ContentStream): void {
  const { outer, inner } = frame;
  const w = page.width;
  const h = page.height;
  content
    .fill(colors.tint)
    .raw(`${outer} ${outer} ${w - 2 * outer} ${h - 2 * outer} re ${inner} ${inner} ${w - 2 * inner} ${h - 2 * inner} re f*`)
    .strokeRect(outer, outer, w - 2 * outer, h - 2 * outer, 1.4, colors.accent)
    .strokeRect(inner, inner, w - 2 * inner, h - 2 * inner, 0.6, colors.accent);
  const middle = (outer + inner) / 2;
  const amplitude = (inner - outer) / 2 - 1.2;
  const corners: [number, number][] = [
    [middle, middle],
    [w - middle, middle],
    [w - middle, h - middle],
    [middle, h - middle],
  ];
  content.stroke(colors.accent).raw('0.35 w');
  for (const phase of [1, -1]) {
    const path: string[] = [];
    corners.forEach(([x1, y1], i) => {
      const [x2, y2] = corners[(i + 1) % 4]!;
      const length = Math.hypot(x2 - x1, y2 - y1);
      const halves = Math.max(2, Math.round(length / 7));
      const ux = (x2 - x1) / length;
      const uy = (y2 - y1) / length;
      // The wave swings across the band: perpendicular to the side.
      const px = -uy;
      const py = ux;
      const step = length / halves;
      path.push(`${fmt(x1)} ${fmt(y1)} m`);
      for (let k = 0; k < halves; k++) {
        const side = (k % 2 === 0 ? 1 : -1) * phase * ((4 * amplitude) / 3);
        const at = (t: number, lift: number) => `${fmt(x1 + ux * step * (k + t) + px * lift)} ${fmt(y1 + uy * step * (k + t) + py * lift)}`;
        path.push(`${at(1 / 3, side)} ${at(2 / 3, side)} ${at(1, 0)} c`);
      }
    });
    content.raw(`${path.join(' ')} S`);
  }
  for (const [x, y] of corners) content.diamond(x, y, 4.2, colors.accent);
}

/** The frame's waves are ornament: a tenth of a point is precise enough, and keeps the stream small. */
const fmt = (value: number) => String(Math.round(value * 10) / 10);
