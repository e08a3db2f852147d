/**
 * The organisation's own look on its documents (certificates, attendance sheets, transcripts and the
 * verification page): its name, signatory and logo. Pure rules: what a logo file may be, and the
 * change an administrator's form makes, or why it is refused.
 */

/** A logo of at most this size: it is embedded in every document. */
export const MAX_LOGO_BYTES = 512 * 1024;
/** The longest name or title kept. */
export const MAX_BRANDING_TEXT = 200;

export type LogoType = 'image/png' | 'image/svg+xml';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * What an SVG may not hold: anything that runs (scripts, event handlers, `javascript:` addresses),
 * embeds other documents or HTML, pulls in another file, or declares entities (XML bombs). A logo
 * needs none of it; a file with any of it is refused rather than cleaned, so what is stored is
 * exactly what was checked.
 */
const SVG_FORBIDDEN: readonly RegExp[] = [
  /<\s*script/i,
  /\son[a-z]+\s*=/i,
  /javascript\s*:/i,
  /<\s*(foreignObject|iframe|embed|object|use|image|feImage|animate|set|handler|listener)\b/i,
  /<!\s*(DOCTYPE|ENTITY)/i,
  /<\?xml-stylesheet/i,
  // Any reference (href, xlink:href) that is not to a part of the same file (`#id`).
  /href\s*=\s*["']\s*(?!#)/i,
  /url\(\s*["']?\s*(?!#)/i,
  /@import/i,
];

export type LogoRefusal = 'logo_type' | 'logo_too_large' | 'logo_unsafe';

/**
 * The logo's real type from its content, whatever its name or declared type says: PNG by its
 * signature, SVG by an `<svg` root in UTF-8 text; or why it is refused.
 */
export function checkLogo(content: Uint8Array): { ok: true; type: LogoType } | { ok: false; reason: LogoRefusal } {
  if (content.byteLength > MAX_LOGO_BYTES) return { ok: false, reason: 'logo_too_large' };
  if (PNG_SIGNATURE.every((b, i) => content[i] === b)) return { ok: true, type: 'image/png' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content).replace(/^\uFEFF/, '');
  } catch {
    return { ok: false, reason: 'logo_type' };
  }
  // An optional XML declaration and comments, then the <svg> root element.
  const head = text.replace(/^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*/, '');
  if (!/^<svg[\s>]/i.test(head) || !/<\/svg\s*>\s*$/i.test(head)) return { ok: false, reason: 'logo_type' };
  if (SVG_FORBIDDEN.some((pattern) => pattern.test(text))) return { ok: false, reason: 'logo_unsafe' };
  return { ok: true, type: 'image/svg+xml' };
}

export const BRANDING_FIELDS = ['name', 'signatoryName', 'signatoryTitle'] as const;
export type BrandingField = (typeof BRANDING_FIELDS)[number] | 'logo';
export type BrandingRefusal = LogoRefusal | 'too_long';

export interface BrandingForm {
  name: string;
  signatoryName: string;
  signatoryTitle: string;
  /** A new logo file's content, when one was chosen. */
  logo?: Uint8Array | undefined;
  /** Ticked: the logo is removed (documents go back to the product's name alone). */
  removeLogo: boolean;
}

/** The stored look, as the planner compares it. */
export interface Branding {
  name: string | null;
  signatoryName: string | null;
  signatoryTitle: string | null;
  logoType: LogoType | null;
  logoBase64: string | null;
}

export type BrandingPlan =
  | { ok: true; branding: Branding; changed: boolean }
  | { ok: false; errors: Partial<Record<BrandingField, BrandingRefusal>> };

/** Text as kept: trimmed, line breaks and other control characters made spaces; empty is "not set". */
function cleanText(value: string): string | null {
  const text = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
}

/**
 * The administrator's form applied to the current look: texts trimmed (empty = not set, so the
 * documents fall back to the product's name), a new logo checked by its content, the old one kept
 * unless replaced or removed. Refused with a reason per field.
 */
export function planBranding(current: Branding, form: BrandingForm): BrandingPlan {
  const errors: Partial<Record<BrandingField, BrandingRefusal>> = {};
  const texts = {
    name: cleanText(form.name),
    signatoryName: cleanText(form.signatoryName),
    signatoryTitle: cleanText(form.signatoryTitle),
  };
  for (const field of BRANDING_FIELDS) if ((texts[field]?.length ?? 0) > MAX_BRANDING_TEXT) errors[field] = 'too_long';
  let logoType = current.logoType;
  let logoBase64 = current.logoBase64;
  if (form.logo && form.logo.byteLength > 0) {
    const logo = checkLogo(form.logo);
    if (!logo.ok) errors.logo = logo.reason;
    else {
      logoType = logo.type;
      logoBase64 = Buffer.from(form.logo).toString('base64');
    }
  } else if (form.removeLogo) {
    logoType = null;
    logoBase64 = null;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const branding: Branding = { ...texts, logoType, logoBase64 };
  const changed = (Object.keys(branding) as (keyof Branding)[]).some((k) => branding[k] !== current[k]);
  return { ok: true, branding, changed };
}

/** The look when an administrator has set nothing: the product's name, no signatory, no logo. */
export const NO_BRANDING: Branding = { name: null, signatoryName: null, signatoryTitle: null, logoType: null, logoBase64: null };
