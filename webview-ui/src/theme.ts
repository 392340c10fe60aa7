// Canvas colours come from the VS Code theme: CSS variables read with getComputedStyle, since
// a canvas cannot use var(). Fallbacks only matter outside VS Code (standalone tests).
export interface Palette {
  fg: string;
  muted: string;
  grid: string;
  blue: string;
  red: string;
  orange: string;
  green: string;
  purple: string;
  yellow: string;
  font: string;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

export function palette(): Palette {
  const s = getComputedStyle(document.body);
  const fg = cssVar(s, '--vscode-foreground', '#333');
  return {
    fg: cssVar(s, '--vscode-charts-foreground', fg),
    muted: cssVar(s, '--vscode-descriptionForeground', '#777'),
    grid: cssVar(s, '--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    blue: cssVar(s, '--vscode-charts-blue', '#1a85ff'),
    red: cssVar(s, '--vscode-charts-red', '#e51400'),
    orange: cssVar(s, '--vscode-charts-orange', '#d18616'),
    green: cssVar(s, '--vscode-charts-green', '#388a34'),
    purple: cssVar(s, '--vscode-charts-purple', '#652d90'),
    yellow: cssVar(s, '--vscode-charts-yellow', '#bf8803'),
    font: `${cssVar(s, '--vscode-font-size', '12px')} ${cssVar(s, '--vscode-font-family', 'sans-serif')}`,
  };
}

/** The same colour with alpha, for bands and shading (accepts #rgb, #rrggbb, #rrggbbaa, rgb()). */
export function withAlpha(colour: string, alpha: number): string {
  const c = colour.trim();
  const hex = /^#([0-9a-f]{3,8})$/i.exec(c)?.[1];
  if (hex) {
    const full = hex.length <= 4 ? [...hex.slice(0, 3)].map(h => h + h).join('') : hex.slice(0, 6);
    const n = parseInt(full, 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^)]+)\)$/i.exec(c)?.[1];
  if (rgb) {
    const [r, g, b] = rgb.split(/[\s,/]+/);
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  return c;
}
