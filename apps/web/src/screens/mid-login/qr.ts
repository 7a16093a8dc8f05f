// The sign-in request's QR, drawn with the shared SVG encoder (packages/web-kit) at level L: the
// request link is ~700 bytes; a screen is clean, and fewer modules scan more easily.
export { type QrPath, qrPath } from '@gongjik/web-kit/qr';
