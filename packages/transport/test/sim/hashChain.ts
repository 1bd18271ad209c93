// The transport simulation (moonpool-transport-sim, extended): one server process keeps a hash
// chain on disk and appends client blocks to it; client workloads append through every delivery
// mode under network chaos, reboots and BUGGIFY, each with a reference model of what it knows.
//
// Invariants (checked incrementally over the trace):
// - the server's `append_block` events form one chain: n goes up by exactly 1 and
//   h = fold(previous h, block), across reboots (the chain lives on disk, synced before a reply;
//   records replayed at boot must match what was appended before);
// - no (session, seq) is appended twice, and within a session seqs only go up (no duplicate or
//   reordered delivery by the transport);
// - every acknowledged append is in the chain at the acknowledged (n, h) (nothing acked is lost).
// A client starts a new session after an ambiguous outcome (MaybeDelivered, Timeout,
// BrokenPromise, fire-and-forget), so at most one request of a session can still be in flight.

import { always, sometimes } from "@moonpool/assertions";
import { buggify } from "@moonpool/chaos";
import type { StorageFile } from "@moonpool/core";
import { Endpoint, NetworkAddress, UID } from "@moonpool/core";
import type { Process, SimContext, TraceEvent, TraceQuery, Workload } from "@moonpool/sim";
import { crc32c, defineService, method, NetTransport, ReplyError, ServiceEndpoint } from "../../src/index.ts";

const MASK = (1n << 64n) - 1n;
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;

function fnvStep(h: bigint, bytes: Uint8Array): bigint {
  let x = h;
  for (const b of bytes) x = ((x ^ BigInt(b)) * FNV_PRIME) & MASK;
  return x;
}

/** moonpool's fold: FNV-1a 64 seeded with `OFFSET ^ prev * PRIME`, over prev (big endian) then the block. */
export function fold(prev: bigint, block: Uint8Array): bigint {
  const be = new Uint8Array(8);
  new DataView(be.buffer).setBigUint64(0, prev, false);
  return fnvStep(fnvStep((FNV_OFFSET ^ ((prev * FNV_PRIME) & MASK)) & MASK, be), block);
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (x) => Number.parseInt(x, 16));

export interface AppendRequest {
  session: string;
  seq: number;
  block: Uint8Array | number[];
}
export interface AppendResponse {
  n: number;
  h: bigint;
  prev: bigint;
}

export const Chain = defineService("Chain", {
  append: method<AppendRequest, AppendResponse>(),
});
export const CHAIN_ID = 4;
export const SERVER_PORT = 4500;

// One record per append: [length u32][crc32c u32][n u64][h u64][seq u32][session length u16]
// [session utf-8][block], padded to whole 512-byte sectors. The CRC covers everything after it;
// a torn or absent record ends the log. Sector alignment keeps the log correct on devices without
// powersafe overwrite (`powersafeOverwrite: false`), where a torn write turns its whole sector
// into garbage and would destroy earlier, synced records sharing it.
const HEAD = 8;
const SECTOR = 512;
const aligned = (n: number) => Math.ceil(n / SECTOR) * SECTOR;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

interface ChainRecord {
  n: number;
  h: bigint;
  seq: number;
  session: string;
  block: Uint8Array;
}

function encodeRecord(r: ChainRecord): Uint8Array {
  const session = utf8.encode(r.session);
  const length = HEAD + 22 + session.length + r.block.length;
  const rec = new Uint8Array(aligned(length));
  const v = new DataView(rec.buffer);
  v.setUint32(0, length, true);
  v.setBigUint64(8, BigInt(r.n), true);
  v.setBigUint64(16, r.h, true);
  v.setUint32(24, r.seq, true);
  v.setUint16(28, session.length, true);
  rec.set(session, 30);
  rec.set(r.block, 30 + session.length);
  v.setUint32(4, crc32c(rec.subarray(HEAD, length)), true);
  return rec;
}

async function readRecords(file: StorageFile): Promise<{ records: ChainRecord[]; end: number }> {
  const size = await file.size();
  const data = await file.read(0, size);
  const v = new DataView(data.buffer, data.byteOffset, data.length);
  const records: ChainRecord[] = [];
  let off = 0;
  while (off + HEAD + 22 <= data.length) {
    const len = v.getUint32(off, true);
    if (len < HEAD + 22 || off + len > data.length) break;
    if (v.getUint32(off + 4, true) !== crc32c(data.subarray(off + HEAD, off + len))) break;
    const n = Number(v.getBigUint64(off + 8, true));
    if (n !== records.length + 1) break;
    const sessionLen = v.getUint16(off + 28, true);
    records.push({
      n,
      h: v.getBigUint64(off + 16, true),
      seq: v.getUint32(off + 24, true),
      session: fromUtf8.decode(data.subarray(off + 30, off + 30 + sessionLen)),
      block: data.slice(off + 30 + sessionLen, off + len),
    });
    off += aligned(len);
  }
  return { records, end: off };
}

