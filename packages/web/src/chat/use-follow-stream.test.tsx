import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useFollowStream } from './use-follow-stream.js';

/** A pane whose geometry the test sets (jsdom has no layout). */
function Pane({ length }: { length: number }) {
  const { ref, onScroll, behind, jumpToLatest } = useFollowStream(length);
  return (
    <>
      <div ref={ref} onScroll={onScroll} data-testid="pane" />
      {behind ? (
        <button type="button" onClick={jumpToLatest}>
          Jump to latest
        </button>
      ) : null}
    </>
  );
}

function geometry(el: HTMLElement, height: { scroll: number; client: number }) {
  Object.defineProperty(el, 'scrollHeight', { configurable: true, get: () => height.scroll });
  Object.defineProperty(el, 'clientHeight', { configurable: true, get: () => height.client });
}

describe('useFollowStream', () => {
  it('follows new output while the reader is at the end', () => {
    const { rerender } = render(<Pane length={1} />);
    const pane = screen.getByTestId('pane');
    const size = { scroll: 1000, client: 400 };
    geometry(pane, size);
    rerender(<Pane length={2} />);
    expect(pane.scrollTop).toBe(1000);
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('stays put once the reader scrolled up, offers Jump to latest, and follows again after it', () => {
    const { rerender } = render(<Pane length={1} />);
    const pane = screen.getByTestId('pane');
    const size = { scroll: 1000, client: 400 };
    geometry(pane, size);
    rerender(<Pane length={2} />);
    // Scrolled to the top: the next growth does not move the view, even before a scroll event.
    pane.scrollTop = 0;
    size.scroll = 1200;
    rerender(<Pane length={3} />);
    expect(pane.scrollTop).toBe(0);
    act(() => screen.getByRole('button', { name: 'Jump to latest' }).click());
    expect(pane.scrollTop).toBe(1200);
    size.scroll = 1500;
    rerender(<Pane length={4} />);
    expect(pane.scrollTop).toBe(1500);
  });
});
