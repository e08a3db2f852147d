import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/*
 * The knowledge centre as HTML. Its own module, so that the Markdown library and the sanitiser (with
 * the CSS parser it brings) load when a knowledge centre is first shown, not when the server starts.
 */

const markdown = new Marked({ gfm: true, breaks: false, async: false });

/*
 * What survives of the HTML that Markdown gives (and of any HTML an administrator typed into it):
 * text structure, tables, images from this site or https, and links to http(s) and mailto only. No
 * scripts, styles, event handlers, frames or forms: the page's CSP would block scripts anyway, the
 * sanitiser makes sure they are not even there.
 */
const SANITISE: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'em', 'strong', 'del', 's',
    'ul', 'ol', 'li', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], img: ['src', 'alt', 'title'], th: ['align'], td: ['align'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // Headings of the text sit below the page's own h1 and the section's h2.
    h1: 'h3',
    h2: 'h4',
    h3: 'h5',
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer' } }),
  },
};

/** The knowledge centre's Markdown as safe HTML: rendered by a Markdown library, then sanitised. */
export function renderKnowledgeCentre(source: string): string {
  const html = markdown.parse(source) as string;
  return sanitizeHtml(html, SANITISE);
}
