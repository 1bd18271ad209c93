// moonpool's dungeon workload (moonpool-sim-examples/src/dungeon.rs), ported: a roguelike of 8
// floors. Each floor's stairs need its key, which a player finds only by lingering on an
// unmarked room centre (3% per step there); monsters and traps wear down 5 HP. Finding the
// treasure on floor 8 is the planted bug: about 0.03^7 per random seed, reachable by
// exploration because every key, floor, room and health level is an assertion mark to split at.
import { always, sometimes, sometimesEach, sometimesGreaterThan } from "@moonpool/assertions";
import type { RandomProvider } from "@moonpool/core";
import { cell, generateLevel, inBounds, type Level, NO_ROOM, Tile } from "./level.ts";

/** Floor of the treasure. */
export const TARGET_FLOOR = 8;
/** Steps per run. */
export const MAX_STEPS = 10_000;
/** Chance per step on the key tile of picking the key up. */
export const KEY_FIND_P = 0.03;
/** Chance of repeating the previous action. */
export const REPEAT_P = 0.7;
/** Starting and maximum health. */
export const MAX_HP = 5;

/** The 8 moves (dx, dy), then DownStairs and Search: the swarm alphabet. */
export const ACTIONS = ["N", "NE", "E", "SE", "S", "SW", "W", "NW", "DownStairs", "Search"] as const;
/** One action. */
export type Action = (typeof ACTIONS)[number];
const MOVES: Record<string, readonly [number, number]> = {
  N: [0, -1],
  NE: [1, -1],
  E: [1, 0],
  SE: [1, 1],
  S: [0, 1],
  SW: [-1, 1],
  W: [-1, 0],
  NW: [-1, -1],
};
// Enemy directions 0..7; 8 stays.
const ENEMY_DIRS = Object.values(MOVES);

/** What one action did. */
export type Outcome = "moved" | "entered-room" | "damaged" | "dead" | "missing-key" | "descended" | "won";

/** How a dungeon run ended. */
export type DungeonResult = "done" | "bug";

/** The hp bucket used as a quality key: <=1 -> 0, 2 -> 1, 3-4 -> 2, 5 -> 3. */
export function hpBucket(hp: number): number {
  if (hp <= 1) return 0;
  if (hp === 2) return 1;
  if (hp <= 4) return 2;
  return 3;
}

/** The game itself: a floor, the player and the rules (no assertions here). */
export class DungeonGame {
  level = 1;
  hp = MAX_HP;
  hasKey = false;
  room = 0;
  x: number;
  y: number;
  floor: Level;
  private readonly random: RandomProvider;
  private readonly target: number;

  constructor(random: RandomProvider, target = TARGET_FLOOR) {
    this.random = random;
    this.target = target;
    this.floor = generateLevel(random, this.level, target);
    this.x = this.floor.start.x;
    this.y = this.floor.start.y;
  }

  /** The tile under the player. */
  get tile(): number {
    return this.floor.tiles[cell(this.x, this.y)]!;
  }

  /** Plays one action; `entered` is set when a move entered a new room. */
  act(action: Action): { outcome: Outcome; entered: boolean } {
    let entered = false;
    if (action === "DownStairs") {
      if (this.tile === Tile.StairsDown) {
        if (!this.hasKey) return { outcome: "missing-key", entered };
        this.level++;
        this.hasKey = false;
        this.floor = generateLevel(this.random, this.level, this.target);
        this.x = this.floor.start.x;
        this.y = this.floor.start.y;
        this.room = 0;
        return { outcome: "descended", entered };
      }
    } else if (action === "Search") {
      if (this.tile === Tile.Treasure) return { outcome: "won", entered };
    } else {
      const [dx, dy] = MOVES[action]!;
      const nx = this.x + dx;
      const ny = this.y + dy;
      const at = cell(nx, ny);
      if (inBounds(nx, ny) && this.floor.tiles[at] !== Tile.Wall) {
        this.x = nx;
        this.y = ny;
        const room = this.floor.roomOf[at]!;
        if (room !== NO_ROOM && room !== this.room && room < this.floor.rooms.length) {
          this.room = room;
          entered = true;
        }
        const t = this.floor.tiles[at];
        if (t === Tile.Potion) {
          this.hp = Math.min(MAX_HP, this.hp + 2);
          this.floor.tiles[at] = Tile.Floor;
        } else if (t === Tile.Trap) {
          this.hp--;
          this.floor.tiles[at] = Tile.Floor;
          if (this.hp <= 0) return { outcome: "dead", entered };
        }
      }
    }
    // Not terminal: the enemies move, then the first one on the player hits.
    for (const e of this.floor.enemies) {
      const d = this.random.int(0, 9);
      if (d === 8) continue;
      const [dx, dy] = ENEMY_DIRS[d]!;
      const nx = e.x + dx;
      const ny = e.y + dy;
      if (inBounds(nx, ny) && this.floor.tiles[cell(nx, ny)] !== Tile.Wall) {
        e.x = nx;
        e.y = ny;
      }
    }
    if (this.floor.enemies.some((e) => e.x === this.x && e.y === this.y)) {
      this.hp -= this.random.int(1, 3);
      return { outcome: this.hp <= 0 ? "dead" : "damaged", entered };
    }
    return { outcome: entered ? "entered-room" : "moved", entered };
  }
}

