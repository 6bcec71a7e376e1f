// The new tab page: bookmarks and most visited sites, kept live through window.nexus.
(function () {
  function tile(item) {
    const a = document.createElement("a");
    a.className = "tile";
    a.href = item.url;
    a.textContent = item.title || item.url;
    const small = document.createElement("small");
    small.textContent = item.url;
    a.appendChild(small);
    return a;
  }
  function render(listId, items) {
    const list = document.getElementById(listId);
    list.replaceChildren(...items.map(tile));
  }
  function load() {
    if (!window.nexus || !window.nexus.profile) return;
    window.nexus.profile("bookmarks").then((items) => render("bookmarks", items)).catch(() => {});
    window.nexus.profile("top_sites").then((items) => render("top-sites", items)).catch(() => {});
  }
  load();
  if (window.nexus && window.nexus.on) {
    window.nexus.on("data_sync", load);
  }
})();
