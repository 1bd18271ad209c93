// The host's time zone and locale inside a seed: a seed's trace must not change with the
// machine's TZ or LANG. While a seed runs, TZ is the simulation's time zone (UTC by default), the
// default locale of Intl and of every toLocale*/localeCompare call is the simulation's locale
// (en-US by default), and Intl.DateTimeFormat's `format()` without a date formats the virtual now.
// The default locale comes from the environment at Node's start-up and cannot be changed, so the
// locale-taking functions are trampolines installed once, when this module loads.

/** What the current seed asks for (null: no seed drains). */
export interface IntlWorld {
  readonly locale: string;
  /** Virtual "now" as an epoch in ms (what `new Date()` gives inside the seed). */
  nowEpochMs(): number;
}

let current: IntlWorld | null = null;

/** Sets the world Intl calls see (null outside a drain). */
export function setIntlWorld(world: IntlWorld | null): void {
  current = world;
}

/** `args` with the seed's locale in `index` when the caller gave none. */
function withLocale(args: unknown[], index: number): unknown[] {
  if (current === null || args[index] !== undefined) return args;
  const out = args.slice();
  while (out.length < index) out.push(undefined);
  out[index] = current.locale;
  return out;
}

const INTL_CONSTRUCTORS = [
  "DateTimeFormat",
  "NumberFormat",
  "Collator",
  "PluralRules",
  "RelativeTimeFormat",
  "ListFormat",
  "Segmenter",
  "DisplayNames",
] as const;

function installConstructors(): void {
  const intl = Intl as unknown as Record<string, unknown>;
  for (const name of INTL_CONSTRUCTORS) {
    const Real = intl[name] as (new (...a: unknown[]) => object) | undefined;
    if (typeof Real !== "function") continue;
    const pinned: object = new Proxy(Real, {
      construct: (target, args, newTarget) =>
        Reflect.construct(target, withLocale(args, 0), newTarget === pinned ? target : newTarget),
      apply: (target, thisArg, args) => Reflect.apply(target, thisArg, withLocale(args, 0)),
    });
    intl[name] = pinned;
  }
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

function pinMethod(proto: object, key: string, localeIndex: number): void {
  const holder = proto as Record<string, unknown>;
  const real = holder[key] as Method | undefined;
  if (typeof real !== "function") return;
  const pinned = function (this: unknown, ...args: unknown[]): unknown {
    return real.apply(this, withLocale(args, localeIndex));
  };
  Object.defineProperty(pinned, "name", { value: real.name });
  Object.defineProperty(pinned, "length", { value: real.length });
  Object.defineProperty(proto, key, { value: pinned, writable: true, configurable: true, enumerable: false });
}

/** `format` (a getter returning a bound function) and `formatToParts` format the virtual now. */
function pinDateTimeFormatNow(RealDateTimeFormat: { prototype: object }): void {
  const proto = RealDateTimeFormat.prototype;
  const formatGetter = Object.getOwnPropertyDescriptor(proto, "format")?.get;
  if (formatGetter !== undefined) {
    Object.defineProperty(proto, "format", {
      configurable: true,
      enumerable: false,
      get(this: object) {
        const bound = formatGetter.call(this) as (date?: unknown) => string;
        if (current === null) return bound;
        const world = current;
        return (date?: unknown) => bound(date === undefined ? world.nowEpochMs() : date);
      },
    });
  }
  const formatToParts = (proto as Record<string, unknown>).formatToParts as Method | undefined;
  if (typeof formatToParts === "function") {
    Object.defineProperty(proto, "formatToParts", {
      configurable: true,
      writable: true,
      enumerable: false,
      value: function (this: unknown, date?: unknown) {
        const at = date === undefined && current !== null ? current.nowEpochMs() : date;
        return formatToParts.call(this, at);
      },
    });
  }
}

/**
 * `Date#toString`/`toTimeString` end with the zone's name in the host's default locale
 * ("(協定世界時)" under LANG=ja_JP): inside a seed the name is the seed's locale's.
 */
function pinDateZoneName(): void {
  for (const key of ["toString", "toTimeString"] as const) {
    const real = Date.prototype[key] as (this: Date) => string;
    const pinned = function (this: Date): string {
      const text = real.call(this);
      if (current === null || Number.isNaN(this.getTime())) return text;
      const open = text.lastIndexOf(" (");
      if (open < 0) return text;
      const zone = new RealDateTimeFormat(current.locale, { timeZoneName: "long" })
        .formatToParts(this)
        .find((p) => p.type === "timeZoneName")?.value;
      return zone === undefined ? text : `${text.slice(0, open)} (${zone})`;
    };
    Object.defineProperty(pinned, "name", { value: key });
    Object.defineProperty(Date.prototype, key, {
      value: pinned,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
}

const RealDateTimeFormat = Intl.DateTimeFormat;

function installIntlTrampolines(): void {
  pinDateZoneName();
  pinDateTimeFormatNow(Intl.DateTimeFormat);
  installConstructors();
  for (const key of ["toLocaleString", "toLocaleDateString", "toLocaleTimeString"])
    pinMethod(Date.prototype, key, 0);
  pinMethod(Number.prototype, "toLocaleString", 0);
  pinMethod(BigInt.prototype, "toLocaleString", 0);
  pinMethod(String.prototype, "localeCompare", 1);
  pinMethod(String.prototype, "toLocaleUpperCase", 0);
  pinMethod(String.prototype, "toLocaleLowerCase", 0);
}
installIntlTrampolines();

// ---- time zone --------------------------------------------------------------------------------
// Setting process.env.TZ costs ~40 us (V8 drops its time zone cache), so it is set when a seed
// begins only if it differs, and put back once no seed began for a whole real turn.

const hostTimeZone = { saved: false, value: undefined as string | undefined };
let restorePending = false;

/** Makes `timeZone` the process's TZ for the seed that begins. */
export function pinTimeZone(timeZone: string): void {
  restorePending = false;
  if (process.env.TZ === timeZone) return;
  if (!hostTimeZone.saved) {
    hostTimeZone.saved = true;
    hostTimeZone.value = process.env.TZ;
  }
  process.env.TZ = timeZone;
}

/** Puts the host's TZ back after `laterTurn` unless another seed began before it ran. */
export function restoreTimeZoneLater(laterTurn: (fn: () => void) => void): void {
  if (!hostTimeZone.saved) return;
  restorePending = true;
  laterTurn(() => {
    if (!restorePending || !hostTimeZone.saved) return;
    restorePending = false;
    hostTimeZone.saved = false;
    if (hostTimeZone.value === undefined) delete process.env.TZ;
    else process.env.TZ = hostTimeZone.value;
  });
}

/** `timeZone` when Intl knows it as a time zone, else null. */
export function knownTimeZone(timeZone: unknown): string | null {
  if (typeof timeZone !== "string" || timeZone === "") return null;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return timeZone;
  } catch {
    return null;
  }
}

/** The canonical form of a BCP 47 `locale` tag, else null. */
export function knownLocale(locale: unknown): string | null {
  if (typeof locale !== "string" || locale === "") return null;
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? null;
  } catch {
    return null;
  }
}

export const expectedTimeZone = (got: unknown): string =>
  `expected an IANA time zone such as "UTC" or "Asia/Tokyo", got ${String(got)}`;
export const expectedLocale = (got: unknown): string =>
  `expected a BCP 47 locale such as "en-US", got ${String(got)}`;
