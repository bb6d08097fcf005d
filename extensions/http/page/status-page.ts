import { STATUS_PAGE_SCRIPT } from './script.js';
import { STATUS_PAGE_STYLE } from './style.js';

/** `/`: one self-contained document; its script fills it from the API, so the HTML never holds data. */
export const STATUS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>healthpipe status</title>
<style>${STATUS_PAGE_STYLE}</style>
</head>
<body>
<header>
<div><h1>healthpipe status</h1><p id="summary" class="summary">Loading…</p></div>
<p id="connection" role="status" aria-live="polite">Connecting…</p>
</header>
<main>
<section aria-labelledby="alerts-title">
<h2 id="alerts-title">Firing alerts</h2>
<ul id="alerts" class="alerts" aria-live="polite"></ul>
</section>
<section aria-labelledby="services-title">
<h2 id="services-title">Services</h2>
<ul id="services" class="grid" aria-live="polite"></ul>
</section>
<section aria-labelledby="components-title">
<h2 id="components-title">Agent components</h2>
<ul id="components" class="components"></ul>
</section>
</main>
<noscript><p>This page needs JavaScript; the same data is at <a href="api/services">/api/services</a> and <a href="health">/health</a>.</p></noscript>
<script>${STATUS_PAGE_SCRIPT}</script>
</body>
</html>
`;
