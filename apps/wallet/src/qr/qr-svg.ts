// The gate QR is drawn with the shared SVG encoder (packages/web-kit).
export { type QrPath, qrPath } from '@gongjik/web-kit/qr';
