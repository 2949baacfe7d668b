// Apache ECharts in a div: pass an option, get a chart that resizes with its container. ECharts itself is
// loaded on first use (./chart-engine.ts, a separate chunk).
import { useEffect, useRef, useState } from 'react';
import type { EChartsOption, ECharts } from 'echarts';

/** ECharts measures text with this font (a CSS `inherit` would be measured wrong and overlap legends). */
export const CHART_FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Inter, Roboto, 'Helvetica Neue', Arial, sans-serif";

/** The app's palette, so charts match the badges and buttons. */
export const CHART_COLORS = ['#4c5fd5', '#0f7a7a', '#a35400', '#b0256b', '#1f8a4c', '#6236c9', '#c9372c', '#6c6330'];

export function Chart({ option, height = 260, label, testId }: { option: EChartsOption; height?: number; label: string; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<ECharts | null>(null);
  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    void import('./chart-engine.ts').then(({ echarts }) => {
      if (disposed || !ref.current) return;
      const c = echarts.init(ref.current, undefined, { renderer: 'svg' });
      const ro = new ResizeObserver(() => c.resize());
      ro.observe(ref.current);
      cleanup = () => {
        ro.disconnect();
        c.dispose();
      };
      setChart(c as unknown as ECharts);
    });
    return () => {
      disposed = true;
      cleanup();
    };
  }, []);
  useEffect(() => {
    chart?.setOption({ color: CHART_COLORS, textStyle: { fontFamily: CHART_FONT }, animation: false, ...option }, { notMerge: true });
  }, [chart, option]);
  return <div ref={ref} role="img" aria-label={label} data-testid={testId} data-ready={chart ? 'true' : undefined} style={{ width: '100%', height }} />;
}
