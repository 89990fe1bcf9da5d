import { lazy, memo, Suspense } from 'react';

const MarkdownRenderer = lazy(() => import('./markdown-renderer.js'));

/**
 * Model text as markdown. The renderer (react-markdown + GFM) is its own chunk, fetched the first
 * time a conversation shows text; until it arrives the text shows as it is, never as HTML.
 * @example <Markdown text={step.text} />
 */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <Suspense fallback={<p className="markdown plain-text">{text}</p>}>
      <MarkdownRenderer text={text} />
    </Suspense>
  );
});
