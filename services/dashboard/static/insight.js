// The insight panels (issue 11): rolling top tickers, the chosen ticker's crowd,
// its daily history and its sentiment against price. They read the JSON API
// on a timer (the live stream carries prices, candles, sentiment, posts and
// alerts); every text goes in through textContent.
import { createHistoryChart, createLagChart } from './charts.js';
import {
  changeClass, fmtCompact, fmtPct, fmtRankChange, fmtShare, fmtSigned, fmtVotes, safeHref, sentimentClass,
} from './format.js';

const $ = (id) => document.getElementById(id);

/** A DOM element with its properties and children; text only through textContent. (app.js uses it too.) */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

async function getJson(path) {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return res.json();
}

const WINDOW_LABEL = { '1h': 'last hour', '24h': 'last 24 h', '7d': 'last 7 days' };

/** A bar of bullish / neutral / bearish shares. */
function moodBar(bullish, neutral, bearish) {
  const part = (cls, share, label) => el('span', { class: `mood-${cls}`, style: `flex-grow:${Math.max(share, 0.0001)}`, title: `${label} ${fmtShare(share)}` });
  return el('span', { class: 'mood', 'aria-label': `bullish ${fmtShare(bullish)}, neutral ${fmtShare(neutral)}, bearish ${fmtShare(bearish)}` },
    part('pos', bullish, 'bullish'), part('neu', neutral, 'neutral'), part('neg', bearish, 'bearish'));
}