/**
 * The chain server: recovers its chain from the log, then serves appends one at a time. A write
 * that was never synced may still survive a crash (or not), so at boot every recovered record is
 * traced again (`recovered: true`): the invariant accepts a durable append it had not seen yet.
 */
export function chainServer(): Process {
  return {
    name: "server",
    async run(ctx: SimContext) {
      const file = await ctx.storage.open("chain.log", { read: true, write: true, create: true });
      await ctx.storage.syncDir(""); // the log's name is durable before any append is acknowledged
      const { records, end } = await readRecords(file);
      let offset = end;
      let n = 0;
      let h = 0n;
      for (const r of records) {
        n = r.n;
        h = r.h;
        ctx.trace("append_block", {
          n,
          h,
          block: hex(r.block),
          session: r.session,
          seq: r.seq,
          recovered: true,
        });
      }
      ctx.trace("server_boot", { n, h });
      const transport = await NetTransport.listen(ctx.providers, {
        localAddress: `${ctx.ip}:${SERVER_PORT}`,
      });
      const handle = Chain.wellKnown(transport, CHAIN_ID).serve({
        append: async (req) => {
          if (buggify("server drops the reply promise before commit")) {
            sometimes(true, "server buggify dropped promise");
            throw new ReplyError("BrokenPromise");
          }
          const block = Uint8Array.from(req.block);
          const prev = h;
          const next = fold(prev, block);
          const rec = encodeRecord({ n: n + 1, h: next, seq: req.seq, session: req.session, block });
          await file.write(offset, rec);
          await file.sync();
          // Durable now: record the append and update memory in the same synchronous step.
          offset += rec.length;
          n += 1;
          h = next;
          ctx.trace("append_block", {
            n,
            h,
            block: hex(block),
            session: req.session,
            seq: req.seq,
            recovered: false,
          });
          return { n, h, prev };
        },
      });
      await new Promise<void>((resolve) => {
        if (ctx.shutdown.aborted) resolve();
        else ctx.shutdown.addEventListener("abort", () => resolve(), { once: true });
      });
      await handle.stop();
      reportPeerStats(ctx, transport);
      await transport.close();
      await file.close();
    },
  };
}

/** Coverage of the transport's own fault handling, summed over this actor's peers. */
function reportPeerStats(ctx: SimContext, transport: NetTransport): void {
  const { outbound, incoming, retired } = transport.peerMetrics();
  let wireErrors = retired.wireErrors;
  let disconnects = retired.disconnects;
  let dropped = retired.messagesDropped;
  for (const m of [...Object.values(outbound), ...Object.values(incoming)]) {
    wireErrors += m.wireErrors;
    disconnects += m.disconnects;
    dropped += m.messagesDropped;
  }
  sometimes(wireErrors > 0, "a peer dropped a connection on a corrupted frame");
  sometimes(disconnects > 0, "a peer lost a connection");
  ctx.trace("peer_stats", { wireErrors, disconnects, dropped });
}

type Op = "getReply" | "tryGetReply" | "unlessFailedFor" | "send" | "wrongEndpoint" | "sleep";
const OPS: [Op, number][] = [
  ["getReply", 60],
  ["tryGetReply", 12],
  ["unlessFailedFor", 12],
  ["send", 4],
  ["wrongEndpoint", 4],
  ["sleep", 8],
];

function pickOp(ctx: SimContext): Op {
  const total = OPS.reduce((s, [, w]) => s + w, 0);
  let r = ctx.random.int(0, total);
  for (const [op, w] of OPS) {
    if (r < w) return op;
    r -= w;
  }
  return "sleep";
}

