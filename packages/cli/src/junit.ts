// A run's report as JUnit XML (the format CI servers read): one test case per seed, the
// failure's message, stack and replay command in its <failure>, and one test case per
// assertion in a second suite.
import type { SimulationReport } from "@moonpool/sim";

/** Options of {@link junitXml}. */
export interface JunitOptions {
  /** Coverage gaps (an assertion never reached) are failures rather than skipped cases. */
  readonly strictCoverage?: boolean;
}

/** The report as a JUnit XML document. */
export function junitXml(report: SimulationReport, options: JunitOptions = {}): string {
  const name = report.file ?? "simulation";
  const seedCases = report.seeds.map((s) => {
    const attrs = `classname="${attr(name)}" name="${attr(`seed ${s.seed}`)}" time="${seconds(s.wallMs)}"`;
    if (s.ok && !report.divergences.some((d) => d.seed === s.seed)) return `    <testcase ${attrs}/>`;
    const message = s.error ?? "nondeterministic: two runs of the seed diverged";
    const body = [
      message,
      ...(s.stack !== undefined ? ["", s.stack] : []),
      "",
      `replay: ${report.replayCommand(s.seed)}`,
    ];
    return [
      `    <testcase ${attrs}>`,
      `      <failure message="${attr(firstLine(message))}" type="${attr(s.kind ?? "failure")}">${text(body.join("\n"))}</failure>`,
      "    </testcase>",
    ].join("\n");
  });
  const seedFailures = seedCases.filter((c) => c.includes("<failure")).length;
  const suites = [
    suite(`${name}`, seedCases, seedFailures, 0, seconds(report.wallMs), [
      ["baseSeed", String(report.baseSeed)],
      ...(report.recipe !== undefined ? [["recipe", report.recipe] as [string, string]] : []),
      ...(report.shard !== undefined
        ? [["shard", `${report.shard.index}/${report.shard.count} of ${report.shard.of}`] as [string, string]]
        : []),
    ]),
  ];
  if (report.assertions.length > 0) {
    let failures = 0;
    let skipped = 0;
    const cases = report.assertions.map((a) => {
      const attrs = `classname="${attr(`${name} assertions`)}" name="${attr(`${a.kind}: ${a.message}`)}" time="0"`;
      const counts = `pass ${a.pass}, fail ${a.fail}`;
      if (a.status === "pass") return `    <testcase ${attrs}/>`;
      if (a.status === "fail") {
        failures += 1;
        return `    <testcase ${attrs}>\n      <failure message="${attr(`violated (${counts})`)}" type="assertion"/>\n    </testcase>`;
      }
      const gap = `never satisfied in ${report.iterations} seed(s) (${counts})`;
      if (options.strictCoverage) {
        failures += 1;
        return `    <testcase ${attrs}>\n      <failure message="${attr(gap)}" type="coverage"/>\n    </testcase>`;
      }
      skipped += 1;
      return `    <testcase ${attrs}>\n      <skipped message="${attr(gap)}"/>\n    </testcase>`;
    });
    suites.push(suite(`${name} assertions`, cases, failures, skipped, "0", []));
  }
  const tests = report.seeds.length + report.assertions.length;
  const failures = suites.reduce((n, s) => n + s.failures, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="moonpool" tests="${tests}" failures="${failures}" errors="0" time="${seconds(report.wallMs)}">`,
    ...suites.map((s) => s.xml),
    "</testsuites>",
    "",
  ].join("\n");
}

function suite(
  name: string,
  cases: readonly string[],
  failures: number,
  skipped: number,
  time: string,
  properties: readonly (readonly [string, string])[],
): { xml: string; failures: number } {
  const props =
    properties.length === 0
      ? []
      : [
          "    <properties>",
          ...properties.map(([k, v]) => `      <property name="${attr(k)}" value="${attr(v)}"/>`),
          "    </properties>",
        ];
  const head = `  <testsuite name="${attr(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}">`;
  return { xml: [head, ...props, ...cases, "  </testsuite>"].join("\n"), failures };
}

function seconds(ms: number): string {
  return (ms / 1_000).toFixed(3);
}

function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}

/** Characters XML 1.0 cannot carry at all (control characters, lone surrogates), and ANSI colors. */
const NOT_XML = new RegExp(
  [
    "\\u001b\\[[0-9;]*m",
    "[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ufffe\\uffff]",
    "[\\ud800-\\udbff](?![\\udc00-\\udfff])",
    "(?<![\\ud800-\\udbff])[\\udc00-\\udfff]",
  ].join("|"),
  "g",
);

/** Element text. */
function text(s: string): string {
  return s.replace(NOT_XML, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** An attribute value (double-quoted). */
function attr(s: string): string {
  return text(s).replace(/"/g, "&quot;").replace(/\n/g, "&#10;");
}
