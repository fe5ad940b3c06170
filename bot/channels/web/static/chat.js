// Putokaz web chat: posts what the person does to /web/api/message and draws the replies.
// No framework and no build step: the page must open fast on a slow phone connection.
// The only innerHTML is a reply's "html", which the server renders from Markdown and escapes (bot.render).
"use strict";

(function () {
  var API = "/web/api/message";
  // The same alphabet Telegram allows in a deep link, so one QR payload works in both.
  var START_PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;
  var SAFE_URL = /^(https?:|tel:)/i;
  var TEXT = {
    sending: "sending…",
    locating: "finding your location…",
    retry: "Not sent: Putokaz could not be reached.",
    tryAgain: "Try again",
    shareLocation: "📍 Share my location",
    openMap: "📍 Open the map",
    noGeolocation: "This browser cannot share a location here. You can type the name of your town instead.",
    denied: "Your location was not shared. You can type the name of your town instead.",
    unavailable: "Your location could not be found. You can type the name of your town instead.",
    refused: "The message was not accepted: ",
    sharedLocation: "📍"
  };

  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var statusLine = document.getElementById("status");
  var busy = false;
  var retryLine = null;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function setStatus(text) {
    statusLine.textContent = text || "";
    document.body.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function show(node) {
    log.appendChild(node);
    // The start of a long answer matters more than its end.
    node.scrollIntoView({block: "nearest"});
  }

  function note(text, className) {
    var line = element("p", "note" + (className ? " " + className : ""), text);
    show(line);
    return line;
  }

  function language() {
    var tag = navigator.language;
    return typeof tag === "string" && tag.length > 0 && tag.length <= 35 ? tag : undefined;
  }

  // Send one message; `echo` is what the person's own bubble shows once the server has it.
  function send(payload, echo) {
    if (busy) return false;
    busy = true;
    if (retryLine) {
      retryLine.remove();
      retryLine = null;
    }
    setStatus(TEXT.sending);
    var body = Object.assign({}, payload);
    var tag = language();
    if (tag) body.language = tag;
    fetch(API, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      credentials: "same-origin",
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return {status: response.status, data: data};
      });
    }).then(function (answer) {
      busy = false;
      setStatus("");
      if (answer.status >= 500) {
        offerRetry(payload, echo);
        return;
      }
      if (answer.status !== 200) {
        note(TEXT.refused + (answer.data.error || answer.status), "error");
        return;
      }
      if (payload.text !== undefined && input.value.trim() === payload.text) input.value = "";
      if (echo) {
        var mine = element("div", "msg me", echo);
        mine.dir = "auto";
        show(mine);
      }
      var first = null;
      (answer.data.replies || []).forEach(function (reply) {
        var node = drawReply(reply);
        log.appendChild(node);
        first = first || node;
      });
      if (first) first.scrollIntoView({block: "start"});
    }).catch(function () {
      busy = false;
      setStatus("");
      offerRetry(payload, echo);
    });
    return true;
  }

  // A failed message stays where it was (typed text is still in the box) and can be sent again.
  function offerRetry(payload, echo) {
    retryLine = note(TEXT.retry + " ", "retry");
    var again = element("button", "", TEXT.tryAgain);
    again.type = "button";
    again.addEventListener("click", function () { send(payload, echo); });
    retryLine.appendChild(again);
  }

  function drawReply(reply) {
    var message = element("div", "msg bot");
    message.dir = reply.dir === "rtl" ? "rtl" : "ltr";
    if (reply.lang) message.lang = reply.lang;
    var body = element("div", "body");
    body.innerHTML = reply.html || "";
    message.appendChild(body);
    if (reply.location && SAFE_URL.test(reply.location.map_url || "")) {
      var pin = element("a", "pin", reply.location.title ? "📍 " + reply.location.title : TEXT.openMap);
      pin.href = reply.location.map_url;
      pin.target = "_blank";
      pin.rel = "noopener noreferrer";
      message.appendChild(pin);
    }
    // A file from this server (an event's calendar): a same-origin path only, never another site's address.
    if (reply.document && /^\/[^\/]/.test(reply.document.url || "")) {
      var file = element("a", "pin", "📎 " + (reply.document.name || ""));
      file.href = reply.document.url;
      file.setAttribute("download", reply.document.name || "");
      message.appendChild(file);
    }
    var rows = element("div", "buttons");
    var locationOffered = false;
    (reply.buttons || []).forEach(function (row) {
      var line = element("div", "row");
      row.forEach(function (button) {
        var control = drawButton(button);
        if (!control) return;
        if (button.request_location) locationOffered = true;
        line.appendChild(control);
      });
      if (line.childNodes.length) rows.appendChild(line);
    });
    if (reply.request_location && !locationOffered) {
      var extra = element("div", "row");
      extra.appendChild(drawButton({label: TEXT.shareLocation, request_location: true}));
      rows.appendChild(extra);
    }
    if (rows.childNodes.length) {
      message.appendChild(rows);
      message.classList.add("wide");  // room for two buttons side by side
    }
    return message;
  }

  function drawButton(button) {
    if (button.url) {
      if (!SAFE_URL.test(button.url)) return null;
      var link = element("a", "button", button.label);
      link.href = button.url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      return link;
    }
    var control = element("button", "", button.label);
    control.type = "button";
    if (button.request_location) {
      control.className = "location";
      control.addEventListener("click", function () { shareLocation(button.label); });
    } else if (button.action) {
      control.addEventListener("click", function () { send({action: button.action}, button.label); });
    } else {
      return null;
    }
    return control;
  }

  function shareLocation(label) {
    if (busy) return;
    if (!navigator.geolocation) {
      note(TEXT.noGeolocation);
      return;
    }
    setStatus(TEXT.locating);
    navigator.geolocation.getCurrentPosition(function (position) {
      setStatus("");
      send({location: {lat: position.coords.latitude, lon: position.coords.longitude}}, label || TEXT.sharedLocation);
    }, function (error) {
      setStatus("");
      note(error && error.code === 1 ? TEXT.denied : TEXT.unavailable);
    }, {enableHighAccuracy: false, timeout: 20000, maximumAge: 60000});
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    send({text: text}, text);
  });

  function start() {
    var payload = new URLSearchParams(window.location.search).get("start");
    send({text: payload && START_PAYLOAD.test(payload) ? "/start " + payload : "/start"}, null);
  }

  start();
})();
