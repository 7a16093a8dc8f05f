// The plain-text alternative of what the editor holds: paragraphs and line breaks kept, list items
// as "- " / "1. ", quotes as "> ", links as "text <url>". Works on any DOM-like tree.

interface NodeLike {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly nodeValue: string | null;
  readonly childNodes: ArrayLike<NodeLike>;
  getAttribute?(name: string): string | null;
}

const BLOCKS = new Set([
  'P',
  'DIV',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'UL',
  'OL',
  'LI',
  'BLOCKQUOTE',
  'PRE',
  'TABLE',
  'TR',
]);

export function htmlToPlainText(root: NodeLike): string {
  const lines: string[] = [];
  let line = '';
  const prefix: string[] = [];
  const flush = () => {
    lines.push(prefix.join('') + line.replace(/[ \t]+/g, ' ').trim());
    line = '';
  };
  const walk = (node: NodeLike, listIndex: { n: number } | null) => {
    if (node.nodeType === 3) {
      line += (node.nodeValue ?? '').replace(/\s+/g, ' ');
      return;
    }
    if (node.nodeType !== 1) return;
    const name = node.nodeName.toUpperCase();
    if (name === 'BR') return flush();
    const block = BLOCKS.has(name);
    if (block && line.trim()) flush();
    else if (block) line = '';
    if (name === 'BLOCKQUOTE') prefix.push('> ');
    if (name === 'LI') line += listIndex ? `${++listIndex.n}. ` : '- ';
    const childList = name === 'OL' ? { n: 0 } : name === 'UL' ? null : listIndex;
    for (const child of Array.from(node.childNodes)) walk(child, childList);
    if (name === 'A') {
      const href = node.getAttribute?.('href');
      if (href && !line.includes(href)) line += ` <${href}>`;
    }
    if (block && line.trim()) flush();
    if (name === 'BLOCKQUOTE') prefix.pop();
    if (name === 'P' && block) lines.push('');
  };
  for (const child of Array.from(root.childNodes)) walk(child, null);
  if (line.trim()) flush();
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
