import "@testing-library/jest-dom/vitest";

// jsdom has no layout engine: element sizes are 0 and nothing observes resizes.
if (!("ResizeObserver" in globalThis)) {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
}
