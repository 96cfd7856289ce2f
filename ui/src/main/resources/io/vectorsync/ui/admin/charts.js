// A small time-series line chart drawn as inline SVG, for the console's live charts (no chart library, nothing
// from outside, no inline styles: colours come from app.css through the series-N classes). A fixed window of time
// ending now; the y axis scaled to what the window holds, with labelled ticks; a legend with each series' current
// value and its peak in the window. Series appear as their values first arrive and leave with their last point.
// What it shows is also on its elements for a test or a screen reader: the legend's data-current and data-peak,
// each line's data-points, and the SVG's <title> and <desc>.

const SVG = 'http://www.w3.org/2000/svg';
const COLOURS = 8; // series-0 … series-7 in app.css
const WIDTH = 600;
const HEIGHT = 220;
const MARGIN = {left: 52, right: 14, top: 12, bottom: 26};
const TIME_STEPS = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600]; // seconds between the x axis's ticks
let charts = 0;

function svg(tag, attrs = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

function html(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** 12, 3.4k, 5.6M; small rates keep decimals (2.5, 0.25). */
export function compact(value) {
  const size = Math.abs(value);
  if (size >= 1e6) return `${+(value / 1e6).toFixed(1)}M`;
  if (size >= 1e4) return `${Math.round(value / 1e3)}k`;
  if (size >= 1e3) return `${+(value / 1e3).toFixed(1)}k`;
  return String(+value.toFixed(size < 1 ? 2 : size < 10 ? 1 : 0));
}

/** The smallest of 1, 2, 2.5 and 5 × 10^n that covers max in at most `ticks` steps. */
function niceStep(max, ticks) {
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map(m => m * power).find(step => step >= raw * (1 - 1e-9));
}

const span = seconds => seconds < 60 ? `${seconds} s` : `${+(seconds / 60).toFixed(1)} min`;
const ago = seconds => seconds === 0 ? 'now' : `−${span(seconds)}`;

export class TimeSeriesChart {
  /**
   * @param title        what the chart shows, its caption and its SVG title
   * @param unit         after each value in the legend and the description ("/s", " events")
   * @param labels       series key → its name in the legend (the key itself otherwise)
   * @param windowSeconds how much of the past the chart shows
   */
  constructor({title, unit = '', labels = {}, windowSeconds = 180, test}) {
    this.title = title;
    this.unit = unit;
    this.labels = labels;
    this.windowMs = windowSeconds * 1000;
    this.samples = []; // {time, values: {key: number}}, oldest first
    this.colours = new Map(); // key → colour index, in the order the series first came
    const id = `chart-${++charts}`;
    this.svg = svg('svg', {viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`,
      class: 'chart-plot'});
    this.ids = {title: `${id}-title`, desc: `${id}-desc`};
    this.legend = html('ul', {class: 'chart-legend'});
    this.element = html('figure', {class: 'chart', 'data-chart': test || id},
      html('figcaption', {}, title), this.svg, this.legend);
    this.render();
  }

  /** One sample: the value of each series at `time` (ms); a series left out has no point there. */
  add(time, values) {
    this.samples.push({time, values});
    for (const key of Object.keys(values)) {
      if (!this.colours.has(key)) this.colours.set(key, this.colours.size % COLOURS);
    }
    const from = time - this.windowMs;
    while (this.samples[0].time < from) this.samples.shift();
  }

  clear() {
    this.samples = [];
    this.colours.clear();
    this.render();
  }

  render(now = Date.now()) {
    const from = now - this.windowMs;
    const last = this.samples.at(-1);
    const series = [...this.colours.keys()].map(key => {
      const points = this.samples.filter(s => s.time >= from && typeof s.values[key] === 'number')
        .map(s => [s.time, s.values[key]]);
      return {key, label: this.labels[key] || key, colour: this.colours.get(key), points,
        current: last ? last.values[key] : undefined, peak: Math.max(0, ...points.map(([, v]) => v))};
    }).filter(s => s.points.length);

    const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
    const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
    const peak = Math.max(0, ...series.map(s => s.peak));
    const scale = peak > 0 ? peak : 1; // nothing yet: 0 to 1
    const step = niceStep(scale, 4);
    const top = Math.ceil(scale / step - 1e-9) * step;
    const x = time => MARGIN.left + (time - from) / this.windowMs * plotWidth;
    const y = value => MARGIN.top + plotHeight - value / top * plotHeight;
    const round = n => Math.round(n * 10) / 10;

    const grid = [];
    for (let value = 0; value <= top + step / 2; value += step) {
      grid.push(svg('line', {class: 'chart-grid', x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: round(y(value)), y2: round(y(value))}),
        svg('text', {class: 'chart-tick', x: MARGIN.left - 6, y: round(y(value)) + 4, 'text-anchor': 'end'}, compact(value)));
    }
    const seconds = this.windowMs / 1000;
    const timeStep = TIME_STEPS.find(s => seconds / s <= 6) || TIME_STEPS.at(-1);
    for (let back = 0; back <= seconds; back += timeStep) {
      grid.push(svg('text', {class: 'chart-tick', x: round(x(now - back * 1000)), y: HEIGHT - 8,
        'text-anchor': back === 0 ? 'end' : back === seconds ? 'start' : 'middle'}, ago(back)));
    }
    const lines = series.map(s => svg('polyline', {class: `chart-line series-${s.colour}`, 'data-series': s.key,
      points: s.points.map(([time, value]) => `${round(x(time))},${round(y(value))}`).join(' ')}));
    const summary = series.length
      ? series.map(s => `${s.label}: ${this.value(s.current)} now, peak ${this.value(s.peak)}`).join('; ')
      : 'No data yet.';
    this.svg.replaceChildren(
      svg('title', {id: this.ids.title}, this.title),
      svg('desc', {id: this.ids.desc}, `Over the last ${span(seconds)}. ${summary}`),
      ...grid, ...lines);

    this.legend.replaceChildren(...(series.length ? series.map(s => html('li',
      {class: `series-${s.colour}`, 'data-series': s.key, 'data-current': String(s.current ?? ''), 'data-peak': String(s.peak)},
      html('span', {class: 'swatch', 'aria-hidden': 'true'}), `${s.label} `,
      html('strong', {'data-field': 'current'}, this.value(s.current)),
      html('span', {class: 'peak'}, ` peak ${this.value(s.peak)}`)))
      : [html('li', {class: 'chart-empty'}, 'Waiting for data…')]));
  }

  value(number) {
    return typeof number === 'number' ? `${compact(number)}${this.unit}` : '—';
  }
}
