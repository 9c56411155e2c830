/** Small, dependency-free SVG charts, so a report is one self-contained page (nothing from a CDN). */

export const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const PRIORITY_COLOURS = { P1: '#c0392b', P2: '#e67e22', P3: '#2980b9', P4: '#7f8c8d' };
export const RAG_COLOURS = { green: '#2e7d32', amber: '#f9a825', red: '#c62828', grey: '#9e9e9e' };

interface Series {
  name: string;
  values: Array<number | null>;
  colour: string;
}

const W = 640;
const H = 240;
const PAD = { left: 44, right: 12, top: 28, bottom: 42 };

function frame(title: string, labels: string[], yMax: number, yUnit: string, body: string, legend: Series[], tickStep = yMax / 4): string {
  const plotH = H - PAD.top - PAD.bottom;
  // Ticks at whole multiples of the step, so every label is the value at its line.
  const ticks = Array.from({ length: Math.round(yMax / tickStep) + 1 }, (_, i) => i * tickStep).map((v) => {
    const y = PAD.top + plotH * (1 - v / yMax);
    return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" stroke="#e0e0e0"/><text x="${PAD.left - 6}" y="${y + 4}" font-size="10" text-anchor="end">${v}${yUnit}</text>`;
  });
  const step = (W - PAD.left - PAD.right) / Math.max(labels.length, 1);
  const size = labels.length > 12 ? 8 : 10; // many weeks: smaller labels, so neighbours do not overlap
  const xLabels = labels.map(
    (l, i) => `<text x="${PAD.left + step * (i + 0.5)}" y="${H - PAD.bottom + 14}" font-size="${size}" text-anchor="middle">${escapeXml(l)}</text>`,
  );
  const keyWidth = Math.max(90, Math.floor((W - PAD.left) / Math.max(legend.length, 1)));
  const keys = legend.map(
    (s, i) =>
      `<rect x="${PAD.left + i * keyWidth}" y="${H - 16}" width="10" height="10" fill="${s.colour}"/><text x="${PAD.left + i * keyWidth + 14}" y="${H - 7}" font-size="11">${escapeXml(s.name)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${escapeXml(title)}"><title>${escapeXml(title)}</title><text x="${PAD.left}" y="16" font-size="13" font-weight="bold">${escapeXml(title)}</text>${ticks.join('')}${xLabels.join('')}${body}${keys.join('')}</svg>`;
}

/** Lines over categories; a null value breaks its line (no data that month). */
export function lineChart(title: string, labels: string[], series: Series[], yMax = 100, yUnit = '%'): string {
  const plotH = H - PAD.top - PAD.bottom;
  const step = (W - PAD.left - PAD.right) / Math.max(labels.length, 1);
  const x = (i: number) => PAD.left + step * (i + 0.5);
  const y = (v: number) => PAD.top + plotH * (1 - Math.min(v, yMax) / yMax);
  const body = series
    .map((s) => {
      const points = s.values.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`));
      let segment: string[] = [];
      const segments = [segment];
      for (const p of points) {
        if (p !== null) segment.push(p);
        else segments.push((segment = []));
      }
      const lines = segments
        .filter((seg) => seg.length > 1)
        .map((seg) => `<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${seg.join(' ')}"/>`);
      const dots = points.map((p, i) =>
        p
          ? `<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="2.5" fill="${s.colour}"><title>${escapeXml(`${s.name} ${labels[i]}: ${s.values[i]}${yUnit}`)}</title></circle>`
          : '',
      );
      return lines.join('') + dots.join('');
    })
    .join('');
  return frame(title, labels, yMax, yUnit, body, series);
}

/** Stacked bars over categories. */
export function barChart(title: string, labels: string[], series: Series[]): string {
  const plotH = H - PAD.top - PAD.bottom;
  const totals = labels.map((_, i) => series.reduce((n, s) => n + (s.values[i] ?? 0), 0));
  const yStep = tickStep(Math.max(1, ...totals));
  const yMax = yStep * Math.max(1, Math.ceil(Math.max(1, ...totals) / yStep));
  const step = (W - PAD.left - PAD.right) / Math.max(labels.length, 1);
  const bars: string[] = [];
  labels.forEach((label, i) => {
    let base = 0;
    for (const s of series) {
      const v = s.values[i] ?? 0;
      if (v <= 0) continue;
      const h = (plotH * v) / yMax;
      const top = PAD.top + plotH - ((base + v) * plotH) / yMax;
      bars.push(
        `<rect x="${(PAD.left + step * i + step * 0.15).toFixed(1)}" y="${top.toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.colour}"><title>${escapeXml(`${s.name} ${label}: ${v}`)}</title></rect>`,
      );
      base += v;
    }
  });
  return frame(title, labels, yMax, '', bars.join(''), series.length > 1 ? series : [], yStep);
}

/** A half-circle gauge: the actual against the goal, coloured by its RAG, named in two short lines. */
export function gauge(label: [string, string], actual: number | null, goalPct: number | null, ragColour: string): string {
  const r = 50;
  const cx = 80;
  const cy = 62;
  const arc = (f: number) => {
    const a = Math.PI * (1 - Math.max(0, Math.min(1, f)));
    return `${(cx + r * Math.cos(a)).toFixed(1)},${(cy - r * Math.sin(a)).toFixed(1)}`;
  };
  const value = actual === null ? '—' : `${actual}%`;
  const goal =
    goalPct === null
      ? ''
      : `<line x1="${arc(goalPct / 100).split(',')[0]}" y1="${arc(goalPct / 100).split(',')[1]}" x2="${cx}" y2="${cy}" stroke="#333" stroke-dasharray="2,2"/>`;
  const [first, second] = label;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 104" width="160" height="104" role="img" aria-label="${escapeXml(`${first} ${second}: ${value}`)}"><path d="M ${cx - r},${cy} A ${r} ${r} 0 0 1 ${cx + r},${cy}" fill="none" stroke="#eee" stroke-width="10"/>${actual === null ? '' : `<path d="M ${cx - r},${cy} A ${r} ${r} 0 0 1 ${arc(actual / 100)}" fill="none" stroke="${ragColour}" stroke-width="10"/>`}${goal}<text x="${cx}" y="${cy - 8}" font-size="16" text-anchor="middle" font-weight="bold" class="gauge-value">${escapeXml(value)}</text><text x="${cx}" y="${cy + 20}" font-size="11" font-weight="bold" text-anchor="middle">${escapeXml(first)}</text><text x="${cx}" y="${cy + 34}" font-size="10" text-anchor="middle">${escapeXml(second)}</text></svg>`;
}

/** A whole step of 1, 2 or 5 × 10^k giving at most five intervals up to v. */
export function tickStep(v: number): number {
  for (let p = 1; ; p *= 10) for (const m of [1, 2, 5]) if (m * p * 5 >= v) return m * p;
}
