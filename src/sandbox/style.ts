/** The sandbox page's stylesheet (inline in the page; the Content-Security-Policy allows it by its hash). */
export const STYLE = `
:root{--fg:#1a1a1a;--muted:#5a5a5a;--line:#dcdcdc;--accent:#0072B2;--warn:#a33b00;--bg2:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:#fff}
header.top{padding:12px 20px 8px;border-bottom:1px solid var(--line)}
h1{font-size:20px;margin:0 0 2px}
h2{font-size:16px;margin:18px 0 6px}
h3{font-size:14px;margin:12px 0 4px}
.sub{margin:0;color:var(--muted)}
.status{margin:6px 0 0;font-variant-numeric:tabular-nums;color:var(--muted)}
.status b{color:var(--fg)}
main{display:grid;grid-template-columns:minmax(340px,400px) 1fr;gap:0;align-items:start}
#controls{padding:8px 16px 24px;border-right:1px solid var(--line);background:var(--bg2);min-height:calc(100vh - 90px)}
#results{padding:8px 20px 40px;min-width:0}
@media (max-width:900px){main{grid-template-columns:1fr}#controls{border-right:0;min-height:0}}
fieldset{border:1px solid var(--line);border-radius:6px;margin:10px 0;padding:6px 10px 8px;background:#fff}
legend{font-weight:600;padding:0 4px}
.ctl{margin:8px 0 10px}
.ctl label,.ctl .name{display:block;font-weight:500}
.ctl.changed label,.ctl.changed .name{color:var(--accent)}
.ctl.changed label::after,.ctl.changed .name::after{content:" \\25CF";font-size:10px;vertical-align:2px}
.unit{font-weight:normal;color:var(--muted);font-size:12px}
.row{display:flex;gap:6px;align-items:center}
.row input[type=range]{flex:1;min-width:0}
.row input[type=number]{width:92px}
.row select{flex:1}
.hint{color:var(--muted);font-size:12px;margin-top:1px}
.note{color:var(--muted);font-size:12px;margin:4px 0}
.warn{color:var(--warn)}
button{font:inherit;font-size:13px;padding:3px 10px;border:1px solid #b8b8b8;border-radius:4px;background:#fff;cursor:pointer}
button:hover{background:#eef4fa}
button.reset{padding:1px 7px}
.buttons{display:flex;gap:8px;flex-wrap:wrap;margin:10px 0}
details>summary{cursor:pointer}
details.bid{margin:6px 0;border-top:1px solid var(--line);padding-top:4px}
.domains{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:2px 8px}
.domains label{font-weight:normal}
table{border-collapse:collapse;font-size:12.5px;font-variant-numeric:tabular-nums;margin:4px 0}
th,td{border-bottom:1px solid #e6e6e6;padding:3px 8px;text-align:left}
th.n,td.n{text-align:right}
caption{text-align:left;color:var(--muted);font-size:12px;padding:2px 0}
.rivals td{padding:2px 4px}
.rivals input{width:80px}
.rivals tr.changed td:first-child{color:var(--accent);font-weight:600}
.scroll{max-height:320px;overflow:auto}
figure.chart{margin:14px 0 22px;max-width:680px}
figure.chart .svg svg{width:100%;height:auto;display:block}
figcaption{color:var(--muted);font-size:12.5px;margin-top:2px}
details.data{margin-top:4px;font-size:12.5px}
svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;fill:#222}
svg .ct{font-size:15px;font-weight:600}
svg .cs{font-size:12px;fill:#555}
svg .tick{font-size:11px;fill:#444}
svg .at{font-size:12px;fill:#333}
svg .lg,svg .lab{font-size:12px}
svg .lab.focal{font-weight:700}
svg .val{font-size:11px;fill:#333}
svg .grid{stroke:#e8e8e8}
svg .axis{stroke:#888}
svg .hover{fill:transparent}
svg .hover:hover{fill:rgba(0,0,0,.05)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:10px;max-width:680px}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 10px}
.card .big{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
.card .small{color:var(--muted);font-size:12px}
.problems{border:1px solid #e0b4a0;background:#fff6f2;padding:8px 12px;border-radius:6px;white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12.5px}
textarea,pre,code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12.5px}
textarea{width:100%;min-height:110px}
pre{background:var(--bg2);padding:8px;overflow:auto;max-height:360px}
input[type=text].wide{width:100%}
.sr{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.stale figure.chart,.stale .cards,.stale #cost table{opacity:.35;transition:opacity .2s}
`;
