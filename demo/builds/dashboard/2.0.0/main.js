// dashboard 2.0.0 (gray for alice): the redesigned dashboard. `#load-chart` loads this build's own
// lazy chunk through a relative `import()` (see 1.0.0 for why that always picks the same build).
(() => {
  const product = 'dashboard';
  const version = '2.0.0';

  function mount(container) {
    const root = document.createElement('section');
    root.className = 'finch-dashboard';
    root.dataset.finchProduct = product;
    root.dataset.finchVersion = version;
    root.innerHTML = `
      <div class="top"><h2>Dashboard <span class="new">new</span></h2><span class="badge" title="dashboard build">dashboard ${version}</span></div>
      <div class="kpis">
        <div><span>Orders today</span><b>1,284</b><i>▲ 12%</i></div>
        <div><span>Revenue</span><b>€ 48.2k</b><i>▲ 4%</i></div>
        <div><span>Returns</span><b>3.1%</b><i class="down">▼ 0.4</i></div>
        <div><span>Open tickets</span><b>17</b><i>▲ 2</i></div>
      </div>
      <button id="load-chart" type="button">Load chart</button>
      <div class="chart-slot"></div>`;
    const button = root.querySelector('#load-chart');
    const slot = root.querySelector('.chart-slot');
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const { renderChart } = await import('./chunks/chart.js');
        renderChart(slot);
      } catch (err) {
        slot.textContent = `The chart could not be loaded: ${err instanceof Error ? err.message : err}`;
      } finally {
        button.disabled = false;
      }
    });
    container.replaceChildren(root);
  }

  function unmount(container) {
    container.replaceChildren();
  }

  (window.FinchApps ??= {})[product] = { product, version, mount, unmount };
})();
