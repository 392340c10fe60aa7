// A small strict XML reader for the JUnit reports: enough to prove they parse and to look inside.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e] as string);
}

/** Enough XML for JUnit: declaration, elements, attributes, text, self-closing tags; throws on anything malformed. */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`XML: ${why} at offset ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`);
  };
  if (xml.startsWith('<?xml')) i = xml.indexOf('?>') + 2;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    if (xml[i] !== '<') {
      const next = xml.indexOf('<', i);
      const text = xml.slice(i, next < 0 ? xml.length : next);
      if (/[<>]/.test(text) || /&(?!(lt|gt|amp|quot|apos);)/.test(text)) fail('unescaped text');
      if (stack.length) stack[stack.length - 1].text += unescapeXml(text);
      else if (text.trim()) fail('text outside the root');
      i = next < 0 ? xml.length : next;
      continue;
    }
    const end = xml.indexOf('>', i);
    if (end < 0) fail('unterminated tag');
    const tag = xml.slice(i + 1, end);
    i = end + 1;
    if (tag.startsWith('/')) {
      const open = stack.pop();
      if (!open || open.name !== tag.slice(1)) fail(`mismatched </${tag.slice(1)}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const m = /^([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*\/?$/.exec(tag);
    if (!m) fail(`bad tag <${tag}>`);
    const el: XmlElement = { name: m![1], attrs: {}, children: [], text: '' };
    for (const a of m![2].matchAll(/([\w:-]+)="([^"]*)"/g)) el.attrs[a[1]] = unescapeXml(a[2]);
    if (stack.length) stack[stack.length - 1].children.push(el);
    else if (root) fail('second root');
    else root = el;
    if (!selfClosing) stack.push(el);
  }
  if (stack.length || !root) fail('unclosed elements');
  return root!;
}
