// A synthetic seed trace for the report benchmarks (workers.bench.ts, report-page.bench.ts).

/** A synthetic trace with `n` events: 5 servers, 3 clients, messages, partitions, reboots. */
export function bigTrace(n: number) {
  const events = [];
  for (let i = 0; i < 5; i++)
    events.push({
      seq: i,
      timeMs: 0,
      source: "sim",
      name: "process_boot",
      fields: { name: `server-${i}`, ip: `10.0.1.${i + 1}`, generation: 1 },
    });
  for (let seq = events.length; seq < n; seq++) {
    const t = seq * 0.25;
    const k = seq % 50;
    if (k === 0)
      events.push({
        seq,
        timeMs: t,
        source: "network",
        name: "sim_fault",
        fields: {
          kind: seq % 100 === 0 ? "partition" : "partition_healed",
          from: "10.0.1.1",
          to: "10.0.1.2",
        },
      });
    else
      events.push({
        seq,
        timeMs: t,
        source: `client-${seq % 3}`,
        name: "request",
        fields: { i: seq, to: `server-${seq % 5}` },
      });
  }
  return events;
}
