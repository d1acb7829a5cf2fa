/*
 * Chat widget for the Occitanie social-aid assistant.
 * Embed with one tag: <script src="widget.js" data-container="ID" data-rasa-url="https://…"></script>
 * Talks to Rasa's REST channel. Never renders message text as HTML: text nodes only,
 * and only http(s) links become <a> elements.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var rasaUrl = (script && script.dataset.rasaUrl) ||
    (window.location.protocol + "//" + window.location.hostname + ":5005");
  var endpoint = rasaUrl.replace(/\/$/, "") + "/webhooks/rest/webhook";
  var containerId = (script && script.dataset.container) || "assistant-aides";
  var SENDER_KEY = "aides-occitanie-sender";
  // The transcript is kept for this tab only (sessionStorage): a reload shows it again,
  // closing the tab forgets it.
  var TRANSCRIPT_KEY = "aides-occitanie-transcript";

  function loadTranscript() {
    try { return JSON.parse(window.sessionStorage.getItem(TRANSCRIPT_KEY) || "[]"); } catch (e) { return []; }
  }
  function saveTranscript(items) {
    try { window.sessionStorage.setItem(TRANSCRIPT_KEY, JSON.stringify(items.slice(-200))); } catch (e) { /* full */ }
  }

  function newSender() {
    var id = (window.crypto && window.crypto.randomUUID) ? window.crypto.randomUUID()
      : String(Date.now()) + Math.random().toString(16).slice(2);
    try { window.localStorage.setItem(SENDER_KEY, id); } catch (e) { /* private mode */ }
    return id;
  }
  function sender() {
    try { return window.localStorage.getItem(SENDER_KEY) || newSender(); } catch (e) { return newSender(); }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // Plain text with clickable http(s) links and tap-to-call phone numbers (tel:): ten-digit French numbers,
  // and short service numbers after « appelez le », « au » or « Tél. » (115, 3114, 3230…). The rest stays text.
  var LINKS = /(https?:\/\/[^\s<>"')]+)|((?:\+33 ?|\b0)[1-9](?:[ .]?\d{2}){4}\b)|((?:appelez(?: le)?|composez(?: le)?|Tél\.|(?<![A-Za-zÀ-ÿ'’])(?:au|ou(?: le)?)|•) )(1\d{1,2}|3\d{3}|39 39)\b(?!\s?(?:€|%|ans?\b|jours?\b|mois\b|h\b|heures?\b|km\b|euros?\b|er\b|rue\b|av|bd\b|boulevard\b|place\b|chemin\b|route\b|all|\/))/gi;
  function telLink(number, sms) {
    var link = el("a", "aw-tel", number);
    link.href = (sms ? "sms:" : "tel:") + number.replace(/[^\d+]/g, "");
    return link;
  }
  // French typography on screen: a non-breaking space before « : ; ? ! » and inside « », so that a sign
  // never starts a line on a phone.
  function typography(text) {
    return text.replace(/ ([:;?!»])/g, "\u00a0$1").replace(/« /g, "«\u00a0");
  }
  function appendText(node, text) {
    text = typography(text);
    var last = 0, match;
    LINKS.lastIndex = 0;
    while ((match = LINKS.exec(text)) !== null) {
      node.appendChild(document.createTextNode(text.slice(last, match.index)));
      if (match[1]) {
        var url = match[1].replace(/[.,;:]+$/, "");
        var link = el("a", "", url);
        link.href = url;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        node.appendChild(link);
        last = match.index + url.length;
        LINKS.lastIndex = last;
      } else if (match[2]) {
        node.appendChild(telLink(match[2]));
        last = match.index + match[0].length;
      } else {
        node.appendChild(document.createTextNode(match[3]));
        // « SMS au 114 »: a text message, not a call
        node.appendChild(telLink(match[4], /SMS $/i.test(text.slice(0, match.index))));
        last = match.index + match[0].length;
      }
    }
    node.appendChild(document.createTextNode(text.slice(last)));
  }

  function build(container) {
    var root = el("section", "aw");
    root.setAttribute("aria-label", "Assistant des aides sociales");
    var header = el("div", "aw-header");
    header.appendChild(el("h2", "aw-title", "Assistant aides sociales"));
    var reset = el("button", "aw-reset fr-btn fr-btn--sm fr-btn--tertiary", "Effacer la conversation");
    reset.type = "button";
    header.appendChild(reset);
    var log = el("div", "aw-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-relevant", "additions");
    log.tabIndex = 0;
    log.setAttribute("aria-label", "Messages de la conversation");
    var form = el("form", "aw-form");
    var label = el("label", "aw-sr fr-label", "Votre message");
    label.htmlFor = "aw-input";
    var input = el("input", "aw-input fr-input");
    input.id = "aw-input";
    input.type = "text";
    input.autocomplete = "off";
    input.maxLength = 1000;
    input.placeholder = "Écrivez votre message…";
    var send = el("button", "aw-send fr-btn", "Envoyer");
    send.type = "submit";
    form.appendChild(label); form.appendChild(input); form.appendChild(send);
    root.appendChild(header); root.appendChild(log); root.appendChild(form);
    container.appendChild(root);
    return { log: log, form: form, input: input, reset: reset };
  }

  function start() {
    var container = document.getElementById(containerId);
    if (!container) { return; }
    var ui = build(container);
    var busy = false;
    var transcript = [];

    function remember(item) {
      transcript.push(item);
      saveTranscript(transcript);
    }

    function addPrintButton(bubble) {
      var print = el("button", "aw-choice aw-print fr-btn fr-btn--tertiary fr-btn--sm", "Imprimer le récapitulatif");
      print.type = "button";
      print.addEventListener("click", function () {
        document.querySelectorAll(".aw-printable").forEach(function (n) { n.classList.remove("aw-printable"); });
        bubble.classList.add("aw-printable");
        window.print();
      });
      ui.log.appendChild(print);
    }

    function addMessage(text, who) {
      var bubble = el("div", "aw-msg " + (who === "user" ? "aw-user" : "aw-bot"));
      if (who !== "user") { bubble.appendChild(el("span", "aw-sr", "Assistant : ")); }
      else { bubble.appendChild(el("span", "aw-sr", "Vous : ")); }
      appendText(bubble, text);
      ui.log.appendChild(bubble);
      if (who !== "user" && text.indexOf("RÉCAPITULATIF") === 0) { addPrintButton(bubble); }
      ui.log.scrollTop = ui.log.scrollHeight;
    }

    function addButtons(buttons) {
      var group = el("div", "aw-buttons");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Réponses proposées");
      buttons.forEach(function (button) {
        var choice = el("button", "aw-choice fr-btn fr-btn--secondary fr-btn--sm", button.title);
        choice.type = "button";
        choice.addEventListener("click", function () {
          group.remove();
          post(button.payload, button.title);
        });
        group.appendChild(choice);
      });
      ui.log.appendChild(group);
      ui.log.scrollTop = ui.log.scrollHeight;
    }

    function post(payload, shown, quiet) {
      if (busy) { return; }
      busy = true;
      addMessage(shown, "user");
      remember({ who: "user", text: shown });
      var typing = el("div", "aw-typing", "L'assistant écrit…");
      ui.log.appendChild(typing);
      fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender(), message: payload })
      }).then(function (response) {
        // 400, 413 and 429 carry a French explanation from the server (message unreadable, too long, too many).
        if (!response.ok && [400, 413, 429].indexOf(response.status) < 0) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (replies) {
        typing.remove();
        if (!replies.length) {
          addMessage("Je n'ai pas de réponse pour le moment. Réessayez, ou appelez le 39 39.", "bot");
        }
        replies.forEach(function (reply) {
          if (reply.text) { addMessage(reply.text, "bot"); }
          if (reply.buttons && reply.buttons.length) { addButtons(reply.buttons); }
          remember({ who: "bot", text: reply.text || "", buttons: reply.buttons || [] });
        });
      }).catch(function () {
        typing.remove();
        addMessage("L'assistant ne répond pas pour le moment. Réessayez dans un instant. " +
          "Pour parler à quelqu'un : 39 39 (Allô Service Public). En danger : 17 ou 112.", "bot");
      }).then(function () {
        busy = false;
        if (!quiet) { ui.input.focus(); }
      });
    }

    ui.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = ui.input.value.trim();
      if (!text) { return; }
      ui.input.value = "";
      post(text, text);
    });
    ui.reset.addEventListener("click", function () {
      post("/effacer_donnees", "Effacer la conversation");
      while (ui.log.firstChild) { ui.log.removeChild(ui.log.firstChild); }
      transcript = [];
      saveTranscript(transcript);
      newSender();
    });

    var previous = loadTranscript();
    if (previous.length) {
      previous.forEach(function (item, index) {
        if (item.text) { addMessage(item.text, item.who); }
        var last = index === previous.length - 1;
        if (last && item.buttons && item.buttons.length) { addButtons(item.buttons); }
      });
      transcript = previous;
    } else {
      post("/saluer", "Bonjour", true);
    }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
