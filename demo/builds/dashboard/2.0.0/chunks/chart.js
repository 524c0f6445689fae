// The lazy chunk of dashboard 2.0.0: an area chart. It states its own version so a page can show
// which build the chunk came from (mixed versions, docs/failures.md: an open tab keeps loading its own build's chunks).
const version = '2.0.0';
const values = [12, 19, 9, 15, 22, 17, 25];

export function renderChart(slot) {
  const chart = document.createElement('figure');
  chart.className = 'chart';
  chart.dataset.finchChunk = version;
  const points = values.map((v, i) => `${i * 45 + 10},${120 - v * 4}`).join(' ');
  chart.innerHTML = `<svg viewBox="0 0 290 130" role="img" aria-label="Orders per day">
      <polygon points="10,120 ${points} 280,120"></polygon><polyline points="${points}"></polyline></svg>
    <figcaption>Orders per day · chart chunk ${version}</figcaption>`;
  slot.replaceChildren(chart);
}
