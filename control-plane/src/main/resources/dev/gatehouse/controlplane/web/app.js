// Gatehouse web UI: the only script the Content-Security-Policy allows (no inline script).
// Pages work without it; it adds two things: the request form shows only the fields of the chosen
// kind, and live pages re-read themselves when the server announces a change (server-sent events).
(function () {
  'use strict';

  function kindFields() {
    var form = document.getElementById('request-form');
    if (!form) { return; }
    function sync() {
      var chosen = form.querySelector('input[name="kind"]:checked');
      var kind = chosen ? chosen.value : 'service';
      form.querySelectorAll('fieldset[data-kind]').forEach(function (fs) {
        var on = fs.getAttribute('data-kind') === kind;
        fs.hidden = !on;
        fs.disabled = !on; // disabled fields are not submitted
      });
    }
    form.querySelectorAll('input[name="kind"]').forEach(function (r) { r.addEventListener('change', sync); });
    sync();
  }

  function edited(main) {
    return Array.prototype.some.call(main.querySelectorAll('input:not([type=hidden]), textarea, select'), function (el) {
      if (el.type === 'checkbox' || el.type === 'radio') { return el.checked !== el.defaultChecked; }
      if (el.tagName === 'SELECT') { return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; }); }
      return el.value !== el.defaultValue;
    });
  }

  var refreshing = false;
  var again = false;

  // Re-read this page and swap in its <main>, keeping focus and scroll; no navigation, no reload.
  function refresh(e) {
    var announce = !!(e && e.type === 'change');
    var main = document.getElementById('main');
    if (!main || main.getAttribute('data-live') !== 'true') { return; }
    if (refreshing) { again = true; return; }
    // Do not pull a form out from under someone filling it in: wait until nothing typed is pending.
    if (edited(main)) {
      setTimeout(function () { refresh(e); }, 3000);
      return;
    }
    refreshing = true;
    fetch(window.location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html', 'X-Gatehouse-Live': '1' } })
      .then(function (res) {
        if (res.redirected || !res.ok) { throw new Error('status ' + res.status); }
        return res.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('main');
        if (!fresh) { return; }
        var focusedId = document.activeElement && document.activeElement.id;
        var flash = main.querySelector('.flash');
        main.innerHTML = fresh.innerHTML;
        // keep the message of the last action on screen (a re-read never carries it)
        var h1 = main.querySelector('h1');
        if (flash && !main.querySelector('.flash') && h1) { h1.insertAdjacentElement('afterend', flash); }
        document.title = doc.title;
        if (focusedId && document.getElementById(focusedId)) { document.getElementById(focusedId).focus(); }
        var status = document.getElementById('live-status');
        if (status && announce) { status.textContent = 'Page updated'; }
        document.dispatchEvent(new CustomEvent('gatehouse:refreshed'));
      })
      .catch(function () { /* the next change or reconnect tries again */ })
      .then(function () {
        refreshing = false;
        if (again) { again = false; refresh(e); }
      });
  }

  function live() {
    var main = document.getElementById('main');
    if (!main || main.getAttribute('data-live') !== 'true' || !window.EventSource) { return; }
    var es = new EventSource('/ui/events');
    es.addEventListener('change', refresh);
    // After a dropped stream the browser reconnects by itself; re-read in case we missed changes.
    es.addEventListener('open', function () { if (es.seenOpen) { refresh(); } es.seenOpen = true; });
    // "time left" moves even when nothing happens: re-read quietly every minute
    setInterval(refresh, 60000);
  }

  document.addEventListener('DOMContentLoaded', function () {
    kindFields();
    live();
  });
})();
