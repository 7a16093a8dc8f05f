// Writes docs/errors.md from the error registry. A test fails when the two differ.
import { writeFileSync } from 'node:fs';
import { renderErrorsMarkdown } from '@gongjik/errors';

const target = new URL('../docs/errors.md', import.meta.url);
writeFileSync(target, renderErrorsMarkdown());
console.log(`wrote ${target.pathname}`);
