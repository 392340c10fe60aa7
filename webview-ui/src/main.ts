// The Perf Lens panel's browser code. Says `ready`, renders the header the host sends, then
// asks for one view at a time (load test, memory, benchmarks of a run, a benchmark's history).
// Every string from results goes in through textContent, never as HTML.
import { isHostMessage, type HostMessage, type LiveTimelinePoint, type LoadView, type PanelContent, type ViewData, type ViewQuery } from '../../src/shared/protocol';
import { getState, post, request, setState, settle } from './api';
import { button, el } from './dom';
import { renderBenchmarks } from './views/benchmarks';
import { renderFrontend } from './views/frontend';
import { runLabel, type Rendered } from './views/common';
import { renderHistory } from './views/history';
import { appendLive, renderLoad } from './views/load';
import { renderMemory } from './views/memory';

const app = document.getElementById('app') as HTMLElement;
let content: PanelContent | undefined;
let current: { query: ViewQuery; data: ViewData; rendered: Rendered } | undefined;
const viewHost = el('div', undefined, 'view-host');
const statusLine = el('p', undefined, 'status');
statusLine.setAttribute('role', 'status');

function status(text: string, error = false): void {
  statusLine.textContent = text;
  statusLine.classList.toggle('error', error);
}

function renderHeader(c: PanelContent): void {
  const header = el('header');
  header.append(el('h1', 'Perf Lens'), el('p', c.headline, 'headline'));
  const body = el('section', undefined, 'toolbar');
  if (c.focus?.label) {
    const focus = el('p', undefined, 'focus');
    focus.append(el('span', 'Showing: ', 'muted'));
    const link = el('a', c.focus.label);
    link.href = '#';
    const file = c.focus.file;
    if (file) {
      link.addEventListener('click', e => {
        e.preventDefault();
        void request({ kind: 'openFile', file, line: c.focus?.line }).catch(err => status((err as Error).message, true));
      });
    }
    focus.append(link);
    body.append(focus);
  }
  const row = el('div', undefined, 'row');
  if (c.runs.length) {
    const picker = el('select');
    picker.id = 'run-picker';
    picker.setAttribute('aria-label', 'Run');
    for (const r of c.runs) picker.append(new Option(`${runLabel(r)}${r.kind ? ` · ${r.kind}` : ''}`, r.id));
    const shown = current && 'runId' in current.query ? current.query.runId : undefined;
    if (shown) picker.value = shown;
    picker.addEventListener('change', () => void show({ view: 'run', runId: picker.value }));
    row.append(el('label', 'Run ', 'muted'), picker);
  }
  row.append(el('span', `Workspace: ${c.workspaces.join(', ') || '(none open)'}`, 'muted'));
  row.append(button('Show log', () => void request({ kind: 'runCommand', command: 'perfLens.showLog' }).catch(err => status((err as Error).message, true))));
  body.append(row);
  app.replaceChildren(header, body, statusLine, viewHost);
  app.dataset.state = 'rendered';
}

function renderView(query: ViewQuery, data: ViewData): void {
  current?.rendered.charts.forEach(c => c.destroy());
  const runs = content?.runs ?? [];
  let rendered: Rendered;
  switch (data.view) {
    case 'load':
      rendered = renderLoad(data, runs, {
        compareWith: id => void show({ view: 'load', runId: data.run.id, compareId: id }),
        status,
      });
      break;
    case 'memory':
      rendered = renderMemory(data, runs, {
        compareWith: id => void show({ view: 'memory', runId: data.run.id, compareId: id }),
        status,
      });
      break;
    case 'benchmarks':
      rendered = renderBenchmarks(data, seriesId => void show({ view: 'history', seriesId }));
      break;
    case 'history':
      rendered = renderHistory(data, runId => void show({ view: 'benchmarks', runId }), status);
      break;
    case 'frontend':
      rendered = renderFrontend(data, status);
      break;
  }
  if (trail.length) rendered.element.prepend(backLink());
  viewHost.replaceChildren(rendered.element);
  viewHost.dataset.view = data.view;
  rendered.draw();
  current = { query, data, rendered };
  viewHost.dataset.state = 'drawn';
  const picker = document.getElementById('run-picker') as HTMLSelectElement | null;
  // A history spans runs: show no run selected rather than a stale one.
  if (picker) {
    if ('run' in data) picker.value = data.run.id;
    else picker.selectedIndex = -1;
  }
}

