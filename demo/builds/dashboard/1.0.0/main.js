// dashboard 1.0.0 (full): the stable dashboard. `#load-chart` loads a lazy chunk with a relative
// `import()`, which resolves against this script's own URL: the build's release directory when loaded
// directly, or the worker's virtual path, so the chunk always comes from the same build.
(() => {
  const product = 'dashboard';
  const version = '1.0.0';

  function mount(container) {
    const root = document.createElement('section');
    root.className = 'finch-dashboard';
    root.dataset.finchProduct = product;
    root.dataset.finchVersion = version;
    root.innerHTML = `
      <div class="top"><h2>Dashboard</h2><span class="badge" title="dashboard build">dashboard ${version}</span></div>
      <div class="kpis">
        <div><b>1,284</b><span>orders today</span></div>
        <div><b>€ 48.2k</b><span>revenue</span></div>
        <div><b>3.1%</b><span>returns</span></div>
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