export function createInsight({ known, onPick, currentSymbol }) {
  const charts = { history: createHistoryChart($('history-chart')), lag: createLagChart($('lag-chart')) };
  const state = { window: '24h', subreddit: '', timers: [] };

  async function renderRankings() {
    const q = new URLSearchParams({ window: state.window, limit: '15' });
    if (state.subreddit) q.set('subreddit', state.subreddit);
    const body = await getJson(`/api/rankings?${q}`);
    $('rankings-sub').textContent = `${WINDOW_LABEL[body.window]}${body.subreddit ? ` · r/${body.subreddit}` : ''} · ${body.total} tickers`;
    const selected = currentSymbol();
    const rows = body.tickers.map((t) => el('tr', {
      class: `${known().has(t.ticker) ? 'link' : ''} ${t.ticker === selected ? 'selected' : ''}`,
      onclick: known().has(t.ticker) ? () => onPick(t.ticker) : undefined,
      'data-ticker': t.ticker,
    },
    el('td', { class: 'num muted', text: String(t.rank) }),
    el('td', { class: 'sym', text: t.ticker }),
    el('td', { class: `num rank ${t.rankChange > 0 ? 'up' : t.rankChange < 0 ? 'down' : 'flat'}`, title: 'rank change against the previous window', text: fmtRankChange(t.rankChange) }),
    el('td', { class: 'num', text: String(t.mentions) }),
    el('td', { class: `num ${changeClass(t.change)}`, title: `${t.previous.mentions} in the window before`, text: t.change === null ? 'new' : fmtPct(t.change, 0) }),
    el('td', { class: 'num hide-narrow', title: 'sum of the posts\u2019 scores', text: fmtVotes(t.upvotes) }),
    el('td', { class: 'mood-cell hide-narrow' }, moodBar(t.bullish, t.neutral, t.bearish)),
    el('td', { class: `num ${sentimentClass(t.meanSentiment)}`, text: fmtSigned(t.meanSentiment, 2) })));
    $('rankings-body').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '8', class: 'empty', text: 'no mentions in this window yet' }))]));
  }

  async function renderCrowd(symbol) {
    const body = await getJson(`/api/crowd?${new URLSearchParams({ ticker: symbol, window: state.window })}`);
    if (symbol !== currentSymbol()) return;
    $('crowd-sub').textContent = `${symbol} · ${WINDOW_LABEL[body.window]}`;
    const top = body.topPost;
    const href = top ? safeHref(top.permalink.startsWith('/') ? `https://www.reddit.com${top.permalink}` : top.permalink) : null;
    const figure = (label, value, title) => el('div', { class: 'figure', title }, el('span', { class: 'muted', text: label }), el('strong', { text: value }));
    $('crowd').replaceChildren(
      el('div', { class: 'figures' },
        figure('mentions', `${body.mentions}`, body.change === null ? 'none in the window before' : `${fmtPct(body.change, 0)} against the window before (${body.previous.mentions})`),
        figure('upvote-weighted', fmtCompact(body.weighted), 'each mention counts its post\u2019s score, at least once'),
        figure('authors', `${body.authors}`, 'distinct accounts: one account posting fifty times is one'),
        figure('per author', body.mentionsPerAuthor === null ? '—' : body.mentionsPerAuthor.toFixed(1), 'mentions per account: near 1 is a crowd')),
      el('div', { class: 'mood-row' }, moodBar(body.bullish, body.neutral, body.bearish),
        el('span', { class: 'muted', text: `${fmtShare(body.bullish)} bullish · ${fmtShare(body.bearish)} bearish` })),
      el('ul', { class: 'subs' }, ...body.subreddits.slice(0, 5).map((s) => el('li', {},
        el('span', { class: 'sub', text: `r/${s.subreddit}` }),
        el('span', { class: 'muted', text: `${s.mentions} · ${fmtShare(s.share)} · ${s.authors} authors` }),
        el('span', { class: `chip ${sentimentClass(s.meanSentiment)}`, text: fmtSigned(s.meanSentiment, 2) })))),
      top ? el('p', { class: 'top-post' },
        el('span', { class: 'muted', text: `top post ${fmtVotes(top.score)} ` }),
        href ? el('a', { href, target: '_blank', rel: 'noopener noreferrer', text: top.text || 'open on Reddit' }) : el('span', { text: top.text })) : null,
    );
    if (body.mentions === 0) $('crowd').replaceChildren(el('p', { class: 'empty', text: `no mentions of ${symbol} in the ${WINDOW_LABEL[body.window]}` }));
  }

  async function renderHistory(symbol) {
    const body = await getJson(`/api/history?${new URLSearchParams({ ticker: symbol, days: '30' })}`);
    if (symbol !== currentSymbol()) return;
    charts.history.setData(body.days);
    $('history-chart').dataset.points = String(body.days.filter((d) => d.mentions > 0 || d.close !== null).length);
    const closes = body.days.filter((d) => d.close !== null).length;
    $('history-sub').textContent = `daily mentions (UTC days) and ${body.timeZone === 'UTC' ? 'UTC close' : '16:00 New York close'} · ${closes} closes stored`;
  }

  async function renderLag(symbol, fromMs, toMs) {
    const body = await getJson(`/api/leadlag?${new URLSearchParams({ ticker: symbol, from: String(Math.max(fromMs, toMs - 3 * 86_400_000)), to: String(toMs) })}`);
    if (symbol !== currentSymbol()) return;
    charts.lag.setData(body);
    $('lag-chart').dataset.verdict = body.mentions.verdict;
    $('lag-summary').replaceChildren(
      el('li', { class: `verdict ${body.mentions.verdict}`, text: `Mentions: ${body.mentions.summary}` }),
      el('li', { class: `verdict ${body.sentiment.verdict}`, text: `Sentiment: ${body.sentiment.summary}` }));
  }

  const safely = (fn) => () => fn().catch((err) => console.warn(err.message));
  return {
    start() {
      $('rank-window').addEventListener('change', (e) => {
        state.window = e.target.value;
        void safely(renderRankings)();
        void safely(() => renderCrowd(currentSymbol()))();
      });
      $('rank-sub').addEventListener('change', (e) => {
        state.subreddit = e.target.value;
        void safely(renderRankings)();
      });
      void safely(renderRankings)();
      state.timers.push(setInterval(safely(renderRankings), 15_000));
    },
    /** the chosen ticker changed, or its range: redraw its own panels */
    symbol(symbol, fromMs, toMs) {
      for (const t of state.timers.splice(1)) clearInterval(t);
      const crowd = safely(() => renderCrowd(symbol));
      const slow = safely(async () => {
        await renderHistory(symbol);
        await renderLag(symbol, fromMs(), toMs());
      });
      void crowd();
      void slow();
      void safely(renderRankings)();
      state.timers.push(setInterval(crowd, 15_000), setInterval(slow, 60_000));
    },
  };
}
