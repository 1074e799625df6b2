// Pan and zoom of an SVG drawing in its frame, through the viewBox: fit (the whole drawing in the
// frame, never enlarged past MAX_SCALE, so three nodes do not fill a wall), zoom buttons, the
// wheel (about the pointer), drag to pan. The frame's size is followed (ResizeObserver), never
// read from the DOM but for the first frame of the page: reading clientWidth forces a layout of
// the whole page, so a new frame starts from the size the last one was observed to have (frames
// of one kind fill the same place), and when the observer reports another size, a drawing still
// as fitted is fitted again.
import { el } from './dom.js';

const MAX_SCALE = 1.6;
/**
 * Below this scale the drawing has the class `far`, and the lineage graph's labels are not drawn
 * (the style sheet): 12px text is under 5 screen pixels there (device pixels: the scale is
 * multiplied by devicePixelRatio), unreadable, and laying out and painting
 * hundreds of labels was most of drawing a large graph. Zoomed in past it, they come back.
 */
export const LABEL_SCALE = 5 / 12;
const MIN_SCALE = 0.02;
const PAD = 24;

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The size each kind of frame (its id) was last observed to have. */
const observedSizes = new Map<string, { w: number; h: number }>();

export class Viewport {
  private scale = 1;
  private cx = 0;
  private cy = 0;
  private bounds: Bounds = { x: 0, y: 0, width: 1, height: 1 };
  /** Pointer travel during the current press, so a drag does not count as a click. */
  moved = 0;
  private readonly observer: ResizeObserver;
  /** The frame's size, as the ResizeObserver last reported it (reading it from the DOM forces a layout). */
  private frameSize: { w: number; h: number };
  /** Whether the view is as fit() left it (no zoom or pan since): a new frame size fits it again. */
  private fitted = false;

  constructor(
    private readonly frame: HTMLElement,
    private readonly svg: SVGSVGElement,
  ) {
    let drag: { x: number; y: number } | null = null;
    svg.addEventListener('pointerdown', (e) => {
      drag = { x: e.clientX, y: e.clientY };
      this.moved = 0;
      svg.style.cursor = 'grabbing';
    });
    svg.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      this.moved += Math.abs(dx) + Math.abs(dy);
      this.cx -= dx / this.scale;
      this.cy -= dy / this.scale;
      this.fitted = false;
      drag = { x: e.clientX, y: e.clientY };
      this.apply();
    });
    const end = () => {
      drag = null;
      svg.style.cursor = '';
    };
    svg.addEventListener('pointerup', end);
    svg.addEventListener('pointerleave', end);
    svg.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const r = svg.getBoundingClientRect();
        this.zoomAt(e.deltaY > 0 ? 1 / 1.15 : 1.15, e.clientX - r.left, e.clientY - r.top);
      },
      { passive: false },
    );
    this.frameSize = observedSizes.get(frame.id) ?? { w: Math.max(frame.clientWidth, 1), h: Math.max(frame.clientHeight, 1) };
    this.observer = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.contentRect;
      // A frame taken off the page (the reader moved on) reports 0 x 0: not a size to remember,
      // else the next frame would be fitted to 1 x 1 first, then fitted and laid out again.
      if (!box || box.width === 0 || box.height === 0) return;
      const size = { w: Math.max(box.width, 1), h: Math.max(box.height, 1) };
      observedSizes.set(frame.id, size);
      if (size.w === this.frameSize.w && size.h === this.frameSize.h) return;
      this.frameSize = size;
      if (this.fitted) this.fit();
      else this.apply();
    });
    this.observer.observe(frame);
    const zoom = el('div', null, { class: 'zoom' });
    const button = (id: string, text: string, title: string, act: () => void) => {
      const b = el('button', text, { id, title, type: 'button' });
      b.addEventListener('click', act);
      zoom.append(b);
    };
    button('zoom-in', '+', 'zoom in', () => this.zoomAt(1.25));
    button('zoom-out', '\u2212', 'zoom out', () => this.zoomAt(0.8));
    button('zoom-fit', 'fit', 'fit the graph to the frame', () => this.fit());
    frame.append(zoom);
  }

  private size(): { w: number; h: number } {
    return this.frameSize;
  }

  /** Shows the whole drawing (`bounds`, in drawing units), centred. */
  fit(bounds: Bounds = this.bounds): void {
    this.bounds = bounds;
    const { w, h } = this.size();
    this.scale = Math.min(w / (bounds.width + 2 * PAD), h / (bounds.height + 2 * PAD), MAX_SCALE);
    this.cx = bounds.x + bounds.width / 2;
    this.cy = bounds.y + bounds.height / 2;
    this.apply();
    this.fitted = true;
  }

  /** Zooms by `factor` about a point of the frame (its centre by default). */
  zoomAt(factor: number, px?: number, py?: number): void {
    const { w, h } = this.size();
    const x = px ?? w / 2;
    const y = py ?? h / 2;
    const gx = this.cx + (x - w / 2) / this.scale;
    const gy = this.cy + (y - h / 2) / this.scale;
    this.scale = Math.min(Math.max(this.scale * factor, MIN_SCALE), 8);
    this.cx = gx - (x - w / 2) / this.scale;
    this.cy = gy - (y - h / 2) / this.scale;
    this.fitted = false;
    this.apply();
  }

  private apply(): void {
    const { w, h } = this.size();
    const vw = w / this.scale;
    const vh = h / this.scale;
    this.svg.setAttribute('viewBox', `${this.cx - vw / 2} ${this.cy - vh / 2} ${vw} ${vh}`);
    this.svg.dataset.scale = this.scale.toFixed(4);
    // On a high-density screen (devicePixelRatio 2) the same text has twice the pixels: readable longer.
    this.svg.classList.toggle('far', this.scale * (globalThis.devicePixelRatio || 1) < LABEL_SCALE);
  }

  dispose(): void {
    this.observer.disconnect();
  }
}
