// Reads iCalendar the way Mozilla's ical.js (Thunderbird's parser) does, for
// test_reach.py.
//
// Usage: node ics.mjs URL...
// Prints one JSON object: {URL: {status, contentType, calname, events: [{uid, summary,
// location, url, start, end, startZone, sequence, status}]}}, start and end as
// seconds since the epoch (UTC), startZone the zone ical.js read ("Z" for UTC).
import ICAL from "ical.js";

const out = {};
for (const url of process.argv.slice(2)) {
    const res = await fetch(url);
    const text = await res.text();
    const entry = { status: res.status, contentType: res.headers.get("content-type") };
    if (res.ok) {
        const cal = new ICAL.Component(ICAL.parse(text));
        entry.calname = cal.getFirstPropertyValue("x-wr-calname");
        entry.events = cal.getAllSubcomponents("vevent").map((c) => {
            const ev = new ICAL.Event(c);
            return {
                uid: ev.uid,
                summary: ev.summary,
                location: ev.location,
                url: c.getFirstPropertyValue("url"),
                start: ev.startDate.toUnixTime(),
                end: ev.endDate ? ev.endDate.toUnixTime() : null,
                startZone: ev.startDate.zone ? ev.startDate.zone.tzid : null,
                sequence: ev.sequence,
                status: c.getFirstPropertyValue("status"),
            };
        });
    }
    out[url] = entry;
}
process.stdout.write(JSON.stringify(out));
