// Types for the part of d3-flame-graph 5 the page uses (the package ships none).
declare module 'd3-flame-graph' {
  export interface FlameHierarchyNode<T> {
    data: T;
    parent: FlameHierarchyNode<T> | null;
    depth: number;
    x0: number;
    x1: number;
    value: number;
    highlight?: boolean;
    ancestors(): FlameHierarchyNode<T>[];
  }

  export interface FlameGraph<T> {
    (selection: unknown): void;
    width(): number;
    width(px: number): this;
    cellHeight(px: number): this;
    transitionDuration(ms: number): this;
    inverted(icicle: boolean): this;
    minFrameSize(px: number): this;
    setLabelHandler(f: (d: FlameHierarchyNode<T>) => string): this;
    setColorMapper(f: (d: FlameHierarchyNode<T>, original: string) => string): this;
    setSearchMatch(f: (d: FlameHierarchyNode<T>, term: string) => boolean): this;
    setSearchHandler(f: (results: FlameHierarchyNode<T>[], sum: number, total: number) => void): this;
    setDetailsHandler(f: (text: string | null) => void): this;
    onClick(f: (d: FlameHierarchyNode<T>) => void): this;
    search(term: string): void;
    clear(): void;
    zoomTo(d: FlameHierarchyNode<T>): void;
    resetZoom(): void;
    update(data?: T): this;
    destroy(): this;
  }

  export default function flamegraph<T = unknown>(): FlameGraph<T>;
}
