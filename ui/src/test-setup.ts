import "@testing-library/jest-dom/vitest";

// jsdom has no layout engine: element sizes are 0 and nothing observes resizes.
if (!("ResizeObserver" in globalThis)) {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
}

// jsdom's <dialog> cannot open as a modal.
HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
  this.open = true;
};

// jsdom draws nothing: a canvas has no context (axe asks for one to judge icon contrast).
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;
