import * as assert from 'assert';
import { formatBytes, formatDuration, formatRatioChange, formatValue, formatVerdict } from '../../src/core/format';

describe('format', () => {
  it('picks a readable duration unit', () => {
    assert.deepStrictEqual(
      [0.0412, 1.5e-3, 3.2e-7, 2.5e-5, 1.234, 300].map(formatDuration),
      ['41.2 ms', '1.50 ms', '320 ns', '25.0 µs', '1.23 s', '5.00 min'],
    );
  });

  it('formats bytes, rates and ratios', () => {
    assert.deepStrictEqual([formatBytes(512), formatBytes(1536), formatBytes(500 * 1024 ** 2)], ['512 B', '1.50 KiB', '500 MiB']);
    assert.strictEqual(formatValue(850.4, '1/s'), '850/s');
    assert.strictEqual(formatValue(0.012, 'ratio'), '1.20%');
  });

  it('signs ratio changes with a real minus sign', () => {
    assert.deepStrictEqual([1.182, 0.88, 1.0, 1.04].map(formatRatioChange), ['+18%', '−12%', '+0.0%', '+4.0%']);
  });

  it('says direction, status, p-value and basis of a verdict', () => {
    assert.strictEqual(
      formatVerdict({ status: 'regression', ratio: 1.18, pValue: 0.0031, confidence: 'high', method: 'samples', reason: '' }, 'duration'),
      '▲ +18% vs baseline (regression, p=0.003)',
    );
    assert.strictEqual(
      formatVerdict({ status: 'unchanged', ratio: 1.01, confidence: 'low', method: 'summary', reason: '' }, 'duration'),
      '≈ +1.0% vs baseline (unchanged, from summaries)',
    );
    assert.strictEqual(
      formatVerdict({ status: 'improvement', ratio: 1.3, pValue: 0.0001, confidence: 'high', method: 'samples', reason: '' }, 'throughput'),
      '▲ +30% vs baseline (improvement, p<0.001) (higher is better)',
    );
    assert.strictEqual(formatVerdict({ status: 'new', ratio: null, confidence: 'high', reason: '' }, 'duration'), 'new · no baseline');
  });
});
