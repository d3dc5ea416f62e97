// Reads an .ics file with Mozilla's ical.js (the parser Thunderbird uses) and prints, as JSON,
// every occurrence between two dates: recurring series expanded with their exceptions
// (RECURRENCE-ID overrides, EXDATE, RDATE). Usage: node icaljs_expand.cjs FILE FROM UNTIL
const fs = require("fs");
const path = require("path");
const ICAL = require(path.join(__dirname, "..", "..", "node_modules", "ical.js", "dist", "ical.es5.cjs"));

const [file, from, until] = process.argv.slice(2);
const text = fs.readFileSync(file, "utf8");
// Register the feed's VTIMEZONEs first, then parse again so every time resolves its zone.
for (const vtimezone of new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
}
const calendar = new ICAL.Component(ICAL.parse(text));
const start = ICAL.Time.fromJSDate(new Date(from), true);
const end = ICAL.Time.fromJSDate(new Date(until), true);

const byUid = new Map();
for (const vevent of calendar.getAllSubcomponents("vevent")) {
  const uid = vevent.getFirstPropertyValue("uid");
  if (!byUid.has(uid)) byUid.set(uid, { master: null, exceptions: [] });
  if (vevent.hasProperty("recurrence-id")) byUid.get(uid).exceptions.push(vevent);
  else byUid.get(uid).master = vevent;
}

const out = [];
const iso = (time) => (time.isDate ? time.toString() : time.toJSDate().toISOString());
for (const [uid, { master, exceptions }] of byUid) {
  const event = new ICAL.Event(master);
  for (const exception of exceptions) event.relateException(exception);
  if (!event.isRecurring()) {
    if (event.endDate.compare(start) > 0 && event.startDate.compare(end) < 0) {
      out.push({ uid, start: iso(event.startDate), end: iso(event.endDate), status: master.getFirstPropertyValue("status") });
    }
    continue;
  }
  const iterator = event.iterator();
  let next;
  while ((next = iterator.next())) {
    if (next.compare(end) >= 0) break;
    const details = event.getOccurrenceDetails(next);
    if (details.endDate.compare(start) <= 0) continue;
    out.push({
      uid,
      start: iso(details.startDate),
      end: iso(details.endDate),
      status: details.item.component.getFirstPropertyValue("status"),
    });
  }
}
out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
process.stdout.write(JSON.stringify(out));
