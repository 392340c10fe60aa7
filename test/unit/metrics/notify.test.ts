import * as assert from 'assert';
import { AlertThrottle } from '../../../src/core/metrics/notify';

const alert = (rule: string, route?: string) => ({ type: 'alert', state: 'firing', rule, route, message: `${rule} ${route ?? ''}`.trim() });

describe('metrics/notify: alert notifications are rate-limited', () => {
  it('each rule and route once per run, at most one per gap, held ones counted in the next', () => {
    const t = new AlertThrottle(10_000);
    assert.strictEqual(t.offer('run', alert('responseTime', 'GET /a'), 0), 'responseTime GET /a');
    assert.strictEqual(t.offer('run', alert('responseTime', 'GET /a'), 2_000), undefined, 'same rule and route: once per run');
    assert.strictEqual(t.offer('run', alert('errorRate'), 5_000), undefined, 'within the gap of the last one shown');
    assert.strictEqual(t.offer('run', alert('cpu'), 15_000), 'cpu (+1 more alert; all are listed after the run)');
    assert.strictEqual(t.offer('run', { ...alert('memory'), state: 'resolved' }, 200_000), undefined, 'resolutions never notify');
    t.reset('run');
    assert.strictEqual(t.offer('run', alert('responseTime', 'GET /a'), 300_000), 'responseTime GET /a', 'a new run may notify again');
  });
});
