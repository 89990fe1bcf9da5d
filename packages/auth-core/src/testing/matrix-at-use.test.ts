import { describe, expect, it } from 'vitest';
import { matrixAtUse } from './matrix-at-use.js';
import { TEST_SECRET } from './test-secret.js';

describe('matrixAtUse', () => {
  it('builds tokens against the clock it is given and remembers each token handed out', () => {
    const m = matrixAtUse(TEST_SECRET);
    expect(() => m.row(m.rows[0]?.name ?? '')).toThrow(/build\(\)/);
    m.build(Date.UTC(2030, 0, 1));
    const [first, second] = m.rows;
    const built = m.row(first?.name ?? '');
    expect(built.token).not.toBe(first?.token);
    expect(built.status).toBe(first?.status);
    const exp = JSON.parse(Buffer.from(built.token.split('.')[1] ?? '', 'base64url').toString());
    expect(exp.exp).toBe(Date.UTC(2030, 0, 1) / 1000 + 3600);
    m.row(second?.name ?? '');
    expect([...m.sent]).toEqual([built.token, m.row(second?.name ?? '').token]);
    expect(() => m.row('no such row')).toThrow(/no row named/);
  });
});
