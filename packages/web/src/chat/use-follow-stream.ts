import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

/** How close to the end (px) still counts as "reading the newest output". */
const AT_END_SLACK = 24;

/**
 * Follows new output in a scrolling element only while the reader is at its end: scrolled up to
 * read earlier messages, nothing moves and `behind` turns true (show "Jump to latest"). Only the
 * element scrolls, never the page. `grew` changes whenever the content grows.
 * @example const { ref, onScroll, behind, jumpToLatest } = useFollowStream(textLength)
 */
export function useFollowStream(grew: unknown) {
  const ref = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  // Where the view was last pinned to the end: a reader who moved up since (even before the
  // scroll event arrived) is reading, not following.
  const pinnedAt = useRef(0);
  const [behind, setBehind] = useState(false);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight <= AT_END_SLACK;
    following.current = atEnd;
    if (atEnd) {
      pinnedAt.current = el.scrollTop;
      setBehind(false);
    }
  }, []);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Content that shrank (a fresh snapshot) moves the end up; that is not the reader moving.
    pinnedAt.current = Math.min(pinnedAt.current, el.scrollHeight - el.clientHeight);
    if (following.current && el.scrollTop + AT_END_SLACK < pinnedAt.current)
      following.current = false;
    if (following.current) {
      el.scrollTop = el.scrollHeight;
      pinnedAt.current = el.scrollTop;
    } else if (el.scrollHeight > el.clientHeight) setBehind(true);
  }, [grew]);

  // The pane shrinking (a growing message box, a banner, a rotated phone) keeps a follower at
  // the end too.
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (!following.current) return;
      el.scrollTop = el.scrollHeight;
      pinnedAt.current = el.scrollTop;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const jumpToLatest = useCallback(() => {
    const el = ref.current;
    following.current = true;
    setBehind(false);
    if (el) {
      el.scrollTop = el.scrollHeight;
      pinnedAt.current = el.scrollTop;
    }
  }, []);

  return { ref, onScroll, behind, jumpToLatest };
}