function backLink(): HTMLElement {
  const a = el('a', '← back', 'back');
  a.href = '#';
  a.addEventListener('click', e => {
    e.preventDefault();
    const q = trail.pop();
    if (q) void show(q, false);
  });
  return a;
}

/** Views the user came through (the ← back link); a webview has no browser history. */
const trail: ViewQuery[] = [];

async function show(query: ViewQuery, remember = true): Promise<void> {
  if (remember && current && current.query.view !== query.view) trail.push(current.query);
  if (trail.length > 20) trail.shift();
  viewHost.dataset.state = 'loading';
  status('Loading…');
  try {
    const reply = await request({ kind: 'view', query });
    if (reply.kind !== 'view') throw new Error(`unexpected reply ${reply.kind}`);
    renderView(query, reply.data);
    setState({ ...getState(), focus: content?.focus, view: query });
    status('');
  } catch (e) {
    viewHost.dataset.state = 'error';
    viewHost.replaceChildren(el('p', (e as Error).message, 'error'));
    status('');
  }
}

function firstView(c: PanelContent): ViewQuery | undefined {
  const saved = getState().view;
  if (c.initialView) return c.initialView;
  if (saved && (!('runId' in saved) || c.runs.some(r => r.id === saved.runId))) return saved;
  return c.runs[0] ? { view: 'run', runId: c.runs[0].id } : undefined;
}

function onLive(runId: string, points: LiveTimelinePoint[], done: boolean): void {
  if (!current || current.data.view !== 'load' || current.data.run.id !== runId) return;
  const v: LoadView = current.data;
  if (current.rendered.charts.length >= 2 && !v.compare && v.timeline) {
    appendLive(current.rendered, v.timeline.t0, points);
  } else {
    // No chart yet (the run just started) or an overlay is shown: rebuild from the columns.
    const tl = v.timeline ?? { t0: points[0]?.t ?? 0, x: [], rps: [], errors: [], users: [], p50: [], p95: [], p99: [], rawPoints: 0 };
    for (const p of points) {
      tl.x.push(p.t - tl.t0);
      tl.rps.push(p.requests);
      tl.errors.push(p.failures);
      tl.users.push(p.users ?? null);
      tl.p50.push(p.percentiles?.p50 ?? null);
      tl.p95.push(p.percentiles?.p95 ?? null);
      tl.p99.push(p.percentiles?.p99 ?? null);
    }
    tl.rawPoints += points.length;
    v.timeline = tl;
    renderView(current.query, v);
  }
  viewHost.dataset.live = done ? 'done' : 'streaming';
  status(done ? 'Load test finished' : 'Load test running…');
}

function onMessage(message: HostMessage): void {
  switch (message.type) {
    case 'show': {
      const first = content === undefined;
      content = message.content;
      renderHeader(message.content);
      if (current && !first && !message.content.initialView) {
        viewHost.replaceChildren(current.rendered.element); // keep the view across run-list refreshes
        return;
      }
      const q = firstView(message.content);
      if (q) void show(q);
      else viewHost.replaceChildren();
      return;
    }
    case 'timeline':
      onLive(message.runId, message.points, message.done ?? false);
      return;
    case 'server':
      if (current?.data.view === 'load' && current.data.run.id === message.runId) current.rendered.updateServer?.(message.server);
      return;
    case 'reply':
      if (!settle(message) && !message.ok) status(message.error, true);
      return;
  }
}

// Theme switches change the CSS variables: redraw so canvas colours follow.
new MutationObserver(() => {
  if (current) renderView(current.query, current.data);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostMessage(event.data)) onMessage(event.data);
});
post({ type: 'ready', state: getState() });
