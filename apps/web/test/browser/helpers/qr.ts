// Reads a QR code the page draws, as a camera would: the SVG is rendered into a canvas in the
// page (3 px per module) and the pixels are decoded here with jsQR — an independent decoder.
import jsQRModule from 'jsqr';
import type { Page } from 'playwright-core';

type Decode = typeof jsQRModule.default;
// jsqr is CommonJS: Node hands its module.exports (the function) over as the default export.
const jsQR: Decode =
  typeof jsQRModule === 'function' ? (jsQRModule as unknown as Decode) : jsQRModule.default;

export async function readQr(page: Page, selector: string): Promise<string> {
  const image = await page.evaluate(async (sel) => {
    const svg = document.querySelector(sel) as SVGSVGElement;
    const side = svg.viewBox.baseVal.width * 3;
    const img = new Image();
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = side;
    canvas.height = side;
    const ctx = canvas.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(img, 0, 0, side, side);
    const bytes = ctx.getImageData(0, 0, side, side).data;
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { side, rgba: btoa(binary) };
  }, selector);
  const code = jsQR(new Uint8ClampedArray(Buffer.from(image.rgba, 'base64')), image.side, image.side);
  if (!code) throw new Error('the QR code could not be read');
  return code.data;
}
