/** The report's one style sheet, inline: the file must open with no network. */
export const HTML_STYLE = `
:root{--server:#a33d00;--proxy-firewall:#6a3d9a;--client:#1f5f99;--unknown:#5c5c5c;--decisive:#fff1a8;--ink:#1b1b1b;--muted:#5f6368;--rule:#d0d4d9;--focus:#0b57d0;--failure:#c5221f;--row-h:20px}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",sans-serif;color:var(--ink);background:#fafbfc}
main,header{max-width:1200px;margin:0 auto;padding:0 20px}
header{padding-top:16px}
h1{font-size:1.6rem;margin:.4em 0 .2em}
h2{font-size:1.25rem;margin:1.6em 0 .5em;border-bottom:1px solid var(--rule);padding-bottom:.2em}
h3{font-size:1.1rem;margin:0 0 .4em}
a{color:var(--focus)}
a:focus-visible,.mark:focus-visible{outline:3px solid var(--focus);outline-offset:2px;border-radius:2px}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:6px 10px;z-index:10}
.skip:focus{left:8px;top:8px}
code,.mono{font-family:ui-monospace,"DejaVu Sans Mono","Liberation Mono",Menlo,Consolas,monospace;font-size:.86em}
.muted{color:var(--muted)}
.counts{display:flex;flex-wrap:wrap;gap:10px;list-style:none;padding:0;margin:.5em 0 1em}
.counts li{border:1px solid var(--rule);border-left:6px solid var(--unknown);background:#fff;padding:6px 12px;border-radius:4px}
.counts b{font-size:1.2rem;margin-left:.3em}
.v-server{--v:var(--server)}.v-proxy-firewall{--v:var(--proxy-firewall)}.v-client{--v:var(--client)}.v-unknown{--v:var(--unknown)}
.counts li{border-left-color:var(--v)}
.verdict{display:inline-block;color:#fff;background:var(--v);border-radius:3px;padding:0 .45em;font-weight:600;white-space:nowrap}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid var(--rule);padding:4px 8px;text-align:left;vertical-align:top}
th{white-space:nowrap}
.brk{overflow-wrap:anywhere}
.incidents td:nth-child(3),.incidents td:nth-child(4){min-width:12em}
caption{text-align:left;padding:4px 0}
.when{white-space:nowrap}
th{background:#eef1f4;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.scroll{overflow-x:auto}
.incident{background:#fff;border:1px solid var(--rule);border-top:5px solid var(--v);border-radius:6px;padding:14px 16px;margin:0 0 22px}
.incident:target{box-shadow:0 0 0 3px var(--focus)}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:.4em 0 .8em}
.facts dt{color:var(--muted)}
.facts dd{margin:0;overflow-wrap:anywhere}
.timeline{margin:.6em 0 1em;border:1px solid var(--rule);border-radius:4px;padding:6px 0;background:#fcfcfd}
.lane{display:grid;grid-template-columns:130px 1fr 110px;align-items:stretch;border-top:1px dashed #e3e6ea}
.lane:first-child{border-top:0}
.lane-name{padding:3px 10px;font-weight:600;font-size:.88em}
.axis .lane-name,.axis .untimed{color:var(--muted);font-weight:400;font-size:.8em}
.track{position:relative;min-height:calc(var(--rows,1)*var(--row-h) + 8px);margin:0 14px}
.axis .track{min-height:20px;border-bottom:1px solid #9aa0a6}
.tick{position:absolute;bottom:2px;transform:translateX(-50%);font-size:.75em;color:var(--muted);white-space:nowrap}
.failure{position:absolute;top:0;bottom:0;border-left:2px solid var(--failure)}
.axis .failure{display:none}
.empty{position:absolute;left:8px;top:4px;font-size:.8em;color:var(--muted);font-style:italic}
.mark{position:absolute;top:calc(var(--row,0)*var(--row-h) + 4px);transform:translateX(-50%);text-decoration:none;line-height:1;font-size:15px;color:#3c4043}
.untimed{display:flex;flex-wrap:wrap;gap:4px;padding:4px 8px;border-left:1px dashed #e3e6ea}
.untimed .mark{position:static;transform:none}
.mark.own{color:var(--client)}
.mark.tied{color:#137333}
.mark.time-only{color:#9aa0a6}
.mark.decisive{color:#000;background:var(--decisive);border:2px solid #b06000;border-radius:3px;padding:0 2px;font-size:17px;z-index:2}
.mark .label{position:absolute;left:100%;top:-1px;margin-left:6px;white-space:nowrap;font-size:11px;font-weight:600;background:var(--decisive);padding:0 3px;border-radius:2px}
.untimed .mark .label{display:none}
.legend{display:flex;flex-wrap:wrap;gap:16px;font-size:.85em;color:var(--muted);margin:.2em 0 .6em}
.legend .mark{position:static;transform:none}
.evidence td:nth-child(1){white-space:nowrap}
.evidence code{white-space:pre-wrap;overflow-wrap:anywhere}
.evidence tr.decisive td{background:var(--decisive)}
.evidence tr.decisive td:first-child{box-shadow:inset 5px 0 0 #b06000}
.evidence tr:target td{outline:2px solid var(--focus);outline-offset:-2px}
.badge{display:inline-block;font-size:.75em;font-weight:700;background:#b06000;color:#fff;border-radius:3px;padding:0 .4em;margin-left:.3em}
.clock-list{margin:.2em 0 .8em;padding-left:1.2em;font-size:.9em}
.back{font-size:.85em}
@media print{.skip{display:none}.incident{break-inside:avoid}}
`;
