// revloop browser tracker: page views, content read depth, opt-in form submissions and identify, sent to
// revloop's Segment-compatible tracking API. Dependency-free ES module; the server also serves it as a
// classic script at /t.js (configured from its <script> tag). It only reads the page: it never writes
// URL data (or anything else) into the DOM.
//
//   import { createTracker } from './tracker.js';
//   const rl = createTracker({ writeKey: 'rlw_…', host: 'https://revloop.example.com' });
//   rl.page(); rl.identify('42', { email: 'ada@example.com' });

const ANON = 'rl_anon';
const USER = 'rl_user';
const QUEUE = 'rl_queue';
const CONSENT = 'rl_consent';
const MAX_QUEUE = 500;
const ACTIVE_MS = 15000;

function uuid() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === 'x' ? r : (r & 3) | 8).toString(16);
  });
}

function store(key, value) {
  try {
    if (value === undefined) return localStorage.getItem(key);
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch (e) {
    /* storage blocked: keep working in memory */
  }
  return null;
}

function campaign(url) {
  const out = {};
  try {
    const q = new URL(url).searchParams;
    for (const k of ['name', 'source', 'medium', 'term', 'content']) {
      const v = q.get('utm_' + (k === 'name' ? 'campaign' : k));
      if (v) out[k] = v;
    }
  } catch (e) {
    /* not a URL */
  }
  return out;
}

/**
 * @param {{ writeKey: string, host?: string, requireConsent?: boolean, respectDnt?: boolean,
 *   contentSelector?: string, flushMs?: number }} options
 */
export function createTracker(options) {
  const host = (options.host || location.origin).replace(/\/$/, '');
  const dnt = options.respectDnt && (navigator.doNotTrack === '1' || globalThis.doNotTrack === '1' || navigator.globalPrivacyControl === true);
  let consent = !options.requireConsent || store(CONSENT) === '1';
  let anonymousId = store(ANON);
  if (!anonymousId) {
    anonymousId = uuid();
    store(ANON, anonymousId);
  }
  let userId = store(USER);
  // A tracked library link (revloop's /l/<token>) lands with ajs_aid (Segment's query-string parameter): an
  // anonymous id revloop already tied to the contact the link was sent to. Adopted unless the visitor is
  // identified as someone else.
  let aid = null;
  try {
    aid = new URLSearchParams(location.search).get('ajs_aid');
  } catch (e) {
    /* no location */
  }
  if (aid && !userId && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(aid)) {
    anonymousId = aid.toLowerCase();
    store(ANON, anonymousId);
  }
  let queue = [];
  try {
    queue = JSON.parse(store(QUEUE) || '[]');
  } catch (e) {
    queue = [];
  }
  let timer = null;
  let sending = false;

  function save() {
    store(QUEUE, queue.length ? JSON.stringify(queue.slice(-MAX_QUEUE)) : null);
  }

  function context() {
    const url = location.href;
    return {
      library: { name: 'revloop.js', version: '1' },
      userAgent: navigator.userAgent,
      locale: navigator.language,
      page: { url, path: location.pathname, referrer: document.referrer, title: document.title, search: location.search },
      campaign: campaign(url),
    };
  }

  function enqueue(type, fields) {
    if (dnt || !consent) return;
    const msg = Object.assign({ type, messageId: uuid(), anonymousId, timestamp: new Date().toISOString(), context: context() }, fields);
    if (userId && !msg.userId) msg.userId = userId;
    queue.push(msg);
    if (queue.length > MAX_QUEUE) queue = queue.slice(-MAX_QUEUE);
    save();
    clearTimeout(timer);
    timer = setTimeout(flush, options.flushMs == null ? 300 : options.flushMs);
  }

  function body(batch) {
    return JSON.stringify({ batch, writeKey: options.writeKey, sentAt: new Date().toISOString() });
  }

  // Regular sends: fetch keepalive with a text/plain body (no CORS preflight). Failures stay queued
  // (offline, 429, 5xx) and are retried on the next flush or when the browser is back online.
  function flush() {
    if (sending || !queue.length || dnt || !consent) return;
    if (navigator.onLine === false) return;
    const batch = queue.slice(0, 100);
    sending = true;
    fetch(host + '/v1/batch', { method: 'POST', body: body(batch), keepalive: true, headers: { 'content-type': 'text/plain' }, credentials: 'omit' })
      .then((res) => {
        // 4xx other than 429 will never succeed: drop those messages instead of retrying forever.
        if (res.ok || (res.status >= 400 && res.status < 500 && res.status !== 429)) {
          const sent = new Set(batch.map((m) => m.messageId));
          queue = queue.filter((m) => !sent.has(m.messageId));
          save();
          sending = false;
          if (queue.length) flush();
        } else retryLater();
      })
      .catch(retryLater);
  }

  function retryLater() {
    sending = false;
    clearTimeout(timer);
    timer = setTimeout(flush, 5000);
  }

  // Page is going away: hand what is queued to the browser with sendBeacon (it outlives the page).
  function beacon() {
    if (!queue.length || dnt || !consent || !navigator.sendBeacon) return;
    const batch = queue.slice(0, 100);
    if (navigator.sendBeacon(host + '/v1/batch', new Blob([body(batch)], { type: 'text/plain' }))) {
      const sent = new Set(batch.map((m) => m.messageId));
      queue = queue.filter((m) => !sent.has(m.messageId));
      save();
    }
  }

  // ---- content read depth: max scroll % of the content element and active reading seconds ----
  let reading = null;
  function startReading() {
    const el = document.querySelector(options.contentSelector || '[data-revloop-content]');
    if (!el) return;
    reading = { el, maxPercent: 0, activeSeconds: 0, lastActive: Date.now(), sent: '' };
    const measure = () => {
      const r = reading.el.getBoundingClientRect();
      const seen = Math.min(r.height, Math.max(0, innerHeight - r.top));
      const pct = r.height > 0 ? Math.round((seen / r.height) * 100) : 100;
      if (pct > reading.maxPercent) reading.maxPercent = Math.min(100, pct);
    };
    const active = () => {
      reading.lastActive = Date.now();
    };
    measure();
    addEventListener('scroll', () => {
      active();
      measure();
    }, { passive: true });
    for (const ev of ['mousemove', 'keydown', 'touchstart', 'click']) addEventListener(ev, active, { passive: true });
    setInterval(() => {
      if (document.visibilityState === 'visible' && Date.now() - reading.lastActive < ACTIVE_MS) reading.activeSeconds++;
    }, 1000);
  }
  function reportReading() {
    if (!reading) return;
    const key = reading.maxPercent + ':' + reading.activeSeconds;
    if (key === reading.sent) return;
    reading.sent = key;
    enqueue('track', {
      event: 'Content Read',
      properties: { url: location.href, path: location.pathname, title: document.title, maxScrollPercent: reading.maxPercent, activeSeconds: reading.activeSeconds },
    });
  }

  function leaving() {
    reportReading();
    clearTimeout(timer);
    beacon();
  }
  addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') leaving();
  });
  addEventListener('pagehide', leaving);
  addEventListener('online', flush);

  // ---- forms: only those marked data-revloop-form; no passwords, hidden or card-like fields ----
  document.addEventListener('submit', (e) => {
    const form = e.target;
    if (!form || !form.hasAttribute || !form.hasAttribute('data-revloop-form')) return;
    const fields = {};
    let email = null;
    for (const input of Array.from(form.elements)) {
      const name = input.name;
      if (!name || input.disabled || /^(password|hidden|file)$/.test(input.type)) continue;
      if (/pass|card|cc-|cvc|cvv|iban|ssn/i.test(name)) continue;
      if ((input.type === 'checkbox' || input.type === 'radio') && !input.checked) continue;
      fields[name] = String(input.value).slice(0, 500);
      if (!email && (input.type === 'email' || /email/i.test(name)) && /@/.test(input.value)) email = input.value.trim();
    }
    if (email) enqueue('identify', { traits: Object.assign({}, fields, { email }) });
    enqueue('track', { event: 'Form Submitted', properties: { form: form.getAttribute('data-revloop-form') || form.id || form.name || null, path: location.pathname, fields } });
    beacon();
  }, true);

  const api = {
    anonymousId: () => anonymousId,
    page(name, properties) {
      enqueue('page', {
        name: name || document.title,
        properties: Object.assign({ url: location.href, path: location.pathname, referrer: document.referrer, title: document.title }, properties || {}),
      });
    },
    track(event, properties) {
      enqueue('track', { event, properties: properties || {} });
    },
    identify(id, traits) {
      if (id && typeof id === 'object') {
        traits = id;
        id = null;
      }
      if (id) {
        userId = String(id);
        store(USER, userId);
      }
      enqueue('identify', { traits: traits || {} });
    },
    /** Record or withdraw consent (when requireConsent is set). Withdrawing drops what is queued. */
    consent(given) {
      consent = Boolean(given);
      store(CONSENT, consent ? '1' : null);
      if (!consent) {
        queue = [];
        save();
      } else flush();
    },
    /** Forget the visitor (sign-out): new anonymousId, no userId. */
    reset() {
      userId = null;
      store(USER, null);
      anonymousId = uuid();
      store(ANON, anonymousId);
    },
    flush,
  };
  startReading();
  if (queue.length) setTimeout(flush, 0);
  return api;
}
