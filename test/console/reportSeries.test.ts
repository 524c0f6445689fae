import { describe, expect, test } from 'vitest';
import { chartModels, currentBuilds, nonEmptyRows, type BuildInfo, type ReportSeries } from '../../console/components/reportSeries.js';

const WINDOW = { from: 600, to: 900, bucketSeconds: 60 };
const STABLE: BuildInfo = { resourceId: 1, version: '1.0.0', role: 'stable' };
const GRAY: BuildInfo = { resourceId: 2, version: '2.0.0', role: 'gray' };
const current = new Map([[1, STABLE], [2, GRAY]]);

describe('chartModels', () => {
  test('one chart per group, a zero for every bucket nobody reported in', () => {
    const series: ReportSeries[] = [
      { resourceId: 2, version: '2.0.0', kind: 'exposure', points: [[660, 3], [780, 1]] },
      { resourceId: 1, version: '1.0.0', kind: 'exposure', points: [[600, 5]] },
    ];
    const [exposures, fallbacks, errors] = chartModels(series, current, WINDOW);
    expect(exposures!.x).toEqual([600, 660, 720, 780, 840]);
    expect(exposures!.lines.map((l) => [l.build.version, l.values])).toEqual([
      ['1.0.0', [5, 0, 0, 0, 0]],
      ['2.0.0', [0, 3, 0, 1, 0]],
    ]);
    expect(exposures!.total).toBe(9);
    expect(fallbacks!.total).toBe(0);
    expect(errors!.total).toBe(0);
  });

  test('load and integrity errors add up as fallbacks; runtime errors are apart', () => {
    const series: ReportSeries[] = [
      { resourceId: 2, version: '2.0.0', kind: 'load-error', points: [[720, 2]] },
      { resourceId: 2, version: '2.0.0', kind: 'integrity-error', points: [[720, 1]] },
      { resourceId: 1, version: '1.0.0', kind: 'runtime-error', points: [[840, 4]] },
    ];
    const [, fallbacks, errors] = chartModels(series, current, WINDOW);
    expect(fallbacks!.lines.find((l) => l.build.resourceId === 2)!.values).toEqual([0, 0, 3, 0, 0]);
    expect(errors!.lines.find((l) => l.build.resourceId === 1)!.total).toBe(4);
  });

  test('stable and gray are drawn even without reports; another build only when it has some', () => {
    const series: ReportSeries[] = [
      { resourceId: 7, version: '0.9.0', kind: 'exposure', points: [[600, 1]] },
      { resourceId: 8, version: '0.8.0', kind: 'exposure', points: [[0, 9]] },
    ];
    const [exposures] = chartModels(series, current, WINDOW);
    expect(exposures!.lines.map((l) => `${l.build.version}:${l.build.role}`)).toEqual(['1.0.0:stable', '2.0.0:gray', '0.9.0:other']);
  });

  test('points outside the window are left out, and the table lists only buckets with counts', () => {
    const series: ReportSeries[] = [{ resourceId: 1, version: '1.0.0', kind: 'exposure', points: [[540, 9], [720, 2], [900, 9]] }];
    const [exposures] = chartModels(series, current, WINDOW);
    expect(exposures!.total).toBe(2);
    expect(nonEmptyRows(exposures!)).toEqual([{ t: 720, values: [2, 0] }]);
  });
});

describe('currentBuilds', () => {
  test('the full strategy\'s build is stable, gray ones gray, off ones absent', () => {
    const builds = currentBuilds(
      [{ resourceId: 1, status: 'full' }, { resourceId: 2, status: 'gray' }, { resourceId: 3, status: 'off' }, { resourceId: 1, status: 'gray' }],
      new Map([[1, '1.0.0'], [2, '2.0.0'], [3, '3.0.0']]),
    );
    expect([...builds.values()]).toEqual([STABLE, GRAY]);
  });
});
