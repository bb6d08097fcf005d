/** The status page's stylesheet: levels carry a colour, a symbol and a word, never colour alone. */
export const STATUS_PAGE_STYLE = `
:root {
  color-scheme: light dark;
  --bg: #f6f8fa; --card: #ffffff; --text: #1f2328; --muted: #59636e; --line: #d1d9e0;
  --info: #1a7f37; --warning: #9a6700; --error: #bc4c00; --critical: #cf222e; --unknown: #59636e;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --card: #151b23; --text: #f0f6fc; --muted: #9198a1; --line: #3d444d;
    --info: #3fb950; --warning: #d29922; --error: #f0883e; --critical: #f85149; --unknown: #9198a1;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: baseline; justify-content: space-between; padding: 1rem 1.25rem; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.3rem; margin: 0; }
h2 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
h3 { font-size: 1rem; margin: 0; overflow-wrap: anywhere; }
main { padding: 0 1.25rem 2rem; max-width: 80rem; margin: 0 auto; }
#connection { margin: 0; color: var(--muted); font-size: .9rem; }
#connection[data-state="live"]::before { content: "● "; color: var(--info); }
#connection[data-state="down"]::before { content: "● "; color: var(--critical); }
.summary { color: var(--muted); margin: .75rem 0 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 19rem), 1fr)); gap: .75rem; padding: 0; margin: 0; list-style: none; }
.service { background: var(--card); border: 1px solid var(--line); border-left: .35rem solid var(--level); border-radius: .4rem; padding: .75rem .9rem; }
.service header { padding: 0; border: 0; align-items: center; }
.level { color: var(--level); font-weight: 600; white-space: nowrap; }
.meta { color: var(--muted); font-size: .85rem; margin: .25rem 0 .5rem; }
.sparks { display: grid; grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr)); gap: .5rem; }
figure { margin: 0; }
figcaption { font-size: .8rem; color: var(--muted); display: flex; justify-content: space-between; gap: .25rem; }
figcaption b { color: var(--text); font-weight: 600; }
svg.spark { display: block; width: 100%; height: 2.2rem; }
svg.spark polyline { fill: none; stroke: var(--level); stroke-width: 1.5; vector-effect: non-scaling-stroke; }
.alerts, .components { list-style: none; padding: 0; margin: 0; display: grid; gap: .4rem; }
.components { grid-template-columns: repeat(auto-fill, minmax(min(100%, 15rem), 1fr)); }
.alerts li, .components li { background: var(--card); border: 1px solid var(--line); border-left: .35rem solid var(--level); border-radius: .4rem; padding: .45rem .7rem; overflow-wrap: anywhere; }
.empty { color: var(--muted); }
[data-level="info"], [data-state="running"] { --level: var(--info); }
[data-level="warning"], [data-state="degraded"], [data-state="starting"] { --level: var(--warning); }
[data-level="error"] { --level: var(--error); }
[data-level="critical"], [data-state="failed"] { --level: var(--critical); }
[data-level="unknown"], [data-state="stopped"] { --level: var(--unknown); }
@media (max-width: 30rem) { body { font-size: 14px; } header, main { padding-left: .75rem; padding-right: .75rem; } }
`;
