import { useEffect, useRef } from 'react';
import { hasNavigated } from '../app/router.ts';
import { useDocumentTitle } from './useDocumentTitle.ts';

/**
 * The screen's <h1>. After an in-page navigation it takes the focus, so screen-reader and keyboard
 * users start at the new screen (not on the first load, where the browser starts at the top).
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
