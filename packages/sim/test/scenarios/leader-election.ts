// A leader-election workload for split-brain hunting. Three processes elect a leader over the
// simulated network; partitions come from a fault injector. Every process records
// `became_leader { node, term }` in the trace, and the invariant "at most one leader per term"
// (Raft's election safety) reads it.
//
// - "naive": a node that stops hearing the leader proclaims itself leader of the next term.
//   Two nodes cut off from each other and from the leader both do it, for the same term.
// - "quorum": Raft's election: a candidate asks for votes, each node grants one vote per term,
//   and only a majority makes a leader. Two majorities of three always share a node.

import { sometimes } from "@moonpool/assertions";
import type { FaultContext, Process, SimContext, TraceQuery, Workload } from "../../src/index.ts";
import { type Message, Messenger } from "./messenger.ts";

export type ElectionAlgorithm = "naive" | "quorum";

const PORT = 5000;
const HEARTBEAT_MS = 50;
const ELECTION_TIMEOUT_MS: readonly [number, number] = [150, 300];

/** What each process publishes in `ctx.state` for the liveness check. */
export interface NodeStatus {
  term: number;
  role: "follower" | "candidate" | "leader";
}

/** One election node; `algorithm` picks the protocol. */
export function electionNode(algorithm: ElectionAlgorithm): Process {
  return {
    name: "node",
    async run(ctx: SimContext) {
      const messenger = new Messenger(ctx, PORT);
      const others = () => ctx.peers().filter((p) => p.name.startsWith("node"));
      const majority = Math.floor((others().length + 1) / 2) + 1;
      const status: NodeStatus = { term: 0, role: "follower" };
      ctx.state.set(`status:${ctx.name}`, status);
      let votedFor: string | null = null;
      let votes = new Set<string>();
      let lastHeard = ctx.time.now();
      let timeout = ctx.random.int(ELECTION_TIMEOUT_MS[0], ELECTION_TIMEOUT_MS[1]);

      const broadcast = (message: Message): void => {
        for (const p of others()) messenger.send(p.ip, message);
      };
      const becomeFollower = (term: number): void => {
        if (term > status.term) votedFor = null;
        status.term = term;
        status.role = "follower";
      };
      const becomeLeader = (): void => {
        status.role = "leader";
        ctx.trace("became_leader", { node: ctx.name, term: status.term });
        broadcast({ type: "heartbeat", term: status.term, from: ctx.ip });
      };

      const onMessage = (m: Message): void => {
        const term = Number(m.term);
        const from = String(m.from);
        if (m.type === "heartbeat") {
          // Naive: a leader of the same term ignores the other one (both stay leaders).
          if (term > status.term || (term === status.term && status.role !== "leader")) {
            becomeFollower(term);
            lastHeard = ctx.time.now();
          }
          return;
        }
        if (algorithm !== "quorum") return;
        if (term > status.term) becomeFollower(term);
        if (m.type === "vote_request") {
          const grant = term === status.term && (votedFor === null || votedFor === from);
          if (grant) {
            votedFor = from;
            lastHeard = ctx.time.now(); // granting a vote postpones our own candidacy
          }
          messenger.send(from, { type: "vote", term: status.term, granted: grant, from: ctx.ip });
        } else if (
          m.type === "vote" &&
          m.granted === true &&
          status.role === "candidate" &&
          term === status.term
        ) {
          votes.add(from);
          if (votes.size >= majority) becomeLeader();
        }
      };

      const serving = messenger.serve(onMessage);
      while (!ctx.shutdown.aborted) {
        await ctx.time.sleep(status.role === "leader" ? HEARTBEAT_MS : 10, ctx.shutdown).catch(() => {});
        if (ctx.shutdown.aborted) break;
        if (status.role === "leader") {
          broadcast({ type: "heartbeat", term: status.term, from: ctx.ip });
          continue;
        }
        if (ctx.time.now() - lastHeard < timeout) continue;
        // Election timeout: nothing heard from a leader for a while.
        lastHeard = ctx.time.now();
        timeout = ctx.random.int(ELECTION_TIMEOUT_MS[0], ELECTION_TIMEOUT_MS[1]);
        status.term += 1;
        if (algorithm === "naive") {
          becomeLeader(); // BUG: no votes asked, nobody agreed to this term
        } else {
          status.role = "candidate";
          votedFor = ctx.ip;
          votes = new Set([ctx.ip]);
          broadcast({ type: "vote_request", term: status.term, from: ctx.ip });
        }
      }
      await serving;
    },
  };
}

/** Partitions random pairs of nodes (both ways) for random spans, until the chaos window ends. */
export async function randomPartitions(f: FaultContext): Promise<void> {
  while (!f.chaosEnded.aborted) {
    await f.time.sleep(f.random.int(200, 1000), f.chaosEnded).catch(() => {});
    if (f.chaosEnded.aborted) return;
    const nodes = f.processes();
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i];
        const b = nodes[j];
        if (a && b && f.random.random() < 0.4) f.partitionBoth(a.ip, b.ip, f.random.int(300, 2000));
      }
    }
  }
}

/** Election safety: at most one node becomes leader in any term. */
export function oneLeaderPerTerm(): (trace: TraceQuery) => void {
  const leaders = new WeakMap<TraceQuery, Map<number, string>>();
  const cursor = {};
  return (trace) => {
    let byTerm = leaders.get(trace);
    if (!byTerm) {
      byTerm = new Map();
      leaders.set(trace, byTerm);
    }
    for (const e of trace.since("became_leader", cursor)) {
      const term = Number(e.fields.term);
      const node = String(e.fields.node);
      const other = byTerm.get(term);
      if (other !== undefined && other !== node) {
        throw new Error(`split brain: ${other} and ${node} are both leader of term ${term}`);
      }
      byTerm.set(term, node);
    }
  };
}

/**
 * Waits out the chaos window and a quiet tail, then checks liveness: once the network is whole
 * again, a leader holds the highest term and every node has caught up with that term.
 */
export function electionObserver(chaosMs: number, tailMs = 3_000): Workload {
  return {
    name: "observer",
    async run(ctx) {
      await ctx.time.sleep(chaosMs + tailMs);
      const statuses = [...ctx.state.entries()]
        .filter(([k]) => k.startsWith("status:"))
        .map(([k, v]) => ({ node: k.slice(7), ...(v as NodeStatus) }));
      const top = Math.max(...statuses.map((s) => s.term));
      const leaders = statuses.filter((s) => s.role === "leader" && s.term === top);
      sometimes(top > 1, "more than one election happened");
      if (leaders.length !== 1 || statuses.some((s) => s.term !== top)) {
        throw new Error(`no stable leader after the chaos window: ${JSON.stringify(statuses)}`);
      }
      ctx.trace("stable_leader", { node: leaders[0]?.node ?? "", term: top });
    },
  };
}