/** Picks the next action with exactly 2 counted draws: a fresh one, then repeat-or-not. */
export function pickAction(
  random: RandomProvider,
  enabled: readonly Action[],
  previous: Action | null,
): Action {
  const fresh = enabled[random.int(0, enabled.length)]!;
  const repeat = random.random() < REPEAT_P;
  return repeat && previous !== null ? previous : fresh;
}

/** The dungeon workload: the game plus moonpool's assertion marks around every step. */
export class Dungeon {
  readonly game: DungeonGame;
  steps = 0;
  private previous: Action | null = null;
  private readonly random: RandomProvider;
  private readonly enabled: readonly Action[];

  /** `enabled` is the swarm alphabet of this run (default: all 10 actions). */
  constructor(random: RandomProvider, enabled: readonly Action[] = ACTIONS) {
    this.random = random;
    this.enabled = enabled.length > 0 ? enabled : ACTIONS;
    this.game = new DungeonGame(random);
    sometimes(!this.enabled.some((a) => a in MOVES), "movement suppressed by swarm");
  }

  /** One step; "bug" when the treasure is found, "done" on death or at the step limit, else null. */
  step(): DungeonResult | null {
    const g = this.game;
    this.steps++;
    const action = pickAction(this.random, this.enabled, this.previous);
    this.previous = action;
    const health = hpBucket(g.hp);
    const { outcome, entered } = g.act(action);
    const floor = g.level;
    const key = g.floor.key;
    if (key !== null && !g.hasKey && g.x === key.x && g.y === key.y) {
      sometimesEach("on key tile", { floor }, { health });
      if (this.random.random() < KEY_FIND_P) {
        g.hasKey = true;
        sometimes(true, `key found L${floor}`);
      }
    }
    if (g.tile === Tile.StairsDown && g.hasKey) sometimesEach("stairs with key", { floor }, { health });
    if (g.tile === Tile.Treasure) sometimes(true, "near treasure");
    if (outcome === "descended") sometimesEach("descended", { to_floor: floor }, { health });
    else if (outcome === "won") sometimes(true, "treasure found");
    else if (outcome === "missing-key") sometimes(true, "stairs without key");
    else if (outcome === "damaged") sometimes(true, "survived monster hit");
    if (entered) {
      const hasKey = g.hasKey ? 1 : 0;
      sometimesEach("room explored", { floor, room: g.room }, { has_key: hasKey, health });
      if (g.room === g.floor.rooms.length - 1)
        sometimesEach("goal room", { floor }, { has_key: hasKey, health });
    }
    sometimesGreaterThan(g.level, 0, "dungeon level reached");
    sometimesGreaterThan(g.hp, 0, "health remaining");
    if (outcome === "won") return "bug";
    if (outcome === "dead" || this.steps >= MAX_STEPS) return "done";
    return null;
  }

  /** Runs to the end. */
  run(): DungeonResult {
    for (;;) {
      const r = this.step();
      if (r !== null) return r;
    }
  }
}

/** Runs one dungeon and asserts the planted bug is never reached (a violation fails the seed). */
export function runDungeon(
  random: RandomProvider,
  enabled?: readonly Action[],
): { result: DungeonResult; floor: number } {
  const d = new Dungeon(random, enabled);
  const result = d.run();
  always(result !== "bug", "dungeon bug: treasure found on floor 8");
  return { result, floor: d.game.level };
}
