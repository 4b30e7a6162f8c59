// /verify/ in the browser: scan (camera, jsQR), paste or upload a notice and verify it here,
// offline, with WebCrypto Ed25519 and the trust and revocation lists the service worker keeps.
// Without JavaScript, or where the browser has no Ed25519, the form posts to the server.
// Every word it shows comes from the page's catalogue (#verify-text, the server's translation
// for the page's language, embedded as JSON by notices/verify_text.py): no English here.
(function () {
  "use strict";
  var body = document.body;
  var WORDS = JSON.parse(document.getElementById("verify-text").textContent);
  // The sentence of ``key`` (a reason code or a text key), its %(name)s filled from ``params``.
  function t(key, params) {
    var text = WORDS.reasons[key] || WORDS.text[key] || key;
    return text.replace(/%\((\w+)\)s|%%/g, function (m, name) {
      if (m === "%%") return "%";
      return params && name in params ? String(params[name]) : m;
    });
  }
  // An input that is not a notice at all: its message is already in the page's language.
  function NotANotice(key) { this.message = t(key); }
  var form = document.getElementById("verify-form");
  var area = form.querySelector("textarea");
  var fileInput = form.querySelector("input[type=file]");
  var result = document.getElementById("result");
  var listsStatus = document.getElementById("lists-status");
  var offlineStatus = document.getElementById("offline-status");
  var LEEWAY = 300;
  var lists = { trust: null, revocations: null };

  // ------------------------------------------------------------------ offline support
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: "/verify/" }).then(function () {
      offlineStatus.textContent = t("offline_ready");
    }).catch(function () { offlineStatus.textContent = ""; });
  }

  function loadLists() {
    return Promise.all([
      fetch(body.dataset.trust, { credentials: "omit" }).then(function (r) { return r.json(); }),
      fetch(body.dataset.revocations, { credentials: "omit" }).then(function (r) { return r.json(); }),
    ]).then(function (both) {
      lists.trust = both[0];
      lists.revocations = both[1];
      listsStatus.textContent = t(navigator.onLine ? "lists" : "lists_offline", {
        trust: fmtTime(both[0].generated_at),
        issuers: both[0].issuers.length,
        revocations: fmtTime(both[1].generated_at),
      });
      listsStatus.dataset.loaded = "1";
    }).catch(function () {
      listsStatus.textContent = t("lists_missing");
    });
  }
  var ready = loadLists();

  function fmtTime(iso) { return iso ? iso.replace("T", " ").slice(0, 16) + " UTC" : t("unknown_time"); }
  function fmtEpoch(s) { return new Date(s * 1000).toISOString().replace("T", " ").slice(0, 16) + " UTC"; }

  // ------------------------------------------------------------------ decoding
  function b64urlBytes(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new NotANotice("not_compact_jws");
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function jsonOf(bytes) {
    var value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new NotANotice("unreadable");
    return value;
  }
  function readNotice(text) {
    text = text.trim();
    if (text.length > 65536) throw new NotANotice("too_large");
    if (text.charAt(0) === "{") {
      var doc = JSON.parse(text);
      if (typeof doc.jws !== "string") throw new NotANotice("no_jws");
      return { jws: doc.jws.trim(), readable: doc.claims || null };
    }
    return { jws: text, readable: null };
  }

  function canonical(v) {
    if (Array.isArray(v)) return "[" + v.map(canonical).join(",") + "]";
    if (v && typeof v === "object") {
      return "{" + Object.keys(v).sort().map(function (k) { return JSON.stringify(k) + ":" + canonical(v[k]); }).join(",") + "}";
    }
    return JSON.stringify(v);
  }

  // ------------------------------------------------------------------ verification
  function findKey(kid) {
    var issuers = (lists.trust && lists.trust.issuers) || [];
    for (var i = 0; i < issuers.length; i++) {
      for (var j = 0; j < issuers[i].keys.length; j++) {
        if (issuers[i].keys[j].kid === kid) return { issuer: issuers[i], key: issuers[i].keys[j] };
      }
    }
    return null;
  }

  function verifyLocally(text) {
    var n = readNotice(text);
    var parts = n.jws.split(".");
    if (n.jws.length > 4096 || parts.length !== 3) throw new NotANotice("not_compact_jws");
    var header = jsonOf(b64urlBytes(parts[0]));
    var claims = jsonOf(b64urlBytes(parts[1]));
    var sig = b64urlBytes(parts[2]);
    if ("crit" in header) throw new NotANotice("crit_header");
    var reasons = [];
    // ``code``: the reason; ``key``: its sentence (the code's own, or a variant of it)
    var add = function (code, key, params) { reasons.push({ code: code, text: t(key || code, params) }); };
    var algOk = header.alg === "EdDSA";
    if (!algOk) add("algorithm_refused", "", { alg: JSON.stringify(header.alg) });
    var found = findKey(header.kid);
    var now = Date.now() / 1000;
    var checks = Promise.resolve();
    if (!found) {
      add("unknown_issuer", claims.iss ? "unknown_issuer_named" : "", { kid: JSON.stringify(header.kid), iss: JSON.stringify(claims.iss) });
    } else {
      var iss = found.issuer;
      if (claims.iss !== iss.organisation || claims.jur !== iss.state) {
        add("unknown_issuer", "key_of_another_issuer", { organisation: iss.organisation, state: iss.state, iss: JSON.stringify(claims.iss) });
      }
      if (Date.parse(iss.valid_from) / 1000 > now || (iss.valid_until && Date.parse(iss.valid_until) / 1000 < now)) {
        add("unknown_issuer", "issuer_not_trusted_now", { organisation: iss.organisation });
      }
      var nb = Date.parse(found.key.not_before) / 1000;
      var na = found.key.not_after ? Date.parse(found.key.not_after) / 1000 : Infinity;
      if (typeof claims.iat === "number" && (claims.iat < nb || claims.iat > na)) {
        add("key_not_in_use", "", { kid: found.key.kid });
      }
      var allowed = claims.status === "formal" ? ["formal_identification"] : ["formal_identification", "screening"];
      if (!iss.roles.some(function (r) { return allowed.indexOf(r) >= 0; })) {
        add("issuer_not_allowed", "", { organisation: iss.organisation, status: claims.status });
      }
      if (algOk) {
        checks = crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: found.key.jwk.x }, { name: "Ed25519" }, false, ["verify"])
          .then(function (key) {
            return crypto.subtle.verify({ name: "Ed25519" }, key, sig, new TextEncoder().encode(parts[0] + "." + parts[1]));
          })
          .then(function (ok) { if (!ok) add("bad_signature"); });
      }
    }
    if (["formal", "potential"].indexOf(claims.status) < 0 || typeof claims.exp !== "number" || typeof claims.nbf !== "number" || !claims.person) {
      add("invalid_claims");
    } else {
      if (now + LEEWAY < claims.nbf || now + LEEWAY < claims.iat) add("not_yet_valid", "", { when: fmtEpoch(claims.nbf) });
      if (now >= claims.exp) add("expired", "", { when: fmtEpoch(claims.exp) });
    }
    var revoked = (lists.revocations && lists.revocations.revoked) || [];
    revoked.forEach(function (r) {
      if (r.jti === claims.jti && r.iss === claims.iss) add("revoked", "", { date: r.revoked_at.slice(0, 10) });
    });
    if (n.readable && canonical(n.readable) !== canonical(claims)) {
      add("altered_claims");
    }
    return checks.then(function () {
      return { valid: reasons.length === 0, reasons: reasons, claims: claims, issuer: found && found.issuer };
    });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function show(v) {
    result.textContent = "";
    var box = el("div", "verdict " + (v.valid ? "good" : "bad"));
    box.setAttribute("data-testid", "verdict");
    box.setAttribute("role", v.valid ? "status" : "alert");
    box.appendChild(el("h2", "", v.valid ? "\u2714 " + t("valid") : "\u2718 " + t("not_valid")));
    if (v.reasons.length) {
      var ul = el("ul", "reasons");
      v.reasons.forEach(function (r) { var li = el("li", "", r.text); li.dataset.code = r.code; ul.appendChild(li); });
      box.appendChild(ul);
    }
    var c = v.claims || {};
    var p = c.person || {};
    var dl = el("dl", "claims");
    var rows = [
      [t("status"), t(c.status === "formal" ? "formal" : "potential")],
      [t("name"), ((p.given_name || "") + " " + (p.family_name || "")).trim()],
      [t("date_of_birth"), p.date_of_birth || "\u2014"],
      [t("nationality"), p.nationality || "\u2014"],
      [t("issued_by"), ((v.issuer && v.issuer.name) || c.iss) + " (" + c.iss + ", " + c.jur + ")"],
      [t("identified_on"), c.identified_on],
      [t("notice"), c.jti],
    ];
    if (p.document_number) rows.splice(4, 0, [t("document"), p.document_number]);
    if (c.contact) rows.push([t("contact"), c.contact]);
    rows.forEach(function (r) { dl.appendChild(el("dt", "", r[0])); dl.appendChild(el("dd", "", String(r[1]))); });
    box.appendChild(dl);
    box.appendChild(el("p", "small", t(navigator.onLine ? "checked_here" : "checked_here_offline")));
    result.appendChild(box);
    box.scrollIntoView({ block: "nearest" });
  }

  // Our own refusals are already worded; anything else (JSON.parse, TextDecoder) speaks the
  // browser's language or none: say it in the page's.
  function why(e) { return e instanceof NotANotice ? e.message : t("unreadable"); }

  function showError(text) {
    result.textContent = "";
    var box = el("div", "verdict bad");
    box.setAttribute("role", "alert");
    box.setAttribute("data-testid", "verdict");
    box.appendChild(el("h2", "", t("not_a_notice")));
    box.appendChild(el("p", "", text));
    result.appendChild(box);
  }

  var canVerifyHere = (window.crypto && crypto.subtle) ? crypto.subtle.importKey(
    "raw", new Uint8Array(32), { name: "Ed25519" }, false, ["verify"]
  ).then(function () { return true; }, function () { return false; }) : Promise.resolve(false);

  function check(text) {
    return Promise.all([ready, canVerifyHere]).then(function (r) {
      if (!r[1] || !lists.trust) return false; // the server verifies instead
      return verifyLocally(text).then(show, function (e) { showError(why(e)); }).then(function () { return true; });
    }).catch(function (e) { showError(why(e)); return true; });
  }

  form.addEventListener("submit", function (e) {
    if (!area.value.trim()) return; // an upload of a notice file is read on change
    e.preventDefault();
    check(area.value).then(function (done) { if (!done && navigator.onLine) form.submit(); });
  });

  // ------------------------------------------------------------------ images and the camera
  var canvas = document.createElement("canvas");
  var ctx2d = canvas.getContext("2d", { willReadFrequently: true });
  function decodeBitmap(source, w, h) {
    var scale = Math.min(1, 1600 / Math.max(w, h));
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    ctx2d.drawImage(source, 0, 0, canvas.width, canvas.height);
    var img = ctx2d.getImageData(0, 0, canvas.width, canvas.height);
    var code = window.jsQR ? window.jsQR(img.data, img.width, img.height, { inversionAttempts: "attemptBoth" }) : null;
    return code ? code.data : null;
  }

  if (fileInput) {
    fileInput.addEventListener("change", function () {
      var f = fileInput.files && fileInput.files[0];
      if (!f) return;
      if (/^image\//.test(f.type)) {
        createImageBitmap(f).then(function (bmp) {
          var text = decodeBitmap(bmp, bmp.width, bmp.height);
          if (!text) { showError(t("no_qr")); return; }
          area.value = text;
          fileInput.value = "";
          check(text);
        }, function () { showError(t("bad_picture")); });
      } else if (f.size <= 65536) {
        f.text().then(function (text) { area.value = text; fileInput.value = ""; check(text); });
      } else {
        showError(t("too_large"));
      }
    });
  }

  var scanSection = document.getElementById("scan-section");
  var video = document.getElementById("video");
  var scanBtn = document.getElementById("scan");
  var stopBtn = document.getElementById("stop");
  var status = document.getElementById("scan-status");
  var stream = null;
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) scanSection.hidden = false;
  function stop() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null; video.hidden = true; stopBtn.hidden = true; scanBtn.hidden = false;
  }
  function tick() {
    if (!stream) return;
    if (video.readyState >= 2 && video.videoWidth) {
      var text = decodeBitmap(video, video.videoWidth, video.videoHeight);
      if (text) { stop(); area.value = text; status.textContent = t("qr_read"); check(text); return; }
    }
    requestAnimationFrame(tick);
  }
  scanBtn.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s; video.srcObject = s; video.hidden = false; stopBtn.hidden = false; scanBtn.hidden = true;
      status.textContent = t("point_camera");
      video.play(); requestAnimationFrame(tick);
    }, function () { status.textContent = t("no_camera"); });
  });
  stopBtn.addEventListener("click", stop);
})();
