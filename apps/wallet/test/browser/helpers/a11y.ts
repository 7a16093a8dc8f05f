// The web app's axe helper serves the wallet's screens unchanged.
export * from '../../../../web/test/browser/helpers/a11y.ts';
