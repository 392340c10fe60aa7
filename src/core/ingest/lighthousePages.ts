// Which source file stands for which page: the suite's `pages` map first (URL path → file), else
// conventions — "/" ↔ index.html or pages/index.*; "/x.html" ↔ a file named x.html; "/a/b" ↔
// pages/a/b.* or pages/a/b/index.* (Next.js, Nuxt, Astro …), also under src/ or app/.
// Pure, so the lens and its tests share it.
import type { SuiteConfig } from '../config/projectConfig';
import { pagePath } from './lighthouse';

/** A page a file shows: the URL path (as in series ids) and the suite measuring it. */
export interface PageRef {
  path: string;
  suite: string;
}

const SCRIPT_EXT = /\.(tsx?|jsx?|vue|svelte|astro|mdx?|html?)$/;

function stripQuery(p: string): string {
  return p.replace(/[?#].*$/, '');
}

/** True when workspace-relative `file` is the page at URL path `route` by convention. */
export function conventionMatches(route: string, file: string): boolean {
  const f = file.split('\\').join('/');
  const r = stripQuery(route);
  const base = f.split('/').pop() ?? f;
  if (r === '/' || r === '') return base === 'index.html' || /(^|\/)pages\/index\.[a-z]+$/.test(f);
  if (/\.html?$/.test(r)) return f === r.slice(1) || f.endsWith(r);
  const trimmed = r.replace(/^\/+|\/+$/g, '');
  if (!SCRIPT_EXT.test(f)) return false;
  const noExt = f.replace(SCRIPT_EXT, '');
  return noExt.endsWith(`pages/${trimmed}`) || noExt.endsWith(`pages/${trimmed}/index`) || f.endsWith(`${trimmed}/index.html`);
}

/** Pages of the project's frontend suites shown by `file` (workspace-relative). */
export function pagesForFile(file: string, suites: readonly SuiteConfig[]): PageRef[] {
  const f = file.split('\\').join('/');
  const out: PageRef[] = [];
  for (const s of suites) {
    if (s.kind !== 'frontend') continue;
    const mapped = Object.entries(s.pages);
    for (const url of s.urls) {
      const p = pagePath(url);
      const explicit = mapped.find(([route]) => stripQuery(route) === stripQuery(p));
      const hit = explicit ? explicit[1].split('\\').join('/') === f : conventionMatches(p, f);
      if (hit && !out.some(o => o.path === p && o.suite === s.name)) out.push({ path: p, suite: s.name });
    }
  }
  return out;
}
