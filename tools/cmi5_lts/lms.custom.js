/*
    Gilde's adapter for the ADL CATAPULT LMS test suite (cmi5), written for Gilde after the
    interface described in the suite's lib/lms.template.js. Copy it to lts/lib/lms.custom.js
    (tools/cmi5_lts/run.sh does). Each call runs tools/cmi5_lts/gilde_lms.py, which uses
    Gilde's own services against the database of the Gilde server under test.
*/
const {execFileSync} = require("child_process"),
    fs = require("fs"),
    os = require("os"),
    path = require("path"),
    {InvalidPackageError} = require("./errors");

const gilde = process.env.GILDE_DIR,
    script = path.join(gilde, "tools", "cmi5_lts", "gilde_lms.py");
let lrs = null;

function call(...args) {
    const out = execFileSync("uv", ["run", "--quiet", "python", script, ...args], {
        cwd: gilde,
        env: process.env,
        encoding: "utf8",
        maxBuffer: 16 * 1024 * 1024
    });
    const lines = out.trim().split("\n");
    return JSON.parse(lines[lines.length - 1]);
}

module.exports = {
    setup: async () => {
        lrs = call("setup");
    },
    teardown: async () => {},
    getLrsEndpoint: () => lrs.endpoint,
    getLrsAuthHeader: () => `Basic ${Buffer.from(`${lrs.key}:${lrs.secret}`).toString("base64")}`,
    importCourse: async (stream, contentType, filename) => {
        const file = path.join(os.tmpdir(), `gilde-lts-${Date.now()}-${path.basename(filename)}`);
        await new Promise((resolve, reject) => {
            const out = fs.createWriteStream(file);
            stream.pipe(out);
            out.on("finish", resolve);
            out.on("error", reject);
            stream.on("error", reject);
        });
        const result = call("import", file, contentType);
        fs.unlinkSync(file);
        if (result.invalid) {
            throw new InvalidPackageError(result.invalid);
        }
        return result.id;
    },
    getLaunchUrl: async (courseId, auIndex, actor, {registration, launchMode} = {}) =>
        call("launch", courseId, String(auIndex), registration || "", launchMode || "").url,
    cleanup: async () => {},
    hasWaive: () => true,
    waiveAU: async (registration, auIndex, reason) => {
        call("waive", registration, String(auIndex), reason);
    },
    hasAbandon: () => true,
    abandonSession: async (sessionId) => {
        call("abandon", sessionId);
    }
};
