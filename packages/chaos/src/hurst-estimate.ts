/**
 * Estimates the Hurst exponent of a series with the aggregated-variance method: split the series
 * into blocks of size m, take the variance of the block means, and fit
 * `log Var(m) = c + (2H - 2) log m` by least squares over block sizes spaced geometrically from
 * `minBlock` to `length / minBlocks`. About 0.5 for independent samples, above 0.5 for
 * long-range dependent ones. Needs a long series (thousands of points at least).
 */
export function estimateHurst(
  series: ArrayLike<number>,
  options: { minBlock?: number; minBlocks?: number; scales?: number } = {},
): number {
  const n = series.length;
  const minBlock = options.minBlock ?? 10;
  const minBlocks = options.minBlocks ?? 10;
  const scales = options.scales ?? 20;
  const maxBlock = Math.floor(n / minBlocks);
  if (maxBlock < minBlock * 2) throw new RangeError(`estimateHurst: series too short (${n} points)`);
  const xs: number[] = [];
  const ys: number[] = [];
  let lastM = 0;
  for (let i = 0; i < scales; i++) {
    const m = Math.round(minBlock * (maxBlock / minBlock) ** (i / (scales - 1)));
    if (m === lastM) continue;
    lastM = m;
    const blocks = Math.floor(n / m);
    const means = new Float64Array(blocks);
    let total = 0;
    for (let b = 0; b < blocks; b++) {
      let sum = 0;
      for (let j = b * m; j < (b + 1) * m; j++) sum += series[j]!;
      means[b] = sum / m;
      total += means[b]!;
    }
    const grand = total / blocks;
    let v = 0;
    for (let b = 0; b < blocks; b++) v += (means[b]! - grand) ** 2;
    v /= blocks - 1;
    if (v <= 0) continue;
    xs.push(Math.log(m));
    ys.push(Math.log(v));
  }
  if (xs.length < 2) throw new RangeError("estimateHurst: the series has no variance");
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  return 1 + slope / 2;
}
