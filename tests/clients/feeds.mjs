// Reads Atom feeds the way two npm feed readers do, for test_reach.py.
//
// Usage: node feeds.mjs URL...
// Prints one JSON object: {URL: {rssParser: {link, items: [{id, link}]},
//                                feedExtractor: {link, entries: [{id, link}]}}}.
// Each reader fetches the URL itself, as it would in the wild.
import Parser from "rss-parser";
import { extract } from "@extractus/feed-extractor";

const out = {};
for (const url of process.argv.slice(2)) {
    const parsed = await new Parser().parseURL(url);
    const extracted = await extract(url);
    out[url] = {
        rssParser: {
            link: parsed.link ?? null,
            items: parsed.items.map((i) => ({ id: i.id ?? i.guid ?? null, link: i.link ?? null })),
        },
        feedExtractor: {
            link: extracted.link ?? null,
            entries: extracted.entries.map((e) => ({ id: e.id ?? null, link: e.link ?? null })),
        },
    };
}
process.stdout.write(JSON.stringify(out));
