// header 1.0.0: one build of the demo's `header` micro-frontend, a plain script with no imports.
// A build announces its lifecycle on `window.FinchApps[product]`; the host mounts it from the hook it
// gives `finch.register` (demo/public/host.js), the way single-spa or qiankun would.
(() => {
  const product = 'header';
  const version = '1.0.0';

  function mount(container, props = {}) {
    const root = document.createElement('header');
    root.className = 'finch-header';
    root.dataset.finchProduct = product;
    root.dataset.finchVersion = version;
    root.innerHTML = `
      <div class="brand"><span class="logo" aria-hidden="true">◆</span> Finch Shop</div>
      <nav><a href="#">Orders</a><a href="#">Customers</a><a href="#">Reports</a></nav>
      <div class="who"></div>
      <span class="badge" title="header build">header ${version}</span>`;
    root.querySelector('.who').textContent = props.userId ? `Signed in as ${props.userId}` : '';
    container.replaceChildren(root);
  }

  function unmount(container) {
    container.replaceChildren();
  }

  (window.FinchApps ??= {})[product] = { product, version, mount, unmount };
})();
