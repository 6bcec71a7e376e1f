// The search box of built-in pages: an address opens directly, anything else is searched.
(function () {
  const form = document.getElementById("search");
  const input = document.getElementById("q");
  if (!form || !input) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    const looksLikeAddress = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ||
      (/^[^\s]+\.[^\s]{2,}$/.test(text) && !text.includes(" "));
    if (looksLikeAddress) {
      location.href = /:\/\//.test(text) ? text : "https://" + text;
    } else {
      location.href = "https://duckduckgo.com/?q=" + encodeURIComponent(text);
    }
  });
  input.focus();
})();
