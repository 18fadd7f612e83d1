// The report page's own script. It reads the report object from the JSON tag #emlab-data and
// builds the page: contents, sections, tables and one Vega-Lite chart per chart entry.
//
// State is written to the DOM so a headless browser can check the page without running code:
//   each .chart container: data-status = pending | ok | error, data-marks = data marks drawn
//   <body>: data-charts = done (every chart settled) | error (the page itself failed),
//           data-chart-count = number of chart containers
//   served by `emlab serve`, also: data-live = watching, data-live-state = the database state the
//           page shows, data-live-reloads = reloads the watcher made in this tab
(function () {
  'use strict';

  const EMBED_OPTIONS = {
    renderer: 'svg',
    // Export only: SVG/PNG saving works offline; the editor and source views need the network.
    actions: {export: true, source: false, compiled: false, editor: false},
  };
  const GRAPHIC_TAGS = new Set(['path', 'rect', 'line', 'circle', 'ellipse', 'polygon',
    'polyline', 'text', 'image']);

  // A DOM element with attributes and children (strings become text nodes, never HTML).
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null) continue;
      if (key === 'class') node.className = value;
      else if (key.startsWith('data-')) node.setAttribute(key, String(value));
      else node[key] = value;
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Ids come from the C++ side; keep them safe for use as element ids and fragment links.
  function slug(text) {
    return String(text).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') ||
      'item';
  }

  function showPageError(message) {
    const root = document.getElementById('report') || document.body;
    root.prepend(el('p', {class: 'page-error', role: 'alert'}, 'The report could not be built: ',
      message));
    console.error('emlab report: ' + message);
    document.body.dataset.charts = 'error';
  }

  // --- tables ---------------------------------------------------------------------------------

  function renderTable(table) {
    const columns = table.columns || [];
    const head = el('tr', null, columns.map((c) => el('th', {scope: 'col'}, c)));
    const body = (table.rows || []).map((row) => el('tr', null, row.map((cell) =>
      el('td', {class: typeof cell === 'number' ? 'num' : undefined},
        cell === null || cell === undefined ? '\u2014' : String(cell)))));
    return el('figure', {class: 'table'},
      table.title ? el('figcaption', null, table.title) : null,
      el('div', {class: 'table-scroll'},
        el('table', null, el('thead', null, head), el('tbody', null, body))));
  }

  // --- charts ---------------------------------------------------------------------------------

  // Calls f on the spec and on every nested view that can carry its own encoding.
  function forEachView(spec, f) {
    if (!spec || typeof spec !== 'object') return;
    f(spec);
    for (const key of ['layer', 'hconcat', 'vconcat', 'concat']) {
      if (Array.isArray(spec[key])) spec[key].forEach((s) => forEachView(s, f));
    }
    if (spec.spec) forEachView(spec.spec, f);  // facet and repeat
  }

  function scaleType(spec, channel) {
    let type = null;
    forEachView(spec, (view) => {
      const enc = view.encoding && view.encoding[channel];
      if (type === null && enc && enc.scale && enc.scale.type) type = enc.scale.type;
    });
    return type;
  }

  // A copy of spec with the scale of channel set to log or linear wherever it is encoded.
  function withScaleType(spec, channel, log) {
    const copy = JSON.parse(JSON.stringify(spec));
    forEachView(copy, (view) => {
      const enc = view.encoding && view.encoding[channel];
      if (!enc || !enc.field) return;
      enc.scale = Object.assign({}, enc.scale, {type: log ? 'log' : 'linear'});
      // A zero in a log domain would collapse the axis; let Vega pick the domain instead.
      if (log) delete enc.scale.zero;
    });
    return copy;
  }

  // Data marks drawn in the chart's SVG: the graphics inside every "mark-*" group of role mark
  // (axes, legends and titles have other roles). Items placed at NaN (a log of zero) do not count.
  function countMarks(container) {
    let count = 0;
    for (const group of container.querySelectorAll('svg g.role-mark')) {
      const markClass = Array.from(group.classList).find((c) => c.startsWith('mark-'));
      if (!markClass || markClass === 'mark-group') continue;
      for (const item of group.children) {
        if (!GRAPHIC_TAGS.has(item.tagName.toLowerCase())) continue;
        const geometry = ['transform', 'd', 'x', 'y', 'x1', 'y1']
          .map((a) => item.getAttribute(a) || '').join(' ');
        if (!geometry.includes('NaN')) count += 1;
      }
    }
    return count;
  }

  function setChartError(container, message) {
    container.dataset.status = 'error';
    container.querySelector('.chart-error').textContent = 'Chart failed: ' + message;
    console.error('emlab chart ' + container.id + ': ' + message);
  }

  // Embeds spec into the container's view slot; resolves after the status is written.
  async function embedChart(container, spec) {
    const toggles = container.querySelectorAll('.chart-controls input');
    toggles.forEach((box) => { box.disabled = true; });
    container.dataset.status = 'pending';
    container.querySelector('.chart-error').textContent = '';
    if (container.emlabView) {
      container.emlabView.finalize();
      container.emlabView = null;
    }
    try {
      const result = await vegaEmbed(container.querySelector('.chart-view'), spec, EMBED_OPTIONS);
      container.emlabView = result;
      const marks = countMarks(container);
      container.dataset.marks = String(marks);
      container.dataset.status = 'ok';
    } catch (error) {
      container.dataset.marks = '0';
      setChartError(container, error && error.message ? error.message : String(error));
    }
    toggles.forEach((box) => { box.disabled = false; });
  }

  function renderChart(sectionId, chart, index) {
    const id = 'chart-' + sectionId + '-' + slug(chart.id || String(index + 1));
    const container = el('figure', {class: 'chart', id: id, 'data-status': 'pending'},
      chart.title ? el('figcaption', null, chart.title) : null,
      el('div', {class: 'chart-controls'}),
      el('div', {class: 'chart-view'}),
      el('p', {class: 'chart-error', role: 'alert'}),
      chart.note ? el('p', {class: 'chart-note'}, chart.note) : null);
    const spec = chart.spec;
    const toggles = (spec && spec.usermeta && spec.usermeta.logToggles) || [];
    const controls = container.querySelector('.chart-controls');
    const state = {};
    for (const channel of toggles) {
      state[channel] = scaleType(spec, channel) === 'log';
      // Enabled once the chart is drawn (embedChart), so two embeds never race on one chart.
      const box = el('input', {type: 'checkbox', checked: state[channel], disabled: true,
        'data-channel': channel});
      box.addEventListener('change', () => {
        state[channel] = box.checked;
        let next = spec;
        for (const c of toggles) next = withScaleType(next, c, state[c]);
        embedChart(container, next);
      });
      controls.append(el('label', {class: 'log-toggle'}, box, ' log ' + channel));
    }
    return {container: container, spec: spec};
  }

  // --- sections -------------------------------------------------------------------------------

  function renderSection(section, index, charts) {
    const id = slug(section.id || 'section-' + (index + 1));
    const node = el('section', {id: 'sec-' + id, class: 'report-section'},
      el('h2', null, section.title || id));
    if (section.text) {
      // Section text is HTML written by emlab itself (paragraphs, emphasis, code).
      const text = el('div', {class: 'section-text'});
      text.innerHTML = section.text;
      node.append(text);
    }
    if (section.missing) {
      node.append(el('p', {class: 'missing', role: 'note'}, el('strong', null, 'Not available: '),
        section.missing));
    } else {
      (section.charts || []).forEach((chart, i) => {
        const rendered = renderChart(id, chart, i);
        node.append(rendered.container);
        charts.push(rendered);
      });
    }
    (section.tables || []).forEach((table) => node.append(renderTable(table)));
    return {id: id, node: node};
  }

  function renderContents(sections) {
    return el('nav', {class: 'contents', 'aria-label': 'Contents'},
      el('h2', null, 'Contents'),
      el('ol', null, sections.map((s) =>
        el('li', null, el('a', {href: '#sec-' + s.id}, s.title)))));
  }

  // --- page -----------------------------------------------------------------------------------

  async function main() {
    let report;
    try {
      report = JSON.parse(document.getElementById('emlab-data').textContent);
    } catch (error) {
      showPageError('the report data is not valid JSON (' + error.message + ')');
      return;
    }
    window.EMLAB_REPORT = report;
    if (typeof vegaEmbed !== 'function') {
      showPageError('the Vega libraries did not load');
      return;
    }
    const root = document.getElementById('report');
    root.textContent = '';
    if (report.title) document.title = report.title;
    const header = el('header', null, el('h1', null, report.title || 'Report'),
      report.generated ? el('p', {class: 'generated'}, 'Generated ' + report.generated) : null);
    const charts = [];
    const sections = (report.sections || []).map((s, i) => {
      const rendered = renderSection(s, i, charts);
      return {id: rendered.id, title: s.title || rendered.id, node: rendered.node};
    });
    root.append(header);
    if (sections.length > 1) root.append(renderContents(sections));
    sections.forEach((s) => root.append(s.node));
    document.body.dataset.chartCount = String(charts.length);
    // Charts render one after another: the page stays responsive and the order is stable.
    for (const chart of charts) await embedChart(chart.container, chart.spec);
    document.body.dataset.charts = 'done';
    if (report.live) watchLive(report.live);
  }

  // Served by `emlab serve`: ask the server for the database's state now and then, and reload
  // when it has changed (a checkpoint stored, a run started or ended). Silent when it is gone.
  function watchLive(live) {
    // The count survives the reload in sessionStorage (this tab only), so a headless browser can
    // tell a page the watcher reloaded from a first load.
    const RELOADS = 'emlab-live-reloads';
    let reloads = 0;
    try {
      reloads = Number(sessionStorage.getItem(RELOADS)) || 0;
    } catch (error) {
      // Storage blocked: the page still watches, it only cannot count.
    }
    document.body.dataset.liveReloads = String(reloads);
    document.body.dataset.liveState = live.state;
    document.body.dataset.live = 'watching';
    const poll = Math.max(500, Number(live.poll_ms) || 2000);
    const reload = () => {
      try {
        sessionStorage.setItem(RELOADS, String(reloads + 1));
      } catch (error) {
        // As above: the reload matters, the count does not.
      }
      location.reload();
    };
    const check = () => {
      fetch('state', {cache: 'no-store'})
        .then((response) => (response.ok ? response.text() : null))
        .then((state) => {
          if (state !== null && state !== live.state) reload();
          else setTimeout(check, poll);
        })
        .catch(() => setTimeout(check, poll * 5));
    };
    setTimeout(check, poll);
  }

  function start() {
    main().catch((error) => showPageError(error && error.message ? error.message : String(error)));
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
