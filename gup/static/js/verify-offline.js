/* The offline verifier (/verify/offline/): checks a document's seal in this browser, with no
 * network once the page is loaded. It mirrors workflows/documents/seal.py:
 *
 *   code = Base32( CBOR [version, kind, number, tracking number, holder, issued, valid until,
 *                        key id] || Ed25519 signature of those CBOR bytes )
 *
 * Everything it needs is in the page's JSON block (#verifier-data): the public keys, the list
 * of revoked documents as it was when the page was loaded, and every text in the page's
 * language, so nothing here is in any language. The signature is checked by WebCrypto.
 */
(function () {
  "use strict";

  var FORMAT_VERSION = 1;
  var SIGNATURE_BYTES = 64;
  var MAX_CODE_CHARS = 1000;
  var DAY_MS = 86400000;
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  var MARKERS = ["/V/", "/v/", "/verify/", "/VERIFY/"];

  var data = JSON.parse(document.getElementById("verifier-data").textContent);
  var revoked = {};
  data.revoked.forEach(function (entry) { revoked[entry.number] = entry.revoked_on; });
  var publicKeys = {};
  data.keys.keys.forEach(function (entry) { publicKeys[entry.kid] = base64url(entry.public_key); });

  /* What a person pasted → the code: a whole verification address, spaces, lower case. */
  function normalize(text) {
    text = (text || "").trim();
    MARKERS.forEach(function (marker) {
      var at = text.lastIndexOf(marker);
      if (at >= 0) text = text.slice(at + marker.length);
    });
    return text.split(/\s+/).join("").replace(/^\/+|\/+$/g, "").toUpperCase();
  }

  function base32(text) {
    text = text.replace(/=+$/, "");
    if (!/^[A-Z2-7]+$/.test(text) || [1, 3, 6].indexOf(text.length % 8) >= 0) return null;
    var bytes = new Uint8Array(Math.floor(text.length * 5 / 8));
    var value = 0, bits = 0, at = 0;
    for (var i = 0; i < text.length; i++) {
      value = (value << 5) | ALPHABET.indexOf(text[i]);
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        bytes[at++] = (value >> bits) & 255;
        value &= (1 << bits) - 1;
      }
    }
    return bytes;
  }

  function base64url(text) {
    var binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    return Uint8Array.from(binary, function (c) { return c.charCodeAt(0); });
  }

  /* Just the CBOR that seal.py writes: arrays, integers, text and byte strings, null.
   * Anything else throws, and the code is not one of ours. */
  function cbor(bytes) {
    var view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    var at = 0;
    var utf8 = new TextDecoder("utf-8", { fatal: true });
    function need(count) {
      if (at + count > bytes.length) throw new Error("cut short");
    }
    function argument(info) {
      var value;
      if (info < 24) return info;
      if (info === 24) { need(1); value = bytes[at]; at += 1; return value; }
      if (info === 25) { need(2); value = view.getUint16(at); at += 2; return value; }
      if (info === 26) { need(4); value = view.getUint32(at); at += 4; return value; }
      if (info === 27) {
        need(8);
        value = view.getBigUint64(at);
        at += 8;
        if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("too large");
        return Number(value);
      }
      throw new Error("not ours");
    }
    function item(depth) {
      need(1);
      var major = bytes[at] >> 5, info = bytes[at] & 31;
      at += 1;
      if (major === 7 && info === 22) return null;
      if (depth > 2) throw new Error("too deep");
      var value = argument(info), start = at;
      switch (major) {
        case 0: return value;
        case 1: return -1 - value;
        case 2: need(value); at += value; return bytes.slice(start, at);
        case 3: need(value); at += value; return utf8.decode(bytes.subarray(start, at));
        case 4:
          var list = [];
          for (var i = 0; i < value; i++) list.push(item(depth + 1));
          return list;
      }
      throw new Error("not ours");
    }
    return item(0);
  }

  function hex(bytes) {
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function isInteger(value) { return typeof value === "number" && Number.isInteger(value); }

  /* The sealed facts, or null when the message is not one of ours (seal._facts). */
  function facts(message) {
    var fields;
    try { fields = cbor(message); } catch (error) { return null; }
    if (!Array.isArray(fields) || fields.length !== 8 || fields[0] !== FORMAT_VERSION) return null;
    var kind = fields[1], validUntil = fields[6], keyId = fields[7];
    if (!isInteger(kind) || !Object.prototype.hasOwnProperty.call(data.kinds, String(kind))
        || !fields.slice(2, 5).every(function (text) { return typeof text === "string"; })
        || !isInteger(fields[5]) || !(validUntil === null || isInteger(validUntil))
        || !(keyId instanceof Uint8Array)) return null;
    return {
      kind: data.kinds[String(kind)], number: fields[2], trackingNumber: fields[3],
      holder: fields[4], issuedOn: fields[5], validUntil: validUntil, keyId: hex(keyId),
    };
  }

  function today() {
    var now = new Date();
    return Math.floor(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / DAY_MS);
  }

  /* A day (days since 1970-01-01) as the server writes it: DATE_FORMAT, e.g. "j F Y". */
  function day(days) {
    var date = new Date(days * DAY_MS);
    var parts = {
      j: String(date.getUTCDate()), d: String(date.getUTCDate()).padStart(2, "0"),
      n: String(date.getUTCMonth() + 1), m: String(date.getUTCMonth() + 1).padStart(2, "0"),
      F: data.months[date.getUTCMonth()], Y: String(date.getUTCFullYear()),
    };
    return data.date_format.replace(/\\?./g, function (c) {
      return c[0] === "\\" ? c.slice(1) : (parts[c] !== undefined ? parts[c] : c);
    });
  }

  function isoDay(text) { return Math.floor(Date.parse(text + "T00:00:00Z") / DAY_MS); }

  /* The finding, as verification.Finding names it, and the facts when the signature holds. */
  async function check(text) {
    var code = normalize(text);
    if (!code) return { finding: "empty" };
    var raw = code.length <= MAX_CODE_CHARS ? base32(code) : null;
    if (raw === null || raw.length <= SIGNATURE_BYTES) return { finding: "malformed" };
    var message = raw.slice(0, raw.length - SIGNATURE_BYTES);
    var signature = raw.slice(raw.length - SIGNATURE_BYTES);
    var sealed = facts(message);
    if (sealed === null) return { finding: "malformed" };
    var rawKey = publicKeys[sealed.keyId];
    if (rawKey === undefined) return { finding: "unknown_key" };
    if (!window.crypto || !crypto.subtle) return { finding: "unsupported" };
    var genuine;
    try {
      var key = await crypto.subtle.importKey("raw", rawKey, { name: "Ed25519" }, false, ["verify"]);
      genuine = await crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
    } catch (error) {
      return { finding: "unsupported" };
    }
    if (!genuine) return { finding: "forged" };
    if (Object.prototype.hasOwnProperty.call(revoked, sealed.number)) {
      return { finding: "revoked", facts: sealed, date: isoDay(revoked[sealed.number]) };
    }
    if (sealed.validUntil !== null && today() > sealed.validUntil) {
      return { finding: "expired", facts: sealed, date: sealed.validUntil };
    }
    return { finding: "genuine_offline", facts: sealed };
  }

  function show(answer) {
    var valid = answer.finding === "genuine_offline";
    // No code, or a browser without Ed25519: nothing was checked, so neither word is said.
    var unchecked = answer.finding === "empty" || answer.finding === "unsupported";
    var state = valid ? "valid" : unchecked ? "unchecked" : "not_valid";
    var verdict = document.getElementById("verdict");
    var slot = function (name) { return verdict.querySelector('[data-slot="' + name + '"]'); };
    verdict.className = "verdict " + { valid: "ok", unchecked: "unchecked", not_valid: "bad" }[state];
    verdict.dataset.finding = answer.finding;
    slot("mark").textContent = { valid: "\u2713", unchecked: "?", not_valid: "\u2717" }[state];
    slot("headline").textContent = data.headlines[state];
    slot("explanation").textContent = data.texts[answer.finding]
      .replace("%(date)s", answer.date === undefined ? "" : day(answer.date));
    verdict.hidden = false;
    var section = document.getElementById("facts");
    section.hidden = !answer.facts;
    if (answer.facts) {
      var f = answer.facts;
      var values = {
        kind: f.kind, number: f.number, tracking_number: f.trackingNumber, holder: f.holder,
        issued_on: day(f.issuedOn),
        valid_until: f.validUntil === null ? data.no_end : day(f.validUntil), key_id: f.keyId,
      };
      Object.keys(values).forEach(function (name) {
        section.querySelector('[data-fact="' + name + '"]').textContent = values[name];
      });
    }
    verdict.focus();
  }

  document.getElementById("verify-form").addEventListener("submit", function (event) {
    event.preventDefault();
    check(document.getElementById("code").value).then(show);
  });
  document.getElementById("verdict").tabIndex = -1;
})();
