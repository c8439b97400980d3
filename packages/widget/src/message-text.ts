import { html, type TemplateResult } from 'lit';
import { httpUrl } from './safe-url.js';

/** Candidates only: each is still checked by `httpUrl` (`new URL`) before it becomes a link. */
const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"]+/gi;
/** Punctuation that usually ends the sentence around a URL rather than the URL itself. */
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}]+$/;

/**
 * A message's text as Lit text nodes, with http(s) URLs as links that open in a new tab
 * without telling the target who linked (`noopener noreferrer`). Nothing is parsed as HTML.
 */
export function renderMessageText(text: string): Array<string | TemplateResult> {
  const parts: Array<string | TemplateResult> = [];
  let last = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const candidate = match[0].replace(TRAILING_PUNCTUATION, '');
    const href = httpUrl(candidate);
    if (!href || match.index < last) continue;
    parts.push(text.slice(last, match.index));
    parts.push(html`<a part="link" href=${href} target="_blank" rel="noopener noreferrer">${candidate}</a>`);
    last = match.index + candidate.length;
  }
  parts.push(text.slice(last));
  return parts;
}
