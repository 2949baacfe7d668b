// revloop reader rating widget: "rate this content 1–5 + comment", posted to revloop's /v1/content/rate
// with the source write key. Opt-in per page, separate from the tracker (/t.js stays small): revloop serves
// it as a classic script at /rate.js and it mounts into every element marked data-revloop-rating:
//
//   <div data-revloop-rating></div>                        <!-- the page's URL names the content item -->
//   <div data-revloop-rating data-item-id="42"></div>      <!-- or the item id -->
//   <script async src="https://revloop.example.com/rate.js" data-write-key="rlw_…"></script>
//
// The rating is tied to the reader through the tracker's anonymousId / userId (localStorage rl_anon /
// rl_user), so it lands on the contact once the visitor is identified. With data-require-consent="true"
// and no consent given through the tracker, the rating is sent with a one-off id (not tied to anyone).
// It builds its own elements with textContent only: nothing from the URL or the server is parsed as HTML.

function read(key) {
  try {
    return localStorage.getItem(key);
  } catch (e) {
    return null;
  }
}

function uid() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  return 'r' + Date.now().toString(36) + Math.random().toString(36).slice(2);
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  return e;
}

/** Mounts the widget into `root`. Options: writeKey, host, requireConsent. */
export function mountRating(root, options) {
  if (root.getAttribute('data-rl-mounted')) return;
  root.setAttribute('data-rl-mounted', '1');
  const host = (options.host || location.origin).replace(/\/$/, '');
  const d = root.dataset || {};
  let rating = 0;
  const form = el('form', 'rl-rating');
  form.setAttribute('aria-label', d.label || 'Rate this content');
  const q = el('div', 'rl-rating-q', d.label || 'Was this useful?');
  const stars = el('div', 'rl-rating-stars');
  stars.setAttribute('role', 'radiogroup');
  const buttons = [];
  const paint = () => buttons.forEach((b, i) => {
    b.textContent = i < rating ? '\u2605' : '\u2606';
    b.setAttribute('aria-checked', String(i + 1 === rating));
  });
  for (let i = 1; i <= 5; i++) {
    const b = el('button', 'rl-star');
    b.type = 'button';
    b.setAttribute('role', 'radio');
    b.setAttribute('aria-label', i + ' of 5');
    b.style.cssText = 'font-size:1.5em;background:none;border:0;cursor:pointer;color:#e0a400;padding:0 2px';
    b.addEventListener('click', () => {
      rating = i;
      paint();
    });
    buttons.push(b);
    stars.appendChild(b);
  }
  paint();
  const comment = el('textarea', 'rl-rating-comment');
  comment.maxLength = 2000;
  comment.rows = 3;
  comment.placeholder = d.placeholder || 'Anything we should add or change? (optional)';
  comment.style.cssText = 'display:block;width:100%;box-sizing:border-box;margin:6px 0';
  const send = el('button', 'rl-rating-send', 'Send');
  send.type = 'submit';
  const status = el('div', 'rl-rating-status');
  status.setAttribute('role', 'status');
  form.append(q, stars, comment, send, status);
  root.appendChild(form);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!rating) {
      status.textContent = 'Choose 1 to 5 stars first.';
      return;
    }
    const consented = !options.requireConsent || read('rl_consent') === '1';
    const body = { writeKey: options.writeKey, rating, messageId: uid() };
    if (comment.value.trim()) body.comment = comment.value.trim();
    if (d.itemId) body.itemId = Number(d.itemId);
    else {
      const canon = document.querySelector('link[rel="canonical"]');
      body.url = d.url || (canon && canon.href) || location.href;
    }
    body.anonymousId = (consented && read('rl_anon')) || uid();
    const user = consented && read('rl_user');
    if (user) body.userId = user;
    send.disabled = true;
    status.textContent = 'Sending\u2026';
    fetch(host + '/v1/content/rate', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'text/plain' }, credentials: 'omit' })
      .then((res) => res.json().then((j) => ({ ok: res.ok, j }), () => ({ ok: res.ok, j: null })))
      .then(({ ok, j }) => {
        if (ok) {
          form.textContent = '';
          form.appendChild(el('div', 'rl-rating-thanks', d.thanks || 'Thank you for your feedback!'));
        } else {
          send.disabled = false;
          status.textContent = (j && j.error && j.error.message) || 'Could not send your rating; please try again.';
        }
      })
      .catch(() => {
        send.disabled = false;
        status.textContent = 'Could not send your rating; please try again.';
      });
  });
}

/** Mounts into every [data-revloop-rating] element of the page. */
export function mountAll(options) {
  document.querySelectorAll('[data-revloop-rating]').forEach((root) => mountRating(root, options));
}
