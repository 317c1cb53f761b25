/// The stylesheet and script every page embeds, nonce'd per response (no external assets).
enum DashboardAssets {
    static let stylesheet: StaticString = """
    :root{--fg:#1a202c;--muted:#4a5568;--line:#e2e8f0;--bg:#f7fafc;--card:#fff;--pos:#2f855a;--neu:#718096;--neg:#c53030;--uns:#8c7a5b;--accent:#2b6cb0}
    *{box-sizing:border-box}
    body{margin:0;font:15px/1.45 "DejaVu Sans",Verdana,system-ui,sans-serif;color:var(--fg);background:var(--bg)}
    header.top{display:flex;align-items:center;justify-content:space-between;padding:.7rem 1.5rem;background:#1a365d;color:#fff}
    header.top a.brand{color:#fff;font-weight:bold;text-decoration:none;font-size:1.1rem}
    .live-status{font-size:.8rem;padding:.15rem .6rem;border-radius:1rem;background:#2c5282}
    .live-status[data-state=live]{background:#276749}
    .bucket.unfinished rect{fill-opacity:.45}
    .filters{display:flex;gap:.6rem;flex-wrap:wrap;align-items:end;margin:.5rem 0}
    .downloads a{margin-right:1rem}
    .times{font-size:.8rem;color:#4a5568;margin-left:.3rem}
    .live-status[data-state=reconnecting]{background:#9c4221}
    main{max-width:1060px;margin:0 auto;padding:1rem 1.5rem 2rem}
    h1{font-size:1.5rem;margin:.6rem 0 .2rem}
    h2{font-size:1.1rem;margin:1.4rem 0 .5rem}
    a{color:var(--accent)}
    .sub{color:var(--muted);margin:0 0 .8rem}
    .notice{background:#fefcbf;border:1px solid #ecc94b;padding:.4rem .8rem;border-radius:4px;margin:.6rem 0}
    .card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.8rem 1rem;margin:.8rem 0;overflow-x:auto}
    table.overview{width:100%;border-collapse:collapse;background:var(--card)}
    table.overview th,table.overview td{padding:.45rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle}
    table.overview th{font-size:.8rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
    td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    .shares{font-size:.75rem;color:var(--muted);white-space:nowrap}
    .pos{color:var(--pos)} .neg{color:var(--neg)} .neu{color:var(--neu)} .uns{color:var(--uns)}
    nav.ranges{display:flex;gap:.3rem;margin:.6rem 0}
    nav.ranges a{padding:.25rem .7rem;border:1px solid var(--line);border-radius:4px;background:var(--card);text-decoration:none}
    nav.ranges a[aria-current=page]{background:var(--accent);color:#fff;border-color:var(--accent)}
    .stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:.6rem;margin:.8rem 0}
    .stat{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.5rem .8rem}
    .stat .label{font-size:.75rem;color:var(--muted);text-transform:uppercase}
    .stat .value{font-size:1.35rem;font-weight:bold;font-variant-numeric:tabular-nums}
    .legend{display:flex;gap:1rem;font-size:.8rem;color:var(--muted);margin:.3rem 0 0}
    .legend span::before{content:"";display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:-.05em;background:currentColor}
    .legend .mean{color:var(--accent)}
    .two{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1rem}
    svg.chart{max-width:100%;height:auto;display:block}
    ol.posts,ul.posts{list-style:none;margin:0;padding:0}
    .post{border-bottom:1px solid var(--line);padding:.5rem 0}
    .post:last-child{border-bottom:0}
    .post p{margin:.1rem 0 .25rem;overflow-wrap:anywhere;white-space:pre-wrap}
    .post .meta{font-size:.78rem;color:var(--muted)}
    .badge{display:inline-block;border-radius:3px;padding:0 .35rem;font-size:.75rem;color:#fff}
    .badge.positive{background:var(--pos)} .badge.neutral{background:var(--neu)} .badge.negative{background:var(--neg)} .badge.unscored{background:var(--uns)}
    footer{max-width:1060px;margin:0 auto;padding:0 1.5rem 2rem;color:var(--muted);font-size:.8rem}
    .empty{color:var(--muted);font-style:italic}
    """

    /// Opens one EventSource and, on change events, re-fetches this very page (at most
    /// once a second) and swaps its `[data-live]` part: the page itself is the partial, so
    /// the no-JS and live views can never disagree.
    static let liveScript: StaticString = """
    (function(){
      var root=document.querySelector('[data-live]');
      var status=document.getElementById('live-status');
      var me=document.currentScript;
      if(!root||!window.EventSource||!window.fetch||!window.DOMParser||!me){return;}
      var timer=null,last=0,busy=false,again=false;
      function state(s,t){if(status){status.setAttribute('data-state',s);status.textContent=t;}}
      function refresh(){
        timer=null;if(busy){again=true;return;}busy=true;last=Date.now();
        fetch(location.href,{credentials:'same-origin',headers:{'Accept':'text/html'}})
          .then(function(r){if(!r.ok){throw new Error(r.status);}return r.text();})
          .then(function(t){
            var fresh=new DOMParser().parseFromString(t,'text/html').querySelector('[data-live]');
            if(fresh){var n=Number(root.getAttribute('data-refreshes')||0)+1;
              fresh=document.importNode(fresh,true);fresh.setAttribute('data-refreshes',String(n));
              root.replaceWith(fresh);root=fresh;}
            state('live','live · updated '+new Date().toISOString().slice(11,19)+' UTC');
          })
          .catch(function(){state('reconnecting','update failed');})
          .then(function(){busy=false;if(again){again=false;schedule();}});
      }
      function schedule(){if(timer){return;}timer=setTimeout(refresh,Math.max(0,1000-(Date.now()-last)));}
      var es=new EventSource(me.getAttribute('data-events'));
      es.onopen=function(){state('live','live');};
      es.onerror=function(){state('reconnecting','reconnecting…');};
      es.addEventListener('change',schedule);
    })();
    """
}
