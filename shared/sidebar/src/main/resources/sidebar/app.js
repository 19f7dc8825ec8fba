// The staff sidebar: opened by WeCom beside a customer chat (chat toolbar), signed in by WeCom's OAuth code,
// it learns the customer from the JS-SDK (getCurExternalContact) and sends prepared texts as the staff member's
// own message (sendChatMessage). Plain browser JavaScript: no build step. docs/sidebar.md.
(function () {
  'use strict';
  var API = 'api/';
  var TOKEN_KEY = 'siyu.sidebar.token';
  var PENDING_KEY = 'siyu.sidebar.sent.';
  var SDKS = ['https://res.wx.qq.com/open/js/jweixin-1.2.0.js',
              'https://open.work.weixin.qq.com/wwopen/js/jwxwork-1.0.0.js'];
  var state = { token: null, external: null, customer: null };

  function $(id) { return document.getElementById(id); }

  function status(text, isError) {
    var s = $('status');
    s.textContent = text || '';
    s.className = isError ? 'error' : '';
  }

  function requestId() {
    var a = new Uint8Array(12);
    window.crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  function call(method, route, body) {
    var headers = { 'Content-Type': 'application/json' };
    if (state.token) { headers.Authorization = 'Bearer ' + state.token; }
    return fetch(API + route, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined })
      .then(function (r) {
        return r.json().then(function (j) {
          if (!r.ok) {
            if (r.status === 401) { sessionStorage.removeItem(TOKEN_KEY); }
            var err = new Error(j.message || ('HTTP ' + r.status));
            err.status = r.status;
            throw err;
          }
          return j;
        });
      });
  }

  // WeCom gives the page ?code= once; it is exchanged for our session and dropped from the address bar, so a
  // reload neither reuses it nor shows it.
  function signIn() {
    var params = new URLSearchParams(location.search);
    var code = params.get('code');
    if (!code) {
      state.token = sessionStorage.getItem(TOKEN_KEY);
      return state.token ? Promise.resolve() : Promise.reject(new Error('Open the sidebar from a customer chat in WeCom.'));
    }
    return call('POST', 'session', { code: code }).then(function (s) {
      state.token = s.token;
      sessionStorage.setItem(TOKEN_KEY, s.token);
      params.delete('code');
      params.delete('state');
      var rest = params.toString();
      history.replaceState(null, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
    });
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error('cannot load ' + src)); };
      document.head.appendChild(s);
    });
  }

  function sdk() {
    if (window.wx) { return Promise.resolve(window.wx); }
    return SDKS.reduce(function (p, src) { return p.then(function () { return loadScript(src); }); }, Promise.resolve())
      .then(function () { return window.wx; });
  }

  function agentConfig(wx) {
    return call('POST', 'agent-config', { url: location.href.split('#')[0] }).then(function (c) {
      return new Promise(function (resolve, reject) {
        wx.agentConfig({
          corpid: c.corpid, agentid: c.agentid, timestamp: c.timestamp, nonceStr: c.nonceStr,
          signature: c.signature, jsApiList: c.jsApiList,
          success: function () { resolve(wx); },
          fail: function (res) { reject(new Error('wx.agentConfig: ' + (res && res.errMsg))); }
        });
      });
    });
  }

  function invoke(wx, name, args) {
    return new Promise(function (resolve, reject) {
      wx.invoke(name, args, function (res) {
        if (res && res.err_msg === name + ':ok') { resolve(res); } else { reject(new Error(name + ': ' + (res && res.err_msg))); }
      });
    });
  }

  function when(iso) {
    return iso ? new Date(iso).toLocaleString() : '-';
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function render(c) {
    state.customer = c;
    $('customer-name').textContent = c.name || c.external_userid;
    $('stage').textContent = c.stage || 'new';
    $('channel').textContent = c.channel || '-';
    $('spend').textContent = '¥' + c.total_spend.toFixed(2) + ' / ' + c.order_count + ' orders';
    $('last-interaction').textContent = when(c.last_interaction_at);
    $('consent-warning').hidden = !c.consent_withdrawn;
    if (c.avatar) { $('avatar').src = c.avatar; $('avatar').hidden = false; }

    var tags = $('tags');
    tags.textContent = '';
    c.tags.forEach(function (t) {
      var li = el('li', { 'class': 'tag', 'data-tag': t }, t);
      var x = el('button', { type: 'button', 'aria-label': 'Remove ' + t, 'class': 'remove-tag' }, '×');
      x.addEventListener('click', function () { editTags([], [t]); });
      li.appendChild(x);
      tags.appendChild(li);
    });
    var select = $('tag-add');
    select.textContent = '';
    c.tag_catalog.forEach(function (d) {
      var group = el('optgroup', { label: d.name });
      d.tags.filter(function (t) { return c.tags.indexOf(t) < 0; })
        .forEach(function (t) { group.appendChild(el('option', { value: t }, t)); });
      if (group.children.length) { select.appendChild(group); }
    });

    var tasks = $('tasks');
    tasks.textContent = '';
    $('no-tasks').hidden = c.tasks.length > 0;
    c.tasks.forEach(function (t) {
      var li = el('li', { 'class': 'task', 'data-task-id': t.id });
      li.appendChild(el('b', {}, t.title));
      li.appendChild(el('p', { 'class': 'task-text' }, t.text));
      (t.attachments || []).forEach(function (a) { li.appendChild(el('p', { 'class': 'attachment' }, '+ ' + a)); });
      var send = el('button', { type: 'button', 'class': 'send' }, 'Send');
      // A red line the page can see before anything is sent: the customer withdrew marketing consent.
      if (c.consent_withdrawn) {
        send.disabled = true;
        send.title = 'Consent withdrawn: not to be sent';
      }
      if (sessionStorage.getItem(PENDING_KEY + t.id)) {
        send.disabled = true;
        send.title = 'Sent from your chat; marking it sent';
      }
      send.addEventListener('click', function () { sendTask(t, send); });
      var dismiss = el('button', { type: 'button', 'class': 'dismiss secondary' }, 'Dismiss');
      dismiss.addEventListener('click', function () { closeTask(t, 'dismiss'); });
      li.appendChild(send);
      li.appendChild(dismiss);
      tasks.appendChild(li);
    });

    var scenario = $('script-scenario');
    if (scenario.options.length === 1) {
      c.scenarios.forEach(function (s) { scenario.appendChild(el('option', { value: s }, s.replace(/_/g, ' '))); });
    }

    var timeline = $('timeline');
    timeline.textContent = '';
    c.timeline.forEach(function (e) {
      var li = el('li', { 'data-kind': e.kind });
      li.appendChild(el('b', {}, e.kind.replace(/_/g, ' ')));
      var what = e.details.tag || e.details.title || e.details.source || '';
      li.appendChild(document.createTextNode(' ' + what + ' · ' + when(e.at)));
      timeline.appendChild(li);
    });
  }

  function reload() {
    return call('GET', 'customer?external_userid=' + encodeURIComponent(state.external)).then(render);
  }

  function editTags(add, remove) {
    status('Saving tags...');
    return call('POST', 'tags', { external_userid: state.external, add: add, remove: remove, request_id: requestId() })
      .then(function (c) { render(c); status('Tags saved.'); })
      .catch(function (e) { status(e.message, true); });
  }

  // The server checks the task first (claim: red lines, expiry; it holds the task for this send), then the message
  // goes out as the staff member's own chat message, then the task is marked sent. A "sent" that did not reach the
  // server is kept in sessionStorage and retried (same request_id) before the page offers Send again.
  function sendTask(task, button) {
    button.disabled = true;
    status('Sending...');
    var rid = requestId();
    return call('POST', 'tasks/' + encodeURIComponent(task.id) + '/claim', { request_id: rid })
      .then(function (claim) {
        if (claim.status === 'SENT') { return reload(); }
        return invoke(state.wx, 'sendChatMessage', { msgtype: 'text', enterChat: false, text: { content: task.text } })
          .then(function () {
            sessionStorage.setItem(PENDING_KEY + task.id, JSON.stringify({ request_id: rid, title: task.title }));
            return markSent(task.id);
          });
      })
      .catch(function (e) { button.disabled = false; status(e.message, true); });
  }

  function markSent(taskId) {
    var pending = JSON.parse(sessionStorage.getItem(PENDING_KEY + taskId));
    return call('POST', 'tasks/' + encodeURIComponent(taskId) + '/sent', { request_id: pending.request_id })
      .then(function () { sessionStorage.removeItem(PENDING_KEY + taskId); })
      .then(reload)
      .then(function () { status('Sent: ' + pending.title); }, function (e) {
        // The message went out: only the server's answer about the task (closed, not found) ends the retry; a failed
        // call, a 5xx or an expired session keeps it for the next try.
        if (e.status >= 400 && e.status < 500 && e.status !== 401) { sessionStorage.removeItem(PENDING_KEY + taskId); }
        throw e;
      });
  }

  function retryPending() {
    var ids = [];
    for (var i = 0; i < sessionStorage.length; i++) {
      var k = sessionStorage.key(i);
      if (k.indexOf(PENDING_KEY) === 0) { ids.push(k.substring(PENDING_KEY.length)); }
    }
    return ids.reduce(function (p, id) {
      return p.then(function () { return markSent(id).catch(function (e) { status(e.message, true); }); });
    }, Promise.resolve());
  }

  function closeTask(task, action) {
    return call('POST', 'tasks/' + encodeURIComponent(task.id) + '/' + action, { request_id: requestId() })
      .then(reload)
      .then(function () { status(action === 'sent' ? 'Sent: ' + task.title : 'Dismissed: ' + task.title); })
      .catch(function (e) { status(e.message, true); });
  }

  // A mark whose answer never came (a lost response, a timeout) may have been recorded all the same: until one
  // is confirmed, clicking it again for the same customer resends the same request_id, which the server records
  // once. Kept in sessionStorage so a reload keeps it; a pending mark older than MARK_RETRY_MS is a new click.
  var MARK_PENDING_KEY = 'siyu.sidebar.pendingMarks';
  var MARK_RETRY_MS = 10 * 60 * 1000;
  var marking = {};

  function pendingMarks() {
    try { return JSON.parse(sessionStorage.getItem(MARK_PENDING_KEY)) || {}; } catch (e) { return {}; }
  }

  function savePendingMarks(p) { sessionStorage.setItem(MARK_PENDING_KEY, JSON.stringify(p)); }

  function mark(kind) {
    var key = state.external + '|' + kind;
    if (marking[key]) { return Promise.resolve(); }
    var pending = pendingMarks();
    var p = pending[key];
    if (!p || Date.now() - p.at > MARK_RETRY_MS) {
      p = pending[key] = { id: requestId(), at: Date.now() };
      savePendingMarks(pending);
    }
    marking[key] = true;
    return call('POST', 'marks', { external_userid: state.external, mark: kind, request_id: p.id })
      .then(function () {
        var after = pendingMarks();
        delete after[key];
        savePendingMarks(after);
        return reload().then(function () {
          status(kind === 'replied' ? 'Marked: customer replied.' : 'Marked: interaction.');
        });
      }, function (e) { status('Mark not confirmed (' + e.message + '): click again to retry.', true); })
      .catch(function (e) { status(e.message, true); })
      .then(function () { delete marking[key]; });
  }

  function searchScripts() {
    var q = $('script-query').value;
    var scenario = $('script-scenario').value;
    return call('GET', 'scripts?scenario=' + encodeURIComponent(scenario) + '&q=' + encodeURIComponent(q))
      .then(function (r) {
        var list = $('script-results');
        list.textContent = '';
        if (!r.scripts.length) { list.appendChild(el('li', { 'class': 'none' }, 'No script matches.')); }
        r.scripts.forEach(function (s) {
          var li = el('li', { 'class': 'script', 'data-scenario': s.scenario });
          li.appendChild(el('b', {}, s.title));
          li.appendChild(el('p', { 'class': 'script-text' }, s.text));
          var send = el('button', { type: 'button', 'class': 'send secondary' }, 'Send');
          send.addEventListener('click', function () {
            invoke(state.wx, 'sendChatMessage', { msgtype: 'text', enterChat: false, text: { content: s.text } })
              .then(function () { status('Sent: ' + s.title); })
              .catch(function (e) { status(e.message, true); });
          });
          li.appendChild(send);
          list.appendChild(li);
        });
      })
      .catch(function (e) { status(e.message, true); });
  }

  function wire() {
    $('tag-add-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var t = $('tag-add').value;
      if (t) { editTags([t], []); }
    });
    $('mark-replied').addEventListener('click', function () { mark('replied'); });
    $('mark-interaction').addEventListener('click', function () { mark('interaction'); });
    $('script-search').addEventListener('submit', function (e) { e.preventDefault(); searchScripts(); });
  }

  function start() {
    wire();
    signIn()
      .then(sdk)
      .then(agentConfig)
      .then(function (wx) {
        state.wx = wx;
        return invoke(wx, 'getCurExternalContact', {});
      })
      .then(function (res) {
        state.external = res.userId;
        return retryPending().then(reload);
      })
      .then(function () {
        $('sidebar').hidden = false;
        status('');
        document.body.setAttribute('data-ready', 'true');
      })
      .catch(function (e) { status(e.message, true); });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