/** A client workload: random operations against the server for `durationMs` of virtual time. */
export function chainClient(index: number, durationMs = 12_000): Workload {
  return {
    name: `client${index}`,
    async run(ctx: SimContext) {
      const transport = await NetTransport.listen(ctx.providers, { localAddress: `${ctx.ip}:4501` });
      const server = NetworkAddress.parse(`${ctx.peer("server")}:${SERVER_PORT}`);
      const api = Chain.clientWellKnown(transport, server, CHAIN_ID);
      let epoch = 0;
      let session = `${ctx.name}.${epoch}`;
      let seq = 0;
      const newSession = () => {
        epoch += 1;
        session = `${ctx.name}.${epoch}`;
        seq = 0;
      };
      while (ctx.time.now() < durationMs && !ctx.shutdown.aborted) {
        const op = pickOp(ctx);
        if (op === "sleep") {
          await ctx.time.sleep(ctx.random.int(1, 200));
          continue;
        }
        if (op === "wrongEndpoint") {
          const wrong = new ServiceEndpoint<AppendRequest, AppendResponse>(
            transport,
            new Endpoint(server, new UID(0xdeadbeefn, 0xbad0bad0n)),
          );
          const r = await wrong.tryGetReply({ session: "x", seq: 0, block: [] }, { timeoutMs: 5000 }).then(
            () => true,
            () => false,
          );
          always(!r, "wrong endpoint never succeeds");
          continue;
        }
        seq += 1;
        const size = ctx.random.pick([0, 1, 8, 64, ctx.random.int(0, 64)]);
        const block = ctx.random.bytes(size);
        const req: AppendRequest = { session, seq, block };
        if (op === "send") {
          api.append.send(req);
          ctx.trace("client_sent", { session, seq });
          newSession();
          continue;
        }
        try {
          const reply =
            op === "getReply"
              ? await api.append.getReply(req, { timeoutMs: 10_000 })
              : op === "tryGetReply"
                ? await api.append.tryGetReply(req, { timeoutMs: 10_000 })
                : await api.append.getReplyUnlessFailedFor(req, ctx.random.int(50, 5000), {
                    timeoutMs: 10_000,
                  });
          const h = BigInt(reply.h);
          always(h === fold(BigInt(reply.prev), block), "reply h is fold(prev, block)", { session, seq });
          sometimes(true, "reply received");
          ctx.trace("client_ack", { session, seq, n: reply.n, h });
        } catch (error) {
          const kind = error instanceof ReplyError ? error.kind : String(error);
          sometimes(kind === "MaybeDelivered", "maybe delivered observed");
          sometimes(kind === "Timeout", "timeout observed");
          ctx.trace("client_ambiguous", { session, seq, kind });
          newSession();
        }
      }
      reportPeerStats(ctx, transport);
      await transport.close();
    },
  };
}

interface ChainState {
  cursor: object;
  lastN: number;
  lastH: bigint;
  byN: Map<number, { h: bigint; session: string; seq: number }>;
  lastSeq: Map<string, number>;
}

const states = new WeakMap<TraceQuery, ChainState>();

/** The invariant: one chain, no duplicate or reordered session appends, no lost ack. */
export function chainInvariant(trace: TraceQuery): void {
  let s = states.get(trace);
  if (!s) {
    s = { cursor: {}, lastN: 0, lastH: 0n, byN: new Map(), lastSeq: new Map() };
    states.set(trace, s);
  }
  for (const e of trace.since("append_block", s.cursor) as TraceEvent[]) {
    const f = e.fields as {
      n: number;
      h: bigint;
      block: string;
      session: string;
      seq: number;
      recovered: boolean;
    };
    const n = Number(f.n);
    const h = BigInt(f.h);
    if (f.recovered && n <= s.lastN) {
      // Replayed at boot: it must be exactly what was appended before.
      const before = s.byN.get(n);
      if (!before || before.h !== h || before.session !== f.session || before.seq !== f.seq) {
        throw new Error(`recovered record n=${n} differs from the append recorded before`);
      }
      continue;
    }
    if (n !== s.lastN + 1) throw new Error(`chain broken: append n=${n} after n=${s.lastN}`);
    const expected = fold(s.lastH, unhex(f.block));
    if (h !== expected) throw new Error(`chain broken at n=${n}: h=${h} but fold gives ${expected}`);
    const last = s.lastSeq.get(f.session) ?? 0;
    if (f.seq <= last) {
      throw new Error(
        `session ${f.session}: seq ${f.seq} appended after seq ${last} (duplicate or reordered)`,
      );
    }
    s.lastSeq.set(f.session, f.seq);
    s.byN.set(n, { h, session: f.session, seq: f.seq });
    s.lastN = n;
    s.lastH = h;
  }
  for (const e of trace.since("client_ack", s.cursor) as TraceEvent[]) {
    const f = e.fields as { session: string; seq: number; n: number; h: bigint };
    const at = s.byN.get(Number(f.n));
    if (!at || at.h !== BigInt(f.h) || at.session !== f.session || at.seq !== f.seq) {
      throw new Error(`acked append ${f.session}#${f.seq} (n=${f.n}) is not in the chain`);
    }
  }
}
