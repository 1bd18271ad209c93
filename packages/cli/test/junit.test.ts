import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SimulationReport } from "@moonpool/sim";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { runVerdict } from "../src/exit-policy.ts";
import { junitXml } from "../src/junit.ts";
import { moonpool } from "./helpers/moonpool.ts";

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  isArray: (n) => n === "testcase" || n === "testsuite",
});

interface Case {
  "@name": string;
  "@classname": string;
  failure?: { "#text"?: string; "@message": string; "@type": string };
  skipped?: { "@message": string };
}
interface Suite {
  "@name": string;
  "@tests": string;
  "@failures": string;
  "@skipped": string;
  testcase: Case[];
}

function parse(xml: string): { testsuites: { "@tests": string; "@failures": string; testsuite: Suite[] } } {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml);
}

describe("--junit and the exit policy (end to end)", () => {
  it("writes a valid JUnit file: a test case per seed, the replay command in each failure", () => {
    const dir = mkdtempSync(join(tmpdir(), "moonpool-junit-"));
    const out = join(dir, "out.xml");
    const r = moonpool(["run", "flaky", "--junit", out, "--json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { seeds: { seed: number; ok: boolean }[]; failingSeeds: number[] };
    const doc = parse(readFileSync(out, "utf8"));
    const [seeds, assertions] = doc.testsuites.testsuite;
    expect(seeds!["@name"]).toBe("flaky.sim.ts");
    expect(seeds!.testcase.map((c) => c["@name"])).toEqual(report.seeds.map((s) => `seed ${s.seed}`));
    expect(Number(seeds!["@failures"])).toBe(report.failingSeeds.length);
    expect(Number(seeds!["@tests"])).toBe(13);
    for (const c of seeds!.testcase) {
      const seed = Number(c["@name"].slice(5));
      if (report.failingSeeds.includes(seed)) {
        expect(c.failure!["@message"]).toMatch(/rolled a [01]/);
        expect(c.failure!["#text"]).toContain(`replay: moonpool replay flaky.sim.ts --seed ${seed}`);
      } else expect(c.failure).toBeUndefined();
    }
    expect(assertions!.testcase.map((c) => c["@name"]).sort()).toEqual([
      "always: rolls stay on the die",
      "reachable: a seven",
      "sometimes: a high roll",
    ]);
    expect(Number(doc.testsuites["@tests"])).toBe(16);
  }, 60_000);

  it("a coverage gap warns and exits 0; with --strict-coverage it fails the run and its JUnit case", () => {
    const dir = mkdtempSync(join(tmpdir(), "moonpool-junit-"));
    const lax = moonpool(["run", "coverage-gap", "--junit", join(dir, "lax.xml")]);
    expect(lax.code).toBe(0);
    expect(lax.stderr).toMatch(
      /^moonpool: warning: coverage gap: sometimes "never true" was never satisfied in 3 seed\(s\)/m,
    );
    const laxCase = parse(readFileSync(join(dir, "lax.xml"), "utf8")).testsuites.testsuite[1]!.testcase.find(
      (c) => c["@name"] === "sometimes: never true",
    )!;
    expect(laxCase.skipped!["@message"]).toMatch(/never satisfied/);
    expect(laxCase.failure).toBeUndefined();
    const strict = moonpool(["run", "coverage-gap", "--strict-coverage", "--junit", join(dir, "strict.xml")]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/coverage gap \(--strict-coverage\): sometimes "never true"/);
    const doc = parse(readFileSync(join(dir, "strict.xml"), "utf8"));
    expect(doc.testsuites["@failures"]).toBe("1");
    const strictCase = doc.testsuites.testsuite[1]!.testcase.find(
      (c) => c["@name"] === "sometimes: never true",
    )!;
    expect(strictCase.failure!["@type"]).toBe("coverage");
  }, 60_000);

  it("the text report groups failing seeds by error: one stack and replay per distinct error", () => {
    const r = moonpool(["run", "flaky", "--iterations", "20", "--no-progress"]);
    expect(r.code).toBe(1);
    const failing = /--- Failing seeds \((\d+)\) ---/.exec(r.stdout)!;
    expect(Number(failing[1])).toBeGreaterThan(2);
    // "rolled a 0" and "rolled a 1" differ only by a number: one group.
    expect(r.stdout.match(/^ +replay: moonpool replay/gm)).toHaveLength(1);
    expect(r.stdout).toMatch(new RegExp(`same error in ${Number(failing[1]) - 1} more seed\\(s\\): \\d+`));
  }, 60_000);

  it("--junit without a file name exits 2 naming the flag", () => {
    const r = moonpool(["run", "counter", "--junit"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^moonpool: option `--junit <out\.xml>` value is missing/);
  }, 60_000);
});

describe("junitXml", () => {
  const report = (error: string, ok = false) =>
    new SimulationReport({
      seeds: [
        { seed: 3, ok, events: 1, simulatedMs: 1, wallMs: 2, traceHash: "ab", ...(ok ? {} : { error }) },
      ],
      assertions: [{ message: 'x < "y" & z', kind: "always", pass: 0, fail: 2, status: "fail" }],
      baseSeed: 1,
      wallMs: 2,
      file: "odd & <name>.sim.ts",
    });

  it("escapes markup, quotes and characters XML cannot carry", () => {
    const xml = junitXml(report(`seed 3: <boom> & "quotes" \u0000\u001b[31mred\u001b[0m\nsecond line`));
    const doc = parse(xml);
    const c = doc.testsuites.testsuite[0]!.testcase[0]!;
    // The parser decodes the entities: what a CI server shows is the original text.
    expect(xml).toContain('classname="odd &amp; &lt;name&gt;.sim.ts"');
    expect(c["@classname"]).toBe("odd & <name>.sim.ts");
    expect(c.failure!["@message"]).toBe('seed 3: <boom> & "quotes" red');
    expect(c.failure!["#text"]).toContain("second line");
    expect(c.failure!["#text"]).toContain("replay: moonpool replay 'odd & <name>.sim.ts' --seed 3");
    const a = doc.testsuites.testsuite[1]!.testcase[0]!;
    expect(a.failure!["@type"]).toBe("assertion");
  });

  it("a violated always-type assertion fails the verdict even when every seed passed", () => {
    expect(runVerdict(report("", true)).code).toBe(1);
  });
});
