// One dungeon floor, generated from the counted stream exactly as moonpool's dungeon example
// (moonpool-sim-examples/src/dungeon.rs) does: 4-6 rooms on a 35x20 grid of walls, corridors
// between rooms sorted by centre, stairs (or the treasure on the last floor) in the last room,
// a key and a potion at room centres, traps and enemies on random floor tiles.
import type { RandomProvider } from "@moonpool/core";

/** Grid width. */
export const WIDTH = 35;
/** Grid height. */
export const HEIGHT = 20;

/** A tile of the grid. */
export const Tile = { Wall: 0, Floor: 1, StairsDown: 2, Treasure: 3, Potion: 4, Trap: 5 } as const;
/** A tile value. */
export type TileValue = (typeof Tile)[keyof typeof Tile];

/** A grid position. */
export interface Pos {
  x: number;
  y: number;
}

/** A rectangular room. */
export interface Room {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** No room at this cell (a corridor or a wall). */
export const NO_ROOM = -1;

/** The centre of a room. */
export function centre(r: Room): Pos {
  return { x: r.x + Math.floor(r.w / 2), y: r.y + Math.floor(r.h / 2) };
}

/** A generated floor. */
export interface Level {
  readonly tiles: Uint8Array;
  /** Room index of each cell (NO_ROOM outside rooms); later rooms overwrite earlier ones. */
  readonly roomOf: Int8Array;
  readonly rooms: readonly Room[];
  readonly start: Pos;
  /** Where the key lies (a position, not a tile), or null on the last floor. */
  readonly key: Pos | null;
  readonly enemies: Pos[];
}

/** Index of (x, y) in the grid. */
export function cell(x: number, y: number): number {
  return y * WIDTH + x;
}

/** Whether (x, y) is on the grid. */
export function inBounds(x: number, y: number): boolean {
  return x >= 0 && x < WIDTH && y >= 0 && y < HEIGHT;
}

function placeRandomly(
  random: RandomProvider,
  tiles: Uint8Array,
  player: Pos,
  place: (x: number, y: number) => void,
): void {
  for (let attempt = 0; attempt < 100; attempt++) {
    const x = random.int(0, WIDTH);
    const y = random.int(0, HEIGHT);
    if (tiles[cell(x, y)] === Tile.Floor && !(x === player.x && y === player.y)) {
      place(x, y);
      return;
    }
  }
}

/** Generates floor `level` (1-based) of a dungeon whose treasure is on floor `target`. */
export function generateLevel(random: RandomProvider, level: number, target: number): Level {
  const tiles = new Uint8Array(WIDTH * HEIGHT); // all Wall
  const roomOf = new Int8Array(WIDTH * HEIGHT).fill(NO_ROOM);
  const count = random.int(4, 7);
  const rooms: Room[] = [];
  for (let i = 0; i < count; i++) {
    const w = random.int(3, 7);
    const h = random.int(3, 6);
    const x = random.int(1, Math.max(2, WIDTH - (w + 1)));
    const y = random.int(1, Math.max(2, HEIGHT - (h + 1)));
    rooms.push({ x, y, w, h });
    for (let yy = y; yy < y + h && yy < HEIGHT; yy++) {
      for (let xx = x; xx < x + w && xx < WIDTH; xx++) tiles[cell(xx, yy)] = Tile.Floor;
    }
  }
  // Stable sort by centre x: corridors then run roughly left to right.
  rooms.sort((a, b) => centre(a).x - centre(b).x);
  rooms.forEach((r, i) => {
    for (let yy = r.y; yy < r.y + r.h && yy < HEIGHT; yy++) {
      for (let xx = r.x; xx < r.x + r.w && xx < WIDTH; xx++) roomOf[cell(xx, yy)] = i;
    }
  });
  for (let i = 1; i < rooms.length; i++) {
    const a = centre(rooms[i - 1]!);
    const b = centre(rooms[i]!);
    for (let x = Math.min(a.x, b.x); x <= Math.max(a.x, b.x); x++) tiles[cell(x, a.y)] = Tile.Floor;
    for (let y = Math.min(a.y, b.y); y <= Math.max(a.y, b.y); y++) tiles[cell(b.x, y)] = Tile.Floor;
  }
  const start = centre(rooms[0]!);
  const last = centre(rooms[rooms.length - 1]!);
  if (level < target) tiles[cell(last.x, last.y)] = Tile.StairsDown;
  else if (level === target) tiles[cell(last.x, last.y)] = Tile.Treasure;
  let key: Pos | null = null;
  if (level < target) {
    key = rooms.length > 2 ? centre(rooms[random.int(1, rooms.length - 1)]!) : start;
  }
  if (level < target && rooms.length > 2) {
    const potion = centre(rooms[random.int(1, rooms.length - 1)]!);
    if (key === null || potion.x !== key.x || potion.y !== key.y)
      tiles[cell(potion.x, potion.y)] = Tile.Potion;
  }
  const traps = random.int(2, 4);
  for (let i = 0; i < traps; i++) {
    placeRandomly(random, tiles, start, (x, y) => {
      tiles[cell(x, y)] = Tile.Trap;
    });
  }
  const enemies: Pos[] = [];
  const half = Math.floor(level / 2);
  const enemyCount = random.int(2 + half, 6 + half);
  for (let i = 0; i < enemyCount; i++) placeRandomly(random, tiles, start, (x, y) => enemies.push({ x, y }));
  return { tiles, roomOf, rooms, start, key, enemies };
}
