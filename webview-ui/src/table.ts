// A sortable, filterable table. Cells are text; rows can carry a click action.
import { el } from './dom';

export interface Column<R> {
  title: string;
  text: (row: R) => string;
  /** Sort key; defaults to the text. */
  key?: (row: R) => number | string | undefined;
  numeric?: boolean;
  className?: (row: R) => string | undefined;
  /** Hover text of the cell (e.g. the test behind a verdict, the approximations of a source). */
  tip?: (row: R) => string | undefined;
}

export interface TableOptions<R> {
  columns: Column<R>[];
  rows: R[];
  filterPlaceholder?: string;
  onRowClick?: (row: R) => void;
  caption?: string;
  /** Extra class of the table (e.g. `compact`). */
  className?: string;
  /** More text the filter searches besides the cells (e.g. what only a hover shows). */
  filterText?: (row: R) => string;
}

export function dataTable<R>(opts: TableOptions<R>): HTMLElement {
  const wrap = el('div', undefined, 'table-wrap');
  const filter = el('input');
  filter.type = 'search';
  filter.placeholder = opts.filterPlaceholder ?? 'Filter';
  filter.setAttribute('aria-label', filter.placeholder);
  const table = el('table', undefined, opts.className ? `data ${opts.className}` : 'data');
  if (opts.caption) table.append(el('caption', opts.caption));
  const head = el('tr');
  const body = el('tbody');
  let sortCol = -1;
  let desc = false;
  const fill = () => {
    const q = filter.value.trim().toLowerCase();
    const matches = (r: R) => opts.columns.some(c => c.text(r).toLowerCase().includes(q)) || !!opts.filterText?.(r).toLowerCase().includes(q);
    let rows = opts.rows.filter(r => !q || matches(r));
    if (sortCol >= 0) {
      const c = opts.columns[sortCol];
      const key = c.key ?? c.text;
      rows = [...rows].sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        if (ka === undefined) return 1;
        if (kb === undefined) return -1;
        const d = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb));
        return desc ? -d : d;
      });
    }
    body.replaceChildren(
      ...rows.map(r => {
        const tr = el('tr');
        for (const c of opts.columns) {
          const td = el('td', c.text(r), [c.numeric ? 'num' : '', c.className?.(r) ?? ''].join(' ').trim() || undefined);
          const tip = c.tip?.(r);
          if (tip) td.title = tip;
          tr.append(td);
        }
        if (opts.onRowClick) {
          const click = opts.onRowClick;
          tr.classList.add('clickable');
          tr.tabIndex = 0;
          tr.addEventListener('click', () => click(r));
          tr.addEventListener('keydown', e => {
            if (e.key === 'Enter') click(r);
          });
        }
        return tr;
      }),
    );
    if (!rows.length) {
      const td = el('td', q ? 'No row matches the filter' : 'No rows', 'muted');
      td.colSpan = opts.columns.length;
      const tr = el('tr');
      tr.append(td);
      body.append(tr);
    }
  };
  opts.columns.forEach((c, i) => {
    const th = el('th', c.title, c.numeric ? 'num' : undefined);
    th.tabIndex = 0;
    th.setAttribute('aria-sort', 'none');
    const sort = () => {
      desc = sortCol === i ? !desc : false;
      sortCol = i;
      head.querySelectorAll('th').forEach(h => h.setAttribute('aria-sort', 'none'));
      th.setAttribute('aria-sort', desc ? 'descending' : 'ascending');
      fill();
    };
    th.addEventListener('click', sort);
    th.addEventListener('keydown', e => {
      if (e.key === 'Enter') sort();
    });
    head.append(th);
  });
  const thead = el('thead');
  thead.append(head);
  table.append(thead, body);
  filter.addEventListener('input', fill);
  fill();
  wrap.append(filter, table);
  return wrap;
}
