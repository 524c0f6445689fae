// The lazy chunk of dashboard 1.0.0: a bar chart. It states its own version so a page can show
// which build the chunk came from (mixed versions, docs/failures.md: an open tab keeps loading its own build's chunks).
const version = '1.0.0';
const values = [12, 19, 9, 15, 22, 17, 25];

export function renderChart(slot) {
  const chart = document.createElement('figure');
  chart.className = 'chart';
  chart.dataset.finchChunk = version;
  const bars = values
    .map((v, i) => `<rect x="${i * 40 + 10}" y="${120 - v * 4}" width="28" height="${v * 4}" rx="3"></rect>`)
    .join('');
  chart.innerHTML = `<svg viewBox="0 0 290 130" role="img" aria-label="Orders per day">${bars}</svg>
    <figcaption>Orders per day · chart chunk ${version}</figcaption>`;
  slot.replaceChildren(chart);
}
