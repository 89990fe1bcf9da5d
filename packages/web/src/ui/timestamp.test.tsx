import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { formatDuration, Timestamp } from './timestamp.js';

describe('<Timestamp>', () => {
  it('shows the time of day, with the machine-readable time and the full date on hover', () => {
    render(<Timestamp at="2025-03-04T13:05:09.000Z" />);
    const time = screen.getByRole('time');
    expect(time.getAttribute('datetime')).toBe('2025-03-04T13:05:09.000Z');
    expect(time.textContent).toMatch(/^\d{1,2}:\d{2}/);
    expect(time.textContent).not.toMatch(/T|Z/);
    expect(time.getAttribute('title')).toMatch(/2025/);
  });

  it('shows nothing for a time it cannot read', () => {
    const { container } = render(<Timestamp at="not a time" />);
    expect(container.textContent).toBe('');
  });
});

describe('formatDuration', () => {
  it.each([
    [3, '3 ms'],
    [1250, '1.3 s'],
    [125_000, '2 min 5 s'],
    [-1, ''],
  ])('%d ms reads as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
