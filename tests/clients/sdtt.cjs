// Tests pages with structured-data-testing-tool's presets (Google, and SocialMedia:
// Facebook and Twitter), as its CLI `sdtt --url URL --presets Google,SocialMedia`
// does, for test_reach.py.
//
// Usage: node sdtt.cjs URL...
// Prints one JSON object: {URL: {schemas, tests: [{group, groups, description, passed,
// warning, optional}]}}: every test the presets ran (optional ones are the tool's
// auto-detected metatags and schema properties, which count neither way).
const { structuredDataTest } = require("structured-data-testing-tool");
const { Google, SocialMedia } = require("structured-data-testing-tool/presets");

async function main() {
    const out = {};
    for (const url of process.argv.slice(2)) {
        let res;
        try {
            res = await structuredDataTest(url, { presets: [Google, SocialMedia] });
        } catch (err) {
            if (err.type !== "VALIDATION_FAILED") {
                throw err;
            }
            res = err.res;
        }
        out[url] = {
            schemas: res.schemas,
            // copied now: the presets' test objects are reused by the next URL
            tests: res.tests.map((t) => ({
                group: t.group || null,
                groups: t.groups || [],
                description: t.description || t.test,
                passed: Boolean(t.passed),
                warning: Boolean(t.warning),
                optional: Boolean(t.optional),
                value: typeof t.value === "string" ? t.value : null,
            })),
        };
    }
    process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
