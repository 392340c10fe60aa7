// A small .gitignore matcher for the workspace scan: comments, blank lines, `!` negation
// (last match wins), leading-`/` or inner-`/` anchoring, trailing-`/` directory-only,
// `*`, `?`, `[…]` and `**`. Patterns from a nested .gitignore apply below its folder.

interface Rule {
  base: string; // folder of the .gitignore, relative to the root, '' or 'a/b/'
  regex: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        out += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        out += '[' + glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else if (c === '\\' && i + 1 < glob.length) out += '\\' + glob[++i];
    else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return out;
}

export class IgnoreRules {
  private rules: Rule[] = [];

  /** Add the patterns of a .gitignore found in folder `base` (relative, '' for the root). */
  add(base: string, content: string): void {
    const prefix = base === '' || base.endsWith('/') ? base : base + '/';
    for (let line of content.split(/\r?\n/)) {
      if (!line.trim() || line.startsWith('#')) continue;
      line = line.replace(/(?<!\\)\s+$/, '');
      const negate = line.startsWith('!');
      if (negate) line = line.slice(1);
      const dirOnly = line.endsWith('/');
      if (dirOnly) line = line.slice(0, -1);
      const anchored = line.includes('/');
      if (line.startsWith('/')) line = line.slice(1);
      const body = globToRegex(line);
      this.rules.push({ base: prefix, negate, dirOnly, regex: new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}$`) });
    }
  }

  /** Is `rel` (relative to the root, with `/`) ignored? */
  ignores(rel: string, isDir: boolean): boolean {
    let ignored = false;
    for (const r of this.rules) {
      if (!rel.startsWith(r.base) || (r.dirOnly && !isDir)) continue;
      if (r.regex.test(rel.slice(r.base.length))) ignored = !r.negate;
    }
    return ignored;
  }
}
