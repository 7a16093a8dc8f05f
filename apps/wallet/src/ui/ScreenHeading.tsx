import { useEffect, useRef } from 'react';
import { hasNavigated } from '../app/router.ts';
import { useDocumentTitle } from './useDocumentTitle.ts';

/**
 * The screen's <h1>. When the screen changes inside the page it takes the focus, so screen-reader
 * and keyboard users start at the new screen (not on the first load).
 */
export function ScreenHeading(props: { readonly children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useDocumentTitle(props.children);
  useEffect(() => {
    if (hasNavigated()) ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} id="screen-title" tabIndex={-1}>
      {props.children}
    </h1>
  );
}
