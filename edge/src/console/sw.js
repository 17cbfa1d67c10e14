// The shop console's service worker: shows each Web Push alert (the edge encrypts it for this
// browser; the browser decrypts it) and opens the booking in the console when tapped.
"use strict";
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { body: event.data ? event.data.text() : "" }; }
  event.waitUntil(self.registration.showNotification(data.title || "聯盟主控台 Alliance console", {
    body: data.body || "",
    icon: "/console/icon.svg",
    data: { url: data.url || "/console" },
  }));
});
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || "/console";
  event.waitUntil(self.clients.openWindow(url));
});
