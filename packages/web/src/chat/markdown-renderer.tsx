import { type ComponentPropsWithoutRef, useRef, useState } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

/** A fenced code block with a copy button. */
function CodeBlock({
  children,
  node: _node,
  ...rest
}: ComponentPropsWithoutRef<'pre'> & { node?: unknown }) {
  const ref = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(ref.current?.textContent ?? '');
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="code-block">
      <button type="button" className="secondary small copy" onClick={copy}>
        {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy code'}
      </button>
      {/* Focusable so a keyboard can scroll a wide block. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <pre ref={ref} tabIndex={0} {...rest}>
        {children}
      </pre>
      <span className="visually-hidden" role="status">
        {copied === 'copied' ? 'Code copied to the clipboard.' : ''}
      </span>
    </div>
  );
}

/** Links open in a new tab and pass nothing about this page along. */
function Link({
  children,
  node: _node,
  ...rest
}: ComponentPropsWithoutRef<'a'> & { node?: unknown }) {
  return (
    <a {...rest} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

/** The gateway's content security policy allows no remote images: show what the image is. */
function ImageAsText({ alt }: ComponentPropsWithoutRef<'img'>) {
  return alt ? <span className="image-alt">[image: {alt}]</span> : null;
}

const components: Components = { pre: CodeBlock, a: Link, img: ImageAsText };

/**
 * Model text as markdown (GitHub flavour: lists, tables, fenced code, bare URLs as links). Raw HTML
 * in the text is dropped, never rendered; images are shown as their alt text (the gateway's
 * content security policy allows no remote images); link targets are sanitised by react-markdown
 * (no `javascript:`). No `eval` anywhere, so it runs under the strict CSP.
 * Loaded on demand by `<Markdown>` (./markdown.tsx), so the first page load stays small.
 * @example <MarkdownRenderer text={step.text} />
 */
export default function MarkdownRenderer({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} skipHtml components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
