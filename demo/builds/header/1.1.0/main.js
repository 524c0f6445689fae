// header 1.1.0 (gray for group=beta): the new header with a search box and a "beta" ribbon.
// Same lifecycle shape as 1.0.0: `window.FinchApps.header = { product, version, mount, unmount }`.
(() => {
  const product = 'header';
  const version = '1.1.0';

  function mount(container, props = {}) {
    const root = document.createElement('header');
    root.className = 'finch-header';
    root.dataset.finchProduct = product;
    root.dataset.finchVersion = version;
    root.innerHTML = `
      <div class="brand"><span class="logo" aria-hidden="true">✦</span> Finch Shop <span class="ribbon">beta</span></div>
      <input class="search" type="search" placeholder="Search orders, customers…" aria-label="Search">
      <div class="who"></div>
      <span class="badge" title="header build">header ${version}</span>`;
    root.querySelector('.who').textContent = props.userId ? `Hi, ${props.userId}` : '';
    container.replaceChildren(root);
  }

  function unmount(container) {
    container.replaceChildren();
  }

  (window.FinchApps ??= {})[product] = { product, version, mount, unmount };
})();
